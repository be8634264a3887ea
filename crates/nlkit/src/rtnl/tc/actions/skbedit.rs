//! skbedit (`tc ... action skbedit [priority 1:10] [queue_mapping N] [mark M[/MASK]]
//! [ptype host|otherhost|broadcast|multicast] [inheritdsfield]`): TCA_SKBEDIT_PARMS (a bare
//! tc_gen) and one attribute per field, in tc 6.1's order.

use super::gen::{self, GEN_LEN};
use super::TCA_ACT_OPTIONS;
use crate::rtnl::settings::{Settings, Value};
use crate::rtnl::tc::handle;
use crate::rtnl::tc::kind::{Ctx, Role, TcKind};
use crate::wire::{attr_u32, attr_u64, attrs, u16_at, u32_at, MsgBuilder};

const TCA_SKBEDIT_TM: u16 = 1;
const TCA_SKBEDIT_PARMS: u16 = 2;
const TCA_SKBEDIT_PRIORITY: u16 = 3;
const TCA_SKBEDIT_QUEUE_MAPPING: u16 = 4;
const TCA_SKBEDIT_MARK: u16 = 5;
const TCA_SKBEDIT_PTYPE: u16 = 7;
const TCA_SKBEDIT_MASK: u16 = 8;
const TCA_SKBEDIT_FLAGS: u16 = 9;
const SKBEDIT_F_INHERITDSFIELD: u64 = 0x20;
/// tc's default verdict for skbedit.
const TC_ACT_PIPE: i32 = 3;
const PTYPES: &[(&str, u16)] = &[("host", 0), ("broadcast", 1), ("multicast", 2), ("otherhost", 3)];

pub struct Skbedit;
pub static SKBEDIT: Skbedit = Skbedit;

/// A priority as tc's get_tc_classid reads it: `1:10`, or bare hex (`10` is 0x10), or a number.
fn priority(s: &Settings) -> Result<Option<u32>, String> {
    match s.get("priority") {
        None => Ok(None),
        Some(Value::Int(_)) => s.u32("priority"),
        Some(Value::Str(t)) if t.contains(':') => handle::parse(t, false).map(Some).map_err(|e| format!("priority: {e}")),
        Some(Value::Str(t)) => u32::from_str_radix(t, 16).map(Some).map_err(|_| format!("priority: {t:?} is not a class id (1:10)")),
        Some(_) => Err("priority must be a class id string (1:10) or a number".into()),
    }
}

impl TcKind for Skbedit {
    fn role(&self) -> Role {
        Role::Action
    }
    fn kind(&self) -> &'static str {
        "skbedit"
    }
    fn keys(&self) -> &'static [&'static str] {
        &["priority", "queueMapping", "mark", "mask", "ptype", "inheritdsfield", "controlAction", "index"]
    }
    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _cx: &Ctx) -> Result<(), String> {
        let parms = gen::gen(s, gen::control_opt(s, "controlAction")?.unwrap_or(TC_ACT_PIPE))?;
        let prio = priority(s)?;
        let (qm, mark, mask) = (s.u16("queueMapping")?, s.u32("mark")?, s.u32("mask")?);
        if mask.is_some() && mark.is_none() {
            return Err("mask needs a mark".into());
        }
        let ptype = s.choice("ptype", PTYPES)?;
        let inherit = s.bool("inheritdsfield")?.unwrap_or(false);
        let at = b.nest_start(TCA_ACT_OPTIONS);
        b.attr(TCA_SKBEDIT_PARMS, &parms);
        if let Some(q) = qm {
            b.attr(TCA_SKBEDIT_QUEUE_MAPPING, &q.to_ne_bytes());
        }
        if let Some(p) = prio {
            b.attr_u32(TCA_SKBEDIT_PRIORITY, p);
        }
        if let Some(m) = mark {
            b.attr_u32(TCA_SKBEDIT_MARK, m);
        }
        if let Some(m) = mask {
            b.attr_u32(TCA_SKBEDIT_MASK, m);
        }
        if let Some(p) = ptype {
            b.attr(TCA_SKBEDIT_PTYPE, &p.to_ne_bytes());
        }
        if inherit {
            b.attr(TCA_SKBEDIT_FLAGS, &SKBEDIT_F_INHERITDSFIELD.to_ne_bytes());
        }
        b.nest_end(at);
        Ok(())
    }
    fn decode(&self, o: &[u8]) -> Settings {
        let mut s = Settings::new();
        for (ty, a) in attrs(o).map_while(Result::ok) {
            match ty {
                TCA_SKBEDIT_PARMS if a.len() >= GEN_LEN => {
                    gen::decode_gen_control(a, &mut s);
                }
                TCA_SKBEDIT_PRIORITY if a.len() >= 4 => {
                    s.set_str("priority", handle::format(u32_at(a, 0)));
                }
                TCA_SKBEDIT_QUEUE_MAPPING if a.len() >= 2 => {
                    s.set_int("queueMapping", u16_at(a, 0));
                }
                TCA_SKBEDIT_MARK => {
                    if let Some(m) = attr_u32(a) {
                        s.set_int("mark", m);
                    }
                }
                TCA_SKBEDIT_MASK => {
                    if let Some(m) = attr_u32(a) {
                        s.set_int("mask", m);
                    }
                }
                TCA_SKBEDIT_PTYPE if a.len() >= 2 => {
                    let p = u16_at(a, 0);
                    match PTYPES.iter().find(|(_, v)| *v == p) {
                        Some((n, _)) => s.set_str("ptype", *n),
                        None => s.set_int("ptype", p),
                    };
                }
                TCA_SKBEDIT_FLAGS if attr_u64(a).is_some_and(|f| f & SKBEDIT_F_INHERITDSFIELD != 0) => {
                    s.set_bool("inheritdsfield", true);
                }
                TCA_SKBEDIT_TM => gen::decode_tm(a, &mut s),
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

    fn skbedit(f: impl FnOnce(&mut Settings)) -> Vec<u8> {
        tab_of("skbedit", f)
    }

    #[test]
    fn bytes_as_tc_sends_them() {
        // `tc actions add action skbedit ...` (iproute2 6.1), from TCA_ACT_TAB on.
        let cases: Vec<(&str, Vec<u8>)> = vec![
            // priority 1:10
            ("38000100340001000c000100736b626564697400240002801800020000000000000000000300000000000000000000000800030010000100", skbedit(|s| { s.set_str("priority", "1:10"); })),
            // queue_mapping 3
            ("38000100340001000c000100736b626564697400240002801800020000000000000000000300000000000000000000000600040003000000", skbedit(|s| { s.set_int("queueMapping", 3); })),
            // mark 5/0xff
            ("400001003c0001000c000100736b6265646974002c000280180002000000000000000000030000000000000000000000080005000500000008000800ff000000", skbedit(|s| { s.set_int("mark", 5).set_int("mask", 0xff); })),
            // ptype host
            ("38000100340001000c000100736b626564697400240002801800020000000000000000000300000000000000000000000600070000000000", skbedit(|s| { s.set_str("ptype", "host"); })),
            // inheritdsfield
            ("3c000100380001000c000100736b626564697400280002801800020000000000000000000300000000000000000000000c0009002000000000000000", skbedit(|s| { s.set_bool("inheritdsfield", true); })),
            // priority 10 queue_mapping 2 mark 7/0xf ptype otherhost inheritdsfield pipe index 4
            ("64000100600001000c000100736b62656469740050000280180002000400000000000000030000000000000000000000060004000200000008000300100000000800050007000000080008000f00000006000700030000000c0009002000000000000000", skbedit(|s| {
                s.set_str("priority", "10").set_int("queueMapping", 2).set_int("mark", 7).set_int("mask", 15).set_str("ptype", "otherhost").set_bool("inheritdsfield", true).set_str("controlAction", "pipe").set_int("index", 4);
            })),
        ];
        for (want, got) in cases {
            assert_eq!(hex(&got), want);
        }
    }

    #[test]
    fn refusals_and_the_kernels_dump() {
        for (k, v) in [
            ("priority", Value::Str("x:y".into())),
            ("ptype", Value::Str("nosuch".into())),
            ("queueMapping", Value::Int(70000)),
            ("mask", Value::Int(1)),
        ] {
            let mut s = Settings::new();
            s.set(k, v);
            let e = SKBEDIT.encode(&s, &mut MsgBuilder::new(0, 0), &Ctx::default()).unwrap_err();
            assert!(e.contains(k), "{k}: {e}");
        }
        // tcf_skbedit_dump: PARMS, PRIORITY, QUEUE_MAPPING, MARK, PTYPE, MASK, FLAGS, TM.
        let mut b = MsgBuilder::new(0, 0);
        b.attr(TCA_SKBEDIT_PARMS, &[4, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
        b.attr_u32(TCA_SKBEDIT_PRIORITY, 0x10010);
        b.attr(TCA_SKBEDIT_QUEUE_MAPPING, &2u16.to_ne_bytes());
        b.attr_u32(TCA_SKBEDIT_MARK, 7);
        b.attr(TCA_SKBEDIT_PTYPE, &3u16.to_ne_bytes());
        b.attr_u32(TCA_SKBEDIT_MASK, 15);
        b.attr(TCA_SKBEDIT_FLAGS, &0x20u64.to_ne_bytes());
        b.attr(TCA_SKBEDIT_TM, &[0; 32]);
        let m = b.finish();
        let s = SKBEDIT.decode(&m[16..]);
        assert_eq!(
            (s.str("priority"), s.str("ptype"), s.str("controlAction")),
            (Ok(Some("1:10")), Ok(Some("otherhost")), Ok(Some("pipe")))
        );
        assert_eq!((s.int("mark", 0, 99), s.int("mask", 0, 99), s.bool("inheritdsfield")), (Ok(Some(7)), Ok(Some(15)), Ok(Some(true))));
        let back = Settings(s.0.iter().filter(|(k, _)| !["ref", "bind", "installed", "lastUsed"].contains(&k.as_str())).cloned().collect());
        assert!(SKBEDIT.encode(&back, &mut MsgBuilder::new(0, 0), &Ctx::default()).is_ok());
        for n in 16..m.len() {
            let _ = SKBEDIT.decode(&m[16..n]);
        }
    }
}
