//! ioam6: IPv6 in-situ OAM, a pre-allocated trace option inserted inline or in an outer header
//! (`encap ioam6 [freq K/N] [mode inline|encap|auto] [tundst ADDR] trace prealloc type T ns N
//! size S`).

use super::{int, v6};
use crate::rtnl::settings::Settings;
use crate::wire::{attr_u32, attr_u8, attrs, fixed, u16_at, MsgBuilder};

pub(super) const KEYS: &[&str] = &["type", "mode", "tundst", "freqk", "freqn", "traceType", "ns", "size"];

const IOAM6_IPTUNNEL_MODE: u16 = 1;
const IOAM6_IPTUNNEL_DST: u16 = 2;
const IOAM6_IPTUNNEL_TRACE: u16 = 3;
const IOAM6_IPTUNNEL_FREQ_K: u16 = 4;
const IOAM6_IPTUNNEL_FREQ_N: u16 = 5;
const MODE_INLINE: u8 = 1;
const MODES: &[(&str, u8)] = &[("inline", 1), ("encap", 2), ("auto", 3)];
/// IOAM6_IPTUNNEL_FREQ_MAX and IOAM6_TRACE_DATA_SIZE_MAX.
pub const FREQ_MAX: i64 = 1_000_000;
pub const SIZE_MAX: i64 = 244;

pub(super) fn encode(s: &Settings, b: &mut MsgBuilder) -> Result<(), String> {
    let mode = s.choice("mode", MODES).map_err(|e| format!("encap.{e}"))?.unwrap_or(MODE_INLINE);
    let dst = v6(s, "tundst")?;
    match (mode == MODE_INLINE, dst.is_some()) {
        (true, true) => return Err("encap.tundst is for modes encap and auto".into()),
        (false, false) => return Err("encap.tundst is missing (modes encap and auto need it)".into()),
        _ => {}
    }
    let k = int(s, "freqk", 1, FREQ_MAX)?.unwrap_or(1);
    let n = int(s, "freqn", 1, FREQ_MAX)?.unwrap_or(1);
    if k > n {
        return Err("encap.freqk must not exceed encap.freqn".into());
    }
    let trace_type = int(s, "traceType", 1, 0xff_ffff)?.ok_or("encap.traceType is missing")? as u32;
    let ns = int(s, "ns", 0, u16::MAX as i64)?.ok_or("encap.ns is missing")? as u16;
    let size = int(s, "size", 4, SIZE_MAX)?.ok_or("encap.size is missing")?;
    if size % 4 != 0 {
        return Err("encap.size must be a multiple of 4".into());
    }
    b.attr_u32(IOAM6_IPTUNNEL_FREQ_K, k as u32).attr_u32(IOAM6_IPTUNNEL_FREQ_N, n as u32);
    b.attr_u8(IOAM6_IPTUNNEL_MODE, mode);
    if let Some(d) = dst {
        b.attr(IOAM6_IPTUNNEL_DST, &d.octets());
    }
    // struct ioam6_trace_hdr: namespace id (be16), nodelen/overflow 0, remaining length in
    // 4-octet units, then the trace type in the top 24 bits of a be32.
    let mut t = [0u8; 8];
    t[..2].copy_from_slice(&ns.to_be_bytes());
    t[3] = (size / 4) as u8;
    t[4..].copy_from_slice(&(trace_type << 8).to_be_bytes());
    b.attr(IOAM6_IPTUNNEL_TRACE, &t);
    Ok(())
}

pub(super) fn decode(v: &[u8], s: &mut Settings) {
    for (ty, a) in attrs(v).map_while(Result::ok) {
        match ty {
            IOAM6_IPTUNNEL_MODE => {
                if let Some(m) = attr_u8(a) {
                    match MODES.iter().find(|(_, x)| *x == m) {
                        Some((name, _)) => s.set_str("mode", *name),
                        None => s.set_int("mode", m),
                    };
                }
            }
            IOAM6_IPTUNNEL_DST if a.len() == 16 => {
                s.set_str("tundst", std::net::Ipv6Addr::from(fixed::<16>(a)).to_string());
            }
            IOAM6_IPTUNNEL_FREQ_K | IOAM6_IPTUNNEL_FREQ_N => {
                if let Some(f) = attr_u32(a) {
                    s.set_int(if ty == IOAM6_IPTUNNEL_FREQ_K { "freqk" } else { "freqn" }, f);
                }
            }
            IOAM6_IPTUNNEL_TRACE if a.len() >= 8 => {
                s.set_int("traceType", u32::from_be_bytes(fixed(&a[4..8])) >> 8);
                s.set_int("ns", u16::from_be(u16_at(a, 0)));
                s.set_int("size", (a[3] & 0x7f) as i64 * 4);
            }
            _ => {}
        }
    }
}
