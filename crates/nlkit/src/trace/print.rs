//! strace's notation for netlink, the pieces every protocol shares: the message header and its
//! flags, NLMSG_ERROR/DONE, attributes (`[{nla_len=8, nla_type=IFLA_MTU}, 1500]`) and values.

use std::fmt::Write;

use crate::wire::{self, MsgHeader, NLA_F_NESTED, NLA_HDRLEN, NLMSG_DONE, NLMSG_ERROR, NLMSG_HDRLEN};

/// How an attribute's value is shown.
#[derive(Clone, Copy)]
pub enum Kind {
    U8,
    U16,
    U32,
    S32,
    Str,
    /// An IPv4 or IPv6 address by its length (`inet_addr("10.0.0.1")` / `inet_pton(AF_INET6, ...)`).
    Addr,
    /// A hardware address (`ff:ff:ff:ff:ff:ff`).
    Mac,
    /// A u32 shown by name where it has one (route tables), else in hexadecimal.
    Named(&'static [(u32, &'static str)]),
    Flag,
    Bin,
    Nested(&'static Table),
}

/// Attribute names and kinds of one attribute space, by type.
pub struct Table(pub &'static [(u16, &'static str, Kind)]);

impl Table {
    fn get(&self, ty: u16) -> Option<(&'static str, Kind)> {
        self.0.iter().find(|e| e.0 == ty).map(|e| (e.1, e.2))
    }
}

/// Bytes of a binary value shown before `...`.
const BIN_MAX: usize = 64;
/// Nesting shown before the rest is printed as bytes (a forged message cannot recurse deep).
const DEPTH_MAX: usize = 8;

pub fn flags(out: &mut String, f: u32, names: &[(u32, &str)]) {
    if f == 0 {
        out.push('0');
        return;
    }
    let mut left = f;
    let mut first = true;
    for &(bit, name) in names {
        if bit != 0 && left & bit == bit {
            out.push_str(if first { "" } else { "|" });
            out.push_str(name);
            left &= !bit;
            first = false;
        }
    }
    if left != 0 || first {
        let _ = write!(out, "{}{:#x}", if first { "" } else { "|" }, left);
    }
}

/// The flags every message may carry; `extra` are those of its kind (new, get, delete, ACK).
pub fn nlmsg_flags(out: &mut String, f: u16, extra: &[(u32, &str)]) {
    const COMMON: &[(u32, &str)] = &[
        (0x01, "NLM_F_REQUEST"),
        (0x02, "NLM_F_MULTI"),
        (0x04, "NLM_F_ACK"),
        (0x08, "NLM_F_ECHO"),
        (0x10, "NLM_F_DUMP_INTR"),
        (0x20, "NLM_F_DUMP_FILTERED"),
    ];
    let all: Vec<(u32, &str)> = COMMON.iter().chain(extra).copied().collect();
    flags(out, f as u32, &all);
}

pub const NEW_FLAGS: &[(u32, &str)] = &[(0x100, "NLM_F_REPLACE"), (0x200, "NLM_F_EXCL"), (0x400, "NLM_F_CREATE"), (0x800, "NLM_F_APPEND")];
pub const GET_FLAGS: &[(u32, &str)] = &[(0x300, "NLM_F_DUMP"), (0x100, "NLM_F_ROOT"), (0x200, "NLM_F_MATCH"), (0x400, "NLM_F_ATOMIC")];
pub const DEL_FLAGS: &[(u32, &str)] = &[(0x100, "NLM_F_NONREC"), (0x200, "NLM_F_BULK")];
const ACK_FLAGS: &[(u32, &str)] = &[(0x100, "NLM_F_CAPPED"), (0x200, "NLM_F_ACK_TLVS")];

const ERR_ATTRS: Table = Table(&[
    (1, "NLMSGERR_ATTR_MSG", Kind::Str),
    (2, "NLMSGERR_ATTR_OFFS", Kind::U32),
    (3, "NLMSGERR_ATTR_COOKIE", Kind::Bin),
    (4, "NLMSGERR_ATTR_POLICY", Kind::Bin),
    (5, "NLMSGERR_ATTR_MISS_TYPE", Kind::U32),
    (6, "NLMSGERR_ATTR_MISS_NEST", Kind::U32),
]);

/// `{nlmsg_len=.., nlmsg_type=.., nlmsg_flags=.., nlmsg_seq=.., nlmsg_pid=..}` with the type's
/// name and its flag set as the protocol tells.
pub fn header(out: &mut String, h: &MsgHeader, ty: &str, extra_flags: &[(u32, &str)]) {
    let _ = write!(out, "{{nlmsg_len={}, nlmsg_type={}, nlmsg_flags=", h.len, ty);
    nlmsg_flags(out, h.flags, extra_flags);
    let _ = write!(out, ", nlmsg_seq={}, nlmsg_pid={}}}", h.seq, h.pid as i32);
}

/// Decodes one message of the protocol echoed in an error: the whole of it, or (capped) its
/// header alone.
pub type Decode<'a> = &'a dyn Fn(&mut String, &MsgHeader, Option<&[u8]>);

/// The control messages the engine itself reads; `decode` prints an echoed request. Returns
/// false for other types.
pub fn control(out: &mut String, h: &MsgHeader, payload: &[u8], decode: Decode<'_>) -> bool {
    match h.ty {
        NLMSG_ERROR => {
            header(out, h, "NLMSG_ERROR", ACK_FLAGS);
            out.push_str(", ");
            error_body(out, h.flags, payload, decode);
        }
        NLMSG_DONE => {
            header(out, h, "NLMSG_DONE", &[]);
            let errno = wire::u32_at(payload, 0) as i32;
            let _ = write!(out, ", {}", errno);
            if let Some(rest) = payload.get(4..).filter(|r| !r.is_empty()) {
                out.push_str(", ");
                attrs(out, rest, &ERR_ATTRS, 0);
            }
        }
        1 => header(out, h, "NLMSG_NOOP", &[]),
        4 => header(out, h, "NLMSG_OVERRUN", &[]),
        _ => return false,
    }
    true
}

/// `{error=-EEXIST, msg=...}`: the echoed request's header when capped, else the whole request
/// in brackets; with extended-ACK attributes the pair is a list, as strace shows it.
fn error_body(out: &mut String, flags: u16, p: &[u8], decode: Decode<'_>) {
    if p.len() < 4 {
        bytes(out, p);
        return;
    }
    let echoed = &p[4..];
    let capped = flags & 0x100 != 0;
    let rh = MsgHeader::parse(echoed).ok();
    let skip = match rh {
        Some(_) if capped => NLMSG_HDRLEN,
        Some(rh) => wire::align4(rh.len as usize),
        None => echoed.len(),
    };
    let tlvs = echoed.get(skip..).filter(|t| !t.is_empty());
    if tlvs.is_some() {
        out.push('[');
    }
    let e = wire::u32_at(p, 0) as i32;
    out.push_str("{error=");
    match e {
        0 => out.push('0'),
        e => {
            let _ = write!(out, "-{}", errno_name(e.wrapping_neg()));
        }
    }
    if let Some(rh) = rh {
        out.push_str(", msg=");
        match echoed.get(NLMSG_HDRLEN..(rh.len as usize).max(NLMSG_HDRLEN)) {
            Some(body) if !capped => {
                out.push('[');
                decode(out, &rh, Some(body));
                out.push(']');
            }
            _ => decode(out, &rh, None),
        }
    }
    out.push('}');
    if let Some(tlvs) = tlvs {
        out.push_str(", ");
        attrs(out, tlvs, &ERR_ATTRS, 0);
        out.push(']');
    }
}

/// The errno names strace prints (`-EEXIST`), else the number.
pub fn errno_name(e: i32) -> String {
    const NAMES: &[(i32, &str)] = &[
        (libc::EPERM, "EPERM"),
        (libc::ENOENT, "ENOENT"),
        (libc::ESRCH, "ESRCH"),
        (libc::EINTR, "EINTR"),
        (libc::EIO, "EIO"),
        (libc::ENXIO, "ENXIO"),
        (libc::E2BIG, "E2BIG"),
        (libc::EBADF, "EBADF"),
        (libc::EAGAIN, "EAGAIN"),
        (libc::ENOMEM, "ENOMEM"),
        (libc::EACCES, "EACCES"),
        (libc::EFAULT, "EFAULT"),
        (libc::EBUSY, "EBUSY"),
        (libc::EEXIST, "EEXIST"),
        (libc::ENODEV, "ENODEV"),
        (libc::EINVAL, "EINVAL"),
        (libc::ENOSPC, "ENOSPC"),
        (libc::ERANGE, "ERANGE"),
        (libc::EMSGSIZE, "EMSGSIZE"),
        (libc::ENOPROTOOPT, "ENOPROTOOPT"),
        (libc::EPROTONOSUPPORT, "EPROTONOSUPPORT"),
        (libc::EOPNOTSUPP, "EOPNOTSUPP"),
        (libc::EAFNOSUPPORT, "EAFNOSUPPORT"),
        (libc::EADDRINUSE, "EADDRINUSE"),
        (libc::EADDRNOTAVAIL, "EADDRNOTAVAIL"),
        (libc::ENETDOWN, "ENETDOWN"),
        (libc::ENETUNREACH, "ENETUNREACH"),
        (libc::ENOBUFS, "ENOBUFS"),
        (libc::ETIMEDOUT, "ETIMEDOUT"),
        (libc::EHOSTUNREACH, "EHOSTUNREACH"),
        (libc::ENOTSUP, "ENOTSUP"),
        (libc::ENOTEMPTY, "ENOTEMPTY"),
    ];
    NAMES.iter().find(|n| n.0 == e).map_or_else(|| e.to_string(), |n| n.1.to_string())
}

/// `[[{nla_len=8, nla_type=IFLA_MTU}, 1500], ...]`; unknown types by number, bytes after a
/// malformed attribute as bytes.
pub fn attrs(out: &mut String, buf: &[u8], table: &Table, depth: usize) {
    // strace shows a lone attribute without the enclosing list.
    let single = buf.len() >= NLA_HDRLEN && {
        let len = wire::u16_at(buf, 0) as usize;
        len >= NLA_HDRLEN && len <= buf.len() && wire::align4(len) >= buf.len()
    };
    if single {
        attr(out, buf, table, depth);
        return;
    }
    out.push('[');
    let mut off = 0;
    while buf.len() - off >= NLA_HDRLEN {
        let len = wire::u16_at(buf, off) as usize;
        out.push_str(if off == 0 { "" } else { ", " });
        if len < NLA_HDRLEN || len > buf.len() - off {
            bytes(out, &buf[off..]);
            break;
        }
        attr(out, &buf[off..off + len], table, depth);
        off += wire::align4(len).min(buf.len() - off);
    }
    out.push(']');
}

/// One attribute whose length is known to be right: `[{nla_len=8, nla_type=IFLA_MTU}, 1500]`.
fn attr(out: &mut String, a: &[u8], table: &Table, depth: usize) {
    let len = wire::u16_at(a, 0) as usize;
    let raw_ty = wire::u16_at(a, 2);
    let ty = raw_ty & wire::NLA_TYPE_MASK;
    let known = table.get(ty);
    let _ = write!(out, "[{{nla_len={len}, nla_type=");
    if raw_ty & NLA_F_NESTED != 0 {
        out.push_str("NLA_F_NESTED|");
    }
    if raw_ty & 0x4000 != 0 {
        out.push_str("NLA_F_NET_BYTEORDER|");
    }
    match known {
        Some((name, _)) => out.push_str(name),
        None => {
            let _ = write!(out, "{:#x}", ty);
        }
    }
    out.push_str("}, ");
    value_of(out, &a[NLA_HDRLEN..len], known.map_or(Kind::Bin, |k| k.1), depth);
    out.push(']');
}

fn value_of(out: &mut String, v: &[u8], kind: Kind, depth: usize) {
    let fits = |n: usize| v.len() == n;
    match kind {
        Kind::U8 if fits(1) => {
            let _ = write!(out, "{}", v[0]);
        }
        Kind::U16 if fits(2) => {
            let _ = write!(out, "{}", wire::u16_at(v, 0));
        }
        Kind::U32 if fits(4) => {
            let _ = write!(out, "{}", wire::u32_at(v, 0));
        }
        Kind::S32 if fits(4) => {
            let _ = write!(out, "{}", wire::u32_at(v, 0) as i32);
        }
        Kind::Str => {
            let s = v.strip_suffix(&[0]).unwrap_or(v);
            quoted(out, s);
        }
        Kind::Addr if fits(4) => {
            let _ = write!(out, "inet_addr(\"{}\")", std::net::Ipv4Addr::new(v[0], v[1], v[2], v[3]));
        }
        Kind::Addr if fits(16) => {
            let a: [u8; 16] = wire::fixed(v);
            let _ = write!(out, "inet_pton(AF_INET6, \"{}\")", std::net::Ipv6Addr::from(a));
        }
        Kind::Mac if !v.is_empty() && v.len() <= 32 => {
            for (i, b) in v.iter().enumerate() {
                let _ = write!(out, "{}{:02x}", if i == 0 { "" } else { ":" }, b);
            }
        }
        Kind::Named(names) if fits(4) => {
            let n = wire::u32_at(v, 0);
            match names.iter().find(|x| x.0 == n) {
                Some(x) => out.push_str(x.1),
                None => {
                    let _ = write!(out, "{}", Hex(n));
                }
            }
        }
        Kind::Flag if v.is_empty() => out.push_str("true"),
        Kind::Nested(t) if depth < DEPTH_MAX => attrs(out, v, t, depth + 1),
        _ => bytes(out, v),
    }
}

/// A quoted string as strace prints one: printable ASCII as is, the rest `\xNN`.
pub fn quoted(out: &mut String, s: &[u8]) {
    out.push('"');
    for &b in s {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7e => out.push(b as char),
            _ => {
                let _ = write!(out, "\\x{:02x}", b);
            }
        }
    }
    out.push('"');
}

/// Bytes as a quoted `\xNN` string, the first BIN_MAX of them.
pub fn bytes(out: &mut String, v: &[u8]) {
    out.push('"');
    for b in &v[..v.len().min(BIN_MAX)] {
        let _ = write!(out, "\\x{:02x}", b);
    }
    out.push('"');
    if v.len() > BIN_MAX {
        out.push_str("...");
    }
}

/// Field `name=value` of a fixed header, `, ` before all but the first.
pub fn field(out: &mut String, first: bool, name: &str, value: std::fmt::Arguments<'_>) {
    if !first {
        out.push_str(", ");
    }
    out.push_str(name);
    out.push('=');
    let _ = out.write_fmt(value);
}

/// A number as strace shows flags and handles: `0`, else hexadecimal.
pub struct Hex(pub u32);

impl std::fmt::Display for Hex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0 == 0 {
            f.write_str("0")
        } else {
            write!(f, "{:#x}", self.0)
        }
    }
}

pub fn address_family(f: u8) -> String {
    match f as i32 {
        libc::AF_UNSPEC => "AF_UNSPEC".into(),
        libc::AF_INET => "AF_INET".into(),
        libc::AF_INET6 => "AF_INET6".into(),
        libc::AF_BRIDGE => "AF_BRIDGE".into(),
        libc::AF_PACKET => "AF_PACKET".into(),
        libc::AF_MPLS => "AF_MPLS".into(),
        128 => "RTNL_FAMILY_IPMR".into(),
        129 => "RTNL_FAMILY_IP6MR".into(),
        n => n.to_string(),
    }
}
