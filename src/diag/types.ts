/**
 * The shapes of socket listings (`ss`): filters, sockets, and the extensions' structs, with the
 * names of states, protocols and extensions (their numbers come from the core's tables).
 *
 * @module
 */

import { sockDiagNames } from '../native.js'

/**
 * A socket state, as `ss` names it (unix sockets use the same names: `listen`, `established`,
 * and `close` for an unconnected one, which `ss` shows as UNCONN).
 *
 * @category Sockets
 */
export type SocketState =
  | 'established'
  | 'syn-sent'
  | 'syn-recv'
  | 'fin-wait-1'
  | 'fin-wait-2'
  | 'time-wait'
  | 'close'
  | 'close-wait'
  | 'last-ack'
  | 'listen'
  | 'closing'
  | 'new-syn-recv'
  | 'bound-inactive'

/** The names of {@link SocketState} (checked against the core's table by the tests). */
export const SOCKET_STATE_NAMES: Record<SocketState, true> = {
  established: true,
  'syn-sent': true,
  'syn-recv': true,
  'fin-wait-1': true,
  'fin-wait-2': true,
  'time-wait': true,
  close: true,
  'close-wait': true,
  'last-ack': true,
  listen: true,
  closing: true,
  'new-syn-recv': true,
  'bound-inactive': true,
}

/**
 * An internet socket protocol.
 *
 * @category Sockets
 */
export type SocketProtocol = 'tcp' | 'udp' | 'udplite'

/**
 * Extra information a listing asks the kernel for, per socket: `info` (TCP's `struct tcp_info`,
 * as `ss -i`), `meminfo` (socket memory, as `ss -m`), `congestion` (the congestion control
 * algorithm's name), `tos` (IPv4 TOS / IPv6 traffic class), `cgroup` (the cgroup v2 id).
 *
 * @category Sockets
 */
export type SocketExtension = 'info' | 'meminfo' | 'congestion' | 'tos' | 'cgroup'

/** The core's tables: states by number, the protocols and extensions it knows. */
const T = JSON.parse(sockDiagNames()) as { states: [number, string][]; protocols: [number, string][]; extensions: string[] }
/** @internal */
export const STATE_NUMBERS: Record<string, number> = Object.fromEntries(T.states.map(([v, n]) => [n, v]))
/** @internal */
export const PROTOCOL_NUMBERS: Record<string, number> = Object.fromEntries(T.protocols.map(([v, n]) => [n, v]))
/** @internal */
export const EXTENSION_NAMES: ReadonlySet<string> = new Set(T.extensions)

/**
 * A port range: both ends included, either may be left out.
 *
 * @category Sockets
 */
export interface SocketPortRange {
  min?: number
  max?: number
}

/**
 * Which internet sockets to list (every condition given must hold; the kernel applies them, as
 * `ss` filter expressions do).
 *
 * @category Sockets
 */
export interface InetSocketFilter {
  /** 4 or 6; both when left out (or the family of the `src`/`dst` prefixes, if they share one). */
  family?: 4 | 6
  /** Default `'tcp'`. */
  protocol?: SocketProtocol
  /** Only sockets in these states (default: all). */
  states?: SocketState | SocketState[]
  /** Local address in any of these prefixes (`'10.0.0.0/8'`, `'::1'`). */
  src?: string | string[]
  /** Remote address in any of these prefixes. */
  dst?: string | string[]
  /** Local port: exactly, or in a range. */
  sport?: number | SocketPortRange
  /** Remote port: exactly, or in a range. */
  dport?: number | SocketPortRange
  /** Extensions to ask for (see {@link SocketExtension}). */
  ext?: SocketExtension[]
}

/**
 * Which unix sockets to list.
 *
 * @category Sockets
 */
export interface UnixSocketFilter {
  family: 'unix'
  states?: SocketState | SocketState[]
  /** Only `'meminfo'` applies to unix sockets. */
  ext?: 'meminfo'[]
}

/**
 * TCP's `struct tcp_info` (linux/tcp.h) with the `tcpi_` prefix dropped, in camelCase: times
 * in µs (`rtt`, `rttvar`, `rto`, `ato`, `minRtt`, `rcvRtt`, `busyTime`, `rwndLimited`,
 * `sndbufLimited`) or ms (`lastDataSent`, `lastAckSent`, `lastDataRecv`, `lastAckRecv`, `totalRtoTime`),
 * rates in bytes per second, 64-bit counters as numbers (exact up to 2^53). Fields a kernel's
 * struct is too short for are left out.
 *
 * @category Sockets
 */
export interface TcpInfo {
  state: number
  caState: number
  retransmits: number
  probes: number
  backoff: number
  options: number
  sndWscale: number
  rcvWscale: number
  deliveryRateAppLimited: boolean
  fastopenClientFail: number
  rto: number
  ato: number
  sndMss: number
  rcvMss: number
  unacked: number
  sacked: number
  lost: number
  retrans: number
  fackets: number
  lastDataSent: number
  lastAckSent: number
  lastDataRecv: number
  lastAckRecv: number
  pmtu: number
  rcvSsthresh: number
  rtt: number
  rttvar: number
  sndSsthresh: number
  sndCwnd: number
  advmss: number
  reordering: number
  rcvRtt: number
  rcvSpace: number
  totalRetrans: number
  pacingRate?: number
  maxPacingRate?: number
  bytesAcked?: number
  bytesReceived?: number
  segsOut?: number
  segsIn?: number
  notsentBytes?: number
  minRtt?: number
  dataSegsIn?: number
  dataSegsOut?: number
  deliveryRate?: number
  busyTime?: number
  rwndLimited?: number
  sndbufLimited?: number
  delivered?: number
  deliveredCe?: number
  bytesSent?: number
  bytesRetrans?: number
  dsackDups?: number
  reordSeen?: number
  rcvOoopack?: number
  sndWnd?: number
  rcvWnd?: number
  rehash?: number
  totalRto?: number
  totalRtoRecoveries?: number
  totalRtoTime?: number
}

/**
 * A socket's memory (`struct sk_meminfo`, `ss -m`'s `skmem:(r..,rb..,t..,tb..,f..,w..,o..,bl..,d..)`), bytes.
 *
 * @category Sockets
 */
export interface SocketMemInfo {
  rmemAlloc: number
  rcvbuf: number
  wmemAlloc: number
  sndbuf: number
  fwdAlloc: number
  wmemQueued: number
  optmem: number
  backlog: number
  drops?: number
}

/**
 * A TCP or UDP socket (`struct inet_diag_msg` and its extensions).
 *
 * @category Sockets
 */
export interface InetSocket {
  family: 4 | 6
  protocol: SocketProtocol
  /** A state number this library has no name for stays a number. */
  state: SocketState | number
  src: string
  sport: number
  dst: string
  dport: number
  /** The interface index the socket is bound to, 0 for none. */
  iface: number
  /** The kernel's socket cookie (a 64-bit number, in decimal): with the addresses and ports, what identifies the socket to {@link socketDestroy}. */
  cookie: string
  /** The running timer (`ss -o`): retransmit (`on`), keepalive, timewait, persist (zero window probe). */
  timer: 'off' | 'on' | 'keepalive' | 'timewait' | 'persist' | 'unknown'
  /** Until the timer fires, ms. */
  expires: number
  /** Retransmissions (or keepalive probes) so far. */
  retrans: number
  /** Bytes waiting to be read (a listener: connections waiting to be accepted). */
  rqueue: number
  /** Bytes not yet acknowledged (a listener: its backlog). */
  wqueue: number
  uid: number
  inode: number
  /** Shutdown bits: 1 receive, 2 send. */
  shutdown?: number
  /** IPv6 sockets: IPV6_V6ONLY. */
  v6only?: boolean
  /** SO_MARK (given to CAP_NET_ADMIN only). */
  mark?: number
  classId?: number
  info?: TcpInfo
  meminfo?: SocketMemInfo
  congestion?: string
  tos?: number
  tclass?: number
  cgroupId?: number
}

/**
 * A unix socket (`struct unix_diag_msg` and its attributes).
 *
 * @category Sockets
 */
export interface UnixSocket {
  family: 'unix'
  /** A type number this library has no name for stays a number. */
  type: 'stream' | 'dgram' | 'seqpacket' | number
  state: SocketState | number
  inode: number
  cookie: string
  /** The path it is bound to, `@name` for an abstract name; absent when unbound. */
  path?: string
  /** The peer socket's inode (0: none). */
  peer?: number
  /** The bound file's inode and device. */
  vfs?: { inode: number; dev: number }
  /** A listener: the inodes of connections waiting to be accepted. */
  pending?: number[]
  rqueue?: number
  wqueue?: number
  uid?: number
  shutdown?: number
  meminfo?: SocketMemInfo
}
