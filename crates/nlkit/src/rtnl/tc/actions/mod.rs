//! Actions (`tc ... action <kind>`): the list a filter runs (a nest holding one nest per action,
//! numbered from 1 in order, each with TCA_ACT_KIND and the kind's TCA_ACT_OPTIONS), and one
//! module per action kind.

mod bpf;
mod csum;
mod gact;
pub mod gen;
mod mirred;
mod police;
mod skbedit;
mod tunnel_key;
mod vlan;

use super::kind::{self, Ctx, Role, TcKind};
use super::stats;
use crate::rtnl::settings::{Settings, Value};
use crate::wire::{attr_str, attrs, MsgBuilder};

pub const TCA_ACT_KIND: u16 = 1;
pub const TCA_ACT_OPTIONS: u16 = 2;
pub const TCA_ACT_INDEX: u16 = 3;
pub const TCA_ACT_STATS: u16 = 4;
pub const TCA_ACT_COOKIE: u16 = 6;

/// At most this many actions in one list (the kernel's TCA_ACT_MAX_PRIO).
pub const MAX_ACTIONS: usize = 32;

pub static KINDS: &[&dyn TcKind] =
    &[&gact::GACT, &mirred::MIRRED, &police::POLICE, &skbedit::SKBEDIT, &vlan::VLAN, &csum::CSUM, &tunnel_key::TUNNEL_KEY, &bpf::BPF_ACT];

/// What a listed action reports but a request does not carry: given back to an add, they are
/// left out (so a listed action can be added again).
const READ_ONLY: &[&str] = &["kind", "cookie", "order", "stats", "ref", "bind", "installed", "lastUsed", "firstUsed", "expires"];

/// Encodes `actions` (a list of `{ kind, cookie?, ...options }`) as the nest `attr`, the way tc
/// does (the nests without NLA_F_NESTED; each kind writes its TCA_ACT_OPTIONS).
pub fn encode_list(attr: u16, actions: &Value, b: &mut MsgBuilder) -> Result<(), String> {
    let Value::List(list) = actions else { return Err("actions must be a list".into()) };
    if list.len() > MAX_ACTIONS {
        return Err(format!("at most {MAX_ACTIONS} actions"));
    }
    let outer = b.nest_start_plain(attr);
    for (i, a) in list.iter().enumerate() {
        let Value::Map(m) = a else { return Err(format!("actions[{i}] must be an object")) };
        encode_one(i as u16 + 1, m, b).map_err(|e| format!("actions[{i}]: {e}"))?;
    }
    b.nest_end(outer);
    Ok(())
}

/// One action as the nest `order`.
pub fn encode_one(order: u16, m: &Settings, b: &mut MsgBuilder) -> Result<(), String> {
    let kind = m.str("kind")?.ok_or("kind is required")?;
    let opts = Settings(m.0.iter().filter(|(k, _)| !READ_ONLY.contains(&k.as_str())).cloned().collect());
    let cookie = m.str("cookie")?.map(cookie).transpose()?;
    let at = b.nest_start_plain(order);
    b.attr_str(TCA_ACT_KIND, kind);
    kind::encode(Role::Action, kind, &opts, b, &Ctx::default())?;
    // tc's parse_action writes the cookie after the kind's options.
    if let Some(c) = cookie {
        b.attr(TCA_ACT_COOKIE, &c);
    }
    b.nest_end(at);
    Ok(())
}

/// An action cookie: 1 to 16 bytes, given as hex.
fn cookie(s: &str) -> Result<Vec<u8>, String> {
    let bad = || format!("cookie {s:?} must be 1 to 16 bytes in hex");
    if s.is_empty() || !s.len().is_multiple_of(2) || s.len() > 32 {
        return Err(bad());
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).map_err(|_| bad())).collect()
}

/// Decodes an action list nest into `[{ kind, order, ...options, cookie?, stats? }]` in order.
pub fn decode_list(v: &[u8]) -> Value {
    let mut out: Vec<(u16, Value)> =
        attrs(v).map_while(Result::ok).filter_map(|(order, a)| decode_one(a).map(|s| (order, Value::Map(s)))).collect();
    out.sort_by_key(|(o, _)| *o);
    Value::List(out.into_iter().map(|(_, v)| v).collect())
}

/// One action's nest; `None` without a kind.
pub fn decode_one(v: &[u8]) -> Option<Settings> {
    let (mut kind, mut options, mut st, mut cookie) = (None, None, None, None);
    for (ty, a) in attrs(v).map_while(Result::ok) {
        match ty {
            TCA_ACT_KIND => kind = Some(attr_str(a)),
            TCA_ACT_OPTIONS => options = Some(a),
            TCA_ACT_STATS => st = Some(stats::decode_stats2(a).0),
            TCA_ACT_COOKIE => cookie = Some(a.iter().map(|b| format!("{b:02x}")).collect::<String>()),
            _ => {}
        }
    }
    let kind = kind?;
    let mut s = Settings::new();
    s.set_str("kind", kind.as_str());
    if let Some(o) = options {
        for (k, v) in kind::decode(Role::Action, &kind, o).0 {
            s.set_owned(k, v);
        }
    }
    if let Some(c) = cookie {
        s.set_str("cookie", c);
    }
    if let Some(st) = st {
        let mut m = Settings::new();
        m.set_int("bytes", st.bytes as i64)
            .set_int("packets", st.packets as i64)
            .set_int("drops", st.drops)
            .set_int("overlimits", st.overlimits);
        s.set("stats", Value::Map(m));
    }
    Some(s)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// `actions` encoded as tc's TCA_ACT_TAB (type 1) nest, without the netlink header.
    pub fn encode_tab(actions: &[Settings]) -> Vec<u8> {
        let mut b = MsgBuilder::new(0, 0);
        encode_list(1, &Value::List(actions.iter().cloned().map(Value::Map).collect()), &mut b).unwrap();
        b.finish()[16..].to_vec()
    }

    /// One action of `kind`, its options set by `f`, encoded as [`encode_tab`] does.
    pub fn tab_of(kind: &str, f: impl FnOnce(&mut Settings)) -> Vec<u8> {
        let mut s = Settings::new();
        s.set_str("kind", kind);
        f(&mut s);
        encode_tab(&[s])
    }

    /// A capture in testdata/NAME.hex (one message, seq and pid zeroed).
    pub fn testdata(name: &str) -> Vec<u8> {
        let path = format!("{}/src/rtnl/tc/actions/testdata/{name}.hex", env!("CARGO_MANIFEST_DIR"));
        let s = std::fs::read_to_string(path).unwrap();
        let s = s.trim();
        (0..s.len() / 2).map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap()).collect()
    }

    pub fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn cookies_and_refusals() {
        assert_eq!(cookie("0aff"), Ok(vec![0x0a, 0xff]));
        for bad in ["", "abc", "zz", &"00".repeat(17)] {
            assert!(cookie(bad).is_err());
        }
        let mut b = MsgBuilder::new(0, 0);
        assert!(encode_list(7, &Value::Int(1), &mut b).is_err());
        let mut m = Settings::new();
        m.set_str("kind", "nosuch");
        let e = encode_list(7, &Value::List(vec![Value::Map(m)]), &mut b).unwrap_err();
        assert!(e.starts_with("actions[0]: unknown kind"), "{e}");
        assert_eq!(decode_list(&[1, 2, 3]), Value::List(vec![]));
    }
}
