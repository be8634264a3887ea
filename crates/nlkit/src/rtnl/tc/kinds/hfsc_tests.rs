//! hfsc against iproute2 6.1's whole messages (tc on a veth, ifindex 3, in a scratch namespace of
//! this kernel, which has no hfsc: tc encodes the qdisc and its classes anyway; seq zeroed;
//! /proc/net/psched's clock gives tc a clock factor of 1, so d is in µs), decoded from replies
//! laid out as hfsc_dump_qdisc, hfsc_dump_class and hfsc_dump_class_stats write them.

use super::*;
use crate::rtnl::tc::kinds::testutil::{hex, opts, qdisc_request};
use crate::rtnl::tc::{decode, encode, TcOp, TcSpec, TcType};

fn class(handle: u32, parent: u32, s: Settings, op: TcOp) -> Result<Vec<u8>, String> {
    let spec = TcSpec { ifindex: 3, handle, parent, kind: Some("hfsc".into()), options: s, ..Default::default() };
    encode(TcType::Class, &spec, op)
}

/// A curve from its keys.
fn sc(kv: &[(&str, &str)]) -> Value {
    Value::Map(opts(kv))
}

fn with(kv: &[(&str, Value)]) -> Settings {
    let mut s = Settings::new();
    for (k, v) in kv {
        s.set(k, v.clone());
    }
    s
}

#[test]
fn qdisc_as_tc_sends_it() {
    // tc qdisc add dev a root handle 1: hfsc [default 10]
    assert_eq!(qdisc_request("hfsc", 0x10000, Settings::new(), TcOp::Add).unwrap(), hex(include_str!("testdata/hfsc-q0.hex")));
    let m = qdisc_request("hfsc", 0x10000, with(&[("default", Value::Str("10".into()))]), TcOp::Add).unwrap();
    assert_eq!(m, hex(include_str!("testdata/hfsc-q1.hex")));
    assert_eq!(HFSC.decode(&m[52..54]), opts(&[("default", "0x10")]));
    assert!(HFSC.decode(&[0, 0]).is_empty() && HFSC.decode(&[1]).is_empty());
    assert_eq!(qdisc_request("hfsc", 0x10000, opts(&[("default", "16")]), TcOp::Add).unwrap(), m); // a number: its value
    let e = qdisc_request("hfsc", 0x10000, opts(&[("default", "0x10000")]), TcOp::Add).unwrap_err();
    assert!(e.contains("default must be a class minor up to ffff"), "{e}");
    assert!(qdisc_request("hfsc", 0x10000, opts(&[("defcls", "1")]), TcOp::Add).unwrap_err().contains("unknown setting"));
}

#[test]
fn classes_as_tc_sends_them() {
    let cases: Vec<(u32, u32, Settings, TcOp, &str)> = vec![
        // tc class add dev a parent 1: classid 1:10 hfsc sc rate 10mbit
        (0x10010, 0x10000, with(&[("sc", sc(&[("rate", "10mbit")]))]), TcOp::Add, include_str!("testdata/hfsc-c1.hex")),
        // ... classid 1:11 hfsc rt m1 20mbit d 10ms m2 5mbit ls m2 8mbit ul m2 15mbit
        (
            0x10011,
            0x10000,
            with(&[
                ("rt", sc(&[("m1", "20mbit"), ("d", "10ms"), ("m2", "5000000")])),
                ("ls", sc(&[("m2", "8mbit")])),
                ("ul", sc(&[("m2", "15mbit")])),
            ]),
            TcOp::Add,
            include_str!("testdata/hfsc-c2.hex"),
        ),
        // ... classid 1:12 hfsc sc umax 1500b dmax 5ms rate 1mbit ul rate 2mbit (concave)
        (
            0x10012,
            0x10000,
            with(&[("sc", sc(&[("umax", "1500b"), ("dmax", "5ms"), ("rate", "1mbit")])), ("ul", sc(&[("rate", "2mbit")]))]),
            TcOp::Add,
            include_str!("testdata/hfsc-c3.hex"),
        ),
        // tc class add dev a parent 1:10 classid 1:13 hfsc rt umax 1500 dmax 20ms rate 1mbit (convex)
        (
            0x10013,
            0x10010,
            with(&[("rt", sc(&[("umax", "1500"), ("dmax", "20000"), ("rate", "1mbit")]))]),
            TcOp::Add,
            include_str!("testdata/hfsc-c4.hex"),
        ),
        // tc class change dev a parent 1: classid 1:10 hfsc ls m2 1gbit
        (0x10010, 0x10000, with(&[("ls", sc(&[("m2", "1gbit")]))]), TcOp::Change, include_str!("testdata/hfsc-c5.hex")),
    ];
    for (handle, parent, s, op, tc) in cases {
        assert_eq!(class(handle, parent, s.clone(), op).unwrap(), hex(tc), "hfsc class {s:?}");
    }
    let bad: Vec<(Settings, &str)> = vec![
        (Settings::new(), "needs sc, rt or ls"),
        (with(&[("ul", sc(&[("m2", "1mbit")]))]), "ul needs ls"),
        (with(&[("sc", sc(&[("m2", "1mbit")])), ("rt", sc(&[("m2", "1mbit")]))]), "give sc, or rt and ls"),
        (with(&[("sc", sc(&[("m1", "1mbit")]))]), "sc: m2 is required"),
        (with(&[("rt", sc(&[("m1", "0"), ("m2", "0")]))]), "rt: a service curve must not have two zero slopes"),
        (with(&[("ls", sc(&[("umax", "1500"), ("rate", "1mbit")]))]), "ls: umax needs dmax"),
        (with(&[("ls", sc(&[("umax", "1500"), ("dmax", "1ms")]))]), "ls: rate is required"),
        (with(&[("ls", sc(&[("m2", "1mbit"), ("rate", "1mbit")]))]), "not both"),
        (with(&[("ls", sc(&[("m2", "40gbit")]))]), "ls: m2 must be at most 34359738360 bits per second"),
        (with(&[("ls", sc(&[("m2", "1mbit"), ("m3", "1")]))]), "ls: unknown setting \"m3\""),
        (with(&[("ls", Value::Int(1))]), "ls must be an object"),
        (with(&[("fsc", sc(&[("m2", "1mbit")]))]), "unknown setting \"fsc\""),
    ];
    for (s, msg) in bad {
        let e = class(0x10010, 0x10000, s.clone(), TcOp::Add).unwrap_err();
        assert!(e.contains(msg), "{s:?}: {e}");
    }
}

#[test]
fn classes_from_hfsc_dump_class() {
    // The c2 request's curves, as hfsc_dump_class writes them back, then with equal rt and ls.
    let c2 = hex(include_str!("testdata/hfsc-c2.hex"));
    let s = HFSC_CLASS.decode(&c2[52..]);
    let want = with(&[
        ("rt", sc(&[("m1", "20000000"), ("d", "10000"), ("m2", "5000000")])),
        ("ls", sc(&[("m1", "0"), ("d", "0"), ("m2", "8000000")])),
        ("ul", sc(&[("m1", "0"), ("d", "0"), ("m2", "15000000")])),
    ]);
    assert_eq!(s, want);
    // Given back, it is the same request.
    assert_eq!(class(0x10011, 0x10000, s, TcOp::Add).unwrap(), c2);
    let c3 = hex(include_str!("testdata/hfsc-c3.hex"));
    let s = HFSC_CLASS.decode(&c3[52..]);
    assert_eq!(s.get("sc"), Some(&sc(&[("m1", "2400000"), ("d", "5000"), ("m2", "1000000")])));
    assert_eq!(class(0x10012, 0x10000, s, TcOp::Add).unwrap(), c3);
    for n in 0..c2.len() - 52 {
        let _ = HFSC_CLASS.decode(&c2[52..52 + n]);
    }
    // A class dump with its xstats (struct tc_hfsc_stats: work, rtwork, period, level).
    let mut b = MsgBuilder::new(0, 0);
    b.push(&[0u8; 20]).attr_str(crate::rtnl::tc::TCA_KIND, "hfsc");
    b.attr(TCA_OPTIONS, &c2[52..]);
    let mut x = Vec::new();
    for w in [1500u64, 900] {
        x.extend_from_slice(&w.to_ne_bytes());
    }
    x.extend_from_slice(&[3u32.to_ne_bytes(), 1u32.to_ne_bytes()].concat());
    b.attr(crate::rtnl::tc::TCA_XSTATS, &x);
    let t = decode(TcType::Class, &b.finish()[16..]).unwrap();
    assert_eq!(t.options, want);
    assert_eq!(t.xstats, opts(&[("period", "3"), ("work", "1500"), ("rtwork", "900"), ("level", "1")]));
    assert!(HFSC_CLASS.xstats(&x[..20]).is_empty());
}
