//! netem, the network emulator: TCA_OPTIONS is `struct tc_netem_qopt` (delay and jitter in
//! ticks, limit, loss, gap, duplicate) followed by attributes (correlations, reorder, corrupt,
//! the loss models, rate, slot, the delay tables), as iproute2 6.1's netem_parse_opt sends them
//! and the kernel's netem_dump writes them back (adding the 64-bit delays in nanoseconds and,
//! since 6.6, the PRNG seed). Percentages are sent as fractions of u32::MAX (tc's set_percent).

use super::netem_dist;
use super::shaping;
use crate::rtnl::settings::{Settings, Value};
use crate::rtnl::tc::kind::{Ctx, Role, TcKind};
use crate::rtnl::tc::psched::{time2big, time2tick};
use crate::rtnl::tc::{units, TCA_OPTIONS};
use crate::wire::MsgBuilder;

pub(super) const CORR: u16 = 1;
pub(super) const DELAY_DIST: u16 = 2;
pub(super) const REORDER: u16 = 3;
pub(super) const CORRUPT: u16 = 4;
pub(super) const LOSS: u16 = 5;
pub(super) const RATE: u16 = 6;
pub(super) const ECN: u16 = 7;
pub(super) const RATE64: u16 = 8;
pub(super) const LATENCY64: u16 = 10;
pub(super) const JITTER64: u16 = 11;
pub(super) const SLOT: u16 = 12;
pub(super) const SLOT_DIST: u16 = 13;
pub(super) const PRNG_SEED: u16 = 14;
pub(super) const LOSS_GI: u16 = 1;
pub(super) const LOSS_GE: u16 = 2;
pub(super) const QOPT_LEN: usize = 24;
pub(super) const SLOT_LEN: usize = 40;
/// tc's MAX_DIST: the most values a table may have.
const MAX_DIST: usize = 16384;

const KEYS: &[&str] = &[
    "limit",
    "delay",
    "jitter",
    "delayCorrelation",
    "distribution",
    "loss",
    "lossCorrelation",
    "lossState",
    "lossGemodel",
    "ecn",
    "duplicate",
    "duplicateCorrelation",
    "reorder",
    "reorderCorrelation",
    "gap",
    "corrupt",
    "corruptCorrelation",
    "rate",
    "packetOverhead",
    "cellSize",
    "cellOverhead",
    "slot",
    "seed",
];
const STATE_KEYS: &[&str] = &["p13", "p31", "p32", "p23", "p14"];
const GE_KEYS: &[&str] = &["p", "r", "oneMinusH", "oneMinusK"];
const SLOT_KEYS: &[&str] = &["minDelay", "maxDelay", "distribution", "delay", "jitter", "packets", "bytes"];

pub struct Netem;
pub static NETEM: Netem = Netem;

pub(super) fn words(ws: &[u32]) -> Vec<u8> {
    ws.iter().flat_map(|w| w.to_ne_bytes()).collect()
}

fn pct(s: &Settings, key: &str) -> Result<u32, String> {
    Ok(units::percent_u32(s, key)?.unwrap_or(0))
}

/// A nested map's errors name it (`lossState: p31 ...`).
fn nested<T>(outer: &str, r: Result<T, String>) -> Result<T, String> {
    r.map_err(|e| format!("{outer}: {e}"))
}

/// A delay as tc 6.1 sends it: whole µs (tc truncates) in ticks, and the nanoseconds for the
/// 64-bit attribute when the ticks do not fit (tc 6.1 refuses those; newer tc sends only ns).
fn delay(s: &Settings, key: &str) -> Result<(u32, Option<i64>), String> {
    let Some(us) = units::time_exact(s, key, i64::MAX as f64 / 1000.0)? else { return Ok((0, None)) };
    let us = us.trunc() as u64;
    if time2big(us) {
        Ok((u32::MAX, Some(us.saturating_mul(1000).min(i64::MAX as u64) as i64)))
    } else {
        Ok((time2tick(us), None))
    }
}

/// A time in nanoseconds (tc's get_time64: slots).
fn nanos(s: &Settings, key: &str) -> Result<Option<i64>, String> {
    Ok(units::time_exact(s, key, i64::MAX as f64 / 1000.0)?.map(|us| (us * 1000.0) as i64))
}

/// A delay table: a name tc has a file for, or the values themselves (tc's custom .dist file).
fn table(s: &Settings, key: &str) -> Result<Option<Vec<u8>>, String> {
    let values: Vec<i16> = match s.get(key) {
        None => return Ok(None),
        Some(Value::Str(n)) if n == "uniform" => return Ok(None),
        Some(Value::Str(n)) => match netem_dist::table(n) {
            Some(t) => t.to_vec(),
            None => return Err(format!("{key} must be uniform, normal, pareto, paretonormal or a list of numbers, got {n:?}")),
        },
        Some(Value::List(l)) if !l.is_empty() && l.len() <= MAX_DIST => l
            .iter()
            .map(|v| match v {
                Value::Int(i) if (i16::MIN as i64..=i16::MAX as i64).contains(i) => Ok(*i as i16),
                _ => Err(format!("{key}: a table's values are integers from -32768 to 32767")),
            })
            .collect::<Result<_, _>>()?,
        Some(Value::List(_)) => return Err(format!("{key}: a table has 1 to {MAX_DIST} values")),
        Some(_) => return Err(format!("{key} must be a distribution name or a list of numbers")),
    };
    Ok(Some(values.iter().flat_map(|v| v.to_ne_bytes()).collect()))
}

fn seed(s: &Settings) -> Result<Option<u64>, String> {
    match s.get("seed") {
        None => Ok(None),
        Some(Value::Int(i)) if *i >= 0 => Ok(Some(*i as u64)),
        Some(Value::Str(t)) => {
            t.strip_suffix('n').unwrap_or(t).parse().map(Some).map_err(|_| format!("seed: {t:?} is not a 64-bit number"))
        }
        Some(_) => Err("seed must be a number from 0 to 2^64-1 (a bigint or its digits above 2^53)".into()),
    }
}

/// `slot`: {minDelay, maxDelay} or {distribution, delay, jitter}, with packets and bytes.
fn slot(m: &Settings) -> Result<([u8; SLOT_LEN], Option<Vec<u8>>), String> {
    m.check_known(SLOT_KEYS)?;
    let (min, max) = (nanos(m, "minDelay")?, nanos(m, "maxDelay")?);
    let (delay, jitter) = (nanos(m, "delay")?, nanos(m, "jitter")?);
    let dist = table(m, "distribution")?;
    let mut w = [0i64; 4]; // min, max, dist_delay, dist_jitter
    if delay.is_some() || jitter.is_some() || m.get("distribution").is_some() {
        if min.is_some() || max.is_some() {
            return Err("give minDelay/maxDelay or distribution/delay/jitter, not both".into());
        }
        w[2] = delay.ok_or("delay is required with a distribution")?;
        w[3] = jitter.filter(|j| *j > 0).ok_or("jitter is required (and not 0) with a distribution")?;
    } else {
        w[0] = min.ok_or("minDelay (or a distribution) is required")?;
        w[1] = max.unwrap_or(w[0]);
        if w[1] < w[0] {
            return Err("maxDelay must not be below minDelay".into());
        }
    }
    let packets = m.int("packets", 0, i32::MAX as i64)?.unwrap_or(0) as i32;
    let bytes = units::size(m, "bytes", i32::MAX as u64)?.unwrap_or(0) as i32;
    let mut out = [0u8; SLOT_LEN];
    let fields = [w[0].to_ne_bytes(), w[1].to_ne_bytes()].concat();
    out[..16].copy_from_slice(&fields);
    out[16..20].copy_from_slice(&packets.to_ne_bytes());
    out[20..24].copy_from_slice(&bytes.to_ne_bytes());
    out[24..32].copy_from_slice(&w[2].to_ne_bytes());
    out[32..40].copy_from_slice(&w[3].to_ne_bytes());
    Ok((out, dist))
}

fn frac_u32(f: f64) -> u32 {
    (f * u32::MAX as f64).round_ties_even() as u32
}

/// `lossState` (NETEM_LOSS_GI), with tc's defaults for what is not given.
fn state_model(m: &Settings) -> Result<Vec<u8>, String> {
    m.check_known(STATE_KEYS)?;
    let p13 = units::percent(m, "p13")?.ok_or("p13 is required")?;
    let or = |k: &str, d: f64| Ok::<u32, String>(units::percent_u32(m, k)?.unwrap_or(frac_u32(d)));
    let (p31, p32, p23, p14) = (or("p31", 1.0 - p13)?, or("p32", 0.0)?, or("p23", 1.0)?, or("p14", 0.0)?);
    Ok(words(&[frac_u32(p13), p31, p32, p14, p23])) // struct tc_netem_gimodel's order
}

/// `lossGemodel` (NETEM_LOSS_GE): tc takes 1-h and sends h; 1-k goes as it is (the kernel's k1).
fn ge_model(m: &Settings) -> Result<Vec<u8>, String> {
    m.check_known(GE_KEYS)?;
    let p = units::percent(m, "p")?.ok_or("p is required")?;
    let r = units::percent_u32(m, "r")?.unwrap_or(frac_u32(1.0 - p));
    let h = units::percent_u32(m, "oneMinusH")?.map_or(0, |v| u32::MAX - v);
    Ok(words(&[frac_u32(p), r, h, pct(m, "oneMinusK")?]))
}

fn loss_model(s: &Settings) -> Result<Option<(u16, Vec<u8>)>, String> {
    match (s.map("lossState")?, s.map("lossGemodel")?) {
        (Some(_), Some(_)) => Err("give one loss model: lossState or lossGemodel".into()),
        (Some(m), None) => Ok(Some((LOSS_GI, nested("lossState", state_model(m))?))),
        (None, Some(m)) => Ok(Some((LOSS_GE, nested("lossGemodel", ge_model(m))?))),
        (None, None) => Ok(None),
    }
}

impl TcKind for Netem {
    fn role(&self) -> Role {
        Role::Qdisc
    }
    fn kind(&self) -> &'static str {
        "netem"
    }
    fn keys(&self) -> &'static [&'static str] {
        KEYS
    }
    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _cx: &Ctx) -> Result<(), String> {
        let limit = s.u32("limit")?.unwrap_or(1000);
        let (latency, latency64) = delay(s, "delay")?;
        let (jitter, jitter64) = delay(s, "jitter")?;
        let has_delay = s.get("delay").is_some();
        if !has_delay && (s.get("jitter").is_some() || s.get("delayCorrelation").is_some()) {
            return Err("jitter and delayCorrelation need a delay".into());
        }
        let loss = pct(s, "loss")?;
        let model = loss_model(s)?;
        if model.is_some() && s.get("loss").is_some() {
            return Err("give loss or a loss model (lossState, lossGemodel), not both".into());
        }
        let reorder = [pct(s, "reorder")?, pct(s, "reorderCorrelation")?];
        let mut gap = s.u32("gap")?.unwrap_or(0);
        if reorder[0] > 0 {
            if latency == 0 {
                return Err("reorder needs a delay (tc: reordering not possible without specifying some delay)".into());
            }
            gap = gap.max(1);
        } else if gap > 0 {
            return Err("gap needs reorder".into());
        }
        let ecn = s.bool("ecn")?.unwrap_or(false);
        if ecn && loss == 0 && model.is_none() {
            return Err("ecn needs a loss model (loss, lossState or lossGemodel)".into());
        }
        let dist = table(s, "distribution")?;
        if dist.is_some() && (latency == 0 || jitter == 0) {
            return Err("distribution needs a delay and a jitter".into());
        }
        let corrupt = [pct(s, "corrupt")?, pct(s, "corruptCorrelation")?];
        let cor = [pct(s, "delayCorrelation")?, pct(s, "lossCorrelation")?, pct(s, "duplicateCorrelation")?];
        // tc sends the correlations when one is given (it forgets duplicate's alone: nlkit does not).
        let send_cor = ["delayCorrelation", "lossCorrelation", "duplicateCorrelation", "reorderCorrelation", "corruptCorrelation"]
            .iter()
            .any(|k| s.get(k).is_some());
        let rate = shaping::rate_bytes(s, "rate")?;
        let rate_extra = ["packetOverhead", "cellSize", "cellOverhead"].iter().any(|k| s.get(k).is_some());
        if rate.is_none() && rate_extra {
            return Err("packetOverhead, cellSize and cellOverhead need a rate".into());
        }
        let slot = s.map("slot")?.map(|m| nested("slot", slot(m))).transpose()?;
        let seed = seed(s)?;

        let tables = dist.as_ref().map_or(0, Vec::len) + slot.as_ref().and_then(|s| s.1.as_ref()).map_or(0, Vec::len);
        if tables > u16::MAX as usize - 256 {
            return Err("distribution: the two tables do not fit in one attribute (65535 bytes): give fewer values".into());
        }
        let nest = b.nest_start_plain(TCA_OPTIONS);
        b.push(&words(&[latency, limit, loss, gap, pct(s, "duplicate")?, jitter]));
        if let Some(ns) = latency64 {
            b.attr(LATENCY64, &ns.to_ne_bytes());
        }
        if let Some(ns) = jitter64 {
            b.attr(JITTER64, &ns.to_ne_bytes());
        }
        if send_cor {
            b.attr(CORR, &words(&cor));
        }
        if s.get("reorder").is_some() {
            b.attr(REORDER, &words(&reorder));
        }
        if ecn {
            b.attr_u32(ECN, 1);
        }
        if s.get("corrupt").is_some() {
            b.attr(CORRUPT, &words(&corrupt));
        }
        if let Some((slot, _)) = &slot {
            b.attr(SLOT, slot);
        }
        if let Some((ty, model)) = &model {
            let n = b.nest_start(LOSS);
            b.attr(*ty, model);
            b.nest_end(n);
        }
        if let Some(r) = rate {
            if r >= 1 << 32 {
                b.attr(RATE64, &r.to_ne_bytes());
            }
            let po = s.int("packetOverhead", i32::MIN as i64, i32::MAX as i64)?.unwrap_or(0) as i32;
            let co = s.int("cellOverhead", i32::MIN as i64, i32::MAX as i64)?.unwrap_or(0) as i32;
            b.attr(RATE, &words(&[r.min(u32::MAX as u64) as u32, po as u32, s.u32("cellSize")?.unwrap_or(0), co as u32]));
        }
        if let Some(d) = &dist {
            b.attr(DELAY_DIST, d);
        }
        if let Some((_, Some(d))) = &slot {
            b.attr(SLOT_DIST, d);
        }
        if let Some(v) = seed {
            b.attr(PRNG_SEED, &v.to_ne_bytes());
        }
        b.nest_end(nest);
        Ok(())
    }
    fn decode(&self, o: &[u8]) -> Settings {
        super::netem_decode::decode(o)
    }
}

#[cfg(test)]
#[path = "netem_tests.rs"]
mod tests;
