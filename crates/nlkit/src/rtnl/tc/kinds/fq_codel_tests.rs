//! fq_codel against iproute2 6.1's whole messages (tc on a veth, ifindex 3, in a scratch
//! namespace of this kernel, which has no fq_codel: tc encodes anyway; seq zeroed), decoded from
//! replies laid out as fq_codel_dump and fq_codel_dump_stats write them.

use super::*;
use crate::rtnl::settings::Value;
use crate::rtnl::tc::kinds::testutil::{hex, opts, qdisc_request, sorted};
use crate::rtnl::tc::TcOp;

fn request(handle: u32, s: Settings, op: TcOp) -> Result<Vec<u8>, String> {
    qdisc_request("fq_codel", handle, s, op)
}

/// A capture's handle, the options for nlkit, the operation, tc's bytes.
type Case = (u32, &'static [(&'static str, &'static str)], TcOp, &'static str);

#[test]
fn as_tc_sends_it() {
    let cases: &[Case] = &[
        // tc qdisc add dev a root fq_codel
        (0, &[], TcOp::Add, include_str!("testdata/fq_codel-f0.hex")),
        // ... handle 1: fq_codel limit 1000 flows 256 target 3ms interval 50ms quantum 1000 ecn
        //     ce_threshold 2ms memory_limit 16mb drop_batch 32
        (
            0x10000,
            &[
                ("limit", "1000"),
                ("flows", "256"),
                ("target", "3ms"),
                ("interval", "50000"),
                ("quantum", "1000"),
                ("ecn", "true"),
                ("ceThreshold", "2ms"),
                ("memoryLimit", "16mb"),
                ("dropBatch", "32"),
            ],
            TcOp::Add,
            include_str!("testdata/fq_codel-f1.hex"),
        ),
        // ... fq_codel noecn target 2500us ce_threshold 1ms ce_threshold_selector 0x1/0x3
        (
            0,
            &[("ecn", "false"), ("target", "2500us"), ("ceThreshold", "1000"), ("ceThresholdSelector", "1"), ("ceThresholdMask", "3")],
            TcOp::Add,
            include_str!("testdata/fq_codel-f2.hex"),
        ),
        // tc qdisc change dev a root fq_codel limit 0 interval 0.1s memory_limit 1000
        (0, &[("limit", "0"), ("interval", "0.1s"), ("memoryLimit", "1000")], TcOp::Change, include_str!("testdata/fq_codel-f3.hex")),
    ];
    for (handle, kv, op, tc) in cases {
        assert_eq!(request(*handle, opts(kv), *op).unwrap(), hex(tc), "fq_codel {kv:?}");
    }
    for (kv, msg) in [
        (&[("target", "-1ms")][..], "target: \"-1ms\" is not a time"),
        (&[("limit", "many")][..], "limit must be an integer"),
        (&[("ceThresholdSelector", "1")][..], "go together"),
        (&[("ceThresholdSelector", "1"), ("ceThresholdMask", "1")][..], "needs ceThreshold"),
        (&[("ceThresholdMask", "256"), ("ceThresholdSelector", "1")][..], "ceThresholdMask must be between 0 and 255"),
        (&[("memoryLimit", "5gb")][..], "memoryLimit must be at most"),
        (&[("ecn", "1")][..], "ecn must be a boolean"),
        (&[("drop_batch", "1")][..], "unknown setting \"drop_batch\""),
    ] {
        let e = request(0, opts(kv), TcOp::Add).unwrap_err();
        assert!(e.contains(msg), "{kv:?}: {e}");
    }
}

/// TCA_OPTIONS as fq_codel_dump writes it: its order, every option, µs.
fn dump() -> Vec<u8> {
    let mut b = MsgBuilder::new(0, 0);
    for (ty, v) in [(TARGET, 5000), (LIMIT, 10240), (INTERVAL, 100_000), (ECN, 1), (QUANTUM, 1514), (DROP_BATCH_SIZE, 64)] {
        b.attr_u32(ty, v);
    }
    b.attr_u32(MEMORY_LIMIT, 32 << 20).attr_u32(FLOWS, 1024).attr_u32(CE_THRESHOLD, 2000);
    b.attr_u8(CE_THRESHOLD_SELECTOR, 1).attr_u8(CE_THRESHOLD_MASK, 3);
    b.finish()[16..].to_vec()
}

#[test]
fn from_fq_codel_dump() {
    let d = dump();
    let s = FQ_CODEL.decode(&d);
    let mut want = opts(&[
        ("target", "5000"),
        ("limit", "10240"),
        ("interval", "100000"),
        ("ecn", "true"),
        ("quantum", "1514"),
        ("dropBatch", "64"),
        ("memoryLimit", "33554432"),
        ("flows", "1024"),
        ("ceThreshold", "2000"),
    ]);
    want.set_int("ceThresholdSelector", 1).set_int("ceThresholdMask", 3);
    assert_eq!(s, want);
    // Given back, every option is sent again.
    let again = request(0, s, TcOp::Change).unwrap();
    assert_eq!(sorted(FQ_CODEL.decode(&again[56..])), sorted(want));
    for n in 0..d.len() {
        let _ = FQ_CODEL.decode(&d[..n]);
    }
}

#[test]
fn xstats_of_the_qdisc_and_of_a_flow() {
    let words = |ws: &[u32]| -> Vec<u8> { ws.iter().flat_map(|w| w.to_ne_bytes()).collect() };
    let q = FQ_CODEL.xstats(&words(&[XSTATS_QDISC, 1514, 2, 3, 4, 5, 6, 7, 8, 9]));
    let keys: Vec<(&str, i64)> = q.0.iter().map(|(k, v)| (k.as_str(), if let Value::Int(i) = v { *i } else { -1 })).collect();
    assert_eq!(
        keys,
        [
            ("maxpacket", 1514),
            ("dropOverlimit", 2),
            ("ecnMark", 3),
            ("newFlowCount", 4),
            ("newFlowsLen", 5),
            ("oldFlowsLen", 6),
            ("ceMark", 7),
            ("memoryUsed", 8),
            ("dropOvermemory", 9)
        ]
    );
    // An older kernel's shorter struct: the missing counters read 0, as tc reads them.
    assert_eq!(FQ_CODEL.xstats(&words(&[XSTATS_QDISC, 1514, 2, 3, 4, 5, 6])).get("ceMark"), Some(&Value::Int(0)));
    let c = FQ_CODEL.xstats(&words(&[XSTATS_CLASS, (-300i32) as u32, 1200, 3, 2, 1, (-40i32) as u32]));
    let mut want = opts(&[("deficit", "-300"), ("ldelay", "1200"), ("count", "3"), ("lastcount", "2"), ("dropping", "true")]);
    want.set_int("dropNext", -40);
    assert_eq!(c, want);
    assert_eq!(FQ_CODEL.xstats(&words(&[XSTATS_CLASS, 0, 0, 0, 0, 0])).get("dropNext"), None);
    assert!(FQ_CODEL.xstats(&words(&[7, 1])).is_empty());
    for n in 0..40 {
        let _ = FQ_CODEL.xstats(&words(&[XSTATS_QDISC, 1, 2, 3, 4, 5, 6, 7, 8, 9])[..n]);
    }
}

#[test]
fn a_flow_listed_as_a_class_has_the_class_xstats() {
    // RTM_NEWTCLASS's payload as fq_codel_dump_class_stats makes it: tcmsg, kind, TCA_XSTATS.
    let mut b = MsgBuilder::new(0, 0);
    b.push(&[0u8; 20]).attr_str(crate::rtnl::tc::TCA_KIND, "fq_codel");
    let x: Vec<u8> = [XSTATS_CLASS, 5, 100, 0, 0, 0, 0].iter().flat_map(|w| w.to_ne_bytes()).collect();
    b.attr(crate::rtnl::tc::TCA_XSTATS, &x);
    let m = b.finish();
    let t = crate::rtnl::tc::decode(crate::rtnl::tc::TcType::Class, &m[16..]).unwrap();
    assert_eq!(t.xstats.get("ldelay"), Some(&Value::Int(100)));
    assert_eq!(t.xstats.get("deficit"), Some(&Value::Int(5)));
}
