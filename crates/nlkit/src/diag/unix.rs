//! Unix sockets: the dump request (struct unix_diag_req) and struct unix_diag_msg replies.

use super::inet::sk_meminfo;
use super::{names, Request, SOCK_DIAG_BY_FAMILY};
use crate::conn::Mode;
use crate::rtnl::settings::{Settings, Value};
use crate::wire::{self, WireError, NLM_F_DUMP};

const UDIAG_SHOW_NAME: u32 = 0x01;
const UDIAG_SHOW_VFS: u32 = 0x02;
const UDIAG_SHOW_PEER: u32 = 0x04;
const UDIAG_SHOW_ICONS: u32 = 0x08;
const UDIAG_SHOW_RQLEN: u32 = 0x10;
const UDIAG_SHOW_MEMINFO: u32 = 0x20;
const UDIAG_SHOW_UID: u32 = 0x40;

const UNIX_DIAG_NAME: u16 = 0;
const UNIX_DIAG_VFS: u16 = 1;
const UNIX_DIAG_PEER: u16 = 2;
const UNIX_DIAG_ICONS: u16 = 3;
const UNIX_DIAG_RQLEN: u16 = 4;
const UNIX_DIAG_MEMINFO: u16 = 5;
const UNIX_DIAG_SHUTDOWN: u16 = 6;
const UNIX_DIAG_UID: u16 = 7;

const UNIX_DIAG_MSG_LEN: usize = 16;

/// Every unix socket in `states` (bit n: state n), with its path, peer, queues, owner and (with
/// `meminfo`) memory.
pub fn dump(states: u32, meminfo: bool) -> Request {
    let show = UDIAG_SHOW_NAME | UDIAG_SHOW_VFS | UDIAG_SHOW_PEER | UDIAG_SHOW_ICONS | UDIAG_SHOW_RQLEN | UDIAG_SHOW_UID;
    let show = show | if meminfo { UDIAG_SHOW_MEMINFO } else { 0 };
    let mut r = Vec::with_capacity(24);
    r.extend_from_slice(&[libc::AF_UNIX as u8, 0, 0, 0]);
    r.extend_from_slice(&states.to_ne_bytes());
    r.extend_from_slice(&0u32.to_ne_bytes()); // udiag_ino: any
    r.extend_from_slice(&show.to_ne_bytes());
    r.extend_from_slice(&[0; 8]); // udiag_cookie: unused by dumps
    let mut b = wire::MsgBuilder::new(SOCK_DIAG_BY_FAMILY, NLM_F_DUMP);
    b.push(&r);
    Request::new(b.finish(), Mode::Dump, super::Decode::Unix)
}

/// A socket's name: its path, `@name` for an abstract one (leading NUL, as ss prints it).
fn name(v: &[u8]) -> String {
    match v.split_first() {
        Some((0, rest)) => format!("@{}", String::from_utf8_lossy(rest)),
        _ => wire::attr_str(v),
    }
}

pub fn decode(payload: &[u8]) -> Result<Settings, WireError> {
    if payload.len() < UNIX_DIAG_MSG_LEN {
        return Err(WireError("unix_diag_msg shorter than 16 bytes"));
    }
    let mut s = Settings::new();
    s.set_str("family", "unix");
    s.set("type", names::unix_type_name(payload[1]));
    s.set("state", names::state_value(payload[2]));
    s.set_int("inode", wire::u32_at(payload, 4));
    let cookie = u64::from(wire::u32_at(payload, 8)) | u64::from(wire::u32_at(payload, 12)) << 32;
    s.set_str("cookie", cookie.to_string());
    for a in wire::attrs(&payload[UNIX_DIAG_MSG_LEN..]) {
        let (ty, v) = a?;
        match ty {
            UNIX_DIAG_NAME => {
                s.set_str("path", name(v));
            }
            UNIX_DIAG_VFS if v.len() >= 8 => {
                let mut m = Settings::new();
                m.set_int("inode", wire::u32_at(v, 0)).set_int("dev", wire::u32_at(v, 4));
                s.set("vfs", Value::Map(m));
            }
            UNIX_DIAG_PEER => {
                s.set_int("peer", wire::attr_u32(v).unwrap_or(0));
            }
            UNIX_DIAG_ICONS => {
                // Inodes of connections waiting to be accepted (a listener's queue).
                let l = v.chunks_exact(4).map(|c| Value::Int(wire::u32_at(c, 0).into())).collect();
                s.set("pending", Value::List(l));
            }
            UNIX_DIAG_RQLEN if v.len() >= 8 => {
                s.set_int("rqueue", wire::u32_at(v, 0)).set_int("wqueue", wire::u32_at(v, 4));
            }
            UNIX_DIAG_MEMINFO => {
                s.set("meminfo", Value::Map(sk_meminfo(v)));
            }
            UNIX_DIAG_SHUTDOWN => {
                s.set_int("shutdown", wire::attr_u8(v).unwrap_or(0));
            }
            UNIX_DIAG_UID => {
                s.set_int("uid", wire::attr_u32(v).unwrap_or(0));
            }
            _ => {}
        }
    }
    Ok(s)
}
