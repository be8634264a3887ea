//! Table-driven decoding of generic families' attributes: most replies are flat (or nested)
//! sets of typed attributes, so a family lists `(attribute, key, type)` and this turns the
//! attributes into a [`Settings`] tree. Unknown attributes are skipped and short ones left
//! out, so a newer or older kernel decodes as far as both agree.

use std::net::{Ipv4Addr, Ipv6Addr};

use crate::rtnl::settings::{Settings, Value};
use crate::wire;

/// Names of values (an enum) or of bits (a flag word).
pub type Names = &'static [(u64, &'static str)];

/// How an attribute's value reads.
#[derive(Clone, Copy)]
pub enum W {
    U8,
    U16,
    U32,
    /// u64, or u32 where the kernel sends 4 bytes (YNL's "uint").
    U64,
    S32,
    /// A u8 that is 0 or 1.
    Bool,
    /// Present or not (no value).
    Flag,
    Str,
    /// An IPv4 or IPv6 address by its length, in network order.
    Ip,
    /// A big-endian u16 (a port).
    Be16,
    /// Bytes shown as lowercase hex.
    Hex,
    /// A nested set.
    Nest(Table),
    /// A flag word: the names of its set bits (unknown bits as `0x..` numbers).
    Bits(Names),
    /// A u8/u16/u32 by its size: its name, or the number when unknown.
    Enum(Names),
}

pub type Table = &'static [(u16, &'static str, W)];

/// The attributes of a reply, stopping at the first malformed one.
pub fn attrs(a: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    wire::attrs(a).map_while(|x| x.ok())
}

/// An unsigned integer of the attribute's own size (1, 2, 4 or 8 bytes).
pub fn uint(v: &[u8]) -> Option<u64> {
    Some(match v.len() {
        1 => v[0] as u64,
        2 => wire::u16_at(v, 0) as u64,
        4..=7 => wire::u32_at(v, 0) as u64,
        8.. => wire::attr_u64(v)?,
        _ => return None,
    })
}

pub fn ip(v: &[u8]) -> Option<String> {
    Some(match v.len() {
        4 => Ipv4Addr::from(wire::fixed::<4>(v)).to_string(),
        16 => Ipv6Addr::from(wire::fixed::<16>(v)).to_string(),
        _ => return None,
    })
}

pub fn hex(v: &[u8]) -> String {
    v.iter().map(|b| format!("{b:02x}")).collect()
}

/// The names of a flag word's set bits.
pub fn bits(names: Names, word: u64) -> Value {
    let mut out = Vec::new();
    let mut rest = word;
    for (bit, name) in names {
        if word & bit != 0 {
            out.push(Value::Str((*name).into()));
            rest &= !bit;
        }
    }
    (0..64).filter(|b| rest & (1 << b) != 0).for_each(|b| out.push(Value::Str(format!("{:#x}", 1u64 << b))));
    Value::List(out)
}

/// One value as `w` reads it, or None when the attribute is too short for it.
pub fn value(w: W, v: &[u8]) -> Option<Value> {
    let n = |x: Option<u64>| x.map(|x| Value::Int(x as i64));
    Some(match w {
        W::U8 => n(wire::attr_u8(v).map(u64::from))?,
        W::U16 => n((v.len() >= 2).then(|| wire::u16_at(v, 0) as u64))?,
        W::U32 => n(wire::attr_u32(v).map(u64::from))?,
        W::U64 => n(uint(v).filter(|_| v.len() >= 4))?,
        W::S32 => Value::Int(wire::attr_u32(v)? as i32 as i64),
        W::Bool => Value::Bool(wire::attr_u8(v)? != 0),
        W::Flag => Value::Bool(true),
        W::Str => Value::Str(wire::attr_str(v)),
        W::Ip => Value::Str(ip(v)?),
        W::Be16 => Value::Int(u16::from_be_bytes(v.get(..2)?.try_into().ok()?) as i64),
        W::Hex => Value::Str(hex(v)),
        W::Nest(t) => Value::Map(decode(t, v)),
        W::Bits(names) => bits(names, uint(v)?),
        W::Enum(names) => {
            let x = uint(v)?;
            names.iter().find(|(k, _)| *k == x).map_or(Value::Int(x as i64), |(_, s)| Value::Str((*s).into()))
        }
    })
}

/// Decodes `a` by `table` into `s` (keys in table order of arrival; a repeated attribute keeps
/// its last value).
pub fn decode_into(table: Table, a: &[u8], s: &mut Settings) {
    for (t, v) in attrs(a) {
        let Some((_, key, w)) = table.iter().find(|(id, _, _)| *id == t) else { continue };
        if let Some(x) = value(*w, v) {
            s.set(key, x);
        }
    }
}

pub fn decode(table: Table, a: &[u8]) -> Settings {
    let mut s = Settings::new();
    decode_into(table, a, &mut s);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const INNER: Table = &[(1, "port", W::Be16)];
    const T: Table = &[
        (1, "a", W::U32),
        (2, "ip", W::Ip),
        (3, "in", W::Nest(INNER)),
        (4, "flags", W::Bits(&[(1, "one"), (4, "four")])),
        (5, "kind", W::Enum(&[(0, "rx"), (1, "tx")])),
        (6, "big", W::U64),
    ];

    #[test]
    fn decodes_by_table_and_survives_every_prefix() {
        let mut b = wire::MsgBuilder::new(0, 0);
        b.attr_u32(1, 7).attr(2, &[10, 0, 0, 1]).attr_u32(4, 0b111).attr_u8(5, 1).attr(6, &5u64.to_ne_bytes()).attr_u32(99, 1);
        let at = b.nest_start(3);
        b.attr(1, &443u16.to_be_bytes());
        b.nest_end(at);
        let a = b.finish().split_off(wire::NLMSG_HDRLEN);
        let s = decode(T, &a);
        assert_eq!(s.get("a"), Some(&Value::Int(7)));
        assert_eq!(s.get("ip"), Some(&Value::Str("10.0.0.1".into())));
        let flags = Value::List(vec![Value::Str("one".into()), Value::Str("four".into()), Value::Str("0x2".into())]);
        assert_eq!(s.get("flags"), Some(&flags));
        assert_eq!(s.get("kind"), Some(&Value::Str("tx".into())));
        assert_eq!(s.get("big"), Some(&Value::Int(5)));
        let Some(Value::Map(inner)) = s.get("in") else { panic!("no nest") };
        assert_eq!(inner.get("port"), Some(&Value::Int(443)));
        for n in 0..a.len() {
            decode(T, &a[..n]);
        }
    }
}
