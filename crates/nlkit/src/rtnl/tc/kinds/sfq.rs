//! sfq, stochastic fairness queueing: `struct tc_sfq_qopt_v1` (the v0 struct, depth, headdrop
//! and the optional RED parameters) as TCA_OPTIONS' whole payload, as iproute2 6.1's q_sfq.c
//! sends it (nothing when no option is given) and the kernel's sfq_dump writes it back (the
//! thresholds in bytes, redflowlimit not kept: the kernel never uses it).

use crate::rtnl::settings::{Settings, Value};
use crate::rtnl::tc::kind::{Ctx, Role, TcKind};
use crate::rtnl::tc::{units, TCA_OPTIONS};
use crate::wire::{u32_at, MsgBuilder};

const QOPT_LEN: usize = 72; // struct tc_sfq_qopt_v1, its RED stats included
const V0_LEN: usize = 20; // struct tc_sfq_qopt
const TC_RED_ECN: u8 = 1;
const TC_RED_HARDDROP: u8 = 2;
const RED_KEYS: &[&str] = &["redflowlimit", "min", "max", "avpkt", "burst", "probability", "ecn", "harddrop", "ewma"];

pub struct Sfq;
pub static SFQ: Sfq = Sfq;

/// A probability as a fraction (tc's `%lg`: `0.02`), from a number or its digits.
fn fraction(s: &Settings, key: &str) -> Result<Option<f64>, String> {
    let v = match s.get(key) {
        None => return Ok(None),
        Some(Value::Int(i)) => *i as f64,
        Some(Value::Float(f)) => *f,
        Some(Value::Str(t)) => t.strip_suffix('n').unwrap_or(t).parse().map_err(|_| format!("{key}: {t:?} is not a number"))?,
        Some(_) => return Err(format!("{key} must be a number from 0 to 1")),
    };
    if (0.0..=1.0).contains(&v) {
        Ok(Some(v))
    } else {
        Err(format!("{key} must be a number from 0 to 1, got {v}"))
    }
}

/// tc_red_eval_ewma: the smallest Wlog whose average follows a burst of `burst` packets.
fn eval_ewma(qmin: u32, burst: u32, avpkt: u32) -> Option<u8> {
    let a = burst as f64 + 1.0 - qmin as f64 / avpkt as f64;
    if a < 1.0 {
        return None;
    }
    let mut w = 0.5f64;
    for wlog in 1..32u8 {
        if a <= (1.0 - (1.0 - w).powi(burst as i32)) / w {
            return Some(wlog);
        }
        w /= 2.0;
    }
    None
}

/// tc_red_eval_P: Plog = log2(1 / (prob / (qmax - qmin))), as a count of doublings.
fn eval_p(qmin: u32, qmax: u32, prob: f64) -> Option<u8> {
    let range = qmax.checked_sub(qmin)?;
    if range == 0 {
        return Some(0);
    }
    let mut p = prob / range as f64;
    (0..32u8).find(|_| {
        let done = p > 1.0;
        p *= 2.0;
        done
    })
}

/// The RED part: thresholds, Wlog, Plog, flags and max_P, with tc's defaults.
fn red(s: &Settings, q: &mut [u8; QOPT_LEN]) -> Result<(), String> {
    let limit = units::size(s, "redflowlimit", u32::MAX as u64)?.map(|v| v as u32);
    let mut max = s.u32("max")?.unwrap_or(0);
    let mut min = s.u32("min")?.unwrap_or(0);
    if limit.is_none() && (min == 0 || max == 0) {
        return Err("redflowlimit is required (unless min and max are given)".into());
    }
    let l = limit.unwrap_or(0);
    if max == 0 {
        max = l / 4;
    }
    if min == 0 {
        min = max / 3;
    }
    let avpkt = units::size(s, "avpkt", u32::MAX as u64)?.unwrap_or(1000).max(1) as u32;
    if limit.is_some() && max > l {
        return Err("max must not be above redflowlimit".into());
    }
    if min >= max {
        return Err("min must be below max".into());
    }
    let wlog = match (s.u8("ewma")?, s.u32("burst")?) {
        (Some(_), Some(_)) => return Err("give burst or ewma, not both".into()),
        (Some(w), None) if (1..32).contains(&w) => w,
        (Some(w), None) => return Err(format!("ewma must be from 1 to 31, got {w}")),
        (None, b) => {
            let burst = b.filter(|b| *b > 0).unwrap_or((2 * min + max) / (3 * avpkt));
            eval_ewma(min, burst, avpkt).ok_or(format!("burst {burst} is too small for min and avpkt (tc: try {})", 1 + min / avpkt))?
        }
    };
    let prob = fraction(s, "probability")?.unwrap_or(0.02);
    let plog = eval_p(min, max, prob).ok_or("probability is too small for min and max")?;
    let mut flags = 0;
    for (key, f) in [("ecn", TC_RED_ECN), ("harddrop", TC_RED_HARDDROP)] {
        if s.bool(key)?.unwrap_or(false) {
            flags |= f;
        }
    }
    for (off, v) in [(28, l), (32, min), (36, max)] {
        q[off..off + 4].copy_from_slice(&v.to_ne_bytes());
    }
    q[40..44].copy_from_slice(&[wlog, plog, 0, flags]);
    q[44..48].copy_from_slice(&super::shaping::c_uint(prob * 4294967296.0).to_ne_bytes());
    Ok(())
}

impl TcKind for Sfq {
    fn role(&self) -> Role {
        Role::Qdisc
    }
    fn kind(&self) -> &'static str {
        "sfq"
    }
    fn keys(&self) -> &'static [&'static str] {
        &[
            "limit",
            "quantum",
            "perturb",
            "divisor",
            "flows",
            "depth",
            "headdrop",
            "redflowlimit",
            "min",
            "max",
            "avpkt",
            "burst",
            "probability",
            "ecn",
            "harddrop",
            "ewma",
        ]
    }
    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _cx: &Ctx) -> Result<(), String> {
        if s.is_empty() {
            return Ok(()); // tc sends no options: the kernel's defaults
        }
        let mut q = [0u8; QOPT_LEN];
        let limit = s.u32("limit")?;
        if limit.is_some_and(|l| l < 2) {
            return Err("limit must be at least 2".into());
        }
        let perturb = s.int("perturb", 0, i32::MAX as i64)?.unwrap_or(0) as u32;
        let quantum = units::size(s, "quantum", u32::MAX as u64)?.unwrap_or(0) as u32;
        let (divisor, flows, depth) = (s.u32("divisor")?.unwrap_or(0), s.u32("flows")?.unwrap_or(0), s.u32("depth")?.unwrap_or(0));
        let headdrop = s.bool("headdrop")?.unwrap_or(false) as u32;
        for (i, w) in [quantum, perturb, limit.unwrap_or(0), divisor, flows, depth, headdrop].into_iter().enumerate() {
            q[4 * i..4 * i + 4].copy_from_slice(&w.to_ne_bytes());
        }
        if RED_KEYS.iter().any(|k| s.get(k).is_some()) {
            red(s, &mut q)?;
        }
        b.attr(TCA_OPTIONS, &q);
        Ok(())
    }
    fn decode(&self, o: &[u8]) -> Settings {
        let mut s = Settings::new();
        if o.len() < V0_LEN {
            return s;
        }
        s.set_int("limit", u32_at(o, 8)).set_int("quantum", u32_at(o, 0));
        let v1 = o.len() >= QOPT_LEN;
        if v1 && u32_at(o, 20) != 0 {
            s.set_int("depth", u32_at(o, 20));
        }
        if v1 && u32_at(o, 24) != 0 {
            s.set_bool("headdrop", true);
        }
        s.set_int("flows", u32_at(o, 16)).set_int("divisor", u32_at(o, 12));
        if u32_at(o, 4) != 0 {
            s.set_int("perturb", u32_at(o, 4) as i32);
        }
        if v1 && u32_at(o, 32) != 0 {
            s.set_int("ewma", o[40]).set_int("min", u32_at(o, 32)).set_int("max", u32_at(o, 36));
            let p = u32_at(o, 44) as f64 / 4294967296.0;
            // The shortest decimal that gives the same max_P back.
            let p = (1..17)
                .filter_map(|d| format!("{p:.d$e}").parse::<f64>().ok())
                .find(|x| super::shaping::c_uint(x * 4294967296.0) == u32_at(o, 44));
            s.set("probability", Value::Float(p.unwrap_or(0.0)));
            s.set_bool("ecn", o[43] & TC_RED_ECN != 0).set_bool("harddrop", o[43] & TC_RED_HARDDROP != 0);
        }
        s
    }
    fn xstats(&self, x: &[u8]) -> Settings {
        let mut s = Settings::new();
        if x.len() >= 4 {
            s.set_int("allot", u32_at(x, 0) as i32); // struct tc_sfq_xstats
        }
        s
    }
}

#[cfg(test)]
#[path = "sfq_tests.rs"]
mod tests;
