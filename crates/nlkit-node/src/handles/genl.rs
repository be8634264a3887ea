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

/// WG_CMD_SET_DEVICE's message bodies (the attributes after genlmsghdr) for a device change
/// (`args`: one JSON object, keys in base64), split as `wg` splits them; src/genl/wireguard.ts
/// sends them one by one, each acknowledged before the next. Pure encoding, no I/O.
#[napi(catch_unwind)]
pub fn wireguard_set_bodies(args: String) -> Result<Vec<Buffer>> {
    let run = || -> nlkit::Result<Vec<Vec<u8>>> {
        let mut l = crate::ops_in::parse(&format!("[{args}]")).map_err(nlkit::Error::invalid)?;
        let a = l.pop().ok_or_else(|| nlkit::Error::invalid("args must be an object"))?;
        let d = crate::ops_in::wireguard::device_set(&a)?;
        d.dev.check()?;
        nlkit::genl::wireguard::set::bodies(&d)
    };
    run().map(|v| v.into_iter().map(Buffer::from).collect()).map_err(|e| Error::new(Status::InvalidArg, e.to_string()))
}
