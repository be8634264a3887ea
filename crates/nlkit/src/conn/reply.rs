//! Replies into completions: sequence matching, ACKs and errors, dumps collected to their
//! NLMSG_DONE and handed over in parts, interrupted dumps retried, name lookups followed by
//! the requests they were made for. No I/O: what must be sent again is stamped into
//! [`State::out`].

use std::io;
use std::time::Instant;

use super::state::{Pending, Queued, State};
use super::{Done, Mode, Part, Protocol, Request, Shared};
use crate::error::{Error, ErrorKind, Result};
use crate::wire::{self, NLMSG_DONE, NLMSG_ERROR, NLMSG_NOOP, NLMSG_OVERRUN, NLM_F_DUMP_INTR};

/// What a running dump accumulates before it is handed over as a part.
/// (Wire bytes: a part costs the consumer about the same per byte whatever the object, and a
/// thousand links are over ten times the bytes of a thousand routes.)
const PART_BYTES: usize = 96 * 1024;

pub(super) enum Step {
    Go,
    Stop,
}

/// Handles the outcome of one read: a datagram (in `buf`), nothing more to read, or an error.
pub(super) fn on_recv<P: Protocol>(sh: &Shared<P>, st: &mut State<P>, r: io::Result<(usize, u32, bool)>, buf: &[u8]) -> Step {
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
            let done = st.fail_all(|| Error::io(&e));
            st.done = done;
            Step::Stop
        }
    }
}

/// Hands over what the running dump has collected so far (see [`Part`]); true if it did.
fn hand_over_part<P: Protocol>(st: &mut State<P>) -> bool {
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

/// A reply longer than the receive buffer (which has now grown to fit it): only its start
/// is known. A get is sent again; a change (whose ACK cannot be this long) or a dump (whose
/// datagrams cannot be unless one object is) fails with EMSGSIZE, and may simply be retried.
fn on_cut<P: Protocol>(sh: &Shared<P>, st: &mut State<P>, start: &[u8]) {
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
    finish(sh, st, h.seq, Err(Error::new(ErrorKind::Protocol, libc::EMSGSIZE, Some(msg))));
}

fn lost_replies<P: Protocol>(st: &mut State<P>) {
    let seqs: Vec<u32> = st.in_flight.iter().filter(|(_, p)| p.mode != Mode::Dump).map(|(s, _)| *s).collect();
    for s in seqs {
        if let Some(p) = st.in_flight.remove(&s) {
            let e = Error::new(ErrorKind::Io, libc::ENOBUFS, Some("reply lost: the socket's receive buffer overflowed".into()));
            st.done.push(Done::new(p.token, Err(e)));
        }
    }
}

fn handle_datagram<P: Protocol>(sh: &Shared<P>, st: &mut State<P>, data: &[u8]) {
    let mut it = wire::messages(data);
    while let Some(m) = it.next() {
        let msg = match m {
            Ok(m) => m,
            Err(e) => {
                // A malformed message: if its own header is readable, fail that request.
                if let Ok(h) = wire::MsgHeader::parse(it.remaining()) {
                    finish(sh, st, h.seq, Err(Error::protocol(e)));
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
                finish(sh, st, seq, r);
            }
            NLMSG_DONE => {
                let e = wire::parse_done(msg.header.flags, msg.payload);
                if e.errno != 0 {
                    finish(sh, st, seq, Err(Error::kernel(&e)));
                } else if p.interrupted {
                    retry_dump(sh, st, seq);
                } else {
                    finish(sh, st, seq, Ok(()));
                }
            }
            NLMSG_OVERRUN => finish(sh, st, seq, Err(Error::protocol("NLMSG_OVERRUN"))),
            _ => {
                if p.mode == Mode::Ack {
                    continue; // an echo; the ACK decides
                }
                match sh.proto.decode(&msg, &p.filter) {
                    Ok(Some(obj)) => {
                        p.objects.push(obj);
                        p.part_bytes += msg.payload.len();
                    }
                    Ok(None) => {}
                    Err(e) => {
                        if p.decode_error.is_none() {
                            p.decode_error = Some(Error::protocol(e));
                        }
                    }
                }
                if p.mode == Mode::Get {
                    finish(sh, st, seq, Ok(()));
                }
            }
        }
    }
}

fn finish<P: Protocol>(sh: &Shared<P>, st: &mut State<P>, seq: u32, r: Result<()>) {
    let Some(p) = st.in_flight.remove(&seq) else { return };
    let result = match (r, p.decode_error) {
        (Err(e), _) | (Ok(()), Some(e)) => Err(e),
        (Ok(()), None) => Ok(p.objects),
    };
    let result = match (result, &p.then, &p.cache_as) {
        (Err(e), Some(_), Some((name, _))) => Err(sh.proto.lookup_failed(name, e)),
        (r, ..) => r,
    };
    match (result, p.then) {
        (Ok(objs), Some(then)) => resolved(sh, st, p.token, p.deadline, p.cache_as, objs, then),
        (result, _) => st.done.push(Done { ordered: p.mode == Mode::Dump, ..Done::new(p.token, result) }),
    }
}

/// A name lookup answered: remember the name, and send the request it was made for (from
/// the receive loop, see [`send_followups`]).
fn resolved<P: Protocol>(
    sh: &Shared<P>,
    st: &mut State<P>,
    token: u64,
    deadline: Instant,
    cache_as: Option<(String, u64)>,
    reply: Vec<P::Object>,
    then: super::Then<P>,
) {
    let index = sh.proto.resolved_index(&reply);
    if let (Some(i), Some((name, generation)), Some(c)) = (index, &cache_as, &mut st.names) {
        c.insert(name, i, *generation);
    }
    match index.map(then) {
        Some(Ok(req)) => st.followups.push(Queued { token, req, deadline, retries: 0 }),
        Some(Err(e)) => st.done.push(Done::new(token, Err(e))),
        None => st.done.push(Done::new(token, Err(Error::kernel(&wire::ErrorMsg { errno: libc::ENODEV, ..Default::default() })))),
    }
}

/// Stamps (or queues) the requests whose name lookup finished.
fn send_followups<P: Protocol>(sh: &Shared<P>, st: &mut State<P>) {
    for q in std::mem::take(&mut st.followups) {
        if let Some(q) = st.admit(&sh.opts, q) {
            st.push_queued(q);
        }
    }
}

/// An inconsistent dump is never returned: resend it under a new sequence number, or give up
/// after `dump_retries` with a typed error.
fn retry_dump<P: Protocol>(sh: &Shared<P>, st: &mut State<P>, seq: u32) {
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
fn resend<P: Protocol>(sh: &Shared<P>, st: &mut State<P>, p: Pending<P>) {
    let req = Request {
        bytes: p.retry_bytes.unwrap_or_default(),
        mode: p.mode,
        filter: p.filter,
        then: p.then,
        keep: p.keep,
        name: p.cache_as.map(|(name, _)| name),
    };
    let q = Queued { token: p.token, req, deadline: p.deadline, retries: p.retries + 1 };
    if let Some(q) = st.admit_front(&sh.opts, q) {
        st.push_queued(q);
    }
}

/// Moves the completions a caller may hand over itself from `st.done` to `done`; true if a
/// dump's stayed for the I/O thread (see [`Done::ordered`]), which must then be woken.
pub(super) fn take_unordered<P: Protocol>(st: &mut State<P>, done: &mut Vec<Done<P::Object>>) -> bool {
    let mut ordered = false;
    for d in std::mem::take(&mut st.done) {
        if d.ordered {
            ordered = true;
            st.done.push(d);
        } else {
            done.push(d);
        }
    }
    ordered
}
