//! What the rate-table shapers (htb's classes, tbf) share: rates given in bits per second and
//! sent in bytes per second, `linklayer`, and `struct tc_ratespec` read back.

use crate::rtnl::settings::{Settings, Value};
use crate::rtnl::tc::psched::LinkLayer;
use crate::rtnl::tc::units;
use crate::wire::{u16_at, u32_at};

/// A rate option in bytes per second, as tc's `get_rate64` makes it (bits / 8, truncated).
pub fn rate_bytes(s: &Settings, key: &str) -> Result<Option<u64>, String> {
    Ok(units::rate(s, key)?.map(|bits| bits / 8))
}

/// A byte count that tc reads into a u16 (`mpu` of htb, `overhead`).
pub fn u16_size(s: &Settings, key: &str) -> Result<u16, String> {
    Ok(units::size(s, key, u16::MAX as u64)?.unwrap_or(0) as u16)
}

/// `linklayer ethernet|atm|adsl` (adsl is atm, as in tc).
pub fn linklayer(s: &Settings) -> Result<LinkLayer, String> {
    let names = [("ethernet", LinkLayer::Ethernet), ("atm", LinkLayer::Atm), ("adsl", LinkLayer::Atm)];
    Ok(s.choice("linklayer", &names)?.unwrap_or(LinkLayer::Ethernet))
}

/// A dumped `struct tc_ratespec`'s linklayer, overhead, mpu and (u32) rate.
pub struct RateSpec {
    pub linklayer: u8,
    pub overhead: u16,
    pub mpu: u16,
    pub rate: u32,
}

pub fn read_ratespec(b: &[u8], off: usize) -> RateSpec {
    let linklayer = b.get(off + 1).copied().unwrap_or(0) & 0x0F; // TC_LINKLAYER_MASK
    RateSpec { linklayer, overhead: u16_at(b, off + 2), mpu: u16_at(b, off + 6), rate: u32_at(b, off + 8) }
}

/// The common keys of a ratespec, as tc prints them: overhead and mpu when set, linklayer
/// when not ethernet.
pub fn put_ratespec(s: &mut Settings, r: &RateSpec) {
    if r.overhead != 0 {
        s.set_int("overhead", r.overhead);
    }
    if r.mpu != 0 {
        s.set_int("mpu", r.mpu);
    }
    if r.linklayer == LinkLayer::Atm as u8 {
        s.set_str("linklayer", "atm");
    }
}

/// A rate in bits per second from its u32 field and its 64-bit attribute (when sent).
pub fn bits(rate32: u32, rate64: Option<u64>) -> i64 {
    rate64.unwrap_or(rate32 as u64).saturating_mul(8).min(i64::MAX as u64) as i64
}

/// A burst as tc takes it: a size, optionally with `/cell` (a power of two: the rate table's
/// cell size).
pub fn size_and_cell(s: &Settings, key: &str) -> Result<(Option<u32>, Option<u8>), String> {
    if let Some(Value::Str(t)) = s.get(key) {
        if let Some((size, cell)) = t.split_once('/') {
            let mut one = Settings::new();
            one.set_str(key, size);
            let sz = units::size(&one, key, u32::MAX as u64)?.map(|v| v as u32);
            let c: u32 = cell.trim().parse().map_err(|_| format!("{key}: cell {cell:?} is not a number"))?;
            if !c.is_power_of_two() {
                return Err(format!("{key}: cell {c} is not a power of two"));
            }
            return Ok((sz, Some(c.trailing_zeros() as u8)));
        }
    }
    Ok((units::size(s, key, u32::MAX as u64)?.map(|v| v as u32), None))
}

/// C's double to `unsigned int` as tc's build converts it (x86-64: low 32 bits of the 64-bit
/// conversion).
pub fn c_uint(x: f64) -> u32 {
    x as i64 as u32
}
