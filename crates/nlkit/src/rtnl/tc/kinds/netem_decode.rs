//! Reading netem's options back: the kernel's netem_dump writes the struct, then LATENCY64,
//! JITTER64, CORR, REORDER, CORRUPT, RATE64, RATE, ECN, LOSS, SLOT and PRNG_SEED.

use super::netem::*;
use super::shaping;
use crate::rtnl::settings::{Settings, Value};
use crate::rtnl::tc::psched::tick2time;
use crate::rtnl::tc::units;
use crate::wire::{attr_u32, attr_u64, attrs, u32_at};

/// A time the kernel keeps in ns, as µs (a whole number when it is one).
fn micros(ns: i64) -> Value {
    if ns % 1000 == 0 {
        Value::Int(ns / 1000)
    } else {
        Value::Float(ns as f64 / 1000.0)
    }
}

fn word(v: &[u8], i: usize) -> u32 {
    u32_at(v, 4 * i)
}

fn i64_at(v: &[u8], off: usize) -> i64 {
    v.get(off..off + 8).map_or(0, |b| i64::from_ne_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
}

/// Sets `key` to the percentage `v` when it is not 0.
fn put_pct(s: &mut Settings, key: &str, v: u32) {
    if v != 0 {
        s.set(key, units::percent_value(v));
    }
}

/// The kernel's dump: the struct, then LATENCY64, JITTER64, CORR, REORDER, CORRUPT, RATE64,
/// RATE, ECN, LOSS, SLOT and PRNG_SEED. What is off (0) is left out, as tc prints it.
pub fn decode(o: &[u8]) -> Settings {
    let mut s = Settings::new();
    if o.len() < QOPT_LEN {
        return s;
    }
    let q = &o[..QOPT_LEN];
    let (mut lat, mut jit) = (tick2time(word(q, 0)) as i64 * 1000, tick2time(word(q, 5)) as i64 * 1000);
    let (mut cor, mut rate64, mut rest) = ([0u32; 3], None, Settings::new());
    for (ty, v) in attrs(o.get(QOPT_LEN..).unwrap_or(&[])).map_while(Result::ok) {
        match ty {
            LATENCY64 if v.len() >= 8 => lat = i64_at(v, 0),
            JITTER64 if v.len() >= 8 => jit = i64_at(v, 0),
            CORR if v.len() >= 12 => cor = [word(v, 0), word(v, 1), word(v, 2)],
            REORDER | CORRUPT if v.len() >= 8 && word(v, 0) != 0 => {
                let key = if ty == REORDER { "reorder" } else { "corrupt" };
                put_pct(&mut rest, key, word(v, 0));
                put_pct(&mut rest, &format!("{key}Correlation"), word(v, 1));
            }
            RATE64 => rate64 = attr_u64(v),
            RATE if v.len() >= 16 && word(v, 0) != 0 => {
                rest.set_int("rate", shaping::bits(word(v, 0), rate64));
                for (i, key) in [(1, "packetOverhead"), (2, "cellSize"), (3, "cellOverhead")] {
                    if word(v, i) != 0 {
                        rest.set_int(key, if i == 2 { word(v, i) as i64 } else { word(v, i) as i32 as i64 });
                    }
                }
            }
            ECN if attr_u32(v).unwrap_or(0) != 0 => {
                rest.set_bool("ecn", true);
            }
            LOSS => {
                for (model, m) in attrs(v).map_while(Result::ok) {
                    let (key, names): (&str, &[&str]) = match model {
                        LOSS_GI if m.len() >= 20 => ("lossState", &["p13", "p31", "p32", "p14", "p23"]),
                        LOSS_GE if m.len() >= 16 => ("lossGemodel", &["p", "r", "oneMinusH", "oneMinusK"]),
                        _ => continue,
                    };
                    let mut one = Settings::new();
                    for (i, n) in names.iter().enumerate() {
                        let w = if *n == "oneMinusH" { u32::MAX - word(m, i) } else { word(m, i) };
                        one.set(n, units::percent_value(w));
                    }
                    rest.set(key, Value::Map(one));
                }
            }
            SLOT if v.len() >= SLOT_LEN => {
                let mut one = Settings::new();
                let (dist_jitter, packets, bytes) = (i64_at(v, 32), u32_at(v, 16) as i32, u32_at(v, 20) as i32);
                if dist_jitter > 0 {
                    one.set("delay", micros(i64_at(v, 24))).set("jitter", micros(dist_jitter));
                } else {
                    one.set("minDelay", micros(i64_at(v, 0))).set("maxDelay", micros(i64_at(v, 8)));
                }
                // The kernel keeps "no limit" as INT_MAX and dumps it as 0.
                for (key, n) in [("packets", packets), ("bytes", bytes)] {
                    if n > 0 && n != i32::MAX {
                        one.set_int(key, n);
                    }
                }
                rest.set("slot", Value::Map(one));
            }
            PRNG_SEED => {
                if let Some(v) = attr_u64(v) {
                    rest.set_str("seed", v.to_string());
                }
            }
            _ => {}
        }
    }
    s.set_int("limit", word(q, 1));
    if lat != 0 {
        s.set("delay", micros(lat));
        if jit != 0 {
            s.set("jitter", micros(jit));
        }
        put_pct(&mut s, "delayCorrelation", cor[0]);
    }
    put_pct(&mut s, "loss", word(q, 2));
    put_pct(&mut s, "lossCorrelation", cor[1]);
    put_pct(&mut s, "duplicate", word(q, 4));
    put_pct(&mut s, "duplicateCorrelation", cor[2]);
    if word(q, 3) != 0 {
        s.set_int("gap", word(q, 3));
    }
    s.0.extend(rest.0);
    s
}
