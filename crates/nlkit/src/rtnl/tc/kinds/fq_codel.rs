//! fq_codel, fair queueing with CoDel on each flow: one u32 attribute per option in TCA_OPTIONS
//! (times in µs), as iproute2 6.1's q_fq_codel.c sends them (a zero count or time is left out,
//! as tc leaves it out) and the kernel's fq_codel_dump writes them back. Extended statistics
//! are `struct tc_fq_codel_xstats`: the qdisc's counters or, for a flow (a class), its state.

use crate::rtnl::settings::Settings;
use crate::rtnl::tc::kind::{Ctx, Role, TcKind};
use crate::rtnl::tc::{units, TCA_OPTIONS};
use crate::wire::{attr_u32, attr_u8, attrs, u32_at, MsgBuilder};

const TARGET: u16 = 1;
const LIMIT: u16 = 2;
const INTERVAL: u16 = 3;
const ECN: u16 = 4;
const FLOWS: u16 = 5;
const QUANTUM: u16 = 6;
const CE_THRESHOLD: u16 = 7;
const DROP_BATCH_SIZE: u16 = 8;
const MEMORY_LIMIT: u16 = 9;
const CE_THRESHOLD_SELECTOR: u16 = 10;
const CE_THRESHOLD_MASK: u16 = 11;
const XSTATS_QDISC: u32 = 0;
const XSTATS_CLASS: u32 = 1;

/// The u32 options tc sends only when not zero, in tc's order, with their attribute.
const COUNTS: &[(&str, u16)] = &[("limit", LIMIT), ("flows", FLOWS), ("quantum", QUANTUM)];

pub struct FqCodel;
pub static FQ_CODEL: FqCodel = FqCodel;

/// A time option in µs (a number or tc's `'5ms'`), as a u32.
pub(super) fn time_u32(s: &Settings, key: &str) -> Result<Option<u32>, String> {
    Ok(units::time(s, key, u32::MAX as u64)?.map(|v| v as u32))
}

impl TcKind for FqCodel {
    fn role(&self) -> Role {
        Role::Qdisc
    }
    fn kind(&self) -> &'static str {
        "fq_codel"
    }
    fn keys(&self) -> &'static [&'static str] {
        &[
            "limit",
            "flows",
            "target",
            "interval",
            "quantum",
            "ecn",
            "ceThreshold",
            "ceThresholdSelector",
            "ceThresholdMask",
            "memoryLimit",
            "dropBatch",
        ]
    }
    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _cx: &Ctx) -> Result<(), String> {
        let mut counts = Vec::new();
        for (key, ty) in COUNTS {
            counts.push((*ty, if *key == "quantum" { units::size(s, key, u32::MAX as u64)?.map(|v| v as u32) } else { s.u32(key)? }));
        }
        let (interval, target) = (time_u32(s, "interval")?, time_u32(s, "target")?);
        let ecn = s.bool("ecn")?;
        let ce = time_u32(s, "ceThreshold")?;
        let selector = match (s.u8("ceThresholdSelector")?, s.u8("ceThresholdMask")?) {
            (Some(v), Some(m)) => Some((v, m)),
            (None, None) => None,
            _ => return Err("ceThresholdSelector and ceThresholdMask go together".into()),
        };
        if selector.is_some() && ce.is_none() {
            return Err("ceThresholdSelector needs ceThreshold".into());
        }
        let memory = units::size(s, "memoryLimit", u32::MAX as u64 - 1)?.map(|v| v as u32);
        let batch = s.u32("dropBatch")?;
        let nest = b.nest_start_plain(TCA_OPTIONS);
        counts.extend([(INTERVAL, interval), (TARGET, target)]);
        for (ty, v) in counts {
            if let Some(v) = v.filter(|v| *v != 0) {
                b.attr_u32(ty, v);
            }
        }
        if let Some(e) = ecn {
            b.attr_u32(ECN, e as u32);
        }
        if let Some(ce) = ce {
            b.attr_u32(CE_THRESHOLD, ce);
        }
        if let Some((v, m)) = selector {
            b.attr_u8(CE_THRESHOLD_MASK, m).attr_u8(CE_THRESHOLD_SELECTOR, v);
        }
        if let Some(m) = memory {
            b.attr_u32(MEMORY_LIMIT, m);
        }
        if let Some(n) = batch.filter(|n| *n != 0) {
            b.attr_u32(DROP_BATCH_SIZE, n);
        }
        b.nest_end(nest);
        Ok(())
    }
    fn decode(&self, o: &[u8]) -> Settings {
        let mut s = Settings::new();
        let (mut sel, mut mask) = (0, 0);
        for (ty, v) in attrs(o).map_while(Result::ok) {
            let key = match ty {
                LIMIT => "limit",
                FLOWS => "flows",
                QUANTUM => "quantum",
                TARGET => "target",
                CE_THRESHOLD => "ceThreshold",
                INTERVAL => "interval",
                MEMORY_LIMIT => "memoryLimit",
                DROP_BATCH_SIZE => "dropBatch",
                ECN => {
                    if let Some(e) = attr_u32(v) {
                        s.set_bool("ecn", e != 0);
                    }
                    continue;
                }
                CE_THRESHOLD_SELECTOR => {
                    sel = attr_u8(v).unwrap_or(0);
                    continue;
                }
                CE_THRESHOLD_MASK => {
                    mask = attr_u8(v).unwrap_or(0);
                    continue;
                }
                _ => continue,
            };
            if let Some(n) = attr_u32(v) {
                s.set_int(key, n);
            }
        }
        // tc prints the selector when either part is set.
        if sel != 0 || mask != 0 {
            s.set_int("ceThresholdSelector", sel).set_int("ceThresholdMask", mask);
        }
        s
    }
    fn xstats(&self, x: &[u8]) -> Settings {
        // A shorter struct reads as zeros past its end, as tc reads it.
        let mut s = Settings::new();
        let w = |i: usize| u32_at(x, 4 + 4 * i);
        match (x.len() >= 4).then(|| u32_at(x, 0)) {
            Some(XSTATS_QDISC) => {
                for (i, key) in
                    ["maxpacket", "dropOverlimit", "ecnMark", "newFlowCount", "newFlowsLen", "oldFlowsLen", "ceMark", "memoryUsed"]
                        .iter()
                        .enumerate()
                {
                    s.set_int(key, w(i));
                }
                s.set_int("dropOvermemory", w(8));
            }
            Some(XSTATS_CLASS) => {
                s.set_int("deficit", w(0) as i32).set_int("ldelay", w(1)).set_int("count", w(2)).set_int("lastcount", w(3));
                s.set_bool("dropping", w(4) != 0);
                if w(4) != 0 {
                    s.set_int("dropNext", w(5) as i32);
                }
            }
            _ => {}
        }
        s
    }
}

#[cfg(test)]
#[path = "fq_codel_tests.rs"]
mod tests;
