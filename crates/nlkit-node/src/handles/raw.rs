//! The raw layer's handles for src/raw.ts: `NativeRawConn` (requests and dumps on a socket of
//! any netlink protocol) and `NativeRawMonitor` (multicast groups joined by number, or one dump
//! read at the consumer's pace). Replies cross as bytes (see replies_out/raw.rs).

use std::sync::{Arc, Mutex};

use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;
use nlkit::conn::{Completer, Conn, Done};
use nlkit::monitor::Monitor;
use nlkit::raw::{Groups, Raw, RawMessage};

use super::conn::{options, submit_tokened, ConnOptions};
use super::monitor::{monitor_options, JsNotify, ReadyFn};
use super::netns::NetnsSpec;
use crate::envelope;
use crate::ops_in::raw::{request, RawOp};
use crate::replies_out::raw;

type DoneFn = ThreadsafeFunction<Buffer, (), Buffer, Status, false, true>;

#[derive(Clone)]
struct BytesCompleter(Arc<Mutex<DoneFn>>);

impl Completer<RawMessage> for BytesCompleter {
    fn complete(&self, done: Vec<Done<RawMessage>>) {
        let bytes = raw::batch(&done);
        let f = self.0.lock().unwrap_or_else(|e| e.into_inner());
        f.call(bytes.into(), ThreadsafeFunctionCallMode::NonBlocking);
    }
}

/// A netlink protocol: a NETLINK_* number, checked here (the kernel refuses others with
/// EPROTONOSUPPORT anyway).
fn protocol(n: i32) -> nlkit::Result<Raw> {
    if !(0..32).contains(&n) {
        return Err(nlkit::Error::invalid("protocol must be a NETLINK_* number (0..31)"));
    }
    Ok(Raw { number: n })
}

#[napi]
pub struct NativeRawConn {
    conn: Option<Conn<Raw>>,
    /// Dropped at close (see NativeConn).
    done: Option<BytesCompleter>,
    tracer: Option<nlkit::trace::Tracer>,
}

#[napi]
impl NativeRawConn {
    #[napi(constructor, catch_unwind)]
    pub fn new(on_done: Function<Buffer, ()>) -> Result<Self> {
        let tsfn: DoneFn = on_done.build_threadsafe_function().callee_handled::<false>().weak::<true>().build()?;
        Ok(NativeRawConn { conn: None, done: Some(BytesCompleter(Arc::new(Mutex::new(tsfn)))), tracer: None })
    }

    /// Traces every datagram of this handle to `onTrace`, or to stderr (before `open()`).
    #[napi(catch_unwind)]
    pub fn trace(&mut self, on_trace: Option<Function<String, ()>>) -> Result<()> {
        self.tracer = Some(super::trace::tracer(on_trace)?);
        Ok(())
    }

    /// Opens a socket of `protocol`: `[envelope|null, null]`.
    #[napi(catch_unwind)]
    pub fn open(&mut self, protocol_number: i32, opts: ConnOptions) -> String {
        envelope::result((|| {
            let p = protocol(protocol_number)?;
            let done = self.done.clone().ok_or_else(nlkit::Error::closed)?;
            let mut o = options(&opts)?;
            o.trace = self.tracer.take();
            self.conn = Some(Conn::open(p, o, Box::new(done))?);
            Ok("null".into())
        })())
    }

    /// Submits requests; returns the completions available at once (bytes), or null.
    #[napi(catch_unwind)]
    pub fn submit(&self, ops: Vec<RawOp>) -> Result<Option<Buffer>> {
        let conn = self.conn.as_ref().ok_or_else(|| Error::from_reason("connection not open"))?;
        let done = submit_tokened(conn, &ops, |op| (op.token, op.timeout), request);
        Ok((!done.is_empty()).then(|| raw::batch(&done).into()))
    }

    #[napi(js_name = "ref")]
    #[allow(deprecated)]
    pub fn refer(&mut self, env: Env) -> Result<()> {
        self.done.as_ref().map_or(Ok(()), |d| d.0.lock().unwrap_or_else(|e| e.into_inner()).refer(&env))
    }

    #[napi]
    #[allow(deprecated)]
    pub fn unref(&mut self, env: Env) -> Result<()> {
        self.done.as_ref().map_or(Ok(()), |d| d.0.lock().unwrap_or_else(|e| e.into_inner()).unref(&env))
    }

    /// Rejects what is in flight, stops the thread, lets go of the JS callback. Idempotent.
    #[napi]
    pub fn close(&mut self) {
        if let Some(mut c) = self.conn.take() {
            c.close();
        }
        self.done = None;
    }
}

#[napi(object)]
pub struct RawMonitorConfig {
    pub protocol: i32,
    /// Multicast groups to join (a subscription); empty with `dump` (a stream).
    pub groups: Vec<u32>,
    /// Instead of subscribing: one dump read at the consumer's pace.
    pub dump: Option<RawOp>,
    pub buffer_size: Option<u32>,
    pub queue_limit: Option<u32>,
    pub netns: Option<NetnsSpec>,
}

#[napi]
pub struct NativeRawMonitor {
    mon: Option<Monitor<RawMessage>>,
    /// Dropped at close: the JS callback (and the subscription it calls back) can be collected.
    ready: Option<Arc<Mutex<ReadyFn>>>,
    tracer: Option<nlkit::trace::Tracer>,
}

#[napi]
impl NativeRawMonitor {
    #[napi(constructor, catch_unwind)]
    pub fn new(on_ready: Function<(), ()>) -> Result<Self> {
        let tsfn: ReadyFn = on_ready.build_threadsafe_function().callee_handled::<false>().build()?;
        Ok(NativeRawMonitor { mon: None, ready: Some(Arc::new(Mutex::new(tsfn))), tracer: None })
    }

    /// Traces every datagram of this handle to `onTrace`, or to stderr (before `open()`).
    #[napi(catch_unwind)]
    pub fn trace(&mut self, on_trace: Option<Function<String, ()>>) -> Result<()> {
        self.tracer = Some(super::trace::tracer(on_trace)?);
        Ok(())
    }

    /// Joins the groups before returning, or starts the dump: `[envelope|null, null]`.
    #[napi(catch_unwind)]
    pub fn open(&mut self, cfg: RawMonitorConfig) -> String {
        let r = (|| {
            let p = protocol(cfg.protocol)?;
            let mut opts = monitor_options(cfg.buffer_size, cfg.queue_limit, cfg.netns.as_ref())?;
            opts.trace = self.tracer.take();
            let notify = Box::new(JsNotify(self.ready.clone().ok_or_else(nlkit::Error::closed)?));
            match &cfg.dump {
                Some(op) => nlkit::stream::open(p, request(op)?.bytes, (), opts, notify),
                None => Monitor::open(Groups { number: p.number, groups: cfg.groups.clone() }, opts, notify),
            }
        })();
        envelope::result(r.map(|m| {
            self.mon = Some(m);
            "null".to_string()
        }))
    }

    /// Up to `max` events (bytes), or null when there are none yet (then `onReady` fires once
    /// there are).
    #[napi(catch_unwind)]
    pub fn take(&self, max: u32) -> Option<Buffer> {
        let evs = self.mon.as_ref()?.take(max as usize);
        (!evs.is_empty()).then(|| raw::events(&evs).into())
    }

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
        self.mon = None;
        let r = self.ready.as_ref().map_or(Ok(()), |r| r.lock().unwrap_or_else(|e| e.into_inner()).unref(&env));
        self.ready = None;
        r
    }
}
