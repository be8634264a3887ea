//! Numeric kernel constants <-> the names `ip` prints, both ways.

use std::borrow::Cow;

/// Looks up `v` in a table; unknown values print as their number, like `ip` does.
fn name_of(table: &[(u32, &'static str)], v: u32) -> Cow<'static, str> {
    table.iter().find(|(n, _)| *n == v).map(|(_, s)| Cow::Borrowed(*s)).unwrap_or_else(|| Cow::Owned(v.to_string()))
}

/// Parses a name from a table, or a plain number.
fn value_of(table: &[(u32, &'static str)], s: &str) -> Option<u32> {
    table.iter().find(|(_, n)| *n == s).map(|(v, _)| *v).or_else(|| s.parse().ok())
}

macro_rules! named {
    ($table:ident, $name_fn:ident, $value_fn:ident, [$(($v:expr, $s:expr)),* $(,)?]) => {
        pub const $table: &[(u32, &str)] = &[$(($v, $s)),*];
        pub fn $name_fn(v: u32) -> Cow<'static, str> { name_of($table, v) }
        pub fn $value_fn(s: &str) -> Option<u32> { value_of($table, s) }
    };
}

named!(
    PROTOCOLS,
    protocol_name,
    protocol_value,
    [
        (0, "unspec"),
        (1, "redirect"),
        (2, "kernel"),
        (3, "boot"),
        (4, "static"),
        (8, "gated"),
        (9, "ra"),
        (10, "mrt"),
        (11, "zebra"),
        (12, "bird"),
        (13, "dnrouted"),
        (14, "xorp"),
        (15, "ntk"),
        (16, "dhcp"),
        (17, "mrouted"),
        (18, "keepalived"),
        (42, "babel"),
        (99, "openr"),
        (186, "bgp"),
        (187, "isis"),
        (188, "ospf"),
        (189, "rip"),
        (192, "eigrp"),
    ]
);

named!(SCOPES, scope_name, scope_value, [(0, "global"), (200, "site"), (253, "link"), (254, "host"), (255, "nowhere"),]);

named!(
    ROUTE_TYPES,
    route_type_name,
    route_type_value,
    [
        (0, "unspec"),
        (1, "unicast"),
        (2, "local"),
        (3, "broadcast"),
        (4, "anycast"),
        (5, "multicast"),
        (6, "blackhole"),
        (7, "unreachable"),
        (8, "prohibit"),
        (9, "throw"),
        (10, "nat"),
        (11, "xresolve"),
    ]
);

named!(TABLES, table_name, table_value, [(0, "unspec"), (253, "default"), (254, "main"), (255, "local"),]);

named!(
    OPERSTATES,
    operstate_name,
    operstate_value,
    [(0, "UNKNOWN"), (1, "NOTPRESENT"), (2, "DOWN"), (3, "LOWERLAYERDOWN"), (4, "TESTING"), (5, "DORMANT"), (6, "UP"),]
);

pub const IFF_UP: u32 = 0x1;
pub const IFF_RUNNING: u32 = 0x40;

/// Interface flags in the order `ip` prints them.
const IFF_FLAGS: &[(u32, &str)] = &[
    (0x8, "LOOPBACK"),
    (0x2, "BROADCAST"),
    (0x10, "POINTOPOINT"),
    (0x1000, "MULTICAST"),
    (0x80, "NOARP"),
    (0x200, "ALLMULTI"),
    (0x100, "PROMISC"),
    (0x20, "NOTRAILERS"),
    (0x4, "DEBUG"),
    (0x8000, "DYNAMIC"),
    (0x4000, "AUTOMEDIA"),
    (0x2000, "PORTSEL"),
    (0x400, "MASTER"),
    (0x800, "SLAVE"),
    (0x1, "UP"),
    (0x10000, "LOWER_UP"),
    (0x20000, "DORMANT"),
    (0x40000, "ECHO"),
];

/// Link flags as `ip -j link` lists them: RUNNING hidden, NO-CARRIER when up without carrier.
pub fn link_flag_names(flags: u32) -> Vec<&'static str> {
    let mut out = Vec::new();
    if flags & IFF_UP != 0 && flags & IFF_RUNNING == 0 {
        out.push("NO-CARRIER");
    }
    out.extend(IFF_FLAGS.iter().filter(|(bit, _)| flags & bit != 0).map(|(_, n)| *n));
    out
}

/// Address flags (IFA_F_*), named as `ip -j addr` names them.
const IFA_FLAGS: &[(u32, &str)] = &[
    (0x01, "secondary"),
    (0x02, "nodad"),
    (0x04, "optimistic"),
    (0x08, "dadfailed"),
    (0x10, "homeaddress"),
    (0x20, "deprecated"),
    (0x40, "tentative"),
    (0x80, "permanent"),
    (0x100, "mngtmpaddr"),
    (0x200, "noprefixroute"),
    (0x400, "autojoin"),
    (0x800, "stable-privacy"),
];

pub fn addr_flag_names(flags: u32, family: u8) -> Vec<&'static str> {
    IFA_FLAGS
        .iter()
        .filter(|(bit, _)| flags & bit != 0)
        // IFA_F_SECONDARY is IFA_F_TEMPORARY for IPv6.
        .map(|(bit, n)| if *bit == 0x01 && family == libc::AF_INET6 as u8 { "temporary" } else { *n })
        .collect()
}

/// Parses an address flag name ("nodad") to its bit.
pub fn addr_flag_value(s: &str) -> Option<u32> {
    if s == "temporary" {
        return Some(0x01);
    }
    IFA_FLAGS.iter().find(|(_, n)| *n == s).map(|(v, _)| *v)
}

/// ARPHRD_* link types as `ip` names them (`link_type`).
const LINK_TYPES: &[(u32, &str)] = &[
    (1, "ether"),
    (772, "loopback"),
    (776, "sit"),
    (778, "gre"),
    (768, "ipip"),
    (65534, "none"),
    (823, "ip6gre"),
    (769, "tunnel6"),
    (824, "netlink"),
];

pub fn link_type_name(v: u32) -> Cow<'static, str> {
    name_of(LINK_TYPES, v)
}

/// NUD_* neighbour states, as `ip -j neigh` prints them.
pub const NUD_STATES: &[(u32, &str)] = &[
    (0x01, "INCOMPLETE"),
    (0x02, "REACHABLE"),
    (0x04, "STALE"),
    (0x08, "DELAY"),
    (0x10, "PROBE"),
    (0x20, "FAILED"),
    (0x40, "NOARP"),
    (0x80, "PERMANENT"),
];

/// NTF_* neighbour flags.
pub const NTF_FLAGS: &[(u32, &str)] = &[
    (0x01, "use"),
    (0x02, "self"),
    (0x04, "master"),
    (0x08, "proxy"),
    (0x10, "extern_learn"),
    (0x20, "offload"),
    (0x40, "sticky"),
    (0x80, "router"),
];

/// RTNH_F_* next-hop flags.
pub const RTNH_FLAGS: &[(u32, &str)] =
    &[(1, "dead"), (2, "pervasive"), (4, "onlink"), (8, "offload"), (16, "linkdown"), (32, "unresolved"), (64, "trap")];

/// FR_ACT_* rule actions.
pub const RULE_ACTIONS: &[(u32, &str)] =
    &[(0, "unspec"), (1, "to_tbl"), (2, "goto"), (3, "nop"), (6, "blackhole"), (7, "unreachable"), (8, "prohibit")];

/// RTA_PREF: an IPv6 route's router preference.
pub const PREFS: &[(u32, &str)] = &[(0, "medium"), (1, "high"), (3, "low")];

named!(
    ETH_PROTOCOLS,
    eth_protocol_name,
    eth_protocol_value,
    [
        (0x0003, "all"),
        (0x0800, "ip"),
        (0x0806, "arp"),
        (0x86DD, "ipv6"),
        (0x8100, "802.1Q"),
        (0x88A8, "802.1ad"),
        (0x8847, "mpls_uc"),
        (0x8848, "mpls_mc")
    ]
);

named!(
    IP_PROTOS,
    ip_proto_name,
    ip_proto_value,
    [
        (1, "icmp"),
        (2, "igmp"),
        (4, "ipip"),
        (6, "tcp"),
        (17, "udp"),
        (41, "ipv6"),
        (47, "gre"),
        (50, "esp"),
        (51, "ah"),
        (58, "ipv6-icmp"),
        (103, "pim"),
        (112, "vrrp"),
        (132, "sctp"),
        (136, "udplite"),
        (137, "mpls-in-ip"),
        (143, "ethernet"),
        (255, "raw"),
    ]
);

/// Every table by the name src/names.ts reads it under (`nameTables()` in the binding): the
/// one place the names of the kernel's numbers are written.
pub const TABLES_BY_NAME: &[(&str, &[(u32, &str)])] = &[
    ("protocols", PROTOCOLS),
    ("scopes", SCOPES),
    ("routeTypes", ROUTE_TYPES),
    ("tables", TABLES),
    ("operstates", OPERSTATES),
    ("nudStates", NUD_STATES),
    ("ntfFlags", NTF_FLAGS),
    ("rtnhFlags", RTNH_FLAGS),
    ("ruleActions", RULE_ACTIONS),
    ("prefs", PREFS),
    ("ethProtocols", ETH_PROTOCOLS),
    ("ipProtos", IP_PROTOS),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_both_ways() {
        assert_eq!(protocol_name(3), "boot");
        assert_eq!(protocol_name(77), "77");
        assert_eq!(protocol_value("static"), Some(4));
        assert_eq!(protocol_value("77"), Some(77));
        assert_eq!(protocol_value("nope"), None);
        assert_eq!(table_value("main"), Some(254));
        assert_eq!(link_flag_names(0x1 | 0x2 | 0x1000), vec!["NO-CARRIER", "BROADCAST", "MULTICAST", "UP"]);
        assert_eq!(link_flag_names(0x8 | 0x1 | 0x40 | 0x10000), vec!["LOOPBACK", "UP", "LOWER_UP"]);
        assert_eq!(addr_flag_names(0x80 | 0x01, 10), vec!["temporary", "permanent"]);
    }
}
