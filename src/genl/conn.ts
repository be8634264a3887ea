/**
 * The generic netlink connection: one NETLINK_GENERIC socket whose requests name their family
 * (the core resolves the name with CTRL_CMD_GETFAMILY and remembers it in its family cache,
 * kept exact by the controller's notifications).
 *
 * @module
 */

import { type GenlOp, NativeGenlConn } from '../native.js'
import { TypedConn, type TypedConnOptions } from '../typed-conn.js'

/** An operation as the binding reads it, before its token and deadline. */
export type GenlCall = Omit<GenlOp, 'token' | 'timeout'>

/** A generic netlink connection (see {@link TypedConn}). */
export class GenlConn extends TypedConn<GenlOp> {
  constructor(opts: TypedConnOptions) {
    super('generic netlink', (onDone) => new NativeGenlConn(onDone), opts)
  }
}
