//! vrf (IFLA_VRF_*): `table`, the routing table the VRF uses (1 to 2^32-1; the kernel requires
//! it when creating one and does not let it change afterwards).

use super::common::{decode_fields, encode_fields, Field, Int};
use super::{EncodeCtx, LinkKind};
use crate::rtnl::settings::Settings;
use crate::wire::MsgBuilder;

const IFLA_VRF_TABLE: u16 = 1;

static FIELDS: &[Field] = &[Field::int("table", IFLA_VRF_TABLE, Int::U32).range(1, u32::MAX as i64)];

pub struct Vrf;

impl LinkKind for Vrf {
    fn kind(&self) -> &'static str {
        "vrf"
    }

    fn keys(&self) -> &'static [&'static str] {
        &["table"]
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
        s.set_int("table", 4_000_000_000u32);
        s
    }

    #[test]
    fn roundtrip_full() {
        assert_roundtrip("vrf", &full());
        assert_keys_cover("vrf", FIELDS);
        let d = encoded("vrf", &full());
        let a: Vec<_> = attrs(&d).map(|a| a.unwrap()).collect();
        assert_eq!(a, vec![(IFLA_VRF_TABLE, &4_000_000_000u32.to_ne_bytes()[..])]);
    }

    #[test]
    fn rejects_bad_values() {
        let base = Settings::new();
        assert_rejects("vrf", &with(&base, "table", Value::Int(0)), "table");
        assert_rejects("vrf", &with(&base, "table", Value::Int(1 << 32)), "table");
        assert_rejects("vrf", &with(&base, "table", Value::Str("main".into())), "table");
        assert_rejects("vrf", &with(&base, "tableId", Value::Int(10)), "tableId");
    }

    #[test]
    fn decode_survives_garbage() {
        assert_decode_survives("vrf", &full(), true);
        // Table 0 (never valid) and a short attribute are left out.
        let mut b = MsgBuilder::new(0, 0);
        b.attr_u32(IFLA_VRF_TABLE, 0);
        b.attr(IFLA_VRF_TABLE, &[1, 0]);
        let m = b.finish();
        assert!(Vrf.decode(&m[16..]).is_empty());
    }
}
