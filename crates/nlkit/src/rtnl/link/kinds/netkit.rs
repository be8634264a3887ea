//! netkit (IFLA_NETKIT_*): a pair like veth whose traffic BPF programs steer. Keys are
//! `ip -d -j link show`'s names in camelCase: `mode` ('l2' | 'l3'), `policy` and `peerPolicy`
//! (what happens without a program: 'forward' | 'blackhole'), `scrub` and `peerScrub` ('none' |
//! 'default'), `headroom` and `tailroom` (u16, the uapi's names; ip has no arguments for
//! them), and `peer` (`{ name, mtu, address, netns }`, as veth's). The kernel reports the
//! primary/peer role too, read-only and not decoded; the peer itself shows as IFLA_LINK.
//!
//! Attributes go out in ip's order when its arguments are given in its help order (mode,
//! policy, scrub, then after `peer` its policy, scrub and link options). As ip, the peer nest
//! has no NLA_F_NESTED and carries mtu, address and namespace before the name, so the data
//! block equals iproute2's byte for byte.

use super::common::{decode_fields, encode_fields, fmt_mac, mac, Field, Int};
use super::{EncodeCtx, LinkKind};
use crate::rtnl::link::{ifinfomsg, IFLA_ADDRESS, IFLA_IFNAME, IFLA_MTU, IFLA_NET_NS_PID};
use crate::rtnl::settings::{Settings, Value};
use crate::wire::{attrs, MsgBuilder};

const IFLA_NETKIT_PEER_INFO: u16 = 1;
const IFLA_NETKIT_POLICY: u16 = 3;
const IFLA_NETKIT_PEER_POLICY: u16 = 4;
const IFLA_NETKIT_MODE: u16 = 5;
const IFLA_NETKIT_SCRUB: u16 = 6;
const IFLA_NETKIT_PEER_SCRUB: u16 = 7;
const IFLA_NETKIT_HEADROOM: u16 = 8;
const IFLA_NETKIT_TAILROOM: u16 = 9;

/// NETKIT_PASS, NETKIT_DROP.
const POLICIES: &[(&str, u64)] = &[("forward", 0), ("blackhole", 2)];
const SCRUBS: &[(&str, u64)] = &[("none", 0), ("default", 1)];

/// In ip's order.
static FIELDS: &[Field] = &[
    Field::choice("mode", IFLA_NETKIT_MODE, Int::U32, &[("l2", 0), ("l3", 1)]),
    Field::choice("policy", IFLA_NETKIT_POLICY, Int::U32, POLICIES),
    Field::choice("scrub", IFLA_NETKIT_SCRUB, Int::U32, SCRUBS),
    Field::choice("peerPolicy", IFLA_NETKIT_PEER_POLICY, Int::U32, POLICIES),
    Field::choice("peerScrub", IFLA_NETKIT_PEER_SCRUB, Int::U32, SCRUBS),
    Field::int("headroom", IFLA_NETKIT_HEADROOM, Int::U16),
    Field::int("tailroom", IFLA_NETKIT_TAILROOM, Int::U16),
];

/// IFLA_NETKIT_PEER_INFO: an ifinfomsg and the peer's link attributes, name last as ip adds it.
fn encode_peer(peer: &Settings, b: &mut MsgBuilder, ctx: &mut EncodeCtx) -> Result<(), String> {
    peer.check_known(&["name", "netns", "address", "mtu"]).map_err(|e| format!("peer: {e}"))?;
    let at = b.nest_start_plain(IFLA_NETKIT_PEER_INFO);
    b.push(&ifinfomsg(0, 0, 0, 0));
    if let Some(mtu) = peer.int("mtu", 68, u32::MAX as i64).map_err(|e| format!("peer.{e}"))? {
        b.attr_u32(IFLA_MTU, mtu as u32);
    }
    if let Some(a) = peer.str("address").map_err(|e| format!("peer.{e}"))? {
        b.attr(IFLA_ADDRESS, &mac("peer.address", a)?);
    }
    ctx.peer_netns(peer, b)?;
    if let Some(name) = peer.str("name").map_err(|e| format!("peer.{e}"))? {
        if name.is_empty() || name.len() > 15 || name.contains(['/', ' ', '\0']) {
            return Err(format!("peer.name must be an interface name (1 to 15 bytes, no '/' or space), got {name:?}"));
        }
        b.attr_str(IFLA_IFNAME, name);
    }
    b.nest_end(at);
    Ok(())
}

fn decode_peer(v: &[u8]) -> Settings {
    let mut p = Settings::new();
    for (ty, v) in attrs(v.get(16..).unwrap_or_default()).map_while(Result::ok) {
        match ty {
            IFLA_IFNAME => {
                let n = String::from_utf8_lossy(v.split(|c| *c == 0).next().unwrap_or_default()).into_owned();
                if !n.is_empty() && n.len() <= 15 && !n.contains(['/', ' ']) {
                    p.set_str("name", n);
                }
            }
            IFLA_MTU if v.len() >= 4 => {
                let m = u32::from_ne_bytes([v[0], v[1], v[2], v[3]]);
                if m >= 68 {
                    p.set_int("mtu", m);
                }
            }
            IFLA_ADDRESS if v.len() == 6 => {
                p.set_str("address", fmt_mac(v));
            }
            IFLA_NET_NS_PID if v.len() >= 4 => {
                let pid = u32::from_ne_bytes([v[0], v[1], v[2], v[3]]);
                if pid > 0 {
                    p.set_int("netns", pid);
                }
            }
            _ => {}
        }
    }
    p
}

pub struct Netkit;

impl LinkKind for Netkit {
    fn kind(&self) -> &'static str {
        "netkit"
    }

    fn keys(&self) -> &'static [&'static str] {
        &["mode", "policy", "scrub", "peerPolicy", "peerScrub", "headroom", "tailroom", "peer"]
    }

    fn encode(&self, s: &Settings, b: &mut MsgBuilder, ctx: &mut EncodeCtx) -> Result<(), String> {
        encode_fields(FIELDS, s, b)?;
        if let Some(peer) = s.map("peer")? {
            encode_peer(peer, b, ctx)?;
        }
        Ok(())
    }

    fn decode(&self, data: &[u8]) -> Settings {
        let mut out = decode_fields(FIELDS, data);
        // Only a request carries the peer (the kernel shows it as IFLA_LINK); read it as encode
        // writes it, so a captured request decodes back to its settings.
        if let Some((_, v)) = attrs(data).map_while(Result::ok).find(|(t, _)| *t == IFLA_NETKIT_PEER_INFO) {
            let p = decode_peer(v);
            if !p.is_empty() {
                out.set("peer", Value::Map(p));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::common::testing::*;
    use super::*;

    /// In wire order (decode's), name last.
    fn peer(name: &str, mtu: Option<i64>, address: Option<&str>) -> Value {
        let mut p = Settings::new();
        if let Some(m) = mtu {
            p.set_int("mtu", m);
        }
        if let Some(a) = address {
            p.set_str("address", a);
        }
        p.set_str("name", name);
        Value::Map(p)
    }

    fn full() -> Settings {
        let mut s = Settings::new();
        s.set_str("mode", "l2")
            .set_str("policy", "forward")
            .set_str("scrub", "none")
            .set_str("peerPolicy", "blackhole")
            .set_str("peerScrub", "default")
            .set_int("headroom", 32)
            .set_int("tailroom", 16);
        s
    }

    #[test]
    fn roundtrip_full() {
        let s = with(&full(), "peer", peer("nk1", Some(1400), Some("02:00:00:00:00:01")));
        assert_roundtrip("netkit", &s);
        assert_eq!(s.0.len(), Netkit.keys().len());
        let mut p = Settings::new();
        p.set_int("netns", 42).set_str("name", "nk1");
        assert_roundtrip("netkit", &with(&Settings::new(), "peer", Value::Map(p)));
        assert_keys_cover("netkit", FIELDS);
        let mut s = Settings::new();
        s.set_str("mode", "l3").set_str("policy", "blackhole").set_str("scrub", "default");
        assert_roundtrip("netkit", &s);
        // headroom and tailroom: the uapi's u16 (ip has no arguments for them).
        let mut s = Settings::new();
        s.set_int("headroom", 0x1234).set_int("tailroom", 0xffff);
        assert_eq!(encoded("netkit", &s), [6, 0, 8, 0, 0x34, 0x12, 0, 0, 6, 0, 9, 0, 0xff, 0xff, 0, 0]);
    }

    /// Captured from iproute2 6.18 (6.1 has no netkit support: it refuses `mode` as garbage);
    /// `strace -X raw` on a kernel without netkit.
    #[test]
    fn equals_iproute2() {
        // ip link add nk0 type netkit mode l2 forward scrub none peer blackhole scrub default
        //   name nk1 mtu 1400 address 02:00:00:00:00:01
        let mut s = full();
        super::super::common::remove(&mut s, "headroom");
        super::super::common::remove(&mut s, "tailroom");
        let hex = "94000000100005060ab2116b0000000000000000000000000000000000000000080003006e6b30006c0012000a0001006e65746b697400005c00020008000500000000000800030000000000080006000000000008000400020000000800070001000000300001000000000000000000000000000000000008000400780500000a0001000200000000010000080003006e6b3100";
        assert_iproute2("netkit", "nk0", &with(&s, "peer", peer("nk1", Some(1400), Some("02:00:00:00:00:01"))), hex);
        // ip link add nk0 type netkit (no IFLA_INFO_DATA)
        assert_iproute2(
            "netkit",
            "nk0",
            &Settings::new(),
            "38000000100005060ab2116b0000000000000000000000000000000000000000080003006e6b3000100012000a0001006e65746b69740000",
        );
        // ip link add nk0 type netkit mode l3 blackhole peer forward
        let mut s = Settings::new();
        s.set_str("mode", "l3").set_str("policy", "blackhole").set_str("peerPolicy", "forward");
        assert_iproute2("netkit", "nk0", &s, "54000000100005060bb2116b0000000000000000000000000000000000000000080003006e6b30002c0012000a0001006e65746b697400001c000200080005000100000008000300020000000800040000000000");
    }

    #[test]
    fn peer_nest() {
        // The peer's ifinfomsg, then its attributes with the name last; no NLA_F_NESTED.
        let d = encoded("netkit", &with(&Settings::new(), "peer", peer("nk1", Some(1500), None)));
        assert_eq!(&d[..4], &[36, 0, 1, 0]);
        let inner: Vec<_> = attrs(&d[4 + 16..]).map(|a| a.unwrap()).collect();
        assert_eq!(inner, vec![(IFLA_MTU, &1500u32.to_ne_bytes()[..]), (IFLA_IFNAME, &b"nk1\0"[..])]);
    }

    #[test]
    fn rejects_bad_values() {
        let base = Settings::new();
        let k = "netkit";
        assert_rejects(k, &with(&base, "mode", Value::Str("l4".into())), "mode");
        assert_rejects(k, &with(&base, "policy", Value::Str("drop".into())), "policy");
        assert_rejects(k, &with(&base, "peerPolicy", Value::Int(2)), "peerPolicy");
        assert_rejects(k, &with(&base, "scrub", Value::Str("all".into())), "scrub");
        assert_rejects(k, &with(&base, "peerScrub", Value::Bool(true)), "peerScrub");
        assert_rejects(k, &with(&base, "headroom", Value::Int(65536)), "headroom");
        assert_rejects(k, &with(&base, "tailroom", Value::Int(-1)), "tailroom");
        assert_rejects(k, &with(&base, "peer", Value::Str("nk1".into())), "peer");
        assert_rejects(k, &with(&base, "peer", peer("nk1", Some(67), None)), "peer.mtu");
        assert_rejects(k, &with(&base, "peer", peer("nk1", None, Some("zz"))), "peer.address");
        assert_rejects(k, &with(&base, "peer", peer("a/b", None, None)), "peer.name");
        let mut p = Settings::new();
        p.set_str("name", "nk1").set_int("index", 5);
        assert_rejects(k, &with(&base, "peer", Value::Map(p)), "index");
        assert_rejects(k, &with(&base, "peer_policy", Value::Str("forward".into())), "peer_policy");
    }

    #[test]
    fn decode_survives_garbage() {
        assert_decode_survives("netkit", &with(&full(), "peer", peer("nk1", Some(1400), None)), true);
    }
}
