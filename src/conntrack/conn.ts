/**
 * The conntrack connection: one NETLINK_NETFILTER socket speaking ctnetlink.
 *
 * @module
 */

import { type ConntrackOp, NativeConntrackConn } from '../native.js'
import { TypedConn, type TypedConnOptions } from '../typed-conn.js'

/** An operation as the binding reads it, before its token and deadline. */
export type ConntrackCall = Omit<ConntrackOp, 'token' | 'timeout'>

/** A conntrack connection (see {@link TypedConn}). */
export class ConntrackConn extends TypedConn<ConntrackOp> {
  constructor(opts: TypedConnOptions) {
    super('netfilter', (onDone) => new NativeConntrackConn(onDone), opts)
  }
}
