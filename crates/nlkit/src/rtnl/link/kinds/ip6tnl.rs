//! ip6tnl: IPv4 or IPv6 in IPv6, with the IFLA_IPTUN_* attributes (as ipip and sit).
//!
//! Keys: `mode` (the inner protocol, IFLA_IPTUN_PROTO: 'ip6ip6' | 'ipip6' | 'any'; `ip -j`
//! prints it as `proto`, ipip and sit call the same attribute `mode`), `local`, `remote`
//! (IPv6), `dev` (underlay interface index; names are resolved by the caller), `ttl` (the hop
//! limit, 0 = inherit), `encapLimit`, `tclass` and `flowlabel` (together the be32
//! IFLA_IPTUN_FLOWINFO, as for ip6gre), `fwmark`, `external` (collect metadata), `encap` (the
//! FOU/GUE encapsulation as `ip -j` prints it: `{ type, sport, dport, csum, csum6, remcsum }`)
//! and the IP6_TNL_F_* bits of IFLA_IPTUN_FLAGS as booleans named as `ip -j` names them without
//! its `ip6_tnl_f_` prefix: `ignEncapLimit` (`encaplimit none`), `useOrigTclass` (`tclass
//! inherit`), `useOrigFlowlabel`, `rcvDscpCopy` (`dscp inherit`), `mip6Dev`, `useOrigFwmark`,
//! `allowLocalRemote`. Giving any of them sends the whole flag word, so one not given is off.
//!
//! Attributes go out in `ip`'s order, so a request equals iproute2's byte for byte.

use std::net::Ipv6Addr;

use super::common::{decode_field, encode_fields, ip_from, Field, Int, IFINDEX_MAX};
use super::{EncodeCtx, LinkKind};
use crate::rtnl::settings::{Settings, Value};
use crate::wire::{attrs, MsgBuilder};

const IFLA_IPTUN_LINK: u16 = 1;
const IFLA_IPTUN_LOCAL: u16 = 2;
const IFLA_IPTUN_REMOTE: u16 = 3;
const IFLA_IPTUN_TTL: u16 = 4;
const IFLA_IPTUN_ENCAP_LIMIT: u16 = 6;
const IFLA_IPTUN_FLOWINFO: u16 = 7;
const IFLA_IPTUN_FLAGS: u16 = 8;
const IFLA_IPTUN_PROTO: u16 = 9;
const IFLA_IPTUN_ENCAP_TYPE: u16 = 15;
const IFLA_IPTUN_ENCAP_FLAGS: u16 = 16;
const IFLA_IPTUN_ENCAP_SPORT: u16 = 17;
const IFLA_IPTUN_ENCAP_DPORT: u16 = 18;
const IFLA_IPTUN_COLLECT_METADATA: u16 = 19;
const IFLA_IPTUN_FWMARK: u16 = 20;

const TCLASS_SHIFT: u32 = 20;
const FLOWLABEL_MASK: u32 = 0x000f_ffff;

/// IP6_TNL_F_* (include/uapi/linux/ip6_tunnel.h), host-order u32.
const FLAGS: &[(&str, u32)] = &[
    ("ignEncapLimit", 0x1),
    ("useOrigTclass", 0x2),
    ("useOrigFlowlabel", 0x4),
    ("mip6Dev", 0x8),
    ("rcvDscpCopy", 0x10),
    ("useOrigFwmark", 0x20),
    ("allowLocalRemote", 0x40),
];

/// TUNNEL_ENCAP_FLAG_* of IFLA_IPTUN_ENCAP_FLAGS (host-order u16), under `encap`.
const ENCAP_FLAGS: &[(&str, u16)] = &[("csum", 0x1), ("csum6", 0x2), ("remcsum", 0x4)];

// IPPROTO_IPV6 41, IPPROTO_IPIP 4, 0 = any.
static MODE: &[Field] = &[Field::choice("mode", IFLA_IPTUN_PROTO, Int::U8, &[("ip6ip6", 41), ("ipip6", 4), ("any", 0)])];

/// After the addresses, before the flow info.
static MID: &[Field] = &[Field::int("ttl", IFLA_IPTUN_TTL, Int::U8), Field::int("encapLimit", IFLA_IPTUN_ENCAP_LIMIT, Int::U8)];

/// After the flags.
static TAIL: &[Field] =
    &[Field::int("dev", IFLA_IPTUN_LINK, Int::U32).range(1, IFINDEX_MAX), Field::int("fwmark", IFLA_IPTUN_FWMARK, Int::U32)];

/// Under `encap` (the flag word between type and ports, as `ip` sends it).
static ENCAP_TYPE: &[Field] = &[Field::choice("type", IFLA_IPTUN_ENCAP_TYPE, Int::U16, &[("none", 0), ("fou", 1), ("gue", 2)])];
static ENCAP_PORTS: &[Field] =
    &[Field::int("sport", IFLA_IPTUN_ENCAP_SPORT, Int::Be16), Field::int("dport", IFLA_IPTUN_ENCAP_DPORT, Int::Be16)];

const KEYS: &[&str] = &[
    "mode",
    "local",
    "remote",
    "dev",
    "ttl",
    "encapLimit",
    "tclass",
    "flowlabel",
    "fwmark",
    "external",
    "encap",
    "ignEncapLimit",
    "useOrigTclass",
    "useOrigFlowlabel",
    "rcvDscpCopy",
    "mip6Dev",
    "useOrigFwmark",
    "allowLocalRemote",
];

fn addr6(s: &Settings, key: &str) -> Result<Option<Ipv6Addr>, String> {
    match s.str(key)? {
        None => Ok(None),
        Some(a) => a.parse().map(Some).map_err(|_| format!("{key} must be an IPv6 address for ip6tnl, got {a:?}")),
    }
}

fn encode_encap(e: &Settings, b: &mut MsgBuilder) -> Result<(), String> {
    e.check_known(&["type", "sport", "dport", "csum", "csum6", "remcsum"]).map_err(|x| format!("encap: {x}"))?;
    encode_fields(ENCAP_TYPE, e, b).map_err(|x| format!("encap.{x}"))?;
    let (mut word, mut any) = (0u16, false);
    for (key, bit) in ENCAP_FLAGS {
        if let Some(on) = e.bool(key).map_err(|x| format!("encap.{x}"))? {
            any = true;
            if on {
                word |= bit;
            }
        }
    }
    if any {
        b.attr(IFLA_IPTUN_ENCAP_FLAGS, &word.to_ne_bytes());
    }
    encode_fields(ENCAP_PORTS, e, b).map_err(|x| format!("encap.{x}"))
}

pub struct Ip6tnl;

impl LinkKind for Ip6tnl {
    fn kind(&self) -> &'static str {
        "ip6tnl"
    }

    fn keys(&self) -> &'static [&'static str] {
        KEYS
    }

    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _ctx: &mut EncodeCtx) -> Result<(), String> {
        encode_fields(MODE, s, b)?;
        // `ip` sends collect-metadata right after the mode (and nothing else with it).
        if s.bool("external")? == Some(true) {
            b.attr(IFLA_IPTUN_COLLECT_METADATA, &[]);
        }
        for (attr, key) in [(IFLA_IPTUN_LOCAL, "local"), (IFLA_IPTUN_REMOTE, "remote")] {
            if let Some(a) = addr6(s, key)? {
                b.attr(attr, &a.octets());
            }
        }
        encode_fields(MID, s, b)?;
        let tclass = s.u8("tclass")?;
        let label = s.int("flowlabel", 0, FLOWLABEL_MASK as i64)?;
        if tclass.is_some() || label.is_some() {
            let fi = (tclass.unwrap_or(0) as u32) << TCLASS_SHIFT | label.unwrap_or(0) as u32;
            b.attr(IFLA_IPTUN_FLOWINFO, &fi.to_be_bytes());
        }
        let (mut word, mut any) = (0u32, false);
        for (key, bit) in FLAGS {
            if let Some(on) = s.bool(key)? {
                any = true;
                if on {
                    word |= bit;
                }
            }
        }
        if any {
            b.attr(IFLA_IPTUN_FLAGS, &word.to_ne_bytes());
        }
        encode_fields(TAIL, s, b)?;
        if let Some(e) = s.map("encap")? {
            encode_encap(e, b)?;
        }
        Ok(())
    }

    fn decode(&self, data: &[u8]) -> Settings {
        let mut out = Settings::new();
        let mut encap = Settings::new();
        for (ty, v) in attrs(data).map_while(Result::ok) {
            if decode_field(MODE, ty, v, &mut out) || decode_field(MID, ty, v, &mut out) || decode_field(TAIL, ty, v, &mut out) {
                continue;
            }
            if decode_field(ENCAP_TYPE, ty, v, &mut encap) || decode_field(ENCAP_PORTS, ty, v, &mut encap) {
                continue;
            }
            match ty {
                IFLA_IPTUN_LOCAL | IFLA_IPTUN_REMOTE => {
                    let key = if ty == IFLA_IPTUN_LOCAL { "local" } else { "remote" };
                    // Always reported; the unspecified address means "any".
                    if let Some(a) = ip_from(v).filter(|a| a.is_ipv6() && !a.is_unspecified()) {
                        out.set_str(key, a.to_string());
                    }
                }
                IFLA_IPTUN_FLOWINFO if v.len() >= 4 => {
                    let fi = u32::from_be_bytes([v[0], v[1], v[2], v[3]]);
                    out.set_int("tclass", (fi >> TCLASS_SHIFT) & 0xff);
                    out.set_int("flowlabel", fi & FLOWLABEL_MASK);
                }
                IFLA_IPTUN_FLAGS if v.len() >= 4 => {
                    let word = u32::from_ne_bytes([v[0], v[1], v[2], v[3]]);
                    for (key, bit) in FLAGS {
                        out.set_bool(key, word & bit != 0);
                    }
                }
                IFLA_IPTUN_ENCAP_FLAGS if v.len() >= 2 => {
                    let word = u16::from_ne_bytes([v[0], v[1]]);
                    for (key, bit) in ENCAP_FLAGS {
                        encap.set_bool(key, word & bit != 0);
                    }
                }
                IFLA_IPTUN_COLLECT_METADATA => {
                    out.set_bool("external", true);
                }
                _ => {}
            }
        }
        if !encap.is_empty() {
            out.set("encap", Value::Map(encap));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::common::testing::*;
    use super::*;

    fn encap(ty: &str, flags: [bool; 3], sport: i64, dport: i64) -> Value {
        let mut e = Settings::new();
        e.set_str("type", ty)
            .set_bool("csum", flags[0])
            .set_bool("csum6", flags[1])
            .set_bool("remcsum", flags[2])
            .set_int("sport", sport)
            .set_int("dport", dport);
        Value::Map(e)
    }

    /// The flag booleans, those in `on` true.
    fn flags(s: &mut Settings, on: &[&str]) {
        for (key, _) in FLAGS {
            s.set_bool(key, on.contains(key));
        }
    }

    fn full() -> Settings {
        let mut s = Settings::new();
        s.set_str("mode", "ip6ip6")
            .set_str("local", "2001:db8::1")
            .set_str("remote", "2001:db8::2")
            .set_int("ttl", 32)
            .set_int("encapLimit", 5)
            .set_int("tclass", 0x12)
            .set_int("flowlabel", 0x34567)
            .set_int("dev", 3)
            .set_int("fwmark", 9)
            .set("encap", encap("fou", [true, false, true], 1000, 2000));
        flags(&mut s, &["rcvDscpCopy", "allowLocalRemote"]);
        s
    }

    #[test]
    fn roundtrip_full() {
        let s = with(&full(), "external", Value::Bool(true));
        assert_roundtrip("ip6tnl", &s);
        assert_eq!(s.0.len(), KEYS.len());
        for f in [MODE, MID, TAIL] {
            assert_keys_cover("ip6tnl", f);
        }
        let mut s = Settings::new();
        s.set_str("mode", "ipip6").set_int("flowlabel", 0xfffff);
        flags(&mut s, &["ignEncapLimit", "useOrigTclass", "useOrigFlowlabel", "mip6Dev", "useOrigFwmark"]);
        s.set_int("tclass", 0);
        assert_roundtrip("ip6tnl", &s);
    }

    /// Captured from iproute2 6.1 (`strace -X raw`, kernel without ip6tnl: ip encodes anyway);
    /// 6.18 sends the same bytes.
    #[test]
    fn equals_iproute2() {
        // ip link add t6 type ip6tnl mode ip6ip6 local 2001:db8::1 remote 2001:db8::2 hoplimit 32
        //   encaplimit 5 tclass 0x12 flowlabel 0x34567 dscp inherit allow-localremote dev veth0
        //   fwmark 9 encap fou encap-sport 1000 encap-dport 2000 encap-csum noencap-udp6-csum
        //   encap-remcsum (veth0 is index 3)
        assert_iproute2("ip6tnl", "t6", &full(), "bc0000001000050670ac116b00000000000000000000000000000000000000000700030074360000940012000a000100697036746e6c00008400020005000900290000001400020020010db80000000000000000000000011400030020010db800000000000000000000000205000400200000000500060005000000080007000123456708000800500000000800010003000000080014000900000006000f000100000006001000050000000600110003e800000600120007d00000");
        // ip link add t6 type ip6tnl remote 2001:db8::2 dev lo encaplimit none tclass inherit
        //   flowlabel inherit fwmark inherit mode any (ip's defaults: hop limit 64, limit 4, csum6)
        let mut s = Settings::new();
        s.set_str("mode", "any")
            .set_str("remote", "2001:db8::2")
            .set_int("ttl", 64)
            .set_int("encapLimit", 4)
            .set_int("tclass", 0)
            .set_int("flowlabel", 0)
            .set_int("dev", 1)
            .set_int("fwmark", 0)
            .set("encap", encap("none", [false, true, false], 0, 0));
        flags(&mut s, &["ignEncapLimit", "useOrigTclass", "useOrigFlowlabel", "useOrigFwmark"]);
        assert_iproute2("ip6tnl", "t6", &s, "a80000001000050670ac116b00000000000000000000000000000000000000000700030074360000800012000a000100697036746e6c00007000020005000900000000001400030020010db800000000000000000000000205000400400000000500060004000000080007000000000008000800270000000800010001000000080014000000000006000f0000000000060010000200000006001100000000000600120000000000");
        // ip link add t6 type ip6tnl external
        let mut s = Settings::new();
        s.set_str("mode", "any").set_bool("external", true);
        assert_iproute2("ip6tnl", "t6", &s, "480000001000050671ac116b00000000000000000000000000000000000000000700030074360000200012000a000100697036746e6c000010000200050009000000000004001300");
        // ip link add t6 type ip6tnl mode ipip6 local 2001:db8::1 remote 2001:db8::2 ttl inherit
        //   dev veth0 encap gue
        let mut s = Settings::new();
        s.set_str("mode", "ipip6")
            .set_str("local", "2001:db8::1")
            .set_str("remote", "2001:db8::2")
            .set_int("ttl", 0)
            .set_int("encapLimit", 4)
            .set_int("tclass", 0)
            .set_int("flowlabel", 0)
            .set_int("dev", 3)
            .set_int("fwmark", 0)
            .set("encap", encap("gue", [false, true, false], 0, 0));
        flags(&mut s, &[]);
        assert_iproute2("ip6tnl", "t6", &s, "bc0000001000050672ac116b00000000000000000000000000000000000000000700030074360000940012000a000100697036746e6c00008400020005000900040000001400020020010db80000000000000000000000011400030020010db800000000000000000000000205000400000000000500060004000000080007000000000008000800000000000800010003000000080014000000000006000f0002000000060010000200000006001100000000000600120000000000");
    }

    #[test]
    fn rejects_bad_values() {
        let base = Settings::new();
        let k = "ip6tnl";
        assert_rejects(k, &with(&base, "local", Value::Str("10.0.0.1".into())), "local");
        assert_rejects(k, &with(&base, "remote", Value::Str("nowhere".into())), "remote");
        assert_rejects(k, &with(&base, "mode", Value::Str("gre".into())), "mode");
        assert_rejects(k, &with(&base, "ttl", Value::Int(256)), "ttl");
        assert_rejects(k, &with(&base, "encapLimit", Value::Int(-1)), "encapLimit");
        assert_rejects(k, &with(&base, "tclass", Value::Int(256)), "tclass");
        assert_rejects(k, &with(&base, "flowlabel", Value::Int(1 << 20)), "flowlabel");
        assert_rejects(k, &with(&base, "dev", Value::Int(0)), "dev");
        assert_rejects(k, &with(&base, "fwmark", Value::Int(1 << 32)), "fwmark");
        assert_rejects(k, &with(&base, "rcvDscpCopy", Value::Int(1)), "rcvDscpCopy");
        assert_rejects(k, &with(&base, "encap", Value::Str("fou".into())), "encap");
        let mut e = Settings::new();
        e.set_str("type", "vxlan");
        assert_rejects(k, &with(&base, "encap", Value::Map(e.clone())), "encap.type");
        e.set_str("type", "fou").set_int("sport", 65536);
        assert_rejects(k, &with(&base, "encap", Value::Map(e.clone())), "encap.sport");
        e.set_int("sport", 1).set_int("csum", 1);
        assert_rejects(k, &with(&base, "encap", Value::Map(e.clone())), "encap.csum");
        let mut e = Settings::new();
        e.set_int("port", 1);
        assert_rejects(k, &with(&base, "encap", Value::Map(e)), "port");
        assert_rejects(k, &with(&base, "proto", Value::Str("any".into())), "proto");
    }

    #[test]
    fn decode_survives_garbage() {
        assert_decode_survives("ip6tnl", &with(&full(), "external", Value::Bool(true)), true);
    }
}
