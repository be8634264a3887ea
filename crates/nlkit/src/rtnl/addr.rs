//! Addresses (RTM_*ADDR): the ifaddrmsg header, decoding into [`Address`], and add/replace/del.

use std::net::{IpAddr, Ipv4Addr};

use super::{family_of, ip_bytes, ip_from};
use crate::wire::{self, attr_str, attr_u32, attrs, fixed, MsgBuilder, WireError};
use crate::wire::{NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_REPLACE};

pub const RTM_NEWADDR: u16 = 20;
pub const RTM_DELADDR: u16 = 21;
pub const RTM_GETADDR: u16 = 22;

const IFA_ADDRESS: u16 = 1;
const IFA_LOCAL: u16 = 2;
const IFA_LABEL: u16 = 3;
const IFA_BROADCAST: u16 = 4;
const IFA_CACHEINFO: u16 = 6;
const IFA_FLAGS: u16 = 8;

const IFADDRMSG_LEN: usize = 8;
const RT_SCOPE_HOST: u8 = 254;
/// Lifetime value meaning "forever".
pub const INFINITY_LIFE_TIME: u32 = u32::MAX;
pub const IFA_F_NOPREFIXROUTE: u32 = 0x200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub index: u32,
    pub family: u8,
    pub prefix_len: u8,
    pub flags: u32,
    pub scope: u8,
    /// The interface's own address (IFA_LOCAL for IPv4, IFA_ADDRESS for IPv6).
    pub address: Option<IpAddr>,
    /// The far end of a point-to-point link, when it differs from `address`.
    pub peer: Option<IpAddr>,
    pub broadcast: Option<IpAddr>,
    pub label: Option<String>,
    pub valid_lft: Option<u32>,
    pub preferred_lft: Option<u32>,
}

/// What `ip addr add|replace|del` takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddrSpec {
    pub index: u32,
    pub address: IpAddr,
    pub prefix_len: u8,
    pub scope: Option<u8>,
    pub label: Option<String>,
    pub broadcast: Option<Ipv4Addr>,
    pub peer: Option<IpAddr>,
    pub valid_lft: Option<u32>,
    pub preferred_lft: Option<u32>,
    /// IFA_F_* bits (nodad, noprefixroute, ...).
    pub flags: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddrOp {
    Add,
    Replace,
    Del,
}

fn ifaddrmsg(family: u8, prefix_len: u8, flags: u8, scope: u8, index: u32) -> [u8; IFADDRMSG_LEN] {
    let mut h = [0u8; IFADDRMSG_LEN];
    h[0] = family;
    h[1] = prefix_len;
    h[2] = flags;
    h[3] = scope;
    h[4..8].copy_from_slice(&index.to_ne_bytes());
    h
}

pub fn encode(spec: &AddrSpec, op: AddrOp) -> Vec<u8> {
    let (ty, nl_flags) = match op {
        AddrOp::Add => (RTM_NEWADDR, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL),
        AddrOp::Replace => (RTM_NEWADDR, NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE),
        AddrOp::Del => (RTM_DELADDR, NLM_F_ACK),
    };
    let family = family_of(&spec.address);
    // Like `ip`: loopback IPv4 addresses default to host scope.
    let default_scope = match spec.address {
        IpAddr::V4(a) if a.is_loopback() => RT_SCOPE_HOST,
        _ => 0,
    };
    let scope = spec.scope.unwrap_or(if op == AddrOp::Del { 0 } else { default_scope });
    let mut b = MsgBuilder::new(ty, nl_flags);
    b.push(&ifaddrmsg(family, spec.prefix_len, (spec.flags & 0xff) as u8, scope, spec.index));
    let local = ip_bytes(&spec.address);
    match spec.address {
        IpAddr::V4(_) => {
            b.attr(IFA_LOCAL, &local);
            let peer = spec.peer.map(|p| ip_bytes(&p)).unwrap_or_else(|| local.clone());
            b.attr(IFA_ADDRESS, &peer);
        }
        IpAddr::V6(_) => {
            if let Some(p) = spec.peer {
                b.attr(IFA_LOCAL, &local);
                b.attr(IFA_ADDRESS, &ip_bytes(&p));
            } else {
                b.attr(IFA_ADDRESS, &local);
            }
        }
    }
    if let Some(brd) = spec.broadcast {
        b.attr(IFA_BROADCAST, &brd.octets());
    }
    if let Some(label) = &spec.label {
        b.attr_str(IFA_LABEL, label);
    }
    if spec.flags > 0xff {
        b.attr_u32(IFA_FLAGS, spec.flags);
    }
    if op != AddrOp::Del && (spec.valid_lft.is_some() || spec.preferred_lft.is_some()) {
        let valid = spec.valid_lft.unwrap_or(INFINITY_LIFE_TIME);
        let preferred = spec.preferred_lft.unwrap_or(valid);
        let mut ci = [0u8; 16];
        ci[0..4].copy_from_slice(&preferred.to_ne_bytes());
        ci[4..8].copy_from_slice(&valid.to_ne_bytes());
        b.attr(IFA_CACHEINFO, &ci);
    }
    b.finish()
}

/// RTM_GETADDR dump; with strict checking the kernel itself filters by family and index.
pub fn dump(family: u8, index: u32) -> Vec<u8> {
    let mut b = MsgBuilder::new(RTM_GETADDR, NLM_F_DUMP);
    b.push(&ifaddrmsg(family, 0, 0, 0, index));
    b.finish()
}

pub fn decode(payload: &[u8]) -> Result<Address, WireError> {
    if payload.len() < IFADDRMSG_LEN {
        return Err(WireError("short ifaddrmsg"));
    }
    let h: [u8; IFADDRMSG_LEN] = fixed(payload);
    let family = h[0];
    let mut a = Address {
        index: wire::u32_at(&h, 4),
        family,
        prefix_len: h[1],
        flags: h[2] as u32,
        scope: h[3],
        address: None,
        peer: None,
        broadcast: None,
        label: None,
        valid_lft: None,
        preferred_lft: None,
    };
    let (mut local, mut address) = (None, None);
    for at in attrs(&payload[IFADDRMSG_LEN..]) {
        let (ty, v) = at?;
        match ty {
            IFA_LOCAL => local = ip_from(family, v),
            IFA_ADDRESS => address = ip_from(family, v),
            IFA_BROADCAST => a.broadcast = ip_from(family, v),
            IFA_LABEL => a.label = Some(attr_str(v)),
            IFA_FLAGS => a.flags = attr_u32(v).unwrap_or(a.flags),
            IFA_CACHEINFO if v.len() >= 8 => {
                a.preferred_lft = Some(wire::u32_at(v, 0));
                a.valid_lft = Some(wire::u32_at(v, 4));
            }
            _ => {}
        }
    }
    // `ip`'s reading: IFA_LOCAL is the address when present; IFA_ADDRESS is then the peer
    // if it differs.
    match (local, address) {
        (Some(l), Some(p)) => {
            a.address = Some(l);
            a.peer = (l != p).then_some(p);
        }
        (Some(l), None) => a.address = Some(l),
        (None, x) => a.address = x,
    }
    Ok(a)
}
