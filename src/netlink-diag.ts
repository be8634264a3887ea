/**
 * {@link Netlink}'s socket diagnostics methods (`ss`): declared on the class by declaration
 * merging and installed on its prototype. They run on the connection's NETLINK_SOCK_DIAG socket,
 * opened in the same namespace on first use (so a Netlink opened with `{ netns }` lists that
 * namespace's sockets).
 *
 * @module
 */

import type { SockDiagConn } from './diag/conn.js'
import * as sockets from './diag/sockets.js'
import { type SocketStream, socketListStream } from './diag/stream.js'
import type {
  InetSocket,
  InetSocketFilter,
  NetlinkSocket,
  OtherSocketFilter,
  PacketSocket,
  UnixSocket,
  UnixSocketFilter,
} from './diag/types.js'
import type { Netlink } from './netlink.js'
import type { RawEventsOptions } from './raw-events.js'
import type { CallOptions } from './types.js'

declare module './netlink.js' {
  interface Netlink {
    /**
     * Lists sockets, like `ss`: internet sockets (TCP by default; `protocol: 'udp'`, ...) of both
     * families unless `family` says which, unix sockets with `{ family: 'unix' }`, netlink and packet sockets with
     * `{ family: 'netlink' }` / `{ family: 'packet' }`. The filter
     * runs in the kernel (as ss's filter expressions do): `states`, `src`/`dst` prefixes (any of
     * a list), `sport`/`dport` (a port or `{ min, max }`). `ext` asks for more per socket:
     * `'info'` (TCP's tcp_info: rtt, cwnd, retransmits, delivery rate, bytes acked...), `'meminfo'`,
     * `'congestion'`, `'tos'`, `'cgroup'`. Bad input is a TypeError/RangeError naming the field,
     * before anything is sent.
     */
    socketList(filter?: InetSocketFilter, o?: CallOptions): Promise<InetSocket[]>
    /**
     * Lists sockets, like `ss`: internet sockets (TCP by default; `protocol: 'udp'`, ...) of both
     * families unless `family` says which, unix sockets with `{ family: 'unix' }`, netlink and packet sockets with
     * `{ family: 'netlink' }` / `{ family: 'packet' }`. The filter
     * runs in the kernel (as ss's filter expressions do): `states`, `src`/`dst` prefixes (any of
     * a list), `sport`/`dport` (a port or `{ min, max }`). `ext` asks for more per socket:
     * `'info'` (TCP's tcp_info: rtt, cwnd, retransmits, delivery rate, bytes acked...), `'meminfo'`,
     * `'congestion'`, `'tos'`, `'cgroup'`. Bad input is a TypeError/RangeError naming the field,
     * before anything is sent.
     */
    socketList(filter: UnixSocketFilter, o?: CallOptions): Promise<UnixSocket[]>
    /**
     * Lists sockets, like `ss`: internet sockets (TCP by default; `protocol: 'udp'`, ...) of both
     * families unless `family` says which, unix sockets with `{ family: 'unix' }`, netlink and packet sockets with
     * `{ family: 'netlink' }` / `{ family: 'packet' }`. The filter
     * runs in the kernel (as ss's filter expressions do): `states`, `src`/`dst` prefixes (any of
     * a list), `sport`/`dport` (a port or `{ min, max }`). `ext` asks for more per socket:
     * `'info'` (TCP's tcp_info: rtt, cwnd, retransmits, delivery rate, bytes acked...), `'meminfo'`,
     * `'congestion'`, `'tos'`, `'cgroup'`. Bad input is a TypeError/RangeError naming the field,
     * before anything is sent.
     */
    socketList(filter: OtherSocketFilter & { family: 'netlink' }, o?: CallOptions): Promise<NetlinkSocket[]>
    /**
     * Lists sockets, like `ss`: internet sockets (TCP by default; `protocol: 'udp'`, ...) of both
     * families unless `family` says which, unix sockets with `{ family: 'unix' }`, netlink and packet sockets with
     * `{ family: 'netlink' }` / `{ family: 'packet' }`. The filter
     * runs in the kernel (as ss's filter expressions do): `states`, `src`/`dst` prefixes (any of
     * a list), `sport`/`dport` (a port or `{ min, max }`). `ext` asks for more per socket:
     * `'info'` (TCP's tcp_info: rtt, cwnd, retransmits, delivery rate, bytes acked...), `'meminfo'`,
     * `'congestion'`, `'tos'`, `'cgroup'`. Bad input is a TypeError/RangeError naming the field,
     * before anything is sent.
     */
    socketList(filter: OtherSocketFilter & { family: 'packet' }, o?: CallOptions): Promise<PacketSocket[]>

    /**
     * The listing of {@link socketList} (the same filter) in batches as the kernel's dump
     * replies arrive, read at the consumer's pace on a socket of its own: memory stays flat
     * however many sockets there are. `break`, `close()` or an aborted `signal` stops it
     * (options: `bufferSize`, `signal`, `netns`, `trace`).
     */
    socketListStream(filter?: InetSocketFilter, o?: RawEventsOptions): Promise<SocketStream<InetSocket>>
    /**
     * The listing of {@link socketList} (the same filter) in batches as the kernel's dump
     * replies arrive, read at the consumer's pace on a socket of its own: memory stays flat
     * however many sockets there are. `break`, `close()` or an aborted `signal` stops it
     * (options: `bufferSize`, `signal`, `netns`, `trace`).
     */
    socketListStream(filter: UnixSocketFilter, o?: RawEventsOptions): Promise<SocketStream<UnixSocket>>
    /**
     * The listing of {@link socketList} (the same filter) in batches as the kernel's dump
     * replies arrive, read at the consumer's pace on a socket of its own: memory stays flat
     * however many sockets there are. `break`, `close()` or an aborted `signal` stops it
     * (options: `bufferSize`, `signal`, `netns`, `trace`).
     */
    socketListStream(filter: OtherSocketFilter & { family: 'netlink' }, o?: RawEventsOptions): Promise<SocketStream<NetlinkSocket>>
    /**
     * The listing of {@link socketList} (the same filter) in batches as the kernel's dump
     * replies arrive, read at the consumer's pace on a socket of its own: memory stays flat
     * however many sockets there are. `break`, `close()` or an aborted `signal` stops it
     * (options: `bufferSize`, `signal`, `netns`, `trace`).
     */
    socketListStream(filter: OtherSocketFilter & { family: 'packet' }, o?: RawEventsOptions): Promise<SocketStream<PacketSocket>>

    /**
     * Destroys sockets, like `ss -K`: those a filter matches (listed first, then one SOCK_DESTROY
     * each), or one socket as {@link socketList} gave it. The process owning a socket sees it
     * closed with ECONNABORTED. Resolves the sockets destroyed (one gone meanwhile is left out);
     * an empty filter is refused. Needs CAP_NET_ADMIN and a kernel with CONFIG_INET_DIAG_DESTROY.
     */
    socketDestroy(target: InetSocketFilter | InetSocket, o?: CallOptions): Promise<InetSocket[]>
  }
}

/** Installs the methods above on Netlink's prototype; `diagOf` opens (once) a connection's sock_diag socket. */
export function installDiag(proto: Netlink, diagOf: (n: Netlink) => SockDiagConn): void {
  Object.assign(proto, {
    socketList(this: Netlink, filter?: sockets.SocketFilter, o?: CallOptions): Promise<unknown[]> {
      return sockets.socketList(diagOf(this), filter as InetSocketFilter, o)
    },
    socketListStream(this: Netlink, filter?: sockets.SocketFilter, o?: RawEventsOptions): Promise<SocketStream<unknown>> {
      return socketListStream(diagOf(this), filter, o)
    },
    socketDestroy(this: Netlink, target: InetSocketFilter | InetSocket, o?: CallOptions): Promise<InetSocket[]> {
      return sockets.socketDestroy(diagOf(this), target, o)
    },
  })
}
