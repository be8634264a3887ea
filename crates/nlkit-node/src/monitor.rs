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
    /// Instead of subscribing: one dump operation (JSON, as for NativeConn.submit) read at the
    /// consumer's pace, ending with `{ type: 'end' }`.
    pub stream_op: Option<String>,
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
        if let Some(op) = &cfg.stream_op {
            let mut ops = crate::ops_json::parse(op).map_err(|e| Error::new(Status::InvalidArg, e))?;
            let op = ops.pop().ok_or_else(|| Error::new(Status::InvalidArg, "no operation"))?;
            let req = crate::ops::request(&op, opts.netns.as_ref()).map_err(crate::to_napi)?;
            if req.mode != nlkit::Mode::Dump || req.then.is_some() {
                return Err(Error::new(Status::InvalidArg, "a stream needs a dump with the link given by index"));
            }
            opts.stream = Some(nlkit::monitor::StreamDump { request: req.bytes, filter: req.filter });
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

    /// Keeps the process alive while a consumer waits (streams hold it only then; subscriptions
    /// always, like a server).
    #[napi(js_name = "ref")]
    #[allow(deprecated)]
    pub fn refer(&mut self, env: Env) -> Result<()> {
        self.ready.lock().unwrap_or_else(|e| e.into_inner()).refer(&env)
    }

    #[napi]
    #[allow(deprecated)]
    pub fn unref(&mut self, env: Env) -> Result<()> {
        self.ready.lock().unwrap_or_else(|e| e.into_inner()).unref(&env)
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
