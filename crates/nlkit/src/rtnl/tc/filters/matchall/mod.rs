//! matchall, the classifier matching every packet (`tc filter ... matchall action ...`), for
//! running actions on all of a hook's traffic or sending it to one class. tc writes CLASSID
//! and ACT in command order, here the options' order, then FLAGS.

#[cfg(test)]
mod tests;

use super::super::actions;
use super::super::kind::{Ctx, Role, TcKind};
use super::super::TCA_OPTIONS;
use super::common;
use crate::rtnl::settings::{Settings, Value};
use crate::wire::{attrs, MsgBuilder};

const TCA_MATCHALL_CLASSID: u16 = 1;
const TCA_MATCHALL_ACT: u16 = 2;
const TCA_MATCHALL_FLAGS: u16 = 3;
const TCA_MATCHALL_PCNT: u16 = 4;

pub struct Matchall;
pub static MATCHALL_KIND: Matchall = Matchall;

impl TcKind for Matchall {
    fn role(&self) -> Role {
        Role::Filter
    }
    fn kind(&self) -> &'static str {
        "matchall"
    }
    fn keys(&self) -> &'static [&'static str] {
        &["classid", "flowid", "skipHw", "skipSw", "actions", "inHw", "notInHw", "inHwCount", "tag", "id"]
    }
    fn encode(&self, all: &Settings, b: &mut MsgBuilder, _cx: &Ctx) -> Result<(), String> {
        if common::only_read_only(all) {
            return Ok(()); // tc sends no options then: a match of everything, nothing to do
        }
        let s = &common::writable(all);
        let flags = common::gen_flags(s)?;
        let classid = common::classid(s)?;
        let at = b.nest_start_plain(TCA_OPTIONS);
        for (k, v) in &s.0 {
            match k.as_str() {
                "classid" | "flowid" => {
                    b.attr_u32(TCA_MATCHALL_CLASSID, classid.unwrap_or(0));
                }
                "actions" => actions::encode_list(TCA_MATCHALL_ACT, v, b)?,
                _ => {}
            }
        }
        if flags != 0 {
            b.attr_u32(TCA_MATCHALL_FLAGS, flags);
        }
        b.nest_end(at);
        Ok(())
    }
    fn decode(&self, o: &[u8]) -> Settings {
        let mut s = Settings::new();
        let mut acts = None;
        for (ty, v) in attrs(o).map_while(Result::ok) {
            match ty {
                TCA_MATCHALL_CLASSID => common::decode_classid(v, &mut s),
                TCA_MATCHALL_FLAGS => common::decode_gen_flags(v, &mut s),
                TCA_MATCHALL_ACT => acts = Some(actions::decode_list(v)),
                _ => {}
            }
        }
        if let Some(a) = acts {
            s.set("actions", a);
        }
        s
    }
    /// TCA_MATCHALL_PCNT, `struct tc_matchall_pcnt { u64 rhit }`: tc -s's `(rule hit N)`.
    fn options_xstats(&self, o: &[u8]) -> Settings {
        let mut s = Settings::new();
        if let Some((_, p)) = attrs(o).map_while(Result::ok).find(|(t, _)| *t == TCA_MATCHALL_PCNT) {
            if let Some(h) = crate::wire::attr_u64(p) {
                s.set("ruleHit", Value::Int(h as i64));
            }
        }
        s
    }
}
