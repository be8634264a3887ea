//! The NAT of an entry being made (CTA_NAT_SRC / CTA_NAT_DST), as `conntrack -I --src-nat /
//! --dst-nat ADDR[:PORT]` sends it. The kernel (nf_nat_setup_info) picks an address (and port)
//! of the range, rewrites the reply tuple to it and sets the SRC_NAT / DST_NAT status bit; a
//! listing reads the NAT back off those. Only a new entry takes NAT: for an existing one the
//! kernel answers EOPNOTSUPP (ctnetlink_change_conntrack).

use std::net::IpAddr;

use super::attrs::*;
use crate::wire::MsgBuilder;
use crate::Error;

/// One direction's NAT: an address range and, for protocols with ports, a port range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nat {
    pub min: IpAddr,
    /// The range's last address (not sent when absent: the kernel takes `min`, as conntrack sends it).
    pub max: Option<IpAddr>,
    /// First and last port (both sent, as conntrack sends them).
    pub ports: Option<(u16, u16)>,
}

impl Nat {
    /// Checked against the entry's family (AF_INET / AF_INET6): the kernel reads only the
    /// attributes of the entry's family and would take a range of the other as no NAT at all.
    pub fn new(family: u8, min: IpAddr, max: Option<IpAddr>, ports: Option<(u16, u16)>) -> Result<Nat, Error> {
        let v6 = family == AF_INET6;
        if [Some(min), max].into_iter().flatten().any(|a| a.is_ipv6() != v6) {
            return Err(Error::invalid(format!("NAT addresses must be IPv{} as the entry is", if v6 { 6 } else { 4 })));
        }
        if max.is_some_and(|m| m < min) {
            return Err(Error::invalid("the NAT range's last address is below its first"));
        }
        if ports.is_some_and(|(lo, hi)| hi < lo) {
            return Err(Error::invalid("the NAT range's last port is below its first"));
        }
        Ok(Nat { min, max, ports })
    }

    /// Appends the nest `ty` (CTA_NAT_SRC or CTA_NAT_DST).
    pub fn encode(&self, b: &mut MsgBuilder, ty: u16) {
        let n = b.nest_start(ty);
        for (a, v4, v6) in [(Some(self.min), CTA_NAT_V4_MINIP, CTA_NAT_V6_MINIP), (self.max, CTA_NAT_V4_MAXIP, CTA_NAT_V6_MAXIP)] {
            match a {
                Some(IpAddr::V4(a)) => b.attr(v4, &a.octets()),
                Some(IpAddr::V6(a)) => b.attr(v6, &a.octets()),
                None => b,
            };
        }
        if let Some((lo, hi)) = self.ports {
            let p = b.nest_start(CTA_NAT_PROTO);
            b.attr(CTA_PROTONAT_PORT_MIN, &lo.to_be_bytes()).attr(CTA_PROTONAT_PORT_MAX, &hi.to_be_bytes());
            b.nest_end(p);
        }
        b.nest_end(n);
    }
}
