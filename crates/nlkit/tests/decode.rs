//! The decoders against datagrams captured from a real kernel: framing, links, addresses, routes (see support/fixtures.rs).
#![cfg(target_endian = "little")]

mod support;

use support::fixtures::*;

// Framing
// ------------------------------------------------------------------------------------------

#[test]
fn every_fixture_frames_cleanly() {
    for &(name, bytes, seq) in FIXTURES {
        let ms = msgs(bytes);
        assert!(!ms.is_empty(), "{name}: empty");
        // Messages tile the file exactly (each padded to 4 bytes).
        let total: usize = ms.iter().map(|m| wire::align4(m.header.len as usize)).sum();
        assert_eq!(total, bytes.len(), "{name}: messages do not cover the file");
        let pid = ms[0].header.pid;
        assert_ne!(pid, 0, "{name}: replies carry our port id");
        for m in &ms {
            assert_eq!(m.header.seq, seq, "{name}: seq");
            assert_eq!(m.header.pid, pid, "{name}: pid");
            assert_eq!(m.payload.len() + wire::NLMSG_HDRLEN, m.header.len as usize, "{name}: payload");
        }
    }
}

#[test]
fn dumps_are_multipart_and_end_with_done() {
    for (bytes, ty, count) in [(LINK_DUMP, link::RTM_NEWLINK, 3), (ADDR_DUMP, addr::RTM_NEWADDR, 8), (ROUTE_DUMP, route::RTM_NEWROUTE, 21)]
    {
        let ms = msgs(bytes);
        let (done, data) = ms.split_last().unwrap();
        assert_eq!(data.len(), count);
        for m in data {
            assert_eq!(m.header.ty, ty);
            assert_eq!(m.header.flags, NLM_F_MULTI);
        }
        assert_eq!(done.header.ty, NLMSG_DONE);
        assert_eq!(done.header.flags, NLM_F_MULTI);
        assert_eq!(done.payload, &0u32.to_ne_bytes()[..], "DONE carries errno 0 and nothing else");
        assert_eq!(wire::parse_done(done.header.flags, done.payload), ErrorMsg::default());
    }
    // The answers to the two gets are single, non-multipart messages.
    for bytes in [ROUTE_GET, ROUTE_GET6] {
        let ms = msgs(bytes);
        assert_eq!(ms.len(), 1);
        assert_eq!(ms[0].header.ty, route::RTM_NEWROUTE);
        assert_eq!(ms[0].header.flags, 0);
    }
}

// ------------------------------------------------------------------------------------------
// Links
// ------------------------------------------------------------------------------------------

#[test]
fn link_dump_loopback() {
    let ls = links();
    assert_eq!(ls.iter().map(|l| (l.index, l.name.as_str())).collect::<Vec<_>>(), vec![(1, "lo"), (2, "vfix1"), (3, "vfix0")]);
    let lo = link_named("lo");
    assert_eq!(lo.index, LO as i32);
    assert_eq!(lo.link_type, ARPHRD_LOOPBACK);
    assert_eq!(lo.flags, IFF_UP | IFF_LOOPBACK | IFF_RUNNING | IFF_LOWER_UP);
    assert_eq!(names::link_flag_names(lo.flags), vec!["LOOPBACK", "UP", "LOWER_UP"]);
    assert_eq!(lo.kind, None);
    assert_eq!(lo.mtu, Some(65536));
    assert_eq!((lo.min_mtu, lo.max_mtu), (Some(0), Some(0)));
    assert_eq!(lo.operstate, IF_OPER_UNKNOWN);
    assert_eq!(lo.address.as_deref(), Some(&[0u8; 6][..]));
    assert_eq!(lo.broadcast.as_deref(), Some(&[0u8; 6][..]));
    assert_eq!(lo.link, None);
    assert_eq!(lo.master, None);
    assert_eq!(lo.link_netnsid, None);
    assert_eq!(lo.qdisc.as_deref(), Some("noqueue"));
    assert_eq!(lo.txqlen, Some(1000));
    assert_eq!(lo.group, Some(0));
    assert_eq!(lo.carrier, Some(1));
    assert_eq!(lo.alias, None);
    assert!(lo.alt_names.is_empty());
    // The capture sent 3 UDP datagrams of 100 bytes to itself over lo: 3 x (20 + 8 + 100).
    let s = lo.stats.expect("IFLA_STATS64");
    assert_eq!((s.rx_packets, s.tx_packets, s.rx_bytes, s.tx_bytes), (3, 3, 384, 384));
    assert_eq!((s.rx_errors, s.tx_errors, s.rx_dropped, s.tx_dropped), (0, 0, 0, 0));
}

#[test]
fn link_dump_veth_pair() {
    let v0 = link_named("vfix0");
    let v1 = link_named("vfix1");
    assert_eq!((v0.index, v1.index), (VFIX0 as i32, VFIX1 as i32));
    for v in [&v0, &v1] {
        assert_eq!(v.kind.as_deref(), Some("veth"));
        assert_eq!(v.link_type, ARPHRD_ETHER);
        assert_eq!(v.flags, IFF_UP | IFF_BROADCAST | IFF_MULTICAST | IFF_RUNNING | IFF_LOWER_UP);
        assert_eq!(names::link_flag_names(v.flags), vec!["BROADCAST", "MULTICAST", "UP", "LOWER_UP"]);
        assert_eq!(v.operstate, IF_OPER_UP);
        assert_eq!(v.carrier, Some(1));
        assert_eq!((v.min_mtu, v.max_mtu), (Some(68), Some(65535)));
        assert_eq!(v.broadcast.as_deref(), Some(&[0xff; 6][..]));
        let mac = v.address.as_deref().expect("IFLA_ADDRESS");
        assert_eq!(mac.len(), 6);
        assert_eq!(mac[0] & 0x03, 0x02, "veth MACs are random, locally administered unicast");
        assert_eq!(v.perm_address, None);
        assert_eq!(v.master, None);
        assert_eq!(v.link_netnsid, None, "peer is in the same namespace");
        assert_eq!(v.qdisc.as_deref(), Some("noqueue"));
        assert_eq!(v.txqlen, Some(1000));
        assert!(v.stats.is_some());
    }
    // Each end's IFLA_LINK is the other end.
    assert_eq!(v0.link, Some(VFIX1));
    assert_eq!(v1.link, Some(VFIX0));
    // What the capture set on vfix0 only.
    assert_eq!(v0.mtu, Some(1400));
    assert_eq!(v1.mtu, Some(1500));
    assert_eq!(v0.alias.as_deref(), Some("fixture alias"));
    assert_eq!(v1.alias, None);
    assert_eq!(v0.alt_names, vec!["vfix0-alt".to_string()]);
    assert!(v1.alt_names.is_empty());
    assert_ne!(v0.address, v1.address);
}

#[test]
fn link_fields_agree_with_raw_attributes() {
    let ms = msgs(LINK_DUMP);
    let ls = links();
    for (m, l) in ms.iter().zip(&ls) {
        let attrs = &m.payload[16..];
        // The 64-bit counters agree with the legacy 32-bit IFLA_STATS block (same field order,
        // small values), which nlkit does not read.
        let s32 = raw_attr(attrs, IFLA_STATS).expect("IFLA_STATS");
        let s = l.stats.as_ref().unwrap();
        let got = [s.rx_packets, s.tx_packets, s.rx_bytes, s.tx_bytes, s.rx_errors, s.tx_errors, s.rx_dropped, s.tx_dropped];
        let want: Vec<u64> = (0..8).map(|i| le32(s32, i) as u64).collect();
        assert_eq!(&got[..], &want[..], "{}: stats64 vs stats", l.name);
        let s64 = raw_attr(attrs, 23).expect("IFLA_STATS64");
        assert_eq!(got[0], le64(s64, 0));
        assert_eq!(l.address.as_deref(), raw_attr(attrs, IFLA_ADDRESS));
        // Header fields straight from the ifinfomsg.
        assert_eq!(l.index, le32(m.payload, 1) as i32);
        assert_eq!(l.flags, le32(m.payload, 2));
        // IFLA_LINKINFO is nested: nlkit must read the kind inside it.
        if let Some(info) = raw_attr(attrs, IFLA_LINKINFO) {
            assert_eq!(raw_attr(info, 1), Some(&b"veth\0"[..]));
            assert_eq!(l.kind.as_deref(), Some("veth"));
        }
    }
}

#[test]
fn link_macs_match_the_eui64_link_local_addresses() {
    // The kernel derived each veth's fe80:: address from its MAC: two decoders, one fact.
    for name in ["vfix0", "vfix1"] {
        let l = link_named(name);
        let m = l.address.unwrap();
        let want: IpAddr =
            std::net::Ipv6Addr::from([0xfe, 0x80, 0, 0, 0, 0, 0, 0, m[0] ^ 0x02, m[1], m[2], 0xff, 0xfe, m[3], m[4], m[5]]).into();
        let ll: Vec<_> = addrs().into_iter().filter(|a| a.index == l.index as u32 && a.scope == RT_SCOPE_LINK).collect();
        assert_eq!(ll.len(), 1, "{name}: {ll:?}");
        assert_eq!(ll[0].address, Some(want), "{name}");
        assert_eq!((ll[0].family, ll[0].prefix_len), (AF_INET6, 64));
    }
}

// ------------------------------------------------------------------------------------------
// Addresses
// ------------------------------------------------------------------------------------------

#[test]
fn addr_dump_ipv4() {
    let all = addrs();
    assert_eq!(all.len(), 8);
    assert_eq!(all.iter().filter(|a| a.family == AF_INET).count(), 3);

    let lo = addr_of(LO, "127.0.0.1");
    assert_eq!((lo.family, lo.prefix_len, lo.scope), (AF_INET, 8, RT_SCOPE_HOST));
    assert_eq!(lo.flags, IFA_F_PERMANENT);
    assert_eq!((lo.peer, lo.broadcast), (None, None));
    assert_eq!(lo.label.as_deref(), Some("lo"));
    assert_eq!((lo.valid_lft, lo.preferred_lft), (Some(addr::INFINITY_LIFE_TIME), Some(addr::INFINITY_LIFE_TIME)));

    let a = addr_of(VFIX0, "10.11.0.1");
    assert_eq!((a.family, a.prefix_len, a.scope), (AF_INET, 24, RT_SCOPE_UNIVERSE));
    assert_eq!(a.flags, IFA_F_PERMANENT);
    assert_eq!(a.peer, None, "IFA_ADDRESS equals IFA_LOCAL: no peer");
    assert_eq!(a.broadcast, Some(ip("10.11.0.255")));
    assert_eq!(a.label.as_deref(), Some("vfix0:lbl"));
    assert_eq!(a.valid_lft, Some(addr::INFINITY_LIFE_TIME));

    let p = addr_of(VFIX1, "10.12.0.1");
    assert_eq!((p.family, p.prefix_len, p.scope), (AF_INET, 32, RT_SCOPE_UNIVERSE));
    assert_eq!(p.peer, Some(ip("10.12.0.2")));
    assert_eq!(p.broadcast, None);
    assert_eq!(p.label.as_deref(), Some("vfix1"));
    assert_eq!(p.flags & IFA_F_PERMANENT, 0, "has finite lifetimes");
    // Set to 3600/1800; the kernel reports what is left (a re-capture may lose a second).
    assert!((3590..=3600).contains(&p.valid_lft.unwrap()), "{:?}", p.valid_lft);
    assert!((1790..=1800).contains(&p.preferred_lft.unwrap()), "{:?}", p.preferred_lft);
}

#[test]
fn addr_dump_ipv6() {
    let all = addrs();
    assert_eq!(all.iter().filter(|a| a.family == AF_INET6).count(), 5);

    let lo = addr_of(LO, "::1");
    assert_eq!((lo.family, lo.prefix_len, lo.scope, lo.flags), (AF_INET6, 128, RT_SCOPE_HOST, IFA_F_PERMANENT));
    assert_eq!(lo.label, None, "IPv6 addresses have no label");

    let a = addr_of(VFIX0, "2001:db8:11::1");
    assert_eq!((a.family, a.prefix_len, a.scope), (AF_INET6, 64, RT_SCOPE_UNIVERSE));
    assert_eq!(a.flags, IFA_F_NODAD | IFA_F_PERMANENT);
    assert_eq!((a.peer, a.broadcast, a.label.as_deref()), (None, None, None));

    // noprefixroute (0x200) does not fit ifa_flags (u8): only IFA_FLAGS carries it.
    let b = addr_of(VFIX1, "2001:db8:12::1");
    assert_eq!((b.family, b.prefix_len, b.scope), (AF_INET6, 64, RT_SCOPE_UNIVERSE));
    assert_eq!(b.flags, IFA_F_NOPREFIXROUTE | IFA_F_NODAD | IFA_F_PERMANENT);
    assert_eq!(names::addr_flag_names(b.flags, AF_INET6), vec!["nodad", "permanent", "noprefixroute"]);
    let m = msgs(ADDR_DUMP).into_iter().find(|m| addr::decode(m.payload).unwrap() == b).unwrap();
    assert_eq!(m.payload[2] as u32, IFA_F_NODAD | IFA_F_PERMANENT, "raw ifa_flags byte");
}

#[test]
fn addr_filter_on_real_dump() {
    let objs = objects(ADDR_DUMP);
    let keep = |f: Filter| objs.iter().filter(|o| f.keep(o)).count();
    assert_eq!(keep(Filter::default()), 8);
    assert_eq!(keep(Filter { family: Some(AF_INET), ..Default::default() }), 3);
    assert_eq!(keep(Filter { index: Some(VFIX0), ..Default::default() }), 3);
    assert_eq!(keep(Filter { family: Some(AF_INET6), index: Some(LO), ..Default::default() }), 1);
}

// ------------------------------------------------------------------------------------------
// Routes
// ------------------------------------------------------------------------------------------

#[test]
fn route_dump_routes_we_added() {
    let r = route_to(RT_TABLE_MAIN, Some("10.20.0.0"), 16);
    assert_eq!(r.family, AF_INET);
    assert_eq!(r.gateway, Some(ip("10.11.0.2")));
    assert_eq!(r.oif, Some(VFIX0));
    assert_eq!(r.priority, Some(100));
    assert_eq!((r.protocol, r.scope, r.route_type), (RTPROT_STATIC, RT_SCOPE_UNIVERSE, RTN_UNICAST));
    assert_eq!((r.src, r.src_len, r.tos, r.flags, r.prefsrc), (None, 0, 0, 0, None));

    let d = route_to(RT_TABLE_MAIN, None, 0);
    assert_eq!(d.family, AF_INET, "the only default route");
    assert_eq!(d.gateway, Some(ip("10.11.0.254")));
    assert_eq!(d.oif, Some(VFIX0));
    assert_eq!(d.priority, None, "metric 0 is not sent");
    assert_eq!((d.protocol, d.scope, d.route_type), (RTPROT_BOOT, RT_SCOPE_UNIVERSE, RTN_UNICAST));

    let t = route_to(1000, Some("10.30.0.0"), 24);
    assert_eq!(t.family, AF_INET);
    assert_eq!(t.oif, Some(VFIX0));
    assert_eq!(t.gateway, None);
    assert_eq!((t.protocol, t.scope, t.route_type), (RTPROT_BOOT, RT_SCOPE_LINK, RTN_UNICAST));
    // rtm_table cannot hold 1000: the kernel says RT_TABLE_COMPAT there and 1000 in RTA_TABLE.
    let m = msgs(ROUTE_DUMP).into_iter().find(|m| route::decode(m.payload).unwrap() == t).unwrap();
    assert_eq!(m.payload[4], RT_TABLE_COMPAT);
    assert_eq!(raw_attr(&m.payload[12..], RTA_TABLE), Some(&1000u32.to_le_bytes()[..]));

    let b = route_to(RT_TABLE_MAIN, Some("10.40.0.0"), 16);
    assert_eq!((b.route_type, b.protocol, b.scope), (RTN_BLACKHOLE, RTPROT_BOOT, RT_SCOPE_UNIVERSE));
    assert_eq!((b.oif, b.gateway), (None, None));
    assert_eq!(names::route_type_name(b.route_type as u32), "blackhole");

    let v6 = route_to(RT_TABLE_MAIN, Some("2001:db8:20::"), 48);
    assert_eq!(v6.family, AF_INET6);
    assert_eq!(v6.gateway, Some(ip("2001:db8:11::2")));
    assert_eq!(v6.oif, Some(VFIX0));
    assert_eq!(v6.priority, Some(1024), "IPv6 default metric");
    assert_eq!(v6.pref, Some(ICMPV6_ROUTER_PREF_MEDIUM));
    assert_eq!((v6.protocol, v6.scope, v6.route_type), (RTPROT_BOOT, RT_SCOPE_UNIVERSE, RTN_UNICAST));
}

#[test]
fn route_dump_routes_the_kernel_added() {
    let all = routes_in(ROUTE_DUMP);
    assert!(all.iter().all(|r| r.flags & RTM_F_CLONED == 0), "a dump holds no cached routes");
    assert_eq!(all.iter().filter(|r| r.family == AF_INET).count(), 12);

    // Connected routes carry the preferred source.
    let c = route_to(RT_TABLE_MAIN, Some("10.11.0.0"), 24);
    assert_eq!((c.protocol, c.scope, c.route_type), (RTPROT_KERNEL, RT_SCOPE_LINK, RTN_UNICAST));
    assert_eq!((c.oif, c.prefsrc, c.gateway), (Some(VFIX0), Some(ip("10.11.0.1")), None));
    let p = route_to(RT_TABLE_MAIN, Some("10.12.0.2"), 32);
    assert_eq!((p.oif, p.prefsrc, p.scope), (Some(VFIX1), Some(ip("10.12.0.1")), RT_SCOPE_LINK));

    // The local table.
    let l = route_to(RT_TABLE_LOCAL, Some("10.11.0.1"), 32);
    assert_eq!((l.route_type, l.scope, l.protocol), (RTN_LOCAL, RT_SCOPE_HOST, RTPROT_KERNEL));
    assert_eq!(names::table_name(l.table), "local");
    let bc = route_to(RT_TABLE_LOCAL, Some("10.11.0.255"), 32);
    assert_eq!((bc.route_type, bc.scope, bc.oif), (RTN_BROADCAST, RT_SCOPE_LINK, Some(VFIX0)));
    let lo = route_to(RT_TABLE_LOCAL, Some("127.0.0.0"), 8);
    assert_eq!((lo.route_type, lo.oif, lo.prefsrc), (RTN_LOCAL, Some(LO), Some(ip("127.0.0.1"))));

    // IPv6: the prefix route of 2001:db8:11::1/64, none for the noprefixroute address.
    let pr = route_to(RT_TABLE_MAIN, Some("2001:db8:11::"), 64);
    assert_eq!((pr.protocol, pr.priority, pr.oif, pr.gateway), (RTPROT_KERNEL, Some(256), Some(VFIX0), None));
    assert!(!all.iter().any(|r| r.dst == Some(ip("2001:db8:12::"))), "noprefixroute");
    let l6 = route_to(RT_TABLE_LOCAL, Some("2001:db8:12::1"), 128);
    assert_eq!((l6.route_type, l6.oif, l6.priority), (RTN_LOCAL, Some(VFIX1), Some(0)));
    let mc: Vec<_> = all.iter().filter(|r| r.dst == Some(ip("ff00::")) && r.dst_len == 8).collect();
    assert_eq!(mc.len(), 2);
    assert!(mc.iter().all(|r| r.route_type == RTN_MULTICAST && r.table == RT_TABLE_LOCAL));
}

#[test]
fn route_filter_on_real_dump() {
    let objs = objects(ROUTE_DUMP);
    let keep = |f: Filter| objs.iter().filter(|o| f.keep(o)).count();
    assert_eq!(keep(Filter { table: Some(1000), ..Default::default() }), 1);
    assert_eq!(keep(Filter { family: Some(AF_INET), table: Some(RT_TABLE_MAIN), ..Default::default() }), 5);
    // The blackhole has no oif: an index filter drops it.
    assert_eq!(keep(Filter { family: Some(AF_INET), index: Some(VFIX0), table: Some(RT_TABLE_MAIN), ..Default::default() }), 3);
}

#[test]
fn route_get_ipv4() {
    let rs = routes_in(ROUTE_GET);
    assert_eq!(rs.len(), 1);
    let r = &rs[0];
    assert_eq!((r.family, r.dst, r.dst_len), (AF_INET, Some(ip("10.20.1.2")), 32));
    assert_eq!(r.gateway, Some(ip("10.11.0.2")));
    assert_eq!(r.oif, Some(VFIX0));
    assert_eq!(r.prefsrc, Some(ip("10.11.0.1")));
    assert_eq!(r.table, RT_TABLE_MAIN);
    assert_eq!((r.protocol, r.scope, r.route_type), (RTPROT_UNSPEC, RT_SCOPE_UNIVERSE, RTN_UNICAST));
    assert_ne!(r.flags & RTM_F_CLONED, 0, "a get answers with the (cloned) cache entry");
    assert_eq!((r.src, r.iif, r.priority, r.mark), (None, None, None, None));
    // ...which is exactly what `ip route show` (skip_cloned) leaves out.
    let obj = Object::Route(r.clone());
    assert!(!Filter { skip_cloned: true, ..Default::default() }.keep(&obj));
}

#[test]
fn route_get_ipv6() {
    let rs = routes_in(ROUTE_GET6);
    assert_eq!(rs.len(), 1);
    let r = &rs[0];
    assert_eq!((r.family, r.dst, r.dst_len), (AF_INET6, Some(ip("2001:db8:20::5")), 128));
    // The kernel echoes the (unspecified) flow source as RTA_SRC ::/128 ("from ::" in `ip`).
    assert_eq!((r.src, r.src_len), (Some(ip("::")), 128));
    assert_eq!(r.gateway, Some(ip("2001:db8:11::2")));
    assert_eq!(r.oif, Some(VFIX0));
    assert_eq!(r.prefsrc, Some(ip("2001:db8:11::1")));
    assert_eq!(r.priority, Some(1024));
    assert_eq!(r.pref, Some(ICMPV6_ROUTER_PREF_MEDIUM));
    assert_eq!(r.table, RT_TABLE_MAIN);
    assert_eq!((r.protocol, r.route_type, r.flags), (RTPROT_BOOT, RTN_UNICAST, 0));
}

// ------------------------------------------------------------------------------------------
