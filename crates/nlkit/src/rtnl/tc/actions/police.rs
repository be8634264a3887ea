//! police (`tc ... action police rate 1mbit burst 10k [mtu 2k peakrate 2mbit] [overhead N]
//! [linklayer atm] [mpu N] [avrate R] [pkts_rate N pkts_burst N] [conform-exceed drop/pipe]`):
//! TCA_POLICE_TBF (`struct tc_police`: the burst in scheduler ticks, rates in bytes/s) with the
//! rate tables tc computes (TCA_POLICE_RATE, PEAKRATE), then the 64-bit rates, avrate, the
//! conform result and the packet-rate attributes, in tc 6.1's order.

use super::gen;
use super::TCA_ACT_OPTIONS;
use crate::rtnl::settings::Settings;
use crate::rtnl::tc::kind::{Ctx, Role, TcKind};
use crate::rtnl::tc::psched::{self, LinkLayer};
use crate::rtnl::tc::units;
use crate::wire::{attr_u32, attr_u64, attrs, fixed, u16_at, u32_at, MsgBuilder};

const TCA_POLICE_TBF: u16 = 1;
const TCA_POLICE_RATE: u16 = 2;
const TCA_POLICE_PEAKRATE: u16 = 3;
const TCA_POLICE_AVRATE: u16 = 4;
const TCA_POLICE_RESULT: u16 = 5;
const TCA_POLICE_TM: u16 = 7;
const TCA_POLICE_RATE64: u16 = 8;
const TCA_POLICE_PEAKRATE64: u16 = 9;
const TCA_POLICE_PKTRATE64: u16 = 10;
const TCA_POLICE_PKTBURST64: u16 = 11;
/// `struct tc_police`: index, action, limit, burst, mtu, rate, peakrate, refcnt, bindcnt, capab.
const TBF_LEN: usize = 56;
/// tc's default verdict when the rate is exceeded.
const TC_ACT_RECLASSIFY: i32 = 1;
const LINK_LAYERS: &[(&str, LinkLayer)] = &[("ethernet", LinkLayer::Ethernet), ("atm", LinkLayer::Atm), ("adsl", LinkLayer::Atm)];

pub struct Police;
pub static POLICE: Police = Police;

/// A rate setting in bits/s as tc's bytes per second.
fn bytes_rate(s: &Settings, key: &str) -> Result<Option<u64>, String> {
    Ok(units::rate(s, key)?.map(|b| b / 8))
}

/// `struct tc_ratespec` { cell_log, linklayer, overhead, cell_align, mpu, rate }.
fn ratespec(rate: u64, cell_log: u8, ll: LinkLayer, overhead: u16, mpu: u16) -> [u8; 12] {
    let mut r = [0u8; 12];
    r[0] = cell_log;
    r[1] = ll as u8;
    r[2..4].copy_from_slice(&overhead.to_ne_bytes());
    r[4..6].copy_from_slice(&(-1i16).to_ne_bytes());
    r[6..8].copy_from_slice(&mpu.to_ne_bytes());
    r[8..12].copy_from_slice(&(rate.min(u32::MAX as u64) as u32).to_ne_bytes());
    r
}

fn table(t: &[u32; 256]) -> Vec<u8> {
    t.iter().flat_map(|v| v.to_ne_bytes()).collect()
}

/// `conformExceed: 'drop/pipe'`: the exceed verdict and, after a slash, the conform one.
fn verdicts(s: &Settings) -> Result<(i32, i32), String> {
    let Some(v) = s.str("conformExceed")? else { return Ok((TC_ACT_RECLASSIFY, 0)) };
    let (e, c) = v.split_once('/').unwrap_or((v, "pass"));
    Ok((gen::control("conformExceed", e)?, gen::control("conformExceed", c)?))
}

impl TcKind for Police {
    fn role(&self) -> Role {
        Role::Action
    }
    fn kind(&self) -> &'static str {
        "police"
    }
    fn keys(&self) -> &'static [&'static str] {
        &["rate", "burst", "mtu", "mpu", "peakrate", "overhead", "linklayer", "avrate", "pktsRate", "pktsBurst", "conformExceed", "index"]
    }
    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _cx: &Ctx) -> Result<(), String> {
        let rate = bytes_rate(s, "rate")?.filter(|r| *r > 0);
        let peak = bytes_rate(s, "peakrate")?.filter(|r| *r > 0);
        let avrate = bytes_rate(s, "avrate")?;
        if avrate.is_some_and(|a| a > u32::MAX as u64) {
            return Err("avrate is too large (at most 34359738360 bits/s)".into());
        }
        let burst = units::size(s, "burst", u32::MAX as u64)?.map(|v| v as u32);
        let mtu = units::size(s, "mtu", u32::MAX as u64)?.unwrap_or(0) as u32;
        let mpu = units::size(s, "mpu", u16::MAX as u64)?.unwrap_or(0) as u16;
        let overhead = s.u16("overhead")?.unwrap_or(0);
        let ll = s.choice("linklayer", LINK_LAYERS)?.unwrap_or(LinkLayer::Ethernet);
        let pps = s.int("pktsRate", 0, i64::MAX)?.map(|v| v as u64).filter(|v| *v > 0);
        let pps_burst = s.u32("pktsBurst")?;
        let index = s.u32("index")?.unwrap_or(0);
        let (action, result) = verdicts(s)?;
        // tc's own refusals.
        match (rate, burst) {
            (Some(_), None) => return Err("burst is required with rate".into()),
            (None, Some(_)) => return Err("burst needs a rate".into()),
            _ => {}
        }
        if peak.is_some() && (rate.is_none() || mtu == 0) {
            return Err("peakrate needs rate and mtu".into());
        }
        if rate.is_some() && pps.is_some() {
            return Err("rate and pktsRate are not allowed in the same action".into());
        }
        if pps.is_some() != pps_burst.is_some() {
            return Err("pktsRate and pktsBurst go together".into());
        }
        if rate.is_none() && avrate.is_none() && index == 0 && mtu == 0 && pps.is_none() {
            return Err("police needs rate, avrate, mtu, pktsRate or index".into());
        }
        let mut p = [0u8; TBF_LEN];
        p[0..4].copy_from_slice(&index.to_ne_bytes());
        p[4..8].copy_from_slice(&action.to_ne_bytes());
        p[16..20].copy_from_slice(&mtu.to_ne_bytes());
        let mut tabs = Vec::new();
        for (r, at, attr) in [(rate, 20, TCA_POLICE_RATE), (peak, 32, TCA_POLICE_PEAKRATE)] {
            if let Some(r) = r {
                let (t, cell_log) = psched::rtable(r, None, mtu, mpu as u32, ll);
                p[at..at + 12].copy_from_slice(&ratespec(r, cell_log, ll, overhead, mpu));
                tabs.push((attr, table(&t), r));
            }
        }
        if let (Some(r), Some(bu)) = (rate, burst) {
            p[12..16].copy_from_slice(&psched::xmittime(r, bu).to_ne_bytes());
        }
        let at = b.nest_start(TCA_ACT_OPTIONS);
        b.attr(TCA_POLICE_TBF, &p);
        for (attr, t, r) in &tabs {
            b.attr(*attr, t);
            if *r > u32::MAX as u64 {
                let big = if *attr == TCA_POLICE_RATE { TCA_POLICE_RATE64 } else { TCA_POLICE_PEAKRATE64 };
                b.attr(big, &r.to_ne_bytes());
            }
        }
        if let Some(a) = avrate {
            b.attr_u32(TCA_POLICE_AVRATE, a as u32);
        }
        if result != 0 {
            b.attr(TCA_POLICE_RESULT, &result.to_ne_bytes());
        }
        if let (Some(r), Some(bu)) = (pps, pps_burst) {
            b.attr(TCA_POLICE_PKTRATE64, &r.to_ne_bytes());
            b.attr(TCA_POLICE_PKTBURST64, &(psched::xmittime(r, bu) as u64).to_ne_bytes());
        }
        b.nest_end(at);
        Ok(())
    }
    fn decode(&self, o: &[u8]) -> Settings {
        let mut s = Settings::new();
        let (mut tbf, mut rate64, mut peak64, mut pps, mut pps_burst, mut result) = (None, None, None, None, None, None);
        let mut tm = None;
        let mut avrate = None;
        for (ty, a) in attrs(o).map_while(Result::ok) {
            match ty {
                TCA_POLICE_TBF if a.len() >= TBF_LEN => tbf = Some(fixed::<TBF_LEN>(a)),
                TCA_POLICE_RATE64 => rate64 = attr_u64(a),
                TCA_POLICE_PEAKRATE64 => peak64 = attr_u64(a),
                TCA_POLICE_PKTRATE64 => pps = attr_u64(a),
                TCA_POLICE_PKTBURST64 => pps_burst = attr_u64(a),
                TCA_POLICE_RESULT => result = attr_u32(a),
                TCA_POLICE_AVRATE => avrate = attr_u32(a),
                TCA_POLICE_TM => tm = Some(a),
                _ => {}
            }
        }
        let Some(p) = tbf else { return s };
        let rate = rate64.unwrap_or(u32_at(&p, 28) as u64);
        let peak = peak64.unwrap_or(u32_at(&p, 40) as u64);
        if rate > 0 {
            s.set_int("rate", rate.saturating_mul(8) as i64).set_int("burst", psched::xmitsize(rate, u32_at(&p, 12)));
            let ll = LINK_LAYERS.iter().find(|(_, l)| *l as u8 == p[21]).map_or("ethernet", |(n, _)| *n);
            s.set_str("linklayer", ll).set_int("overhead", u16_at(&p, 22));
            if u16_at(&p, 26) != 0 {
                s.set_int("mpu", u16_at(&p, 26));
            }
        }
        s.set_int("mtu", u32_at(&p, 16));
        if peak > 0 {
            s.set_int("peakrate", peak.saturating_mul(8) as i64);
        }
        if let Some(a) = avrate.filter(|a| *a > 0) {
            s.set_int("avrate", a as i64 * 8);
        }
        if let Some(r) = pps.filter(|r| *r > 0) {
            s.set_int("pktsRate", r.min(i64::MAX as u64) as i64);
            let ticks = pps_burst.unwrap_or(0).min(u32::MAX as u64) as u32;
            s.set_int("pktsBurst", psched::xmitsize(r, ticks));
        }
        let exceed = gen::control_name(u32_at(&p, 4) as i32);
        match result {
            Some(c) if c != 0 => s.set_str("conformExceed", format!("{exceed}/{}", gen::control_name(c as i32))),
            _ => s.set_str("conformExceed", exceed),
        };
        s.set_int("index", u32_at(&p, 0)).set_int("ref", u32_at(&p, 44) as i32).set_int("bind", u32_at(&p, 48) as i32);
        if let Some(t) = tm {
            gen::decode_tm(t, &mut s);
        }
        s
    }
}

#[cfg(test)]
mod tests;
