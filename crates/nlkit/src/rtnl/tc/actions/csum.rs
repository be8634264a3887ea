//! csum (`tc ... action csum ip4h tcp udp ...`): TCA_CSUM_PARMS (`struct tc_csum`: tc_gen and the
//! headers whose checksums it recomputes, a bit each).

use super::gen::{self, GEN_LEN};
use super::TCA_ACT_OPTIONS;
use crate::rtnl::settings::{Settings, Value};
use crate::rtnl::tc::kind::{Ctx, Role, TcKind};
use crate::wire::{attrs, u32_at, MsgBuilder};

const TCA_CSUM_PARMS: u16 = 1;
const TCA_CSUM_TM: u16 = 2;
/// TCA_CSUM_UPDATE_FLAG_*, in tc's order (`iph` is tc's other name for ip4h).
const TARGETS: &[(&str, u32)] = &[("ip4h", 1), ("icmp", 2), ("igmp", 4), ("tcp", 8), ("udp", 16), ("udplite", 32), ("sctp", 64)];

pub struct Csum;
pub static CSUM: Csum = Csum;

impl TcKind for Csum {
    fn role(&self) -> Role {
        Role::Action
    }
    fn kind(&self) -> &'static str {
        "csum"
    }
    fn keys(&self) -> &'static [&'static str] {
        &["update", "controlAction", "index"]
    }
    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _cx: &Ctx) -> Result<(), String> {
        let Some(Value::List(l)) = s.get("update") else {
            return Err("update (a list of ip4h, icmp, igmp, tcp, udp, udplite, sctp) is required".into());
        };
        let mut flags = 0;
        for (i, t) in l.iter().enumerate() {
            let name = if let Value::Str(n) = t { n.as_str() } else { "" };
            let name = if name == "iph" { "ip4h" } else { name };
            let (_, f) = TARGETS
                .iter()
                .find(|(n, _)| *n == name)
                .ok_or_else(|| format!("update[{i}] must be one of ip4h, icmp, igmp, tcp, udp, udplite, sctp"))?;
            flags |= f;
        }
        if flags == 0 {
            return Err("update must name at least one header".into());
        }
        // tc's default verdict for csum is ok.
        let mut parms = gen::gen(s, gen::control_opt(s, "controlAction")?.unwrap_or(0))?.to_vec();
        parms.extend_from_slice(&flags.to_ne_bytes());
        let at = b.nest_start(TCA_ACT_OPTIONS);
        b.attr(TCA_CSUM_PARMS, &parms);
        b.nest_end(at);
        Ok(())
    }
    fn decode(&self, o: &[u8]) -> Settings {
        let mut s = Settings::new();
        for (ty, a) in attrs(o).map_while(Result::ok) {
            match ty {
                TCA_CSUM_PARMS if a.len() >= GEN_LEN + 4 => {
                    let f = u32_at(a, GEN_LEN);
                    let l = TARGETS.iter().filter(|(_, b)| f & b != 0).map(|(n, _)| Value::Str(n.to_string())).collect();
                    s.set("update", Value::List(l));
                    gen::decode_gen_control(a, &mut s);
                }
                TCA_CSUM_TM => gen::decode_tm(a, &mut s),
                _ => {}
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{encode_tab, hex};
    use super::*;

    fn csum(targets: &[&str], f: impl FnOnce(&mut Settings)) -> Vec<u8> {
        let mut s = Settings::new();
        s.set_str("kind", "csum").set("update", Value::List(targets.iter().map(|t| Value::Str(t.to_string())).collect()));
        f(&mut s);
        encode_tab(&[s])
    }

    #[test]
    fn bytes_as_tc_sends_them() {
        // `tc actions add action csum ip4h`, `csum ip4h and tcp and udp`, `csum icmp igmp udplite
        // sctp drop index 3` (iproute2 6.1), from TCA_ACT_TAB on.
        let head = "3400010030000100090001006373756d00000000200002801c000100";
        assert_eq!(hex(&csum(&["ip4h"], |_| {})), format!("{head}000000000000000000000000000000000000000001000000"));
        assert_eq!(hex(&csum(&["ip4h", "tcp", "udp"], |_| {})), format!("{head}000000000000000000000000000000000000000019000000"));
        let m = csum(&["icmp", "igmp", "udplite", "sctp"], |s| {
            s.set_str("controlAction", "drop").set_int("index", 3);
        });
        assert_eq!(hex(&m), format!("{head}030000000000000002000000000000000000000066000000"));
        // Decoded from the options' payload (the kernel dumps the same PARMS, then TM).
        let s = CSUM.decode(&m[20 + 4..]);
        assert_eq!(
            s.get("update"),
            Some(&Value::List(["icmp", "igmp", "udplite", "sctp"].iter().map(|t| Value::Str(t.to_string())).collect()))
        );
        assert_eq!((s.str("controlAction"), s.int("index", 0, 9)), (Ok(Some("drop")), Ok(Some(3))));
        for n in 0..m.len() - 24 {
            let _ = CSUM.decode(&m[24..24 + n]);
        }
    }

    #[test]
    fn refusals_name_the_option() {
        for s in [Settings::new(), {
            let mut s = Settings::new();
            s.set("update", Value::List(vec![Value::Str("ip6h".into())]));
            s
        }] {
            assert!(CSUM.encode(&s, &mut MsgBuilder::new(0, 0), &Ctx::default()).unwrap_err().contains("update"));
        }
    }
}
