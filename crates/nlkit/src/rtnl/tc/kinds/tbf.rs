//! tbf, the token bucket filter: `struct tc_tbf_qopt` (rate and peak-rate ratespecs, limit, the
//! bucket and the peak bucket in ticks) with the rate tables, the buckets in bytes and the
//! 64-bit rates, as iproute2 6.1's q_tbf.c encodes them.

use super::shaping::{self, bits, c_uint, put_ratespec, read_ratespec};
use crate::rtnl::settings::Settings;
use crate::rtnl::tc::kind::{Ctx, Role, TcKind};
use crate::rtnl::tc::psched::{ratespec, rtable, table_bytes, xmitsize, xmittime, TIME_UNITS_PER_SEC};
use crate::rtnl::tc::{units, TCA_OPTIONS};
use crate::wire::{attr_u64, attrs, u32_at, MsgBuilder};

const TCA_TBF_PARMS: u16 = 1;
const TCA_TBF_RTAB: u16 = 2;
const TCA_TBF_PTAB: u16 = 3;
const TCA_TBF_RATE64: u16 = 4;
const TCA_TBF_PRATE64: u16 = 5;
const TCA_TBF_BURST: u16 = 6;
const TCA_TBF_PBURST: u16 = 7;
const QOPT_LEN: usize = 36; // struct tc_tbf_qopt

pub struct Tbf;
pub static TBF: Tbf = Tbf;

impl TcKind for Tbf {
    fn role(&self) -> Role {
        Role::Qdisc
    }
    fn kind(&self) -> &'static str {
        "tbf"
    }
    fn keys(&self) -> &'static [&'static str] {
        &["rate", "burst", "limit", "latency", "peakrate", "mtu", "mpu", "overhead", "linklayer"]
    }
    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _cx: &Ctx) -> Result<(), String> {
        let rate64 = shaping::rate_bytes(s, "rate")?.filter(|r| *r > 0).ok_or("rate is required (and not 0)")?;
        let (buffer, rcell) = shaping::size_and_cell(s, "burst")?;
        let buffer = buffer.filter(|b| *b > 0).ok_or("burst is required (and not 0)")?;
        let (mtu, pcell) = shaping::size_and_cell(s, "mtu")?;
        let mtu = mtu.unwrap_or(0);
        let prate64 = shaping::rate_bytes(s, "peakrate")?.unwrap_or(0);
        if prate64 > 0 && mtu == 0 {
            return Err("peakrate needs mtu (tc's mtu or minburst)".into());
        }
        let limit = units::size(s, "limit", u32::MAX as u64)?.map(|v| v as u32).filter(|l| *l > 0);
        let latency = units::time(s, "latency", u32::MAX as u64)?.filter(|l| *l > 0);
        let limit = match (limit, latency) {
            (Some(_), Some(_)) => return Err("give limit or latency, not both".into()),
            (None, None) => return Err("limit or latency is required".into()),
            (Some(l), None) => l,
            (None, Some(lat)) => {
                // The queue that drains in `latency` at the rate (and at the peak rate), as tc computes it.
                let mut lim = rate64 as f64 * lat as f64 / TIME_UNITS_PER_SEC + buffer as f64;
                if prate64 > 0 {
                    lim = lim.min(prate64 as f64 * lat as f64 / TIME_UNITS_PER_SEC + mtu as f64);
                }
                c_uint(lim)
            }
        };
        let mpu = shaping::u16_size(s, "mpu")?;
        let overhead = shaping::u16_size(s, "overhead")?;
        let ll = shaping::linklayer(s)?;
        // tc computes the tables and both buckets' ticks from the u32 rates of the ratespecs.
        let (rate32, prate32) = (rate64.min(u32::MAX as u64), prate64.min(u32::MAX as u64));
        let (rtab, rlog) = rtable(rate32, rcell, mtu, mpu as u32, ll);
        let mut qopt = Vec::with_capacity(QOPT_LEN);
        qopt.extend_from_slice(&ratespec(rlog, ll, overhead, mpu, rate32));
        let ptab = (prate32 > 0).then(|| rtable(prate32, pcell, mtu, mpu as u32, ll));
        let peak_ticks = match ptab {
            Some((_, plog)) => {
                qopt.extend_from_slice(&ratespec(plog, ll, overhead, mpu, prate32));
                xmittime(prate32, mtu)
            }
            None => {
                qopt.extend_from_slice(&[0; 12]);
                0
            }
        };
        for w in [limit, xmittime(rate32, buffer), peak_ticks] {
            qopt.extend_from_slice(&w.to_ne_bytes()); // limit, buffer, mtu
        }
        let nest = b.nest_start_plain(TCA_OPTIONS);
        b.attr(TCA_TBF_PARMS, &qopt);
        b.attr_u32(TCA_TBF_BURST, buffer);
        if rate64 > u32::MAX as u64 {
            b.attr(TCA_TBF_RATE64, &rate64.to_ne_bytes());
        }
        b.attr(TCA_TBF_RTAB, &table_bytes(&rtab));
        if let Some((ptab, _)) = ptab {
            if prate64 > u32::MAX as u64 {
                b.attr(TCA_TBF_PRATE64, &prate64.to_ne_bytes());
            }
            b.attr_u32(TCA_TBF_PBURST, mtu);
            b.attr(TCA_TBF_PTAB, &table_bytes(&ptab));
        }
        b.nest_end(nest);
        Ok(())
    }
    fn decode(&self, o: &[u8]) -> Settings {
        let (mut parms, mut rate64, mut prate64) = (None, None, None);
        for (ty, v) in attrs(o).map_while(Result::ok) {
            match ty {
                TCA_TBF_PARMS if v.len() >= QOPT_LEN => parms = Some(v),
                TCA_TBF_RATE64 => rate64 = attr_u64(v),
                TCA_TBF_PRATE64 => prate64 = attr_u64(v),
                _ => {}
            }
        }
        let mut s = Settings::new();
        let Some(p) = parms else { return s };
        let (rate, peak) = (read_ratespec(p, 0), read_ratespec(p, 12));
        let r = rate64.unwrap_or(rate.rate as u64);
        s.set_int("rate", bits(rate.rate, rate64));
        // The buckets back in bytes, as tc prints them (tc_calc_xmitsize of the ticks).
        s.set_int("burst", xmitsize(r, u32_at(p, 28)));
        s.set_int("limit", u32_at(p, 24));
        let pr = prate64.unwrap_or(peak.rate as u64);
        if pr > 0 {
            s.set_int("peakrate", bits(peak.rate, prate64));
            s.set_int("mtu", xmitsize(pr, u32_at(p, 32)));
        }
        put_ratespec(&mut s, &rate);
        s
    }
}

#[cfg(test)]
#[path = "tbf_tests.rs"]
mod tests;
