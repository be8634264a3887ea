//! Features (`ethtool -k` / `-K`) by the kernel's names (the "features" string set, which
//! every verbose bitset of the reply carries): for each, `active`, `requested` (wanted) and
//! `fixed` (not in the changeable set, or never changeable), as `ethtool --json -k` prints.
//! The kernel lists only the features that are on in at least one of its four sets.

use super::bitset;
use crate::rtnl::settings::{Settings, Value};
use crate::wire;

const HW: u16 = 2;
const WANTED: u16 = 3;
const ACTIVE: u16 = 4;
const NOCHANGE: u16 = 5;

pub fn decode(attrs: &[u8], s: &mut Settings) {
    let (mut hw, mut wanted, mut active, mut nochange) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (t, v) in super::attrs(attrs) {
        match t {
            HW => hw = bitset::decode(v),
            WANTED => wanted = bitset::decode(v),
            ACTIVE => active = bitset::decode(v),
            NOCHANGE => nochange = bitset::decode(v),
            _ => {}
        }
    }
    let on = |set: &[bitset::Bit], n: &str| set.iter().any(|b| b.name == n && b.value);
    // Each set lists only its set bits (NOMASK): a feature in none of them is off and fixed.
    // What is listed, in the kernel's (bit) order; src/genl/ethtool.ts adds the rest by name.
    let mut all: Vec<&bitset::Bit> = hw.iter().chain(&wanted).chain(&active).chain(&nochange).collect();
    all.sort_by_key(|b| b.index); // stable: a name's first listing stays first
    let mut f = Settings::new();
    for b in all {
        // Nameless bits (holes in the string set) cannot be named back in a set: left out.
        if b.name.is_empty() || f.get(&b.name).is_some() {
            continue;
        }
        let mut e = Settings::new();
        e.set_bool("active", on(&active, &b.name)).set_bool("requested", on(&wanted, &b.name));
        e.set_bool("fixed", !on(&hw, &b.name) || on(&nochange, &b.name));
        f.set(&b.name, Value::Map(e));
    }
    s.set("features", Value::Map(f));
}

/// ETHTOOL_A_FEATURES_WANTED with the given features (by kernel name) set or cleared.
pub fn put_wanted(b: &mut wire::MsgBuilder, changes: &[(String, bool)]) -> crate::Result<()> {
    if changes.is_empty() {
        return Err(crate::Error::invalid("features must name at least one feature"));
    }
    if let Some((n, _)) = changes.iter().find(|(n, _)| n.is_empty() || n.len() > 64 || n.contains('\0')) {
        return Err(crate::Error::invalid(format!("feature name {n:?} is not a kernel feature name")));
    }
    bitset::put_named(b, WANTED, changes);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_merge_the_four_sets() {
        let mut b = wire::MsgBuilder::new(0, 0);
        // hw: a, b (changeable); wanted: a; active: a, c; nochange: c.
        bitset::put_named(&mut b, HW, &[("a".into(), true), ("b".into(), true)]);
        bitset::put_named(&mut b, WANTED, &[("a".into(), true)]);
        bitset::put_named(&mut b, ACTIVE, &[("a".into(), true), ("c".into(), true)]);
        bitset::put_named(&mut b, NOCHANGE, &[("c".into(), true)]);
        let a = b.finish().split_off(wire::NLMSG_HDRLEN);
        let mut s = Settings::new();
        decode(&a, &mut s);
        let Some(Value::Map(f)) = s.get("features") else { panic!() };
        let get = |n: &str, k: &str| match f.get(n) {
            Some(Value::Map(e)) => e.get(k).cloned(),
            _ => None,
        };
        assert_eq!(get("a", "active"), Some(Value::Bool(true)));
        assert_eq!(get("a", "fixed"), Some(Value::Bool(false)));
        assert_eq!(get("b", "active"), Some(Value::Bool(false)));
        assert_eq!(get("c", "fixed"), Some(Value::Bool(true)));
        assert_eq!(get("c", "requested"), Some(Value::Bool(false)));
    }
}
