//! basic, the classifier on extended matches (`tc filter ... basic match ... classid 1:1`);
//! without a match it takes every packet. Ematches (TCA_BASIC_EMATCHES) are not encoded: a
//! `match` is refused. tc writes CLASSID and ACT in command order, here the options' order.

use super::super::actions;
use super::super::kind::{Ctx, Role, TcKind};
use super::super::TCA_OPTIONS;
use super::common;
use crate::rtnl::settings::Settings;
use crate::wire::{attrs, MsgBuilder};

const TCA_BASIC_CLASSID: u16 = 1;
const TCA_BASIC_EMATCHES: u16 = 2;
const TCA_BASIC_ACT: u16 = 3;

pub struct Basic;
pub static BASIC_KIND: Basic = Basic;

impl TcKind for Basic {
    fn role(&self) -> Role {
        Role::Filter
    }
    fn kind(&self) -> &'static str {
        "basic"
    }
    fn keys(&self) -> &'static [&'static str] {
        &["classid", "flowid", "actions", "match"]
    }
    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _cx: &Ctx) -> Result<(), String> {
        if s.get("match").is_some() {
            return Err("match: basic's extended matches (ematch) are not supported yet; without match every packet matches".into());
        }
        if s.is_empty() {
            return Ok(()); // tc sends no options then
        }
        let classid = common::classid(s)?;
        let at = b.nest_start_plain(TCA_OPTIONS);
        for (k, v) in &s.0 {
            match k.as_str() {
                "classid" | "flowid" => {
                    b.attr_u32(TCA_BASIC_CLASSID, classid.unwrap_or(0));
                }
                "actions" => actions::encode_list(TCA_BASIC_ACT, v, b)?,
                _ => {}
            }
        }
        b.nest_end(at);
        Ok(())
    }
    /// A listed filter with ematches (made by tc) says so with `match: true`, which an add
    /// refuses rather than dropping the matches.
    fn decode(&self, o: &[u8]) -> Settings {
        let mut s = Settings::new();
        for (ty, v) in attrs(o).map_while(Result::ok) {
            match ty {
                TCA_BASIC_CLASSID => common::decode_classid(v, &mut s),
                TCA_BASIC_EMATCHES => {
                    s.set_bool("match", true);
                }
                TCA_BASIC_ACT => {
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
    //! Against iproute2 6.1's bytes (this kernel has no cls_basic): captures in testdata/basicN.hex.
    use super::super::test_util::*;
    use super::*;
    use crate::rtnl::settings::Value;

    fn cases() -> Vec<Capture> {
        vec![
            // parent 1: protocol ip pref 1 basic classid 1:1
            ("basic1", 0x1_0000, 1, IP, 0, settings(&[("classid", st("1:1"))])),
            // ingress protocol all pref 2 handle 4 basic action mirred egress redirect dev i0 flowid 1:2
            ("basic2", INGRESS, 2, ALL, 4, settings(&[("actions", Value::List(vec![redirect(4)])), ("flowid", st("1:2"))])),
            // ingress pref 3 basic
            ("basic3", INGRESS, 3, ALL, 0, Settings::new()),
        ]
    }

    #[test]
    fn requests_are_byte_equal_to_tc_and_decode_back() {
        assert_captures("basic", ".", &cases());
        assert_decoded_back("basic", ".", &cases(), |o| BASIC_KIND.decode(o));
    }

    #[test]
    fn refusals_name_the_option() {
        for (kv, why) in [
            (vec![("match", st("cmp(u8 at 0 layer 1 eq 1)"))], "match: basic's extended matches"),
            (vec![("classid", st("1:1")), ("flowid", st("1:1"))], "give one"),
            (vec![("actions", int(1))], "actions must be a list"),
            (vec![("indev", st("x"))], "unknown setting \"indev\""),
        ] {
            let e = add("basic", 0x1_0000, 1, IP, 0, settings(&kv)).unwrap_err();
            assert!(e.contains(why), "{kv:?}: {e}");
        }
        // A listing with ematches is not added again without them.
        let mut b = MsgBuilder::new(0, 0);
        b.attr(TCA_BASIC_EMATCHES, &[0; 4]).attr_u32(TCA_BASIC_CLASSID, 0x1_0001);
        let listed = BASIC_KIND.decode(&b.finish()[16..]);
        assert_eq!(listed.bool("match"), Ok(Some(true)));
        assert!(add("basic", 0x1_0000, 1, IP, 0, listed).unwrap_err().contains("match"));
    }
}
