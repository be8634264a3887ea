//! Link info (port, PHY address, MDI-X, transceiver), link modes (speed, duplex, autoneg,
//! supported / advertised / link partner modes by name) and link state (carrier, SQI,
//! extended state), as `ethtool DEV` prints them.

use super::bitset;
use crate::rtnl::settings::{Settings, Value};
use crate::wire;

const LINKINFO_PORT: u16 = 2;
const LINKINFO_PHYADDR: u16 = 3;
const LINKINFO_TP_MDIX: u16 = 4;
const LINKINFO_TP_MDIX_CTRL: u16 = 5;
const LINKINFO_TRANSCEIVER: u16 = 6;

const LINKMODES_AUTONEG: u16 = 2;
const LINKMODES_OURS: u16 = 3;
const LINKMODES_PEER: u16 = 4;
const LINKMODES_SPEED: u16 = 5;
const LINKMODES_DUPLEX: u16 = 6;
const LINKMODES_MASTER_SLAVE_CFG: u16 = 7;
const LINKMODES_MASTER_SLAVE_STATE: u16 = 8;
const LINKMODES_LANES: u16 = 9;

const LINKSTATE_LINK: u16 = 2;
const LINKSTATE_SQI: u16 = 3;
const LINKSTATE_SQI_MAX: u16 = 4;
const LINKSTATE_EXT_STATE: u16 = 5;
const LINKSTATE_EXT_SUBSTATE: u16 = 6;
const LINKSTATE_EXT_DOWN_CNT: u16 = 7;

/// SPEED_UNKNOWN.
const SPEED_UNKNOWN: u32 = u32::MAX;

/// PORT_* by number (uapi linux/ethtool.h).
fn port(p: u8) -> Value {
    let name = match p {
        0x00 => "tp",
        0x01 => "aui",
        0x02 => "bnc",
        0x03 => "mii",
        0x04 => "fibre",
        0x05 => "da",
        0xef => "none",
        0xff => "other",
        n => return Value::Int(n.into()),
    };
    Value::Str(name.into())
}

pub fn info(attrs: &[u8], s: &mut Settings) {
    for (t, v) in super::attrs(attrs) {
        let Some(b) = wire::attr_u8(v) else { continue };
        match t {
            LINKINFO_PORT => s.set("port", port(b)),
            LINKINFO_PHYADDR => s.set_int("phyaddr", b),
            LINKINFO_TP_MDIX => s.set_int("tpMdix", b),
            LINKINFO_TP_MDIX_CTRL => s.set_int("tpMdixCtrl", b),
            LINKINFO_TRANSCEIVER => s.set(
                "transceiver",
                match b {
                    0 => Value::Str("internal".into()),
                    1 => Value::Str("external".into()),
                    n => Value::Int(n.into()),
                },
            ),
            _ => s,
        };
    }
}

fn names(v: Vec<String>) -> Value {
    Value::List(v.into_iter().map(Value::Str).collect())
}

pub fn modes(attrs: &[u8], s: &mut Settings) {
    for (t, v) in super::attrs(attrs) {
        match t {
            LINKMODES_AUTONEG => {
                if let Some(b) = wire::attr_u8(v) {
                    s.set_bool("autoneg", b != 0);
                }
            }
            LINKMODES_SPEED => {
                if let Some(n) = wire::attr_u32(v) {
                    // Unknown (no carrier, or a driver that cannot tell): null, as ethtool's "Unknown!".
                    s.set("speed", if n == SPEED_UNKNOWN { Value::Str("unknown".into()) } else { Value::Int(n.into()) });
                }
            }
            LINKMODES_DUPLEX => {
                if let Some(b) = wire::attr_u8(v) {
                    s.set_str(
                        "duplex",
                        match b {
                            0 => "half",
                            1 => "full",
                            _ => "unknown",
                        },
                    );
                }
            }
            LINKMODES_OURS => {
                // The mask is what the device supports, the value what it advertises.
                let bits = bitset::decode(v);
                s.set("supported", names(bits.iter().filter(|b| !b.name.is_empty()).map(|b| b.name.clone()).collect()));
                s.set("advertised", names(bitset::set_names(&bits)));
            }
            LINKMODES_PEER => {
                s.set("peerAdvertised", names(bitset::set_names(&bitset::decode(v))));
            }
            LINKMODES_LANES => {
                if let Some(n) = wire::attr_u32(v) {
                    s.set_int("lanes", n);
                }
            }
            LINKMODES_MASTER_SLAVE_CFG | LINKMODES_MASTER_SLAVE_STATE => {
                if let Some(b) = wire::attr_u8(v) {
                    s.set_int(if t == LINKMODES_MASTER_SLAVE_CFG { "masterSlaveCfg" } else { "masterSlaveState" }, b);
                }
            }
            _ => {}
        }
    }
}

pub fn state(attrs: &[u8], s: &mut Settings) {
    for (t, v) in super::attrs(attrs) {
        match t {
            LINKSTATE_LINK => {
                if let Some(b) = wire::attr_u8(v) {
                    s.set_bool("link", b != 0);
                }
            }
            LINKSTATE_SQI | LINKSTATE_SQI_MAX | LINKSTATE_EXT_DOWN_CNT => {
                if let Some(n) = wire::attr_u32(v) {
                    let k = match t {
                        LINKSTATE_SQI => "sqi",
                        LINKSTATE_SQI_MAX => "sqiMax",
                        _ => "extDownCount",
                    };
                    s.set_int(k, n);
                }
            }
            LINKSTATE_EXT_STATE | LINKSTATE_EXT_SUBSTATE => {
                if let Some(b) = wire::attr_u8(v) {
                    s.set_int(if t == LINKSTATE_EXT_STATE { "extState" } else { "extSubstate" }, b);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_attributes_are_skipped() {
        let mut b = wire::MsgBuilder::new(0, 0);
        b.attr(LINKMODES_SPEED, &[1, 2]).attr_u8(LINKMODES_DUPLEX, 1).attr_u32(LINKMODES_LANES, 1);
        b.attr(LINKINFO_PORT, &[]);
        let a = b.finish().split_off(wire::NLMSG_HDRLEN);
        let mut s = Settings::new();
        modes(&a, &mut s);
        assert_eq!(s.get("speed"), None);
        assert_eq!(s.get("duplex"), Some(&Value::Str("full".into())));
        let mut s = Settings::new();
        info(&a, &mut s);
        assert_eq!(s.get("port"), None);
        for n in 0..a.len() {
            modes(&a[..n], &mut Settings::new());
            state(&a[..n], &mut Settings::new());
        }
    }
}
