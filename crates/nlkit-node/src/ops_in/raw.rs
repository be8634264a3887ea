//! Raw operations in: a message type, flags and payload bytes from src/raw.ts (already
//! checked there; checked again here so nothing malformed reaches the wire).

use napi::bindgen_prelude::Buffer;
use napi_derive::napi;
use nlkit::raw::{self, Request};
use nlkit::Error;

/// One raw request, field for field as src/raw.ts builds it.
#[napi(object)]
pub struct RawOp {
    pub token: u32,
    /// nlmsg_type (16..=65535: lower types are netlink's own control messages).
    pub msg_type: u32,
    /// nlmsg_flags besides NLM_F_REQUEST / NLM_F_ACK / NLM_F_DUMP, which the engine sets.
    pub flags: u32,
    pub payload: Buffer,
    /// A dump (NLM_F_DUMP, parts to NLMSG_DONE) rather than a request answered by an ACK.
    pub dump: bool,
    /// Deadline, ms (default: the connection's).
    pub timeout: Option<u32>,
}

pub fn request(op: &RawOp) -> Result<Request, Error> {
    let ty = u16::try_from(op.msg_type).map_err(|_| Error::invalid("type must be below 65536"))?;
    let flags = u16::try_from(op.flags).map_err(|_| Error::invalid("flags must be below 65536"))?;
    raw::request(ty, flags, &op.payload, op.dump)
}
