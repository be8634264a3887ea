//! ipvlan and ipvtap (the same IFLA_IPVLAN_* attributes). The parent is the request's IFLA_LINK.
//!
//! Keys: `mode` ('l2' | 'l3' | 'l3s') and `flags`, the port's forwarding flavour as one name:
//! 'bridge' (no flag, the default), 'private' (IPVLAN_F_PRIVATE) or 'vepa' (IPVLAN_F_VEPA).
//! The two flags are exclusive in the kernel, so one string says it all (`ip` prints it the
//! same way, as the one word `bridge`, `private` or `vepa`).

use super::common::{decode_fields, encode_fields, Field, Int};
use super::{EncodeCtx, LinkKind};
use crate::rtnl::settings::Settings;
use crate::wire::MsgBuilder;

const IFLA_IPVLAN_MODE: u16 = 1;
const IFLA_IPVLAN_FLAGS: u16 = 2;

static FIELDS: &[Field] = &[
    Field::choice("mode", IFLA_IPVLAN_MODE, Int::U16, &[("l2", 0), ("l3", 1), ("l3s", 2)]),
    Field::choice("flags", IFLA_IPVLAN_FLAGS, Int::U16, &[("bridge", 0), ("private", 1), ("vepa", 2)]),
];

const KEYS: &[&str] = &["mode", "flags"];

pub struct Ipvlan;
pub struct Ipvtap;

impl LinkKind for Ipvlan {
    fn kind(&self) -> &'static str {
        "ipvlan"
    }
    fn keys(&self) -> &'static [&'static str] {
        KEYS
    }
    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _ctx: &mut EncodeCtx) -> Result<(), String> {
        encode_fields(FIELDS, s, b)
    }
    fn decode(&self, data: &[u8]) -> Settings {
        decode_fields(FIELDS, data)
    }
}

impl LinkKind for Ipvtap {
    fn kind(&self) -> &'static str {
        "ipvtap"
    }
    fn keys(&self) -> &'static [&'static str] {
        KEYS
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
    use crate::wire::attrs;

    fn full() -> Settings {
        let mut s = Settings::new();
        s.set_str("mode", "l3s").set_str("flags", "vepa");
        s
    }

    #[test]
    fn roundtrip_full() {
        for kind in ["ipvlan", "ipvtap"] {
            assert_roundtrip(kind, &full());
            for (m, f) in [("l2", "bridge"), ("l3", "private")] {
                let mut s = Settings::new();
                s.set_str("mode", m).set_str("flags", f);
                assert_roundtrip(kind, &s);
            }
            assert_keys_cover(kind, FIELDS);
        }
        let d = encoded("ipvlan", &full());
        let a: Vec<_> = attrs(&d).map(|a| a.unwrap()).collect();
        assert_eq!(a, vec![(IFLA_IPVLAN_MODE, &2u16.to_ne_bytes()[..]), (IFLA_IPVLAN_FLAGS, &2u16.to_ne_bytes()[..])]);
    }

    #[test]
    fn rejects_bad_values() {
        let base = Settings::new();
        for kind in ["ipvlan", "ipvtap"] {
            assert_rejects(kind, &with(&base, "mode", Value::Str("l4".into())), "mode");
            assert_rejects(kind, &with(&base, "mode", Value::Int(1)), "mode");
            assert_rejects(kind, &with(&base, "flags", Value::Str("passthru".into())), "flags");
            assert_rejects(kind, &with(&base, "private", Value::Bool(true)), "private");
        }
    }

    #[test]
    fn decode_survives_garbage() {
        assert_decode_survives("ipvlan", &full(), true);
        assert_decode_survives("ipvtap", &full(), true);
        // Both flags at once (which the kernel refuses) is no known name: left out.
        let mut b = MsgBuilder::new(0, 0);
        b.attr(IFLA_IPVLAN_FLAGS, &3u16.to_ne_bytes());
        let m = b.finish();
        assert!(Ipvlan.decode(&m[16..]).is_empty());
    }
}
