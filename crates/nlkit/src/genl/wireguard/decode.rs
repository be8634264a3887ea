//! One WG_CMD_GET_DEVICE reply message: the device's settings and the peers it carries (a
//! part of them when the kernel splits the device; the first peer may continue the previous
//! message's last one, with only its public key and more allowed IPs).

use std::net::{Ipv4Addr, Ipv6Addr};

use super::*;
use crate::genl::table::attrs;
use crate::rtnl::settings::{Settings, Value};

pub fn decode(a: &[u8]) -> Settings {
    let mut s = Settings::new();
    let mut peers = Vec::new();
    for (t, v) in attrs(a) {
        match t {
            A_IFINDEX => wire::attr_u32(v).map(|n| s.set_int("ifindex", n)),
            A_IFNAME => Some(s.set_str("ifname", wire::attr_str(v))),
            A_PRIVATE_KEY if v.len() == 32 => Some(s.set_str("privateKey", base64(v))),
            A_PUBLIC_KEY if v.len() == 32 => Some(s.set_str("publicKey", base64(v))),
            A_LISTEN_PORT if v.len() >= 2 => Some(s.set_int("listenPort", wire::u16_at(v, 0))),
            A_FWMARK => wire::attr_u32(v).map(|n| s.set_int("fwmark", n)),
            A_PEERS => {
                peers.extend(attrs(v).map(|(_, p)| Value::Map(peer(p))));
                None
            }
            _ => None,
        };
    }
    s.set("peers", Value::List(peers));
    s
}

fn peer(a: &[u8]) -> Settings {
    let mut s = Settings::new();
    let mut ips = Vec::new();
    for (t, v) in attrs(a) {
        match t {
            PA_PUBLIC_KEY if v.len() == 32 => Some(s.set_str("publicKey", base64(v))),
            // An all-zero preshared key is "none" (wg shows none either).
            PA_PRESHARED_KEY if v.len() == 32 && v.iter().any(|&b| b != 0) => Some(s.set_str("presharedKey", base64(v))),
            PA_ENDPOINT => endpoint(v).map(|e| s.set_str("endpoint", e)),
            PA_PERSISTENT_KEEPALIVE if v.len() >= 2 => Some(s.set_int("persistentKeepalive", wire::u16_at(v, 0))),
            PA_LAST_HANDSHAKE if v.len() >= 16 => {
                // struct __kernel_timespec: the handshake time in ms since 1970 (0: never).
                let sec = wire::attr_u64(v).unwrap_or(0) as i64;
                let nsec = wire::attr_u64(&v[8..]).unwrap_or(0) as i64;
                Some(s.set_int("lastHandshake", sec.saturating_mul(1000).saturating_add(nsec / 1_000_000)))
            }
            PA_RX_BYTES => wire::attr_u64(v).map(|n| s.set_int("rxBytes", n as i64)),
            PA_TX_BYTES => wire::attr_u64(v).map(|n| s.set_int("txBytes", n as i64)),
            PA_PROTOCOL_VERSION => wire::attr_u32(v).map(|n| s.set_int("protocolVersion", n)),
            PA_ALLOWEDIPS => {
                ips.extend(attrs(v).filter_map(|(_, ip)| allowed_ip(ip)).map(Value::Str));
                None
            }
            _ => None,
        };
    }
    s.set("allowedIps", Value::List(ips));
    s
}

fn allowed_ip(a: &[u8]) -> Option<String> {
    let (mut addr, mut cidr) = (None, None);
    for (t, v) in attrs(a) {
        match t {
            AA_IPADDR => addr = crate::genl::table::ip(v),
            AA_CIDR_MASK => cidr = wire::attr_u8(v),
            _ => {}
        }
    }
    Some(format!("{}/{}", addr?, cidr?))
}

/// A sockaddr_in / sockaddr_in6 as `wg` prints it: `1.2.3.4:51820`, `[2001:db8::1]:51820`.
fn endpoint(v: &[u8]) -> Option<String> {
    let family = wire::u16_at(v, 0) as i32;
    let port = u16::from_be_bytes([*v.get(2)?, *v.get(3)?]);
    match family {
        libc::AF_INET if v.len() >= 8 => Some(format!("{}:{port}", Ipv4Addr::from(wire::fixed::<4>(&v[4..])))),
        libc::AF_INET6 if v.len() >= 24 => Some(format!("[{}]:{port}", Ipv6Addr::from(wire::fixed::<16>(&v[8..])))),
        _ => None,
    }
}
