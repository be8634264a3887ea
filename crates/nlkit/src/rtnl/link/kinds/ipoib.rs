//! ipoib (IFLA_IPOIB_*): an IP-over-InfiniBand child of an InfiniBand link (the parent is the
//! top-level `link`). Keys: `pkey` (the partition key; the kernel refuses 0 and 0x8000 and
//! reports the key with the full-membership bit 0x8000 set; ip's argument and the attribute's
//! name, where `ip -j` prints it as `key`), `mode` ('datagram' | 'connected'), `umcast` (allow
//! user multicast; a u16 the kernel reads as a boolean, sent 0/1). All three are host-order u16.
//!
//! Attributes go out in ip's order when its arguments are given in its help order (pkey,
//! mode, umcast), so a request equals iproute2's byte for byte.

use super::common::{decode_fields, encode_fields, remove, Field, Int};
use super::{EncodeCtx, LinkKind};
use crate::rtnl::settings::{Settings, Value};
use crate::wire::MsgBuilder;

const IFLA_IPOIB_PKEY: u16 = 1;
const IFLA_IPOIB_MODE: u16 = 2;
const IFLA_IPOIB_UMCAST: u16 = 3;

/// The full-membership bit alone: no partition (ipoib_new_child_link refuses it, as 0).
const PKEY_FULL_ONLY: i64 = 0x8000;

static FIELDS: &[Field] = &[
    Field::int("pkey", IFLA_IPOIB_PKEY, Int::U16).range(1, u16::MAX as i64),
    Field::choice("mode", IFLA_IPOIB_MODE, Int::U16, &[("datagram", 0), ("connected", 1)]),
    Field::bool("umcast", IFLA_IPOIB_UMCAST, Int::U16),
];

pub struct Ipoib;

impl LinkKind for Ipoib {
    fn kind(&self) -> &'static str {
        "ipoib"
    }

    fn keys(&self) -> &'static [&'static str] {
        &["pkey", "mode", "umcast"]
    }

    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _ctx: &mut EncodeCtx) -> Result<(), String> {
        if s.get("pkey") == Some(&Value::Int(PKEY_FULL_ONLY)) {
            return Err("pkey must name a partition: 0x8000 is the membership bit alone".into());
        }
        encode_fields(FIELDS, s, b)
    }

    fn decode(&self, data: &[u8]) -> Settings {
        let mut out = decode_fields(FIELDS, data);
        if out.get("pkey") == Some(&Value::Int(PKEY_FULL_ONLY)) {
            remove(&mut out, "pkey");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::common::testing::*;
    use super::*;
    use crate::rtnl::link::LinkSpec;

    /// ip link add link veth0 ib0 type ipoib ... (veth0 is index 3 in the capture's namespace).
    fn spec(s: &Settings) -> LinkSpec {
        LinkSpec { name: Some("ib0".into()), kind: Some("ipoib".into()), link: Some(3), info: s.clone(), ..Default::default() }
    }

    fn full() -> Settings {
        let mut s = Settings::new();
        s.set_int("pkey", 0x8001).set_str("mode", "connected").set_bool("umcast", true);
        s
    }

    #[test]
    fn roundtrip_full() {
        assert_roundtrip("ipoib", &full());
        assert_eq!(full().0.len(), Ipoib.keys().len());
        assert_keys_cover("ipoib", FIELDS);
        let mut s = Settings::new();
        s.set_int("pkey", 0xffff).set_str("mode", "datagram").set_bool("umcast", false);
        assert_roundtrip("ipoib", &s);
        // Any non-zero umcast is on, as the kernel reads it.
        let mut b = MsgBuilder::new(0, 0);
        b.attr(IFLA_IPOIB_UMCAST, &5u16.to_ne_bytes()).attr(IFLA_IPOIB_PKEY, &0x8000u16.to_ne_bytes());
        let d = Ipoib.decode(&b.finish()[16..]);
        assert_eq!((d.get("umcast"), d.get("pkey")), (Some(&Value::Bool(true)), None));
    }

    /// Captured from iproute2 6.1 (`strace -X raw`, kernel without ipoib: ip encodes anyway;
    /// 6.18 sends the same). ip sends IFLA_LINK before IFLA_IFNAME (compared as a set).
    #[test]
    fn equals_iproute2() {
        // ... pkey 0x8001 mode connected umcast 1
        assert_iproute2_spec(&spec(&full()), "5c000000100005069bb4116b0000000000000000000000000000000000000000080005000300000008000300696230002c0012000900010069706f69620000001c000200060001000180000006000200010000000600030001000000");
        // ... pkey 0x7fff mode datagram umcast 0
        let mut s = Settings::new();
        s.set_int("pkey", 0x7fff).set_str("mode", "datagram").set_bool("umcast", false);
        assert_iproute2_spec(&spec(&s), "5c000000100005069cb4116b0000000000000000000000000000000000000000080005000300000008000300696230002c0012000900010069706f69620000001c00020006000100ff7f000006000200000000000600030000000000");
        // ... (no settings: the parent's key, no IFLA_INFO_DATA)
        assert_iproute2_spec(&spec(&Settings::new()), "40000000100005069db4116b000000000000000000000000000000000000000008000500030000000800030069623000100012000900010069706f6962000000");
    }

    #[test]
    fn rejects_bad_values() {
        let base = Settings::new();
        assert_rejects("ipoib", &with(&base, "pkey", Value::Int(0)), "pkey");
        assert_rejects("ipoib", &with(&base, "pkey", Value::Int(0x8000)), "pkey");
        assert_rejects("ipoib", &with(&base, "pkey", Value::Int(0x10000)), "pkey");
        assert_rejects("ipoib", &with(&base, "pkey", Value::Str("0x8001".into())), "pkey");
        assert_rejects("ipoib", &with(&base, "mode", Value::Str("reliable".into())), "mode");
        assert_rejects("ipoib", &with(&base, "umcast", Value::Int(1)), "umcast");
        assert_rejects("ipoib", &with(&base, "key", Value::Int(1)), "key");
    }

    #[test]
    fn decode_survives_garbage() {
        assert_decode_survives("ipoib", &full(), true);
    }
}
