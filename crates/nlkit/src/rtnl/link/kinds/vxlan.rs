//! vxlan (IFLA_VXLAN_*). Keys are iproute2's names in camelCase, with `dev` for the underlay
//! link (an interface index: names are resolved by the caller) and `srcPortRange` for the
//! source port range (`{ low, high }`).
//!
//! `group` (a multicast address) and `remote` (a unicast one) are the same attribute,
//! IFLA_VXLAN_GROUP or IFLA_VXLAN_GROUP6 by family, so at most one is given; decoding names it
//! by whether the address is multicast. `local` is IFLA_VXLAN_LOCAL or LOCAL6 by family.
//! `port`, the port range and `label` travel in network byte order.

use super::common::{decode_field, encode_fields, ip, ip_bytes, ip_from, remove, Field, Int, IFINDEX_MAX};
use super::{EncodeCtx, LinkKind};
use crate::rtnl::settings::{Settings, Value};
use crate::wire::{attrs, MsgBuilder};

const IFLA_VXLAN_ID: u16 = 1;
const IFLA_VXLAN_GROUP: u16 = 2;
const IFLA_VXLAN_LINK: u16 = 3;
const IFLA_VXLAN_LOCAL: u16 = 4;
const IFLA_VXLAN_TTL: u16 = 5;
const IFLA_VXLAN_TOS: u16 = 6;
const IFLA_VXLAN_LEARNING: u16 = 7;
const IFLA_VXLAN_AGEING: u16 = 8;
const IFLA_VXLAN_LIMIT: u16 = 9;
/// `struct ifla_vxlan_port_range { __be16 low; __be16 high; }`
const IFLA_VXLAN_PORT_RANGE: u16 = 10;
const IFLA_VXLAN_PROXY: u16 = 11;
const IFLA_VXLAN_RSC: u16 = 12;
const IFLA_VXLAN_L2MISS: u16 = 13;
const IFLA_VXLAN_L3MISS: u16 = 14;
const IFLA_VXLAN_PORT: u16 = 15;
const IFLA_VXLAN_GROUP6: u16 = 16;
const IFLA_VXLAN_LOCAL6: u16 = 17;
const IFLA_VXLAN_UDP_CSUM: u16 = 18;
const IFLA_VXLAN_UDP_ZERO_CSUM6_TX: u16 = 19;
const IFLA_VXLAN_UDP_ZERO_CSUM6_RX: u16 = 20;
const IFLA_VXLAN_REMCSUM_TX: u16 = 21;
const IFLA_VXLAN_REMCSUM_RX: u16 = 22;
const IFLA_VXLAN_GBP: u16 = 23;
const IFLA_VXLAN_COLLECT_METADATA: u16 = 25;
const IFLA_VXLAN_LABEL: u16 = 26;
const IFLA_VXLAN_GPE: u16 = 27;
const IFLA_VXLAN_TTL_INHERIT: u16 = 28;
const IFLA_VXLAN_DF: u16 = 29;

/// VNIs are 24 bits.
const VNI_MAX: i64 = (1 << 24) - 1;
/// IPv6 flow labels are 20 bits.
const LABEL_MAX: i64 = (1 << 20) - 1;

static FIELDS: &[Field] = &[
    Field::int("id", IFLA_VXLAN_ID, Int::U32).range(0, VNI_MAX),
    Field::int("dev", IFLA_VXLAN_LINK, Int::U32).range(1, IFINDEX_MAX),
    Field::int("ttl", IFLA_VXLAN_TTL, Int::U8),
    Field::flag("ttlInherit", IFLA_VXLAN_TTL_INHERIT),
    Field::int("tos", IFLA_VXLAN_TOS, Int::U8),
    Field::choice("df", IFLA_VXLAN_DF, Int::U8, &[("unset", 0), ("set", 1), ("inherit", 2)]),
    Field::int("label", IFLA_VXLAN_LABEL, Int::Be32).range(0, LABEL_MAX),
    Field::bool("learning", IFLA_VXLAN_LEARNING, Int::U8),
    // Seconds.
    Field::int("ageing", IFLA_VXLAN_AGEING, Int::U32),
    Field::int("limit", IFLA_VXLAN_LIMIT, Int::U32),
    Field::bool("proxy", IFLA_VXLAN_PROXY, Int::U8),
    Field::bool("rsc", IFLA_VXLAN_RSC, Int::U8),
    Field::bool("l2miss", IFLA_VXLAN_L2MISS, Int::U8),
    Field::bool("l3miss", IFLA_VXLAN_L3MISS, Int::U8),
    // Destination UDP port; 0 lets the kernel pick its default (8472).
    Field::int("port", IFLA_VXLAN_PORT, Int::Be16),
    Field::bool("udpCsum", IFLA_VXLAN_UDP_CSUM, Int::U8),
    Field::bool("udpZeroCsum6Tx", IFLA_VXLAN_UDP_ZERO_CSUM6_TX, Int::U8),
    Field::bool("udpZeroCsum6Rx", IFLA_VXLAN_UDP_ZERO_CSUM6_RX, Int::U8),
    Field::bool("remcsumTx", IFLA_VXLAN_REMCSUM_TX, Int::U8),
    Field::bool("remcsumRx", IFLA_VXLAN_REMCSUM_RX, Int::U8),
    Field::flag("gbp", IFLA_VXLAN_GBP),
    Field::flag("gpe", IFLA_VXLAN_GPE),
    // Collect metadata (`ip ... external`).
    Field::bool("external", IFLA_VXLAN_COLLECT_METADATA, Int::U8),
];

pub struct Vxlan;

impl LinkKind for Vxlan {
    fn kind(&self) -> &'static str {
        "vxlan"
    }

    fn keys(&self) -> &'static [&'static str] {
        &[
            "id",
            "group",
            "remote",
            "local",
            "dev",
            "ttl",
            "ttlInherit",
            "tos",
            "df",
            "label",
            "learning",
            "ageing",
            "limit",
            "srcPortRange",
            "proxy",
            "rsc",
            "l2miss",
            "l3miss",
            "port",
            "udpCsum",
            "udpZeroCsum6Tx",
            "udpZeroCsum6Rx",
            "remcsumTx",
            "remcsumRx",
            "gbp",
            "gpe",
            "external",
        ]
    }

    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _ctx: &mut EncodeCtx) -> Result<(), String> {
        encode_fields(FIELDS, s, b)?;
        let group = ip(s, "group")?;
        let remote = ip(s, "remote")?;
        let dst = match (group, remote) {
            (Some(_), Some(_)) => return Err("group and remote are exclusive: give one".into()),
            (Some(g), None) if !g.is_multicast() => return Err(format!("group must be a multicast address, got {g}")),
            (None, Some(r)) if r.is_multicast() => return Err(format!("remote must be a unicast address (use group for {r})")),
            (g, r) => g.or(r),
        };
        if let Some(a) = dst {
            b.attr(if a.is_ipv4() { IFLA_VXLAN_GROUP } else { IFLA_VXLAN_GROUP6 }, &ip_bytes(&a));
        }
        if let Some(a) = ip(s, "local")? {
            if a.is_multicast() {
                return Err(format!("local must be a unicast address, got {a}"));
            }
            b.attr(if a.is_ipv4() { IFLA_VXLAN_LOCAL } else { IFLA_VXLAN_LOCAL6 }, &ip_bytes(&a));
        }
        if let Some(r) = s.map("srcPortRange")? {
            r.check_known(&["low", "high"]).map_err(|e| format!("srcPortRange: {e}"))?;
            let low = r.u16("low").map_err(|e| format!("srcPortRange.{e}"))?;
            let high = r.u16("high").map_err(|e| format!("srcPortRange.{e}"))?;
            let (Some(low), Some(high)) = (low, high) else {
                return Err("srcPortRange needs both low and high".into());
            };
            if high < low {
                return Err(format!("srcPortRange: high ({high}) is below low ({low})"));
            }
            let mut v = low.to_be_bytes().to_vec();
            v.extend_from_slice(&high.to_be_bytes());
            b.attr(IFLA_VXLAN_PORT_RANGE, &v);
        }
        Ok(())
    }

    fn decode(&self, data: &[u8]) -> Settings {
        let mut out = Settings::new();
        for (ty, v) in attrs(data).map_while(Result::ok) {
            if decode_field(FIELDS, ty, v, &mut out) {
                continue;
            }
            match ty {
                IFLA_VXLAN_GROUP | IFLA_VXLAN_GROUP6 => {
                    let want = if ty == IFLA_VXLAN_GROUP { 4 } else { 16 };
                    if let Some(a) = ip_from(v).filter(|_| v.len() == want) {
                        let (key, other) = if a.is_multicast() { ("group", "remote") } else { ("remote", "group") };
                        remove(&mut out, other);
                        out.set_str(key, a.to_string());
                    }
                }
                IFLA_VXLAN_LOCAL | IFLA_VXLAN_LOCAL6 => {
                    let want = if ty == IFLA_VXLAN_LOCAL { 4 } else { 16 };
                    if let Some(a) = ip_from(v).filter(|a| v.len() == want && !a.is_multicast()) {
                        out.set_str("local", a.to_string());
                    }
                }
                IFLA_VXLAN_PORT_RANGE if v.len() >= 4 => {
                    let low = u16::from_be_bytes([v[0], v[1]]);
                    let high = u16::from_be_bytes([v[2], v[3]]);
                    if low <= high {
                        let mut r = Settings::new();
                        r.set_int("low", low).set_int("high", high);
                        out.set("srcPortRange", Value::Map(r));
                    }
                }
                _ => {}
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::common::testing::*;
    use super::*;

    fn range(low: i64, high: i64) -> Value {
        let mut r = Settings::new();
        r.set_int("low", low).set_int("high", high);
        Value::Map(r)
    }

    fn full() -> Settings {
        let mut s = Settings::new();
        s.set_int("id", 42)
            .set_str("remote", "10.0.0.2")
            .set_str("local", "10.0.0.1")
            .set_int("dev", 7)
            .set_int("ttl", 64)
            .set_bool("ttlInherit", true)
            .set_int("tos", 0x10)
            .set_str("df", "inherit")
            .set_int("label", 0xabcde)
            .set_bool("learning", false)
            .set_int("ageing", 120)
            .set_int("limit", 1000)
            .set("srcPortRange", range(1000, 2000))
            .set_bool("proxy", true)
            .set_bool("rsc", false)
            .set_bool("l2miss", true)
            .set_bool("l3miss", false)
            .set_int("port", 4789)
            .set_bool("udpCsum", false)
            .set_bool("udpZeroCsum6Tx", true)
            .set_bool("udpZeroCsum6Rx", false)
            .set_bool("remcsumTx", true)
            .set_bool("remcsumRx", true)
            .set_bool("gbp", true)
            .set_bool("gpe", true)
            .set_bool("external", false);
        s
    }

    #[test]
    fn roundtrip_full() {
        assert_roundtrip("vxlan", &full());
        assert_keys_cover("vxlan", FIELDS);
        assert_eq!(full().0.len() + 1, Vxlan.keys().len(), "the full set uses every key but group");
        // IPv6 and multicast.
        let mut s = Settings::new();
        s.set_int("id", 0).set_str("group", "ff05::100").set_str("local", "2001:db8::1").set_int("dev", 1);
        assert_roundtrip("vxlan", &s);
        let mut s = Settings::new();
        s.set_int("id", VNI_MAX).set_str("group", "239.1.1.1");
        assert_roundtrip("vxlan", &s);
        let mut s = Settings::new();
        s.set_str("remote", "2001:db8::2").set("srcPortRange", range(0, 0));
        assert_roundtrip("vxlan", &s);
    }

    #[test]
    fn wire_format() {
        let mut s = Settings::new();
        s.set_int("port", 4789).set("srcPortRange", range(1000, 2000)).set_int("label", 1).set_str("remote", "10.0.0.2");
        let d = encoded("vxlan", &s);
        let a: Vec<_> = attrs(&d).map(|a| a.unwrap()).collect();
        assert_eq!(a[0], (IFLA_VXLAN_LABEL, &[0, 0, 0, 1][..]));
        assert_eq!(a[1], (IFLA_VXLAN_PORT, &[0x12, 0xb5][..]));
        assert_eq!(a[2], (IFLA_VXLAN_GROUP, &[10, 0, 0, 2][..]));
        assert_eq!(a[3], (IFLA_VXLAN_PORT_RANGE, &[0x03, 0xe8, 0x07, 0xd0][..]));
        // A flag given as false sends nothing.
        let mut s = Settings::new();
        s.set_bool("gbp", false);
        assert!(encoded("vxlan", &s).is_empty());
    }

    #[test]
    fn rejects_bad_values() {
        let base = Settings::new();
        assert_rejects("vxlan", &with(&base, "id", Value::Int(1 << 24)), "id");
        assert_rejects("vxlan", &with(&base, "id", Value::Int(-1)), "id");
        assert_rejects("vxlan", &with(&base, "id", Value::Str("42".into())), "id");
        assert_rejects("vxlan", &with(&base, "port", Value::Int(65536)), "port");
        assert_rejects("vxlan", &with(&base, "dev", Value::Int(0)), "dev");
        assert_rejects("vxlan", &with(&base, "dev", Value::Str("eth0".into())), "dev");
        assert_rejects("vxlan", &with(&base, "ttl", Value::Int(256)), "ttl");
        assert_rejects("vxlan", &with(&base, "label", Value::Int(1 << 20)), "label");
        assert_rejects("vxlan", &with(&base, "df", Value::Str("maybe".into())), "df");
        assert_rejects("vxlan", &with(&base, "learning", Value::Int(0)), "learning");
        assert_rejects("vxlan", &with(&base, "group", Value::Str("10.0.0.1".into())), "group");
        assert_rejects("vxlan", &with(&base, "remote", Value::Str("239.0.0.1".into())), "remote");
        assert_rejects("vxlan", &with(&base, "remote", Value::Str("10.0.0.256".into())), "remote");
        assert_rejects("vxlan", &with(&base, "local", Value::Str("nope".into())), "local");
        let both = with(&with(&base, "group", Value::Str("239.0.0.1".into())), "remote", Value::Str("10.0.0.1".into()));
        assert_rejects("vxlan", &both, "group and remote");
        assert_rejects("vxlan", &with(&base, "srcPortRange", range(2000, 1000)), "srcPortRange");
        assert_rejects("vxlan", &with(&base, "srcPortRange", range(0, 70000)), "srcPortRange.high");
        assert_rejects("vxlan", &with(&base, "srcPortRange", Value::Int(5)), "srcPortRange");
        let mut half = Settings::new();
        half.set_int("low", 5);
        assert_rejects("vxlan", &with(&base, "srcPortRange", Value::Map(half.clone())), "srcPortRange");
        half.set_int("mid", 6);
        assert_rejects("vxlan", &with(&base, "srcPortRange", Value::Map(half)), "mid");
        assert_rejects("vxlan", &with(&base, "vni", Value::Int(1)), "vni");
    }

    #[test]
    fn decode_survives_garbage() {
        assert_decode_survives("vxlan", &full(), true);
        // Both GROUP and GROUP6, one multicast and one not: the later one wins.
        let mut b = MsgBuilder::new(0, 0);
        b.attr(IFLA_VXLAN_GROUP, &[239, 0, 0, 1]);
        b.attr(IFLA_VXLAN_GROUP6, &"2001:db8::1".parse::<std::net::Ipv6Addr>().unwrap().octets());
        b.attr(IFLA_VXLAN_GROUP, &[10, 0, 0]);
        b.attr(IFLA_VXLAN_PORT_RANGE, &[0, 2, 0, 1]);
        let m = b.finish();
        let s = Vxlan.decode(&m[16..]);
        assert_eq!(s.0, vec![("remote".to_string(), Value::Str("2001:db8::1".into()))]);
    }
}
