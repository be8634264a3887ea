use std::net::IpAddr;

use super::*;
use crate::wire::{self, MsgBuilder};

fn ip(s: &str) -> Option<IpAddr> {
    Some(s.parse().unwrap())
}

fn tcp(src: &str, dst: &str, sport: u16, dport: u16) -> Tuple {
    Tuple { src: ip(src), dst: ip(dst), proto: Some(IPPROTO_TCP), sport: Some(sport), dport: Some(dport), ..Tuple::default() }
}

/// A reply message as the kernel sends one: nfgenmsg, then `attrs`.
fn reply(ty: u16, flags: u16, family: u8, attrs: impl FnOnce(&mut MsgBuilder)) -> Vec<u8> {
    let mut b = builder(ty, flags, family, NFNETLINK_V0, 0);
    attrs(&mut b);
    b.finish()
}

fn decode(bytes: &[u8], d: &Decode) -> Option<Settings> {
    let m = wire::messages(bytes).next().unwrap().unwrap();
    match Conntrack.decode(&m, d).unwrap() {
        Some(Object::Tree(t)) => Some(t),
        None => None,
        Some(o) => panic!("{o:?}"),
    }
}

#[test]
fn entries_round_trip_through_the_decoder() {
    let orig = tcp("10.180.0.1", "10.180.0.2", 1000, 80);
    let bytes = reply(ct(IPCTNL_MSG_CT_NEW), 0, AF_INET, |b| {
        orig.encode(b, CTA_TUPLE_ORIG);
        orig.inverted().encode(b, CTA_TUPLE_REPLY);
        Change { timeout: Some(99), status: Some(0xe), mark: Some(5), state: Some(3), ..Change::default() }.encode(b, 6);
        b.attr(CTA_ZONE, &3u16.to_be_bytes()).attr(CTA_ID, &7u32.to_be_bytes()).attr(CTA_USE, &1u32.to_be_bytes());
        let n = b.nest_start(CTA_COUNTERS_ORIG);
        b.attr(CTA_COUNTERS_PACKETS, &[0, 0, 0, 0, 0, 0, 0, 2]).attr(CTA_COUNTERS_BYTES, &[0, 0, 0, 0, 0, 0, 1, 0]);
        b.nest_end(n);
        let n = b.nest_start(CTA_TIMESTAMP);
        b.attr(CTA_TIMESTAMP_START, &1_700_000_000_123_456_789u64.to_be_bytes());
        b.nest_end(n);
        b.attr(CTA_LABELS, &labels_bits(&[1, 9]));
    });
    let m = wire::messages(&bytes).next().unwrap().unwrap();
    let e = Entry::decode(AF_INET, split(m.payload).unwrap().2).unwrap();
    assert_eq!(e.orig, orig);
    assert_eq!(e.reply, tcp("10.180.0.2", "10.180.0.1", 80, 1000));
    assert_eq!((e.status, e.timeout, e.mark, e.zone, e.id, e.state), (Some(0xe), Some(99), Some(5), Some(3), Some(7), Some(3)));
    assert_eq!(e.counters_orig, Some((2, 256)));
    let t = decode(&bytes, &Decode::default()).unwrap();
    assert_eq!(t.get("start"), Some(&Value::Str("1700000000123456789".into())));
    assert_eq!(t.get("labels"), Some(&Value::List(vec![Value::Int(1), Value::Int(9)])));
    // The filter is applied to every entry of the reply.
    let miss = Filter { mark: Some((4, 0xff)), ..Filter::default() };
    assert_eq!(decode(&bytes, &Decode::Entries(Box::new(miss))), None);
    let hit =
        Filter { family: AF_INET, proto: Some(6), orig: Tuple { dport: Some(80), ..Tuple::default() }, zone: Some(3), ..Filter::default() };
    assert!(decode(&bytes, &Decode::Entries(Box::new(hit))).is_some());
}

fn labels_bits(bits: &[u32]) -> Vec<u8> {
    entry::labels_bitmap(bits).unwrap()
}

#[test]
fn decoders_refuse_nothing_and_read_nothing_out_of_bounds() {
    // Truncated attributes, short fixed fields, a payload shorter than nfgenmsg.
    for cut in 0..40 {
        let orig = tcp("2001:db8:180::1", "2001:db8:180::2", 1, 2);
        let bytes = reply(ct(IPCTNL_MSG_CT_NEW), 0, AF_INET6, |b| {
            orig.encode(b, CTA_TUPLE_ORIG);
            b.attr(CTA_STATUS, &[1, 2]);
        });
        let payload = &bytes[wire::NLMSG_HDRLEN..];
        let p = &payload[..payload.len().min(cut)];
        let _ = event(ct(IPCTNL_MSG_CT_NEW), NLM_F_CREATE, p);
        if let Some((f, _, a)) = split(p) {
            let _ = Entry::decode(f, a);
        }
    }
}

#[test]
fn a_filter_sends_what_the_kernel_compares() {
    let f = Filter {
        family: AF_INET,
        proto: Some(17),
        orig: Tuple { src: ip("10.180.0.1"), dport: Some(53), ..Tuple::default() },
        mark: Some((1, 0xf)),
        zone: Some(2),
        ..Filter::default()
    };
    let r = list(f);
    let m = wire::messages(&r.bytes).next().unwrap().unwrap();
    assert_eq!(m.header.ty, 0x101);
    assert_eq!(m.header.flags & NLM_F_DUMP, NLM_F_DUMP);
    let (family, _, attrs) = split(m.payload).unwrap();
    assert_eq!(family, AF_INET);
    let got: Vec<u16> = wire::attrs(attrs).map(|a| a.unwrap().0).collect();
    assert_eq!(got, [CTA_MARK, CTA_MARK_MASK, CTA_ZONE, CTA_TUPLE_ORIG, CTA_FILTER]);
    let filter = wire::attrs(attrs).map(|a| a.unwrap()).find(|a| a.0 == CTA_FILTER).unwrap().1;
    let flags: Vec<(u16, u32)> = wire::attrs(filter).map(|a| a.unwrap()).map(|(t, v)| (t, wire::attr_u32(v).unwrap())).collect();
    assert_eq!(flags, [(CTA_FILTER_ORIG_FLAGS, F_IP_SRC | F_PROTO_NUM | F_DST_PORT), (CTA_FILTER_REPLY_FLAGS, 0)]);
    // IPv6 addresses are compared here only; without a family no tuple filter is sent.
    assert_eq!(Tuple { src: ip("2001:db8:180::1"), ..Tuple::default() }.filter_flags(), 0);
    let r = list(Filter { proto: Some(6), ..Filter::default() });
    let m = wire::messages(&r.bytes).next().unwrap().unwrap();
    assert_eq!(m.payload.len(), 4);
}

#[test]
fn a_flush_by_family_says_version_1() {
    let r = flush(&Filter { family: AF_INET6, mark: Some((3, 3)), ..Filter::default() });
    let m = wire::messages(&r.bytes).next().unwrap().unwrap();
    assert_eq!(&m.payload[..2], &[AF_INET6, 1]);
    let got: Vec<u16> = wire::attrs(&m.payload[4..]).map(|a| a.unwrap().0).collect();
    assert_eq!(got, [CTA_MARK, CTA_MARK_MASK]);
}

#[test]
fn events_are_new_update_or_destroy() {
    let orig = tcp("10.180.0.1", "10.180.0.2", 1, 2);
    let body = |b: &mut MsgBuilder| orig.encode(b, CTA_TUPLE_ORIG);
    for (ty, flags, want) in
        [(IPCTNL_MSG_CT_NEW, NLM_F_CREATE | NLM_F_EXCL, "new"), (IPCTNL_MSG_CT_NEW, 0, "update"), (IPCTNL_MSG_CT_DELETE, 0, "destroy")]
    {
        let bytes = reply(ct(ty), flags, AF_INET, body);
        let s = event(ct(ty), flags, &bytes[wire::NLMSG_HDRLEN..]).unwrap().unwrap();
        assert_eq!(s.get("type"), Some(&Value::Str(want.into())));
    }
    assert_eq!(event(0x201, 0, &[2, 0, 0, 0]).unwrap(), None);
}

#[test]
fn stats_decode_by_cpu() {
    let bytes = reply(ct(IPCTNL_MSG_CT_GET_STATS_CPU), 0, 0, |b| {
        b.attr(4, &9u32.to_be_bytes()).attr(15, &1u32.to_be_bytes());
    });
    let t = decode(&bytes, &Decode::Cpu).unwrap();
    assert_eq!(t.get("invalid"), Some(&Value::Int(9)));
    assert_eq!(t.get("chaintoolong"), Some(&Value::Int(1)));
    let bytes = reply(ct(IPCTNL_MSG_CT_GET_STATS), 0, 0, |b| {
        b.attr(CTA_STATS_GLOBAL_ENTRIES, &4u32.to_be_bytes());
    });
    assert_eq!(decode(&bytes, &Decode::Count).unwrap().get("entries"), Some(&Value::Int(4)));
}

#[test]
fn expectations_encode_three_tuples_and_decode_them() {
    let master = Key { family: AF_INET, proto: IPPROTO_TCP, orig: tcp("10.183.0.1", "10.183.0.2", 1000, 21), ..Key::default() };
    let spec = expect::ExpectSpec {
        proto: IPPROTO_TCP,
        tuple: Tuple { sport: Some(0), ..tcp("10.183.0.2", "10.183.0.1", 0, 30000) },
        mask: Tuple { src: ip("255.255.255.255"), dst: ip("255.255.255.255"), sport: Some(0), dport: Some(0xffff), ..Tuple::default() },
        master,
        helper: Some("ftp".into()),
        flags: Some(1),
        ..expect::ExpectSpec::default()
    };
    let r = expect::create(&spec);
    let m = wire::messages(&r.bytes).next().unwrap().unwrap();
    assert_eq!(m.header.ty, 0x200);
    assert_eq!(m.header.flags & (NLM_F_CREATE | NLM_F_EXCL), NLM_F_CREATE | NLM_F_EXCL);
    // A dump reply carries the same attributes: decode what was encoded.
    let mut reply = m.payload.to_vec();
    reply[0] = AF_INET;
    let bytes = {
        let mut b = MsgBuilder::new(0x200, 0);
        b.push(&reply);
        b.finish()
    };
    let t = decode(&bytes, &Decode::Expects).unwrap();
    let map = |k: &str| match t.get(k) {
        Some(Value::Map(m)) => m.clone(),
        o => panic!("{k}: {o:?}"),
    };
    assert_eq!(map("tuple").get("dport"), Some(&Value::Int(30000)));
    assert_eq!(map("mask").get("src"), Some(&Value::Str("255.255.255.255".into())));
    assert_eq!(map("master").get("protonum"), Some(&Value::Int(6)));
    assert_eq!((t.get("helper"), t.get("flags")), (Some(&Value::Str("ftp".into())), Some(&Value::Int(1))));
    // Entries are not expectations, nor the other way round.
    assert_eq!(decode(&bytes, &Decode::default()), None);
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

/// Zeroes the padding after each attribute, nested ones (NLA_F_NESTED) included: conntrack
/// leaves it uninitialised.
fn zero_pads(b: &mut [u8]) {
    let mut at = 0;
    while at + 4 <= b.len() {
        let len = u16::from_ne_bytes([b[at], b[at + 1]]) as usize;
        let ty = u16::from_ne_bytes([b[at + 2], b[at + 3]]);
        let end = (at + len).min(b.len());
        if ty & wire::NLA_F_NESTED != 0 {
            zero_pads(&mut b[at + 4..end]);
        }
        let padded = (at + len.div_ceil(4) * 4).min(b.len());
        b[end..padded].fill(0);
        at = padded.max(at + 4);
    }
}

/// A message as compared: seq and pid zeroed, padding zeroed.
fn normalized(mut m: Vec<u8>) -> Vec<u8> {
    wire::stamp(&mut m, 0, 0);
    zero_pads(&mut m[wire::NLMSG_HDRLEN + 4..]);
    m
}

fn nat(a: &str, port: Option<u16>) -> Option<Nat> {
    Some(Nat { min: a.parse().unwrap(), max: None, ports: port.map(|p| (p, p)) })
}

#[test]
fn a_create_with_nat_equals_what_conntrack_i_sends() {
    let captured = include_str!("testdata/conntrack-nat.txt");
    let captured: Vec<(&str, Vec<u8>)> = captured
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split_once('\t').map(|(n, h)| (n, hex(h))).unwrap())
        .collect();
    let v4 = tcp("10.189.0.1", "10.189.0.2", 1000, 80);
    let v6 = tcp("2001:db8:189::1", "2001:db8:189::2", 1000, 80);
    let udp = Tuple { proto: Some(17), ..tcp("10.189.0.1", "10.189.0.2", 1000, 53) };
    // conntrack -I -p tcp --state ESTABLISHED -t 100, and its --src-nat / --dst-nat.
    let est = Change { timeout: Some(100), state: Some(3), ..Change::default() };
    let cases = [
        ("snat-addr", &v4, Change { snat: nat("10.189.0.9", None), ..est.clone() }),
        ("snat-port", &v4, Change { snat: nat("10.189.0.9", Some(4000)), ..est.clone() }),
        ("dnat-addr", &v4, Change { dnat: nat("10.189.0.9", None), ..est.clone() }),
        ("dnat-port", &v4, Change { dnat: nat("10.189.0.9", Some(8080)), ..est.clone() }),
        ("both", &v4, Change { snat: nat("10.189.0.9", Some(4000)), dnat: nat("10.189.0.8", Some(8080)), ..est.clone() }),
        ("v6-snat-addr", &v6, Change { snat: nat("2001:db8:189::9", None), ..est.clone() }),
        ("v6-snat-port", &v6, Change { snat: nat("2001:db8:189::9", Some(4000)), ..est.clone() }),
        ("v6-dnat-port", &v6, Change { dnat: nat("2001:db8:189::8", Some(8080)), ..est.clone() }),
        ("udp-dnat-port", &udp, Change { timeout: Some(100), dnat: nat("10.189.0.9", Some(5353)), ..Change::default() }),
    ];
    assert_eq!(captured.len(), cases.len());
    for ((name, want), (case, orig, change)) in captured.into_iter().zip(cases) {
        assert_eq!(name, case);
        let family = if orig.src.unwrap().is_ipv6() { AF_INET6 } else { AF_INET };
        let k = Key { family, proto: orig.proto.unwrap(), orig: orig.clone(), ..Key::default() };
        let r = create(&k, &orig.inverted(), &change, true);
        assert_eq!(normalized(r.bytes), normalized(want), "{name}");
    }
}

#[test]
fn nat_ranges_are_checked_and_sent_whole() {
    let a = |s: &str| s.parse::<IpAddr>().unwrap();
    assert!(Nat::new(AF_INET, a("2001:db8:189::1"), None, None).is_err());
    assert!(Nat::new(AF_INET6, a("2001:db8:189::1"), Some(a("10.189.0.1")), None).is_err());
    assert!(Nat::new(AF_INET, a("10.189.0.5"), Some(a("10.189.0.4")), None).is_err());
    assert!(Nat::new(AF_INET, a("10.189.0.5"), None, Some((2, 1))).is_err());
    let n = Nat::new(AF_INET, a("10.189.0.4"), Some(a("10.189.0.5")), Some((1000, 2000))).unwrap();
    let mut b = MsgBuilder::new(0, 0);
    n.encode(&mut b, CTA_NAT_SRC);
    let bytes = b.finish();
    let (ty, nest) = wire::attrs(&bytes[wire::NLMSG_HDRLEN..]).next().unwrap().unwrap();
    assert_eq!(ty, CTA_NAT_SRC);
    let inner: Vec<(u16, Vec<u8>)> = wire::attrs(nest).map(|a| a.unwrap()).map(|(t, v)| (t, v.to_vec())).collect();
    assert_eq!(inner[0], (CTA_NAT_V4_MINIP, vec![10, 189, 0, 4]));
    assert_eq!(inner[1], (CTA_NAT_V4_MAXIP, vec![10, 189, 0, 5]));
    let ports: Vec<(u16, Vec<u8>)> = wire::attrs(&inner[2].1).map(|a| a.unwrap()).map(|(t, v)| (t, v.to_vec())).collect();
    assert_eq!(ports, [(CTA_PROTONAT_PORT_MIN, 1000u16.to_be_bytes().to_vec()), (CTA_PROTONAT_PORT_MAX, 2000u16.to_be_bytes().to_vec())]);
}
