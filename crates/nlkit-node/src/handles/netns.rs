//! Named network namespaces for src/netns.ts, and the `netns` option of connections and monitors.

use napi_derive::napi;
use nlkit::netns::{self, NetnsRef};
use nlkit::Error;

use crate::envelope;
use crate::replies_out::json;

/// How index.ts names a namespace: exactly one field set.
#[napi(object)]
#[derive(Default, Clone)]
pub struct NetnsSpec {
    pub name: Option<String>,
    pub path: Option<String>,
    pub pid: Option<u32>,
    pub fd: Option<i32>,
}

impl NetnsSpec {
    pub fn to_ref(&self) -> Result<NetnsRef, Error> {
        match (&self.name, &self.path, self.pid, self.fd) {
            (Some(n), None, None, None) => Ok(NetnsRef::Name(n.clone())),
            (None, Some(p), None, None) => Ok(NetnsRef::Path(p.into())),
            (None, None, Some(p), None) => Ok(NetnsRef::Pid(p)),
            (None, None, None, Some(f)) if f >= 0 => Ok(NetnsRef::Fd(f)),
            _ => Err(Error::invalid("invalid network namespace")),
        }
    }
}

/// `op` is "create", "delete" or "list". Returns `[error|null, result]` as JSON.
#[napi(catch_unwind)]
pub fn netns_call(op: String, name: Option<String>) -> String {
    let name = name.unwrap_or_default();
    let r: Result<String, Error> = match op.as_str() {
        "create" => netns::create(&name).map(|_| "null".into()),
        "delete" => netns::delete(&name).map(|_| "null".into()),
        "list" => netns::list().map(|names| {
            let mut o = String::from("[");
            for (i, n) in names.iter().enumerate() {
                if i > 0 {
                    o.push(',');
                }
                json::string(&mut o, n);
            }
            o.push(']');
            o
        }),
        _ => Err(Error::invalid("unknown netns operation")),
    };
    envelope::result(r)
}
