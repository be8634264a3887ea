//! rtnetlink's subscription feed (`ip monitor`): kinds of objects mapped to multicast groups and
//! dumps, events labelled with the names of the links they refer to, listings resynced after an
//! overflow.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use super::events_tc::{self, TcListing};
use super::misc::{self, RecordKind};
use super::settings::Value;
use super::{addr, decode, link, neigh, nexthop, route, rule, Action, Object, AF_INET, AF_INET6};
use crate::monitor::{Dump, Event, Feed};
use crate::wire::Message;

/// What a subscription can ask for. Each maps to rtnetlink multicast groups and one dump.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Link,
    Ipv4Addr,
    Ipv6Addr,
    Ipv4Route,
    Ipv6Route,
    Neigh,
    Ipv4Rule,
    Ipv6Rule,
    /// Qdiscs, classes, filters and chains (RTNLGRP_TC).
    Tc,
    /// Nexthop objects (RTNLGRP_NEXTHOP).
    Nexthop,
    /// Per-device IP settings (RTNLGRP_IPV4_NETCONF, RTNLGRP_IPV6_NETCONF).
    Ipv4Netconf,
    Ipv6Netconf,
    /// Namespace ids (RTNLGRP_NSID).
    Nsid,
    /// Bridge multicast database entries (RTNLGRP_MDB).
    Mdb,
}

const KINDS: [Kind; 14] = [
    Kind::Link,
    Kind::Ipv4Addr,
    Kind::Ipv6Addr,
    Kind::Ipv4Route,
    Kind::Ipv6Route,
    Kind::Neigh,
    Kind::Ipv4Rule,
    Kind::Ipv6Rule,
    Kind::Tc,
    Kind::Nexthop,
    Kind::Ipv4Netconf,
    Kind::Ipv6Netconf,
    Kind::Nsid,
    Kind::Mdb,
];

impl Kind {
    /// RTNLGRP_* group number.
    pub fn group(self) -> u32 {
        match self {
            Kind::Link => 1,
            Kind::Neigh => 3,
            Kind::Ipv4Addr => 5,
            Kind::Ipv4Route => 7,
            Kind::Ipv4Rule => 8,
            Kind::Ipv6Addr => 9,
            Kind::Ipv6Route => 11,
            Kind::Ipv6Rule => 19,
            Kind::Tc => 4,
            Kind::Nexthop => 32,
            Kind::Ipv4Netconf => 24,
            Kind::Ipv6Netconf => 25,
            Kind::Nsid => 28,
            Kind::Mdb => 26,
        }
    }

    /// The kind of a dump tag (its position in [`KINDS`]).
    fn tag(self) -> u32 {
        KINDS.iter().position(|k| *k == self).unwrap_or(0) as u32
    }

    fn of_tag(tag: u32) -> Option<Kind> {
        if events_tc::is_tag(tag) {
            return Some(Kind::Tc);
        }
        KINDS.get(tag as usize).copied()
    }

    /// The kind's listing (tc's takes several dumps: events_tc.rs).
    fn dumps(self, tc: &mut TcListing) -> Vec<Dump> {
        let request = match self {
            Kind::Link => link::dump(),
            Kind::Ipv4Addr => addr::dump(AF_INET, 0),
            Kind::Ipv6Addr => addr::dump(AF_INET6, 0),
            Kind::Ipv4Route => route::dump(AF_INET, None, None),
            Kind::Ipv6Route => route::dump(AF_INET6, None, None),
            Kind::Neigh => neigh::dump(0),
            Kind::Ipv4Rule => rule::dump(AF_INET),
            Kind::Ipv6Rule => rule::dump(AF_INET6),
            Kind::Tc => return tc.start(),
            Kind::Nexthop => nexthop::dump(&nexthop::DumpFilter::default()),
            Kind::Ipv4Netconf => misc::netconf::dump(AF_INET),
            Kind::Ipv6Netconf => misc::netconf::dump(AF_INET6),
            Kind::Nsid => misc::nsid::dump(),
            Kind::Mdb => super::bridge::mdb::dump(),
        };
        vec![Dump { tag: self.tag(), request }]
    }

    /// Which kind a decoded object belongs to (to drop what was not asked for).
    fn of(obj: &Object) -> Option<Kind> {
        Some(match obj {
            Object::Link(_) => Kind::Link,
            Object::Addr(a) if a.family == AF_INET => Kind::Ipv4Addr,
            Object::Addr(a) if a.family == AF_INET6 => Kind::Ipv6Addr,
            Object::Route(r) if r.family == AF_INET => Kind::Ipv4Route,
            Object::Route(r) if r.family == AF_INET6 => Kind::Ipv6Route,
            Object::Neigh(_) => Kind::Neigh,
            Object::Rule(r) if r.family == AF_INET => Kind::Ipv4Rule,
            Object::Rule(r) if r.family == AF_INET6 => Kind::Ipv6Rule,
            Object::Tc(_) => Kind::Tc,
            Object::Nexthop(n) if n.bucket.is_none() => Kind::Nexthop,
            Object::Mdb(_) => Kind::Mdb,
            Object::Record(r) => match (r.kind, r.fields.get("family")) {
                (RecordKind::Netconf, Some(Value::Int(4))) => Kind::Ipv4Netconf,
                (RecordKind::Netconf, Some(Value::Int(6))) => Kind::Ipv6Netconf,
                (RecordKind::Nsid, _) => Kind::Nsid,
                _ => return None,
            },
            _ => return None,
        })
    }
}

/// An rtnetlink event: an object new or removed, with the names of the interfaces it refers to
/// (its link, master, output device).
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub action: Action,
    pub obj: Object,
    pub names: Vec<(u32, String)>,
}

/// The feed of an rtnetlink subscription.
pub struct Changes {
    wanted: Vec<Kind>,
    /// Deliver the current objects (a dump) before live events, and again after an overflow.
    list_existing: bool,
    names: HashMap<u32, String>,
    /// Object events held until the first link listing has named the links.
    held: Vec<Event<Change>>,
    names_ready: bool,
    /// Identities of the objects the running listing delivered, kept across its retries: a
    /// retried dump (NLM_F_DUMP_INTR) lists only what the interrupted attempts had not.
    /// Changes made meanwhile arrive as notifications anyway.
    seen: HashSet<u64>,
    retrying: bool,
    tc: TcListing,
}

impl Changes {
    pub fn new(kinds: Vec<Kind>, list_existing: bool) -> Self {
        Changes {
            wanted: kinds,
            list_existing,
            names: HashMap::new(),
            held: Vec::new(),
            names_ready: false,
            seen: HashSet::new(),
            retrying: false,
            tc: TcListing::default(),
        }
    }

    fn track_name(&mut self, action: Action, obj: &Object) {
        if let Object::Link(l) = obj {
            if l.index > 0 {
                match action {
                    Action::New => {
                        self.names.insert(l.index as u32, l.name.clone());
                    }
                    Action::Del => {
                        self.names.remove(&(l.index as u32));
                    }
                }
            }
        }
    }

    fn names_for(&self, obj: &Object) -> Vec<(u32, String)> {
        let name = |i: u32| self.names.get(&i).map(|n| (i, n.clone()));
        if let Object::Mdb(m) = obj {
            let mut idx: Vec<u32> =
                std::iter::once(m.bridge).chain(m.entries.iter().map(|e| e.port)).chain(m.routers.iter().copied()).collect();
            idx.sort_unstable();
            idx.dedup();
            return idx.into_iter().filter_map(name).collect();
        }
        let idx: [Option<u32>; 2] = match obj {
            Object::Link(l) => [l.master, l.link.filter(|_| l.link_netnsid.is_none())],
            Object::Addr(a) => [Some(a.index), None],
            Object::Route(r) => [r.oif, r.iif],
            Object::Neigh(n) => [Some(n.index), n.master],
            Object::Rule(_) => [None, None],
            Object::Tc(t) => [Some(t.ifindex), None],
            Object::Nexthop(n) => [n.oif, None],
            Object::Stats(st) => [Some(st.index), None],
            Object::Record(r) => [r.index, None],
            Object::Mdb(_) => [None, None],
        };
        idx.into_iter().flatten().filter_map(name).collect()
    }
}

/// What makes an object the same object (not its changing counters): for skipping repeats
/// when a listing is retried.
fn identity(obj: &Object) -> u64 {
    let mut h = DefaultHasher::new();
    match obj {
        Object::Link(l) => (0u8, l.index).hash(&mut h),
        Object::Addr(a) => (1u8, a.family, a.index, a.address, a.prefix_len, a.peer).hash(&mut h),
        Object::Route(r) => {
            (2u8, r.family, r.table, r.dst, r.dst_len, r.src, r.src_len, r.tos, r.priority, r.route_type).hash(&mut h);
            (r.oif, r.gateway, r.nexthops.iter().map(|n| (n.oif, n.gateway)).collect::<Vec<_>>()).hash(&mut h);
        }
        Object::Neigh(n) => (3u8, n.family, n.index, n.dst, n.lladdr.as_deref(), n.vlan).hash(&mut h),
        Object::Tc(t) => {
            (5u8, t.ty as u8, t.ifindex, t.handle, t.parent, t.info, t.chain).hash(&mut h);
            // A standalone-action message is its actions (kind and index of each).
            for a in &t.actions {
                if let super::settings::Value::Map(m) = a {
                    (m.str("kind").ok().flatten(), m.int("index", 0, u32::MAX as i64).ok().flatten()).hash(&mut h);
                }
            }
        }
        Object::Nexthop(n) => (6u8, n.id, n.bucket.map(|b| b.index)).hash(&mut h),
        Object::Stats(st) => (7u8, st.index).hash(&mut h),
        Object::Mdb(m) => {
            (9u8, m.bridge, m.entries.iter().map(|e| (e.port, format!("{:?}", e.group), e.vid, e.source)).collect::<Vec<_>>()).hash(&mut h)
        }
        Object::Record(r) => {
            (8u8, r.kind, r.index).hash(&mut h);
            for k in ["family", "name", "nsid", "prefix"] {
                format!("{:?}", r.fields.get(k)).hash(&mut h);
            }
        }
        Object::Rule(r) => {
            (4u8, r.family, r.priority, r.table, r.src, r.dst, r.iifname.as_deref(), r.oifname.as_deref(), r.fwmark).hash(&mut h)
        }
    }
    h.finish()
}

/// Link listings deliver only when links were asked for; they always run first, to name links.
const LINK_NAMES_ONLY: u32 = 100;

impl Feed for Changes {
    type Item = Change;

    fn protocol(&self) -> i32 {
        libc::NETLINK_ROUTE
    }

    fn groups(&self) -> Vec<u32> {
        // Links are always joined: their names label the other events.
        self.wanted.iter().map(|k| k.group()).chain([Kind::Link.group()]).collect()
    }

    /// The link dump (for names; delivered when links were asked for), then, when listing
    /// existing objects, one dump per wanted kind.
    fn dumps(&mut self, _resync: bool) -> Vec<Dump> {
        let deliver_links = self.list_existing && self.wanted.contains(&Kind::Link);
        let mut d = vec![Dump { tag: if deliver_links { Kind::Link.tag() } else { LINK_NAMES_ONLY }, request: link::dump() }];
        if self.list_existing {
            for k in self.wanted.iter().filter(|k| **k != Kind::Link) {
                d.extend(k.dumps(&mut self.tc));
            }
        }
        d
    }

    fn dump_started(&mut self, _tag: u32, retries: u32) {
        self.retrying = retries > 0;
        if retries == 0 {
            self.seen.clear();
        }
    }

    fn message(&mut self, msg: &Message<'_>, dump: Option<u32>, out: &mut Vec<Event<Change>>) {
        let Ok(Some((action, obj))) = decode(msg) else { return };
        self.track_name(action, &obj);
        if let (Some(tag), Object::Tc(t)) = (dump, &obj) {
            self.tc.listed(tag, t);
        }
        let deliver = match dump {
            Some(tag) => Kind::of_tag(tag).is_some_and(|k| Kind::of(&obj) == Some(k)),
            None => Kind::of(&obj).is_some_and(|k| self.wanted.contains(&k)),
        };
        // A retried listing skips what an interrupted attempt already listed.
        let repeat = deliver && dump.is_some() && !self.seen.insert(identity(&obj)) && self.retrying;
        if deliver && !repeat {
            let names = self.names_for(&obj);
            let ev = Event::Item { item: Change { action, obj, names }, existing: dump.is_some() };
            if self.names_ready {
                out.push(ev);
            } else {
                self.held.push(ev);
            }
        }
    }

    /// The first link listing is complete: name the events held meanwhile and publish them.
    fn dump_done(&mut self, tag: u32, out: &mut Vec<Event<Change>>) {
        if self.names_ready || !(tag == LINK_NAMES_ONLY || tag == Kind::Link.tag()) {
            return;
        }
        self.names_ready = true;
        for mut ev in std::mem::take(&mut self.held) {
            if let Event::Item { item, .. } = &mut ev {
                item.names = self.names_for(&item.obj);
            }
            out.push(ev);
        }
    }

    fn follow_ups(&mut self, tag: u32) -> Vec<Dump> {
        self.tc.follow_ups(tag)
    }

    fn held(&self) -> usize {
        self.held.len()
    }
}
