//! htb, the hierarchical token bucket: the qdisc (`struct tc_htb_glob` in TCA_HTB_INIT, the
//! direct queue's length, offload) and its classes (`struct tc_htb_opt` with the rate and ceil
//! ratespecs and buffers in ticks, their rate tables, 64-bit rates), as iproute2 6.1's q_htb.c
//! encodes them.

use super::shaping::{self, bits, put_ratespec, read_ratespec};
use crate::rtnl::settings::{Settings, Value};
use crate::rtnl::tc::kind::{Ctx, Role, TcKind};
use crate::rtnl::tc::psched::{self, ratespec, rtable, table_bytes, xmitsize, xmittime};
use crate::rtnl::tc::{units, TCA_OPTIONS};
use crate::wire::{attr_u32, attr_u64, attrs, u32_at, MsgBuilder};

const TCA_HTB_PARMS: u16 = 1;
const TCA_HTB_INIT: u16 = 2;
const TCA_HTB_CTAB: u16 = 3;
const TCA_HTB_RTAB: u16 = 4;
const TCA_HTB_DIRECT_QLEN: u16 = 5;
const TCA_HTB_RATE64: u16 = 6;
const TCA_HTB_CEIL64: u16 = 7;
const TCA_HTB_OFFLOAD: u16 = 9;

/// TC_HTB_PROTOVER, what tc puts in `tc_htb_glob.version`.
const HTB_VERSION: u32 = 3;
const OPT_LEN: usize = 44; // struct tc_htb_opt

pub struct HtbQdisc;
pub struct HtbClass;

pub static HTB: HtbQdisc = HtbQdisc;
pub static HTB_CLASS: HtbClass = HtbClass;

/// `default`: a class minor that tc reads as hex (`'10'`, `'0x10'`), or a number (its value).
pub(super) fn default_class(s: &Settings) -> Result<u32, String> {
    match s.get("default") {
        None => Ok(0),
        Some(Value::Str(t)) => {
            let h = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")).unwrap_or(t);
            u32::from_str_radix(h, 16).map_err(|_| format!("default: {t:?} is not a class minor in hex ('10', '0x10')"))
        }
        Some(_) => s.u32("default").map(Option::unwrap_or_default),
    }
}

impl TcKind for HtbQdisc {
    fn role(&self) -> Role {
        Role::Qdisc
    }
    fn kind(&self) -> &'static str {
        "htb"
    }
    fn keys(&self) -> &'static [&'static str] {
        &["default", "r2q", "directQlen", "offload"]
    }
    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _cx: &Ctx) -> Result<(), String> {
        let defcls = default_class(s)?;
        let r2q = s.u32("r2q")?.unwrap_or(10);
        let direct_qlen = s.u32("directQlen")?;
        let offload = s.bool("offload")?.unwrap_or(false);
        let mut glob = Vec::with_capacity(20);
        for w in [HTB_VERSION, r2q, defcls, 0, 0] {
            glob.extend_from_slice(&w.to_ne_bytes()); // version, rate2quantum, defcls, debug, direct_pkts
        }
        let nest = b.nest_start_plain(TCA_OPTIONS);
        b.attr(TCA_HTB_INIT, &glob);
        if let Some(q) = direct_qlen {
            b.attr_u32(TCA_HTB_DIRECT_QLEN, q);
        }
        if offload {
            b.attr(TCA_HTB_OFFLOAD, &[]);
        }
        b.nest_end(nest);
        Ok(())
    }
    fn decode(&self, o: &[u8]) -> Settings {
        let mut s = Settings::new();
        for (ty, v) in attrs(o).map_while(Result::ok) {
            match ty {
                TCA_HTB_INIT if v.len() >= 20 => {
                    s.set_str("default", format!("0x{:x}", u32_at(v, 8)));
                    s.set_int("r2q", u32_at(v, 4));
                }
                TCA_HTB_DIRECT_QLEN => {
                    if let Some(q) = attr_u32(v) {
                        s.set_int("directQlen", q);
                    }
                }
                TCA_HTB_OFFLOAD => {
                    s.set_bool("offload", true);
                }
                _ => {}
            }
        }
        s
    }
}

impl TcKind for HtbClass {
    fn role(&self) -> Role {
        Role::Class
    }
    fn kind(&self) -> &'static str {
        "htb"
    }
    fn keys(&self) -> &'static [&'static str] {
        &["rate", "ceil", "burst", "cburst", "prio", "quantum", "mtu", "mpu", "overhead", "linklayer"]
    }
    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _cx: &Ctx) -> Result<(), String> {
        let rate64 = shaping::rate_bytes(s, "rate")?.filter(|r| *r > 0).ok_or("rate is required (and not 0)")?;
        let ceil64 = shaping::rate_bytes(s, "ceil")?.filter(|r| *r > 0).unwrap_or(rate64);
        let (burst, cell_log) = shaping::size_and_cell(s, "burst")?;
        let (cburst, ccell_log) = shaping::size_and_cell(s, "cburst")?;
        let prio = s.u32("prio")?.unwrap_or(0);
        let quantum = s.u32("quantum")?.unwrap_or(0);
        let mtu = units::size(s, "mtu", u32::MAX as u64)?.map_or(1600, |v| v as u32);
        let mpu = shaping::u16_size(s, "mpu")?;
        let overhead = shaping::u16_size(s, "overhead")?;
        let ll = shaping::linklayer(s)?;
        // tc's minimal burst: a tick's worth of bytes at the rate, plus one mtu (u32 arithmetic).
        let hz = psched::hz();
        let buffer = burst.filter(|b| *b > 0).unwrap_or((rate64 / hz).wrapping_add(mtu as u64) as u32);
        let cbuffer = cburst.filter(|b| *b > 0).unwrap_or((ceil64 / hz).wrapping_add(mtu as u64) as u32);
        // The tables are computed from the u32 rate in the ratespec, the buffers from the 64-bit one.
        let clamp = |r: u64| r.min(u32::MAX as u64);
        let (rtab, rlog) = rtable(clamp(rate64), cell_log, mtu, mpu as u32, ll);
        let (ctab, clog) = rtable(clamp(ceil64), ccell_log, mtu, mpu as u32, ll);
        let mut opt = Vec::with_capacity(OPT_LEN);
        opt.extend_from_slice(&ratespec(rlog, ll, overhead, mpu, rate64));
        opt.extend_from_slice(&ratespec(clog, ll, overhead, mpu, ceil64));
        for w in [xmittime(rate64, buffer), xmittime(ceil64, cbuffer), quantum, 0, prio] {
            opt.extend_from_slice(&w.to_ne_bytes()); // buffer, cbuffer, quantum, level, prio
        }
        let nest = b.nest_start_plain(TCA_OPTIONS);
        if rate64 > u32::MAX as u64 {
            b.attr(TCA_HTB_RATE64, &rate64.to_ne_bytes());
        }
        if ceil64 > u32::MAX as u64 {
            b.attr(TCA_HTB_CEIL64, &ceil64.to_ne_bytes());
        }
        b.attr(TCA_HTB_PARMS, &opt);
        b.attr(TCA_HTB_RTAB, &table_bytes(&rtab));
        b.attr(TCA_HTB_CTAB, &table_bytes(&ctab));
        b.nest_end(nest);
        Ok(())
    }
    fn decode(&self, o: &[u8]) -> Settings {
        let (mut parms, mut rate64, mut ceil64) = (None, None, None);
        for (ty, v) in attrs(o).map_while(Result::ok) {
            match ty {
                TCA_HTB_PARMS if v.len() >= OPT_LEN => parms = Some(v),
                TCA_HTB_RATE64 => rate64 = attr_u64(v),
                TCA_HTB_CEIL64 => ceil64 = attr_u64(v),
                _ => {}
            }
        }
        let mut s = Settings::new();
        let Some(p) = parms else { return s };
        let (rate, ceil) = (read_ratespec(p, 0), read_ratespec(p, 12));
        let (r, c) = (rate64.unwrap_or(rate.rate as u64), ceil64.unwrap_or(ceil.rate as u64));
        s.set_int("rate", bits(rate.rate, rate64)).set_int("ceil", bits(ceil.rate, ceil64));
        // The buffers back in bytes, as tc prints them (tc_calc_xmitsize of the ticks).
        s.set_int("burst", xmitsize(r, u32_at(p, 24))).set_int("cburst", xmitsize(c, u32_at(p, 28)));
        s.set_int("prio", u32_at(p, 40)).set_int("quantum", u32_at(p, 32));
        put_ratespec(&mut s, &rate);
        s
    }
    fn xstats(&self, x: &[u8]) -> Settings {
        // struct tc_htb_xstats, with tc -s's names.
        let mut s = Settings::new();
        if x.len() >= 20 {
            s.set_int("lended", u32_at(x, 0)).set_int("borrowed", u32_at(x, 4)).set_int("giants", u32_at(x, 8));
            s.set_int("tokens", u32_at(x, 12) as i32).set_int("ctokens", u32_at(x, 16) as i32);
        }
        s
    }
}

#[cfg(test)]
#[path = "htb_tests.rs"]
mod tests;
