//! ip and ip6: the tunnel metadata (`collect_md` tunnels, e.g. a vxlan or gre device in external
//! mode) that routes hand to the device: id (key), remote and local end, ttl/hoplimit, tos/tc and
//! the key/csum/seq flags.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::{flag, int, v4, v6};
use crate::rtnl::settings::Settings;
use crate::wire::{attr_u64, attr_u8, attrs, fixed, u16_at, MsgBuilder};

pub(super) const KEYS: &[&str] = &["type", "id", "dst", "src", "ttl", "tos", "key", "csum", "seq"];
pub(super) const KEYS6: &[&str] = &["type", "id", "dst", "src", "hoplimit", "tc", "key", "csum", "seq"];

// LWTUNNEL_IP_* and LWTUNNEL_IP6_* share their numbers.
const ID: u16 = 1;
const DST: u16 = 2;
const SRC: u16 = 3;
const TTL: u16 = 4;
const TOS: u16 = 5;
const FLAGS: u16 = 6;
/// TUNNEL_* bits of the flags attribute (a be16).
const FLAG_BITS: &[(&str, u16)] = &[("key", 0x04), ("csum", 0x01), ("seq", 0x08)];

fn addr(s: &Settings, key: &str, six: bool) -> Result<Option<IpAddr>, String> {
    Ok(if six { v6(s, key)?.map(IpAddr::V6) } else { v4(s, key)?.map(IpAddr::V4) })
}

fn octets(a: IpAddr) -> Vec<u8> {
    match a {
        IpAddr::V4(a) => a.octets().to_vec(),
        IpAddr::V6(a) => a.octets().to_vec(),
    }
}

/// iproute2's order: id, dst, src, ttl/hoplimit, tos/tc, flags.
pub(super) fn encode(s: &Settings, b: &mut MsgBuilder, six: bool) -> Result<(), String> {
    let (ttl, tos) = if six { ("hoplimit", "tc") } else { ("ttl", "tos") };
    let dst = addr(s, "dst", six)?.ok_or("encap.dst is missing (the tunnel's remote end)")?;
    if let Some(id) = int(s, "id", 0, i64::MAX)? {
        b.attr(ID, &(id as u64).to_be_bytes());
    }
    b.attr(DST, &octets(dst));
    if let Some(src) = addr(s, "src", six)? {
        b.attr(SRC, &octets(src));
    }
    for (key, ty) in [(ttl, TTL), (tos, TOS)] {
        if let Some(v) = int(s, key, 0, 255)? {
            b.attr_u8(ty, v as u8);
        }
    }
    let mut flags = 0u16;
    for (key, bit) in FLAG_BITS {
        if flag(s, key)? {
            flags |= bit;
        }
    }
    if flags != 0 {
        b.attr(FLAGS, &flags.to_be_bytes());
    }
    Ok(())
}

pub(super) fn decode(v: &[u8], s: &mut Settings, six: bool) {
    let (ttl, tos) = if six { ("hoplimit", "tc") } else { ("ttl", "tos") };
    for (ty, a) in attrs(v).map_while(Result::ok) {
        match ty {
            ID => {
                if let Some(id) = attr_u64(a).and_then(|x| i64::try_from(u64::from_be(x)).ok()) {
                    s.set_int("id", id);
                }
            }
            DST | SRC => {
                let key = if ty == DST { "dst" } else { "src" };
                match (six, a.len()) {
                    (false, 4) => s.set_str(key, Ipv4Addr::from(fixed::<4>(a)).to_string()),
                    (true, 16) => s.set_str(key, Ipv6Addr::from(fixed::<16>(a)).to_string()),
                    _ => s,
                };
            }
            TTL | TOS => {
                if let Some(x) = attr_u8(a) {
                    s.set_int(if ty == TTL { ttl } else { tos }, x);
                }
            }
            FLAGS if a.len() >= 2 => {
                let f = u16::from_be(u16_at(a, 0));
                for (key, bit) in FLAG_BITS {
                    if f & bit != 0 {
                        s.set_bool(key, true);
                    }
                }
            }
            _ => {}
        }
    }
}
