//! Tracing: every datagram a connection or subscription sends and receives, printed the way
//! strace decodes netlink (`{nlmsg_len=32, nlmsg_type=RTM_NEWLINK, nlmsg_flags=NLM_F_REQUEST|
//! NLM_F_ACK, ...}, {ifi_family=AF_UNSPEC, ...}, [[{nla_len=8, nla_type=IFLA_MTU}, 1500]]`).
//!
//! Off by default and then free: a traced connection's transport is wrapped in [`Traced`], an
//! untraced one is not wrapped at all. Formatting runs on the thread that sends or receives
//! (the I/O thread, or a submitter), never waits, and hands one text per datagram to the sink.

mod genl;
mod print;
mod rtnl;

use std::io;
use std::os::fd::RawFd;
use std::sync::Arc;

use crate::conn::Transport;
use crate::wire::{self, MsgHeader};

/// Where trace text goes: one call per datagram, one line per message in it.
#[derive(Clone)]
pub struct Tracer {
    sink: Arc<dyn Fn(String) + Send + Sync>,
}

impl std::fmt::Debug for Tracer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tracer")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dir {
    Sent,
    Received,
}

impl Tracer {
    pub fn new(sink: impl Fn(String) + Send + Sync + 'static) -> Self {
        Tracer { sink: Arc::new(sink) }
    }

    /// Writes each datagram's lines to stderr from the thread that saw it, in order, waiting
    /// while stderr is full (as strace does), so nothing is lost when the process exits.
    pub fn stderr() -> Self {
        Tracer::new(|mut text: String| {
            text.push('\n');
            let _ = crate::sys::write_all_fd(2, text.as_bytes());
        })
    }

    pub fn datagram(&self, protocol: i32, dir: Dir, buf: &[u8]) {
        (self.sink)(format_datagram(protocol, dir, buf));
    }
}

/// The lines for one datagram: `nlkit: NETLINK_ROUTE sent [{nlmsg_len=...}, ...]`, one per
/// message; a malformed rest is shown as bytes.
pub fn format_datagram(protocol: i32, dir: Dir, buf: &[u8]) -> String {
    let mut out = String::with_capacity(256);
    let verb = match dir {
        Dir::Sent => "sent",
        Dir::Received => "received",
    };
    let proto = protocol_name(protocol);
    let mut msgs = wire::messages(buf);
    let mut any = false;
    while let Some(m) = msgs.next() {
        if any {
            out.push('\n');
        }
        any = true;
        out.push_str("nlkit: ");
        out.push_str(&proto);
        out.push(' ');
        out.push_str(verb);
        out.push_str(" [");
        match m {
            Ok(m) => message(&mut out, protocol, &m.header, m.payload),
            Err(e) => {
                out.push_str(e.0);
                out.push_str(": ");
                print::bytes(&mut out, msgs.remaining());
            }
        }
        out.push(']');
    }
    if !any {
        out.push_str("nlkit: ");
        out.push_str(&proto);
        out.push(' ');
        out.push_str(verb);
        out.push_str(" [");
        print::bytes(&mut out, buf);
        out.push(']');
    }
    out
}

fn message(out: &mut String, protocol: i32, h: &MsgHeader, p: &[u8]) {
    // An echoed request is not a control message: no recursion past one level.
    let echoed = |out: &mut String, rh: &MsgHeader, body: Option<&[u8]>| match body {
        Some(b) => family_message(out, protocol, rh, b),
        None => family_header(out, protocol, rh),
    };
    if print::control(out, h, p, &echoed) {
        return;
    }
    family_message(out, protocol, h, p)
}

fn family_message(out: &mut String, protocol: i32, h: &MsgHeader, p: &[u8]) {
    match protocol {
        libc::NETLINK_ROUTE => rtnl::message(out, h, p),
        libc::NETLINK_GENERIC => genl::message(out, h, p),
        _ => {
            print::header(out, h, &format!("{:#x}", h.ty), &[]);
            if !p.is_empty() {
                out.push_str(", ");
                print::bytes(out, p);
            }
        }
    }
}

/// The header of a message alone, with the type's name and flags.
fn family_header(out: &mut String, protocol: i32, h: &MsgHeader) {
    match protocol {
        libc::NETLINK_ROUTE => {
            let name = rtnl::type_name(h.ty).map_or_else(|| format!("{:#x}", h.ty), str::to_string);
            print::header(out, h, &name, rtnl::type_flags(h.ty));
        }
        libc::NETLINK_GENERIC if h.ty == 0x10 => print::header(out, h, "nlctrl", print::GET_FLAGS),
        _ => print::header(out, h, &format!("{:#x}", h.ty), &[]),
    }
}

pub fn protocol_name(p: i32) -> String {
    match p {
        libc::NETLINK_ROUTE => "NETLINK_ROUTE".into(),
        libc::NETLINK_SOCK_DIAG => "NETLINK_SOCK_DIAG".into(),
        libc::NETLINK_XFRM => "NETLINK_XFRM".into(),
        libc::NETLINK_NETFILTER => "NETLINK_NETFILTER".into(),
        libc::NETLINK_GENERIC => "NETLINK_GENERIC".into(),
        libc::NETLINK_AUDIT => "NETLINK_AUDIT".into(),
        libc::NETLINK_KOBJECT_UEVENT => "NETLINK_KOBJECT_UEVENT".into(),
        n => format!("netlink protocol {n}"),
    }
}

/// A transport that traces what passes through it.
pub struct Traced {
    pub inner: Box<dyn Transport>,
    pub protocol: i32,
    pub tracer: Tracer,
}

impl Transport for Traced {
    fn fd(&self) -> RawFd {
        self.inner.fd()
    }
    fn send(&self, buf: &[u8]) -> io::Result<usize> {
        self.tracer.datagram(self.protocol, Dir::Sent, buf);
        self.inner.send(buf)
    }
    fn recv(&self, buf: &mut Vec<u8>) -> io::Result<(usize, u32, bool)> {
        let r = self.inner.recv(buf);
        if let Ok((len, _, _)) = &r {
            self.tracer.datagram(self.protocol, Dir::Received, &buf[..*len]);
        }
        r
    }
    fn port(&self) -> u32 {
        self.inner.port()
    }
}
