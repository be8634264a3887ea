//! Shared by the kind modules. Most of IFLA_INFO_DATA is flat scalars (u8/u16/u32/u64, some in
//! network byte order, some 0/1 booleans, some enumerations), so those are described by a
//! [`Field`] table and encoded/decoded here; each module handles its structured attributes
//! (addresses, nests, flag words) itself.
//!
//! Encoding checks each value against the field's range or choices and fails naming the key.
//! Decoding keeps only what encoding would accept: a value out of range, an unknown enumeration
//! value or an attribute too short for its type is left out (never a panic).

use std::net::{IpAddr, Ipv4Addr};

use crate::rtnl::settings::{Settings, Value};
use crate::wire::{attrs, MsgBuilder};

/// Width and byte order of an integer attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Int {
    U8,
    U16,
    U32,
    U64,
    /// Network byte order (`__be16`).
    Be16,
    /// Network byte order (`__be32`).
    Be32,
}

impl Int {
    const fn max(self) -> i64 {
        match self {
            Int::U8 => u8::MAX as i64,
            Int::U16 | Int::Be16 => u16::MAX as i64,
            Int::U32 | Int::Be32 => u32::MAX as i64,
            Int::U64 => i64::MAX,
        }
    }

    pub fn put(self, b: &mut MsgBuilder, attr: u16, v: u64) {
        match self {
            Int::U8 => b.attr(attr, &[v as u8]),
            Int::U16 => b.attr(attr, &(v as u16).to_ne_bytes()),
            Int::Be16 => b.attr(attr, &(v as u16).to_be_bytes()),
            Int::U32 => b.attr(attr, &(v as u32).to_ne_bytes()),
            Int::Be32 => b.attr(attr, &(v as u32).to_be_bytes()),
            Int::U64 => b.attr(attr, &v.to_ne_bytes()),
        };
    }

    /// The value, or `None` when the attribute is shorter than the type.
    pub fn get(self, v: &[u8]) -> Option<u64> {
        fn arr<const N: usize>(v: &[u8]) -> Option<[u8; N]> {
            v.get(..N)?.try_into().ok()
        }
        Some(match self {
            Int::U8 => *v.first()? as u64,
            Int::U16 => u16::from_ne_bytes(arr(v)?) as u64,
            Int::Be16 => u16::from_be_bytes(arr(v)?) as u64,
            Int::U32 => u32::from_ne_bytes(arr(v)?) as u64,
            Int::Be32 => u32::from_be_bytes(arr(v)?) as u64,
            Int::U64 => u64::from_ne_bytes(arr(v)?),
        })
    }
}

/// How a setting travels.
#[derive(Debug, Clone, Copy)]
pub enum Wire {
    /// An integer setting within the field's `[min, max]`.
    Int(Int),
    /// A boolean setting sent as 0/1 (any non-zero value decodes as true).
    Bool(Int),
    /// NLA_FLAG: `true` sends the empty attribute, `false` sends nothing; decodes as `true` when
    /// present and is absent otherwise.
    Flag,
    /// A 6-byte MAC address as `aa:bb:cc:dd:ee:ff`.
    Mac,
    /// A string setting naming one of the values.
    Choice(Int, &'static [(&'static str, u64)]),
}

#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub key: &'static str,
    pub attr: u16,
    pub wire: Wire,
    pub min: i64,
    pub max: i64,
}

impl Field {
    pub const fn int(key: &'static str, attr: u16, ty: Int) -> Field {
        Field { key, attr, wire: Wire::Int(ty), min: 0, max: ty.max() }
    }

    pub const fn bool(key: &'static str, attr: u16, ty: Int) -> Field {
        Field { key, attr, wire: Wire::Bool(ty), min: 0, max: 1 }
    }

    pub const fn flag(key: &'static str, attr: u16) -> Field {
        Field { key, attr, wire: Wire::Flag, min: 0, max: 1 }
    }

    pub const fn mac(key: &'static str, attr: u16) -> Field {
        Field { key, attr, wire: Wire::Mac, min: 0, max: 0 }
    }

    pub const fn choice(key: &'static str, attr: u16, ty: Int, names: &'static [(&'static str, u64)]) -> Field {
        Field { key, attr, wire: Wire::Choice(ty, names), min: 0, max: 0 }
    }

    /// Narrows an integer field's range (the kernel's own limits, tighter than the wire type).
    pub const fn range(mut self, min: i64, max: i64) -> Field {
        self.min = min;
        self.max = max;
        self
    }
}

/// Writes every field present in `s`.
pub fn encode_fields(fields: &[Field], s: &Settings, b: &mut MsgBuilder) -> Result<(), String> {
    for f in fields {
        match f.wire {
            Wire::Int(t) => {
                if let Some(v) = s.int(f.key, f.min, f.max)? {
                    t.put(b, f.attr, v as u64);
                }
            }
            Wire::Bool(t) => {
                if let Some(v) = s.bool(f.key)? {
                    t.put(b, f.attr, v as u64);
                }
            }
            Wire::Flag => {
                if s.bool(f.key)? == Some(true) {
                    b.attr(f.attr, &[]);
                }
            }
            Wire::Mac => {
                if let Some(m) = s.str(f.key)? {
                    b.attr(f.attr, &mac(f.key, m)?);
                }
            }
            Wire::Choice(t, names) => {
                if let Some(v) = s.choice(f.key, names)? {
                    t.put(b, f.attr, v);
                }
            }
        }
    }
    Ok(())
}

/// Encodes boolean settings as one `{ value: u32, mask: u32 }` attribute (vlan flags, bridge
/// boolopts): only the bits given are in the mask, so the others keep their value.
pub fn encode_bits(s: &Settings, bits: &[(&str, u32)], b: &mut MsgBuilder, attr: u16) -> Result<(), String> {
    let (mut val, mut mask) = (0u32, 0u32);
    for (key, bit) in bits {
        if let Some(on) = s.bool(key)? {
            mask |= bit;
            if on {
                val |= bit;
            }
        }
    }
    if mask != 0 {
        let mut v = val.to_ne_bytes().to_vec();
        v.extend_from_slice(&mask.to_ne_bytes());
        b.attr(attr, &v);
    }
    Ok(())
}

/// Decodes a `{ value, mask }` attribute: a setting for each bit in the mask.
pub fn decode_bits(v: &[u8], bits: &[(&str, u32)], out: &mut Settings) {
    if v.len() < 8 {
        return;
    }
    let val = u32::from_ne_bytes([v[0], v[1], v[2], v[3]]);
    let mask = u32::from_ne_bytes([v[4], v[5], v[6], v[7]]);
    for (key, bit) in bits {
        if mask & bit != 0 {
            out.set_bool(key, val & bit != 0);
        }
    }
}

/// Decodes attribute `(ty, v)` into `out` if it is one of `fields`. Returns whether it was one
/// (even when its value was unusable and left out).
pub fn decode_field(fields: &[Field], ty: u16, v: &[u8], out: &mut Settings) -> bool {
    let Some(f) = fields.iter().find(|f| f.attr == ty) else { return false };
    match f.wire {
        Wire::Int(t) => {
            if let Some(x) = t.get(v).and_then(|x| i64::try_from(x).ok()) {
                if (f.min..=f.max).contains(&x) {
                    out.set_int(f.key, x);
                }
            }
        }
        Wire::Bool(t) => {
            if let Some(x) = t.get(v) {
                out.set_bool(f.key, x != 0);
            }
        }
        Wire::Flag => {
            // Set by presence on input; some (vxlan's TTL_INHERIT) are dumped as a 0/1 byte.
            out.set_bool(f.key, v.first().is_none_or(|b| *b != 0));
        }
        Wire::Mac => {
            if v.len() == 6 {
                out.set_str(f.key, fmt_mac(v));
            }
        }
        Wire::Choice(t, names) => {
            if let Some((n, _)) = t.get(v).and_then(|x| names.iter().find(|(_, c)| *c == x)) {
                out.set_str(f.key, *n);
            }
        }
    }
    true
}

/// Decodes a kind whose data is nothing but `fields`.
pub fn decode_fields(fields: &[Field], data: &[u8]) -> Settings {
    let mut out = Settings::new();
    for (ty, v) in attrs(data).map_while(Result::ok) {
        decode_field(fields, ty, v, &mut out);
    }
    out
}

/// Removes a key (a later attribute overriding an earlier one, e.g. `group` vs `remote`).
pub fn remove(s: &mut Settings, key: &str) {
    s.0.retain(|(k, _)| k != key);
}

/// A 6-byte MAC address setting.
pub fn mac(key: &str, s: &str) -> Result<Vec<u8>, String> {
    crate::rtnl::link::parse_mac(s)
        .filter(|m| m.len() == 6)
        .ok_or_else(|| format!("{key} must be a MAC address (aa:bb:cc:dd:ee:ff), got {s:?}"))
}

pub fn fmt_mac(v: &[u8]) -> String {
    v.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(":")
}

/// An IPv4 or IPv6 address setting.
pub fn ip(s: &Settings, key: &str) -> Result<Option<IpAddr>, String> {
    match s.str(key)? {
        None => Ok(None),
        Some(a) => a.parse().map(Some).map_err(|_| format!("{key} must be an IPv4 or IPv6 address, got {a:?}")),
    }
}

pub fn ipv4(s: &Settings, key: &str) -> Result<Option<Ipv4Addr>, String> {
    match s.str(key)? {
        None => Ok(None),
        Some(a) => a.parse().map(Some).map_err(|_| format!("{key} must be an IPv4 address, got {a:?}")),
    }
}

pub fn ip_bytes(a: &IpAddr) -> Vec<u8> {
    match a {
        IpAddr::V4(a) => a.octets().to_vec(),
        IpAddr::V6(a) => a.octets().to_vec(),
    }
}

/// An address attribute of exactly 4 or 16 bytes.
pub fn ip_from(v: &[u8]) -> Option<IpAddr> {
    if let Ok(a) = <[u8; 4]>::try_from(v) {
        Some(IpAddr::V4(a.into()))
    } else if let Ok(a) = <[u8; 16]>::try_from(v) {
        Some(IpAddr::V6(a.into()))
    } else {
        None
    }
}

/// A list setting (`Value::List`).
pub fn list<'a>(s: &'a Settings, key: &str) -> Result<Option<&'a [Value]>, String> {
    match s.get(key) {
        None => Ok(None),
        Some(Value::List(l)) => Ok(Some(l)),
        Some(_) => Err(format!("{key} must be a list")),
    }
}

/// An interface index setting (`dev`, `activeSlave`): a positive i32.
pub const IFINDEX_MAX: i64 = i32::MAX as i64;

#[cfg(test)]
pub mod testing {
    //! Helpers for the kinds' unit tests.

    use super::super::{encode, lookup, EncodeCtx};
    use crate::rtnl::settings::Settings;
    use crate::wire::{MsgBuilder, NLA_F_NESTED, NLMSG_HDRLEN};

    /// Sorted by key: decode emits attributes in wire order, which need not be the order the
    /// settings were written in.
    pub fn sorted(s: &Settings) -> Settings {
        let mut v = s.0.clone();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        Settings(v)
    }

    /// Encode -> decode gives back exactly `s`.
    pub fn assert_roundtrip(kind: &str, s: &Settings) {
        let back = super::super::roundtrip(kind, s);
        assert_eq!(sorted(&back), sorted(s), "{kind}: round trip");
    }

    /// Encoding fails, with a message containing `needle` (the offending key).
    pub fn assert_rejects(kind: &str, s: &Settings, needle: &str) {
        let mut b = MsgBuilder::new(0, 0);
        let mut ctx = EncodeCtx::default();
        match encode(kind, s, &mut b, &mut ctx) {
            Ok(_) => panic!("{kind}: {s:?} was accepted"),
            Err(e) => assert!(e.contains(needle), "{kind}: error {e:?} does not mention {needle:?}"),
        }
    }

    /// `s` with one more key.
    pub fn with(s: &Settings, key: &str, v: crate::rtnl::settings::Value) -> Settings {
        let mut s = s.clone();
        s.set(key, v);
        s
    }

    /// The encoded IFLA_INFO_DATA content of `s`.
    pub fn encoded(kind: &str, s: &Settings) -> Vec<u8> {
        let mut b = MsgBuilder::new(0, 0);
        let mut ctx = EncodeCtx::default();
        encode(kind, s, &mut b, &mut ctx).expect("encode");
        b.finish()[NLMSG_HDRLEN..].to_vec()
    }

    /// Whatever decode makes of `data` must not panic, and must be accepted by encode (decode
    /// only produces settings encode takes).
    fn decode_is_encodable(kind: &str, data: &[u8]) {
        let k = lookup(kind).expect("registered kind");
        let s = k.decode(data);
        s.check_known(k.keys()).unwrap_or_else(|e| panic!("{kind}: decode gave {e}"));
        let mut b = MsgBuilder::new(0, 0);
        let mut ctx = EncodeCtx::default();
        if let Err(e) = k.encode(&s, &mut b, &mut ctx) {
            panic!("{kind}: decode of {data:?} gave {s:?}, which encode rejects: {e}");
        }
    }

    fn attr(ty: u16, v: &[u8]) -> Vec<u8> {
        let mut out = ((4 + v.len()) as u16).to_ne_bytes().to_vec();
        out.extend_from_slice(&ty.to_ne_bytes());
        out.extend_from_slice(v);
        while !out.len().is_multiple_of(4) {
            out.push(0);
        }
        out
    }

    /// Truncated and garbage input: every prefix of a valid encoding, every attribute type
    /// with every short length (plain and as a nest of garbage), lying lengths, and
    /// pseudo-random bytes. `encode_ok` checks that what comes out is encodable too.
    pub fn assert_decode_survives(kind: &str, sample: &Settings, encode_ok: bool) {
        let k = lookup(kind).expect("registered kind");
        let check = |d: &[u8]| {
            if encode_ok {
                decode_is_encodable(kind, d);
            } else {
                let _ = k.decode(d);
            }
        };
        let full = encoded(kind, sample);
        for cut in 0..=full.len() {
            check(&full[..cut]);
        }
        // Each attribute value cut short (lengths rewritten so the framing stays valid).
        for ty in 0..64u16 {
            for len in 0..24usize {
                let v: Vec<u8> = (0..len).map(|i| (i as u8).wrapping_mul(37).wrapping_add(ty as u8)).collect();
                check(&attr(ty, &v));
                check(&attr(ty | NLA_F_NESTED, &attr(1, &v)));
                let mut nest = attr(0, &v);
                nest.extend(attr(1, &[0xff; 3]));
                check(&attr(ty, &nest));
                check(&attr(ty, &[0xff; 6][..len.min(6)]));
            }
        }
        // Lengths that lie.
        check(&[200, 0, 1, 0, 1, 2, 3, 4]);
        check(&[3, 0, 1, 0]);
        check(&[0, 0, 0, 0]);
        // Pseudo-random data (a fixed LCG, so failures reproduce).
        let mut x: u32 = 0x1234_5678;
        for n in 0..400usize {
            let len = n % 97;
            let d: Vec<u8> = (0..len)
                .map(|_| {
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    (x >> 16) as u8
                })
                .collect();
            check(&d);
            // The same bytes behind a well-formed header, so they reach the value decoders.
            let ty = (x >> 8) as u16 % 40;
            check(&attr(ty, &d));
        }
    }

    /// `ip link add NAME type KIND ...` as iproute2 6.1 sends it (`hex`, the whole RTM_NEWLINK
    /// captured with strace) equals nlkit's request for `s`, seq and pid zeroed in both; and
    /// the captured IFLA_INFO_DATA decodes back to `s`. Two framing differences are the same
    /// for every kind and the kernel takes both: nlkit marks the two nests NLA_F_NESTED and
    /// sends IFLA_INFO_KIND with its NUL; so the lengths and kind attribute are compared
    /// apart, everything else byte for byte (header, IFLA_IFNAME, the whole IFLA_INFO_DATA).
    pub fn assert_iproute2(kind: &str, name: &str, s: &Settings, hex: &str) {
        let want: Vec<u8> = (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect();
        let spec = crate::rtnl::link::LinkSpec { name: Some(name.into()), kind: Some(kind.into()), info: s.clone(), ..Default::default() };
        let got = crate::rtnl::link::add(&spec).expect("encode").bytes;
        // (header from nlmsg_type on without seq/pid, IFLA_IFNAME, kind without NUL, INFO_DATA)
        let split = |m: &[u8]| {
            let linkinfo = 32 + 4 + (name.len() + 1).div_ceil(4) * 4;
            let mut head = m[4..8].to_vec();
            head.extend_from_slice(&m[16..linkinfo]);
            let k = linkinfo + 4;
            let klen = u16::from_ne_bytes([m[k], m[k + 1]]) as usize;
            let kind = m[k + 4..k + klen].strip_suffix(&[0]).unwrap_or(&m[k + 4..k + klen]).to_vec();
            let data = k + klen.div_ceil(4) * 4;
            let mut info = m[data..].to_vec();
            info[3] &= !0x80;
            (head, kind, info)
        };
        let (w, g) = (split(&want), split(&got));
        assert_eq!(g, w, "{kind}: request differs from iproute2's");
        let back = lookup(kind).unwrap().decode(&w.2[4..]);
        assert_eq!(sorted(&back), sorted(s), "{kind}: decode of iproute2's data");
    }

    /// The module's keys list names every table field, without duplicates.
    pub fn assert_keys_cover(kind: &str, fields: &[super::Field]) {
        let k = lookup(kind).expect("registered kind");
        for f in fields {
            assert!(k.keys().contains(&f.key), "{kind}: field {} missing from keys()", f.key);
        }
        let mut keys = k.keys().to_vec();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), k.keys().len(), "{kind}: duplicate keys");
    }
}
