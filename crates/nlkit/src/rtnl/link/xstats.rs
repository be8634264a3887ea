//! RTM_GETSTATS's kind-specific groups (`ip stats show group xstats|xstats_slave|afstats`):
//! a bridge's and a bridge port's multicast, STP and VLAN counters, a bond's (or bond port's)
//! 802.3ad counters, and per-address-family counters (MPLS). Each is a fixed struct of u64s in
//! the kernel; they are decoded into trees with `ip -j stats show`'s names in camelCase, and the
//! subgroups/suites `ip` filters on are the trees' keys (`bridge.stp`, `bond['802.3ad']`).

use crate::rtnl::settings::{Settings, Value};
use crate::wire::{self, attrs, WireError};

const LINK_XSTATS_TYPE_BRIDGE: u16 = 1;
const LINK_XSTATS_TYPE_BOND: u16 = 2;
const BRIDGE_XSTATS_VLAN: u16 = 1;
const BRIDGE_XSTATS_MCAST: u16 = 2;
const BRIDGE_XSTATS_STP: u16 = 4;
const BOND_XSTATS_3AD: u16 = 1;
const AF_MPLS: u16 = 28;
const MPLS_STATS_LINK: u16 = 1;

/// A u64 counter of a fixed struct, 0 past a short one's end (an older kernel's).
fn counter(v: &[u8], i: usize) -> Value {
    let n = v.get(i * 8..i * 8 + 8).and_then(wire::attr_u64).unwrap_or(0);
    Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

fn counters(v: &[u8], names: &[&str]) -> Settings {
    let mut s = Settings::new();
    for (i, n) in names.iter().enumerate() {
        s.set(n, counter(v, i));
    }
    s
}

/// `struct bridge_stp_xstats`.
const STP: &[&str] = &["transitionBlk", "transitionFwd", "rxBpdu", "txBpdu", "rxTcn", "txTcn"];

/// The bond's 802.3ad counters, one u64 attribute each (BOND_3AD_STAT_*, from 0).
const LACP: &[&str] = &[
    "lacpduRx",
    "lacpduTx",
    "lacpduUnknownRx",
    "lacpduIllegalRx",
    "markerRx",
    "markerTx",
    "markerRespRx",
    "markerRespTx",
    "markerUnknownRx",
];

/// `struct mpls_link_stats`.
const MPLS: &[&str] = &["rxPackets", "txPackets", "rxBytes", "txBytes", "rxErrors", "txErrors", "rxDropped", "txDropped", "rxNoroute"];

/// `struct br_mcast_stats`: pairs [rx, tx] except the two parse-error counters; grouped as
/// `ip -j` prints them (queries and reports by protocol version).
fn mcast(v: &[u8]) -> Settings {
    let pair = |i: usize| -> (Value, Value) { (counter(v, i), counter(v, i + 1)) };
    let versions = |slots: &[(usize, &str)]| {
        let mut s = Settings::new();
        for (dir, off) in [("rx", 0), ("tx", 1)] {
            for (slot, ver) in slots {
                s.set_owned(format!("{dir}{ver}"), counter(v, slot + off));
            }
        }
        Value::Map(s)
    };
    let rx_tx = |i: usize| {
        let (rx, tx) = pair(i);
        let mut s = Settings::new();
        s.set("rx", rx).set("tx", tx);
        Value::Map(s)
    };
    // u64 slots: igmp v1/v2/v3 queries 0/2/4, igmp leaves 6, igmp v1/v2/v3 reports 8/10/12,
    // igmp parse errors 14, mld v1/v2 queries 15/17, mld leaves 19, mld v1/v2 reports 21/23,
    // mld parse errors 25, bytes 26, packets 28.
    let mut s = Settings::new();
    s.set("igmpQueries", versions(&[(0, "V1"), (2, "V2"), (4, "V3")]))
        .set("igmpReports", versions(&[(8, "V1"), (10, "V2"), (12, "V3")]))
        .set("igmpLeaves", rx_tx(6))
        .set("igmpParseErrors", counter(v, 14))
        .set("mldQueries", versions(&[(15, "V1"), (17, "V2")]))
        .set("mldReports", versions(&[(21, "V1"), (23, "V2")]))
        .set("mldLeaves", rx_tx(19))
        .set("mldParseErrors", counter(v, 25))
        .set("bytes", rx_tx(26))
        .set("packets", rx_tx(28));
    s
}

/// `struct bridge_vlan_xstats`: four u64 counters, then u16 vid, u16 flags.
fn vlan(v: &[u8]) -> Value {
    let mut s = Settings::new();
    s.set_int("vid", v.get(32..34).map_or(0, |b| wire::u16_at(b, 0)));
    s.0.extend(counters(v, &["rxBytes", "rxPackets", "txBytes", "txPackets"]).0);
    s.set_int("flags", v.get(34..36).map_or(0, |b| wire::u16_at(b, 0)));
    Value::Map(s)
}

fn bridge(v: &[u8]) -> Result<Settings, WireError> {
    let mut s = Settings::new();
    let mut vlans = Vec::new();
    for a in attrs(v) {
        let (ty, v) = a?;
        match ty {
            BRIDGE_XSTATS_MCAST => {
                s.set("multicast", Value::Map(mcast(v)));
            }
            BRIDGE_XSTATS_STP => {
                s.set("stp", Value::Map(counters(v, STP)));
            }
            BRIDGE_XSTATS_VLAN => vlans.push(vlan(v)),
            _ => {}
        }
    }
    if !vlans.is_empty() {
        s.set("vlans", Value::List(vlans));
    }
    Ok(s)
}

fn bond(v: &[u8]) -> Result<Settings, WireError> {
    let mut s = Settings::new();
    for a in attrs(v) {
        let (ty, v) = a?;
        if ty != BOND_XSTATS_3AD {
            continue;
        }
        let mut lacp = Settings::new();
        for a in attrs(v) {
            let (ty, v) = a?;
            if let Some(name) = LACP.get(usize::from(ty)) {
                lacp.set(name, counter(v, 0));
            }
        }
        s.set("802.3ad", Value::Map(lacp));
    }
    Ok(s)
}

/// IFLA_STATS_LINK_XSTATS or IFLA_STATS_LINK_XSTATS_SLAVE: `{ bridge?, bond? }`.
pub fn decode_xstats(v: &[u8]) -> Result<Settings, WireError> {
    let mut s = Settings::new();
    for a in attrs(v) {
        let (ty, v) = a?;
        match ty {
            LINK_XSTATS_TYPE_BRIDGE => {
                s.set("bridge", Value::Map(bridge(v)?));
            }
            LINK_XSTATS_TYPE_BOND => {
                s.set("bond", Value::Map(bond(v)?));
            }
            _ => {}
        }
    }
    Ok(s)
}

/// IFLA_STATS_AF_SPEC: `{ mpls? }` (the one family the kernel reports).
pub fn decode_af(v: &[u8]) -> Result<Settings, WireError> {
    let mut s = Settings::new();
    for a in attrs(v) {
        let (ty, v) = a?;
        if ty != AF_MPLS {
            continue;
        }
        for a in attrs(v) {
            let (ty, v) = a?;
            if ty == MPLS_STATS_LINK {
                s.set("mpls", Value::Map(counters(v, MPLS)));
            }
        }
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::MsgBuilder;

    fn u64s(n: usize, from: u64) -> Vec<u8> {
        (0..n as u64).flat_map(|i| (from + i).to_ne_bytes()).collect()
    }

    fn int(s: &Settings, path: &[&str]) -> i64 {
        let mut cur = s;
        for (i, k) in path.iter().enumerate() {
            match cur.get(k) {
                Some(Value::Map(m)) => cur = m,
                Some(Value::Int(n)) if i == path.len() - 1 => return *n,
                other => panic!("{path:?}: {other:?}"),
            }
        }
        panic!("{path:?} is a map")
    }

    #[test]
    fn bridge_multicast_stp_and_vlans_by_slot() {
        let mut b = MsgBuilder::new(0, 0);
        let br = b.nest_start(LINK_XSTATS_TYPE_BRIDGE);
        b.attr(BRIDGE_XSTATS_MCAST, &u64s(30, 100));
        b.attr(BRIDGE_XSTATS_STP, &u64s(6, 1));
        let mut vl = u64s(4, 7);
        vl.extend_from_slice(&10u16.to_ne_bytes());
        vl.extend_from_slice(&2u16.to_ne_bytes());
        vl.extend_from_slice(&[0; 4]);
        b.attr(BRIDGE_XSTATS_VLAN, &vl);
        b.nest_end(br);
        let m = b.finish();
        let s = decode_xstats(&m[wire::NLMSG_HDRLEN..]).unwrap();
        let mc = ["bridge", "multicast"];
        let at = |k: &[&str]| int(&s, &[&mc[..], k].concat());
        assert_eq!((at(&["igmpQueries", "rxV1"]), at(&["igmpQueries", "txV1"]), at(&["igmpQueries", "rxV3"])), (100, 101, 104));
        assert_eq!((at(&["igmpLeaves", "rx"]), at(&["igmpReports", "txV3"]), at(&["igmpParseErrors"])), (106, 113, 114));
        assert_eq!((at(&["mldQueries", "rxV1"]), at(&["mldQueries", "txV2"]), at(&["mldLeaves", "tx"])), (115, 118, 120));
        assert_eq!((at(&["mldReports", "rxV2"]), at(&["mldParseErrors"]), at(&["packets", "tx"])), (123, 125, 129));
        assert_eq!((int(&s, &["bridge", "stp", "transitionBlk"]), int(&s, &["bridge", "stp", "txTcn"])), (1, 6));
        let Some(Value::List(v)) = s.map("bridge").unwrap().unwrap().get("vlans") else { panic!("vlans") };
        let Value::Map(v0) = &v[0] else { panic!() };
        assert_eq!(
            (v0.int("vid", 0, 4095).unwrap(), v0.int("txPackets", 0, 99).unwrap(), v0.int("flags", 0, 9).unwrap()),
            (Some(10), Some(10), Some(2))
        );
    }

    #[test]
    fn bond_lacp_mpls_and_short_or_garbage_input() {
        let mut b = MsgBuilder::new(0, 0);
        let bo = b.nest_start(LINK_XSTATS_TYPE_BOND);
        let ad = b.nest_start(BOND_XSTATS_3AD);
        for (i, _) in LACP.iter().enumerate() {
            b.attr(i as u16, &(i as u64 + 1).to_ne_bytes());
        }
        b.attr(9, &[0; 8]); // BOND_3AD_STAT_PAD
        b.nest_end(ad);
        b.nest_end(bo);
        let m = b.finish();
        let s = decode_xstats(&m[wire::NLMSG_HDRLEN..]).unwrap();
        assert_eq!((int(&s, &["bond", "802.3ad", "lacpduRx"]), int(&s, &["bond", "802.3ad", "markerUnknownRx"])), (1, 9));
        let mut b = MsgBuilder::new(0, 0);
        let af = b.nest_start(AF_MPLS);
        b.attr(MPLS_STATS_LINK, &u64s(3, 5)); // short: the rest reads 0
        b.nest_end(af);
        let m = b.finish();
        let s = decode_af(&m[wire::NLMSG_HDRLEN..]).unwrap();
        assert_eq!((int(&s, &["mpls", "rxBytes"]), int(&s, &["mpls", "rxNoroute"])), (7, 0));
        let mut b = MsgBuilder::new(0, 0);
        let br = b.nest_start(LINK_XSTATS_TYPE_BRIDGE);
        b.attr(BRIDGE_XSTATS_MCAST, &[1, 2, 3]);
        b.attr(BRIDGE_XSTATS_VLAN, &[1]);
        b.nest_end(br);
        let m = b.finish();
        let body = &m[wire::NLMSG_HDRLEN..];
        assert_eq!(int(&decode_xstats(body).unwrap(), &["bridge", "multicast", "bytes", "rx"]), 0);
        for cut in 0..body.len() {
            let _ = decode_xstats(&body[..cut]);
            let _ = decode_af(&body[..cut]);
        }
    }
}
