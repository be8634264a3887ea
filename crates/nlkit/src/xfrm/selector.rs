//! struct xfrm_selector (which traffic a policy or state covers) and the lifetimes
//! (xfrm_lifetime_cfg limits, xfrm_lifetime_cur counters), shared by policies and states.

use super::addr::{self, AF_INET};
use crate::rtnl::settings::{Settings, Value};
use crate::wire::{u16_at, u32_at};

pub const SEL_LEN: usize = 56;
pub const LFT_LEN: usize = 64;
pub const CUR_LEN: usize = 32;
/// XFRM_INF: no limit.
pub const INF: u64 = u64::MAX;

const SEL_KEYS: &[&str] = &["family", "src", "dst", "proto", "sport", "sportMask", "dport", "dportMask", "ifindex", "user"];

/// Encodes `sel` (keys of [`decode`]); `default_family` when no address names one (iproute2
/// sends AF_INET then). Ports are network order; a port without a mask gets 0xffff (as `ip`).
pub fn encode(sel: &Settings, default_family: u16) -> Result<[u8; SEL_LEN], String> {
    sel.check_known(SEL_KEYS).map_err(|e| format!("selector: {e}"))?;
    let mut b = [0u8; SEL_LEN];
    let mut family = addr::family_of(sel)?;
    for (key, off, len_at) in [("dst", 0, 42), ("src", 16, 43)] {
        if let Some(s) = sel.str(key)? {
            let (f, a, len) = addr::prefix(s, &format!("selector.{key}"))?;
            family = Some(addr::same_family(family, f, &format!("selector.{key}"))?);
            b[off..off + 16].copy_from_slice(&a);
            b[len_at] = len;
        }
    }
    for (key, mask, off) in [("dport", "dportMask", 32), ("sport", "sportMask", 36)] {
        if let Some(p) = sel.u16(key)? {
            b[off..off + 2].copy_from_slice(&p.to_be_bytes());
            b[off + 2..off + 4].copy_from_slice(&sel.u16(mask)?.unwrap_or(0xffff).to_be_bytes());
        } else if let Some(m) = sel.u16(mask)? {
            b[off + 2..off + 4].copy_from_slice(&m.to_be_bytes());
        }
    }
    b[40..42].copy_from_slice(&family.unwrap_or(default_family).to_ne_bytes());
    b[44] = addr::proto(sel, "proto")?.unwrap_or(0);
    b[48..52].copy_from_slice(&(sel.int("ifindex", 0, i32::MAX as i64)?.unwrap_or(0) as i32).to_ne_bytes());
    b[52..56].copy_from_slice(&sel.u32("user")?.unwrap_or(0).to_ne_bytes());
    Ok(b)
}

/// A selector (accepted shorter or longer than 56 bytes).
pub fn decode(raw: &[u8]) -> Settings {
    let b: [u8; SEL_LEN] = crate::wire::fixed(raw);
    let family = u16_at(&b, 40);
    let mut s = Settings::new();
    if family != 0 {
        s.set("family", addr::family_name(family));
    }
    if family == AF_INET || family == addr::AF_INET6 {
        for (key, off, len_at) in [("src", 16, 43), ("dst", 0, 42)] {
            let a: [u8; 16] = b[off..off + 16].try_into().unwrap_or([0; 16]);
            s.set_str(key, format!("{}/{}", addr::format(family, &a), b[len_at]));
        }
    }
    if b[44] != 0 {
        s.set("proto", addr::proto_name(b[44]));
    }
    for (key, mask, off) in [("sport", "sportMask", 36), ("dport", "dportMask", 32)] {
        let (p, m) = (u16::from_be_bytes([b[off], b[off + 1]]), u16::from_be_bytes([b[off + 2], b[off + 3]]));
        if p != 0 || m != 0 {
            s.set_int(key, p).set_int(mask, m);
        }
    }
    let (ifindex, user) = (u32_at(&b, 48) as i32, u32_at(&b, 52));
    if ifindex != 0 {
        s.set_int("ifindex", ifindex);
    }
    if user != 0 {
        s.set_int("user", user);
    }
    s
}

/// xfrm_lifetime_cfg's fields in order, by their keys.
const LFT_KEYS: [&str; 8] = [
    "softByteLimit",
    "hardByteLimit",
    "softPacketLimit",
    "hardPacketLimit",
    "softAddExpires",
    "hardAddExpires",
    "softUseExpires",
    "hardUseExpires",
];

/// Limits absent are unlimited (XFRM_INF), times absent 0 (none): what `ip` sends by default.
pub fn encode_lifetime(l: Option<&Settings>) -> Result<[u8; LFT_LEN], String> {
    let empty = Settings::new();
    let l = l.unwrap_or(&empty);
    l.check_known(&LFT_KEYS).map_err(|e| format!("lifetime: {e}"))?;
    let mut b = [0u8; LFT_LEN];
    for (i, key) in LFT_KEYS.iter().enumerate() {
        let v = match l.int(key, 0, i64::MAX).map_err(|e| format!("lifetime.{e}"))? {
            Some(v) => v as u64,
            None if i < 4 => INF,
            None => 0,
        };
        b[i * 8..i * 8 + 8].copy_from_slice(&v.to_ne_bytes());
    }
    Ok(b)
}

fn u64_at(b: &[u8], off: usize) -> u64 {
    crate::wire::attr_u64(b.get(off..).unwrap_or(&[])).unwrap_or(0)
}

/// Unlimited (XFRM_INF) and unset fields are left out, so a decoded lifetime encodes back the same.
pub fn decode_lifetime(raw: &[u8]) -> Settings {
    let b: [u8; LFT_LEN] = crate::wire::fixed(raw);
    let mut s = Settings::new();
    for (i, key) in LFT_KEYS.iter().enumerate() {
        let v = u64_at(&b, i * 8);
        if v != INF && (v != 0 || i < 4) && v <= i64::MAX as u64 {
            s.set_int(key, v as i64);
        }
    }
    s
}

/// xfrm_lifetime_cur: what has been used so far (times in seconds since the epoch).
pub fn decode_current(raw: &[u8]) -> Settings {
    let b: [u8; CUR_LEN] = crate::wire::fixed(raw);
    let mut s = Settings::new();
    for (i, key) in ["bytes", "packets", "addTime", "useTime"].iter().enumerate() {
        s.set(key, Value::Int(u64_at(&b, i * 8).min(i64::MAX as u64) as i64));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sel(pairs: &[(&str, Value)]) -> Settings {
        Settings(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
    }

    #[test]
    fn selector_round_trip() {
        let s = sel(&[
            ("family", Value::Str("inet".into())),
            ("src", Value::Str("10.1.0.0/16".into())),
            ("dst", Value::Str("10.2.0.0/24".into())),
            ("proto", Value::Str("tcp".into())),
            ("dport", Value::Int(80)),
            ("dportMask", Value::Int(0xffff)),
        ]);
        let b = encode(&s, AF_INET).unwrap();
        assert_eq!(&b[32..34], &[0, 80]);
        assert_eq!(decode(&b), s);
        // Shorter input is zero-filled, never read past.
        assert_eq!(decode(&b[..10]).str("family").unwrap(), None);
    }

    #[test]
    fn selector_refuses_mixed_families_and_unknown_keys() {
        let s = sel(&[("src", Value::Str("10.1.0.0/16".into())), ("dst", Value::Str("2001:db8::/64".into()))]);
        assert!(encode(&s, AF_INET).unwrap_err().contains("selector.src"));
        assert!(encode(&sel(&[("sprt", Value::Int(1))]), AF_INET).unwrap_err().contains("sprt"));
    }

    #[test]
    fn lifetime_defaults_are_unlimited() {
        let b = encode_lifetime(None).unwrap();
        assert!(b[..32].iter().all(|&x| x == 0xff) && b[32..].iter().all(|&x| x == 0));
        let l = sel(&[("softByteLimit", Value::Int(1000)), ("hardAddExpires", Value::Int(60))]);
        assert_eq!(decode_lifetime(&encode_lifetime(Some(&l)).unwrap()), l);
    }
}
