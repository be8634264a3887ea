//! Nexthop objects (RTM_*NEXTHOP, `ip nexthop`): single nexthops (gateway and device,
//! blackhole, fdb) and groups of them (multipath or resilient), plus a resilient group's
//! buckets (RTM_*NEXTHOPBUCKET). Requests are framed as iproute2 6.1 frames them.

use std::net::IpAddr;

use super::route::Encap;
use super::{family_of, ip_bytes, ip_from, AF_INET};
use crate::wire::{attr_u32, attr_u64, attrs, u16_at, u32_at, MsgBuilder, WireError};
use crate::wire::{NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_REPLACE};

pub const RTM_NEWNEXTHOP: u16 = 104;
pub const RTM_DELNEXTHOP: u16 = 105;
pub const RTM_GETNEXTHOP: u16 = 106;
pub const RTM_NEWNEXTHOPBUCKET: u16 = 116;
pub const RTM_DELNEXTHOPBUCKET: u16 = 117;
pub const RTM_GETNEXTHOPBUCKET: u16 = 118;

const NHA_ID: u16 = 1;
const NHA_GROUP: u16 = 2;
const NHA_GROUP_TYPE: u16 = 3;
const NHA_BLACKHOLE: u16 = 4;
const NHA_OIF: u16 = 5;
const NHA_GATEWAY: u16 = 6;
const NHA_ENCAP_TYPE: u16 = 7;
const NHA_ENCAP: u16 = 8;
const NHA_GROUPS: u16 = 9;
const NHA_MASTER: u16 = 10;
const NHA_FDB: u16 = 11;
const NHA_RES_GROUP: u16 = 12;
const NHA_RES_BUCKET: u16 = 13;

const NHA_RES_GROUP_BUCKETS: u16 = 1;
const NHA_RES_GROUP_IDLE_TIMER: u16 = 2;
const NHA_RES_GROUP_UNBALANCED_TIMER: u16 = 3;
const NHA_RES_GROUP_UNBALANCED_TIME: u16 = 4;
const NHA_RES_BUCKET_INDEX: u16 = 1;
const NHA_RES_BUCKET_IDLE_TIME: u16 = 2;
const NHA_RES_BUCKET_NH_ID: u16 = 3;

pub const NEXTHOP_GRP_TYPE_MPATH: u16 = 0;
pub const NEXTHOP_GRP_TYPE_RES: u16 = 1;
pub const RTNH_F_ONLINK: u32 = 4;

/// The kernel's timers count USER_HZ ticks (clock_t); `ip` takes and prints seconds.
pub const USER_HZ: u64 = 100;
const NHMSG_LEN: usize = 8;
/// struct nexthop_grp: id, weight - 1 (low byte), its high byte (kernels ≥ 6.12), reserved.
const NH_GRP_LEN: usize = 8;

/// One member of a group: the nexthop's id and its weight (1 to 65536; kernels before 6.12
/// take up to 256).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    pub id: u32,
    pub weight: u32,
}

/// A resilient group's parameters (timers in seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Resilient {
    pub buckets: Option<u16>,
    pub idle_timer: Option<u32>,
    pub unbalanced_timer: Option<u32>,
    /// Seconds the group has been unbalanced (reported only).
    pub unbalanced_time: Option<u64>,
}

/// One bucket of a resilient group (RTM_NEWNEXTHOPBUCKET).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bucket {
    pub index: u16,
    /// USER_HZ ticks since the bucket was last used.
    pub idle_time: u64,
    pub nh_id: u32,
}

/// A nexthop object as the kernel reports it, or a bucket of a resilient group.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Nexthop {
    pub id: u32,
    pub family: u8,
    pub scope: u8,
    pub protocol: u8,
    pub flags: u32,
    pub oif: Option<u32>,
    pub gateway: Option<IpAddr>,
    pub blackhole: bool,
    pub fdb: bool,
    pub group: Vec<Member>,
    pub group_type: Option<u16>,
    pub resilient: Option<Resilient>,
    pub bucket: Option<Bucket>,
    pub encap: Option<Encap>,
}

/// What `ip nexthop add|replace` takes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NexthopSpec {
    pub id: Option<u32>,
    /// AF_INET or AF_INET6 for a single nexthop (from the gateway; AF_INET otherwise); groups 0.
    pub family: u8,
    pub oif: Option<u32>,
    pub gateway: Option<IpAddr>,
    pub blackhole: bool,
    pub onlink: bool,
    pub fdb: bool,
    pub protocol: Option<u8>,
    pub group: Vec<Member>,
    pub group_type: u16,
    pub resilient: Resilient,
    /// Lightweight tunnel encapsulation (`ip nexthop add ... encap TYPE ...`).
    pub encap: Option<Encap>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NexthopOp {
    Add,
    Replace,
}

/// Which nexthops a dump returns (the kernel filters: `ip nexthop show dev X | groups | fdb`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DumpFilter {
    pub oif: Option<u32>,
    pub master: Option<u32>,
    pub groups: bool,
    pub fdb: bool,
}

fn nhmsg(b: &mut MsgBuilder, family: u8, protocol: u8, flags: u32) {
    b.push(&[family, 0, protocol, 0]).push(&flags.to_ne_bytes());
}

fn checked(spec: &NexthopSpec) -> Result<(), String> {
    let single = spec.gateway.is_some() || spec.oif.is_some() || spec.blackhole;
    if !spec.group.is_empty() && single {
        return Err("a group takes no gateway, device or blackhole".into());
    }
    if spec.group.is_empty() && !single && !spec.fdb {
        return Err("a nexthop needs a gateway, a device, blackhole or a group".into());
    }
    if spec.blackhole && (spec.gateway.is_some() || spec.oif.is_some() || spec.fdb) {
        return Err("blackhole takes no gateway, device or fdb".into());
    }
    if spec.encap.is_some() && (!spec.group.is_empty() || spec.blackhole) {
        return Err("encap is for a nexthop with a gateway or device (not a group or blackhole)".into());
    }
    if spec.group.len() > 1024 {
        return Err("a group has at most 1024 members".into());
    }
    if let Some(m) = spec.group.iter().find(|m| m.weight == 0 || m.weight > 65536 || m.id == 0) {
        return Err(format!("group member {}: id must be above 0 and weight 1 to 65536", m.id));
    }
    if spec.group_type != NEXTHOP_GRP_TYPE_RES && spec.resilient != Resilient::default() {
        return Err("buckets and timers are for resilient groups".into());
    }
    Ok(())
}

/// `ip nexthop add|replace`: NHA_ID, then the group (and a resilient group's nest and type) or
/// the blackhole flag or gateway and device, then fdb.
pub fn encode(spec: &NexthopSpec, op: NexthopOp) -> Result<Vec<u8>, String> {
    checked(spec)?;
    let flags = match op {
        NexthopOp::Add => NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
        NexthopOp::Replace => NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE,
    };
    let mut b = MsgBuilder::new(RTM_NEWNEXTHOP, flags);
    let family = match (spec.group.is_empty(), spec.gateway) {
        (false, _) => 0,
        (true, Some(g)) => family_of(&g),
        (true, None) if spec.family != 0 => spec.family,
        (true, None) => AF_INET,
    };
    nhmsg(&mut b, family, spec.protocol.unwrap_or(0), if spec.onlink { RTNH_F_ONLINK } else { 0 });
    if let Some(id) = spec.id {
        b.attr_u32(NHA_ID, id);
    }
    if !spec.group.is_empty() {
        let mut g = Vec::with_capacity(spec.group.len() * NH_GRP_LEN);
        for m in &spec.group {
            let w = m.weight - 1;
            g.extend_from_slice(&m.id.to_ne_bytes());
            g.extend_from_slice(&[(w & 0xff) as u8, (w >> 8) as u8, 0, 0]);
        }
        b.attr(NHA_GROUP, &g);
        if spec.group_type == NEXTHOP_GRP_TYPE_RES {
            let r = &spec.resilient;
            let at = b.nest_start(NHA_RES_GROUP);
            if let Some(n) = r.buckets {
                b.attr(NHA_RES_GROUP_BUCKETS, &n.to_ne_bytes());
            }
            for (ty, v) in [(NHA_RES_GROUP_IDLE_TIMER, r.idle_timer), (NHA_RES_GROUP_UNBALANCED_TIMER, r.unbalanced_timer)] {
                if let Some(s) = v {
                    let ticks = u32::try_from(s as u64 * USER_HZ).map_err(|_| "a timer is at most 42949672 seconds".to_string())?;
                    b.attr_u32(ty, ticks);
                }
            }
            b.nest_end(at);
            b.attr(NHA_GROUP_TYPE, &NEXTHOP_GRP_TYPE_RES.to_ne_bytes());
        }
    } else if spec.blackhole {
        b.attr(NHA_BLACKHOLE, &[]);
    } else {
        if let Some(e) = &spec.encap {
            e.put(&mut b, NHA_ENCAP, NHA_ENCAP_TYPE);
        }
        if let Some(g) = spec.gateway {
            b.attr(NHA_GATEWAY, &ip_bytes(&g));
        }
        if let Some(o) = spec.oif {
            b.attr_u32(NHA_OIF, o);
        }
    }
    if spec.fdb {
        b.attr(NHA_FDB, &[]);
    }
    Ok(b.finish())
}

fn by_id(ty: u16, flags: u16, id: u32) -> Vec<u8> {
    let mut b = MsgBuilder::new(ty, flags);
    nhmsg(&mut b, 0, 0, 0);
    b.attr_u32(NHA_ID, id);
    b.finish()
}

/// `ip nexthop del id N`.
pub fn del(id: u32) -> Vec<u8> {
    by_id(RTM_DELNEXTHOP, NLM_F_ACK, id)
}

/// `ip nexthop show id N`.
pub fn get(id: u32) -> Vec<u8> {
    by_id(RTM_GETNEXTHOP, 0, id)
}

/// `ip nexthop show [dev X] [master X] [groups] [fdb]`.
pub fn dump(f: &DumpFilter) -> Vec<u8> {
    let mut b = MsgBuilder::new(RTM_GETNEXTHOP, NLM_F_DUMP);
    nhmsg(&mut b, 0, 0, 0);
    if let Some(o) = f.oif {
        b.attr_u32(NHA_OIF, o);
    }
    if let Some(m) = f.master {
        b.attr_u32(NHA_MASTER, m);
    }
    if f.groups {
        b.attr(NHA_GROUPS, &[]);
    }
    if f.fdb {
        b.attr(NHA_FDB, &[]);
    }
    b.finish()
}

/// `ip nexthop bucket show [id GROUP] [nhid MEMBER]`.
pub fn bucket_dump(group: Option<u32>, member: Option<u32>) -> Vec<u8> {
    let mut b = MsgBuilder::new(RTM_GETNEXTHOPBUCKET, NLM_F_DUMP);
    nhmsg(&mut b, 0, 0, 0);
    if let Some(id) = group {
        b.attr_u32(NHA_ID, id);
    }
    if let Some(nh) = member {
        let at = b.nest_start(NHA_RES_BUCKET);
        b.attr_u32(NHA_RES_BUCKET_NH_ID, nh);
        b.nest_end(at);
    }
    b.finish()
}

fn u16_attr(v: &[u8]) -> Option<u16> {
    (v.len() >= 2).then(|| u16_at(v, 0))
}

fn resilient(v: &[u8]) -> Resilient {
    let mut r = Resilient::default();
    for (ty, a) in attrs(v).map_while(Result::ok) {
        match ty {
            NHA_RES_GROUP_BUCKETS => r.buckets = u16_attr(a),
            NHA_RES_GROUP_IDLE_TIMER => r.idle_timer = attr_u32(a).map(|t| (t as u64 / USER_HZ) as u32),
            NHA_RES_GROUP_UNBALANCED_TIMER => r.unbalanced_timer = attr_u32(a).map(|t| (t as u64 / USER_HZ) as u32),
            NHA_RES_GROUP_UNBALANCED_TIME => r.unbalanced_time = attr_u64(a).map(|t| t / USER_HZ),
            _ => {}
        }
    }
    r
}

fn bucket(v: &[u8]) -> Option<Bucket> {
    let (mut index, mut idle_time, mut nh_id) = (None, 0, None);
    for (ty, a) in attrs(v).map_while(Result::ok) {
        match ty {
            NHA_RES_BUCKET_INDEX => index = u16_attr(a),
            NHA_RES_BUCKET_IDLE_TIME => idle_time = attr_u64(a).unwrap_or(0),
            NHA_RES_BUCKET_NH_ID => nh_id = attr_u32(a),
            _ => {}
        }
    }
    Some(Bucket { index: index?, idle_time, nh_id: nh_id? })
}

/// Decodes an RTM_NEWNEXTHOP / RTM_DELNEXTHOP / RTM_NEWNEXTHOPBUCKET payload.
pub fn decode(p: &[u8]) -> Result<Nexthop, WireError> {
    if p.len() < NHMSG_LEN {
        return Err(WireError("short nhmsg"));
    }
    let mut n = Nexthop { family: p[0], scope: p[1], protocol: p[2], flags: u32_at(p, 4), ..Default::default() };
    let (mut encap_type, mut encap) = (None, None);
    for (ty, v) in attrs(&p[NHMSG_LEN..]).map_while(Result::ok) {
        match ty {
            NHA_ID => n.id = attr_u32(v).unwrap_or(0),
            NHA_GROUP => {
                n.group = v
                    .chunks_exact(NH_GRP_LEN)
                    .map(|c| Member { id: u32_at(c, 0), weight: (c[4] as u32 | (c[5] as u32) << 8) + 1 })
                    .collect()
            }
            NHA_GROUP_TYPE => n.group_type = u16_attr(v),
            NHA_BLACKHOLE => n.blackhole = true,
            NHA_OIF => n.oif = attr_u32(v),
            NHA_GATEWAY => n.gateway = ip_from(n.family, v),
            NHA_FDB => n.fdb = true,
            NHA_RES_GROUP => n.resilient = Some(resilient(v)),
            NHA_RES_BUCKET => n.bucket = bucket(v),
            NHA_ENCAP_TYPE => encap_type = Some(v),
            NHA_ENCAP => encap = Some(v),
            _ => {}
        }
    }
    n.encap = Encap::from_attrs(encap_type, encap);
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs_of(m: &[u8]) -> &[u8] {
        &m[16..]
    }

    #[test]
    fn requests_as_ip_sends_them() {
        // ip nexthop add id 20 via 10.99.0.2 dev <3> onlink (iproute2 6.1): flags 0x605.
        let s = NexthopSpec { id: Some(20), gateway: Some("10.99.0.2".parse().unwrap()), oif: Some(3), onlink: true, ..Default::default() };
        let m = encode(&s, NexthopOp::Add).unwrap();
        assert_eq!(u16::from_ne_bytes([m[6], m[7]]), 0x605);
        assert_eq!(attrs_of(&m), b"\x02\x00\x00\x00\x04\x00\x00\x00\x08\x00\x01\x00\x14\x00\x00\x00\x08\x00\x06\x00\x0a\x63\x00\x02\x08\x00\x05\x00\x03\x00\x00\x00");
        // ip nexthop add id 22 group 1/2 type resilient buckets 8 idle_timer 60 unbalanced_timer 120
        let g = NexthopSpec {
            id: Some(22),
            group: vec![Member { id: 1, weight: 1 }, Member { id: 2, weight: 1 }],
            group_type: NEXTHOP_GRP_TYPE_RES,
            resilient: Resilient { buckets: Some(8), idle_timer: Some(60), unbalanced_timer: Some(120), unbalanced_time: None },
            ..Default::default()
        };
        let m = encode(&g, NexthopOp::Add).unwrap();
        let want: &[u8] = &[
            0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 1, 0, 22, 0, 0, 0, 20, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 28, 0, 12, 0x80,
            6, 0, 1, 0, 8, 0, 0, 0, 8, 0, 2, 0, 0x70, 0x17, 0, 0, 8, 0, 3, 0, 0xe0, 0x2e, 0, 0, 6, 0, 3, 0, 1, 0, 0, 0,
        ];
        assert_eq!(attrs_of(&m), want);
        // ip nexthop add id 21 group 1/2,3: weight 3 goes out as 2. Replace: flags 0x505.
        let w = NexthopSpec { id: Some(21), group: vec![Member { id: 1, weight: 1 }, Member { id: 2, weight: 3 }], ..Default::default() };
        let m = encode(&w, NexthopOp::Replace).unwrap();
        assert_eq!(u16::from_ne_bytes([m[6], m[7]]), 0x505);
        assert_eq!(&attrs_of(&m)[16..], &[20, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0]);
        // blackhole (AF_INET) and fdb.
        let b = encode(&NexthopSpec { id: Some(23), blackhole: true, ..Default::default() }, NexthopOp::Add).unwrap();
        assert_eq!(attrs_of(&b), &[2, 0, 0, 0, 0, 0, 0, 0, 8, 0, 1, 0, 23, 0, 0, 0, 4, 0, 4, 0]);
        let f = NexthopSpec { id: Some(24), gateway: Some("10.99.0.9".parse().unwrap()), fdb: true, ..Default::default() };
        assert!(encode(&f, NexthopOp::Add).unwrap().ends_with(&[8, 0, 6, 0, 10, 99, 0, 9, 4, 0, 11, 0]));
        // ip nexthop bucket show nhid 1
        assert_eq!(&bucket_dump(None, Some(1))[16..], &[0, 0, 0, 0, 0, 0, 0, 0, 12, 0, 13, 0x80, 8, 0, 3, 0, 1, 0, 0, 0]);
        assert_eq!(&dump(&DumpFilter { groups: true, ..Default::default() })[16..], &[0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 9, 0]);
    }

    #[test]
    fn refusals() {
        let g = vec![Member { id: 1, weight: 1 }];
        let bad = [
            NexthopSpec::default(),
            NexthopSpec { group: g.clone(), oif: Some(1), ..Default::default() },
            NexthopSpec { blackhole: true, oif: Some(1), ..Default::default() },
            NexthopSpec { group: vec![Member { id: 1, weight: 0 }], ..Default::default() },
            NexthopSpec { group: g.clone(), resilient: Resilient { buckets: Some(2), ..Default::default() }, ..Default::default() },
            NexthopSpec {
                group: g,
                group_type: NEXTHOP_GRP_TYPE_RES,
                resilient: Resilient { idle_timer: Some(u32::MAX), ..Default::default() },
                ..Default::default()
            },
        ];
        for s in bad {
            assert!(encode(&s, NexthopOp::Add).is_err(), "{s:?}");
        }
    }

    #[test]
    fn decodes_what_it_sends_and_survives_truncation() {
        let g = NexthopSpec {
            id: Some(22),
            group: vec![Member { id: 1, weight: 300 }, Member { id: 2, weight: 1 }],
            group_type: NEXTHOP_GRP_TYPE_RES,
            resilient: Resilient { buckets: Some(8), idle_timer: Some(60), unbalanced_timer: None, unbalanced_time: None },
            ..Default::default()
        };
        let m = encode(&g, NexthopOp::Add).unwrap();
        let n = decode(&m[16..]).unwrap();
        assert_eq!((n.id, n.group.clone(), n.group_type), (22, g.group.clone(), Some(NEXTHOP_GRP_TYPE_RES)));
        assert_eq!(n.resilient.unwrap().idle_timer, Some(60));
        for cut in 0..m.len() - 16 {
            let _ = decode(&m[16..16 + cut]);
        }
        let mut bucket = MsgBuilder::new(RTM_NEWNEXTHOPBUCKET, 0);
        nhmsg(&mut bucket, 0, 0, 0);
        bucket.attr_u32(NHA_ID, 11);
        let at = bucket.nest_start(NHA_RES_BUCKET);
        bucket.attr(NHA_RES_BUCKET_INDEX, &3u16.to_ne_bytes()).attr(NHA_RES_BUCKET_IDLE_TIME, &2u64.to_ne_bytes());
        bucket.attr_u32(NHA_RES_BUCKET_NH_ID, 2);
        bucket.nest_end(at);
        let b = decode(&bucket.finish()[16..]).unwrap();
        assert_eq!(b.bucket, Some(Bucket { index: 3, idle_time: 2, nh_id: 2 }));
    }
}
