//! The monitor's I/O thread: reads the socket in bursts into the queue, runs the feed's dumps
//! one at a time (retrying interrupted ones), and turns a lost datagram into an overflow.

use std::collections::VecDeque;
use std::io;
use std::os::fd::AsRawFd;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Duration;

use super::{Dump, Event, Feed, Shared};
use crate::error::{Error, ErrorKind};
use crate::sys;
use crate::trace::Dir;
use crate::wire::{self, NLMSG_DONE, NLMSG_ERROR, NLM_F_DUMP_INTR};

/// Dumps retried when the kernel marks them inconsistent, before the stream reports an error.
const DUMP_RETRIES: u32 = 10;
/// Datagrams read per wake-up before the queue is published.
const BURST: usize = 256;
/// After a wake-up that drained the socket, how long events may gather before the next read:
/// the longest an event of a running burst waits (the first of a quiet spell does not wait).
const COALESCE: Duration = Duration::from_micros(250);

struct Running {
    seq: u32,
    dump: Dump,
    interrupted: bool,
    retries: u32,
}

pub(super) struct Reader<'a, F: Feed> {
    sh: &'a Shared<F::Item>,
    feed: F,
    /// Our socket's port id: the nlmsg_pid of replies to our dumps.
    port: u32,
    dumps: VecDeque<Dump>,
    running: Option<Running>,
    /// A dump given up after an overflow that the kernel may still be running.
    abandoned: Option<u32>,
    next_seq: u32,
    buf: Vec<u8>,
    pending: Vec<Event<F::Item>>,
}

fn is_enobufs(msg: &wire::Message<'_>) -> bool {
    wire::parse_error(msg.header.flags, msg.payload).is_ok_and(|e| e.errno == libc::ENOBUFS)
}

impl<'a, F: Feed> Reader<'a, F> {
    pub fn new(sh: &'a Shared<F::Item>, mut feed: F) -> Self {
        let dumps = feed.dumps(false).into();
        Reader {
            sh,
            feed,
            port: sh.sock.port(),
            dumps,
            running: None,
            abandoned: None,
            next_seq: 1,
            buf: vec![0u8; 64 * 1024],
            pending: Vec::new(),
        }
    }

    pub fn run(mut self) {
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
                if let Some(d) = self.dumps.pop_front() {
                    self.start_dump(d, 0);
                }
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

    fn start_dump(&mut self, dump: Dump, retries: u32) {
        let seq = self.next_seq;
        self.next_seq = self.next_seq.wrapping_add(1).max(1);
        let mut msg = dump.request.clone();
        wire::stamp(&mut msg, seq, 0);
        self.trace(Dir::Sent, &msg);
        match self.sh.sock.send_to_kernel(&msg) {
            Ok(_) => {
                self.feed.dump_started(dump.tag, retries);
                self.running = Some(Running { seq, dump, interrupted: false, retries });
            }
            Err(e) => self.pending.push(Event::Error(Error::io(&e))),
        }
    }

    /// Reads up to [`BURST`] datagrams; returns how many (fewer: the socket is drained, or the
    /// queue is full).
    fn read_burst(&mut self) -> usize {
        for i in 0..BURST {
            if self.pending.len() + self.feed.held() >= self.sh.opts.queue_limit {
                return i;
            }
            let mut buf = std::mem::take(&mut self.buf);
            // No MSG_PEEK here: a peek lets the kernel try to continue a running dump while the
            // peeked datagram still fills a small buffer, and it then reports ENOBUFS on every
            // read. A cut datagram (longer than the buffer, which then grows) is a loss.
            let r = self.sh.sock.recv_growing(&mut buf);
            match r {
                Ok((n, 0, false)) => {
                    self.trace(Dir::Received, &buf[..n]);
                    self.handle(&buf[..n])
                }
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

    /// Events were lost: the feed says what to list again. A dump in progress lost parts as
    /// well, so it is abandoned (its late parts are ignored).
    ///
    /// The kernel keeps running an abandoned dump for this socket (a new one would get EBUSY),
    /// so the next dump starts only once the abandoned one's NLMSG_DONE/ERROR has been read.
    fn overflow(&mut self) {
        self.pending.push(Event::Overflow);
        if let Some(d) = self.running.take() {
            self.abandoned = Some(d.seq);
        }
        self.dumps = self.feed.dumps(true).into();
    }

    fn trace(&self, dir: Dir, data: &[u8]) {
        if let Some(t) = &self.sh.opts.trace {
            t.datagram(self.feed.protocol(), dir, data);
        }
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
            let tag = dump.as_ref().map(|d| d.dump.tag);
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
            self.feed.message(&msg, tag, &mut self.pending);
        }
    }

    fn dump_finished(&mut self, msg: &wire::Message<'_>) {
        let Some(d) = self.running.take() else { return };
        self.feed.dump_done(d.dump.tag, &mut self.pending);
        // The kernel's whole answer, extended ACK included, for the error it may become.
        let end = if msg.header.ty == NLMSG_DONE {
            wire::parse_done(msg.header.flags, msg.payload)
        } else {
            wire::parse_error(msg.header.flags, msg.payload).unwrap_or(wire::ErrorMsg { errno: libc::EPROTO, ..Default::default() })
        };
        let errno = end.errno;
        let stream = self.feed.is_stream();
        if !stream && (errno == libc::EAFNOSUPPORT || errno == libc::EOPNOTSUPP) {
            return; // e.g. IPv6 rules on a kernel without IPv6: nothing to list
        }
        if stream && errno == 0 && d.interrupted {
            // Parts are already out: a stream cannot be retried transparently.
            let e = Error::new(ErrorKind::DumpInterrupted, libc::EINTR, Some("dump interrupted by concurrent changes".into()));
            self.pending.push(Event::Error(e));
        } else if stream && errno == 0 {
            self.pending.push(Event::End);
        } else if errno != 0 {
            self.pending.push(Event::Error(Error::kernel(&end)));
        } else if !d.interrupted {
            // In order, before the dumps already queued.
            for f in self.feed.follow_ups(d.dump.tag).into_iter().rev() {
                self.dumps.push_front(f);
            }
        } else if d.retries < DUMP_RETRIES {
            self.start_dump(d.dump, d.retries + 1);
        } else {
            let e = Error::new(ErrorKind::DumpInterrupted, libc::EINTR, Some("dump kept being interrupted".into()));
            self.pending.push(Event::Error(e));
        }
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
