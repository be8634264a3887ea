//! hfsc, the hierarchical fair service curve scheduler. The qdisc's TCA_OPTIONS is `struct
//! tc_hfsc_qopt` (the default class) itself, not a nest; a class's is a nest of up to three
//! `struct tc_service_curve` (real-time, link-share, upper-limit: m1 and m2 in bytes per second,
//! d in µs), as iproute2 6.1's q_hfsc.c sends them and hfsc_dump_class writes them back. A
//! curve is given as tc takes it: `{ m1, d, m2 }`, or `{ umax, dmax, rate }` converted as tc
//! converts it. Class xstats are `struct tc_hfsc_stats`.

use super::htb::default_class;
use super::shaping::{c_uint, rate_bytes};
use crate::rtnl::settings::{Settings, Value};
use crate::rtnl::tc::kind::{Ctx, Role, TcKind};
use crate::rtnl::tc::{units, TCA_OPTIONS};
use crate::wire::{attrs, u16_at, u32_at, MsgBuilder};

const RSC: u16 = 1;
const FSC: u16 = 2;
const USC: u16 = 3;
const SC_LEN: usize = 12; // struct tc_service_curve
const SC_KEYS: &[&str] = &["m1", "d", "m2", "umax", "dmax", "rate"];

pub struct HfscQdisc;
pub struct HfscClass;
pub static HFSC: HfscQdisc = HfscQdisc;
pub static HFSC_CLASS: HfscClass = HfscClass;

impl TcKind for HfscQdisc {
    fn role(&self) -> Role {
        Role::Qdisc
    }
    fn kind(&self) -> &'static str {
        "hfsc"
    }
    fn keys(&self) -> &'static [&'static str] {
        &["default"]
    }
    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _cx: &Ctx) -> Result<(), String> {
        let d = default_class(s)?;
        let d = u16::try_from(d).map_err(|_| format!("default must be a class minor up to ffff, got {d:x}"))?;
        b.attr(TCA_OPTIONS, &d.to_ne_bytes());
        Ok(())
    }
    fn decode(&self, o: &[u8]) -> Settings {
        let mut s = Settings::new();
        // As tc prints it: only when set, in hex (as htb's).
        if o.len() >= 2 && u16_at(o, 0) != 0 {
            s.set_str("default", format!("0x{:x}", u16_at(o, 0)));
        }
        s
    }
}

/// A rate of a curve in bytes per second (tc's get_rate: a u32).
fn slope(c: &Settings, key: &str) -> Result<u32, String> {
    match rate_bytes(c, key)? {
        Some(r) if r > u32::MAX as u64 => Err(format!("{key} must be at most {} bits per second", u32::MAX as u64 * 8)),
        r => Ok(r.unwrap_or(0) as u32),
    }
}

fn time(c: &Settings, key: &str) -> Result<u32, String> {
    Ok(units::time(c, key, u32::MAX as u64)?.unwrap_or(0) as u32)
}

/// A service curve, `[m1, d, m2]`, from either of tc's forms (hfsc_get_sc1 / hfsc_get_sc2).
fn curve(c: &Settings) -> Result<[u32; 3], String> {
    c.check_known(SC_KEYS)?;
    let two = ["umax", "dmax", "rate"].iter().any(|k| c.get(k).is_some());
    let sc = if two {
        if ["m1", "d", "m2"].iter().any(|k| c.get(k).is_some()) {
            return Err("give { m1, d, m2 } or { umax, dmax, rate }, not both".into());
        }
        let umax = units::size(c, "umax", u32::MAX as u64)?.unwrap_or(0) as f64;
        let dmax = time(c, "dmax")?;
        let rate = slope(c, "rate")?;
        if c.get("rate").is_none() {
            return Err("rate is required".into());
        }
        if umax != 0.0 && dmax == 0 {
            return Err("umax needs dmax".into());
        }
        let m1 = (umax * 1e6 / dmax as f64).ceil();
        if dmax != 0 && m1 > rate as f64 {
            [c_uint(m1), dmax, rate] // concave: umax at the rate umax / dmax, then `rate`
        } else {
            [0, c_uint((dmax as f64 - umax * 1e6 / rate as f64).ceil()), rate] // convex
        }
    } else {
        if c.get("m2").is_none() {
            return Err("m2 is required".into());
        }
        [slope(c, "m1")?, time(c, "d")?, slope(c, "m2")?]
    };
    if sc[0] == 0 && sc[2] == 0 {
        return Err("a service curve must not have two zero slopes".into());
    }
    Ok(sc)
}

fn nested(s: &Settings, key: &str) -> Result<Option<[u32; 3]>, String> {
    s.map(key)?.map(curve).transpose().map_err(|e| format!("{key}: {e}"))
}

fn curve_value(b: &[u8]) -> Value {
    let mut c = Settings::new();
    c.set_int("m1", u32_at(b, 0) as i64 * 8).set_int("d", u32_at(b, 4)).set_int("m2", u32_at(b, 8) as i64 * 8);
    Value::Map(c)
}

impl TcKind for HfscClass {
    fn role(&self) -> Role {
        Role::Class
    }
    fn kind(&self) -> &'static str {
        "hfsc"
    }
    fn keys(&self) -> &'static [&'static str] {
        &["sc", "rt", "ls", "ul"]
    }
    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _cx: &Ctx) -> Result<(), String> {
        let (sc, rt, ls, ul) = (nested(s, "sc")?, nested(s, "rt")?, nested(s, "ls")?, nested(s, "ul")?);
        if sc.is_some() && (rt.is_some() || ls.is_some()) {
            return Err("give sc, or rt and ls, not both".into());
        }
        let (rsc, fsc) = (sc.or(rt), sc.or(ls));
        if rsc.is_none() && fsc.is_none() && ul.is_none() {
            return Err("an hfsc class needs sc, rt or ls".into());
        }
        if ul.is_some() && fsc.is_none() {
            return Err("ul needs ls (or sc)".into());
        }
        let nest = b.nest_start_plain(TCA_OPTIONS);
        for (ty, c) in [(RSC, rsc), (FSC, fsc), (USC, ul)] {
            if let Some(c) = c {
                b.attr(ty, &c.iter().flat_map(|w| w.to_ne_bytes()).collect::<Vec<u8>>());
            }
        }
        b.nest_end(nest);
        Ok(())
    }
    fn decode(&self, o: &[u8]) -> Settings {
        let mut curves = [None; 3];
        for (ty, v) in attrs(o).map_while(Result::ok) {
            if (RSC..=USC).contains(&ty) && v.len() >= SC_LEN {
                curves[ty as usize - 1] = Some(&v[..SC_LEN]);
            }
        }
        let mut s = Settings::new();
        // As tc prints them: equal real-time and link-share curves are one `sc`.
        match (curves[0], curves[1]) {
            (Some(r), Some(f)) if r == f => {
                s.set("sc", curve_value(r));
            }
            (r, f) => {
                for (key, c) in [("rt", r), ("ls", f)] {
                    if let Some(c) = c {
                        s.set(key, curve_value(c));
                    }
                }
            }
        }
        if let Some(u) = curves[2] {
            s.set("ul", curve_value(u));
        }
        s
    }
    fn xstats(&self, x: &[u8]) -> Settings {
        // struct tc_hfsc_stats; tc prints nothing from a shorter one.
        let mut s = Settings::new();
        if x.len() >= 24 {
            let q = |off: usize| u64::from_ne_bytes(x[off..off + 8].try_into().unwrap_or([0; 8])).min(i64::MAX as u64) as i64;
            s.set_int("period", u32_at(x, 16)).set_int("work", q(0)).set_int("rtwork", q(8)).set_int("level", u32_at(x, 20));
        }
        s
    }
}

#[cfg(test)]
#[path = "hfsc_tests.rs"]
mod tests;
