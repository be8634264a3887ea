//! A bond port (IFLA_BOND_SLAVE_*), `ip link set DEV type bond_slave queue_id N prio N`. Only
//! `queueId` and `prio` can be written; the port's state is decoded read-only (writing it back
//! is refused as an unknown key). This kernel has no bonding: encoding is tested against
//! iproute2's bytes, decoding on constructed replies.

use crate::rtnl::link::kinds::common::{decode_field, fmt_mac, Field, Int};
use crate::rtnl::settings::Settings;
use crate::wire::{attrs, MsgBuilder};

use super::PortKind;

const IFLA_BOND_SLAVE_STATE: u16 = 1;
const IFLA_BOND_SLAVE_MII_STATUS: u16 = 2;
const IFLA_BOND_SLAVE_LINK_FAILURE_COUNT: u16 = 3;
const IFLA_BOND_SLAVE_PERM_HWADDR: u16 = 4;
const IFLA_BOND_SLAVE_QUEUE_ID: u16 = 5;
const IFLA_BOND_SLAVE_AD_AGGREGATOR_ID: u16 = 6;
const IFLA_BOND_SLAVE_PRIO: u16 = 9;

/// Decoded (`queueId` can also be written), as `ip -d -j` names them.
static FIELDS: &[Field] = &[
    Field::choice("state", IFLA_BOND_SLAVE_STATE, Int::U8, &[("ACTIVE", 0), ("BACKUP", 1)]),
    Field::choice("miiStatus", IFLA_BOND_SLAVE_MII_STATUS, Int::U8, &[("UP", 0), ("GOING_DOWN", 1), ("DOWN", 2), ("GOING_BACK", 3)]),
    Field::int("linkFailureCount", IFLA_BOND_SLAVE_LINK_FAILURE_COUNT, Int::U32),
    Field::int("adAggregatorId", IFLA_BOND_SLAVE_AD_AGGREGATOR_ID, Int::U16),
    Field::int("queueId", IFLA_BOND_SLAVE_QUEUE_ID, Int::U16),
];

pub struct BondPort;

impl PortKind for BondPort {
    fn master(&self) -> &'static str {
        "bond"
    }

    fn keys(&self) -> &'static [&'static str] {
        &["queueId", "prio"]
    }

    fn encode(&self, s: &Settings, b: &mut MsgBuilder) -> Result<(), String> {
        if let Some(q) = s.int("queueId", 0, u16::MAX as i64)? {
            Int::U16.put(b, IFLA_BOND_SLAVE_QUEUE_ID, q as u64);
        }
        // An s32 on the wire.
        if let Some(p) = s.int("prio", i32::MIN as i64, i32::MAX as i64)? {
            b.attr(IFLA_BOND_SLAVE_PRIO, &(p as i32).to_ne_bytes());
        }
        Ok(())
    }

    fn decode(&self, data: &[u8]) -> Settings {
        let mut out = Settings::new();
        for (ty, v) in attrs(data).map_while(Result::ok) {
            match ty {
                IFLA_BOND_SLAVE_PRIO => {
                    if let Some(b) = v.get(..4) {
                        out.set_int("prio", i32::from_ne_bytes([b[0], b[1], b[2], b[3]]) as i64);
                    }
                }
                IFLA_BOND_SLAVE_PERM_HWADDR if v.len() == 6 => {
                    out.set_str("permHwaddr", fmt_mac(v));
                }
                _ => {
                    decode_field(FIELDS, ty, v, &mut out);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rtnl::settings::Value;
    use crate::wire::NLMSG_HDRLEN;

    /// `ip link set dev v0 type bond_slave queue_id 3 prio 7` (iproute2 6.1): its IFLA_LINKINFO.
    #[test]
    fn equals_iproute2() {
        let mut s = Settings::new();
        s.set_int("queueId", 3).set_int("prio", 7);
        let mut b = MsgBuilder::new(0, 0);
        super::super::encode("bond", &s, &mut b).unwrap();
        let got = b.finish()[NLMSG_HDRLEN..].to_vec();
        let mut want = vec![0x28, 0, 0x12, 0, 0x0e, 0, 1, 0];
        want.extend_from_slice(b"bond_slave\0\0");
        want.extend_from_slice(&[0x14, 0, 5, 0, 6, 0, 5, 0, 3, 0, 0, 0, 8, 0, 9, 0, 7, 0, 0, 0]);
        assert_eq!(got, want);
        assert_eq!(BondPort.decode(&want[24..]).0, vec![("queueId".into(), Value::Int(3)), ("prio".into(), Value::Int(7))]);
        // A negative priority is an s32.
        let mut s = Settings::new();
        s.set_int("prio", -2);
        let mut b = MsgBuilder::new(0, 0);
        super::super::encode("bond", &s, &mut b).unwrap();
        let m = b.finish();
        assert_eq!(&m[m.len() - 4..], &(-2i32).to_ne_bytes());
    }

    #[test]
    fn decodes_state_read_only() {
        let mut b = MsgBuilder::new(0, 0);
        b.attr(IFLA_BOND_SLAVE_STATE, &[1]);
        b.attr(IFLA_BOND_SLAVE_MII_STATUS, &[0]);
        b.attr_u32(IFLA_BOND_SLAVE_LINK_FAILURE_COUNT, 4);
        b.attr(IFLA_BOND_SLAVE_PERM_HWADDR, &[2, 0, 0, 0, 0, 1]);
        b.attr(IFLA_BOND_SLAVE_QUEUE_ID, &[2, 0]);
        b.attr(IFLA_BOND_SLAVE_PRIO, &[1, 2]); // short: left out
        let m = b.finish();
        let d = BondPort.decode(&m[NLMSG_HDRLEN..]);
        assert_eq!(d.get("state"), Some(&Value::Str("BACKUP".into())));
        assert_eq!(d.get("miiStatus"), Some(&Value::Str("UP".into())));
        assert_eq!(d.get("linkFailureCount"), Some(&Value::Int(4)));
        assert_eq!(d.get("permHwaddr"), Some(&Value::Str("02:00:00:00:00:01".into())));
        assert_eq!(d.get("queueId"), Some(&Value::Int(2)));
        assert_eq!(d.get("prio"), None);
        // Writing the state back is refused naming the key.
        let mut b = MsgBuilder::new(0, 0);
        assert!(super::super::encode("bond", &d, &mut b).unwrap_err().contains("state"));
    }
}
