//! Routes (RTM_*ROUTE): the rtmsg header, decoding into [`Route`], add/replace/del, get and dump.
//! Encapsulations are in [`encap`], multipath paths in multipath.rs.

pub mod encap;
mod multipath;

use std::net::IpAddr;

pub use encap::Encap;

use super::{ip_bytes, ip_from};
use crate::wire::{self, attr_u32, attrs, fixed, MsgBuilder, WireError};
use crate::wire::{NLM_F_ACK, NLM_F_APPEND, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_REPLACE};

pub const RTM_NEWROUTE: u16 = 24;
pub const RTM_DELROUTE: u16 = 25;
pub const RTM_GETROUTE: u16 = 26;

const RTA_DST: u16 = 1;
const RTA_SRC: u16 = 2;
const RTA_IIF: u16 = 3;
const RTA_OIF: u16 = 4;
pub(crate) const RTA_GATEWAY: u16 = 5;
const RTA_PRIORITY: u16 = 6;
const RTA_PREFSRC: u16 = 7;
const RTA_METRICS: u16 = 8;
const RTA_MULTIPATH: u16 = 9;
const RTA_CACHEINFO: u16 = 12;
const RTA_TABLE: u16 = 15;
const RTA_MARK: u16 = 16;
pub(super) const RTA_VIA: u16 = 18;
const RTA_PREF: u16 = 20;
pub const RTA_ENCAP_TYPE: u16 = 21;
pub const RTA_ENCAP: u16 = 22;
const RTA_EXPIRES: u16 = 23;
const RTA_TTL_PROPAGATE: u16 = 26;
const RTA_NH_ID: u16 = 30;

const RTMSG_LEN: usize = 12;
/// The kernel's route timers (rta_cacheinfo) count USER_HZ ticks; `ip` prints seconds.
const USER_HZ: i64 = 100;
/// rtm_flags / rtnh_flags: the gateway is on-link even without a matching prefix.
pub const RTNH_F_ONLINK: u32 = 4;

/// RTAX_* route metrics, named as `ip route` names them (camelCase).
pub const METRICS: &[(&str, u16)] = &[
    ("lock", 1),
    ("mtu", 2),
    ("window", 3),
    ("rtt", 4),
    ("rttvar", 5),
    ("ssthresh", 6),
    ("cwnd", 7),
    ("advmss", 8),
    ("reordering", 9),
    ("hoplimit", 10),
    ("initcwnd", 11),
    ("features", 12),
    ("rtoMin", 13),
    ("initrwnd", 14),
    ("quickack", 15),
    ("fastopenNoCookie", 17),
];

/// One path of a multipath route.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Nexthop {
    pub gateway: Option<IpAddr>,
    pub oif: u32,
    /// 1..=256 (the kernel stores weight - 1).
    pub weight: u16,
    /// RTNH_F_* bits (onlink, dead, linkdown, ...).
    pub flags: u8,
    /// This path's own encapsulation.
    pub encap: Option<Encap>,
    /// A gateway of the other family (RTA_VIA inside the path: `nexthop via inet6 ADDR`).
    pub via: Option<IpAddr>,
}
pub const RT_TABLE_MAIN: u32 = 254;
const RT_TABLE_COMPAT: u8 = 252;
pub const RTN_UNICAST: u8 = 1;
const RT_SCOPE_UNIVERSE: u8 = 0;
const RT_SCOPE_LINK: u8 = 253;
const RT_SCOPE_HOST: u8 = 254;
const RT_SCOPE_NOWHERE: u8 = 255;
const RTPROT_BOOT: u8 = 3;
/// rtm_flags bit of cached (cloned) routes, which `ip route show` leaves out.
pub const RTM_F_CLONED: u32 = 0x200;
const RTM_F_LOOKUP_TABLE: u32 = 0x1000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub family: u8,
    pub dst: Option<IpAddr>,
    pub dst_len: u8,
    pub src: Option<IpAddr>,
    pub src_len: u8,
    pub tos: u8,
    pub table: u32,
    pub protocol: u8,
    pub scope: u8,
    pub route_type: u8,
    pub flags: u32,
    pub gateway: Option<IpAddr>,
    pub oif: Option<u32>,
    pub iif: Option<u32>,
    pub priority: Option<u32>,
    pub prefsrc: Option<IpAddr>,
    pub mark: Option<u32>,
    pub pref: Option<u8>,
    /// The nexthop object the route uses (RTA_NH_ID); `nexthops` then lists what it resolves to.
    pub nhid: Option<u32>,
    pub nexthops: Vec<Nexthop>,
    /// (RTAX_*, value) pairs.
    pub metrics: Vec<(u16, u32)>,
    /// RTA_ENCAP + RTA_ENCAP_TYPE.
    pub encap: Option<Encap>,
    /// A gateway of another family (RTA_VIA: an IPv4 route via an IPv6 next hop).
    pub via: Option<IpAddr>,
    /// Seconds until the route expires (rta_cacheinfo; IPv6 routes with a lifetime).
    pub expires: Option<i64>,
    /// RTA_TTL_PROPAGATE (MPLS routes).
    pub ttl_propagate: Option<bool>,
}

/// What `ip route add|replace|append|del` takes. `dst: None` is the default route.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RouteSpec {
    pub family: u8,
    pub dst: Option<IpAddr>,
    pub dst_len: u8,
    pub gateway: Option<IpAddr>,
    pub oif: Option<u32>,
    pub prefsrc: Option<IpAddr>,
    pub table: Option<u32>,
    pub metric: Option<u32>,
    pub scope: Option<u8>,
    pub protocol: Option<u8>,
    pub route_type: Option<u8>,
    /// ECMP paths (RTA_MULTIPATH) instead of one gateway/oif.
    pub nexthops: Vec<Nexthop>,
    /// (RTAX_*, value) pairs (RTA_METRICS).
    pub metrics: Vec<(u16, u32)>,
    pub onlink: bool,
    /// IPv6 router preference (RTA_PREF): 0 medium, 1 high, 3 low.
    pub pref: Option<u8>,
    /// A nexthop object instead of a gateway/device (RTA_NH_ID, `ip route add ... nhid N`).
    pub nhid: Option<u32>,
    /// Lightweight tunnel encapsulation (`ip route add ... encap TYPE ...`).
    pub encap: Option<Encap>,
    /// A gateway of another family (RTA_VIA, `ip route add ... via inet6 ADDR`).
    pub via: Option<IpAddr>,
    /// Lifetime in seconds (RTA_EXPIRES, `ip route add ... expires N`; the kernel keeps it for
    /// IPv6 routes).
    pub expires: Option<u32>,
    /// RTA_TTL_PROPAGATE (`ip route add ... ttl-propagate enabled|disabled`, MPLS).
    pub ttl_propagate: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteOp {
    Add,
    Replace,
    Append,
    Del,
}

#[allow(clippy::too_many_arguments)]
fn rtmsg(family: u8, dst_len: u8, src_len: u8, table: u8, protocol: u8, scope: u8, ty: u8, flags: u32) -> [u8; RTMSG_LEN] {
    let mut h = [0u8; RTMSG_LEN];
    h[0] = family;
    h[1] = dst_len;
    h[2] = src_len;
    h[4] = table;
    h[5] = protocol;
    h[6] = scope;
    h[7] = ty;
    h[8..12].copy_from_slice(&flags.to_ne_bytes());
    h
}

fn table_byte(table: u32) -> u8 {
    u8::try_from(table).unwrap_or(RT_TABLE_COMPAT)
}

/// Encodes a route change with `ip route`'s defaults: table main, protocol boot, and link scope
/// for a unicast route without a gateway (on a delete: any scope, any protocol).
pub fn encode(spec: &RouteSpec, op: RouteOp) -> Vec<u8> {
    let (ty, flags) = match op {
        RouteOp::Add => (RTM_NEWROUTE, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL),
        RouteOp::Replace => (RTM_NEWROUTE, NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE),
        RouteOp::Append => (RTM_NEWROUTE, NLM_F_ACK | NLM_F_CREATE | NLM_F_APPEND),
        RouteOp::Del => (RTM_DELROUTE, NLM_F_ACK),
    };
    let table = spec.table.unwrap_or(RT_TABLE_MAIN);
    let del = op == RouteOp::Del;
    let rtype = spec.route_type.unwrap_or(if del { 0 } else { RTN_UNICAST });
    let scope = spec.scope.unwrap_or(if del {
        RT_SCOPE_NOWHERE
    } else {
        match rtype {
            2 | 10 => RT_SCOPE_HOST, // local, nat
            3..=5 => RT_SCOPE_LINK,  // broadcast, anycast, multicast
            // As `ip`: IPv6 routes are always universe (the kernel ignores their scope).
            _ if spec.family == super::AF_INET6 => RT_SCOPE_UNIVERSE,
            0 | 1 if spec.gateway.is_none() && spec.via.is_none() && spec.nexthops.is_empty() && spec.nhid.is_none() => RT_SCOPE_LINK,
            _ => RT_SCOPE_UNIVERSE,
        }
    });
    let protocol = spec.protocol.unwrap_or(if del { 0 } else { RTPROT_BOOT });
    let mut b = MsgBuilder::new(ty, flags);
    let rflags = if spec.onlink { RTNH_F_ONLINK } else { 0 };
    b.push(&rtmsg(spec.family, spec.dst_len, 0, table_byte(table), protocol, scope, rtype, rflags));
    b.attr_u32(RTA_TABLE, table);
    // iproute2's order for `ip route add DST encap ... via GW src S nhid N metric M pref P
    // expires E ttl-propagate X dev D mtu ... nexthop ...` (the output device goes after the
    // options, the metrics and paths last).
    if let Some(d) = &spec.dst {
        b.attr(RTA_DST, &ip_bytes(d));
    }
    if let Some(e) = &spec.encap {
        e.put(&mut b, RTA_ENCAP, RTA_ENCAP_TYPE);
    }
    if let Some(g) = &spec.gateway {
        b.attr(RTA_GATEWAY, &ip_bytes(g));
    }
    if let Some(v) = &spec.via {
        b.attr(RTA_VIA, &via_bytes(v));
    }
    if let Some(p) = &spec.prefsrc {
        b.attr(RTA_PREFSRC, &ip_bytes(p));
    }
    if let Some(id) = spec.nhid {
        b.attr_u32(RTA_NH_ID, id);
    }
    if let Some(m) = spec.metric {
        b.attr_u32(RTA_PRIORITY, m);
    }
    if let Some(p) = spec.pref {
        b.attr_u8(RTA_PREF, p);
    }
    if let Some(e) = spec.expires {
        b.attr_u32(RTA_EXPIRES, e);
    }
    if let Some(t) = spec.ttl_propagate {
        b.attr_u8(RTA_TTL_PROPAGATE, t as u8);
    }
    if let Some(o) = spec.oif {
        b.attr_u32(RTA_OIF, o);
    }
    if !spec.metrics.is_empty() {
        let at = b.nest_start(RTA_METRICS);
        for &(k, v) in &spec.metrics {
            b.attr_u32(k, v);
        }
        b.nest_end(at);
    }
    if !spec.nexthops.is_empty() {
        b.attr(RTA_MULTIPATH, &multipath::encode(&spec.nexthops));
    }
    b.finish()
}

/// struct rtvia: the family (u16) and the address.
pub(super) fn via_bytes(v: &IpAddr) -> Vec<u8> {
    let mut out = (super::family_of(v) as u16).to_ne_bytes().to_vec();
    out.extend(ip_bytes(v));
    out
}

pub(super) fn via_from(v: &[u8]) -> Option<IpAddr> {
    ip_from(u8::try_from(wire::u16_at(v, 0)).ok()?, v.get(2..)?)
}

/// RTM_GETROUTE dump. With strict checking the kernel filters by table and output interface
/// itself; the engine filters again for kernels that do not.
pub fn dump(family: u8, table: Option<u32>, oif: Option<u32>) -> Vec<u8> {
    let mut b = MsgBuilder::new(RTM_GETROUTE, NLM_F_DUMP);
    b.push(&rtmsg(family, 0, 0, table.map(table_byte).unwrap_or(0), 0, 0, 0, 0));
    if let Some(t) = table {
        b.attr_u32(RTA_TABLE, t);
    }
    if let Some(o) = oif {
        b.attr_u32(RTA_OIF, o);
    }
    b.finish()
}

/// Optional selectors of `ip route get`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RouteQuery {
    pub dst: Option<IpAddr>,
    pub src: Option<IpAddr>,
    pub iif: Option<u32>,
    pub oif: Option<u32>,
    pub mark: Option<u32>,
}

/// RTM_GETROUTE for one destination: the kernel's answer to "which route would be used?".
/// For IPv4, RTM_F_LOOKUP_TABLE makes the answer name the table the route came from (as `ip`
/// asks; IPv6 answers name it anyway).
pub fn get(q: &RouteQuery, family: u8) -> Vec<u8> {
    let v6 = family == libc::AF_INET6 as u8;
    let full = if v6 { 128 } else { 32 };
    let mut b = MsgBuilder::new(RTM_GETROUTE, 0);
    let dst_len = if q.dst.is_some() { full } else { 0 };
    let src_len = if q.src.is_some() { full } else { 0 };
    let flags = if v6 { 0 } else { RTM_F_LOOKUP_TABLE };
    b.push(&rtmsg(family, dst_len, src_len, 0, 0, 0, 0, flags));
    if let Some(d) = &q.dst {
        b.attr(RTA_DST, &ip_bytes(d));
    }
    if let Some(s) = &q.src {
        b.attr(RTA_SRC, &ip_bytes(s));
    }
    if let Some(i) = q.iif {
        b.attr_u32(RTA_IIF, i);
    }
    if let Some(o) = q.oif {
        b.attr_u32(RTA_OIF, o);
    }
    if let Some(m) = q.mark {
        b.attr_u32(RTA_MARK, m);
    }
    b.finish()
}

pub fn decode(payload: &[u8]) -> Result<Route, WireError> {
    if payload.len() < RTMSG_LEN {
        return Err(WireError("short rtmsg"));
    }
    let h: [u8; RTMSG_LEN] = fixed(payload);
    let family = h[0];
    let mut r = Route {
        family,
        dst: None,
        dst_len: h[1],
        src: None,
        src_len: h[2],
        tos: h[3],
        table: h[4] as u32,
        protocol: h[5],
        scope: h[6],
        route_type: h[7],
        flags: wire::u32_at(&h, 8),
        gateway: None,
        oif: None,
        iif: None,
        priority: None,
        prefsrc: None,
        mark: None,
        pref: None,
        nhid: None,
        nexthops: Vec::new(),
        metrics: Vec::new(),
        encap: None,
        via: None,
        expires: None,
        ttl_propagate: None,
    };
    let (mut encap_type, mut encap) = (None, None);
    for a in attrs(&payload[RTMSG_LEN..]) {
        let (ty, v) = a?;
        match ty {
            RTA_DST => r.dst = ip_from(family, v),
            RTA_SRC => r.src = ip_from(family, v),
            RTA_GATEWAY => r.gateway = ip_from(family, v),
            RTA_PREFSRC => r.prefsrc = ip_from(family, v),
            RTA_OIF => r.oif = attr_u32(v),
            RTA_IIF => r.iif = attr_u32(v),
            RTA_PRIORITY => r.priority = attr_u32(v),
            RTA_TABLE => r.table = attr_u32(v).unwrap_or(r.table),
            RTA_MARK => r.mark = attr_u32(v),
            RTA_PREF => r.pref = wire::attr_u8(v),
            RTA_NH_ID => r.nhid = attr_u32(v),
            RTA_MULTIPATH => r.nexthops = multipath::decode(family, v),
            RTA_ENCAP_TYPE => encap_type = Some(v),
            RTA_ENCAP => encap = Some(v),
            RTA_VIA => r.via = via_from(v),
            RTA_TTL_PROPAGATE => r.ttl_propagate = wire::attr_u8(v).map(|t| t != 0),
            // struct rta_cacheinfo: clntref, lastuse, expires (s32, USER_HZ ticks), ...
            RTA_CACHEINFO if v.len() >= 12 => {
                let ticks = wire::u32_at(v, 8) as i32 as i64;
                r.expires = (ticks != 0).then_some(ticks / USER_HZ);
            }
            RTA_METRICS => {
                r.metrics = attrs(v).flatten().filter_map(|(k, mv)| attr_u32(mv).map(|x| (k, x))).collect();
            }
            _ => {}
        }
    }
    r.encap = Encap::from_attrs(encap_type, encap);
    Ok(r)
}
