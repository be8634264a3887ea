//! Captured kernel bytes and the helpers the decode/encode tests share.
//!
//! against golden request bytes (hand-written, and iproute2's own).
//!
//! `tests/fixtures/*.bin` are raw rtnetlink datagrams written verbatim by
//! `examples/capture_fixtures.rs` (regenerate as root: `cargo run -p nlkit --example
//! capture_fixtures`); the namespace they describe is documented at the top of that file and
//! summarised in `tests/fixtures/capture.txt`. The `IP_*` request vectors near the end were taken
//! with `strace -e trace=sendmsg,sendto -e write=all ip ...` (iproute2 6.1) inside `unshare -n`,
//! after building the same links, so interface indices agree (lo 1, vfix1 2, vfix0 3).
//!
//! Values that change on every capture (MAC addresses, port ids, IPv6 link-local addresses,
//! traffic on the veths) are not hard-coded: they are checked against each other, or against the
//! raw bytes read by a walker written here independently of `nlkit::wire`.
//!
//! Netlink is host-endian and the captures are little-endian, hence the `cfg`.
#![allow(dead_code, unused_imports)]
#![cfg(target_endian = "little")]

pub use std::net::{IpAddr, Ipv4Addr};
pub use std::panic::{catch_unwind, AssertUnwindSafe};

pub use nlkit::rtnl::addr::{self, AddrOp, AddrSpec, Address};
pub use nlkit::rtnl::link::{self, Link, LinkRef};
pub use nlkit::rtnl::names;
pub use nlkit::rtnl::route::{self, Route, RouteOp, RouteQuery, RouteSpec, RTM_F_CLONED};
pub use nlkit::rtnl::{self, Action, Filter, Object, AF_INET, AF_INET6};
pub use nlkit::wire::{self, ErrorMsg, Message, MsgHeader, NLMSG_DONE, NLMSG_ERROR, NLM_F_ACK_TLVS, NLM_F_CAPPED, NLM_F_MULTI};

// ------------------------------------------------------------------------------------------
// The fixtures
// ------------------------------------------------------------------------------------------

pub const LINK_DUMP: &[u8] = include_bytes!("../fixtures/link_dump.bin");
pub const ADDR_DUMP: &[u8] = include_bytes!("../fixtures/addr_dump.bin");
pub const ROUTE_DUMP: &[u8] = include_bytes!("../fixtures/route_dump.bin");
pub const ROUTE_GET: &[u8] = include_bytes!("../fixtures/route_get.bin");
pub const ROUTE_GET6: &[u8] = include_bytes!("../fixtures/route_get6.bin");
pub const ERROR_EXTACK: &[u8] = include_bytes!("../fixtures/error_extack.bin");
pub const ERROR_EXTACK_CAPPED: &[u8] = include_bytes!("../fixtures/error_extack_capped.bin");
pub const ERROR_ADDR_PREFIX: &[u8] = include_bytes!("../fixtures/error_addr_prefix.bin");

/// (name, bytes, the seq the capture tool stamped on its request)
pub const FIXTURES: &[(&str, &[u8], u32)] = &[
    ("link_dump", LINK_DUMP, 1001),
    ("addr_dump", ADDR_DUMP, 1002),
    ("route_dump", ROUTE_DUMP, 1003),
    ("route_get", ROUTE_GET, 1004),
    ("route_get6", ROUTE_GET6, 1005),
    ("error_extack", ERROR_EXTACK, 1006),
    ("error_extack_capped", ERROR_EXTACK_CAPPED, 1007),
    ("error_addr_prefix", ERROR_ADDR_PREFIX, 1008),
];

// Interface indices in the fresh namespace (veth registers its peer first).
pub const LO: u32 = 1;
pub const VFIX1: u32 = 2;
pub const VFIX0: u32 = 3;

pub const IFF_UP: u32 = 0x1;
pub const IFF_BROADCAST: u32 = 0x2;
pub const IFF_LOOPBACK: u32 = 0x8;
pub const IFF_RUNNING: u32 = 0x40;
pub const IFF_MULTICAST: u32 = 0x1000;
pub const IFF_LOWER_UP: u32 = 0x10000;
pub const ARPHRD_ETHER: u16 = 1;
pub const ARPHRD_LOOPBACK: u16 = 772;
pub const IF_OPER_UNKNOWN: u8 = 0;
pub const IF_OPER_UP: u8 = 6;

pub const IFA_F_NODAD: u32 = 0x02;
pub const IFA_F_PERMANENT: u32 = 0x80;
pub const IFA_F_NOPREFIXROUTE: u32 = 0x200;
pub const RT_SCOPE_UNIVERSE: u8 = 0;
pub const RT_SCOPE_LINK: u8 = 253;
pub const RT_SCOPE_HOST: u8 = 254;
pub const RT_TABLE_COMPAT: u8 = 252;
pub const RT_TABLE_MAIN: u32 = 254;
pub const RT_TABLE_LOCAL: u32 = 255;
pub const RTPROT_UNSPEC: u8 = 0;
pub const RTPROT_KERNEL: u8 = 2;
pub const RTPROT_BOOT: u8 = 3;
pub const RTPROT_STATIC: u8 = 4;
pub const RTN_UNICAST: u8 = 1;
pub const RTN_LOCAL: u8 = 2;
pub const RTN_BROADCAST: u8 = 3;
pub const RTN_MULTICAST: u8 = 5;
pub const RTN_BLACKHOLE: u8 = 6;
pub const ICMPV6_ROUTER_PREF_MEDIUM: u8 = 0;

pub const IFLA_ADDRESS: u16 = 1;
pub const IFLA_STATS: u16 = 7;
pub const IFLA_LINKINFO: u16 = 18;
pub const IFA_ADDRESS: u16 = 1;
pub const IFA_LOCAL: u16 = 2;
pub const RTA_GATEWAY: u16 = 5;
pub const RTA_TABLE: u16 = 15;

pub fn ip(s: &str) -> IpAddr {
    s.parse().expect("literal address")
}

pub fn msgs(buf: &[u8]) -> Vec<Message<'_>> {
    wire::messages(buf).collect::<Result<Vec<_>, _>>().expect("fixture framing")
}

/// Every data message of a fixture, decoded; all must be modelled "new" objects.
pub fn objects(buf: &[u8]) -> Vec<Object> {
    msgs(buf)
        .iter()
        .filter(|m| m.header.ty != NLMSG_DONE)
        .map(|m| {
            let (action, obj) = rtnl::decode(m).expect("decodes").expect("a modelled message type");
            assert_eq!(action, Action::New);
            obj
        })
        .collect()
}

pub fn links() -> Vec<Link> {
    objects(LINK_DUMP)
        .into_iter()
        .map(|o| match o {
            Object::Link(l) => l,
            other => panic!("not a link: {other:?}"),
        })
        .collect()
}

pub fn link_named(name: &str) -> Link {
    links().into_iter().find(|l| l.name == name).unwrap_or_else(|| panic!("no link {name}"))
}

pub fn addrs() -> Vec<Address> {
    objects(ADDR_DUMP)
        .into_iter()
        .map(|o| match o {
            Object::Addr(a) => a,
            other => panic!("not an address: {other:?}"),
        })
        .collect()
}

pub fn addr_of(index: u32, address: &str) -> Address {
    let want = Some(ip(address));
    addrs().into_iter().find(|a| a.index == index && a.address == want).unwrap_or_else(|| panic!("no address {address} on {index}"))
}

pub fn routes_in(buf: &[u8]) -> Vec<Route> {
    objects(buf)
        .into_iter()
        .map(|o| match o {
            Object::Route(r) => r,
            other => panic!("not a route: {other:?}"),
        })
        .collect()
}

pub fn route_to(table: u32, dst: Option<&str>, dst_len: u8) -> Route {
    let want = dst.map(ip);
    let mut found: Vec<Route> =
        routes_in(ROUTE_DUMP).into_iter().filter(|r| r.table == table && r.dst == want && r.dst_len == dst_len).collect();
    assert_eq!(found.len(), 1, "routes to {dst:?}/{dst_len} in table {table}: {found:?}");
    found.pop().unwrap()
}

/// Walks the rtattrs of `b` without nlkit::wire, for cross-checks (fixtures are trusted here).
pub fn raw_attrs(b: &[u8]) -> Vec<(u16, &[u8])> {
    let mut out = Vec::new();
    let mut off = 0;
    while off + 4 <= b.len() {
        let len = u16::from_le_bytes([b[off], b[off + 1]]) as usize;
        let ty = u16::from_le_bytes([b[off + 2], b[off + 3]]);
        assert!(len >= 4 && off + len <= b.len(), "bad attribute at {off}");
        out.push((ty, &b[off + 4..off + len]));
        off += (len + 3) & !3;
    }
    out
}

pub fn raw_attr(b: &[u8], ty: u16) -> Option<&[u8]> {
    raw_attrs(b).into_iter().find(|(t, _)| *t & 0x3fff == ty).map(|(_, v)| v)
}

pub fn le32(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes(b[i * 4..i * 4 + 4].try_into().unwrap())
}

pub fn le64(b: &[u8], i: usize) -> u64 {
    u64::from_le_bytes(b[i * 8..i * 8 + 8].try_into().unwrap())
}

// ------------------------------------------------------------------------------------------

// Request specs shared by the encoder tests.

pub fn spec(index: u32, address: &str, prefix_len: u8) -> AddrSpec {
    AddrSpec {
        index,
        address: ip(address),
        prefix_len,
        scope: None,
        label: None,
        broadcast: None,
        peer: None,
        valid_lft: None,
        preferred_lft: None,
        flags: 0,
    }
}

pub fn addr_v4_spec() -> AddrSpec {
    AddrSpec { broadcast: Some(Ipv4Addr::new(10, 11, 0, 255)), label: Some("vfix0:lbl".into()), ..spec(VFIX0, "10.11.0.1", 24) }
}

pub fn addr_v6_spec() -> AddrSpec {
    AddrSpec { flags: IFA_F_NODAD, ..spec(VFIX0, "2001:db8:11::1", 64) }
}

pub fn addr_peer_spec() -> AddrSpec {
    AddrSpec { peer: Some(ip("10.12.0.2")), valid_lft: Some(3600), preferred_lft: Some(1800), ..spec(VFIX1, "10.12.0.1", 32) }
}

pub fn addr_v6_noprefixroute_spec() -> AddrSpec {
    AddrSpec { flags: IFA_F_NODAD | IFA_F_NOPREFIXROUTE, ..spec(VFIX1, "2001:db8:12::1", 64) }
}

pub fn route_via_spec() -> RouteSpec {
    RouteSpec {
        family: AF_INET,
        dst: Some(ip("10.20.0.0")),
        dst_len: 16,
        gateway: Some(ip("10.11.0.2")),
        oif: Some(VFIX0),
        metric: Some(100),
        protocol: Some(RTPROT_STATIC),
        ..Default::default()
    }
}

pub fn route_default_spec() -> RouteSpec {
    RouteSpec { family: AF_INET, gateway: Some(ip("10.11.0.254")), oif: Some(VFIX0), ..Default::default() }
}

pub fn route_v6_spec() -> RouteSpec {
    RouteSpec {
        family: AF_INET6,
        dst: Some(ip("2001:db8:20::")),
        dst_len: 48,
        gateway: Some(ip("2001:db8:11::2")),
        oif: Some(VFIX0),
        ..Default::default()
    }
}

pub fn route_table_1000_spec() -> RouteSpec {
    RouteSpec { family: AF_INET, dst: Some(ip("10.30.0.0")), dst_len: 24, oif: Some(VFIX0), table: Some(1000), ..Default::default() }
}

pub fn route_blackhole_spec() -> RouteSpec {
    RouteSpec { family: AF_INET, dst: Some(ip("10.40.0.0")), dst_len: 16, route_type: Some(RTN_BLACKHOLE), ..Default::default() }
}
