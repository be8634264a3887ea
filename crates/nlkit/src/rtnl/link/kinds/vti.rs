//! IPsec virtual tunnel interfaces: vti (IPv4) and vti6 (IPv6), with the IFLA_VTI_* attributes.
//!
//! Keys: `ikey` / `okey` (the keys matching the tunnel's xfrm policies, 32-bit integers sent in
//! network byte order, as for gre), `local`, `remote` (addresses of the kind's family), `fwmark`,
//! `dev` (underlay interface index; names are resolved by the caller). Attributes go out in
//! `ip`'s order, so a request equals iproute2's byte for byte.

use std::net::IpAddr;

use super::common::{decode_field, encode_fields, ip, ip_bytes, ip_from, Field, Int, IFINDEX_MAX};
use super::{EncodeCtx, LinkKind};
use crate::rtnl::settings::Settings;
use crate::wire::{attrs, MsgBuilder};

const IFLA_VTI_LINK: u16 = 1;
const IFLA_VTI_IKEY: u16 = 2;
const IFLA_VTI_OKEY: u16 = 3;
const IFLA_VTI_LOCAL: u16 = 4;
const IFLA_VTI_REMOTE: u16 = 5;
const IFLA_VTI_FWMARK: u16 = 6;

static KEYS: &[Field] = &[Field::int("ikey", IFLA_VTI_IKEY, Int::Be32), Field::int("okey", IFLA_VTI_OKEY, Int::Be32)];

static TAIL: &[Field] =
    &[Field::int("fwmark", IFLA_VTI_FWMARK, Int::U32), Field::int("dev", IFLA_VTI_LINK, Int::U32).range(1, IFINDEX_MAX)];

/// vti or vti6.
pub struct Vti {
    kind: &'static str,
    v6: bool,
}

pub const VTI: Vti = Vti { kind: "vti", v6: false };
pub const VTI6: Vti = Vti { kind: "vti6", v6: true };

impl LinkKind for Vti {
    fn kind(&self) -> &'static str {
        self.kind
    }

    fn keys(&self) -> &'static [&'static str] {
        &["ikey", "okey", "local", "remote", "fwmark", "dev"]
    }

    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _ctx: &mut EncodeCtx) -> Result<(), String> {
        encode_fields(KEYS, s, b)?;
        for (attr, key) in [(IFLA_VTI_LOCAL, "local"), (IFLA_VTI_REMOTE, "remote")] {
            match ip(s, key)? {
                Some(a) if a.is_ipv6() != self.v6 => {
                    let fam = if self.v6 { "IPv6" } else { "IPv4" };
                    return Err(format!("{key} must be an {fam} address for {}, got {a}", self.kind));
                }
                Some(a) => {
                    b.attr(attr, &ip_bytes(&a));
                }
                None => {}
            }
        }
        encode_fields(TAIL, s, b)
    }

    fn decode(&self, data: &[u8]) -> Settings {
        let mut out = Settings::new();
        for (ty, v) in attrs(data).map_while(Result::ok) {
            if decode_field(KEYS, ty, v, &mut out) || decode_field(TAIL, ty, v, &mut out) {
                continue;
            }
            let key = match ty {
                IFLA_VTI_LOCAL => "local",
                IFLA_VTI_REMOTE => "remote",
                _ => continue,
            };
            // Always reported; the unspecified address means "any".
            if let Some(a) = ip_from(v).filter(|a: &IpAddr| a.is_ipv6() == self.v6 && !a.is_unspecified()) {
                out.set_str(key, a.to_string());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::common::testing::*;
    use super::*;
    use crate::rtnl::settings::Value;

    fn full(v6: bool) -> Settings {
        let mut s = Settings::new();
        s.set_int("ikey", 5)
            .set_int("okey", 0x0102_0304)
            .set_str("local", if v6 { "2001:db8::1" } else { "10.0.0.1" })
            .set_str("remote", if v6 { "2001:db8::2" } else { "10.0.0.2" })
            .set_int("fwmark", 9);
        s
    }

    #[test]
    fn roundtrip_full() {
        for (kind, v6) in [("vti", false), ("vti6", true)] {
            let s = with(&full(v6), "dev", Value::Int(3));
            assert_roundtrip(kind, &s);
            assert_eq!(s.0.len(), VTI.keys().len());
            assert_keys_cover(kind, KEYS);
            assert_keys_cover(kind, TAIL);
        }
    }

    /// Captured from iproute2 6.1 (`strace -X raw`, kernel without vti: ip encodes anyway).
    #[test]
    fn equals_iproute2() {
        // ip link add tvti type vti local 10.0.0.1 remote 10.0.0.2 ikey 5 okey 1.2.3.4 fwmark 9
        assert_iproute2("vti", "tvti", &full(false), "6400000010000506d36f116b00000000000000000000000000000000000000000900030074767469000000003800120007000100767469002c00020008000200000000050800030001020304080004000a000001080005000a0000020800060009000000");
        // ip link add tvti6 type vti6 local 2001:db8::1 remote 2001:db8::2 ikey 5 okey 1.2.3.4 fwmark 9
        assert_iproute2("vti6", "tvti6", &full(true), "7c00000010000506d36f116b00000000000000000000000000000000000000000a000300747674693600000050001200080001007674693644000200080002000000000508000300010203041400040020010db80000000000000000000000011400050020010db80000000000000000000000020800060009000000");
        // ip link add tvti type vti remote 10.0.0.2 dev lo (ip sends zero keys and mark)
        let mut s = Settings::new();
        s.set_int("ikey", 0).set_int("okey", 0).set_str("remote", "10.0.0.2").set_int("fwmark", 0).set_int("dev", 1);
        assert_iproute2("vti", "tvti", &s, "6400000010000506da6f116b00000000000000000000000000000000000000000900030074767469000000003800120007000100767469002c00020008000200000000000800030000000000080005000a00000208000600000000000800010001000000");
        // ip link add tvti6 type vti6 remote 2001:db8::2
        let mut s = Settings::new();
        s.set_int("ikey", 0).set_int("okey", 0).set_str("remote", "2001:db8::2").set_int("fwmark", 0);
        assert_iproute2("vti6", "tvti6", &s, "6800000010000506d36f116b00000000000000000000000000000000000000000a00030074767469360000003c001200080001007674693630000200080002000000000008000300000000001400050020010db80000000000000000000000020800060000000000");
    }

    #[test]
    fn rejects_bad_values() {
        let base = Settings::new();
        for kind in ["vti", "vti6"] {
            assert_rejects(kind, &with(&base, "ikey", Value::Int(-1)), "ikey");
            assert_rejects(kind, &with(&base, "okey", Value::Int(1 << 32)), "okey");
            assert_rejects(kind, &with(&base, "fwmark", Value::Str("x".into())), "fwmark");
            assert_rejects(kind, &with(&base, "dev", Value::Int(0)), "dev");
            assert_rejects(kind, &with(&base, "remote", Value::Str("nowhere".into())), "remote");
            assert_rejects(kind, &with(&base, "ttl", Value::Int(1)), "ttl");
        }
        assert_rejects("vti", &with(&base, "local", Value::Str("2001:db8::1".into())), "local");
        assert_rejects("vti6", &with(&base, "remote", Value::Str("10.0.0.1".into())), "remote");
    }

    #[test]
    fn decode_survives_garbage() {
        assert_decode_survives("vti", &full(false), true);
        assert_decode_survives("vti6", &full(true), true);
    }
}
