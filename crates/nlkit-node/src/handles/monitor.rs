//! `NativeMonitor`: a subscription for index.ts. JS pulls batches with `take()`; when there is
//! nothing it is told by one threadsafe call (`onReady`) as soon as there is. Pulling keeps the
//! queue between the socket thread and JS bounded.

use std::sync::{Arc, Mutex};

use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;
use nlkit::monitor::{Event, Monitor, MonitorOptions, Notify};
use nlkit::rtnl::events::{Change, Changes, Kind};
use nlkit::rtnl::{Action, Object, Rtnl};

use super::netns::NetnsSpec;
use crate::replies_out::route_batch;
use crate::{envelope, ops_in};

pub(crate) type ReadyFn = ThreadsafeFunction<(), (), (), Status, false>;

pub(crate) struct JsNotify(pub(crate) Arc<Mutex<ReadyFn>>);

impl Notify for JsNotify {
    fn ready(&self) {
        let f = self.0.lock().unwrap_or_else(|e| e.into_inner());
        f.call((), ThreadsafeFunctionCallMode::NonBlocking);
    }
}

fn kind(name: &str) -> nlkit::Result<Kind> {
    Ok(match name {
        "link" => Kind::Link,
        "ipv4-addr" => Kind::Ipv4Addr,
        "ipv6-addr" => Kind::Ipv6Addr,
        "ipv4-route" => Kind::Ipv4Route,
        "ipv6-route" => Kind::Ipv6Route,
        "neigh" => Kind::Neigh,
        "ipv4-rule" => Kind::Ipv4Rule,
        "ipv6-rule" => Kind::Ipv6Rule,
        "ipv4-netconf" => Kind::Ipv4Netconf,
        "ipv6-netconf" => Kind::Ipv6Netconf,
        "nsid" => Kind::Nsid,
        "mdb" => Kind::Mdb,
        "nexthop" => Kind::Nexthop,
        "tc" => Kind::Tc,
        other => return Err(nlkit::Error::invalid(format!("unknown group {other:?}"))),
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
    pub netns: Option<NetnsSpec>,
    /// Instead of subscribing: one dump operation (JSON, as for NativeConn.submit) read at the
    /// consumer's pace, ending with `{ type: 'end' }`.
    pub stream_op: Option<String>,
}

/// The socket buffer, queue bound and namespace of a subscription or stream, from JS options.
pub(crate) fn monitor_options(
    buffer_size: Option<u32>,
    queue_limit: Option<u32>,
    netns: Option<&NetnsSpec>,
) -> nlkit::Result<MonitorOptions> {
    let mut opts = MonitorOptions::default();
    if let Some(b) = buffer_size {
        opts.rcvbuf = b as usize;
    }
    if let Some(q) = queue_limit {
        opts.queue_limit = q.max(1) as usize;
    }
    if let Some(ns) = netns {
        opts.netns = Some(ns.to_ref()?);
    }
    Ok(opts)
}

/// A subscription's events carry names; a stream's are the dump's objects.
enum Mon {
    Changes(Monitor<Change>),
    Stream(Monitor<Object>),
}

/// A stream's objects as the events index.ts reads (listed, new, named in JS).
fn as_change(ev: Event<Object>) -> Event<Change> {
    match ev {
        Event::Item { item, existing } => Event::Item { item: Change { action: Action::New, obj: item, names: Vec::new() }, existing },
        Event::Overflow => Event::Overflow,
        Event::Error(e) => Event::Error(e),
        Event::End => Event::End,
    }
}

#[napi]
pub struct NativeMonitor {
    mon: Option<Mon>,
    /// Dropped at close: the JS callback (and the subscription it calls back) can be collected.
    ready: Option<Arc<Mutex<ReadyFn>>>,
    tracer: Option<nlkit::trace::Tracer>,
}

#[napi]
impl NativeMonitor {
    /// `onReady` fires once when events arrive while JS waits; `open()` starts it.
    #[napi(constructor, catch_unwind)]
    pub fn new(on_ready: Function<(), ()>) -> Result<Self> {
        let tsfn: ReadyFn = on_ready.build_threadsafe_function().callee_handled::<false>().build()?;
        Ok(NativeMonitor { mon: None, ready: Some(Arc::new(Mutex::new(tsfn))), tracer: None })
    }

    /// Traces every datagram of this handle to `onTrace`, or to stderr (before `open()`).
    #[napi(catch_unwind)]
    pub fn trace(&mut self, on_trace: Option<Function<String, ()>>) -> Result<()> {
        self.tracer = Some(super::trace::tracer(on_trace)?);
        Ok(())
    }

    /// Opens the socket and joins the groups before returning (a change made right after is
    /// seen), or starts the stream's dump: `[envelope|null, null]`.
    #[napi(catch_unwind)]
    pub fn open(&mut self, cfg: MonitorConfig) -> String {
        envelope::result(self.start(&cfg).map(|m| {
            self.mon = Some(m);
            "null".to_string()
        }))
    }

    fn start(&mut self, cfg: &MonitorConfig) -> nlkit::Result<Mon> {
        let mut opts = monitor_options(cfg.buffer_size, cfg.queue_limit, cfg.netns.as_ref())?;
        opts.trace = self.tracer.take();
        let kinds = cfg.kinds.iter().map(|k| kind(k)).collect::<nlkit::Result<Vec<_>>>()?;
        let notify = Box::new(JsNotify(self.ready.clone().ok_or_else(nlkit::Error::closed)?));
        let Some(op) = &cfg.stream_op else {
            return Ok(Mon::Changes(Monitor::open(Changes::new(kinds, cfg.list_existing), opts, notify)?));
        };
        let mut ops = ops_in::parse(op).map_err(nlkit::Error::invalid)?;
        let op = ops.pop().ok_or_else(|| nlkit::Error::invalid("no operation"))?;
        let req = ops_in::route::request(&op, opts.netns.as_ref())?;
        if req.mode != nlkit::Mode::Dump || req.then.is_some() {
            return Err(nlkit::Error::invalid("a stream needs a dump with the link given by index"));
        }
        Ok(Mon::Stream(nlkit::stream::open(Rtnl, req.bytes, req.filter, opts, notify)?))
    }

    /// Up to `max` events as a JSON array, or null when there are none yet (then `onReady`
    /// fires once there are).
    #[napi(catch_unwind)]
    pub fn take(&self, max: u32) -> Option<String> {
        let evs = match self.mon.as_ref()? {
            Mon::Changes(m) => m.take(max as usize),
            Mon::Stream(m) => m.take(max as usize).into_iter().map(as_change).collect(),
        };
        (!evs.is_empty()).then(|| route_batch::events(&evs))
    }

    /// Keeps the process alive while a consumer waits (streams hold it only then; subscriptions
    /// always, like a server).
    #[napi(js_name = "ref")]
    #[allow(deprecated)]
    pub fn refer(&mut self, env: Env) -> Result<()> {
        self.ready.as_ref().map_or(Ok(()), |r| r.lock().unwrap_or_else(|e| e.into_inner()).refer(&env))
    }

    #[napi]
    #[allow(deprecated)]
    pub fn unref(&mut self, env: Env) -> Result<()> {
        self.ready.as_ref().map_or(Ok(()), |r| r.lock().unwrap_or_else(|e| e.into_inner()).unref(&env))
    }

    /// Releases the thread and socket, and stops keeping the process alive. Idempotent.
    #[napi]
    #[allow(deprecated)]
    pub fn close(&mut self, env: Env) -> Result<()> {
        self.mon = None; // dropping it closes it
        let r = self.ready.as_ref().map_or(Ok(()), |r| r.lock().unwrap_or_else(|e| e.into_inner()).unref(&env));
        self.ready = None;
        r
    }
}
