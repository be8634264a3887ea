//! A connection's tuple (CTA_TUPLE_ORIG / REPLY / MASTER): addresses, protocol and its ports or
//! ICMP id/type/code. One struct for requests (fields left `None` are not sent) and replies.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::attrs::*;
use crate::rtnl::settings::Settings;
use crate::wire::{self, MsgBuilder, WireError};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tuple {
    pub src: Option<IpAddr>,
    pub dst: Option<IpAddr>,
    pub proto: Option<u8>,
    pub sport: Option<u16>,
    pub dport: Option<u16>,
    pub icmp_id: Option<u16>,
    pub icmp_type: Option<u8>,
    pub icmp_code: Option<u8>,
    /// CTA_TUPLE_ZONE: a zone for this direction only (zones with a direction).
    pub zone: Option<u16>,
}

fn be16(v: &[u8]) -> Option<u16> {
    v.get(..2).map(|s| u16::from_be_bytes([s[0], s[1]]))
}

fn ip(v: &[u8]) -> Option<IpAddr> {
    match v.len() {
        4 => Some(IpAddr::V4(Ipv4Addr::from(wire::fixed::<4>(v)))),
        16 => Some(IpAddr::V6(Ipv6Addr::from(wire::fixed::<16>(v)))),
        _ => None,
    }
}

impl Tuple {
    /// Appends the tuple as nested attribute `ty`: CTA_TUPLE_IP with the addresses given,
    /// CTA_TUPLE_PROTO with the protocol and its fields (ICMPv6's own attributes for proto 58).
    pub fn encode(&self, b: &mut MsgBuilder, ty: u16) {
        let t = b.nest_start(ty);
        if self.src.is_some() || self.dst.is_some() {
            let n = b.nest_start(CTA_TUPLE_IP);
            for (a, v4, v6) in [(self.src, CTA_IP_V4_SRC, CTA_IP_V6_SRC), (self.dst, CTA_IP_V4_DST, CTA_IP_V6_DST)] {
                match a {
                    Some(IpAddr::V4(a)) => b.attr(v4, &a.octets()),
                    Some(IpAddr::V6(a)) => b.attr(v6, &a.octets()),
                    None => b,
                };
            }
            b.nest_end(n);
        }
        if let Some(p) = self.proto {
            let n = b.nest_start(CTA_TUPLE_PROTO);
            b.attr_u8(CTA_PROTO_NUM, p);
            let (id, ty, code) = if p == IPPROTO_ICMPV6 {
                (CTA_PROTO_ICMPV6_ID, CTA_PROTO_ICMPV6_TYPE, CTA_PROTO_ICMPV6_CODE)
            } else {
                (CTA_PROTO_ICMP_ID, CTA_PROTO_ICMP_TYPE, CTA_PROTO_ICMP_CODE)
            };
            for (a, v) in [(CTA_PROTO_SRC_PORT, self.sport), (CTA_PROTO_DST_PORT, self.dport), (id, self.icmp_id)] {
                if let Some(v) = v {
                    b.attr(a, &v.to_be_bytes());
                }
            }
            for (a, v) in [(ty, self.icmp_type), (code, self.icmp_code)] {
                if let Some(v) = v {
                    b.attr_u8(a, v);
                }
            }
            b.nest_end(n);
        }
        if let Some(z) = self.zone {
            b.attr(CTA_TUPLE_ZONE, &z.to_be_bytes());
        }
        b.nest_end(t);
    }

    /// The CTA_FILTER_F_* flags of the fields this (filter) tuple sets. Addresses only for
    /// IPv4: 6.x kernels compare IPv6 filter addresses inverted (`!ipv6_addr_cmp`), so those
    /// are matched here, after the dump (see [`Tuple::matches`]).
    pub fn filter_flags(&self) -> u32 {
        let v4 = |a: Option<IpAddr>| matches!(a, Some(IpAddr::V4(_)));
        let mut f = 0;
        if v4(self.src) {
            f |= F_IP_SRC;
        }
        if v4(self.dst) {
            f |= F_IP_DST;
        }
        if let Some(p) = self.proto {
            f |= F_PROTO_NUM;
            let six = p == IPPROTO_ICMPV6;
            for (set, flag, flag6) in [
                (self.sport.is_some(), F_SRC_PORT, F_SRC_PORT),
                (self.dport.is_some(), F_DST_PORT, F_DST_PORT),
                (self.icmp_type.is_some(), F_ICMP_TYPE, F_ICMPV6_TYPE),
                (self.icmp_code.is_some(), F_ICMP_CODE, F_ICMPV6_CODE),
                (self.icmp_id.is_some(), F_ICMP_ID, F_ICMPV6_ID),
            ] {
                if set {
                    f |= if six { flag6 } else { flag };
                }
            }
        }
        f
    }

    /// Every field this (filter) tuple sets equals the entry's.
    pub fn matches(&self, t: &Tuple) -> bool {
        fn eq<T: PartialEq>(want: &Option<T>, have: &Option<T>) -> bool {
            want.is_none() || want == have
        }
        eq(&self.src, &t.src)
            && eq(&self.dst, &t.dst)
            && eq(&self.proto, &t.proto)
            && eq(&self.sport, &t.sport)
            && eq(&self.dport, &t.dport)
            && eq(&self.icmp_id, &t.icmp_id)
            && eq(&self.icmp_type, &t.icmp_type)
            && eq(&self.icmp_code, &t.icmp_code)
    }

    /// The tuple as the reverse direction sees it (conntrack's reply tuple of an entry given
    /// without one); an ICMP echo request's reply is the echo reply.
    pub fn inverted(&self) -> Tuple {
        let icmp_type = match (self.proto, self.icmp_type) {
            (Some(IPPROTO_ICMP), Some(8)) => Some(0),
            (Some(IPPROTO_ICMP), Some(13)) => Some(14),
            (Some(IPPROTO_ICMP), Some(15)) => Some(16),
            (Some(IPPROTO_ICMP), Some(17)) => Some(18),
            (Some(IPPROTO_ICMPV6), Some(128)) => Some(129),
            (_, t) => t,
        };
        Tuple { src: self.dst, dst: self.src, sport: self.dport, dport: self.sport, icmp_type, ..self.clone() }
    }

    pub fn decode(attrs: &[u8]) -> Result<Tuple, WireError> {
        let mut t = Tuple::default();
        for a in wire::attrs(attrs) {
            let (ty, v) = a?;
            match ty {
                CTA_TUPLE_IP => {
                    for a in wire::attrs(v) {
                        let (ty, v) = a?;
                        match ty {
                            CTA_IP_V4_SRC | CTA_IP_V6_SRC => t.src = ip(v),
                            CTA_IP_V4_DST | CTA_IP_V6_DST => t.dst = ip(v),
                            _ => {}
                        }
                    }
                }
                CTA_TUPLE_PROTO => {
                    for a in wire::attrs(v) {
                        let (ty, v) = a?;
                        match ty {
                            CTA_PROTO_NUM => t.proto = wire::attr_u8(v),
                            CTA_PROTO_SRC_PORT => t.sport = be16(v),
                            CTA_PROTO_DST_PORT => t.dport = be16(v),
                            CTA_PROTO_ICMP_ID | CTA_PROTO_ICMPV6_ID => t.icmp_id = be16(v),
                            CTA_PROTO_ICMP_TYPE | CTA_PROTO_ICMPV6_TYPE => t.icmp_type = wire::attr_u8(v),
                            CTA_PROTO_ICMP_CODE | CTA_PROTO_ICMPV6_CODE => t.icmp_code = wire::attr_u8(v),
                            _ => {}
                        }
                    }
                }
                CTA_TUPLE_ZONE => t.zone = be16(v),
                _ => {}
            }
        }
        Ok(t)
    }

    /// Keys as `conntrack -L` prints a tuple: src, dst, sport, dport, type, code, id.
    pub fn to_settings(&self) -> Settings {
        let mut s = Settings::new();
        if let Some(a) = self.src {
            s.set_str("src", a.to_string());
        }
        if let Some(a) = self.dst {
            s.set_str("dst", a.to_string());
        }
        for (k, v) in [("sport", self.sport), ("dport", self.dport)] {
            if let Some(v) = v {
                s.set_int(k, v);
            }
        }
        for (k, v) in [("type", self.icmp_type), ("code", self.icmp_code)] {
            if let Some(v) = v {
                s.set_int(k, v);
            }
        }
        if let Some(v) = self.icmp_id {
            s.set_int("id", v);
        }
        if let Some(z) = self.zone {
            s.set_int("zone", z);
        }
        s
    }
}
