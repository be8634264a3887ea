//! `NativeXfrmConn` for src/xfrm/conn.ts: a NETLINK_XFRM connection (policies, states and
//! their counts), and the decoder of xfrm notifications for src/xfrm/events.ts.

use napi::bindgen_prelude::*;
use napi_derive::napi;
use nlkit::xfrm::Xfrm;

use crate::ops_in::xfrm::{request, XfrmOp};
use crate::replies_out::json;

crate::typed_conn!(
    /// A NETLINK_XFRM connection.
    NativeXfrmConn,
    Xfrm,
    XfrmOp,
    request
);

/// Decodes one xfrm notification (its message type and payload): JSON `{ type, ... }`, or null
/// for a type not modelled or a message that does not decode.
#[napi(catch_unwind)]
pub fn xfrm_notification(msg_type: u32, payload: Buffer) -> Option<String> {
    let ty = u16::try_from(msg_type).ok()?;
    let tree = nlkit::xfrm::events::decode(ty, &payload).ok()??;
    let mut text = String::new();
    json::settings(&mut text, &tree);
    Some(text)
}
