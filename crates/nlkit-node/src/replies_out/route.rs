//! rtnetlink objects out to JavaScript, as JSON text with `ip -j`'s names; routes as a flat
//! positional layout ([`ROUTE_LAYOUT`]).

use std::fmt::Write;
use std::net::IpAddr;

use nlkit::rtnl::link::stats::Stats;
use nlkit::rtnl::link::{LinkStats, STATS64_DETAIL};
use nlkit::rtnl::names::{NTF_FLAGS, NUD_STATES, PREFS, RTNH_FLAGS, RULE_ACTIONS};
use nlkit::rtnl::settings::Settings;
use nlkit::rtnl::{names, route::METRICS, rule, Address, Link, Neighbour, Object, Route, Rule, AF_INET, AF_INET6};

use super::json::{ip, mac, settings, string, uint, Obj};

/// The positions of a route's values (see [`route`]); index.ts declares the same list and a
/// contract test compares them through `layouts()`.
pub const ROUTE_LAYOUT: [&str; 11] = ["family", "dst", "dstLen", "table", "protocol", "scope", "type", "flags", "oif", "dev", "extra"];

/// Interface names the JSON should carry next to indexes (events know them; lists add them in JS).
pub type Names<'a> = &'a dyn Fn(u32) -> Option<&'a str>;

pub fn no_names(_: u32) -> Option<&'static str> {
    None
}

fn family(f: u8) -> u8 {
    match f {
        AF_INET6 => 6,
        AF_INET => 4,
        _ => 0,
    }
}

pub fn link(o: &mut String, l: &Link, names: Names<'_>) {
    let mut j = Obj::new(o);
    j.num("index", l.index).str("name", &l.name).opt_str("kind", l.kind.as_deref());
    if let Some(info) = &l.info {
        settings(j.raw("linkinfo"), info);
    }
    j.opt_str("slaveKind", l.slave_kind.as_deref());
    j.strs("flags", &names::link_flag_names(l.flags));
    j.bool("up", l.flags & names::IFF_UP != 0);
    j.str("operstate", &names::operstate_name(l.operstate as u32));
    j.opt_num("mtu", l.mtu).opt_num("minMtu", l.min_mtu).opt_num("maxMtu", l.max_mtu);
    j.str("linkType", &names::link_type_name(l.link_type as u32));
    j.opt_str("address", l.address.as_deref().map(mac).as_deref());
    j.opt_str("broadcast", l.broadcast.as_deref().map(mac).as_deref());
    j.opt_str("permAddress", l.perm_address.as_deref().map(mac).as_deref());
    j.opt_num("masterIndex", l.master).opt_num("linkIndex", l.link).opt_num("linkNetnsid", l.link_netnsid);
    j.opt_str("master", l.master.and_then(names));
    if l.link_netnsid.is_none() {
        j.opt_str("link", l.link.and_then(names));
    }
    j.opt_num("txqlen", l.txqlen).opt_num("group", l.group);
    j.opt_str("qdisc", l.qdisc.as_deref()).opt_str("alias", l.alias.as_deref());
    if let Some(c) = l.carrier {
        j.bool("carrier", c != 0);
    }
    if !l.alt_names.is_empty() {
        j.strs("altNames", &l.alt_names);
    }
    for (name, v) in &l.counts {
        j.num(name, *v);
    }
    if let Some(p) = l.proto_down {
        j.bool("protodown", p);
    }
    if let Some(r) = l.proto_down_reason {
        let bits: Vec<u32> = (0..32).filter(|b| r & (1 << b) != 0).collect();
        j.nums("protodownReason", &bits);
    }
    if let (Some(port), Some(master)) = (&l.port, l.slave_kind.as_deref()) {
        settings(j.raw(if master == "bond" { "bondPort" } else { "bridgePort" }), port);
    }
    if let Some(s) = &l.stats {
        link_stats(j.raw("stats"), s);
    }
    if let Some(x) = l.xdp.as_ref().filter(|x| x.mode != "none") {
        let mut xj = Obj::new(j.raw("xdp"));
        xj.str("mode", x.mode).opt_num("progId", x.prog_id);
        let o = xj.raw("attached");
        o.push('[');
        for (i, (mode, id)) in x.progs.iter().enumerate() {
            if i > 0 {
                o.push(',');
            }
            let mut pj = Obj::new(o);
            pj.str("mode", mode).num("progId", *id);
            pj.end();
        }
        o.push(']');
        xj.end();
    }
    if !l.vlans.is_empty() {
        super::bridge::vlans(j.raw("vlans"), &l.vlans);
    }
    j.end();
}

/// `rtnl_link_stats64`, every counter.
pub fn link_stats(o: &mut String, s: &LinkStats) {
    let mut st = Obj::new(o);
    st.num("rxPackets", s.rx_packets).num("txPackets", s.tx_packets);
    st.num("rxBytes", s.rx_bytes).num("txBytes", s.tx_bytes);
    st.num("rxErrors", s.rx_errors).num("txErrors", s.tx_errors);
    st.num("rxDropped", s.rx_dropped).num("txDropped", s.tx_dropped);
    for (name, v) in STATS64_DETAIL.iter().zip(s.detail) {
        st.num(name, v);
    }
    st.end();
}

/// A gateway of the other family as `ip -j` prints it: `{"family":"inet6","host":"fe80::1"}`.
fn via(o: &mut String, v: &IpAddr) {
    let mut j = Obj::new(o);
    j.str("family", if v.is_ipv6() { "inet6" } else { "inet" }).ip("host", v, None);
    j.end();
}

pub fn address(o: &mut String, a: &Address, names: Names<'_>) {
    let mut j = Obj::new(o);
    j.num("index", a.index).opt_str("link", names(a.index)).num("family", family(a.family));
    if let Some(ip) = a.address {
        j.ip("address", &ip, None).num("prefixLen", a.prefix_len);
        j.ip("cidr", &ip, Some(a.prefix_len));
    }
    j.str("scope", &names::scope_name(a.scope as u32));
    j.opt_str("label", a.label.as_deref());
    j.strs("flags", &names::addr_flag_names(a.flags, a.family));
    j.opt_ip("peer", a.peer);
    j.opt_ip("broadcast", a.broadcast);
    j.opt_num("validLifetime", a.valid_lft).opt_num("preferredLifetime", a.preferred_lft);
    j.end();
}

/// A route's prefix as `ip` prints it, quoted: "default", a bare address for a host route,
/// else CIDR ("10.0.0.0/24").
fn prefix(o: &mut String, ip: Option<IpAddr>, len: u8, fam: u8) {
    let full = if fam == AF_INET6 { 128 } else { 32 };
    o.push('"');
    match ip {
        None if len == 0 => o.push_str("default"),
        None => o.push_str("0.0.0.0"),
        Some(ip) => self::ip(o, &ip),
    }
    if (ip.is_none() && len != 0) || (ip.is_some() && len != full) {
        o.push('/');
        uint(o, len as u64);
    }
    o.push('"');
}

/// A route, compact: the 11 values `family, dst, dstLen, table, protocol, scope, type, flags,
/// oif, dev, extra` without brackets, so a batch's route list is one flat array (stride 11).
/// protocol/scope/type and the flag bits are numbers (index.ts names them), oif is 0 and dev
/// null when absent, `extra` is null or an object of the rarer fields in their final form.
/// Route dumps run to millions: this parses several times faster in JS than keyed objects, and
/// allocates nothing per route but its strings.
pub fn route(o: &mut String, r: &Route, names: Names<'_>) {
    uint(o, family(r.family) as u64);
    o.push(',');
    prefix(o, r.dst, r.dst_len, r.family);
    o.push(',');
    for v in [r.dst_len as u32, r.table, r.protocol as u32, r.scope as u32, r.route_type as u32, r.flags, r.oif.unwrap_or(0)] {
        uint(o, v as u64);
        o.push(',');
    }
    match r.oif.and_then(names) {
        Some(n) => string(o, n),
        None => o.push_str("null"),
    }
    o.push(',');
    let plain = r.src.is_none()
        && r.src_len == 0
        && r.gateway.is_none()
        && r.iif.is_none()
        && r.priority.is_none()
        && r.prefsrc.is_none()
        && r.mark.is_none()
        && r.tos == 0
        && r.pref.is_none()
        && r.nhid.is_none()
        && r.nexthops.is_empty()
        && r.metrics.is_empty()
        && r.encap.is_none()
        && r.via.is_none()
        && r.expires.is_none()
        && r.ttl_propagate.is_none();
    if plain {
        o.push_str("null");
        return;
    }
    let mut j = Obj::new(o);
    if r.src.is_some() || r.src_len != 0 {
        prefix(j.raw("src"), r.src, r.src_len, r.family);
    }
    j.opt_ip("gateway", r.gateway).opt_num("iif", r.iif).opt_num("metric", r.priority);
    j.opt_ip("prefsrc", r.prefsrc).opt_num("mark", r.mark).opt_num("nhid", r.nhid);
    if let Some(e) = &r.encap {
        settings(j.raw("encap"), &e.settings());
    }
    if let Some(v) = &r.via {
        via(j.raw("via"), v);
    }
    j.opt_num("expires", r.expires);
    if let Some(t) = r.ttl_propagate {
        j.bool("ttlPropagate", t);
    }
    if r.tos != 0 {
        j.num("tos", r.tos);
    }
    if let Some(p) = r.pref {
        j.str("pref", PREFS.iter().find(|(v, _)| *v == p as u32).map_or("unknown", |(_, n)| *n));
    }
    if !r.nexthops.is_empty() {
        let o = j.raw("nexthops");
        o.push('[');
        for (i, nh) in r.nexthops.iter().enumerate() {
            if i > 0 {
                o.push(',');
            }
            let mut n = Obj::new(o);
            n.opt_ip("gateway", nh.gateway);
            if let Some(v) = &nh.via {
                via(n.raw("via"), v);
            }
            n.opt_str("dev", names(nh.oif)).num("oif", nh.oif).num("weight", nh.weight);
            n.str_iter("flags", RTNH_FLAGS.iter().filter(|(b, _)| nh.flags as u32 & b != 0).map(|(_, n)| *n));
            if let Some(e) = &nh.encap {
                settings(n.raw("encap"), &e.settings());
            }
            n.end();
        }
        o.push(']');
    }
    if !r.metrics.is_empty() {
        let o = j.raw("metrics");
        let mut m = Obj::new(o);
        for (k, v) in &r.metrics {
            match METRICS.iter().find(|(_, id)| id == k) {
                Some((name, _)) => m.num(name, v),
                None => m.num(&format!("rtax{k}"), v),
            };
        }
        m.end();
    }
    j.end();
}

pub fn neigh(o: &mut String, n: &Neighbour, names: Names<'_>) {
    let mut j = Obj::new(o);
    j.num("index", n.index).opt_str("dev", names(n.index));
    if n.family == 7 {
        j.str("family", "bridge");
    } else {
        j.num("family", family(n.family));
    }
    j.opt_ip("dst", n.dst);
    j.opt_str("lladdr", n.lladdr.as_deref().map(mac).as_deref());
    let states: Vec<&str> = NUD_STATES.iter().filter(|(b, _)| n.state as u32 & b != 0).map(|(_, s)| *s).collect();
    j.strs("state", &states);
    let flags: Vec<&str> = NTF_FLAGS.iter().filter(|(b, _)| n.flags as u32 & b != 0).map(|(_, s)| *s).collect();
    j.strs("flags", &flags);
    j.opt_num("vlan", n.vlan).opt_num("masterIndex", n.master).opt_str("master", n.master.and_then(names));
    j.opt_num("probes", n.probes);
    j.opt_num("port", n.port).opt_num("vni", n.vni).opt_num("srcVni", n.src_vni).opt_num("nhid", n.nhid);
    j.opt_num("viaIndex", n.via).opt_str("via", n.via.and_then(names)).opt_num("protocol", n.protocol);
    j.end();
}

pub fn rule(o: &mut String, r: &Rule) {
    let mut j = Obj::new(o);
    // The kernel leaves FRA_PRIORITY out for priority 0.
    j.num("family", family(r.family)).num("priority", r.priority.unwrap_or(0)).num("table", r.table);
    let action = RULE_ACTIONS.iter().find(|(v, _)| *v == r.action as u32).map(|(_, n)| n.to_string());
    j.str("action", &action.unwrap_or_else(|| r.action.to_string()));
    if let Some(src) = r.src {
        j.str("from", &format!("{src}/{}", r.src_len));
    }
    if let Some(dst) = r.dst {
        j.str("to", &format!("{dst}/{}", r.dst_len));
    }
    j.opt_str("iif", r.iifname.as_deref()).opt_str("oif", r.oifname.as_deref());
    j.opt_num("fwmark", r.fwmark).opt_num("fwmask", r.fwmask).opt_num("goto", r.goto);
    if r.tos != 0 {
        j.num("tos", r.tos);
    }
    j.opt_num("suppressPrefixLength", r.suppress_prefixlen.filter(|v| *v != u32::MAX));
    if let Some((start, end)) = r.uid_range {
        let o = j.raw("uidRange");
        let _ = write!(o, "{{\"start\":{start},\"end\":{end}}}");
    }
    j.opt_str("protocol", r.protocol.map(|p| names::protocol_name(p as u32)).as_deref());
    if r.flags & rule::FIB_RULE_INVERT != 0 {
        j.bool("invert", true);
    }
    let x = &r.extra;
    j.opt_str("ipproto", x.ip_proto.map(|p| names::ip_proto_name(p as u32)).as_deref());
    for (k, range) in [("sport", x.sport), ("dport", x.dport)] {
        if let Some((start, end)) = range {
            let _ = write!(j.raw(k), "{{\"start\":{start},\"end\":{end}}}");
        }
    }
    // A u64: as a decimal string (JSON numbers lose precision past 2^53).
    j.opt_str("tunId", x.tun_id.map(|t| t.to_string()).as_deref());
    j.opt_num("suppressIfgroup", x.suppress_ifgroup.filter(|v| *v != u32::MAX)).opt_num("realms", x.realms);
    if x.l3mdev {
        j.bool("l3mdev", true);
    }
    j.opt_num("dscp", x.dscp);
    j.end();
}

pub fn object(o: &mut String, obj: &Object, names: Names<'_>) {
    match obj {
        Object::Link(l) => link(o, l, names),
        Object::Addr(a) => address(o, a, names),
        Object::Route(r) => route(o, r, names),
        Object::Neigh(n) => neigh(o, n, names),
        Object::Rule(r) => rule(o, r),
        Object::Tc(t) => super::tc::tc(o, t, names),
        Object::Nexthop(n) => super::nexthop::nexthop(o, n, names),
        Object::Stats(st) => stats(o, st, names),
        Object::Mdb(m) => super::bridge::mdb(o, m, names),
        Object::Record(r) => {
            let mut s = Settings::new();
            if let Some(i) = r.index {
                s.set_int("index", i);
            }
            s.0.extend(r.fields.0.iter().cloned());
            if let Some(n) = r.index.and_then(names) {
                s.set_str("dev", n);
            }
            settings(o, &s);
        }
    }
}

/// `ip -j stats show`'s groups, camelCase.
fn stats(o: &mut String, st: &Stats, names: Names<'_>) {
    let mut j = Obj::new(o);
    j.num("index", st.index).opt_str("name", names(st.index));
    if let Some(l) = &st.link {
        link_stats(j.raw("link"), l);
    }
    if let Some(off) = &st.offload {
        let mut oj = Obj::new(j.raw("offload"));
        if let Some(c) = &off.cpu_hit {
            link_stats(oj.raw("cpuHit"), c);
        }
        if let Some(l3) = &off.l3_stats {
            link_stats(oj.raw("l3Stats"), l3);
        }
        if let Some((request, used)) = off.l3_info {
            let mut ij = Obj::new(oj.raw("l3StatsInfo"));
            ij.bool("request", request).bool("used", used);
            ij.end();
        }
        oj.end();
    }
    for (key, tree) in [("xstats", &st.xstats), ("xstatsSlave", &st.xstats_slave), ("afstats", &st.afstats)] {
        if let Some(t) = tree {
            settings(j.raw(key), t);
        }
    }
    j.end();
}
