//! The connection handle of every typed protocol family (generic netlink, and the protocols
//! after it): one socket of the family's protocol, operations in as napi objects of the
//! family's own shape, completions out as [`replies_out::typed`](crate::replies_out::typed)
//! records. src/typed-conn.ts drives any of them. A family declares its handle with
//! [`typed_conn!`]: the class, its completer and its lifecycle are the same for all of them.

use std::sync::{Arc, Mutex};

use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use nlkit::conn::{Completer, Done};
use nlkit::typed::Object;

use crate::replies_out::typed;

pub type DoneFn = ThreadsafeFunction<Buffer, (), Buffer, Status, false, true>;

/// Shared by the completer (any thread) and ref/unref (JS thread, needs `&mut`).
#[derive(Clone)]
pub struct TypedCompleter(pub Arc<Mutex<DoneFn>>);

impl TypedCompleter {
    pub fn new(on_done: Function<Buffer, ()>) -> Result<Self> {
        let tsfn: DoneFn = on_done.build_threadsafe_function().callee_handled::<false>().weak::<true>().build()?;
        Ok(TypedCompleter(Arc::new(Mutex::new(tsfn))))
    }

    pub fn with<T>(&self, f: impl FnOnce(&mut DoneFn) -> T) -> T {
        f(&mut self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl Completer<Object> for TypedCompleter {
    fn complete(&self, done: Vec<Done<Object>>) {
        let bytes = typed::batch(&done);
        self.with(|f| f.call(bytes.into(), ThreadsafeFunctionCallMode::NonBlocking));
    }
}

/// Declares the napi class `$name` for connections of protocol `$proto` (a unit value whose
/// type implements `nlkit::Protocol<Object = nlkit::typed::Object>`), whose operations are
/// `$op` (a napi object with `token: u32` and `timeout: Option<u32>`) built into requests by
/// `$request`. `$label` names the socket in open errors.
#[macro_export]
macro_rules! typed_conn {
    ($(#[$doc:meta])* $name:ident, $proto:ident, $op:ty, $request:path) => {
        $(#[$doc])*
        #[napi_derive::napi]
        pub struct $name {
            conn: Option<nlkit::conn::Conn<$proto>>,
            /// Dropped at close (see NativeConn).
            done: Option<$crate::handles::typed::TypedCompleter>,
            tracer: Option<nlkit::trace::Tracer>,
        }

        #[napi_derive::napi]
        impl $name {
            #[napi(constructor, catch_unwind)]
            pub fn new(on_done: napi::bindgen_prelude::Function<napi::bindgen_prelude::Buffer, ()>) -> napi::Result<Self> {
                let done = $crate::handles::typed::TypedCompleter::new(on_done)?;
                Ok($name { conn: None, done: Some(done), tracer: None })
            }

            /// Traces every datagram of this handle to `onTrace`, or to stderr (before `open()`).
            #[napi(catch_unwind)]
            pub fn trace(&mut self, on_trace: Option<napi::bindgen_prelude::Function<String, ()>>) -> napi::Result<()> {
                self.tracer = Some($crate::handles::trace::tracer(on_trace)?);
                Ok(())
            }

            /// Opens the socket: `[envelope|null, null]`.
            #[napi(catch_unwind)]
            pub fn open(&mut self, opts: $crate::handles::conn::ConnOptions) -> String {
                $crate::envelope::result((|| {
                    let done = self.done.clone().ok_or_else(nlkit::Error::closed)?;
                    let mut o = $crate::handles::conn::options(&opts)?;
                    o.trace = self.tracer.take();
                    self.conn = Some(nlkit::conn::Conn::open($proto, o, Box::new(done))?);
                    Ok("null".into())
                })())
            }

            /// Submits operations; returns the completions available at once (bytes), or null.
            #[napi(catch_unwind)]
            pub fn submit(&self, ops: Vec<$op>) -> napi::Result<Option<napi::bindgen_prelude::Buffer>> {
                let conn = self.conn.as_ref().ok_or_else(|| napi::Error::from_reason("connection not open"))?;
                let done = $crate::handles::conn::submit_tokened(conn, &ops, |op| (op.token, op.timeout), $request);
                Ok((!done.is_empty()).then(|| $crate::replies_out::typed::batch(&done).into()))
            }

            #[napi(js_name = "ref")]
            #[allow(deprecated)]
            pub fn refer(&mut self, env: napi::Env) -> napi::Result<()> {
                self.done.as_ref().map_or(Ok(()), |d| d.with(|f| f.refer(&env)))
            }

            #[napi]
            #[allow(deprecated)]
            pub fn unref(&mut self, env: napi::Env) -> napi::Result<()> {
                self.done.as_ref().map_or(Ok(()), |d| d.with(|f| f.unref(&env)))
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
    };
}
