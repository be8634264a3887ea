//! Packet sockets (NETLINK_SOCK_DIAG for AF_PACKET: struct packet_diag_req and
//! packet_diag_msg), as `ss -0` lists them.

use super::inet::sk_meminfo;
use super::{Request, SOCK_DIAG_BY_FAMILY};
use crate::conn::Mode;
use crate::rtnl::settings::{Settings, Value};
use crate::wire::{self, WireError, NLM_F_DUMP};

const PACKET_SHOW_INFO: u32 = 0x1;
const PACKET_SHOW_FANOUT: u32 = 0x8;
const PACKET_SHOW_MEMINFO: u32 = 0x10;

const PACKET_DIAG_INFO: u16 = 0;
const PACKET_DIAG_FANOUT: u16 = 4;
const PACKET_DIAG_UID: u16 = 5;
const PACKET_DIAG_MEMINFO: u16 = 6;

const PACKET_DIAG_MSG_LEN: usize = 16;

/// Every packet socket of the namespace, with its device, version and flags, and with
/// `meminfo` its memory.
pub fn dump(meminfo: bool) -> Request {
    let show = PACKET_SHOW_INFO | PACKET_SHOW_FANOUT | if meminfo { PACKET_SHOW_MEMINFO } else { 0 };
    let mut r = Vec::with_capacity(20);
    r.extend_from_slice(&[libc::AF_PACKET as u8, 0, 0, 0]);
    r.extend_from_slice(&0u32.to_ne_bytes()); // pdiag_ino: any
    r.extend_from_slice(&show.to_ne_bytes());
    r.extend_from_slice(&[0; 8]);
    let mut b = wire::MsgBuilder::new(SOCK_DIAG_BY_FAMILY, NLM_F_DUMP);
    b.push(&r);
    Request::new(b.finish(), Mode::Dump, super::Decode::Packet)
}

/// PDI_* flags by name.
const FLAGS: &[(u32, &str)] = &[(0x1, "running"), (0x2, "auxdata"), (0x4, "origdev"), (0x8, "vnethdr"), (0x10, "loss")];

pub fn decode(p: &[u8]) -> Result<Settings, WireError> {
    if p.len() < PACKET_DIAG_MSG_LEN {
        return Err(WireError("packet_diag_msg shorter than 16 bytes"));
    }
    let mut s = Settings::new();
    s.set_str("family", "packet");
    s.set(
        "type",
        match i32::from(p[1]) {
            libc::SOCK_RAW => Value::Str("raw".into()),
            libc::SOCK_DGRAM => Value::Str("dgram".into()),
            _ => Value::Int(p[1].into()),
        },
    );
    // The ethertype it receives (ETH_P_ALL 0x0003, ...): the kernel turns it to host order.
    s.set_int("protocol", u16::from_ne_bytes([p[2], p[3]]));
    s.set_int("inode", wire::u32_at(p, 4));
    let cookie = u64::from(wire::u32_at(p, 8)) | u64::from(wire::u32_at(p, 12)) << 32;
    s.set_str("cookie", cookie.to_string());
    for a in wire::attrs(&p[PACKET_DIAG_MSG_LEN..]) {
        let (ty, v) = a?;
        match ty {
            PACKET_DIAG_INFO if v.len() >= 24 => {
                s.set_int("iface", wire::u32_at(v, 0));
                s.set_int("version", wire::u32_at(v, 4));
                s.set_int("reserve", wire::u32_at(v, 8));
                s.set_int("copyThresh", wire::u32_at(v, 12));
                s.set_int("tstamp", wire::u32_at(v, 16));
                let f = wire::u32_at(v, 20);
                let names = FLAGS.iter().filter(|(bit, _)| f & bit != 0).map(|(_, n)| Value::Str((*n).into())).collect();
                s.set("flags", Value::List(names));
            }
            PACKET_DIAG_FANOUT => {
                s.set_int("fanout", wire::attr_u32(v).unwrap_or(0));
            }
            PACKET_DIAG_UID => {
                s.set_int("uid", wire::attr_u32(v).unwrap_or(0));
            }
            PACKET_DIAG_MEMINFO => {
                s.set("meminfo", Value::Map(sk_meminfo(v)));
            }
            _ => {}
        }
    }
    Ok(s)
}
