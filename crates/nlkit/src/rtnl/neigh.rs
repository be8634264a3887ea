//! Neighbours (RTM_*NEIGH): ARP, NDP and bridge FDB entries.

use std::net::IpAddr;

use super::ip_from;
use crate::wire::{self, attr_u32, attrs, fixed, MsgBuilder, WireError, NLM_F_DUMP};

pub const RTM_NEWNEIGH: u16 = 28;
pub const RTM_DELNEIGH: u16 = 29;
pub const RTM_GETNEIGH: u16 = 30;

const NDA_DST: u16 = 1;
const NDA_LLADDR: u16 = 2;
const NDA_PROBES: u16 = 4;
const NDA_VLAN: u16 = 5;
const NDA_MASTER: u16 = 9;

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
}

pub fn dump(family: u8) -> Vec<u8> {
    let mut b = MsgBuilder::new(RTM_GETNEIGH, NLM_F_DUMP);
    let mut h = [0u8; NDMSG_LEN];
    h[0] = family;
    b.push(&h);
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
    };
    for a in attrs(&payload[NDMSG_LEN..]) {
        let (ty, v) = a?;
        match ty {
            NDA_DST => n.dst = ip_from(family, v),
            NDA_LLADDR => n.lladdr = Some(v.to_vec()),
            NDA_PROBES => n.probes = attr_u32(v),
            NDA_VLAN if v.len() >= 2 => n.vlan = Some(wire::u16_at(v, 0)),
            NDA_MASTER => n.master = attr_u32(v),
            _ => {}
        }
    }
    Ok(n)
}
