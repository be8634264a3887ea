//! seg6 (SRv6: encapsulate in an outer IPv6 header with a segment routing header, or insert
//! one inline) and seg6local (what a local SRv6 segment does: End, End.X, End.DT6, ...).

use std::net::Ipv6Addr;
use std::os::fd::OwnedFd;

use super::{int, list, v4, v6};
use crate::rtnl::settings::{Settings, Value};
use crate::wire::{attrs, fixed, u32_at, MsgBuilder};

pub(super) const KEYS: &[&str] = &["type", "mode", "segments", "hmac"];
/// `counters` is what the kernel reports for `count`: accepted back and not sent.
pub(super) const LOCAL_KEYS: &[&str] = &[
    "type", "action", "table", "vrftable", "nh4", "nh6", "iif", "oif", "segments", "hmac", "count", "counters", "flavors", "lblen",
    "nflen", "endpoint",
];

/// The most segments one SRH takes here (its length must fit hdrlen's byte).
pub const MAX_SEGMENTS: usize = 64;

const SEG6_IPTUNNEL_SRH: u16 = 1;
const MODE_INLINE: u32 = 0;
const MODES: &[(&str, u32)] = &[("inline", 0), ("encap", 1), ("l2encap", 2), ("encap.red", 3), ("l2encap.red", 4)];
const SR6_FLAG1_HMAC: u8 = 1 << 3;
const SR6_TLV_HMAC: u8 = 5;
const HMAC_TLV_LEN: usize = 40;

const SEG6_LOCAL_ACTION: u16 = 1;
const SEG6_LOCAL_SRH: u16 = 2;
const SEG6_LOCAL_TABLE: u16 = 3;
const SEG6_LOCAL_NH4: u16 = 4;
const SEG6_LOCAL_NH6: u16 = 5;
const SEG6_LOCAL_IIF: u16 = 6;
const SEG6_LOCAL_OIF: u16 = 7;
const SEG6_LOCAL_BPF: u16 = 8;
const SEG6_LOCAL_VRFTABLE: u16 = 9;
const SEG6_LOCAL_COUNTERS: u16 = 10;
const SEG6_LOCAL_FLAVORS: u16 = 11;
const SEG6_LOCAL_CNT_PACKETS: u16 = 2;
const SEG6_LOCAL_CNT_BYTES: u16 = 3;
const SEG6_LOCAL_CNT_ERRORS: u16 = 4;
const SEG6_LOCAL_FLV_OPERATION: u16 = 1;
const SEG6_LOCAL_FLV_LCBLOCK_BITS: u16 = 2;
const SEG6_LOCAL_FLV_LCNODE_FN_BITS: u16 = 3;
/// SEG6_LOCAL_FLV_OP_* bit numbers, as ip names them.
const FLAVORS: &[(&str, u32)] = &[("psp", 1), ("usp", 2), ("usd", 3), ("next-csid", 4)];
const END_B6_ENCAPS: u32 = 10;
const END_BPF: u32 = 15;
pub const ACTIONS: &[(&str, u32)] = &[
    ("End", 1),
    ("End.X", 2),
    ("End.T", 3),
    ("End.DX2", 4),
    ("End.DX6", 5),
    ("End.DX4", 6),
    ("End.DT6", 7),
    ("End.DT4", 8),
    ("End.B6", 9),
    ("End.B6.Encaps", 10),
    ("End.BM", 11),
    ("End.S", 12),
    ("End.AS", 13),
    ("End.AM", 14),
    ("End.BPF", 15),
    ("End.DT46", 16),
];

/// An SRH as iproute2 builds it: the segments last to first, and a zero placeholder in slot 0
/// where the kernel puts the packet's own destination (inline insertion, End.B6).
fn srh(segments: &[Ipv6Addr], hmac: u32, placeholder: bool) -> Vec<u8> {
    let n = segments.len() + placeholder as usize;
    let len = 8 + 16 * n + if hmac != 0 { HMAC_TLV_LEN } else { 0 };
    let mut h = vec![0u8; len];
    h[1] = ((len >> 3) - 1) as u8;
    h[2] = 4; // routing type 4: segment routing
    h[3] = (n - 1) as u8; // segments left
    h[4] = (n - 1) as u8; // first segment
    for (i, seg) in segments.iter().enumerate() {
        let at = 8 + 16 * (n - 1 - i);
        h[at..at + 16].copy_from_slice(&seg.octets());
    }
    if hmac != 0 {
        h[5] = SR6_FLAG1_HMAC;
        let t = len - HMAC_TLV_LEN;
        h[t] = SR6_TLV_HMAC;
        h[t + 1] = 38;
        h[t + 4..t + 8].copy_from_slice(&hmac.to_be_bytes());
    }
    h
}

fn decode_srh(h: &[u8], placeholder: bool, s: &mut Settings) {
    if h.len() < 8 {
        return;
    }
    let mut segs = Vec::new();
    for i in (0..=h[4] as usize).rev() {
        let Some(b) = h.get(8 + 16 * i..8 + 16 * (i + 1)) else { continue };
        let a = Ipv6Addr::from(fixed::<16>(b));
        if !(i == 0 && placeholder && a.is_unspecified()) {
            segs.push(Value::Str(a.to_string()));
        }
    }
    s.set("segments", Value::List(segs));
    if h[5] & SR6_FLAG1_HMAC != 0 {
        let tlv = ((h[1] as usize + 1) << 3).checked_sub(HMAC_TLV_LEN).and_then(|o| h.get(o + 4..o + 8));
        if let Some(k) = tlv {
            s.set_int("hmac", u32::from_be_bytes(fixed(k)));
        }
    }
}

fn segments(s: &Settings) -> Result<Option<Vec<Ipv6Addr>>, String> {
    let l = list(s, "segments", "an IPv6 address", |v| match v {
        Value::Str(a) => a.parse().ok(),
        _ => None,
    })?;
    match &l {
        Some(v) if v.is_empty() || v.len() > MAX_SEGMENTS => Err(format!("encap.segments takes 1 to {MAX_SEGMENTS} addresses")),
        _ => Ok(l),
    }
}

fn hmac(s: &Settings) -> Result<u32, String> {
    Ok(int(s, "hmac", 0, u32::MAX as i64)?.unwrap_or(0) as u32)
}

pub(super) fn encode(s: &Settings, b: &mut MsgBuilder) -> Result<(), String> {
    let mode = s.choice("mode", MODES).map_err(|e| format!("encap.{e}"))?.ok_or("encap.mode is missing")?;
    let segs = segments(s)?.ok_or("encap.segments is missing")?;
    let mut v = mode.to_ne_bytes().to_vec(); // struct seg6_iptunnel_encap: int mode, then the SRH
    v.extend(srh(&segs, hmac(s)?, mode == MODE_INLINE));
    b.attr(SEG6_IPTUNNEL_SRH, &v);
    Ok(())
}

pub(super) fn decode(v: &[u8], s: &mut Settings) {
    let Some((_, t)) = attrs(v).map_while(Result::ok).find(|(ty, _)| *ty == SEG6_IPTUNNEL_SRH) else { return };
    if t.len() < 4 {
        return;
    }
    let mode = u32_at(t, 0);
    match MODES.iter().find(|(_, m)| *m == mode) {
        Some((n, _)) => s.set_str("mode", *n),
        None => s.set_int("mode", mode),
    };
    decode_srh(&t[4..], mode == MODE_INLINE, s);
}

pub(super) fn encode_local(s: &Settings, b: &mut MsgBuilder, keep: &mut Vec<OwnedFd>) -> Result<(), String> {
    let action = s.choice("action", ACTIONS).map_err(|e| format!("encap.{e}"))?.ok_or("encap.action is missing")?;
    b.attr_u32(SEG6_LOCAL_ACTION, action);
    // End.BPF's program, where `ip ... action End.BPF endpoint pinned PATH` puts it: next.
    match s.map("endpoint").map_err(|e| format!("encap.{e}"))? {
        Some(p) if action == END_BPF => super::bpf::encode_prog(p, "encap.endpoint", SEG6_LOCAL_BPF, b, keep)?,
        Some(_) => return Err("encap.endpoint goes with action End.BPF".into()),
        None if action == END_BPF => return Err("encap.endpoint (the End.BPF program: { pinned } or { fd }) is missing".into()),
        None => {}
    }
    for (key, ty) in [("table", SEG6_LOCAL_TABLE), ("vrftable", SEG6_LOCAL_VRFTABLE)] {
        if let Some(t) = int(s, key, 1, u32::MAX as i64)? {
            b.attr_u32(ty, t as u32);
        }
    }
    if let Some(a) = v4(s, "nh4")? {
        b.attr(SEG6_LOCAL_NH4, &a.octets());
    }
    if let Some(a) = v6(s, "nh6")? {
        b.attr(SEG6_LOCAL_NH6, &a.octets());
    }
    for (key, ty) in [("iif", SEG6_LOCAL_IIF), ("oif", SEG6_LOCAL_OIF)] {
        if let Some(i) = int(s, key, 1, i32::MAX as i64)? {
            b.attr_u32(ty, i as u32);
        }
    }
    match segments(s)? {
        Some(segs) => {
            b.attr(SEG6_LOCAL_SRH, &srh(&segs, hmac(s)?, action != END_B6_ENCAPS));
        }
        None if s.get("hmac").is_some() => return Err("encap.hmac goes with encap.segments".into()),
        None => {}
    }
    // `count`: ask for per-route counters (iproute2 sends the three zeroed).
    if s.bool("count").map_err(|e| format!("encap.{e}"))? == Some(true) {
        let n = b.nest_start(SEG6_LOCAL_COUNTERS);
        for ty in [SEG6_LOCAL_CNT_PACKETS, SEG6_LOCAL_CNT_BYTES, SEG6_LOCAL_CNT_ERRORS] {
            b.attr(ty, &0u64.to_ne_bytes());
        }
        b.nest_end(n);
    }
    let flavors = super::list(s, "flavors", "flavor names", |v| match v {
        Value::Str(n) => FLAVORS.iter().find(|(f, _)| f == n).map(|(_, bit)| *bit),
        _ => None,
    })?;
    let (lblen, nflen) = (int(s, "lblen", 1, 255)?, int(s, "nflen", 1, 255)?);
    if let Some(f) = flavors {
        let n = b.nest_start(SEG6_LOCAL_FLAVORS);
        b.attr_u32(SEG6_LOCAL_FLV_OPERATION, f.iter().fold(0, |m, bit| m | 1 << bit));
        if let Some(l) = lblen {
            b.attr(SEG6_LOCAL_FLV_LCBLOCK_BITS, &[l as u8]);
        }
        if let Some(l) = nflen {
            b.attr(SEG6_LOCAL_FLV_LCNODE_FN_BITS, &[l as u8]);
        }
        b.nest_end(n);
    } else if lblen.is_some() || nflen.is_some() {
        return Err("encap.lblen and encap.nflen go with encap.flavors".into());
    }
    Ok(())
}

fn decode_flavors(v: &[u8], s: &mut Settings) {
    for (ty, a) in attrs(v).map_while(Result::ok) {
        match ty {
            SEG6_LOCAL_FLV_OPERATION if a.len() >= 4 => {
                let ops = u32_at(a, 0);
                let names = FLAVORS.iter().filter(|(_, bit)| ops & (1 << bit) != 0).map(|(n, _)| Value::Str(n.to_string()));
                s.set("flavors", Value::List(names.collect()));
            }
            SEG6_LOCAL_FLV_LCBLOCK_BITS if !a.is_empty() => {
                s.set_int("lblen", a[0]);
            }
            SEG6_LOCAL_FLV_LCNODE_FN_BITS if !a.is_empty() => {
                s.set_int("nflen", a[0]);
            }
            _ => {}
        }
    }
}

/// The counters the kernel keeps for a route asked to `count` (`ip -s route`).
fn decode_counters(v: &[u8], s: &mut Settings) {
    s.set_bool("count", true);
    let mut c = Settings::new();
    for (ty, a) in attrs(v).map_while(Result::ok) {
        let key = match ty {
            SEG6_LOCAL_CNT_PACKETS => "packets",
            SEG6_LOCAL_CNT_BYTES => "bytes",
            SEG6_LOCAL_CNT_ERRORS => "errors",
            _ => continue,
        };
        if let Some(b) = a.get(..8) {
            c.set_int(key, u64::from_ne_bytes(b.try_into().unwrap_or_default()).min(i64::MAX as u64) as i64);
        }
    }
    s.set("counters", Value::Map(c));
}

pub(super) fn decode_local(v: &[u8], s: &mut Settings) {
    let mut action = 0;
    for (ty, a) in attrs(v).map_while(Result::ok) {
        match ty {
            SEG6_LOCAL_ACTION if a.len() >= 4 => {
                action = u32_at(a, 0);
                match ACTIONS.iter().find(|(_, x)| *x == action) {
                    Some((n, _)) => s.set_str("action", *n),
                    None => s.set_int("action", action),
                };
            }
            SEG6_LOCAL_SRH => decode_srh(a, action != END_B6_ENCAPS, s),
            SEG6_LOCAL_TABLE | SEG6_LOCAL_VRFTABLE | SEG6_LOCAL_IIF | SEG6_LOCAL_OIF if a.len() >= 4 => {
                let key = match ty {
                    SEG6_LOCAL_TABLE => "table",
                    SEG6_LOCAL_VRFTABLE => "vrftable",
                    SEG6_LOCAL_IIF => "iif",
                    _ => "oif",
                };
                s.set_int(key, u32_at(a, 0));
            }
            SEG6_LOCAL_NH4 if a.len() == 4 => {
                s.set_str("nh4", std::net::Ipv4Addr::from(fixed::<4>(a)).to_string());
            }
            SEG6_LOCAL_NH6 if a.len() == 16 => {
                s.set_str("nh6", Ipv6Addr::from(fixed::<16>(a)).to_string());
            }
            SEG6_LOCAL_FLAVORS => decode_flavors(a, s),
            SEG6_LOCAL_COUNTERS => decode_counters(a, s),
            SEG6_LOCAL_BPF => {
                s.set("endpoint", super::bpf::decode_prog(a));
            }
            _ => {}
        }
    }
}
