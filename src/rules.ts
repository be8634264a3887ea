/**
 * Policy routing rules (`ip rule`).
 *
 * @module
 */

import type { Engine } from './engine.js'
import type { RuleFields } from './native.js'
import { IP_PROTOS, type IpProto, PROTOCOLS, RULE_ACTIONS, type RouteProtocol, type RouteTable, type RuleAction, TABLES } from './names.js'
import type { CallOptions } from './types.js'
import { checkBool, checkCallOptions, checkInt, checkKeys, checkLinkName, MAX_U32, named, parseCidr } from './validate.js'

/**
 * A policy routing rule, with the names `ip -j rule` uses.
 *
 * @category Rules
 */
export interface Rule {
  /** 4 or 6. */
  family: 4 | 6
  /** Priority (`ip rule ... pref`). */
  priority: number
  /** Table id to look up. */
  table: number
  /** `'to_tbl'`, `'goto'`, `'nop'`, `'blackhole'`, `'unreachable'`, `'prohibit'` */
  action: string
  /** Source prefix. */
  from?: string
  /** Destination prefix. */
  to?: string
  /** Input interface name. */
  iif?: string
  /** Output interface name. */
  oif?: string
  /** Firewall mark. */
  fwmark?: number
  /** Firewall mark mask. */
  fwmask?: number
  /** Target priority of a goto rule. */
  goto?: number
  /** Type of service. */
  tos?: number
  /** Reject routes with a prefix this short or shorter. */
  suppressPrefixLength?: number
  /** Socket owner uid range. */
  uidRange?: UidRange
  /** Who installed the rule. */
  protocol?: string
  /** The rule matches what its selectors do not (`ip rule add not ...`; `ip -j`: `not`). */
  invert?: true
  /** IP protocol selected (`ipproto`): its name, or the number when it has none. */
  ipproto?: string
  /** Source port range (`sport`; `ip -j`: `sport_start`/`sport_end`). */
  sport?: PortRange
  /** Destination port range (`dport`). */
  dport?: PortRange
  /** Tunnel id (`tun_id`), a u64 in decimal. */
  tunId?: string
  /** Reject routes through devices of this group (`suppress_ifgroup`). */
  suppressIfgroup?: number
  /** Realms, `from << 16 | to` (`realms FROM/TO`; `ip -j`: `flow_from`/`flow_to`). */
  realms?: number
  /** The table is the VRF device's the packet came on (`l3mdev`). */
  l3mdev?: true
  /** DSCP selected (Linux 6.13+; iproute2 6.1 neither sets nor prints it). */
  dscp?: number
}

/**
 * A range of ports (`sport 1000-2000`); one port is a range with `start === end`.
 *
 * @category Rules
 */
export interface PortRange {
  /** First port. */
  start: number
  /** Last port. */
  end: number
}

/**
 * A range of socket owner uids (`ip rule ... uidrange 1000-2000`).
 *
 * @category Rules
 */
export interface UidRange {
  /** First uid. */
  start: number
  /** Last uid. */
  end: number
}

/**
 * A policy routing rule to add or delete (`ip rule`). `from`/`to` are CIDR prefixes.
 *
 * @category Rules
 */
export interface RuleSpec {
  /** Priority (`ip rule ... pref`). */
  priority?: number
  /** Table id or name to look up. */
  table?: number | RouteTable
  /** Source prefix (CIDR). */
  from?: string
  /** Destination prefix (CIDR). */
  to?: string
  /** Firewall mark. */
  fwmark?: number
  /** Firewall mark mask. */
  fwmask?: number
  /** Input interface name. */
  iif?: string
  /** Output interface name. */
  oif?: string
  /** Type of service. */
  tos?: number
  /** Reject routes with a prefix this short or shorter. */
  suppressPrefixLength?: number
  /** Socket owner uid range. */
  uidRange?: UidRange
  /** `'to_tbl'` (default with a table), `'goto'`, `'nop'`, `'blackhole'`, `'unreachable'`, `'prohibit'`. */
  action?: RuleAction
  /** Target priority (action `goto`). */
  goto?: number
  /** Protocol: a {@link RouteProtocol} name or a number. */
  protocol?: RouteProtocol | number
  /** 4 or 6; taken from `from`/`to` when they are given (default 4). */
  family?: 4 | 6
  /** Match what the selectors do not (`ip rule add not ...`). */
  invert?: boolean
  /** IP protocol: a name (`'tcp'`) or a number. */
  ipproto?: IpProto | number
  /** Source port or range. */
  sport?: number | PortRange
  /** Destination port or range. */
  dport?: number | PortRange
  /** Tunnel id (a u64: a bigint or decimal string beyond 2^53). */
  tunId?: number | bigint | string
  /** Reject routes through devices of this group. */
  suppressIfgroup?: number
  /** Realms: `{ from, to }` or the number `from << 16 | to`. */
  realms?:
    | number
    | {
        /** The source realm. */
        from: number
        /** The destination realm. */
        to: number
      }
  /** Look up the table of the VRF device the packet came on (no `table` then). */
  l3mdev?: boolean
  /** DSCP, 0 to 63 (Linux 6.13+). */
  dscp?: number
}

/** A port or `{ start, end }`, checked. */
function portRange(v: unknown, name: string): PortRange {
  if (typeof v === 'number') {
    const p = checkInt(v, name, 0, 0xffff)
    return { start: p, end: p }
  }
  if (typeof v !== 'object' || v === null) throw new TypeError(`${name} must be a port or { start, end }`)
  const r = v as Record<string, unknown>
  checkKeys(r, new Set(['start', 'end']), name)
  const start = checkInt(r.start, `${name}.start`, 0, 0xffff)
  return { start, end: checkInt(r.end, `${name}.end`, start, 0xffff) }
}

function tunId(v: unknown): string {
  const s =
    typeof v === 'bigint'
      ? v
      : typeof v === 'number' && Number.isSafeInteger(v)
        ? BigInt(v)
        : typeof v === 'string' && /^\d+$/.test(v)
          ? BigInt(v)
          : undefined
  if (s === undefined) throw new TypeError('tunId must be a non-negative integer (number, bigint or decimal string)')
  if (s < 0n || s > 0xffff_ffff_ffff_ffffn) throw new RangeError('tunId must fit in 64 bits')
  return s.toString()
}

function realms(v: unknown): number {
  if (typeof v === 'number') return checkInt(v, 'realms', 0, MAX_U32)
  if (typeof v !== 'object' || v === null) throw new TypeError('realms must be a number or { from, to }')
  const r = v as Record<string, unknown>
  checkKeys(r, new Set(['from', 'to']), 'realms')
  return ((checkInt(r.from ?? 0, 'realms.from', 0, 0xffff) << 16) | checkInt(r.to ?? 0, 'realms.to', 0, 0xffff)) >>> 0
}

const RULE_FILTER: ReadonlySet<string> = new Set(['family'])

export async function ruleList(e: Engine, filter: { family?: 4 | 6 } = {}, o?: CallOptions): Promise<Rule[]> {
  if (typeof filter !== 'object' || filter === null) throw new TypeError('filter must be an object')
  checkKeys(filter, RULE_FILTER, 'filter')
  if (filter.family !== undefined && filter.family !== 4 && filter.family !== 6) throw new RangeError('filter.family must be 4 or 6')
  checkCallOptions(o)
  if (filter.family === undefined) {
    const [v4, v6] = await Promise.all([
      e.call<Rule>('ruleList', '', { op: 'ruleList', family: 4 }, o),
      e.call<Rule>('ruleList', '', { op: 'ruleList', family: 6 }, o),
    ])
    return v4.concat(v6)
  }
  return e.call<Rule>('ruleList', '', { op: 'ruleList', family: filter.family }, o)
}

/** What a rule may name: RuleSpec's fields, and Rule's (a listed rule can be given back to ruleDel). */
const RULE_KEYS: ReadonlySet<string> = new Set([
  'family',
  'priority',
  'table',
  'action',
  'from',
  'to',
  'iif',
  'oif',
  'fwmark',
  'fwmask',
  'goto',
  'tos',
  'suppressPrefixLength',
  'uidRange',
  'protocol',
  'invert',
  'ipproto',
  'sport',
  'dport',
  'tunId',
  'suppressIfgroup',
  'realms',
  'l3mdev',
  'dscp',
])
/** What selects the rule ruleDel removes (the kernel removes the first rule a request matches). */
const RULE_SELECTORS = [
  'priority',
  'table',
  'from',
  'to',
  'iif',
  'oif',
  'fwmark',
  'tos',
  'uidRange',
  'goto',
  'ipproto',
  'sport',
  'dport',
  'tunId',
  'dscp',
] as const

/** ruleAdd and ruleDel. */
export async function rule(e: Engine, opName: RuleFields['op'], r: RuleSpec, o?: CallOptions): Promise<void> {
  if (typeof r !== 'object' || r === null) throw new TypeError('rule must be an object')
  checkKeys(r, RULE_KEYS, 'rule')
  // With nothing to match, the kernel deletes the first rule it has: "0: from all lookup local",
  // which breaks local delivery for the whole namespace.
  if (opName === 'ruleDel' && RULE_SELECTORS.every((k) => r[k] === undefined)) {
    throw new RangeError(
      `ruleDel needs at least one of ${RULE_SELECTORS.join(', ')} (with none, the kernel deletes the first rule, the local table's)`,
    )
  }
  checkCallOptions(o)
  const f: RuleFields = { op: opName }
  let family: 4 | 6 | undefined
  for (const key of ['from', 'to'] as const) {
    if (r[key] === undefined) continue
    const p = parseCidr(r[key], key)
    if (family !== undefined && p.family !== family) throw new TypeError('from and to must be of the same family')
    family = p.family
    f[key] = p.address
    f[`${key}Len`] = p.prefixLen
  }
  if (r.family !== undefined) {
    if (r.family !== 4 && r.family !== 6) throw new RangeError('family must be 4 or 6')
    if (family !== undefined && family !== r.family) throw new TypeError(`family ${r.family} does not match from/to`)
    family = r.family
  }
  f.family = family ?? 4
  if (r.priority !== undefined) f.priority = checkInt(r.priority, 'priority', 0, MAX_U32)
  if (r.table !== undefined) f.table = named(TABLES, r.table, 'table', MAX_U32)
  if (r.fwmark !== undefined) f.fwmark = checkInt(r.fwmark, 'fwmark', 0, MAX_U32)
  if (r.fwmask !== undefined) f.fwmask = checkInt(r.fwmask, 'fwmask', 0, MAX_U32)
  if (r.iif !== undefined) f.iif = checkLinkName(r.iif, 'iif')
  if (r.oif !== undefined) f.oif = checkLinkName(r.oif, 'oif')
  if (r.tos !== undefined) f.tos = checkInt(r.tos, 'tos', 0, 255)
  if (r.suppressPrefixLength !== undefined) f.suppressPrefixLength = checkInt(r.suppressPrefixLength, 'suppressPrefixLength', 0, 128)
  if (r.uidRange !== undefined) {
    const u = r.uidRange
    if (typeof u !== 'object' || u === null) throw new TypeError('uidRange must be { start, end }')
    const start = checkInt(u.start, 'uidRange.start', 0, MAX_U32)
    const end = checkInt(u.end, 'uidRange.end', start, MAX_U32)
    f.uidRange = { start, end }
  }
  if (r.action !== undefined) f.action = named(RULE_ACTIONS, r.action, 'action', 255)
  if (r.goto !== undefined) f.goto = checkInt(r.goto, 'goto', 0, MAX_U32)
  if (r.protocol !== undefined) f.protocol = named(PROTOCOLS, r.protocol, 'protocol', 255)
  if (r.invert !== undefined) f.invert = checkBool(r.invert, 'invert')
  if (r.ipproto !== undefined) f.ipproto = named(IP_PROTOS, r.ipproto, 'ipproto', 255)
  if (r.sport !== undefined) f.sport = portRange(r.sport, 'sport')
  if (r.dport !== undefined) f.dport = portRange(r.dport, 'dport')
  if (r.tunId !== undefined) f.tunId = tunId(r.tunId)
  if (r.suppressIfgroup !== undefined) f.suppressIfgroup = checkInt(r.suppressIfgroup, 'suppressIfgroup', 0, MAX_U32)
  if (r.realms !== undefined) f.realms = realms(r.realms)
  if (r.l3mdev !== undefined) {
    f.l3mdev = checkBool(r.l3mdev, 'l3mdev')
    if (f.l3mdev && f.table) throw new TypeError("l3mdev and table exclude each other: an l3mdev rule takes the VRF device's table")
  }
  if (r.dscp !== undefined) f.dscp = checkInt(r.dscp, 'dscp', 0, 63)
  const subject = [
    r.priority !== undefined && `priority ${r.priority}`,
    r.from && `from ${r.from}`,
    r.to && `to ${r.to}`,
    r.table !== undefined && `table ${r.table}`,
  ]
    .filter(Boolean)
    .join(' ')
  await e.call(opName, subject, f, o)
}
