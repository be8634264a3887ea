//! Policy routing rules (RTM_*RULE).

use std::net::IpAddr;

use super::ip_from;
use crate::wire::{self, attr_str, attr_u32, attr_u8, attrs, fixed, MsgBuilder, WireError, NLM_F_DUMP};

pub const RTM_NEWRULE: u16 = 32;
pub const RTM_DELRULE: u16 = 33;
pub const RTM_GETRULE: u16 = 34;

const FRA_DST: u16 = 1;
const FRA_SRC: u16 = 2;
const FRA_IIFNAME: u16 = 3;
const FRA_GOTO: u16 = 4;
const FRA_PRIORITY: u16 = 6;
const FRA_FWMARK: u16 = 10;
const FRA_SUPPRESS_PREFIXLEN: u16 = 14;
const FRA_TABLE: u16 = 15;
const FRA_FWMASK: u16 = 16;
const FRA_OIFNAME: u16 = 17;
const FRA_UID_RANGE: u16 = 20;
const FRA_PROTOCOL: u16 = 21;

const FIB_RULE_HDR_LEN: usize = 12;

#[derive(Debug, Clone, PartialEq, Eq)]
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
        priority: None,
        src: None,
        dst: None,
        iifname: None,
        oifname: None,
        fwmark: None,
        fwmask: None,
        goto: None,
        suppress_prefixlen: None,
        uid_range: None,
        protocol: None,
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
            _ => {}
        }
    }
    Ok(r)
}
