//! flower against iproute2 6.1's bytes (this kernel has no cls_flower; tc encodes anyway):
//! whole requests captured with `strace -f -e trace=sendmsg -e write=all tc filter add dev d0
//! ...` in a scratch namespace (nlmsg seq zeroed), in testdata/fN.hex.

use super::super::test_util::*;
use super::*;

const Q: u16 = 0x8100;
const AD: u16 = 0x88A8;

fn masked(v: i64, m: i64) -> Value {
    map(&[("value", int(v)), ("mask", int(m))])
}
fn range(a: i64, b: i64) -> Value {
    map(&[("start", int(a)), ("end", int(b))])
}
const T: Value = Value::Bool(true);

fn cases() -> Vec<Capture> {
    vec![
        // ingress protocol ip pref 1 flower ip_proto udp dst_ip 10.0.0.0/8 dst_port 53 classid 1:1
        (
            "f1",
            INGRESS,
            1,
            IP,
            0,
            settings(&[("ipProto", st("udp")), ("dstIp", st("10.0.0.0/8")), ("dstPort", int(53)), ("classid", st("1:1"))]),
        ),
        // ingress protocol ipv6 pref 2 flower src_ip 2001:db8::1 dst_ip 2001:db8:1::/48 ip_proto tcp
        //     src_port 1000-2000 dst_port 443 skip_hw action mirred egress redirect dev i0
        (
            "f2",
            INGRESS,
            2,
            IPV6,
            0,
            settings(&[
                ("srcIp", st("2001:db8::1")),
                ("dstIp", st("2001:db8:1::/48")),
                ("ipProto", st("tcp")),
                ("srcPort", range(1000, 2000)),
                ("dstPort", int(443)),
                ("skipHw", T),
                ("actions", Value::List(vec![redirect(4)])),
            ]),
        ),
        // ingress protocol all pref 3 flower dst_mac 02:aa:bb:cc:dd:ee src_mac 02:11:22:00:00:00/24 indev d0 skip_sw
        (
            "f3",
            INGRESS,
            3,
            ALL,
            0,
            settings(&[("dstMac", st("02:aa:bb:cc:dd:ee")), ("srcMac", st("02:11:22:00:00:00/24")), ("indev", st("d0")), ("skipSw", T)]),
        ),
        // ingress protocol 802.1q pref 4 flower vlan_id 100 vlan_prio 3 vlan_ethtype ip ip_proto tcp
        //     dst_port 80/0xff00 ip_tos 0x10/0xf0 ip_ttl 64 flowid 1:4
        (
            "f4",
            INGRESS,
            4,
            Q,
            0,
            settings(&[
                ("vlanId", int(100)),
                ("vlanPrio", int(3)),
                ("vlanEthtype", st("ip")),
                ("ipProto", st("tcp")),
                ("dstPort", masked(80, 0xff00)),
                ("ipTos", masked(0x10, 0xf0)),
                ("ipTtl", int(64)),
                ("flowid", st("1:4")),
            ]),
        ),
        // ingress protocol ip pref 5 flower ip_flags frag/nofirstfrag ip_proto 47
        //     src_mac 02:00:00:00:00:01/ff:00:ff:00:00:ff action mirred ingress mirror dev d1
        // (tc reads a numeric ip_proto as hex: 47 is 0x47)
        (
            "f5",
            INGRESS,
            5,
            IP,
            0,
            settings(&[
                ("ipFlags", st("frag/nofirstfrag")),
                ("ipProto", int(0x47)),
                ("srcMac", st("02:00:00:00:00:01/ff:00:ff:00:00:ff")),
                ("actions", Value::List(vec![mirred("ingress", "mirror", 2)])),
            ]),
        ),
        // ingress protocol ip pref 6 flower (no keys: every IPv4 packet)
        ("f6", INGRESS, 6, IP, 0, Settings::new()),
        // egress protocol ip pref 7 handle 3 flower ip_proto sctp src_port 9/0xff dst_port 100-200
        //     src_ip 192.168.1.1 dst_ip 10.1.0.0/16 ip_ttl 1/0x7f ip_flags nofrag
        (
            "f7",
            EGRESS,
            7,
            IP,
            3,
            settings(&[
                ("ipProto", st("sctp")),
                ("srcPort", masked(9, 0xff)),
                ("dstPort", range(100, 200)),
                ("srcIp", st("192.168.1.1")),
                ("dstIp", st("10.1.0.0/16")),
                ("ipTtl", masked(1, 0x7f)),
                ("ipFlags", map(&[("frag", Value::Bool(false))])),
            ]),
        ),
        // ingress protocol 802.1ad pref 8 flower vlan_id 7 vlan_ethtype ipv6 ip_proto icmpv6 src_ip fe80::/10
        (
            "f8",
            INGRESS,
            8,
            AD,
            0,
            settings(&[("vlanId", int(7)), ("vlanEthtype", st("ipv6")), ("ipProto", st("icmpv6")), ("srcIp", st("fe80::/10"))]),
        ),
    ]
}

#[test]
fn requests_are_byte_equal_to_tc() {
    assert_captures("flower", "flower", &cases());
}

#[test]
fn decoded_requests_encode_the_same() {
    assert_decoded_back("flower", "flower", &cases(), |o| FLOWER_KIND.decode(o));
    let f4 = FLOWER_KIND.decode(&options_of(&testdata("flower", "f4")));
    assert_eq!(f4.str("vlanEthtype"), Ok(Some("ip")));
    assert_eq!(f4.get("dstPort"), Some(&masked(80, 0xff00)));
    assert_eq!(f4.get("ipTtl"), Some(&int(64)));
    let f5 = FLOWER_KIND.decode(&options_of(&testdata("flower", "f5")));
    assert_eq!(f5.get("ipFlags"), Some(&map(&[("frag", T), ("firstfrag", Value::Bool(false))])));
    assert_eq!(f5.get("ipProto"), Some(&int(0x47)));
}

#[test]
fn refusals_name_the_option() {
    type Bad<'a> = (u16, &'a [(&'a str, Value)], &'a str);
    let bad: &[Bad] = &[
        (ALL, &[("dstIp", st("10.0.0.1"))], "dstIp needs protocol ip or ipv6"),
        (IP, &[("dstIp", st("2001:db8::1"))], "dstIp: \"2001:db8::1\" is not an IPv4"),
        (IP, &[("dstIp", st("10.0.0.0/33"))], "dstIp"),
        (IP, &[("dstPort", int(80))], "dstPort needs ipProto tcp, udp or sctp"),
        (IP, &[("ipProto", st("tcp")), ("dstPort", int(70000))], "dstPort must be a port"),
        (IP, &[("ipProto", st("tcp")), ("dstPort", range(20, 10))], "end must be greater"),
        (IP, &[("ipProto", st("tcp")), ("dstPort", map(&[("start", int(1))]))], "needs start and end"),
        (IP, &[("ipProto", st("tcpx"))], "ipProto: unknown protocol"),
        (ALL, &[("ipProto", st("tcp"))], "ipProto needs protocol ip"),
        (IP, &[("vlanId", int(5))], "vlanId needs protocol 802.1q"),
        (Q, &[("vlanId", int(4096))], "vlanId must be between 0 and 4095"),
        (Q, &[("vlanPrio", int(8))], "vlanPrio must be between 0 and 7"),
        (Q, &[("vlanEthtype", st("ipx"))], "vlanEthtype: unknown protocol"),
        (ALL, &[("dstMac", st("02:00:00:00:00"))], "dstMac"),
        (ALL, &[("srcMac", st("02:00:00:00:00:01/49"))], "srcMac"),
        (IP, &[("ipTos", int(256))], "ipTos must be 0 to 255"),
        (IP, &[("ipTtl", map(&[("value", int(1)), ("mask", int(300))]))], "ipTtl.mask must be between"),
        (IP, &[("ipFlags", st("frag/df"))], "ipFlags must be tc's form"),
        (IP, &[("ipFlags", map(&[("df", T)]))], "ipFlags: unknown flag"),
        (ALL, &[("indev", st(""))], "indev must be a device name"),
        (ALL, &[("skipHw", T), ("skipSw", T)], "mutually exclusive"),
        (ALL, &[("ethType", st("ip"))], "unknown setting \"ethType\""),
    ];
    for (proto, kv, why) in bad {
        let e = add("flower", INGRESS, 1, *proto, 0, settings(kv)).unwrap_err();
        assert!(e.contains(why), "{kv:?}: {e}");
    }
}
