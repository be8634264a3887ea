//! The engine: one netlink socket served by one I/O thread, for any netlink protocol.
//!
//! Callers submit batches of requests from any thread: each gets a sequence number and the
//! batch goes to the kernel in one `sendto` right there (the kernel handles a request inside
//! that call, so this is cheap and saves a thread hop). The I/O thread only receives: it matches
//! replies by sequence number, assembles dumps, enforces deadlines, sends what had to wait
//! (requests over the in-flight window, dumps behind the running dump) and hands completions
//! to the [`Completer`] in one batch per wake-up.
//!
//! The engine knows netlink, not any one protocol: what it needs of one (decoding replies,
//! resolving names) comes through [`Protocol`].
//!
//! - [`request`]: requests, completions, options
//! - [`protocol`]: the plug-in trait of a netlink protocol
//! - `state`: the state machine without I/O (sequence table, window, queues, deadlines)
//! - `reply`: replies into completions (ACKs, dumps and their retries, name lookups)
//! - `io`: the I/O thread and sending
//! - [`transport`]: the socket, or a fake kernel in tests

mod io;
pub mod protocol;
mod reply;
pub mod request;
mod state;
pub mod transport;

use std::sync::{Arc, Mutex, MutexGuard, TryLockError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub(crate) use io::join_worker;
pub use protocol::{NameCache, Protocol};
pub use request::{Completer, Done, Mode, Options, Part, Request, Then, Token};
pub use transport::{open_socket, open_socket_in, set_rcvbuf, Transport};

use self::state::{Queued, State};
use crate::error::{Error, Result};
use crate::sys::EventFd;
use crate::trace::Traced;
use crate::wire;

/// Requests a submitter sends itself per call; the I/O thread sends the rest.
const DIRECT_SEND_MAX: usize = 16;

struct Shared<P: Protocol> {
    proto: P,
    transport: Box<dyn Transport>,
    /// Held while reading the socket (by the I/O thread, or a submitter collecting replies), so
    /// datagrams are handled in the order they arrive; also the receive buffer.
    recv_buf: Mutex<Vec<u8>>,
    wake: EventFd,
    state: Mutex<State<P>>,
    /// Requests of callers that found `state` busy, in order; the I/O thread takes them over.
    /// (The I/O thread holds `state` while the kernel works through a batch inside sendto, for
    /// milliseconds: Node's main thread must not wait for that.)
    handoff: Mutex<Vec<Queued<P>>>,
    completer: Box<dyn Completer<P::Object>>,
    opts: Options,
}

impl<P: Protocol> Shared<P> {
    fn lock(&self) -> MutexGuard<'_, State<P>> {
        // A panic elsewhere must not wedge every later request: keep using the state.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The state if nobody holds it, for a caller that must not wait (Node's main thread).
    fn try_lock(&self) -> Option<MutexGuard<'_, State<P>>> {
        match self.state.try_lock() {
            Ok(g) => Some(g),
            Err(TryLockError::Poisoned(p)) => Some(p.into_inner()),
            Err(TryLockError::WouldBlock) => None,
        }
    }

    fn handoff(&self) -> MutexGuard<'_, Vec<Queued<P>>> {
        self.handoff.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A connection: one socket of protocol `P`, one I/O thread. Dropping it closes it.
pub struct Conn<P: Protocol> {
    shared: Arc<Shared<P>>,
    thread: Option<JoinHandle<()>>,
}

/// Counters for diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    pub in_flight: usize,
    pub queued: usize,
    pub dropped: u64,
    /// Parts of dumps handed over before their end.
    pub parts: u64,
}

impl<P: Protocol> Conn<P> {
    /// Opens a connection on a new socket of `proto` in `opts.netns`, or the calling thread's
    /// network namespace.
    pub fn open(proto: P, opts: Options, completer: Box<dyn Completer<P::Object>>) -> Result<Self> {
        let sock = open_socket_in(opts.netns.as_ref(), proto.number(), opts.rcvbuf)?;
        // Opened with the main socket, so both are surely in the same namespace. Without it
        // names are simply looked up every time.
        let names = if opts.name_cache { proto.open_names(opts.netns.as_ref()) } else { None };
        let number = proto.number();
        let transport: Box<dyn Transport> = match &opts.trace {
            Some(t) => Box::new(Traced { inner: Box::new(sock), protocol: number, tracer: t.clone() }),
            None => Box::new(sock),
        };
        let conn = Conn::with_transport(proto, transport, opts, completer)?;
        conn.shared.lock().names = names;
        Ok(conn)
    }

    /// Runs the engine over any transport (the fake kernel in tests).
    pub fn with_transport(
        proto: P,
        transport: Box<dyn Transport>,
        opts: Options,
        completer: Box<dyn Completer<P::Object>>,
    ) -> Result<Self> {
        let wake = EventFd::new().map_err(|e| Error::io(&e))?;
        let shared = Arc::new(Shared {
            proto,
            transport,
            recv_buf: Mutex::new(vec![0u8; opts.recv_buf.max(wire::NLMSG_HDRLEN)]),
            wake,
            state: Mutex::new(State::new()),
            handoff: Mutex::new(Vec::new()),
            completer,
            opts,
        });
        let s2 = shared.clone();
        let thread = std::thread::Builder::new().name("nlkit-io".into()).spawn(move || io::io_loop(&s2)).map_err(|e| Error::io(&e))?;
        Ok(Conn { shared, thread: Some(thread) })
    }

    /// The protocol this connection speaks.
    pub fn protocol(&self) -> &P {
        &self.shared.proto
    }

    /// Submits requests; completions arrive through the completer. Requests refused at once
    /// (closed connection, full queue, send failure) are completed before this returns.
    pub fn submit(&self, batch: Vec<(Token, Request<P>, Option<Duration>)>) {
        let sh = &*self.shared;
        let items = self.queued(batch);
        let mut st = sh.lock();
        let mut done = Vec::new();
        if st.closed || sh.handoff().is_empty() {
            st.enqueue(&sh.opts, items, DIRECT_SEND_MAX, &mut done);
            io::flush(sh, &mut st);
            if reply::take_unordered(&mut st, &mut done) {
                sh.wake.wake();
            }
        } else {
            io::hand_over(sh, items);
        }
        self.wake_if_needed(&mut st);
        drop(st);
        if !done.is_empty() {
            sh.completer.complete(done);
        }
    }

    /// Submits requests and returns, instead of handing to the completer, every completion
    /// available without waiting: refusals, and replies the kernel already queued.
    ///
    /// The kernel handles a request inside the `sendto` that carries it, so its ACK is usually
    /// waiting by the time `sendto` returns. Reading it here, non-blocking, saves two thread
    /// hops per request. At most `max_datagrams` are read, so the caller's thread (Node's main
    /// thread) is never held long; the I/O thread delivers the rest. This never waits for a
    /// lock: if the I/O thread is busy with the state, the batch is handed over to it.
    pub fn submit_and_collect(&self, batch: Vec<(Token, Request<P>, Option<Duration>)>, max_datagrams: usize) -> Vec<Done<P::Object>> {
        let sh = &*self.shared;
        let items = self.queued(batch);
        // Take the receive side before sending, so the replies our sendto produces are read
        // here and not raced for by the I/O thread (which then simply finds nothing). If the
        // I/O thread is reading right now, it delivers everything instead.
        let buf = sh.recv_buf.try_lock().ok();
        let st = sh.try_lock();
        // Requests handed over earlier must go out first: then this batch follows them.
        let Some(mut st) = st.filter(|_| sh.handoff().is_empty()) else {
            io::hand_over(sh, items);
            return Vec::new();
        };
        let mut done = Vec::new();
        st.enqueue(&sh.opts, items, DIRECT_SEND_MAX, &mut done);
        io::flush(sh, &mut st);
        // While a dump runs, its datagrams are better read by the I/O thread, in parallel with
        // the caller working on the parts already handed over.
        if let (Some(mut buf), None) = (buf, st.dump_seq) {
            for _ in 0..max_datagrams {
                let r = sh.transport.recv(&mut buf);
                let step = reply::on_recv(sh, &mut st, r, &buf);
                io::flush(sh, &mut st);
                if let reply::Step::Stop = step {
                    break;
                }
            }
        }
        if reply::take_unordered(&mut st, &mut done) {
            sh.wake.wake();
        }
        self.wake_if_needed(&mut st);
        done
    }

    /// Stamps each request with its deadline.
    fn queued(&self, batch: Vec<(Token, Request<P>, Option<Duration>)>) -> Vec<Queued<P>> {
        let now = Instant::now();
        let default = self.shared.opts.timeout;
        batch
            .into_iter()
            .map(|(token, req, timeout)| Queued { token, req, deadline: now + timeout.unwrap_or(default), retries: 0 })
            .collect()
    }

    /// Wakes the I/O thread if it must act: a new deadline earlier than its wake-up, requests
    /// in flight while it is not watching the socket, or the connection closing.
    fn wake_if_needed(&self, st: &mut State<P>) {
        let earliest = st.earliest_new.take();
        let deadline = matches!((earliest, st.wake_at), (Some(e), Some(w)) if e < w);
        let unwatched = !st.io_watches_socket && (!st.in_flight.is_empty() || st.dump_seq.is_some());
        let to_send = !st.waiting.is_empty() || (!st.dumps.is_empty() && st.dump_seq.is_none());
        if st.closed || deadline || unwatched || to_send {
            self.shared.wake.wake();
        }
    }

    /// Fails everything in flight with a "connection closed" error and stops the I/O thread.
    /// Idempotent.
    pub fn close(&mut self) {
        self.shared.lock().closed = true;
        self.shared.wake.wake();
        join_worker(self.thread.take());
    }

    pub fn stats(&self) -> Stats {
        let st = self.shared.lock();
        Stats { in_flight: st.in_flight.len(), queued: st.waiting.len() + st.dumps.len(), dropped: st.dropped, parts: st.parts }
    }
}

impl<P: Protocol> Drop for Conn<P> {
    fn drop(&mut self) {
        self.close();
    }
}
