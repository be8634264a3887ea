/**
 * Argument checks for the conntrack functions: each throws a TypeError or RangeError naming
 * the argument, before anything is sent; what passes becomes the operation record the binding
 * reads (ops_in/conntrack.rs), names turned into the kernel's numbers.
 *
 * @module
 */

import type { ConntrackTupleOp } from '../native.js'
import { bits, checkInt, checkIp, checkKeys, checkText, describe, MAX_U32, named } from '../validate.js'
import type { ConntrackCall } from './conn.js'
import { FAMILIES, ICMP, PORTED, PROTOCOLS, STATES, STATUS } from './names.js'
import { checkNatReply, type NatOps, natOps } from './nat.js'
import type { ConntrackFilter, ConntrackKey, ConntrackSpec, ConntrackUpdate } from './types.js'

const TUPLE_KEYS: ReadonlySet<string> = new Set(['src', 'dst', 'sport', 'dport', 'type', 'code', 'id'])
const FILTER_KEYS: ReadonlySet<string> = new Set(['family', 'protocol', 'orig', 'reply', 'mark', 'markMask', 'zone', 'status'])
const KEY_KEYS = ['family', 'protocol', 'orig', 'zone', 'id']
/** What a listed entry carries besides a spec's fields: accepted so one can be given back, not sent. */
const LISTED = ['protonum', 'use', 'counters', 'timestamp', 'secctx', 'master']
const SPEC_KEYS: ReadonlySet<string> = new Set([
  ...KEY_KEYS,
  'reply',
  'timeout',
  'status',
  'state',
  'mark',
  'labels',
  'helper',
  'exclusive',
  'nat',
  ...LISTED,
])
const UPDATE_KEYS: ReadonlySet<string> = new Set([
  ...KEY_KEYS,
  'timeout',
  'status',
  'state',
  'mark',
  'markMask',
  'labels',
  'reply',
  'helper',
  'nat',
  ...LISTED,
])

export function object(v: unknown, name: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new TypeError(`${name} must be an object, got ${describe(v)}`)
  return v as Record<string, unknown>
}

/** The family named, or implied by an address; both must agree. */
export class Family {
  value: 4 | 6 | undefined
  constructor(v: unknown, name: string) {
    if (v !== undefined) this.value = named(FAMILIES, v, name, 0) === 2 ? 4 : 6
  }
  address(v: unknown, name: string): string {
    const a = checkIp(v, name, this.value)
    this.value = a.family
    return a.address
  }
  get af(): number | undefined {
    return this.value === undefined ? undefined : this.value === 4 ? 2 : 10
  }
}

/**
 * A tuple: `full` (a key's) needs both addresses and the protocol's ports or ICMP fields, a
 * filter's any of them.
 */
export function tuple(v: unknown, name: string, proto: number | undefined, fam: Family, full: boolean): ConntrackTupleOp {
  const t = object(v, name)
  checkKeys(t, TUPLE_KEYS, name)
  const out: ConntrackTupleOp = {}
  for (const k of ['src', 'dst'] as const) {
    if (t[k] !== undefined) out[k] = fam.address(t[k], `${name}.${k}`)
    else if (full) throw new TypeError(`${name}.${k} is required`)
  }
  const fields = [
    ['sport', 'sport', 0xffff, PORTED],
    ['dport', 'dport', 0xffff, PORTED],
    ['type', 'icmpType', 0xff, ICMP],
    ['code', 'icmpCode', 0xff, ICMP],
    ['id', 'icmpId', 0xffff, ICMP],
  ] as const
  for (const [k, op, max, protos] of fields) {
    const has = proto !== undefined && protos.has(proto)
    if (t[k] === undefined) {
      if (full && has) throw new TypeError(`${name}.${k} is required for protocol ${proto}`)
      continue
    }
    if (proto === undefined) throw new TypeError(`${name}.${k}: give the protocol too`)
    if (!has) throw new RangeError(`${name}.${k}: protocol ${proto} has no ${k}`)
    out[op] = checkInt(t[k], `${name}.${k}`, 0, max)
  }
  return out
}

export function protocol(v: unknown, name = 'protocol'): number {
  return named(PROTOCOLS, v, name, 255)
}

function statusBits(v: unknown, name: string): number | undefined {
  if (v === undefined) return undefined
  if (!Array.isArray(v)) throw new TypeError(`${name} must be an array of status names, got ${describe(v)}`)
  return v.length === 0 ? undefined : bits(STATUS, v, name) >>> 0
}

function labels(v: unknown, name: string): number[] | undefined {
  if (v === undefined) return undefined
  if (!Array.isArray(v)) throw new TypeError(`${name} must be an array of label bit numbers, got ${describe(v)}`)
  return v.map((x, i) => checkInt(x, `${name}[${i}]`, 0, 127))
}

function state(v: unknown, name: string, proto: number): number | undefined {
  if (v === undefined) return undefined
  const list = STATES[proto]
  if (!list) throw new RangeError(`${name}: protocol ${proto} has no states`)
  const i = typeof v === 'string' ? list.indexOf(v) : -1
  if (i < 0) throw new RangeError(`${name} ${describe(v)} is not one of ${list.join(', ')}`)
  return i
}

const u32 = (v: unknown, name: string) => (v === undefined ? undefined : checkInt(v, name, 0, MAX_U32))
const zone = (v: unknown, name: string) => (v === undefined ? undefined : checkInt(v, name, 0, 0xffff))

/** A list, delete or flush filter (`name`: how errors call it). */
export function filterCall(v: unknown, name = 'filter'): ConntrackCall & { op: string } {
  const f = object(v ?? {}, name) as ConntrackFilter
  checkKeys(f, FILTER_KEYS, name)
  const fam = new Family(f.family, `${name}.family`)
  const proto = f.protocol === undefined ? undefined : protocol(f.protocol, `${name}.protocol`)
  const out: ConntrackCall = { op: 'list' }
  if (proto !== undefined) out.protocol = proto
  if (f.orig !== undefined) out.orig = tuple(f.orig, `${name}.orig`, proto, fam, false)
  if (f.reply !== undefined) out.reply = tuple(f.reply, `${name}.reply`, proto, fam, false)
  if (fam.af !== undefined) out.family = fam.af
  out.mark = u32(f.mark, `${name}.mark`)
  out.markMask = u32(f.markMask, `${name}.markMask`)
  if (out.markMask !== undefined && out.mark === undefined) throw new TypeError(`${name}.markMask needs ${name}.mark`)
  out.zone = zone(f.zone, `${name}.zone`)
  out.status = statusBits(f.status, `${name}.status`)
  return out
}

export function keyCall(k: Record<string, unknown>, name: string, op: string): ConntrackCall & { protocol: number } {
  const fam = new Family(k.family, `${name}.family`)
  if (k.protocol === undefined) throw new TypeError(`${name}.protocol is required`)
  const proto = protocol(k.protocol, `${name}.protocol`)
  if (k.orig === undefined) throw new TypeError(`${name}.orig is required`)
  const orig = tuple(k.orig, `${name}.orig`, proto, fam, true)
  return { op, family: fam.af, protocol: proto, orig, zone: zone(k.zone, `${name}.zone`), id: u32(k.id, `${name}.id`) }
}

/** A key of one entry (get, delete). */
export function key(v: unknown, op: string, name = 'key'): ConntrackCall {
  const k = object(v, name) as unknown as ConntrackKey & Record<string, unknown>
  checkKeys(k, new Set(KEY_KEYS), name)
  return keyCall(k, name, op)
}

export function specCall(v: unknown, name = 'spec'): ConntrackCall {
  const s = object(v, name) as unknown as ConntrackSpec & Record<string, unknown>
  checkKeys(s, SPEC_KEYS, name)
  // A listed entry's id names the old entry; a new one gets its own.
  const out = keyCall({ ...s, id: undefined }, name, 'create')
  const fam = new Family(out.family === 2 ? 'ipv4' : 'ipv6', `${name}.family`)
  if (s.reply !== undefined) out.reply = tuple(s.reply, `${name}.reply`, out.protocol, fam, true)
  if (s.timeout === undefined) throw new TypeError(`${name}.timeout is required`)
  out.ctTimeout = u32(s.timeout, `${name}.timeout`)
  // A listed entry's kernel-kept bits (CONFIRMED, ...) are not the caller's to set.
  out.status = statusBits(s.status, `${name}.status`)
  if (out.status !== undefined) out.status &= STATUS.SEEN_REPLY | STATUS.ASSURED | STATUS.FIXED_TIMEOUT
  out.state = state(s.state, `${name}.state`, out.protocol)
  out.mark = u32(s.mark, `${name}.mark`)
  out.labels = labels(s.labels, `${name}.labels`)
  if (s.helper !== undefined) {
    if (typeof s.helper !== 'string' || s.helper === '' || s.helper.length > 15)
      throw new TypeError(`${name}.helper must be a helper name of 1 to 15 characters, got ${describe(s.helper)}`)
    out.helper = checkText(s.helper, `${name}.helper`)
  }
  if (s.exclusive !== undefined && typeof s.exclusive !== 'boolean') throw new TypeError(`${name}.exclusive must be a boolean`)
  out.exclusive = s.exclusive
  if (s.nat !== undefined) {
    Object.assign(out, natOps(s.nat, `${name}.nat`, fam, out.protocol))
    // The kernel translates the original reversed, as conntrack -I sends it (given the
    // translated reply itself, it would see nothing to translate and set no NAT).
    if (out.reply !== undefined) checkNatReply(out.reply, out.orig as ConntrackTupleOp, out, `${name}.reply`)
    out.reply = undefined
  }
  return out
}

/** An update, and its `nat` (a listed entry's, checked but never sent: see entries.ts). */
export function updateCall(v: unknown, name = 'update'): ConntrackCall & { nat?: NatOps } {
  const u = object(v, name) as unknown as ConntrackUpdate & Record<string, unknown>
  checkKeys(u, UPDATE_KEYS, name)
  const out = keyCall(u, name, 'update')
  out.ctTimeout = u32(u.timeout, `${name}.timeout`)
  out.status = statusBits(u.status, `${name}.status`)
  out.state = state(u.state, `${name}.state`, out.protocol)
  out.mark = u32(u.mark, `${name}.mark`)
  out.markMask = u32(u.markMask, `${name}.markMask`)
  if (out.markMask !== undefined && out.mark === undefined) throw new TypeError(`${name}.markMask needs ${name}.mark`)
  out.labels = labels(u.labels, `${name}.labels`)
  const fam = new Family(out.family === 2 ? 'ipv4' : 'ipv6', `${name}.family`)
  return u.nat === undefined ? out : { ...out, nat: natOps(u.nat, `${name}.nat`, fam, out.protocol) }
}
