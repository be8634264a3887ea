//! hsr (IFLA_HSR_*): High-availability Seamless Redundancy (or PRP) over two slave links.
//! Keys are `ip -d -j link show`'s names in camelCase: `slave1`, `slave2` and `interlink`
//! (interface indexes; names are resolved by the caller), `supervision` (the last byte of the
//! supervision multicast address 01:15:4e:00:01:XX: ip's argument, sent as
//! IFLA_HSR_MULTICAST_SPEC; the kernel reports the whole address, decoded back to the byte),
//! `version` (0 or 1, HSR only) and `proto` (0 = HSR, 1 = PRP, numbers as ip prints them). The
//! sequence number the kernel reports is state, not decoded.
//!
//! Attributes go out in ip's order when its arguments are given in its help order, so a
//! request equals iproute2's byte for byte.

use super::common::{decode_field, encode_fields, remove, Field, Int, IFINDEX_MAX};
use super::{EncodeCtx, LinkKind};
use crate::rtnl::settings::Settings;
use crate::wire::{attrs, MsgBuilder};

const IFLA_HSR_SLAVE1: u16 = 1;
const IFLA_HSR_SLAVE2: u16 = 2;
const IFLA_HSR_MULTICAST_SPEC: u16 = 3;
const IFLA_HSR_SUPERVISION_ADDR: u16 = 4;
const IFLA_HSR_VERSION: u16 = 6;
const IFLA_HSR_PROTOCOL: u16 = 7;
const IFLA_HSR_INTERLINK: u16 = 8;

/// The supervision address but its last byte (net/hsr/hsr_device.c's def_multicast_addr).
const SUPERVISION_PREFIX: [u8; 5] = [0x01, 0x15, 0x4e, 0x00, 0x01];

/// In ip's order.
static FIELDS: &[Field] = &[
    Field::int("slave1", IFLA_HSR_SLAVE1, Int::U32).range(1, IFINDEX_MAX),
    Field::int("slave2", IFLA_HSR_SLAVE2, Int::U32).range(1, IFINDEX_MAX),
    Field::int("interlink", IFLA_HSR_INTERLINK, Int::U32).range(1, IFINDEX_MAX),
    Field::int("supervision", IFLA_HSR_MULTICAST_SPEC, Int::U8),
    Field::int("version", IFLA_HSR_VERSION, Int::U8).range(0, 1),
    Field::int("proto", IFLA_HSR_PROTOCOL, Int::U8).range(0, 1),
];

pub struct Hsr;

impl LinkKind for Hsr {
    fn kind(&self) -> &'static str {
        "hsr"
    }

    fn keys(&self) -> &'static [&'static str] {
        &["slave1", "slave2", "interlink", "supervision", "version", "proto"]
    }

    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _ctx: &mut EncodeCtx) -> Result<(), String> {
        if let (Some(a), Some(c)) = (s.get("slave1"), s.get("slave2")) {
            if a == c {
                return Err("slave1 and slave2 must be different links".into());
            }
        }
        encode_fields(FIELDS, s, b)
    }

    fn decode(&self, data: &[u8]) -> Settings {
        let mut out = Settings::new();
        for (ty, v) in attrs(data).map_while(Result::ok) {
            if decode_field(FIELDS, ty, v, &mut out) {
                continue;
            }
            if ty == IFLA_HSR_SUPERVISION_ADDR && v.len() == 6 && v[..5] == SUPERVISION_PREFIX {
                out.set_int("supervision", v[5]);
            }
        }
        // Only a malformed dump names one link twice; keep what encode accepts.
        if out.get("slave1").is_some() && out.get("slave1") == out.get("slave2") {
            remove(&mut out, "slave2");
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
        s.set_int("slave1", 3)
            .set_int("slave2", 5)
            .set_int("interlink", 7)
            .set_int("supervision", 45)
            .set_int("version", 1)
            .set_int("proto", 0);
        s
    }

    #[test]
    fn roundtrip_full() {
        assert_roundtrip("hsr", &full());
        assert_eq!(full().0.len(), Hsr.keys().len());
        assert_keys_cover("hsr", FIELDS);
    }

    /// What the kernel reports (hsr_fill_info): the whole supervision address and a sequence
    /// number, which decode turns into `supervision` and leaves out.
    #[test]
    fn decodes_the_kernels_report() {
        let mut b = MsgBuilder::new(0, 0);
        b.attr_u32(IFLA_HSR_SLAVE1, 3).attr_u32(IFLA_HSR_SLAVE2, 5);
        b.attr(IFLA_HSR_SUPERVISION_ADDR, &[0x01, 0x15, 0x4e, 0x00, 0x01, 0x2d]).attr(5, &7u16.to_ne_bytes());
        b.attr_u8(IFLA_HSR_VERSION, 1).attr_u8(IFLA_HSR_PROTOCOL, 0);
        let m = b.finish();
        let mut want = full();
        remove(&mut want, "interlink");
        assert_eq!(sorted(&Hsr.decode(&m[16..])), sorted(&want));
        // Another address is not a supervision byte.
        let mut b = MsgBuilder::new(0, 0);
        b.attr(IFLA_HSR_SUPERVISION_ADDR, &[0x02, 0, 0, 0, 0, 0x2d]);
        assert_eq!(Hsr.decode(&b.finish()[16..]).get("supervision"), None);
    }

    /// Captured from iproute2 6.1 (`strace -X raw`, kernel without hsr: ip encodes anyway;
    /// 6.18 sends the same), and 6.18 for `interlink` (6.1 has no such argument). In the
    /// capture's namespace veth0, veth2 and veth4 are indexes 3, 5 and 7.
    #[test]
    fn equals_iproute2() {
        // ip link add hsr0 type hsr slave1 veth0 slave2 veth2 supervision 45 version 1 proto 0
        let mut s = full();
        remove(&mut s, "interlink");
        assert_iproute2("hsr", "hsr0", &s, "640000001000050666b3116b00000000000000000000000000000000000000000900030068737230000000003800120007000100687372002c00020008000100030000000800020005000000050003002d00000005000600010000000500070000000000");
        // ip link add hsr0 type hsr slave1 veth0 slave2 veth2 proto 1
        let mut s = Settings::new();
        s.set_int("slave1", 3).set_int("slave2", 5).set_int("proto", 1);
        assert_iproute2("hsr", "hsr0", &s, "540000001000050667b3116b00000000000000000000000000000000000000000900030068737230000000002800120007000100687372001c000200080001000300000008000200050000000500070001000000");
        // ip link add hsr0 type hsr slave1 veth0 slave2 veth2
        let mut s = Settings::new();
        s.set_int("slave1", 3).set_int("slave2", 5);
        assert_iproute2("hsr", "hsr0", &s, "4c0000001000050668b3116b00000000000000000000000000000000000000000900030068737230000000002000120007000100687372001400020008000100030000000800020005000000");
        // ip (6.18) link add hsr0 type hsr slave1 veth0 slave2 veth2 interlink veth4 supervision 1 proto 1
        let mut s = Settings::new();
        s.set_int("slave1", 3).set_int("slave2", 5).set_int("interlink", 7).set_int("supervision", 1).set_int("proto", 1);
        assert_iproute2("hsr", "hsr0", &s, "640000001000050669b3116b00000000000000000000000000000000000000000900030068737230000000003800120007000100687372002c00020008000100030000000800020005000000080008000700000005000300010000000500070001000000");
    }

    #[test]
    fn rejects_bad_values() {
        let base = Settings::new();
        let k = "hsr";
        assert_rejects(k, &with(&base, "slave1", Value::Int(0)), "slave1");
        assert_rejects(k, &with(&base, "slave2", Value::Str("eth0".into())), "slave2");
        assert_rejects(k, &with(&base, "interlink", Value::Int(-1)), "interlink");
        assert_rejects(k, &with(&with(&base, "slave1", Value::Int(3)), "slave2", Value::Int(3)), "slave2");
        assert_rejects(k, &with(&base, "supervision", Value::Int(256)), "supervision");
        assert_rejects(k, &with(&base, "version", Value::Int(2)), "version");
        assert_rejects(k, &with(&base, "proto", Value::Int(2)), "proto");
        assert_rejects(k, &with(&base, "proto", Value::Str("prp".into())), "proto");
        assert_rejects(k, &with(&base, "seqNr", Value::Int(1)), "seqNr");
    }

    #[test]
    fn decode_survives_garbage() {
        assert_decode_survives("hsr", &full(), true);
    }
}
