//! Typed rtnetlink messages: one module per message family, plus the shared decoding entry point.

pub mod addr;
pub mod bridge;
pub mod events;
mod events_tc;
pub mod link;
pub mod linkcache;
pub mod misc;
pub mod names;
pub mod neigh;
pub mod nexthop;
mod proto;
pub mod route;
pub mod rule;
pub mod settings;
pub mod tc;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::wire::{Message, WireError};

pub use addr::{AddrOp, AddrSpec, Address};
pub use link::{Link, LinkRef};
pub use neigh::Neighbour;
pub use proto::{after_link, Request, Rtnl};
pub use route::{Route, RouteOp, RouteQuery, RouteSpec};
pub use rule::Rule;

pub const AF_INET: u8 = libc::AF_INET as u8;
pub const AF_INET6: u8 = libc::AF_INET6 as u8;

/// Whether a message announces a new object or the removal of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    New,
    Del,
}

/// A decoded rtnetlink object.
#[allow(clippy::large_enum_variant)] // built once per message and moved, never stored in bulk by value
#[derive(Debug, Clone, PartialEq)]
pub enum Object {
    Link(Link),
    Addr(Address),
    Route(Route),
    Neigh(Neighbour),
    Rule(Rule),
    /// A qdisc, class, filter or chain.
    Tc(tc::Tc),
    /// A nexthop object, or a bucket of a resilient group.
    Nexthop(nexthop::Nexthop),
    /// A link's statistics (RTM_NEWSTATS).
    Stats(link::stats::Stats),
    /// A record of one of the smaller tables (netconf, nsid, addrlabel, ntable).
    Record(misc::Record),
    /// A bridge's multicast database entries (RTM_NEWMDB/DELMDB).
    Mdb(bridge::mdb::Mdb),
}

/// Decodes a data message into an object; `Ok(None)` for message types nlkit does not model.
pub fn decode(msg: &Message<'_>) -> Result<Option<(Action, Object)>, WireError> {
    use Action::*;
    if let Some(r) = misc::decode(msg) {
        return Ok(Some((if misc::is_del(msg.header.ty) { Del } else { New }, Object::Record(r?))));
    }
    Ok(Some(match msg.header.ty {
        link::RTM_NEWLINK => (New, Object::Link(link::decode(msg.payload)?)),
        link::RTM_DELLINK => (Del, Object::Link(link::decode(msg.payload)?)),
        addr::RTM_NEWADDR => (New, Object::Addr(addr::decode(msg.payload)?)),
        addr::RTM_DELADDR => (Del, Object::Addr(addr::decode(msg.payload)?)),
        route::RTM_NEWROUTE => (New, Object::Route(route::decode(msg.payload)?)),
        route::RTM_DELROUTE => (Del, Object::Route(route::decode(msg.payload)?)),
        neigh::RTM_NEWNEIGH => (New, Object::Neigh(neigh::decode(msg.payload)?)),
        neigh::RTM_DELNEIGH => (Del, Object::Neigh(neigh::decode(msg.payload)?)),
        bridge::mdb::RTM_NEWMDB | bridge::mdb::RTM_GETMDB => (New, Object::Mdb(bridge::mdb::decode(msg.payload)?)),
        bridge::mdb::RTM_DELMDB => (Del, Object::Mdb(bridge::mdb::decode(msg.payload)?)),
        link::stats::RTM_NEWSTATS => (New, Object::Stats(link::stats::decode(msg.payload)?)),
        rule::RTM_NEWRULE => (New, Object::Rule(rule::decode(msg.payload)?)),
        rule::RTM_DELRULE => (Del, Object::Rule(rule::decode(msg.payload)?)),
        nexthop::RTM_NEWNEXTHOP | nexthop::RTM_NEWNEXTHOPBUCKET => (New, Object::Nexthop(nexthop::decode(msg.payload)?)),
        nexthop::RTM_DELNEXTHOP | nexthop::RTM_DELNEXTHOPBUCKET => (Del, Object::Nexthop(nexthop::decode(msg.payload)?)),
        // The kernel answers an action dump with RTM_GETACTION messages (tcf_action_dump's type).
        tc::standalone::RTM_NEWACTION | tc::standalone::RTM_GETACTION => (New, Object::Tc(tc::standalone::decode(msg.payload)?)),
        tc::standalone::RTM_DELACTION => (Del, Object::Tc(tc::standalone::decode(msg.payload)?)),
        ty => match tc::TcType::of_message(ty) {
            Some((t, new)) => (if new { New } else { Del }, Object::Tc(tc::decode(t, msg.payload)?)),
            None => return Ok(None),
        },
    }))
}

/// Which objects of a dump to keep. The kernel applies the same filters itself when strict
/// checking is on; applying them again here keeps results right on kernels without it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub family: Option<u8>,
    /// Interface index: the address's link, or the route's output interface.
    pub index: Option<u32>,
    pub table: Option<u32>,
    /// Leave out cached (cloned) routes, as `ip route show` does.
    pub skip_cloned: bool,
}

impl Filter {
    pub fn keep(&self, obj: &Object) -> bool {
        match obj {
            Object::Link(_) | Object::Stats(_) => true,
            Object::Record(r) => self.index.is_none_or(|i| r.index == Some(i)),
            Object::Mdb(m) => self.index.is_none_or(|i| m.bridge == i),
            Object::Nexthop(n) => self.index.is_none_or(|i| n.oif == Some(i)),
            Object::Tc(t) => self.index.is_none_or(|i| i == t.ifindex),
            Object::Neigh(n) => self.family.is_none_or(|f| f == n.family) && self.index.is_none_or(|i| i == n.index),
            Object::Rule(r) => self.family.is_none_or(|f| f == r.family),
            Object::Addr(a) => self.family.is_none_or(|f| f == a.family) && self.index.is_none_or(|i| i == a.index),
            Object::Route(r) => {
                // A family-less dump also returns multicast routing tables and others: keep IP only.
                let family_ok = match self.family {
                    Some(f) => f == r.family,
                    None => r.family == AF_INET || r.family == AF_INET6,
                };
                family_ok
                    && self.index.is_none_or(|i| r.oif == Some(i))
                    && self.table.is_none_or(|t| t == r.table)
                    && !(self.skip_cloned && r.flags & route::RTM_F_CLONED != 0)
            }
        }
    }
}

pub fn family_of(ip: &IpAddr) -> u8 {
    match ip {
        IpAddr::V4(_) => AF_INET,
        IpAddr::V6(_) => AF_INET6,
    }
}

pub fn ip_bytes(ip: &IpAddr) -> Vec<u8> {
    match ip {
        IpAddr::V4(a) => a.octets().to_vec(),
        IpAddr::V6(a) => a.octets().to_vec(),
    }
}

/// An address attribute of the given family; `None` if its length does not fit the family.
pub fn ip_from(family: u8, v: &[u8]) -> Option<IpAddr> {
    match (family, v.len()) {
        (AF_INET, 4) => Some(IpAddr::V4(Ipv4Addr::new(v[0], v[1], v[2], v[3]))),
        (AF_INET6, 16) => {
            let b: [u8; 16] = v.try_into().ok()?;
            Some(IpAddr::V6(Ipv6Addr::from(b)))
        }
        _ => None,
    }
}
