//! A bridge port (IFLA_BRPORT_*), `ip link set DEV type bridge_slave ...` / `bridge link set`.
//! Keys are `ip -d -j`'s names in camelCase. Read-only port state (ids, timers, designated
//! root) is not decoded, so a read port can be written back.

use crate::rtnl::link::kinds::common::{decode_fields, encode_fields, Field, Int};
use crate::rtnl::settings::Settings;
use crate::wire::MsgBuilder;

use super::PortKind;

/// BR_STATE_*.
const STATES: &[(&str, u64)] = &[("disabled", 0), ("listening", 1), ("learning", 2), ("forwarding", 3), ("blocking", 4)];

/// In attribute order, which is also the order iproute2 sends them in.
static FIELDS: &[Field] = &[
    Field::choice("state", 1, Int::U8, STATES),
    Field::int("priority", 2, Int::U16).range(0, 63),
    Field::int("cost", 3, Int::U32).range(1, 65535),
    Field::bool("hairpin", 4, Int::U8),
    Field::bool("guard", 5, Int::U8),
    Field::bool("rootBlock", 6, Int::U8),
    Field::bool("fastleave", 7, Int::U8),
    Field::bool("learning", 8, Int::U8),
    Field::bool("flood", 9, Int::U8),
    Field::bool("proxyArp", 10, Int::U8),
    Field::bool("proxyArpWifi", 12, Int::U8),
    // MDB_RTR_TYPE_*: 0 disabled, 1 temporary query, 2 permanent, 3 temporary.
    Field::int("multicastRouter", 25, Int::U8).range(0, 3),
    Field::bool("mcastFlood", 27, Int::U8),
    Field::bool("mcastToUnicast", 28, Int::U8),
    Field::bool("vlanTunnel", 29, Int::U8),
    Field::bool("bcastFlood", 30, Int::U8),
    Field::int("groupFwdMask", 31, Int::U16),
    Field::bool("neighSuppress", 32, Int::U8),
    Field::bool("isolated", 33, Int::U8),
    Field::int("mcastEhtHostsLimit", 37, Int::U32).range(1, u32::MAX as i64),
    Field::bool("locked", 39, Int::U8),
    Field::bool("mab", 40, Int::U8),
    Field::int("mcastMaxGroups", 42, Int::U32),
    Field::bool("neighVlanSuppress", 43, Int::U8),
];

pub struct BridgePort;

impl PortKind for BridgePort {
    fn master(&self) -> &'static str {
        "bridge"
    }

    fn keys(&self) -> &'static [&'static str] {
        &[
            "state",
            "priority",
            "cost",
            "hairpin",
            "guard",
            "rootBlock",
            "fastleave",
            "learning",
            "flood",
            "proxyArp",
            "proxyArpWifi",
            "multicastRouter",
            "mcastFlood",
            "mcastToUnicast",
            "vlanTunnel",
            "bcastFlood",
            "groupFwdMask",
            "neighSuppress",
            "isolated",
            "mcastEhtHostsLimit",
            "locked",
            "mab",
            "mcastMaxGroups",
            "neighVlanSuppress",
        ]
    }

    fn encode(&self, s: &Settings, b: &mut MsgBuilder) -> Result<(), String> {
        encode_fields(FIELDS, s, b)
    }

    fn decode(&self, data: &[u8]) -> Settings {
        decode_fields(FIELDS, data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rtnl::settings::Value;
    use crate::wire::NLMSG_HDRLEN;

    fn encoded(s: &Settings) -> Vec<u8> {
        let mut b = MsgBuilder::new(0, 0);
        super::super::encode("bridge", s, &mut b).expect("encode");
        b.finish()[NLMSG_HDRLEN..].to_vec()
    }

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    /// `ip link set dev v0 type bridge_slave state 3 priority 9 cost 7 hairpin on guard on
    /// root_block on fastleave on learning off flood off proxy_arp on proxy_arp_wifi on
    /// mcast_router 2 mcast_flood off mcast_to_unicast on vlan_tunnel on bcast_flood off
    /// group_fwd_mask 8 neigh_suppress on isolated on locked on` (iproute2 6.1): its IFLA_LINKINFO.
    #[test]
    fn equals_iproute2() {
        let mut s = Settings::new();
        s.set_str("state", "forwarding").set_int("priority", 9).set_int("cost", 7);
        for (k, v) in [
            ("hairpin", true),
            ("guard", true),
            ("rootBlock", true),
            ("fastleave", true),
            ("learning", false),
            ("flood", false),
            ("proxyArp", true),
            ("proxyArpWifi", true),
        ] {
            s.set_bool(k, v);
        }
        s.set_int("multicastRouter", 2);
        s.set_bool("mcastFlood", false).set_bool("mcastToUnicast", true).set_bool("vlanTunnel", true);
        s.set_bool("bcastFlood", false).set_int("groupFwdMask", 8).set_bool("neighSuppress", true);
        s.set_bool("isolated", true).set_bool("locked", true);
        let want = hex(concat!(
            "b8001200",
            "10000100",
            "6272696467655f736c617665",
            "a4000500",
            "0500010003000000060002000900000008000300070000000500040001000000",
            "0500050001000000050006000100000005000700010000000500080000000000",
            "050009000000000005000a000100000005000c00010000000500190002000000",
            "05001b000000000005001c000100000005001d000100000005001e0000000000",
            "06001f0008000000050020000100000005002100010000000500270001000000",
        ));
        assert_eq!(encoded(&s), want);
        // Decoding the data gives the same settings back.
        let d = BridgePort.decode(&want[24..]);
        assert_eq!(d.0.len(), s.0.len());
        for (k, v) in &s.0 {
            assert_eq!(d.get(k), Some(v), "{k}");
        }
    }

    #[test]
    fn refuses_bad_values() {
        for (k, v) in [
            ("state", Value::Str("up".into())),
            ("priority", Value::Int(64)),
            ("cost", Value::Int(0)),
            ("learning", Value::Int(1)),
            ("multicastRouter", Value::Int(4)),
            ("groupFwdMask", Value::Int(65536)),
            ("portId", Value::Int(1)),
        ] {
            let mut s = Settings::new();
            s.set(k, v);
            let mut b = MsgBuilder::new(0, 0);
            let e = super::super::encode("bridge", &s, &mut b).unwrap_err();
            assert!(e.contains(k), "{k}: {e}");
        }
    }
}
