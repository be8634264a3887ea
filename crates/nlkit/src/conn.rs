//! The engine: one netlink socket served by one I/O thread.
//!
//! Callers submit batches of requests from any thread: each gets a sequence number and the
//! batch goes to the kernel in one `sendto` right there (the kernel handles a request inside
//! that call, so this is cheap and saves a thread hop). The I/O thread only receives: it matches
//! replies by sequence number, assembles dumps, enforces deadlines, sends what had to wait
//! (requests over the in-flight window, dumps behind the running dump) and hands completions
//! to the [`Completer`] in one batch per wake-up.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::io;
use std::os::fd::{AsRawFd, RawFd};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex, MutexGuard, TryLockError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::error::{Error, ErrorKind, Result};
use crate::linkcache::LinkCache;
use crate::netns::{self, NetnsRef};
use crate::rtnl::{self, Filter, Object};
use crate::sys::{self, EventFd, NetlinkSocket};
use crate::wire::{self, NLMSG_DONE, NLMSG_ERROR, NLMSG_NOOP, NLMSG_OVERRUN, NLM_F_DUMP_INTR};

/// Caller-chosen identifier of a request, handed back with its completion.
pub type Token = u64;

/// How the kernel answers a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A change sent with NLM_F_ACK: answered by NLMSG_ERROR (0 = success).
    Ack,
    /// A single get: answered by one data message or an NLMSG_ERROR.
    Get,
    /// A dump: NLM_F_MULTI parts until NLMSG_DONE.
    Dump,
}

/// Builds the real request once a link name has been resolved to its index (or fails, e.g.
/// when the request cannot be encoded; nothing more is then sent).
pub type Then = Box<dyn FnOnce(u32) -> Result<Request> + Send>;

/// One encoded request (its seq and pid are stamped by the engine).
pub struct Request {
    pub bytes: Vec<u8>,
    pub mode: Mode,
    pub filter: Filter,
    /// For a link lookup made on behalf of another request: what to send with the index.
    pub then: Option<Then>,
    /// Kept alive until the request completes (e.g. namespace fds the message refers to).
    pub keep: Option<Box<dyn Send>>,
    /// The link name a `then` lookup resolves (answered from the link cache when it can be).
    pub link_name: Option<String>,
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request").field("mode", &self.mode).field("len", &self.bytes.len()).field("then", &self.then.is_some()).finish()
    }
}

impl Request {
    pub fn ack(bytes: Vec<u8>) -> Self {
        Request { bytes, mode: Mode::Ack, filter: Filter::default(), then: None, keep: None, link_name: None }
    }
    pub fn get(bytes: Vec<u8>) -> Self {
        Request { bytes, mode: Mode::Get, filter: Filter::default(), then: None, keep: None, link_name: None }
    }
    pub fn dump(bytes: Vec<u8>, filter: Filter) -> Self {
        Request { bytes, mode: Mode::Dump, filter, then: None, keep: None, link_name: None }
    }

    /// Resolves link `name` to its index (RTM_GETLINK on this same socket, so it is right in
    /// whatever namespace the socket lives; or from the connection's [`LinkCache`]), then sends
    /// `build(index)` under the same token and deadline, without a round trip through the
    /// caller. A missing link fails with ENODEV.
    pub fn after_link(name: &str, build: impl FnOnce(u32) -> Result<Request> + Send + 'static) -> Self {
        let mut r = Request::get(rtnl::link::get(&rtnl::LinkRef::Name(name.to_string())));
        r.then = Some(Box::new(build));
        r.link_name = Some(name.to_string());
        r
    }
}

/// A finished request: the objects of its reply (empty for an ACK) or the error.
#[derive(Debug)]
pub struct Done {
    pub token: Token,
    pub result: Result<Vec<Object>>,
    /// What this completion is: the last one of its request, or a part of a large dump.
    pub part: Part,
    /// A dump's completion: handed over only by the I/O thread, so a consumer sees a dump's
    /// parts in order (a caller collecting replies itself leaves these alone).
    pub ordered: bool,
}

/// Large dumps are handed over in parts as they arrive, so the consumer can work on one part
/// while the engine reads the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The request is complete (its result, or the rest of a dump's objects).
    Last,
    /// More objects of the same dump follow.
    More,
    /// Discard the parts delivered so far: the dump restarts (it was interrupted).
    Restart,
}

impl Done {
    pub fn new(token: Token, result: Result<Vec<Object>>) -> Self {
        Done { token, result, part: Part::Last, ordered: false }
    }
}

/// Receives completions, in batches. Called on the I/O thread, and on a submitting thread for
/// requests refused at submission; it must not block for long.
pub trait Completer: Send + Sync + 'static {
    fn complete(&self, done: Vec<Done>);
}

/// Engine settings.
#[derive(Debug, Clone)]
pub struct Options {
    /// Deadline of a request that does not set its own.
    pub timeout: Duration,
    /// Requests sent but not yet answered; more wait in a queue. Bounds how many ACKs can pile
    /// up in the socket's receive buffer (an ACK lost to a full buffer cannot be recovered).
    pub max_in_flight: usize,
    /// Requests waiting to be sent; past this a submission fails with EAGAIN.
    pub max_queued: usize,
    /// How often an interrupted dump (NLM_F_DUMP_INTR) is retried before it fails.
    pub dump_retries: u32,
    /// SO_RCVBUF(FORCE) for the socket, bytes.
    pub rcvbuf: usize,
    /// Initial size of the buffer replies are read into (it grows when one does not fit).
    pub recv_buf: usize,
    /// The network namespace to talk to (default: the caller's).
    pub netns: Option<NetnsRef>,
    /// Remember link names resolved for requests (kept exact by link notifications; see
    /// [`LinkCache`]).
    pub link_cache: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timeout: Duration::from_millis(5000),
            max_in_flight: 512,
            max_queued: 1 << 20,
            dump_retries: 10,
            rcvbuf: 4 << 20,
            recv_buf: 256 * 1024,
            netns: None,
            link_cache: true,
        }
    }
}

/// Where datagrams come from and go to: the real socket, or a fake kernel in tests.
pub trait Transport: Send + Sync + 'static {
    fn fd(&self) -> RawFd;
    fn send(&self, buf: &[u8]) -> io::Result<usize>;
    /// One datagram into `buf`: `(len, sender's port id, cut)`. `cut`: it was longer than
    /// `buf`, which holds its first `len` bytes and has grown to fit it next time.
    fn recv(&self, buf: &mut Vec<u8>) -> io::Result<(usize, u32, bool)>;
    /// Our own port id.
    fn port(&self) -> u32;
}

impl Transport for NetlinkSocket {
    fn fd(&self) -> RawFd {
        self.as_raw_fd()
    }
    fn send(&self, buf: &[u8]) -> io::Result<usize> {
        self.send_to_kernel(buf)
    }
    fn recv(&self, buf: &mut Vec<u8>) -> io::Result<(usize, u32, bool)> {
        // One read per datagram (a MSG_PEEK first would double the syscalls of every reply).
        // Replies fit the receive buffer: ACKs are small, dump datagrams at most 32 KiB unless
        // a single object is larger. One that does not fit is handled by `on_cut`.
        self.recv_growing(buf)
    }
    fn port(&self) -> u32 {
        NetlinkSocket::port(self)
    }
}

/// Opens an rtnetlink socket with extended ACKs, strict checking and a large receive buffer.
pub fn open_route_socket(rcvbuf: usize) -> io::Result<NetlinkSocket> {
    let s = NetlinkSocket::open(libc::NETLINK_ROUTE)?;
    // Both options are missing on old kernels (ENOPROTOOPT): then errors lack the kernel's text
    // and dump filters run only here.
    for opt in [libc::NETLINK_EXT_ACK, libc::NETLINK_GET_STRICT_CHK, libc::NETLINK_CAP_ACK] {
        match s.set_int_opt(libc::SOL_NETLINK, opt, 1) {
            Err(e) if e.raw_os_error() != Some(libc::ENOPROTOOPT) => return Err(e),
            _ => {}
        }
    }
    set_rcvbuf(&s, rcvbuf);
    Ok(s)
}

/// [`open_route_socket`] inside `netns` (on a helper thread), or in the caller's namespace.
pub fn open_route_socket_in(netns: Option<&NetnsRef>, rcvbuf: usize) -> Result<NetlinkSocket> {
    match netns {
        None => open_route_socket(rcvbuf).map_err(|e| Error::io(&e)),
        Some(ns) => netns::run_in(ns, move || open_route_socket(rcvbuf).map_err(|e| Error::io(&e))),
    }
}

/// SO_RCVBUFFORCE where we may (CAP_NET_ADMIN), else SO_RCVBUF (capped by rmem_max).
pub fn set_rcvbuf(s: &NetlinkSocket, bytes: usize) {
    let v = bytes.min(i32::MAX as usize) as libc::c_int;
    if s.set_int_opt(libc::SOL_SOCKET, libc::SO_RCVBUFFORCE, v).is_err() {
        let _ = s.set_int_opt(libc::SOL_SOCKET, libc::SO_RCVBUF, v);
    }
}

/// The link cache's socket buffer: link notifications only (a lost one clears the cache).
const LINK_CACHE_RCVBUF: usize = 1 << 20;
/// Keeps each sendto well under the socket's send buffer (EMSGSIZE otherwise).
const MAX_SEND_BATCH: usize = 32 * 1024;
/// Requests a submitter sends itself per call; the I/O thread sends the rest.
const DIRECT_SEND_MAX: usize = 16;
/// Datagrams read per wake-up before deadlines and the queue get a turn.
const RECV_BURST: usize = 256;
/// The longest the I/O thread sleeps without looking at deadlines.
const IDLE_TICK: Duration = Duration::from_millis(1000);
/// How long after a deadline the socket is still read for the late reply.
const LATE_REPLY_GRACE: Duration = Duration::from_secs(5);

struct Pending {
    token: Token,
    mode: Mode,
    filter: Filter,
    deadline: Instant,
    objects: Vec<Object>,
    interrupted: bool,
    decode_error: Option<Error>,
    /// Kept for dumps, to resend on NLM_F_DUMP_INTR.
    retry_bytes: Option<Vec<u8>>,
    retries: u32,
    then: Option<Then>,
    /// Parts of this dump were handed over already (a retry must say to discard them).
    parts_sent: bool,
    /// Wire size of the objects collected since the last part.
    part_bytes: usize,
    /// Dropped with the pending request.
    _keep: Option<Box<dyn Send>>,
    /// A link lookup's name and the link cache's generation when it was sent.
    cache_as: Option<(String, u64)>,
}

struct Queued {
    token: Token,
    req: Request,
    deadline: Instant,
    /// How often this dump has already been interrupted.
    retries: u32,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Seq(u32),
    Queued(Token),
}

#[derive(Default)]
struct State {
    next_seq: u32,
    in_flight: HashMap<u32, Pending>,
    /// Requests over the in-flight window, in order.
    waiting: VecDeque<Queued>,
    /// Dumps waiting for the running one (the kernel runs one dump per socket: EBUSY otherwise).
    dumps: VecDeque<Queued>,
    /// Sequence number of the dump the kernel is running, even if its caller gave up on it.
    dump_seq: Option<u32>,
    /// When the caller of the running dump gave up: if the kernel's DONE has still not come a
    /// timeout later, the slot is freed anyway (a next dump then fails with EBUSY at worst,
    /// instead of every later dump queueing forever).
    dump_abandoned_at: Option<Instant>,
    deadlines: BinaryHeap<Reverse<(Instant, Key)>>,
    /// Deadline of each queued request, so checking a heap entry is O(1), not a queue scan.
    queued_deadline: HashMap<Token, Instant>,
    /// When the I/O thread will next wake by itself.
    wake_at: Option<Instant>,
    /// Whether the I/O thread's current poll includes the socket. It leaves the socket out
    /// while nothing is in flight, so replies a submitter reads itself wake nobody.
    io_watches_socket: bool,
    /// After a request expired, its reply may still come: keep reading (and dropping) until then.
    late_until: Option<Instant>,
    closed: bool,
    /// Requests whose link lookup just finished, to send from the receive loop.
    followups: Vec<Queued>,
    /// The earliest deadline submitted since the I/O thread last looked.
    earliest_new: Option<Instant>,
    /// Replies dropped: unknown or expired sequence, or not from the kernel.
    dropped: u64,
    /// Dump parts handed over (see [`Stats::parts`]).
    parts: u64,
    /// Link names this connection resolved (None: not available, e.g. a fake transport).
    links: Option<LinkCache>,
    done: Vec<Done>,
}

struct Shared {
    transport: Box<dyn Transport>,
    /// Held while reading the socket (by the I/O thread, or a submitter collecting replies), so
    /// datagrams are handled in the order they arrive; also the receive buffer.
    recv_buf: Mutex<Vec<u8>>,
    wake: EventFd,
    state: Mutex<State>,
    /// Requests of callers that found `state` busy, in order; the I/O thread takes them over.
    /// (The I/O thread holds `state` while the kernel works through a batch inside sendto, for
    /// milliseconds: Node's main thread must not wait for that.)
    handoff: Mutex<Vec<Queued>>,
    completer: Box<dyn Completer>,
    opts: Options,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere must not wedge every later request: keep using the state.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The state if nobody holds it, for a caller that must not wait (Node's main thread).
    fn try_lock(&self) -> Option<MutexGuard<'_, State>> {
        match self.state.try_lock() {
            Ok(g) => Some(g),
            Err(TryLockError::Poisoned(p)) => Some(p.into_inner()),
            Err(TryLockError::WouldBlock) => None,
        }
    }

    fn handoff(&self) -> MutexGuard<'_, Vec<Queued>> {
        self.handoff.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A connection: one socket, one I/O thread. Dropping it closes it.
pub struct Conn {
    shared: Arc<Shared>,
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

impl Conn {
    /// Opens a connection on a new rtnetlink socket in `opts.netns`, or the calling thread's
    /// network namespace.
    pub fn open(opts: Options, completer: Box<dyn Completer>) -> Result<Conn> {
        let sock = open_route_socket_in(opts.netns.as_ref(), opts.rcvbuf)?;
        // Opened with the main socket, so both are surely in the same namespace. Without it
        // (it cannot be opened) link names are simply looked up every time.
        let links = match opts.link_cache {
            true => open_route_socket_in(opts.netns.as_ref(), LINK_CACHE_RCVBUF).ok().and_then(|s| LinkCache::new(s).ok()),
            false => None,
        };
        let conn = Conn::with_transport(Box::new(sock), opts, completer)?;
        conn.shared.lock().links = links;
        Ok(conn)
    }

    /// Runs the engine over any transport (the fake kernel in tests).
    pub fn with_transport(transport: Box<dyn Transport>, opts: Options, completer: Box<dyn Completer>) -> Result<Conn> {
        let wake = EventFd::new().map_err(|e| Error::io(&e))?;
        let shared = Arc::new(Shared {
            transport,
            recv_buf: Mutex::new(vec![0u8; opts.recv_buf.max(wire::NLMSG_HDRLEN)]),
            wake,
            state: Mutex::new(State { next_seq: 1, ..Default::default() }),
            handoff: Mutex::new(Vec::new()),
            completer,
            opts,
        });
        let s2 = shared.clone();
        let thread = std::thread::Builder::new()
            .name("nlkit-io".into())
            .spawn(move || io_loop(&s2))
            .map_err(|e| Error::io(&e))?;
        Ok(Conn { shared, thread: Some(thread) })
    }

    /// Submits requests; completions arrive through the completer. Requests refused at once
    /// (closed connection, full queue, send failure) are completed before this returns.
    pub fn submit(&self, batch: Vec<(Token, Request, Option<Duration>)>) {
        let sh = &*self.shared;
        let items = self.queued(batch);
        let mut st = sh.lock();
        let mut done = Vec::new();
        if st.closed || sh.handoff().is_empty() {
            done = enqueue(sh, &mut st, items, DIRECT_SEND_MAX);
            take_unordered(sh, &mut st, &mut done);
        } else {
            hand_over(sh, items);
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
    pub fn submit_and_collect(&self, batch: Vec<(Token, Request, Option<Duration>)>, max_datagrams: usize) -> Vec<Done> {
        let sh = &*self.shared;
        let items = self.queued(batch);
        // Take the receive side before sending, so the replies our sendto produces are read
        // here and not raced for by the I/O thread (which then simply finds nothing). If the
        // I/O thread is reading right now, it delivers everything instead.
        let buf = sh.recv_buf.try_lock().ok();
        let st = sh.try_lock();
        // Requests handed over earlier must go out first: then this batch follows them.
        let Some(mut st) = st.filter(|_| sh.handoff().is_empty()) else {
            hand_over(sh, items);
            return Vec::new();
        };
        let mut done = enqueue(sh, &mut st, items, DIRECT_SEND_MAX);
        // While a dump runs, its datagrams are better read by the I/O thread, in parallel with
        // the caller working on the parts already handed over.
        if let (Some(mut buf), None) = (buf, st.dump_seq) {
            for _ in 0..max_datagrams {
                let r = sh.transport.recv(&mut buf);
                if let Step::Stop = on_recv(sh, &mut st, r, &buf) {
                    break;
                }
            }
        }
        take_unordered(sh, &mut st, &mut done);
        self.wake_if_needed(&mut st);
        done
    }

    /// Stamps each request with its deadline.
    fn queued(&self, batch: Vec<(Token, Request, Option<Duration>)>) -> Vec<Queued> {
        let now = Instant::now();
        let default = self.shared.opts.timeout;
        batch.into_iter().map(|(token, req, timeout)| Queued { token, req, deadline: now + timeout.unwrap_or(default), retries: 0 }).collect()
    }

    /// Wakes the I/O thread if it must act: a new deadline earlier than its wake-up, requests
    /// in flight while it is not watching the socket, or the connection closing.
    fn wake_if_needed(&self, st: &mut State) {
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

impl Drop for Conn {
    fn drop(&mut self) {
        self.close();
    }
}

/// Leaves requests to the I/O thread (see [`Shared::handoff`]), behind any handed over before.
fn hand_over(sh: &Shared, items: Vec<Queued>) {
    sh.handoff().extend(items);
    sh.wake.wake();
}

/// Stops a worker thread whose loop has been told to end (flag set, woken). Not from the
/// worker itself (a completion callback may close): it then ends on its own.
pub(crate) fn join_worker(thread: Option<JoinHandle<()>>) {
    if let Some(t) = thread {
        if t.thread().id() != std::thread::current().id() {
            let _ = t.join();
        }
    }
}

/// The request a link lookup stands for, built at once if the link cache knows the name.
fn from_link_cache(st: &State, req: &mut Request) -> Option<Result<Request>> {
    let index = st.links.as_ref()?.get(req.link_name.as_deref()?)?;
    let then = req.then.take()?;
    Some(then(index))
}

/// Moves the completions a caller may hand over itself from `st.done` to `done`; a dump's stay
/// for the I/O thread (see [`Done::ordered`]), which is woken to deliver them.
fn take_unordered(sh: &Shared, st: &mut State, done: &mut Vec<Done>) {
    let mut ordered = false;
    for d in std::mem::take(&mut st.done) {
        if d.ordered {
            ordered = true;
            st.done.push(d);
        } else {
            done.push(d);
        }
    }
    if ordered {
        sh.wake.wake();
    }
}

/// Registers and sends (`direct_max` of them at most, the rest by the I/O thread) or queues
/// requests; returns completions produced on the way.
fn enqueue(sh: &Shared, st: &mut State, items: Vec<Queued>, direct_max: usize) -> Vec<Done> {
    let mut done = Vec::new();
    let mut earliest: Option<Instant> = None;
    let mut out = Batch::default();
    let mut sent_here = 0;
    // Link names are answered as of now: one sync for the whole batch.
    if let Some(c) = st.links.as_mut().filter(|_| items.iter().any(|q| q.req.link_name.is_some())) {
        c.sync();
    }
    for mut q in items {
        if st.closed {
            done.push(Done::new(q.token, Err(Error::closed())));
            continue;
        }
        if let Some(r) = from_link_cache(st, &mut q.req) {
            match r {
                Ok(req) => q.req = req,
                Err(e) => {
                    done.push(Done::new(q.token, Err(e)));
                    continue;
                }
            }
        }
        earliest = Some(earliest.map_or(q.deadline, |e| e.min(q.deadline)));
        // The kernel does a request's work inside the sendto that carries it: the caller
        // sends a few itself (the awaited-one-at-a-time case), the I/O thread the rest, in
        // parallel with the caller's own work.
        if sent_here < direct_max {
            match admit(st, &sh.opts, q, &mut out) {
                None => {
                    sent_here += 1;
                    continue;
                }
                Some(back) => q = back,
            }
        }
        if st.waiting.len() + st.dumps.len() >= sh.opts.max_queued {
            done.push(Done::new(q.token, Err(busy())));
            continue;
        }
        push_queued(st, q);
    }
    flush(sh, st, &mut out);
    st.earliest_new = match (st.earliest_new, earliest) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    done
}

fn busy() -> Error {
    Error::new(ErrorKind::Busy, libc::EAGAIN, Some("too many requests queued on this connection".into()))
}

/// Messages stamped and ready for one or more `sendto`s, with the sequence numbers in them.
#[derive(Default)]
struct Batch {
    buf: Vec<u8>,
    seqs: Vec<u32>,
}

/// Puts a request in flight if the window (and, for a dump, the running dump) allows;
/// otherwise hands it back to be queued.
fn admit(st: &mut State, opts: &Options, q: Queued, out: &mut Batch) -> Option<Queued> {
    let is_dump = q.req.mode == Mode::Dump;
    let blocked = st.in_flight.len() >= opts.max_in_flight
        || if is_dump { st.dump_seq.is_some() || !st.dumps.is_empty() } else { !st.waiting.is_empty() };
    if blocked {
        return Some(q);
    }
    let seq = next_seq(st);
    let Queued { token, req, deadline, retries } = q;
    let mut bytes = req.bytes;
    // nlmsg_pid 0 in a request is fine: the kernel knows the sending socket.
    wire::stamp(&mut bytes, seq, 0);
    if is_dump {
        st.dump_seq = Some(seq);
    }
    out.buf.extend_from_slice(&bytes);
    out.seqs.push(seq);
    st.deadlines.push(Reverse((deadline, Key::Seq(seq))));
    st.in_flight.insert(
        seq,
        Pending {
            token,
            mode: req.mode,
            filter: req.filter,
            deadline,
            objects: Vec::new(),
            interrupted: false,
            decode_error: None,
            // Kept to send again: a dump when interrupted, a get when its reply did not fit.
            retry_bytes: (is_dump || req.mode == Mode::Get).then_some(bytes),
            retries,
            then: req.then,
            parts_sent: false,
            part_bytes: 0,
            _keep: req.keep,
            cache_as: match (&st.links, req.link_name) {
                (Some(c), Some(name)) => Some((name, c.generation())),
                _ => None,
            },
        },
    );
    None
}

fn next_seq(st: &mut State) -> u32 {
    loop {
        let s = st.next_seq;
        st.next_seq = st.next_seq.wrapping_add(1).max(1);
        if !st.in_flight.contains_key(&s) && st.dump_seq != Some(s) {
            return s;
        }
    }
}

/// Sends a batch in chunks that fit the socket; a failed send fails exactly its requests.
fn flush(sh: &Shared, st: &mut State, out: &mut Batch) {
    let mut start = 0;
    let mut seq_i = 0;
    while start < out.buf.len() {
        // Cut at message boundaries, each chunk at most MAX_SEND_BATCH (or one message).
        let mut end = start;
        let mut n = 0;
        while end < out.buf.len() {
            let len = wire::align4(wire::u32_at(&out.buf, end) as usize).max(wire::NLMSG_HDRLEN);
            if end > start && end + len - start > MAX_SEND_BATCH {
                break;
            }
            end = (end + len).min(out.buf.len());
            n += 1;
        }
        if let Err(e) = sh.transport.send(&out.buf[start..end]) {
            for &seq in &out.seqs[seq_i..seq_i + n] {
                if let Some(p) = st.in_flight.remove(&seq) {
                    if st.dump_seq == Some(seq) {
                        st.dump_seq = None;
                    }
                    st.done.push(Done::new(p.token, Err(Error::io(&e))));
                }
            }
        }
        start = end;
        seq_i += n;
    }
    out.buf.clear();
    out.seqs.clear();
}

fn io_loop(sh: &Shared) {
    let fds = [sh.wake.as_raw_fd(), sh.transport.fd()];
    loop {
        let (timeout, watch) = {
            let mut st = sh.lock();
            if st.closed {
                break;
            }
            // Idle or not, wake at least once a tick: a submitter then only has to wake us for a
            // deadline shorter than that, and the common request costs no eventfd write.
            let tick = Instant::now() + IDLE_TICK;
            let mut next = next_deadline(&mut st).map_or(tick, |d| d.min(tick));
            if let Some(a) = st.dump_abandoned_at {
                next = next.min(a + sh.opts.timeout);
            }
            let next = Some(next);
            st.wake_at = next;
            st.earliest_new = None;
            let late = st.late_until.is_some_and(|t| t > Instant::now());
            st.io_watches_socket = !st.in_flight.is_empty() || st.dump_seq.is_some() || late;
            (next.map(|d| d.saturating_duration_since(Instant::now())), st.io_watches_socket)
        };
        let watched = if watch { &fds[..] } else { &fds[..1] };
        let ready = match sys::poll_readable(watched, timeout) {
            Ok(r) => r,
            Err(_) => vec![true; watched.len()],
        };
        if ready[0] {
            sh.wake.drain();
        }
        let sock_ready = ready.get(1).copied().unwrap_or(false);
        let r = catch_unwind(AssertUnwindSafe(|| {
            if sock_ready {
                let mut buf = sh.recv_buf.lock().unwrap_or_else(|e| e.into_inner());
                receive(sh, &mut buf, RECV_BURST);
            }
            let mut st = sh.lock();
            let handed = std::mem::take(&mut *sh.handoff());
            if !handed.is_empty() {
                let mut refused = enqueue(sh, &mut st, handed, usize::MAX);
                st.done.append(&mut refused);
            }
            expire(&mut st);
            if st.dump_abandoned_at.is_some_and(|a| a + sh.opts.timeout <= Instant::now()) {
                st.dump_seq = None;
                st.dump_abandoned_at = None;
            }
            pump(sh, &mut st);
            std::mem::take(&mut st.done)
        }));
        let done = match r {
            Ok(done) => done,
            // A bug must not strand callers: fail what is pending, keep serving.
            Err(_) => fail_all(&mut sh.lock(), || Error::protocol("internal error in the netlink engine")),
        };
        if !done.is_empty() {
            sh.completer.complete(done);
        }
    }
    let mut st = sh.lock();
    let mut done = fail_all(&mut st, Error::closed);
    // Handed over but never taken: closed too.
    done.extend(std::mem::take(&mut *sh.handoff()).into_iter().map(|q| Done::new(q.token, Err(Error::closed()))));
    drop(st);
    if !done.is_empty() {
        sh.completer.complete(done);
    }
}

fn next_deadline(st: &mut State) -> Option<Instant> {
    while let Some(Reverse((at, key))) = st.deadlines.peek().copied() {
        let live = match key {
            Key::Seq(s) => st.in_flight.get(&s).is_some_and(|p| p.deadline == at),
            Key::Queued(t) => st.queued_deadline.get(&t) == Some(&at),
        };
        if live {
            return Some(at);
        }
        st.deadlines.pop();
    }
    None
}

fn fail_all(st: &mut State, err: impl Fn() -> Error) -> Vec<Done> {
    let mut done = std::mem::take(&mut st.done);
    let mut pend: Vec<(u32, Pending)> = st.in_flight.drain().collect();
    pend.sort_by_key(|(s, _)| *s);
    done.extend(pend.into_iter().map(|(_, p)| Done::new(p.token, Err(err()))));
    done.extend(st.waiting.drain(..).chain(st.dumps.drain(..)).map(|q| Done::new(q.token, Err(err()))));
    st.deadlines.clear();
    st.queued_deadline.clear();
    done
}

/// Fails requests whose deadline has passed. A reply arriving later finds no entry and is dropped.
fn expire(st: &mut State) {
    let now = Instant::now();
    while let Some(Reverse((at, key))) = st.deadlines.peek().copied() {
        if at > now {
            break;
        }
        st.deadlines.pop();
        let token = match key {
            Key::Seq(s) => match st.in_flight.get(&s) {
                Some(p) if p.deadline == at => {
                    if st.dump_seq == Some(s) {
                        st.dump_abandoned_at = Some(now);
                    }
                    st.in_flight.remove(&s).map(|p| (p.token, p.mode == Mode::Dump))
                }
                _ => None,
            },
            Key::Queued(t) if st.queued_deadline.get(&t) == Some(&at) => {
                st.queued_deadline.remove(&t);
                remove_queued(&mut st.waiting, t, at).map(|t| (t, false)).or_else(|| remove_queued(&mut st.dumps, t, at).map(|t| (t, true)))
            }
            Key::Queued(_) => None,
        };
        if let Some((token, ordered)) = token {
            if matches!(key, Key::Seq(_)) {
                st.late_until = Some(now + LATE_REPLY_GRACE);
            }
            st.done.push(Done { ordered, ..Done::new(token, Err(Error::timeout())) });
        }
    }
}

/// Queues a request that cannot go out yet (window full, or a dump behind the running one).
fn push_queued(st: &mut State, q: Queued) {
    st.deadlines.push(Reverse((q.deadline, Key::Queued(q.token))));
    st.queued_deadline.insert(q.token, q.deadline);
    if q.req.mode == Mode::Dump {
        st.dumps.push_back(q);
    } else {
        st.waiting.push_back(q);
    }
}

fn remove_queued(q: &mut VecDeque<Queued>, token: Token, at: Instant) -> Option<Token> {
    let i = q.iter().position(|x| x.token == token && x.deadline == at)?;
    q.remove(i).map(|x| x.token)
}

/// Sends what waited: requests once the window has room, the next dump once the kernel's is over.
fn pump(sh: &Shared, st: &mut State) {
    let mut out = Batch::default();
    while st.in_flight.len() < sh.opts.max_in_flight {
        let Some(q) = st.waiting.pop_front() else { break };
        let token = q.token;
        match admit_front(st, &sh.opts, q, &mut out) {
            Some(q) => {
                st.waiting.push_front(q);
                break;
            }
            None => {
                st.queued_deadline.remove(&token);
            }
        }
    }
    if st.dump_seq.is_none() && st.in_flight.len() < sh.opts.max_in_flight {
        if let Some(q) = st.dumps.pop_front() {
            let token = q.token;
            match admit_front(st, &sh.opts, q, &mut out) {
                Some(q) => st.dumps.push_front(q),
                None => {
                    st.queued_deadline.remove(&token);
                }
            }
        }
    }
    flush(sh, st, &mut out);
}

/// `admit` for the head of a queue (which is not blocked by itself being queued).
fn admit_front(st: &mut State, opts: &Options, q: Queued, out: &mut Batch) -> Option<Queued> {
    let (w, d) = (std::mem::take(&mut st.waiting), std::mem::take(&mut st.dumps));
    let r = admit(st, opts, q, out);
    st.waiting = w;
    st.dumps = d;
    r
}

/// What a running dump accumulates before it is handed over as a part.
/// (Wire bytes: a part costs the consumer about the same per byte whatever the object, and a
/// thousand links are over ten times the bytes of a thousand routes.)
const PART_BYTES: usize = 96 * 1024;

/// Hands over what the running dump has collected so far (see [`Part`]); true if it did.
fn hand_over_part(st: &mut State) -> bool {
    let Some(seq) = st.dump_seq else { return false };
    let Some(p) = st.in_flight.get_mut(&seq) else { return false };
    if p.part_bytes >= PART_BYTES && p.decode_error.is_none() {
        p.part_bytes = 0;
        let objs = std::mem::take(&mut p.objects);
        p.parts_sent = true;
        let token = p.token;
        st.done.push(Done { token, result: Ok(objs), part: Part::More, ordered: true });
        st.parts += 1;
        return true;
    }
    false
}

/// Reads and handles up to `max` datagrams on the I/O thread, which holds `recv_buf`; the
/// state is locked per datagram, so a caller can get in between.
fn receive(sh: &Shared, buf: &mut Vec<u8>, max: usize) {
    for _ in 0..max {
        let r = sh.transport.recv(buf);
        if let Step::Stop = on_recv(sh, &mut sh.lock(), r, buf) {
            return;
        }
    }
}

enum Step {
    Go,
    Stop,
}

/// Handles the outcome of one read: a datagram (in `buf`), nothing more to read, or an error.
fn on_recv(sh: &Shared, st: &mut State, r: io::Result<(usize, u32, bool)>, buf: &[u8]) -> Step {
    match r {
        Ok((_, sender, _)) if sender != 0 => {
            // Only the kernel may answer; anything else is spoofing or a stray.
            st.dropped += 1;
            Step::Go
        }
        Ok((n, _, true)) => {
            on_cut(sh, st, &buf[..n]);
            Step::Go
        }
        Ok((n, _, false)) => {
            handle_datagram(sh, st, &buf[..n]);
            send_followups(sh, st);
            if hand_over_part(st) {
                return Step::Stop; // deliver the part now: the consumer works on it while we read on
            }
            if st.in_flight.is_empty() && st.dump_seq.is_none() {
                return Step::Stop; // nothing more to wait for: spare the empty read
            }
            Step::Go
        }
        Err(e) if e.kind() == io::ErrorKind::WouldBlock => Step::Stop,
        Err(e) if e.raw_os_error() == Some(libc::ENOBUFS) => {
            // The kernel dropped replies for us: we cannot tell which, so nobody may wait
            // for one that will never come. Fail the changes and gets in flight now.
            lost_replies(st);
            Step::Go
        }
        Err(e) => {
            let done = fail_all(st, || Error::io(&e));
            st.done = done;
            Step::Stop
        }
    }
}

/// A reply longer than the receive buffer (which has now grown to fit it): only its start
/// is known. A get is sent again; a change (whose ACK cannot be this long) or a dump (whose
/// datagrams cannot be unless one object is) fails with EMSGSIZE, and may simply be retried.
fn on_cut(sh: &Shared, st: &mut State, start: &[u8]) {
    st.dropped += 1;
    let Ok(h) = wire::MsgHeader::parse(start) else { return };
    let Some(p) = st.in_flight.get(&h.seq) else { return };
    if p.mode == Mode::Get && p.retries < sh.opts.dump_retries && p.retry_bytes.is_some() {
        if let Some(p) = st.in_flight.remove(&h.seq) {
            resend(sh, st, p);
        }
        return;
    }
    if st.dump_seq == Some(h.seq) {
        // Its NLMSG_DONE may have been in the lost part: the next dump waits for it or the
        // timeout, as after a dump whose caller gave up.
        st.dump_abandoned_at = Some(Instant::now());
    }
    let msg = format!("a reply of {} bytes was longer than the receive buffer; the buffer has grown, try again", start.len());
    finish(st, h.seq, Err(Error::new(ErrorKind::Protocol, libc::EMSGSIZE, Some(msg))));
}

fn lost_replies(st: &mut State) {
    let seqs: Vec<u32> = st.in_flight.iter().filter(|(_, p)| p.mode != Mode::Dump).map(|(s, _)| *s).collect();
    for s in seqs {
        if let Some(p) = st.in_flight.remove(&s) {
            let e = Error::new(ErrorKind::Io, libc::ENOBUFS, Some("reply lost: the socket's receive buffer overflowed".into()));
            st.done.push(Done::new(p.token, Err(e)));
        }
    }
}

fn handle_datagram(sh: &Shared, st: &mut State, data: &[u8]) {
    let mut it = wire::messages(data);
    while let Some(m) = it.next() {
        let msg = match m {
            Ok(m) => m,
            Err(e) => {
                // A malformed message: if its own header is readable, fail that request.
                if let Ok(h) = wire::MsgHeader::parse(it.remaining()) {
                    finish(st, h.seq, Err(Error::protocol(e)));
                }
                st.dropped += 1;
                return;
            }
        };
        let seq = msg.header.seq;
        let is_end = matches!(msg.header.ty, NLMSG_ERROR | NLMSG_DONE);
        if is_end && st.dump_seq == Some(seq) {
            st.dump_seq = None;
            st.dump_abandoned_at = None;
        }
        let Some(p) = st.in_flight.get_mut(&seq) else {
            st.dropped += 1;
            continue;
        };
        if msg.header.flags & NLM_F_DUMP_INTR != 0 {
            p.interrupted = true;
        }
        match msg.header.ty {
            NLMSG_NOOP => {}
            NLMSG_ERROR => {
                let r = match wire::parse_error(msg.header.flags, msg.payload) {
                    Ok(e) if e.errno == 0 => Ok(()),
                    Ok(e) => Err(Error::kernel(&e)),
                    Err(e) => Err(Error::protocol(e)),
                };
                finish(st, seq, r);
            }
            NLMSG_DONE => {
                let e = wire::parse_done(msg.header.flags, msg.payload);
                if e.errno != 0 {
                    finish(st, seq, Err(Error::kernel(&e)));
                } else if p.interrupted {
                    retry_dump(sh, st, seq);
                } else {
                    finish(st, seq, Ok(()));
                }
            }
            NLMSG_OVERRUN => finish(st, seq, Err(Error::protocol("NLMSG_OVERRUN"))),
            _ => {
                if p.mode == Mode::Ack {
                    continue; // an echo; the ACK decides
                }
                match rtnl::decode(&msg) {
                    Ok(Some((_, obj))) => {
                        if p.filter.keep(&obj) {
                            p.objects.push(obj);
                            p.part_bytes += msg.payload.len();
                        }
                    }
                    Ok(None) => {}
                    Err(e) => {
                        if p.decode_error.is_none() {
                            p.decode_error = Some(Error::protocol(e));
                        }
                    }
                }
                if p.mode == Mode::Get {
                    finish(st, seq, Ok(()));
                }
            }
        }
    }
}

fn finish(st: &mut State, seq: u32, r: Result<()>) {
    if let Some(p) = st.in_flight.remove(&seq) {
        let result = match (r, p.decode_error) {
            (Err(e), _) | (Ok(()), Some(e)) => Err(e),
            (Ok(()), None) => Ok(p.objects),
        };
        match (result, p.then) {
            (Ok(objs), Some(then)) => {
                let index = objs.iter().find_map(|o| match o {
                    Object::Link(l) if l.index > 0 => Some(l.index as u32),
                    _ => None,
                });
                if let (Some(i), Some((name, generation)), Some(c)) = (index, &p.cache_as, &mut st.links) {
                    c.insert(name, i, *generation);
                }
                match index.map(then) {
                    Some(Ok(req)) => st.followups.push(Queued { token: p.token, req, deadline: p.deadline, retries: 0 }),
                    Some(Err(e)) => st.done.push(Done::new(p.token, Err(e))),
                    None => st.done.push(Done::new(p.token, Err(Error::kernel(&wire::ErrorMsg { errno: libc::ENODEV, ..Default::default() })))),
                }
            }
            (result, _) => st.done.push(Done { ordered: p.mode == Mode::Dump, ..Done::new(p.token, result) }),
        }
    }
}

/// Sends (or queues) the requests whose link lookup finished.
fn send_followups(sh: &Shared, st: &mut State) {
    if st.followups.is_empty() {
        return;
    }
    let mut out = Batch::default();
    for q in std::mem::take(&mut st.followups) {
        if let Some(q) = admit(st, &sh.opts, q, &mut out) {
            push_queued(st, q);
        }
    }
    flush(sh, st, &mut out);
}

/// An inconsistent dump is never returned: resend it under a new sequence number, or give up
/// after `dump_retries` with a typed error.
fn retry_dump(sh: &Shared, st: &mut State, seq: u32) {
    let Some(p) = st.in_flight.remove(&seq) else { return };
    if p.parts_sent {
        st.done.push(Done { token: p.token, result: Ok(Vec::new()), part: Part::Restart, ordered: true });
    }
    if p.retries >= sh.opts.dump_retries || p.retry_bytes.is_none() {
        let msg = format!("dump interrupted by concurrent changes {} times in a row", p.retries + 1);
        st.done.push(Done { ordered: true, ..Done::new(p.token, Err(Error::new(ErrorKind::DumpInterrupted, libc::EINTR, Some(msg)))) });
        return;
    }
    // The dump that just ended was the running one, so this normally goes straight out.
    resend(sh, st, p);
}

/// Sends a request again under a new sequence number (a dump the kernel marked interrupted, a
/// get whose reply did not fit): same token, deadline, continuation and kept values, one more
/// retry. It goes ahead of anything queued: it was sent once already.
fn resend(sh: &Shared, st: &mut State, p: Pending) {
    let req = Request {
        bytes: p.retry_bytes.unwrap_or_default(),
        mode: p.mode,
        filter: p.filter,
        then: p.then,
        keep: p._keep,
        link_name: p.cache_as.map(|(name, _)| name),
    };
    let q = Queued { token: p.token, req, deadline: p.deadline, retries: p.retries + 1 };
    let mut out = Batch::default();
    if let Some(q) = admit_front(st, &sh.opts, q, &mut out) {
        push_queued(st, q);
    }
    flush(sh, st, &mut out);
}
