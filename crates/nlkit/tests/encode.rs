//! The encoders against golden request bytes written by hand.
#![cfg(target_endian = "little")]

mod support;

use support::fixtures::*;

// Encoders: golden request bytes
// ------------------------------------------------------------------------------------------

// The requests examples/capture_fixtures.rs sent.

#[test]
fn golden_link_set_up_by_name() {
    let want: &[u8] = &[
        0x28, 0, 0, 0, // nlmsg_len 40
        19, 0, // RTM_SETLINK
        0x05, 0, // NLM_F_REQUEST | NLM_F_ACK
        0, 0, 0, 0, 0, 0, 0, 0, // seq, pid: stamped by the engine
        0, 0, 0, 0, // ifi_family AF_UNSPEC, pad, ifi_type 0
        0, 0, 0, 0, // ifi_index 0: named by IFLA_IFNAME
        1, 0, 0, 0, // ifi_flags IFF_UP
        1, 0, 0, 0, // ifi_change IFF_UP
        7, 0, 3, 0, b'l', b'o', 0, 0, // IFLA_IFNAME "lo\0" + 1 byte padding
    ];
    assert_eq!(link::set_up(&LinkRef::Name("lo".into()), true), want);
    // Down: same, with ifi_flags 0 (ifi_change still IFF_UP).
    let mut down = want.to_vec();
    down[24] = 0;
    assert_eq!(link::set_up(&LinkRef::Name("lo".into()), false), down);
}

#[test]
fn golden_route_add() {
    let want: &[u8] = &[
        0x44, 0, 0, 0, // nlmsg_len 68
        24, 0, // RTM_NEWROUTE
        0x05, 0x06, // NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE
        0, 0, 0, 0, 0, 0, 0, 0, // seq, pid
        2, 16, 0, 0, // AF_INET, dst_len 16, src_len 0, tos 0
        254, 4, 0, 1, // table main, proto static, scope universe (has a gateway), unicast
        0, 0, 0, 0, // rtm_flags
        8, 0, 15, 0, 254, 0, 0, 0, // RTA_TABLE 254
        8, 0, 1, 0, 10, 20, 0, 0, // RTA_DST 10.20.0.0
        8, 0, 5, 0, 10, 11, 0, 2, // RTA_GATEWAY 10.11.0.2
        8, 0, 6, 0, 100, 0, 0, 0, // RTA_PRIORITY 100
        8, 0, 4, 0, 3, 0, 0, 0, // RTA_OIF 3 (after the options, as iproute2 puts it)
    ];
    assert_eq!(route::encode(&route_via_spec(), RouteOp::Add), want);
}

#[test]
fn golden_route_add_table_1000() {
    let want: &[u8] = &[
        0x34, 0, 0, 0, 24, 0, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, // RTM_NEWROUTE, create excl
        2, 24, 0, 0, // AF_INET /24
        252, 3, 253, 1, // RT_TABLE_COMPAT (1000 > 255), boot, link scope (no gateway), unicast
        0, 0, 0, 0, // rtm_flags
        8, 0, 15, 0, 0xe8, 0x03, 0, 0, // RTA_TABLE 1000
        8, 0, 1, 0, 10, 30, 0, 0, // RTA_DST 10.30.0.0
        8, 0, 4, 0, 3, 0, 0, 0, // RTA_OIF 3
    ];
    assert_eq!(route::encode(&route_table_1000_spec(), RouteOp::Add), want);
}

#[test]
fn golden_addr_add_v4() {
    let want: &[u8] = &[
        0x40, 0, 0, 0, 20, 0, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, // RTM_NEWADDR, create excl
        2, 24, 0, 0, 3, 0, 0, 0, // AF_INET /24, flags 0, scope global, index 3
        8, 0, 2, 0, 10, 11, 0, 1, // IFA_LOCAL
        8, 0, 1, 0, 10, 11, 0, 1, // IFA_ADDRESS (= local: no peer)
        8, 0, 4, 0, 10, 11, 0, 255, // IFA_BROADCAST
        14, 0, 3, 0, b'v', b'f', b'i', b'x', b'0', b':', b'l', b'b', b'l', 0, 0, 0, // IFA_LABEL
    ];
    assert_eq!(addr::encode(&addr_v4_spec(), AddrOp::Add), want);
}

#[test]
fn golden_link_add_veth() {
    let want: &[u8] = &[
        0x60, 0, 0, 0, 16, 0, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, // RTM_NEWLINK, create excl
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // ifinfomsg
        10, 0, 3, 0, b'v', b'f', b'i', b'x', b'0', 0, 0, 0, // IFLA_IFNAME "vfix0"
        0x34, 0, 18, 0x80, // IFLA_LINKINFO | NLA_F_NESTED
        9, 0, 1, 0, b'v', b'e', b't', b'h', 0, 0, 0, 0, // IFLA_INFO_KIND "veth\0"
        0x24, 0, 2, 0x80, // IFLA_INFO_DATA | NLA_F_NESTED
        0x20, 0, 1, 0x80, // VETH_INFO_PEER | NLA_F_NESTED
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // the peer's ifinfomsg
        10, 0, 3, 0, b'v', b'f', b'i', b'x', b'1', 0, 0, 0, // IFLA_IFNAME "vfix1"
    ];
    assert_eq!(link::add_veth("vfix0", "vfix1"), want);
}

/// Every change request the capture sent, decoded again (requests share the reply layout),
/// agrees with what the kernel then dumped.
#[test]
fn requests_round_trip_through_the_kernel() {
    let dumped = routes_in(ROUTE_DUMP);
    for s in [route_via_spec(), route_default_spec(), route_v6_spec(), route_table_1000_spec(), route_blackhole_spec()] {
        let req = route::encode(&s, RouteOp::Add);
        let sent = route::decode(&req[16..]).unwrap();
        let got = dumped
            .iter()
            .find(|r| r.table == sent.table && r.dst == sent.dst && r.dst_len == sent.dst_len && r.family == sent.family)
            .unwrap_or_else(|| panic!("not in the dump: {sent:?}"));
        let key = |r: &Route| (r.gateway, r.oif, r.protocol, r.scope, r.route_type, r.prefsrc);
        assert_eq!(key(got), key(&sent), "{s:?}");
        if sent.priority.is_some() {
            assert_eq!(got.priority, sent.priority);
        }
    }
    let dumped = addrs();
    for s in [addr_v4_spec(), addr_v6_spec(), addr_peer_spec(), addr_v6_noprefixroute_spec()] {
        let req = addr::encode(&s, AddrOp::Add);
        let sent = addr::decode(&req[16..]).unwrap();
        let got = dumped.iter().find(|a| a.index == sent.index && a.address == sent.address).unwrap();
        assert_eq!(
            (got.family, got.prefix_len, got.scope, got.peer, got.broadcast),
            (sent.family, sent.prefix_len, sent.scope, sent.peer, sent.broadcast)
        );
        if sent.label.is_some() {
            assert_eq!(got.label, sent.label);
        }
        // The kernel adds IFA_F_PERMANENT to addresses without lifetimes.
        assert_eq!(got.flags & !IFA_F_PERMANENT, sent.flags, "{s:?}");
    }
}

// ------------------------------------------------------------------------------------------
