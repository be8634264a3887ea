//! `NativeMonitor`: a subscription for index.ts. JS pulls batches with `take()`; when there is
//! nothing it is told by one threadsafe call (`onReady`) as soon as there is. Pulling keeps the
//! queue between the socket thread and JS bounded.

use std::sync::{Arc, Mutex};

use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;
use nlkit::monitor::{Kind, Monitor, MonitorOptions, Notify};

use crate::json;

type ReadyFn = ThreadsafeFunction<(), (), (), Status, false>;

struct JsNotify(Arc<Mutex<ReadyFn>>);

impl Notify for JsNotify {
    fn ready(&self) {
        let f = self.0.lock().unwrap_or_else(|e| e.into_inner());
        f.call((), ThreadsafeFunctionCallMode::NonBlocking);
    }
}

fn kind(name: &str) -> Result<Kind> {
    Ok(match name {
        "link" => Kind::Link,
        "ipv4-addr" => Kind::Ipv4Addr,
        "ipv6-addr" => Kind::Ipv6Addr,
        "ipv4-route" => Kind::Ipv4Route,
        "ipv6-route" => Kind::Ipv6Route,
        "neigh" => Kind::Neigh,
        "ipv4-rule" => Kind::Ipv4Rule,
        "ipv6-rule" => Kind::Ipv6Rule,
        other => return Err(Error::new(Status::InvalidArg, format!("unknown group {other:?}"))),
    })
}

#[napi(object)]
pub struct MonitorConfig {
    /// Per-family group names ("link", "ipv4-addr", ...); index.ts expands "addr" and friends.
    pub kinds: Vec<String>,
    pub list_existing: bool,
    /// Socket receive buffer, bytes.
    pub buffer_size: Option<u32>,
    /// Events held for JS before the socket thread stops reading.
    pub queue_limit: Option<u32>,
    /// Watch this network namespace instead of the current one.
    pub netns: Option<crate::netns::NetnsSpec>,
}

#[napi]
pub struct NativeMonitor {
    mon: Option<Monitor>,
    ready: Arc<Mutex<ReadyFn>>,
}

#[napi]
impl NativeMonitor {
    /// Joins the groups before returning (a change made right after is seen).
    #[napi(constructor, catch_unwind)]
    pub fn new(cfg: MonitorConfig, on_ready: Function<(), ()>) -> Result<Self> {
        let mut opts = MonitorOptions { list_existing: cfg.list_existing, ..Default::default() };
        for k in &cfg.kinds {
            opts.kinds.push(kind(k)?);
        }
        if let Some(b) = cfg.buffer_size {
            opts.rcvbuf = b as usize;
        }
        if let Some(q) = cfg.queue_limit {
            opts.queue_limit = q.max(1) as usize;
        }
        if let Some(ns) = &cfg.netns {
            opts.netns = Some(ns.to_ref().map_err(crate::to_napi)?);
        }
        let tsfn: ReadyFn = on_ready.build_threadsafe_function().callee_handled::<false>().build()?;
        let ready = Arc::new(Mutex::new(tsfn));
        let mon = Monitor::open(opts, Box::new(JsNotify(ready.clone()))).map_err(crate::to_napi)?;
        Ok(NativeMonitor { mon: Some(mon), ready })
    }

    /// Up to `max` events as a JSON array, or null when there are none yet (then `onReady`
    /// fires once there are).
    #[napi(catch_unwind)]
    pub fn take(&self, max: u32) -> Option<String> {
        let evs = self.mon.as_ref()?.take(max as usize);
        (!evs.is_empty()).then(|| json::events(&evs))
    }

    /// Releases the thread and socket, and stops keeping the process alive. Idempotent.
    #[napi]
    #[allow(deprecated)]
    pub fn close(&mut self, env: Env) -> Result<()> {
        if let Some(mut m) = self.mon.take() {
            m.close();
            self.ready.lock().unwrap_or_else(|e| e.into_inner()).unref(&env)?;
        }
        Ok(())
    }
}
