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
#[path = "common_testing.rs"]
pub mod testing;
