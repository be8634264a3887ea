//! RTA_MULTIPATH: the paths of an ECMP route, each a struct rtnexthop (length, flags, weight - 1,
//! ifindex) followed by its own attributes (gateway or via, encapsulation).

use super::{via_bytes, via_from, Encap, Nexthop, RTA_ENCAP, RTA_ENCAP_TYPE, RTA_GATEWAY, RTA_VIA};
use crate::rtnl::{ip_bytes, ip_from};
use crate::wire::{self, attrs, MsgBuilder};

const RTNEXTHOP_LEN: usize = 8;

pub(super) fn encode(paths: &[Nexthop]) -> Vec<u8> {
    let mut mp = Vec::new();
    for nh in paths {
        let mut attrs = MsgBuilder::new(0, 0);
        // iproute2's order: the encap, then the gateway.
        if let Some(e) = &nh.encap {
            e.put(&mut attrs, RTA_ENCAP, RTA_ENCAP_TYPE);
        }
        if let Some(g) = &nh.gateway {
            attrs.attr(RTA_GATEWAY, &ip_bytes(g));
        }
        if let Some(v) = &nh.via {
            attrs.attr(RTA_VIA, &via_bytes(v));
        }
        let attrs = attrs.finish();
        let body = &attrs[wire::NLMSG_HDRLEN..];
        let len = (RTNEXTHOP_LEN + body.len()) as u16;
        mp.extend_from_slice(&len.to_ne_bytes());
        mp.push(nh.flags);
        mp.push(nh.weight.clamp(1, 256).saturating_sub(1) as u8);
        mp.extend_from_slice(&nh.oif.to_ne_bytes());
        mp.extend_from_slice(body);
    }
    mp
}

pub(super) fn decode(family: u8, mut v: &[u8]) -> Vec<Nexthop> {
    let mut out = Vec::new();
    while v.len() >= RTNEXTHOP_LEN {
        let len = wire::u16_at(v, 0) as usize;
        if len < RTNEXTHOP_LEN || len > v.len() {
            break;
        }
        let mut nh = Nexthop { flags: v[2], weight: v[3] as u16 + 1, oif: wire::u32_at(v, 4), ..Default::default() };
        let (mut ty, mut data) = (None, None);
        for (t, av) in attrs(&v[RTNEXTHOP_LEN..len]).flatten() {
            match t {
                RTA_GATEWAY => nh.gateway = ip_from(family, av),
                RTA_VIA => nh.via = via_from(av),
                RTA_ENCAP_TYPE => ty = Some(av),
                RTA_ENCAP => data = Some(av),
                _ => {}
            }
        }
        nh.encap = Encap::from_attrs(ty, data);
        out.push(nh);
        v = v.get(wire::align4(len)..).unwrap_or(&[]);
    }
    out
}
