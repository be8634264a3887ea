//! Requests byte for byte against what `ss` sends (testdata/, captured with strace), and the
//! decoding of a captured reply.

use super::bytecode::tests::ss_cases;
use super::bytecode::Expr;
use super::inet::{self, Query, SockId};
use super::*;
use crate::rtnl::settings::Value;
use crate::wire;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

fn data(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter(|l| !l.starts_with('#') && !l.is_empty())
}

/// The request as sent, seq and pid zeroed (the engine stamps them).
fn sent(r: &Request) -> Vec<u8> {
    let mut b = r.bytes.clone();
    wire::stamp(&mut b, 0, 0);
    b
}

#[test]
fn dumps_equal_what_ss_sends_for_the_same_filter() {
    let captured: Vec<(&str, Vec<u8>)> =
        data(include_str!("testdata/ss-requests.txt")).map(|l| l.split_once('\t').map(|(f, h)| (f, hex(h))).unwrap()).collect();
    let cases = ss_cases();
    assert_eq!(captured.len(), cases.len());
    for ((name, bytes), (case, expr)) in captured.iter().zip(cases) {
        assert_eq!(*name, case);
        // ss -a asks for every state ss knows (0xfff) and no extensions.
        let q = Query {
            family: libc::AF_INET as u8,
            protocol: libc::IPPROTO_TCP as u8,
            states: 0xfff,
            ext: 0,
            filter: Some(expr),
            cgroup: false,
        };
        assert_eq!(&sent(&inet::dump(&q).unwrap()), bytes, "{name}");
    }
}

#[test]
fn destroy_equals_ss_k() {
    let want = hex(data(include_str!("testdata/ss-destroy.txt")).next().unwrap());
    let lo = "127.0.0.1".parse().unwrap();
    let id = SockId { src: lo, dst: lo, sport: 52222, dport: 40001, iface: 0, cookie: 0x581 };
    let r = inet::destroy(libc::AF_INET as u8, libc::IPPROTO_TCP as u8, &id).unwrap();
    assert_eq!(sent(&r), want);
    assert!(inet::destroy(libc::AF_INET6 as u8, 6, &id).is_err());
    assert!(inet::destroy(1, 6, &id).is_err());
}

fn captured_reply() -> Vec<u8> {
    hex(data(include_str!("testdata/ss-reply.txt")).next().unwrap())
}

#[test]
fn decodes_a_captured_tcp_socket() {
    let bytes = captured_reply();
    let m = wire::messages(&bytes).next().unwrap().unwrap();
    let d = Decode::Inet { protocol: 6, cgroup: true };
    let Some(Object::Tree(s)) = SockDiag.decode(&m, &d).unwrap() else { panic!() };
    let str_of = |k: &str| match s.get(k) {
        Some(Value::Str(v)) => v.clone(),
        o => panic!("{k}: {o:?}"),
    };
    assert_eq!(s.get("family"), Some(&Value::Int(4)));
    assert_eq!(str_of("protocol"), "tcp");
    assert_eq!(str_of("state"), "established");
    assert_eq!((str_of("src"), str_of("dst")), ("127.0.0.1".into(), "127.0.0.1".into()));
    assert_eq!((s.get("sport"), s.get("dport")), (Some(&Value::Int(56622)), Some(&Value::Int(40001))));
    assert_eq!(str_of("congestion"), "bbr");
    assert!(matches!(s.get("cgroupId"), Some(Value::Int(_))));
    let Some(Value::Map(info)) = s.get("info") else { panic!("no info") };
    assert_eq!(info.get("rtt"), Some(&Value::Int(42)));
    assert_eq!(info.get("sndCwnd"), Some(&Value::Int(10)));
    assert_eq!(info.get("bytesAcked"), Some(&Value::Int(1)));
    assert_eq!((info.get("segsOut"), info.get("segsIn")), (Some(&Value::Int(2)), Some(&Value::Int(1))));
    assert_eq!((info.get("sndWscale"), info.get("rcvWscale")), (Some(&Value::Int(10)), Some(&Value::Int(10))));
    // Without the cgroup extension the id is left out.
    let Some(Object::Tree(s)) = SockDiag.decode(&m, &Decode::Inet { protocol: 6, cgroup: false }).unwrap() else { panic!() };
    assert!(s.get("cgroupId").is_none());
}

#[test]
fn a_stream_decodes_payloads_as_a_listing_decodes_messages() {
    let bytes = captured_reply();
    let m = wire::messages(&bytes).next().unwrap().unwrap();
    let d = Decode::Inet { protocol: 6, cgroup: false };
    let Some(Object::Tree(listed)) = SockDiag.decode(&m, &d).unwrap() else { panic!() };
    assert_eq!(decode_listed(m.payload, &d).unwrap(), Some(listed));
    assert!(decode_listed(&m.payload[..40], &d).is_err());
    assert_eq!(decode_listed(m.payload, &Decode::Skip).unwrap(), None);
}

#[test]
fn cut_replies_fail_or_decode_without_panics() {
    let bytes = captured_reply();
    let payload = &bytes[wire::NLMSG_HDRLEN..];
    for n in 0..payload.len() {
        let r = inet::decode(&payload[..n], 6, true);
        assert_eq!(r.is_err(), n < 72 || (n > 72 && wire::attrs(&payload[72..n]).any(|a| a.is_err())), "{n}");
        let _ = unix::decode(&payload[..n]);
    }
    // Other message types are not socket records.
    let done = wire::MsgBuilder::new(wire::NLMSG_DONE, 0).finish();
    let m = wire::messages(&done).next().unwrap().unwrap();
    assert_eq!(SockDiag.decode(&m, &Decode::Unix).unwrap(), None);
}

#[test]
fn unix_sockets_decode() {
    let mut p = vec![libc::AF_UNIX as u8, libc::SOCK_STREAM as u8, 10, 0];
    p.extend_from_slice(&77u32.to_ne_bytes());
    p.extend_from_slice(&[5, 0, 0, 0, 0, 0, 0, 0]);
    let mut b = wire::MsgBuilder::new(SOCK_DIAG_BY_FAMILY, 0);
    b.push(&p);
    b.attr(0, b"\0abstract");
    b.attr(4, &[3, 0, 0, 0, 128, 0, 0, 0]);
    b.attr_u32(2, 0);
    b.attr(3, &[9, 0, 0, 0, 10, 0, 0, 0]);
    let bytes = b.finish();
    let m = wire::messages(&bytes).next().unwrap().unwrap();
    let Some(Object::Tree(s)) = SockDiag.decode(&m, &Decode::Unix).unwrap() else { panic!() };
    assert_eq!(s.get("type"), Some(&Value::Str("stream".into())));
    assert_eq!(s.get("state"), Some(&Value::Str("listen".into())));
    assert_eq!(s.get("path"), Some(&Value::Str("@abstract".into())));
    assert_eq!(s.get("cookie"), Some(&Value::Str("5".into())));
    assert_eq!((s.get("rqueue"), s.get("wqueue")), (Some(&Value::Int(3)), Some(&Value::Int(128))));
    assert_eq!(s.get("pending"), Some(&Value::List(vec![Value::Int(9), Value::Int(10)])));
    let r = unix::dump(1 << 10, false);
    assert_eq!(wire::u16_at(&r.bytes, 4), SOCK_DIAG_BY_FAMILY);
    assert_eq!(r.bytes.len(), 16 + 24);
}

#[test]
fn auto_and_no_filter() {
    let q = Query { family: libc::AF_INET6 as u8, protocol: 17, states: !0, ..Default::default() };
    assert_eq!(inet::dump(&q).unwrap().bytes.len(), 16 + 56);
    let q = Query { filter: Some(Expr::Auto), ..q };
    assert_eq!(&inet::dump(&q).unwrap().bytes[72..], &[8, 0, 1, 0, 6, 4, 8, 0]);
    assert!(inet::dump(&Query { family: 0, ..Default::default() }).is_err());
}

#[test]
fn netlink_and_packet_sockets_decode() {
    let mut p = vec![libc::AF_NETLINK as u8, libc::SOCK_RAW as u8, 4, 0];
    for v in [1234u32, 0, 0, 99, 7, 0] {
        p.extend_from_slice(&v.to_ne_bytes());
    }
    let mut b = wire::MsgBuilder::new(SOCK_DIAG_BY_FAMILY, 0);
    b.push(&p);
    b.attr(1, &[0b101, 0, 0, 0, 1, 0, 0, 0]);
    b.attr_u32(4, 0x21);
    let bytes = b.finish();
    let m = wire::messages(&bytes).next().unwrap().unwrap();
    let Some(Object::Tree(s)) = SockDiag.decode(&m, &Decode::Netlink).unwrap() else { panic!() };
    assert_eq!(s.get("protocol"), Some(&Value::Int(4)));
    assert_eq!(s.get("portid"), Some(&Value::Int(1234)));
    assert_eq!(s.get("inode"), Some(&Value::Int(99)));
    assert_eq!(s.get("state"), Some(&Value::Str("close".into())));
    assert_eq!(s.get("groups"), Some(&Value::List(vec![Value::Int(1), Value::Int(3), Value::Int(33)])));
    assert_eq!(s.get("flags"), Some(&Value::List(vec![Value::Str("cbRunning".into()), Value::Str("capAck".into())])));

    let mut p = vec![libc::AF_PACKET as u8, libc::SOCK_RAW as u8];
    p.extend_from_slice(&3u16.to_ne_bytes());
    p.extend_from_slice(&55u32.to_ne_bytes());
    p.extend_from_slice(&[1, 0, 0, 0, 0, 0, 0, 0]);
    let mut b = wire::MsgBuilder::new(SOCK_DIAG_BY_FAMILY, 0);
    b.push(&p);
    let mut info = Vec::new();
    for v in [2u32, 3, 0, 0, 0, 0x11] {
        info.extend_from_slice(&v.to_ne_bytes());
    }
    b.attr(0, &info);
    b.attr_u32(5, 1000);
    let bytes = b.finish();
    let m = wire::messages(&bytes).next().unwrap().unwrap();
    let Some(Object::Tree(s)) = SockDiag.decode(&m, &Decode::Packet).unwrap() else { panic!() };
    assert_eq!(s.get("type"), Some(&Value::Str("raw".into())));
    assert_eq!(s.get("protocol"), Some(&Value::Int(3)));
    assert_eq!((s.get("iface"), s.get("version"), s.get("uid")), (Some(&Value::Int(2)), Some(&Value::Int(3)), Some(&Value::Int(1000))));
    assert_eq!(s.get("flags"), Some(&Value::List(vec![Value::Str("running".into()), Value::Str("loss".into())])));
    // Short structs fail, never panic.
    for n in 0..bytes.len() - wire::NLMSG_HDRLEN {
        let _ = packet::decode(&bytes[wire::NLMSG_HDRLEN..wire::NLMSG_HDRLEN + n]);
        let _ = netlink::decode(&bytes[wire::NLMSG_HDRLEN..wire::NLMSG_HDRLEN + n]);
    }
}
