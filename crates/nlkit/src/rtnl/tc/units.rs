//! Rates, sizes, times and percentages as numbers or as the strings `tc` takes (`'10mbit'`,
//! `'64kb'`, `'100ms'`, `'0.5%'`). Numbers are bits per second, bytes, microseconds and
//! percent; a string follows tc's suffixes (case-insensitive), except that a rate string needs
//! a unit (tc reads a bare number as bytes per second, which next to numbers in bits per second
//! would be a trap). Every error names the key.

use crate::rtnl::settings::{Settings, Value};

const RATE_UNITS: &[(&str, f64)] = &[
    ("bit", 1.0),
    ("kibit", 1024.0),
    ("kbit", 1e3),
    ("mibit", 1048576.0),
    ("mbit", 1e6),
    ("gibit", 1073741824.0),
    ("gbit", 1e9),
    ("tibit", 1099511627776.0),
    ("tbit", 1e12),
    ("bps", 8.0),
    ("kibps", 8192.0),
    ("kbps", 8e3),
    ("mibps", 8388608.0),
    ("mbps", 8e6),
    ("gibps", 8589934592.0),
    ("gbps", 8e9),
    ("tibps", 8796093022208.0),
    ("tbps", 8e12),
];

const SIZE_UNITS: &[(&str, f64)] = &[
    ("", 1.0),
    ("b", 1.0),
    ("k", 1024.0),
    ("kb", 1024.0),
    ("m", 1048576.0),
    ("mb", 1048576.0),
    ("g", 1073741824.0),
    ("gb", 1073741824.0),
    ("kbit", 128.0),
    ("mbit", 131072.0),
    ("gbit", 134217728.0),
];

const TIME_UNITS: &[(&str, f64)] = &[
    ("", 1.0),
    ("s", 1e6),
    ("sec", 1e6),
    ("secs", 1e6),
    ("ms", 1e3),
    ("msec", 1e3),
    ("msecs", 1e3),
    ("us", 1.0),
    ("usec", 1.0),
    ("usecs", 1.0),
    ("ns", 1e-3),
    ("nsec", 1e-3),
    ("nsecs", 1e-3),
];

/// A non-negative decimal number followed by one of `units`; the product.
fn scaled(s: &str, units: &[(&str, f64)]) -> Option<f64> {
    let t = s.trim();
    let end = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (num, unit) = t.split_at(end);
    if num.is_empty() || num.starts_with('.') && num.len() == 1 {
        return None;
    }
    let n: f64 = num.parse().ok()?;
    let unit = unit.to_ascii_lowercase();
    let (_, m) = units.iter().find(|(u, _)| *u == unit)?;
    let v = n * m;
    v.is_finite().then_some(v)
}

/// A JavaScript number the binding's JSON cannot carry as an integer (a bigint, a fraction):
/// src/tc/options.ts sends it as its decimal digits and `n` (`'12345678901234567890n'`,
/// `'0.5n'`), meaning the number itself in the key's base unit, whatever `units` say.
fn js_number(t: &str) -> Option<f64> {
    let digits = t.strip_suffix('n')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    digits.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A number given as an integer or as a string with one of `units`; `what` names what the
/// string should have been, for the error.
fn amount(s: &Settings, key: &str, units: &[(&str, f64)], what: &str) -> Result<Option<f64>, String> {
    match s.get(key) {
        None => Ok(None),
        Some(Value::Int(i)) if *i < 0 => Err(format!("{key} must not be negative, got {i}")),
        Some(Value::Int(i)) => Ok(Some(*i as f64)),
        Some(Value::Float(f)) if f.is_finite() && *f >= 0.0 => Ok(Some(*f)),
        Some(Value::Float(f)) => Err(format!("{key} must not be negative, got {f}")),
        Some(Value::Str(t)) => js_number(t).or_else(|| scaled(t, units)).map(Some).ok_or_else(|| format!("{key}: {t:?} is not {what}")),
        Some(_) => Err(format!("{key} must be a number or a string")),
    }
}

/// A rate in bits per second (`'10mbit'`, `'1.5gbit'`, `'100kbps'` or a number of bits/s).
/// RATE_UNITS has no empty unit: a bare string is refused.
pub fn rate(s: &Settings, key: &str) -> Result<Option<u64>, String> {
    const WHAT: &str = "a rate (a number and a unit: bit, kbit, mbit, gbit, tbit, bps, kbps, ...; or a number of bits per second)";
    match amount(s, key, RATE_UNITS, WHAT)? {
        Some(x) if x >= 1.8e19 => Err(format!("{key} is too large for a rate")),
        x => Ok(x.map(|x| x.round() as u64)),
    }
}

/// An amount of `units` at most `max`, rounded.
fn bounded(s: &Settings, key: &str, units: &[(&str, f64)], what: &str, max: u64, unit: &str) -> Result<Option<u64>, String> {
    match amount(s, key, units, what)? {
        Some(x) if x > max as f64 => Err(format!("{key} must be at most {max} {unit}")),
        x => Ok(x.map(|x| x.round() as u64)),
    }
}

/// A size in bytes, at most `max` (`'64kb'`, `'1mb'`, `'1500'`, `'10kbit'` or a number of bytes).
pub fn size(s: &Settings, key: &str, max: u64) -> Result<Option<u64>, String> {
    bounded(s, key, SIZE_UNITS, "a size (a number of bytes, or with k, kb, m, mb, g, gb, kbit, mbit, gbit)", max, "bytes")
}

/// A time in microseconds, at most `max` (`'100ms'`, `'1s'`, `'250us'`, or a number of µs).
pub fn time(s: &Settings, key: &str, max: u64) -> Result<Option<u64>, String> {
    bounded(s, key, TIME_UNITS, "a time (a number of microseconds, or with s, ms, us, ns)", max, "microseconds")
}

/// A time in microseconds, unrounded, at most `max` (netem's delays, which tc truncates and
/// its slots, which it keeps in nanoseconds).
pub fn time_exact(s: &Settings, key: &str, max: f64) -> Result<Option<f64>, String> {
    match amount(s, key, TIME_UNITS, "a time (a number of microseconds, or with s, ms, us, ns)")? {
        Some(x) if x > max => Err(format!("{key} must be at most {max} microseconds")),
        x => Ok(x),
    }
}

/// A percentage as tc sends it (`set_percent`): the fraction of `u32::MAX`, rounded.
pub fn percent_u32(s: &Settings, key: &str) -> Result<Option<u32>, String> {
    Ok(percent(s, key)?.map(scaled_percent))
}

fn scaled_percent(fraction: f64) -> u32 {
    (fraction * u32::MAX as f64).round_ties_even() as u32
}

/// A scaled percentage back as a number of percent: the shortest decimal that tc would send
/// as the same value (1% is 42949673, shown as 1, not 1.0000000034).
pub fn percent_value(v: u32) -> Value {
    let exact = v as f64 * 100.0 / u32::MAX as f64;
    let shortest = (1..17).filter_map(|p| format!("{exact:.p$e}").parse::<f64>().ok()).find(|x| scaled_percent(x / 100.0) == v);
    let x = shortest.unwrap_or(exact);
    if x.fract() == 0.0 {
        Value::Int(x as i64)
    } else {
        Value::Float(x)
    }
}

/// A percentage from 0 to 100 (`'0.5%'`, `'10'` or a number), as a fraction of 1.
pub fn percent(s: &Settings, key: &str) -> Result<Option<f64>, String> {
    match amount(s, key, &[("", 1.0), ("%", 1.0)], "a percentage")? {
        Some(x) if x > 100.0 => Err(format!("{key} must be a percentage from 0 to 100, got {x}")),
        x => Ok(x.map(|x| x / 100.0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(k: &str, v: Value) -> Settings {
        let mut s = Settings::new();
        s.set(k, v);
        s
    }

    #[test]
    fn rates_like_tc() {
        let r = |t: &str| rate(&one("rate", Value::Str(t.into())), "rate");
        assert_eq!(r("10mbit"), Ok(Some(10_000_000)));
        assert_eq!(r("1.5gbit"), Ok(Some(1_500_000_000)));
        assert_eq!(r("1Mibit"), Ok(Some(1_048_576)));
        assert_eq!(r("100kbps"), Ok(Some(800_000)));
        assert_eq!(r("8bit"), Ok(Some(8)));
        assert_eq!(rate(&one("rate", Value::Int(1000)), "rate"), Ok(Some(1000)));
        for bad in ["1000", "mbit", "10 mbit x", "-1mbit", "1.2.3mbit", "10mbits", ""] {
            assert!(r(bad).unwrap_err().contains("rate"), "{bad:?}");
        }
        assert!(rate(&one("rate", Value::Int(-5)), "rate").unwrap_err().contains("negative"));
        // A bigint from JavaScript, as options.ts sends it: bits per second.
        assert_eq!(r("20000000000000000n"), Ok(Some(20_000_000_000_000_000)));
        assert!(r("n").is_err() && r("-5n").is_err() && r("1e3n").is_err());
    }

    #[test]
    fn sizes_times_and_percentages() {
        let sz = |t: &str| size(&one("burst", Value::Str(t.into())), "burst", u32::MAX as u64);
        assert_eq!(sz("64kb"), Ok(Some(65536)));
        assert_eq!(sz("1500"), Ok(Some(1500)));
        assert_eq!(sz("1mbit"), Ok(Some(131072)));
        assert!(sz("5gb").unwrap_err().contains("at most"));
        assert!(sz("10q").is_err());
        let tm = |t: &str| time(&one("delay", Value::Str(t.into())), "delay", u32::MAX as u64);
        assert_eq!(tm("100ms"), Ok(Some(100_000)));
        assert_eq!(tm("1.5s"), Ok(Some(1_500_000)));
        assert_eq!(tm("250"), Ok(Some(250)));
        assert_eq!(tm("2000ns"), Ok(Some(2)));
        assert!(tm("-1ms").is_err());
        assert!(time(&one("delay", Value::Int(-1)), "delay", 10).unwrap_err().contains("negative"));
        let pc = |t: Value| percent(&one("loss", t), "loss");
        assert_eq!(pc(Value::Str("0.5%".into())), Ok(Some(0.005)));
        assert_eq!(pc(Value::Int(10)), Ok(Some(0.1)));
        assert!(pc(Value::Int(101)).unwrap_err().contains("0 to 100"));
        assert!(pc(Value::Str("abc".into())).is_err());
        assert_eq!(pc(Value::Str("0.5n".into())), Ok(Some(0.005)));
        assert_eq!(tm("2.5n"), Ok(Some(3)));
    }

    #[test]
    fn scaled_percentages_like_tc() {
        let pc = |t: &str| percent_u32(&one("loss", Value::Str(t.into())), "loss");
        assert_eq!(pc("1%"), Ok(Some(42949673)));
        assert_eq!(pc("25"), Ok(Some(1 << 30)));
        assert_eq!(pc("100"), Ok(Some(u32::MAX)));
        assert_eq!(percent_value(42949673), Value::Int(1));
        assert_eq!(percent_value(u32::MAX), Value::Int(100));
        assert_eq!(percent_value(0), Value::Int(0));
        assert_eq!(percent_value(21474836), Value::Float(0.5));
        for v in [1u32, 7, 12345, 3_000_000_000, u32::MAX - 1] {
            let back = match percent_value(v) {
                Value::Int(i) => Value::Int(i),
                Value::Float(f) => Value::Float(f),
                other => panic!("{other:?}"),
            };
            assert_eq!(percent_u32(&one("p", back), "p"), Ok(Some(v)), "{v}");
        }
        assert!(percent_u32(&one("p", Value::Float(-1.0)), "p").unwrap_err().contains("negative"));
    }
}
