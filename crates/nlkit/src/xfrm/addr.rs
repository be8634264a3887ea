//! xfrm_address_t (16 bytes, an IPv4 address in its first 4), prefixes and numeric names
//! (address families, IP protocols) as the encoders and decoders of this folder use them.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::rtnl::settings::{Settings, Value};

pub const AF_INET: u16 = libc::AF_INET as u16;
pub const AF_INET6: u16 = libc::AF_INET6 as u16;

/// An address: its family and its 16 bytes.
pub fn parse(s: &str, key: &str) -> Result<(u16, [u8; 16]), String> {
    let mut out = [0u8; 16];
    match s.parse::<IpAddr>().map_err(|_| format!("{key} must be an IPv4 or IPv6 address, got {s:?}"))? {
        IpAddr::V4(a) => {
            out[..4].copy_from_slice(&a.octets());
            Ok((AF_INET, out))
        }
        IpAddr::V6(a) => Ok((AF_INET6, a.octets())),
    }
}

/// `addr/len` or a bare address (a host prefix).
pub fn prefix(s: &str, key: &str) -> Result<(u16, [u8; 16], u8), String> {
    let (a, len) = match s.split_once('/') {
        Some((a, l)) => (a, Some(l)),
        None => (s, None),
    };
    let (family, bytes) = parse(a, key)?;
    let max = if family == AF_INET { 32 } else { 128 };
    let len = match len {
        None => max,
        Some(l) => {
            l.parse::<u8>().ok().filter(|n| *n <= max).ok_or_else(|| format!("{key}: prefix length must be 0 to {max}, got {l:?}"))?
        }
    };
    Ok((family, bytes, len))
}

pub fn format(family: u16, b: &[u8; 16]) -> String {
    if family == AF_INET {
        Ipv4Addr::new(b[0], b[1], b[2], b[3]).to_string()
    } else {
        Ipv6Addr::from(*b).to_string()
    }
}

pub fn family_name(f: u16) -> Value {
    match f {
        AF_INET => Value::Str("inet".into()),
        AF_INET6 => Value::Str("inet6".into()),
        n => Value::Int(n.into()),
    }
}

/// `family`: 'inet' | 'inet6'.
pub fn family_of(s: &Settings) -> Result<Option<u16>, String> {
    s.choice("family", &[("inet", AF_INET), ("inet6", AF_INET6)])
}

/// Several addresses of one object must agree on their family.
pub fn same_family(a: Option<u16>, b: u16, key: &str) -> Result<u16, String> {
    match a {
        Some(f) if f != b => Err(format!("{key} is of another address family than the rest")),
        _ => Ok(b),
    }
}

const PROTOS: &[(&str, u8)] =
    &[("icmp", 1), ("tcp", 6), ("udp", 17), ("gre", 47), ("esp", 50), ("ah", 51), ("ipv6-icmp", 58), ("sctp", 132), ("comp", 108)];

/// An IP protocol by number or name.
pub fn proto(s: &Settings, key: &str) -> Result<Option<u8>, String> {
    match s.get(key) {
        Some(Value::Str(_)) => s.choice(key, PROTOS),
        _ => s.u8(key),
    }
}

pub fn proto_name(p: u8) -> Value {
    match PROTOS.iter().find(|(_, n)| *n == p) {
        Some((name, _)) => Value::Str((*name).into()),
        None => Value::Int(p.into()),
    }
}

/// A list of names (`['localok', 'icmp']`) as bits.
pub fn flags(s: &Settings, key: &str, names: &[(&str, u32)]) -> Result<u32, String> {
    let list = match s.get(key) {
        None => return Ok(0),
        Some(Value::List(l)) => l,
        Some(_) => return Err(format!("{key} must be a list of flag names")),
    };
    let mut bits = 0;
    for v in list {
        let found = match v {
            Value::Str(n) => names.iter().find(|(x, _)| x == n),
            _ => None,
        };
        let all: Vec<&str> = names.iter().map(|(n, _)| *n).collect();
        bits |= found.ok_or_else(|| format!("{key}: each flag must be one of {}", all.join(", ")))?.1;
    }
    Ok(bits)
}

/// The names of the bits set (unknown bits by number).
pub fn flag_names(bits: u32, names: &[(&str, u32)]) -> Value {
    let mut out: Vec<Value> = names.iter().filter(|(_, b)| bits & b != 0).map(|(n, _)| Value::Str((*n).into())).collect();
    let rest = names.iter().fold(bits, |acc, (_, b)| acc & !b);
    for i in 0..32 {
        if rest & (1 << i) != 0 {
            out.push(Value::Int(1 << i));
        }
    }
    Value::List(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_and_names() {
        assert_eq!(prefix("10.1.0.0/16", "src").unwrap().2, 16);
        assert_eq!(prefix("2001:db8::1", "src").unwrap().2, 128);
        assert!(prefix("10.0.0.0/33", "src").unwrap_err().contains("src"));
        assert!(parse("nope", "dst").unwrap_err().contains("dst"));
        let (f, b) = parse("2001:db8::1", "x").unwrap();
        assert_eq!(format(f, &b), "2001:db8::1");
        assert_eq!(flag_names(5, &[("a", 1), ("b", 2)]), Value::List(vec![Value::Str("a".into()), Value::Int(4)]));
    }
}
