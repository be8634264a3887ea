//! Extended matches (TCA_EMATCH_TREE, `basic match '...'`) as a tree of objects:
//! `{ and: [...] }`, `{ or: [...] }`, `{ not: m }` and the leaves `{ cmp }`, `{ u32 }`,
//! `{ nbyte }`. The kernel takes a flat list of matches, each with a relation to the next (and,
//! or, end) and an invert bit; a sub-expression is a container match pointing at the index
//! where its own run starts, laid out after the runs before it, as tc lays them out.

use crate::rtnl::settings::{Settings, Value};
use crate::wire::{attrs, u16_at, u32_at, MsgBuilder};

const TCA_EMATCH_TREE_HDR: u16 = 1;
const TCA_EMATCH_TREE_LIST: u16 = 2;
const KIND_CONTAINER: u16 = 0;
const KIND_CMP: u16 = 1;
const KIND_NBYTE: u16 = 2;
const KIND_U32: u16 = 3;
const REL_END: u16 = 0;
const REL_AND: u16 = 1;
const REL_OR: u16 = 2;
const INVERT: u16 = 4;
/// Matches in one tree (the kernel counts them in a u16; a tree this big is a mistake).
const MAX_MATCHES: usize = 256;

const LAYERS: &[(&str, u8)] = &[("link", 0), ("network", 1), ("transport", 2)];
const SIZES: &[(&str, u8)] = &[("u8", 1), ("u16", 2), ("u32", 4)];

enum Term {
    Leaf(u16, Vec<u8>),
    /// The run it points at, by run number (its start index is known once all are laid out).
    Container(usize),
}

/// Runs of (term, invert, relation to the next); run 0 is the top level.
struct Layout(Vec<Vec<(Term, bool, u16)>>);

fn err(path: &str, what: &str) -> String {
    format!("{path}: {what}")
}

fn int(s: &Settings, key: &str, min: i64, max: i64, path: &str) -> Result<Option<i64>, String> {
    s.int(key, min, max).map_err(|e| err(path, &e))
}

fn layer(s: &Settings, path: &str) -> Result<u8, String> {
    match s.get("layer") {
        None => Ok(0),
        Some(Value::Int(n)) if (0..=2).contains(n) => Ok(*n as u8),
        Some(Value::Str(n)) => {
            LAYERS.iter().find(|(l, _)| l == n).map(|(_, v)| *v).ok_or_else(|| err(path, "layer must be link, network or transport"))
        }
        Some(_) => Err(err(path, "layer must be link, network, transport or 0-2")),
    }
}

/// `struct tcf_em_cmp`: val, mask, off, align:4|flags:4, layer:4|opnd:4.
fn cmp(s: &Settings, path: &str) -> Result<Vec<u8>, String> {
    s.check_known(&["size", "at", "layer", "mask", "eq", "gt", "lt", "trans"]).map_err(|e| err(path, &e))?;
    let align = s.choice("size", SIZES).map_err(|e| err(path, &e))?.ok_or_else(|| err(path, "size (u8, u16 or u32) is required"))?;
    let max = if align == 4 { u32::MAX as i64 } else { (1i64 << (8 * align)) - 1 };
    let at = int(s, "at", 0, 0xffff, path)?.ok_or_else(|| err(path, "at (the offset) is required"))?;
    let ops: Vec<(&str, u8)> = [("eq", 0u8), ("gt", 1), ("lt", 2)].into_iter().filter(|(k, _)| s.get(k).is_some()).collect();
    let [(key, opnd)] = ops[..] else { return Err(err(path, "give exactly one of eq, gt, lt")) };
    let val = int(s, key, 0, max, path)?.unwrap_or(0);
    let mask = int(s, "mask", 0, max, path)?.unwrap_or(0);
    let trans = s.bool("trans").map_err(|e| err(path, &e))?.unwrap_or(false);
    let mut d = Vec::with_capacity(12);
    d.extend_from_slice(&(val as u32).to_ne_bytes());
    d.extend_from_slice(&(mask as u32).to_ne_bytes());
    d.extend_from_slice(&(at as u16).to_ne_bytes());
    d.push(align | (u8::from(trans) << 4));
    d.push(layer(s, path)? | (opnd << 4));
    Ok(d)
}

/// `struct tc_u32_key` as tc's u32 ematch packs a u8/u16 into its 32-bit word (network order).
fn u32_key(s: &Settings, path: &str) -> Result<Vec<u8>, String> {
    s.check_known(&["size", "value", "mask", "at", "nexthdr"]).map_err(|e| err(path, &e))?;
    let size = s.choice("size", SIZES).map_err(|e| err(path, &e))?.unwrap_or(4);
    let max = if size == 4 { u32::MAX as i64 } else { (1i64 << (8 * size)) - 1 };
    let value = int(s, "value", 0, max, path)?.ok_or_else(|| err(path, "value is required"))? as u32;
    let mask = int(s, "mask", 0, max, path)?.unwrap_or(max) as u32;
    let at = int(s, "at", 0, 0xffff, path)?.ok_or_else(|| err(path, "at (the offset) is required"))? as u32;
    if !at.is_multiple_of(u32::from(size)) {
        return Err(err(path, &format!("at must be a multiple of {size} for a u{}", size * 8)));
    }
    let shift = 8 * (4 - u32::from(size) - (at & 3));
    let nexthdr = s.bool("nexthdr").map_err(|e| err(path, &e))?.unwrap_or(false);
    let mut d = Vec::with_capacity(16);
    d.extend_from_slice(&(mask << shift).to_be_bytes());
    d.extend_from_slice(&(value << shift).to_be_bytes());
    d.extend_from_slice(&(at & !3).to_ne_bytes());
    d.extend_from_slice(&(if nexthdr { u32::MAX } else { 0 }).to_ne_bytes());
    Ok(d)
}

/// `struct tcf_em_nbyte` (off, len:12|layer:4) and the needle.
fn nbyte(s: &Settings, path: &str) -> Result<Vec<u8>, String> {
    s.check_known(&["needle", "at", "layer"]).map_err(|e| err(path, &e))?;
    let needle = s.str("needle").map_err(|e| err(path, &e))?.ok_or_else(|| err(path, "needle (a string) is required"))?;
    if needle.is_empty() || needle.len() > 0xfff {
        return Err(err(path, "needle must be 1 to 4095 bytes"));
    }
    let at = int(s, "at", 0, 0xffff, path)?.unwrap_or(0) as u16;
    let mut d = Vec::with_capacity(4 + needle.len());
    d.extend_from_slice(&at.to_ne_bytes());
    d.extend_from_slice(&(needle.len() as u16 | u16::from(layer(s, path)?) << 12).to_ne_bytes());
    d.extend_from_slice(needle.as_bytes());
    // tc counts the needle's padding in the match's length (the kernel reads len bytes of it).
    d.resize(d.len().next_multiple_of(4), 0);
    Ok(d)
}

impl Layout {
    /// Lays `v` out as run `run`'s terms (one term for a leaf, a not or a differing group).
    fn run(&mut self, v: &Value, path: &str) -> Result<(), String> {
        let (items, rel): (Vec<(Value, String)>, u16) = match v {
            Value::Map(m) if m.0.len() == 1 && (m.0[0].0 == "and" || m.0[0].0 == "or") => {
                let (k, list) = &m.0[0];
                let Value::List(l) = list else { return Err(err(path, &format!("{k} takes a list of matches"))) };
                if l.is_empty() {
                    return Err(err(path, &format!("{k} takes at least one match")));
                }
                (
                    l.iter().enumerate().map(|(i, x)| (x.clone(), format!("{path}.{k}[{i}]"))).collect(),
                    if k == "and" { REL_AND } else { REL_OR },
                )
            }
            other => (vec![(other.clone(), path.to_string())], REL_END),
        };
        let n = items.len();
        let run = self.0.len() - 1;
        for (i, (item, p)) in items.iter().enumerate() {
            let (term, invert) = self.term(item, p)?;
            self.0[run].push((term, invert, if i + 1 < n { rel } else { REL_END }));
        }
        Ok(())
    }

    fn term(&mut self, v: &Value, path: &str) -> Result<(Term, bool), String> {
        let Value::Map(m) = v else {
            return Err(err(path, "a match is an object: { cmp }, { u32 }, { nbyte }, { and }, { or } or { not }"));
        };
        let [(k, inner)] = m.0.as_slice() else { return Err(err(path, "a match has exactly one key")) };
        let sub = || match inner {
            Value::Map(s) => Ok(s),
            _ => Err(err(path, &format!("{k} takes an object"))),
        };
        Ok(match k.as_str() {
            "cmp" => (Term::Leaf(KIND_CMP, cmp(sub()?, &format!("{path}.cmp"))?), false),
            "u32" => (Term::Leaf(KIND_U32, u32_key(sub()?, &format!("{path}.u32"))?), false),
            "nbyte" => (Term::Leaf(KIND_NBYTE, nbyte(sub()?, &format!("{path}.nbyte"))?), false),
            "not" => {
                let (t, inv) = self.term(inner, &format!("{path}.not"))?;
                (t, !inv)
            }
            "and" | "or" => {
                if self.0.len() >= MAX_MATCHES {
                    return Err(err(path, "too many nested matches"));
                }
                self.0.push(Vec::new());
                let at = self.0.len() - 1;
                self.run(v, path)?;
                (Term::Container(at), false)
            }
            other => return Err(err(path, &format!("unknown match {other:?} (cmp, u32, nbyte, and, or, not)"))),
        })
    }
}

/// Encodes `m` as attribute `ty` (TCA_BASIC_EMATCHES): the tree header and the list.
pub fn encode(m: &Value, ty: u16, b: &mut MsgBuilder) -> Result<(), String> {
    let mut l = Layout(vec![Vec::new()]);
    l.run(m, "match")?;
    let starts: Vec<usize> = l.0.iter().scan(0, |at, r| Some(std::mem::replace(at, *at + r.len()))).collect();
    let total: usize = l.0.iter().map(Vec::len).sum();
    if total > MAX_MATCHES {
        return Err(format!("match: more than {MAX_MATCHES} matches"));
    }
    let at = b.nest_start_plain(ty);
    let mut hdr = [0u8; 4];
    hdr[..2].copy_from_slice(&(total as u16).to_ne_bytes());
    b.attr(TCA_EMATCH_TREE_HDR, &hdr);
    let list = b.nest_start_plain(TCA_EMATCH_TREE_LIST);
    for (i, (term, invert, rel)) in l.0.iter().flatten().enumerate() {
        let (kind, data) = match term {
            Term::Leaf(k, d) => (*k, d.clone()),
            Term::Container(run) => (KIND_CONTAINER, (starts[*run] as u32).to_ne_bytes().to_vec()),
        };
        let mut v = Vec::with_capacity(8 + data.len());
        v.extend_from_slice(&0u16.to_ne_bytes()); // matchid
        v.extend_from_slice(&kind.to_ne_bytes());
        v.extend_from_slice(&(rel | if *invert { INVERT } else { 0 }).to_ne_bytes());
        v.extend_from_slice(&[0, 0]);
        v.extend_from_slice(&data);
        b.attr((i + 1) as u16, &v);
    }
    b.nest_end(list);
    b.nest_end(at);
    Ok(())
}

fn leaf(kind: u16, d: &[u8]) -> Option<Value> {
    let mut s = Settings::new();
    let name = |t: &[(&'static str, u8)], v: u8| t.iter().find(|(_, x)| *x == v).map(|(n, _)| *n);
    match kind {
        KIND_CMP if d.len() >= 12 => {
            let size = name(SIZES, d[10] & 15)?;
            s.set_str("size", size).set_int("at", u16_at(d, 8));
            s.set_str("layer", name(LAYERS, d[11] & 15)?);
            if u32_at(d, 4) != 0 {
                s.set_int("mask", u32_at(d, 4));
            }
            s.set_int(["eq", "gt", "lt"].get(usize::from(d[11] >> 4))?, u32_at(d, 0));
            if d[10] >> 4 & 1 != 0 {
                s.set_bool("trans", true);
            }
            Some(Value::Map(Settings(vec![("cmp".into(), Value::Map(s))])))
        }
        KIND_U32 if d.len() >= 16 => {
            let (mask, value) = (u32::from_be_bytes(d[0..4].try_into().ok()?), u32::from_be_bytes(d[4..8].try_into().ok()?));
            let off = u32_at(d, 8);
            s.set_int("value", value).set_int("mask", mask).set_int("at", off);
            if u32_at(d, 12) != 0 {
                s.set_bool("nexthdr", true);
            }
            Some(Value::Map(Settings(vec![("u32".into(), Value::Map(s))])))
        }
        KIND_NBYTE if d.len() >= 4 => {
            let lw = u16_at(d, 2);
            let needle = d.get(4..4 + usize::from(lw & 0xfff))?;
            s.set_str("needle", String::from_utf8(needle.to_vec()).ok()?).set_int("at", u16_at(d, 0));
            s.set_str("layer", name(LAYERS, (lw >> 12) as u8)?);
            Some(Value::Map(Settings(vec![("nbyte".into(), Value::Map(s))])))
        }
        _ => None,
    }
}

/// The tree back from TCA_BASIC_EMATCHES, or None where it holds what this module does not
/// write (another kind, mixed relations in one run, a loop): the caller then says `match: true`.
pub fn decode(v: &[u8]) -> Option<Value> {
    let list = attrs(v).map_while(Result::ok).find(|(t, _)| *t == TCA_EMATCH_TREE_LIST)?.1;
    let ms: Vec<(u16, u16, &[u8])> =
        attrs(list).map_while(Result::ok).filter(|(_, m)| m.len() >= 8).map(|(_, m)| (u16_at(m, 2), u16_at(m, 4), &m[8..])).collect();
    fn run(ms: &[(u16, u16, &[u8])], start: usize, depth: usize) -> Option<Value> {
        if depth > 16 {
            return None;
        }
        let mut terms = Vec::new();
        let mut rel = None;
        let mut i = start;
        loop {
            let (kind, flags, d) = *ms.get(i)?;
            let t = if kind == KIND_CONTAINER { run(ms, u32_at(d, 0) as usize, depth + 1)? } else { leaf(kind, d)? };
            terms.push(if flags & INVERT != 0 { Value::Map(Settings(vec![("not".into(), t)])) } else { t });
            match flags & 3 {
                REL_END => break,
                r if rel.is_none_or(|x| x == r) => rel = Some(r),
                _ => return None,
            }
            i += 1;
        }
        Some(match rel {
            None => terms.pop()?,
            Some(r) => Value::Map(Settings(vec![((if r == REL_AND { "and" } else { "or" }).into(), Value::List(terms))])),
        })
    }
    run(&ms, 0, 0)
}
