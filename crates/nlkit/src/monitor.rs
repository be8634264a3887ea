//! Multicast subscriptions (`ip monitor`): one socket joined to rtnetlink groups, read by its own
//! I/O thread into a bounded queue that the consumer drains.
//!
//! No silent loss: when the consumer is slow the queue fills, the thread stops reading, the
//! socket fills, the kernel drops messages and says so with ENOBUFS; that point becomes an
//! [`Event::Overflow`] in the stream, followed (with `list_existing`) by a fresh dump so a
//! consumer that mirrors state ends up right.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet, VecDeque};
use std::hash::{Hash, Hasher};
use std::io;
use std::os::fd::AsRawFd;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::conn::{open_route_socket_in, set_rcvbuf};
use crate::netns::NetnsRef;
use crate::error::{Error, Result};
use crate::rtnl::{self, Action, Object};
use crate::sys::{self, EventFd, NetlinkSocket};
use crate::wire::{self, NLMSG_DONE, NLMSG_ERROR, NLM_F_DUMP_INTR};

/// What a subscription can ask for. Each maps to rtnetlink multicast groups and one dump.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Link,
    Ipv4Addr,
    Ipv6Addr,
    Ipv4Route,
    Ipv6Route,
    Neigh,
    Ipv4Rule,
    Ipv6Rule,
}

impl Kind {
    /// RTNLGRP_* group number.
    pub fn group(self) -> u32 {
        match self {
            Kind::Link => 1,
            Kind::Neigh => 3,
            Kind::Ipv4Addr => 5,
            Kind::Ipv4Route => 7,
            Kind::Ipv4Rule => 8,
            Kind::Ipv6Addr => 9,
            Kind::Ipv6Route => 11,
            Kind::Ipv6Rule => 19,
        }
    }

    fn dump(self) -> Vec<u8> {
        use rtnl::{addr, link, neigh, route, rule, AF_INET, AF_INET6};
        match self {
            Kind::Link => link::dump(),
            Kind::Ipv4Addr => addr::dump(AF_INET, 0),
            Kind::Ipv6Addr => addr::dump(AF_INET6, 0),
            Kind::Ipv4Route => route::dump(AF_INET, None, None),
            Kind::Ipv6Route => route::dump(AF_INET6, None, None),
            Kind::Neigh => neigh::dump(0),
            Kind::Ipv4Rule => rule::dump(AF_INET),
            Kind::Ipv6Rule => rule::dump(AF_INET6),
        }
    }

    /// Which kind a decoded object belongs to (to drop what was not asked for).
    fn of(obj: &Object) -> Option<Kind> {
        Some(match obj {
            Object::Link(_) => Kind::Link,
            Object::Addr(a) if a.family == rtnl::AF_INET => Kind::Ipv4Addr,
            Object::Addr(a) if a.family == rtnl::AF_INET6 => Kind::Ipv6Addr,
            Object::Route(r) if r.family == rtnl::AF_INET => Kind::Ipv4Route,
            Object::Route(r) if r.family == rtnl::AF_INET6 => Kind::Ipv6Route,
            Object::Neigh(_) => Kind::Neigh,
            Object::Rule(r) if r.family == rtnl::AF_INET => Kind::Ipv4Rule,
            Object::Rule(r) if r.family == rtnl::AF_INET6 => Kind::Ipv6Rule,
            _ => return None,
        })
    }
}

/// One item of the stream.
#[allow(clippy::large_enum_variant)] // events are moved, not stored by value in bulk
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Object {
        action: Action,
        /// From a dump (`list_existing` or a resync), not from a change.
        existing: bool,
        obj: Object,
        /// Names of the interfaces the object refers to (its link, master, output device).
        names: Vec<(u32, String)>,
    },
    /// The kernel dropped events here (ENOBUFS).
    Overflow,
    /// The subscription failed and ended (e.g. the socket broke).
    Error(Error),
    /// A stream dump ([`MonitorOptions::stream`]) is complete.
    End,
}

/// A single dump read at the consumer's pace instead of a subscription: the same bounded queue,
/// so a listing of a million routes never sits in memory at once.
#[derive(Debug, Clone)]
pub struct StreamDump {
    /// The encoded dump request (e.g. `rtnl::route::dump(...)`).
    pub request: Vec<u8>,
    pub filter: crate::rtnl::Filter,
}

#[derive(Debug, Clone)]
pub struct MonitorOptions {
    pub kinds: Vec<Kind>,
    /// Deliver the current objects (a dump) before live events, and again after an overflow.
    pub list_existing: bool,
    /// SO_RCVBUF(FORCE) of the socket, bytes.
    pub rcvbuf: usize,
    /// Events held for the consumer before the thread stops reading the socket.
    pub queue_limit: usize,
    /// The network namespace to watch (default: the caller's).
    pub netns: Option<NetnsRef>,
    /// Instead of subscribing, run this one dump and end.
    pub stream: Option<StreamDump>,
}

impl Default for MonitorOptions {
    fn default() -> Self {
        MonitorOptions { kinds: Vec::new(), list_existing: false, rcvbuf: 32 << 20, queue_limit: 8192, netns: None, stream: None }
    }
}

/// Told when events became available while the consumer was waiting. Called on the I/O thread.
pub trait Notify: Send + Sync + 'static {
    fn ready(&self);
}

struct Queue {
    events: VecDeque<Event>,
    /// The consumer found the queue empty and waits for `ready()`.
    waiting: bool,
    closed: bool,
}

struct Shared {
    sock: NetlinkSocket,
    wake: EventFd,
    queue: Mutex<Queue>,
    notify: Box<dyn Notify>,
    opts: MonitorOptions,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub struct Monitor {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

/// Dumps retried when the kernel marks them inconsistent, before the stream reports an error.
const DUMP_RETRIES: u32 = 10;
/// Datagrams read per wake-up before the queue is published.
const BURST: usize = 256;
/// After a wake-up that drained the socket, how long events may gather before the next read:
/// the longest an event of a running burst waits (the first of a quiet spell does not wait).
const COALESCE: Duration = Duration::from_micros(250);

impl Monitor {
    /// Opens a socket in the calling thread's namespace and joins the groups before returning,
    /// so a change made right after this call is seen.
    pub fn open(opts: MonitorOptions, notify: Box<dyn Notify>) -> Result<Monitor> {
        let sock = open_route_socket_in(opts.netns.as_ref(), opts.rcvbuf)?;
        Monitor::with_socket(sock, opts, notify)
    }

    /// Like [`Monitor::open`] on a socket opened elsewhere (e.g. in another namespace).
    pub fn with_socket(sock: NetlinkSocket, opts: MonitorOptions, notify: Box<dyn Notify>) -> Result<Monitor> {
        set_rcvbuf(&sock, opts.rcvbuf);
        // Links are always joined: their names label the other events. A stream joins nothing.
        let mut groups: Vec<u32> = opts.kinds.iter().map(|k| k.group()).collect();
        if opts.stream.is_none() {
            groups.push(Kind::Link.group());
        }
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
            .spawn(move || Reader::new(&s2).run())
            .map_err(|e| Error::io(&e))?;
        Ok(Monitor { shared, thread: Some(thread) })
    }

    /// Takes up to `max` events. When there are none, arms a `ready()` notification and
    /// returns an empty vector.
    pub fn take(&self, max: usize) -> Vec<Event> {
        let mut q = self.shared.lock();
        let was_full = q.events.len() >= self.shared.opts.queue_limit;
        let n = q.events.len().min(max);
        let out: Vec<Event> = q.events.drain(..n).collect();
        q.waiting = out.is_empty() && !q.closed;
        drop(q);
        if was_full && n > 0 {
            self.shared.wake.wake(); // the reader paused on a full queue
        }
        out
    }

    /// Stops the thread and closes the socket. Idempotent.
    pub fn close(&mut self) {
        self.shared.lock().closed = true;
        self.shared.wake.wake();
        crate::conn::join_worker(self.thread.take());
    }
}

impl Drop for Monitor {
    fn drop(&mut self) {
        self.close();
    }
}

/// The I/O thread's state.
struct Reader<'a> {
    sh: &'a Shared,
    /// Our socket's port id: the nlmsg_pid of replies to our dumps.
    port: u32,
    wanted: Vec<Kind>,
    names: HashMap<u32, String>,
    /// Dumps still to run: (kind, deliver as existing?); kind `None` is the stream dump.
    dumps: VecDeque<(Option<Kind>, bool)>,
    running: Option<RunningDump>,
    /// A dump given up after an overflow that the kernel may still be running.
    abandoned: Option<u32>,
    /// Object events held until the first link listing has named the links.
    held: Vec<Event>,
    names_ready: bool,
    next_seq: u32,
    buf: Vec<u8>,
    pending: Vec<Event>,
}

struct RunningDump {
    seq: u32,
    /// `None`: the stream dump.
    kind: Option<Kind>,
    deliver: bool,
    interrupted: bool,
    retries: u32,
    /// Identities of the objects this listing delivered, kept across retries: a retried dump
    /// (NLM_F_DUMP_INTR) lists only what the interrupted attempts had not. Changes made
    /// meanwhile arrive as notifications anyway.
    seen: HashSet<u64>,
}

fn is_enobufs(msg: &wire::Message<'_>) -> bool {
    wire::parse_error(msg.header.flags, msg.payload).is_ok_and(|e| e.errno == libc::ENOBUFS)
}

/// What makes an object the same object (not its changing counters): for skipping repeats
/// when a listing is retried.
fn identity(obj: &Object) -> u64 {
    let mut h = DefaultHasher::new();
    match obj {
        Object::Link(l) => (0u8, l.index).hash(&mut h),
        Object::Addr(a) => (1u8, a.family, a.index, a.address, a.prefix_len, a.peer).hash(&mut h),
        Object::Route(r) => {
            (2u8, r.family, r.table, r.dst, r.dst_len, r.src, r.src_len, r.tos, r.priority, r.route_type).hash(&mut h);
            (r.oif, r.gateway, r.nexthops.iter().map(|n| (n.oif, n.gateway)).collect::<Vec<_>>()).hash(&mut h);
        }
        Object::Neigh(n) => (3u8, n.family, n.index, n.dst, n.lladdr.as_deref(), n.vlan).hash(&mut h),
        Object::Rule(r) => (4u8, r.family, r.priority, r.table, r.src, r.dst, r.iifname.as_deref(), r.oifname.as_deref(), r.fwmark).hash(&mut h),
    }
    h.finish()
}

impl<'a> Reader<'a> {
    fn new(sh: &'a Shared) -> Self {
        let mut r = Reader {
            sh,
            port: sh.sock.port(),
            wanted: sh.opts.kinds.clone(),
            names: HashMap::new(),
            dumps: VecDeque::new(),
            running: None,
            abandoned: None,
            held: Vec::new(),
            names_ready: sh.opts.stream.is_some(),
            next_seq: 1,
            buf: vec![0u8; 64 * 1024],
            pending: Vec::new(),
        };
        if sh.opts.stream.is_some() {
            r.dumps.push_back((None, true));
        } else {
            r.schedule_dumps(sh.opts.list_existing);
        }
        r
    }

    /// The link dump (for names; delivered when links were asked for), then, when listing
    /// existing objects, one dump per wanted kind.
    fn schedule_dumps(&mut self, list_existing: bool) {
        self.dumps.push_back((Some(Kind::Link), list_existing && self.wanted.contains(&Kind::Link)));
        if list_existing {
            for k in self.wanted.clone() {
                if k != Kind::Link {
                    self.dumps.push_back((Some(k), true));
                }
            }
        }
    }

    fn run(mut self) {
        let fds = [self.sh.sock.as_raw_fd(), self.sh.wake.as_raw_fd()];
        loop {
            let (closed, full) = {
                let q = self.sh.lock();
                (q.closed, q.events.len() >= self.sh.opts.queue_limit)
            };
            if closed {
                return;
            }
            if self.running.is_none() && self.abandoned.is_none() {
                self.start_next_dump();
            }
            // With a full queue, stop reading: the socket fills and the kernel reports the loss.
            let watch = if full { &fds[1..] } else { &fds[..] };
            let ready = match sys::poll_readable(watch, Some(Duration::from_millis(1000))) {
                Ok(r) => r,
                Err(_) => vec![true; watch.len()],
            };
            if *ready.last().unwrap_or(&false) {
                self.sh.wake.drain();
            }
            let mut coalesce = false;
            if !full && ready[0] {
                match catch_unwind(AssertUnwindSafe(|| self.read_burst())) {
                    Ok(n) => coalesce = n > 0 && n < BURST,
                    Err(_) => self.pending.push(Event::Error(Error::protocol("internal error in the monitor"))),
                }
            }
            self.publish();
            if coalesce {
                // What arrived is delivered; let the next events gather for a moment rather than
                // waking this thread and the consumer once per event during a burst (the wake-ups
                // cost more than the events). The socket's buffer absorbs far more than this.
                std::thread::sleep(COALESCE);
            }
        }
    }

    fn start_next_dump(&mut self) {
        let Some((kind, deliver)) = self.dumps.pop_front() else { return };
        self.start_dump(kind, deliver, 0, HashSet::new());
    }

    fn start_dump(&mut self, kind: Option<Kind>, deliver: bool, retries: u32, seen: HashSet<u64>) {
        let seq = self.next_seq;
        self.next_seq = self.next_seq.wrapping_add(1).max(1);
        let mut msg = match (kind, &self.sh.opts.stream) {
            (Some(k), _) => k.dump(),
            (None, Some(st)) => st.request.clone(),
            (None, None) => return,
        };
        wire::stamp(&mut msg, seq, 0);
        match self.sh.sock.send_to_kernel(&msg) {
            Ok(_) => self.running = Some(RunningDump { seq, kind, deliver, interrupted: false, retries, seen }),
            Err(e) => self.pending.push(Event::Error(Error::io(&e))),
        }
    }

    /// Reads up to [`BURST`] datagrams; returns how many (fewer: the socket is drained, or the
    /// queue is full).
    fn read_burst(&mut self) -> usize {
        for i in 0..BURST {
            if self.pending.len() + self.held.len() >= self.sh.opts.queue_limit {
                return i;
            }
            let mut buf = std::mem::take(&mut self.buf);
            // No MSG_PEEK here: a peek lets the kernel try to continue a running dump while the
            // peeked datagram still fills a small buffer, and it then reports ENOBUFS on every
            // read. A cut datagram (longer than the buffer, which then grows) is a loss.
            let r = self.sh.sock.recv_growing(&mut buf);
            match r {
                Ok((n, 0, false)) => self.handle(&buf[..n]),
                Ok((_, 0, true)) => self.overflow(),
                Ok(_) => {} // not from the kernel
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    self.buf = buf;
                    return i;
                }
                Err(e) if e.raw_os_error() == Some(libc::ENOBUFS) => self.overflow(),
                Err(e) => {
                    self.pending.push(Event::Error(Error::io(&e)));
                    self.sh.lock().closed = true;
                    self.buf = buf;
                    return 0;
                }
            }
            self.buf = buf;
        }
        BURST
    }

    /// Events were lost. Names may be stale too: re-dump links, and everything when mirroring.
    /// A dump in progress lost parts as well, so it is abandoned (its late parts are ignored).
    ///
    /// The kernel keeps running an abandoned dump for this socket (a new one would get EBUSY),
    /// so the next dump starts only once the abandoned one's NLMSG_DONE/ERROR has been read.
    fn overflow(&mut self) {
        self.pending.push(Event::Overflow);
        if let Some(d) = self.running.take() {
            self.abandoned = Some(d.seq);
        }
        self.dumps.clear();
        self.schedule_dumps(self.sh.opts.list_existing);
    }

    fn handle(&mut self, data: &[u8]) {
        for m in wire::messages(data) {
            let Ok(msg) = m else { return };
            let h = msg.header;
            // Replies to our dumps are addressed to our port. Notifications carry the port and
            // sequence number of whoever made the change (IPv4 addresses do), so the sequence
            // number alone cannot tell them apart.
            let to_us = h.pid == self.port;
            let dump = self.running.as_mut().filter(|d| to_us && d.seq == h.seq);
            let from_dump = dump.is_some();
            if let Some(d) = dump {
                if h.flags & NLM_F_DUMP_INTR != 0 {
                    d.interrupted = true;
                }
                if h.ty == NLMSG_ERROR && is_enobufs(&msg) {
                    continue; // the first part did not fit; the kernel keeps the dump running
                }
                if h.ty == NLMSG_DONE || h.ty == NLMSG_ERROR {
                    self.dump_finished(&msg);
                    continue;
                }
            } else if to_us {
                // A part of an abandoned dump; its end frees the socket for the next one (an
                // ENOBUFS error only means a part did not fit: the dump goes on).
                if self.abandoned == Some(h.seq) && (h.ty == NLMSG_DONE || (h.ty == NLMSG_ERROR && !is_enobufs(&msg))) {
                    self.abandoned = None;
                }
                continue;
            }
            let Ok(Some((action, obj))) = rtnl::decode(&msg) else { continue };
            self.track_name(action, &obj);
            let deliver = match (&self.running, &self.sh.opts.stream) {
                (Some(d), Some(st)) if from_dump && d.kind.is_none() => st.filter.keep(&obj),
                (Some(d), _) if from_dump => d.deliver && Kind::of(&obj) == d.kind,
                (_, Some(_)) => false,
                _ => Kind::of(&obj).is_some_and(|k| self.wanted.contains(&k)),
            };
            // A retried listing skips what an interrupted attempt already listed.
            let repeat = match self.running.as_mut() {
                Some(d) if from_dump && deliver && d.kind.is_some() => !d.seen.insert(identity(&obj)) && d.retries > 0,
                _ => false,
            };
            if deliver && !repeat {
                let names = self.names_for(&obj);
                let ev = Event::Object { action, existing: from_dump, obj, names };
                if self.names_ready {
                    self.pending.push(ev);
                } else {
                    self.held.push(ev);
                }
            }
        }
    }

    fn dump_finished(&mut self, msg: &wire::Message<'_>) {
        let Some(d) = self.running.take() else { return };
        if d.kind == Some(Kind::Link) && !self.names_ready {
            self.release_held();
        }
        let errno = if msg.header.ty == NLMSG_DONE {
            wire::parse_done(msg.header.flags, msg.payload).errno
        } else {
            wire::parse_error(msg.header.flags, msg.payload).map(|e| e.errno).unwrap_or(libc::EPROTO)
        };
        let stream = d.kind.is_none();
        if !stream && (errno == libc::EAFNOSUPPORT || errno == libc::EOPNOTSUPP) {
            return; // e.g. IPv6 rules on a kernel without IPv6: nothing to list
        }
        if stream && errno == 0 && d.interrupted {
            // Parts are already out: a stream cannot be retried transparently.
            let e = Error::new(crate::ErrorKind::DumpInterrupted, libc::EINTR, Some("dump interrupted by concurrent changes".into()));
            self.pending.push(Event::Error(e));
        } else if stream && errno == 0 {
            self.pending.push(Event::End);
        } else if errno != 0 {
            let e = wire::ErrorMsg { errno, ..Default::default() };
            self.pending.push(Event::Error(Error::kernel(&e)));
        } else if d.interrupted {
            if d.retries < DUMP_RETRIES {
                self.start_dump(d.kind, d.deliver, d.retries + 1, d.seen);
            } else {
                let e = Error::new(crate::ErrorKind::DumpInterrupted, libc::EINTR, Some("dump kept being interrupted".into()));
                self.pending.push(Event::Error(e));
            }
        }
    }

    /// The first link listing is complete: name the events held meanwhile and publish them.
    fn release_held(&mut self) {
        self.names_ready = true;
        for mut ev in std::mem::take(&mut self.held) {
            if let Event::Object { obj, names, .. } = &mut ev {
                *names = self.names_for(obj);
            }
            self.pending.push(ev);
        }
    }

    fn track_name(&mut self, action: Action, obj: &Object) {
        if let Object::Link(l) = obj {
            if l.index > 0 {
                match action {
                    Action::New => {
                        self.names.insert(l.index as u32, l.name.clone());
                    }
                    Action::Del => {
                        self.names.remove(&(l.index as u32));
                    }
                }
            }
        }
    }

    fn names_for(&self, obj: &Object) -> Vec<(u32, String)> {
        let idx: [Option<u32>; 2] = match obj {
            Object::Link(l) => [l.master, l.link.filter(|_| l.link_netnsid.is_none())],
            Object::Addr(a) => [Some(a.index), None],
            Object::Route(r) => [r.oif, r.iif],
            Object::Neigh(n) => [Some(n.index), n.master],
            Object::Rule(_) => [None, None],
        };
        idx.into_iter().flatten().filter_map(|i| self.names.get(&i).map(|n| (i, n.clone()))).collect()
    }

    /// Moves what was read into the consumer's queue and wakes a waiting consumer.
    fn publish(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let mut q = self.sh.lock();
        q.events.extend(self.pending.drain(..));
        let notify = q.waiting;
        q.waiting = false;
        drop(q);
        if notify {
            self.sh.notify.ready();
        }
    }
}
