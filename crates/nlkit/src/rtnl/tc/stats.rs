//! `tc -s`'s statistics: TCA_STATS2 (basic, rate estimator, queue, 64-bit packet counts) with
//! the legacy TCA_STATS as a fallback for kernels or objects that send only that.

use crate::wire::{attr_u64, attrs, u32_at};

const TCA_STATS_BASIC: u16 = 1;
const TCA_STATS_RATE_EST: u16 = 2;
const TCA_STATS_QUEUE: u16 = 3;
/// The kind's extended statistics (what TCA_XSTATS also carries).
pub const TCA_STATS_APP: u16 = 4;
const TCA_STATS_RATE_EST64: u16 = 5;
const TCA_STATS_PKT64: u16 = 8;

/// Counters as `tc -s -j` names them; bytes and packets are 64-bit, rates in bits per second
/// (`tc -j` prints bytes per second: multiply its `rate` by 8) and packets per second.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    pub bytes: u64,
    pub packets: u64,
    pub drops: u32,
    pub overlimits: u32,
    pub requeues: u32,
    pub backlog: u32,
    pub qlen: u32,
    pub rate: u64,
    pub pps: u64,
}

/// TCA_STATS2's nest. Returns the stats and the TCA_STATS_APP payload, if any.
pub fn decode_stats2(v: &[u8]) -> (Stats, Option<&[u8]>) {
    let mut s = Stats::default();
    let mut app = None;
    let mut pkt64 = None;
    for (ty, a) in attrs(v).map_while(Result::ok) {
        match ty {
            TCA_STATS_BASIC if a.len() >= 12 => {
                s.bytes = attr_u64(a).unwrap_or(0);
                s.packets = u32_at(a, 8) as u64;
            }
            TCA_STATS_PKT64 => pkt64 = attr_u64(a),
            TCA_STATS_RATE_EST if a.len() >= 8 => {
                s.rate = u32_at(a, 0) as u64 * 8;
                s.pps = u32_at(a, 4) as u64;
            }
            TCA_STATS_RATE_EST64 if a.len() >= 16 => {
                s.rate = attr_u64(a).unwrap_or(0).saturating_mul(8);
                s.pps = attr_u64(&a[8..]).unwrap_or(0);
            }
            TCA_STATS_QUEUE if a.len() >= 20 => {
                s.qlen = u32_at(a, 0);
                s.backlog = u32_at(a, 4);
                s.drops = u32_at(a, 8);
                s.requeues = u32_at(a, 12);
                s.overlimits = u32_at(a, 16);
            }
            TCA_STATS_APP => app = Some(a),
            _ => {}
        }
    }
    if let Some(p) = pkt64 {
        s.packets = p;
    }
    (s, app)
}

/// The legacy `struct tc_stats` (TCA_STATS).
pub fn decode_legacy(a: &[u8]) -> Option<Stats> {
    (a.len() >= 36).then(|| Stats {
        bytes: attr_u64(a).unwrap_or(0),
        packets: u32_at(a, 8) as u64,
        drops: u32_at(a, 12),
        overlimits: u32_at(a, 16),
        rate: u32_at(a, 20) as u64 * 8,
        pps: u32_at(a, 24) as u64,
        qlen: u32_at(a, 28),
        backlog: u32_at(a, 32),
        requeues: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::MsgBuilder;

    #[test]
    fn stats2_with_64_bit_packets_and_garbage() {
        let mut b = MsgBuilder::new(0, 0);
        let mut basic = 5_000_000_000u64.to_ne_bytes().to_vec();
        basic.extend_from_slice(&7u32.to_ne_bytes());
        basic.extend_from_slice(&[0; 4]);
        b.attr(TCA_STATS_BASIC, &basic);
        b.attr(TCA_STATS_PKT64, &6_000_000_000u64.to_ne_bytes());
        let q: Vec<u8> = [1u32, 2, 3, 4, 5].iter().flat_map(|v| v.to_ne_bytes()).collect();
        b.attr(TCA_STATS_QUEUE, &q);
        b.attr(TCA_STATS_RATE_EST, &[1, 0]); // short: ignored
        b.attr(TCA_STATS_APP, &[9, 9, 9, 9]);
        let m = b.finish();
        let (s, app) = decode_stats2(&m[16..]);
        assert_eq!(s.bytes, 5_000_000_000);
        assert_eq!(s.packets, 6_000_000_000);
        assert_eq!((s.qlen, s.backlog, s.drops, s.requeues, s.overlimits), (1, 2, 3, 4, 5));
        assert_eq!(s.rate, 0);
        assert_eq!(app, Some(&[9u8, 9, 9, 9][..]));
        assert_eq!(decode_legacy(&[0; 10]), None);
        for n in 0..m.len() {
            let _ = decode_stats2(&m[16.min(n)..n]);
        }
    }
}
