//! What every action kind shares: `struct tc_gen` (index, capab, control action, refcnt,
//! bindcnt) at the head of its parameters, the control action (`pass`, `drop`, `jump 2`,
//! `goto chain 3`: TC_ACT_*), and `struct tcf_t` timestamps (clock ticks of USER_HZ, shown by
//! `tc -s` as seconds).

use crate::rtnl::settings::Settings;
use crate::wire::{attr_u64, u32_at};

/// `struct tc_gen`'s size.
pub const GEN_LEN: usize = 20;
/// The clock_t unit the kernel reports `tcf_t` in (USER_HZ).
const USER_HZ: u64 = 100;

const TC_ACT_JUMP: u32 = 1 << 28;
const TC_ACT_GOTO_CHAIN: u32 = 2 << 28;
const TC_ACT_EXT_MASK: u32 = 0xf << 28;
const NAMES: &[(&str, i32)] =
    &[("continue", -1), ("pass", 0), ("ok", 0), ("reclassify", 1), ("drop", 2), ("shot", 2), ("pipe", 3), ("stolen", 4), ("trap", 8)];

/// A control action as tc writes it (`pass`, `drop`, `jump 2`, `goto chain 3`) to TC_ACT_*.
pub fn control(key: &str, s: &str) -> Result<i32, String> {
    let bad = || {
        format!(
            "{key}: {s:?} is not a control action (continue, pass, ok, reclassify, drop, shot, pipe, stolen, trap, jump N, goto chain N)"
        )
    };
    if let Some((_, v)) = NAMES.iter().find(|(n, _)| *n == s) {
        return Ok(*v);
    }
    let (ext, n) = if let Some(n) = s.strip_prefix("jump ") {
        (TC_ACT_JUMP, n)
    } else if let Some(n) = s.strip_prefix("goto chain ") {
        (TC_ACT_GOTO_CHAIN, n)
    } else {
        return Err(bad());
    };
    match n.trim().parse::<u32>() {
        Ok(v) if v & TC_ACT_EXT_MASK == 0 && (ext == TC_ACT_GOTO_CHAIN || v > 0) => Ok((ext | v) as i32),
        _ => Err(bad()),
    }
}

/// A TC_ACT_* value as tc prints it; an unknown one as its number.
pub fn control_name(v: i32) -> String {
    let u = v as u32;
    match u & TC_ACT_EXT_MASK {
        TC_ACT_JUMP => return format!("jump {}", u & !TC_ACT_EXT_MASK),
        TC_ACT_GOTO_CHAIN => return format!("goto chain {}", u & !TC_ACT_EXT_MASK),
        _ => {}
    }
    NAMES.iter().find(|(n, c)| *c == v && *n != "ok" && *n != "shot").map_or_else(|| v.to_string(), |(n, _)| n.to_string())
}

/// An optional control action setting (a string).
pub fn control_opt(s: &Settings, key: &str) -> Result<Option<i32>, String> {
    s.str(key)?.map(|v| control(key, v)).transpose()
}

/// `struct tc_gen` for a request: the index (0: the kernel picks one) and the control action.
pub fn gen(s: &Settings, action: i32) -> Result<[u8; GEN_LEN], String> {
    let mut g = [0u8; GEN_LEN];
    g[0..4].copy_from_slice(&s.u32("index")?.unwrap_or(0).to_ne_bytes());
    g[8..12].copy_from_slice(&action.to_ne_bytes());
    Ok(g)
}

/// The index, reference and bind counts of a dumped `tc_gen` (the control action is the
/// kind's to name); nothing if it is short.
pub fn decode_gen(p: &[u8], s: &mut Settings) {
    if p.len() >= GEN_LEN {
        s.set_int("index", u32_at(p, 0)).set_int("ref", u32_at(p, 12) as i32).set_int("bind", u32_at(p, 16) as i32);
    }
}

/// A dumped `tc_gen` whose `action` word is the kind's verdict: `controlAction`, then the
/// index and counts.
pub fn decode_gen_control(p: &[u8], s: &mut Settings) {
    if p.len() >= GEN_LEN {
        s.set_str("controlAction", control_name(u32_at(p, 8) as i32));
    }
    decode_gen(p, s);
}

/// `struct tcf_t` { install, lastuse, expires, firstuse } as tc -s prints it: seconds since
/// installed and last used always, first used and expiry when set.
pub fn decode_tm(t: &[u8], s: &mut Settings) {
    if t.len() < 32 {
        return;
    }
    let at = |i: usize| t.get(i * 8..).and_then(attr_u64).unwrap_or(0) / USER_HZ;
    s.set_int("installed", at(0) as i64).set_int("lastUsed", at(1) as i64);
    if at(3) != 0 {
        s.set_int("firstUsed", at(3) as i64);
    }
    if at(2) != 0 {
        s.set_int("expires", at(2) as i64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_actions_both_ways() {
        for (s, v) in [("continue", -1), ("pass", 0), ("drop", 2), ("pipe", 3), ("jump 2", 0x1000_0002), ("goto chain 3", 0x2000_0003)] {
            assert_eq!(control("a", s), Ok(v));
            assert_eq!(control_name(v), s);
        }
        assert_eq!(control("a", "ok"), Ok(0));
        assert_eq!(control_name(77), "77");
        for bad in ["jump 0", "jump x", "goto chain", "goto chain 268435456", "Drop", ""] {
            assert!(control("verdict", bad).unwrap_err().starts_with("verdict"), "{bad}");
        }
    }

    #[test]
    fn timestamps_in_seconds() {
        let t: Vec<u8> = [1234u64, 500, 0, 300].iter().flat_map(|v| v.to_ne_bytes()).collect();
        let mut s = Settings::new();
        decode_tm(&t, &mut s);
        assert_eq!(format!("{:?}", s.0.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>()), r#"["installed", "lastUsed", "firstUsed"]"#);
        assert_eq!(s.int("installed", 0, 99), Ok(Some(12)));
        let mut e = Settings::new();
        decode_tm(&t[..31], &mut e);
        decode_gen(&[0; 19], &mut e);
        assert!(e.is_empty());
    }
}
