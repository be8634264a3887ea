//! Standalone actions (`tc actions add|replace|get|del|ls|flush`): RTM_NEWACTION, RTM_DELACTION
//! and RTM_GETACTION on `struct tcamsg` (a family byte and padding), the actions in a TCA_ACT_TAB
//! nest numbered as a filter's (actions/mod.rs encodes and decodes them). A filter binds one by
//! its kind and index. Replies and events decode into a [`Tc`] of type [`TcType::Action`]
//! holding the message's actions.

use super::actions::{self, TCA_ACT_INDEX, TCA_ACT_KIND};
use super::kind::{self, Role};
use super::{Tc, TcType};
use crate::rtnl::settings::Value;
use crate::wire::{attr_u32, attrs, MsgBuilder, WireError};
use crate::wire::{NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_REPLACE};

pub const RTM_NEWACTION: u16 = 48;
pub const RTM_DELACTION: u16 = 49;
pub const RTM_GETACTION: u16 = 50;
const TCA_ACT_TAB: u16 = 1;
const TCA_ROOT_FLAGS: u16 = 2;
const TCA_ROOT_COUNT: u16 = 3;
/// NLM_F_ROOT: with RTM_DELACTION, every action of a kind (`tc actions flush`).
const NLM_F_ROOT: u16 = 0x100;
/// TCA_ACT_FLAG_LARGE_DUMP_ON, as tc asks for it in a dump (a bitfield32: value, selector).
const LARGE_DUMP: [u8; 8] = [1, 0, 0, 0, 1, 0, 0, 0];
const TCAMSG: [u8; 4] = [0; 4];

/// What `tc actions` does with a kind's action by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActOp {
    Add,
    /// `tc actions replace` (and `change`, which tc sends the same way).
    Replace,
}

/// `tc actions add|replace action <kind> ... [action ...]`: a list of `{ kind, index?, ...options }`.
pub fn encode(list: &Value, op: ActOp) -> Result<Vec<u8>, String> {
    let flags = match op {
        ActOp::Add => NLM_F_CREATE | NLM_F_EXCL,
        ActOp::Replace => NLM_F_CREATE | NLM_F_REPLACE,
    };
    drop(super::filters::common::take_kept()); // left by an earlier encode that failed
    let mut b = MsgBuilder::new(RTM_NEWACTION, flags | NLM_F_ACK);
    b.push(&TCAMSG);
    actions::encode_list(TCA_ACT_TAB, list, &mut b)?;
    Ok(b.finish())
}

/// TCA_ACT_TAB holding one nest with the kind and, when given, the index.
fn by_kind(b: &mut MsgBuilder, kind: &str, index: Option<u32>) -> Result<(), String> {
    kind::check_known(Role::Action, kind)?;
    let tab = b.nest_start_plain(TCA_ACT_TAB);
    let one = b.nest_start_plain(1);
    b.attr_str(TCA_ACT_KIND, kind);
    if let Some(i) = index {
        b.attr_u32(TCA_ACT_INDEX, i);
    }
    b.nest_end(one);
    b.nest_end(tab);
    Ok(())
}

/// `tc actions get|del action <kind> index N`: `del` true deletes (with an acknowledgement),
/// false asks for the action (tc asks for no acknowledgement: the reply is the action).
pub fn by_index(kind: &str, index: u32, del: bool) -> Result<Vec<u8>, String> {
    let mut b = if del { MsgBuilder::new(RTM_DELACTION, NLM_F_ACK) } else { MsgBuilder::new(RTM_GETACTION, 0) };
    b.push(&TCAMSG);
    by_kind(&mut b, kind, Some(index))?;
    Ok(b.finish())
}

/// `tc actions ls action <kind>` (a dump) or, with `flush`, `tc actions flush action <kind>`.
pub fn all_of(kind: &str, flush: bool) -> Result<Vec<u8>, String> {
    let mut b = if flush { MsgBuilder::new(RTM_DELACTION, NLM_F_ACK | NLM_F_ROOT) } else { MsgBuilder::new(RTM_GETACTION, NLM_F_DUMP) };
    b.push(&TCAMSG);
    by_kind(&mut b, kind, None)?;
    b.attr(TCA_ROOT_FLAGS, &LARGE_DUMP);
    Ok(b.finish())
}

/// A reply or event: its actions (each `{ kind, ...options, index, stats, ... }`).
pub fn decode(payload: &[u8]) -> Result<Tc, WireError> {
    if payload.len() < TCAMSG.len() {
        return Err(WireError("tcamsg too short"));
    }
    let mut t = Tc { ty: TcType::Action, ..Default::default() };
    for a in attrs(&payload[TCAMSG.len()..]) {
        let (k, v) = a?;
        match k {
            TCA_ACT_TAB => {
                if let Value::List(l) = actions::decode_list(v) {
                    t.actions = l;
                }
            }
            TCA_ROOT_COUNT => t.count = attr_u32(v),
            _ => {}
        }
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rtnl::settings::Settings;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    /// tc's requests from the flags on (nlmsg_type, flags; seq and pid zeroed).
    fn tail(m: &[u8]) -> String {
        format!("{}{}", hex(&m[4..8]), hex(&m[16..]))
    }

    #[test]
    fn requests_as_tc_sends_them() {
        // `tc actions add action gact drop index 5 action gact pass index 6` (iproute2 6.1).
        let mk = |c: &str, i| {
            let mut s = Settings::new();
            s.set_str("kind", "gact").set_str("controlAction", c).set_int("index", i);
            Value::Map(s)
        };
        let two = Value::List(vec![mk("drop", 5), mk("pass", 6)]);
        assert_eq!(tail(&encode(&two, ActOp::Add).unwrap()), "30000506000000005c0001002c0001000900010067616374000000001c0002801800020005000000000000000200000000000000000000002c0002000900010067616374000000001c000280180002000600000000000000000000000000000000000000");
        // `tc actions replace action gact drop index 5`
        let one = Value::List(vec![mk("drop", 5)]);
        assert_eq!(
            tail(&encode(&one, ActOp::Replace).unwrap()),
            "3000050500000000300001002c0001000900010067616374000000001c000280180002000500000000000000020000000000000000000000"
        );
        // `tc actions get action gact index 5`, `tc actions del action gact index 5`
        let body = "1c000100180001000900010067616374000000000800030005000000";
        assert_eq!(tail(&by_index("gact", 5, false).unwrap()), format!("3200010000000000{body}"));
        assert_eq!(tail(&by_index("gact", 5, true).unwrap()), format!("3100050000000000{body}"));
        // `tc actions ls action gact`, `tc actions flush action gact`
        let body = "14000100100001000900010067616374000000000c0002000100000001000000";
        assert_eq!(tail(&all_of("gact", false).unwrap()), format!("3200010300000000{body}"));
        assert_eq!(tail(&all_of("gact", true).unwrap()), format!("3100050100000000{body}"));
        assert!(by_index("nosuch", 1, true).unwrap_err().contains("unknown kind"));
        assert!(encode(&Value::Int(1), ActOp::Add).is_err());
    }

    #[test]
    fn decodes_a_dump_and_survives_any_cut() {
        // A dump reply: tcamsg, TCA_ROOT_COUNT, TCA_ACT_TAB { 0: gact }.
        let mut b = MsgBuilder::new(RTM_NEWACTION, 0);
        b.push(&TCAMSG);
        b.attr_u32(TCA_ROOT_COUNT, 1);
        let tab = b.nest_start_plain(TCA_ACT_TAB);
        let one = b.nest_start_plain(0);
        b.attr_str(TCA_ACT_KIND, "gact");
        let o = b.nest_start(actions::TCA_ACT_OPTIONS);
        b.attr(2, &[5, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
        b.nest_end(o);
        b.nest_end(one);
        b.nest_end(tab);
        let m = b.finish();
        let t = decode(&m[16..]).unwrap();
        assert_eq!((t.ty, t.count, t.actions.len()), (TcType::Action, Some(1), 1));
        let Value::Map(a) = &t.actions[0] else { panic!() };
        assert_eq!((a.str("kind"), a.str("controlAction"), a.int("index", 0, 9)), (Ok(Some("gact")), Ok(Some("drop")), Ok(Some(5))));
        for n in 16..m.len() {
            let _ = decode(&m[16..n]);
        }
    }
}
