//! Policy routing rules (RTM_*RULE).

use std::net::IpAddr;

use super::{family_of, ip_bytes, ip_from};
use crate::wire::{self, attr_str, attr_u32, attr_u8, attrs, fixed, MsgBuilder, WireError, NLM_F_DUMP};
use crate::wire::{NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL};

pub const RTM_NEWRULE: u16 = 32;
pub const RTM_DELRULE: u16 = 33;
pub const RTM_GETRULE: u16 = 34;

const FRA_DST: u16 = 1;
const FRA_SRC: u16 = 2;
const FRA_IIFNAME: u16 = 3;
const FRA_GOTO: u16 = 4;
const FRA_PRIORITY: u16 = 6;
const FRA_FWMARK: u16 = 10;
const FRA_FLOW: u16 = 11;
const FRA_TUN_ID: u16 = 12;
const FRA_SUPPRESS_IFGROUP: u16 = 13;
const FRA_SUPPRESS_PREFIXLEN: u16 = 14;
const FRA_TABLE: u16 = 15;
const FRA_FWMASK: u16 = 16;
const FRA_OIFNAME: u16 = 17;
const FRA_L3MDEV: u16 = 19;
const FRA_UID_RANGE: u16 = 20;
const FRA_PROTOCOL: u16 = 21;
const FRA_IP_PROTO: u16 = 22;
const FRA_SPORT_RANGE: u16 = 23;
const FRA_DPORT_RANGE: u16 = 24;
/// Linux 6.13+ (iproute2 6.1 neither sends nor prints it).
const FRA_DSCP: u16 = 25;
/// fib_rule_hdr.flags: the rule matches what its selectors do not (`ip rule add not ...`).
pub const FIB_RULE_INVERT: u32 = 2;

const FIB_RULE_HDR_LEN: usize = 12;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rule {
    pub family: u8,
    pub dst_len: u8,
    pub src_len: u8,
    pub tos: u8,
    pub table: u32,
    /// FR_ACT_*.
    pub action: u8,
    pub flags: u32,
    pub priority: Option<u32>,
    pub src: Option<IpAddr>,
    pub dst: Option<IpAddr>,
    pub iifname: Option<String>,
    pub oifname: Option<String>,
    pub fwmark: Option<u32>,
    pub fwmask: Option<u32>,
    pub goto: Option<u32>,
    pub suppress_prefixlen: Option<u32>,
    pub uid_range: Option<(u32, u32)>,
    pub protocol: Option<u8>,
    pub extra: RuleExtra,
}

/// The selectors beyond the common ones, the same in a request and a listed rule.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RuleExtra {
    pub ip_proto: Option<u8>,
    pub sport: Option<(u16, u16)>,
    pub dport: Option<(u16, u16)>,
    /// Host order (sent big-endian, as ip's htonll).
    pub tun_id: Option<u64>,
    pub suppress_ifgroup: Option<u32>,
    /// FRA_FLOW: `from << 16 | to` realms.
    pub realms: Option<u32>,
    pub l3mdev: bool,
    pub dscp: Option<u8>,
}

/// FR_ACT_* names, as `ip rule` spells them.
pub const ACTIONS: &[(&str, u8)] =
    &[("unspec", 0), ("to_tbl", 1), ("goto", 2), ("nop", 3), ("blackhole", 6), ("unreachable", 7), ("prohibit", 8)];
const FR_ACT_TO_TBL: u8 = 1;

/// What `ip rule add|del` takes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RuleSpec {
    /// AF_INET or AF_INET6 (taken from `from`/`to` when they are given).
    pub family: u8,
    pub priority: Option<u32>,
    pub table: Option<u32>,
    pub src: Option<(IpAddr, u8)>,
    pub dst: Option<(IpAddr, u8)>,
    pub iifname: Option<String>,
    pub oifname: Option<String>,
    pub fwmark: Option<u32>,
    pub fwmask: Option<u32>,
    pub tos: u8,
    pub suppress_prefixlen: Option<u32>,
    pub uid_range: Option<(u32, u32)>,
    pub action: Option<u8>,
    pub goto: Option<u32>,
    pub protocol: Option<u8>,
    /// FIB_RULE_INVERT.
    pub invert: bool,
    pub extra: RuleExtra,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleOp {
    Add,
    Del,
}

/// Encodes like `ip rule`: a rule with no action looks up a table (main unless given).
pub fn encode(spec: &RuleSpec, op: RuleOp) -> Vec<u8> {
    let (ty, flags) = match op {
        RuleOp::Add => (RTM_NEWRULE, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL),
        RuleOp::Del => (RTM_DELRULE, NLM_F_ACK),
    };
    let family = spec.src.or(spec.dst).map(|(a, _)| family_of(&a)).unwrap_or(spec.family);
    let action = spec.action.unwrap_or(if spec.goto.is_some() {
        2
    } else if op == RuleOp::Del && spec.table.is_none() {
        0
    } else {
        FR_ACT_TO_TBL
    });
    let table = match (spec.table, action, op) {
        (Some(t), _, _) => Some(t),
        // An l3mdev rule finds its table from the device (ip sends none).
        (None, FR_ACT_TO_TBL, RuleOp::Add) if !spec.extra.l3mdev => Some(super::route::RT_TABLE_MAIN),
        _ => None,
    };
    let mut h = [0u8; FIB_RULE_HDR_LEN];
    h[0] = family;
    h[1] = spec.dst.map(|(_, l)| l).unwrap_or(0);
    h[2] = spec.src.map(|(_, l)| l).unwrap_or(0);
    h[3] = spec.tos;
    h[4] = table.and_then(|t| u8::try_from(t).ok()).unwrap_or(0);
    h[7] = action;
    if spec.invert {
        h[8..12].copy_from_slice(&FIB_RULE_INVERT.to_ne_bytes());
    }
    let mut b = MsgBuilder::new(ty, flags);
    b.push(&h);
    if let Some(t) = table {
        b.attr_u32(FRA_TABLE, t);
    }
    if let Some(p) = spec.priority {
        b.attr_u32(FRA_PRIORITY, p);
    }
    if let Some((a, _)) = &spec.src {
        b.attr(FRA_SRC, &ip_bytes(a));
    }
    if let Some((a, _)) = &spec.dst {
        b.attr(FRA_DST, &ip_bytes(a));
    }
    if let Some(n) = &spec.iifname {
        b.attr_str(FRA_IIFNAME, n);
    }
    if let Some(n) = &spec.oifname {
        b.attr_str(FRA_OIFNAME, n);
    }
    if let Some(m) = spec.fwmark {
        b.attr_u32(FRA_FWMARK, m);
    }
    if let Some(m) = spec.fwmask {
        b.attr_u32(FRA_FWMASK, m);
    }
    if let Some(v) = spec.suppress_prefixlen {
        b.attr_u32(FRA_SUPPRESS_PREFIXLEN, v);
    }
    if let Some((start, end)) = spec.uid_range {
        let mut v = [0u8; 8];
        v[..4].copy_from_slice(&start.to_ne_bytes());
        v[4..].copy_from_slice(&end.to_ne_bytes());
        b.attr(FRA_UID_RANGE, &v);
    }
    if let Some(g) = spec.goto {
        b.attr_u32(FRA_GOTO, g);
    }
    if let Some(p) = spec.protocol {
        b.attr_u8(FRA_PROTOCOL, p);
    }
    encode_extra(&spec.extra, &mut b);
    b.finish()
}

/// In the order iproute2 6.1 writes them for `ip rule add ... ipproto P sport A-B dport C
/// tun_id T realms F/T suppress_ifgroup G l3mdev`.
fn encode_extra(x: &RuleExtra, b: &mut MsgBuilder) {
    let range = |(start, end): (u16, u16)| {
        let mut v = [0u8; 4];
        v[..2].copy_from_slice(&start.to_ne_bytes());
        v[2..].copy_from_slice(&end.to_ne_bytes());
        v
    };
    if let Some(p) = x.ip_proto {
        b.attr_u8(FRA_IP_PROTO, p);
    }
    if let Some(r) = x.sport {
        b.attr(FRA_SPORT_RANGE, &range(r));
    }
    if let Some(r) = x.dport {
        b.attr(FRA_DPORT_RANGE, &range(r));
    }
    if let Some(t) = x.tun_id {
        b.attr(FRA_TUN_ID, &t.to_be_bytes());
    }
    if let Some(r) = x.realms {
        b.attr_u32(FRA_FLOW, r);
    }
    if let Some(g) = x.suppress_ifgroup {
        b.attr_u32(FRA_SUPPRESS_IFGROUP, g);
    }
    if x.l3mdev {
        b.attr_u8(FRA_L3MDEV, 1);
    }
    if let Some(d) = x.dscp {
        b.attr_u8(FRA_DSCP, d);
    }
}

fn decode_range(v: &[u8]) -> Option<(u16, u16)> {
    (v.len() >= 4).then(|| (u16::from_ne_bytes([v[0], v[1]]), u16::from_ne_bytes([v[2], v[3]])))
}

pub fn dump(family: u8) -> Vec<u8> {
    let mut b = MsgBuilder::new(RTM_GETRULE, NLM_F_DUMP);
    let mut h = [0u8; FIB_RULE_HDR_LEN];
    h[0] = family;
    b.push(&h);
    b.finish()
}

pub fn decode(payload: &[u8]) -> Result<Rule, WireError> {
    if payload.len() < FIB_RULE_HDR_LEN {
        return Err(WireError("short fib_rule_hdr"));
    }
    let h: [u8; FIB_RULE_HDR_LEN] = fixed(payload);
    let family = h[0];
    let mut r = Rule {
        family,
        dst_len: h[1],
        src_len: h[2],
        tos: h[3],
        table: h[4] as u32,
        action: h[7],
        flags: wire::u32_at(&h, 8),
        ..Default::default()
    };
    for a in attrs(&payload[FIB_RULE_HDR_LEN..]) {
        let (ty, v) = a?;
        match ty {
            FRA_DST => r.dst = ip_from(family, v),
            FRA_SRC => r.src = ip_from(family, v),
            FRA_IIFNAME => r.iifname = Some(attr_str(v)),
            FRA_OIFNAME => r.oifname = Some(attr_str(v)),
            FRA_GOTO => r.goto = attr_u32(v),
            FRA_PRIORITY => r.priority = attr_u32(v),
            FRA_FWMARK => r.fwmark = attr_u32(v),
            FRA_FWMASK => r.fwmask = attr_u32(v),
            FRA_TABLE => r.table = attr_u32(v).unwrap_or(r.table),
            FRA_SUPPRESS_PREFIXLEN => r.suppress_prefixlen = attr_u32(v),
            FRA_UID_RANGE if v.len() >= 8 => r.uid_range = Some((wire::u32_at(v, 0), wire::u32_at(v, 4))),
            FRA_PROTOCOL => r.protocol = attr_u8(v),
            FRA_IP_PROTO => r.extra.ip_proto = attr_u8(v),
            FRA_SPORT_RANGE => r.extra.sport = decode_range(v),
            FRA_DPORT_RANGE => r.extra.dport = decode_range(v),
            FRA_TUN_ID if v.len() >= 8 => r.extra.tun_id = Some(u64::from_be_bytes(fixed(v))),
            FRA_FLOW => r.extra.realms = attr_u32(v),
            FRA_SUPPRESS_IFGROUP => r.extra.suppress_ifgroup = attr_u32(v),
            FRA_L3MDEV => r.extra.l3mdev = attr_u8(v).is_some_and(|b| b != 0),
            FRA_DSCP => r.extra.dscp = attr_u8(v),
            _ => {}
        }
    }
    Ok(r)
}
