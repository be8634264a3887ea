/**
 * Lightweight tunnel encapsulations of routes, multipath paths and nexthop objects (`ip route
 * ... encap TYPE ...`): their shapes and the checks run before anything is sent (the core
 * encodes them, crates/nlkit/src/rtnl/route/encap/).
 *
 * @module
 */

import { checkBool, checkInt, checkIp, checkKeys, describe, MAX_U32 } from './validate.js'

/**
 * SRv6: an outer IPv6 header with a segment routing header (`mode: 'encap'`, `'l2encap'`, or
 * the reduced `'encap.red'` / `'l2encap.red'`), or the SRH inserted in the packet (`'inline'`).
 *
 * @category Routes
 */
export interface Seg6Encap {
  /** The encapsulation type. */
  type: 'seg6'
  /** Encapsulate (`'encap'`, `'l2encap'`, reduced: `'encap.red'`, `'l2encap.red'`) or insert the SRH (`'inline'`). */
  mode: 'inline' | 'encap' | 'l2encap' | 'encap.red' | 'l2encap.red'
  /** The segments, first to last (1 to 64 IPv6 addresses). */
  segments: string[]
  /** HMAC key id (`ip sr hmac set`); 0 or absent: none. */
  hmac?: number
}

/**
 * SRv6 local behaviour of a segment (`encap seg6local action End.X nh6 ...`).
 *
 * @category Routes
 */
export interface Seg6LocalEncap {
  /** The encapsulation type. */
  type: 'seg6local'
  /** `'End'`, `'End.X'`, `'End.T'`, `'End.DX2'`, `'End.DX6'`, `'End.DX4'`, `'End.DT6'`, `'End.DT4'`, `'End.B6'`, `'End.B6.Encaps'`, ... */
  action: string
  /** Table to look the packet up in (End.T, End.DT6). */
  table?: number
  /** VRF table (End.DT4, End.DT6, End.DT46). */
  vrftable?: number
  /** IPv4 next hop (End.DX4). */
  nh4?: string
  /** IPv6 next hop (End.X, End.DX6). */
  nh6?: string
  /** Input interface index. */
  iif?: number
  /** Output interface index (End.DX2). */
  oif?: number
  /** The SRH's segments (End.B6, End.B6.Encaps). */
  segments?: string[]
  /** HMAC key id of that SRH. */
  hmac?: number
  /** Keep packet/byte/error counters for the route (`count`; read with `counters`). */
  count?: boolean
  /** The counters, when `count` was asked for (read-only). */
  counters?: {
    /** Packets processed. */
    packets: number
    /** Bytes processed. */
    bytes: number
    /** Packets dropped on errors. */
    errors: number
  }
  /** SRv6 flavors (`flavors psp,usp,usd,next-csid`). */
  flavors?: ('psp' | 'usp' | 'usd' | 'next-csid')[]
  /** Locator-block length in bits, with next-csid (`lblen`). */
  lblen?: number
  /** Node-function length in bits, with next-csid (`nflen`). */
  nflen?: number
  /** End.BPF's program (`endpoint pinned PATH` / `fd`; of type lwt_seg6local), listed by its name as `ip -j` shows it. */
  endpoint?: BpfProgram
}

/**
 * Tunnel metadata for a `collect_md` IPv4 tunnel device (`encap ip id 42 dst 10.0.0.2 ...`).
 *
 * @category Routes
 */
export interface IpEncap {
  /** The encapsulation type. */
  type: 'ip'
  /** Tunnel id (key, VNI). */
  id?: number
  /** The tunnel's remote end (required). */
  dst: string
  /** The tunnel's local end. */
  src?: string
  /** TTL of the outer header. */
  ttl?: number
  /** TOS of the outer header. */
  tos?: number
  /** Flags: with a key, checksums, sequence numbers. */
  key?: boolean
  /** Checksums in the tunnel header. */
  csum?: boolean
  /** Sequence numbers in the tunnel header. */
  seq?: boolean
}

/**
 * Tunnel metadata for a `collect_md` IPv6 tunnel device (`encap ip6 ...`).
 *
 * @category Routes
 */
export interface Ip6Encap {
  /** The encapsulation type. */
  type: 'ip6'
  /** Tunnel id (key, VNI). */
  id?: number
  /** The tunnel's remote end (required). */
  dst: string
  /** The tunnel's local end. */
  src?: string
  /** Hop limit of the outer header. */
  hoplimit?: number
  /** Traffic class. */
  tc?: number
  /** The tunnel uses the id as its key. */
  key?: boolean
  /** Checksums in the tunnel header. */
  csum?: boolean
  /** Sequence numbers in the tunnel header. */
  seq?: boolean
}

/**
 * An MPLS label stack to push (`encap mpls 100/200 ttl 10`).
 *
 * @category Routes
 */
export interface MplsEncap {
  /** The encapsulation type. */
  type: 'mpls'
  /** 1 to 30 labels, outermost first (0 to 1048575). */
  labels: number[]
  /** TTL of the pushed labels. */
  ttl?: number
}

/**
 * A BPF program of an `encap bpf` route: an open descriptor or a path in a bpf filesystem. The
 * kernel reports back only its `name`.
 *
 * @category Routes
 */
export interface BpfProgram {
  /** An open descriptor of the program. */
  fd?: number
  /** Its path in a bpf filesystem. */
  pinned?: string
  /** Default: `BASENAME:[*fsobj]` for a pinned program (as `ip`), `fd:[N]` for a descriptor. */
  name?: string
}

/**
 * BPF programs run on the route's packets (`encap bpf in ... out ... xmit ... headroom N`).
 *
 * @category Routes
 */
export interface BpfEncap {
  /** The encapsulation type. */
  type: 'bpf'
  /** Run on input (BPF_PROG_TYPE_LWT_IN). */
  in?: BpfProgram
  /** Run on output (BPF_PROG_TYPE_LWT_OUT). */
  out?: BpfProgram
  /** Run on transmit (BPF_PROG_TYPE_LWT_XMIT). */
  xmit?: BpfProgram
  /** Bytes an xmit program may push (1 to 256). */
  headroom?: number
}

/**
 * IPv6 in-situ OAM: a pre-allocated trace (`encap ioam6 ... trace prealloc type T ns N size S`).
 *
 * @category Routes
 */
export interface Ioam6Encap {
  /** The encapsulation type. */
  type: 'ioam6'
  /** Default `'inline'`; `'encap'` and `'auto'` need `tundst`. */
  mode?: 'inline' | 'encap' | 'auto'
  /** Destination of the outer header (modes `'encap'` and `'auto'`). */
  tundst?: string
  /** Insert in freqk of every freqn packets (default 1/1). */
  freqk?: number
  /** See `freqk`. */
  freqn?: number
  /** IOAM trace type (24 bits). */
  traceType: number
  /** IOAM namespace id. */
  ns: number
  /** Trace data size in bytes (a multiple of 4, at most 244). */
  size: number
}

/**
 * A lightweight tunnel encapsulation, by `type`.
 *
 * @category Routes
 */
export type RouteEncap = Seg6Encap | Seg6LocalEncap | IpEncap | Ip6Encap | MplsEncap | BpfEncap | Ioam6Encap

const ADDR = (family: 4 | 6) => (v: unknown, n: string) => checkIp(v, n, family).address
const U8 = (v: unknown, n: string) => checkInt(v, n, 0, 255)
const U32 = (v: unknown, n: string) => checkInt(v, n, 0, MAX_U32)
const TABLE = (v: unknown, n: string) => checkInt(v, n, 1, MAX_U32)
const INDEX = (v: unknown, n: string) => checkInt(v, n, 1, 0x7fffffff)
const ID = (v: unknown, n: string) => checkInt(v, n, 0, Number.MAX_SAFE_INTEGER)
const oneOf = (names: readonly string[]) => (v: unknown, n: string) => {
  if (typeof v !== 'string' || !names.includes(v)) throw new RangeError(`${n} must be one of ${names.join(', ')}, got ${describe(v)}`)
  return v
}
const segments = (v: unknown, n: string) => {
  if (!Array.isArray(v) || v.length === 0 || v.length > 64) throw new TypeError(`${n} must be an array of 1 to 64 IPv6 addresses`)
  return v.map((a, i) => checkIp(a, `${n}[${i}]`, 6).address)
}
const labels = (v: unknown, n: string) => {
  if (!Array.isArray(v) || v.length === 0 || v.length > 30) throw new TypeError(`${n} must be an array of 1 to 30 MPLS labels`)
  return v.map((l, i) => checkInt(l, `${n}[${i}]`, 0, 0xfffff))
}
const program = (v: unknown, n: string) => {
  if (typeof v !== 'object' || v === null) throw new TypeError(`${n} must be an object { fd | pinned, name? }`)
  const p = v as BpfProgram
  checkKeys(p, new Set(['fd', 'pinned', 'name']), n)
  if ((p.fd === undefined) === (p.pinned === undefined)) throw new TypeError(`${n} takes either fd or pinned`)
  const out: Record<string, unknown> = {}
  if (p.fd !== undefined) out.fd = checkInt(p.fd, `${n}.fd`, 0, 0x7fffffff)
  if (p.pinned !== undefined) {
    if (typeof p.pinned !== 'string' || p.pinned === '' || p.pinned.includes('\0')) throw new TypeError(`${n}.pinned must be a path`)
    out.pinned = p.pinned
  }
  if (p.name !== undefined) {
    if (typeof p.name !== 'string' || p.name.includes('\0')) throw new TypeError(`${n}.name must be a string`)
    out.name = p.name
  }
  return out
}

type Check = (v: unknown, name: string) => unknown
/** Each type's keys and their checks; `type` and the required keys are checked apart. */
const TYPES: Record<string, { keys: Record<string, Check>; required: string[] }> = {
  seg6: {
    keys: { mode: oneOf(['inline', 'encap', 'l2encap', 'encap.red', 'l2encap.red']), segments, hmac: U32 },
    required: ['mode', 'segments'],
  },
  seg6local: {
    keys: {
      action: oneOf(
        ['End', 'End.X', 'End.T', 'End.DX2', 'End.DX6', 'End.DX4', 'End.DT6', 'End.DT4', 'End.B6', 'End.B6.Encaps'].concat([
          'End.BM',
          'End.S',
          'End.AS',
          'End.AM',
          'End.BPF',
          'End.DT46',
        ]),
      ),
      table: TABLE,
      vrftable: TABLE,
      nh4: ADDR(4),
      nh6: ADDR(6),
      iif: INDEX,
      oif: INDEX,
      segments,
      hmac: U32,
      count: (v: unknown, n: string) => checkBool(v, n),
      // What the kernel reports for `count`; accepted back and not sent.
      counters: () => undefined,
      flavors: (v: unknown, n: string) => {
        if (!Array.isArray(v) || v.length === 0) throw new TypeError(`${n} must be a non-empty array of 'psp', 'usp', 'usd', 'next-csid'`)
        return v.map((f, i) => oneOf(['psp', 'usp', 'usd', 'next-csid'])(f, `${n}[${i}]`))
      },
      lblen: (v: unknown, n: string) => checkInt(v, n, 1, 255),
      nflen: (v: unknown, n: string) => checkInt(v, n, 1, 255),
      endpoint: program,
    },
    required: ['action'],
  },
  ip: {
    keys: { id: ID, dst: ADDR(4), src: ADDR(4), ttl: U8, tos: U8, key: checkBool, csum: checkBool, seq: checkBool },
    required: ['dst'],
  },
  ip6: {
    keys: { id: ID, dst: ADDR(6), src: ADDR(6), hoplimit: U8, tc: U8, key: checkBool, csum: checkBool, seq: checkBool },
    required: ['dst'],
  },
  mpls: { keys: { labels, ttl: U8 }, required: ['labels'] },
  bpf: { keys: { in: program, out: program, xmit: program, headroom: (v, n) => checkInt(v, n, 1, 256) }, required: [] },
  ioam6: {
    keys: {
      mode: oneOf(['inline', 'encap', 'auto']),
      tundst: ADDR(6),
      freqk: (v, n) => checkInt(v, n, 1, 1_000_000),
      freqn: (v, n) => checkInt(v, n, 1, 1_000_000),
      traceType: (v, n) => checkInt(v, n, 1, 0xffffff),
      ns: (v, n) => checkInt(v, n, 0, 0xffff),
      size: (v, n) => {
        const s = checkInt(v, n, 4, 244)
        if (s % 4 !== 0) throw new RangeError(`${n} must be a multiple of 4, got ${s}`)
        return s
      },
    },
    required: ['traceType', 'ns', 'size'],
  },
}

/** An encap checked (TypeError/RangeError naming `name.key`), as the binding takes it. */
export function checkEncap(e: unknown, name = 'encap'): Record<string, unknown> {
  if (typeof e !== 'object' || e === null || Array.isArray(e)) throw new TypeError(`${name} must be an object { type, ... }`)
  const { type } = e as { type?: unknown }
  const t = typeof type === 'string' && Object.hasOwn(TYPES, type) ? TYPES[type] : undefined
  if (!t) throw new RangeError(`${name}.type must be one of ${Object.keys(TYPES).join(', ')}, got ${describe(type)}`)
  checkKeys(e, new Set(['type', ...Object.keys(t.keys)]), name)
  const out: Record<string, unknown> = { type }
  for (const [k, check] of Object.entries(t.keys)) {
    const v = (e as Record<string, unknown>)[k]
    if (v !== undefined) out[k] = check(v, `${name}.${k}`)
  }
  for (const k of t.required) if (out[k] === undefined) throw new TypeError(`${name}.${k} is required for a ${type} encap`)
  if (type === 'bpf' && out.in === undefined && out.out === undefined && out.xmit === undefined)
    throw new TypeError(`${name} (bpf) needs a program for in, out or xmit`)
  if (type === 'ioam6') {
    const inline = (out.mode ?? 'inline') === 'inline'
    if (inline === (out.tundst !== undefined)) throw new TypeError(`${name}.tundst goes with modes 'encap' and 'auto' (and only with them)`)
    if (((out.freqk as number | undefined) ?? 1) > ((out.freqn as number | undefined) ?? 1))
      throw new RangeError(`${name}.freqk must not exceed ${name}.freqn`)
  }
  if (type === 'seg6local' && out.hmac !== undefined && out.segments === undefined)
    throw new TypeError(`${name}.hmac goes with ${name}.segments`)
  if (type === 'seg6local' && (out.action === 'End.BPF') !== (out.endpoint !== undefined))
    throw new TypeError(`${name}.endpoint (the program: { pinned } or { fd }) goes with action End.BPF, and only with it`)
  return out
}
