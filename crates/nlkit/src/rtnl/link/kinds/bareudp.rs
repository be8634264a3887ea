//! bareudp (IFLA_BAREUDP_*): `dstport` (UDP destination port, network byte order),
//! `ethertype` (the tunnelled protocol, by `ip`'s name: the kernel takes only these four),
//! `srcportmin` (lowest UDP source port, host order), `multiproto` (also the multicast MPLS
//! or IPv6 variant of the ethertype; a flag).

use super::common::{decode_fields, encode_fields, Field, Int};
use super::{EncodeCtx, LinkKind};
use crate::rtnl::settings::Settings;
use crate::wire::MsgBuilder;

const IFLA_BAREUDP_PORT: u16 = 1;
const IFLA_BAREUDP_ETHERTYPE: u16 = 2;
const IFLA_BAREUDP_SRCPORT_MIN: u16 = 3;
const IFLA_BAREUDP_MULTIPROTO_MODE: u16 = 4;

/// In `ip`'s order. `ip` decodes 0x0800 as "ip" and parses "ipv4" as well.
static FIELDS: &[Field] = &[
    Field::int("dstport", IFLA_BAREUDP_PORT, Int::Be16),
    Field::choice(
        "ethertype",
        IFLA_BAREUDP_ETHERTYPE,
        Int::Be16,
        &[("ip", 0x0800), ("ipv4", 0x0800), ("ipv6", 0x86dd), ("mpls_uc", 0x8847), ("mpls_mc", 0x8848)],
    ),
    Field::int("srcportmin", IFLA_BAREUDP_SRCPORT_MIN, Int::U16),
    Field::flag("multiproto", IFLA_BAREUDP_MULTIPROTO_MODE),
];

pub struct Bareudp;

impl LinkKind for Bareudp {
    fn kind(&self) -> &'static str {
        "bareudp"
    }

    fn keys(&self) -> &'static [&'static str] {
        &["dstport", "ethertype", "srcportmin", "multiproto"]
    }

    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _ctx: &mut EncodeCtx) -> Result<(), String> {
        encode_fields(FIELDS, s, b)
    }

    fn decode(&self, data: &[u8]) -> Settings {
        decode_fields(FIELDS, data)
    }
}

#[cfg(test)]
mod tests {
    use super::super::common::testing::*;
    use super::*;
    use crate::rtnl::settings::Value;

    fn full() -> Settings {
        let mut s = Settings::new();
        s.set_int("dstport", 6635).set_str("ethertype", "ip").set_int("srcportmin", 1000).set_bool("multiproto", true);
        s
    }

    #[test]
    fn roundtrip_full() {
        assert_roundtrip("bareudp", &full());
        assert_eq!(full().0.len(), Bareudp.keys().len());
        assert_keys_cover("bareudp", FIELDS);
        for e in ["ipv6", "mpls_uc", "mpls_mc"] {
            assert_roundtrip("bareudp", &with(&Settings::new(), "ethertype", Value::Str(e.into())));
        }
    }

    /// Captured from iproute2 6.1 (`strace -X raw`, kernel without bareudp: ip encodes anyway).
    #[test]
    fn equals_iproute2() {
        // ip link add name bu0 type bareudp dstport 6635 ethertype mpls_uc
        let mut s = Settings::new();
        s.set_int("dstport", 6635).set_str("ethertype", "mpls_uc");
        assert_iproute2("bareudp", "bu0", &s, "4c000000100005067c71116b00000000000000000000000000000000000000000800030062753000240012000b0001006261726575647000140002000600010019eb00000600020088470000");
        // ip link add name bu0 type bareudp dstport 6635 ethertype ipv4 srcportmin 1000 multiproto
        assert_iproute2("bareudp", "bu0", &full(), "58000000100005067c71116b00000000000000000000000000000000000000000800030062753000300012000b0001006261726575647000200002000600010019eb0000060002000800000006000300e803000004000400");
        // ip link add name bu0 type bareudp dstport 6635 ethertype 0x86dd
        let mut s = Settings::new();
        s.set_int("dstport", 6635).set_str("ethertype", "ipv6");
        assert_iproute2("bareudp", "bu0", &s, "4c000000100005067c71116b00000000000000000000000000000000000000000800030062753000240012000b0001006261726575647000140002000600010019eb00000600020086dd0000");
        // "ipv4" is the same wire value, decoded as ip's name for it.
        assert_eq!(encoded("bareudp", &with(&Settings::new(), "ethertype", Value::Str("ipv4".into()))), [6, 0, 2, 0, 8, 0, 0, 0]);
    }

    #[test]
    fn rejects_bad_values() {
        let base = Settings::new();
        assert_rejects("bareudp", &with(&base, "dstport", Value::Int(65536)), "dstport");
        assert_rejects("bareudp", &with(&base, "ethertype", Value::Str("arp".into())), "ethertype");
        assert_rejects("bareudp", &with(&base, "ethertype", Value::Int(0x800)), "ethertype");
        assert_rejects("bareudp", &with(&base, "srcportmin", Value::Int(-1)), "srcportmin");
        assert_rejects("bareudp", &with(&base, "multiproto", Value::Str("on".into())), "multiproto");
    }

    #[test]
    fn decode_survives_garbage() {
        assert_decode_survives("bareudp", &full(), true);
    }
}
