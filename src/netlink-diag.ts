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
import type { InetSocket, InetSocketFilter, UnixSocket, UnixSocketFilter } from './diag/types.js'
import type { Netlink } from './netlink.js'
import type { CallOptions } from './types.js'

declare module './netlink.js' {
  interface Netlink {
    /**
     * Internet sockets (`ss -tan`, `ss -uan`), filtered by the kernel: family, protocol
     * (default TCP), states, local/remote prefixes and ports; `ext` adds tcp_info, memory,
     * congestion control, TOS, cgroup id.
     */
    socketList(filter?: InetSocketFilter, o?: CallOptions): Promise<InetSocket[]>
    /** Unix sockets (`ss -xa`): path, peer, queues, state, type. */
    socketList(filter: UnixSocketFilter, o?: CallOptions): Promise<UnixSocket[]>

    /**
     * Destroys the sockets a filter matches, or one socket as a listing gave it (`ss -K`): their
     * owners see them closed (ECONNABORTED). Resolves the sockets destroyed.
     */
    socketDestroy(target: InetSocketFilter | InetSocket, o?: CallOptions): Promise<InetSocket[]>
  }
}

/** Installs the methods above on Netlink's prototype; `diagOf` opens (once) a connection's sock_diag socket. */
export function installDiag(proto: Netlink, diagOf: (n: Netlink) => SockDiagConn): void {
  Object.assign(proto, {
    socketList(this: Netlink, filter?: InetSocketFilter | UnixSocketFilter, o?: CallOptions): Promise<InetSocket[] | UnixSocket[]> {
      return sockets.socketList(diagOf(this), filter as InetSocketFilter, o)
    },
    socketDestroy(this: Netlink, target: InetSocketFilter | InetSocket, o?: CallOptions): Promise<InetSocket[]> {
      return sockets.socketDestroy(diagOf(this), target, o)
    },
  })
}
