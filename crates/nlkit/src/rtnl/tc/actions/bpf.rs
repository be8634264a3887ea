//! bpf, the action running a BPF program (`tc ... action bpf bytecode '1,6 0 0 4294967295'`,
//! `action bpf pinned /sys/fs/bpf/prog`): its verdict is the action's. The program as for the
//! bpf classifier (filters/bpf: classic OPS_LEN + OPS, or an eBPF FD + NAME), then PARMS.

use super::gen::{self, GEN_LEN};
use super::TCA_ACT_OPTIONS;
use crate::rtnl::settings::{Settings, Value};
use crate::rtnl::tc::filters::bpf as cls;
use crate::rtnl::tc::kind::{Ctx, Role, TcKind};
use crate::wire::{attr_str, attr_u32, attrs, MsgBuilder};

const TM: u16 = 1;
const PARMS: u16 = 2;
const OPS_LEN: u16 = 3;
const OPS: u16 = 4;
const FD: u16 = 5;
const NAME: u16 = 6;
const TAG: u16 = 8;
const ID: u16 = 9;
const TC_ACT_PIPE: i32 = 3;

pub struct BpfAct;
pub static BPF_ACT: BpfAct = BpfAct;

impl TcKind for BpfAct {
    fn role(&self) -> Role {
        Role::Action
    }
    fn kind(&self) -> &'static str {
        "bpf"
    }
    fn keys(&self) -> &'static [&'static str] {
        &["bytecode", "fd", "pinned", "name", "controlAction", "index", "tag", "id"]
    }
    fn encode(&self, all: &Settings, b: &mut MsgBuilder, _cx: &Ctx) -> Result<(), String> {
        let s = &Settings(all.0.iter().filter(|(k, _)| k != "tag" && k != "id").cloned().collect());
        // A bound action (an index alone) refers to an existing one: no program then.
        let bound = s.0.iter().all(|(k, _)| k == "index" || k == "controlAction") && s.get("index").is_some();
        let control = gen::control_opt(s, "controlAction")?.unwrap_or(TC_ACT_PIPE);
        let p = gen::gen(s, control)?;
        let at = b.nest_start(TCA_ACT_OPTIONS);
        if !bound {
            if cls::check_one_program(s)? {
                cls::encode_ops(b, OPS_LEN, OPS, &cls::program(s.get("bytecode").unwrap_or(&Value::Bool(false)))?);
            } else {
                let (fd, name) = cls::ebpf(s)?;
                b.attr_u32(FD, fd).attr_str(NAME, &name);
            }
        }
        b.attr(PARMS, &p);
        b.nest_end(at);
        Ok(())
    }
    fn decode(&self, o: &[u8]) -> Settings {
        let mut s = Settings::new();
        let (mut ops, mut ops_len, mut parms, mut tm) = (None, None, None, None);
        for (ty, v) in attrs(o).map_while(Result::ok) {
            match ty {
                PARMS if v.len() >= GEN_LEN => parms = Some(v),
                TM => tm = Some(v),
                OPS_LEN => ops_len = v.get(..2).map(|b| u16::from_ne_bytes([b[0], b[1]])),
                OPS => ops = Some(v),
                NAME => {
                    s.set_str("name", attr_str(v));
                }
                TAG => {
                    s.set_str("tag", v.iter().map(|b| format!("{b:02x}")).collect::<String>());
                }
                ID => {
                    if let Some(id) = attr_u32(v) {
                        s.set_int("id", id);
                    }
                }
                _ => {}
            }
        }
        if let Some(ops) = ops {
            s.set_str("bytecode", cls::decode_ops(ops, ops_len));
        }
        if let Some(p) = parms {
            gen::decode_gen_control(p, &mut s);
        }
        if let Some(t) = tm {
            gen::decode_tm(t, &mut s);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    //! Against iproute2 6.1's bytes (this kernel has no act_bpf): `tc actions add action bpf
    //! ...` captured in a scratch namespace, in ../testdata/abN.hex (ab2's pinned program was
    //! tc's descriptor 4, given here as `fd`).
    use super::super::tests::{hex, testdata};
    use super::*;
    use crate::rtnl::tc::standalone::{self, ActOp};

    fn action(kv: &[(&str, Value)]) -> Value {
        let mut s = Settings::new();
        s.set_str("kind", "bpf");
        for (k, v) in kv {
            s.set(k, v.clone());
        }
        Value::List(vec![Value::Map(s)])
    }
    fn st(s: &str) -> Value {
        Value::Str(s.into())
    }

    #[test]
    fn requests_are_byte_equal_to_tc_and_decode_back() {
        let cases = [
            ("ab1", action(&[("bytecode", st("1,6 0 0 4294967295"))])),
            ("ab2", action(&[("fd", Value::Int(4)), ("name", st("p1:[*fsobj]")), ("index", Value::Int(3))])),
            ("ab3", action(&[("bytecode", st("2,6 0 0 0,6 0 0 1")), ("controlAction", st("drop")), ("index", Value::Int(9))])),
        ];
        for (file, a) in cases {
            let want = testdata(file);
            assert_eq!(hex(&standalone::encode(&a, ActOp::Add).unwrap()), hex(&want), "{file}");
            let tab = &want[20..];
            let Value::List(l) = super::super::decode_list(&tab[4..]) else { panic!() };
            if file != "ab2" {
                // ab2's descriptor is not listed.
                assert_eq!(hex(&standalone::encode(&Value::List(l.clone()), ActOp::Add).unwrap()), hex(&want), "{file}: {l:?}");
            }
            for cut in 0..tab.len() {
                let _ = super::super::decode_list(&tab[..cut]);
            }
        }
    }

    #[test]
    fn refusals_name_the_option() {
        for (kv, why) in [
            (vec![], "a program is required"),
            (vec![("bytecode", st("1,6 0 0"))], "bytecode: instruction 0"),
            (vec![("bytecode", st("1,6 0 0 0")), ("pinned", st("/x"))], "give one"),
            (vec![("pinned", st("/nonexistent/p"))], "pinned \"/nonexistent/p\""),
            (vec![("bytecode", st("1,6 0 0 0")), ("controlAction", st("sideways"))], "controlAction"),
            (vec![("bytecode", st("1,6 0 0 0")), ("da", Value::Bool(true))], "unknown setting \"da\""),
        ] {
            let e = standalone::encode(&action(&kv), ActOp::Add).unwrap_err();
            assert!(e.contains(why), "{kv:?}: {e}");
        }
    }
}
