//! The fake kernel shared by the engine tests.
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
//!
//! Its imports are re-exported: a test file needs only `use support::fake_kernel::*`.

pub use std::collections::{HashMap, HashSet, VecDeque};
pub use std::io;
pub use std::os::fd::{AsRawFd, OwnedFd, RawFd};
pub use std::sync::atomic::{AtomicUsize, Ordering};
pub use std::sync::{mpsc, Once};
pub use std::thread;
pub use std::time::{Duration, Instant};

pub use nlkit::rtnl::link::{self, LinkRef, RTM_GETLINK, RTM_NEWLINK, RTM_SETLINK};
pub use nlkit::rtnl::Rtnl;
pub use nlkit::rtnl::{Filter, Object};
pub use nlkit::sys;
pub use nlkit::wire::{
    self, MsgBuilder, MsgHeader, NLMSG_DONE, NLMSG_ERROR, NLMSG_HDRLEN, NLMSG_NOOP, NLMSG_OVERRUN, NLM_F_ACK, NLM_F_ACK_TLVS, NLM_F_CAPPED,
    NLM_F_DUMP, NLM_F_DUMP_INTR, NLM_F_MULTI, NLM_F_REQUEST,
};
pub use nlkit::{Client, Completer, Done, ErrorKind, Options, Request, Result};
pub use nlkit::{Conn, Transport};

/// Our port id, as the fake transport reports it.
pub const PORT: u32 = 1234;
/// Sender port id of a control datagram that makes the transport fail with ENOBUFS.
pub const ENOBUFS_MARKER: u32 = u32::MAX;
/// How long the fake kernel waits for something that must happen, and the default request
/// timeout (so a broken test fails instead of hanging).
pub const WAIT: Duration = Duration::from_secs(3);
/// How long the fake kernel listens to make sure something does *not* happen. A wrong engine
/// may slip through a short window, a right one never fails it: no flakiness either way.
pub const QUIET: Duration = Duration::from_millis(150);

pub const IFLA_IFNAME: u16 = 3;
pub const IFLA_LINKINFO: u16 = 18;
pub const NLMSGERR_ATTR_MSG: u16 = 1;
pub const NLMSGERR_ATTR_OFFS: u16 = 2;

// ---------------------------------------------------------------------------------------------
// Panics on the engine's I/O thread are caught by the engine (it fails what is pending and
// keeps serving), so with nothing pending they would go unnoticed. A panic hook counts them.

pub static ENGINE_PANICS: AtomicUsize = AtomicUsize::new(0);

pub fn watch_engine_panics() {
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

pub fn assert_no_engine_panics() {
    assert_eq!(ENGINE_PANICS.load(Ordering::SeqCst), 0, "the engine's I/O thread panicked");
}

// ---------------------------------------------------------------------------------------------
// Socket helpers shared by both ends.

/// Waits until `fd` has one of `events`; false on timeout.
pub fn poll_fd(fd: RawFd, events: libc::c_short, timeout: Duration) -> bool {
    let mut p = libc::pollfd { fd, events, revents: 0 };
    let ms = timeout.as_millis().min(i32::MAX as u128) as libc::c_int;
    // SAFETY: p is one valid pollfd.
    let r = unsafe { libc::poll(&mut p, 1, ms) };
    r > 0 && p.revents != 0
}

/// One whole datagram into `buf` (grown as needed, sized with MSG_PEEK | MSG_TRUNC).
/// Ok(0) is end of file: the peer closed (we never send empty datagrams).
pub fn recv_whole(fd: RawFd, buf: &mut Vec<u8>) -> io::Result<usize> {
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

pub struct FakeTransport {
    pub fd: OwnedFd,
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
pub struct Req {
    pub hdr: MsgHeader,
    /// The whole message, header included.
    pub bytes: Vec<u8>,
}

impl Req {
    pub fn seq(&self) -> u32 {
        self.hdr.seq
    }

    /// IFLA_IFNAME of a link request (after the 16-byte ifinfomsg).
    pub fn name(&self) -> Option<String> {
        let attrs = self.bytes.get(NLMSG_HDRLEN + 16..)?;
        wire::attrs(attrs).flatten().find(|(ty, _)| *ty == IFLA_IFNAME).map(|(_, v)| wire::attr_str(v))
    }
}

pub struct FakeKernel {
    pub fd: OwnedFd,
}

impl FakeKernel {
    pub fn new() -> (FakeKernel, FakeTransport) {
        let (a, b) = sys::socketpair_dgram().expect("socketpair");
        (FakeKernel { fd: a }, FakeTransport { fd: b })
    }

    /// Waits up to `timeout` for a first datagram from the engine, then takes every datagram
    /// already queued.
    pub fn read_datagrams(&self, timeout: Duration) -> Vec<Vec<u8>> {
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
    pub fn parse(datagrams: &[Vec<u8>]) -> Vec<Req> {
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
    pub fn read_requests(&self, timeout: Duration) -> Vec<Req> {
        Self::parse(&self.read_datagrams(timeout))
    }

    /// Reads until exactly `n` requests arrived (panics on more, or on fewer within WAIT).
    pub fn expect_requests(&self, n: usize) -> Vec<Req> {
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
    pub fn assert_quiet(&self) {
        let got = self.read_requests(QUIET);
        assert!(got.is_empty(), "unexpected requests: {got:?}");
    }

    /// Sends netlink bytes as one datagram from sender `pid`.
    pub fn send_raw(&self, pid: u32, bytes: &[u8]) {
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
    pub fn send(&self, bytes: &[u8]) {
        self.send_raw(0, bytes);
    }

    /// Sends several messages in one datagram from the kernel.
    pub fn send_all(&self, msgs: &[Vec<u8>]) {
        self.send(&msgs.concat());
    }

    /// Answers `req` with NLMSG_ERROR (`errno` 0 is an ACK).
    pub fn ack(&self, req: &Req, errno: i32) {
        self.send(&error_msg(req, errno, None));
    }

    /// Makes the engine's next recv fail with ENOBUFS.
    pub fn signal_enobufs(&self) {
        self.send_raw(ENOBUFS_MARKER, &[]);
    }
}

// ---------------------------------------------------------------------------------------------
// Building replies.

pub fn set_flags(msg: &mut [u8], flags: u16) {
    msg[6..8].copy_from_slice(&flags.to_ne_bytes());
}

pub fn set_len(msg: &mut [u8], len: u32) {
    msg[0..4].copy_from_slice(&len.to_ne_bytes());
}

/// Stamps seq and our port and sets the reply's flags (MsgBuilder adds NLM_F_REQUEST).
pub fn seal(b: MsgBuilder, seq: u32, flags: u16) -> Vec<u8> {
    let mut m = b.finish();
    wire::stamp(&mut m, seq, PORT);
    set_flags(&mut m, flags);
    m
}

pub fn ifinfomsg(index: i32) -> [u8; 16] {
    let mut h = [0u8; 16];
    h[4..8].copy_from_slice(&index.to_ne_bytes());
    h
}

/// RTM_NEWLINK: ifinfomsg + IFLA_IFNAME.
pub fn link_msg(seq: u32, flags: u16, index: i32, name: &str) -> Vec<u8> {
    let mut b = MsgBuilder::new(RTM_NEWLINK, 0);
    b.push(&ifinfomsg(index));
    b.attr_str(IFLA_IFNAME, name);
    seal(b, seq, flags)
}

/// NLMSG_ERROR for `req`: -errno, the echoed request header (capped), optional ext-ACK text.
pub fn error_msg(req: &Req, errno: i32, ext: Option<(&str, u32)>) -> Vec<u8> {
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
pub fn done_msg(seq: u32, errno: i32, ext: Option<&str>) -> Vec<u8> {
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

pub fn opts() -> Options {
    Options { timeout: WAIT, ..Default::default() }
}

/// A fake kernel and a client on it. Bind as `let (kernel, client) = ...` so the client is
/// dropped (and its I/O thread stopped) before the kernel's end closes.
pub fn setup(o: Options) -> (FakeKernel, Client) {
    watch_engine_panics();
    let (kernel, transport) = FakeKernel::new();
    let client = Client::with_transport(Box::new(transport), o).expect("client");
    (kernel, client)
}

pub fn set_up(name: &str) -> Request {
    Request::ack(link::set_up(&LinkRef::Name(name.into()), true))
}

pub fn get(name: &str) -> Request {
    Request::get(link::get(&LinkRef::Name(name.into())))
}

pub fn dump() -> Request {
    Request::dump(link::dump(), Filter::default())
}

/// The link names of a successful result.
pub fn names(r: &Result<Vec<Object>>) -> Vec<String> {
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

pub fn assert_err(r: &Result<Vec<Object>>, kind: ErrorKind, errno: i32) {
    match r {
        Err(e) => {
            assert_eq!((e.kind, e.errno), (kind, errno), "wrong error: {e:?}");
        }
        Ok(v) => panic!("expected {kind:?} (errno {errno}), got Ok({v:?})"),
    }
}

/// Polls `cond` until it holds (panics after WAIT).
pub fn wait_until(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + WAIT;
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        thread::sleep(Duration::from_millis(1));
    }
}

/// Waits until the engine has dropped `n` more replies than `before`.
pub fn wait_dropped(client: &Client, before: u64, n: u64) {
    wait_until("dropped replies", || client.conn().stats().dropped >= before + n);
    assert_eq!(client.conn().stats().dropped, before + n);
}

/// A small deterministic PRNG (xorshift64*), so failures reproduce.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}
