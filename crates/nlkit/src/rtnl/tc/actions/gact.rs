//! gact, the generic action (`tc ... action gact drop [random netrand|determ pass 10] [index N]`):
//! TCA_GACT_PARMS (`struct tc_gact`, a bare tc_gen carrying the control action) and, for a
//! random verdict, TCA_GACT_PROB (`struct tc_gact_p`).

use super::gen::{self, GEN_LEN};
use super::TCA_ACT_OPTIONS;
use crate::rtnl::settings::{Settings, Value};
use crate::rtnl::tc::kind::{Ctx, Role, TcKind};
use crate::wire::{attrs, u16_at, u32_at, MsgBuilder};

const TCA_GACT_TM: u16 = 1;
const TCA_GACT_PARMS: u16 = 2;
const TCA_GACT_PROB: u16 = 3;
/// tc's ceiling for a random value (`VAL : = value not exceeding 10000`).
const MAX_PVAL: u16 = 10000;
const RANDOM_TYPES: &[(&str, u16)] = &[("netrand", 1), ("determ", 2)];

pub struct Gact;
pub static GACT: Gact = Gact;

impl TcKind for Gact {
    fn role(&self) -> Role {
        Role::Action
    }
    fn kind(&self) -> &'static str {
        "gact"
    }
    fn keys(&self) -> &'static [&'static str] {
        &["controlAction", "random", "index"]
    }
    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _cx: &Ctx) -> Result<(), String> {
        // Without a verdict tc's parse_action_control_dflt passes.
        let action = gen::control_opt(s, "controlAction")?.unwrap_or(0);
        let parms = gen::gen(s, action)?;
        let prob = s.map("random")?.map(random).transpose()?;
        let at = b.nest_start(TCA_ACT_OPTIONS);
        b.attr(TCA_GACT_PARMS, &parms);
        if let Some(p) = prob {
            b.attr(TCA_GACT_PROB, &p);
        }
        b.nest_end(at);
        Ok(())
    }
    fn decode(&self, o: &[u8]) -> Settings {
        let mut s = Settings::new();
        for (ty, a) in attrs(o).map_while(Result::ok) {
            match ty {
                TCA_GACT_PARMS if a.len() >= GEN_LEN => {
                    gen::decode_gen_control(a, &mut s);
                }
                TCA_GACT_PROB if a.len() >= 8 => {
                    let ty = u16_at(a, 0);
                    let mut r = Settings::new();
                    match RANDOM_TYPES.iter().find(|(_, v)| *v == ty) {
                        Some((n, _)) => r.set_str("type", *n),
                        None => r.set_int("type", ty),
                    };
                    r.set_str("controlAction", gen::control_name(u32_at(a, 4) as i32)).set_int("value", u16_at(a, 2));
                    s.set("random", Value::Map(r));
                }
                TCA_GACT_TM => gen::decode_tm(a, &mut s),
                _ => {}
            }
        }
        s
    }
}

/// `random { type, controlAction, value }` as `struct tc_gact_p { ptype, pval, paction }`.
fn random(r: &Settings) -> Result<[u8; 8], String> {
    r.check_known(&["type", "controlAction", "value"]).map_err(|e| format!("random: {e}"))?;
    let ty = r.choice("type", RANDOM_TYPES).map_err(|e| format!("random.{e}"))?.ok_or("random.type is required")?;
    let action = gen::control_opt(r, "controlAction").map_err(|e| format!("random.{e}"))?.ok_or("random.controlAction is required")?;
    let v = r.int("value", 0, MAX_PVAL as i64).map_err(|e| format!("random.{e}"))?.ok_or("random.value is required")?;
    let mut p = [0u8; 8];
    p[0..2].copy_from_slice(&ty.to_ne_bytes());
    p[2..4].copy_from_slice(&(v as u16).to_ne_bytes());
    p[4..8].copy_from_slice(&action.to_ne_bytes());
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{encode_tab, hex};
    use super::*;

    fn gact(f: impl FnOnce(&mut Settings)) -> Settings {
        let mut s = Settings::new();
        s.set_str("kind", "gact");
        f(&mut s);
        s
    }

    #[test]
    fn bytes_as_tc_sends_them() {
        // Each `tc actions add action gact ...` (iproute2 6.1), from TCA_ACT_TAB on.
        let drop = "300001002c0001000900010067616374000000001c000280180002000000000000000000020000000000000000000000";
        assert_eq!(
            hex(&encode_tab(&[gact(|s| {
                s.set_str("controlAction", "drop");
            })])),
            drop
        );
        // `gact pass index 5`
        assert_eq!(
            hex(&encode_tab(&[gact(|s| {
                s.set_str("controlAction", "pass").set_int("index", 5);
            })])),
            "300001002c0001000900010067616374000000001c000280180002000500000000000000000000000000000000000000"
        );
        // `gact goto chain 3`, `gact jump 2`, `gact continue`
        for (c, v) in [("goto chain 3", "03000020"), ("jump 2", "02000010"), ("continue", "ffffffff")] {
            let want = format!("300001002c0001000900010067616374000000001c000280180002000000000000000000{v}0000000000000000");
            assert_eq!(
                hex(&encode_tab(&[gact(|s| {
                    s.set_str("controlAction", c);
                })])),
                want,
                "{c}"
            );
        }
        // `gact pass random determ drop 10`
        let mut r = Settings::new();
        r.set_str("type", "determ").set_str("controlAction", "drop").set_int("value", 10);
        let m = encode_tab(&[gact(|s| {
            s.set_str("controlAction", "pass").set("random", Value::Map(r.clone()));
        })]);
        assert_eq!(
            hex(&m),
            "3c00010038000100090001006761637400000000280002801800020000000000000000000000000000000000000000000c00030002000a0002000000"
        );
        // `gact drop cookie 0aff`: the cookie follows the options.
        assert_eq!(
            hex(&encode_tab(&[gact(|s| {
                s.set_str("controlAction", "drop").set_str("cookie", "0aff");
            })])),
            format!("{}060006000aff0000", drop.replacen("3000", "3800", 1).replacen("2c00", "3400", 1))
        );
    }

    #[test]
    fn refusals_name_the_option() {
        let bad: &[(&str, Value)] = &[
            ("controlAction", Value::Str("jump 0".into())),
            ("controlAction", Value::Int(2)),
            ("index", Value::Int(-1)),
            ("random", Value::Int(1)),
            ("nosuch", Value::Int(1)),
        ];
        for (k, v) in bad {
            let s = gact(|s| {
                s.set(k, v.clone());
            });
            let e = super::super::encode_one(1, &s, &mut MsgBuilder::new(0, 0)).unwrap_err();
            assert!(e.contains(k), "{k}: {e}");
        }
        let mut r = Settings::new();
        r.set_str("type", "netrand").set_str("controlAction", "drop").set_int("value", 10001);
        assert!(random(&r).unwrap_err().contains("random.value"));
        r.set_str("type", "other");
        assert!(random(&r).unwrap_err().contains("random.type"));
    }

    #[test]
    fn decodes_the_kernels_dump() {
        // tcf_gact_dump: PARMS, PROB, then the timestamps after a pad attribute.
        let mut b = MsgBuilder::new(0, 0);
        b.attr(TCA_GACT_PARMS, &[7, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 32, 1, 0, 0, 0, 0, 0, 0, 0]);
        b.attr(TCA_GACT_PROB, &[1, 0, 10, 0, 2, 0, 0, 0]);
        b.attr(4, &[]);
        let tm: Vec<u8> = [250u64, 100, 0, 0].iter().flat_map(|v| v.to_ne_bytes()).collect();
        b.attr(TCA_GACT_TM, &tm);
        let m = b.finish();
        let s = GACT.decode(&m[16..]);
        assert_eq!(s.str("controlAction"), Ok(Some("goto chain 3")));
        assert_eq!((s.int("index", 0, 9), s.int("ref", 0, 9), s.int("installed", 0, 9)), (Ok(Some(7)), Ok(Some(1)), Ok(Some(2))));
        let r = s.map("random").unwrap().unwrap();
        assert_eq!((r.str("type"), r.str("controlAction"), r.int("value", 0, 99)), (Ok(Some("netrand")), Ok(Some("drop")), Ok(Some(10))));
        for n in 16..m.len() {
            let _ = GACT.decode(&m[16..n]);
        }
    }
}
