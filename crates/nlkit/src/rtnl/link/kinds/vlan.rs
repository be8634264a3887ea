//! vlan (802.1Q/802.1ad sub-interfaces, IFLA_VLAN_*). The parent is the request's IFLA_LINK.
//!
//! Keys: `id` (0-4094), `protocol` ('802.1Q' | '802.1ad', network byte order on the wire), the
//! VLAN_FLAG_* bits as booleans `reorderHdr`, `gvrp`, `mvrp`, `looseBinding`, `bridgeBinding`
//! (sent as IFLA_VLAN_FLAGS {flags, mask} with only the given bits in the mask, so the others
//! keep their value), and the priority maps `ingressQos` / `egressQos`: lists of
//! `{ from, to }` (ingress: VLAN priority 0-7 -> skb priority; egress: skb priority -> VLAN
//! priority 0-7). The kernel reports only mappings to a non-zero priority, so a `to: 0` entry
//! (which removes a mapping) does not read back.

use super::bridge::VLAN_PROTOCOLS;
use super::common::{decode_bits, decode_field, encode_bits, encode_fields, list, Field, Int};
use super::{EncodeCtx, LinkKind};
use crate::rtnl::settings::{Settings, Value};
use crate::wire::{attrs, MsgBuilder};

const IFLA_VLAN_ID: u16 = 1;
/// `struct ifla_vlan_flags { __u32 flags; __u32 mask; }`
const IFLA_VLAN_FLAGS: u16 = 2;
const IFLA_VLAN_EGRESS_QOS: u16 = 3;
const IFLA_VLAN_INGRESS_QOS: u16 = 4;
const IFLA_VLAN_PROTOCOL: u16 = 5;
/// `struct ifla_vlan_qos_mapping { __u32 from; __u32 to; }`
const IFLA_VLAN_QOS_MAPPING: u16 = 1;

const FLAGS: &[(&str, u32)] = &[("reorderHdr", 0x1), ("gvrp", 0x2), ("looseBinding", 0x4), ("mvrp", 0x8), ("bridgeBinding", 0x10)];

/// A map holds at most one entry per priority; more than this is a mistake.
const MAX_QOS: usize = 64;

static FIELDS: &[Field] =
    &[Field::int("id", IFLA_VLAN_ID, Int::U16).range(0, 4094), Field::choice("protocol", IFLA_VLAN_PROTOCOL, Int::Be16, VLAN_PROTOCOLS)];

/// (key, attribute, range of `from`, range of `to`)
const QOS: &[(&str, u16, u32, u32)] =
    &[("ingressQos", IFLA_VLAN_INGRESS_QOS, 7, u32::MAX), ("egressQos", IFLA_VLAN_EGRESS_QOS, u32::MAX, 7)];

pub struct Vlan;

impl LinkKind for Vlan {
    fn kind(&self) -> &'static str {
        "vlan"
    }

    fn keys(&self) -> &'static [&'static str] {
        &["id", "protocol", "reorderHdr", "gvrp", "mvrp", "looseBinding", "bridgeBinding", "ingressQos", "egressQos"]
    }

    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _ctx: &mut EncodeCtx) -> Result<(), String> {
        encode_fields(FIELDS, s, b)?;
        encode_bits(s, FLAGS, b, IFLA_VLAN_FLAGS)?;
        for &(key, attr, from_max, to_max) in QOS {
            let Some(l) = list(s, key)? else { continue };
            if l.len() > MAX_QOS {
                return Err(format!("{key} takes at most {MAX_QOS} mappings"));
            }
            let at = b.nest_start(attr);
            for m in l {
                let Value::Map(m) = m else {
                    return Err(format!("{key} must be a list of {{from, to}} objects"));
                };
                m.check_known(&["from", "to"]).map_err(|e| format!("{key}: {e}"))?;
                let from = m.int("from", 0, from_max as i64).map_err(|e| format!("{key}: {e}"))?;
                let to = m.int("to", 0, to_max as i64).map_err(|e| format!("{key}: {e}"))?;
                let (Some(from), Some(to)) = (from, to) else {
                    return Err(format!("{key}: each mapping needs from and to"));
                };
                let mut v = (from as u32).to_ne_bytes().to_vec();
                v.extend_from_slice(&(to as u32).to_ne_bytes());
                b.attr(IFLA_VLAN_QOS_MAPPING, &v);
            }
            b.nest_end(at);
        }
        Ok(())
    }

    fn decode(&self, data: &[u8]) -> Settings {
        let mut out = Settings::new();
        for (ty, v) in attrs(data).map_while(Result::ok) {
            if decode_field(FIELDS, ty, v, &mut out) {
                continue;
            }
            if ty == IFLA_VLAN_FLAGS {
                decode_bits(v, FLAGS, &mut out);
            } else if let Some(&(key, _, from_max, to_max)) = QOS.iter().find(|q| q.1 == ty) {
                let maps: Vec<Value> = attrs(v)
                    .map_while(Result::ok)
                    .filter(|(t, m)| *t == IFLA_VLAN_QOS_MAPPING && m.len() >= 8)
                    .map(|(_, m)| (u32::from_ne_bytes([m[0], m[1], m[2], m[3]]), u32::from_ne_bytes([m[4], m[5], m[6], m[7]])))
                    .filter(|&(from, to)| from <= from_max && to <= to_max)
                    .take(MAX_QOS)
                    .map(|(from, to)| {
                        let mut m = Settings::new();
                        m.set_int("from", from).set_int("to", to);
                        Value::Map(m)
                    })
                    .collect();
                out.set(key, Value::List(maps));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::common::testing::*;
    use super::*;

    fn qos(pairs: &[(i64, i64)]) -> Value {
        Value::List(
            pairs
                .iter()
                .map(|&(f, t)| {
                    let mut m = Settings::new();
                    m.set_int("from", f).set_int("to", t);
                    Value::Map(m)
                })
                .collect(),
        )
    }

    fn full() -> Settings {
        let mut s = Settings::new();
        s.set_int("id", 4094)
            .set_str("protocol", "802.1ad")
            .set_bool("reorderHdr", false)
            .set_bool("gvrp", true)
            .set_bool("mvrp", false)
            .set_bool("looseBinding", true)
            .set_bool("bridgeBinding", false)
            .set("ingressQos", qos(&[(0, 5), (7, 100)]))
            .set("egressQos", qos(&[(4_000_000_000, 3)]));
        s
    }

    #[test]
    fn roundtrip_full() {
        assert_roundtrip("vlan", &full());
        let mut s = Settings::new();
        s.set_int("id", 0).set_str("protocol", "802.1Q").set_bool("reorderHdr", true);
        assert_roundtrip("vlan", &s);
        assert_keys_cover("vlan", FIELDS);
        assert_eq!(full().0.len(), Vlan.keys().len());
    }

    #[test]
    fn wire_format() {
        let d = encoded("vlan", &full());
        let a: Vec<_> = attrs(&d).map(|a| a.unwrap()).collect();
        assert_eq!(a[0], (IFLA_VLAN_ID, &4094u16.to_ne_bytes()[..]));
        assert_eq!(a[1], (IFLA_VLAN_PROTOCOL, &[0x88, 0xa8][..]));
        // flags: gvrp | looseBinding; mask: all five.
        let mut f = 0x6u32.to_ne_bytes().to_vec();
        f.extend_from_slice(&0x1fu32.to_ne_bytes());
        assert_eq!(a[2], (IFLA_VLAN_FLAGS, &f[..]));
        assert_eq!(a[3].0, IFLA_VLAN_INGRESS_QOS);
        let inner: Vec<_> = attrs(a[3].1).map(|a| a.unwrap()).collect();
        assert_eq!(inner.len(), 2);
        assert_eq!(inner[1], (IFLA_VLAN_QOS_MAPPING, &[7, 0, 0, 0, 100, 0, 0, 0][..]));
        // Only the flags given are in the mask.
        let mut s = Settings::new();
        s.set_bool("mvrp", true);
        let d = encoded("vlan", &s);
        assert_eq!(d[4..], [8, 0, 0, 0, 8, 0, 0, 0]);
    }

    #[test]
    fn rejects_bad_values() {
        let base = Settings::new();
        assert_rejects("vlan", &with(&base, "id", Value::Int(4095)), "id");
        assert_rejects("vlan", &with(&base, "id", Value::Int(-1)), "id");
        assert_rejects("vlan", &with(&base, "id", Value::Bool(true)), "id");
        assert_rejects("vlan", &with(&base, "protocol", Value::Str("802.1q".into())), "protocol");
        assert_rejects("vlan", &with(&base, "gvrp", Value::Str("on".into())), "gvrp");
        assert_rejects("vlan", &with(&base, "ingressQos", qos(&[(8, 1)])), "ingressQos");
        assert_rejects("vlan", &with(&base, "egressQos", qos(&[(1, 8)])), "egressQos");
        assert_rejects("vlan", &with(&base, "egressQos", qos(&[(-1, 1)])), "egressQos");
        assert_rejects("vlan", &with(&base, "egressQos", Value::List(vec![Value::Int(1)])), "egressQos");
        let mut half = Settings::new();
        half.set_int("from", 1);
        assert_rejects("vlan", &with(&base, "egressQos", Value::List(vec![Value::Map(half)])), "egressQos");
        assert_rejects("vlan", &with(&base, "flags", Value::Int(1)), "flags");
    }

    #[test]
    fn decode_survives_garbage() {
        assert_decode_survives("vlan", &full(), true);
    }
}
