//! Netlink sockets (NETLINK_SOCK_DIAG for AF_NETLINK: struct netlink_diag_req and
//! netlink_diag_msg), as `ss -A netlink` lists them.

use super::inet::sk_meminfo;
use super::{Request, SOCK_DIAG_BY_FAMILY};
use crate::conn::Mode;
use crate::rtnl::settings::{Settings, Value};
use crate::wire::{self, WireError, NLM_F_DUMP};

const NDIAG_PROTO_ALL: u8 = 0xff;
const NDIAG_SHOW_MEMINFO: u32 = 0x1;
const NDIAG_SHOW_GROUPS: u32 = 0x2;
const NDIAG_SHOW_FLAGS: u32 = 0x8;

const NETLINK_DIAG_MEMINFO: u16 = 0;
const NETLINK_DIAG_GROUPS: u16 = 1;
const NETLINK_DIAG_FLAGS: u16 = 4;

const NETLINK_DIAG_MSG_LEN: usize = 28;

/// Every netlink socket of the namespace (all protocols), with its groups and flags, and with
/// `meminfo` its memory.
pub fn dump(meminfo: bool) -> Request {
    let show = NDIAG_SHOW_GROUPS | NDIAG_SHOW_FLAGS | if meminfo { NDIAG_SHOW_MEMINFO } else { 0 };
    let mut r = Vec::with_capacity(20);
    r.extend_from_slice(&[libc::AF_NETLINK as u8, NDIAG_PROTO_ALL, 0, 0]);
    r.extend_from_slice(&0u32.to_ne_bytes()); // ndiag_ino: any
    r.extend_from_slice(&show.to_ne_bytes());
    r.extend_from_slice(&[0; 8]);
    let mut b = wire::MsgBuilder::new(SOCK_DIAG_BY_FAMILY, NLM_F_DUMP);
    b.push(&r);
    Request::new(b.finish(), Mode::Dump, super::Decode::Netlink)
}

/// NDIAG_FLAG_* by name.
const FLAGS: &[(u32, &str)] =
    &[(0x1, "cbRunning"), (0x2, "pktinfo"), (0x4, "broadcastError"), (0x8, "noEnobufs"), (0x10, "listenAllNsid"), (0x20, "capAck")];

pub fn decode(p: &[u8]) -> Result<Settings, WireError> {
    if p.len() < NETLINK_DIAG_MSG_LEN {
        return Err(WireError("netlink_diag_msg shorter than 28 bytes"));
    }
    let mut s = Settings::new();
    s.set_str("family", "netlink");
    s.set_int("protocol", p[2]);
    s.set_int("type", p[1]);
    // NETLINK_CONNECTED (1) or not, named as ss names it.
    s.set_str("state", if p[3] == 1 { "established" } else { "close" });
    s.set_int("portid", wire::u32_at(p, 4));
    s.set_int("dstPortid", wire::u32_at(p, 8));
    s.set_int("dstGroup", wire::u32_at(p, 12));
    s.set_int("inode", wire::u32_at(p, 16));
    let cookie = u64::from(wire::u32_at(p, 20)) | u64::from(wire::u32_at(p, 24)) << 32;
    s.set_str("cookie", cookie.to_string());
    for a in wire::attrs(&p[NETLINK_DIAG_MSG_LEN..]) {
        let (ty, v) = a?;
        match ty {
            NETLINK_DIAG_GROUPS => {
                // A bitmap of u32 words: bit b of word w is group 32 * w + b + 1.
                let mut groups = Vec::new();
                for (w, c) in v.chunks_exact(4).enumerate() {
                    let word = wire::u32_at(c, 0);
                    groups.extend((0..32).filter(|b| word & (1 << b) != 0).map(|b| Value::Int((32 * w + b + 1) as i64)));
                }
                s.set("groups", Value::List(groups));
            }
            NETLINK_DIAG_FLAGS => {
                let f = wire::attr_u32(v).unwrap_or(0);
                let names = FLAGS.iter().filter(|(bit, _)| f & bit != 0).map(|(_, n)| Value::Str((*n).into())).collect();
                s.set("flags", Value::List(names));
            }
            NETLINK_DIAG_MEMINFO => {
                s.set("meminfo", Value::Map(sk_meminfo(v)));
            }
            _ => {}
        }
    }
    Ok(s)
}
