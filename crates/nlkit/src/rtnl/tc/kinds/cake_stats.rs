//! cake's statistics: TCA_STATS_APP holds TCA_CAKE_STATS_* attributes (cake_dump_stats: the
//! qdisc's, with one nest of TCA_CAKE_TIN_STATS_* per tin; cake_dump_class_stats: a flow's), read
//! with tc -j's names in camelCase. Rates in bits per second (tc -j prints bytes per second).

use crate::rtnl::settings::{Settings, Value};
use crate::wire::{attr_u32, attr_u64, attrs};

const CAPACITY_ESTIMATE64: u16 = 2;
const MEMORY_LIMIT: u16 = 3;
const MEMORY_USED: u16 = 4;
const AVG_NETOFF: u16 = 5;
const MIN_NETLEN: u16 = 6;
const MAX_NETLEN: u16 = 7;
const MIN_ADJLEN: u16 = 8;
const MAX_ADJLEN: u16 = 9;
const TIN_STATS: u16 = 10;
const DEFICIT: u16 = 11;
const COBALT_COUNT: u16 = 12;
const DROPPING: u16 = 13;
const DROP_NEXT_US: u16 = 14;
const P_DROP: u16 = 15;
const BLUE_TIMER_US: u16 = 16;
/// TC_CAKE_MAX_TINS: tc reads no more.
const MAX_TINS: usize = 8;

/// A tin's u32 counters (the two u64 ones apart), by attribute, as tc -j names them.
const TIN_U32: &[(u16, &str)] = &[
    (10, "backlogBytes"),
    (12, "targetUs"),
    (13, "intervalUs"),
    (17, "peakDelayUs"),
    (18, "avgDelayUs"),
    (19, "baseDelayUs"),
    (2, "sentPackets"),
    (14, "wayIndirectHits"),
    (15, "wayMisses"),
    (16, "wayCollisions"),
    (4, "drops"),
    (8, "ecnMark"),
    (6, "ackDrops"),
    (20, "sparseFlows"),
    (21, "bulkFlows"),
    (22, "unresponsiveFlows"),
    (23, "maxPktLen"),
    (24, "flowQuantum"),
];
const TIN_SENT_BYTES64: u16 = 3;
const TIN_THRESHOLD_RATE64: u16 = 11;

fn int64(v: u64) -> Value {
    Value::Int(v.min(i64::MAX as u64) as i64)
}

fn tin(b: &[u8]) -> Settings {
    let mut s = Settings::new();
    let found: Vec<(u16, &[u8])> = attrs(b).map_while(Result::ok).collect();
    let get = |ty: u16| found.iter().find(|(t, _)| *t == ty).map(|(_, v)| *v);
    // tc -j's order: the threshold rate and bytes first, then the u32 counters.
    if let Some(r) = get(TIN_THRESHOLD_RATE64).and_then(attr_u64) {
        s.set("thresholdRate", int64(r.saturating_mul(8)));
    }
    if let Some(n) = get(TIN_SENT_BYTES64).and_then(attr_u64) {
        s.set("sentBytes", int64(n));
    }
    for (ty, key) in TIN_U32 {
        if let Some(n) = get(*ty).and_then(attr_u32) {
            s.set_int(key, n);
        }
    }
    s
}

pub fn decode(x: &[u8]) -> Settings {
    let mut s = Settings::new();
    let mut dropping = false;
    for (ty, v) in attrs(x).map_while(Result::ok) {
        let key = match ty {
            CAPACITY_ESTIMATE64 => {
                if let Some(r) = attr_u64(v) {
                    s.set("capacityEstimate", int64(r.saturating_mul(8)));
                }
                continue;
            }
            TIN_STATS => {
                let tins: Vec<Value> = attrs(v).map_while(Result::ok).take(MAX_TINS).map(|(_, t)| Value::Map(tin(t))).collect();
                s.set("tins", Value::List(tins));
                continue;
            }
            DEFICIT | DROP_NEXT_US | BLUE_TIMER_US => {
                let key = match ty {
                    DEFICIT => "deficit",
                    DROP_NEXT_US => "dropNext",
                    _ => "blueTimer",
                };
                if let Some(n) = attr_u32(v) {
                    s.set_int(key, n as i32);
                }
                continue;
            }
            DROPPING => {
                dropping = attr_u32(v).is_some_and(|n| n != 0);
                s.set_bool("dropping", dropping);
                continue;
            }
            MEMORY_USED => "memoryUsed",
            MEMORY_LIMIT => "memoryLimit",
            MIN_NETLEN => "minNetworkSize",
            MAX_NETLEN => "maxNetworkSize",
            MIN_ADJLEN => "minAdjSize",
            MAX_ADJLEN => "maxAdjSize",
            AVG_NETOFF => "avgHdrOffset",
            COBALT_COUNT => "count",
            P_DROP => "blueProb",
            _ => continue,
        };
        if let Some(n) = attr_u32(v) {
            s.set_int(key, n);
        }
    }
    // As tc: the time to the next drop only while dropping.
    if !dropping {
        s.0.retain(|(k, _)| k != "dropNext");
    }
    s
}
