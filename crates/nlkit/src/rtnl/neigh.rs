//! Neighbours (RTM_*NEIGH): ARP, NDP and bridge FDB entries.

use std::net::IpAddr;

use super::{ip_bytes, ip_from};
use crate::wire::{self, attr_u32, attrs, fixed, MsgBuilder, WireError, NLM_F_DUMP};
use crate::wire::{NLM_F_ACK, NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE};

pub const RTM_NEWNEIGH: u16 = 28;
pub const RTM_DELNEIGH: u16 = 29;
pub const RTM_GETNEIGH: u16 = 30;

const NDA_DST: u16 = 1;
const NDA_LLADDR: u16 = 2;
const NDA_PROBES: u16 = 4;
const NDA_VLAN: u16 = 5;
const NDA_IFINDEX: u16 = 8;
const NDA_MASTER: u16 = 9;
const NDA_PORT: u16 = 6;
const NDA_VNI: u16 = 7;
const NDA_SRC_VNI: u16 = 11;
const NDA_PROTOCOL: u16 = 12;
const NDA_NH_ID: u16 = 13;
pub const NTF_PROXY: u8 = 0x08;

const NDMSG_LEN: usize = 12;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neighbour {
    pub family: u8,
    pub index: u32,
    /// NUD_* bits.
    pub state: u16,
    /// NTF_* bits.
    pub flags: u8,
    pub ntype: u8,
    pub dst: Option<IpAddr>,
    pub lladdr: Option<Vec<u8>>,
    pub probes: Option<u32>,
    pub vlan: Option<u16>,
    pub master: Option<u32>,
    /// VXLAN FDB: the remote's UDP port, VNI, source VNI, the device to reach it through
    /// (NDA_IFINDEX) and a nexthop group (NDA_NH_ID).
    pub port: Option<u16>,
    pub vni: Option<u32>,
    pub src_vni: Option<u32>,
    pub via: Option<u32>,
    pub nhid: Option<u32>,
    /// RTPROT_* of whoever added it.
    pub protocol: Option<u8>,
}

pub const AF_BRIDGE: u8 = 7;
pub const NUD_PERMANENT: u16 = 0x80;
pub const NUD_NOARP: u16 = 0x40;

/// NUD_* state names, as `ip neigh` spells them (lower case).
pub const STATES: &[(&str, u16)] = &[
    ("incomplete", 0x01),
    ("reachable", 0x02),
    ("stale", 0x04),
    ("delay", 0x08),
    ("probe", 0x10),
    ("failed", 0x20),
    ("noarp", 0x40),
    ("permanent", 0x80),
    ("none", 0x00),
];

/// NTF_* flag names.
pub const FLAGS: &[(&str, u8)] = &[
    ("use", 0x01),
    ("self", 0x02),
    ("master", 0x04),
    ("proxy", 0x08),
    ("extern_learn", 0x10),
    ("offload", 0x20),
    ("sticky", 0x40),
    ("router", 0x80),
];

fn ndmsg(family: u8, index: u32, state: u16, flags: u8) -> [u8; NDMSG_LEN] {
    let mut h = [0u8; NDMSG_LEN];
    h[0] = family;
    h[4..8].copy_from_slice(&index.to_ne_bytes());
    h[8..10].copy_from_slice(&state.to_ne_bytes());
    h[10] = flags;
    h
}

/// RTM_GETNEIGH dump; with strict checking the kernel filters by family and device itself.
pub fn dump(family: u8) -> Vec<u8> {
    dump_filtered(family, 0, false)
}

/// With strict checking the device filter must be NDA_IFINDEX (the header's ifindex is refused).
/// `proxy` dumps the proxy entries (`ip neigh show proxy`) instead of the neighbours.
pub fn dump_filtered(family: u8, index: u32, proxy: bool) -> Vec<u8> {
    let mut b = MsgBuilder::new(RTM_GETNEIGH, NLM_F_DUMP);
    b.push(&ndmsg(family, 0, 0, if proxy { NTF_PROXY } else { 0 }));
    if index != 0 {
        b.attr_u32(NDA_IFINDEX, index);
    }
    b.finish()
}

/// What `ip neigh add|replace|del` (and `bridge fdb`) take.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NeighSpec {
    /// AF_INET, AF_INET6 or AF_BRIDGE (FDB).
    pub family: u8,
    pub index: u32,
    pub dst: Option<IpAddr>,
    pub lladdr: Option<Vec<u8>>,
    /// NUD_* bits (default permanent).
    pub state: Option<u16>,
    /// NTF_* bits.
    pub flags: u8,
    pub vlan: Option<u16>,
    pub port: Option<u16>,
    pub vni: Option<u32>,
    pub src_vni: Option<u32>,
    /// NDA_IFINDEX: the device a VXLAN remote is reached through (`via`).
    pub via: Option<u32>,
    pub nhid: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NeighOp {
    Add,
    Replace,
    /// `bridge fdb append`: another remote for the same MAC (a VXLAN flood list).
    Append,
    Del,
}

pub fn encode(spec: &NeighSpec, op: NeighOp) -> Vec<u8> {
    let (ty, flags) = match op {
        NeighOp::Add => (RTM_NEWNEIGH, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL),
        NeighOp::Replace => (RTM_NEWNEIGH, NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE),
        NeighOp::Append => (RTM_NEWNEIGH, NLM_F_ACK | NLM_F_CREATE | NLM_F_APPEND),
        NeighOp::Del => (RTM_DELNEIGH, NLM_F_ACK),
    };
    // As `bridge fdb del` does: the default FDB handler only deletes static (permanent) entries.
    let state = spec.state.unwrap_or(match (op, spec.family) {
        (NeighOp::Del, AF_BRIDGE) => NUD_PERMANENT | NUD_NOARP,
        (NeighOp::Del, _) => 0,
        _ => NUD_PERMANENT,
    });
    let mut b = MsgBuilder::new(ty, flags);
    b.push(&ndmsg(spec.family, spec.index, state, spec.flags));
    if let Some(d) = &spec.dst {
        b.attr(NDA_DST, &ip_bytes(d));
    }
    if let Some(l) = &spec.lladdr {
        b.attr(NDA_LLADDR, l);
    }
    if let Some(v) = spec.vlan {
        b.attr(NDA_VLAN, &v.to_ne_bytes());
    }
    if let Some(p) = spec.port {
        b.attr(NDA_PORT, &p.to_be_bytes());
    }
    for (attr, v) in [(NDA_VNI, spec.vni), (NDA_SRC_VNI, spec.src_vni), (NDA_IFINDEX, spec.via), (NDA_NH_ID, spec.nhid)] {
        if let Some(v) = v {
            b.attr_u32(attr, v);
        }
    }
    b.finish()
}

pub fn decode(payload: &[u8]) -> Result<Neighbour, WireError> {
    if payload.len() < NDMSG_LEN {
        return Err(WireError("short ndmsg"));
    }
    let h: [u8; NDMSG_LEN] = fixed(payload);
    let family = h[0];
    let mut n = Neighbour {
        family,
        index: wire::u32_at(&h, 4),
        state: wire::u16_at(&h, 8),
        flags: h[10],
        ntype: h[11],
        dst: None,
        lladdr: None,
        probes: None,
        vlan: None,
        master: None,
        port: None,
        vni: None,
        src_vni: None,
        via: None,
        nhid: None,
        protocol: None,
    };
    for a in attrs(&payload[NDMSG_LEN..]) {
        let (ty, v) = a?;
        match ty {
            // A bridge FDB entry's remote (VXLAN) is IPv4 or IPv6 by its length.
            NDA_DST if family == AF_BRIDGE => n.dst = ip_from(if v.len() == 16 { super::AF_INET6 } else { super::AF_INET }, v),
            NDA_DST => n.dst = ip_from(family, v),
            NDA_LLADDR => n.lladdr = Some(v.to_vec()),
            NDA_PROBES => n.probes = attr_u32(v),
            NDA_VLAN if v.len() >= 2 => n.vlan = Some(wire::u16_at(v, 0)),
            NDA_MASTER => n.master = attr_u32(v),
            NDA_PORT if v.len() >= 2 => n.port = Some(u16::from_be_bytes([v[0], v[1]])),
            NDA_VNI => n.vni = attr_u32(v),
            NDA_SRC_VNI => n.src_vni = attr_u32(v),
            NDA_IFINDEX => n.via = attr_u32(v),
            NDA_NH_ID => n.nhid = attr_u32(v),
            NDA_PROTOCOL => n.protocol = v.first().copied(),
            _ => {}
        }
    }
    Ok(n)
}
