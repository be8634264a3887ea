//! The engine's state machine, without I/O: the sequence table, the in-flight window, queued
//! requests and dumps (one dump at a time per socket), deadlines. Messages ready to go are
//! collected in [`State::out`]; the I/O side sends them.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::time::{Duration, Instant};

use super::{Done, Mode, NameCache, Options, Protocol, Request, Then, Token};
use crate::error::{Error, ErrorKind};
use crate::wire;

/// How long after a deadline the socket is still read for the late reply.
const LATE_REPLY_GRACE: Duration = Duration::from_secs(5);

pub(super) struct Pending<P: Protocol> {
    pub token: Token,
    pub mode: Mode,
    pub filter: P::Filter,
    pub deadline: Instant,
    pub objects: Vec<P::Object>,
    pub interrupted: bool,
    pub decode_error: Option<Error>,
    /// Kept for dumps, to resend on NLM_F_DUMP_INTR (and gets, whose reply may not fit).
    pub retry_bytes: Option<Vec<u8>>,
    pub retries: u32,
    pub then: Option<Then<P>>,
    /// Parts of this dump were handed over already (a retry must say to discard them).
    pub parts_sent: bool,
    /// Wire size of the objects collected since the last part.
    pub part_bytes: usize,
    /// Dropped with the pending request.
    pub keep: Option<Box<dyn Send>>,
    /// A lookup's name and the name cache's generation when it was sent (0 without a cache).
    pub cache_as: Option<(String, u64)>,
}

pub(super) struct Queued<P: Protocol> {
    pub token: Token,
    pub req: Request<P>,
    pub deadline: Instant,
    /// How often this request has already been sent (an interrupted dump, a cut get).
    pub retries: u32,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Key {
    Seq(u32),
    Queued(Token),
}

/// Messages stamped and ready for one or more `sendto`s, with the sequence numbers in them.
#[derive(Default)]
pub(super) struct Batch {
    pub buf: Vec<u8>,
    pub seqs: Vec<u32>,
}

pub(super) struct State<P: Protocol> {
    pub next_seq: u32,
    pub in_flight: HashMap<u32, Pending<P>>,
    /// Requests over the in-flight window, in order.
    pub waiting: VecDeque<Queued<P>>,
    /// Dumps waiting for the running one (the kernel runs one dump per socket: EBUSY otherwise).
    pub dumps: VecDeque<Queued<P>>,
    /// Sequence number of the dump the kernel is running, even if its caller gave up on it.
    pub dump_seq: Option<u32>,
    /// When the caller of the running dump gave up: if the kernel's DONE has still not come a
    /// timeout later, the slot is freed anyway (a next dump then fails with EBUSY at worst,
    /// instead of every later dump queueing forever).
    pub dump_abandoned_at: Option<Instant>,
    pub deadlines: BinaryHeap<Reverse<(Instant, Key)>>,
    /// Deadline of each queued request, so checking a heap entry is O(1), not a queue scan.
    pub queued_deadline: HashMap<Token, Instant>,
    /// When the I/O thread will next wake by itself.
    pub wake_at: Option<Instant>,
    /// Whether the I/O thread's current poll includes the socket. It leaves the socket out
    /// while nothing is in flight, so replies a submitter reads itself wake nobody.
    pub io_watches_socket: bool,
    /// After a request expired, its reply may still come: keep reading (and dropping) until then.
    pub late_until: Option<Instant>,
    pub closed: bool,
    /// Requests whose name lookup just finished, to send from the receive loop.
    pub followups: Vec<Queued<P>>,
    /// The earliest deadline submitted since the I/O thread last looked.
    pub earliest_new: Option<Instant>,
    /// Replies dropped: unknown or expired sequence, or not from the kernel.
    pub dropped: u64,
    /// Dump parts handed over (see [`super::Stats::parts`]).
    pub parts: u64,
    /// Names this connection resolved (None: the protocol keeps none, or it could not be opened).
    pub names: Option<Box<dyn NameCache>>,
    pub done: Vec<Done<P::Object>>,
    /// Stamped messages waiting for the I/O side to send them.
    pub out: Batch,
}

impl<P: Protocol> State<P> {
    pub fn new() -> Self {
        State {
            next_seq: 1,
            in_flight: HashMap::new(),
            waiting: VecDeque::new(),
            dumps: VecDeque::new(),
            dump_seq: None,
            dump_abandoned_at: None,
            deadlines: BinaryHeap::new(),
            queued_deadline: HashMap::new(),
            wake_at: None,
            io_watches_socket: false,
            late_until: None,
            closed: false,
            followups: Vec::new(),
            earliest_new: None,
            dropped: 0,
            parts: 0,
            names: None,
            done: Vec::new(),
            out: Batch::default(),
        }
    }

    /// Registers requests and stamps them into [`State::out`] (`direct_max` of them at most;
    /// the rest queue for the I/O thread) or queues them; refusals land in `done`.
    pub fn enqueue(&mut self, opts: &Options, items: Vec<Queued<P>>, direct_max: usize, done: &mut Vec<Done<P::Object>>) {
        let mut earliest: Option<Instant> = None;
        let mut sent_here = 0;
        // Names are answered as of now: one sync for the whole batch.
        if let Some(c) = self.names.as_mut().filter(|_| items.iter().any(|q| q.req.name.is_some())) {
            c.sync();
        }
        for mut q in items {
            if self.closed {
                done.push(Done::new(q.token, Err(Error::closed())));
                continue;
            }
            if let Some(r) = self.answer_from_names(&mut q.req) {
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
                match self.admit(opts, q) {
                    None => {
                        sent_here += 1;
                        continue;
                    }
                    Some(back) => q = back,
                }
            }
            if self.waiting.len() + self.dumps.len() >= opts.max_queued {
                done.push(Done::new(q.token, Err(busy())));
                continue;
            }
            self.push_queued(q);
        }
        self.earliest_new = match (self.earliest_new, earliest) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }

    /// The request a name lookup stands for, built at once if the name cache knows the name.
    fn answer_from_names(&self, req: &mut Request<P>) -> Option<crate::Result<Request<P>>> {
        let index = self.names.as_ref()?.get(req.name.as_deref()?)?;
        let then = req.then.take()?;
        Some(then(index))
    }

    /// Puts a request in flight if the window (and, for a dump, the running dump) allows;
    /// otherwise hands it back to be queued.
    pub fn admit(&mut self, opts: &Options, q: Queued<P>) -> Option<Queued<P>> {
        let is_dump = q.req.mode == Mode::Dump;
        let blocked = self.in_flight.len() >= opts.max_in_flight
            || if is_dump { self.dump_seq.is_some() || !self.dumps.is_empty() } else { !self.waiting.is_empty() };
        if blocked {
            return Some(q);
        }
        let seq = self.next_seq();
        let Queued { token, req, deadline, retries } = q;
        let mut bytes = req.bytes;
        // nlmsg_pid 0 in a request is fine: the kernel knows the sending socket.
        wire::stamp(&mut bytes, seq, 0);
        if is_dump {
            self.dump_seq = Some(seq);
        }
        self.out.buf.extend_from_slice(&bytes);
        self.out.seqs.push(seq);
        self.deadlines.push(Reverse((deadline, Key::Seq(seq))));
        let cache_as = req.name.map(|name| (name, self.names.as_ref().map_or(0, |c| c.generation())));
        self.in_flight.insert(
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
                keep: req.keep,
                cache_as,
            },
        );
        None
    }

    /// `admit` for the head of a queue (which is not blocked by itself being queued).
    pub fn admit_front(&mut self, opts: &Options, q: Queued<P>) -> Option<Queued<P>> {
        let (w, d) = (std::mem::take(&mut self.waiting), std::mem::take(&mut self.dumps));
        let r = self.admit(opts, q);
        self.waiting = w;
        self.dumps = d;
        r
    }

    fn next_seq(&mut self) -> u32 {
        loop {
            let s = self.next_seq;
            self.next_seq = self.next_seq.wrapping_add(1).max(1);
            if !self.in_flight.contains_key(&s) && self.dump_seq != Some(s) {
                return s;
            }
        }
    }

    /// Queues a request that cannot go out yet (window full, or a dump behind the running one).
    pub fn push_queued(&mut self, q: Queued<P>) {
        self.deadlines.push(Reverse((q.deadline, Key::Queued(q.token))));
        self.queued_deadline.insert(q.token, q.deadline);
        if q.req.mode == Mode::Dump {
            self.dumps.push_back(q);
        } else {
            self.waiting.push_back(q);
        }
    }

    /// Stamps what waited: requests once the window has room, the next dump once the kernel's
    /// is over.
    pub fn pump(&mut self, opts: &Options) {
        while self.in_flight.len() < opts.max_in_flight {
            let Some(q) = self.waiting.pop_front() else { break };
            let token = q.token;
            match self.admit_front(opts, q) {
                Some(q) => {
                    self.waiting.push_front(q);
                    break;
                }
                None => {
                    self.queued_deadline.remove(&token);
                }
            }
        }
        if self.dump_seq.is_none() && self.in_flight.len() < opts.max_in_flight {
            if let Some(q) = self.dumps.pop_front() {
                let token = q.token;
                match self.admit_front(opts, q) {
                    Some(q) => self.dumps.push_front(q),
                    None => {
                        self.queued_deadline.remove(&token);
                    }
                }
            }
        }
    }

    /// The earliest live deadline (stale heap entries are dropped on the way).
    pub fn next_deadline(&mut self) -> Option<Instant> {
        while let Some(Reverse((at, key))) = self.deadlines.peek().copied() {
            let live = match key {
                Key::Seq(s) => self.in_flight.get(&s).is_some_and(|p| p.deadline == at),
                Key::Queued(t) => self.queued_deadline.get(&t) == Some(&at),
            };
            if live {
                return Some(at);
            }
            self.deadlines.pop();
        }
        None
    }

    /// Fails everything pending and queued with `err`, with what was already done first.
    pub fn fail_all(&mut self, err: impl Fn() -> Error) -> Vec<Done<P::Object>> {
        let mut done = std::mem::take(&mut self.done);
        let mut pend: Vec<(u32, Pending<P>)> = self.in_flight.drain().collect();
        pend.sort_by_key(|(s, _)| *s);
        done.extend(pend.into_iter().map(|(_, p)| Done::new(p.token, Err(err()))));
        done.extend(self.waiting.drain(..).chain(self.dumps.drain(..)).map(|q| Done::new(q.token, Err(err()))));
        self.deadlines.clear();
        self.queued_deadline.clear();
        done
    }

    /// Fails requests whose deadline has passed. A reply arriving later finds no entry and is
    /// dropped.
    pub fn expire(&mut self) {
        let now = Instant::now();
        while let Some(Reverse((at, key))) = self.deadlines.peek().copied() {
            if at > now {
                break;
            }
            self.deadlines.pop();
            let token = match key {
                Key::Seq(s) => match self.in_flight.get(&s) {
                    Some(p) if p.deadline == at => {
                        if self.dump_seq == Some(s) {
                            self.dump_abandoned_at = Some(now);
                        }
                        self.in_flight.remove(&s).map(|p| (p.token, p.mode == Mode::Dump))
                    }
                    _ => None,
                },
                Key::Queued(t) if self.queued_deadline.get(&t) == Some(&at) => {
                    self.queued_deadline.remove(&t);
                    remove_queued(&mut self.waiting, t, at)
                        .map(|t| (t, false))
                        .or_else(|| remove_queued(&mut self.dumps, t, at).map(|t| (t, true)))
                }
                Key::Queued(_) => None,
            };
            if let Some((token, ordered)) = token {
                if matches!(key, Key::Seq(_)) {
                    self.late_until = Some(now + LATE_REPLY_GRACE);
                }
                self.done.push(Done { ordered, ..Done::new(token, Err(Error::timeout())) });
            }
        }
    }
}

fn remove_queued<P: Protocol>(q: &mut VecDeque<Queued<P>>, token: Token, at: Instant) -> Option<Token> {
    let i = q.iter().position(|x| x.token == token && x.deadline == at)?;
    q.remove(i).map(|x| x.token)
}

fn busy() -> Error {
    Error::new(ErrorKind::Busy, libc::EAGAIN, Some("too many requests queued on this connection".into()))
}
