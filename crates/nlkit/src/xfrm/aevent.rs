//! Async events (XFRM_MSG_GETAE / XFRM_MSG_NEWAE): a state's replay state, its lifetime counters
//! and the thresholds at which the kernel reports them on the aevents group (struct
//! xfrm_aevent_id, XFRMA_REPLAY_VAL or XFRMA_REPLAY_ESN_VAL, XFRMA_LTIME_VAL,
//! XFRMA_REPLAY_THRESH, XFRMA_ETIMER_THRESH). iproute2 has no command for these: the layouts
//! are the kernel's (xfrm_get_ae, xfrm_new_ae, build_aevent in net/xfrm/xfrm_user.c).

use super::addr;
use super::policy::{decode_attrs, mark_and_if_id, name_of, XPROTOS};
use super::selector::{decode_current, CUR_LEN};
use super::*;
use crate::rtnl::settings::{Settings, Value};
use crate::wire::{attrs, u16_at, u32_at, WireError, NLM_F_REPLACE};

pub const XFRM_MSG_NEWAE: u16 = 0x1e;
pub const XFRM_MSG_GETAE: u16 = 0x1f;
const XFRMA_LTIME_VAL: u16 = 9;
const XFRMA_REPLAY_VAL: u16 = 10;
const XFRMA_REPLAY_THRESH: u16 = 11;
const XFRMA_ETIMER_THRESH: u16 = 12;
pub const ID_LEN: usize = 48;
/// XFRM_AE_*: what a request asks for, what caused a notification.
const FLAGS: &[(&str, u32)] = &[
    ("replayThresh", 1),
    ("replayValue", 2),
    ("lifetimeValue", 4),
    ("etimerThresh", 8),
    ("replayUpdate", 16),
    ("timerExpired", 32),
    ("policyUpdated", 64),
];
/// A get asks for both thresholds (the replay state and the counters always come).
const GET_FLAGS: u32 = 1 | 8;
/// XFRMA_REPLAY_ESN_MAX: the longest replay bitmap, in 32-bit words.
const ESN_WORDS: usize = 4096 / 32;

const ID_KEYS: &[&str] = &["src", "dst", "family", "proto", "spi", "reqid", "mark"];
const SET_KEYS: &[&str] = &[
    "src",
    "dst",
    "family",
    "proto",
    "spi",
    "reqid",
    "mark",
    "ifId",
    "flags",
    "replay",
    "replayEsn",
    "current",
    "replayThresh",
    "etimerThresh",
];

/// xfrm_aevent_id: the state's id (daddr, spi, family, proto), saddr, flags, reqid.
fn id(s: &Settings, flags: u32) -> Result<[u8; ID_LEN], String> {
    let (family, d, src, proto) = state::endpoints(s)?;
    let mut b = [0u8; ID_LEN];
    b[..16].copy_from_slice(&d);
    b[16..20].copy_from_slice(&s.u32("spi")?.ok_or("spi is required")?.to_be_bytes());
    b[20..22].copy_from_slice(&family.to_ne_bytes());
    b[22] = proto;
    b[24..40].copy_from_slice(&src);
    b[40..44].copy_from_slice(&flags.to_ne_bytes());
    b[44..48].copy_from_slice(&s.u32("reqid")?.unwrap_or(0).to_ne_bytes());
    Ok(b)
}

/// GETAE: answered by a NEWAE with the state's values (the kernel finds the state by
/// destination, SPI, protocol and mark; the source and reqid are carried, not looked at).
pub fn encode_get(s: &Settings) -> Result<Vec<u8>, String> {
    s.check_known(ID_KEYS)?;
    let mut b = MsgBuilder::new(XFRM_MSG_GETAE, 0);
    b.push(&id(s, GET_FLAGS)?);
    mark_and_if_id(&mut b, s)?;
    Ok(b.finish())
}

fn u32s(m: &Settings, what: &str, keys: &[&str]) -> Result<Vec<u8>, String> {
    let mut v = Vec::with_capacity(keys.len() * 4);
    for k in keys {
        v.extend_from_slice(&m.u32(k).map_err(|e| format!("{what}.{e}"))?.unwrap_or(0).to_ne_bytes());
    }
    Ok(v)
}

/// NEWAE (with NLM_F_REPLACE, which the kernel requires): sets the values given; the state
/// must be valid (not larval). `ifId` is accepted (a get's result given back) and not sent:
/// the kernel's lookup does not read it.
pub fn encode_set(s: &Settings) -> Result<Vec<u8>, String> {
    s.check_known(SET_KEYS)?;
    let flags = addr::flags(s, "flags", FLAGS)?;
    let mut b = MsgBuilder::new(XFRM_MSG_NEWAE, NLM_F_REPLACE | NLM_F_ACK);
    b.push(&id(s, flags)?);
    let mut any = false;
    if let Some(r) = s.map("replay")? {
        r.check_known(&["oseq", "seq", "bitmap"]).map_err(|e| format!("replay: {e}"))?;
        b.attr(XFRMA_REPLAY_VAL, &u32s(r, "replay", &["oseq", "seq", "bitmap"])?);
        any = true;
    }
    if let Some(r) = s.map("replayEsn")? {
        if s.get("replay").is_some() {
            return Err("give replay or replayEsn, not both".into());
        }
        const K: [&str; 5] = ["oseq", "seq", "oseqHi", "seqHi", "replayWindow"];
        r.check_known(&["oseq", "seq", "oseqHi", "seqHi", "replayWindow", "bitmap"]).map_err(|e| format!("replayEsn: {e}"))?;
        let words = match r.get("bitmap") {
            None => Vec::new(),
            Some(Value::List(l)) if l.len() <= ESN_WORDS => l.clone(),
            Some(_) => return Err(format!("replayEsn.bitmap must be a list of at most {ESN_WORDS} 32-bit words")),
        };
        let mut v = (words.len() as u32).to_ne_bytes().to_vec();
        v.extend_from_slice(&u32s(r, "replayEsn", &K)?);
        for (i, w) in words.iter().enumerate() {
            match w {
                Value::Int(x) if (0..=u32::MAX as i64).contains(x) => v.extend_from_slice(&(*x as u32).to_ne_bytes()),
                _ => return Err(format!("replayEsn.bitmap[{i}] must be a 32-bit unsigned integer")),
            }
        }
        b.attr(XFRMA_REPLAY_ESN_VAL, &v);
        any = true;
    }
    if let Some(c) = s.map("current")? {
        c.check_known(&["bytes", "packets", "addTime", "useTime"]).map_err(|e| format!("current: {e}"))?;
        let mut v = Vec::with_capacity(CUR_LEN);
        for k in ["bytes", "packets", "addTime", "useTime"] {
            let x = c.int(k, 0, i64::MAX).map_err(|e| format!("current.{e}"))?.ok_or_else(|| format!("current.{k} is required"))?;
            v.extend_from_slice(&(x as u64).to_ne_bytes());
        }
        b.attr(XFRMA_LTIME_VAL, &v);
        any = true;
    }
    for (key, ty) in [("etimerThresh", XFRMA_ETIMER_THRESH), ("replayThresh", XFRMA_REPLAY_THRESH)] {
        if let Some(x) = s.u32(key)? {
            b.attr_u32(ty, x);
            any = true;
        }
    }
    if !any {
        return Err("give replay, replayEsn, current, replayThresh or etimerThresh".into());
    }
    mark_and_if_id(&mut b, &Settings(s.0.iter().filter(|(k, _)| k == "mark").cloned().collect()))?;
    Ok(b.finish())
}

fn words(v: &[u8], keys: &[&str]) -> Settings {
    let mut s = Settings::new();
    for (i, k) in keys.iter().enumerate() {
        s.set_int(k, u32_at(v, i * 4));
    }
    s
}

/// A NEWAE (a get's answer or an aevents notification): keys of [`encode_set`].
pub fn decode(p: &[u8]) -> Result<Settings, WireError> {
    let b: [u8; ID_LEN] = crate::wire::fixed(p);
    let family = u16_at(&b, 20);
    let a = |off: usize| -> [u8; 16] { b[off..off + 16].try_into().unwrap_or([0; 16]) };
    let mut s = Settings::new();
    s.set_str("src", addr::format(family, &a(24))).set_str("dst", addr::format(family, &a(0)));
    s.set("family", addr::family_name(family)).set("proto", name_of(XPROTOS, b[22]));
    s.set_int("spi", u32::from_be_bytes([b[16], b[17], b[18], b[19]])).set_int("reqid", u32_at(&b, 44));
    s.set("flags", addr::flag_names(u32_at(&b, 40), FLAGS));
    let rest = p.get(ID_LEN..).unwrap_or(&[]);
    for at in attrs(rest) {
        let (ty, v) = at?;
        match ty {
            XFRMA_REPLAY_VAL => {
                s.set("replay", Value::Map(words(v, &["oseq", "seq", "bitmap"])));
            }
            XFRMA_REPLAY_ESN_VAL if v.len() >= 24 => {
                let mut e = words(&v[4..], &["oseq", "seq", "oseqHi", "seqHi", "replayWindow"]);
                let n = (u32_at(v, 0) as usize).min((v.len() - 24) / 4);
                e.set("bitmap", Value::List((0..n).map(|i| Value::Int(u32_at(v, 24 + i * 4).into())).collect()));
                s.set("replayEsn", Value::Map(e));
            }
            XFRMA_LTIME_VAL => {
                s.set("current", Value::Map(decode_current(v)));
            }
            XFRMA_REPLAY_THRESH if v.len() >= 4 => {
                s.set_int("replayThresh", u32_at(v, 0));
            }
            XFRMA_ETIMER_THRESH if v.len() >= 4 => {
                s.set_int("etimerThresh", u32_at(v, 0));
            }
            _ => {}
        }
    }
    decode_attrs(&mut s, rest)?;
    Ok(s)
}
