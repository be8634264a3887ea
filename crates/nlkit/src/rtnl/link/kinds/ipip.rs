//! IPv4 tunnels with the IFLA_IPTUN_* attributes: ipip (IPv4 in IPv4) and sit (IPv6 in IPv4).
//!
//! Keys: `dev` (underlay interface index), `local`, `remote` (IPv4), `ttl` (0 = inherit),
//! `tos` (1 = inherit, as `ip` sends it), `pmtudisc`, `fwmark`, `mode` (the inner protocol:
//! ipip 'ipip' | 'mplsip' | 'any'; sit also 'ip6ip'), `external` (collect metadata), and for
//! sit `isatap` (the SIT_ISATAP bit of IFLA_IPTUN_FLAGS, a host-order u16 as `ip` sends it).

use super::common::{decode_field, encode_fields, ip_from, ipv4, Field, Int, IFINDEX_MAX};
use super::{EncodeCtx, LinkKind};
use crate::rtnl::settings::Settings;
use crate::wire::{attrs, MsgBuilder};

const IFLA_IPTUN_LINK: u16 = 1;
const IFLA_IPTUN_LOCAL: u16 = 2;
const IFLA_IPTUN_REMOTE: u16 = 3;
const IFLA_IPTUN_TTL: u16 = 4;
const IFLA_IPTUN_TOS: u16 = 5;
const IFLA_IPTUN_FLAGS: u16 = 8;
const IFLA_IPTUN_PROTO: u16 = 9;
const IFLA_IPTUN_PMTUDISC: u16 = 10;
const IFLA_IPTUN_COLLECT_METADATA: u16 = 19;
const IFLA_IPTUN_FWMARK: u16 = 20;

const SIT_ISATAP: u16 = 0x0001;

macro_rules! fields {
    ($($mode:expr),*) => {
        &[
            Field::int("dev", IFLA_IPTUN_LINK, Int::U32).range(1, IFINDEX_MAX),
            Field::int("ttl", IFLA_IPTUN_TTL, Int::U8),
            Field::int("tos", IFLA_IPTUN_TOS, Int::U8),
            Field::bool("pmtudisc", IFLA_IPTUN_PMTUDISC, Int::U8),
            Field::int("fwmark", IFLA_IPTUN_FWMARK, Int::U32),
            Field::flag("external", IFLA_IPTUN_COLLECT_METADATA),
            // IPPROTO_IPV6 41, IPPROTO_IPIP 4, IPPROTO_MPLS 137, 0 = any.
            Field::choice("mode", IFLA_IPTUN_PROTO, Int::U8, &[$($mode),*]),
        ]
    };
}

static IPIP_FIELDS: &[Field] = fields!(("ipip", 4), ("mplsip", 137), ("any", 0));
static SIT_FIELDS: &[Field] = fields!(("ip6ip", 41), ("ipip", 4), ("mplsip", 137), ("any", 0));

/// ipip or sit.
pub struct Iptun {
    kind: &'static str,
    sit: bool,
}

pub const IPIP: Iptun = Iptun { kind: "ipip", sit: false };
pub const SIT: Iptun = Iptun { kind: "sit", sit: true };

impl Iptun {
    fn fields(&self) -> &'static [Field] {
        if self.sit {
            SIT_FIELDS
        } else {
            IPIP_FIELDS
        }
    }
}

impl LinkKind for Iptun {
    fn kind(&self) -> &'static str {
        self.kind
    }

    fn keys(&self) -> &'static [&'static str] {
        if self.sit {
            &["dev", "local", "remote", "ttl", "tos", "pmtudisc", "fwmark", "external", "mode", "isatap"]
        } else {
            &["dev", "local", "remote", "ttl", "tos", "pmtudisc", "fwmark", "external", "mode"]
        }
    }

    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _ctx: &mut EncodeCtx) -> Result<(), String> {
        encode_fields(self.fields(), s, b)?;
        if let Some(a) = ipv4(s, "local")? {
            b.attr(IFLA_IPTUN_LOCAL, &a.octets());
        }
        if let Some(a) = ipv4(s, "remote")? {
            b.attr(IFLA_IPTUN_REMOTE, &a.octets());
        }
        if self.sit {
            if let Some(on) = s.bool("isatap")? {
                b.attr(IFLA_IPTUN_FLAGS, &(if on { SIT_ISATAP } else { 0 }).to_ne_bytes());
            }
        }
        Ok(())
    }

    fn decode(&self, data: &[u8]) -> Settings {
        let mut out = Settings::new();
        for (ty, v) in attrs(data).map_while(Result::ok) {
            if decode_field(self.fields(), ty, v, &mut out) {
                continue;
            }
            match ty {
                IFLA_IPTUN_LOCAL | IFLA_IPTUN_REMOTE => {
                    let key = if ty == IFLA_IPTUN_LOCAL { "local" } else { "remote" };
                    // Always reported; 0.0.0.0 means "any".
                    if let Some(a) = ip_from(v).filter(|a| a.is_ipv4() && !a.is_unspecified()) {
                        out.set_str(key, a.to_string());
                    }
                }
                IFLA_IPTUN_FLAGS if self.sit && v.len() >= 2 => {
                    out.set_bool("isatap", u16::from_ne_bytes([v[0], v[1]]) & SIT_ISATAP != 0);
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
    use crate::rtnl::settings::Value;

    fn full(sit: bool) -> Settings {
        let mut s = Settings::new();
        s.set_int("dev", 3)
            .set_str("local", "192.0.2.1")
            .set_str("remote", "198.51.100.1")
            .set_int("ttl", 64)
            .set_int("tos", 1)
            .set_bool("pmtudisc", false)
            .set_int("fwmark", 5)
            .set_bool("external", true)
            .set_str("mode", if sit { "ip6ip" } else { "mplsip" });
        if sit {
            s.set_bool("isatap", true);
        }
        s
    }

    #[test]
    fn roundtrip_full() {
        assert_roundtrip("ipip", &full(false));
        assert_roundtrip("sit", &full(true));
        assert_eq!(full(false).0.len(), IPIP.keys().len());
        assert_eq!(full(true).0.len(), SIT.keys().len());
        assert_keys_cover("ipip", IPIP_FIELDS);
        assert_keys_cover("sit", SIT_FIELDS);
        let mut s = Settings::new();
        s.set_str("mode", "any").set_bool("isatap", false);
        assert_roundtrip("sit", &s);
        let d = encoded("sit", &full(true));
        let a: Vec<_> = attrs(&d).map(|a| a.unwrap()).collect();
        assert!(a.contains(&(IFLA_IPTUN_PROTO, &[41][..])));
        assert!(a.contains(&(IFLA_IPTUN_REMOTE, &[198, 51, 100, 1][..])));
        assert!(a.contains(&(IFLA_IPTUN_FLAGS, &1u16.to_ne_bytes()[..])));
    }

    #[test]
    fn rejects_bad_values() {
        let base = Settings::new();
        for kind in ["ipip", "sit"] {
            assert_rejects(kind, &with(&base, "local", Value::Str("2001:db8::1".into())), "local");
            assert_rejects(kind, &with(&base, "remote", Value::Int(1)), "remote");
            assert_rejects(kind, &with(&base, "ttl", Value::Int(300)), "ttl");
            assert_rejects(kind, &with(&base, "tos", Value::Int(-1)), "tos");
            assert_rejects(kind, &with(&base, "pmtudisc", Value::Int(1)), "pmtudisc");
            assert_rejects(kind, &with(&base, "dev", Value::Int(-3)), "dev");
            assert_rejects(kind, &with(&base, "mode", Value::Str("gre".into())), "mode");
        }
        assert_rejects("ipip", &with(&base, "mode", Value::Str("ip6ip".into())), "mode");
        assert_rejects("ipip", &with(&base, "isatap", Value::Bool(true)), "isatap");
        assert_rejects("sit", &with(&base, "isatap", Value::Str("on".into())), "isatap");
    }

    #[test]
    fn decode_survives_garbage() {
        assert_decode_survives("ipip", &full(false), true);
        assert_decode_survives("sit", &full(true), true);
    }
}
