//! u32 against iproute2 6.1's bytes: whole requests captured with `strace -f -e trace=sendmsg -e
//! write=all tc filter ...` on a veth (`d0`, ifindex 4; the ifb `i0` is ifindex 2) in a scratch
//! namespace (nlmsg seq zeroed), in testdata/cN.hex; and decoded from the replies of `tc -s filter
//! show` (testdata/d1.hex: htb parent 1:, d2.hex: clsact ingress with a mirred action).

use super::*;
use crate::rtnl::tc::handle::TC_H_INGRESS;
use crate::rtnl::tc::{decode, encode, filter_info, TcOp, TcSpec, TcType};

fn hex(s: &str) -> Vec<u8> {
    let s = s.trim();
    (0..s.len() / 2).map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap()).collect()
}

fn testdata(name: &str) -> Vec<Vec<u8>> {
    let path = format!("{}/src/rtnl/tc/filters/u32/testdata/{name}.hex", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap().lines().filter(|l| !l.trim().is_empty()).map(hex).collect()
}

fn st(s: &str) -> Value {
    Value::Str(s.into())
}
fn int(i: i64) -> Value {
    Value::Int(i)
}
fn map(kv: &[(&str, Value)]) -> Value {
    let mut s = Settings::new();
    for (k, v) in kv {
        s.set(k, v.clone());
    }
    Value::Map(s)
}
fn one(ty: &str, kv: &[(&str, Value)]) -> Value {
    map(&[(ty, map(kv))])
}
fn settings(kv: &[(&str, Value)]) -> Settings {
    let Value::Map(s) = map(kv) else { unreachable!() };
    s
}

struct Case {
    file: &'static str,
    op: TcOp,
    parent: u32,
    pref: u16,
    protocol: u16,
    handle: &'static str,
    options: Settings,
}

fn request(c: &Case) -> Result<Vec<u8>, String> {
    let handle = if c.handle.is_empty() { 0 } else { parse_handle(c.handle)? };
    let spec = TcSpec {
        ifindex: 4,
        handle,
        parent: c.parent,
        info: filter_info(c.pref, c.protocol),
        kind: Some("u32".into()),
        options: c.options.clone(),
        ..Default::default()
    };
    encode(TcType::Filter, &spec, c.op)
}

const IP: u16 = 0x0800;
const IPV6: u16 = 0x86DD;
const HTB: u32 = 0x1_0000;

fn case(file: &'static str, pref: u16, protocol: u16, options: Settings) -> Case {
    Case { file, op: TcOp::Add, parent: HTB, pref, protocol, handle: "", options }
}

fn cases() -> Vec<Case> {
    let dport = |p| one("ip", &[("dport", int(p))]);
    vec![
        // u32 classid 1:10 (no match: tc sends no selector; the kernel refuses it)
        case("c0", 1, IP, settings(&[("classid", st("1:10"))])),
        // u32 match ip dst 10.0.0.1/32 classid 1:10
        case("c1", 1, IP, settings(&[("match", Value::List(vec![one("ip", &[("dst", st("10.0.0.1/32"))])])), ("classid", st("1:10"))])),
        // u32 match ip src 10.0.0.0/8 match ip dport 80 0xffff match ip sport 1234 0xffff
        //     match ip protocol 6 0xff flowid 1:20   (sport and dport merge into one key)
        case(
            "c2",
            2,
            IP,
            settings(&[
                (
                    "match",
                    Value::List(vec![
                        one("ip", &[("src", st("10.0.0.0/8"))]),
                        dport(80),
                        one("ip", &[("sport", int(1234)), ("protocol", map(&[("value", int(6)), ("mask", int(0xff))]))]),
                    ]),
                ),
                ("flowid", st("1:20")),
            ]),
        ),
        // protocol ipv6 u32 match ip6 src 2001:db8::/64 match ip6 dport 443 0xffff
        //     match ip6 dst 2001:db8:1::1/128 classid 1:30
        case(
            "c3",
            3,
            IPV6,
            settings(&[
                (
                    "match",
                    Value::List(vec![one("ip6", &[("src", st("2001:db8::/64")), ("dport", int(443)), ("dst", st("2001:db8:1::1/128"))])]),
                ),
                ("classid", st("1:30")),
            ]),
        ),
        // prio 5 handle 2: u32 divisor 256
        Case { handle: "2:", ..case("c4a", 5, IP, settings(&[("divisor", int(256))])) },
        // u32 ht 800:: match ip src 10.0.0.0/8 hashkey mask 0x000000ff at 12 link 2:
        case(
            "c4b",
            5,
            IP,
            settings(&[
                ("ht", st("800::")),
                ("match", Value::List(vec![one("ip", &[("src", st("10.0.0.0/8"))])])),
                ("hashkey", map(&[("mask", int(0xff)), ("at", int(12))])),
                ("link", st("2:")),
            ]),
        ),
        // ingress prio 7 u32 match ip dport 5000 0xffff action mirred egress redirect dev i0
        //     action gact drop
        Case {
            parent: TC_H_INGRESS + 1,
            ..case(
                "c5",
                7,
                IP,
                settings(&[
                    ("match", Value::List(vec![dport(5000)])),
                    (
                        "actions",
                        Value::List(vec![
                            map(&[("kind", st("mirred")), ("direction", st("egress")), ("action", st("redirect")), ("ifindex", int(2))]),
                            map(&[("kind", st("gact")), ("controlAction", st("drop"))]),
                        ]),
                    ),
                ]),
            )
        },
        // u32 match u32 0x12345678 0xffffffff at 12 match u16 0x1234 0xffff at 2
        //     match u8 0x45 0xff at 0 match tcp dst 22 0xffff match u8 1 0xff at nexthdr+1 classid 1:10
        case(
            "c6",
            8,
            IP,
            settings(&[
                (
                    "match",
                    Value::List(vec![
                        one("u32", &[("value", int(0x12345678)), ("mask", int(0xffffffff)), ("at", int(12))]),
                        one("u16", &[("value", int(0x1234)), ("at", int(2))]),
                        one("u8", &[("value", int(0x45)), ("mask", int(0xff))]),
                        one("tcp", &[("dst", int(22))]),
                        one("u8", &[("value", int(1)), ("at", int(1)), ("nexthdr", Value::Bool(true))]),
                    ]),
                ),
                ("classid", st("1:10")),
            ]),
        ),
        // prio 9 handle ::5 u32 match ip dst 10.1.0.0/16 indev d1 skip_sw classid 1:10
        Case {
            handle: "::5",
            ..case(
                "c7",
                9,
                IP,
                settings(&[
                    ("match", Value::List(vec![one("ip", &[("dst", st("10.1.0.0/16"))])])),
                    ("indev", st("d1")),
                    ("skipSw", Value::Bool(true)),
                    ("classid", st("1:10")),
                ]),
            )
        },
        // u32 match ip tos 0x10 0xff match ip ihl 5 0x0f match ip nofrag match ip df
        //     match ip icmp_type 8 0xff match ip icmp_code 0 0xff classid 1:10
        case(
            "c8",
            10,
            IP,
            settings(&[
                (
                    "match",
                    Value::List(vec![one(
                        "ip",
                        &[
                            ("tos", int(0x10)),
                            ("ihl", map(&[("value", int(5)), ("mask", int(0x0f))])),
                            ("nofrag", Value::Bool(true)),
                            ("df", Value::Bool(true)),
                            ("icmpType", int(8)),
                            ("icmpCode", int(0)),
                        ],
                    )]),
                ),
                ("classid", st("1:10")),
            ]),
        ),
        // u32 match ip firstfrag match ip mf classid 1:10
        case(
            "c9",
            11,
            IP,
            settings(&[
                ("match", Value::List(vec![one("ip", &[("firstfrag", Value::Bool(true))]), one("ip", &[("mf", Value::Bool(true))])])),
                ("classid", st("1:10")),
            ]),
        ),
        // protocol ipv6 u32 match ip6 priority 0x10 0xff match ip6 protocol 17 0xff
        //     match ip6 flowlabel 0x12345 0xfffff match ip6 sport 53 0xffff match ip6 dport 5353 0xffff classid 1:10
        case(
            "c10",
            21,
            IPV6,
            settings(&[
                (
                    "match",
                    Value::List(vec![one(
                        "ip6",
                        &[
                            ("priority", int(0x10)),
                            ("protocol", int(17)),
                            ("flowlabel", map(&[("value", int(0x12345)), ("mask", int(0xfffff))])),
                            ("sport", int(53)),
                            ("dport", int(5353)),
                        ],
                    )]),
                ),
                ("classid", st("1:10")),
            ]),
        ),
        // protocol ipv6 u32 match ip6 icmp_type 128 0xff match ip6 icmp_code 0 0xff
        //     match ip6 src 2001:db8::/63 classid 1:10
        case(
            "c10b",
            21,
            IPV6,
            settings(&[
                ("match", Value::List(vec![one("ip6", &[("icmpType", int(128)), ("icmpCode", int(0)), ("src", st("2001:db8::/63"))])])),
                ("classid", st("1:10")),
            ]),
        ),
        // u32 match ether src 02:11:22:33:44:55 match ether dst 02:aa:bb:cc:dd:ee
        //     match udp src 53 0xffff match udp dst 53 0xffff classid 1:10
        case(
            "c11",
            22,
            IP,
            settings(&[
                (
                    "match",
                    Value::List(vec![
                        one("ether", &[("src", st("02:11:22:33:44:55")), ("dst", st("02:aa:bb:cc:dd:ee"))]),
                        one("udp", &[("src", int(53)), ("dst", int(53))]),
                    ]),
                ),
                ("classid", st("1:10")),
            ]),
        ),
        // u32 match icmp type 8 0xff match icmp code 0 0xff match ip6 src ::/0 classid 1:10
        case(
            "c11b",
            23,
            IP,
            settings(&[
                ("match", Value::List(vec![one("icmp", &[("type", int(8)), ("code", int(0))]), one("ip6", &[("src", st("::/0"))])])),
                ("classid", st("1:10")),
            ]),
        ),
        // u32 match ip protocol 6 0xff offset at 0 mask 0x0f00 shift 6 plus 0 eat
        //     match tcp dst 80 0xffff classid 1:10
        case(
            "c12",
            14,
            IP,
            settings(&[
                ("match", Value::List(vec![one("ip", &[("protocol", int(6))]), one("tcp", &[("dst", int(80))])])),
                ("offset", map(&[("at", int(0)), ("mask", int(0x0f00)), ("shift", int(6)), ("plus", int(0)), ("eat", Value::Bool(true))])),
                ("classid", st("1:10")),
            ]),
        ),
        // u32 ht 2:a: sample ip src 10.0.0.10/32 divisor 256 match ip src 10.0.0.10/32 order 7 classid 1:10
        case(
            "c13",
            15,
            IP,
            settings(&[
                ("ht", st("2:a:")),
                ("sample", map(&[("ip", map(&[("src", st("10.0.0.10/32"))])), ("divisor", int(256))])),
                ("match", Value::List(vec![one("ip", &[("src", st("10.0.0.10"))])])),
                ("order", int(7)),
                ("classid", st("1:10")),
            ]),
        ),
        // u32 ht 800:: sample ip src 10.0.0.10/32 match ip src 10.0.0.10/32 classid 1:10
        case(
            "c14",
            16,
            IP,
            settings(&[
                ("ht", st("800::")),
                ("sample", one("ip", &[("src", st("10.0.0.10/32"))])),
                ("match", Value::List(vec![one("ip", &[("src", st("10.0.0.10/32"))])])),
                ("classid", st("1:10")),
            ]),
        ),
        // filter replace ... prio 2 handle 800::800 u32 match ip src 10.0.0.0/8 flowid 1:30
        Case {
            op: TcOp::Replace,
            handle: "800::800",
            ..case("c15", 2, IP, settings(&[("match", Value::List(vec![one("ip", &[("src", st("10.0.0.0/8"))])])), ("flowid", st("1:30"))]))
        },
        // filter change ... prio 2 handle 800::800 u32 flowid 1:40
        Case { op: TcOp::Change, handle: "800::800", ..case("c16", 2, IP, settings(&[("flowid", st("1:40"))])) },
    ]
}

#[test]
fn requests_are_byte_equal_to_tc() {
    for c in cases() {
        let want = &testdata(c.file)[0];
        let got = request(&c).unwrap_or_else(|e| panic!("{}: {e}", c.file));
        assert_eq!(hexs(&got), hexs(want), "{}", c.file);
    }
}

fn hexs(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[test]
fn decoded_options_encode_the_same_selector() {
    // Every capture's options decode into keys that, given back, make the same TCA_OPTIONS
    // (the typed matches come back as the raw keys the kernel keeps).
    for c in cases() {
        let want = &testdata(c.file)[0];
        let t = decode(TcType::Filter, &want[16..]).unwrap();
        let again = Case { options: t.options.clone(), ..c };
        let got = request(&again).unwrap();
        // The same options; `order` is in the decoded handle, not the options.
        if again.file != "c13" {
            assert_eq!(hexs(&got[36..]), hexs(&want[36..]), "{}: {:?}", again.file, t.options);
        }
    }
}

#[test]
fn handles_as_tc_writes_them() {
    for (s, h) in [
        ("800::800", 0x8000_0800),
        ("800:", 0x8000_0000),
        ("1:", 0x0010_0000),
        ("::1", 1),
        ("2:a:", 0x0020_a000),
        ("0x80000801", 0x8000_0801),
    ] {
        assert_eq!(parse_handle(s), Ok(h), "{s}");
    }
    for (h, s) in [(0x8000_0800, "800::800"), (0x8000_0000, "800:"), (0x0020_a000, "2:a"), (0x0020_a001, "2:a:1"), (1, "::1")] {
        assert_eq!(format_handle(h), s);
        assert_eq!(parse_handle(s), Ok(h));
    }
    for bad in ["1:2:3:4", "1000:", "1:100:", "1::1000", "g:", "12", "", "0x", "0x1g", " 1:", "1:-1:"] {
        assert!(parse_handle(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn refusals_name_the_option() {
    let m = |v: Value| settings(&[("match", Value::List(vec![v])), ("classid", st("1:10"))]);
    let bad: Vec<(Settings, &str)> = vec![
        (m(one("ip", &[("src", st("10.0.0.0/33"))])), "match[0].ip.src: prefix length"),
        (m(one("ip", &[("src", st("10.0.0.300"))])), "match[0].ip.src"),
        (m(one("ip", &[("dport", int(70000))])), "match[0].ip.dport must be between 0 and 65535"),
        (m(one("ip", &[("port", int(1))])), "unknown field \"port\""),
        (m(one("ipx", &[("dport", int(1))])), "unknown match type"),
        (m(one("ip6", &[("src", st("2001:db8::/129"))])), "prefix length"),
        (m(one("u32", &[("value", int(1)), ("at", int(13))])), "multiple of 4"),
        (m(one("u16", &[("value", int(1)), ("at", int(3))])), "even"),
        (m(one("u8", &[("value", int(256))])), "match[0].u8.value must be between 0 and 255"),
        (m(one("ether", &[("src", st("02:11:22"))])), "MAC"),
        (m(map(&[])), "must hold one of"),
        (m(int(3)), "must be an object"),
        (settings(&[("match", Value::List(vec![one("ip", &[("dport", int(80))]), one("ip", &[("dport", int(81))])]))]), "contradicts"),
        (settings(&[("match", int(1))]), "match must be a list"),
        (settings(&[("actions", int(1))]), "actions must be a list"),
        (settings(&[("divisor", int(3))]), "power of 2"),
        (settings(&[("divisor", int(512))]), "divisor"),
        (settings(&[("link", st("1:0:1"))]), "hash table"),
        (settings(&[("link", st("1:2:3:4"))]), "malformed u32 handle"),
        (settings(&[("skipHw", Value::Bool(true)), ("skipSw", Value::Bool(true))]), "mutually exclusive"),
        (settings(&[("classid", st("1:10")), ("flowid", st("1:10"))]), "give one"),
        (settings(&[("hashkey", map(&[("mask", int(0xff))]))]), "need match"),
        (settings(&[("indev", st("a-very-long-device-name"))]), "indev"),
        (settings(&[("sample", one("ip6", &[("src", st("2001:db8::/64"))]))]), "exactly one key"),
        (settings(&[("nosuch", int(1))]), "unknown setting \"nosuch\""),
    ];
    for (options, want) in bad {
        let c = Case { handle: "800::3", ..case("-", 1, IP, options.clone()) };
        match request(&c) {
            Err(e) => assert!(e.contains(want), "{options:?}: {e}"),
            Ok(_) => assert!(want.is_empty(), "{options:?} accepted"),
        }
    }
    // `order` must agree with the handle's node.
    let c = Case { handle: "800::3", ..case("-", 1, IP, settings(&[("order", int(5))])) };
    assert!(request(&c).unwrap_err().contains("contradicts"));
    let c = Case { handle: "800:", ..case("-", 1, IP, settings(&[("order", int(5))])) };
    assert_eq!(&request(&c).unwrap()[24..28], &0x8000_0005u32.to_ne_bytes());
}

#[test]
fn a_real_dump_decodes() {
    let d = testdata("d1");
    let list: Vec<_> = d.iter().map(|m| decode(TcType::Filter, &m[16..]).unwrap()).collect();
    let handles: Vec<String> = list.iter().map(|t| if t.handle == 0 { "-".into() } else { format_handle(t.handle) }).collect();
    assert_eq!(handles, ["-", "800:", "800::800", "800::801", "-", "2:", "801:"]);
    assert_eq!(list[1].options, settings(&[("divisor", int(1))]));
    let raw = |v: u32, m: u32, at: i64| one("u32", &[("value", int(v as i64)), ("mask", int(m as i64)), ("at", int(at))]);
    assert_eq!(
        list[2].options,
        settings(&[
            ("flowid", st("1:20")),
            ("ht", st("800:")),
            ("match", Value::List(vec![raw(0x0a00_0000, 0xff00_0000, 12), raw(0x50, 0xffff, 20)])),
            ("notInHw", Value::Bool(true)),
        ])
    );
    assert_eq!(list[3].options.get("link"), Some(&st("2:")));
    assert_eq!(list[3].options.get("hashkey"), Some(&map(&[("mask", int(0xff)), ("at", int(12))])));
    assert_eq!(list[5].options, settings(&[("divisor", int(256))]));
    // The ingress filter with its mirred action and the action's counters.
    let d = testdata("d2");
    let t = decode(TcType::Filter, &d[2][16..]).unwrap();
    assert_eq!((format_handle(t.handle), t.parent, t.pref()), ("800::800".into(), 0xFFFF_FFF2, 7));
    let Some(Value::List(acts)) = t.options.get("actions") else { panic!("{:?}", t.options) };
    let Value::Map(a) = &acts[0] else { panic!() };
    assert_eq!((a.str("kind"), a.str("action"), a.u32("ifindex")), (Ok(Some("mirred")), Ok(Some("redirect")), Ok(Some(2))));
    assert!(a.map("stats").unwrap().is_some());
    // Given back (as a listed filter is), the options encode again.
    let again = Case { parent: 0xFFFF_FFF2, handle: "800::800", ..case("-", 7, IP, t.options.clone()) };
    request(&again).unwrap();
    for m in d.iter().chain(testdata("d1").iter()) {
        for n in 16..m.len() {
            let _ = decode(TcType::Filter, &m[16..n]);
        }
    }
}

#[test]
fn per_key_hit_counters() {
    // This kernel lacks CONFIG_CLS_U32_PERF, so the dump's node gets the TCA_U32_PCNT the kernel
    // would add (`struct tc_u32_pcnt`: rcnt, rhit, then a u64 per key) appended to its options.
    let m = &testdata("d1")[2];
    let opts_at = 16 + 20 + 8 + 8; // nlmsghdr, tcmsg, KIND "u32", CHAIN: then TCA_OPTIONS
    let mut o = m[opts_at + 4..].to_vec();
    let mut p = Vec::new();
    for v in [7u64, 5, 6, 5] {
        p.extend_from_slice(&v.to_ne_bytes());
    }
    o.extend_from_slice(&((4 + p.len()) as u16).to_ne_bytes());
    o.extend_from_slice(&TCA_U32_PCNT.to_ne_bytes());
    o.extend_from_slice(&p);
    let x = U32_KIND.options_xstats(&o);
    assert_eq!(x, settings(&[("ruleHit", int(7)), ("success", int(5)), ("keyHits", Value::List(vec![int(6), int(5)]))]));
    assert_eq!(U32_KIND.decode(&o).get("flowid"), Some(&st("1:20")));
    assert!(U32_KIND.options_xstats(&o[..o.len() - 20]).is_empty());
}
