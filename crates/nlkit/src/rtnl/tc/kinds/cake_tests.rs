//! cake against iproute2 6.1's whole messages (tc on a veth, ifindex 3, in a scratch namespace
//! of this kernel, which has no cake: tc encodes anyway; seq zeroed), decoded from replies laid
//! out as cake_dump, cake_dump_stats and cake_dump_class_stats write them.

use super::*;
use crate::rtnl::tc::kinds::testutil::{hex, opts, qdisc_request, sorted};
use crate::rtnl::tc::TcOp;

fn request(handle: u32, s: Settings, op: TcOp) -> Result<Vec<u8>, String> {
    qdisc_request("cake", handle, s, op)
}

/// A capture's handle, the options for nlkit, the operation, tc's bytes.
type Case = (u32, &'static [(&'static str, &'static str)], TcOp, &'static str);

#[test]
fn as_tc_sends_it() {
    let cases: &[Case] = &[
        // tc qdisc add dev a root cake
        (0, &[], TcOp::Add, include_str!("testdata/cake-c0.hex")),
        // ... handle 1: cake bandwidth 100mbit rtt 50ms diffserv4 dual-dsthost nat wash ack-filter
        //     split-gso overhead 18 mpu 64 atm memlimit 32mb fwmark 0xff ingress
        (
            0x10000,
            &[
                ("bandwidth", "100mbit"),
                ("rtt", "50ms"),
                ("diffserv", "diffserv4"),
                ("flowmode", "dual-dsthost"),
                ("nat", "true"),
                ("wash", "true"),
                ("ackFilter", "enabled"),
                ("splitGso", "true"),
                ("overhead", "18"),
                ("mpu", "64"),
                ("atm", "atm"),
                ("memlimit", "32mb"),
                ("fwmark", "255"),
                ("ingress", "true"),
            ],
            TcOp::Add,
            include_str!("testdata/cake-c1.hex"),
        ),
        // ... cake unlimited autorate-ingress besteffort flowblind nonat nowash no-ack-filter
        //     no-split-gso raw egress lan
        (
            0,
            &[
                ("bandwidth", "unlimited"),
                ("autorate", "true"),
                ("diffserv", "besteffort"),
                ("flowmode", "flowblind"),
                ("nat", "false"),
                ("wash", "false"),
                ("ackFilter", "disabled"),
                ("splitGso", "false"),
                ("raw", "true"),
                ("ingress", "false"),
                ("rtt", "lan"),
            ],
            TcOp::Add,
            include_str!("testdata/cake-c2.hex"),
        ),
        // ... cake bandwidth 20gbit ack-filter-aggressive ptm overhead -10 precedence
        //     triple-isolate satellite
        (
            0,
            &[
                ("bandwidth", "20gbit"),
                ("ackFilter", "aggressive"),
                ("atm", "ptm"),
                ("overhead", "-10"),
                ("diffserv", "precedence"),
                ("flowmode", "triple-isolate"),
                ("rtt", "satellite"),
            ],
            TcOp::Add,
            include_str!("testdata/cake-c3.hex"),
        ),
        // tc qdisc change dev a root cake rtt 100us (its target: 5)
        (0, &[("rtt", "100")], TcOp::Change, include_str!("testdata/cake-c4.hex")),
        // tc qdisc add dev a root cake autorate-ingress bandwidth 5mbit (the bandwidth turns it off)
        (0, &[("bandwidth", "5mbit")], TcOp::Add, include_str!("testdata/cake-c5.hex")),
    ];
    for (handle, kv, op, tc) in cases {
        assert_eq!(request(*handle, opts(kv), *op).unwrap(), hex(tc), "cake {kv:?}");
    }
    for (kv, msg) in [
        (&[("bandwidth", "fast")][..], "bandwidth: \"fast\" is not a rate"),
        (&[("rtt", "earth")][..], "rtt: \"earth\" is not a time"),
        (&[("diffserv", "diffserv5")][..], "diffserv must be one of diffserv3, diffserv4, diffserv8, besteffort, precedence"),
        (&[("flowmode", "triple")][..], "flowmode must be one of flowblind"),
        (&[("ackFilter", "true")][..], "ackFilter must be a string"),
        (&[("atm", "adsl")][..], "atm must be one of noatm, atm, ptm"),
        (&[("overhead", "-65")][..], "overhead must be between -64 and 256"),
        (&[("mpu", "257")][..], "mpu must be between 0 and 256"),
        (&[("nat", "yes")][..], "nat must be a boolean"),
        (&[("split_gso", "true")][..], "unknown setting \"split_gso\""),
    ] {
        let e = request(0, opts(kv), TcOp::Add).unwrap_err();
        assert!(e.contains(msg), "{kv:?}: {e}");
    }
}

/// TCA_OPTIONS as cake_dump writes it (its order; the u64 rate after a pad attribute when the
/// kernel aligns it).
fn dump(raw: bool) -> Vec<u8> {
    let mut b = MsgBuilder::new(0, 0);
    b.attr(1, &[]).attr(BASE_RATE64, &12_500_000u64.to_ne_bytes());
    for (ty, v) in [(FLOW_MODE, 7), (RTT, 100_000), (TARGET, 5000), (MEMORY, 0), (AUTORATE, 0), (INGRESS, 0), (ACK_FILTER, 2)] {
        b.attr_u32(ty, v);
    }
    for (ty, v) in [(NAT, 1), (DIFFSERV_MODE, 0), (WASH, 0), (OVERHEAD, (-10i32) as u32)] {
        b.attr_u32(ty, v);
    }
    if raw {
        b.attr_u32(RAW, 0);
    }
    for (ty, v) in [(ATM, 2), (MPU, 0), (SPLIT_GSO, 1), (FWMARK, 0xff)] {
        b.attr_u32(ty, v);
    }
    b.finish()[16..].to_vec()
}

#[test]
fn from_cake_dump() {
    let d = dump(false);
    let s = CAKE.decode(&d);
    let mut want = opts(&[
        ("bandwidth", "100000000"),
        ("flowmode", "triple-isolate"),
        ("rtt", "100000"),
        ("autorate", "false"),
        ("ingress", "false"),
        ("ackFilter", "aggressive"),
        ("nat", "true"),
        ("diffserv", "diffserv3"),
        ("wash", "false"),
        ("overhead", "-10"),
        ("atm", "ptm"),
        ("splitGso", "true"),
        ("fwmark", "255"),
    ]);
    want.set_bool("raw", false);
    assert_eq!(s, want);
    // Given back, the same options (the target again a twentieth of the rtt).
    let again = request(0, s, TcOp::Change).unwrap();
    assert_eq!(sorted(CAKE.decode(&again[52..])), sorted(want));
    let raw = CAKE.decode(&dump(true));
    assert_eq!(raw.get("raw"), Some(&Value::Bool(true)));
    assert_eq!(
        CAKE.decode(&hex("0c000200000000000000000008000300ff000000")),
        opts(&[("bandwidth", "unlimited"), ("diffserv", "unknown"), ("raw", "false")])
    );
    assert!(CAKE.decode(&[]).is_empty());
    for n in 0..d.len() {
        let _ = CAKE.decode(&d[..n]);
    }
}

#[test]
fn qdisc_and_flow_xstats() {
    let mut b = MsgBuilder::new(0, 0);
    b.attr(2, &1_000_000u64.to_ne_bytes()); // capacity estimate, bytes/s
    for (ty, v) in [(3u16, 4 << 20), (4, 1024), (5, 14), (7, 1514), (9, 1542), (6, 60), (8, 84)] {
        b.attr_u32(ty, v);
    }
    let tins = b.nest_start_plain(10);
    for i in 0..3u32 {
        let t = b.nest_start_plain(i as u16 + 1);
        b.attr(11, &(125_000 * (i as u64 + 1)).to_ne_bytes()).attr(3, &(1000u64 + i as u64).to_ne_bytes());
        for ty in [10u16, 12, 13, 2, 4, 8, 9, 6, 17, 18, 19, 14, 15, 16, 20, 21, 22, 23, 24] {
            b.attr_u32(ty, ty as u32 * 10 + i);
        }
        b.nest_end(t);
    }
    b.nest_end(tins);
    let x = b.finish()[16..].to_vec();
    let s = CAKE.xstats(&x);
    let keys: Vec<&str> = s.0.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        keys,
        [
            "capacityEstimate",
            "memoryLimit",
            "memoryUsed",
            "avgHdrOffset",
            "maxNetworkSize",
            "maxAdjSize",
            "minNetworkSize",
            "minAdjSize",
            "tins"
        ]
    );
    assert_eq!(s.get("capacityEstimate"), Some(&Value::Int(8_000_000)));
    let Some(Value::List(t)) = s.get("tins") else { panic!("tins: {s:?}") };
    assert_eq!(t.len(), 3);
    let Value::Map(t1) = &t[1] else { panic!() };
    assert_eq!(t1.0.len(), 20);
    assert_eq!((t1.0[0].0.as_str(), &t1.0[0].1), ("thresholdRate", &Value::Int(2_000_000)));
    assert_eq!(t1.get("sentBytes"), Some(&Value::Int(1001)));
    assert_eq!(t1.get("drops"), Some(&Value::Int(41)));
    assert_eq!(t1.get("flowQuantum"), Some(&Value::Int(241)));
    for n in 0..x.len() {
        let _ = CAKE.xstats(&x[..n]);
    }
    // A flow's (cake_dump_class_stats): deficit, count, dropping and the BLUE state.
    let mut b = MsgBuilder::new(0, 0);
    for (ty, v) in [(11u16, (-20i32) as u32), (12, 3), (13, 1), (14, (-7i32) as u32), (15, 9), (16, 100)] {
        b.attr_u32(ty, v);
    }
    let c = CAKE.xstats(&b.finish()[16..]);
    let mut want = opts(&[("deficit", "-20"), ("count", "3"), ("dropping", "true"), ("dropNext", "-7"), ("blueProb", "9")]);
    want.set_int("blueTimer", 100);
    assert_eq!(c, want);
    let mut b = MsgBuilder::new(0, 0);
    b.attr_u32(13, 0).attr_u32(14, 5);
    assert_eq!(CAKE.xstats(&b.finish()[16..]), opts(&[("dropping", "false")]));
}
