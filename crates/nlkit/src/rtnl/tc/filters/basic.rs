//! basic, the classifier on extended matches (`tc filter ... basic match ... classid 1:1`);
//! without a match it takes every packet. The matches (TCA_BASIC_EMATCHES) are a tree
//! (ematch.rs). tc writes EMATCHES, CLASSID and ACT in command order, here the options' order.

use super::super::actions;
use super::super::kind::{Ctx, Role, TcKind};
use super::super::TCA_OPTIONS;
use super::{common, ematch};
use crate::rtnl::settings::{Settings, Value};
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
        if let Some(Value::Bool(_)) = s.get("match") {
            return Err("match: this filter's matches are of a kind nlkit does not write (listed as match: true); give them as { cmp | u32 | nbyte | and | or | not }".into());
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
                "match" => ematch::encode(v, TCA_BASIC_EMATCHES, b)?,
                _ => {}
            }
        }
        b.nest_end(at);
        Ok(())
    }
    /// Matches of a kind not written here (meta, text, ...) are listed as `match: true`, which
    /// an add refuses rather than dropping them.
    fn decode(&self, o: &[u8]) -> Settings {
        let mut s = Settings::new();
        for (ty, v) in attrs(o).map_while(Result::ok) {
            match ty {
                TCA_BASIC_CLASSID => common::decode_classid(v, &mut s),
                TCA_BASIC_EMATCHES => {
                    s.set("match", ematch::decode(v).unwrap_or(Value::Bool(true)));
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

    fn one(k: &str, v: Value) -> Value {
        Value::Map(Settings(vec![(k.into(), v)]))
    }

    fn not(v: Value) -> Value {
        one("not", v)
    }

    /// A cmp match as decode writes it (mask only when not 0, trans only when set).
    fn cmp(size: &str, at: i64, layer: &str, mask: i64, op: &str, v: i64, trans: bool) -> Value {
        let mut kv = vec![("size", st(size)), ("at", int(at)), ("layer", st(layer))];
        if mask != 0 {
            kv.push(("mask", int(mask)));
        }
        kv.push((op, int(v)));
        if trans {
            kv.push(("trans", Value::Bool(true)));
        }
        one("cmp", map(&kv))
    }

    fn cases() -> Vec<Capture> {
        vec![
            // parent 1: protocol ip pref 1 basic classid 1:1
            ("basic1", 0x1_0000, 1, IP, 0, settings(&[("classid", st("1:1"))])),
            // ingress protocol all pref 2 handle 4 basic action mirred egress redirect dev i0 flowid 1:2
            ("basic2", INGRESS, 2, ALL, 4, settings(&[("actions", Value::List(vec![redirect(4)])), ("flowid", st("1:2"))])),
            // ingress pref 3 basic
            ("basic3", INGRESS, 3, ALL, 0, Settings::new()),
            // parent 1: protocol ip pref 1 basic match 'cmp(u16 at 12 layer link mask 0xffff eq 0x0800)' classid 1:1
            (
                "basic4",
                0x1_0000,
                1,
                IP,
                0,
                settings(&[("match", cmp("u16", 12, "link", 0xffff, "eq", 0x800, false)), ("classid", st("1:1"))]),
            ),
            // ... pref 2 basic match 'cmp(u8 at 9 layer network eq 6) and not u32(u16 0x0050 0xffff at nexthdr+2)' classid 1:2
            (
                "basic5",
                0x1_0000,
                2,
                IP,
                0,
                settings(&[
                    (
                        "match",
                        one(
                            "and",
                            Value::List(vec![
                                cmp("u8", 9, "network", 0, "eq", 6, false),
                                not(one(
                                    "u32",
                                    map(&[("value", int(0x50)), ("mask", int(0xffff)), ("at", int(0)), ("nexthdr", Value::Bool(true))]),
                                )),
                            ]),
                        ),
                    ),
                    ("classid", st("1:2")),
                ]),
            ),
            // ... pref 3 basic match 'nbyte("abc" at 0 layer transport) or cmp(u32 at 0 layer 2 gt 5 trans)' classid 1:3
            (
                "basic6",
                0x1_0000,
                3,
                IP,
                0,
                settings(&[
                    (
                        "match",
                        one(
                            "or",
                            Value::List(vec![
                                one("nbyte", map(&[("needle", st("abc")), ("at", int(0)), ("layer", st("transport"))])),
                                cmp("u32", 0, "transport", 0, "gt", 5, true),
                            ]),
                        ),
                    ),
                    ("classid", st("1:3")),
                ]),
            ),
            // ... pref 4 basic match 'u32(u32 0x0a000001 0xffffffff at 16) and (cmp(u8 at 9 layer 1 eq 17) or cmp(u8 at 9 layer 1 lt 2))' classid 1:4
            (
                "basic7",
                0x1_0000,
                4,
                IP,
                0,
                settings(&[
                    (
                        "match",
                        one(
                            "and",
                            Value::List(vec![
                                one("u32", map(&[("value", int(0x0a00_0001)), ("mask", int(0xffff_ffff)), ("at", int(16))])),
                                one(
                                    "or",
                                    Value::List(vec![
                                        cmp("u8", 9, "network", 0, "eq", 17, false),
                                        cmp("u8", 9, "network", 0, "lt", 2, false),
                                    ]),
                                ),
                            ]),
                        ),
                    ),
                    ("classid", st("1:4")),
                ]),
            ),
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
            (vec![("match", st("cmp(u8 at 0 layer 1 eq 1)"))], "match: a match is an object"),
            (vec![("match", cmp("u8", 0, "network", 0x1ff, "eq", 1, false))], "match.cmp: "),
            (
                vec![("match", one("cmp", map(&[("size", st("u8")), ("at", int(0)), ("eq", int(1)), ("gt", int(2))])))],
                "exactly one of eq, gt, lt",
            ),
            (
                vec![("match", one("u32", map(&[("size", st("u16")), ("value", int(1)), ("at", int(1))])))],
                "match.u32: at must be a multiple of 2",
            ),
            (vec![("match", one("and", Value::List(vec![])))], "at least one match"),
            (vec![("match", one("and", Value::List(vec![one("meta", map(&[]))])))], "match.and[0]: unknown match \"meta\""),
            (vec![("match", one("nbyte", map(&[("needle", st("")), ("layer", st("ip"))])))], "match.nbyte: "),
            (vec![("classid", st("1:1")), ("flowid", st("1:1"))], "give one"),
            (vec![("actions", int(1))], "actions must be a list"),
            (vec![("indev", st("x"))], "unknown setting \"indev\""),
        ] {
            let e = add("basic", 0x1_0000, 1, IP, 0, settings(&kv)).unwrap_err();
            assert!(e.contains(why), "{kv:?}: {e}");
        }
        // Garbage and cut trees decode to something or to `match: true`, never a panic.
        for (name, ..) in cases() {
            let o = options_of(&testdata(".", name));
            for cut in 0..o.len() {
                let _ = BASIC_KIND.decode(&o[..cut]);
                let _ = ematch::decode(&o[cut..]);
            }
        }
        // A listing with ematches is not added again without them.
        let mut b = MsgBuilder::new(0, 0);
        b.attr(TCA_BASIC_EMATCHES, &[0; 4]).attr_u32(TCA_BASIC_CLASSID, 0x1_0001);
        let listed = BASIC_KIND.decode(&b.finish()[16..]);
        assert_eq!(listed.bool("match"), Ok(Some(true)));
        assert!(add("basic", 0x1_0000, 1, IP, 0, listed).unwrap_err().contains("match"));
    }
}
