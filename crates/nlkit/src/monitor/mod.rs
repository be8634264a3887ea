//! Multicast subscriptions for any netlink protocol (`ip monitor`, `conntrack -E`, ...): one
//! socket joined to the protocol's groups, read by its own I/O thread into a bounded queue that
//! the consumer drains.
//!
//! No silent loss: when the consumer is slow the queue fills, the thread stops reading, the
//! socket fills, the kernel drops messages and says so with ENOBUFS; that point becomes an
//! [`Event::Overflow`] in the stream, followed by the dumps the [`Feed`] asks for to resync
//! (a consumer that mirrors state then ends up right).
//!
//! What is protocol-specific (groups, dumps, decoding, naming) is the [`Feed`]'s; the same
//! reader also runs a single dump at the consumer's pace ([`crate::stream`]).

mod reader;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;

use crate::conn::{open_socket_in, set_rcvbuf};
use crate::error::{Error, Result};
use crate::netns::NetnsRef;
use crate::sys::{EventFd, NetlinkSocket};
use crate::trace::Tracer;
use crate::wire::Message;

/// One item of the stream.
#[derive(Debug, Clone, PartialEq)]
pub enum Event<T> {
    /// A notification, or (`existing`) an object listed by a dump.
    Item { item: T, existing: bool },
    /// The kernel dropped events here (ENOBUFS).
    Overflow,
    /// The subscription failed and ended (e.g. the socket broke).
    Error(Error),
    /// A stream's dump is complete.
    End,
}

/// A dump a feed asks for: `tag` comes back with its messages.
#[derive(Debug, Clone)]
pub struct Dump {
    pub tag: u32,
    pub request: Vec<u8>,
}

/// What a subscription needs of its protocol. Called on the monitor's thread only.
pub trait Feed: Send + 'static {
    type Item: Send + 'static;
    /// The `NETLINK_*` number of the socket.
    fn protocol(&self) -> i32;
    /// Multicast groups to join.
    fn groups(&self) -> Vec<u32>;
    /// Dumps to run in order: at the start (`resync` false) and after an overflow (true).
    fn dumps(&mut self, resync: bool) -> Vec<Dump>;
    /// A dump starts (`retries` > 0: again, after the kernel marked it interrupted).
    fn dump_started(&mut self, _tag: u32, _retries: u32) {}
    /// A data message: a notification (`dump` None) or a part of dump `tag`.
    fn message(&mut self, msg: &Message<'_>, dump: Option<u32>, out: &mut Vec<Event<Self::Item>>);
    /// Dump `tag` ended (completely or not).
    fn dump_done(&mut self, _tag: u32, _out: &mut Vec<Event<Self::Item>>) {}
    /// Dump `tag` completed consistently: dumps that what it listed calls for, run next (tc's
    /// classes and filters can only be dumped per link and per qdisc the qdisc dump named).
    fn follow_ups(&mut self, _tag: u32) -> Vec<Dump> {
        Vec::new()
    }
    /// Events the feed holds back for now (they count against the queue limit).
    fn held(&self) -> usize {
        0
    }
    /// A single dump that ends the stream ([`Event::End`]) instead of a subscription; an
    /// interrupted one fails (its parts are out already).
    fn is_stream(&self) -> bool {
        false
    }
}

#[derive(Debug, Clone)]
pub struct MonitorOptions {
    /// SO_RCVBUF(FORCE) of the socket, bytes.
    pub rcvbuf: usize,
    /// Events held for the consumer before the thread stops reading the socket.
    pub queue_limit: usize,
    /// The network namespace to watch (default: the caller's).
    pub netns: Option<NetnsRef>,
    /// Prints every datagram sent and received (see [`crate::trace`]).
    pub trace: Option<Tracer>,
}

impl Default for MonitorOptions {
    fn default() -> Self {
        MonitorOptions { rcvbuf: 32 << 20, queue_limit: 8192, netns: None, trace: None }
    }
}

/// Told when events became available while the consumer was waiting. Called on the I/O thread.
pub trait Notify: Send + Sync + 'static {
    fn ready(&self);
}

struct Queue<T> {
    events: VecDeque<Event<T>>,
    /// The consumer found the queue empty and waits for `ready()`.
    waiting: bool,
    closed: bool,
}

struct Shared<T> {
    sock: NetlinkSocket,
    wake: EventFd,
    queue: Mutex<Queue<T>>,
    notify: Box<dyn Notify>,
    opts: MonitorOptions,
}

impl<T> Shared<T> {
    fn lock(&self) -> MutexGuard<'_, Queue<T>> {
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub struct Monitor<T> {
    shared: Arc<Shared<T>>,
    thread: Option<JoinHandle<()>>,
}

impl<T: Send + 'static> Monitor<T> {
    /// Opens a socket (in `opts.netns`, or the calling thread's namespace) and joins the feed's
    /// groups before returning, so a change made right after this call is seen.
    pub fn open<F: Feed<Item = T>>(feed: F, opts: MonitorOptions, notify: Box<dyn Notify>) -> Result<Self> {
        let sock = open_socket_in(opts.netns.as_ref(), feed.protocol(), opts.rcvbuf)?;
        Monitor::with_socket(sock, feed, opts, notify)
    }

    /// Like [`Monitor::open`] on a socket opened elsewhere.
    pub fn with_socket<F: Feed<Item = T>>(sock: NetlinkSocket, feed: F, opts: MonitorOptions, notify: Box<dyn Notify>) -> Result<Self> {
        set_rcvbuf(&sock, opts.rcvbuf);
        let mut groups = feed.groups();
        groups.sort_unstable();
        groups.dedup();
        for g in groups {
            sock.add_membership(g).map_err(|e| Error::io(&e))?;
        }
        let shared = Arc::new(Shared {
            sock,
            wake: EventFd::new().map_err(|e| Error::io(&e))?,
            queue: Mutex::new(Queue { events: VecDeque::new(), waiting: false, closed: false }),
            notify,
            opts,
        });
        let s2 = shared.clone();
        let thread = std::thread::Builder::new()
            .name("nlkit-monitor".into())
            .spawn(move || reader::Reader::new(&s2, feed).run())
            .map_err(|e| Error::io(&e))?;
        Ok(Monitor { shared, thread: Some(thread) })
    }

    /// Takes up to `max` events. When there are none, arms a `ready()` notification and
    /// returns an empty vector.
    pub fn take(&self, max: usize) -> Vec<Event<T>> {
        let mut q = self.shared.lock();
        let was_full = q.events.len() >= self.shared.opts.queue_limit;
        let n = q.events.len().min(max);
        let out: Vec<Event<T>> = q.events.drain(..n).collect();
        q.waiting = out.is_empty() && !q.closed;
        drop(q);
        if was_full && n > 0 {
            self.shared.wake.wake(); // the reader paused on a full queue
        }
        out
    }
}

impl<T> Monitor<T> {
    /// Stops the thread and closes the socket. Idempotent.
    pub fn close(&mut self) {
        self.shared.lock().closed = true;
        self.shared.wake.wake();
        crate::conn::join_worker(self.thread.take());
    }
}

impl<T> Drop for Monitor<T> {
    fn drop(&mut self) {
        self.close();
    }
}
