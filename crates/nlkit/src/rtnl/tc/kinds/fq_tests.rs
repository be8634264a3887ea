//! fq against iproute2 6.1's whole messages (tc on a veth, ifindex 3, in a scratch namespace of
//! this kernel, which has no fq: tc encodes anyway; seq zeroed), decoded from replies laid out as
//! fq_dump and fq_dump_stats write them.

use super::*;
use crate::rtnl::tc::kinds::testutil::{hex, opts, qdisc_request, sorted};
use crate::rtnl::tc::TcOp;

fn request(handle: u32, s: Settings, op: TcOp) -> Result<Vec<u8>, String> {
    qdisc_request("fq", handle, s, op)
}

/// A capture's handle, the options for nlkit, the operation, tc's bytes.
type Case = (u32, &'static [(&'static str, &'static str)], TcOp, &'static str);

#[test]
fn as_tc_sends_it() {
    let cases: &[Case] = &[
        // tc qdisc add dev a root fq
        (0, &[], TcOp::Add, include_str!("testdata/fq-q0.hex")),
        // ... handle 1: fq limit 5000 flow_limit 50 quantum 3028 initial_quantum 15140
        //     maxrate 100mbit buckets 1000 orphan_mask 511 pacing refill_delay 40ms
        //     low_rate_threshold 550kbit ce_threshold 4ms timer_slack 20us horizon 5s horizon_drop
        (
            0x10000,
            &[
                ("limit", "5000"),
                ("flowLimit", "50"),
                ("quantum", "3028"),
                ("initialQuantum", "15140"),
                ("maxrate", "100mbit"),
                ("buckets", "1000"),
                ("orphanMask", "511"),
                ("pacing", "true"),
                ("refillDelay", "40ms"),
                ("lowRateThreshold", "550000"),
                ("ceThreshold", "4000"),
                ("timerSlack", "20"),
                ("horizon", "5s"),
                ("horizonDrop", "true"),
            ],
            TcOp::Add,
            include_str!("testdata/fq-q1.hex"),
        ),
        // ... fq nopacing horizon_cap buckets 1024 timer_slack 10500 (tc: ns)
        (
            0,
            &[("pacing", "false"), ("horizonDrop", "false"), ("buckets", "1024"), ("timerSlack", "10.5us")],
            TcOp::Add,
            include_str!("testdata/fq-q2.hex"),
        ),
        // tc qdisc change dev a root fq maxrate 1gbit quantum 2048
        (0, &[("maxrate", "1gbit"), ("quantum", "2kb")], TcOp::Change, include_str!("testdata/fq-q3.hex")),
    ];
    for (handle, kv, op, tc) in cases {
        assert_eq!(request(*handle, opts(kv), *op).unwrap(), hex(tc), "fq {kv:?}");
    }
    for (kv, msg) in [
        (&[("maxrate", "40gbit")][..], "maxrate must be at most 34359738360 bits per second"),
        (&[("maxrate", "100mbits")][..], "maxrate: \"100mbits\" is not a rate"),
        (&[("buckets", "-1")][..], "buckets must be between 0 and 2147483648"),
        (&[("timerSlack", "5s")][..], "timerSlack must be at most"),
        (&[("pacing", "on")][..], "pacing must be a boolean"),
        (&[("flow_limit", "1")][..], "unknown setting \"flow_limit\""),
    ] {
        let e = request(0, opts(kv), TcOp::Add).unwrap_err();
        assert!(e.contains(msg), "{kv:?}: {e}");
    }
    assert_eq!((ilog2_up(1), ilog2_up(2), ilog2_up(1000), ilog2_up(1024), ilog2_up(1 << 31)), (0, 1, 10, 10, 31));
}

#[test]
fn from_fq_dump() {
    // fq_dump's order and defaults: no maxrate (~0), ce_threshold off (~0), a 10.5µs slack.
    let mut b = MsgBuilder::new(0, 0);
    let words = [
        (PLIMIT, 10000),
        (FLOW_PLIMIT, 100),
        (QUANTUM, 3028),
        (INITIAL_QUANTUM, 15140),
        (RATE_ENABLE, 1),
        (FLOW_MAX_RATE, NONE),
        (FLOW_REFILL_DELAY, 40000),
        (ORPHAN_MASK, 1023),
        (LOW_RATE_THRESHOLD, 68750),
        (CE_THRESHOLD, NONE),
        (BUCKETS_LOG, 10),
        (TIMER_SLACK, 10500),
        (HORIZON, 10_000_000),
    ];
    for (ty, v) in words {
        b.attr_u32(ty, v);
    }
    b.attr_u8(HORIZON_DROP, 1);
    b.attr_u32(16, 7); // TCA_FQ_PRIOMAP of a newer kernel: skipped
    let d = b.finish()[16..].to_vec();
    let s = FQ.decode(&d);
    let mut want = opts(&[
        ("limit", "10000"),
        ("flowLimit", "100"),
        ("quantum", "3028"),
        ("initialQuantum", "15140"),
        ("pacing", "true"),
        ("refillDelay", "40000"),
        ("orphanMask", "1023"),
        ("lowRateThreshold", "550000"),
        ("buckets", "1024"),
    ]);
    want.set("timerSlack", Value::Float(10.5)).set_int("horizon", 10_000_000).set_bool("horizonDrop", true);
    assert_eq!(s, want);
    // Given back, it is the same options.
    let again = request(0, s, TcOp::Change).unwrap();
    assert_eq!(sorted(FQ.decode(&again[48..])), sorted(want));
    for n in 0..d.len() {
        let _ = FQ.decode(&d[..n]);
    }
    assert_eq!(FQ.decode(&hex("0800070000e1f505")).get("maxrate"), Some(&Value::Int(800_000_000)));
}

#[test]
fn xstats_with_tc_names() {
    let mut x = Vec::new();
    for q in [1u64, 2, 3, 4, 5, 6, 7] {
        x.extend_from_slice(&q.to_ne_bytes()); // gc .. allocation_errors
    }
    x.extend_from_slice(&(-5i64).to_ne_bytes()); // time_next_delayed_flow: none pending
    for w in [8u32, 9, 10, 11] {
        x.extend_from_slice(&w.to_ne_bytes()); // flows, inactive, throttled flows, latency
    }
    for q in [12u64, 13, 14] {
        x.extend_from_slice(&q.to_ne_bytes()); // ce_mark, horizon drops and caps
    }
    let s = FQ.xstats(&x);
    let want = [
        ("flows", 8),
        ("inactive", 9),
        ("throttledFlows", 10),
        ("nextPacketDelay", 0),
        ("gc", 1),
        ("highprio", 2),
        ("retrans", 3),
        ("throttled", 4),
        ("latency", 11),
        ("ceMark", 12),
        ("flowsPlimit", 5),
        ("pktsTooLong", 6),
        ("allocErrors", 7),
        ("horizonDrops", 13),
        ("horizonCaps", 14),
    ];
    let want: Vec<(&str, Value)> = want.iter().map(|(k, v)| (*k, Value::Int(*v))).collect();
    assert_eq!(s.0.iter().map(|(k, v)| (k.as_str(), v.clone())).collect::<Vec<_>>(), want);
    // A 4.x kernel's 88-byte struct: the horizon counters read 0.
    assert_eq!(FQ.xstats(&x[..88]).get("horizonCaps"), Some(&Value::Int(0)));
    for n in 0..x.len() + 8 {
        let _ = FQ.xstats(x.get(..n).unwrap_or(&x));
    }
}
