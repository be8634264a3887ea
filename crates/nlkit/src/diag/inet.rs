//! Internet sockets (TCP, UDP, UDP-Lite): the dump request (struct inet_diag_req_v2 with an
//! optional INET_DIAG_REQ_BYTECODE filter, run by the kernel), SOCK_DESTROY of one socket by its
//! exact identity, and struct inet_diag_msg replies with their extensions decoded.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::bytecode::{self, Expr};
use super::{names, Request, SOCK_DESTROY, SOCK_DIAG_BY_FAMILY};
use crate::conn::Mode;
use crate::error::{Error, Result};
use crate::rtnl::settings::{Settings, Value};
use crate::wire::{self, WireError, NLM_F_ACK, NLM_F_DUMP};

pub const INET_DIAG_REQ_BYTECODE: u16 = 1;
const INET_DIAG_MSG_LEN: usize = 72;

pub const INET_DIAG_INFO: u16 = 2;
pub const INET_DIAG_CONG: u16 = 4;
pub const INET_DIAG_TOS: u16 = 5;
pub const INET_DIAG_TCLASS: u16 = 6;
pub const INET_DIAG_SKMEMINFO: u16 = 7;
pub const INET_DIAG_SHUTDOWN: u16 = 8;
pub const INET_DIAG_SKV6ONLY: u16 = 11;
pub const INET_DIAG_MARK: u16 = 15;
pub const INET_DIAG_CLASS_ID: u16 = 17;
pub const INET_DIAG_CGROUP_ID: u16 = 21;

/// Extensions by name: the idiag_ext bits that ask for them (bit n-1 for attribute n). The
/// kernel sends the cgroup id with every socket; `cgroup` only keeps it in the result.
pub const EXTENSIONS: &[(&str, u8)] = &[
    ("info", 1 << (INET_DIAG_INFO - 1)),
    ("meminfo", 1 << (INET_DIAG_SKMEMINFO - 1)),
    ("congestion", 1 << (INET_DIAG_CONG - 1)),
    ("tos", 1 << (INET_DIAG_TOS - 1) | 1 << (INET_DIAG_TCLASS - 1)),
    ("cgroup", 0),
];

/// The fields of struct sk_meminfo (INET_DIAG_SKMEMINFO, UNIX_DIAG_MEMINFO), in order.
pub const SKMEMINFO: &[&str] = &["rmemAlloc", "rcvbuf", "wmemAlloc", "sndbuf", "fwdAlloc", "wmemQueued", "optmem", "backlog", "drops"];

/// What a dump asks for.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// AF_INET or AF_INET6.
    pub family: u8,
    /// IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDPLITE.
    pub protocol: u8,
    /// Bit n: TCP state n.
    pub states: u32,
    /// idiag_ext bits (see [`EXTENSIONS`]).
    pub ext: u8,
    pub filter: Option<Expr>,
    /// Keep INET_DIAG_CGROUP_ID in the result (the `cgroup` extension).
    pub cgroup: bool,
}

/// struct inet_diag_req_v2 (56 bytes) with the socket id zeroed but for `id`.
fn req(family: u8, protocol: u8, ext: u8, states: u32, id: &[u8; 48]) -> Vec<u8> {
    let mut r = Vec::with_capacity(56);
    r.extend_from_slice(&[family, protocol, ext, 0]);
    r.extend_from_slice(&states.to_ne_bytes());
    r.extend_from_slice(id);
    r
}

/// AF_INET or AF_INET6 from the IP version, 4 or 6.
pub fn family_of_version(v: u32) -> Result<u8> {
    match v {
        4 => Ok(libc::AF_INET as u8),
        6 => Ok(libc::AF_INET6 as u8),
        _ => Err(Error::invalid("family must be 4 or 6")),
    }
}

pub fn check_family(family: u8) -> Result<()> {
    match i32::from(family) {
        libc::AF_INET | libc::AF_INET6 => Ok(()),
        _ => Err(Error::invalid(format!("address family {family} is not AF_INET or AF_INET6"))),
    }
}

/// SOCK_DIAG_BY_FAMILY dump, as `ss` sends it (NLM_F_DUMP without NLM_F_ACK).
pub fn dump(q: &Query) -> Result<Request> {
    check_family(q.family)?;
    let mut b = wire::MsgBuilder::new(SOCK_DIAG_BY_FAMILY, NLM_F_DUMP);
    b.push(&req(q.family, q.protocol, q.ext, q.states, &[0; 48]));
    if let Some(e) = &q.filter {
        b.attr(INET_DIAG_REQ_BYTECODE, &bytecode::compile(e)?);
    }
    Ok(Request::new(b.finish(), Mode::Dump, super::Decode::Inet { protocol: q.protocol, cgroup: q.cgroup }))
}

/// A socket's identity (struct inet_diag_sockid), as a listing gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SockId {
    pub src: IpAddr,
    pub dst: IpAddr,
    pub sport: u16,
    pub dport: u16,
    pub iface: u32,
    pub cookie: u64,
}

fn addr16(a: &IpAddr) -> [u8; 16] {
    let mut out = [0u8; 16];
    match a {
        IpAddr::V4(v) => out[..4].copy_from_slice(&v.octets()),
        IpAddr::V6(v) => out = v.octets(),
    }
    out
}

impl SockId {
    fn encode(&self) -> [u8; 48] {
        let mut id = [0u8; 48];
        id[0..2].copy_from_slice(&self.sport.to_be_bytes());
        id[2..4].copy_from_slice(&self.dport.to_be_bytes());
        id[4..20].copy_from_slice(&addr16(&self.src));
        id[20..36].copy_from_slice(&addr16(&self.dst));
        id[36..40].copy_from_slice(&self.iface.to_ne_bytes());
        id[40..44].copy_from_slice(&(self.cookie as u32).to_ne_bytes());
        id[44..48].copy_from_slice(&((self.cookie >> 32) as u32).to_ne_bytes());
        id
    }
}

/// SOCK_DESTROY of one socket (`ss -K` sends one per socket its filter matched): the kernel
/// finds it by family, protocol and `id`, cookie included, and aborts it (ECONNABORTED).
pub fn destroy(family: u8, protocol: u8, id: &SockId) -> Result<Request> {
    check_family(family)?;
    let v6 = i32::from(family) == libc::AF_INET6;
    if id.src.is_ipv6() != v6 || id.dst.is_ipv6() != v6 {
        return Err(Error::invalid("socket addresses must be of the socket's family"));
    }
    let mut b = wire::MsgBuilder::new(SOCK_DESTROY, NLM_F_ACK);
    b.push(&req(family, protocol, 0, 0, &id.encode()));
    Ok(Request::new(b.finish(), Mode::Ack, super::Decode::Skip))
}

fn ip(family: u8, b: &[u8]) -> IpAddr {
    let a: [u8; 16] = wire::fixed(b);
    if i32::from(family) == libc::AF_INET6 {
        IpAddr::V6(Ipv6Addr::from(a))
    } else {
        IpAddr::V4(Ipv4Addr::new(a[0], a[1], a[2], a[3]))
    }
}

/// The id fields of a reply (shared with destroy's input: `src`, `sport`, ... `cookie`).
fn decode_id(s: &mut Settings, family: u8, id: &[u8]) {
    s.set_str("src", ip(family, &id[4..20]).to_string());
    s.set_int("sport", u16::from_be_bytes([id[0], id[1]]));
    s.set_str("dst", ip(family, &id[20..36]).to_string());
    s.set_int("dport", u16::from_be_bytes([id[2], id[3]]));
    s.set_int("iface", wire::u32_at(id, 36));
    let cookie = u64::from(wire::u32_at(id, 40)) | u64::from(wire::u32_at(id, 44)) << 32;
    // A string: the cookie is a 64-bit value given back exactly to socketDestroy.
    s.set_str("cookie", cookie.to_string());
}

pub fn sk_meminfo(v: &[u8]) -> Settings {
    let mut m = Settings::new();
    for (i, k) in SKMEMINFO.iter().enumerate() {
        match v.get(i * 4..i * 4 + 4) {
            Some(_) => m.set_int(k, wire::u32_at(v, i * 4)),
            None => break,
        };
    }
    m
}

/// One struct inet_diag_msg and its attributes.
pub fn decode(payload: &[u8], protocol: u8, cgroup: bool) -> std::result::Result<Settings, WireError> {
    if payload.len() < INET_DIAG_MSG_LEN {
        return Err(WireError("inet_diag_msg shorter than 72 bytes"));
    }
    let family = payload[0];
    let mut s = Settings::new();
    s.set_int("family", if i32::from(family) == libc::AF_INET6 { 6 } else { 4 });
    s.set_str("protocol", names::protocol_name(protocol));
    s.set("state", names::state_value(payload[1]));
    decode_id(&mut s, family, &payload[4..52]);
    s.set_str("timer", names::timer_name(payload[2]));
    s.set_int("expires", wire::u32_at(payload, 52));
    s.set_int("retrans", payload[3]);
    s.set_int("rqueue", wire::u32_at(payload, 56));
    s.set_int("wqueue", wire::u32_at(payload, 60));
    s.set_int("uid", wire::u32_at(payload, 64));
    s.set_int("inode", wire::u32_at(payload, 68));
    for a in wire::attrs(&payload[INET_DIAG_MSG_LEN..]) {
        let (ty, v) = a?;
        match ty {
            INET_DIAG_INFO if protocol == libc::IPPROTO_TCP as u8 => {
                s.set("info", Value::Map(super::tcp_info::decode(v)));
            }
            INET_DIAG_CONG => {
                s.set_str("congestion", wire::attr_str(v));
            }
            INET_DIAG_TOS => {
                s.set_int("tos", wire::attr_u8(v).unwrap_or(0));
            }
            INET_DIAG_TCLASS => {
                s.set_int("tclass", wire::attr_u8(v).unwrap_or(0));
            }
            INET_DIAG_SKMEMINFO => {
                s.set("meminfo", Value::Map(sk_meminfo(v)));
            }
            INET_DIAG_SHUTDOWN => {
                s.set_int("shutdown", wire::attr_u8(v).unwrap_or(0));
            }
            INET_DIAG_SKV6ONLY => {
                s.set_bool("v6only", wire::attr_u8(v).unwrap_or(0) != 0);
            }
            INET_DIAG_MARK => {
                s.set_int("mark", wire::attr_u32(v).unwrap_or(0));
            }
            INET_DIAG_CLASS_ID => {
                s.set_int("classId", wire::attr_u32(v).unwrap_or(0));
            }
            INET_DIAG_CGROUP_ID if cgroup => {
                s.set("cgroupId", super::tcp_info::u64_value(wire::attr_u64(v).unwrap_or(0)));
            }
            _ => {}
        }
    }
    Ok(s)
}
