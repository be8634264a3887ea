//! cake, Common Applications Kept Enhanced: one attribute per option in TCA_OPTIONS (the
//! bandwidth a u64 in bytes per second, the overhead an s32, modes as u32 enums), as iproute2
//! 6.1's q_cake.c sends them (in its order: a bandwidth also sends autorate off, an rtt also
//! its target, rtt / 20; `raw` is ATM off, overhead 0 and TCA_CAKE_RAW) and the kernel's
//! cake_dump writes them back. Its statistics are nested attributes (cake_stats.rs).

use super::fq_codel::time_u32;
use crate::rtnl::settings::{Settings, Value};
use crate::rtnl::tc::kind::{Ctx, Role, TcKind};
use crate::rtnl::tc::{units, TCA_OPTIONS};
use crate::wire::{attr_u32, attr_u64, attrs, MsgBuilder};

pub(super) const BASE_RATE64: u16 = 2;
pub(super) const DIFFSERV_MODE: u16 = 3;
pub(super) const ATM: u16 = 4;
pub(super) const FLOW_MODE: u16 = 5;
pub(super) const OVERHEAD: u16 = 6;
pub(super) const RTT: u16 = 7;
pub(super) const TARGET: u16 = 8;
pub(super) const AUTORATE: u16 = 9;
pub(super) const MEMORY: u16 = 10;
pub(super) const NAT: u16 = 11;
pub(super) const RAW: u16 = 12;
pub(super) const WASH: u16 = 13;
pub(super) const MPU: u16 = 14;
pub(super) const INGRESS: u16 = 15;
pub(super) const ACK_FILTER: u16 = 16;
pub(super) const SPLIT_GSO: u16 = 17;
pub(super) const FWMARK: u16 = 18;

/// The enums' names as tc -j prints them, by value.
const DIFFSERV: &[(&str, u32)] = &[("diffserv3", 0), ("diffserv4", 1), ("diffserv8", 2), ("besteffort", 3), ("precedence", 4)];
const FLOWMODE: &[(&str, u32)] = &[
    ("flowblind", 0),
    ("srchost", 1),
    ("dsthost", 2),
    ("hosts", 3),
    ("flows", 4),
    ("dual-srchost", 5),
    ("dual-dsthost", 6),
    ("triple-isolate", 7),
];
const ATM_MODES: &[(&str, u32)] = &[("noatm", 0), ("atm", 1), ("ptm", 2)];
const ACK_MODES: &[(&str, u32)] = &[("disabled", 0), ("enabled", 1), ("aggressive", 2)];
/// tc's rtt presets: the round-trip time in µs (the target is a twentieth of it).
const PRESETS: &[(&str, u32)] = &[
    ("datacentre", 100),
    ("lan", 1000),
    ("metro", 10000),
    ("regional", 30000),
    ("internet", 100000),
    ("oceanic", 300000),
    ("satellite", 1000000),
    ("interplanetary", 1000000000),
];

pub struct Cake;
pub static CAKE: Cake = Cake;

/// The bandwidth in bytes per second: 0 is `'unlimited'` (as tc's `unlimited` sends it).
fn bandwidth(s: &Settings) -> Result<Option<u64>, String> {
    if s.get("bandwidth") == Some(&Value::Str("unlimited".into())) {
        return Ok(Some(0));
    }
    Ok(units::rate(s, "bandwidth")?.map(|bits| bits / 8))
}

/// The rtt in µs: a time or one of tc's presets (`'internet'`).
fn rtt(s: &Settings) -> Result<Option<u32>, String> {
    if let Some(Value::Str(t)) = s.get("rtt") {
        if let Some((_, us)) = PRESETS.iter().find(|(n, _)| n == t) {
            return Ok(Some(*us));
        }
    }
    time_u32(s, "rtt")
}

fn name_of(table: &[(&'static str, u32)], v: u32) -> Value {
    Value::Str(table.iter().find(|(_, n)| *n == v).map_or("unknown", |(name, _)| name).into())
}

impl TcKind for Cake {
    fn role(&self) -> Role {
        Role::Qdisc
    }
    fn kind(&self) -> &'static str {
        "cake"
    }
    fn keys(&self) -> &'static [&'static str] {
        &[
            "bandwidth",
            "autorate",
            "rtt",
            "diffserv",
            "flowmode",
            "nat",
            "wash",
            "ackFilter",
            "splitGso",
            "atm",
            "overhead",
            "raw",
            "mpu",
            "memlimit",
            "fwmark",
            "ingress",
        ]
    }
    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _cx: &Ctx) -> Result<(), String> {
        let rate = bandwidth(s)?;
        let autorate = s.bool("autorate")?.map(u32::from).or(rate.map(|_| 0));
        let raw = s.bool("raw")?.unwrap_or(false);
        let atm = s.choice("atm", ATM_MODES)?.or(raw.then_some(0));
        let overhead = s.int("overhead", -64, 256)?.map(|o| o as i32).or(raw.then_some(0));
        let mpu = s.int("mpu", 0, 256)?.unwrap_or(0) as u32;
        let rtt = rtt(s)?.filter(|r| *r != 0);
        let memlimit = units::size(s, "memlimit", u32::MAX as u64)?.unwrap_or(0) as u32;
        let fwmark = s.u32("fwmark")?.unwrap_or(0);
        let bools = ["nat", "wash", "splitGso", "ingress"].map(|k| s.bool(k));
        let [nat, wash, split_gso, ingress] = bools;
        let (nat, wash, split_gso, ingress) = (nat?, wash?, split_gso?, ingress?);
        let nest = b.nest_start_plain(TCA_OPTIONS);
        if let Some(r) = rate {
            b.attr(BASE_RATE64, &r.to_ne_bytes());
        }
        for (ty, v) in [(DIFFSERV_MODE, s.choice("diffserv", DIFFSERV)?), (ATM, atm), (FLOW_MODE, s.choice("flowmode", FLOWMODE)?)] {
            if let Some(v) = v {
                b.attr_u32(ty, v);
            }
        }
        if let Some(o) = overhead {
            b.attr(OVERHEAD, &o.to_ne_bytes());
        }
        if raw {
            b.attr_u32(RAW, 0);
        }
        if mpu > 0 {
            b.attr_u32(MPU, mpu);
        }
        if let Some(r) = rtt {
            b.attr_u32(RTT, r).attr_u32(TARGET, (r / 20).max(1));
        }
        let words = [
            (AUTORATE, autorate),
            (MEMORY, (memlimit != 0).then_some(memlimit)),
            (FWMARK, (fwmark != 0).then_some(fwmark)),
            (NAT, nat.map(u32::from)),
            (WASH, wash.map(u32::from)),
            (SPLIT_GSO, split_gso.map(u32::from)),
            (INGRESS, ingress.map(u32::from)),
            (ACK_FILTER, s.choice("ackFilter", ACK_MODES)?),
        ];
        for (ty, v) in words {
            if let Some(v) = v {
                b.attr_u32(ty, v);
            }
        }
        b.nest_end(nest);
        Ok(())
    }
    fn decode(&self, o: &[u8]) -> Settings {
        let mut s = Settings::new();
        let mut raw = false;
        for (ty, v) in attrs(o).map_while(Result::ok) {
            if ty == BASE_RATE64 {
                match attr_u64(v) {
                    Some(0) => s.set_str("bandwidth", "unlimited"),
                    Some(r) => s.set_int("bandwidth", r.saturating_mul(8).min(i64::MAX as u64) as i64),
                    None => continue,
                };
                continue;
            }
            if ty == RAW {
                raw = true;
                continue;
            }
            let Some(n) = attr_u32(v) else { continue };
            match ty {
                AUTORATE => s.set_bool("autorate", n != 0),
                DIFFSERV_MODE => s.set("diffserv", name_of(DIFFSERV, n)),
                FLOW_MODE => s.set("flowmode", name_of(FLOWMODE, n)),
                NAT => s.set_bool("nat", n != 0),
                WASH => s.set_bool("wash", n != 0),
                INGRESS => s.set_bool("ingress", n != 0),
                ACK_FILTER => s.set("ackFilter", name_of(ACK_MODES, n)),
                SPLIT_GSO => s.set_bool("splitGso", n != 0),
                RTT => s.set_int("rtt", n),
                ATM => s.set("atm", name_of(ATM_MODES, n)),
                OVERHEAD => s.set_int("overhead", n as i32),
                // As tc prints them: only when set (tc sends neither when 0).
                MPU if n != 0 => s.set_int("mpu", n),
                MEMORY if n != 0 => s.set_int("memlimit", n),
                FWMARK => s.set_int("fwmark", n),
                _ => continue,
            };
        }
        if !s.is_empty() {
            s.set_bool("raw", raw);
        }
        s
    }
    fn xstats(&self, x: &[u8]) -> Settings {
        super::cake_stats::decode(x)
    }
}

#[cfg(test)]
#[path = "cake_tests.rs"]
mod tests;
