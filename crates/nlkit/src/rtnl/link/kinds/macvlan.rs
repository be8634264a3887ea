//! macvlan and macvtap (the same IFLA_MACVLAN_* attributes). The parent link is the request's
//! IFLA_LINK (`LinkSpec.link`), not a setting.
//!
//! Keys: `mode` ('private' | 'vepa' | 'bridge' | 'passthru' | 'source'), `nopromisc` and
//! `nodst` (the MACVLAN_FLAG_* bits; when either is given the whole flag word is sent, so a
//! flag not given is cleared), `bcqueuelen` (broadcast queue length requested), and
//! `macaddrData` (mode 'source' only: the list of source MAC addresses, replacing the current
//! list; decoded in sorted order, the kernel keeping no order).

use super::common::{decode_field, encode_fields, fmt_mac, list, mac, Field, Int};
use super::{EncodeCtx, LinkKind};
use crate::rtnl::settings::{Settings, Value};
use crate::wire::{attrs, MsgBuilder};

const IFLA_MACVLAN_MODE: u16 = 1;
const IFLA_MACVLAN_FLAGS: u16 = 2;
const IFLA_MACVLAN_MACADDR_MODE: u16 = 3;
const IFLA_MACVLAN_MACADDR: u16 = 4;
const IFLA_MACVLAN_MACADDR_DATA: u16 = 5;
const IFLA_MACVLAN_BC_QUEUE_LEN: u16 = 7;

const MACVLAN_FLAG_NOPROMISC: u16 = 1;
const MACVLAN_FLAG_NODST: u16 = 2;
const MACVLAN_MACADDR_SET: u32 = 3;

/// A generous bound on the source-address list (one attribute holds at most 64 KiB).
const MAX_MACADDRS: usize = 4096;

static FIELDS: &[Field] = &[
    Field::choice("mode", IFLA_MACVLAN_MODE, Int::U32, &[("private", 1), ("vepa", 2), ("bridge", 4), ("passthru", 8), ("source", 16)]),
    Field::int("bcqueuelen", IFLA_MACVLAN_BC_QUEUE_LEN, Int::U32),
];

const FLAGS: &[(&str, u16)] = &[("nopromisc", MACVLAN_FLAG_NOPROMISC), ("nodst", MACVLAN_FLAG_NODST)];

const KEYS: &[&str] = &["mode", "nopromisc", "nodst", "bcqueuelen", "macaddrData"];

fn encode(s: &Settings, b: &mut MsgBuilder) -> Result<(), String> {
    encode_fields(FIELDS, s, b)?;
    let mut flags = None;
    for (key, bit) in FLAGS {
        if let Some(on) = s.bool(key)? {
            let f = flags.get_or_insert(0u16);
            if on {
                *f |= bit;
            }
        }
    }
    if let Some(f) = flags {
        b.attr(IFLA_MACVLAN_FLAGS, &f.to_ne_bytes());
    }
    if let Some(l) = list(s, "macaddrData")? {
        if l.len() > MAX_MACADDRS {
            return Err(format!("macaddrData takes at most {MAX_MACADDRS} addresses"));
        }
        let mut macs = Vec::with_capacity(l.len());
        for v in l {
            match v {
                Value::Str(m) => macs.push(mac("macaddrData", m)?),
                _ => return Err("macaddrData must be a list of MAC addresses".into()),
            }
        }
        b.attr_u32(IFLA_MACVLAN_MACADDR_MODE, MACVLAN_MACADDR_SET);
        let at = b.nest_start(IFLA_MACVLAN_MACADDR_DATA);
        for m in &macs {
            b.attr(IFLA_MACVLAN_MACADDR, m);
        }
        b.nest_end(at);
    }
    Ok(())
}

fn decode(data: &[u8]) -> Settings {
    let mut out = Settings::new();
    for (ty, v) in attrs(data).map_while(Result::ok) {
        if decode_field(FIELDS, ty, v, &mut out) {
            continue;
        }
        match ty {
            IFLA_MACVLAN_FLAGS if v.len() >= 2 => {
                let f = u16::from_ne_bytes([v[0], v[1]]);
                for (key, bit) in FLAGS {
                    out.set_bool(key, f & bit != 0);
                }
            }
            IFLA_MACVLAN_MACADDR_DATA => {
                // The kernel keeps them in a hash table: sorted, the order is stable.
                let mut macs: Vec<String> = attrs(v)
                    .map_while(Result::ok)
                    .filter(|(t, m)| *t == IFLA_MACVLAN_MACADDR && m.len() == 6)
                    .take(MAX_MACADDRS)
                    .map(|(_, m)| fmt_mac(m))
                    .collect();
                macs.sort();
                out.set("macaddrData", Value::List(macs.into_iter().map(Value::Str).collect()));
            }
            _ => {}
        }
    }
    out
}

pub struct Macvlan;
pub struct Macvtap;

impl LinkKind for Macvlan {
    fn kind(&self) -> &'static str {
        "macvlan"
    }
    fn keys(&self) -> &'static [&'static str] {
        KEYS
    }
    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _ctx: &mut EncodeCtx) -> Result<(), String> {
        encode(s, b)
    }
    fn decode(&self, data: &[u8]) -> Settings {
        decode(data)
    }
}

impl LinkKind for Macvtap {
    fn kind(&self) -> &'static str {
        "macvtap"
    }
    fn keys(&self) -> &'static [&'static str] {
        KEYS
    }
    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _ctx: &mut EncodeCtx) -> Result<(), String> {
        encode(s, b)
    }
    fn decode(&self, data: &[u8]) -> Settings {
        decode(data)
    }
}

#[cfg(test)]
mod tests {
    use super::super::common::testing::*;
    use super::*;

    fn full() -> Settings {
        let mut s = Settings::new();
        s.set_str("mode", "source")
            .set_bool("nopromisc", true)
            .set_bool("nodst", false)
            .set_int("bcqueuelen", 500)
            .set("macaddrData", Value::List(vec![Value::Str("02:00:00:00:00:01".into()), Value::Str("02:00:00:00:00:0a".into())]));
        s
    }

    #[test]
    fn roundtrip_full() {
        for kind in ["macvlan", "macvtap"] {
            assert_roundtrip(kind, &full());
            for mode in ["private", "vepa", "bridge", "passthru"] {
                let mut s = Settings::new();
                s.set_str("mode", mode).set_bool("nopromisc", false).set_bool("nodst", true);
                assert_roundtrip(kind, &s);
            }
            assert_keys_cover(kind, FIELDS);
        }
    }

    #[test]
    fn wire_format() {
        let d = encoded("macvlan", &full());
        let a: Vec<_> = attrs(&d).map(|a| a.unwrap()).collect();
        assert_eq!(a[0], (IFLA_MACVLAN_MODE, &16u32.to_ne_bytes()[..]));
        assert_eq!(a[1], (IFLA_MACVLAN_BC_QUEUE_LEN, &500u32.to_ne_bytes()[..]));
        assert_eq!(a[2], (IFLA_MACVLAN_FLAGS, &1u16.to_ne_bytes()[..]));
        assert_eq!(a[3], (IFLA_MACVLAN_MACADDR_MODE, &3u32.to_ne_bytes()[..]));
        assert_eq!(a[4].0, IFLA_MACVLAN_MACADDR_DATA);
        let inner: Vec<_> = attrs(a[4].1).map(|a| a.unwrap()).collect();
        assert_eq!(inner, vec![(4, &[2, 0, 0, 0, 0, 1][..]), (4, &[2, 0, 0, 0, 0, 10][..])]);
    }

    #[test]
    fn rejects_bad_values() {
        let base = Settings::new();
        assert_rejects("macvlan", &with(&base, "mode", Value::Str("l2".into())), "mode");
        assert_rejects("macvtap", &with(&base, "mode", Value::Int(4)), "mode");
        assert_rejects("macvlan", &with(&base, "nopromisc", Value::Int(1)), "nopromisc");
        assert_rejects("macvlan", &with(&base, "bcqueuelen", Value::Int(-1)), "bcqueuelen");
        assert_rejects("macvlan", &with(&base, "bcqueuelen", Value::Int(1 << 32)), "bcqueuelen");
        assert_rejects("macvlan", &with(&base, "macaddrData", Value::Str("02:00:00:00:00:01".into())), "macaddrData");
        assert_rejects("macvlan", &with(&base, "macaddrData", Value::List(vec![Value::Int(1)])), "macaddrData");
        assert_rejects("macvlan", &with(&base, "macaddrData", Value::List(vec![Value::Str("02:00:00:00:01".into())])), "macaddrData");
        assert_rejects("macvlan", &with(&base, "flags", Value::Int(1)), "flags");
    }

    #[test]
    fn decode_survives_garbage() {
        assert_decode_survives("macvlan", &full(), true);
        assert_decode_survives("macvtap", &full(), true);
    }
}
