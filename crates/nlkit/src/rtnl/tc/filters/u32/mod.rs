//! u32, the classifier on 32-bit words of the packet (`tc filter ... u32 match ... classid ..`).
//! Handles are `htid:hash:node` (12/8/12 bits, hex). tc writes the attributes it takes in the
//! loop (CLASSID, DIVISOR, LINK, INDEV, ACT) in command order, here the options' order; then
//! HASH (from `ht`/`sample`), SEL (from `match`, `offset`, `hashkey`) and FLAGS.

pub mod sel;
#[cfg(test)]
mod tests;

use super::super::actions;
use super::super::handle as tc_handle;
use super::super::kind::{Ctx, Role, TcKind};
use super::super::TCA_OPTIONS;
use crate::rtnl::settings::{Settings, Value};
use crate::wire::{attr_str, attr_u32, attrs, MsgBuilder};
use sel::Sel;

const TCA_U32_CLASSID: u16 = 1;
const TCA_U32_HASH: u16 = 2;
const TCA_U32_LINK: u16 = 3;
const TCA_U32_DIVISOR: u16 = 4;
const TCA_U32_SEL: u16 = 5;
const TCA_U32_ACT: u16 = 7;
const TCA_U32_INDEV: u16 = 8;
const TCA_U32_PCNT: u16 = 9;
const TCA_U32_FLAGS: u16 = 11;

const SKIP_HW: u32 = 1;
const SKIP_SW: u32 = 2;
const IN_HW: u32 = 4;
const NOT_IN_HW: u32 = 8;

/// What a listed filter reports but a request does not carry (left out when given back).
const READ_ONLY: &[&str] = &["inHw", "notInHw"];
const IFNAMSIZ: usize = 16;

pub struct U32;
pub static U32_KIND: U32 = U32;

const fn htid(h: u32) -> u32 {
    h & 0xFFF0_0000
}
const fn node(h: u32) -> u32 {
    h & 0xFFF
}

/// tc's `get_u32_handle`: `0x` and hex, or `htid:hash:node` with each part hex and optional
/// (`800:`, `800::800`, `::1`); unlike tc, trailing text (`1:2:3:4`) is refused.
pub fn parse_handle(s: &str) -> Result<u32, String> {
    let bad = || format!("malformed u32 handle {s:?} (expected htid:hash:node in hex, e.g. \"800::800\", \"1:\" or \"0x80000800\")");
    if !s.contains(':') {
        return s.strip_prefix("0x").and_then(|h| u32::from_str_radix(h, 16).ok()).ok_or_else(bad);
    }
    let parts: Vec<&str> = s.split(':').collect();
    if parts.len() > 3 {
        return Err(bad());
    }
    let mut v = [0u32; 3];
    for (i, p) in parts.iter().enumerate() {
        if p.is_empty() {
            continue;
        }
        if p.len() > 8 || !p.bytes().all(|c| c.is_ascii_hexdigit()) {
            return Err(bad());
        }
        v[i] = u32::from_str_radix(p, 16).map_err(|_| bad())?;
    }
    if v[0] >= 0x1000 || v[1] >= 0x100 || v[2] >= 0x1000 {
        return Err(bad());
    }
    Ok(v[0] << 20 | v[1] << 12 | v[2])
}

/// tc's `sprint_u32_handle` (`800:`, `800::800`, `2:a`); a bare node is `::1` (tc writes `:1`,
/// which it reads back as a hash).
pub fn format_handle(h: u32) -> String {
    let (ht, hash, nd) = (h >> 20, (h >> 12) & 0xFF, node(h));
    let mut s = if ht != 0 { format!("{ht:x}:") } else { String::new() };
    if ht == 0 && (hash | nd) != 0 {
        s.push(':');
    }
    if hash != 0 {
        s.push_str(&format!("{hash:x}"));
    }
    if nd != 0 {
        s.push_str(&format!(":{nd:x}"));
    }
    s
}

fn handle_opt(s: &Settings, key: &str) -> Result<Option<u32>, String> {
    s.str(key)?.map(|h| parse_handle(h).map_err(|e| format!("{key}: {e}"))).transpose()
}

/// HASH's value: `ht`'s table and bucket, the bucket taken from `sample` when given (tc:
/// `sample` hashes its one key into `divisor` buckets, default 256).
fn hash_attr(s: &Settings, has_handle: bool) -> Result<u32, String> {
    let ht = handle_opt(s, "ht")?.unwrap_or(0);
    if has_handle && node(ht) != 0 {
        return Err("ht must be a hash table (no node), as the handle names the node".into());
    }
    let Some(sample) = s.get("sample") else { return Ok(ht & 0xFFFF_F000) };
    let mut one = Sel::default();
    sel::pack_match(&mut one, sample, "sample", &["divisor"])?;
    let [k] = one.keys[..] else { return Err("sample must make exactly one key".into()) };
    let Value::Map(m) = sample else { return Err("sample must be an object".into()) };
    let divisor = match m.int("divisor", 1, 256).map_err(|e| format!("sample.{e}"))? {
        Some(d) if d & (d - 1) != 0 => return Err(format!("sample.divisor must be a power of 2, got {d}")),
        d => d.unwrap_or(256) as u32,
    };
    Ok(((sel::hash_fold(&k) % divisor) << 12) | htid(ht))
}

fn selector(s: &Settings, terminal: bool) -> Result<Option<Sel>, String> {
    let Some(list) = s.get("match") else {
        if s.get("offset").is_some() || s.get("hashkey").is_some() {
            return Err("offset and hashkey need match".into());
        }
        return Ok(None);
    };
    let Value::List(list) = list else { return Err("match must be a list of matches".into()) };
    let mut sel = Sel::default();
    for (i, m) in list.iter().enumerate() {
        let name = format!("match[{i}]");
        sel::pack_match(&mut sel, m, &name, &[]).map_err(|e| if e.starts_with(&name) { e } else { format!("{name}: {e}") })?;
    }
    if let Some(o) = s.map("offset")? {
        sel::pack_offset(&mut sel, o)?;
    }
    if let Some(h) = s.map("hashkey")? {
        sel::pack_hashkey(&mut sel, h)?;
    }
    if terminal {
        sel.flags |= sel::TERMINAL;
    }
    Ok(Some(sel))
}

impl TcKind for U32 {
    fn role(&self) -> Role {
        Role::Filter
    }
    fn kind(&self) -> &'static str {
        "u32"
    }
    fn keys(&self) -> &'static [&'static str] {
        &[
            "match", "classid", "flowid", "divisor", "link", "ht", "sample", "hashkey", "offset", "order", "indev", "skipHw", "skipSw",
            "actions", "inHw", "notInHw",
        ]
    }
    fn encode(&self, s: &Settings, b: &mut MsgBuilder, cx: &Ctx) -> Result<(), String> {
        if s.0.iter().all(|(k, _)| READ_ONLY.contains(&k.as_str())) {
            return Ok(()); // tc sends no options then
        }
        if s.get("classid").is_some() && s.get("flowid").is_some() {
            return Err("classid and flowid are the same: give one".into());
        }
        let flags = match (s.bool("skipHw")?, s.bool("skipSw")?) {
            (Some(true), Some(true)) => return Err("skipHw and skipSw are mutually exclusive".into()),
            (hw, sw) => (if hw == Some(true) { SKIP_HW } else { 0 }) | (if sw == Some(true) { SKIP_SW } else { 0 }),
        };
        let hash = hash_attr(s, cx.handle != 0)?;
        let mut terminal = false;
        let at = b.nest_start_plain(TCA_OPTIONS);
        for (k, v) in &s.0 {
            match k.as_str() {
                "classid" | "flowid" => {
                    let Value::Str(c) = v else { return Err(format!("{k} must be a class id like '1:10'")) };
                    b.attr_u32(TCA_U32_CLASSID, tc_handle::parse(c, false).map_err(|e| format!("{k}: {e}"))?);
                    terminal = true;
                }
                "divisor" => match s.int("divisor", 1, 256)? {
                    Some(d) if d & (d - 1) == 0 => {
                        b.attr_u32(TCA_U32_DIVISOR, d as u32);
                    }
                    d => return Err(format!("divisor must be a power of 2 from 1 to 256, got {}", d.unwrap_or(0))),
                },
                "link" => {
                    let l = handle_opt(s, "link")?.unwrap_or(0);
                    if node(l) != 0 {
                        return Err("link must be a hash table (no node), e.g. '1:'".into());
                    }
                    b.attr_u32(TCA_U32_LINK, l);
                }
                "indev" => {
                    let d = s.str("indev")?.unwrap_or_default();
                    if d.is_empty() || d.len() >= IFNAMSIZ || d.contains('\0') {
                        return Err(format!("indev must be a device name of 1 to {} bytes", IFNAMSIZ - 1));
                    }
                    b.attr_str(TCA_U32_INDEV, d);
                }
                "actions" => {
                    actions::encode_list(TCA_U32_ACT, v, b)?;
                    terminal = true;
                }
                _ => {}
            }
        }
        if hash != 0 {
            b.attr_u32(TCA_U32_HASH, hash);
        }
        if let Some(sel) = selector(s, terminal)? {
            b.attr(TCA_U32_SEL, &sel.encode());
        }
        if flags != 0 {
            b.attr_u32(TCA_U32_FLAGS, flags);
        }
        b.nest_end(at);
        Ok(())
    }
    fn decode(&self, o: &[u8]) -> Settings {
        let mut s = Settings::new();
        let (mut sel, mut hash, mut flags, mut acts) = (None, None, None, None);
        for (ty, v) in attrs(o).map_while(Result::ok) {
            match ty {
                TCA_U32_CLASSID => {
                    if let Some(c) = attr_u32(v) {
                        s.set_str("flowid", tc_handle::format(c));
                    }
                }
                TCA_U32_DIVISOR => {
                    if let Some(d) = attr_u32(v) {
                        s.set_int("divisor", d);
                    }
                }
                TCA_U32_LINK => {
                    if let Some(l) = attr_u32(v) {
                        s.set_str("link", format_handle(l));
                    }
                }
                TCA_U32_INDEV => {
                    s.set_str("indev", attr_str(v));
                }
                TCA_U32_HASH => hash = attr_u32(v),
                TCA_U32_SEL => sel = Some(Sel::decode(v)),
                TCA_U32_FLAGS => flags = attr_u32(v),
                TCA_U32_ACT => acts = Some(actions::decode_list(v)),
                _ => {}
            }
        }
        if let Some(a) = acts {
            s.set("actions", a);
        }
        if let Some(h) = hash {
            s.set_str("ht", format_handle(h & 0xFFFF_F000));
        }
        if let Some(sel) = sel {
            s.set("match", sel::decode_matches(&sel));
            if sel.hmask != 0 || sel.hoff != 0 {
                let mut h = Settings::new();
                h.set_int("mask", sel.hmask).set_int("at", sel.hoff);
                s.set("hashkey", Value::Map(h));
            }
            if let Some(off) = sel::decode_offset(&sel) {
                s.set("offset", Value::Map(off));
            }
        }
        let f = flags.unwrap_or(0);
        for (bit, key) in [(SKIP_HW, "skipHw"), (SKIP_SW, "skipSw"), (IN_HW, "inHw"), (NOT_IN_HW, "notInHw")] {
            if f & bit != 0 {
                s.set_bool(key, true);
            }
        }
        s
    }
    /// TCA_U32_PCNT (kernels with CONFIG_CLS_U32_PERF): `struct tc_u32_pcnt { rcnt, rhit,
    /// kcnts[nkeys] }`, u64s, as `tc -s` prints them: `(rule hit N success M)` and each key's
    /// `(success K)`.
    fn options_xstats(&self, o: &[u8]) -> Settings {
        let mut s = Settings::new();
        let Some((_, p)) = attrs(o).map_while(Result::ok).find(|(t, _)| *t == TCA_U32_PCNT) else { return s };
        let words: Vec<i64> = p.chunks_exact(8).map(|c| u64::from_ne_bytes(c.try_into().unwrap_or([0; 8])) as i64).collect();
        if let [rcnt, rhit, keys @ ..] = &words[..] {
            s.set_int("ruleHit", *rcnt).set_int("success", *rhit);
            s.set("keyHits", Value::List(keys.iter().map(|k| Value::Int(*k)).collect()));
        }
        s
    }
    fn parse_handle(&self, s: &str) -> Result<u32, String> {
        parse_handle(s)
    }
    fn format_handle(&self, h: u32) -> String {
        format_handle(h)
    }
    /// tc's `order N`: the node of the handle (which must not name another node).
    fn request_handle(&self, s: &Settings, handle: u32) -> Result<u32, String> {
        match s.int("order", 0, 0xFFF)? {
            None | Some(0) => Ok(handle),
            Some(o) if node(handle) != 0 && node(handle) != o as u32 => Err(format!("order {o} contradicts the handle's node")),
            Some(o) => Ok(handle | o as u32),
        }
    }
}
