//! vlan (`tc ... action vlan pop | push id N [protocol 802.1q|802.1ad] [priority P] | modify id N
//! ... | pop_eth | push_eth dst_mac M src_mac M`): TCA_VLAN_PARMS (`struct tc_vlan`: tc_gen and
//! the vlan action) then the tag's fields, the protocol in network order.

use super::gen::{self, GEN_LEN};
use super::TCA_ACT_OPTIONS;
use crate::rtnl::link::parse_mac;
use crate::rtnl::settings::{Settings, Value};
use crate::rtnl::tc::kind::{Ctx, Role, TcKind};
use crate::wire::{attr_u8, attrs, u16_at, u32_at, MsgBuilder};

const TCA_VLAN_TM: u16 = 1;
const TCA_VLAN_PARMS: u16 = 2;
const TCA_VLAN_PUSH_VLAN_ID: u16 = 3;
const TCA_VLAN_PUSH_VLAN_PROTOCOL: u16 = 4;
const TCA_VLAN_PUSH_VLAN_PRIORITY: u16 = 6;
const TCA_VLAN_PUSH_ETH_DST: u16 = 7;
const TCA_VLAN_PUSH_ETH_SRC: u16 = 8;
const TC_ACT_PIPE: i32 = 3;
const ACTIONS: &[(&str, u32)] = &[("pop", 1), ("push", 2), ("modify", 3), ("pop_eth", 4), ("push_eth", 5)];
const PROTOCOLS: &[(&str, u16)] = &[("802.1q", 0x8100), ("802.1Q", 0x8100), ("802.1ad", 0x88a8)];

pub struct Vlan;
pub static VLAN: Vlan = Vlan;

fn protocol(s: &Settings) -> Result<Option<u16>, String> {
    match s.get("protocol") {
        Some(Value::Str(_)) => s.choice("protocol", PROTOCOLS),
        _ => s.u16("protocol"),
    }
}

fn mac(s: &Settings, key: &str) -> Result<Option<Vec<u8>>, String> {
    s.str(key)?.map(|m| parse_mac(m).filter(|b| b.len() == 6).ok_or_else(|| format!("{key}: {m:?} is not a MAC address"))).transpose()
}

fn mac_str(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect::<Vec<_>>().join(":")
}

impl TcKind for Vlan {
    fn role(&self) -> Role {
        Role::Action
    }
    fn kind(&self) -> &'static str {
        "vlan"
    }
    fn keys(&self) -> &'static [&'static str] {
        &["vlanAction", "id", "protocol", "priority", "dstMac", "srcMac", "controlAction", "index"]
    }
    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _cx: &Ctx) -> Result<(), String> {
        let act = s.choice("vlanAction", ACTIONS)?.ok_or("vlanAction is required (pop, push, modify, pop_eth, push_eth)")?;
        let mut parms = gen::gen(s, gen::control_opt(s, "controlAction")?.unwrap_or(TC_ACT_PIPE))?.to_vec();
        parms.extend_from_slice(&act.to_ne_bytes());
        let id = s.int("id", 0, 4095)?;
        let proto = protocol(s)?;
        let prio = s.int("priority", 0, 7)?;
        let (dst, src) = (mac(s, "dstMac")?, mac(s, "srcMac")?);
        let tag = id.is_some() || proto.is_some() || prio.is_some();
        match act {
            2 | 3 if id.is_none() => return Err("id is required to push or modify a tag".into()),
            2 | 3 => {}
            _ if tag => return Err("id, protocol and priority are for push and modify".into()),
            _ => {}
        }
        match (act, &dst, &src) {
            (5, Some(_), Some(_)) => {}
            (5, _, _) => return Err("push_eth needs dstMac and srcMac".into()),
            (_, None, None) => {}
            _ => return Err("dstMac and srcMac are for push_eth".into()),
        }
        let at = b.nest_start(TCA_ACT_OPTIONS);
        b.attr(TCA_VLAN_PARMS, &parms);
        if let Some(i) = id {
            b.attr(TCA_VLAN_PUSH_VLAN_ID, &(i as u16).to_ne_bytes());
        }
        if let Some(p) = proto {
            b.attr(TCA_VLAN_PUSH_VLAN_PROTOCOL, &p.to_be_bytes());
        }
        if let Some(p) = prio {
            b.attr_u8(TCA_VLAN_PUSH_VLAN_PRIORITY, p as u8);
        }
        if let (Some(d), Some(s)) = (dst, src) {
            b.attr(TCA_VLAN_PUSH_ETH_DST, &d);
            b.attr(TCA_VLAN_PUSH_ETH_SRC, &s);
        }
        b.nest_end(at);
        Ok(())
    }
    fn decode(&self, o: &[u8]) -> Settings {
        let mut s = Settings::new();
        for (ty, a) in attrs(o).map_while(Result::ok) {
            match ty {
                TCA_VLAN_PARMS if a.len() >= GEN_LEN + 4 => {
                    let v = u32_at(a, GEN_LEN);
                    match ACTIONS.iter().find(|(_, x)| *x == v) {
                        Some((n, _)) => s.set_str("vlanAction", *n),
                        None => s.set_int("vlanAction", v),
                    };
                    gen::decode_gen_control(a, &mut s);
                }
                TCA_VLAN_PUSH_VLAN_ID if a.len() >= 2 => {
                    s.set_int("id", u16_at(a, 0));
                }
                TCA_VLAN_PUSH_VLAN_PROTOCOL if a.len() >= 2 => {
                    match u16::from_be(u16_at(a, 0)) {
                        0x8100 => s.set_str("protocol", "802.1q"),
                        0x88a8 => s.set_str("protocol", "802.1ad"),
                        p => s.set_int("protocol", p),
                    };
                }
                TCA_VLAN_PUSH_VLAN_PRIORITY => {
                    if let Some(p) = attr_u8(a) {
                        s.set_int("priority", p);
                    }
                }
                TCA_VLAN_PUSH_ETH_DST if a.len() == 6 => {
                    s.set_str("dstMac", mac_str(a));
                }
                TCA_VLAN_PUSH_ETH_SRC if a.len() == 6 => {
                    s.set_str("srcMac", mac_str(a));
                }
                TCA_VLAN_TM => gen::decode_tm(a, &mut s),
                _ => {}
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{hex, tab_of};
    use super::*;

    fn vlan(f: impl FnOnce(&mut Settings)) -> Vec<u8> {
        tab_of("vlan", f)
    }

    #[test]
    fn bytes_as_tc_sends_them() {
        // `tc actions add action vlan ...` (iproute2 6.1), from TCA_ACT_TAB on.
        let cases: Vec<(&str, Vec<u8>)> = vec![
            // pop
            ("340001003000010009000100766c616e00000000200002801c000200000000000000000003000000000000000000000001000000", vlan(|s| { s.set_str("vlanAction", "pop"); })),
            // push id 10
            ("3c0001003800010009000100766c616e00000000280002801c000200000000000000000003000000000000000000000002000000060003000a000000", vlan(|s| { s.set_str("vlanAction", "push").set_int("id", 10); })),
            // push id 10 protocol 802.1ad priority 3
            ("4c0001004800010009000100766c616e00000000380002801c000200000000000000000003000000000000000000000002000000060003000a0000000600040088a800000500060003000000", vlan(|s| { s.set_str("vlanAction", "push").set_int("id", 10).set_str("protocol", "802.1ad").set_int("priority", 3); })),
            // modify id 20 priority 1 drop
            ("440001004000010009000100766c616e00000000300002801c00020000000000000000000200000000000000000000000300000006000300140000000500060001000000", vlan(|s| { s.set_str("vlanAction", "modify").set_int("id", 20).set_int("priority", 1).set_str("controlAction", "drop"); })),
            // pop_eth
            ("340001003000010009000100766c616e00000000200002801c000200000000000000000003000000000000000000000004000000", vlan(|s| { s.set_str("vlanAction", "pop_eth"); })),
            // push_eth dst_mac 02:00:00:00:00:01 src_mac 02:00:00:00:00:02
            ("4c0001004800010009000100766c616e00000000380002801c0002000000000000000000030000000000000000000000050000000a00070002000000000100000a0008000200000000020000", vlan(|s| { s.set_str("vlanAction", "push_eth").set_str("dstMac", "02:00:00:00:00:01").set_str("srcMac", "02:00:00:00:00:02"); })),
        ];
        for (want, got) in cases {
            assert_eq!(hex(&got), want);
        }
    }

    #[test]
    fn refusals_and_the_kernels_dump() {
        let bad: &[(&[(&str, Value)], &str)] = &[
            (&[], "vlanAction"),
            (&[("vlanAction", Value::Str("push".into()))], "id"),
            (&[("vlanAction", Value::Str("push".into())), ("id", Value::Int(4096))], "id"),
            (&[("vlanAction", Value::Str("pop".into())), ("priority", Value::Int(1))], "priority"),
            (&[("vlanAction", Value::Str("push".into())), ("id", Value::Int(1)), ("protocol", Value::Str("ip".into()))], "protocol"),
            (&[("vlanAction", Value::Str("push_eth".into())), ("dstMac", Value::Str("zz".into()))], "dstMac"),
        ];
        for (kv, word) in bad {
            let s = Settings(kv.iter().map(|(k, v)| (k.to_string(), v.clone())).collect());
            let e = VLAN.encode(&s, &mut MsgBuilder::new(0, 0), &Ctx::default()).unwrap_err();
            assert!(e.contains(word), "{kv:?}: {e}");
        }
        // tcf_vlan_dump: PARMS, ID, PROTOCOL, PRIORITY, TM.
        let mut b = MsgBuilder::new(0, 0);
        let mut p = vec![3, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0];
        p.extend_from_slice(&2u32.to_ne_bytes());
        b.attr(TCA_VLAN_PARMS, &p);
        b.attr(TCA_VLAN_PUSH_VLAN_ID, &10u16.to_ne_bytes());
        b.attr(TCA_VLAN_PUSH_VLAN_PROTOCOL, &0x8100u16.to_be_bytes());
        b.attr_u8(TCA_VLAN_PUSH_VLAN_PRIORITY, 3);
        b.attr(TCA_VLAN_TM, &[0; 32]);
        let m = b.finish();
        let s = VLAN.decode(&m[16..]);
        assert_eq!(
            (s.str("vlanAction"), s.str("protocol"), s.int("id", 0, 99), s.int("priority", 0, 9)),
            (Ok(Some("push")), Ok(Some("802.1q")), Ok(Some(10)), Ok(Some(3)))
        );
        for n in 16..m.len() {
            let _ = VLAN.decode(&m[16..n]);
        }
    }
}
