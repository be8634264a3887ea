//! geneve (IFLA_GENEVE_*). Keys are `ip -d -j link show`'s names in camelCase: `id` (VNI),
//! `remote` (IPv4) or `remote6` (IPv6, the IFLA_GENEVE_REMOTE6 attribute), `ttl`, `ttlInherit`,
//! `tos` (1 = inherit, as `ip` sends it), `df`, `label` (the flow label), `port` (the UDP
//! destination port), `external`, `udpCsum`, `udpZeroCsum6Tx`, `udpZeroCsum6Rx`,
//! `innerProtoInherit`. `port` and `label` travel in network byte order.
//!
//! Attributes go out in `ip`'s order (ttl-inherit and df first, as it adds them while parsing),
//! so a request equals iproute2's byte for byte.

use super::common::{decode_field, encode_fields, ip, ip_from, Field, Int};
use super::{EncodeCtx, LinkKind};
use crate::rtnl::settings::Settings;
use crate::wire::{attrs, MsgBuilder};

const IFLA_GENEVE_ID: u16 = 1;
const IFLA_GENEVE_REMOTE: u16 = 2;
const IFLA_GENEVE_TTL: u16 = 3;
const IFLA_GENEVE_TOS: u16 = 4;
const IFLA_GENEVE_PORT: u16 = 5;
const IFLA_GENEVE_COLLECT_METADATA: u16 = 6;
const IFLA_GENEVE_REMOTE6: u16 = 7;
const IFLA_GENEVE_UDP_CSUM: u16 = 8;
const IFLA_GENEVE_UDP_ZERO_CSUM6_TX: u16 = 9;
const IFLA_GENEVE_UDP_ZERO_CSUM6_RX: u16 = 10;
const IFLA_GENEVE_LABEL: u16 = 11;
const IFLA_GENEVE_TTL_INHERIT: u16 = 12;
const IFLA_GENEVE_DF: u16 = 13;
const IFLA_GENEVE_INNER_PROTO_INHERIT: u16 = 14;

const VNI_MAX: i64 = (1 << 24) - 1;
const LABEL_MAX: i64 = (1 << 20) - 1;

/// Before the remote address.
static HEAD: &[Field] = &[
    Field::bool("ttlInherit", IFLA_GENEVE_TTL_INHERIT, Int::U8),
    Field::choice("df", IFLA_GENEVE_DF, Int::U8, &[("unset", 0), ("set", 1), ("inherit", 2)]),
    Field::int("id", IFLA_GENEVE_ID, Int::U32).range(0, VNI_MAX),
];

/// After it.
static TAIL: &[Field] = &[
    Field::int("label", IFLA_GENEVE_LABEL, Int::Be32).range(0, LABEL_MAX),
    Field::int("ttl", IFLA_GENEVE_TTL, Int::U8),
    Field::int("tos", IFLA_GENEVE_TOS, Int::U8),
    Field::int("port", IFLA_GENEVE_PORT, Int::Be16),
    Field::flag("external", IFLA_GENEVE_COLLECT_METADATA),
    Field::flag("innerProtoInherit", IFLA_GENEVE_INNER_PROTO_INHERIT),
    Field::bool("udpCsum", IFLA_GENEVE_UDP_CSUM, Int::U8),
    Field::bool("udpZeroCsum6Tx", IFLA_GENEVE_UDP_ZERO_CSUM6_TX, Int::U8),
    Field::bool("udpZeroCsum6Rx", IFLA_GENEVE_UDP_ZERO_CSUM6_RX, Int::U8),
];

pub struct Geneve;

impl LinkKind for Geneve {
    fn kind(&self) -> &'static str {
        "geneve"
    }

    fn keys(&self) -> &'static [&'static str] {
        &[
            "id",
            "remote",
            "remote6",
            "ttl",
            "ttlInherit",
            "tos",
            "df",
            "label",
            "port",
            "external",
            "udpCsum",
            "udpZeroCsum6Tx",
            "udpZeroCsum6Rx",
            "innerProtoInherit",
        ]
    }

    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _ctx: &mut EncodeCtx) -> Result<(), String> {
        encode_fields(HEAD, s, b)?;
        let v4 = ip(s, "remote")?;
        let v6 = ip(s, "remote6")?;
        match (v4, v6) {
            (Some(_), Some(_)) => return Err("give remote (IPv4) or remote6 (IPv6), not both".into()),
            (Some(std::net::IpAddr::V4(a)), None) => {
                b.attr(IFLA_GENEVE_REMOTE, &a.octets());
            }
            (None, Some(std::net::IpAddr::V6(a))) => {
                b.attr(IFLA_GENEVE_REMOTE6, &a.octets());
            }
            (Some(a), None) => return Err(format!("remote must be an IPv4 address (IPv6: remote6), got {a}")),
            (None, Some(a)) => return Err(format!("remote6 must be an IPv6 address (IPv4: remote), got {a}")),
            (None, None) => {}
        }
        encode_fields(TAIL, s, b)
    }

    fn decode(&self, data: &[u8]) -> Settings {
        let mut out = Settings::new();
        for (ty, v) in attrs(data).map_while(Result::ok) {
            if decode_field(HEAD, ty, v, &mut out) || decode_field(TAIL, ty, v, &mut out) {
                continue;
            }
            match (ty, ip_from(v)) {
                // The kernel reports the one of the tunnel's family; unspecified means none.
                (IFLA_GENEVE_REMOTE, Some(a)) if a.is_ipv4() && !a.is_unspecified() => out.set_str("remote", a.to_string()),
                (IFLA_GENEVE_REMOTE6, Some(a)) if a.is_ipv6() && !a.is_unspecified() => out.set_str("remote6", a.to_string()),
                _ => continue,
            };
        }
        // Both can come only from a malformed dump; keep what encode accepts.
        if out.get("remote").is_some() {
            super::common::remove(&mut out, "remote6");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::common::testing::*;
    use super::*;
    use crate::rtnl::settings::Value;

    fn full() -> Settings {
        let mut s = Settings::new();
        s.set_int("id", 42)
            .set_str("remote", "10.1.2.3")
            .set_int("ttl", 64)
            .set_bool("ttlInherit", false)
            .set_int("tos", 0x10)
            .set_str("df", "set")
            .set_int("label", 5)
            .set_int("port", 6081)
            .set_bool("external", true)
            .set_bool("udpCsum", true)
            .set_bool("udpZeroCsum6Tx", false)
            .set_bool("udpZeroCsum6Rx", true)
            .set_bool("innerProtoInherit", true);
        s
    }

    #[test]
    fn roundtrip_full() {
        assert_roundtrip("geneve", &full());
        assert_eq!(full().0.len() + 1, Geneve.keys().len());
        assert_keys_cover("geneve", HEAD);
        assert_keys_cover("geneve", TAIL);
        let mut s = Settings::new();
        s.set_int("id", 1).set_str("remote6", "2001:db8::1").set_str("df", "inherit");
        assert_roundtrip("geneve", &s);
    }

    /// Captured from iproute2 6.1 (`strace -X raw`, kernel without geneve: ip encodes anyway).
    #[test]
    fn equals_iproute2() {
        // ip link add gn0 type geneve id 42 remote 10.1.2.3 ttl 64 tos 0x10 df set flowlabel 5
        //   dstport 6081 udpcsum noudp6zerocsumtx udp6zerocsumrx innerprotoinherit
        let mut s = full();
        crate::rtnl::link::kinds::common::remove(&mut s, "external");
        crate::rtnl::link::kinds::common::remove(&mut s, "ttlInherit");
        assert_iproute2("geneve", "gn0", &s, "90000000100005064e6d116b000000000000000000000000000000000000000008000300676e3000680012000a00010067656e65766500005800020005000d0001000000080001002a000000080002000a01020308000b0000000005050003004000000005000400100000000600050017c1000004000e000500080001000000050009000000000005000a0001000000");
        // ip link add gn0 type geneve id 7 remote 2001:db8::1 ttl inherit df inherit
        let mut s = Settings::new();
        s.set_bool("ttlInherit", true)
            .set_str("df", "inherit")
            .set_int("id", 7)
            .set_str("remote6", "2001:db8::1")
            .set_int("label", 0)
            .set_int("ttl", 0)
            .set_int("tos", 0);
        assert_iproute2("geneve", "gn0", &s, "80000000100005064e6d116b000000000000000000000000000000000000000008000300676e3000580012000a00010067656e65766500004800020005000c000100000005000d000200000008000100070000001400070020010db800000000000000000000000108000b000000000005000300000000000500040000000000");
        // ip link add gn0 type geneve external
        let mut s = Settings::new();
        s.set_int("id", 0).set_int("label", 0).set_int("ttl", 0).set_int("tos", 0).set_bool("external", true);
        assert_iproute2("geneve", "gn0", &s, "60000000100005064f6d116b000000000000000000000000000000000000000008000300676e3000380012000a00010067656e657665000028000200080001000000000008000b00000000000500030000000000050004000000000004000600");
        // ip link add gn0 type geneve id 1 remote 10.0.0.1 ttl auto tos inherit df unset noudpcsum noexternal
        let mut s = Settings::new();
        s.set_str("df", "unset")
            .set_int("id", 1)
            .set_str("remote", "10.0.0.1")
            .set_int("label", 0)
            .set_int("ttl", 0)
            .set_int("tos", 1)
            .set_bool("udpCsum", false);
        assert_iproute2("geneve", "gn0", &s, "74000000100005064f6d116b000000000000000000000000000000000000000008000300676e30004c0012000a00010067656e65766500003c00020005000d00000000000800010001000000080002000a00000108000b0000000000050003000000000005000400010000000500080000000000");
    }

    #[test]
    fn rejects_bad_values() {
        let base = Settings::new();
        assert_rejects("geneve", &with(&base, "id", Value::Int(1 << 24)), "id");
        assert_rejects("geneve", &with(&base, "remote", Value::Str("2001:db8::1".into())), "remote");
        assert_rejects("geneve", &with(&base, "remote6", Value::Str("10.0.0.1".into())), "remote6");
        assert_rejects(
            "geneve",
            &with(&with(&base, "remote", Value::Str("10.0.0.1".into())), "remote6", Value::Str("::2".into())),
            "remote",
        );
        assert_rejects("geneve", &with(&base, "ttl", Value::Int(256)), "ttl");
        assert_rejects("geneve", &with(&base, "df", Value::Str("maybe".into())), "df");
        assert_rejects("geneve", &with(&base, "label", Value::Int(1 << 20)), "label");
        assert_rejects("geneve", &with(&base, "port", Value::Int(65536)), "port");
        assert_rejects("geneve", &with(&base, "udpCsum", Value::Int(1)), "udpCsum");
        assert_rejects("geneve", &with(&base, "flowlabel", Value::Int(1)), "flowlabel");
    }

    #[test]
    fn decode_survives_garbage() {
        assert_decode_survives("geneve", &full(), true);
    }
}
