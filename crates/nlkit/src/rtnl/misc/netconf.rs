//! Per-device IP settings (RTM_*NETCONF, `ip netconf`): forwarding, rp_filter, mc_forwarding,
//! proxy_neigh, ignore_routes_with_linkdown, per family. Read-only over netlink (they are set
//! through /proc/sys/net/ipv{4,6}/conf); the kernel also announces changes to them.

use super::{Record, RecordKind};
use crate::rtnl::settings::Settings;
use crate::wire::{attrs, MsgBuilder, WireError, NLM_F_DUMP};

pub const RTM_NEWNETCONF: u16 = 80;
pub const RTM_DELNETCONF: u16 = 81;
pub const RTM_GETNETCONF: u16 = 82;

const NETCONFA_IFINDEX: u16 = 1;
/// The "all" and "default" pseudo-devices of /proc/sys/net/ipv*/conf.
pub const IFINDEX_ALL: i32 = -1;
pub const IFINDEX_DEFAULT: i32 = -2;

/// NETCONFA_* booleans, with ip's names.
const BOOLS: &[(u16, &str)] =
    &[(2, "forwarding"), (4, "mcForwarding"), (5, "proxyNeigh"), (6, "ignoreRoutesWithLinkdown"), (7, "input"), (8, "bcForwarding")];
const NETCONFA_RP_FILTER: u16 = 3;

/// A dump of every device's settings of `family` (0: every family).
pub fn dump(family: u8) -> Vec<u8> {
    let mut b = MsgBuilder::new(RTM_GETNETCONF, NLM_F_DUMP);
    b.push(&[family, 0, 0, 0]);
    b.finish()
}

/// One device's settings (`index`, or [`IFINDEX_ALL`] / [`IFINDEX_DEFAULT`]) of `family`.
pub fn get(family: u8, index: i32) -> Vec<u8> {
    let mut b = MsgBuilder::new(RTM_GETNETCONF, 0);
    b.push(&[family, 0, 0, 0]);
    b.attr(NETCONFA_IFINDEX, &index.to_ne_bytes());
    b.finish()
}

pub fn decode(payload: &[u8]) -> Result<Record, WireError> {
    let family = *payload.first().ok_or(WireError("short netconfmsg"))?;
    let mut f = Settings::new();
    f.set_int("family", family_number(family));
    let mut index = None;
    for a in attrs(payload.get(4..).unwrap_or_default()) {
        let (ty, v) = a?;
        let Some(x) = v.get(..4).map(|b| i32::from_ne_bytes([b[0], b[1], b[2], b[3]])) else { continue };
        match ty {
            NETCONFA_IFINDEX => match x {
                IFINDEX_ALL => {
                    f.set_str("dev", "all");
                }
                IFINDEX_DEFAULT => {
                    f.set_str("dev", "default");
                }
                i if i > 0 => index = Some(i as u32),
                _ => {}
            },
            NETCONFA_RP_FILTER => {
                f.set_str("rpFilter", ["off", "strict", "loose"].get(x as usize).copied().unwrap_or("unknown"));
            }
            _ => {
                if let Some((_, k)) = BOOLS.iter().find(|(t, _)| *t == ty) {
                    f.set_bool(k, x != 0);
                }
            }
        }
    }
    Ok(Record { kind: RecordKind::Netconf, index, fields: f })
}

/// 4 and 6 as the API numbers families; MPLS (28) and others as the kernel's number.
fn family_number(f: u8) -> i64 {
    match f as i32 {
        libc::AF_INET => 4,
        libc::AF_INET6 => 6,
        other => other as i64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rtnl::settings::Value;
    use crate::wire::NLMSG_HDRLEN;

    #[test]
    fn requests_and_decode() {
        let d = dump(libc::AF_INET6 as u8);
        assert_eq!(d.len(), NLMSG_HDRLEN + 4);
        assert_eq!(d[NLMSG_HDRLEN], 10);
        let g = get(2, IFINDEX_DEFAULT);
        assert_eq!(&g[NLMSG_HDRLEN + 4..], &[8, 0, 1, 0, 0xfe, 0xff, 0xff, 0xff]);
        let mut b = MsgBuilder::new(RTM_NEWNETCONF, 0);
        b.push(&[2, 0, 0, 0]);
        b.attr(NETCONFA_IFINDEX, &5i32.to_ne_bytes());
        b.attr_u32(2, 1);
        b.attr_u32(NETCONFA_RP_FILTER, 2);
        b.attr(5, &[1]); // short: skipped
        b.attr_u32(6, 0);
        let m = b.finish();
        let r = decode(&m[NLMSG_HDRLEN..]).unwrap();
        assert_eq!(r.index, Some(5));
        assert_eq!(r.fields.get("forwarding"), Some(&Value::Bool(true)));
        assert_eq!(r.fields.get("rpFilter"), Some(&Value::Str("loose".into())));
        assert_eq!(r.fields.get("proxyNeigh"), None);
        assert_eq!(r.fields.get("ignoreRoutesWithLinkdown"), Some(&Value::Bool(false)));
        for cut in 0..m.len() - NLMSG_HDRLEN {
            let _ = decode(&m[NLMSG_HDRLEN..NLMSG_HDRLEN + cut]);
        }
    }
}
