//! The I/O side: the thread that owns the socket's receive side, sending stamped batches in
//! chunks that fit the socket, and handing completions to the completer.

use std::os::fd::AsRawFd;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::reply::{on_recv, Step};
use super::state::{Queued, State};
use super::{Done, Protocol, Shared};
use crate::error::Error;
use crate::sys;
use crate::wire;

/// Keeps each sendto well under the socket's send buffer (EMSGSIZE otherwise).
const MAX_SEND_BATCH: usize = 32 * 1024;
/// Datagrams read per wake-up before deadlines and the queue get a turn.
const RECV_BURST: usize = 256;
/// The longest the I/O thread sleeps without looking at deadlines.
const IDLE_TICK: Duration = Duration::from_millis(1000);

/// Sends what is stamped in `st.out` in chunks that fit the socket; a failed send fails
/// exactly its requests.
pub(super) fn flush<P: Protocol>(sh: &Shared<P>, st: &mut State<P>) {
    let out = std::mem::take(&mut st.out);
    let (mut start, mut seq_i) = (0, 0);
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
    // Keep the allocations for the next batch.
    let mut out = out;
    out.buf.clear();
    out.seqs.clear();
    st.out = out;
}

/// Leaves requests to the I/O thread (see [`Shared::handoff`]), behind any handed over before.
pub(super) fn hand_over<P: Protocol>(sh: &Shared<P>, items: Vec<Queued<P>>) {
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

/// Reads and handles up to `max` datagrams on the I/O thread, which holds `recv_buf`; the
/// state is locked per datagram, so a caller can get in between.
fn receive<P: Protocol>(sh: &Shared<P>, buf: &mut Vec<u8>, max: usize) {
    for _ in 0..max {
        let r = sh.transport.recv(buf);
        let mut st = sh.lock();
        let step = on_recv(sh, &mut st, r, buf);
        flush(sh, &mut st);
        if let Step::Stop = step {
            return;
        }
    }
}

pub(super) fn io_loop<P: Protocol>(sh: &Shared<P>) {
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
            let mut next = st.next_deadline().map_or(tick, |d| d.min(tick));
            if let Some(a) = st.dump_abandoned_at {
                next = next.min(a + sh.opts.timeout);
            }
            st.wake_at = Some(next);
            st.earliest_new = None;
            let late = st.late_until.is_some_and(|t| t > Instant::now());
            st.io_watches_socket = !st.in_flight.is_empty() || st.dump_seq.is_some() || late;
            (next.saturating_duration_since(Instant::now()), st.io_watches_socket)
        };
        let watched = if watch { &fds[..] } else { &fds[..1] };
        let ready = match sys::poll_readable(watched, Some(timeout)) {
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
                let mut refused = Vec::new();
                st.enqueue(&sh.opts, handed, usize::MAX, &mut refused);
                st.done.append(&mut refused);
            }
            st.expire();
            if st.dump_abandoned_at.is_some_and(|a| a + sh.opts.timeout <= Instant::now()) {
                st.dump_seq = None;
                st.dump_abandoned_at = None;
            }
            st.pump(&sh.opts);
            flush(sh, &mut st);
            std::mem::take(&mut st.done)
        }));
        let done = match r {
            Ok(done) => done,
            // A bug must not strand callers: fail what is pending, keep serving.
            Err(_) => sh.lock().fail_all(|| Error::protocol("internal error in the netlink engine")),
        };
        if !done.is_empty() {
            sh.completer.complete(done);
        }
    }
    let mut st = sh.lock();
    let mut done = st.fail_all(Error::closed);
    // Handed over but never taken: closed too.
    done.extend(std::mem::take(&mut *sh.handoff()).into_iter().map(|q| Done::new(q.token, Err(Error::closed()))));
    drop(st);
    if !done.is_empty() {
        sh.completer.complete(done);
    }
}
