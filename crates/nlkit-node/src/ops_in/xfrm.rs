//! xfrm operations in: the operation's name and its spec as JSON text (the policy, state or
//! id as src/xfrm/ builds it), parsed into the core's Settings tree; the core checks the keys.

use nlkit::xfrm::{self, Request};
use nlkit::Error;

/// One xfrm operation: `op` (policyAdd, stateList, ...) and `spec`, a JSON object (default `{}`).
#[napi_derive::napi(object)]
pub struct XfrmOp {
    pub token: u32,
    /// Deadline, ms (default: the connection's).
    pub timeout: Option<u32>,
    pub op: String,
    pub spec: Option<String>,
}

pub fn request(op: &XfrmOp) -> Result<Request, Error> {
    let spec = match &op.spec {
        None => Default::default(),
        Some(text) => {
            let mut list = super::parse(&format!("[{text}]")).map_err(|e| Error::invalid(format!("spec: {e}")))?;
            if list.len() != 1 {
                return Err(Error::invalid("spec must be one object"));
            }
            list.remove(0)
        }
    };
    xfrm::request(&op.op, &spec)
}
