//! `NativeConntrackConn` for src/conntrack/conn.ts: a NETLINK_NETFILTER connection speaking
//! ctnetlink. Completions cross in the typed families' records (see replies_out/typed.rs).

use napi::bindgen_prelude::*;
use napi_derive::napi;
use nlkit::nfnl::conntrack::{self, Conntrack};

use crate::ops_in::conntrack::{filter, request, ConntrackOp};
use crate::replies_out::json;

crate::typed_conn!(
    /// A NETLINK_NETFILTER connection for connection tracking.
    NativeConntrackConn,
    Conntrack,
    ConntrackOp,
    request
);

/// Decodes one message of the conntrack event groups (its type, flags and payload, nfgenmsg
/// first) for src/conntrack/events.ts: JSON `{ type, entry }`, or null for one not modelled.
#[napi(catch_unwind)]
pub fn conntrack_event(ty: u32, flags: u32, payload: Buffer) -> Option<String> {
    let s = conntrack::event(ty as u16, flags as u16, &payload).ok()??;
    let mut out = String::new();
    json::settings(&mut out, &s);
    Some(out)
}

/// The payload (after nlmsghdr) of the dump a listing's filter sends, for a stream read by the
/// raw monitor (src/conntrack/stream.ts).
#[napi(catch_unwind)]
pub fn conntrack_list_payload(op: ConntrackOp) -> Result<Buffer> {
    let f = filter(&op).map_err(|e| Error::from_reason(e.to_string()))?;
    Ok(conntrack::list(f).bytes.split_off(nlkit::wire::NLMSG_HDRLEN).into())
}

/// A stream's batch of dump messages (payloads) as a JSON array of the entries the listing's
/// filter selects (checked here again, as a listing's are).
#[napi(catch_unwind)]
pub fn conntrack_listed(op: ConntrackOp, payloads: Vec<Buffer>) -> Result<String> {
    let f = filter(&op).map_err(|e| Error::from_reason(e.to_string()))?;
    let mut out = String::from("[");
    for p in &payloads {
        if let Ok(Some(s)) = conntrack::decode_listed(p, &f) {
            if out.len() > 1 {
                out.push(',');
            }
            json::settings(&mut out, &s);
        }
    }
    out.push(']');
    Ok(out)
}
