//! The engine's reply path: a request goes out, the fuzzer's datagrams come back (any sender,
//! any sequence number, truncated or not), then the fake kernel answers it properly. Every
//! request completes exactly once, and nothing panics.
#![no_main]

use std::io;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::sync::mpsc;
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use nlkit::conn::{Completer, Done, Options, Transport};
use nlkit::rtnl::{link, LinkRef, Object, Rtnl};
use nlkit::{sys, Conn, Request};

/// The engine's end of a socketpair; datagrams from the fuzzer are `[u32 sender][bytes]`.
struct Fake(OwnedFd);

impl Transport for Fake {
    fn fd(&self) -> RawFd {
        self.0.as_raw_fd()
    }
    fn send(&self, buf: &[u8]) -> io::Result<usize> {
        sys::send_fd(self.0.as_raw_fd(), buf)
    }
    fn recv(&self, buf: &mut Vec<u8>) -> io::Result<(usize, u32, bool)> {
        // Read whole, then behave like the kernel with the engine's buffer: a longer datagram
        // is cut (its start kept) and the buffer grows.
        let mut whole = vec![0u8; 70_000];
        let n = sys::recv_fd(self.0.as_raw_fd(), &mut whole, 0)?;
        if n == 0 {
            return Err(io::ErrorKind::ConnectionAborted.into());
        }
        if n < 4 {
            return Ok((0, 0, false));
        }
        let pid = u32::from_ne_bytes([whole[0], whole[1], whole[2], whole[3]]);
        let data = &whole[4..n];
        if data.len() > buf.len() {
            let have = buf.len();
            buf[..have].copy_from_slice(&data[..have]);
            buf.resize(data.len().next_power_of_two(), 0);
            return Ok((have, pid, true));
        }
        buf[..data.len()].copy_from_slice(data);
        Ok((data.len(), pid, false))
    }
    fn port(&self) -> u32 {
        1234
    }
}

/// Sequence numbers of the first `n` requests the engine sent (waits briefly for them).
fn read_seqs(kernel: &OwnedFd, n: usize) -> Vec<u32> {
    let mut seqs = Vec::new();
    let mut buf = vec![0u8; 65536];
    for _ in 0..200 {
        match sys::recv_fd(kernel.as_raw_fd(), &mut buf, 0) {
            Ok(len) => {
                for m in nlkit::wire::messages(&buf[..len]).flatten() {
                    seqs.push(m.header.seq);
                }
                if seqs.len() >= n {
                    break;
                }
            }
            Err(_) => std::thread::sleep(Duration::from_micros(200)),
        }
    }
    seqs
}

fn header(len: usize, ty: u16, flags: u16, seq: u32) -> Vec<u8> {
    let mut h = Vec::with_capacity(len);
    h.extend_from_slice(&(len as u32).to_ne_bytes());
    h.extend_from_slice(&ty.to_ne_bytes());
    h.extend_from_slice(&flags.to_ne_bytes());
    h.extend_from_slice(&seq.to_ne_bytes());
    h.extend_from_slice(&0u32.to_ne_bytes());
    h
}

fn error(seq: u32, errno: i32) -> Vec<u8> {
    let mut m = header(36, 2, 0, seq);
    m.extend_from_slice(&(-errno).to_ne_bytes());
    m.extend_from_slice(&header(16, 19, 5, seq));
    m
}

fn link_msg(seq: u32) -> Vec<u8> {
    let mut m = header(32, 16, 0, seq);
    let mut ifi = [0u8; 16];
    ifi[4..8].copy_from_slice(&1i32.to_ne_bytes());
    m.extend_from_slice(&ifi);
    m
}

fn done(seq: u32) -> Vec<u8> {
    let mut m = header(20, 3, 2, seq);
    m.extend_from_slice(&0i32.to_ne_bytes());
    m
}

struct Chan(mpsc::Sender<Done<Object>>);

impl Completer<Object> for Chan {
    fn complete(&self, done: Vec<Done<Object>>) {
        for d in done {
            let _ = self.0.send(d);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok((kernel, engine)) = sys::socketpair_dgram() else { return };
    let (tx, rx) = mpsc::channel();
    let opts = Options { timeout: Duration::from_millis(300), recv_buf: 512, ..Default::default() };
    let Ok(conn) = Conn::with_transport(Rtnl, Box::new(Fake(engine)), opts, Box::new(Chan(tx))) else { return };
    let reqs = vec![
        (1, Request::ack(link::set_up(&LinkRef::Index(1), true)), None),
        (2, Request::get(link::get(&LinkRef::Index(1))), None),
        (3, Request::dump(link::dump(), Default::default()), None),
    ];
    conn.submit(reqs);
    // The requests as the kernel receives them: their sequence numbers, to answer them below.
    let seqs = read_seqs(&kernel, 3);
    // The fuzzer's datagrams, split on a length prefix.
    let mut rest = data;
    while rest.len() >= 2 {
        let n = (u16::from_le_bytes([rest[0], rest[1]]) as usize).min(rest.len() - 2);
        let mut d = if rest.first().is_some_and(|b| b & 1 == 1) { 0u32 } else { 7 }.to_ne_bytes().to_vec();
        d.extend_from_slice(&rest[2..2 + n]);
        let _ = sys::send_fd(kernel.as_raw_fd(), &d);
        rest = &rest[2 + n..];
    }
    // Then the right answers: an ACK, a link, and the dump's end (a request already finished by
    // the fuzzer's datagrams finds them stale: dropped).
    if let [ack, get, dump] = seqs[..] {
        let mut answers = Vec::new();
        answers.extend(error(ack, 0));
        answers.extend(link_msg(get));
        answers.extend(done(dump));
        let mut d = 0u32.to_ne_bytes().to_vec();
        d.extend_from_slice(&answers);
        let _ = sys::send_fd(kernel.as_raw_fd(), &d);
    }
    let mut finals = std::collections::HashMap::new();
    while let Ok(d) = rx.recv_timeout(Duration::from_secs(2)) {
        if d.part == nlkit::Part::Last {
            *finals.entry(d.token).or_insert(0) += 1;
        }
        if finals.len() == 3 {
            break;
        }
    }
    // Every request completed (by a reply, an error or its deadline), none twice.
    for t in 1..=3 {
        assert_eq!(finals.get(&t), Some(&1), "request {t}: {finals:?}");
    }
    while let Ok(d) = rx.recv_timeout(Duration::from_millis(1)) {
        assert_ne!(d.part, nlkit::Part::Last, "a second final completion for {}", d.token);
    }
    drop(conn);
});
