//! Where datagrams come from and go to: a netlink socket of any protocol, or a fake kernel in
//! tests.

use std::io;
use std::os::fd::{AsRawFd, RawFd};

use crate::error::{Error, Result};
use crate::netns::{self, NetnsRef};
use crate::sys::NetlinkSocket;

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
        // a single object is larger. One that does not fit is handled by the engine.
        self.recv_growing(buf)
    }
    fn port(&self) -> u32 {
        NetlinkSocket::port(self)
    }
}

/// Opens a netlink socket of `protocol` with extended ACKs, strict checking and a large
/// receive buffer.
pub fn open_socket(protocol: i32, rcvbuf: usize) -> io::Result<NetlinkSocket> {
    let s = NetlinkSocket::open(protocol)?;
    // Only the kernel may write to it (other senders are refused before anything is queued;
    // their multicasts still arrive and are dropped by the sender check).
    s.connect_to_kernel()?;
    // Missing on old kernels (ENOPROTOOPT): then errors lack the kernel's text and dump
    // filters run only here.
    for opt in [libc::NETLINK_EXT_ACK, libc::NETLINK_GET_STRICT_CHK, libc::NETLINK_CAP_ACK] {
        match s.set_int_opt(libc::SOL_NETLINK, opt, 1) {
            Err(e) if e.raw_os_error() != Some(libc::ENOPROTOOPT) => return Err(e),
            _ => {}
        }
    }
    set_rcvbuf(&s, rcvbuf);
    Ok(s)
}

/// [`open_socket`] inside `netns` (on a helper thread), or in the caller's namespace.
pub fn open_socket_in(netns: Option<&NetnsRef>, protocol: i32, rcvbuf: usize) -> Result<NetlinkSocket> {
    match netns {
        None => open_socket(protocol, rcvbuf).map_err(|e| Error::io(&e)),
        Some(ns) => netns::run_in(ns, move || open_socket(protocol, rcvbuf).map_err(|e| Error::io(&e))),
    }
}

/// SO_RCVBUFFORCE where we may (CAP_NET_ADMIN), else SO_RCVBUF (capped by rmem_max).
pub fn set_rcvbuf(s: &NetlinkSocket, bytes: usize) {
    let v = bytes.min(i32::MAX as usize) as libc::c_int;
    if s.set_int_opt(libc::SOL_SOCKET, libc::SO_RCVBUFFORCE, v).is_err() {
        let _ = s.set_int_opt(libc::SOL_SOCKET, libc::SO_RCVBUF, v);
    }
}
