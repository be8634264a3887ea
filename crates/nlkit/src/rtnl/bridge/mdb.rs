//! Multicast database entries (RTM_*MDB, `bridge mdb`): which bridge ports receive which
//! multicast group (IPv4, IPv6 or a MAC group), optionally per source and VLAN.

use std::net::IpAddr;

use crate::rtnl::{family_of, ip_bytes, AF_INET, AF_INET6};
use crate::wire::{attr_u32, attrs, MsgBuilder, WireError, NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_REPLACE};

pub const RTM_NEWMDB: u16 = 84;
pub const RTM_DELMDB: u16 = 85;
pub const RTM_GETMDB: u16 = 86;

const AF_BRIDGE: u8 = 7;
const MDBA_MDB: u16 = 1;
const MDBA_ROUTER: u16 = 2;
const MDBA_MDB_ENTRY: u16 = 1;
const MDBA_MDB_ENTRY_INFO: u16 = 1;
const MDBA_MDB_EATTR_TIMER: u16 = 1;
const MDBA_MDB_EATTR_GROUP_MODE: u16 = 3;
const MDBA_MDB_EATTR_SOURCE: u16 = 4;
const MDBA_MDB_EATTR_RTPROT: u16 = 5;
const MDBA_ROUTER_PORT: u16 = 1;
const MDBA_SET_ENTRY: u16 = 1;
const MDBA_SET_ENTRY_ATTRS: u16 = 2;
const MDBE_ATTR_SOURCE: u16 = 1;
const MDBE_ATTR_GROUP_MODE: u16 = 3;
const MDBE_ATTR_RTPROT: u16 = 4;

const ETH_P_IP: u16 = 0x0800;
const ETH_P_IPV6: u16 = 0x86dd;
/// `struct br_mdb_entry`: ifindex, state, flags, vid, a 16-byte address union, its protocol
/// (network order), padded to 4.
const ENTRY_LEN: usize = 28;

/// MDB_FLAGS_* names.
pub const FLAGS: &[(&str, u8)] = &[("offload", 1), ("fast_leave", 2), ("star_exclude", 4), ("blocked", 8)];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Group {
    Ip(IpAddr),
    Mac([u8; 6]),
}

/// One entry: a port in a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The port's ifindex.
    pub port: u32,
    pub group: Group,
    pub permanent: bool,
    pub flags: u8,
    pub vid: u16,
    pub source: Option<IpAddr>,
    /// Remaining membership time, centiseconds (temporary entries).
    pub timer: Option<u32>,
    pub protocol: Option<u8>,
    /// MCAST_EXCLUDE (false) or MCAST_INCLUDE (true) for IGMPv3/MLDv2 entries.
    pub include: Option<bool>,
}

/// One RTM_NEWMDB/DELMDB message: a bridge's entries (and router ports).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mdb {
    pub bridge: u32,
    pub entries: Vec<Entry>,
    pub routers: Vec<u32>,
}

fn port_msg(b: &mut MsgBuilder, bridge: u32) {
    let mut h = [0u8; 8];
    h[0] = AF_BRIDGE;
    h[4..8].copy_from_slice(&bridge.to_ne_bytes());
    b.push(&h);
}

/// Every bridge's entries: the kernel refuses a dump filtered by bridge ("Filtering by device
/// index is not supported"), so the caller filters. It answers with RTM_GETMDB messages.
pub fn dump() -> Vec<u8> {
    let mut b = MsgBuilder::new(RTM_GETMDB, NLM_F_DUMP);
    port_msg(&mut b, 0);
    b.finish()
}

/// What `bridge mdb add|replace|del` sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MdbOp {
    Add,
    Replace,
    Del,
}

fn entry_bytes(e: &Entry) -> [u8; ENTRY_LEN] {
    let mut h = [0u8; ENTRY_LEN];
    h[0..4].copy_from_slice(&e.port.to_ne_bytes());
    h[4] = e.permanent as u8;
    h[5] = e.flags;
    h[6..8].copy_from_slice(&e.vid.to_ne_bytes());
    let proto = match &e.group {
        Group::Ip(ip) => {
            let o = ip_bytes(ip);
            h[8..8 + o.len()].copy_from_slice(&o);
            if ip.is_ipv4() {
                ETH_P_IP
            } else {
                ETH_P_IPV6
            }
        }
        Group::Mac(m) => {
            h[8..14].copy_from_slice(m);
            0
        }
    };
    h[24..26].copy_from_slice(&proto.to_be_bytes());
    h
}

pub fn encode(bridge: u32, e: &Entry, op: MdbOp) -> Vec<u8> {
    let (ty, flags) = match op {
        MdbOp::Add => (RTM_NEWMDB, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL),
        MdbOp::Replace => (RTM_NEWMDB, NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE),
        MdbOp::Del => (RTM_DELMDB, NLM_F_ACK),
    };
    let mut b = MsgBuilder::new(ty, flags);
    port_msg(&mut b, bridge);
    b.attr(MDBA_SET_ENTRY, &entry_bytes(e));
    if e.source.is_some() || e.include.is_some() || e.protocol.is_some() {
        let n = b.nest_start(MDBA_SET_ENTRY_ATTRS);
        if let Some(s) = &e.source {
            b.attr(MDBE_ATTR_SOURCE, &ip_bytes(s));
        }
        if let Some(inc) = e.include {
            b.attr(MDBE_ATTR_GROUP_MODE, &[inc as u8]);
        }
        if let Some(p) = e.protocol {
            b.attr(MDBE_ATTR_RTPROT, &[p]);
        }
        b.nest_end(n);
    }
    b.finish()
}

fn ip_of(v: &[u8]) -> Option<IpAddr> {
    crate::rtnl::ip_from(if v.len() == 16 { AF_INET6 } else { AF_INET }, v)
}

fn decode_entry(v: &[u8]) -> Option<Entry> {
    let h = v.get(..ENTRY_LEN.min(26))?;
    let proto = u16::from_be_bytes([h[24], h[25]]);
    let group = match proto {
        ETH_P_IP => Group::Ip(ip_of(&h[8..12])?),
        ETH_P_IPV6 => Group::Ip(ip_of(&h[8..24])?),
        _ => Group::Mac(h[8..14].try_into().ok()?),
    };
    let mut e = Entry {
        port: u32::from_ne_bytes([h[0], h[1], h[2], h[3]]),
        group,
        permanent: h[4] != 0,
        flags: h[5],
        vid: u16::from_ne_bytes([h[6], h[7]]),
        source: None,
        timer: None,
        protocol: None,
        include: None,
    };
    for (ty, a) in attrs(v.get(ENTRY_LEN..).unwrap_or_default()).map_while(Result::ok) {
        match ty {
            MDBA_MDB_EATTR_TIMER => e.timer = attr_u32(a),
            MDBA_MDB_EATTR_SOURCE => e.source = ip_of(a),
            MDBA_MDB_EATTR_RTPROT => e.protocol = a.first().copied(),
            MDBA_MDB_EATTR_GROUP_MODE => e.include = a.first().map(|m| *m != 0),
            _ => {}
        }
    }
    Some(e)
}

pub fn decode(payload: &[u8]) -> Result<Mdb, WireError> {
    if payload.len() < 8 {
        return Err(WireError("short br_port_msg"));
    }
    let mut m =
        Mdb { bridge: u32::from_ne_bytes([payload[4], payload[5], payload[6], payload[7]]), entries: Vec::new(), routers: Vec::new() };
    for a in attrs(&payload[8..]) {
        let (ty, v) = a?;
        match ty {
            MDBA_MDB => {
                for (ety, ev) in attrs(v).map_while(Result::ok) {
                    if ety != MDBA_MDB_ENTRY {
                        continue;
                    }
                    for (ity, iv) in attrs(ev).map_while(Result::ok) {
                        if ity == MDBA_MDB_ENTRY_INFO {
                            m.entries.extend(decode_entry(iv));
                        }
                    }
                }
            }
            MDBA_ROUTER => {
                for (rty, rv) in attrs(v).map_while(Result::ok) {
                    if rty == MDBA_ROUTER_PORT {
                        m.routers.extend(attr_u32(rv));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(m)
}

/// The family an entry's addresses need (for checking a source against its group).
pub fn group_family(g: &Group) -> Option<u8> {
    match g {
        Group::Ip(ip) => Some(family_of(ip)),
        Group::Mac(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::NLMSG_HDRLEN;

    fn entry(group: Group) -> Entry {
        Entry { port: 4, group, permanent: true, flags: 0, vid: 0, source: None, timer: None, protocol: None, include: None }
    }

    /// `bridge mdb add dev br0 port v0 grp 239.1.1.2 src 10.0.0.9 permanent` (iproute2 6.1;
    /// br0 = 2, v0 = 4): 68 bytes, MDBA_SET_ENTRY then the source in MDBA_SET_ENTRY_ATTRS.
    #[test]
    fn add_equals_iproute2() {
        let mut e = entry(Group::Ip("239.1.1.2".parse().unwrap()));
        e.source = Some("10.0.0.9".parse().unwrap());
        let m = encode(2, &e, MdbOp::Add);
        assert_eq!(&m[..8], &[68, 0, 0, 0, 0x54, 0, 0x05, 0x06]);
        let mut want = vec![7, 0, 0, 0, 2, 0, 0, 0, 32, 0, 1, 0, 4, 0, 0, 0, 1, 0, 0, 0, 239, 1, 1, 2];
        want.extend_from_slice(&[0; 12]);
        want.extend_from_slice(&[8, 0, 0, 0]);
        want.extend_from_slice(&[12, 0, 2, 0x80, 8, 0, 1, 0, 10, 0, 0, 9]);
        assert_eq!(&m[NLMSG_HDRLEN..], &want[..]);
        // A MAC group has protocol 0; IPv6 ETH_P_IPV6; a temporary entry state 0.
        let mac = encode(2, &entry(Group::Mac([1, 0, 0x5e, 1, 2, 3])), MdbOp::Del);
        assert_eq!(&mac[4..8], &[0x55, 0, 5, 0]);
        assert_eq!(&mac[NLMSG_HDRLEN + 20..NLMSG_HDRLEN + 26], &[1, 0, 0x5e, 1, 2, 3]);
        assert_eq!(&mac[NLMSG_HDRLEN + 36..NLMSG_HDRLEN + 38], &[0, 0]);
        let mut v6 = entry(Group::Ip("ff0e::5".parse().unwrap()));
        v6.permanent = false;
        let m6 = encode(2, &v6, MdbOp::Add);
        assert_eq!(m6[NLMSG_HDRLEN + 16], 0);
        assert_eq!(&m6[NLMSG_HDRLEN + 36..NLMSG_HDRLEN + 38], &[0x86, 0xdd]);
    }

    #[test]
    fn decodes_a_dump_and_survives_cuts() {
        let mut b = MsgBuilder::new(RTM_NEWMDB, 0);
        b.push(&[7, 0, 0, 0, 2, 0, 0, 0]);
        let mdb = b.nest_start(MDBA_MDB);
        let en = b.nest_start(MDBA_MDB_ENTRY);
        for (g, timer) in [(Group::Ip("239.1.1.2".parse().unwrap()), None), (Group::Ip("ff0e::5".parse().unwrap()), Some(25000))] {
            let info = b.nest_start(MDBA_MDB_ENTRY_INFO);
            let mut e = entry(g);
            e.permanent = timer.is_none();
            b.push(&entry_bytes(&e));
            if let Some(t) = timer {
                b.attr_u32(MDBA_MDB_EATTR_TIMER, t);
            } else {
                b.attr(MDBA_MDB_EATTR_SOURCE, &[10, 0, 0, 9]);
                b.attr(MDBA_MDB_EATTR_RTPROT, &[3]);
            }
            b.nest_end(info);
        }
        b.nest_end(en);
        b.nest_end(mdb);
        let r = b.nest_start(MDBA_ROUTER);
        b.attr_u32(MDBA_ROUTER_PORT, 5);
        b.nest_end(r);
        let m = b.finish();
        let d = decode(&m[NLMSG_HDRLEN..]).unwrap();
        assert_eq!(d.bridge, 2);
        assert_eq!(d.routers, vec![5]);
        assert_eq!(d.entries.len(), 2);
        assert_eq!(d.entries[0].source, Some("10.0.0.9".parse().unwrap()));
        assert_eq!(d.entries[0].protocol, Some(3));
        assert!(d.entries[0].permanent);
        assert_eq!(d.entries[1].timer, Some(25000));
        assert_eq!(d.entries[1].group, Group::Ip("ff0e::5".parse().unwrap()));
        for cut in 0..m.len() - NLMSG_HDRLEN {
            let _ = decode(&m[NLMSG_HDRLEN..NLMSG_HDRLEN + cut]);
        }
    }
}
