//! `NativeXfrmConn` for src/xfrm/conn.ts: a NETLINK_XFRM connection (policies, states and
//! their counts), the decoder of xfrm notifications for src/xfrm/events.ts, and a check of a
//! request without sending it.

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

/// Checks operation `op` with `spec` (JSON text) as the core would send it, sending nothing:
/// the refusal's text, or null when it encodes. src/xfrm/ runs it before a request whose device
/// name it must first resolve (an offload `dev`), so bad input fails before any lookup is sent.
#[napi(catch_unwind)]
pub fn xfrm_check(op: String, spec: String) -> Option<String> {
    let op = XfrmOp { token: 0, timeout: None, op, spec: Some(spec) };
    request(&op).err().map(|e| e.detail.clone().unwrap_or_else(|| e.to_string()))
}
