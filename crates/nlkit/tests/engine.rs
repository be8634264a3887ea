//! The engine (`Conn` / `Client`) against a fake kernel.
//!
//! The fake kernel is the test thread holding one end of a `SOCK_SEQPACKET` unix socket pair;
//! the engine gets the other end through [`FakeTransport`]. Requests travel unframed (one
//! `send` of the engine is one datagram). Replies are framed as
//! `[4-byte native-endian sender port id][netlink datagram]`, so the fake kernel can also
//! pretend to be some other sender, and a datagram whose sender is [`ENOBUFS_MARKER`] makes the
//! transport report `ENOBUFS` (the kernel telling us it dropped replies).
//!
//! Blocking client calls run on scoped threads while the test thread plays the kernel. Every
//! call has a finite timeout, so a failing assertion on the kernel side ends the test instead
//! of hanging it.

use std::collections::{HashMap, HashSet, VecDeque};
use std::io;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Once};
use std::thread;
use std::time::{Duration, Instant};

use nlkit::conn::{Conn, Transport};
use nlkit::rtnl::link::{self, LinkRef, RTM_GETLINK, RTM_NEWLINK, RTM_SETLINK};
use nlkit::rtnl::{Filter, Object};
use nlkit::sys;
use nlkit::wire::{
    self, MsgBuilder, MsgHeader, NLMSG_DONE, NLMSG_ERROR, NLMSG_HDRLEN, NLMSG_NOOP, NLMSG_OVERRUN, NLM_F_ACK,
    NLM_F_ACK_TLVS, NLM_F_CAPPED, NLM_F_DUMP, NLM_F_DUMP_INTR, NLM_F_MULTI, NLM_F_REQUEST,
};
use nlkit::{Client, Completer, Done, ErrorKind, Options, Request, Result};

/// Our port id, as the fake transport reports it.
const PORT: u32 = 1234;
/// Sender port id of a control datagram that makes the transport fail with ENOBUFS.
const ENOBUFS_MARKER: u32 = u32::MAX;
/// How long the fake kernel waits for something that must happen, and the default request
/// timeout (so a broken test fails instead of hanging).
const WAIT: Duration = Duration::from_secs(3);
/// How long the fake kernel listens to make sure something does *not* happen. A wrong engine
/// may slip through a short window, a right one never fails it: no flakiness either way.
const QUIET: Duration = Duration::from_millis(150);

const IFLA_IFNAME: u16 = 3;
const IFLA_LINKINFO: u16 = 18;
const NLMSGERR_ATTR_MSG: u16 = 1;
const NLMSGERR_ATTR_OFFS: u16 = 2;

// ---------------------------------------------------------------------------------------------
// Panics on the engine's I/O thread are caught by the engine (it fails what is pending and
// keeps serving), so with nothing pending they would go unnoticed. A panic hook counts them.

static ENGINE_PANICS: AtomicUsize = AtomicUsize::new(0);

fn watch_engine_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let prev = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if thread::current().name() == Some("nlkit-io") {
                ENGINE_PANICS.fetch_add(1, Ordering::SeqCst);
            }
            prev(info);
        }));
    });
}

fn assert_no_engine_panics() {
    assert_eq!(ENGINE_PANICS.load(Ordering::SeqCst), 0, "the engine's I/O thread panicked");
}

// ---------------------------------------------------------------------------------------------
// Socket helpers shared by both ends.

/// Waits until `fd` has one of `events`; false on timeout.
fn poll_fd(fd: RawFd, events: libc::c_short, timeout: Duration) -> bool {
    let mut p = libc::pollfd { fd, events, revents: 0 };
    let ms = timeout.as_millis().min(i32::MAX as u128) as libc::c_int;
    // SAFETY: p is one valid pollfd.
    let r = unsafe { libc::poll(&mut p, 1, ms) };
    r > 0 && p.revents != 0
}

/// One whole datagram into `buf` (grown as needed, sized with MSG_PEEK | MSG_TRUNC).
/// Ok(0) is end of file: the peer closed (we never send empty datagrams).
fn recv_whole(fd: RawFd, buf: &mut Vec<u8>) -> io::Result<usize> {
    loop {
        if buf.len() < 4096 {
            buf.resize(4096, 0);
        }
        let want = match sys::recv_fd(fd, buf, libc::MSG_PEEK | libc::MSG_TRUNC) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            r => r?,
        };
        if want > buf.len() {
            buf.resize(want.next_power_of_two(), 0);
        }
        match sys::recv_fd(fd, buf, 0) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            r => return r,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The engine's end.

struct FakeTransport {
    fd: OwnedFd,
}

impl Transport for FakeTransport {
    fn fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }

    fn send(&self, buf: &[u8]) -> io::Result<usize> {
        sys::send_fd(self.fd.as_raw_fd(), buf)
    }

    fn recv(&self, buf: &mut Vec<u8>) -> io::Result<(usize, u32, bool)> {
        // Read whole, then behave like the kernel with the engine's buffer: a datagram longer
        // than `buf` is cut (its start kept) and `buf` grows.
        let mut whole = Vec::new();
        let n = recv_whole(self.fd.as_raw_fd(), &mut whole)?;
        if n == 0 {
            // The fake kernel is gone (only at teardown).
            return Err(io::ErrorKind::ConnectionAborted.into());
        }
        if n < 4 {
            // Not framed by our fake kernel; never sent. Treat as an empty datagram.
            return Ok((0, 0, false));
        }
        let sender = u32::from_ne_bytes([whole[0], whole[1], whole[2], whole[3]]);
        if sender == ENOBUFS_MARKER {
            return Err(io::Error::from_raw_os_error(libc::ENOBUFS));
        }
        let data = &whole[4..n];
        if data.len() > buf.len() {
            let have = buf.len();
            buf[..have].copy_from_slice(&data[..have]);
            buf.resize(data.len().next_power_of_two(), 0);
            return Ok((have, sender, true));
        }
        buf[..data.len()].copy_from_slice(data);
        Ok((data.len(), sender, false))
    }

    fn port(&self) -> u32 {
        PORT
    }
}

// ---------------------------------------------------------------------------------------------
// The kernel's end.

/// One request as the fake kernel received it.
#[derive(Debug, Clone)]
struct Req {
    hdr: MsgHeader,
    /// The whole message, header included.
    bytes: Vec<u8>,
}

impl Req {
    fn seq(&self) -> u32 {
        self.hdr.seq
    }

    /// IFLA_IFNAME of a link request (after the 16-byte ifinfomsg).
    fn name(&self) -> Option<String> {
        let attrs = self.bytes.get(NLMSG_HDRLEN + 16..)?;
        wire::attrs(attrs).flatten().find(|(ty, _)| *ty == IFLA_IFNAME).map(|(_, v)| wire::attr_str(v))
    }
}

struct FakeKernel {
    fd: OwnedFd,
}

impl FakeKernel {
    fn new() -> (FakeKernel, FakeTransport) {
        let (a, b) = sys::socketpair_dgram().expect("socketpair");
        (FakeKernel { fd: a }, FakeTransport { fd: b })
    }

    /// Waits up to `timeout` for a first datagram from the engine, then takes every datagram
    /// already queued.
    fn read_datagrams(&self, timeout: Duration) -> Vec<Vec<u8>> {
        let fd = self.fd.as_raw_fd();
        let mut out = Vec::new();
        if !poll_fd(fd, libc::POLLIN, timeout) {
            return out;
        }
        let mut buf = Vec::new();
        loop {
            match recv_whole(fd, &mut buf) {
                Ok(0) => break, // the engine closed its end
                Ok(n) => out.push(buf[..n].to_vec()),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) => panic!("fake kernel recv: {e}"),
            }
        }
        out
    }

    /// The requests in datagrams, in order.
    fn parse(datagrams: &[Vec<u8>]) -> Vec<Req> {
        let mut out = Vec::new();
        for d in datagrams {
            for m in wire::messages(d) {
                let m = m.expect("the engine sent a malformed request");
                let len = m.header.len as usize;
                let start = m.payload.as_ptr() as usize - d.as_ptr() as usize - NLMSG_HDRLEN;
                out.push(Req { hdr: m.header, bytes: d[start..start + len].to_vec() });
            }
        }
        out
    }

    /// The requests that arrive within `timeout` (see [`FakeKernel::read_datagrams`]).
    fn read_requests(&self, timeout: Duration) -> Vec<Req> {
        Self::parse(&self.read_datagrams(timeout))
    }

    /// Reads until exactly `n` requests arrived (panics on more, or on fewer within WAIT).
    fn expect_requests(&self, n: usize) -> Vec<Req> {
        let deadline = Instant::now() + WAIT;
        let mut out = Vec::new();
        while out.len() < n {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "expected {n} requests, got {}: {out:?}", out.len());
            out.extend(self.read_requests(left));
        }
        assert_eq!(out.len(), n, "more requests than expected: {out:?}");
        out
    }

    /// Asserts the engine sends nothing for a while.
    fn assert_quiet(&self) {
        let got = self.read_requests(QUIET);
        assert!(got.is_empty(), "unexpected requests: {got:?}");
    }

    /// Sends netlink bytes as one datagram from sender `pid`.
    fn send_raw(&self, pid: u32, bytes: &[u8]) {
        let mut d = pid.to_ne_bytes().to_vec();
        d.extend_from_slice(bytes);
        let fd = self.fd.as_raw_fd();
        let deadline = Instant::now() + WAIT;
        loop {
            match sys::send_fd(fd, &d) {
                Ok(n) => {
                    assert_eq!(n, d.len(), "short send");
                    return;
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock && Instant::now() < deadline => {
                    poll_fd(fd, libc::POLLOUT, Duration::from_millis(10));
                }
                Err(e) => panic!("fake kernel send: {e}"),
            }
        }
    }

    /// Sends netlink bytes as one datagram from the kernel (port 0).
    fn send(&self, bytes: &[u8]) {
        self.send_raw(0, bytes);
    }

    /// Sends several messages in one datagram from the kernel.
    fn send_all(&self, msgs: &[Vec<u8>]) {
        self.send(&msgs.concat());
    }

    /// Answers `req` with NLMSG_ERROR (`errno` 0 is an ACK).
    fn ack(&self, req: &Req, errno: i32) {
        self.send(&error_msg(req, errno, None));
    }

    /// Makes the engine's next recv fail with ENOBUFS.
    fn signal_enobufs(&self) {
        self.send_raw(ENOBUFS_MARKER, &[]);
    }
}

// ---------------------------------------------------------------------------------------------
// Building replies.

fn set_flags(msg: &mut [u8], flags: u16) {
    msg[6..8].copy_from_slice(&flags.to_ne_bytes());
}

fn set_len(msg: &mut [u8], len: u32) {
    msg[0..4].copy_from_slice(&len.to_ne_bytes());
}

/// Stamps seq and our port and sets the reply's flags (MsgBuilder adds NLM_F_REQUEST).
fn seal(b: MsgBuilder, seq: u32, flags: u16) -> Vec<u8> {
    let mut m = b.finish();
    wire::stamp(&mut m, seq, PORT);
    set_flags(&mut m, flags);
    m
}

fn ifinfomsg(index: i32) -> [u8; 16] {
    let mut h = [0u8; 16];
    h[4..8].copy_from_slice(&index.to_ne_bytes());
    h
}

/// RTM_NEWLINK: ifinfomsg + IFLA_IFNAME.
fn link_msg(seq: u32, flags: u16, index: i32, name: &str) -> Vec<u8> {
    let mut b = MsgBuilder::new(RTM_NEWLINK, 0);
    b.push(&ifinfomsg(index));
    b.attr_str(IFLA_IFNAME, name);
    seal(b, seq, flags)
}

/// NLMSG_ERROR for `req`: -errno, the echoed request header (capped), optional ext-ACK text.
fn error_msg(req: &Req, errno: i32, ext: Option<(&str, u32)>) -> Vec<u8> {
    let mut b = MsgBuilder::new(NLMSG_ERROR, 0);
    b.push(&(-errno).to_ne_bytes());
    b.push(&req.bytes[..NLMSG_HDRLEN]);
    let mut flags = NLM_F_CAPPED;
    if let Some((text, offset)) = ext {
        b.attr_str(NLMSGERR_ATTR_MSG, text);
        b.attr_u32(NLMSGERR_ATTR_OFFS, offset);
        flags |= NLM_F_ACK_TLVS;
    }
    seal(b, req.seq(), flags)
}

/// NLMSG_DONE ending a dump: -errno and optional ext-ACK text.
fn done_msg(seq: u32, errno: i32, ext: Option<&str>) -> Vec<u8> {
    let mut b = MsgBuilder::new(NLMSG_DONE, 0);
    b.push(&(-errno).to_ne_bytes());
    let mut flags = NLM_F_MULTI;
    if let Some(text) = ext {
        b.attr_str(NLMSGERR_ATTR_MSG, text);
        flags |= NLM_F_ACK_TLVS;
    }
    seal(b, seq, flags)
}

// ---------------------------------------------------------------------------------------------
// Client side.

fn opts() -> Options {
    Options { timeout: WAIT, ..Default::default() }
}

/// A fake kernel and a client on it. Bind as `let (kernel, client) = ...` so the client is
/// dropped (and its I/O thread stopped) before the kernel's end closes.
fn setup(o: Options) -> (FakeKernel, Client) {
    watch_engine_panics();
    let (kernel, transport) = FakeKernel::new();
    let client = Client::with_transport(Box::new(transport), o).expect("client");
    (kernel, client)
}

fn set_up(name: &str) -> Request {
    Request::ack(link::set_up(&LinkRef::Name(name.into()), true))
}

fn get(name: &str) -> Request {
    Request::get(link::get(&LinkRef::Name(name.into())))
}

fn dump() -> Request {
    Request::dump(link::dump(), Filter::default())
}

/// The link names of a successful result.
fn names(r: &Result<Vec<Object>>) -> Vec<String> {
    match r {
        Ok(objs) => objs
            .iter()
            .map(|o| match o {
                Object::Link(l) => l.name.clone(),
                other => panic!("not a link: {other:?}"),
            })
            .collect(),
        Err(e) => panic!("expected objects, got error {e:?}"),
    }
}

fn assert_err(r: &Result<Vec<Object>>, kind: ErrorKind, errno: i32) {
    match r {
        Err(e) => {
            assert_eq!((e.kind, e.errno), (kind, errno), "wrong error: {e:?}");
        }
        Ok(v) => panic!("expected {kind:?} (errno {errno}), got Ok({v:?})"),
    }
}

/// Polls `cond` until it holds (panics after WAIT).
fn wait_until(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + WAIT;
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        thread::sleep(Duration::from_millis(1));
    }
}

/// Waits until the engine has dropped `n` more replies than `before`.
fn wait_dropped(client: &Client, before: u64, n: u64) {
    wait_until("dropped replies", || client.conn().stats().dropped >= before + n);
    assert_eq!(client.conn().stats().dropped, before + n);
}

/// A small deterministic PRNG (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

// ---------------------------------------------------------------------------------------------
// 1. ACKs and kernel errors.

#[test]
fn ack_success_and_kernel_error_with_extended_ack() {
    let (kernel, client) = setup(opts());
    thread::scope(|s| {
        let h = s.spawn(|| client.call(set_up("x"), None));
        let r = kernel.expect_requests(1).remove(0);
        assert_eq!(r.hdr.ty, RTM_SETLINK);
        assert_eq!(r.hdr.flags, NLM_F_REQUEST | NLM_F_ACK);
        assert_ne!(r.seq(), 0, "requests carry a sequence number");
        assert_eq!(r.hdr.pid, 0);
        assert_eq!(r.hdr.len as usize, r.bytes.len());
        assert_eq!(r.name().as_deref(), Some("x"));
        kernel.ack(&r, 0);
        assert_eq!(h.join().unwrap(), Ok(vec![]));

        // Plain error, no extended ACK.
        let h = s.spawn(|| client.call(set_up("y"), None));
        let r = kernel.expect_requests(1).remove(0);
        kernel.ack(&r, libc::ENODEV);
        let e = h.join().unwrap().unwrap_err();
        assert_eq!((e.kind, e.errno, e.detail, e.offset), (ErrorKind::Kernel, libc::ENODEV, None, None));

        // Error with the kernel's text and attribute offset.
        let h = s.spawn(|| client.call(set_up("z"), None));
        let r = kernel.expect_requests(1).remove(0);
        kernel.send(&error_msg(&r, libc::EEXIST, Some(("link already exists", 32))));
        let e = h.join().unwrap().unwrap_err();
        assert_eq!(e.kind, ErrorKind::Kernel);
        assert_eq!(e.errno, libc::EEXIST);
        assert_eq!(e.errno, 17);
        assert_eq!(e.detail.as_deref(), Some("link already exists"));
        assert_eq!(e.offset, Some(32));
        assert!(e.to_string().contains("link already exists"), "{e}");
    });
    assert_eq!(client.conn().stats().dropped, 0);
}

// 2. Lost replies.

#[test]
fn lost_reply_times_out_and_late_reply_is_dropped() {
    let timeout = Duration::from_millis(150);
    let (kernel, client) = setup(Options { timeout, ..opts() });
    thread::scope(|s| {
        let t0 = Instant::now();
        let h = s.spawn(|| client.call(set_up("lost"), None));
        let lost = kernel.expect_requests(1).remove(0);
        let r = h.join().unwrap();
        let took = t0.elapsed();
        assert_err(&r, ErrorKind::Timeout, libc::ETIMEDOUT);
        assert!(took >= timeout, "failed before its deadline: {took:?}");
        assert!(took < timeout * 5, "timeout took far too long: {took:?}");
        assert_eq!(client.conn().stats().in_flight, 0);

        // The reply arrives after all: nobody waits for it any more.
        let before = client.conn().stats().dropped;
        kernel.ack(&lost, 0);
        wait_dropped(&client, before, 1);

        // A per-call timeout overrides the default one.
        let h = s.spawn(|| client.call(set_up("next"), Some(WAIT)));
        let r = kernel.expect_requests(1).remove(0);
        assert_ne!(r.seq(), lost.seq());
        kernel.ack(&r, 0);
        assert_eq!(h.join().unwrap(), Ok(vec![]));
    });
}

// 3. Unknown sequence numbers.

#[test]
fn reply_with_unknown_seq_is_dropped() {
    let (kernel, client) = setup(opts());
    thread::scope(|s| {
        let h = s.spawn(|| client.call(get("x"), None));
        let r = kernel.expect_requests(1).remove(0);
        assert_eq!(r.hdr.ty, RTM_GETLINK);
        let before = client.conn().stats().dropped;
        kernel.send(&link_msg(r.seq().wrapping_add(1000), 0, 66, "wrong"));
        let mut err = error_msg(&r, libc::EPERM, None);
        wire::stamp(&mut err, r.seq().wrapping_add(1001), PORT);
        kernel.send(&err);
        wait_dropped(&client, before, 2);
        assert!(!h.is_finished(), "an unknown seq completed the call");
        kernel.send(&link_msg(r.seq(), 0, 7, "x"));
        assert_eq!(names(&h.join().unwrap()), ["x"]);
    });
}

// 4. Replies from anyone but the kernel.

#[test]
fn reply_from_foreign_sender_is_ignored() {
    let (kernel, client) = setup(opts());
    thread::scope(|s| {
        let h = s.spawn(|| client.call(get("x"), None));
        let r = kernel.expect_requests(1).remove(0);
        let before = client.conn().stats().dropped;
        kernel.send_raw(77, &link_msg(r.seq(), 0, 66, "spoof"));
        kernel.send_raw(PORT, &error_msg(&r, libc::EPERM, None));
        wait_dropped(&client, before, 2);
        assert!(!h.is_finished(), "a foreign datagram completed the call");
        kernel.send(&link_msg(r.seq(), 0, 7, "x"));
        assert_eq!(names(&h.join().unwrap()), ["x"]);
    });
}

// 5. Truncated datagrams.

#[test]
fn truncated_reply_fails_with_protocol_error() {
    let (kernel, client) = setup(opts());
    thread::scope(|s| {
        // A get whose reply claims more bytes than the datagram has.
        let h = s.spawn(|| client.call(get("x"), None));
        let r = kernel.expect_requests(1).remove(0);
        let mut m = link_msg(r.seq(), 0, 7, "x");
        let real = m.len() as u32;
        set_len(&mut m, real + 100);
        kernel.send(&m);
        assert_err(&h.join().unwrap(), ErrorKind::Protocol, libc::EPROTO);

        // The same for an ACK: a truncated NLMSG_ERROR.
        let h = s.spawn(|| client.call(set_up("y"), None));
        let r = kernel.expect_requests(1).remove(0);
        let mut m = error_msg(&r, 0, None);
        let cut = m.len() - 8;
        m.truncate(cut);
        kernel.send(&m);
        assert_err(&h.join().unwrap(), ErrorKind::Protocol, libc::EPROTO);

        // The engine keeps working.
        let h = s.spawn(|| client.call(get("z"), None));
        let r = kernel.expect_requests(1).remove(0);
        kernel.send(&link_msg(r.seq(), 0, 9, "z"));
        assert_eq!(names(&h.join().unwrap()), ["z"]);
    });
    assert_no_engine_panics();
}

/// A malformed message that is not the first of its datagram must fail *its own* request.
#[test]

fn truncated_message_after_a_valid_one_fails_its_own_request() {
    let (kernel, client) = setup(Options { timeout: Duration::from_millis(1500), ..opts() });
    thread::scope(|s| {
        let h = s.spawn(|| client.call_many(vec![dump(), get("g")], None));
        let reqs = kernel.expect_requests(2);
        let (d, g) = (&reqs[0], &reqs[1]);
        assert_eq!((d.hdr.ty, g.hdr.ty), (RTM_GETLINK, RTM_GETLINK));
        // One datagram: a good dump part, then a truncated reply to the get.
        let mut bad = link_msg(g.seq(), 0, 2, "g");
        let real = bad.len() as u32;
        set_len(&mut bad, real + 64);
        kernel.send_all(&[link_msg(d.seq(), NLM_F_MULTI, 1, "d1"), bad]);
        kernel.send_all(&[link_msg(d.seq(), NLM_F_MULTI, 3, "d2"), done_msg(d.seq(), 0, None)]);
        let r = h.join().unwrap();
        assert_eq!(names(&r[0]), ["d1", "d2"], "the dump was failed for another request's bad reply");
        assert_err(&r[1], ErrorKind::Protocol, libc::EPROTO);
    });
}

// 6. Interrupted dumps.

#[test]
fn interrupted_dump_is_retried_and_only_the_clean_result_returned() {
    let (kernel, client) = setup(opts());
    thread::scope(|s| {
        let h = s.spawn(|| client.call(dump(), None));
        let first = kernel.expect_requests(1).remove(0);
        assert_eq!(first.hdr.ty, RTM_GETLINK);
        assert_eq!(first.hdr.flags & NLM_F_DUMP, NLM_F_DUMP);
        kernel.send_all(&[
            link_msg(first.seq(), NLM_F_MULTI, 1, "a"),
            link_msg(first.seq(), NLM_F_MULTI | NLM_F_DUMP_INTR, 2, "b"),
        ]);
        kernel.send(&done_msg(first.seq(), 0, None));

        let second = kernel.expect_requests(1).remove(0);
        assert_ne!(second.seq(), first.seq(), "a retried dump needs a new sequence number");
        assert_eq!((second.hdr.ty, second.hdr.flags), (first.hdr.ty, first.hdr.flags));
        assert_eq!(second.bytes[NLMSG_HDRLEN..], first.bytes[NLMSG_HDRLEN..]);
        kernel.send_all(&[link_msg(second.seq(), NLM_F_MULTI, 3, "c"), link_msg(second.seq(), NLM_F_MULTI, 4, "d")]);
        kernel.send(&done_msg(second.seq(), 0, None));
        assert_eq!(names(&h.join().unwrap()), ["c", "d"]);
    });
    kernel.assert_quiet();
}

#[test]
fn large_dump_arrives_in_parts_and_an_interrupted_one_restarts_cleanly() {
    // Thousands of links: several parts (the engine hands over ~96 KiB of messages at a time
    // while reading on). The first attempt is interrupted after parts were handed over; only
    // the clean second attempt may be in the result, in order, without duplicates.
    let (kernel, client) = setup(opts());
    let batch = |seq: u32, from: i32, n: i32, flags: u16| -> Vec<Vec<u8>> {
        (from..from + n).map(|i| link_msg(seq, flags, i, &format!("l{i}"))).collect()
    };
    thread::scope(|s| {
        let h = s.spawn(|| client.call(dump(), None));
        let first = kernel.expect_requests(1).remove(0);
        for k in 0..8 {
            kernel.send_all(&batch(first.seq(), 1 + k * 500, 500, NLM_F_MULTI));
        }
        // Let the engine read (and hand over) the first 4000 before the interruption shows.
        wait_until("a part handed over", || client.conn().stats().parts >= 1);
        kernel.send_all(&batch(first.seq(), 4001, 500, NLM_F_MULTI | NLM_F_DUMP_INTR));
        kernel.send(&done_msg(first.seq(), 0, None));

        let second = kernel.expect_requests(1).remove(0);
        let parts_before = client.conn().stats().parts;
        for k in 0..12 {
            kernel.send_all(&batch(second.seq(), 10_001 + k * 500, 500, NLM_F_MULTI));
        }
        kernel.send(&done_msg(second.seq(), 0, None));
        let got = names(&h.join().unwrap());
        let want: Vec<String> = (10_001..16_001).map(|i| format!("l{i}")).collect();
        assert_eq!(got, want);
        assert!(client.conn().stats().parts > parts_before, "the second attempt came in parts too");
    });
    kernel.assert_quiet();
}

#[test]
fn dump_interrupted_every_time_fails_after_the_retries() {
    let (kernel, client) = setup(Options { dump_retries: 2, ..opts() });
    thread::scope(|s| {
        let h = s.spawn(|| client.call(dump(), None));
        let mut seqs = HashSet::new();
        for round in 0..3 {
            let r = kernel.expect_requests(1).remove(0);
            assert_eq!(r.hdr.ty, RTM_GETLINK);
            assert!(seqs.insert(r.seq()), "sequence number reused");
            let mut done = done_msg(r.seq(), 0, None);
            if round == 1 {
                // The kernel may flag only NLMSG_DONE.
                set_flags(&mut done, NLM_F_MULTI | NLM_F_DUMP_INTR);
                kernel.send_all(&[link_msg(r.seq(), NLM_F_MULTI, 1, "a"), done]);
            } else {
                kernel.send_all(&[link_msg(r.seq(), NLM_F_MULTI | NLM_F_DUMP_INTR, 1, "a"), done]);
            }
        }
        let r = h.join().unwrap();
        assert_err(&r, ErrorKind::DumpInterrupted, libc::EINTR);
        kernel.assert_quiet();

        // The dump slot is free again.
        let h = s.spawn(|| client.call(dump(), None));
        let r = kernel.expect_requests(1).remove(0);
        kernel.send_all(&[link_msg(r.seq(), NLM_F_MULTI, 1, "ok"), done_msg(r.seq(), 0, None)]);
        assert_eq!(names(&h.join().unwrap()), ["ok"]);
    });
}

// 7. Errors in NLMSG_DONE.

#[test]
fn error_in_done_fails_the_dump() {
    let (kernel, client) = setup(opts());
    thread::scope(|s| {
        let h = s.spawn(|| client.call(dump(), None));
        let r = kernel.expect_requests(1).remove(0);
        kernel.send_all(&[link_msg(r.seq(), NLM_F_MULTI, 1, "a"), done_msg(r.seq(), libc::EINVAL, None)]);
        let e = h.join().unwrap().unwrap_err();
        assert_eq!((e.kind, e.errno, e.detail), (ErrorKind::Kernel, libc::EINVAL, None));

        // With extended-ACK text in the DONE.
        let h = s.spawn(|| client.call(dump(), None));
        let r = kernel.expect_requests(1).remove(0);
        kernel.send(&done_msg(r.seq(), libc::EOPNOTSUPP, Some("filter not supported")));
        let e = h.join().unwrap().unwrap_err();
        assert_eq!((e.kind, e.errno), (ErrorKind::Kernel, libc::EOPNOTSUPP));
        assert_eq!(e.detail.as_deref(), Some("filter not supported"));

        // A dump answered by NLMSG_ERROR instead.
        let h = s.spawn(|| client.call(dump(), None));
        let r = kernel.expect_requests(1).remove(0);
        kernel.ack(&r, libc::EPERM);
        assert_err(&h.join().unwrap(), ErrorKind::Kernel, libc::EPERM);

        // Each failed dump ended the kernel's dump: the next one goes out at once.
        let h = s.spawn(|| client.call(dump(), None));
        let r = kernel.expect_requests(1).remove(0);
        kernel.send(&done_msg(r.seq(), 0, None));
        assert_eq!(h.join().unwrap(), Ok(vec![]));
    });
}

// 8. Multipart dumps.

#[test]
fn multipart_dump_across_datagrams_is_assembled_in_order() {
    let (kernel, client) = setup(opts());
    thread::scope(|s| {
        let h = s.spawn(|| client.call(dump(), None));
        let seq = kernel.expect_requests(1).remove(0).seq();
        let part = |i: usize| link_msg(seq, NLM_F_MULTI, i as i32 + 1, &format!("l{i}"));
        kernel.send_all(&(0..3).map(part).collect::<Vec<_>>());
        // Larger than the engine's initial 64 KiB receive buffer.
        let big: Vec<u8> = (3..2003).flat_map(part).collect();
        assert!(big.len() > 64 * 1024);
        kernel.send(&big);
        kernel.send(&part(2003));
        let mut last: Vec<Vec<u8>> = (2004..2006).map(part).collect();
        last.push(done_msg(seq, 0, None));
        kernel.send_all(&last);

        let r = h.join().unwrap();
        let want: Vec<String> = (0..2006).map(|i| format!("l{i}")).collect();
        assert_eq!(names(&r), want);
        let indexes: Vec<i32> = r
            .unwrap()
            .iter()
            .map(|o| match o {
                Object::Link(l) => l.index,
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(indexes, (1..=2006).collect::<Vec<i32>>());
    });
}

// 9. Pipelining.

#[test]
fn pipelined_requests_are_batched_and_matched_by_seq() {
    const N: usize = 100;
    let (kernel, client) = setup(opts());
    // Even-numbered requests succeed, odd ones fail with an errno of their own.
    let errno_of = |i: usize| if i.is_multiple_of(2) { 0 } else { 1000 + i as i32 };
    thread::scope(|s| {
        let h = s.spawn(|| client.call_many((0..N).map(|i| set_up(&format!("p{i}"))).collect(), None));
        let mut datagrams = 0;
        let mut reqs = Vec::new();
        let deadline = Instant::now() + WAIT;
        while reqs.len() < N {
            assert!(Instant::now() < deadline, "only {} of {N} requests arrived", reqs.len());
            let d = kernel.read_datagrams(Duration::from_millis(100));
            datagrams += d.len();
            reqs.extend(FakeKernel::parse(&d));
        }
        assert_eq!(reqs.len(), N);
        assert!(datagrams < N, "{N} requests took {datagrams} datagrams");
        let seqs: HashSet<u32> = reqs.iter().map(Req::seq).collect();
        assert_eq!(seqs.len(), N, "sequence numbers must be unique");

        // Answer in reverse order, a few messages per datagram.
        let answers: Vec<Vec<u8>> = reqs
            .iter()
            .rev()
            .map(|r| {
                let i: usize = r.name().unwrap()[1..].parse().unwrap();
                error_msg(r, errno_of(i), None)
            })
            .collect();
        for chunk in answers.chunks(7) {
            kernel.send_all(chunk);
        }

        let results = h.join().unwrap();
        assert_eq!(results.len(), N);
        for (i, r) in results.iter().enumerate() {
            match errno_of(i) {
                0 => assert_eq!(r, &Ok(vec![]), "request {i}"),
                e => assert_err(r, ErrorKind::Kernel, e),
            }
        }
    });
    assert_eq!(client.conn().stats().dropped, 0);
}

// 10. One dump at a time.

#[test]
fn only_one_dump_runs_at_a_time() {
    let (kernel, client) = setup(opts());
    thread::scope(|s| {
        let h = s.spawn(|| client.call_many(vec![dump(), dump(), set_up("z")], None));
        // The first dump and the ACK request go out; the second dump waits.
        let first = kernel.expect_requests(2);
        let d1 = first.iter().find(|r| r.hdr.ty == RTM_GETLINK).expect("first dump");
        let a = first.iter().find(|r| r.hdr.ty == RTM_SETLINK).expect("ack request");
        kernel.ack(a, 0);
        kernel.send(&link_msg(d1.seq(), NLM_F_MULTI, 1, "first"));
        kernel.assert_quiet();
        kernel.send(&done_msg(d1.seq(), 0, None));

        let d2 = kernel.expect_requests(1).remove(0);
        assert_eq!(d2.hdr.ty, RTM_GETLINK);
        assert_ne!(d2.seq(), d1.seq());
        kernel.send_all(&[link_msg(d2.seq(), NLM_F_MULTI, 2, "second"), done_msg(d2.seq(), 0, None)]);

        let r = h.join().unwrap();
        assert_eq!(names(&r[0]), ["first"]);
        assert_eq!(names(&r[1]), ["second"]);
        assert_eq!(r[2], Ok(vec![]));
    });
}

/// The kernel keeps running a dump whose caller gave up: the next dump waits for its DONE.
#[test]
fn timed_out_dump_holds_the_dump_slot_until_its_done() {
    let (kernel, client) = setup(opts());
    thread::scope(|s| {
        let h = s.spawn(|| client.call(dump(), Some(Duration::from_millis(100))));
        let d1 = kernel.expect_requests(1).remove(0);
        assert_err(&h.join().unwrap(), ErrorKind::Timeout, libc::ETIMEDOUT);

        let h = s.spawn(|| client.call(dump(), None));
        kernel.assert_quiet();
        let before = client.conn().stats().dropped;
        kernel.send_all(&[link_msg(d1.seq(), NLM_F_MULTI, 1, "stale"), done_msg(d1.seq(), 0, None)]);
        let d2 = kernel.expect_requests(1).remove(0);
        assert_eq!(client.conn().stats().dropped, before + 2);
        kernel.send_all(&[link_msg(d2.seq(), NLM_F_MULTI, 2, "fresh"), done_msg(d2.seq(), 0, None)]);
        assert_eq!(names(&h.join().unwrap()), ["fresh"]);
    });
}

#[test]
fn reply_longer_than_the_buffer_get_is_sent_again_others_fail_retryably() {
    // Replies are read in one go (no peek): one longer than the buffer is cut. A tiny buffer
    // makes that happen here; with the real one it takes a single object of over 256 KiB.
    let (kernel, client) = setup(Options { recv_buf: 256, ..opts() });
    let long = "x".repeat(600);
    thread::scope(|s| {
        // A get: its reply is cut, the engine asks again (new seq) and the answer now fits.
        let h = s.spawn(|| client.call(get("a"), None));
        let r1 = kernel.expect_requests(1).remove(0);
        kernel.send(&link_msg(r1.seq(), 0, 7, &long));
        let r2 = kernel.expect_requests(1).remove(0);
        assert_ne!(r2.seq(), r1.seq());
        assert_eq!(r2.bytes[NLMSG_HDRLEN..], r1.bytes[NLMSG_HDRLEN..], "the same request again");
        kernel.send(&link_msg(r2.seq(), 0, 7, &long));
        assert_eq!(names(&h.join().unwrap()), [long.clone()]);
    });
    let (kernel, client) = setup(Options { recv_buf: 256, ..opts() });
    thread::scope(|s| {
        // An ACK (in reality never this long): the change fails with EMSGSIZE.
        let h = s.spawn(|| client.call(set_up("b"), None));
        let r = kernel.expect_requests(1).remove(0);
        kernel.send(&error_msg(&r, libc::EINVAL, Some((&long, 0))));
        assert_err(&h.join().unwrap(), ErrorKind::Protocol, libc::EMSGSIZE);
    });
    let (kernel, client) = setup(Options { recv_buf: 256, ..opts() });
    thread::scope(|s| {
        // A dump: fails with EMSGSIZE; its DONE may have been in the lost part, so the next
        // dump waits for the old one's DONE before it goes out.
        let h = s.spawn(|| client.call(dump(), None));
        let d1 = kernel.expect_requests(1).remove(0);
        kernel.send(&link_msg(d1.seq(), NLM_F_MULTI, 1, &long));
        assert_err(&h.join().unwrap(), ErrorKind::Protocol, libc::EMSGSIZE);
        let h = s.spawn(|| client.call(dump(), None));
        kernel.assert_quiet();
        kernel.send(&done_msg(d1.seq(), 0, None));
        let d2 = kernel.expect_requests(1).remove(0);
        kernel.send_all(&[link_msg(d2.seq(), NLM_F_MULTI, 2, &long), done_msg(d2.seq(), 0, None)]);
        assert_eq!(names(&h.join().unwrap()), [long.clone()]);
    });
    assert_no_engine_panics();
}

// 11. Closing.

struct ChannelCompleter(mpsc::Sender<Done>);

impl Completer for ChannelCompleter {
    fn complete(&self, done: Vec<Done>) {
        for d in done {
            let _ = self.0.send(d);
        }
    }
}

#[test]
fn every_request_completes_once_whether_sent_directly_or_handed_over_even_at_close() {
    // submit_and_collect never waits for the engine's state: when the I/O thread holds it, the
    // batch is handed over. Whatever path a request takes, it completes exactly once: answered,
    // or failed by close().
    watch_engine_panics();
    let (kernel, transport) = FakeKernel::new();
    let (tx, rx) = mpsc::channel();
    let mut conn = Conn::with_transport(Box::new(transport), opts(), Box::new(ChannelCompleter(tx))).expect("conn");
    let answered = thread::scope(|s| {
        let answer = s.spawn(|| {
            // Answer the first 300 requests (in bursts, so the I/O thread is busy), then stop.
            let mut n = 0;
            while n < 300 {
                let reqs = kernel.read_requests(Duration::from_millis(5));
                let reqs = &reqs[..reqs.len().min(300 - n)];
                n += reqs.len();
                kernel.send_all(&reqs.iter().map(|r| error_msg(r, 0, None)).collect::<Vec<_>>());
            }
            n
        });
        let mut got = Vec::new();
        for t in 0..500u64 {
            got.extend(conn.submit_and_collect(vec![(t + 1, set_up("x"), None)], 64));
        }
        (got, answer.join().unwrap())
    });
    let (direct, _) = answered;
    conn.close();
    let mut seen = HashMap::new();
    for d in direct.into_iter().chain(std::iter::from_fn(|| rx.recv_timeout(Duration::from_millis(500)).ok())) {
        *seen.entry(d.token).or_insert(0) += 1;
    }
    assert_eq!(seen.len(), 500, "every request completed");
    assert!(seen.values().all(|&n| n == 1), "none completed twice");
}

#[test]
fn close_fails_every_pending_request() {
    watch_engine_panics();
    let (kernel, transport) = FakeKernel::new();
    let (tx, rx) = mpsc::channel();
    let o = Options { max_in_flight: 3, ..opts() };
    let mut conn = Conn::with_transport(Box::new(transport), o, Box::new(ChannelCompleter(tx))).expect("conn");
    conn.submit(vec![
        (1, set_up("a"), None),
        (2, get("g"), None),
        (3, dump(), None),
        (4, dump(), None),
        (5, set_up("b"), None),
        (6, set_up("c"), None),
    ]);
    // Three in flight (one of them the dump), three queued.
    assert_eq!(kernel.expect_requests(3).len(), 3);
    let st = conn.stats();
    assert_eq!((st.in_flight, st.queued), (3, 3));
    assert!(rx.try_recv().is_err(), "nothing may complete before the close");

    conn.close();
    let mut tokens = HashSet::new();
    for _ in 0..6 {
        let d = rx.recv_timeout(WAIT).expect("a pending request was not completed by close()");
        assert_err(&d.result, ErrorKind::Closed, libc::ECANCELED);
        assert!(tokens.insert(d.token), "token {} completed twice", d.token);
    }
    assert_eq!(tokens, (1..=6).collect::<HashSet<u64>>());
    let st = conn.stats();
    assert_eq!((st.in_flight, st.queued), (0, 0));

    // After close: refused at once, on the submitting thread. Close is idempotent.
    conn.submit(vec![(7, set_up("late"), None)]);
    let d = rx.try_recv().expect("a submission after close must complete at once");
    assert_eq!(d.token, 7);
    assert_err(&d.result, ErrorKind::Closed, libc::ECANCELED);
    conn.close();
    drop(conn);
    assert!(rx.try_recv().is_err(), "completed twice");
}

#[test]
fn drop_fails_pending_requests_and_client_close_refuses_calls() {
    watch_engine_panics();
    let (kernel, transport) = FakeKernel::new();
    let (tx, rx) = mpsc::channel();
    let conn = Conn::with_transport(Box::new(transport), opts(), Box::new(ChannelCompleter(tx))).expect("conn");
    conn.submit(vec![(1, set_up("a"), None), (2, dump(), None)]);
    kernel.expect_requests(2);
    drop(conn);
    for _ in 0..2 {
        let d = rx.recv_timeout(WAIT).expect("dropping the conn must complete what is pending");
        assert_err(&d.result, ErrorKind::Closed, libc::ECANCELED);
    }

    let (_kernel, mut client) = setup(opts());
    client.close();
    assert_err(&client.call(set_up("x"), None), ErrorKind::Closed, libc::ECANCELED);
}

// 12. The in-flight window.

#[test]
fn max_in_flight_bounds_unanswered_requests() {
    const N: usize = 20;
    const WINDOW: usize = 4;
    let (kernel, client) = setup(Options { max_in_flight: WINDOW, ..opts() });
    thread::scope(|s| {
        let h = s.spawn(|| client.call_many((0..N).map(|i| set_up(&format!("m{i}"))).collect(), None));
        let mut outstanding: VecDeque<Req> = VecDeque::new();
        let (mut seen, mut answered, mut most) = (0, 0, 0);
        while answered < N {
            // Wait long for the first request; afterwards, only briefly for extra ones.
            let wait = if outstanding.is_empty() { WAIT } else { Duration::from_millis(20) };
            let new = kernel.read_requests(wait);
            assert!(!(new.is_empty() && outstanding.is_empty()), "stalled after {answered} answers");
            if seen == 0 {
                let st = client.conn().stats();
                assert_eq!((st.in_flight, st.queued), (WINDOW, N - WINDOW));
            }
            seen += new.len();
            outstanding.extend(new);
            most = most.max(outstanding.len());
            assert!(outstanding.len() <= WINDOW, "{} requests unanswered at once", outstanding.len());
            if let Some(r) = outstanding.pop_front() {
                kernel.ack(&r, 0);
                answered += 1;
            }
        }
        assert_eq!(seen, N);
        assert_eq!(most, WINDOW);
        let results = h.join().unwrap();
        assert!(results.iter().all(|r| r == &Ok(vec![])), "{results:?}");
    });
    kernel.assert_quiet();
}

#[test]
fn queued_requests_time_out_too() {
    let timeout = Duration::from_millis(100);
    let (kernel, client) = setup(Options { max_in_flight: 1, timeout, ..opts() });
    thread::scope(|s| {
        let t0 = Instant::now();
        let h = s.spawn(|| client.call_many(vec![set_up("a"), set_up("b")], None));
        kernel.expect_requests(1);
        let r = h.join().unwrap();
        assert!(t0.elapsed() < timeout * 10, "took {:?}", t0.elapsed());
        assert_err(&r[0], ErrorKind::Timeout, libc::ETIMEDOUT);
        assert_err(&r[1], ErrorKind::Timeout, libc::ETIMEDOUT);
        let st = client.conn().stats();
        assert_eq!((st.in_flight, st.queued), (0, 0));
    });
    // Both had the same deadline: the queued one was never sent.
    kernel.assert_quiet();
}

// ENOBUFS: replies were lost, but not a running dump's (the kernel pauses dumps instead).

#[test]
fn enobufs_fails_acks_and_gets_but_not_the_dump() {
    let (kernel, client) = setup(opts());
    thread::scope(|s| {
        let h = s.spawn(|| client.call_many(vec![set_up("a"), get("g"), dump()], None));
        let reqs = kernel.expect_requests(3);
        kernel.signal_enobufs();
        let d = reqs.iter().find(|r| r.hdr.flags & NLM_F_DUMP == NLM_F_DUMP).expect("dump");
        kernel.send_all(&[link_msg(d.seq(), NLM_F_MULTI, 1, "d"), done_msg(d.seq(), 0, None)]);
        let r = h.join().unwrap();
        assert_err(&r[0], ErrorKind::Io, libc::ENOBUFS);
        assert_err(&r[1], ErrorKind::Io, libc::ENOBUFS);
        assert_eq!(names(&r[2]), ["d"]);

        let h = s.spawn(|| client.call(set_up("after"), None));
        let r = kernel.expect_requests(1).remove(0);
        kernel.ack(&r, 0);
        assert_eq!(h.join().unwrap(), Ok(vec![]));
    });
}

// 13. Garbage.

/// Datagrams no kernel would send. None carries a sequence number in use.
fn garbage() -> Vec<Vec<u8>> {
    const SEQ: u32 = 0xdead_beef;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut out = Vec::new();

    // Random bytes, 0..40 long.
    for len in 0..40 {
        for _ in 0..5 {
            out.push(rng.bytes(len));
        }
    }

    // Headers whose length lies, for every kind of message.
    let types = [NLMSG_NOOP, NLMSG_ERROR, NLMSG_DONE, NLMSG_OVERRUN, RTM_NEWLINK, 0, 0xffff];
    for len in [0u32, 1, 4, 15, 17, 19, 20, 24, 0x7fff_ffff, 0x8000_0000, 0xffff_fffc, 0xffff_ffff] {
        for ty in types {
            for body in [0usize, 3, 4, 8] {
                let mut m = MsgBuilder::new(ty, 0).finish();
                m.extend(std::iter::repeat_n(0xffu8, body));
                wire::stamp(&mut m, SEQ, PORT);
                set_len(&mut m, len);
                out.push(m);
            }
        }
    }

    // NLMSG_ERROR: short payloads; extended ACKs after an uncapped echo that lies about its
    // length; TLVs whose lengths overflow.
    for n in 0..4 {
        out.push(short_error(SEQ, n));
    }
    for echo_len in [0u32, 15, 16, 17, 0xffff, 0xffff_ffff] {
        let mut b = MsgBuilder::new(NLMSG_ERROR, 0);
        b.push(&(-1i32).to_ne_bytes());
        let mut echo = MsgBuilder::new(RTM_SETLINK, 0).finish();
        set_len(&mut echo, echo_len);
        b.push(&echo);
        b.push(&[0xff, 0xff, 1, 0, b'x', 0, 0, 0]); // TLV claiming 65535 bytes
        out.push(seal(b, SEQ, NLM_F_ACK_TLVS));
        let mut b = MsgBuilder::new(NLMSG_ERROR, 0);
        b.push(&(-1i32).to_ne_bytes());
        b.push(&echo);
        b.push(&[2, 0, 1, 0]); // TLV shorter than its header
        out.push(seal(b, SEQ, NLM_F_ACK_TLVS | NLM_F_CAPPED));
    }

    // NLMSG_DONE with bogus TLVs, and empty.
    for tlv in [&[0xff, 0xff, 1, 0][..], &[5, 0, 2, 0, 1, 0, 0, 0], &[8, 0, 2, 0], &[]] {
        let mut b = MsgBuilder::new(NLMSG_DONE, 0);
        b.push(&(-22i32).to_ne_bytes());
        b.push(tlv);
        out.push(seal(b, SEQ, NLM_F_MULTI | NLM_F_ACK_TLVS));
    }
    out.push(seal(MsgBuilder::new(NLMSG_DONE, 0), SEQ, NLM_F_MULTI));

    // RTM_NEWLINK: short ifinfomsg, attributes overflowing the message or their parent.
    out.extend(bad_link_replies(SEQ, 0));

    // A good message followed by garbage in the same datagram.
    let mut d = link_msg(SEQ, 0, 1, "ok");
    d.extend_from_slice(&[0xff; 20]);
    out.push(d);

    // Random mutations of a valid datagram.
    let valid = [
        link_msg(SEQ, NLM_F_MULTI, 1, "eth0"),
        done_msg(SEQ, libc::EINVAL, Some("bad")),
        seal(
            {
                let mut b = MsgBuilder::new(NLMSG_ERROR, 0);
                b.push(&(-17i32).to_ne_bytes());
                b.push(&MsgBuilder::new(RTM_SETLINK, 0).finish());
                b.attr_str(NLMSGERR_ATTR_MSG, "exists");
                b
            },
            SEQ,
            NLM_F_CAPPED | NLM_F_ACK_TLVS,
        ),
    ]
    .concat();
    for _ in 0..500 {
        let mut d = valid.clone();
        for _ in 0..=rng.below(4) {
            let i = rng.below(d.len() as u64) as usize;
            d[i] = rng.next() as u8;
        }
        let cut = d.len() - rng.below(8) as usize;
        d.truncate(cut);
        out.push(d);
    }
    out
}

/// NLMSG_ERROR whose payload is `n` (< 4) bytes: too short for the errno.
fn short_error(seq: u32, n: usize) -> Vec<u8> {
    let mut b = MsgBuilder::new(NLMSG_ERROR, 0);
    b.push(&[0, 0, 0, 0][..n]); // padded to 4 bytes: the length below excludes the padding
    let mut m = seal(b, seq, NLM_F_ACK_TLVS);
    set_len(&mut m, (NLMSG_HDRLEN + n) as u32);
    m
}

/// RTM_NEWLINK replies for `seq` that cannot be decoded.
fn bad_link_replies(seq: u32, flags: u16) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    // ifinfomsg cut short.
    let mut b = MsgBuilder::new(RTM_NEWLINK, 0);
    b.push(&[0; 8]);
    out.push(seal(b, seq, flags));
    // Attribute lengths past the message, and below an attribute header.
    for attr in [&[0xff, 0xff, 3, 0, b'x', 0, 0, 0][..], &[2, 0, 3, 0], &[12, 0, 3, 0, b'x', 0, 0, 0]] {
        let mut b = MsgBuilder::new(RTM_NEWLINK, 0);
        b.push(&ifinfomsg(1));
        b.push(attr);
        out.push(seal(b, seq, flags));
    }
    // A nested attribute whose child overflows the nest.
    let mut b = MsgBuilder::new(RTM_NEWLINK, 0);
    b.push(&ifinfomsg(1));
    b.attr(IFLA_LINKINFO, &[0xf0, 0xff, 1, 0, b'v', b'e', b't', b'h']);
    out.push(seal(b, seq, flags));
    out
}

#[test]
fn garbage_never_panics_the_engine() {
    let (kernel, client) = setup(opts());
    let mut rng = Rng(42);
    thread::scope(|s| {
        // The engine reads the socket while something is in flight (an idle engine leaves
        // stray datagrams queued until then): hold one request open during the flood.
        let hold = s.spawn(|| client.call(get("hold"), Some(WAIT)));
        let held = kernel.expect_requests(1).remove(0);
        for d in garbage() {
            // Mostly from the kernel, now and then from elsewhere.
            let pid = if rng.below(8) == 0 { rng.next() as u32 >> 1 } else { 0 };
            kernel.send_raw(pid, &d);
        }
        kernel.send(&link_msg(held.seq(), 0, 9, "hold"));
        assert_eq!(names(&hold.join().unwrap()), ["hold"]);

        // Replies to real requests that cannot be decoded fail those requests.
        let h = s.spawn(|| client.call_many(vec![get("g"), dump(), set_up("a")], None));
        let reqs = kernel.expect_requests(3);
        let (g, d, a) = (&reqs[0], &reqs[1], &reqs[2]);
        kernel.send(&bad_link_replies(g.seq(), 0)[1]);
        let mut parts = bad_link_replies(d.seq(), NLM_F_MULTI);
        parts.insert(0, link_msg(d.seq(), NLM_F_MULTI, 1, "fine"));
        for p in parts {
            kernel.send(&p);
        }
        kernel.send(&done_msg(d.seq(), 0, None));
        kernel.send(&short_error(a.seq(), 2));
        let r = h.join().unwrap();
        for r in &r {
            assert_err(r, ErrorKind::Protocol, libc::EPROTO);
        }

        // And a normal request still works.
        let h = s.spawn(|| client.call_many(vec![get("x"), set_up("y"), dump()], None));
        let reqs = kernel.expect_requests(3);
        kernel.send(&link_msg(reqs[0].seq(), 0, 5, "x"));
        kernel.ack(&reqs[1], 0);
        kernel.send_all(&[link_msg(reqs[2].seq(), NLM_F_MULTI, 5, "x"), done_msg(reqs[2].seq(), 0, None)]);
        let r = h.join().unwrap();
        assert_eq!(names(&r[0]), ["x"]);
        assert_eq!(r[1], Ok(vec![]));
        assert_eq!(names(&r[2]), ["x"]);
    });
    assert!(client.conn().stats().dropped > 0);
    assert_no_engine_panics();
}
