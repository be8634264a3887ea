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
  /** The lowest port (default 0). */
  min?: number
  /** The highest port (default 65535). */
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
  /** Unix sockets. */
  family: 'unix'
  /** Only sockets in these states (default: all). */
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
  /** TCP state number (1 established, 10 listen, ...). */
  state: number
  /** Congestion avoidance state (0 open, 1 disorder, 2 CWR, 3 recovery, 4 loss). */
  caState: number
  /** Retransmissions of the current segment (RTO expiries without progress). */
  retransmits: number
  /** Zero-window or keepalive probes sent without answer. */
  probes: number
  /** Exponential backoff of the retransmission timer. */
  backoff: number
  /** TCPI_OPT_* bits: 1 timestamps, 2 SACK, 4 window scaling, 8 ECN, 16 ECN seen, 32 SYN data. */
  options: number
  /** Window scale the peer applies to our window. */
  sndWscale: number
  /** Window scale we apply to the peer's window. */
  rcvWscale: number
  /** `deliveryRate` was measured while the application sent less than it could. */
  deliveryRateAppLimited: boolean
  /** Why TCP Fast Open failed on this client (0 none). */
  fastopenClientFail: number
  /** Retransmission timeout, µs. */
  rto: number
  /** Delayed-ACK timeout, µs. */
  ato: number
  /** Sending MSS, bytes. */
  sndMss: number
  /** Estimated receiving MSS, bytes. */
  rcvMss: number
  /** Segments sent and not acknowledged (a listener: its accept queue). */
  unacked: number
  /** Segments SACKed (a listener: its backlog limit). */
  sacked: number
  /** Segments thought lost. */
  lost: number
  /** Segments retransmitted and not yet acknowledged. */
  retrans: number
  /** Forward-acknowledged segments (unused by modern kernels). */
  fackets: number
  /** Since the last data was sent, ms. */
  lastDataSent: number
  /** Since the last ACK was sent, ms (not kept by Linux: 0). */
  lastAckSent: number
  /** Since the last data was received, ms. */
  lastDataRecv: number
  /** Since the last ACK was received, ms. */
  lastAckRecv: number
  /** Path MTU, bytes. */
  pmtu: number
  /** Receive slow-start threshold (the window clamp we advertise up to), bytes. */
  rcvSsthresh: number
  /** Smoothed round-trip time, µs (`ss -i` rtt, in ms). */
  rtt: number
  /** Round-trip time variation, µs. */
  rttvar: number
  /** Slow-start threshold, segments. */
  sndSsthresh: number
  /** Congestion window, segments. */
  sndCwnd: number
  /** Advertised MSS, bytes. */
  advmss: number
  /** Reordering degree the sender tolerates, segments. */
  reordering: number
  /** Round-trip time estimated by the receiver, µs. */
  rcvRtt: number
  /** Receive buffer space the receiver auto-tunes towards, bytes. */
  rcvSpace: number
  /** Retransmissions over the connection's life. */
  totalRetrans: number
  /** Pacing rate, bytes/s. */
  pacingRate?: number
  /** SO_MAX_PACING_RATE, bytes/s (about 2^64 when unlimited). */
  maxPacingRate?: number
  /** Bytes acknowledged by the peer (RFC 4898 tcpEStatsAppHCThruOctetsAcked). */
  bytesAcked?: number
  /** Bytes received (RFC 4898 tcpEStatsAppHCThruOctetsReceived). */
  bytesReceived?: number
  /** Segments sent. */
  segsOut?: number
  /** Segments received. */
  segsIn?: number
  /** Bytes queued and not yet sent. */
  notsentBytes?: number
  /** Minimum round-trip time seen, µs. */
  minRtt?: number
  /** Segments received carrying data. */
  dataSegsIn?: number
  /** Segments sent carrying data. */
  dataSegsOut?: number
  /** Most recent delivery rate, bytes/s. */
  deliveryRate?: number
  /** Time busy sending data, µs. */
  busyTime?: number
  /** Time limited by the receive window, µs. */
  rwndLimited?: number
  /** Time limited by the send buffer, µs. */
  sndbufLimited?: number
  /** Segments delivered (including retransmissions). */
  delivered?: number
  /** Segments delivered with an ECN CE mark. */
  deliveredCe?: number
  /** Bytes sent, retransmissions included. */
  bytesSent?: number
  /** Bytes retransmitted. */
  bytesRetrans?: number
  /** Duplicate segments reported by DSACK. */
  dsackDups?: number
  /** Reordering events seen. */
  reordSeen?: number
  /** Out-of-order packets received. */
  rcvOoopack?: number
  /** The peer's receive window, after scaling, bytes. */
  sndWnd?: number
  /** Our receive window as advertised, bytes. */
  rcvWnd?: number
  /** PLB or timeout-triggered rehashes of the flow. */
  rehash?: number
  /** Retransmission timeouts over the connection's life. */
  totalRto?: number
  /** Recoveries from retransmission timeouts. */
  totalRtoRecoveries?: number
  /** Time spent in RTO recoveries, ms. */
  totalRtoTime?: number
}

/**
 * A socket's memory (`struct sk_meminfo`, `ss -m`'s `skmem:(r..,rb..,t..,tb..,f..,w..,o..,bl..,d..)`), bytes.
 *
 * @category Sockets
 */
export interface SocketMemInfo {
  /** Memory of received data queued (`r`). */
  rmemAlloc: number
  /** Receive buffer size, SO_RCVBUF (`rb`). */
  rcvbuf: number
  /** Memory of sent data in flight (`t`). */
  wmemAlloc: number
  /** Send buffer size, SO_SNDBUF (`tb`). */
  sndbuf: number
  /** Memory allocated ahead and not yet used (`f`). */
  fwdAlloc: number
  /** Memory of data queued to send (`w`). */
  wmemQueued: number
  /** Option memory (`o`). */
  optmem: number
  /** Backlog queue (`bl`). */
  backlog: number
  /** Packets dropped before reaching the socket (`d`). */
  drops?: number
}

/**
 * A TCP or UDP socket (`struct inet_diag_msg` and its extensions).
 *
 * @category Sockets
 */
export interface InetSocket {
  /** IP version. */
  family: 4 | 6
  /** The protocol listed. */
  protocol: SocketProtocol
  /** A state number this library has no name for stays a number. */
  state: SocketState | number
  /** Local address. */
  src: string
  /** Local port. */
  sport: number
  /** Remote address (`0.0.0.0` / `::` when unconnected). */
  dst: string
  /** Remote port (0 when unconnected). */
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
  /** Bytes not yet acknowledged (a listener: its backlog limit). */
  wqueue: number
  /** Owner uid. */
  uid: number
  /** The socket's inode (0 for a connection not yet accepted and time-wait sockets), as `/proc/net/tcp` and `ss -e` show it. */
  inode: number
  /** Shutdown bits: 1 receive, 2 send. */
  shutdown?: number
  /** IPv6 sockets: IPV6_V6ONLY. */
  v6only?: boolean
  /** SO_MARK (given to CAP_NET_ADMIN only). */
  mark?: number
  /** The net_cls class id (or the priority), with the `tos` extension. */
  classId?: number
  /** TCP only, with the `info` extension. */
  info?: TcpInfo
  /** With the `meminfo` extension. */
  meminfo?: SocketMemInfo
  /** The congestion control algorithm (`cubic`, `bbr`, ...), with the `congestion` extension. */
  congestion?: string
  /** IPv4 TOS byte, with the `tos` extension. */
  tos?: number
  /** IPv6 traffic class, with the `tos` extension. */
  tclass?: number
  /** The cgroup v2 id, with the `cgroup` extension. */
  cgroupId?: number
}

/**
 * A unix socket (`struct unix_diag_msg` and its attributes).
 *
 * @category Sockets
 */
export interface UnixSocket {
  /** Always `'unix'`. */
  family: 'unix'
  /** A type number this library has no name for stays a number. */
  type: 'stream' | 'dgram' | 'seqpacket' | number
  /** `listen`, `established`, `close` (unconnected), ... */
  state: SocketState | number
  /** The socket's inode (`ss -x`'s Local Address port column). */
  inode: number
  /** The kernel's socket cookie (decimal). */
  cookie: string
  /** The path it is bound to, `@name` for an abstract name; absent when unbound. */
  path?: string
  /** The peer socket's inode (0: none). */
  peer?: number
  /** The bound file's inode and device. */
  vfs?: {
    /** Inode of the bound file. */
    inode: number
    /** Device of the bound file. */
    dev: number
  }
  /** A listener: the inodes of connections waiting to be accepted. */
  pending?: number[]
  /** Bytes (a listener: connections) waiting to be read. */
  rqueue?: number
  /** Bytes not yet read by the peer (a listener: its backlog limit). */
  wqueue?: number
  /** Owner uid. */
  uid?: number
  /** Shutdown bits: 1 receive, 2 send. */
  shutdown?: number
  /** With the `meminfo` extension. */
  meminfo?: SocketMemInfo
}

/**
 * Which netlink or packet sockets to list (all of them: `ss -A netlink`, `ss -0`).
 *
 * @category Sockets
 */
export interface OtherSocketFilter {
  /** Netlink or packet sockets. */
  family: 'netlink' | 'packet'
  /** Only `'meminfo'` applies. */
  ext?: 'meminfo'[]
}

/**
 * A netlink socket (`struct netlink_diag_msg` and its attributes).
 *
 * @category Sockets
 */
export interface NetlinkSocket {
  /** Always `'netlink'`. */
  family: 'netlink'
  /** The netlink protocol (0 route, 4 sock_diag, 16 generic, ...; see `NETLINK`). */
  protocol: number
  /** The socket type (SOCK_RAW 3, SOCK_DGRAM 2). */
  type: number
  /** `established` once connected to a peer, else `close` (as ss shows them). */
  state: 'established' | 'close'
  /** Its port id (0 for the kernel's sockets). */
  portid: number
  /** The port id it is connected to. */
  dstPortid: number
  /** The group it sends to by default. */
  dstGroup: number
  /** The socket's inode (0 for the kernel's). */
  inode: number
  /** The kernel's socket cookie (decimal). */
  cookie: string
  /** The multicast groups it joined. */
  groups?: number[]
  /** Its NDIAG_FLAG_* options by name: `cbRunning`, `pktinfo`, `broadcastError`, `noEnobufs`, `listenAllNsid`, `capAck`. */
  flags?: string[]
  /** With the `meminfo` extension. */
  meminfo?: SocketMemInfo
}

/**
 * A packet socket (`struct packet_diag_msg` and its attributes).
 *
 * @category Sockets
 */
export interface PacketSocket {
  /** Always `'packet'`. */
  family: 'packet'
  /** `raw` (SOCK_RAW, with link headers) or `dgram`; another type stays a number. */
  type: 'raw' | 'dgram' | number
  /** The ethertype it receives (0x0003 ETH_P_ALL, 0x0800 IPv4, ...). */
  protocol: number
  /** The socket's inode. */
  inode: number
  /** The kernel's socket cookie (decimal). */
  cookie: string
  /** The interface index it is bound to (0: all). */
  iface?: number
  /** TPACKET version (0 for TPACKET_V1). */
  version?: number
  /** PACKET_RESERVE bytes. */
  reserve?: number
  /** PACKET_COPY_THRESH bytes. */
  copyThresh?: number
  /** PACKET_TIMESTAMP flags. */
  tstamp?: number
  /** `running`, `auxdata`, `origdev`, `vnethdr`, `loss`. */
  flags?: string[]
  /** PACKET_FANOUT group and mode. */
  fanout?: number
  /** Owner uid. */
  uid?: number
  /** With the `meminfo` extension. */
  meminfo?: SocketMemInfo
}
