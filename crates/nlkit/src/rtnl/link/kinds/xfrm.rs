//! xfrm interfaces (IFLA_XFRM_*): `ifId` (the xfrm interface id its policies and states match,
//! non-zero), `dev` (underlay interface index; names are resolved by the caller), `external`
//! (collect metadata). The kernel dumps the id and link even when unset (as 0), which decode
//! leaves out: encode refuses 0 for both, as `ip` does.

use super::common::{decode_fields, encode_fields, Field, Int, IFINDEX_MAX};
use super::{EncodeCtx, LinkKind};
use crate::rtnl::settings::Settings;
use crate::wire::MsgBuilder;

const IFLA_XFRM_LINK: u16 = 1;
const IFLA_XFRM_IF_ID: u16 = 2;
const IFLA_XFRM_COLLECT_METADATA: u16 = 3;

/// In `ip`'s order.
static FIELDS: &[Field] = &[
    Field::int("ifId", IFLA_XFRM_IF_ID, Int::U32).range(1, u32::MAX as i64),
    Field::int("dev", IFLA_XFRM_LINK, Int::U32).range(1, IFINDEX_MAX),
    Field::flag("external", IFLA_XFRM_COLLECT_METADATA),
];

pub struct Xfrm;

impl LinkKind for Xfrm {
    fn kind(&self) -> &'static str {
        "xfrm"
    }

    fn keys(&self) -> &'static [&'static str] {
        &["ifId", "dev", "external"]
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
        s.set_int("ifId", 5).set_int("dev", 1).set_bool("external", true);
        s
    }

    #[test]
    fn roundtrip_full() {
        assert_roundtrip("xfrm", &full());
        assert_eq!(full().0.len(), Xfrm.keys().len());
        assert_keys_cover("xfrm", FIELDS);
    }

    /// Captured from iproute2 6.1 (`strace -X raw`, kernel without xfrm: ip encodes anyway).
    #[test]
    fn equals_iproute2() {
        // ip link add name xf0 type xfrm dev lo if_id 5
        let mut s = Settings::new();
        s.set_int("ifId", 5).set_int("dev", 1);
        assert_iproute2("xfrm", "xf0", &s, "4800000010000506c170116b0000000000000000000000000000000000000000080003007866300020001200080001007866726d1400020008000200050000000800010001000000");
        // ip link add name xf0 type xfrm external
        let mut s = Settings::new();
        s.set_bool("external", true);
        assert_iproute2(
            "xfrm",
            "xf0",
            &s,
            "3c00000010000506c170116b0000000000000000000000000000000000000000080003007866300014001200080001007866726d0800020004000300",
        );
        // What the kernel dumps for an external one: id and link 0, left out.
        let d = Xfrm.decode(&[8, 0, 1, 0, 0, 0, 0, 0, 8, 0, 2, 0, 0, 0, 0, 0, 4, 0, 3, 0]);
        assert_eq!(d, s);
    }

    #[test]
    fn rejects_bad_values() {
        let base = Settings::new();
        assert_rejects("xfrm", &with(&base, "ifId", Value::Int(0)), "ifId");
        assert_rejects("xfrm", &with(&base, "ifId", Value::Int(1 << 32)), "ifId");
        assert_rejects("xfrm", &with(&base, "dev", Value::Int(0)), "dev");
        assert_rejects("xfrm", &with(&base, "external", Value::Int(1)), "external");
        assert_rejects("xfrm", &with(&base, "if_id", Value::Int(1)), "if_id");
    }

    #[test]
    fn decode_survives_garbage() {
        assert_decode_survives("xfrm", &full(), true);
    }
}
