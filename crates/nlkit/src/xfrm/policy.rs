//! Policies: struct xfrm_userpolicy_info (add/update, and every policy a dump or get returns),
//! xfrm_userpolicy_id (get/delete), templates (XFRMA_TMPL) and the attributes around them.

use super::addr::{self, AF_INET};
use super::selector::{self, CUR_LEN, LFT_LEN, SEL_LEN};
use super::*;
use crate::rtnl::settings::{Settings, Value};
use crate::wire::{attrs, u32_at, MsgBuilder, WireError};

pub const INFO_LEN: usize = 168;
pub const ID_LEN: usize = 64;
const TMPL_LEN: usize = 64;

pub const DIRS: &[(&str, u8)] = &[("in", 0), ("out", 1), ("fwd", 2)];
pub const ACTIONS: &[(&str, u8)] = &[("allow", 0), ("block", 1)];
const FLAGS: &[(&str, u32)] = &[("localok", 1), ("icmp", 2)];
pub const SHARES: &[(&str, u8)] = &[("any", 0), ("session", 1), ("user", 2), ("unique", 3)];
pub const MODES: &[(&str, u8)] = &[("transport", 0), ("tunnel", 1), ("ro", 2), ("in_trigger", 3), ("beet", 4)];
pub const TYPES: &[(&str, u8)] = &[("main", 0), ("sub", 1)];
/// IPsec protocols of templates and states.
pub const XPROTOS: &[(&str, u8)] = &[("esp", 50), ("ah", 51), ("comp", 108), ("route2", 43), ("hao", 60), ("any", 255)];

/// What `policyAdd`/`policyUpdate` read ("current" is what a list returns: accepted, ignored).
const KEYS: &[&str] = &[
    "selector",
    "dir",
    "priority",
    "index",
    "action",
    "flags",
    "share",
    "lifetime",
    "current",
    "templates",
    "mark",
    "ctx",
    "ifId",
    "type",
];
const ID_KEYS: &[&str] = &["selector", "dir", "index", "mark", "ctx", "ifId", "type"];
const TMPL_KEYS: &[&str] = &["family", "src", "dst", "spi", "proto", "reqid", "mode", "share", "optional", "aalgos", "ealgos", "calgos"];

pub(super) fn sel_of(p: &Settings) -> Result<[u8; SEL_LEN], String> {
    let empty = Settings::new();
    selector::encode(p.map("selector")?.unwrap_or(&empty), AF_INET)
}

pub(super) fn dir_of(p: &Settings) -> Result<u8, String> {
    p.choice("dir", DIRS)?.ok_or_else(|| "dir is required ('in', 'out' or 'fwd')".into())
}

/// NEWPOLICY / UPDPOLICY: the bytes `ip xfrm policy add|update` sends for the same policy.
pub fn encode_add(ty: u16, p: &Settings) -> Result<Vec<u8>, String> {
    p.check_known(KEYS)?;
    let mut info = [0u8; INFO_LEN];
    let sel = sel_of(p)?;
    info[..SEL_LEN].copy_from_slice(&sel);
    info[56..56 + LFT_LEN].copy_from_slice(&selector::encode_lifetime(p.map("lifetime")?)?);
    info[152..156].copy_from_slice(&p.u32("priority")?.unwrap_or(0).to_ne_bytes());
    info[156..160].copy_from_slice(&p.u32("index")?.unwrap_or(0).to_ne_bytes());
    info[160] = dir_of(p)?;
    info[161] = p.choice("action", ACTIONS)?.unwrap_or(0);
    info[162] = addr::flags(p, "flags", FLAGS)? as u8;
    info[163] = p.choice("share", SHARES)?.unwrap_or(0);
    let mut b = MsgBuilder::new(ty, NLM_F_ACK);
    b.push(&info);
    policy_type(&mut b, p)?;
    if let Some(list) = p.get("templates") {
        let Value::List(list) = list else { return Err("templates must be a list".into()) };
        let mut t = Vec::with_capacity(list.len() * TMPL_LEN);
        for (i, v) in list.iter().enumerate() {
            let Value::Map(m) = v else { return Err(format!("templates[{i}] must be an object")) };
            t.extend_from_slice(&encode_tmpl(m, u16::from_ne_bytes([sel[40], sel[41]])).map_err(|e| format!("templates[{i}].{e}"))?);
        }
        if !t.is_empty() {
            b.attr(XFRMA_TMPL, &t);
        }
    }
    mark(&mut b, p)?;
    ctx::encode(&mut b, p)?;
    if_id(&mut b, p)?;
    Ok(b.finish())
}

pub(super) fn policy_type(b: &mut MsgBuilder, p: &Settings) -> Result<(), String> {
    // Sent only for the sub policy type: `ip` sends none by default, and the kernel's default is main.
    if p.choice("type", TYPES)? == Some(1) {
        b.attr(XFRMA_POLICY_TYPE, &[1, 0, 0, 0, 0, 0]);
    }
    Ok(())
}

/// XFRMA_MARK `{ value, mask }` and XFRMA_IF_ID, as policies and states both carry them.
pub fn mark_and_if_id(b: &mut MsgBuilder, p: &Settings) -> Result<(), String> {
    mark(b, p)?;
    if_id(b, p)
}

fn mark(b: &mut MsgBuilder, p: &Settings) -> Result<(), String> {
    if let Some(m) = p.map("mark")? {
        m.check_known(&["value", "mask"]).map_err(|e| format!("mark: {e}"))?;
        let v = m.u32("value").map_err(|e| format!("mark.{e}"))?.ok_or("mark.value is required")?;
        let mask = m.u32("mask").map_err(|e| format!("mark.{e}"))?.unwrap_or(u32::MAX);
        let mut x = v.to_ne_bytes().to_vec();
        x.extend_from_slice(&mask.to_ne_bytes());
        b.attr(XFRMA_MARK, &x);
    }
    Ok(())
}

pub(super) fn if_id(b: &mut MsgBuilder, p: &Settings) -> Result<(), String> {
    if let Some(id) = p.u32("ifId")? {
        b.attr_u32(XFRMA_IF_ID, id);
    }
    Ok(())
}

fn encode_tmpl(t: &Settings, sel_family: u16) -> Result<[u8; TMPL_LEN], String> {
    t.check_known(TMPL_KEYS)?;
    let mut b = [0u8; TMPL_LEN];
    let mut family = addr::family_of(t)?;
    for (key, off) in [("dst", 0), ("src", 28)] {
        if let Some(s) = t.str(key)? {
            let (f, a) = addr::parse(s, key)?;
            family = Some(addr::same_family(family, f, key)?);
            b[off..off + 16].copy_from_slice(&a);
        }
    }
    b[16..20].copy_from_slice(&t.u32("spi")?.unwrap_or(0).to_be_bytes());
    b[20] = t.choice("proto", XPROTOS)?.ok_or("proto is required ('esp', 'ah', 'comp', ...)")?;
    b[24..26].copy_from_slice(&family.unwrap_or(sel_family).to_ne_bytes());
    b[44..48].copy_from_slice(&t.u32("reqid")?.unwrap_or(0).to_ne_bytes());
    b[48] = t.choice("mode", MODES)?.unwrap_or(0);
    b[49] = t.choice("share", SHARES)?.unwrap_or(0);
    b[50] = t.bool("optional")?.unwrap_or(false) as u8;
    for (key, off) in [("aalgos", 52), ("ealgos", 56), ("calgos", 60)] {
        b[off..off + 4].copy_from_slice(&t.u32(key)?.unwrap_or(u32::MAX).to_ne_bytes());
    }
    Ok(b)
}

fn decode_tmpl(b: &[u8]) -> Settings {
    let b: [u8; TMPL_LEN] = crate::wire::fixed(b);
    let family = u16::from_ne_bytes([b[24], b[25]]);
    let mut t = Settings::new();
    t.set("family", addr::family_name(family));
    let a = |off: usize| -> [u8; 16] { b[off..off + 16].try_into().unwrap_or([0; 16]) };
    t.set_str("src", addr::format(family, &a(28))).set_str("dst", addr::format(family, &a(0)));
    t.set("proto", name_of(XPROTOS, b[20]));
    t.set_int("spi", u32::from_be_bytes([b[16], b[17], b[18], b[19]]));
    t.set_int("reqid", u32_at(&b, 44));
    t.set("mode", name_of(MODES, b[48])).set("share", name_of(SHARES, b[49])).set_bool("optional", b[50] != 0);
    for (key, off) in [("aalgos", 52), ("ealgos", 56), ("calgos", 60)] {
        t.set_int(key, u32_at(&b, off));
    }
    t
}

pub fn name_of(names: &[(&str, u8)], v: u8) -> Value {
    match names.iter().find(|(_, n)| *n == v) {
        Some((name, _)) => Value::Str((*name).into()),
        None => Value::Int(v.into()),
    }
}

/// GETPOLICY / DELPOLICY by selector and direction, or by index (and direction).
pub fn encode_id(ty: u16, flags: u16, p: &Settings) -> Result<Vec<u8>, String> {
    p.check_known(ID_KEYS)?;
    let mut id = [0u8; ID_LEN];
    id[..SEL_LEN].copy_from_slice(&sel_of(p)?);
    id[56..60].copy_from_slice(&p.u32("index")?.unwrap_or(0).to_ne_bytes());
    id[60] = dir_of(p)?;
    let mut b = MsgBuilder::new(ty, flags);
    b.push(&id);
    policy_type(&mut b, p)?;
    mark(&mut b, p)?;
    ctx::encode(&mut b, p)?;
    if_id(&mut b, p)?;
    Ok(b.finish())
}

/// FLUSHPOLICY, of one policy type when given.
pub fn encode_flush(p: &Settings) -> Result<Vec<u8>, String> {
    p.check_known(&["type"])?;
    let mut b = MsgBuilder::new(XFRM_MSG_FLUSHPOLICY, NLM_F_ACK);
    policy_type(&mut b, p)?;
    Ok(b.finish())
}

/// One policy: xfrm_userpolicy_info then attributes.
pub fn decode(payload: &[u8]) -> Result<Settings, WireError> {
    let info: [u8; INFO_LEN] = crate::wire::fixed(payload);
    let mut p = Settings::new();
    p.set("selector", Value::Map(selector::decode(&info[..SEL_LEN])));
    p.set("dir", name_of(DIRS, info[160]));
    p.set_int("priority", u32_at(&info, 152)).set_int("index", u32_at(&info, 156));
    p.set("action", name_of(ACTIONS, info[161]));
    p.set("flags", addr::flag_names(info[162].into(), FLAGS));
    p.set("share", name_of(SHARES, info[163]));
    p.set("lifetime", Value::Map(selector::decode_lifetime(&info[56..56 + LFT_LEN])));
    p.set("current", Value::Map(selector::decode_current(&info[120..120 + CUR_LEN])));
    p.set_str("type", "main");
    decode_attrs(&mut p, payload.get(INFO_LEN..).unwrap_or(&[]))?;
    Ok(p)
}

/// The attributes a policy (or a state: mark, ctx and ifId) carries after its fixed header.
pub fn decode_attrs(p: &mut Settings, raw: &[u8]) -> Result<(), WireError> {
    for a in attrs(raw) {
        let (ty, v) = a?;
        match ty {
            XFRMA_TMPL => p.set(
                "templates",
                Value::List(v.chunks(TMPL_LEN).filter(|c| c.len() == TMPL_LEN).map(|c| Value::Map(decode_tmpl(c))).collect()),
            ),
            XFRMA_MARK if v.len() >= 8 => p.set(
                "mark",
                Value::Map(Settings(vec![
                    ("value".into(), Value::Int(u32_at(v, 0).into())),
                    ("mask".into(), Value::Int(u32_at(v, 4).into())),
                ])),
            ),
            XFRMA_IF_ID if v.len() >= 4 => p.set_int("ifId", u32_at(v, 0)),
            ctx::XFRMA_SEC_CTX => match ctx::decode(v) {
                Some(c) => p.set_str("ctx", c),
                None => p,
            },
            XFRMA_POLICY_TYPE if !v.is_empty() => p.set("type", name_of(TYPES, v[0])),
            _ => p,
        };
    }
    Ok(())
}
