//! Link-layer multicast groups for src/misc-tables.ts: listed from /proc/net/dev_mcast and
//! changed by ioctl in the connection's namespace (nlkit::rtnl::misc::link_maddr), on libuv's
//! thread pool, since entering a namespace starts a thread. Each resolves `[envelope|null, value]`.

use napi::bindgen_prelude::AsyncTask;
use napi::{Env, Task};
use napi_derive::napi;
use nlkit::rtnl::misc::link_maddr;
use nlkit::Error;

use super::netns::NetnsSpec;
use crate::envelope;
use crate::replies_out::json::{self, Obj};

pub struct LinkMaddrTask {
    netns: Option<NetnsSpec>,
    /// None: list.
    change: Option<(Option<String>, u32, Vec<u8>, bool)>,
}

impl LinkMaddrTask {
    fn run(&mut self) -> Result<String, Error> {
        let ns = self.netns.as_ref().map(NetnsSpec::to_ref).transpose()?;
        if let Some((name, index, addr, add)) = self.change.take() {
            let dev = link_maddr::modify(ns.as_ref(), name, index, addr, add)?;
            let mut o = String::new();
            json::string(&mut o, &dev);
            return Ok(o);
        }
        let mut o = String::from("[");
        for (i, g) in link_maddr::list(ns.as_ref())?.iter().enumerate() {
            if i > 0 {
                o.push(',');
            }
            let mut j = Obj::new(&mut o);
            j.num("index", g.index).str("dev", &g.dev).str("family", "link").str("address", &json::mac(&g.address));
            j.num("users", g.users).bool("static", g.is_static);
            j.end();
        }
        o.push(']');
        Ok(o)
    }
}

impl Task for LinkMaddrTask {
    type Output = String;
    type JsValue = String;

    fn compute(&mut self) -> napi::Result<String> {
        Ok(envelope::result(self.run()))
    }

    fn resolve(&mut self, _env: Env, output: String) -> napi::Result<String> {
        Ok(output)
    }
}

/// Lists the namespace's link-layer groups (`netns` absent: the process's own).
#[napi(ts_return_type = "Promise<string>")]
pub fn link_maddr_list(netns: Option<NetnsSpec>) -> AsyncTask<LinkMaddrTask> {
    AsyncTask::new(LinkMaddrTask { netns, change: None })
}

/// Joins (`add`) or leaves group `address` on the device named `name`, or of index `index`;
/// resolves the device's name.
#[napi(ts_return_type = "Promise<string>")]
pub fn link_maddr_change(
    netns: Option<NetnsSpec>,
    name: Option<String>,
    index: u32,
    address: Vec<u8>,
    add: bool,
) -> AsyncTask<LinkMaddrTask> {
    AsyncTask::new(LinkMaddrTask { netns, change: Some((name, index, address, add)) })
}
