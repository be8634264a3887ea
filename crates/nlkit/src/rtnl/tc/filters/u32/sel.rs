//! u32's selector (`struct tc_u32_sel` + `nkeys` × `struct tc_u32_key`) built from typed matches
//! the way tc's `parse_selector` and `pack_key` build it: every match becomes 32-bit keys
//! (value, mask, word offset, next-header flag), and a key at the offset of an earlier one is
//! merged into it (so `ip sport` and `ip dport` share one word), contradictions refused.

use std::net::{Ipv4Addr, Ipv6Addr};

use crate::rtnl::settings::{Settings, Value};

/// TC_U32_TERMINAL, TC_U32_OFFSET, TC_U32_VAROFFSET, TC_U32_EAT.
pub const TERMINAL: u8 = 1;
const OFFSET: u8 = 2;
const VAROFFSET: u8 = 4;
const EAT: u8 = 8;
pub const SEL_LEN: usize = 16;
const KEY_LEN: usize = 16;
/// tc's limit (the kernel's is the attribute's size).
const MAX_KEYS: usize = 128;

/// One key: `value`/`mask` as the big-endian word reads (tc prints them so), `off` the byte
/// offset (a multiple of 4), `offmask` -1 for "after the next header" (tc's `nexthdr+`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub value: u32,
    pub mask: u32,
    pub off: i32,
    pub offmask: i32,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sel {
    pub flags: u8,
    pub offshift: u8,
    pub offmask: u16,
    pub off: u16,
    pub offoff: i16,
    pub hoff: i16,
    pub hmask: u32,
    pub keys: Vec<Key>,
}

impl Sel {
    /// tc's `pack_key`: merges into a key at the same offset, else appends (offsets of new keys
    /// must be word-aligned).
    fn pack(&mut self, value: u32, mask: u32, off: i32, offmask: i32) -> Result<(), String> {
        let value = value & mask;
        if let Some(k) = self.keys.iter_mut().find(|k| k.off == off && k.offmask == offmask) {
            if (value ^ k.value) & mask & k.mask != 0 {
                return Err(format!("contradicts an earlier match on the word at {off}"));
            }
            k.value |= value;
            k.mask |= mask;
            return Ok(());
        }
        if self.keys.len() >= MAX_KEYS {
            return Err(format!("more than {MAX_KEYS} keys"));
        }
        if off.rem_euclid(4) != 0 {
            return Err(format!("offset {off} is not a multiple of 4 (use u16 or u8 for other offsets)"));
        }
        self.keys.push(Key { value, mask, off, offmask });
        Ok(())
    }

    /// tc's `pack_key16`: the half of the word the offset names (tc's: the high half at a
    /// word's start, else the low half).
    fn pack16(&mut self, value: u32, mask: u32, off: i32, offmask: i32) -> Result<(), String> {
        let shift = if off & 3 == 0 { 16 } else { 0 };
        self.pack(value << shift, mask << shift, off & !3, offmask)
    }

    /// tc's `pack_key8`: the byte the offset names.
    fn pack8(&mut self, value: u32, mask: u32, off: i32, offmask: i32) -> Result<(), String> {
        let shift = 24 - 8 * (off & 3) as u32;
        self.pack(value << shift, mask << shift, off & !3, offmask)
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut b = Vec::with_capacity(SEL_LEN + self.keys.len() * KEY_LEN);
        b.extend_from_slice(&[self.flags, self.offshift, self.keys.len() as u8, 0]);
        b.extend_from_slice(&self.offmask.to_be_bytes());
        b.extend_from_slice(&self.off.to_ne_bytes());
        b.extend_from_slice(&self.offoff.to_ne_bytes());
        b.extend_from_slice(&self.hoff.to_ne_bytes());
        b.extend_from_slice(&self.hmask.to_be_bytes());
        for k in &self.keys {
            b.extend_from_slice(&k.mask.to_be_bytes());
            b.extend_from_slice(&k.value.to_be_bytes());
            b.extend_from_slice(&k.off.to_ne_bytes());
            b.extend_from_slice(&k.offmask.to_ne_bytes());
        }
        b
    }

    /// Reads a selector, shorter or longer than it says: only whole keys present are read.
    pub fn decode(v: &[u8]) -> Sel {
        let h: [u8; SEL_LEN] = crate::wire::fixed(v);
        let be32 = |b: &[u8], i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        let ne32 = |b: &[u8], i: usize| i32::from_ne_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        let keys = v
            .get(SEL_LEN..)
            .unwrap_or_default()
            .chunks_exact(KEY_LEN)
            .take(h[2] as usize)
            .map(|k| Key { mask: be32(k, 0), value: be32(k, 4), off: ne32(k, 8), offmask: ne32(k, 12) })
            .collect();
        Sel {
            flags: h[0],
            offshift: h[1],
            offmask: u16::from_be_bytes([h[4], h[5]]),
            off: u16::from_ne_bytes([h[6], h[7]]),
            offoff: i16::from_ne_bytes([h[8], h[9]]),
            hoff: i16::from_ne_bytes([h[10], h[11]]),
            hmask: be32(&h, 12),
            keys,
        }
    }
}

/// A field's value: a number (the whole field) or `{ value, mask }`, both at most `max`.
fn masked(v: &Value, name: &str, max: u32) -> Result<(u32, u32), String> {
    let check = |n: &Value, what: &str| match n {
        Value::Int(i) if (0..=max as i64).contains(i) => Ok(*i as u32),
        Value::Int(i) => Err(format!("{name}{what} must be between 0 and {max}, got {i}")),
        _ => Err(format!("{name}{what} must be an integer")),
    };
    match v {
        Value::Map(m) => {
            m.check_known(&["value", "mask"]).map_err(|e| format!("{name}: {e}"))?;
            let value = m.get("value").ok_or_else(|| format!("{name}.value is required"))?;
            Ok((check(value, ".value")?, m.get("mask").map(|x| check(x, ".mask")).transpose()?.unwrap_or(max)))
        }
        _ => Ok((check(v, "")?, max)),
    }
}

fn prefix<'a>(v: &'a Value, name: &str, max: u8) -> Result<(&'a str, u8), String> {
    let Value::Str(s) = v else { return Err(format!("{name} must be an address string like '10.0.0.0/8'")) };
    match s.split_once('/') {
        None => Ok((s, max)),
        Some((a, l)) => match l.parse::<u8>() {
            Ok(n) if n <= max && !l.starts_with('+') => Ok((a, n)),
            _ => Err(format!("{name}: prefix length {l:?} out of range (0 to {max})")),
        },
    }
}

fn prefix_mask(len: u8) -> u32 {
    if len == 0 {
        0
    } else {
        u32::MAX << (32 - len as u32)
    }
}

fn v4(sel: &mut Sel, v: &Value, name: &str, off: i32) -> Result<(), String> {
    let (a, len) = prefix(v, name, 32)?;
    let a: Ipv4Addr = a.parse().map_err(|_| format!("{name}: {a:?} is not an IPv4 address"))?;
    sel.pack(u32::from(a), prefix_mask(len), off, 0)
}

/// tc's `parse_ip6_addr`: a key per word of the prefix, the last one masked.
fn v6(sel: &mut Sel, v: &Value, name: &str, off: i32) -> Result<(), String> {
    let (a, len) = prefix(v, name, 128)?;
    let a: Ipv6Addr = a.parse().map_err(|_| format!("{name}: {a:?} is not an IPv6 address"))?;
    let o = a.octets();
    for i in (0..len as usize).step_by(32) {
        let w = u32::from_be_bytes([o[i / 8], o[i / 8 + 1], o[i / 8 + 2], o[i / 8 + 3]]);
        let bits = (len as usize - i).min(32) as u8;
        sel.pack(w, prefix_mask(bits), off + (i / 8) as i32, 0)?;
    }
    Ok(())
}

fn mac(sel: &mut Sel, v: &Value, name: &str, off: i32) -> Result<(), String> {
    let bad = || format!("{name} must be a MAC address like '02:00:00:00:00:01'");
    let Value::Str(s) = v else { return Err(bad()) };
    let parts: Vec<&str> = s.split(':').collect();
    if parts.len() != 6 || parts.iter().any(|p| p.is_empty() || p.len() > 2) {
        return Err(bad());
    }
    for (i, p) in parts.iter().enumerate() {
        let byte = u8::from_str_radix(p, 16).map_err(|_| bad())?;
        sel.pack8(byte as u32, 0xff, off + i as i32, 0)?;
    }
    Ok(())
}

/// How one field of a typed match is packed.
#[derive(Clone, Copy)]
enum F {
    U8(i32, i32),
    U16(i32, i32),
    U32(i32),
    /// ip6 priority: the traffic class, 8 bits at bit 20 of the first word.
    Class,
    /// A constant 16-bit key at offset 6 (ip's fragment flags): value, mask.
    Frag(u32, u32),
    V4(i32),
    V6(i32),
    Mac(i32),
}

const IP: &[(&str, F)] = &[
    ("src", F::V4(12)),
    ("dst", F::V4(16)),
    ("tos", F::U8(1, 0)),
    ("ihl", F::U8(0, 0)),
    ("protocol", F::U8(9, 0)),
    ("nofrag", F::Frag(0, 0x3fff)),
    ("firstfrag", F::Frag(0x2000, 0x3fff)),
    ("df", F::Frag(0x4000, 0x4000)),
    ("mf", F::Frag(0x2000, 0x2000)),
    ("dport", F::U16(22, 0)),
    ("sport", F::U16(20, 0)),
    ("icmpType", F::U8(20, 0)),
    ("icmpCode", F::U8(21, 0)),
];
// tc 6.1 gives ip6 icmp_code an offmask of 1 (not -1): kept, so requests stay byte-equal.
const IP6: &[(&str, F)] = &[
    ("src", F::V6(8)),
    ("dst", F::V6(24)),
    ("priority", F::Class),
    ("protocol", F::U8(6, 0)),
    ("flowlabel", F::U32(0)),
    ("dport", F::U16(42, 0)),
    ("sport", F::U16(40, 0)),
    ("icmpType", F::U8(40, 0)),
    ("icmpCode", F::U8(41, 1)),
];
const L4: &[(&str, F)] = &[("src", F::U16(0, -1)), ("dst", F::U16(2, -1))];
const ICMP: &[(&str, F)] = &[("type", F::U8(0, -1)), ("code", F::U8(1, -1))];
const ETHER: &[(&str, F)] = &[("src", F::Mac(-8)), ("dst", F::Mac(-14))];

/// The match types: `{ ip: {...} }`, ..., and the raw `{ u32: { value, mask, at } }`.
pub const TYPES: &[&str] = &["ip", "ip6", "tcp", "udp", "icmp", "ether", "u32", "u16", "u8"];

fn field(sel: &mut Sel, f: F, v: &Value, name: &str) -> Result<(), String> {
    match f {
        F::U8(off, om) => masked(v, name, 0xff).and_then(|(x, m)| sel.pack8(x, m, off, om)),
        F::U16(off, om) => masked(v, name, 0xffff).and_then(|(x, m)| sel.pack16(x, m, off, om)),
        F::U32(off) => masked(v, name, u32::MAX).and_then(|(x, m)| sel.pack(x, m, off, 0)),
        F::Class => masked(v, name, 0xff).and_then(|(x, m)| sel.pack(x << 20, m << 20, 0, 0)),
        F::Frag(x, m) => match v {
            Value::Bool(true) => sel.pack16(x, m, 6, 0),
            Value::Bool(false) => Ok(()),
            _ => Err(format!("{name} must be true")),
        },
        F::V4(off) => v4(sel, v, name, off),
        F::V6(off) => v6(sel, v, name, off),
        F::Mac(off) => mac(sel, v, name, off),
    }
}

/// A raw match: `{ value, mask, at?, nexthdr? | offmask? }` of 32, 16 or 8 bits.
fn raw(sel: &mut Sel, bits: u32, m: &Settings, name: &str) -> Result<(), String> {
    m.check_known(&["value", "mask", "at", "nexthdr", "offmask"]).map_err(|e| format!("{name}: {e}"))?;
    let max = if bits == 32 { u32::MAX } else { (1u32 << bits) - 1 };
    let num = |k: &str| m.int(k, 0, max as i64).map_err(|e| format!("{name}.{e}"));
    let value = num("value")?.ok_or_else(|| format!("{name}.value is required"))? as u32;
    let mask = num("mask")?.unwrap_or(max as i64) as u32;
    let at = m.int("at", i32::MIN as i64, i32::MAX as i64).map_err(|e| format!("{name}.{e}"))?.unwrap_or(0) as i32;
    let nexthdr = m.bool("nexthdr").map_err(|e| format!("{name}.{e}"))?;
    let offmask = m.int("offmask", i32::MIN as i64, i32::MAX as i64).map_err(|e| format!("{name}.{e}"))?;
    let offmask = match (nexthdr, offmask) {
        (Some(_), Some(_)) => return Err(format!("{name}: give nexthdr or offmask, not both")),
        (Some(n), None) => -(n as i32),
        (None, o) => o.unwrap_or(0) as i32,
    };
    match bits {
        32 => sel.pack(value, mask, at, offmask),
        16 if at & 1 != 0 => Err(format!("{name}.at must be even for 16 bits, got {at}")),
        16 => sel.pack16(value, mask, at, offmask),
        _ => sel.pack8(value, mask, at, offmask),
    }
}

/// Packs one match (`{ ip: { src: '10.0.0.0/8', dport: 80 } }`): its fields in their order.
/// `extra` names keys allowed beside the type (sample's `divisor`).
pub fn pack_match(sel: &mut Sel, v: &Value, name: &str, extra: &[&str]) -> Result<(), String> {
    let Value::Map(m) = v else { return Err(format!("{name} must be an object like {{ ip: {{ dst: '10.0.0.1' }} }}")) };
    let types: Vec<&(String, Value)> = m.0.iter().filter(|(k, _)| !extra.contains(&k.as_str())).collect();
    let [(ty, body)] = types[..] else {
        return Err(format!("{name} must hold one of {} (got {})", TYPES.join(", "), types.len()));
    };
    let name = format!("{name}.{ty}");
    let Value::Map(body) = body else { return Err(format!("{name} must be an object")) };
    let table = match ty.as_str() {
        "ip" => IP,
        "ip6" => IP6,
        "tcp" | "udp" => L4,
        "icmp" => ICMP,
        "ether" => ETHER,
        "u32" => return raw(sel, 32, body, &name),
        "u16" => return raw(sel, 16, body, &name),
        "u8" => return raw(sel, 8, body, &name),
        _ => return Err(format!("{name}: unknown match type (known: {})", TYPES.join(", "))),
    };
    if body.is_empty() {
        return Err(format!("{name} names no field"));
    }
    for (k, fv) in &body.0 {
        let Some((_, f)) = table.iter().find(|(n, _)| n == k) else {
            let known: Vec<&str> = table.iter().map(|(n, _)| *n).collect();
            return Err(format!("{name}: unknown field {k:?} (known: {})", known.join(", ")));
        };
        field(sel, *f, fv, &format!("{name}.{k}")).map_err(|e| if e.starts_with(&name) { e } else { format!("{name}.{k}: {e}") })?;
    }
    Ok(())
}

/// `offset: { plus?, at?, mask?, shift?, eat? }` (tc's `offset plus N at N mask M shift N eat`).
pub fn pack_offset(sel: &mut Sel, m: &Settings) -> Result<(), String> {
    m.check_known(&["plus", "at", "mask", "shift", "eat"]).map_err(|e| format!("offset: {e}"))?;
    let e = |e: String| format!("offset.{e}");
    if let Some(p) = m.u16("plus").map_err(e)? {
        sel.off = p;
        sel.flags |= OFFSET;
    }
    if let Some(at) = m.int("at", i16::MIN as i64, i16::MAX as i64).map_err(e)? {
        if at % 2 != 0 {
            return Err(format!("offset.at must be even, got {at}"));
        }
        sel.offoff = at as i16;
        sel.flags |= VAROFFSET;
    }
    if let Some(mask) = m.u16("mask").map_err(e)? {
        sel.offmask = mask;
        sel.flags |= VAROFFSET;
    }
    if let Some(shift) = m.u8("shift").map_err(e)? {
        sel.offshift = shift;
        sel.flags |= VAROFFSET;
    }
    if m.bool("eat").map_err(e)? == Some(true) {
        sel.flags |= EAT;
    }
    Ok(())
}

/// `hashkey: { mask, at }`: the word (at a multiple of 4) whose masked bits pick the bucket.
pub fn pack_hashkey(sel: &mut Sel, m: &Settings) -> Result<(), String> {
    m.check_known(&["mask", "at"]).map_err(|e| format!("hashkey: {e}"))?;
    let e = |e: String| format!("hashkey.{e}");
    sel.hmask = m.u32("mask").map_err(e)?.ok_or("hashkey.mask is required")?;
    let at = m.int("at", i16::MIN as i64, i16::MAX as i64).map_err(e)?.unwrap_or(0);
    if at % 4 != 0 {
        return Err(format!("hashkey.at must be a multiple of 4, got {at}"));
    }
    sel.hoff = at as i16;
    Ok(())
}

/// The keys as raw matches (`{ u32: { value, mask, at, nexthdr? } }`): what the kernel keeps,
/// which `tc -j` prints too; given back they pack into the same keys.
pub fn decode_matches(sel: &Sel) -> Value {
    let list = sel
        .keys
        .iter()
        .map(|k| {
            let mut r = Settings::new();
            r.set_int("value", k.value).set_int("mask", k.mask).set_int("at", k.off);
            match k.offmask {
                0 => {}
                -1 => {
                    r.set_bool("nexthdr", true);
                }
                o => {
                    r.set_int("offmask", o);
                }
            }
            let mut m = Settings::new();
            m.set("u32", Value::Map(r));
            Value::Map(m)
        })
        .collect();
    Value::List(list)
}

/// The selector's offset fields, as `offset` takes them (None without offset flags).
pub fn decode_offset(sel: &Sel) -> Option<Settings> {
    if sel.flags & (OFFSET | VAROFFSET | EAT) == 0 {
        return None;
    }
    let mut o = Settings::new();
    if sel.flags & OFFSET != 0 {
        o.set_int("plus", sel.off);
    }
    if sel.flags & VAROFFSET != 0 {
        o.set_int("at", sel.offoff).set_int("mask", sel.offmask).set_int("shift", sel.offshift);
    }
    if sel.flags & EAT != 0 {
        o.set_bool("eat", true);
    }
    Some(o)
}

/// tc's `u32_hash_fold` of a sample's one key: its masked bits, shifted down.
pub fn hash_fold(k: &Key) -> u32 {
    if k.mask == 0 {
        0
    } else {
        (k.value & k.mask) >> k.mask.trailing_zeros()
    }
}
