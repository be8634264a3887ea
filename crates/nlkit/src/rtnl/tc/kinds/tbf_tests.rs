//! tbf against iproute2 6.1's bytes (captured as htb's were: `strace -e write=3 tc qdisc add
//! dev b root handle 1: tbf ...` on ifindex 2, 15.625 ticks per µs), after nlmsghdr + tcmsg; and
//! decoded from a real `tc -s qdisc show` dump.

use super::*;
use crate::rtnl::settings::Value;
use crate::rtnl::tc::{decode, encode, TcOp, TcSpec, TcType};
use crate::wire::messages;

fn hex(s: &str) -> Vec<u8> {
    let s = s.trim();
    (0..s.len() / 2).filter_map(|i| s.get(2 * i..2 * i + 2)).map(|b| u8::from_str_radix(b, 16).unwrap()).collect()
}

fn opts(kv: &[(&str, &str)]) -> Settings {
    let mut s = Settings::new();
    for (k, v) in kv {
        match v.parse::<i64>() {
            Ok(n) => s.set_int(k, n),
            Err(_) => s.set_str(k, *v),
        };
    }
    s
}

fn request(options: Settings) -> Result<Vec<u8>, String> {
    let spec = TcSpec { ifindex: 2, handle: 0x10000, parent: u32::MAX, kind: Some("tbf".into()), options, ..Default::default() };
    encode(TcType::Qdisc, &spec, TcOp::Add)
}

/// A capture's tc arguments (after `tbf`), its bytes and the same options for nlkit.
type Case = (&'static str, &'static str, &'static [(&'static str, &'static str)]);

#[test]
fn as_tc_sends_it() {
    let cases: &[Case] = &[
        (
            "rate 8mbit burst 10kb latency 50ms",
            include_str!("testdata/tbf-t1.hex"),
            &[("rate", "8mbit"), ("burst", "10kb"), ("latency", "50ms")],
        ),
        (
            "rate 8mbit burst 10kb limit 30000 peakrate 10mbit mtu 1600 mpu 64 overhead 8 linklayer atm",
            include_str!("testdata/tbf-t2.hex"),
            &[
                ("rate", "8000000"),
                ("burst", "10240"),
                ("limit", "30000"),
                ("peakrate", "10mbit"),
                ("mtu", "1600"),
                ("mpu", "64"),
                ("overhead", "8"),
                ("linklayer", "atm"),
            ],
        ),
        (
            "rate 50gbit burst 1mb latency 10ms peakrate 60gbit minburst 9000",
            include_str!("testdata/tbf-t3.hex"),
            &[("rate", "50gbit"), ("burst", "1mb"), ("latency", "10ms"), ("peakrate", "60gbit"), ("mtu", "9000")],
        ),
        (
            "rate 1mbit burst 5k latency 20ms peakrate 2mbit mtu 2000",
            include_str!("testdata/tbf-t4.hex"),
            &[("rate", "1mbit"), ("burst", "5k"), ("latency", "20ms"), ("peakrate", "2mbit"), ("mtu", "2000")],
        ),
    ];
    for (args, tc, kv) in cases {
        let m = request(opts(kv)).unwrap();
        assert_eq!(&m[36..], &hex(tc)[..], "tbf {args}");
    }
    for (bad, key) in [
        (&[("burst", "10kb"), ("latency", "50ms")][..], "rate"),
        (&[("rate", "1mbit"), ("latency", "50ms")][..], "burst"),
        (&[("rate", "1mbit"), ("burst", "10kb")][..], "latency"),
        (&[("rate", "1mbit"), ("burst", "10kb"), ("limit", "1000"), ("latency", "5ms")][..], "latency"),
        (&[("rate", "1mbit"), ("burst", "10kb"), ("limit", "1000"), ("peakrate", "2mbit")][..], "mtu"),
        (&[("rate", "1mbit"), ("burst", "10kb"), ("limit", "1000"), ("overhead", "99999")][..], "overhead"),
        (&[("rate", "1mbit"), ("burst", "10kb"), ("limit", "1000"), ("buffer", "1")][..], "buffer"),
    ] {
        let e = request(opts(bad)).unwrap_err();
        assert!(e.contains(key), "{e}");
    }
}

#[test]
fn from_a_real_dump() {
    // `tc -s qdisc show` of tbf `rate 4mbit burst 10kb latency 50ms` (tc -j -r: rate 500000
    // bytes/s, burst 10240, lat 50000, limit 35240).
    let q = hex(include_str!("testdata/qdisc-dump.hex"));
    let all: Vec<_> = messages(&q).map_while(Result::ok).map(|m| decode(TcType::Qdisc, m.payload).unwrap()).collect();
    let t = all.iter().find(|t| t.kind.as_deref() == Some("tbf")).unwrap();
    assert_eq!(t.options, opts(&[("rate", "4000000"), ("burst", "10240"), ("limit", "35240")]));
    // What a tc request carries decodes too (the kernel dumps PARMS and the 64-bit rates).
    let m = request(opts(&[("rate", "50gbit"), ("burst", "1mb"), ("limit", "9999"), ("peakrate", "60gbit"), ("mtu", "9000")])).unwrap();
    let d = TBF.decode(&m[48..]);
    assert_eq!(d.get("rate"), Some(&Value::Int(50_000_000_000)));
    assert_eq!(d.get("peakrate"), Some(&Value::Int(60_000_000_000)));
    assert_eq!(d.get("limit"), Some(&Value::Int(9999)));
    for n in 0..q.len() {
        let _ = decode(TcType::Qdisc, q.get(16..n).unwrap_or(&[]));
        let _ = TBF.decode(m.get(48..n.min(m.len())).unwrap_or(&[]));
    }
}
