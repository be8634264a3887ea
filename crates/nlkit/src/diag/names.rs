//! Names of socket states, timers and protocols, as `ss` spells them (lower case).

use crate::rtnl::settings::Value;

/// TCP states by number (include/net/tcp_states.h); unix sockets use the same numbers.
pub const STATES: &[(&str, u8)] = &[
    ("established", 1),
    ("syn-sent", 2),
    ("syn-recv", 3),
    ("fin-wait-1", 4),
    ("fin-wait-2", 5),
    ("time-wait", 6),
    ("close", 7),
    ("close-wait", 8),
    ("last-ack", 9),
    ("listen", 10),
    ("closing", 11),
    ("new-syn-recv", 12),
    ("bound-inactive", 13),
];

/// A state's name, or its number when it has none here.
pub fn state_value(n: u8) -> Value {
    match STATES.iter().find(|(_, v)| *v == n) {
        Some((name, _)) => Value::Str((*name).into()),
        None => Value::Int(n.into()),
    }
}

/// idiag_timer (ss's `tmr_name`).
pub fn timer_name(n: u8) -> &'static str {
    ["off", "on", "keepalive", "timewait", "persist"].get(n as usize).copied().unwrap_or("unknown")
}

/// The inet protocols a listing asks for, by name.
pub const PROTOCOLS: &[(&str, u8)] =
    &[("tcp", libc::IPPROTO_TCP as u8), ("udp", libc::IPPROTO_UDP as u8), ("udplite", libc::IPPROTO_UDPLITE as u8)];

pub fn protocol_name(n: u8) -> String {
    PROTOCOLS.iter().find(|(_, v)| *v == n).map_or_else(|| n.to_string(), |(name, _)| (*name).into())
}

/// Unix socket types (SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET).
pub fn unix_type_name(n: u8) -> Value {
    match i32::from(n) {
        libc::SOCK_STREAM => Value::Str("stream".into()),
        libc::SOCK_DGRAM => Value::Str("dgram".into()),
        libc::SOCK_SEQPACKET => Value::Str("seqpacket".into()),
        _ => Value::Int(n.into()),
    }
}
