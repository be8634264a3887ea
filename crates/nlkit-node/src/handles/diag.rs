//! `NativeSockDiagConn` for src/diag/conn.ts: a NETLINK_SOCK_DIAG connection (socket listings
//! and destroy). Completions cross in the typed families' records (see replies_out/typed.rs).

use napi::bindgen_prelude::{Buffer, Error, Result};
use napi_derive::napi;
use nlkit::conn::Mode;
use nlkit::diag::SockDiag;

use crate::ops_in::diag::{request, SockDiagOp};
use crate::replies_out::json;

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

/// A listing's dump request (`inet`, `unix`, `netlink`, `packet`), for a stream
/// (src/diag/stream.ts): its payload after the nlmsghdr, which the raw layer's dump stream
/// sends as SOCK_DIAG_BY_FAMILY on a socket of its own.
#[napi(catch_unwind)]
pub fn sock_diag_list_payload(op: SockDiagOp) -> Result<Buffer> {
    let mut r = request(&op).map_err(|e| Error::from_reason(e.to_string()))?;
    if r.mode != Mode::Dump {
        return Err(Error::from_reason(format!("{:?} is not a socket listing", op.op)));
    }
    Ok(r.bytes.split_off(nlkit::wire::NLMSG_HDRLEN).into())
}

/// A stream's batch of dump messages (payloads of SOCK_DIAG_BY_FAMILY) as a JSON array of
/// the sockets, decoded as `op`'s listing decodes them.
#[napi(catch_unwind)]
pub fn sock_diag_listed(op: SockDiagOp, payloads: Vec<Buffer>) -> Result<String> {
    let decode = request(&op).map_err(|e| Error::from_reason(e.to_string()))?.filter;
    let mut out = String::from("[");
    for p in &payloads {
        let s = nlkit::diag::decode_listed(p, &decode).map_err(|e| Error::from_reason(format!("sock_diag reply: {}", e.0)))?;
        if let Some(s) = s {
            if out.len() > 1 {
                out.push(',');
            }
            json::settings(&mut out, &s);
        }
    }
    out.push(']');
    Ok(out)
}
