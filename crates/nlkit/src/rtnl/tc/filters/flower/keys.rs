//! flower's key forms, read and written as tc takes and prints them: MAC addresses with a
//! prefix length or a mask (`02:11:22:00:00:00/24`), IP prefixes (`10.0.0.0/8`,
//! `10.1.0.0/255.255.0.255`), ports as a number, `{ value, mask }` or `{ start, end }`, u8
//! fields under a mask, and the IP fragment flags.

use std::net::IpAddr;

use crate::rtnl::settings::{Settings, Value};

/// TCA_FLOWER_KEY_FLAGS_*: tc's `ip_flags` names, in the order tc prints them.
pub const IP_FLAGS: &[(&str, u32)] = &[("frag", 1), ("firstfrag", 2)];

/// Splits `a/b` (b optional).
fn split(s: &str) -> (&str, Option<&str>) {
    match s.split_once('/') {
        Some((a, b)) => (a, Some(b)),
        None => (s, None),
    }
}

/// A mask of `bits` leading ones over `len` bytes.
fn prefix_mask(bits: u32, len: usize) -> Vec<u8> {
    (0..len).map(|i| (0xFFu16 << 8u32.saturating_sub(bits.saturating_sub(i as u32 * 8)).min(8)) as u8).collect()
}

/// The prefix length of a contiguous mask, or None.
fn mask_bits(m: &[u8]) -> Option<u32> {
    let ones: u32 = m.iter().map(|b| b.count_ones()).sum();
    (prefix_mask(ones, m.len()) == m).then_some(ones)
}

fn parse_mac(s: &str) -> Option<[u8; 6]> {
    let parts: Vec<&str> = s.split(':').collect();
    if parts.len() != 6 {
        return None;
    }
    let mut out = [0u8; 6];
    for (o, p) in out.iter_mut().zip(parts) {
        if p.is_empty() || p.len() > 2 {
            return None;
        }
        *o = u8::from_str_radix(p, 16).ok()?;
    }
    Some(out)
}

fn format_mac(m: &[u8]) -> String {
    m.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(":")
}

/// `mac`, `mac/bits` or `mac/mask` to the address and its mask.
pub fn mac(key: &str, s: &str) -> Result<([u8; 6], Vec<u8>), String> {
    let bad = || format!("{key}: {s:?} is not a MAC address (optionally /prefix length or /mask), e.g. '02:00:00:00:00:01/24'");
    let (a, m) = split(s);
    let addr = parse_mac(a).ok_or_else(bad)?;
    let mask = match m {
        None => vec![0xFF; 6],
        Some(m) if m.contains(':') => parse_mac(m).ok_or_else(bad)?.to_vec(),
        Some(m) => prefix_mask(m.parse::<u32>().ok().filter(|b| *b <= 48).ok_or_else(bad)?, 6),
    };
    Ok((addr, mask))
}

/// An address and its mask as tc prints them (the mask left out when it is all ones).
fn with_mask(addr: String, mask: &[u8], show: impl Fn(&[u8]) -> String) -> String {
    match mask_bits(mask) {
        Some(b) if b as usize == mask.len() * 8 => addr,
        Some(b) => format!("{addr}/{b}"),
        None => format!("{addr}/{}", show(mask)),
    }
}

pub fn format_mac_masked(addr: &[u8], mask: Option<&[u8]>) -> String {
    with_mask(format_mac(addr), mask.unwrap_or(&[0xFF; 6]), format_mac)
}

/// `addr`, `addr/len` or `addr/mask` of the family `v6` names, to its bytes and mask.
pub fn ip(key: &str, s: &str, v6: bool) -> Result<(Vec<u8>, Vec<u8>), String> {
    let fam = if v6 { "IPv6" } else { "IPv4" };
    let bad = || format!("{key}: {s:?} is not an {fam} address or prefix (the filter's protocol is {fam})");
    let bytes = |a: &str| match a.parse::<IpAddr>() {
        Ok(IpAddr::V4(a)) if !v6 => Some(a.octets().to_vec()),
        Ok(IpAddr::V6(a)) if v6 => Some(a.octets().to_vec()),
        _ => None,
    };
    let (a, m) = split(s);
    let addr = bytes(a).ok_or_else(bad)?;
    let max = addr.len() as u32 * 8;
    let mask = match m {
        None => prefix_mask(max, addr.len()),
        Some(m) if m.contains(['.', ':']) => bytes(m).ok_or_else(bad)?,
        Some(m) => prefix_mask(m.parse::<u32>().ok().filter(|b| *b <= max).ok_or_else(bad)?, addr.len()),
    };
    Ok((addr, mask))
}

pub fn format_ip(addr: &[u8], mask: Option<&[u8]>) -> Option<String> {
    let show = |b: &[u8]| -> Option<String> {
        Some(match b.len() {
            4 => IpAddr::from(<[u8; 4]>::try_from(b).ok()?).to_string(),
            16 => IpAddr::from(<[u8; 16]>::try_from(b).ok()?).to_string(),
            _ => return None,
        })
    };
    let full = vec![0xFF; addr.len()];
    let mask = mask.filter(|m| m.len() == addr.len()).unwrap_or(&full);
    Some(with_mask(show(addr)?, mask, |m| show(m).unwrap_or_default()))
}

/// A port: an exact number, `{ value, mask }` or a range `{ start, end }`.
pub enum Port {
    Exact(u16),
    Masked(u16, u16),
    Range(u16, u16),
}

pub fn port(key: &str, v: &Value) -> Result<Port, String> {
    let bad = || format!("{key} must be a port (0 to 65535), {{ value, mask }} or a range {{ start, end }}");
    let num = |m: &Settings, k: &str| m.u16(k).map_err(|e| format!("{key}.{e}"));
    match v {
        Value::Int(p) => u16::try_from(*p).map(Port::Exact).map_err(|_| bad()),
        Value::Map(m) if m.get("start").is_some() || m.get("end").is_some() => {
            m.check_known(&["start", "end"]).map_err(|e| format!("{key}: {e}"))?;
            match (num(m, "start")?, num(m, "end")?) {
                (Some(s), Some(e)) if e > s => Ok(Port::Range(s, e)),
                (Some(_), Some(_)) => Err(format!("{key}: end must be greater than start")),
                _ => Err(format!("{key}: a range needs start and end")),
            }
        }
        Value::Map(m) => {
            m.check_known(&["value", "mask"]).map_err(|e| format!("{key}: {e}"))?;
            Ok(Port::Masked(num(m, "value")?.ok_or_else(bad)?, num(m, "mask")?.unwrap_or(0xFFFF)))
        }
        _ => Err(bad()),
    }
}

/// A u8 field (tos, ttl): a number or `{ value, mask }`.
pub fn masked_u8(key: &str, v: &Value) -> Result<(u8, u8), String> {
    let bad = || format!("{key} must be 0 to 255 or {{ value, mask }}");
    match v {
        Value::Int(x) => u8::try_from(*x).map(|x| (x, 0xFF)).map_err(|_| bad()),
        Value::Map(m) => {
            m.check_known(&["value", "mask"]).map_err(|e| format!("{key}: {e}"))?;
            let value = m.u8("value").map_err(|e| format!("{key}.{e}"))?.ok_or_else(bad)?;
            Ok((value, m.u8("mask").map_err(|e| format!("{key}.{e}"))?.unwrap_or(0xFF)))
        }
        _ => Err(bad()),
    }
}

/// A value under a mask as listed: the number alone when the mask is all ones.
pub fn masked_value(value: u32, mask: u32, full: u32) -> Value {
    if mask == full {
        return Value::Int(value as i64);
    }
    let mut m = Settings::new();
    m.set_int("value", value).set_int("mask", mask);
    Value::Map(m)
}

/// `ipFlags`: tc's string (`frag/nofirstfrag`) or `{ frag?, firstfrag? }` (as tc -j lists
/// them), to the flags and their mask.
pub fn ip_flags(v: &Value) -> Result<(u32, u32), String> {
    let bad = || "ipFlags must be tc's form ('frag', 'nofrag', 'firstfrag', 'frag/nofirstfrag') or { frag?, firstfrag? }".to_string();
    let (mut flags, mut mask) = (0, 0);
    let mut set = |name: &str, on: bool| -> Result<(), String> {
        let (_, bit) = IP_FLAGS.iter().find(|(n, _)| *n == name).ok_or_else(bad)?;
        mask |= bit;
        if on {
            flags |= bit;
        }
        Ok(())
    };
    match v {
        Value::Str(s) => {
            for t in s.split('/') {
                match t.strip_prefix("no") {
                    Some(n) => set(n, false)?,
                    None => set(t, true)?,
                }
            }
        }
        Value::Map(m) => {
            for (k, x) in &m.0 {
                let Value::Bool(on) = x else { return Err(format!("ipFlags.{k} must be a boolean")) };
                set(k, *on).map_err(|_| format!("ipFlags: unknown flag {k:?} (known: frag, firstfrag)"))?;
            }
            if m.is_empty() {
                return Err(bad());
            }
        }
        _ => return Err(bad()),
    }
    Ok((flags, mask))
}

pub fn decode_ip_flags(flags: u32, mask: u32) -> Option<Value> {
    let mut m = Settings::new();
    for (n, bit) in IP_FLAGS {
        if mask & bit != 0 {
            m.set_bool(n, flags & bit != 0);
        }
    }
    (!m.is_empty()).then_some(Value::Map(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_both_ways() {
        assert_eq!(prefix_mask(24, 6), [0xff, 0xff, 0xff, 0, 0, 0]);
        assert_eq!(prefix_mask(10, 2), [0xff, 0xc0]);
        assert_eq!(prefix_mask(0, 2), [0, 0]);
        assert_eq!(mask_bits(&[0xff, 0xc0]), Some(10));
        assert_eq!(mask_bits(&[0xff, 0x01]), None);
        assert_eq!(format_mac_masked(&[2, 0x11, 0x22, 0, 0, 0], Some(&[0xff, 0xff, 0xff, 0, 0, 0])), "02:11:22:00:00:00/24");
        assert_eq!(format_ip(&[10, 1, 0, 0], Some(&[255, 255, 0, 255])).unwrap(), "10.1.0.0/255.255.0.255");
        assert_eq!(ip("dstIp", "10.1.0.0/255.255.0.255", false).unwrap().1, [255, 255, 0, 255]);
        for bad in ["10.0.0.0/33", "::1", "x"] {
            assert!(ip("dstIp", bad, false).unwrap_err().starts_with("dstIp"), "{bad}");
        }
        for bad in ["02:00:00:00:00", "02:00:00:00:00:01/49", "02:00:00:00:00:0g"] {
            assert!(mac("srcMac", bad).is_err(), "{bad}");
        }
        assert_eq!(ip_flags(&Value::Str("frag/nofirstfrag".into())), Ok((1, 3)));
        assert!(ip_flags(&Value::Str("frag/df".into())).is_err());
    }
}
