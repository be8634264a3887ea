/**
 * The module-level socket diagnostics functions: each is the {@link Netlink} method of the same
 * name, on the default connection (its sock_diag socket opened on the first call).
 *
 * @module
 */

import { conn } from './default.js'
import type { SocketFilter } from './diag/sockets.js'
import type { SocketStream } from './diag/stream.js'
import type {
  InetSocket,
  InetSocketFilter,
  NetlinkSocket,
  OtherSocketFilter,
  PacketSocket,
  UnixSocket,
  UnixSocketFilter,
} from './diag/types.js'
import type { RawEventsOptions } from './raw-events.js'
import type { CallOptions } from './types.js'

/**
 * Lists sockets, like `ss`: internet sockets (TCP by default; `protocol: 'udp'`, ...) of both
 * families unless `family` says which, unix sockets with `{ family: 'unix' }`, netlink and packet sockets with
 * `{ family: 'netlink' }` / `{ family: 'packet' }`. The filter
 * runs in the kernel (as ss's filter expressions do): `states`, `src`/`dst` prefixes (any of
 * a list), `sport`/`dport` (a port or `{ min, max }`). `ext` asks for more per socket:
 * `'info'` (TCP's tcp_info: rtt, cwnd, retransmits, delivery rate, bytes acked...), `'meminfo'`,
 * `'congestion'`, `'tos'`, `'cgroup'`. Bad input is a TypeError/RangeError naming the field,
 * before anything is sent.
 *
 * @example
 * ```ts
 * // ss -tn state established '( dport = :443 )' -i
 * const conns = await socketList({ states: 'established', dport: 443, ext: ['info'] })
 * for (const s of conns) console.log(`${s.src}:${s.sport} -> ${s.dst}:${s.dport} rtt ${s.info?.rtt} us`)
 * const listeners = await socketList({ family: 'unix', states: 'listen' })
 * ```
 *
 * @category Sockets
 */
export function socketList(filter?: InetSocketFilter, o?: CallOptions): Promise<InetSocket[]>
export function socketList(filter: UnixSocketFilter, o?: CallOptions): Promise<UnixSocket[]>
export function socketList(filter: OtherSocketFilter & { family: 'netlink' }, o?: CallOptions): Promise<NetlinkSocket[]>
export function socketList(filter: OtherSocketFilter & { family: 'packet' }, o?: CallOptions): Promise<PacketSocket[]>
export function socketList(filter?: SocketFilter, o?: CallOptions): Promise<unknown[]> {
  return conn().socketList(filter as InetSocketFilter, o)
}

/**
 * The listing of {@link socketList} (the same filter) in batches as the kernel's dump
 * replies arrive, read at the consumer's pace on a socket of its own: memory stays flat
 * however many sockets there are. `break`, `close()` or an aborted `signal` stops it
 * (options: `bufferSize`, `signal`, `netns`, `trace`).
 *
 * @example
 * ```ts
 * let n = 0
 * for await (const batch of await socketListStream({ states: 'established' })) n += batch.length
 * ```
 *
 * @category Sockets
 */
export function socketListStream(filter?: InetSocketFilter, o?: RawEventsOptions): Promise<SocketStream<InetSocket>>
export function socketListStream(filter: UnixSocketFilter, o?: RawEventsOptions): Promise<SocketStream<UnixSocket>>
export function socketListStream(
  filter: OtherSocketFilter & { family: 'netlink' },
  o?: RawEventsOptions,
): Promise<SocketStream<NetlinkSocket>>
export function socketListStream(
  filter: OtherSocketFilter & { family: 'packet' },
  o?: RawEventsOptions,
): Promise<SocketStream<PacketSocket>>
export function socketListStream(filter?: SocketFilter, o?: RawEventsOptions): Promise<SocketStream<unknown>> {
  return conn().socketListStream(filter as InetSocketFilter, o)
}

/**
 * Destroys sockets, like `ss -K`: those a filter matches (listed first, then one SOCK_DESTROY
 * each), or one socket as {@link socketList} gave it. The process owning a socket sees it
 * closed with ECONNABORTED. Resolves the sockets destroyed (one gone meanwhile is left out);
 * an empty filter is refused. Needs CAP_NET_ADMIN and a kernel with CONFIG_INET_DIAG_DESTROY.
 *
 * @example
 * ```ts
 * // ss -K dst 10.0.0.0/8 dport = :5432
 * const killed = await socketDestroy({ dst: '10.0.0.0/8', dport: 5432 })
 * ```
 *
 * @category Sockets
 */
export function socketDestroy(target: InetSocketFilter | InetSocket, o?: CallOptions): Promise<InetSocket[]> {
  return conn().socketDestroy(target, o)
}
