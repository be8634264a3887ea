//! mirred, redirect or mirror to a device (`tc ... action mirred egress redirect dev X`):
//! TCA_MIRRED_PARMS, `struct tc_mirred` = tc_gen + eaction + ifindex. The device travels as its
//! index (`ifindex`): the binding resolves a `dev` name first (crates/nlkit-node/src/ops_in/tc_dev.rs).

use super::gen::{self, GEN_LEN};
use super::TCA_ACT_OPTIONS;
use crate::rtnl::settings::Settings;
use crate::rtnl::tc::kind::{Ctx, Role, TcKind};
use crate::wire::{attrs, u32_at, MsgBuilder};

const TCA_MIRRED_TM: u16 = 1;
const TCA_MIRRED_PARMS: u16 = 2;
/// TCA_EGRESS_REDIR, TCA_EGRESS_MIRROR, TCA_INGRESS_REDIR, TCA_INGRESS_MIRROR.
const EACTIONS: &[(&str, &str, i32)] =
    &[("egress", "redirect", 1), ("egress", "mirror", 2), ("ingress", "redirect", 3), ("ingress", "mirror", 4)];
const TC_ACT_PIPE: i32 = 3;
const TC_ACT_STOLEN: i32 = 4;

pub struct Mirred;
pub static MIRRED: Mirred = Mirred;

impl TcKind for Mirred {
    fn role(&self) -> Role {
        Role::Action
    }
    fn kind(&self) -> &'static str {
        "mirred"
    }
    fn keys(&self) -> &'static [&'static str] {
        &["action", "direction", "ifindex", "controlAction", "index"]
    }
    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _cx: &Ctx) -> Result<(), String> {
        let direction = s.str("direction")?.unwrap_or("egress");
        let action = s.str("action")?.ok_or("action is required ('redirect' or 'mirror')")?;
        let ea = EACTIONS
            .iter()
            .find(|(d, a, _)| *d == direction && *a == action)
            .map(|(_, _, v)| *v)
            .ok_or_else(|| format!("direction {direction:?} / action {action:?}: expected egress or ingress, redirect or mirror"))?;
        // A bound action (an index alone) refers to an existing one: no device needed then.
        let ifindex = s.u32("ifindex")?.unwrap_or(0);
        if ifindex == 0 && s.u32("index")?.is_none() {
            return Err("dev is required".into());
        }
        // tc's defaults: a redirect steals the packet, a mirror passes it on.
        let dflt = if action == "redirect" { TC_ACT_STOLEN } else { TC_ACT_PIPE };
        let control = gen::control_opt(s, "controlAction")?.unwrap_or(dflt);
        let mut p = gen::gen(s, control)?.to_vec();
        p.extend_from_slice(&ea.to_ne_bytes());
        p.extend_from_slice(&ifindex.to_ne_bytes());
        let at = b.nest_start(TCA_ACT_OPTIONS);
        b.attr(TCA_MIRRED_PARMS, &p);
        b.nest_end(at);
        Ok(())
    }
    fn decode(&self, o: &[u8]) -> Settings {
        let mut s = Settings::new();
        for (ty, a) in attrs(o).map_while(Result::ok) {
            match ty {
                TCA_MIRRED_PARMS if a.len() >= GEN_LEN + 8 => {
                    let ea = u32_at(a, GEN_LEN) as i32;
                    if let Some((d, act, _)) = EACTIONS.iter().find(|(_, _, v)| *v == ea) {
                        s.set_str("action", *act).set_str("direction", *d);
                    }
                    s.set_int("ifindex", u32_at(a, GEN_LEN + 4));
                    gen::decode_gen_control(a, &mut s);
                }
                TCA_MIRRED_TM => gen::decode_tm(a, &mut s),
                _ => {}
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rtnl::settings::Value;

    #[test]
    fn as_tc_sends_it_and_back() {
        // The action nest of `tc filter add dev <3> ingress protocol ip pref 1 u32 match ip dst
        // 10.173.0.1/32 action mirred egress redirect dev <2>` (iproute2 6.1).
        let mut m = Settings::new();
        m.set_str("kind", "mirred").set_str("action", "redirect").set_str("direction", "egress").set_int("ifindex", 2);
        let mut b = MsgBuilder::new(0, 0);
        super::super::encode_one(1, &m, &mut b).unwrap();
        let want = "340001000b0001006d697272656400002400028020000200000000000000000004000000000000000000000001000000\
                    02000000";
        let got: String = b.finish()[16..].iter().map(|x| format!("{x:02x}")).collect();
        assert_eq!(got, want);
        let d = super::super::decode_list(&[&[0x34, 0, 1, 0][..], &hex(&want[8..])].concat());
        let Value::List(l) = d else { panic!() };
        let Value::Map(a) = &l[0] else { panic!() };
        assert_eq!(a.str("action"), Ok(Some("redirect")));
        assert_eq!(a.str("controlAction"), Ok(Some("stolen")));
        assert_eq!(a.u32("ifindex"), Ok(Some(2)));
        let mut bad = Settings::new();
        bad.set_str("action", "redirect").set_str("direction", "sideways").set_int("ifindex", 2);
        assert!(MIRRED.encode(&bad, &mut MsgBuilder::new(0, 0), &Ctx::default()).unwrap_err().contains("direction"));
        bad.set_str("direction", "ingress").set_int("ifindex", 0);
        assert!(MIRRED.encode(&bad, &mut MsgBuilder::new(0, 0), &Ctx::default()).unwrap_err().contains("dev"));
        for cut in 0..want.len() / 2 {
            let _ = MIRRED.decode(&hex(want)[..cut]);
        }
    }

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }
}
