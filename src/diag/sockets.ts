/**
 * Socket listing and destroy (`ss`, `ss -K`): filters are checked here (TypeError/RangeError
 * naming the field, before anything is sent) and sent to the kernel, which applies them
 * (INET_DIAG_REQ_BYTECODE, built by the core as `ss` builds it).
 *
 * @module
 */

import { NetlinkError } from '../errors.js'
import type { SockDiagOp } from '../native.js'
import type { CallOptions } from '../types.js'
import { checkInt, checkKeys, describe, ipFamily, parseCidr } from '../validate.js'
import type { SockDiagConn } from './conn.js'
import {
  EXTENSION_NAMES,
  type InetSocket,
  type InetSocketFilter,
  type NetlinkSocket,
  type OtherSocketFilter,
  type PacketSocket,
  PROTOCOL_NUMBERS,
  STATE_NUMBERS,
  type UnixSocket,
  type UnixSocketFilter,
} from './types.js'

type Record_ = Omit<SockDiagOp, 'token' | 'timeout'>

const INET_KEYS: ReadonlySet<string> = new Set(['family', 'protocol', 'states', 'src', 'dst', 'sport', 'dport', 'ext'])
const UNIX_KEYS: ReadonlySet<string> = new Set(['family', 'states', 'ext'])
const OTHER_KEYS: ReadonlySet<string> = new Set(['family', 'ext'])

/**
 * Any filter of `socketList`: internet, unix, netlink or packet sockets.
 *
 * @category Sockets
 */
export type SocketFilter = InetSocketFilter | UnixSocketFilter | OtherSocketFilter
/** Prefixes per side: the kernel's program has u16 jumps; ss users never come near this. */
const MAX_PREFIXES = 256

function list(v: unknown, name: string): unknown[] {
  const l = Array.isArray(v) ? v : [v]
  if (l.length > MAX_PREFIXES) throw new RangeError(`${name} has more than ${MAX_PREFIXES} items`)
  return l
}

function states(v: unknown): string[] | undefined {
  if (v === undefined) return undefined
  return list(v, 'states').map((s, i) => {
    if (typeof s !== 'string') throw new TypeError(`states[${i}] must be a state name, got ${describe(s)}`)
    if (!(s in STATE_NUMBERS)) throw new RangeError(`states[${i}] ${describe(s)} is not one of ${Object.keys(STATE_NUMBERS).join(', ')}`)
    return s
  })
}

function ext(v: unknown, allowed: ReadonlySet<string>): string[] | undefined {
  if (v === undefined) return undefined
  if (!Array.isArray(v)) throw new TypeError(`ext must be an array of extension names, got ${describe(v)}`)
  return v.map((e, i) => {
    if (typeof e !== 'string' || !allowed.has(e)) throw new RangeError(`ext[${i}] ${describe(e)} is not one of ${[...allowed].join(', ')}`)
    return e
  })
}

function port(v: unknown, name: string): number {
  return checkInt(v, name, 0, 65535)
}

/** `sport`/`dport`: an exact port, or `{ min, max }`. */
function ports(v: unknown, name: 'sport' | 'dport'): Partial<Record_> {
  if (v === undefined) return {}
  if (typeof v === 'number') return { [name]: port(v, name) }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new TypeError(`${name} must be a port number or { min, max }, got ${describe(v)}`)
  checkKeys(v, new Set(['min', 'max']), name)
  const { min, max } = v as { min?: unknown; max?: unknown }
  const lo = min === undefined ? undefined : port(min, `${name}.min`)
  const hi = max === undefined ? undefined : port(max, `${name}.max`)
  if (lo === undefined && hi === undefined) throw new RangeError(`${name} must give min, max or both`)
  if (lo !== undefined && hi !== undefined && lo > hi) throw new RangeError(`${name}.min (${lo}) is above ${name}.max (${hi})`)
  return name === 'sport' ? { sportMin: lo, sportMax: hi } : { dportMin: lo, dportMax: hi }
}

function prefixes(v: unknown, name: string): { list?: string[]; families: Set<4 | 6> } {
  const families = new Set<4 | 6>()
  if (v === undefined) return { families }
  const l = list(v, name).map((p, i) => {
    const c = parseCidr(p, Array.isArray(v) ? `${name}[${i}]` : name)
    families.add(c.family)
    return `${c.address}/${c.prefixLen}`
  })
  if (l.length === 0) throw new RangeError(`${name} must name at least one prefix`)
  return { list: l, families }
}

interface InetPlan {
  families: (4 | 6)[]
  record: Record_
}

function inetPlan(f: InetSocketFilter): InetPlan {
  checkKeys(f, INET_KEYS, 'filter')
  let families: (4 | 6)[] = [4, 6]
  if (f.family !== undefined) {
    if (f.family !== 4 && f.family !== 6)
      throw new RangeError(`family must be 4, 6, 'unix', 'netlink' or 'packet', got ${describe(f.family)}`)
    families = [f.family]
  }
  const protocol = f.protocol ?? 'tcp'
  if (typeof protocol !== 'string' || !(protocol in PROTOCOL_NUMBERS))
    throw new RangeError(`protocol ${describe(protocol)} is not one of ${Object.keys(PROTOCOL_NUMBERS).join(', ')}`)
  const src = prefixes(f.src, 'src')
  const dst = prefixes(f.dst, 'dst')
  // Prefixes of one family only: the other family's sockets cannot match (ss dumps both anyway).
  const only = new Set([...src.families, ...dst.families])
  if (f.family === undefined && only.size === 1) families = [...only]
  const record: Record_ = {
    op: 'inet',
    protocol,
    states: states(f.states),
    ext: ext(f.ext, EXTENSION_NAMES),
    src: src.list,
    dst: dst.list,
    ...ports(f.sport, 'sport'),
    ...ports(f.dport, 'dport'),
  }
  return { families, record }
}

function subject(f: object | undefined): string {
  return f === undefined ? 'all' : describe(f)
}

function checkFilter(f: unknown): asserts f is object | undefined {
  if (f !== undefined && (typeof f !== 'object' || f === null || Array.isArray(f)))
    throw new TypeError(`filter must be an object, got ${describe(f)}`)
}

/**
 * The dumps a listing makes (checked first: TypeError/RangeError naming the field): one per
 * family for internet sockets, one for the others.
 */
export function listPlan(f: SocketFilter | undefined): { subject: string; records: Record_[] } {
  checkFilter(f)
  if (f?.family === 'netlink' || f?.family === 'packet') {
    checkKeys(f, OTHER_KEYS, 'filter')
    return { subject: f.family, records: [{ op: f.family, ext: ext(f.ext, new Set(['meminfo'])) }] }
  }
  if (f?.family === 'unix') {
    checkKeys(f, UNIX_KEYS, 'filter')
    return { subject: 'unix', records: [{ op: 'unix', states: states(f.states), ext: ext(f.ext, new Set(['meminfo'])) }] }
  }
  const plan = inetPlan((f ?? {}) as InetSocketFilter)
  return { subject: subject(f), records: plan.families.map((family) => ({ ...plan.record, family })) }
}

export function socketList(c: SockDiagConn, f?: InetSocketFilter, o?: CallOptions): Promise<InetSocket[]>
export function socketList(c: SockDiagConn, f: UnixSocketFilter, o?: CallOptions): Promise<UnixSocket[]>
export function socketList(c: SockDiagConn, f: OtherSocketFilter & { family: 'netlink' }, o?: CallOptions): Promise<NetlinkSocket[]>
export function socketList(c: SockDiagConn, f: OtherSocketFilter & { family: 'packet' }, o?: CallOptions): Promise<PacketSocket[]>
export async function socketList(
  c: SockDiagConn,
  f?: SocketFilter,
  o?: CallOptions,
): Promise<InetSocket[] | UnixSocket[] | NetlinkSocket[] | PacketSocket[]> {
  const plan = listPlan(f)
  const parts = await Promise.all(plan.records.map((r) => c.call<InetSocket | UnixSocket>('socketList', plan.subject, r, o)))
  return parts.flat() as InetSocket[] | UnixSocket[] | NetlinkSocket[] | PacketSocket[]
}

/** A socket as a listing gave it: its identity, checked. */
function idRecord(s: Record<string, unknown>): Record_ {
  if (s.family !== 4 && s.family !== 6) throw new RangeError(`socket.family must be 4 or 6, got ${describe(s.family)}`)
  const protocol = s.protocol ?? 'tcp'
  if (typeof protocol !== 'string' || !(protocol in PROTOCOL_NUMBERS))
    throw new RangeError(`socket.protocol ${describe(protocol)} is not one of ${Object.keys(PROTOCOL_NUMBERS).join(', ')}`)
  for (const k of ['src', 'dst'] as const) {
    if (typeof s[k] !== 'string' || ipFamily(s[k] as string) !== s.family)
      throw new TypeError(`socket.${k} must be an IPv${s.family} address, got ${describe(s[k])}`)
  }
  if (typeof s.cookie !== 'string' || !/^\d{1,20}$/.test(s.cookie) || BigInt(s.cookie) >= 1n << 64n)
    throw new TypeError(`socket.cookie must be the decimal cookie a listing gave, got ${describe(s.cookie)}`)
  return {
    op: 'destroy',
    family: s.family,
    protocol,
    src: [s.src as string],
    dst: [s.dst as string],
    sport: port(s.sport, 'socket.sport'),
    dport: port(s.dport, 'socket.dport'),
    iface: checkInt(s.iface ?? 0, 'socket.iface', 0, 0xffffffff),
    cookie: s.cookie,
  }
}

/**
 * Destroys (`ss -K`) every socket `target` matches: a filter (a listing first, then one
 * SOCK_DESTROY per socket, as ss does), or one socket as a listing gave it (its identity:
 * family, protocol, addresses, ports, interface and cookie). Resolves the sockets destroyed; one
 * gone meanwhile is left out. An empty filter is refused (it would destroy every TCP socket).
 */
export async function socketDestroy(c: SockDiagConn, target: InetSocketFilter | InetSocket, o?: CallOptions): Promise<InetSocket[]> {
  checkFilter(target)
  if (target === undefined) throw new TypeError('socketDestroy needs a filter or a socket')
  const t = target as Record<string, unknown>
  if (['unix', 'netlink', 'packet'].includes(t.family as string))
    throw new RangeError(`family: ${t.family} sockets cannot be destroyed (the kernel has no SOCK_DESTROY for them)`)
  let victims: InetSocket[]
  if ('cookie' in t) {
    idRecord(t) // checked before anything is sent
    victims = [target as InetSocket]
  } else {
    const f = target as InetSocketFilter
    const narrowing = ['states', 'src', 'dst', 'sport', 'dport'].some((k) => t[k] !== undefined)
    inetPlan(f)
    if (!narrowing)
      throw new RangeError('socketDestroy: the filter must give states, src, dst, sport or dport (an empty one would destroy every socket)')
    victims = await socketList(c, f, o)
  }
  const done = await Promise.all(
    victims.map(async (s) => {
      const r = idRecord(s as unknown as Record<string, unknown>)
      const name = `${s.protocol ?? 'tcp'} ${s.src}:${s.sport} ${s.dst}:${s.dport}`
      try {
        await c.call('socketDestroy', name, r, o)
        return s
      } catch (e) {
        // Closed meanwhile (or a time-wait socket that expired): nothing left to destroy.
        if (e instanceof NetlinkError && e.code === 'ENOENT') return undefined
        throw e
      }
    }),
  )
  return done.filter((s): s is InetSocket => s !== undefined)
}
