//! States (security associations): struct xfrm_usersa_info (add/update and every state a dump,
//! get or SPI allocation returns), xfrm_usersa_id (get/delete), xfrm_userspi_info (ALLOCSPI),
//! and the attributes besides the algorithms (encap, replay, mark, if_id, offload).

use super::addr::{self, AF_INET};
use super::policy::{decode_attrs, mark_and_if_id, name_of, MODES, XPROTOS};
use super::selector::{self, CUR_LEN, LFT_LEN, SEL_LEN};
use super::*;
use crate::rtnl::settings::{Settings, Value};
use crate::wire::{attrs, u16_at, u32_at, MsgBuilder, WireError};

pub const INFO_LEN: usize = 224;
const FLAGS: &[(&str, u32)] =
    &[("noecn", 1), ("decap-dscp", 2), ("nopmtudisc", 4), ("wildrecv", 8), ("icmp", 16), ("af-unspec", 32), ("align4", 64), ("esn", 128)];
const ENCAPS: &[(&str, u16)] = &[("espinudp-nonike", 1), ("espinudp", 2), ("espintcp", 7)];
/// The replay bitmap of xfrm_usersa_info: larger windows need XFRMA_REPLAY_ESN_VAL (as `ip` does).
const REPLAY_BITS: u32 = 32;
const ESN_LEN: usize = 24;

const KEYS: &[&str] = &[
    "src",
    "dst",
    "family",
    "proto",
    "spi",
    "reqid",
    "mode",
    "replayWindow",
    "flags",
    "selector",
    "lifetime",
    "current",
    "stats",
    "seq",
    "auth",
    "crypt",
    "aead",
    "comp",
    "encap",
    "mark",
    "ctx",
    "ifId",
    "offload",
];
const ID_KEYS: &[&str] = &["src", "dst", "family", "proto", "spi", "mark"];
const SPI_KEYS: &[&str] = &["src", "dst", "family", "proto", "mode", "reqid", "seq", "min", "max", "mark", "ifId"];

/// src/dst (dst required), their family, and the IPsec protocol (required).
pub(super) fn endpoints(s: &Settings) -> Result<(u16, [u8; 16], [u8; 16], u8), String> {
    let mut family = addr::family_of(s)?;
    let dst = s.str("dst")?.ok_or("dst is required")?;
    let (f, d) = addr::parse(dst, "dst")?;
    family = Some(addr::same_family(family, f, "dst")?);
    let mut src = [0u8; 16];
    if let Some(x) = s.str("src")? {
        let (f, a) = addr::parse(x, "src")?;
        family = Some(addr::same_family(family, f, "src")?);
        src = a;
    }
    let proto = s.choice("proto", XPROTOS)?.ok_or("proto is required ('esp', 'ah', 'comp', ...)")?;
    Ok((family.unwrap_or(AF_INET), d, src, proto))
}

/// The usersa_info of an add/update (`lifetime` limits default to unlimited) or of an SPI
/// allocation (all zero but the endpoints, mode, reqid and seq, as `ip` sends it).
fn info(s: &Settings, alloc: bool) -> Result<[u8; INFO_LEN], String> {
    let (family, d, src, proto) = endpoints(s)?;
    let mut b = [0u8; INFO_LEN];
    if let Some(sel) = s.map("selector")? {
        b[..SEL_LEN].copy_from_slice(&selector::encode(sel, family)?);
    }
    b[56..72].copy_from_slice(&d);
    b[76] = proto;
    b[80..96].copy_from_slice(&src);
    if !alloc {
        b[72..76].copy_from_slice(&s.u32("spi")?.ok_or("spi is required")?.to_be_bytes());
        b[96..96 + LFT_LEN].copy_from_slice(&selector::encode_lifetime(s.map("lifetime")?)?);
    }
    b[204..208].copy_from_slice(&s.u32("seq")?.unwrap_or(0).to_ne_bytes());
    b[208..212].copy_from_slice(&s.u32("reqid")?.unwrap_or(0).to_ne_bytes());
    b[212..214].copy_from_slice(&family.to_ne_bytes());
    b[214] = s.choice("mode", MODES)?.unwrap_or(0);
    Ok(b)
}

/// NEWSA / UPDSA: the bytes `ip xfrm state add|update` sends for the same state.
pub fn encode_add(ty: u16, s: &Settings) -> Result<Vec<u8>, String> {
    s.check_known(KEYS)?;
    let mut i = info(s, false)?;
    let flags = addr::flags(s, "flags", FLAGS)?;
    let window = s.u32("replayWindow")?.unwrap_or(0);
    let esn = flags & 128 != 0 || window > REPLAY_BITS;
    if !esn {
        i[215] = window as u8;
    }
    i[216] = flags as u8;
    let mut b = MsgBuilder::new(ty, NLM_F_ACK);
    b.push(&i);
    algs::encode(&mut b, s)?;
    if let Some(e) = s.map("encap")? {
        b.attr(XFRMA_ENCAP, &encap(e).map_err(|x| format!("encap.{x}"))?);
    }
    ctx::encode(&mut b, s)?;
    if esn {
        let mut r = [0u8; ESN_LEN];
        r[..4].copy_from_slice(&window.div_ceil(REPLAY_BITS).to_ne_bytes());
        r[20..24].copy_from_slice(&window.to_ne_bytes());
        b.attr(XFRMA_REPLAY_ESN_VAL, &r);
    }
    mark_and_if_id(&mut b, s)?;
    if let Some(o) = s.map("offload")? {
        o.check_known(&["ifindex", "dir", "packet"]).map_err(|e| format!("offload: {e}"))?;
        let ifindex = o
            .int("ifindex", 1, i32::MAX as i64)
            .map_err(|e| format!("offload.{e}"))?
            .ok_or("offload.ifindex (or dev, its name) is required")?;
        let dir = o.choice("dir", &[("out", 0u8), ("in", 2)]).map_err(|e| format!("offload.{e}"))?.unwrap_or(0);
        let packet = if o.bool("packet").map_err(|e| format!("offload.{e}"))? == Some(true) { 4 } else { 0 };
        let mut v = (ifindex as i32).to_ne_bytes().to_vec();
        v.extend_from_slice(&[dir | packet, 0, 0, 0]);
        b.attr(XFRMA_OFFLOAD_DEV, &v);
    }
    Ok(b.finish())
}

/// xfrm_encap_tmpl (a state's, or a migration's).
pub(super) fn encap(e: &Settings) -> Result<[u8; 24], String> {
    e.check_known(&["type", "sport", "dport", "oa"])?;
    let mut b = [0u8; 24];
    b[..2].copy_from_slice(&e.choice("type", ENCAPS)?.ok_or("type is required ('espinudp', ...)")?.to_ne_bytes());
    b[2..4].copy_from_slice(&e.u16("sport")?.ok_or("sport is required")?.to_be_bytes());
    b[4..6].copy_from_slice(&e.u16("dport")?.ok_or("dport is required")?.to_be_bytes());
    if let Some(oa) = e.str("oa")? {
        b[8..24].copy_from_slice(&addr::parse(oa, "oa")?.1);
    }
    Ok(b)
}

pub(super) fn decode_encap(v: &[u8], family: u16) -> Settings {
    let b: [u8; 24] = crate::wire::fixed(v);
    let mut e = Settings::new();
    let ty = u16_at(&b, 0);
    e.set("type", ENCAPS.iter().find(|(_, n)| *n == ty).map_or(Value::Int(ty.into()), |(x, _)| Value::Str((*x).into())));
    e.set_int("sport", u16::from_be_bytes([b[2], b[3]])).set_int("dport", u16::from_be_bytes([b[4], b[5]]));
    e.set_str("oa", addr::format(family, &b[8..24].try_into().unwrap_or([0; 16])));
    e
}

/// GETSA / DELSA: xfrm_usersa_id, then XFRMA_SRCADDR (when `src` is given) and the mark.
pub fn encode_id(ty: u16, flags: u16, s: &Settings) -> Result<Vec<u8>, String> {
    s.check_known(ID_KEYS)?;
    let (family, d, src, proto) = endpoints(s)?;
    let mut id = [0u8; 24];
    id[..16].copy_from_slice(&d);
    id[16..20].copy_from_slice(&s.u32("spi")?.ok_or("spi is required")?.to_be_bytes());
    id[20..22].copy_from_slice(&family.to_ne_bytes());
    id[22] = proto;
    let mut b = MsgBuilder::new(ty, flags);
    b.push(&id);
    if s.get("src").is_some() {
        b.attr(XFRMA_SRCADDR, &src);
    }
    mark_and_if_id(&mut b, s)?;
    Ok(b.finish())
}

/// ALLOCSPI: an SPI in `[min, max]` (default 0x100..0x0fffffff, as `ip`), answered by the new
/// larval state.
pub fn encode_alloc(s: &Settings) -> Result<Vec<u8>, String> {
    s.check_known(SPI_KEYS)?;
    let (min, max) = (s.u32("min")?.unwrap_or(0x100), s.u32("max")?.unwrap_or(0x0fff_ffff));
    if min > max {
        return Err(format!("min must not be above max, got {min} > {max}"));
    }
    let mut b = MsgBuilder::new(XFRM_MSG_ALLOCSPI, 0);
    let mut v = info(s, true)?.to_vec();
    v.extend_from_slice(&min.to_ne_bytes());
    v.extend_from_slice(&max.to_ne_bytes());
    b.push(&v);
    mark_and_if_id(&mut b, s)?;
    Ok(b.finish())
}

/// FLUSHSA: every state, or those of one protocol.
pub fn encode_flush(s: &Settings) -> Result<Vec<u8>, String> {
    s.check_known(&["proto"])?;
    let mut b = MsgBuilder::new(XFRM_MSG_FLUSHSA, NLM_F_ACK);
    b.push(&[s.choice("proto", XPROTOS)?.unwrap_or(0)]);
    let mut m = b.finish();
    // nlmsg_len counts the 1-byte struct without its padding, as `ip` sends it (the padding
    // stays in the buffer so the next message of a batch is aligned).
    m[..4].copy_from_slice(&17u32.to_ne_bytes());
    Ok(m)
}

/// One state: xfrm_usersa_info then attributes. Keys of [`encode_add`], plus `current`,
/// `stats` (replayWindow, replay, integrityFailed) and `seq`.
pub fn decode(payload: &[u8]) -> Result<Settings, WireError> {
    let i: [u8; INFO_LEN] = crate::wire::fixed(payload);
    let family = u16_at(&i, 212);
    let a = |off: usize| -> [u8; 16] { i[off..off + 16].try_into().unwrap_or([0; 16]) };
    let mut s = Settings::new();
    s.set_str("src", addr::format(family, &a(80))).set_str("dst", addr::format(family, &a(56)));
    s.set("family", addr::family_name(family)).set("proto", name_of(XPROTOS, i[76]));
    s.set_int("spi", u32::from_be_bytes([i[72], i[73], i[74], i[75]])).set_int("reqid", u32_at(&i, 208));
    s.set("mode", name_of(MODES, i[214])).set_int("replayWindow", i[215]);
    s.set("flags", addr::flag_names(i[216].into(), FLAGS));
    // A state added without a selector has an all-zero one (family 0): left out, as given.
    if u16_at(&i, 40) != 0 {
        s.set("selector", Value::Map(selector::decode(&i[..SEL_LEN])));
    }
    s.set("lifetime", Value::Map(selector::decode_lifetime(&i[96..96 + LFT_LEN])));
    s.set("current", Value::Map(selector::decode_current(&i[160..160 + CUR_LEN])));
    let mut st = Settings::new();
    st.set_int("replayWindow", u32_at(&i, 192)).set_int("replay", u32_at(&i, 196)).set_int("integrityFailed", u32_at(&i, 200));
    s.set("stats", Value::Map(st)).set_int("seq", u32_at(&i, 204));
    let rest = payload.get(INFO_LEN..).unwrap_or(&[]);
    for at in attrs(rest) {
        let (ty, v) = at?;
        match ty {
            XFRMA_ALG_AUTH if s.get("auth").is_none() => algs::set(&mut s, "auth", v, None),
            XFRMA_ALG_AUTH_TRUNC => algs::set(&mut s, "auth", v, Some("truncLen")),
            XFRMA_ALG_CRYPT => algs::set(&mut s, "crypt", v, None),
            XFRMA_ALG_AEAD => algs::set(&mut s, "aead", v, Some("icvLen")),
            XFRMA_ALG_COMP => algs::set(&mut s, "comp", v, None),
            XFRMA_ENCAP if v.len() >= 6 => {
                s.set("encap", Value::Map(decode_encap(v, family)));
            }
            XFRMA_REPLAY_ESN_VAL if v.len() >= ESN_LEN => {
                s.set_int("replayWindow", u32_at(v, 20));
            }
            XFRMA_OFFLOAD_DEV if v.len() >= 5 => {
                let mut o = Settings::new();
                o.set_int("ifindex", u32_at(v, 0) as i32).set_str("dir", if v[4] & 2 != 0 { "in" } else { "out" });
                if v[4] & 4 != 0 {
                    o.set_bool("packet", true);
                }
                s.set("offload", Value::Map(o));
            }
            _ => {}
        }
    }
    decode_attrs(&mut s, rest)?;
    Ok(s)
}
