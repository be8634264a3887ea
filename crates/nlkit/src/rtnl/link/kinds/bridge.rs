//! bridge (IFLA_BR_*). Keys are iproute2's `ip -d -j` names in camelCase, except `stp`
//! (`stp_state` as a boolean).
//!
//! Units: `forwardDelay`, `helloTime`, `maxAge`, `ageingTime` and the `mcast*Intvl` settings
//! are in centiseconds (USER_HZ clock ticks), as the kernel reports them and as `ip -d -j`
//! prints them: 15 s is `1500`. Read-only state (root id, timers, ...) is not decoded.

use super::common::{decode_bits, decode_field, encode_bits, encode_fields, Field, Int};
use super::{EncodeCtx, LinkKind};
use crate::rtnl::settings::{Settings, Value};
use crate::wire::{attrs, MsgBuilder};

const IFLA_BR_FORWARD_DELAY: u16 = 1;
const IFLA_BR_HELLO_TIME: u16 = 2;
const IFLA_BR_MAX_AGE: u16 = 3;
const IFLA_BR_AGEING_TIME: u16 = 4;
const IFLA_BR_STP_STATE: u16 = 5;
const IFLA_BR_PRIORITY: u16 = 6;
const IFLA_BR_VLAN_FILTERING: u16 = 7;
const IFLA_BR_VLAN_PROTOCOL: u16 = 8;
const IFLA_BR_GROUP_FWD_MASK: u16 = 9;
const IFLA_BR_GROUP_ADDR: u16 = 20;
const IFLA_BR_MCAST_ROUTER: u16 = 22;
const IFLA_BR_MCAST_SNOOPING: u16 = 23;
const IFLA_BR_MCAST_QUERY_USE_IFADDR: u16 = 24;
const IFLA_BR_MCAST_QUERIER: u16 = 25;
const IFLA_BR_MCAST_HASH_ELASTICITY: u16 = 26;
const IFLA_BR_MCAST_HASH_MAX: u16 = 27;
const IFLA_BR_MCAST_LAST_MEMBER_CNT: u16 = 28;
const IFLA_BR_MCAST_STARTUP_QUERY_CNT: u16 = 29;
const IFLA_BR_MCAST_LAST_MEMBER_INTVL: u16 = 30;
const IFLA_BR_MCAST_MEMBERSHIP_INTVL: u16 = 31;
const IFLA_BR_MCAST_QUERIER_INTVL: u16 = 32;
const IFLA_BR_MCAST_QUERY_INTVL: u16 = 33;
const IFLA_BR_MCAST_QUERY_RESPONSE_INTVL: u16 = 34;
const IFLA_BR_MCAST_STARTUP_QUERY_INTVL: u16 = 35;
const IFLA_BR_NF_CALL_IPTABLES: u16 = 36;
const IFLA_BR_NF_CALL_IP6TABLES: u16 = 37;
const IFLA_BR_NF_CALL_ARPTABLES: u16 = 38;
const IFLA_BR_VLAN_DEFAULT_PVID: u16 = 39;
const IFLA_BR_VLAN_STATS_ENABLED: u16 = 41;
const IFLA_BR_MCAST_STATS_ENABLED: u16 = 42;
const IFLA_BR_MCAST_IGMP_VERSION: u16 = 43;
const IFLA_BR_MCAST_MLD_VERSION: u16 = 44;
const IFLA_BR_VLAN_STATS_PER_PORT: u16 = 45;
/// `struct br_boolopt_multi { __u32 optval; __u32 optmask; }`
const IFLA_BR_MULTI_BOOLOPT: u16 = 46;

/// Bits of IFLA_BR_MULTI_BOOLOPT (BR_BOOLOPT_*) and their keys.
const BOOLOPTS: &[(&str, u32)] = &[("noLinklocalLearn", 1 << 0), ("mcastVlanSnooping", 1 << 1), ("mstEnabled", 1 << 2)];

/// ETH_P_8021Q / ETH_P_8021AD, sent in network byte order.
pub(super) const VLAN_PROTOCOLS: &[(&str, u64)] = &[("802.1Q", 0x8100), ("802.1ad", 0x88a8)];

static FIELDS: &[Field] = &[
    // Centiseconds.
    Field::int("forwardDelay", IFLA_BR_FORWARD_DELAY, Int::U32),
    Field::int("helloTime", IFLA_BR_HELLO_TIME, Int::U32),
    Field::int("maxAge", IFLA_BR_MAX_AGE, Int::U32),
    Field::int("ageingTime", IFLA_BR_AGEING_TIME, Int::U32),
    // STP state 0 = off, 1 = kernel STP, 2 = user-space STP; `true` asks for 1 and either
    // running state reads back as true.
    Field::bool("stp", IFLA_BR_STP_STATE, Int::U32),
    Field::int("priority", IFLA_BR_PRIORITY, Int::U16),
    Field::bool("vlanFiltering", IFLA_BR_VLAN_FILTERING, Int::U8),
    Field::choice("vlanProtocol", IFLA_BR_VLAN_PROTOCOL, Int::Be16, VLAN_PROTOCOLS),
    Field::int("groupFwdMask", IFLA_BR_GROUP_FWD_MASK, Int::U16),
    Field::mac("groupAddr", IFLA_BR_GROUP_ADDR),
    // MDB_RTR_TYPE_*: 0 disabled, 1 temporary (learned from queries, the default), 2 permanent.
    Field::int("mcastRouter", IFLA_BR_MCAST_ROUTER, Int::U8).range(0, 2),
    Field::bool("mcastSnooping", IFLA_BR_MCAST_SNOOPING, Int::U8),
    Field::bool("mcastQueryUseIfaddr", IFLA_BR_MCAST_QUERY_USE_IFADDR, Int::U8),
    Field::bool("mcastQuerier", IFLA_BR_MCAST_QUERIER, Int::U8),
    Field::int("mcastHashElasticity", IFLA_BR_MCAST_HASH_ELASTICITY, Int::U32),
    Field::int("mcastHashMax", IFLA_BR_MCAST_HASH_MAX, Int::U32),
    Field::int("mcastLastMemberCnt", IFLA_BR_MCAST_LAST_MEMBER_CNT, Int::U32),
    Field::int("mcastStartupQueryCnt", IFLA_BR_MCAST_STARTUP_QUERY_CNT, Int::U32),
    // Centiseconds (u64 on the wire).
    Field::int("mcastLastMemberIntvl", IFLA_BR_MCAST_LAST_MEMBER_INTVL, Int::U64),
    Field::int("mcastMembershipIntvl", IFLA_BR_MCAST_MEMBERSHIP_INTVL, Int::U64),
    Field::int("mcastQuerierIntvl", IFLA_BR_MCAST_QUERIER_INTVL, Int::U64),
    Field::int("mcastQueryIntvl", IFLA_BR_MCAST_QUERY_INTVL, Int::U64),
    Field::int("mcastQueryResponseIntvl", IFLA_BR_MCAST_QUERY_RESPONSE_INTVL, Int::U64),
    Field::int("mcastStartupQueryIntvl", IFLA_BR_MCAST_STARTUP_QUERY_INTVL, Int::U64),
    Field::bool("nfCallIptables", IFLA_BR_NF_CALL_IPTABLES, Int::U8),
    Field::bool("nfCallIp6tables", IFLA_BR_NF_CALL_IP6TABLES, Int::U8),
    Field::bool("nfCallArptables", IFLA_BR_NF_CALL_ARPTABLES, Int::U8),
    // 0 disables the default PVID; 4095 is reserved.
    Field::int("vlanDefaultPvid", IFLA_BR_VLAN_DEFAULT_PVID, Int::U16).range(0, 4094),
    Field::bool("vlanStatsEnabled", IFLA_BR_VLAN_STATS_ENABLED, Int::U8),
    Field::bool("mcastStatsEnabled", IFLA_BR_MCAST_STATS_ENABLED, Int::U8),
    Field::int("mcastIgmpVersion", IFLA_BR_MCAST_IGMP_VERSION, Int::U8).range(2, 3),
    Field::int("mcastMldVersion", IFLA_BR_MCAST_MLD_VERSION, Int::U8).range(1, 2),
    Field::bool("vlanStatsPerPort", IFLA_BR_VLAN_STATS_PER_PORT, Int::U8),
];

pub struct Bridge;

impl LinkKind for Bridge {
    fn kind(&self) -> &'static str {
        "bridge"
    }

    fn keys(&self) -> &'static [&'static str] {
        &[
            "forwardDelay",
            "helloTime",
            "maxAge",
            "ageingTime",
            "stp",
            "priority",
            "vlanFiltering",
            "vlanProtocol",
            "groupFwdMask",
            "groupAddr",
            "mcastRouter",
            "mcastSnooping",
            "mcastQueryUseIfaddr",
            "mcastQuerier",
            "mcastHashElasticity",
            "mcastHashMax",
            "mcastLastMemberCnt",
            "mcastStartupQueryCnt",
            "mcastLastMemberIntvl",
            "mcastMembershipIntvl",
            "mcastQuerierIntvl",
            "mcastQueryIntvl",
            "mcastQueryResponseIntvl",
            "mcastStartupQueryIntvl",
            "nfCallIptables",
            "nfCallIp6tables",
            "nfCallArptables",
            "vlanDefaultPvid",
            "vlanStatsEnabled",
            "mcastStatsEnabled",
            "mcastIgmpVersion",
            "mcastMldVersion",
            "vlanStatsPerPort",
            "noLinklocalLearn",
            "mcastVlanSnooping",
            "mstEnabled",
        ]
    }

    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _ctx: &mut EncodeCtx) -> Result<(), String> {
        encode_fields(FIELDS, s, b)?;
        encode_bits(s, BOOLOPTS, b, IFLA_BR_MULTI_BOOLOPT)?;
        Ok(())
    }

    fn decode(&self, data: &[u8]) -> Settings {
        let mut out = Settings::new();
        for (ty, v) in attrs(data).map_while(Result::ok) {
            if decode_field(FIELDS, ty, v, &mut out) {
                continue;
            }
            if ty == IFLA_BR_MULTI_BOOLOPT {
                decode_bits(v, BOOLOPTS, &mut out);
            }
        }
        // Off is the default, and a kernel built without VLAN filtering reports these as false
        // yet refuses them even as false: leave them out so a read-back copy of a bridge can be
        // created again anywhere.
        const VLAN_ONLY: [&str; 3] = ["vlanFiltering", "mstEnabled", "mcastVlanSnooping"];
        out.0.retain(|(k, v)| !(VLAN_ONLY.contains(&k.as_str()) && *v == Value::Bool(false)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::common::testing::*;
    use super::*;
    use crate::rtnl::settings::Value;

    fn full() -> Settings {
        let mut s = Settings::new();
        s.set_int("forwardDelay", 1000)
            .set_int("helloTime", 300)
            .set_int("maxAge", 2500)
            .set_int("ageingTime", 20000)
            .set_bool("stp", true)
            .set_int("priority", 4096)
            .set_bool("vlanFiltering", true)
            .set_str("vlanProtocol", "802.1ad")
            .set_int("groupFwdMask", 0x4000)
            .set_str("groupAddr", "01:80:c2:00:00:03")
            .set_int("mcastRouter", 2)
            .set_bool("mcastSnooping", false)
            .set_bool("mcastQueryUseIfaddr", true)
            .set_bool("mcastQuerier", true)
            .set_int("mcastHashElasticity", 16)
            .set_int("mcastHashMax", 8192)
            .set_int("mcastLastMemberCnt", 3)
            .set_int("mcastStartupQueryCnt", 4)
            .set_int("mcastLastMemberIntvl", 200)
            .set_int("mcastMembershipIntvl", 30000)
            .set_int("mcastQuerierIntvl", 25000)
            .set_int("mcastQueryIntvl", 10000)
            .set_int("mcastQueryResponseIntvl", 900)
            .set_int("mcastStartupQueryIntvl", 2500)
            .set_bool("nfCallIptables", true)
            .set_bool("nfCallIp6tables", false)
            .set_bool("nfCallArptables", true)
            .set_int("vlanDefaultPvid", 10)
            .set_bool("vlanStatsEnabled", true)
            .set_bool("mcastStatsEnabled", true)
            .set_int("mcastIgmpVersion", 3)
            .set_int("mcastMldVersion", 2)
            .set_bool("vlanStatsPerPort", false)
            .set_bool("noLinklocalLearn", true)
            .set_bool("mcastVlanSnooping", true) // false is left out of decode: see decode()
            .set_bool("mstEnabled", true);
        s
    }

    #[test]
    fn roundtrip_full() {
        assert_roundtrip("bridge", &full());
        assert_roundtrip("bridge", &Settings::new());
        assert_keys_cover("bridge", FIELDS);
        assert_eq!(full().0.len(), Bridge.keys().len(), "the full set uses every key");
    }

    #[test]
    fn wire_format() {
        let mut s = Settings::new();
        s.set_str("vlanProtocol", "802.1Q").set_int("mcastQueryIntvl", 12500).set_bool("stp", true);
        let d = encoded("bridge", &s);
        let a: Vec<_> = attrs(&d).map(|a| a.unwrap()).collect();
        // Field order: stp (u32), vlanProtocol (be16), mcastQueryIntvl (u64).
        assert_eq!(a[0], (IFLA_BR_STP_STATE, &1u32.to_ne_bytes()[..]));
        assert_eq!(a[1], (IFLA_BR_VLAN_PROTOCOL, &[0x81, 0x00][..]));
        assert_eq!(a[2], (IFLA_BR_MCAST_QUERY_INTVL, &12500u64.to_ne_bytes()[..]));
        // Only the boolean options given are in the mask.
        let mut s = Settings::new();
        s.set_bool("mcastVlanSnooping", true);
        let d = encoded("bridge", &s);
        let a: Vec<_> = attrs(&d).map(|a| a.unwrap()).collect();
        assert_eq!(a, vec![(IFLA_BR_MULTI_BOOLOPT, &[2, 0, 0, 0, 2, 0, 0, 0][..])]);
        // User-space STP (2) reads as on.
        let mut b = MsgBuilder::new(0, 0);
        b.attr_u32(IFLA_BR_STP_STATE, 2);
        let m = b.finish();
        assert_eq!(Bridge.decode(&m[16..]).get("stp"), Some(&Value::Bool(true)));
    }

    #[test]
    fn rejects_bad_values() {
        let base = Settings::new();
        assert_rejects("bridge", &with(&base, "forwardDelay", Value::Int(-1)), "forwardDelay");
        assert_rejects("bridge", &with(&base, "forwardDelay", Value::Int(1 << 32)), "forwardDelay");
        assert_rejects("bridge", &with(&base, "priority", Value::Int(65536)), "priority");
        assert_rejects("bridge", &with(&base, "stp", Value::Int(1)), "stp");
        assert_rejects("bridge", &with(&base, "vlanFiltering", Value::Str("yes".into())), "vlanFiltering");
        assert_rejects("bridge", &with(&base, "vlanProtocol", Value::Str("802.1x".into())), "vlanProtocol");
        assert_rejects("bridge", &with(&base, "vlanProtocol", Value::Int(0x8100)), "vlanProtocol");
        assert_rejects("bridge", &with(&base, "vlanDefaultPvid", Value::Int(4095)), "vlanDefaultPvid");
        assert_rejects("bridge", &with(&base, "mcastRouter", Value::Int(3)), "mcastRouter");
        assert_rejects("bridge", &with(&base, "mcastIgmpVersion", Value::Int(1)), "mcastIgmpVersion");
        assert_rejects("bridge", &with(&base, "mcastQueryIntvl", Value::Int(-5)), "mcastQueryIntvl");
        assert_rejects("bridge", &with(&base, "groupAddr", Value::Str("01:80:c2".into())), "groupAddr");
        assert_rejects("bridge", &with(&base, "noLinklocalLearn", Value::Int(0)), "noLinklocalLearn");
        assert_rejects("bridge", &with(&base, "stpState", Value::Int(0)), "stpState");
        assert_rejects("bridge", &with(&base, "multicastSnooping", Value::Bool(true)), "multicastSnooping");
    }

    #[test]
    fn decode_survives_garbage() {
        assert_decode_survives("bridge", &full(), true);
        // A short boolean-options struct is ignored, as is a short u64.
        let mut b = MsgBuilder::new(0, 0);
        b.attr(IFLA_BR_MULTI_BOOLOPT, &[1, 0, 0, 0]);
        b.attr(IFLA_BR_MCAST_QUERY_INTVL, &[1, 2, 3, 4]);
        b.attr_u32(IFLA_BR_FORWARD_DELAY, 1500);
        let m = b.finish();
        let s = Bridge.decode(&m[16..]);
        assert_eq!(s.0, vec![("forwardDelay".to_string(), Value::Int(1500))]);
    }
}
