//! The encoders against iproute2 6.1's requests, captured with
//! `strace -f -e trace=sendmsg -X raw -s 65536 ip route add ...` in a scratch namespace (device
//! index 3, its peer 2; seq and pid zeroed), and the decoders on the same bytes (a request has
//! a reply's layout). nlkit sends RTA_TABLE for the main table too, which iproute2 leaves to
//! rtm_table: [`without_main_table`] takes it out, and the rest must be equal byte for byte.

use std::net::IpAddr;

use super::*;
use crate::rtnl::nexthop::{self, NexthopOp, NexthopSpec};
use crate::rtnl::route::{self, Nexthop, RouteOp, RouteSpec};
use crate::rtnl::{AF_INET, AF_INET6};

const SEG6_ENCAP: &str = "6800000018000506000000000000000002180000fe03fd0100000000080001000a090100340016803000010001000000000404010100000020010db800000000000000000000000220010db800000000000000000000000106001500050000000800040003000000";
const SEG6_INLINE: &str = "740000001800050600000000000000000a400000fe030001000000001400010020010db8000a0000000000000000000034001680300001000000000000040401010000000000000000000000000000000000000020010db800000000000000000000000106001500050000000800040003000000";
const SEG6_L2ENCAP_HMAC: &str = "8c0000001800050600000000000000000a400000fe030001000000001400010020010db800a1000000000000000000004c0016804800010002000000000704000008000020010db80000000000000000000000010526000000000007000000000000000000000000000000000000000000000000000000000000000006001500050000000800040003000000";
const SEG6_ENCAP_RED: &str = "740000001800050600000000000000000a400000fe030001000000001400010020010db800a200000000000000000000340016803000010003000000000404010100000020010db800000000000000000000000320010db800000000000000000000000106001500050000000800040003000000";
const SEG6_L2ENCAP_RED: &str = "640000001800050600000000000000000a400000fe030001000000001400010020010db800a300000000000000000000240016802000010004000000000204000000000020010db800000000000000000000000106001500050000000800040003000000";
const IP_FULL: &str = "6c00000018000506000000000000000002180000fe03fd0100000000080001000a090200380016800c000100000000000000002a080002000a090009080003000a0900010500040005e101000500050010e1010006000600000d000006001500020001000800040003000000";
const IP_DST: &str =
    "4000000018000506000000000000000002190000fe03fd0100000000080001000a0902800c001680080002000a09000906001500020000000800040003000000";
const IP6_FULL: &str = "8400000018000506000000000000000002180000fe03fd0100000000080001000a090300500016800c000100000000000000002b1400020020010db80000000000000000000000091400030020010db80000000000000000000000080500040005c001000500050001000000060006000004000006001500040000000800040003000000";
const MPLS_TTL: &str = "4c00000018000506000000000000000002180000fe03fd0100000000080001000a090400180016800c00010000064000000c8100050002000ad0010006001500010001000800040003000000";
const MPLS_ONE: &str =
    "4000000018000506000000000000000002190000fe03fd0100000000080001000a0904800c001680080001000012c10006001500010000000800040003000000";
const IOAM6_INLINE: &str = "680000001800050600000000000000000a400000fe030001000000001400010020010db8000b00000000000000000000280016800800040001000000080005000100000005000100010000000c000300000100038000000006001500090001000800040003000000";
const IOAM6_ENCAP: &str = "7c0000001800050600000000000000000a400000fe030001000000001400010020010db800b1000000000000000000003c0016800800040002000000080005000500000005000100020000001400020020010db80000000000000000000000050c00030000070004c000000006001500090000000800040003000000";
const SEG6LOCAL_END: &str = "4c0000001800050600000000000000000a400000fe030001000000001400010020010db8000c000000000000000000000c001680080001000100000006001500070000000800040003000000";
const SEG6LOCAL_ENDX: &str = "600000001800050600000000000000000a400000fe030001000000001400010020010db800c1000000000000000000002000168008000100020000001400050020010db800090000000000000000000206001500070001000800040003000000";
const SEG6LOCAL_DT6: &str = "540000001800050600000000000000000a400000fe030001000000001400010020010db800c200000000000000000000140016800800010007000000080003006400000006001500070000000800040003000000";
const SEG6LOCAL_DX4: &str = "540000001800050600000000000000000a400000fe030001000000001400010020010db800c300000000000000000000140016800800010006000000080004000a09000206001500070000000800040003000000";
const SEG6LOCAL_B6: &str = "880000001800050600000000000000000a400000fe030001000000001400010020010db800c4000000000000000000004800168008000100090000003c00020000060402020000000000000000000000000000000000000020010db800000000000000000000000220010db800000000000000000000000106001500070000000800040003000000";
const SEG6LOCAL_DT4: &str = "540000001800050600000000000000000a400000fe030001000000001400010020010db800c500000000000000000000140016800800010008000000080009006400000006001500070000000800040003000000";
const SEG6LOCAL_DX2: &str = "540000001800050600000000000000000a400000fe030001000000001400010020010db800c600000000000000000000140016800800010004000000080007000200000006001500070000000800040003000000";
const VIA_INET6: &str = "4400000018000506000000000000000002180000fe03000100000000080001000a090600160012000a00fe80000000000000000000000000000100000800040003000000";
const EXPIRES: &str =
    "400000001800050600000000000000000a400000fe030001000000001400010020010db8000d00000000000000000000080017002c0100000800040003000000";
const TTL_PROP: &str = "4800000018000506000000000000000002180000fe03fd0100000000080001000a0907000c001680080001000012c100060015000100000005001a00000000000800040003000000";
const NH_MPLS: &str = "44000000680005060000000000000000020000000000000008000100320000000c00088008000100000641000600070001000000080006000a0900020800050003000000";
const NH_SEG6: &str = "5400000068000506000000000000000002000000000000000800010033000000240008802000010001000000000204000000000020010db800000000000000000000000106000700050000000800050003000000";
const MP_ENCAP: &str = "5c00000018000506000000000000000002180000fe03000100000000080001000a0908003800090024000000030000000c00168008000100000641000600150001000000080005000a0900021000000003000000080005000a090003";

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

/// Settings from `key=value` pairs: numbers, `true`, `a,b` lists (of numbers or strings), else
/// strings.
fn enc(pairs: &[(&str, &str)]) -> Settings {
    let one = |v: &str| match v.parse::<i64>() {
        Ok(n) => Value::Int(n),
        Err(_) if v == "true" => Value::Bool(true),
        Err(_) => Value::Str(v.into()),
    };
    let mut s = Settings::new();
    for (k, v) in pairs {
        let list = matches!(*k, "segments" | "labels" | "flavors");
        s.set(k, if list { Value::List(v.split(',').map(one).collect()) } else { one(v) });
    }
    s
}

fn built(pairs: &[(&str, &str)]) -> Encap {
    Encap::from_settings(&enc(pairs)).unwrap_or_else(|e| panic!("{pairs:?}: {e}")).encap
}

/// iproute2 leaves the padding after short attributes (u8, u16) uninitialized: zeroed here, at
/// the top level and inside nests, as nlkit pads.
fn zero_padding(m: &mut [u8], mut at: usize, end: usize) {
    while at + 4 <= end {
        let len = u16::from_ne_bytes([m[at], m[at + 1]]) as usize;
        let ty = u16::from_ne_bytes([m[at + 2], m[at + 3]]);
        if len < 4 || at + len > end {
            return;
        }
        let padded = (at + crate::wire::align4(len)).min(end);
        m[at + len..padded].fill(0);
        // Nests: RTA_ENCAP (with or without NLA_F_NESTED), NHA_ENCAP, RTA_MULTIPATH's paths.
        if ty & crate::wire::NLA_F_NESTED != 0 || ty == route::RTA_ENCAP {
            zero_padding(m, at + 4, at + len);
        }
        at = padded;
    }
}

fn theirs(h: &str) -> Vec<u8> {
    let mut m = hex(h);
    let fixed = if m[4] == 24 { 12 } else { 8 };
    let end = m.len();
    zero_padding(&mut m, 16 + fixed, end);
    m
}

fn without_main_table(mut m: Vec<u8>) -> Vec<u8> {
    assert_eq!(&m[28..36], &[8, 0, 15, 0, 254, 0, 0, 0], "RTA_TABLE main first");
    m.drain(28..36);
    let len = m.len() as u32;
    m[..4].copy_from_slice(&len.to_ne_bytes());
    m
}

fn route(dst: &str, len: u8, pairs: &[(&str, &str)]) -> RouteSpec {
    let d = ip(dst);
    RouteSpec {
        family: crate::rtnl::family_of(&d),
        dst: Some(d),
        dst_len: len,
        oif: Some(3),
        encap: (!pairs.is_empty()).then(|| built(pairs)),
        ..Default::default()
    }
}

#[allow(clippy::type_complexity)]
fn cases() -> Vec<(RouteSpec, &'static str, &'static [(&'static str, &'static str)])> {
    vec![
        (route("10.9.1.0", 24, &[]), SEG6_ENCAP, &[("type", "seg6"), ("mode", "encap"), ("segments", "2001:db8::1,2001:db8::2")]),
        (route("2001:db8:a::", 64, &[]), SEG6_INLINE, &[("type", "seg6"), ("mode", "inline"), ("segments", "2001:db8::1")]),
        (
            route("2001:db8:a1::", 64, &[]),
            SEG6_L2ENCAP_HMAC,
            &[("type", "seg6"), ("mode", "l2encap"), ("segments", "2001:db8::1"), ("hmac", "7")],
        ),
        (
            route("2001:db8:a2::", 64, &[]),
            SEG6_ENCAP_RED,
            &[("type", "seg6"), ("mode", "encap.red"), ("segments", "2001:db8::1,2001:db8::3")],
        ),
        (route("2001:db8:a3::", 64, &[]), SEG6_L2ENCAP_RED, &[("type", "seg6"), ("mode", "l2encap.red"), ("segments", "2001:db8::1")]),
        (
            route("10.9.2.0", 24, &[]),
            IP_FULL,
            &[
                ("type", "ip"),
                ("id", "42"),
                ("dst", "10.9.0.9"),
                ("src", "10.9.0.1"),
                ("ttl", "5"),
                ("tos", "16"),
                ("key", "true"),
                ("csum", "true"),
                ("seq", "true"),
            ],
        ),
        (route("10.9.2.128", 25, &[]), IP_DST, &[("type", "ip"), ("dst", "10.9.0.9")]),
        (
            route("10.9.3.0", 24, &[]),
            IP6_FULL,
            &[
                ("type", "ip6"),
                ("id", "43"),
                ("dst", "2001:db8::9"),
                ("src", "2001:db8::8"),
                ("hoplimit", "5"),
                ("tc", "1"),
                ("key", "true"),
            ],
        ),
        (route("10.9.4.0", 24, &[]), MPLS_TTL, &[("type", "mpls"), ("labels", "100,200"), ("ttl", "10")]),
        (route("10.9.4.128", 25, &[]), MPLS_ONE, &[("type", "mpls"), ("labels", "300")]),
        (
            route("2001:db8:b::", 64, &[]),
            IOAM6_INLINE,
            // As decoded: with the defaults ip sends (frequency 1/1, inline).
            &[("type", "ioam6"), ("freqk", "1"), ("freqn", "1"), ("mode", "inline"), ("traceType", "8388608"), ("ns", "1"), ("size", "12")],
        ),
        (
            route("2001:db8:b1::", 64, &[]),
            IOAM6_ENCAP,
            &[
                ("type", "ioam6"),
                ("freqk", "2"),
                ("freqn", "5"),
                ("mode", "encap"),
                ("tundst", "2001:db8::5"),
                ("traceType", "12582912"),
                ("ns", "7"),
                ("size", "16"),
            ],
        ),
        (route("2001:db8:c::", 64, &[]), SEG6LOCAL_END, &[("type", "seg6local"), ("action", "End")]),
        (route("2001:db8:c1::", 64, &[]), SEG6LOCAL_ENDX, &[("type", "seg6local"), ("action", "End.X"), ("nh6", "2001:db8:9::2")]),
        (route("2001:db8:c2::", 64, &[]), SEG6LOCAL_DT6, &[("type", "seg6local"), ("action", "End.DT6"), ("table", "100")]),
        (route("2001:db8:c3::", 64, &[]), SEG6LOCAL_DX4, &[("type", "seg6local"), ("action", "End.DX4"), ("nh4", "10.9.0.2")]),
        (
            route("2001:db8:c4::", 64, &[]),
            SEG6LOCAL_B6,
            &[("type", "seg6local"), ("action", "End.B6"), ("segments", "2001:db8::1,2001:db8::2")],
        ),
        (route("2001:db8:c5::", 64, &[]), SEG6LOCAL_DT4, &[("type", "seg6local"), ("action", "End.DT4"), ("vrftable", "100")]),
        (route("2001:db8:c6::", 64, &[]), SEG6LOCAL_DX2, &[("type", "seg6local"), ("action", "End.DX2"), ("oif", "2")]),
    ]
}

#[test]
fn route_encaps_as_ip_sends_them_and_back() {
    for (mut spec, captured, pairs) in cases() {
        spec.encap = Some(built(pairs));
        let ours = route::encode(&spec, RouteOp::Add);
        assert_eq!(without_main_table(ours.clone()), theirs(captured), "{pairs:?}");
        // Decoded, the encap gives back the settings it was made from.
        let r = route::decode(&ours[16..]).unwrap();
        assert_eq!(r.encap.as_ref().map(Encap::settings), Some(enc(pairs)), "{pairs:?}");
        let again = route::decode(&theirs(captured)[16..]).unwrap();
        assert_eq!(again.encap, r.encap);
        // Cut anywhere, nothing panics.
        let e = r.encap.unwrap();
        for cut in 0..e.data.len() {
            let _ = Encap { ty: e.ty, data: e.data[..cut].to_vec() }.settings();
        }
    }
}

#[test]
fn via_expires_ttl_propagate_and_paths_as_ip_sends_them() {
    // ip route add 10.9.6.0/24 via inet6 fe80::1 dev <3>
    let via = RouteSpec { via: Some(ip("fe80::1")), ..route("10.9.6.0", 24, &[]) };
    let m = route::encode(&via, RouteOp::Add);
    assert_eq!(without_main_table(m.clone()), theirs(VIA_INET6));
    assert_eq!(route::decode(&m[16..]).unwrap().via, Some(ip("fe80::1")));
    // ip -6 route add 2001:db8:d::/64 expires 300 dev <3>
    let exp = RouteSpec { expires: Some(300), ..route("2001:db8:d::", 64, &[]) };
    assert_eq!(without_main_table(route::encode(&exp, RouteOp::Add)), theirs(EXPIRES));
    // ip route add 10.9.7.0/24 encap mpls 300 ttl-propagate disabled dev <3>
    let ttl = RouteSpec { ttl_propagate: Some(false), ..route("10.9.7.0", 24, &[("type", "mpls"), ("labels", "300")]) };
    let m = route::encode(&ttl, RouteOp::Add);
    assert_eq!(without_main_table(m.clone()), theirs(TTL_PROP));
    assert_eq!(route::decode(&m[16..]).unwrap().ttl_propagate, Some(false));
    // ip route add 10.9.8.0/24 nexthop encap mpls 100 via 10.9.0.2 dev <3> nexthop via 10.9.0.3 dev <3>
    let path = |gw: &str, encap: Option<Encap>| Nexthop { gateway: Some(ip(gw)), oif: 3, weight: 1, flags: 0, encap, via: None };
    let mp = RouteSpec {
        oif: None,
        nexthops: vec![path("10.9.0.2", Some(built(&[("type", "mpls"), ("labels", "100")]))), path("10.9.0.3", None)],
        ..route("10.9.8.0", 24, &[])
    };
    let m = route::encode(&mp, RouteOp::Add);
    assert_eq!(without_main_table(m.clone()), theirs(MP_ENCAP));
    let back = route::decode(&m[16..]).unwrap();
    assert_eq!(back.nexthops, mp.nexthops);
    assert_eq!(AF_INET, back.family);
}

#[test]
fn nexthop_encaps_as_ip_sends_them() {
    // ip nexthop add id 50 encap mpls 100 via 10.9.0.2 dev <3>
    let mpls = NexthopSpec {
        id: Some(50),
        gateway: Some(ip("10.9.0.2")),
        oif: Some(3),
        encap: Some(built(&[("type", "mpls"), ("labels", "100")])),
        ..Default::default()
    };
    let m = nexthop::encode(&mpls, NexthopOp::Add).unwrap();
    assert_eq!(m, theirs(NH_MPLS));
    assert_eq!(nexthop::decode(&m[16..]).unwrap().encap, mpls.encap);
    // ip nexthop add id 51 encap seg6 mode encap segs 2001:db8::1 dev <3>
    let seg6 = NexthopSpec {
        id: Some(51),
        oif: Some(3),
        encap: Some(built(&[("type", "seg6"), ("mode", "encap"), ("segments", "2001:db8::1")])),
        ..Default::default()
    };
    assert_eq!(nexthop::encode(&seg6, NexthopOp::Add).unwrap(), theirs(NH_SEG6));
    let group = NexthopSpec { group: vec![nexthop::Member { id: 1, weight: 1 }], encap: seg6.encap.clone(), ..Default::default() };
    assert!(nexthop::encode(&group, NexthopOp::Add).is_err());
    assert_eq!(AF_INET6, crate::rtnl::family_of(&ip("::1")));
}

#[test]
fn what_ip_stores_reads_back_as_given() {
    // Inline insertion and End.B6 keep a zero slot for the packet's own destination: `ip -j`
    // prints it ("::"), nlkit leaves it out so a listed route can be given back.
    let s = route::decode(&hex(SEG6_INLINE)[16..]).unwrap().encap.unwrap().settings();
    assert_eq!(s.get("segments"), Some(&Value::List(vec![Value::Str("2001:db8::1".into())])));
    // A kernel reply of an ip encap also carries what was not given (zeros).
    let mut b = MsgBuilder::new(0, 0);
    b.attr(1, &0u64.to_be_bytes()).attr(2, &[10, 9, 0, 9]).attr(3, &[0; 4]).attr_u8(4, 0).attr_u8(5, 0);
    let e = Encap { ty: LWTUNNEL_ENCAP_IP, data: b.finish()[16..].to_vec() };
    assert_eq!(e.settings(), enc(&[("type", "ip"), ("id", "0"), ("dst", "10.9.0.9"), ("src", "0.0.0.0"), ("ttl", "0"), ("tos", "0")]));
    // Types only named: their settings are the type.
    assert_eq!(Encap { ty: 10, data: vec![1, 2, 3] }.settings(), enc(&[("type", "xfrm")]));
    assert_eq!(Encap { ty: 99, data: vec![] }.settings(), enc(&[("type", "99")]));
}

#[test]
fn refusals_name_the_setting() {
    let bad: &[(&[(&str, &str)], &str)] = &[
        (&[("type", "gre")], "encap.type"),
        (&[("mode", "encap")], "encap.type"),
        (&[("type", "seg6"), ("segments", "2001:db8::1")], "encap.mode"),
        (&[("type", "seg6"), ("mode", "tunnel"), ("segments", "2001:db8::1")], "mode"),
        (&[("type", "seg6"), ("mode", "encap"), ("segments", "10.0.0.1")], "encap.segments[0]"),
        (&[("type", "seg6"), ("mode", "encap")], "encap.segments"),
        (&[("type", "seg6"), ("mode", "encap"), ("segments", "2001:db8::1"), ("ttl", "1")], "ttl"),
        (&[("type", "ip"), ("id", "1")], "encap.dst"),
        (&[("type", "ip"), ("dst", "2001:db8::1")], "encap.dst"),
        (&[("type", "ip6"), ("dst", "10.0.0.1")], "encap.dst"),
        (&[("type", "ip"), ("dst", "10.0.0.1"), ("ttl", "256")], "ttl"),
        (&[("type", "mpls"), ("labels", "1048576")], "encap.labels[0]"),
        (&[("type", "mpls")], "encap.labels"),
        (&[("type", "seg6local")], "encap.action"),
        (&[("type", "seg6local"), ("action", "End.Z")], "action"),
        (&[("type", "seg6local"), ("action", "End"), ("hmac", "1")], "encap.hmac"),
        (&[("type", "ioam6"), ("ns", "1"), ("size", "12")], "encap.traceType"),
        (&[("type", "ioam6"), ("traceType", "1"), ("ns", "1"), ("size", "10")], "encap.size"),
        (&[("type", "ioam6"), ("mode", "encap"), ("traceType", "1"), ("ns", "1"), ("size", "12")], "encap.tundst"),
        (&[("type", "ioam6"), ("freqk", "3"), ("freqn", "2"), ("traceType", "1"), ("ns", "1"), ("size", "12")], "encap.freqk"),
        (&[("type", "bpf"), ("headroom", "10")], "bpf"),
    ];
    for (pairs, needle) in bad {
        let e = Encap::from_settings(&enc(pairs)).expect_err(&format!("{pairs:?}"));
        assert!(e.contains(needle), "{pairs:?}: {e}");
    }
    let mut s = enc(&[("type", "bpf")]);
    s.set("xmit", Value::Map(enc(&[("pinned", "/nonexistent/nlkit-prog")])));
    assert!(Encap::from_settings(&s).unwrap_err().contains("encap.xmit.pinned"));
    let mut s = enc(&[("type", "bpf")]);
    s.set("xmit", Value::Map(enc(&[("fd", "3"), ("pinned", "/x")])));
    assert!(Encap::from_settings(&s).unwrap_err().contains("either fd or pinned"));
}

#[test]
fn bpf_by_descriptor_is_laid_out_as_ip_does() {
    // ip route add ... encap bpf xmit pinned /sys/fs/bpf/P headroom 14: a nest per hook with the
    // program's fd and name, then the headroom.
    let mut s = enc(&[("type", "bpf"), ("headroom", "14")]);
    s.set("xmit", Value::Map(enc(&[("fd", "5"), ("name", "P:[*fsobj]")])));
    let e = Encap::from_settings(&s).unwrap().encap;
    let want: &[u8] = &[
        28, 0, 3, 0x80, 8, 0, 1, 0, 5, 0, 0, 0, 15, 0, 2, 0, b'P', b':', b'[', b'*', b'f', b's', b'o', b'b', b'j', b']', 0, 0, 8, 0, 4, 0,
        14, 0, 0, 0,
    ];
    assert_eq!(e.data, want);
    let mut back = enc(&[("type", "bpf")]);
    back.set("xmit", Value::Map(enc(&[("name", "P:[*fsobj]")])));
    back.set_int("headroom", 14);
    assert_eq!(e.settings(), back);
    assert_eq!(AF_INET, 2);
}

/// `encap seg6local action End count`, `... flavors psp` and `... flavors next-csid lblen 32
/// nflen 16` (iproute2 6.1): the RTA_ENCAP contents, and decoded back.
#[test]
fn seg6local_count_and_flavors_equal_iproute2() {
    let count = built(&[("type", "seg6local"), ("action", "End"), ("count", "true")]);
    let mut want = hex("080001000100000028000a800c00020000000000000000000c00030000000000000000000c0004000000000000000000");
    assert_eq!(count.data, want);
    let psp = built(&[("type", "seg6local"), ("action", "End"), ("flavors", "psp")]);
    assert_eq!(psp.data, hex("08000100010000000c000b800800010002000000"));
    let csid = built(&[("type", "seg6local"), ("action", "End"), ("flavors", "next-csid"), ("lblen", "32"), ("nflen", "16")]);
    // iproute2's u8 padding bytes are garbage (f0 01 00, e1 01 00): nlkit sends zeros.
    assert_eq!(csid.data, hex("08000100010000001c000b80080001001000000005000200200000000500030010000000"));
    let s = csid.settings();
    assert_eq!(s.get("flavors"), Some(&Value::List(vec![Value::Str("next-csid".into())])));
    assert_eq!((s.get("lblen"), s.get("nflen")), (Some(&Value::Int(32)), Some(&Value::Int(16))));
    // Counters as the kernel reports them, given back: not sent again.
    want[16] = 5;
    let c = Encap { ty: count.ty, data: want }.settings();
    assert_eq!(c.get("count"), Some(&Value::Bool(true)));
    let Some(Value::Map(m)) = c.get("counters") else { panic!("counters: {c:?}") };
    assert_eq!(m.get("packets"), Some(&Value::Int(5)));
    assert_eq!(Encap::from_settings(&c).unwrap().encap.data, count.data);
    assert!(Encap::from_settings(&enc(&[("type", "seg6local"), ("action", "End"), ("lblen", "32")])).unwrap_err().contains("flavors"));
    assert!(Encap::from_settings(&enc(&[("type", "seg6local"), ("action", "End"), ("flavors", "fast")])).is_err());
}

/// `encap seg6local action End.BPF endpoint pinned /tmp/B/s6` (iproute2 6.1, the pinned program
/// at descriptor 4): the action, then the program's nest (fd, name) in bpf's layout; decoded back
/// as `ip -j` shows it (the name), and End.BPF without a program, or a program on another
/// action, refused.
#[test]
fn seg6local_end_bpf_equals_iproute2() {
    let mut s = enc(&[("type", "seg6local"), ("action", "End.BPF")]);
    s.set("endpoint", Value::Map(enc(&[("fd", "4"), ("name", "s6:[*fsobj]")])));
    let e = Encap::from_settings(&s).unwrap().encap;
    assert_eq!(e.data, hex("080001000f0000001c00088008000100040000001000020073363a5b2a66736f626a5d00"));
    let back = e.settings();
    assert_eq!(back.map("endpoint").unwrap(), Some(&enc(&[("name", "s6:[*fsobj]")])));
    assert_eq!(back.str("action").unwrap(), Some("End.BPF"));
    let err = Encap::from_settings(&enc(&[("type", "seg6local"), ("action", "End.BPF")])).unwrap_err();
    assert!(err.contains("encap.endpoint"), "{err}");
    let mut s = enc(&[("type", "seg6local"), ("action", "End")]);
    s.set("endpoint", Value::Map(enc(&[("fd", "4")])));
    assert!(Encap::from_settings(&s).unwrap_err().contains("End.BPF"));
    let mut s = enc(&[("type", "seg6local"), ("action", "End.BPF")]);
    s.set("endpoint", Value::Map(enc(&[("fd", "4"), ("pinned", "/x")])));
    assert!(Encap::from_settings(&s).unwrap_err().contains("encap.endpoint takes either fd or pinned"));
}
