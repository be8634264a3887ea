/**
 * The socket diagnostics connection: one NETLINK_SOCK_DIAG socket (socket listings, filtered in
 * the kernel, and SOCK_DESTROY).
 *
 * @module
 */

import { NativeSockDiagConn, type SockDiagOp } from '../native.js'
import { TypedConn, type TypedConnOptions } from '../typed-conn.js'

/** A sock_diag connection (see {@link TypedConn}). */
export class SockDiagConn extends TypedConn<SockDiagOp> {
  constructor(opts: TypedConnOptions) {
    super('sock_diag', (onDone) => new NativeSockDiagConn(onDone), opts)
  }
}
