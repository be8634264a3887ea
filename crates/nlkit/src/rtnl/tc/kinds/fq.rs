//! fq, the fair queue packet scheduler (per-flow pacing): one attribute per option in
//! TCA_OPTIONS, as iproute2 6.1's q_fq.c sends them (in its order, only those given) and the
//! kernel's fq_dump writes them back. Rates are sent in bytes per second (u32), times in µs, the
//! timer slack in ns; buckets as their log2 (rounded up, as tc does). Extended statistics are
//! `struct tc_fq_qd_stats`.

use super::fq_codel::time_u32;
use super::shaping;
use crate::rtnl::settings::{Settings, Value};
use crate::rtnl::tc::kind::{Ctx, Role, TcKind};
use crate::rtnl::tc::{units, TCA_OPTIONS};
use crate::wire::{attr_u32, attr_u64, attr_u8, attrs, u32_at, MsgBuilder};

const PLIMIT: u16 = 1;
const FLOW_PLIMIT: u16 = 2;
const QUANTUM: u16 = 3;
const INITIAL_QUANTUM: u16 = 4;
const RATE_ENABLE: u16 = 5;
const FLOW_MAX_RATE: u16 = 7;
const BUCKETS_LOG: u16 = 8;
const FLOW_REFILL_DELAY: u16 = 9;
const ORPHAN_MASK: u16 = 10;
const LOW_RATE_THRESHOLD: u16 = 11;
const CE_THRESHOLD: u16 = 12;
const TIMER_SLACK: u16 = 13;
const HORIZON: u16 = 14;
const HORIZON_DROP: u16 = 15;
/// What the kernel reports for "no limit" (maxrate) and "off" (ce_threshold).
const NONE: u32 = u32::MAX;

pub struct Fq;
pub static FQ: Fq = Fq;

/// A rate option sent as u32 bytes per second (tc's get_rate refuses more).
fn rate_u32(s: &Settings, key: &str) -> Result<Option<u32>, String> {
    match shaping::rate_bytes(s, key)? {
        Some(r) if r > u32::MAX as u64 => Err(format!("{key} must be at most {} bits per second", u32::MAX as u64 * 8)),
        r => Ok(r.map(|r| r as u32)),
    }
}

/// tc's ilog2: the log2 of the power of two at or above `v`.
fn ilog2_up(v: u32) -> u32 {
    32 - (v - 1).leading_zeros()
}

/// A time in ns read back as µs (a fraction when not whole), the unit the option takes.
fn ns_as_us(ns: u32) -> Value {
    if ns.is_multiple_of(1000) {
        Value::Int((ns / 1000) as i64)
    } else {
        Value::Float(ns as f64 / 1000.0)
    }
}

impl TcKind for Fq {
    fn role(&self) -> Role {
        Role::Qdisc
    }
    fn kind(&self) -> &'static str {
        "fq"
    }
    fn keys(&self) -> &'static [&'static str] {
        &[
            "limit",
            "flowLimit",
            "quantum",
            "initialQuantum",
            "maxrate",
            "buckets",
            "orphanMask",
            "pacing",
            "refillDelay",
            "lowRateThreshold",
            "ceThreshold",
            "timerSlack",
            "horizon",
            "horizonDrop",
        ]
    }
    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _cx: &Ctx) -> Result<(), String> {
        let buckets = match s.int("buckets", 0, 1 << 31)? {
            Some(n) if n > 0 => Some(ilog2_up(n as u32)),
            _ => None,
        };
        let size = |key: &str| Ok::<_, String>(units::size(s, key, u32::MAX as u64)?.map(|v| v as u32));
        // In ns, rounded (tc truncates its double: `1.001us` would be 1000ns there).
        let slack = units::time_exact(s, "timerSlack", u32::MAX as f64 / 1000.0)?.map(|us| (us * 1000.0).round() as u32);
        let words = [
            (BUCKETS_LOG, buckets),
            (PLIMIT, s.u32("limit")?),
            (FLOW_PLIMIT, s.u32("flowLimit")?),
            (QUANTUM, size("quantum")?),
            (INITIAL_QUANTUM, size("initialQuantum")?),
            (RATE_ENABLE, s.bool("pacing")?.map(u32::from)),
            (FLOW_MAX_RATE, rate_u32(s, "maxrate")?),
            (LOW_RATE_THRESHOLD, rate_u32(s, "lowRateThreshold")?),
            (FLOW_REFILL_DELAY, time_u32(s, "refillDelay")?),
            (ORPHAN_MASK, s.u32("orphanMask")?),
            (CE_THRESHOLD, time_u32(s, "ceThreshold")?),
            (TIMER_SLACK, slack),
            (HORIZON, time_u32(s, "horizon")?),
        ];
        let drop = s.bool("horizonDrop")?;
        let nest = b.nest_start_plain(TCA_OPTIONS);
        for (ty, v) in words {
            if let Some(v) = v {
                b.attr_u32(ty, v);
            }
        }
        if let Some(d) = drop {
            b.attr_u8(HORIZON_DROP, d as u8);
        }
        b.nest_end(nest);
        Ok(())
    }
    fn decode(&self, o: &[u8]) -> Settings {
        let mut s = Settings::new();
        for (ty, v) in attrs(o).map_while(Result::ok) {
            if ty == HORIZON_DROP {
                if let Some(d) = attr_u8(v) {
                    s.set_bool("horizonDrop", d != 0);
                }
                continue;
            }
            let Some(n) = attr_u32(v) else { continue };
            match ty {
                PLIMIT => s.set_int("limit", n),
                FLOW_PLIMIT => s.set_int("flowLimit", n),
                BUCKETS_LOG if n < 32 => s.set_int("buckets", 1u32 << n),
                ORPHAN_MASK => s.set_int("orphanMask", n),
                RATE_ENABLE => s.set_bool("pacing", n != 0),
                QUANTUM => s.set_int("quantum", n),
                INITIAL_QUANTUM => s.set_int("initialQuantum", n),
                FLOW_MAX_RATE if n != NONE => s.set_int("maxrate", n as i64 * 8),
                LOW_RATE_THRESHOLD => s.set_int("lowRateThreshold", n as i64 * 8),
                FLOW_REFILL_DELAY => s.set_int("refillDelay", n),
                CE_THRESHOLD if n != NONE => s.set_int("ceThreshold", n),
                TIMER_SLACK => s.set("timerSlack", ns_as_us(n)),
                HORIZON => s.set_int("horizon", n),
                _ => continue,
            };
        }
        s
    }
    fn xstats(&self, x: &[u8]) -> Settings {
        // struct tc_fq_qd_stats, a shorter one read as zeros past its end (as tc reads it).
        let q = |off: usize| x.get(off..off + 8).and_then(attr_u64).unwrap_or(0).min(i64::MAX as u64) as i64;
        let mut s = Settings::new();
        if x.len() < 8 {
            return s;
        }
        s.set_int("flows", u32_at(x, 64)).set_int("inactive", u32_at(x, 68)).set_int("throttledFlows", u32_at(x, 72));
        let next = x.get(56..64).and_then(attr_u64).unwrap_or(0) as i64; // an s64
        s.set_int("nextPacketDelay", next.max(0)); // ns, as tc -j prints it (only when > 0)
        for (key, off) in [("gc", 0), ("highprio", 8), ("retrans", 16), ("throttled", 24)] {
            s.set_int(key, q(off));
        }
        s.set_int("latency", u32_at(x, 76)); // ns
        for (key, off) in
            [("ceMark", 80), ("flowsPlimit", 32), ("pktsTooLong", 40), ("allocErrors", 48), ("horizonDrops", 88), ("horizonCaps", 96)]
        {
            s.set_int(key, q(off));
        }
        s
    }
}

#[cfg(test)]
#[path = "fq_tests.rs"]
mod tests;
