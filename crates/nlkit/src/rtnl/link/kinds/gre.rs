//! GRE tunnels: gre and gretap over IPv4, ip6gre and ip6gretap over IPv6, all with the
//! IFLA_GRE_* attributes.
//!
//! Keys (both families): `dev` (underlay interface index), `local`, `remote` (addresses of
//! the tunnel's family), `ttl` (hop limit for ip6gre; 0 = inherit), `ikey` / `okey` (GRE keys
//! as 32-bit integers; on the wire in network byte order, and giving one sets GRE_KEY in the
//! matching flags), `iseq` / `oseq` (GRE_SEQ), `icsum` / `ocsum` (GRE_CSUM), `fwmark`,
//! `external` (collect metadata). The flag words (IFLA_GRE_IFLAGS / OFLAGS, be16) are built
//! from the keys given for that direction: giving any of `ikey`, `iseq`, `icsum` sends the
//! whole input flag word, so one not given is off.
//!
//! IPv4 only: `tos` (1 = inherit, as `ip` sends it), `pmtudisc`, `ignoreDf`.
//! IPv6 only: `encapLimit`, `tclass` and `flowlabel` (together the be32 IFLA_GRE_FLOWINFO).

use std::net::IpAddr;

use super::common::{decode_field, encode_fields, ip, ip_from, Field, Int, IFINDEX_MAX};
use super::{EncodeCtx, LinkKind};
use crate::rtnl::settings::Settings;
use crate::wire::{attrs, MsgBuilder};

const IFLA_GRE_LINK: u16 = 1;
const IFLA_GRE_IFLAGS: u16 = 2;
const IFLA_GRE_OFLAGS: u16 = 3;
const IFLA_GRE_IKEY: u16 = 4;
const IFLA_GRE_OKEY: u16 = 5;
const IFLA_GRE_LOCAL: u16 = 6;
const IFLA_GRE_REMOTE: u16 = 7;
const IFLA_GRE_TTL: u16 = 8;
const IFLA_GRE_TOS: u16 = 9;
const IFLA_GRE_PMTUDISC: u16 = 10;
const IFLA_GRE_ENCAP_LIMIT: u16 = 11;
const IFLA_GRE_FLOWINFO: u16 = 12;
const IFLA_GRE_COLLECT_METADATA: u16 = 18;
const IFLA_GRE_IGNORE_DF: u16 = 19;
const IFLA_GRE_FWMARK: u16 = 20;

/// GRE header flag bits (host values; sent as be16).
const GRE_CSUM: u16 = 0x8000;
const GRE_KEY: u16 = 0x2000;
const GRE_SEQ: u16 = 0x1000;

const IP6_FLOWINFO_TCLASS_SHIFT: u32 = 20;
const IP6_FLOWINFO_FLOWLABEL: u32 = 0x000f_ffff;

static COMMON: &[Field] = &[
    Field::int("dev", IFLA_GRE_LINK, Int::U32).range(1, IFINDEX_MAX),
    Field::int("ttl", IFLA_GRE_TTL, Int::U8),
    Field::int("fwmark", IFLA_GRE_FWMARK, Int::U32),
    Field::flag("external", IFLA_GRE_COLLECT_METADATA),
];

static V4: &[Field] = &[
    Field::int("tos", IFLA_GRE_TOS, Int::U8),
    Field::bool("pmtudisc", IFLA_GRE_PMTUDISC, Int::U8),
    Field::bool("ignoreDf", IFLA_GRE_IGNORE_DF, Int::U8),
];

static V6: &[Field] = &[Field::int("encapLimit", IFLA_GRE_ENCAP_LIMIT, Int::U8)];

/// (direction's flags attribute, key attribute, key, seq, csum)
const DIRS: [(u16, u16, &str, &str, &str); 2] =
    [(IFLA_GRE_IFLAGS, IFLA_GRE_IKEY, "ikey", "iseq", "icsum"), (IFLA_GRE_OFLAGS, IFLA_GRE_OKEY, "okey", "oseq", "ocsum")];

const KEYS_V4: &[&str] = &[
    "dev", "local", "remote", "ttl", "tos", "pmtudisc", "ignoreDf", "fwmark", "external", "ikey", "okey", "iseq", "oseq", "icsum", "ocsum",
];

const KEYS_V6: &[&str] = &[
    "dev",
    "local",
    "remote",
    "ttl",
    "encapLimit",
    "tclass",
    "flowlabel",
    "fwmark",
    "external",
    "ikey",
    "okey",
    "iseq",
    "oseq",
    "icsum",
    "ocsum",
];

/// One of the four GRE kinds.
pub struct Gre {
    kind: &'static str,
    v6: bool,
}

pub const GRE: Gre = Gre { kind: "gre", v6: false };
pub const GRETAP: Gre = Gre { kind: "gretap", v6: false };
pub const IP6GRE: Gre = Gre { kind: "ip6gre", v6: true };
pub const IP6GRETAP: Gre = Gre { kind: "ip6gretap", v6: true };

impl Gre {
    fn family_fields(&self) -> &'static [Field] {
        if self.v6 {
            V6
        } else {
            V4
        }
    }

    fn addr(&self, s: &Settings, key: &str) -> Result<Option<IpAddr>, String> {
        match ip(s, key)? {
            Some(a) if a.is_ipv6() != self.v6 => {
                Err(format!("{key} must be an {} address for {}, got {a}", if self.v6 { "IPv6" } else { "IPv4" }, self.kind))
            }
            a => Ok(a),
        }
    }
}

impl LinkKind for Gre {
    fn kind(&self) -> &'static str {
        self.kind
    }

    fn keys(&self) -> &'static [&'static str] {
        if self.v6 {
            KEYS_V6
        } else {
            KEYS_V4
        }
    }

    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _ctx: &mut EncodeCtx) -> Result<(), String> {
        encode_fields(COMMON, s, b)?;
        encode_fields(self.family_fields(), s, b)?;
        for (attr, key) in [(IFLA_GRE_LOCAL, "local"), (IFLA_GRE_REMOTE, "remote")] {
            match self.addr(s, key)? {
                Some(IpAddr::V4(a)) => b.attr(attr, &a.octets()),
                Some(IpAddr::V6(a)) => b.attr(attr, &a.octets()),
                None => continue,
            };
        }
        for (flags_attr, key_attr, key, seq, csum) in DIRS {
            let k = s.u32(key)?;
            let seq = s.bool(seq)?;
            let csum = s.bool(csum)?;
            if k.is_some() || seq.is_some() || csum.is_some() {
                let mut f = 0u16;
                if k.is_some() {
                    f |= GRE_KEY;
                }
                if seq == Some(true) {
                    f |= GRE_SEQ;
                }
                if csum == Some(true) {
                    f |= GRE_CSUM;
                }
                b.attr(flags_attr, &f.to_be_bytes());
            }
            if let Some(k) = k {
                b.attr(key_attr, &k.to_be_bytes());
            }
        }
        if self.v6 {
            let tclass = s.u8("tclass")?;
            let label = s.int("flowlabel", 0, IP6_FLOWINFO_FLOWLABEL as i64)?;
            if tclass.is_some() || label.is_some() {
                let fi = (tclass.unwrap_or(0) as u32) << IP6_FLOWINFO_TCLASS_SHIFT | label.unwrap_or(0) as u32;
                b.attr(IFLA_GRE_FLOWINFO, &fi.to_be_bytes());
            }
        }
        Ok(())
    }

    fn decode(&self, data: &[u8]) -> Settings {
        let mut out = Settings::new();
        // Keys are reported whatever the flags; they count only with GRE_KEY set.
        let mut flags: [Option<u16>; 2] = [None, None];
        let mut keys: [Option<u32>; 2] = [None, None];
        for (ty, v) in attrs(data).map_while(Result::ok) {
            if decode_field(COMMON, ty, v, &mut out) || decode_field(self.family_fields(), ty, v, &mut out) {
                continue;
            }
            match ty {
                IFLA_GRE_LOCAL | IFLA_GRE_REMOTE => {
                    let key = if ty == IFLA_GRE_LOCAL { "local" } else { "remote" };
                    // The kernel always reports both; the unspecified address means "any".
                    if let Some(a) = ip_from(v).filter(|a| a.is_ipv6() == self.v6 && !a.is_unspecified()) {
                        out.set_str(key, a.to_string());
                    }
                }
                IFLA_GRE_IFLAGS | IFLA_GRE_OFLAGS if v.len() >= 2 => {
                    flags[(ty - IFLA_GRE_IFLAGS) as usize] = Some(u16::from_be_bytes([v[0], v[1]]));
                }
                IFLA_GRE_IKEY | IFLA_GRE_OKEY if v.len() >= 4 => {
                    keys[(ty - IFLA_GRE_IKEY) as usize] = Some(u32::from_be_bytes([v[0], v[1], v[2], v[3]]));
                }
                IFLA_GRE_FLOWINFO if self.v6 && v.len() >= 4 => {
                    let fi = u32::from_be_bytes([v[0], v[1], v[2], v[3]]);
                    out.set_int("tclass", (fi >> IP6_FLOWINFO_TCLASS_SHIFT) & 0xff);
                    out.set_int("flowlabel", fi & IP6_FLOWINFO_FLOWLABEL);
                }
                _ => {}
            }
        }
        for (i, (_, _, key, seq, csum)) in DIRS.iter().enumerate() {
            let Some(f) = flags[i] else { continue };
            out.set_bool(seq, f & GRE_SEQ != 0);
            out.set_bool(csum, f & GRE_CSUM != 0);
            if let (true, Some(k)) = (f & GRE_KEY != 0, keys[i]) {
                out.set_int(key, k);
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

    fn full_v4() -> Settings {
        let mut s = Settings::new();
        s.set_int("dev", 2)
            .set_str("local", "10.0.0.1")
            .set_str("remote", "10.0.0.2")
            .set_int("ttl", 64)
            .set_int("tos", 1)
            .set_bool("pmtudisc", true)
            .set_bool("ignoreDf", false)
            .set_int("fwmark", 0x100)
            .set_bool("external", true)
            .set_int("ikey", 42)
            .set_int("okey", 0xdead_beef_u32)
            .set_bool("iseq", true)
            .set_bool("oseq", false)
            .set_bool("icsum", false)
            .set_bool("ocsum", true);
        s
    }

    fn full_v6() -> Settings {
        let mut s = Settings::new();
        s.set_int("dev", 2)
            .set_str("local", "2001:db8::1")
            .set_str("remote", "2001:db8::2")
            .set_int("ttl", 255)
            .set_int("encapLimit", 4)
            .set_int("tclass", 0xb8)
            .set_int("flowlabel", 0xfffff)
            .set_int("fwmark", 7)
            .set_bool("external", true)
            .set_int("ikey", 1)
            .set_int("okey", 2)
            .set_bool("iseq", false)
            .set_bool("oseq", true)
            .set_bool("icsum", true)
            .set_bool("ocsum", false);
        s
    }

    #[test]
    fn roundtrip_full() {
        for kind in ["gre", "gretap"] {
            assert_roundtrip(kind, &full_v4());
            assert_eq!(full_v4().0.len(), GRE.keys().len());
            assert_keys_cover(kind, COMMON);
            assert_keys_cover(kind, V4);
        }
        for kind in ["ip6gre", "ip6gretap"] {
            assert_roundtrip(kind, &full_v6());
            assert_eq!(full_v6().0.len(), IP6GRE.keys().len());
            assert_keys_cover(kind, COMMON);
            assert_keys_cover(kind, V6);
        }
        // Flags without keys.
        let mut s = Settings::new();
        s.set_bool("iseq", true).set_bool("icsum", false);
        assert_roundtrip("gre", &s);
    }

    #[test]
    fn wire_format() {
        let mut s = Settings::new();
        s.set_int("ikey", 42).set_bool("ocsum", true);
        let d = encoded("gre", &s);
        let a: Vec<_> = attrs(&d).map(|a| a.unwrap()).collect();
        // iflags = GRE_KEY (be16 0x2000), ikey be32, oflags = GRE_CSUM, no okey.
        assert_eq!(a, vec![(IFLA_GRE_IFLAGS, &[0x20, 0][..]), (IFLA_GRE_IKEY, &[0, 0, 0, 42][..]), (IFLA_GRE_OFLAGS, &[0x80, 0][..])]);
        let mut s = Settings::new();
        s.set_int("tclass", 0x12).set_int("flowlabel", 0x34567);
        let d = encoded("ip6gre", &s);
        let a: Vec<_> = attrs(&d).map(|a| a.unwrap()).collect();
        assert_eq!(a, vec![(IFLA_GRE_FLOWINFO, &[0x01, 0x23, 0x45, 0x67][..])]);
        // A key reported without GRE_KEY does not count; the unspecified address means none.
        let mut b = MsgBuilder::new(0, 0);
        b.attr(IFLA_GRE_IFLAGS, &[0, 0]).attr(IFLA_GRE_IKEY, &[0, 0, 0, 9]).attr(IFLA_GRE_LOCAL, &[0, 0, 0, 0]);
        let m = b.finish();
        let d = GRE.decode(&m[16..]);
        assert_eq!(d.get("ikey"), None);
        assert_eq!(d.get("local"), None);
        assert_eq!(d.get("iseq"), Some(&Value::Bool(false)));
    }

    #[test]
    fn rejects_bad_values() {
        let base = Settings::new();
        for kind in ["gre", "gretap", "ip6gre", "ip6gretap"] {
            assert_rejects(kind, &with(&base, "ikey", Value::Int(-1)), "ikey");
            assert_rejects(kind, &with(&base, "okey", Value::Int(1 << 32)), "okey");
            assert_rejects(kind, &with(&base, "ikey", Value::Str("1.2.3.4".into())), "ikey");
            assert_rejects(kind, &with(&base, "iseq", Value::Int(1)), "iseq");
            assert_rejects(kind, &with(&base, "ttl", Value::Int(256)), "ttl");
            assert_rejects(kind, &with(&base, "dev", Value::Int(0)), "dev");
            assert_rejects(kind, &with(&base, "remote", Value::Str("nowhere".into())), "remote");
            assert_rejects(kind, &with(&base, "iflags", Value::Int(0)), "iflags");
        }
        for kind in ["gre", "gretap"] {
            assert_rejects(kind, &with(&base, "local", Value::Str("2001:db8::1".into())), "local");
            assert_rejects(kind, &with(&base, "tos", Value::Int(-1)), "tos");
            assert_rejects(kind, &with(&base, "pmtudisc", Value::Str("yes".into())), "pmtudisc");
            assert_rejects(kind, &with(&base, "tclass", Value::Int(0)), "tclass");
        }
        for kind in ["ip6gre", "ip6gretap"] {
            assert_rejects(kind, &with(&base, "remote", Value::Str("10.0.0.1".into())), "remote");
            assert_rejects(kind, &with(&base, "flowlabel", Value::Int(1 << 20)), "flowlabel");
            assert_rejects(kind, &with(&base, "tclass", Value::Int(256)), "tclass");
            assert_rejects(kind, &with(&base, "pmtudisc", Value::Bool(true)), "pmtudisc");
        }
    }

    #[test]
    fn decode_survives_garbage() {
        assert_decode_survives("gre", &full_v4(), true);
        assert_decode_survives("gretap", &full_v4(), true);
        assert_decode_survives("ip6gre", &full_v6(), true);
        assert_decode_survives("ip6gretap", &full_v6(), true);
    }
}
