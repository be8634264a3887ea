//! `NativeGenlConn` for src/genl/conn.ts: a NETLINK_GENERIC connection whose requests name
//! their family (resolved by the core, remembered in its family cache). Completions cross in
//! the typed families' records (see replies_out/typed.rs).

use napi::bindgen_prelude::*;
use napi_derive::napi;
use nlkit::genl::Genl;

use crate::ops_in::genl::{request, GenlOp};
use crate::replies_out::genl;

crate::typed_conn!(
    /// A NETLINK_GENERIC connection (and the family cache's socket).
    NativeGenlConn,
    Genl,
    GenlOp,
    request
);

/// Decodes one ethtool "monitor" notification (its payload, genlmsghdr first) for
/// src/genl/ethtool-monitor.ts: JSON `{ kind, data }`, or null for one not modelled.
#[napi(catch_unwind)]
pub fn ethtool_notification(payload: Buffer) -> Option<String> {
    genl::ethtool_notification(&payload)
}
