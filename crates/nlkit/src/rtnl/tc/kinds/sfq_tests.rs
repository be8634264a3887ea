//! sfq against iproute2 6.1's bytes (tc in a scratch namespace, ifindex 3; this kernel has no
//! sfq, tc encodes anyway), after nlmsghdr + tcmsg; decoded from sfq_dump's layout.

use super::*;
use crate::rtnl::tc::{encode, TcOp, TcSpec, TcType};

fn hex(s: &str) -> Vec<u8> {
    let s = s.trim();
    (0..s.len() / 2).map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap()).collect()
}

fn opts(kv: &[(&str, &str)]) -> Settings {
    let mut s = Settings::new();
    for (k, v) in kv {
        match (v.parse::<i64>(), *v) {
            (Ok(n), _) => s.set_int(k, n),
            (_, "true") => s.set_bool(k, true),
            _ => s.set_str(k, *v),
        };
    }
    s
}

fn request(handle: u32, options: Settings) -> Result<Vec<u8>, String> {
    let spec = TcSpec { ifindex: 3, handle, parent: u32::MAX, kind: Some("sfq".into()), options, ..Default::default() };
    encode(TcType::Qdisc, &spec, TcOp::Add)
}

/// A capture's handle, the options for nlkit, tc's bytes.
type Case = (u32, &'static [(&'static str, &'static str)], &'static str);

#[test]
fn as_tc_sends_it() {
    let cases: &[Case] = &[
        (0, &[], include_str!("testdata/sfq-s0.hex")),
        (0, &[("perturb", "10")], include_str!("testdata/sfq-s1.hex")),
        (
            0x10000,
            &[("limit", "3000"), ("quantum", "1514"), ("divisor", "2048"), ("flows", "256"), ("depth", "64"), ("headdrop", "true")],
            include_str!("testdata/sfq-s2.hex"),
        ),
        (
            0,
            &[
                ("limit", "1000"),
                ("redflowlimit", "100000"),
                ("min", "8000"),
                ("max", "60000"),
                ("probability", "0.2n"),
                ("ecn", "true"),
                ("harddrop", "true"),
                ("headdrop", "true"),
            ],
            include_str!("testdata/sfq-s3.hex"),
        ),
        (0, &[("redflowlimit", "40000"), ("avpkt", "1500"), ("burst", "20")], include_str!("testdata/sfq-s4.hex")),
    ];
    for (handle, kv, tc) in cases {
        assert_eq!(&request(*handle, opts(kv)).unwrap()[36..], &hex(tc)[..], "sfq {kv:?}");
    }
    for (kv, msg) in [
        (&[("limit", "1")][..], "limit must be at least 2"),
        (&[("redflowlimit", "10000")][..], "burst 1 is too small"),
        (&[("min", "100")][..], "redflowlimit is required"),
        (&[("redflowlimit", "1000"), ("max", "2000")][..], "max must not be above redflowlimit"),
        (&[("redflowlimit", "10000"), ("min", "3000"), ("max", "2000")][..], "min must be below max"),
        (&[("redflowlimit", "100000"), ("probability", "2")][..], "probability must be a number from 0 to 1"),
        (&[("redflowlimit", "100000"), ("ewma", "40")][..], "ewma must be from 1 to 31"),
        (&[("perturbation", "1")][..], "unknown setting \"perturbation\""),
    ] {
        let e = request(0, opts(kv)).unwrap_err();
        assert!(e.contains(msg), "{kv:?}: {e}");
    }
}

#[test]
fn from_sfq_dump() {
    // What sfq_dump writes for the s3 request: redflowlimit gone (0), the RED stats after it.
    let mut d = hex(include_str!("testdata/sfq-s3.hex"))[12..].to_vec();
    d[28..32].fill(0);
    d[48..52].copy_from_slice(&7u32.to_ne_bytes()); // prob_drop
    d[0..4].copy_from_slice(&1514u32.to_ne_bytes()); // the kernel's quantum: the device's MTU + 14
    d[12..20].copy_from_slice(&[0, 4, 0, 0, 128, 0, 0, 0]); // divisor 1024, flows 128
    d[20..24].copy_from_slice(&127u32.to_ne_bytes());
    let s = SFQ.decode(&d);
    let mut want =
        opts(&[("limit", "1000"), ("quantum", "1514"), ("depth", "127"), ("headdrop", "true"), ("flows", "128"), ("divisor", "1024")]);
    want.set_int("ewma", 6).set_int("min", 8000).set_int("max", 60000).set("probability", Value::Float(0.2));
    want.set_bool("ecn", true).set_bool("harddrop", true);
    assert_eq!(s, want);
    // Given back, it is the same struct (redflowlimit and stats aside).
    let again = request(0, s).unwrap();
    assert_eq!(&again[48..96], &d[..48]);
    assert_eq!(SFQ.decode(&d[..V0_LEN]), opts(&[("limit", "1000"), ("quantum", "1514"), ("flows", "128"), ("divisor", "1024")]));
    for n in 0..d.len() {
        let _ = SFQ.decode(&d[..n]);
    }
    assert_eq!(SFQ.xstats(&(-3i32).to_ne_bytes()).get("allot"), Some(&Value::Int(-3)));
}
