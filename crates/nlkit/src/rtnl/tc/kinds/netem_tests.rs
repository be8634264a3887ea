//! netem against iproute2 6.1's bytes: `strace -f -e trace=sendmsg -e write=3 tc qdisc add dev
//! qa ... netem ...` in a scratch namespace (ifindex 3, 15.625 ticks per µs; this kernel has no
//! netem, tc encodes anyway; TC_LIB_DIR pointed at the .dist files iproute2's netem/ generators
//! make, since this machine has none), after nlmsghdr + tcmsg; and decoded from replies built
//! the way the kernel's netem_dump writes them.

use super::*;
use crate::rtnl::tc::kinds::netem_decode::decode;
use crate::rtnl::tc::{encode, TcOp, TcSpec, TcType};
use crate::wire::u32_at;

fn hex(s: &str) -> Vec<u8> {
    let s = s.trim();
    (0..s.len() / 2).filter_map(|i| s.get(2 * i..2 * i + 2)).map(|b| u8::from_str_radix(b, 16).unwrap()).collect()
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

fn map(kv: &[(&str, &str)]) -> Value {
    Value::Map(opts(kv))
}

fn request(handle: u32, parent: u32, options: Settings) -> Result<Vec<u8>, String> {
    let spec = TcSpec { ifindex: 3, handle, parent, kind: Some("netem".into()), options, ..Default::default() };
    encode(TcType::Qdisc, &spec, TcOp::Add)
}

#[test]
fn as_tc_sends_it() {
    // delay 100ms 10ms 25% loss 1%
    let n1 = opts(&[("delay", "100ms"), ("jitter", "10ms"), ("delayCorrelation", "25%"), ("loss", "1")]);
    // limit 2000 delay 50ms 5ms 10% distribution pareto loss random 0.5% 20% ecn duplicate 2% 10%
    // corrupt 0.5% 5% reorder 25% 50% gap 5 rate 10mbit 20 100 -5
    let n2 = opts(&[
        ("limit", "2000"),
        ("delay", "50000"),
        ("jitter", "5ms"),
        ("delayCorrelation", "10"),
        ("distribution", "pareto"),
        ("loss", "0.5%"),
        ("lossCorrelation", "20%"),
        ("ecn", "true"),
        ("duplicate", "2"),
        ("duplicateCorrelation", "10"),
        ("corrupt", "0.5n"),
        ("corruptCorrelation", "5"),
        ("reorder", "25"),
        ("reorderCorrelation", "50"),
        ("gap", "5"),
        ("rate", "10mbit"),
        ("packetOverhead", "20"),
        ("cellSize", "100"),
        ("cellOverhead", "-5"),
    ]);
    // delay 20ms 2ms distribution paretonormal loss state 1% 90% 2% 5% 0.5% slot 1ms 5ms packets
    // 10 bytes 64k rate 50gbit
    let mut n3 = opts(&[("delay", "20ms"), ("jitter", "2ms"), ("distribution", "paretonormal"), ("rate", "50gbit")]);
    n3.set("lossState", map(&[("p13", "1"), ("p31", "90"), ("p32", "2"), ("p23", "5"), ("p14", "0.5%")]));
    n3.set("slot", map(&[("minDelay", "1ms"), ("maxDelay", "5000"), ("packets", "10"), ("bytes", "64k")]));
    // (parent 1:1 handle 10:) delay 10ms 1ms distribution normal loss gemodel 1% 10% 70% 0.1%
    // slot distribution pareto 2ms 1ms packets 5
    let mut n4 = opts(&[("delay", "10ms"), ("jitter", "1ms"), ("distribution", "normal")]);
    n4.set("lossGemodel", map(&[("p", "1"), ("r", "10"), ("oneMinusH", "70"), ("oneMinusK", "0.1%")]));
    n4.set("slot", map(&[("distribution", "pareto"), ("delay", "2ms"), ("jitter", "1ms"), ("packets", "5")]));
    // duplicate 100 reorder 10 delay 1s
    let n5 = opts(&[("duplicate", "100"), ("reorder", "10"), ("delay", "1s")]);
    let cases = [
        (0, u32::MAX, n1, include_str!("testdata/netem-n1.hex")),
        (0x10000, u32::MAX, n2, include_str!("testdata/netem-n2.hex")),
        (0x10000, u32::MAX, n3, include_str!("testdata/netem-n3.hex")),
        (0x100000, 0x10001, n4, include_str!("testdata/netem-n4.hex")),
        (0, u32::MAX, n5, include_str!("testdata/netem-n5.hex")),
    ];
    for (i, (handle, parent, o, tc)) in cases.into_iter().enumerate() {
        let m = request(handle, parent, o).unwrap();
        assert_eq!(&m[36..], &hex(tc)[..], "capture n{}", i + 1);
    }
}

#[test]
fn refused_before_sending() {
    let bad: &[(&[(&str, &str)], &str)] = &[
        (&[("loss", "101")], "loss must be a percentage from 0 to 100"),
        (&[("delay", "-1ms")], "delay: \"-1ms\" is not a time"),
        (&[("delay", "10ms"), ("distribution", "gaussian"), ("jitter", "1ms")], "distribution must be uniform, normal"),
        (&[("delay", "10ms"), ("distribution", "normal")], "distribution needs a delay and a jitter"),
        (&[("jitter", "1ms")], "need a delay"),
        (&[("reorder", "10")], "reorder needs a delay"),
        (&[("gap", "3"), ("delay", "1ms")], "gap needs reorder"),
        (&[("ecn", "true")], "ecn needs a loss model"),
        (&[("cellSize", "10")], "need a rate"),
        (&[("rate", "fast")], "rate: \"fast\" is not a rate"),
        (&[("lossy", "1")], "unknown setting \"lossy\""),
        (&[("seed", "x")], "seed"),
    ];
    for (kv, msg) in bad {
        let e = request(0, u32::MAX, opts(kv)).unwrap_err();
        assert!(e.contains(msg), "{kv:?}: {e}");
    }
    let mut s = opts(&[("delay", "-5")]);
    s.set_int("delay", -5);
    assert!(request(0, u32::MAX, s).unwrap_err().contains("delay must not be negative"));
    for (m, msg) in [
        (("lossState", map(&[("p31", "1")])), "lossState: p13 is required"),
        (("lossState", map(&[("p13", "1"), ("p99", "1")])), "lossState: unknown setting \"p99\""),
        (("lossGemodel", map(&[("p", "120")])), "lossGemodel: p must be a percentage"),
        (("slot", map(&[("minDelay", "5ms"), ("maxDelay", "1ms")])), "slot: maxDelay must not be below minDelay"),
        (("slot", map(&[("distribution", "normal"), ("delay", "1ms")])), "slot: jitter is required"),
        (("slot", map(&[("minDelay", "1ms"), ("jitter", "1ms")])), "not both"),
        (("slot", Value::Int(3)), "slot must be an object"),
    ] {
        let mut s = Settings::new();
        s.set(m.0, m.1);
        let e = request(0, u32::MAX, s).unwrap_err();
        assert!(e.contains(msg), "{e}");
    }
    let mut both = opts(&[("loss", "1")]);
    both.set("lossState", map(&[("p13", "1")]));
    assert!(request(0, u32::MAX, both).unwrap_err().contains("not both"));
    let mut big = opts(&[("delay", "1ms"), ("jitter", "1ms")]);
    big.set("distribution", Value::List(vec![Value::Int(40000)]));
    assert!(request(0, u32::MAX, big.clone()).unwrap_err().contains("-32768 to 32767"));
    big.set("distribution", Value::List(vec![Value::Int(1); 16385]));
    assert!(request(0, u32::MAX, big).unwrap_err().contains("1 to 16384"));
}

#[test]
fn custom_tables_and_long_delays() {
    // A custom table goes as it is; a delay too long for u32 ticks goes in ns as well (tc 6.1
    // refuses it; the kernel reads TCA_NETEM_LATENCY64 over the struct's ticks).
    let mut s = opts(&[("delay", "300s"), ("jitter", "1ms")]);
    s.set("distribution", Value::List(vec![Value::Int(-3), Value::Int(7)]));
    let m = request(0, u32::MAX, s).unwrap();
    let o = &m[52..];
    assert_eq!(u32_at(o, 0), u32::MAX);
    let d = decode(o);
    assert_eq!(d.get("delay"), Some(&Value::Int(300_000_000)));
    assert_eq!(d.get("jitter"), Some(&Value::Int(1000)));
    let tail = &m[m.len() - 8..];
    assert_eq!(tail, &[8, 0, 2, 0, 0xfd, 0xff, 7, 0]);
}

/// A dump as netem_dump writes it: the struct, then each attribute in the kernel's order.
fn dump(qopt: [u32; 6], attrs: &[(u16, Vec<u8>)]) -> Vec<u8> {
    let mut b = MsgBuilder::new(0, 0);
    b.push(&words(&qopt));
    for (ty, v) in attrs {
        b.attr(*ty, v);
    }
    b.finish()[16..].to_vec()
}

#[test]
fn from_the_kernel_s_dump() {
    let pc = |p: f64| (p / 100.0 * u32::MAX as f64).round_ties_even() as u32;
    let slot = [1_500_000i64.to_ne_bytes(), 5_000_000i64.to_ne_bytes()].concat();
    let slot = [slot, 10i32.to_ne_bytes().to_vec(), i32::MAX.to_ne_bytes().to_vec(), [0u8; 16].to_vec()].concat();
    let mut loss = MsgBuilder::new(0, 0);
    loss.attr(LOSS_GE, &words(&[pc(1.0), pc(10.0), u32::MAX - pc(70.0), pc(0.1)]));
    let o = dump(
        [1_562_500, 2000, 0, 5, pc(0.5), 156_250],
        &[
            (LATENCY64, 100_000_000i64.to_ne_bytes().to_vec()),
            (JITTER64, 10_000_500i64.to_ne_bytes().to_vec()),
            (CORR, words(&[pc(25.0), 0, pc(10.0)])),
            (REORDER, words(&[pc(25.0), pc(50.0)])),
            (CORRUPT, words(&[0, 0])),
            (RATE64, 6_250_000_000u64.to_ne_bytes().to_vec()),
            (RATE, words(&[u32::MAX, 20, 0, (-5i32) as u32])),
            (ECN, words(&[1])),
            (LOSS, loss.finish()[16..].to_vec()),
            (SLOT, slot),
            (PRNG_SEED, 0xfedc_ba98_7654_3210u64.to_ne_bytes().to_vec()),
        ],
    );
    let d = decode(&o);
    let mut want = opts(&[("limit", "2000"), ("delay", "100000")]);
    want.set("jitter", Value::Float(10000.5)).set("delayCorrelation", Value::Int(25)).set("duplicate", Value::Float(0.5));
    want.0.extend(opts(&[("duplicateCorrelation", "10"), ("gap", "5"), ("reorder", "25"), ("reorderCorrelation", "50")]).0);
    want.0.extend(opts(&[("rate", "50000000000"), ("packetOverhead", "20"), ("cellOverhead", "-5"), ("ecn", "true")]).0);
    let mut ge = opts(&[("p", "1"), ("r", "10"), ("oneMinusH", "70")]);
    ge.set("oneMinusK", Value::Float(0.1));
    want.set("lossGemodel", Value::Map(ge));
    want.set("slot", map(&[("minDelay", "1500"), ("maxDelay", "5000"), ("packets", "10")]));
    want.set_str("seed", "18364758544493064720");
    assert_eq!(d, want);
    // What was listed goes back in (the ns jitter rounds to whole µs, as tc's get_time does).
    let again = request(0, u32::MAX, d.clone()).unwrap();
    let back = decode(&again[52..]);
    assert_eq!(back.get("duplicate"), d.get("duplicate"));
    assert_eq!(back.get("lossGemodel"), d.get("lossGemodel"));
    assert_eq!(back.get("slot"), d.get("slot"));
    assert_eq!(back.get("rate"), d.get("rate"));
    // A short struct gives nothing; a cut anywhere reads no further than it.
    assert!(decode(&o[..20]).is_empty());
    for n in 0..o.len() {
        let _ = decode(&o[..n]);
    }
    // tc's minimal dump: only the struct (old kernels), delay in ticks.
    let d = decode(&dump([15_625, 1000, 0, 0, 0, 0], &[]));
    assert_eq!(d, opts(&[("limit", "1000"), ("delay", "1000")]));
}
