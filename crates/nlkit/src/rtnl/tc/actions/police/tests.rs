use super::*;
use crate::rtnl::settings::Value;
use crate::rtnl::tc::actions::tests::{encode_tab, hex};

/// `tc actions add action <line>` as iproute2 6.1 sent it on this machine (strace), from
/// TCA_ACT_TAB on: one `command<TAB>hex` per line.
const CAPTURES: &str = include_str!("captures.txt");

/// A tc command line's police words as settings.
fn from_tc(cmd: &str) -> Settings {
    let mut s = Settings::new();
    s.set_str("kind", "police");
    let w: Vec<&str> = cmd.split_whitespace().skip(1).collect();
    let mut i = 0;
    while i < w.len() {
        let key = match w[i] {
            "drop" => {
                s.set_str("conformExceed", "drop");
                i += 1;
                continue;
            }
            "pkts_rate" => "pktsRate",
            "pkts_burst" => "pktsBurst",
            "conform-exceed" => "conformExceed",
            k => k,
        };
        let v = w[i + 1];
        match v.parse::<i64>() {
            Ok(n) if key != "mpu" => s.set_int(key, n),
            _ => s.set_str(key, v),
        };
        i += 2;
    }
    s
}

#[test]
fn bytes_as_tc_sends_them() {
    let mut n = 0;
    for line in CAPTURES.lines() {
        let (cmd, want) = line.split_once('\t').unwrap();
        assert_eq!(hex(&encode_tab(&[from_tc(cmd)])), want, "{cmd}");
        n += 1;
    }
    assert_eq!(n, 10);
}

#[test]
fn refusals_name_the_option() {
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[("rate", "1mbit")], "burst"),
        (&[("burst", "10k")], "burst"),
        (&[("rate", "1mbit"), ("burst", "10k"), ("peakrate", "2mbit")], "peakrate"),
        (&[("pktsRate", "x")], "pktsRate"),
        (&[("rate", "1000")], "rate"),
        (&[("avrate", "1mbit"), ("conformExceed", "drop/nope")], "conformExceed"),
        (&[("avrate", "1mbit"), ("linklayer", "wifi")], "linklayer"),
        (&[("avrate", "1mbit"), ("mpu", "70000")], "mpu"),
        (&[], "police needs"),
    ];
    for (kv, word) in cases {
        let mut s = Settings::new();
        for (k, v) in *kv {
            s.set_str(k, *v);
        }
        let e = POLICE.encode(&s, &mut MsgBuilder::new(0, 0), &Ctx::default()).unwrap_err();
        assert!(e.contains(word), "{kv:?}: {e}");
    }
    let mut s = Settings::new();
    s.set_int("pktsRate", 10);
    assert!(POLICE.encode(&s, &mut MsgBuilder::new(0, 0), &Ctx::default()).unwrap_err().contains("pktsBurst"));
}

/// What tcf_police_dump sends for `rate 1mbit burst 10k mtu 2k peakrate 2mbit conform-exceed
/// drop/pipe index 9`: the request's TBF with the kernel's counts, RESULT, then the timestamps.
fn dump() -> Vec<u8> {
    let line = CAPTURES.lines().nth(1).unwrap();
    let req = from_tc(line.split_once('\t').unwrap().0);
    let mut b = MsgBuilder::new(0, 0);
    POLICE.encode(&req, &mut b, &Ctx::default()).unwrap();
    let m = b.finish();
    // The TBF struct: past the options nest header (4) and its own (4).
    let mut tbf = m[24..24 + TBF_LEN].to_vec();
    tbf[44..48].copy_from_slice(&1u32.to_ne_bytes());
    let mut d = MsgBuilder::new(0, 0);
    d.attr(TCA_POLICE_TBF, &tbf);
    d.attr(TCA_POLICE_RESULT, &3u32.to_ne_bytes());
    d.attr(6, &[]);
    let tm: Vec<u8> = [500u64, 300, 0, 200].iter().flat_map(|v| v.to_ne_bytes()).collect();
    d.attr(TCA_POLICE_TM, &tm);
    d.finish()[16..].to_vec()
}

#[test]
fn decodes_the_kernels_dump() {
    let d = dump();
    let s = POLICE.decode(&d);
    let int = |k: &str| s.int(k, 0, i64::MAX).unwrap();
    assert_eq!((int("rate"), int("burst"), int("mtu"), int("peakrate")), (Some(1_000_000), Some(10240), Some(2048), Some(2_000_000)));
    assert_eq!(s.str("conformExceed"), Ok(Some("drop/pipe")));
    assert_eq!(s.str("linklayer"), Ok(Some("ethernet")));
    assert_eq!(
        (int("index"), int("ref"), int("installed"), int("lastUsed"), int("firstUsed")),
        (Some(9), Some(1), Some(5), Some(3), Some(2))
    );
    // Given back, the listed options encode the same request (counts and timestamps left out).
    let mut again = Settings(
        s.0.iter().filter(|(k, _)| !["ref", "bind", "installed", "lastUsed", "firstUsed"].contains(&k.as_str())).cloned().collect(),
    );
    again.set("kind", Value::Str("police".into()));
    assert!(POLICE.encode(&again, &mut MsgBuilder::new(0, 0), &Ctx::default()).is_ok());
    for n in 0..d.len() {
        let _ = POLICE.decode(&d[..n]);
    }
    // Packet rates and 64-bit rates.
    let mut b = MsgBuilder::new(0, 0);
    b.attr(TCA_POLICE_TBF, &[0; TBF_LEN]);
    b.attr(TCA_POLICE_RATE64, &5_000_000_000u64.to_ne_bytes());
    b.attr(TCA_POLICE_PKTRATE64, &1000u64.to_ne_bytes());
    b.attr(TCA_POLICE_PKTBURST64, &1_562_500u64.to_ne_bytes());
    let s = POLICE.decode(&b.finish()[16..]);
    assert_eq!(s.int("rate", 0, i64::MAX), Ok(Some(40_000_000_000)));
    assert_eq!((s.int("pktsRate", 0, i64::MAX), s.int("pktsBurst", 0, i64::MAX)), (Ok(Some(1000)), Ok(Some(100))));
}
