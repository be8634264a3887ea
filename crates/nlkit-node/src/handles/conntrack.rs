//! `NativeConntrackConn` for src/conntrack/conn.ts: a NETLINK_NETFILTER connection speaking
//! ctnetlink. Completions cross in the typed families' records (see replies_out/typed.rs).

use napi::bindgen_prelude::*;
use napi_derive::napi;
use nlkit::nfnl::conntrack::{self, Conntrack};

use crate::ops_in::conntrack::{request, ConntrackOp};
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
