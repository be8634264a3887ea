//! tc's clock arithmetic (iproute2's tc_core.c): the kernel's packet-scheduler tick as
//! /proc/net/psched advertises it, times in ticks (netem's latency, tbf's buffer), transmit
//! times and rate tables (htb, tbf). Requests must carry the values tc computes, so this
//! follows tc's arithmetic, truncations included.

use std::sync::OnceLock;

/// tc's TIME_UNITS_PER_SEC: times are microseconds.
pub const TIME_UNITS_PER_SEC: f64 = 1_000_000.0;

/// Link layers a rate table accounts for (`linklayer ethernet|atm`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkLayer {
    Ethernet = 1,
    Atm = 2,
}

const ATM_CELL_PAYLOAD: u32 = 48;
const ATM_CELL_SIZE: u32 = 53;

/// (tick_in_usec, clock_factor), read once; tc's defaults (1, 1) if the file is unreadable.
fn clock() -> (f64, f64) {
    static CLOCK: OnceLock<(f64, f64)> = OnceLock::new();
    *CLOCK.get_or_init(|| std::fs::read_to_string("/proc/net/psched").ok().and_then(|s| parse(&s)).unwrap_or((1.0, 1.0)))
}

/// Parses `%08x%08x%08x` (t2us, us2t, clock_res) as tc_core_init does.
fn parse(s: &str) -> Option<(f64, f64)> {
    let mut w = s.split_whitespace().map(|x| u32::from_str_radix(x, 16).ok());
    let (mut t2us, us2t, res) = (w.next()??, w.next()??, w.next()??);
    if res == 1_000_000_000 {
        t2us = us2t; // the kernel's compatibility hack for nanosecond clocks
    }
    if us2t == 0 {
        return None;
    }
    let factor = res as f64 / TIME_UNITS_PER_SEC;
    Some((t2us as f64 / us2t as f64 * factor, factor))
}

/// Microseconds to scheduler ticks (`tc_core_time2tick`), saturating at u32.
pub fn time2tick(us: u64) -> u32 {
    (us as f64 * clock().0).min(u32::MAX as f64) as u32
}

/// Whether a time in µs is too large for u32 ticks (`tc_core_time2big`).
pub fn time2big(us: u64) -> bool {
    us > u32::MAX as u64 || us as f64 * clock().0 >= 4294967296.0
}

/// Scheduler ticks to microseconds (`tc_core_tick2time`).
pub fn tick2time(tick: u32) -> u64 {
    (tick as f64 / clock().0) as u64
}

/// Microseconds to the kernel's time unit (`tc_core_time2ktime`).
pub fn time2ktime(us: u64) -> u64 {
    (us as f64 * clock().1) as u64
}

/// C's double to `unsigned int` on x86-64 (cvttsd2si to 64 bits, low 32 kept): tc's transmit
/// times wrap rather than saturate (`rate 8bit` gives a buffer of 2.5e10 ticks, sent mod 2^32).
fn c_uint(x: f64) -> u32 {
    x as i64 as u32
}

/// The ticks it takes to send `size` bytes at `rate` bytes per second (`tc_calc_xmittime`),
/// with tc's two `unsigned int` conversions (microseconds, then ticks).
pub fn xmittime(rate: u64, size: u32) -> u32 {
    if rate == 0 {
        return u32::MAX;
    }
    c_uint(xmit_ticks(rate, size))
}

fn xmit_ticks(rate: u64, size: u32) -> f64 {
    c_uint(TIME_UNITS_PER_SEC * (size as f64 / rate as f64)) as f64 * clock().0
}

/// A rate table's cell: tc 6.1's build (its tc_calc_rtable loop, measured) sends 0 where the
/// ticks pass u32, where a lone [`xmittime`] wraps (`rate 8bit`: cells from 35 on are 0).
fn table_cell(rate: u64, size: u32) -> u32 {
    match rate {
        0 => u32::MAX,
        _ => Some(xmit_ticks(rate, size)).filter(|t| *t < 4_294_967_296.0).map_or(0, |t| t as u32),
    }
}

/// The kernel's HZ as tc's `get_hz` reads it: psched's fourth field when the third is 1000000
/// (high-resolution timers: 1e9 here), else 100. htb's default burst is `rate / hz + mtu`.
pub fn hz() -> u64 {
    static HZ: OnceLock<u64> = OnceLock::new();
    *HZ.get_or_init(|| std::fs::read_to_string("/proc/net/psched").ok().and_then(|s| parse_hz(&s)).unwrap_or(100))
}

fn parse_hz(s: &str) -> Option<u64> {
    let w: Vec<u32> = s.split_whitespace().filter_map(|x| u32::from_str_radix(x, 16).ok()).collect();
    match w.as_slice() {
        [_, _, 1_000_000, d, ..] if *d != 0 => Some(*d as u64),
        _ => None,
    }
}

/// The bytes sent in `ticks` at `rate` bytes per second (`tc_calc_xmitsize`).
pub fn xmitsize(rate: u64, ticks: u32) -> u32 {
    ((rate as f64 * tick2time(ticks) as f64) / TIME_UNITS_PER_SEC) as u32
}

fn adjust_size(size: u32, mpu: u32, ll: LinkLayer) -> u32 {
    let size = size.max(mpu);
    match ll {
        LinkLayer::Ethernet => size,
        LinkLayer::Atm => size.div_ceil(ATM_CELL_PAYLOAD).saturating_mul(ATM_CELL_SIZE),
    }
}

/// A rate table (`tc_calc_rtable`): the transmit time of packets of `(i + 1) << cell_log`
/// bytes, for `rate` bytes per second. `cell_log` `None` picks the smallest that covers `mtu`
/// (0: 2047) in 256 cells. Returns the table and the cell_log used.
pub fn rtable(rate: u64, cell_log: Option<u8>, mtu: u32, mpu: u32, ll: LinkLayer) -> ([u32; 256], u8) {
    let mtu = if mtu == 0 { 2047 } else { mtu };
    let cell_log = cell_log.unwrap_or_else(|| {
        let mut c = 0u8;
        while c < 31 && (mtu >> c) > 255 {
            c += 1;
        }
        c
    });
    let mut t = [0u32; 256];
    for (i, slot) in t.iter_mut().enumerate() {
        let sz = adjust_size(((i as u32) + 1).checked_shl(cell_log as u32).unwrap_or(u32::MAX), mpu, ll);
        *slot = table_cell(rate, sz);
    }
    (t, cell_log)
}

/// `struct tc_ratespec` (cell_log, linklayer, overhead, cell_align, mpu, rate) as tc fills it
/// after `tc_calc_rtable`: cell_align -1, the rate clamped to u32 bytes per second.
pub fn ratespec(cell_log: u8, ll: LinkLayer, overhead: u16, mpu: u16, rate: u64) -> [u8; 12] {
    let mut r = [0u8; 12];
    r[0] = cell_log;
    r[1] = ll as u8;
    r[2..4].copy_from_slice(&overhead.to_ne_bytes());
    r[4..6].copy_from_slice(&(-1i16).to_ne_bytes());
    r[6..8].copy_from_slice(&mpu.to_ne_bytes());
    r[8..12].copy_from_slice(&(rate.min(u32::MAX as u64) as u32).to_ne_bytes());
    r
}

/// A rate table's 1024 bytes.
pub fn table_bytes(t: &[u32; 256]) -> Vec<u8> {
    t.iter().flat_map(|v| v.to_ne_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_from_proc_as_tc_reads_it() {
        // This kernel's /proc/net/psched: 1000 / 64 = 15.625 ticks per microsecond.
        assert_eq!(parse("000003e8 00000040 000f4240 3b9aca00"), Some((15.625, 1.0)));
        assert_eq!(parse("000003e8 00000040 3b9aca00"), Some((1000.0, 1000.0)));
        assert_eq!(parse("zz"), None);
        assert_eq!(parse("1 0 1"), None);
        assert_eq!(parse_hz("000003e8 00000040 000f4240 3b9aca00"), Some(1_000_000_000));
        assert_eq!(parse_hz("000003e8 00000040 00000064 3b9aca00"), None);
        assert_eq!(parse_hz("1 2"), None);
    }

    #[test]
    fn tables_are_monotonic_and_bounded() {
        let (t, log) = rtable(1_250_000, None, 1600, 0, LinkLayer::Ethernet);
        assert_eq!(log, 3);
        assert!(t.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(xmittime(0, 100), u32::MAX);
        let (_, log) = rtable(1, None, u32::MAX, 0, LinkLayer::Atm);
        assert!(log <= 31);
    }
}
