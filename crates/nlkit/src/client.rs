//! A blocking API over the engine, for Rust programs and tests: each call waits for its reply.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, SyncSender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::conn::{Completer, Conn, Done, Options, Part, Protocol, Request, Token, Transport};
use crate::error::{Error, Result};

/// A waiting caller: where its result goes, and the dump parts received so far.
struct Waiter<O> {
    tx: SyncSender<Result<Vec<O>>>,
    parts: Vec<O>,
}

struct Waiters<O>(Mutex<HashMap<Token, Waiter<O>>>);

impl<O: Send + 'static> Completer<O> for Arc<Waiters<O>> {
    fn complete(&self, done: Vec<Done<O>>) {
        let mut w = self.0.lock().unwrap_or_else(|e| e.into_inner());
        for d in done {
            match d.part {
                Part::More => {
                    if let (Some(x), Ok(mut objs)) = (w.get_mut(&d.token), d.result) {
                        x.parts.append(&mut objs);
                    }
                }
                Part::Restart => {
                    if let Some(x) = w.get_mut(&d.token) {
                        x.parts.clear();
                    }
                }
                Part::Last => {
                    if let Some(mut x) = w.remove(&d.token) {
                        let result = d.result.map(|mut objs| {
                            x.parts.append(&mut objs);
                            x.parts
                        });
                        let _ = x.tx.send(result);
                    }
                }
            }
        }
    }
}

pub struct Client<P: Protocol> {
    conn: Conn<P>,
    waiters: Arc<Waiters<P::Object>>,
    next: AtomicU64,
}

impl<P: Protocol + Default> Client<P> {
    pub fn open(opts: Options) -> Result<Self> {
        Client::open_with(P::default(), opts)
    }

    pub fn with_transport(t: Box<dyn Transport>, opts: Options) -> Result<Self> {
        Client::over(P::default(), t, opts)
    }
}

impl<P: Protocol> Client<P> {
    /// A client of `proto` over any transport (the fake kernel in tests).
    pub fn over(proto: P, t: Box<dyn Transport>, opts: Options) -> Result<Self> {
        let waiters = Arc::new(Waiters(Mutex::default()));
        let conn = Conn::with_transport(proto, t, opts, Box::new(waiters.clone()))?;
        Ok(Client { conn, waiters, next: AtomicU64::new(1) })
    }

    pub fn open_with(proto: P, opts: Options) -> Result<Self> {
        let waiters = Arc::new(Waiters(Mutex::default()));
        let conn = Conn::open(proto, opts, Box::new(waiters.clone()))?;
        Ok(Client { conn, waiters, next: AtomicU64::new(1) })
    }

    /// Sends one request and waits for its completion.
    pub fn call(&self, req: Request<P>, timeout: Option<Duration>) -> Result<Vec<P::Object>> {
        let mut r = self.call_many(vec![req], timeout);
        r.pop().unwrap_or_else(|| Err(Error::closed()))
    }

    /// Sends requests together (one `sendto` where they fit) and waits for all, in order.
    pub fn call_many(&self, reqs: Vec<Request<P>>, timeout: Option<Duration>) -> Vec<Result<Vec<P::Object>>> {
        let mut rxs = Vec::with_capacity(reqs.len());
        let mut batch = Vec::with_capacity(reqs.len());
        {
            let mut w = self.waiters.0.lock().unwrap_or_else(|e| e.into_inner());
            for req in reqs {
                let token = self.next.fetch_add(1, Ordering::Relaxed);
                let (tx, rx) = sync_channel(1);
                w.insert(token, Waiter { tx, parts: Vec::new() });
                rxs.push(rx);
                batch.push((token, req, timeout));
            }
        }
        self.conn.submit(batch);
        rxs.into_iter().map(|rx| rx.recv().unwrap_or_else(|_| Err(Error::closed()))).collect()
    }

    pub fn conn(&self) -> &Conn<P> {
        &self.conn
    }

    pub fn close(&mut self) {
        self.conn.close();
    }
}
