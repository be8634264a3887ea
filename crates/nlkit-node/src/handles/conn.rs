//! `NativeConn`: an rtnetlink connection for src/engine.ts. Operations come in as one JSON
//! text per batch; completions go back as one JSON text per I/O wake-up, through one
//! threadsafe function per connection.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;
use nlkit::rtnl::{Object, Rtnl};
use nlkit::{Completer, Conn, Done, Options};

use super::netns::NetnsSpec;
use crate::replies_out::route_batch;
use crate::{envelope, ops_in};

/// Datagrams a submit reads on the JS thread before leaving the rest to the I/O thread
/// (bounds the time the event loop spends in one call).
pub const COLLECT_MAX: usize = 64;

/// Turns operations carrying a token and a deadline into requests (one that cannot be built
/// completes at once with its error), submits the rest and returns what completed at once: the
/// raw and generic handles' `submit`.
pub(crate) fn submit_tokened<P: nlkit::Protocol, O>(
    conn: &nlkit::conn::Conn<P>,
    ops: &[O],
    meta: impl Fn(&O) -> (u32, Option<u32>),
    request: impl Fn(&O) -> nlkit::Result<nlkit::conn::Request<P>>,
) -> Vec<nlkit::conn::Done<P::Object>> {
    let mut batch = Vec::with_capacity(ops.len());
    let mut done = Vec::new();
    for op in ops {
        let (token, timeout) = meta(op);
        match request(op) {
            Ok(r) => batch.push((token as u64, r, timeout.map(|t| Duration::from_millis(t as u64)))),
            Err(e) => done.push(nlkit::conn::Done::new(token as u64, Err(e))),
        }
    }
    done.append(&mut conn.submit_and_collect(batch, COLLECT_MAX));
    done
}

type DoneFn = ThreadsafeFunction<String, (), String, Status, false, true>;

/// Shared by the completer (any thread) and ref/unref (JS thread, needs `&mut`).
#[derive(Clone)]
struct JsCompleter(Arc<Mutex<DoneFn>>);

impl Completer<Object> for JsCompleter {
    fn complete(&self, done: Vec<Done>) {
        let text = route_batch::batch(&done);
        let f = self.0.lock().unwrap_or_else(|e| e.into_inner());
        // NonBlocking: napi's queue holds one entry per I/O wake-up (a batch), never one per
        // request, and the I/O thread must never wait for the JS thread.
        f.call(text, ThreadsafeFunctionCallMode::NonBlocking);
    }
}

#[napi(object)]
pub struct ConnOptions {
    /// Default per-request deadline, ms.
    pub timeout: Option<u32>,
    pub max_in_flight: Option<u32>,
    /// Talk to this network namespace instead of the current one.
    pub netns: Option<NetnsSpec>,
}

/// Engine options from a connection's JS options.
pub fn options(opts: &ConnOptions) -> nlkit::Result<Options> {
    let mut o = Options::default();
    if let Some(t) = opts.timeout {
        o.timeout = Duration::from_millis(t as u64);
    }
    if let Some(m) = opts.max_in_flight {
        o.max_in_flight = m.max(1) as usize;
    }
    if let Some(ns) = &opts.netns {
        o.netns = Some(ns.to_ref()?);
    }
    Ok(o)
}

/// One rtnetlink connection (socket + I/O thread). `onDone` receives JSON batches of
/// completions; `open()` opens the socket.
#[napi]
pub struct NativeConn {
    conn: Option<Conn>,
    /// Dropped at close: the JS callback (and the connection it calls back) can then be collected.
    done: Option<JsCompleter>,
    netns: Option<nlkit::netns::NetnsRef>,
    tracer: Option<nlkit::trace::Tracer>,
}

#[napi]
impl NativeConn {
    #[napi(constructor, catch_unwind)]
    pub fn new(on_done: Function<String, ()>) -> Result<Self> {
        let tsfn: DoneFn = on_done.build_threadsafe_function().callee_handled::<false>().weak::<true>().build()?;
        Ok(NativeConn { conn: None, done: Some(JsCompleter(Arc::new(Mutex::new(tsfn)))), netns: None, tracer: None })
    }

    /// Traces every datagram of this handle to `onTrace`, or to stderr (before `open()`).
    #[napi(catch_unwind)]
    pub fn trace(&mut self, on_trace: Option<Function<String, ()>>) -> Result<()> {
        self.tracer = Some(super::trace::tracer(on_trace)?);
        Ok(())
    }

    /// Opens the socket (and the link cache's): `[envelope|null, null]`.
    #[napi(catch_unwind)]
    pub fn open(&mut self, opts: ConnOptions) -> String {
        envelope::result((|| {
            let mut o = options(&opts)?;
            o.trace = self.tracer.take();
            self.netns = o.netns.clone();
            let done = self.done.clone().ok_or_else(nlkit::Error::closed)?;
            self.conn = Some(Conn::open(Rtnl, o, Box::new(done))?);
            Ok("null".into())
        })())
    }

    /// Submits a JSON array of operations. Returns, as a JSON batch, the completions available
    /// at once (replies the kernel queued during the send, refusals, operations that cannot be
    /// encoded), or null; the rest arrive through `onDone`.
    #[napi(catch_unwind)]
    pub fn submit(&self, ops_json: String) -> Result<Option<String>> {
        let conn = self.conn.as_ref().ok_or_else(|| Error::from_reason("connection not open"))?;
        let ops = ops_in::parse(&ops_json).map_err(|e| Error::new(Status::InvalidArg, e))?;
        let mut batch = Vec::with_capacity(ops.len());
        let mut done = Vec::new();
        for op in &ops {
            let token = op.u32("token").ok().flatten().ok_or_else(|| Error::new(Status::InvalidArg, "operation without a token"))? as u64;
            let timeout = op.u32("timeout").ok().flatten().map(|t| Duration::from_millis(t as u64));
            match ops_in::route::request(op, self.netns.as_ref()) {
                Ok(r) => batch.push((token, r, timeout)),
                Err(e) => done.push(Done::new(token, Err(e))),
            }
        }
        done.append(&mut conn.submit_and_collect(batch, COLLECT_MAX));
        Ok((!done.is_empty()).then(|| route_batch::batch(&done)))
    }

    /// Keeps the event loop alive (something is pending) or lets it go (idle).
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

    /// Rejects everything in flight ("connection closed"), stops the I/O thread and lets go of
    /// the JS callback. Idempotent.
    #[napi]
    pub fn close(&mut self) {
        if let Some(mut c) = self.conn.take() {
            c.close();
        }
        self.done = None;
    }
}
