//! `NativeGenlConn` for src/genl/conn.ts: a NETLINK_GENERIC connection whose requests name
//! their family (resolved by the core, remembered in its family cache). Completions cross in
//! the raw layer's records (see replies_out/genl.rs).

use std::sync::{Arc, Mutex};

use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;
use nlkit::conn::{Completer, Conn, Done};
use nlkit::genl::{Genl, Object};

use super::conn::{options, submit_tokened, ConnOptions};
use crate::envelope;
use crate::ops_in::genl::{request, GenlOp};
use crate::replies_out::genl;

type DoneFn = ThreadsafeFunction<Buffer, (), Buffer, Status, false, true>;

#[derive(Clone)]
struct GenlCompleter(Arc<Mutex<DoneFn>>);

impl Completer<Object> for GenlCompleter {
    fn complete(&self, done: Vec<Done<Object>>) {
        let bytes = genl::batch(&done);
        let f = self.0.lock().unwrap_or_else(|e| e.into_inner());
        f.call(bytes.into(), ThreadsafeFunctionCallMode::NonBlocking);
    }
}

#[napi]
pub struct NativeGenlConn {
    conn: Option<Conn<Genl>>,
    /// Dropped at close (see NativeConn).
    done: Option<GenlCompleter>,
    tracer: Option<nlkit::trace::Tracer>,
}

#[napi]
impl NativeGenlConn {
    #[napi(constructor, catch_unwind)]
    pub fn new(on_done: Function<Buffer, ()>) -> Result<Self> {
        let tsfn: DoneFn = on_done.build_threadsafe_function().callee_handled::<false>().weak::<true>().build()?;
        Ok(NativeGenlConn { conn: None, done: Some(GenlCompleter(Arc::new(Mutex::new(tsfn)))), tracer: None })
    }

    /// Traces every datagram of this handle to `onTrace`, or to stderr (before `open()`).
    #[napi(catch_unwind)]
    pub fn trace(&mut self, on_trace: Option<Function<String, ()>>) -> Result<()> {
        self.tracer = Some(super::trace::tracer(on_trace)?);
        Ok(())
    }

    /// Opens the NETLINK_GENERIC socket (and the family cache's): `[envelope|null, null]`.
    #[napi(catch_unwind)]
    pub fn open(&mut self, opts: ConnOptions) -> String {
        envelope::result((|| {
            let done = self.done.clone().ok_or_else(nlkit::Error::closed)?;
            let mut o = options(&opts)?;
            o.trace = self.tracer.take();
            self.conn = Some(Conn::open(Genl, o, Box::new(done))?);
            Ok("null".into())
        })())
    }

    /// Submits operations; returns the completions available at once (bytes), or null.
    #[napi(catch_unwind)]
    pub fn submit(&self, ops: Vec<GenlOp>) -> Result<Option<Buffer>> {
        let conn = self.conn.as_ref().ok_or_else(|| Error::from_reason("connection not open"))?;
        let done = submit_tokened(conn, &ops, |op| (op.token, op.timeout), request);
        Ok((!done.is_empty()).then(|| genl::batch(&done).into()))
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

/// Decodes one ethtool "monitor" notification (its payload, genlmsghdr first) for
/// src/genl/ethtool-monitor.ts: JSON `{ kind, data }`, or null for one not modelled.
#[napi(catch_unwind)]
pub fn ethtool_notification(payload: Buffer) -> Option<String> {
    genl::ethtool_notification(&payload)
}
