//! bond (IFLA_BOND_*). Keys are iproute2's `ip -d -j` names in camelCase; enumerations take
//! the names `ip` prints (`mode: '802.3ad'`, `xmitHashPolicy: 'layer3+4'`, ...). `activeSlave`
//! and `primary` are interface indexes. Times (`miimon`, `updelay`, `downdelay`,
//! `peerNotifyDelay`, `arpInterval`) are in milliseconds; `lpInterval` in seconds.
//! `arpIpTarget` is a list of IPv4 addresses, `nsIp6Target` one of IPv6 addresses (up to 16
//! each). Read-only state (802.3ad aggregator info) is not decoded, nor is `adActorSystem`
//! when it is the all-zero default.

use super::common::{decode_field, encode_fields, ip_from, list, Field, Int, IFINDEX_MAX};
use super::{EncodeCtx, LinkKind};
use crate::rtnl::settings::{Settings, Value};
use crate::wire::{attrs, MsgBuilder};

const IFLA_BOND_MODE: u16 = 1;
const IFLA_BOND_ACTIVE_SLAVE: u16 = 2;
const IFLA_BOND_MIIMON: u16 = 3;
const IFLA_BOND_UPDELAY: u16 = 4;
const IFLA_BOND_DOWNDELAY: u16 = 5;
const IFLA_BOND_USE_CARRIER: u16 = 6;
const IFLA_BOND_ARP_INTERVAL: u16 = 7;
const IFLA_BOND_ARP_IP_TARGET: u16 = 8;
const IFLA_BOND_ARP_VALIDATE: u16 = 9;
const IFLA_BOND_ARP_ALL_TARGETS: u16 = 10;
const IFLA_BOND_PRIMARY: u16 = 11;
const IFLA_BOND_PRIMARY_RESELECT: u16 = 12;
const IFLA_BOND_FAIL_OVER_MAC: u16 = 13;
const IFLA_BOND_XMIT_HASH_POLICY: u16 = 14;
const IFLA_BOND_RESEND_IGMP: u16 = 15;
const IFLA_BOND_NUM_PEER_NOTIF: u16 = 16;
const IFLA_BOND_ALL_SLAVES_ACTIVE: u16 = 17;
const IFLA_BOND_MIN_LINKS: u16 = 18;
const IFLA_BOND_LP_INTERVAL: u16 = 19;
const IFLA_BOND_PACKETS_PER_SLAVE: u16 = 20;
const IFLA_BOND_AD_LACP_RATE: u16 = 21;
const IFLA_BOND_AD_SELECT: u16 = 22;
const IFLA_BOND_AD_ACTOR_SYS_PRIO: u16 = 24;
const IFLA_BOND_AD_USER_PORT_KEY: u16 = 25;
const IFLA_BOND_AD_ACTOR_SYSTEM: u16 = 26;
const IFLA_BOND_TLB_DYNAMIC_LB: u16 = 27;
const IFLA_BOND_PEER_NOTIF_DELAY: u16 = 28;
const IFLA_BOND_AD_LACP_ACTIVE: u16 = 29;
const IFLA_BOND_MISSED_MAX: u16 = 30;
const IFLA_BOND_NS_IP6_TARGET: u16 = 31;

/// BOND_MAX_ARP_TARGETS (and BOND_MAX_NS_TARGETS).
const MAX_TARGETS: usize = 16;

static FIELDS: &[Field] = &[
    Field::choice(
        "mode",
        IFLA_BOND_MODE,
        Int::U8,
        &[
            ("balance-rr", 0),
            ("active-backup", 1),
            ("balance-xor", 2),
            ("broadcast", 3),
            ("802.3ad", 4),
            ("balance-tlb", 5),
            ("balance-alb", 6),
        ],
    ),
    Field::int("activeSlave", IFLA_BOND_ACTIVE_SLAVE, Int::U32).range(1, IFINDEX_MAX),
    Field::int("miimon", IFLA_BOND_MIIMON, Int::U32).range(0, i32::MAX as i64),
    Field::int("updelay", IFLA_BOND_UPDELAY, Int::U32).range(0, i32::MAX as i64),
    Field::int("downdelay", IFLA_BOND_DOWNDELAY, Int::U32).range(0, i32::MAX as i64),
    Field::int("peerNotifyDelay", IFLA_BOND_PEER_NOTIF_DELAY, Int::U32).range(0, i32::MAX as i64),
    Field::bool("useCarrier", IFLA_BOND_USE_CARRIER, Int::U8),
    Field::int("arpInterval", IFLA_BOND_ARP_INTERVAL, Int::U32).range(0, i32::MAX as i64),
    Field::int("arpMissedMax", IFLA_BOND_MISSED_MAX, Int::U8).range(1, 255),
    Field::choice(
        "arpValidate",
        IFLA_BOND_ARP_VALIDATE,
        Int::U32,
        &[("none", 0), ("active", 1), ("backup", 2), ("all", 3), ("filter", 4), ("filter_active", 5), ("filter_backup", 6)],
    ),
    Field::choice("arpAllTargets", IFLA_BOND_ARP_ALL_TARGETS, Int::U32, &[("any", 0), ("all", 1)]),
    Field::int("primary", IFLA_BOND_PRIMARY, Int::U32).range(1, IFINDEX_MAX),
    Field::choice("primaryReselect", IFLA_BOND_PRIMARY_RESELECT, Int::U8, &[("always", 0), ("better", 1), ("failure", 2)]),
    Field::choice("failOverMac", IFLA_BOND_FAIL_OVER_MAC, Int::U8, &[("none", 0), ("active", 1), ("follow", 2)]),
    Field::choice(
        "xmitHashPolicy",
        IFLA_BOND_XMIT_HASH_POLICY,
        Int::U8,
        &[("layer2", 0), ("layer3+4", 1), ("layer2+3", 2), ("encap2+3", 3), ("encap3+4", 4), ("vlan+srcmac", 5)],
    ),
    Field::int("resendIgmp", IFLA_BOND_RESEND_IGMP, Int::U32).range(0, 255),
    Field::int("numPeerNotif", IFLA_BOND_NUM_PEER_NOTIF, Int::U8),
    Field::bool("allSlavesActive", IFLA_BOND_ALL_SLAVES_ACTIVE, Int::U8),
    Field::int("minLinks", IFLA_BOND_MIN_LINKS, Int::U32),
    Field::int("lpInterval", IFLA_BOND_LP_INTERVAL, Int::U32).range(1, i32::MAX as i64),
    Field::int("packetsPerSlave", IFLA_BOND_PACKETS_PER_SLAVE, Int::U32).range(0, 65535),
    Field::bool("adLacpActive", IFLA_BOND_AD_LACP_ACTIVE, Int::U8),
    Field::choice("adLacpRate", IFLA_BOND_AD_LACP_RATE, Int::U8, &[("slow", 0), ("fast", 1)]),
    Field::choice("adSelect", IFLA_BOND_AD_SELECT, Int::U8, &[("stable", 0), ("bandwidth", 1), ("count", 2)]),
    Field::int("adActorSysPrio", IFLA_BOND_AD_ACTOR_SYS_PRIO, Int::U16).range(1, 65535),
    Field::int("adUserPortKey", IFLA_BOND_AD_USER_PORT_KEY, Int::U16).range(0, 1023),
    Field::mac("adActorSystem", IFLA_BOND_AD_ACTOR_SYSTEM),
    Field::bool("tlbDynamicLb", IFLA_BOND_TLB_DYNAMIC_LB, Int::U8),
];

/// (key, attribute, address length)
const TARGETS: &[(&str, u16, usize)] = &[("arpIpTarget", IFLA_BOND_ARP_IP_TARGET, 4), ("nsIp6Target", IFLA_BOND_NS_IP6_TARGET, 16)];

pub struct Bond;

impl LinkKind for Bond {
    fn kind(&self) -> &'static str {
        "bond"
    }

    fn keys(&self) -> &'static [&'static str] {
        &[
            "mode",
            "activeSlave",
            "miimon",
            "updelay",
            "downdelay",
            "peerNotifyDelay",
            "useCarrier",
            "arpInterval",
            "arpMissedMax",
            "arpIpTarget",
            "arpValidate",
            "arpAllTargets",
            "nsIp6Target",
            "primary",
            "primaryReselect",
            "failOverMac",
            "xmitHashPolicy",
            "resendIgmp",
            "numPeerNotif",
            "allSlavesActive",
            "minLinks",
            "lpInterval",
            "packetsPerSlave",
            "adLacpActive",
            "adLacpRate",
            "adSelect",
            "adActorSysPrio",
            "adUserPortKey",
            "adActorSystem",
            "tlbDynamicLb",
        ]
    }

    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _ctx: &mut EncodeCtx) -> Result<(), String> {
        encode_fields(FIELDS, s, b)?;
        for &(key, attr, len) in TARGETS {
            let Some(l) = list(s, key)? else { continue };
            if l.len() > MAX_TARGETS {
                return Err(format!("{key} takes at most {MAX_TARGETS} addresses"));
            }
            let mut addrs = Vec::with_capacity(l.len());
            for v in l {
                let a = match v {
                    Value::Str(a) if len == 4 => a.parse::<std::net::Ipv4Addr>().ok().map(|a| a.octets().to_vec()),
                    Value::Str(a) => a.parse::<std::net::Ipv6Addr>().ok().map(|a| a.octets().to_vec()),
                    _ => None,
                };
                let fam = if len == 4 { "IPv4" } else { "IPv6" };
                addrs.push(a.ok_or_else(|| format!("{key} must be a list of {fam} addresses, got {v:?}"))?);
            }
            // One attribute per address, numbered from 0, as the kernel reports them.
            let at = b.nest_start(attr);
            for (i, a) in addrs.iter().enumerate() {
                b.attr(i as u16, a);
            }
            b.nest_end(at);
        }
        Ok(())
    }

    fn decode(&self, data: &[u8]) -> Settings {
        let mut out = Settings::new();
        for (ty, v) in attrs(data).map_while(Result::ok) {
            // All zeros is the default ("use the bond's own address"), which the kernel
            // reports in 802.3ad mode but refuses to be given: leave it out.
            if ty == IFLA_BOND_AD_ACTOR_SYSTEM && v.iter().all(|&b| b == 0) {
                continue;
            }
            if decode_field(FIELDS, ty, v, &mut out) {
                continue;
            }
            if let Some(&(key, _, len)) = TARGETS.iter().find(|t| t.1 == ty) {
                let addrs: Vec<Value> = attrs(v)
                    .map_while(Result::ok)
                    .filter(|(_, a)| a.len() == len)
                    .take(MAX_TARGETS)
                    .filter_map(|(_, a)| ip_from(a))
                    .map(|a| Value::Str(a.to_string()))
                    .collect();
                out.set(key, Value::List(addrs));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::common::testing::*;
    use super::*;

    fn strs(v: &[&str]) -> Value {
        Value::List(v.iter().map(|s| Value::Str(s.to_string())).collect())
    }

    fn full() -> Settings {
        let mut s = Settings::new();
        s.set_str("mode", "802.3ad")
            .set_int("activeSlave", 3)
            .set_int("miimon", 100)
            .set_int("updelay", 200)
            .set_int("downdelay", 300)
            .set_int("peerNotifyDelay", 400)
            .set_bool("useCarrier", true)
            .set_int("arpInterval", 1000)
            .set_int("arpMissedMax", 3)
            .set("arpIpTarget", strs(&["10.0.0.1", "10.0.0.2"]))
            .set_str("arpValidate", "filter_backup")
            .set_str("arpAllTargets", "all")
            .set("nsIp6Target", strs(&["2001:db8::1"]))
            .set_int("primary", 4)
            .set_str("primaryReselect", "failure")
            .set_str("failOverMac", "follow")
            .set_str("xmitHashPolicy", "vlan+srcmac")
            .set_int("resendIgmp", 255)
            .set_int("numPeerNotif", 2)
            .set_bool("allSlavesActive", false)
            .set_int("minLinks", 2)
            .set_int("lpInterval", 1)
            .set_int("packetsPerSlave", 65535)
            .set_bool("adLacpActive", true)
            .set_str("adLacpRate", "fast")
            .set_str("adSelect", "count")
            .set_int("adActorSysPrio", 65535)
            .set_int("adUserPortKey", 1023)
            .set_str("adActorSystem", "02:00:00:00:00:01")
            .set_bool("tlbDynamicLb", true);
        s
    }

    #[test]
    fn roundtrip_full() {
        assert_roundtrip("bond", &full());
        assert_keys_cover("bond", FIELDS);
        assert_eq!(full().0.len(), Bond.keys().len());
        for mode in ["balance-rr", "active-backup", "balance-xor", "broadcast", "balance-tlb", "balance-alb"] {
            let mut s = Settings::new();
            s.set_str("mode", mode).set("arpIpTarget", Value::List(vec![]));
            assert_roundtrip("bond", &s);
        }
    }

    #[test]
    fn wire_format() {
        let mut s = Settings::new();
        s.set_str("mode", "active-backup").set("arpIpTarget", strs(&["10.0.0.1", "192.168.1.2"]));
        let d = encoded("bond", &s);
        let a: Vec<_> = attrs(&d).map(|a| a.unwrap()).collect();
        assert_eq!(a[0], (IFLA_BOND_MODE, &[1][..]));
        assert_eq!(a[1].0, IFLA_BOND_ARP_IP_TARGET);
        let inner: Vec<_> = attrs(a[1].1).map(|a| a.unwrap()).collect();
        assert_eq!(inner, vec![(0, &[10, 0, 0, 1][..]), (1, &[192, 168, 1, 2][..])]);
    }

    #[test]
    fn rejects_bad_values() {
        let base = Settings::new();
        assert_rejects("bond", &with(&base, "mode", Value::Str("round-robin".into())), "mode");
        assert_rejects("bond", &with(&base, "mode", Value::Int(0)), "mode");
        assert_rejects("bond", &with(&base, "xmitHashPolicy", Value::Str("layer4".into())), "xmitHashPolicy");
        assert_rejects("bond", &with(&base, "adLacpRate", Value::Str("medium".into())), "adLacpRate");
        assert_rejects("bond", &with(&base, "miimon", Value::Int(-1)), "miimon");
        assert_rejects("bond", &with(&base, "miimon", Value::Int(1 << 31)), "miimon");
        assert_rejects("bond", &with(&base, "minLinks", Value::Int(1 << 32)), "minLinks");
        assert_rejects("bond", &with(&base, "activeSlave", Value::Int(0)), "activeSlave");
        assert_rejects("bond", &with(&base, "adUserPortKey", Value::Int(1024)), "adUserPortKey");
        assert_rejects("bond", &with(&base, "adActorSysPrio", Value::Int(0)), "adActorSysPrio");
        assert_rejects("bond", &with(&base, "arpMissedMax", Value::Int(0)), "arpMissedMax");
        assert_rejects("bond", &with(&base, "resendIgmp", Value::Int(256)), "resendIgmp");
        assert_rejects("bond", &with(&base, "useCarrier", Value::Int(1)), "useCarrier");
        assert_rejects("bond", &with(&base, "adActorSystem", Value::Str("nope".into())), "adActorSystem");
        assert_rejects("bond", &with(&base, "arpIpTarget", strs(&["2001:db8::1"])), "arpIpTarget");
        assert_rejects("bond", &with(&base, "arpIpTarget", Value::Str("10.0.0.1".into())), "arpIpTarget");
        assert_rejects("bond", &with(&base, "nsIp6Target", strs(&["10.0.0.1"])), "nsIp6Target");
        let many: Vec<String> = (0..17).map(|i| format!("10.0.0.{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_rejects("bond", &with(&base, "arpIpTarget", strs(&many)), "arpIpTarget");
        assert_rejects("bond", &with(&base, "lacpRate", Value::Str("fast".into())), "lacpRate");
    }

    #[test]
    fn decode_survives_garbage() {
        assert_decode_survives("bond", &full(), true);
        // The all-zero actor system (the default) is left out.
        let mut b = MsgBuilder::new(0, 0);
        b.attr(IFLA_BOND_AD_ACTOR_SYSTEM, &[0; 6]);
        let m = b.finish();
        assert!(Bond.decode(&m[16..]).is_empty());
        // More than 16 targets from a peer are cut to 16 (what encode takes).
        let mut b = MsgBuilder::new(0, 0);
        let at = b.nest_start(IFLA_BOND_ARP_IP_TARGET);
        for i in 0..20u8 {
            b.attr(i as u16, &[10, 0, 0, i]);
        }
        b.nest_end(at);
        let m = b.finish();
        match Bond.decode(&m[16..]).get("arpIpTarget") {
            Some(Value::List(l)) => assert_eq!(l.len(), 16),
            other => panic!("{other:?}"),
        }
    }
}
