/**
 * nlkit: Linux rtnetlink for Node.js. Configure links, addresses and routes with `await`,
 * on a Rust core that speaks netlink to the kernel on its own I/O thread.
 *
 * Every function exists at module level (on a lazily opened default connection in the current
 * network namespace) and as a method of {@link Netlink}, returned by {@link open}.
 *
 * @packageDocumentation
 */

import { constants as osConstants } from 'node:os'
import { isIPv6 } from 'node:net'
import { NativeConn, NativeMonitor, netnsCall, type NetnsSpec } from './native.cjs'

// ---------------------------------------------------------------------------------------------
// Public types

/** A link by name (`'eth0'`) or by interface index (`2`). */
export type LinkRef = string | number

/** Options every call accepts as its last argument. */
export interface CallOptions {
  /** Deadline for this call in milliseconds (default: the connection's, 5000). */
  timeout?: number
  /** Aborting rejects the call with an `AbortError` (the kernel may still have acted). */
  signal?: AbortSignal
}

/**
 * A network namespace: a name as `ip netns` knows it (`'blue'`), a path (`'/proc/1234/ns/net'`,
 * anything containing a `/`), a process id (`1234` or `{ pid: 1234 }`) or an open descriptor
 * (`{ fd: 3 }`).
 */
export type NetnsRef = string | number | { name: string } | { path: string } | { pid: number } | { fd: number }

/** Options of {@link open}. */
export interface OpenOptions {
  /** Default deadline of every call on this connection, in milliseconds (default 5000). */
  timeout?: number
  /** Work in this network namespace instead of the current one. */
  netns?: NetnsRef
}

/** A network interface, with the names `ip -j link` uses. */
export interface Link {
  index: number
  name: string
  /** Link kind from IFLA_INFO_KIND (`'veth'`, `'bridge'` ...); absent for physical and loopback. */
  kind?: string
  /** The kind's own settings, with iproute2's names in camelCase (`{ id: 42, port: 4789, dev: 'eth0' }` for vxlan). */
  linkinfo?: Record<string, unknown>
  /** The kind of the master this link is enslaved to (`'bridge'`, `'bond'`). */
  slaveKind?: string
  /** Interface flags as `ip` prints them (`['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP']`). */
  flags: string[]
  up: boolean
  operstate: string
  mtu?: number
  minMtu?: number
  maxMtu?: number
  /** `'ether'`, `'loopback'`, ... */
  linkType: string
  address?: string
  broadcast?: string
  permAddress?: string
  /** Name of the master device (bridge, bond), when in the same namespace. */
  master?: string
  masterIndex?: number
  /** Name of the parent or peer device (veth peer, macvlan parent), when in the same namespace. */
  link?: string
  linkIndex?: number
  linkNetnsid?: number
  txqlen?: number
  group?: number
  qdisc?: string
  alias?: string
  carrier?: boolean
  altNames?: string[]
  stats?: LinkStats
}

/** 64-bit interface counters. */
export interface LinkStats {
  rxPackets: number
  txPackets: number
  rxBytes: number
  txBytes: number
  rxErrors: number
  txErrors: number
  rxDropped: number
  txDropped: number
}

/** An interface address, with the names `ip -j addr` uses. */
export interface Address {
  /** Interface index. */
  index: number
  /** Interface name. */
  link?: string
  family: 4 | 6
  address: string
  prefixLen: number
  /** `address/prefixLen` */
  cidr: string
  scope: string
  label?: string
  /** `'permanent'`, `'tentative'`, `'noprefixroute'`, ... */
  flags: string[]
  peer?: string
  broadcast?: string
  /** Seconds; 4294967295 is forever. */
  validLifetime?: number
  preferredLifetime?: number
}

/** A route, with the names `ip -j route` uses. */
export interface Route {
  family: 4 | 6
  /** `'default'`, a prefix (`'10.0.0.0/24'`) or, for a host route, a bare address. */
  dst: string
  dstLen: number
  src?: string
  gateway?: string
  /** Output interface name. */
  dev?: string
  oif?: number
  iif?: number
  table: number
  protocol: string
  scope: string
  type: string
  metric?: number
  prefsrc?: string
  mark?: number
  tos?: number
  /** Next-hop flags (`'onlink'`, `'linkdown'`, ...). */
  flags: string[]
  pref?: string
  /** The paths of a multipath route. */
  nexthops?: { gateway?: string; dev?: string; oif: number; weight: number; flags: string[] }[]
  metrics?: RouteMetrics
}

/** A neighbour (ARP / NDP / bridge FDB) entry, with the names `ip -j neigh` uses. */
export interface Neighbour {
  index: number
  dev?: string
  family: 4 | 6 | 'bridge'
  dst?: string
  lladdr?: string
  /** `['REACHABLE']`, `['PERMANENT']`, ... */
  state: string[]
  flags: string[]
  vlan?: number
  master?: string
  masterIndex?: number
  probes?: number
}

/** A policy routing rule, with the names `ip -j rule` uses. */
export interface Rule {
  family: 4 | 6
  priority: number
  table: number
  /** `'to_tbl'`, `'goto'`, `'nop'`, `'blackhole'`, `'unreachable'`, `'prohibit'` */
  action: string
  from?: string
  to?: string
  iif?: string
  oif?: string
  fwmark?: number
  fwmask?: number
  goto?: number
  tos?: number
  suppressPrefixLength?: number
  uidRange?: { start: number; end: number }
  protocol?: string
}

/** A neighbour entry to add, replace or delete (`ip neigh`, and `bridge fdb` with `family: 'bridge'`). */
export interface NeighSpec {
  dev: LinkRef
  /** IP address (ARP/NDP); absent for a bridge FDB entry. */
  dst?: string
  lladdr?: string
  /** `'permanent'` (default), `'reachable'`, `'stale'`, `'noarp'`, ... or several. */
  state?: NeighState | NeighState[]
  /** `'router'`, `'proxy'`, `'self'`, `'master'`, `'extern_learn'`, ... */
  flags?: string[]
  /** 4 or 6 (default: from dst), or `'bridge'` for FDB entries. */
  family?: 4 | 6 | 'bridge'
  vlan?: number
}

export type NeighState = 'incomplete' | 'reachable' | 'stale' | 'delay' | 'probe' | 'failed' | 'noarp' | 'permanent' | 'none'

export interface NeighFilter {
  dev?: LinkRef
  family?: 4 | 6 | 'bridge'
}

/** A policy routing rule to add or delete (`ip rule`). `from`/`to` are CIDR prefixes. */
export interface RuleSpec {
  priority?: number
  table?: number | string
  from?: string
  to?: string
  fwmark?: number
  fwmask?: number
  iif?: string
  oif?: string
  tos?: number
  suppressPrefixLength?: number
  uidRange?: { start: number; end: number }
  /** `'to_tbl'` (default with a table), `'goto'`, `'nop'`, `'blackhole'`, `'unreachable'`, `'prohibit'`. */
  action?: 'to_tbl' | 'goto' | 'nop' | 'blackhole' | 'unreachable' | 'prohibit'
  goto?: number
  protocol?: string | number
  /** 4 or 6; taken from `from`/`to` when they are given (default 4). */
  family?: 4 | 6
}

/** Options of {@link addrDel}: a point-to-point address is named with its peer. */
export interface AddrDelOptions extends CallOptions {
  peer?: string
}

/** Options of {@link addrAdd} and {@link addrReplace}. */
export interface AddrOptions extends CallOptions {
  scope?: 'global' | 'site' | 'link' | 'host' | number
  /** IPv4 label, e.g. `eth0:1` (at most 15 characters). */
  label?: string
  /** IPv4 broadcast address, or `'+'` to derive it from the prefix. */
  broadcast?: string
  /** Peer address of a point-to-point link. */
  peer?: string
  /** Seconds, or `'forever'`. */
  validLifetime?: number | 'forever'
  preferredLifetime?: number | 'forever'
  /** Do not create the prefix route for this address. */
  noPrefixRoute?: boolean
  /** IPv6: skip duplicate address detection. */
  nodad?: boolean
}

/** A route to add, replace or delete (`ip route` names). */
export interface RouteSpec {
  /** `'default'`, a CIDR prefix, or an address (host route). */
  dst: string
  /** Needed only for a `'default'` route without a gateway (default 4). */
  family?: 4 | 6
  gateway?: string
  dev?: LinkRef
  /** Preferred source address (`ip route ... src`). */
  src?: string
  /** Table id or `'main'` / `'local'` / `'default'` (default: main). */
  table?: number | string
  metric?: number
  scope?: string | number
  protocol?: string | number
  type?: string | number
  /** ECMP: several paths instead of one `gateway`/`dev`. */
  nexthops?: NexthopSpec[]
  /** Route metrics (`ip route ... mtu 1400 advmss 1360`). */
  metrics?: RouteMetrics
  /** The gateway is on-link even if no prefix says so. */
  onlink?: boolean
  /** IPv6 router preference. */
  pref?: 'low' | 'medium' | 'high'
}

/** One path of a multipath route. */
export interface NexthopSpec {
  gateway?: string
  dev?: LinkRef
  /** 1..256 (default 1). */
  weight?: number
  onlink?: boolean
}

/** Route metrics, as `ip route` names them. */
export interface RouteMetrics {
  mtu?: number
  advmss?: number
  window?: number
  rtt?: number
  rttvar?: number
  ssthresh?: number
  cwnd?: number
  reordering?: number
  hoplimit?: number
  initcwnd?: number
  initrwnd?: number
  rtoMin?: number
  quickack?: number
  features?: number
  lock?: number
  fastopenNoCookie?: number
}

export interface RouteFilter {
  family?: 4 | 6
  /** Table id or name; `'all'` for every table (default: main). */
  table?: number | string
  dev?: LinkRef
}

export interface AddrFilter {
  link?: LinkRef
  family?: 4 | 6
}

export interface RouteGetOptions extends CallOptions {
  from?: string
  iif?: LinkRef
  oif?: LinkRef
  mark?: number
}

export interface DefaultRouteOptions extends CallOptions {
  dev?: LinkRef
  metric?: number
  table?: number | string
}

export interface DelDefaultRouteOptions extends CallOptions {
  family?: 4 | 6
  dev?: LinkRef
  table?: number | string
}

/** Options of {@link linkAddVeth}. */
export interface VethOptions extends CallOptions {}

/** Changes {@link linkSet} can make (and top-level settings of {@link linkAdd}). */
export interface LinkChanges {
  /** New name. */
  name?: string
  mtu?: number
  /** MAC address, `'aa:bb:cc:dd:ee:ff'`. */
  address?: string
  broadcast?: string
  up?: boolean
  /** Enslave to this bridge/bond; `null` releases. */
  master?: LinkRef | null
  nomaster?: true
  txqlen?: number
  alias?: string
  group?: number
  /** Move into this network namespace. */
  netns?: NetnsRef
}

/**
 * A link to create: `kind` and `name`, top-level settings (as in {@link LinkChanges}, plus the
 * parent `link`), and the kind's own settings, flat (`mode: 'bridge'`, `id: 42`) or in `linkinfo`.
 */
export interface LinkAddSpec extends Omit<LinkChanges, 'name' | 'nomaster' | 'group'> {
  /** The link group (a number), or for vxlan the multicast group address (a string). */
  group?: number | string
  kind: string
  name: string
  /** Parent link (macvlan, vlan, ipvlan: `ip link add link eth0 ...`). */
  link?: LinkRef
  /** veth: the other end. */
  peer?: { name: string; netns?: NetnsRef; address?: string; mtu?: number }
  linkinfo?: Record<string, unknown>
  [setting: string]: unknown
}

/** Keys of a LinkAddSpec that are not kind settings (including read-only fields of Link, so a
 * Link read back can be passed to linkAdd). */
const LINK_TOP_KEYS = new Set([
  'kind', 'name', 'link', 'mtu', 'address', 'broadcast', 'txqlen', 'master', 'alias', 'group', 'up', 'netns',
  'linkinfo', 'index', 'flags', 'operstate', 'minMtu', 'maxMtu', 'linkType', 'permAddress', 'masterIndex',
  'linkIndex', 'linkNetnsid', 'qdisc', 'carrier', 'altNames', 'stats', 'slaveKind',
])
const LINK_SET_KEYS = new Set(['name', 'mtu', 'address', 'broadcast', 'up', 'master', 'nomaster', 'txqlen', 'alias', 'group', 'netns'])
/** Kind settings that name a link (resolved to an index before sending). */
const LINK_REF_SETTINGS = ['dev']

function checkMac(v: unknown, name: string): string {
  if (typeof v !== 'string' || !/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2})*$/.test(v)) throw new TypeError(`${name} must be a MAC address like "02:00:00:00:00:01", got ${describe(v)}`)
  return v.toLowerCase()
}

function vethPeer(p: unknown): Record<string, unknown> {
  if (typeof p !== 'object' || p === null) throw new TypeError('peer must be an object like { name: "veth1" }')
  const q = p as Record<string, unknown>
  const out: Record<string, unknown> = { name: checkLinkName(q.name, 'peer.name') }
  if (q.netns !== undefined) {
    const ns = netnsSpec(q.netns as NetnsRef, 'peer.netns')
    out.netns = ns.name ?? ns.path ?? ns.pid
    if (ns.fd !== undefined) throw new TypeError('peer.netns must be a name, path or pid')
  }
  if (q.address !== undefined) out.address = checkMac(q.address, 'peer.address')
  if (q.mtu !== undefined) out.mtu = checkInt(q.mtu, 'peer.mtu', 68, MAX_U32)
  return out
}

// ---------------------------------------------------------------------------------------------
// Errors

const errnoNames: Map<number, string> = new Map(
  Object.entries(osConstants.errno).map(([name, n]) => [n as number, name]),
)

/** A failed netlink operation. `code` is the errno name (`'EEXIST'`), `errno` its number. */
export class NetlinkError extends Error {
  /** `'EEXIST'`, `'ENODEV'`, `'ETIMEDOUT'`, ... */
  readonly code: string
  /** The positive errno. */
  readonly errno: number
  /** The operation, e.g. `'addrAdd'`. */
  readonly op: string
  /** The kernel's own explanation (extended ACK), when it gave one. */
  readonly extack?: string
  /** Byte offset of the offending attribute in the request, when the kernel gave one. */
  readonly offset?: number

  /** @internal */
  constructor(op: string, subject: string, e: NativeError) {
    const code = errnoNames.get(e.errno) ?? `E${e.errno}`
    let text = e.kind === 'timeout' ? 'timed out' : e.text
    let msg = `${op}${subject ? ' ' + subject : ''}: ${text} (${code})`
    if (e.detail) msg += `: ${e.detail}`
    if (code === 'EPERM' || code === 'EACCES') {
      msg += ' (changing network configuration needs CAP_NET_ADMIN: run as root or grant the capability)'
    }
    super(msg)
    this.name = 'NetlinkError'
    this.code = code
    this.errno = e.errno
    this.op = op
    if (e.kind === 'kernel' && e.detail) this.extack = e.detail
    if (e.offset !== undefined) this.offset = e.offset
  }
}


interface NativeError {
  errno: number
  kind: string
  text: string
  detail?: string
  offset?: number
}

function abortError(signal: AbortSignal): Error {
  if (signal.reason instanceof Error) return signal.reason
  const e = new Error('The operation was aborted')
  e.name = 'AbortError'
  return e
}

// ---------------------------------------------------------------------------------------------
// Argument validation (throws before anything is sent)

const MAX_U32 = 0xffffffff

function checkInt(v: unknown, name: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new TypeError(`${name} must be an integer, got ${describe(v)}`)
  }
  if (v < min || v > max) throw new RangeError(`${name} must be between ${min} and ${max}, got ${v}`)
  return v
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v)
  if (typeof v === 'object' && v !== null) {
    try {
      return JSON.stringify(v)
    } catch {
      return String(v)
    }
  }
  return String(v)
}

function checkLinkName(v: unknown, name = 'link'): string {
  if (typeof v !== 'string') throw new TypeError(`${name} must be a string, got ${describe(v)}`)
  if (v.length === 0) throw new RangeError(`${name} must not be empty`)
  if (Buffer.byteLength(v) > 15) throw new RangeError(`${name} ${describe(v)} is longer than 15 bytes`)
  if (v === '.' || v === '..' || /[\s/:]/.test(v)) throw new RangeError(`${name} ${describe(v)} is not a valid interface name`)
  return v
}

function checkLinkRef(v: unknown, name = 'link'): LinkRef {
  if (typeof v === 'number') return checkInt(v, `${name} index`, 1, 0x7fffffff)
  if (typeof v === 'string') return checkLinkName(v, name)
  throw new TypeError(`${name} must be a name or an index, got ${describe(v)}`)
}

interface Prefix {
  family: 4 | 6
  address: string
  prefixLen: number
}

/**
 * 4 for a dotted-quad IPv4 address (node:net's isIPv4 rules: no leading zeros), 6 for IPv6, else
 * 0. The IPv4 test is a scan, not a regex: it runs on every address of every call.
 */
function ipFamily(s: string): 0 | 4 | 6 {
  const n = s.length
  if (n >= 7 && n <= 15) {
    let parts = 0
    let val = 0
    let digits = 0
    let ok = true
    for (let i = 0; i <= n && ok; i++) {
      const c = i < n ? s.charCodeAt(i) : 46
      if (c === 46) {
        ok = digits > 0 && val <= 255 && ++parts <= 4
        val = 0
        digits = 0
      } else if (c >= 48 && c <= 57) {
        ok = !(digits > 0 && val === 0) && ++digits <= 3
        val = val * 10 + c - 48
      } else ok = false
    }
    if (ok && parts === 4) return 4
  }
  return s.includes(':') && isIPv6(s) ? 6 : 0
}

function checkIp(v: unknown, name: string, family?: 4 | 6): { family: 4 | 6; address: string } {
  if (typeof v !== 'string') throw new TypeError(`${name} must be an IP address string, got ${describe(v)}`)
  const f = ipFamily(v)
  if (f === 0) throw new TypeError(`${name} ${describe(v)} is not an IP address`)
  if (family && f !== family) throw new TypeError(`${name} ${describe(v)} is not an IPv${family} address`)
  return { family: f, address: v }
}

/** Parses `addr/len` (or a bare address, meaning a host prefix). */
function parseCidr(v: unknown, name: string): Prefix {
  if (typeof v !== 'string') throw new TypeError(`${name} must be a CIDR string like "10.0.0.1/24", got ${describe(v)}`)
  const slash = v.indexOf('/')
  const { family, address } = checkIp(slash < 0 ? v : v.slice(0, slash), name)
  const max = family === 4 ? 32 : 128
  if (slash < 0) return { family, address, prefixLen: max }
  // 1 to 3 decimal digits, nothing else.
  let prefixLen = 0
  const end = v.length
  if (end - slash - 1 < 1 || end - slash - 1 > 3) prefixLen = -1
  for (let i = slash + 1; i < end && prefixLen >= 0; i++) {
    const c = v.charCodeAt(i)
    prefixLen = c >= 48 && c <= 57 ? prefixLen * 10 + c - 48 : -1
  }
  if (prefixLen < 0) throw new TypeError(`${name} ${describe(v)} has a malformed prefix length`)
  if (prefixLen > max) throw new RangeError(`${name} ${describe(v)}: prefix length must be at most ${max}`)
  return { family, address, prefixLen }
}

function named(table: Record<string, number>, v: unknown, name: string, max: number): number {
  if (typeof v === 'string') {
    const n = table[v]
    if (n === undefined) throw new RangeError(`${name} ${describe(v)} is not one of ${Object.keys(table).join(', ')}`)
    return n
  }
  return checkInt(v, name, 0, max)
}

const SCOPES = { global: 0, universe: 0, site: 200, link: 253, host: 254, nowhere: 255 }
const TABLES = { unspec: 0, default: 253, main: 254, local: 255 }
const PROTOCOLS = {
  unspec: 0, redirect: 1, kernel: 2, boot: 3, static: 4, gated: 8, ra: 9, mrt: 10, zebra: 11, bird: 12,
  dnrouted: 13, xorp: 14, ntk: 15, dhcp: 16, mrouted: 17, keepalived: 18, babel: 42, openr: 99, bgp: 186,
  isis: 187, ospf: 188, rip: 189, eigrp: 192,
}
const ROUTE_TYPES = {
  unspec: 0, unicast: 1, local: 2, broadcast: 3, anycast: 4, multicast: 5, blackhole: 6, unreachable: 7,
  prohibit: 8, throw: 9, nat: 10, xresolve: 11,
}
const PREFS = { medium: 0, high: 1, low: 3 }
const NUD: Record<string, number> = {
  incomplete: 0x01, reachable: 0x02, stale: 0x04, delay: 0x08, probe: 0x10, failed: 0x20, noarp: 0x40, permanent: 0x80, none: 0,
}
const NTF: Record<string, number> = {
  use: 0x01, self: 0x02, master: 0x04, proxy: 0x08, extern_learn: 0x10, offload: 0x20, sticky: 0x40, router: 0x80,
}
const RULE_ACTIONS = { to_tbl: 1, goto: 2, nop: 3, blackhole: 6, unreachable: 7, prohibit: 8 }

function bits(table: Record<string, number>, v: unknown, name: string): number {
  const list = Array.isArray(v) ? v : [v]
  let out = 0
  for (const x of list) {
    if (typeof x !== 'string' || !(x in table)) throw new RangeError(`${name} ${describe(x)} is not one of ${Object.keys(table).join(', ')}`)
    out |= table[x]
  }
  return out
}

function neighFamily(v: unknown, name: string): number {
  if (v === 4 || v === 6) return v
  if (v === 'bridge') return 7
  throw new RangeError(`${name} must be 4, 6 or 'bridge'`)
}
const METRIC_NAMES = [
  'lock', 'mtu', 'window', 'rtt', 'rttvar', 'ssthresh', 'cwnd', 'advmss', 'reordering', 'hoplimit',
  'initcwnd', 'features', 'rtoMin', 'initrwnd', 'quickack', 'fastopenNoCookie',
]

function checkBool(v: unknown, name: string): boolean {
  if (typeof v !== 'boolean') throw new TypeError(`${name} must be a boolean, got ${describe(v)}`)
  return v
}

function checkMetrics(m: unknown): Record<string, number> {
  if (typeof m !== 'object' || m === null) throw new TypeError('metrics must be an object')
  const out: Record<string, number> = {}
  for (const [k, v] of Object.entries(m)) {
    if (!METRIC_NAMES.includes(k)) throw new RangeError(`unknown metric ${describe(k)}; expected one of ${METRIC_NAMES.join(', ')}`)
    out[k] = checkInt(v, `metrics.${k}`, 0, MAX_U32)
  }
  return out
}

const IFA_F_NODAD = 0x02
const IFA_F_NOPREFIXROUTE = 0x200

function lifetime(v: unknown, name: string): number | undefined {
  if (v === undefined) return undefined
  if (v === 'forever') return MAX_U32
  return checkInt(v, name, 0, MAX_U32)
}

function checkCallOptions(o: CallOptions | undefined): void {
  if (o === undefined) return
  if (typeof o !== 'object' || o === null) throw new TypeError('options must be an object')
  if (o.timeout !== undefined) checkInt(o.timeout, 'timeout', 1, 0x7fffffff)
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) throw new TypeError('signal must be an AbortSignal')
}

/** An IPv4 address label: like an interface name, but `eth0:1` aliases have a colon. */
function checkLabel(v: unknown): string {
  if (typeof v !== 'string') throw new TypeError(`label must be a string, got ${describe(v)}`)
  if (v.length === 0 || Buffer.byteLength(v) > 15 || /[\s/]/.test(v)) throw new RangeError(`label ${describe(v)} must be 1 to 15 bytes without spaces or slashes`)
  return v
}

function broadcastOf(p: Prefix): string {
  const n = p.address.split('.').reduce((a, x) => a * 256 + Number(x), 0)
  const host = p.prefixLen === 32 ? 0 : 2 ** (32 - p.prefixLen) - 1
  const b = (n - (n % (host + 1))) + host
  return [24, 16, 8, 0].map((s) => Math.floor(b / 2 ** s) % 256).join('.')
}

function netnsSpec(v: NetnsRef, name = 'netns'): NetnsSpec {
  if (typeof v === 'string') {
    if (v.length === 0) throw new RangeError(`${name} must not be empty`)
    return v.includes('/') ? { path: v } : { name: checkNetnsName(v, name) }
  }
  if (typeof v === 'number') return { pid: checkInt(v, `${name} pid`, 1, 0x7fffffff) }
  if (typeof v === 'object' && v !== null) {
    if ('name' in v) return { name: checkNetnsName(v.name, name) }
    if ('path' in v && typeof v.path === 'string' && v.path.length > 0) return { path: v.path }
    if ('pid' in v) return { pid: checkInt(v.pid, `${name}.pid`, 1, 0x7fffffff) }
    if ('fd' in v) return { fd: checkInt(v.fd, `${name}.fd`, 0, 0x7fffffff) }
  }
  throw new TypeError(`${name} must be a name, a path, a pid, { pid }, { fd } or { path }, got ${describe(v)}`)
}

function checkNetnsName(v: unknown, name: string): string {
  if (typeof v !== 'string') throw new TypeError(`${name} must be a string, got ${describe(v)}`)
  if (v === '' || v === '.' || v === '..' || v.includes('/') || v.includes('\0') || Buffer.byteLength(v) > 255) {
    throw new RangeError(`${name} ${describe(v)} is not a valid namespace name`)
  }
  return v
}

/** A native handle whose `open()` answered `[envelope|null, null]`: the handle, or a NetlinkError. */
function opened<H extends { close(): unknown }>(op: string, subject: string, handle: H, result: string): H {
  const [err] = JSON.parse(result) as [NativeError | null, null]
  if (!err) return handle
  handle.close()
  throw new NetlinkError(op, subject, err)
}

// ---------------------------------------------------------------------------------------------
// The connection

/**
 * One operation for the binding (crates/nlkit-node/src/ops.rs), sent as JSON: `token`, `op`,
 * `timeout`, the link (`index` or `name`, which the engine resolves on the same socket) and the
 * operation's own fields.
 */
interface Op {
  token: number
  op: string
  timeout?: number
  index?: number
  name?: string
  [field: string]: unknown
}

/** Operation fields for the binding; `op` overrides the native operation name. */
type Fields = { [field: string]: unknown }

interface Pending {
  resolve: (objs: unknown[]) => void
  reject: (e: Error) => void
  op: string
  subject: Subject
  /** Resolve with undefined (an ACK), not the (empty) object list. */
  voidResult?: boolean
  cleanup?: () => void
  /** Parts of a large dump received so far. */
  parts?: unknown[][]
  /** Takes each part of a large dump as it arrives instead (null: start over, the dump restarts). */
  onPart?: (objs: unknown[] | null) => void
}

/** `[token, error, objects, part]`: part 0 = last, 1 = more of this dump follow, 2 = restart. */
type Reply = [number, NativeError | null, unknown[] | null, 0 | 1 | 2]

/** What an error message names after the operation; built only when there is an error. */
type Subject = string | (() => string)

function subjectText(s: Subject): string {
  return typeof s === 'function' ? s() : s
}

/** Operations per native submit; more wait for the next turn of the event loop. */
const FLUSH_SLICE = 2048
/** Back-to-back flushes (ms) before timers and I/O get a turn. */
const FLUSH_BUDGET_MS = 4

/**
 * A netlink connection: one socket and one I/O thread, many requests in flight. An idle
 * connection does not keep the process alive; a pending request does.
 */
export class Netlink {
  #native: NativeConn
  #pending = new Map<number, Pending>()
  #queue: Op[] = []
  #flushScheduled = false
  #nextToken = 1
  #refd = false
  #closed = false
  #netns: NetnsRef | undefined
  /** Calls aborted since the last flush (possibly still in the queue). */
  #abortedQueued = 0
  /** Completion batches from the I/O thread held for the next turn of the event loop. */
  #inbox: string[] = []
  /** When the current run of flushes without an event-loop turn began. */
  #streakStart = 0
  /** A setImmediate marking the event loop's next turn is scheduled. */
  #turnPending = false

  /** Use {@link open}. */
  constructor(opts: OpenOptions = {}) {
    if (typeof opts !== 'object' || opts === null) throw new TypeError('options must be an object')
    if (opts.timeout !== undefined) checkInt(opts.timeout, 'timeout', 1, 0x7fffffff)
    const netns = opts.netns === undefined ? undefined : netnsSpec(opts.netns)
    this.#netns = opts.netns
    const c = new NativeConn((json: string) => this.#onAsyncDone(json))
    this.#native = opened('open', opts.netns === undefined ? '' : `netns ${describe(opts.netns)}`, c, c.open({ timeout: opts.timeout, netns }))
  }

  /**
   * Completions from the I/O thread. Node runs up to a thousand queued threadsafe calls (each with
   * its microtasks: the callers' next requests) without returning to the event loop; past the
   * budget they wait in an inbox that drains on the next turns, so timers and I/O are not starved.
   */
  #onAsyncDone(json: string): void {
    if (this.#inbox.length === 0 && !this.#mustYield()) return this.#onDone(json)
    this.#inbox.push(json)
    if (this.#inbox.length === 1) setImmediate(this.#drainInbox)
  }

  #drainInbox = (): void => {
    const start = performance.now()
    let i = 0
    while (i < this.#inbox.length && (i === 0 || performance.now() - start < FLUSH_BUDGET_MS)) this.#onDone(this.#inbox[i++])
    this.#inbox.splice(0, i)
    if (this.#inbox.length > 0) setImmediate(this.#drainInbox)
  }

  #onDone(json: string): void {
    const replies = JSON.parse(json) as Reply[]
    for (const [token, err, objs, part] of replies) {
      const p = this.#pending.get(token)
      if (!p) continue // aborted or closed meanwhile
      if (part === 1) {
        // A part of a large dump: the engine reads on while this one is parsed.
        if (p.onPart) p.onPart(objs!)
        else if (p.parts) p.parts.push(objs!)
        else p.parts = [objs!]
        continue
      }
      if (part === 2) {
        p.parts = undefined
        p.onPart?.(null)
        continue
      }
      this.#settle(token, p)
      if (err) p.reject(new NetlinkError(p.op, subjectText(p.subject), err))
      else if (p.voidResult) (p.resolve as unknown as (v: undefined) => void)(undefined)
      else p.resolve(p.parts ? ([] as unknown[]).concat(...p.parts, objs!) : objs!)
    }
    this.#updateRef()
  }

  #settle(token: number, p: Pending): void {
    this.#pending.delete(token)
    p.cleanup?.()
  }

  #updateRef(): void {
    const want = this.#pending.size > 0
    if (want === this.#refd || this.#closed) return
    this.#refd = want
    if (want) this.#native.ref()
    else this.#native.unref()
  }

  #token(): number {
    for (;;) {
      const t = this.#nextToken
      this.#nextToken = t >= MAX_U32 ? 1 : t + 1
      if (!this.#pending.has(t)) return t
    }
  }

  /** Queues one operation; everything queued in the same tick is submitted (and sent) together. */
  #call<T = unknown>(
    opName: string, subject: Subject, op: Fields, o?: CallOptions, voidResult = false, onPart?: Pending['onPart'],
  ): Promise<T[]> {
    if (this.#closed) {
      return Promise.reject(new NetlinkError(opName, subjectText(subject), { errno: 125, kind: 'closed', text: 'connection closed' }))
    }
    const signal = o?.signal
    if (signal?.aborted) return Promise.reject(abortError(signal))
    return new Promise<T[]>((resolve, reject) => {
      const token = this.#token()
      const p: Pending = { resolve: resolve as (o: unknown[]) => void, reject, op: opName, subject, voidResult, onPart }
      if (signal) {
        const onAbort = () => {
          if (this.#pending.get(token) !== p) return
          this.#abortedQueued++
          this.#settle(token, p)
          this.#updateRef()
          reject(abortError(signal))
        }
        signal.addEventListener('abort', onAbort, { once: true })
        p.cleanup = () => signal.removeEventListener('abort', onAbort)
      }
      this.#pending.set(token, p)
      // `op` is always a fresh object of ours: fill it in rather than copy it.
      op.op ??= opName
      op.token = token
      if (o?.timeout !== undefined) op.timeout = o.timeout
      this.#queue.push(op as Op)
      if (!this.#flushScheduled) {
        this.#flushScheduled = true
        if (this.#mustYield()) setImmediate(this.#flushNow)
        else queueMicrotask(this.#flushNow)
      }
    })
  }

  /**
   * Replies often settle during the send itself, so a loop of awaited calls could run on
   * microtasks forever and starve timers and I/O. After FLUSH_BUDGET_MS of back-to-back flushes
   * without the event loop turning, the next flush waits for the loop (setImmediate).
   */
  #mustYield(): boolean {
    if (!this.#turnPending) {
      this.#turnPending = true
      this.#streakStart = performance.now()
      setImmediate(this.#loopTurned)
      return false
    }
    return performance.now() - this.#streakStart > FLUSH_BUDGET_MS
  }

  #loopTurned = (): void => {
    this.#turnPending = false
  }

  /**
   * Sends what was queued in this tick as one batch (in slices, so a huge burst does not hold
   * the event loop). Replies the kernel queued during the send come back at once and settle
   * here; the rest arrive through the I/O thread.
   */
  #flushNow = (): void => {
    this.#flushScheduled = false
    if (this.#closed) return
    // Calls aborted before they went out are not sent at all.
    if (this.#abortedQueued > 0) {
      this.#queue = this.#queue.filter((op) => this.#pending.has(op.token))
      this.#abortedQueued = 0
    }
    let ops = this.#queue
    if (ops.length > FLUSH_SLICE) {
      ops = ops.splice(0, FLUSH_SLICE)
      this.#flushScheduled = true
      setImmediate(this.#flushNow)
    } else {
      this.#queue = []
    }
    let now: string | null
    try {
      now = this.#native.submit(JSON.stringify(ops))
    } catch (e) {
      for (const op of ops) {
        const p = this.#pending.get(op.token)
        if (p) {
          this.#settle(op.token, p)
          p.reject(e as Error)
        }
      }
      now = null
    }
    if (now !== null) this.#onDone(now)
    else this.#updateRef()
  }

  /**
   * Resolves a link reference to its index, asking the kernel (on this connection's socket). A
   * failure is reported as the operation it was done for (`opName`).
   */
  async #index(ref: LinkRef, o?: CallOptions, opName = 'linkGet', subject = String(ref)): Promise<number> {
    if (typeof ref === 'number') return ref
    const [l] = await this.#call<Link>(opName, subject, { op: 'linkGet', name: ref }, o)
    if (!l) throw new NetlinkError(opName, subject, { errno: 19, kind: 'kernel', text: 'No such device' })
    return l.index
  }

  /** Interface names by index, for labelling a list (failures reported as `opName`). */
  async #names(opName: string, subject: string, o?: CallOptions): Promise<Map<number, string>> {
    const links = await this.#call<Link>(opName, subject, { op: 'linkList' }, o)
    return new Map(links.map((l) => [l.index, l.name]))
  }

  // ---- links ---------------------------------------------------------------------------------

  /** Every link, like `ip -j link show`. */
  async linkList(o?: CallOptions): Promise<Link[]> {
    checkCallOptions(o)
    const links = await this.#call<Link>('linkList', '', {}, o)
    const byIndex = new Map(links.map((l) => [l.index, l]))
    for (const l of links) nameRelatives(l, byIndex)
    return links
  }

  /** One link by name or index; rejects with `ENODEV` if there is none. */
  async linkGet(ref: LinkRef, o?: CallOptions): Promise<Link> {
    checkLinkRef(ref)
    checkCallOptions(o)
    const [l] = await this.#call<Link>('linkGet', String(ref), refFields(ref), o)
    if (!l) throw new NetlinkError('linkGet', String(ref), { errno: 19, kind: 'kernel', text: 'No such device' })
    const refs = LINK_REF_SETTINGS.map((k) => l.linkinfo?.[k]).filter((v): v is number => typeof v === 'number')
    const others = [l.masterIndex, l.linkIndex, ...refs].filter((i): i is number => i !== undefined && i !== 0 && i !== l.index)
    const got = await Promise.all(others.map((i) => this.#call<Link>('linkGet', String(i), { index: i }, o).catch(() => [] as Link[])))
    nameRelatives(l, new Map([l, ...got.flat()].map((x) => [x.index, x])))
    return l
  }

  /** Sets a link administratively up (`ip link set dev X up`). */
  async linkSetUp(ref: LinkRef, o?: CallOptions): Promise<void> {
    checkLinkRef(ref)
    checkCallOptions(o)
    await this.#call('linkSetUp', String(ref), { ...refFields(ref), up: true }, o)
  }

  /** Sets a link administratively down (`ip link set dev X down`). */
  async linkSetDown(ref: LinkRef, o?: CallOptions): Promise<void> {
    checkLinkRef(ref)
    checkCallOptions(o)
    await this.#call('linkSetDown', String(ref), { ...refFields(ref), op: 'linkSetUp', up: false }, o)
  }

  /** Creates a veth pair (`ip link add NAME type veth peer name PEER`). */
  linkAddVeth(name: string, peer: string, o?: VethOptions): Promise<void> {
    return this.linkAdd({ kind: 'veth', name, peer: { name: peer } }, o)
  }

  /**
   * Creates a link (`ip link add`): `{ kind, name, ...top-level settings, ...kind settings }`.
   * Kind settings may also be given as `linkinfo` (as {@link linkGet} returns them), so a link
   * read back can be created again. The parent is `link` (`ip link add link eth0 ...`).
   */
  async linkAdd(spec: LinkAddSpec, o?: CallOptions): Promise<void> {
    if (typeof spec !== 'object' || spec === null) throw new TypeError('spec must be an object')
    if (typeof spec.kind !== 'string' || spec.kind === '') throw new TypeError('spec.kind must be a link kind like "veth"')
    checkLinkName(spec.name, 'spec.name')
    checkCallOptions(o)
    // A string `group` is a kind setting (vxlan's multicast group), a number the link group; a
    // veth's `link` is its peer (given as `peer`), not a parent.
    const top: LinkAddSpec = { ...spec }
    const info: Record<string, unknown> = { ...(spec.linkinfo ?? {}) }
    if (typeof spec.group === 'string') {
      info.group = spec.group
      delete top.group
    }
    if (spec.kind === 'veth') delete top.link
    const f: Fields = { ifname: spec.name, kind: spec.kind, ...(await this.#linkFields(top as LinkChanges & { link?: LinkRef }, o, "linkAdd", spec.name)) }
    for (const [k, v] of Object.entries(spec)) {
      if (!LINK_TOP_KEYS.has(k) && v !== undefined) info[k] = v
    }
    if (spec.kind === 'veth' && info.peer !== undefined) info.peer = vethPeer(info.peer)
    for (const k of LINK_REF_SETTINGS) {
      if (typeof info[k] === 'string') info[k] = await this.#index(checkLinkName(info[k], `spec.${k}`), o, 'linkAdd', spec.name)
    }
    if (Object.keys(info).length > 0) f.info = info
    await this.#call('linkAdd', spec.name, f, o)
  }

  /** Changes a link (`ip link set`): name, mtu, address, up, master / nomaster, txqlen, alias, group, netns. */
  async linkSet(ref: LinkRef, changes: LinkChanges, o?: CallOptions): Promise<void> {
    checkLinkRef(ref)
    if (typeof changes !== 'object' || changes === null) throw new TypeError('changes must be an object')
    for (const k of Object.keys(changes)) {
      if (!LINK_SET_KEYS.has(k)) throw new RangeError(`unknown link change ${describe(k)}; expected one of ${[...LINK_SET_KEYS].join(', ')}`)
    }
    checkCallOptions(o)
    const f: Fields = { ...refFields(ref), ...(await this.#linkFields(changes, o, 'linkSet', String(ref))) }
    if (changes.name !== undefined) f.newName = checkLinkName(changes.name, 'name')
    if (changes.nomaster) f.master = 0
    await this.#call('linkSet', String(ref), f, o)
  }

  /** The top-level link attributes shared by linkAdd and linkSet, validated and resolved. */
  async #linkFields(c: LinkChanges & { link?: LinkRef }, o: CallOptions | undefined, opName: string, subject: string): Promise<Fields> {
    const f: Fields = {}
    if (c.mtu !== undefined) f.mtu = checkInt(c.mtu, 'mtu', 68, MAX_U32)
    if (c.address !== undefined) f.address = checkMac(c.address, 'address')
    if (c.broadcast !== undefined) f.broadcast = checkMac(c.broadcast, 'broadcast')
    if (c.txqlen !== undefined) f.txqlen = checkInt(c.txqlen, 'txqlen', 0, MAX_U32)
    if (c.alias !== undefined) {
      if (typeof c.alias !== 'string' || Buffer.byteLength(c.alias) > 255) throw new TypeError('alias must be a string of at most 255 bytes')
      f.alias = c.alias
    }
    if (c.group !== undefined) f.group = checkInt(c.group, 'group', 0, MAX_U32)
    if (c.up !== undefined) f.up = checkBool(c.up, 'up')
    if (c.netns !== undefined) f.netns = netnsSpec(c.netns)
    if (c.master !== undefined && c.master !== null) f.master = await this.#index(checkLinkRef(c.master, 'master'), o, opName, subject)
    if (c.master === null) f.master = 0
    if (c.link !== undefined) f.parent = await this.#index(checkLinkRef(c.link, 'link'), o, opName, subject)
    return f
  }

  /** Enslaves a link to a bridge or bond (`ip link set X master Y`); `null` releases it. */
  linkSetMaster(ref: LinkRef, master: LinkRef | null, o?: CallOptions): Promise<void> {
    return this.linkSet(ref, { master }, o)
  }

  linkSetMtu(ref: LinkRef, mtu: number, o?: CallOptions): Promise<void> {
    return this.linkSet(ref, { mtu }, o)
  }

  linkSetName(ref: LinkRef, name: string, o?: CallOptions): Promise<void> {
    return this.linkSet(ref, { name }, o)
  }

  linkSetAddress(ref: LinkRef, address: string, o?: CallOptions): Promise<void> {
    return this.linkSet(ref, { address }, o)
  }

  /** Moves a link into another network namespace (`ip link set X netns NS`). */
  linkSetNetns(ref: LinkRef, netns: NetnsRef, o?: CallOptions): Promise<void> {
    return this.linkSet(ref, { netns }, o)
  }

  /** Deletes a link (`ip link del`). */
  async linkDel(ref: LinkRef, o?: CallOptions): Promise<void> {
    checkLinkRef(ref)
    checkCallOptions(o)
    await this.#call('linkDel', String(ref), refFields(ref), o)
  }

  // ---- addresses -----------------------------------------------------------------------------

  /** Adds an address (`ip addr add CIDR dev LINK`); `EEXIST` if it is already there. */
  addrAdd(ref: LinkRef, cidr: string, o?: AddrOptions): Promise<void> {
    return this.#addr('addrAdd', ref, cidr, o)
  }

  /** Adds an address or updates it in place (`ip addr replace`). */
  addrReplace(ref: LinkRef, cidr: string, o?: AddrOptions): Promise<void> {
    return this.#addr('addrReplace', ref, cidr, o)
  }

  /** Removes an address (`ip addr del`); `EADDRNOTAVAIL` if it is not there. */
  addrDel(ref: LinkRef, cidr: string, o?: AddrDelOptions): Promise<void> {
    return this.#addr('addrDel', ref, cidr, o)
  }

  async #addr(opName: string, ref: LinkRef, cidr: string, o: AddrOptions = {}): Promise<void> {
    checkLinkRef(ref)
    const p = parseCidr(cidr, 'address')
    checkCallOptions(o)
    const f: Fields = { address: p.address, prefixLen: p.prefixLen }
    if (o.scope !== undefined) f.scope = named(SCOPES, o.scope, 'scope', 255)
    if (o.label !== undefined) {
      if (p.family !== 4) throw new TypeError('label applies to IPv4 addresses only')
      f.label = checkLabel(o.label)
    }
    if (o.broadcast !== undefined) {
      if (p.family !== 4) throw new TypeError('broadcast applies to IPv4 addresses only')
      // Like `ip ... brd +`: /31 and /32 have no broadcast address.
      if (o.broadcast !== '+') f.broadcast = checkIp(o.broadcast, 'broadcast', 4).address
      else if (p.prefixLen <= 30) f.broadcast = broadcastOf(p)
    }
    if (o.peer !== undefined) f.peer = checkIp(o.peer, 'peer', p.family).address
    const valid = lifetime(o.validLifetime, 'validLifetime')
    const preferred = lifetime(o.preferredLifetime, 'preferredLifetime')
    if (valid !== undefined && preferred !== undefined && preferred > valid) {
      throw new RangeError('preferredLifetime must not exceed validLifetime')
    }
    f.validLft = valid
    f.preferredLft = preferred
    f.flags = (o.noPrefixRoute ? IFA_F_NOPREFIXROUTE : 0) | (o.nodad ? IFA_F_NODAD : 0)
    await this.#call(opName, `${ref} ${cidr}`, { ...f, ...refFields(ref) }, o)
  }

  /** Addresses, optionally of one link and/or one family (`ip -j addr show`). */
  async addrList(filter: AddrFilter = {}, o?: CallOptions): Promise<Address[]> {
    if (typeof filter !== 'object' || filter === null) throw new TypeError('filter must be an object')
    if (filter.link !== undefined) checkLinkRef(filter.link, 'filter.link')
    if (filter.family !== undefined && filter.family !== 4 && filter.family !== 6) throw new RangeError('filter.family must be 4 or 6')
    checkCallOptions(o)
    const link = filter.link === undefined ? {} : refFields(filter.link)
    const [addrs, names] = await Promise.all([
      this.#call<Address>('addrList', filter.link === undefined ? '' : String(filter.link), { ...link, family: filter.family }, o),
      this.#names('addrList', filter.link === undefined ? '' : String(filter.link), o),
    ])
    for (const a of addrs) {
      const n = names.get(a.index)
      if (n !== undefined) a.link = n
    }
    return addrs
  }

  // ---- routes --------------------------------------------------------------------------------

  /** Adds a route (`ip route add`); `EEXIST` if it exists. */
  routeAdd(route: RouteSpec, o?: CallOptions): Promise<void> {
    return this.#route('routeAdd', route, o)
  }

  /** Adds or replaces a route (`ip route replace`). */
  routeReplace(route: RouteSpec, o?: CallOptions): Promise<void> {
    return this.#route('routeReplace', route, o)
  }

  /** Deletes a route (`ip route del`); `ESRCH` if there is none. */
  routeDel(route: RouteSpec, o?: CallOptions): Promise<void> {
    return this.#route('routeDel', route, o)
  }

  /** Validates synchronously and sends; only multipath routes need link lookups first. */
  #route(opName: string, r: RouteSpec, o?: CallOptions): Promise<void> {
    let f: Fields
    try {
      f = routeFields(r, o)
    } catch (e) {
      return Promise.reject(e)
    }
    const subject = () => [r.dst, r.gateway && `via ${r.gateway}`, r.dev !== undefined && `dev ${r.dev}`].filter(Boolean).join(' ')
    if (r.nexthops === undefined) return this.#call(opName, subject, f, o, true) as Promise<never>
    return this.#routeMultipath(opName, subject, r.nexthops, f, o)
  }

  async #routeMultipath(opName: string, subject: () => string, nexthops: NexthopSpec[], f: Fields, o?: CallOptions): Promise<void> {
    const family = f.family as 4 | 6 | undefined
    f.nexthops = await Promise.all(
      nexthops.map(async (nh, i) => {
        if (typeof nh !== 'object' || nh === null) throw new TypeError(`nexthops[${i}] must be an object`)
        const out: Fields = {}
        if (nh.gateway !== undefined) out.gateway = checkIp(nh.gateway, `nexthops[${i}].gateway`, family).address
        if (nh.weight !== undefined) out.weight = checkInt(nh.weight, `nexthops[${i}].weight`, 1, 256)
        if (nh.onlink !== undefined) out.onlink = checkBool(nh.onlink, `nexthops[${i}].onlink`)
        if (nh.dev !== undefined) out.oif = await this.#index(checkLinkRef(nh.dev, `nexthops[${i}].dev`), o, opName, String(nh.dev))
        return out
      }),
    )
    if (family === undefined) {
      const g = (f.nexthops as Fields[]).find((n) => n.gateway !== undefined)
      if (g) f.family = ipFamily(g.gateway as string) === 4 ? 4 : 6
    }
    await this.#call(opName, subject, f, o, true)
  }

  /** Adds a route even if one to the same destination exists (`ip route append`, e.g. a second path). */
  routeAppend(route: RouteSpec, o?: CallOptions): Promise<void> {
    return this.#route('routeAppend', route, o)
  }

  /** Routes of the main table (or `filter.table`, `'all'` for every table), IPv4 and IPv6 unless `filter.family`. */
  async routeList(filter: RouteFilter = {}, o?: CallOptions): Promise<Route[]> {
    if (typeof filter !== 'object' || filter === null) throw new TypeError('filter must be an object')
    if (filter.family !== undefined && filter.family !== 4 && filter.family !== 6) throw new RangeError('filter.family must be 4 or 6')
    if (filter.dev !== undefined) checkLinkRef(filter.dev, 'filter.dev')
    checkCallOptions(o)
    const table = filter.table === 'all' ? undefined : named(TABLES, filter.table ?? 'main', 'filter.table', MAX_U32)
    const dev = filter.dev === undefined ? {} : refFields(filter.dev)
    const subject = filter.dev === undefined ? '' : `dev ${filter.dev}`
    // Routes are built part by part as the dump arrives (once the link names are known), in
    // parallel with the engine reading the rest: a million routes never exist twice at once.
    const out: Route[] = []
    let names: Map<number, string> | undefined
    const early: unknown[][] = []
    const onPart = (w: unknown[] | null): void => {
      if (w === null) out.length = early.length = 0
      else if (names) appendRoutes(out, w, names)
      else early.push(w)
    }
    const [last] = await Promise.all([
      this.#call<unknown>('routeList', subject, { ...dev, family: filter.family, table }, o, false, onPart),
      this.#names('routeList', subject, o).then((m) => {
        names = m
        for (const w of early) appendRoutes(out, w, m)
        early.length = 0
      }),
    ])
    appendRoutes(out, last, names!)
    return out
  }

  /**
   * Like {@link routeList}, as an async iterator of batches read at the consumer's pace: for very
   * large tables (a million routes in flat memory).
   */
  async routeListStream(filter: RouteFilter = {}, o?: CallOptions): Promise<RouteStream> {
    if (typeof filter !== 'object' || filter === null) throw new TypeError('filter must be an object')
    if (filter.family !== undefined && filter.family !== 4 && filter.family !== 6) throw new RangeError('filter.family must be 4 or 6')
    checkCallOptions(o)
    const table = filter.table === 'all' ? undefined : named(TABLES, filter.table ?? 'main', 'filter.table', MAX_U32)
    const index = filter.dev === undefined ? undefined : await this.#index(checkLinkRef(filter.dev, 'filter.dev'), o, 'routeListStream', String(filter.dev))
    const netns = this.#netns === undefined ? undefined : netnsSpec(this.#netns)
    return new RouteStream({ op: 'routeList', family: filter.family, table, index }, netns, this.#names('routeListStream', '', o))
  }

  /** The route the kernel would use for `destination` (`ip route get`). */
  async routeGet(destination: string, o: RouteGetOptions = {}): Promise<Route> {
    const d = checkIp(destination, 'destination')
    checkCallOptions(o)
    const f: Fields = { dst: d.address }
    if (o.from !== undefined) f.src = checkIp(o.from, 'from', d.family).address
    if (o.mark !== undefined) f.mark = checkInt(o.mark, 'mark', 0, MAX_U32)
    if (o.iif !== undefined) f.iif = await this.#index(checkLinkRef(o.iif, 'iif'), o, 'routeGet', destination)
    if (o.oif !== undefined) f.oif = await this.#index(checkLinkRef(o.oif, 'oif'), o, 'routeGet', destination)
    const [routes, names] = await Promise.all([this.#call<unknown>('routeGet', destination, f, o), this.#names('routeGet', destination, o)])
    const [r] = appendRoutes([], routes, names)
    if (!r) throw new NetlinkError('routeGet', destination, { errno: 113, kind: 'kernel', text: 'No route to host' })
    return r
  }

  /** Adds a default route via `gateway` (`ip route add default via GW`); IPv4 or IPv6 by the gateway. */
  routeAddDefault(gateway: string, o: DefaultRouteOptions = {}): Promise<void> {
    const { dev, metric, table, ...call } = o
    return this.routeAdd({ dst: 'default', gateway, dev, metric, table }, call)
  }

  /** Deletes the default route (`ip route del default`), IPv4 unless `family: 6`. */
  async routeDelDefault(o: DelDefaultRouteOptions = {}): Promise<void> {
    const { dev, table, family = 4, ...call } = o
    if (family !== 4 && family !== 6) throw new RangeError('family must be 4 or 6')
    const spec: RouteSpec = { dst: 'default', family, dev, table }
    return this.routeDel(spec, call)
  }

  // ---- neighbours ------------------------------------------------------------------------------

  /** Neighbour entries (`ip -j neigh show`, and FDB entries with `family: 'bridge'`). */
  async neighList(filter: NeighFilter = {}, o?: CallOptions): Promise<Neighbour[]> {
    if (typeof filter !== 'object' || filter === null) throw new TypeError('filter must be an object')
    const f: Fields = {}
    if (filter.family !== undefined) f.family = neighFamily(filter.family, 'filter.family')
    if (filter.dev !== undefined) Object.assign(f, refFields(checkLinkRef(filter.dev, 'filter.dev')))
    checkCallOptions(o)
    const subject = filter.dev === undefined ? '' : String(filter.dev)
    const [list, names] = await Promise.all([this.#call<Neighbour>('neighList', subject, f, o), this.#names('neighList', subject, o)])
    for (const n of list) {
      const d = names.get(n.index)
      if (d !== undefined) n.dev = d
      if (n.masterIndex !== undefined) {
        const m = names.get(n.masterIndex)
        if (m !== undefined) n.master = m
      }
    }
    return list
  }

  /** Adds a neighbour entry (`ip neigh add`); `EEXIST` if there is one. */
  neighAdd(spec: NeighSpec, o?: CallOptions): Promise<void> {
    return this.#neigh('neighAdd', spec, o)
  }

  /** Adds or replaces a neighbour entry (`ip neigh replace`). */
  neighReplace(spec: NeighSpec, o?: CallOptions): Promise<void> {
    return this.#neigh('neighReplace', spec, o)
  }

  /** Deletes a neighbour entry (`ip neigh del`). */
  neighDel(spec: NeighSpec, o?: CallOptions): Promise<void> {
    return this.#neigh('neighDel', spec, o)
  }

  async #neigh(opName: string, n: NeighSpec, o?: CallOptions): Promise<void> {
    if (typeof n !== 'object' || n === null) throw new TypeError('neighbour must be an object')
    const f: Fields = { ...refFields(checkLinkRef(n.dev, 'dev')) }
    let family: number | undefined = n.family === undefined ? undefined : neighFamily(n.family, 'family')
    if (n.dst !== undefined) {
      const d = checkIp(n.dst, 'dst', family === 4 || family === 6 ? family : undefined)
      f.dst = d.address
      family ??= d.family
    }
    if (family === undefined) throw new TypeError('dst is required (or family: "bridge" for an FDB entry)')
    if (family !== 7 && n.dst === undefined) throw new TypeError('dst is required for an IPv4/IPv6 neighbour')
    f.family = family
    if (n.lladdr !== undefined) f.lladdr = checkMac(n.lladdr, 'lladdr')
    if (n.state !== undefined) f.state = bits(NUD, n.state, 'state')
    if (n.flags !== undefined) f.flags = bits(NTF, n.flags, 'flags')
    if (n.vlan !== undefined) f.vlan = checkInt(n.vlan, 'vlan', 0, 4095)
    checkCallOptions(o)
    await this.#call(opName, [n.dst ?? n.lladdr, `dev ${n.dev}`].filter(Boolean).join(' '), f, o)
  }

  // ---- rules ---------------------------------------------------------------------------------

  /** Policy routing rules (`ip -j rule show`), IPv4 and IPv6 unless `filter.family`. */
  async ruleList(filter: { family?: 4 | 6 } = {}, o?: CallOptions): Promise<Rule[]> {
    if (typeof filter !== 'object' || filter === null) throw new TypeError('filter must be an object')
    if (filter.family !== undefined && filter.family !== 4 && filter.family !== 6) throw new RangeError('filter.family must be 4 or 6')
    checkCallOptions(o)
    if (filter.family === undefined) {
      const [v4, v6] = await Promise.all([this.#call<Rule>('ruleList', '', { family: 4 }, o), this.#call<Rule>('ruleList', '', { family: 6 }, o)])
      return v4.concat(v6)
    }
    return this.#call<Rule>('ruleList', '', { family: filter.family }, o)
  }

  /** Adds a rule (`ip rule add`). */
  ruleAdd(rule: RuleSpec, o?: CallOptions): Promise<void> {
    return this.#rule('ruleAdd', rule, o)
  }

  /** Deletes the first rule matching every field given (`ip rule del`). */
  ruleDel(rule: RuleSpec, o?: CallOptions): Promise<void> {
    return this.#rule('ruleDel', rule, o)
  }

  async #rule(opName: string, r: RuleSpec, o?: CallOptions): Promise<void> {
    if (typeof r !== 'object' || r === null) throw new TypeError('rule must be an object')
    checkCallOptions(o)
    const f: Fields = {}
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
    const subject = [r.priority !== undefined && `priority ${r.priority}`, r.from && `from ${r.from}`, r.to && `to ${r.to}`, r.table !== undefined && `table ${r.table}`]
      .filter(Boolean)
      .join(' ')
    await this.#call(opName, subject, f, o)
  }

  /** Subscribes to events of this connection's network namespace; see {@link subscribe}. */
  subscribe(groups: EventGroup[], opts: SubscribeOptions = {}): Subscription {
    return new Subscription(groups, { netns: this.#netns, ...opts })
  }

  /** Rejects everything in flight with a "connection closed" error and releases the socket. */
  close(): void {
    if (this.#closed) return
    const pending = [...this.#pending.values()]
    this.#pending.clear()
    this.#queue = []
    this.#updateRef()
    this.#closed = true
    this.#native.close()
    for (const p of pending) {
      p.cleanup?.()
      p.reject(new NetlinkError(p.op, subjectText(p.subject), { errno: 125, kind: 'closed', text: 'connection closed' }))
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close()
  }
}

// ---------------------------------------------------------------------------------------------
// Events

/** Groups to subscribe to: `'addr'`, `'route'` and `'rule'` mean both IPv4 and IPv6. */
export type EventGroup =
  | 'link' | 'addr' | 'route' | 'neigh' | 'rule'
  | 'ipv4-addr' | 'ipv6-addr' | 'ipv4-route' | 'ipv6-route' | 'ipv4-rule' | 'ipv6-rule'

const GROUPS: Record<EventGroup, string[]> = {
  link: ['link'],
  addr: ['ipv4-addr', 'ipv6-addr'],
  route: ['ipv4-route', 'ipv6-route'],
  neigh: ['neigh'],
  rule: ['ipv4-rule', 'ipv6-rule'],
  'ipv4-addr': ['ipv4-addr'],
  'ipv6-addr': ['ipv6-addr'],
  'ipv4-route': ['ipv4-route'],
  'ipv6-route': ['ipv6-route'],
  'ipv4-rule': ['ipv4-rule'],
  'ipv6-rule': ['ipv6-rule'],
}

export interface SubscribeOptions {
  /** First deliver the objects that exist now (marked `existing: true`), then live events; after an overflow, deliver them again. */
  listExisting?: boolean
  /** Aborting ends the subscription (the iterator finishes). */
  signal?: AbortSignal
  /** Socket receive buffer in bytes (default 32 MiB; SO_RCVBUFFORCE as root, else capped by net.core.rmem_max). */
  bufferSize?: number
  /** Watch this network namespace instead of the current one. */
  netns?: NetnsRef
}

interface EventBase {
  action: 'new' | 'del'
  /** Part of a listing of existing objects (listExisting, or the resync after an overflow). */
  existing?: true
}

/** One item of a subscription. */
export type NetlinkEvent =
  | (EventBase & { type: 'link'; link: Link })
  | (EventBase & { type: 'addr'; address: Address })
  | (EventBase & { type: 'route'; route: Route })
  | (EventBase & { type: 'neigh'; neigh: Neighbour })
  | (EventBase & { type: 'rule'; rule: Rule })
  /** The kernel dropped events here (the consumer was too slow). With listExisting, a fresh listing follows. */
  | { type: 'overflow' }

type RawEvent = NetlinkEvent | { type: 'error'; error: NativeError }

const TAKE_BATCH = 1024

/**
 * A live stream of netlink events (`ip monitor`). Iterate it with `for await`; `break`, `close()`,
 * an abort or `Symbol.asyncDispose` end it. While open it keeps the process alive, like a server.
 */
export class Subscription implements AsyncIterableIterator<NetlinkEvent> {
  #native: NativeMonitor | undefined
  #buf: RawEvent[] = []
  #pos = 0
  #waiters: { resolve: (r: IteratorResult<NetlinkEvent>) => void; reject: (e: Error) => void }[] = []
  #failure: Error | undefined
  #onAbort: (() => void) | undefined
  #signal: AbortSignal | undefined

  /** Use {@link subscribe}. @internal */
  constructor(groups: EventGroup[], o: SubscribeOptions = {}) {
    if (!Array.isArray(groups) || groups.length === 0) throw new TypeError('groups must be a non-empty array')
    const kinds = new Set<string>()
    for (const g of groups) {
      const k = GROUPS[g as EventGroup]
      if (!k) throw new RangeError(`unknown group ${describe(g)}; expected one of ${Object.keys(GROUPS).join(', ')}`)
      k.forEach((x) => kinds.add(x))
    }
    if (typeof o !== 'object' || o === null) throw new TypeError('options must be an object')
    if (o.bufferSize !== undefined) checkInt(o.bufferSize, 'bufferSize', 1, 0x7fffffff)
    if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) throw new TypeError('signal must be an AbortSignal')
    const netns = o.netns === undefined ? undefined : netnsSpec(o.netns)
    if (o.signal?.aborted) return // an already-aborted subscription is simply over
    const m = new NativeMonitor(() => this.#drain())
    this.#native = opened('subscribe', groups.join(','), m, m.open({ kinds: [...kinds], listExisting: !!o.listExisting, bufferSize: o.bufferSize, netns }))
    if (o.signal) {
      this.#signal = o.signal
      this.#onAbort = () => this.close()
      o.signal.addEventListener('abort', this.#onAbort, { once: true })
    }
  }

  /** Fills the buffer from the native queue; false when it was empty (a wake-up is then armed). */
  #fill(): boolean {
    if (!this.#native) return false
    const json = this.#native.take(TAKE_BATCH)
    if (json === null) return false
    this.#buf = JSON.parse(json) as RawEvent[]
    this.#pos = 0
    return true
  }

  #drain(): void {
    while (this.#waiters.length > 0 && (this.#pos < this.#buf.length || this.#fill())) {
      this.#deliver(this.#waiters.shift()!)
    }
  }

  #deliver(w: { resolve: (r: IteratorResult<NetlinkEvent>) => void; reject: (e: Error) => void }): void {
    const ev = this.#buf[this.#pos++]
    if (ev.type === 'route') ev.route = routeFromWire(ev.route as unknown as WireRoutes, 0)
    else if (ev.type === 'error') {
      this.#failure = new NetlinkError('subscribe', '', ev.error)
      this.close()
      w.reject(this.#failure)
      return
    }
    w.resolve({ value: ev, done: false })
  }

  next(): Promise<IteratorResult<NetlinkEvent>> {
    return new Promise((resolve, reject) => {
      const w = { resolve, reject }
      if (this.#waiters.length === 0 && (this.#pos < this.#buf.length || this.#fill())) return this.#deliver(w)
      if (!this.#native) return resolve({ value: undefined, done: true })
      this.#waiters.push(w)
    })
  }

  async return(): Promise<IteratorResult<NetlinkEvent>> {
    this.close()
    return { value: undefined, done: true }
  }

  [Symbol.asyncIterator](): this {
    return this
  }

  /** Ends the subscription: pending `next()` calls finish, the socket and thread are released. Idempotent. */
  close(): void {
    const n = this.#native
    if (!n) return
    this.#native = undefined
    this.#buf = []
    this.#pos = 0
    n.close()
    if (this.#onAbort) this.#signal?.removeEventListener('abort', this.#onAbort)
    for (const w of this.#waiters.splice(0)) w.resolve({ value: undefined, done: true })
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close()
  }
}

/**
 * A route listing read at the consumer's pace, in batches: memory stays flat however many routes
 * there are (the kernel's dump waits while the consumer is behind). Use {@link Netlink.routeListStream}.
 */
export class RouteStream implements AsyncIterableIterator<Route[]> {
  #native: NativeMonitor | undefined
  #wake: (() => void) | undefined
  #names: Promise<Map<number, string>>

  /** @internal */
  constructor(op: Fields, netns: NetnsSpec | undefined, names: Promise<Map<number, string>>) {
    this.#names = names
    names.catch(() => {}) // reported by next()
    const m = new NativeMonitor(() => {
      const w = this.#wake
      this.#wake = undefined
      w?.()
    })
    this.#native = opened('routeListStream', '', m, m.open({ kinds: [], listExisting: false, netns, streamOp: JSON.stringify([{ token: 0, ...op }]) }))
    this.#native.unref() // held only while a consumer waits (see next())
  }

  async next(): Promise<IteratorResult<Route[]>> {
    const names = await this.#names
    for (;;) {
      const n = this.#native
      if (!n) return { value: undefined, done: true }
      const json = n.take(TAKE_BATCH)
      if (json === null) {
        n.ref()
        await new Promise<void>((resolve) => (this.#wake = resolve))
        this.#native?.unref()
        continue
      }
      const routes: Route[] = []
      for (const ev of JSON.parse(json) as (RawEvent | { type: 'end' })[]) {
        if (ev.type === 'route') routes.push(routeFromWire(ev.route as unknown as WireRoutes, 0, names))
        else if (ev.type === 'end') this.close()
        else if (ev.type === 'error') {
          this.close()
          throw new NetlinkError('routeListStream', '', ev.error)
        }
      }
      if (routes.length > 0) return { value: routes, done: false }
    }
  }

  async return(): Promise<IteratorResult<Route[]>> {
    this.close()
    return { value: undefined, done: true }
  }

  [Symbol.asyncIterator](): this {
    return this
  }

  /** Stops the listing and releases its socket and thread. Idempotent. */
  close(): void {
    const n = this.#native
    this.#native = undefined
    n?.close()
    const w = this.#wake
    this.#wake = undefined
    w?.()
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close()
  }
}

/** Subscribes to events of the current network namespace (`ip monitor`). */
export function subscribe(groups: EventGroup[], opts?: SubscribeOptions): Subscription {
  return new Subscription(groups, opts)
}

/** A route spec's fields for the binding, validated (throws TypeError/RangeError). */
function routeFields(r: RouteSpec, o?: CallOptions): Fields {
  if (typeof r !== 'object' || r === null) throw new TypeError('route must be an object')
  checkCallOptions(o)
  const f: Fields = {}
  let family: 4 | 6 | undefined
  if (r.dst === 'default') {
    f.dstLen = 0
  } else {
    const p = parseCidr(r.dst, 'dst')
    f.dst = p.address
    f.dstLen = p.prefixLen
    family = p.family
  }
  if (r.gateway !== undefined) {
    const g = checkIp(r.gateway, 'gateway', family)
    f.gateway = g.address
    family = g.family
  }
  if (r.src !== undefined) f.prefsrc = checkIp(r.src, 'src', family).address
  if (r.family !== undefined) {
    if (r.family !== 4 && r.family !== 6) throw new RangeError('family must be 4 or 6')
    if (family !== undefined && family !== r.family) throw new TypeError(`family ${r.family} does not match the addresses given`)
    family = r.family
  }
  if (family !== undefined) f.family = family
  if (r.table !== undefined) f.table = named(TABLES, r.table, 'table', MAX_U32)
  if (r.metric !== undefined) f.metric = checkInt(r.metric, 'metric', 0, MAX_U32)
  if (r.scope !== undefined) f.scope = named(SCOPES, r.scope, 'scope', 255)
  if (r.protocol !== undefined) f.protocol = named(PROTOCOLS, r.protocol, 'protocol', 255)
  if (r.type !== undefined) f.routeType = named(ROUTE_TYPES, r.type, 'type', 255)
  if (r.dev !== undefined) {
    const ref = checkLinkRef(r.dev, 'dev')
    if (typeof ref === 'number') f.index = ref
    else f.name = ref
  }
  if (r.onlink !== undefined) f.onlink = checkBool(r.onlink, 'onlink')
  if (r.pref !== undefined) f.pref = named(PREFS, r.pref, 'pref', 3)
  if (r.metrics !== undefined) f.metrics = checkMetrics(r.metrics)
  if (r.nexthops !== undefined) {
    if (!Array.isArray(r.nexthops) || r.nexthops.length === 0) throw new TypeError('nexthops must be a non-empty array')
    if (r.gateway !== undefined || r.dev !== undefined) throw new TypeError('give either nexthops or gateway/dev, not both')
  }
  return f
}

function refFields(ref: LinkRef): Fields {
  return typeof ref === 'number' ? { index: ref } : { name: ref }
}

/** Fills in the names of the links `l` refers to, and ip's M-DOWN flag. */
function nameRelatives(l: Link, byIndex: Map<number, Link>): void {
  const info = l.linkinfo
  for (const k of LINK_REF_SETTINGS) {
    if (info && typeof info[k] === 'number') {
      const n = byIndex.get(info[k] as number)
      if (n !== undefined) info[k] = n.name
    }
  }
  if (l.masterIndex !== undefined) {
    const m = byIndex.get(l.masterIndex)
    if (m !== undefined) l.master = m.name
  }
  if (l.linkIndex !== undefined && l.linkIndex !== 0) {
    const p = byIndex.get(l.linkIndex)
    if (p !== undefined && l.linkNetnsid === undefined) l.link = p.name
    // As ip: the parent/peer in this namespace is not up.
    if (l.linkNetnsid === undefined && !p?.up) l.flags.push('M-DOWN')
    // A veth's peer is its kind setting too, so linkGet output can be given back to linkAdd.
    if (l.kind === 'veth' && p !== undefined && l.linkNetnsid === undefined) l.linkinfo = { ...l.linkinfo, peer: { name: p.name } }
  }
}

/**
 * Routes as the binding sends them (see json.rs `route`): flat, 11 values per route — family, dst,
 * dstLen, table, protocol, scope, type, flags, oif, dev, extra (the rarer fields, or null).
 */
type WireRoutes = unknown[]
const WIRE_ROUTE_LEN = 11

const PROTOCOL_NAMES = reverse(PROTOCOLS)
const SCOPE_NAMES = reverse(SCOPES)
const ROUTE_TYPE_NAMES = reverse(ROUTE_TYPES)
const RTNH_FLAG_NAMES = ['dead', 'pervasive', 'onlink', 'offload', 'linkdown', 'unresolved', 'trap']

function reverse(table: Record<string, number>): string[] {
  const out: string[] = []
  for (const [k, v] of Object.entries(table)) out[v] ??= k
  return out
}

function nameOf(names: string[], v: number): string {
  return names[v] ?? String(v)
}

function flagNames(bits: number): string[] {
  const out: string[] = []
  for (let i = 0; bits !== 0 && i < RTNH_FLAG_NAMES.length; i++, bits >>>= 1) if (bits & 1) out.push(RTNH_FLAG_NAMES[i])
  return out
}

/** Builds the {@link Route} at `w[i...]` (fields in `ip -j`'s order), naming devices from `names`. */
function routeFromWire(w: WireRoutes, i: number, names?: Map<number, string>): Route {
  const x = w[i + 10] as Partial<Route> | null
  const oif = w[i + 8] as number
  const dev = oif === 0 ? undefined : (names?.get(oif) ?? (w[i + 9] as string | null) ?? undefined)
  const flags = w[i + 7] as number
  if (x === null && dev !== undefined) {
    // The common route, built in one literal: one allocation of the final shape (adding
    // properties one by one reallocates the object's property store several times).
    return {
      family: w[i] as 4 | 6, dst: w[i + 1] as string, dstLen: w[i + 2] as number, dev, oif, table: w[i + 3] as number,
      protocol: nameOf(PROTOCOL_NAMES, w[i + 4] as number), scope: nameOf(SCOPE_NAMES, w[i + 5] as number),
      type: nameOf(ROUTE_TYPE_NAMES, w[i + 6] as number), flags: flags === 0 ? [] : flagNames(flags),
    }
  }
  const r = { family: w[i], dst: w[i + 1], dstLen: w[i + 2] } as Route
  if (x !== null) {
    if (x.src !== undefined) r.src = x.src
    if (x.gateway !== undefined) r.gateway = x.gateway
  }
  if (oif !== 0) {
    if (dev !== undefined) r.dev = dev
    r.oif = oif
  }
  if (x?.iif !== undefined) r.iif = x.iif
  r.table = w[i + 3] as number
  r.protocol = nameOf(PROTOCOL_NAMES, w[i + 4] as number)
  r.scope = nameOf(SCOPE_NAMES, w[i + 5] as number)
  r.type = nameOf(ROUTE_TYPE_NAMES, w[i + 6] as number)
  if (x !== null) {
    if (x.metric !== undefined) r.metric = x.metric
    if (x.prefsrc !== undefined) r.prefsrc = x.prefsrc
    if (x.mark !== undefined) r.mark = x.mark
    if (x.tos !== undefined) r.tos = x.tos
  }
  r.flags = flags === 0 ? [] : flagNames(flags)
  if (x !== null) {
    if (x.pref !== undefined) r.pref = x.pref
    if (x.nexthops !== undefined) {
      if (names) {
        for (const nh of x.nexthops) {
          const n = names.get(nh.oif)
          if (n !== undefined) nh.dev = n
        }
      }
      r.nexthops = x.nexthops
    }
    if (x.metrics !== undefined) r.metrics = x.metrics
  }
  return r
}

function appendRoutes(out: Route[], w: WireRoutes, names: Map<number, string>): Route[] {
  for (let i = 0; i + WIRE_ROUTE_LEN <= w.length; i += WIRE_ROUTE_LEN) out.push(routeFromWire(w, i, names))
  return out
}

/** Opens a connection, in the current network namespace or in `opts.netns`. */
export function open(opts?: OpenOptions): Netlink {
  return new Netlink(opts)
}

// ---------------------------------------------------------------------------------------------
// Named network namespaces (interoperable with `ip netns`)

function netnsOp(op: 'create' | 'delete' | 'list', fn: string, name?: string): unknown {
  const [err, result] = JSON.parse(netnsCall(op, name)) as [NativeError | null, unknown]
  if (err) throw new NetlinkError(fn, name ?? '', err)
  return result
}

/** Creates a named network namespace (`ip netns add NAME`); `EEXIST` if it exists. */
export async function netnsCreate(name: string): Promise<void> {
  netnsOp('create', 'netnsCreate', checkNetnsName(name, 'name'))
}

/** Deletes a named network namespace (`ip netns delete NAME`); `ENOENT` if there is none. */
export async function netnsDelete(name: string): Promise<void> {
  netnsOp('delete', 'netnsDelete', checkNetnsName(name, 'name'))
}

/** Named network namespaces (`ip netns list`), sorted. */
export async function netnsList(): Promise<string[]> {
  return netnsOp('list', 'netnsList') as string[]
}

// ---------------------------------------------------------------------------------------------
// Module-level functions on a lazily opened default connection

let defaultConn: Netlink | undefined
function conn(): Netlink {
  return (defaultConn ??= new Netlink())
}

export const linkList = (o?: CallOptions) => conn().linkList(o)
export const linkGet = (ref: LinkRef, o?: CallOptions) => conn().linkGet(ref, o)
export const linkSetUp = (ref: LinkRef, o?: CallOptions) => conn().linkSetUp(ref, o)
export const linkSetDown = (ref: LinkRef, o?: CallOptions) => conn().linkSetDown(ref, o)
export const linkAddVeth = (name: string, peer: string, o?: VethOptions) => conn().linkAddVeth(name, peer, o)
export const linkAdd = (spec: LinkAddSpec, o?: CallOptions) => conn().linkAdd(spec, o)
export const linkSet = (ref: LinkRef, changes: LinkChanges, o?: CallOptions) => conn().linkSet(ref, changes, o)
export const linkSetMaster = (ref: LinkRef, master: LinkRef | null, o?: CallOptions) => conn().linkSetMaster(ref, master, o)
export const linkSetMtu = (ref: LinkRef, mtu: number, o?: CallOptions) => conn().linkSetMtu(ref, mtu, o)
export const linkSetName = (ref: LinkRef, name: string, o?: CallOptions) => conn().linkSetName(ref, name, o)
export const linkSetAddress = (ref: LinkRef, address: string, o?: CallOptions) => conn().linkSetAddress(ref, address, o)
export const linkSetNetns = (ref: LinkRef, netns: NetnsRef, o?: CallOptions) => conn().linkSetNetns(ref, netns, o)
export const linkDel = (ref: LinkRef, o?: CallOptions) => conn().linkDel(ref, o)
export const addrAdd = (ref: LinkRef, cidr: string, o?: AddrOptions) => conn().addrAdd(ref, cidr, o)
export const addrReplace = (ref: LinkRef, cidr: string, o?: AddrOptions) => conn().addrReplace(ref, cidr, o)
export const addrDel = (ref: LinkRef, cidr: string, o?: AddrDelOptions) => conn().addrDel(ref, cidr, o)
export const addrList = (filter?: AddrFilter, o?: CallOptions) => conn().addrList(filter, o)
export const routeAdd = (route: RouteSpec, o?: CallOptions) => conn().routeAdd(route, o)
export const routeReplace = (route: RouteSpec, o?: CallOptions) => conn().routeReplace(route, o)
export const routeDel = (route: RouteSpec, o?: CallOptions) => conn().routeDel(route, o)
export const routeAppend = (route: RouteSpec, o?: CallOptions) => conn().routeAppend(route, o)
export const neighList = (filter?: NeighFilter, o?: CallOptions) => conn().neighList(filter, o)
export const neighAdd = (spec: NeighSpec, o?: CallOptions) => conn().neighAdd(spec, o)
export const neighReplace = (spec: NeighSpec, o?: CallOptions) => conn().neighReplace(spec, o)
export const neighDel = (spec: NeighSpec, o?: CallOptions) => conn().neighDel(spec, o)
export const ruleList = (filter?: { family?: 4 | 6 }, o?: CallOptions) => conn().ruleList(filter, o)
export const ruleAdd = (rule: RuleSpec, o?: CallOptions) => conn().ruleAdd(rule, o)
export const ruleDel = (rule: RuleSpec, o?: CallOptions) => conn().ruleDel(rule, o)
export const routeList = (filter?: RouteFilter, o?: CallOptions) => conn().routeList(filter, o)
export const routeGet = (destination: string, o?: RouteGetOptions) => conn().routeGet(destination, o)
export const routeListStream = (filter?: RouteFilter, o?: CallOptions) => conn().routeListStream(filter, o)
export const routeAddDefault = (gateway: string, o?: DefaultRouteOptions) => conn().routeAddDefault(gateway, o)
export const routeDelDefault = (o?: DelDefaultRouteOptions) => conn().routeDelDefault(o)
