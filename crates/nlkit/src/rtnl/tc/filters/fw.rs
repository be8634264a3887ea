//! fw, the classifier on the packet's firewall mark (`tc filter ... handle 5 fw classid 1:5`):
//! the filter's handle is the mark, `mask` (tc's `handle 0x10/0xff`) the bits of it compared.
//! tc writes MASK first, then CLASSID, INDEV and ACT in command order (here the options').

use super::super::actions;
use super::super::kind::{Ctx, Role, TcKind};
use super::super::TCA_OPTIONS;
use super::common;
use crate::rtnl::settings::Settings;
use crate::wire::{attr_str, attr_u32, attrs, MsgBuilder};

const TCA_FW_CLASSID: u16 = 1;
const TCA_FW_INDEV: u16 = 3;
const TCA_FW_ACT: u16 = 4;
const TCA_FW_MASK: u16 = 5;

pub struct Fw;
pub static FW_KIND: Fw = Fw;

impl TcKind for Fw {
    fn role(&self) -> Role {
        Role::Filter
    }
    fn kind(&self) -> &'static str {
        "fw"
    }
    fn keys(&self) -> &'static [&'static str] {
        &["mask", "classid", "flowid", "indev", "actions"]
    }
    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _cx: &Ctx) -> Result<(), String> {
        if s.is_empty() {
            return Ok(()); // tc sends no options then (the mark alone picks the class)
        }
        let classid = common::classid(s)?;
        let at = b.nest_start_plain(TCA_OPTIONS);
        if let Some(m) = s.u32("mask")? {
            b.attr_u32(TCA_FW_MASK, m);
        }
        for (k, v) in &s.0 {
            match k.as_str() {
                "classid" | "flowid" => {
                    b.attr_u32(TCA_FW_CLASSID, classid.unwrap_or(0));
                }
                "indev" => {
                    b.attr_str(TCA_FW_INDEV, common::indev(s)?.unwrap_or_default());
                }
                "actions" => actions::encode_list(TCA_FW_ACT, v, b)?,
                _ => {}
            }
        }
        b.nest_end(at);
        Ok(())
    }
    fn decode(&self, o: &[u8]) -> Settings {
        let mut s = Settings::new();
        for (ty, v) in attrs(o).map_while(Result::ok) {
            match ty {
                TCA_FW_MASK => {
                    if let Some(m) = attr_u32(v) {
                        s.set_int("mask", m);
                    }
                }
                // tc -j names fw's class `classid` (not `flowid`).
                TCA_FW_CLASSID => {
                    if let Some(c) = attr_u32(v) {
                        s.set_str("classid", super::super::handle::format(c));
                    }
                }
                TCA_FW_INDEV => {
                    s.set_str("indev", attr_str(v));
                }
                TCA_FW_ACT => {
                    s.set("actions", actions::decode_list(v));
                }
                _ => {}
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    //! Against iproute2 6.1's bytes (this kernel has no cls_fw): captures in testdata/fwN.hex.
    use super::super::test_util::*;
    use super::*;
    use crate::rtnl::settings::Value;

    fn cases() -> Vec<Capture> {
        vec![
            // parent 1: protocol ip pref 1 handle 5 fw classid 1:5
            ("fw1", 0x1_0000, 1, IP, 5, settings(&[("classid", st("1:5"))])),
            // parent 1: protocol all pref 2 handle 0x10/0xff fw indev d1 flowid 1:10 action mirred egress redirect dev i0
            (
                "fw2",
                0x1_0000,
                2,
                ALL,
                0x10,
                settings(&[("indev", st("d1")), ("flowid", st("1:10")), ("mask", int(0xff)), ("actions", Value::List(vec![redirect(4)]))]),
            ),
            // ingress protocol ip pref 3 handle 7 fw action mirred egress mirror dev i0 classid 1:7
            ("fw3", INGRESS, 3, IP, 7, settings(&[("actions", Value::List(vec![mirred("egress", "mirror", 4)])), ("classid", st("1:7"))])),
        ]
    }

    #[test]
    fn requests_are_byte_equal_to_tc_and_decode_back() {
        let dir = ".";
        assert_captures("fw", dir, &cases());
        assert_decoded_back("fw", dir, &cases(), |o| FW_KIND.decode(o));
    }

    #[test]
    fn refusals_name_the_option() {
        for (kv, why) in [
            (vec![("mask", int(-1))], "mask must be between"),
            (vec![("indev", st("a-name-too-long-x"))], "indev must be a device name"),
            (vec![("classid", st("1:1")), ("flowid", st("1:1"))], "give one"),
            (vec![("skipHw", Value::Bool(true))], "unknown setting \"skipHw\""),
        ] {
            let e = add("fw", 0x1_0000, 1, IP, 1, settings(&kv)).unwrap_err();
            assert!(e.contains(why), "{kv:?}: {e}");
        }
    }
}
