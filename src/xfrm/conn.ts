/**
 * The xfrm connection: one NETLINK_XFRM socket (IPsec policies and states).
 *
 * @module
 */

import { NativeXfrmConn, type XfrmOp } from '../native.js'
import { TypedConn, type TypedConnOptions } from '../typed-conn.js'

/** An xfrm connection (see {@link TypedConn}). */
export class XfrmConn extends TypedConn<XfrmOp> {
  constructor(opts: TypedConnOptions) {
    super('xfrm', (onDone) => new NativeXfrmConn(onDone), opts)
  }
}
