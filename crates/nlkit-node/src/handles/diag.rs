//! `NativeSockDiagConn` for src/diag/conn.ts: a NETLINK_SOCK_DIAG connection (socket listings
//! and destroy). Completions cross in the typed families' records (see replies_out/typed.rs).

use napi_derive::napi;
use nlkit::diag::SockDiag;

use crate::ops_in::diag::{request, SockDiagOp};

crate::typed_conn!(
    /// A NETLINK_SOCK_DIAG connection.
    NativeSockDiagConn,
    SockDiag,
    SockDiagOp,
    request
);

/// The core's socket name tables, as JSON for src/diag/names.ts: `{"states":[[1,"established"],
/// ...],"protocols":[[6,"tcp"],...],"extensions":["info",...]}`.
#[napi]
pub fn sock_diag_names() -> String {
    use nlkit::diag::{inet::EXTENSIONS, names};
    let pairs = |t: &[(&str, u8)]| t.iter().map(|(n, v)| format!("[{v},\"{n}\"]")).collect::<Vec<_>>().join(",");
    let ext: Vec<String> = EXTENSIONS.iter().map(|(n, _)| format!("\"{n}\"")).collect();
    format!("{{\"states\":[{}],\"protocols\":[{}],\"extensions\":[{}]}}", pairs(names::STATES), pairs(names::PROTOCOLS), ext.join(","))
}
