//! Requests byte for byte against iproute2's (../testdata/ip-xfrm.txt), and decoding of replies
//! constructed from those same bytes (a state's reply is its add request's payload).

use super::*;
use crate::rtnl::settings::Value;
use crate::wire;

mod aevents;
mod attrs;
mod filters;

/// Test input as a small JSON subset (objects, lists, strings without escapes, integers, booleans).
pub(super) fn json(s: &str) -> Settings {
    fn value(s: &[u8], i: &mut usize) -> Value {
        while s[*i].is_ascii_whitespace() {
            *i += 1;
        }
        match s[*i] {
            b'{' => {
                *i += 1;
                let mut m = Settings::new();
                loop {
                    while s[*i].is_ascii_whitespace() || s[*i] == b',' {
                        *i += 1;
                    }
                    if s[*i] == b'}' {
                        *i += 1;
                        return Value::Map(m);
                    }
                    let Value::Str(k) = value(s, i) else { panic!("key") };
                    while s[*i] != b':' {
                        *i += 1;
                    }
                    *i += 1;
                    let v = value(s, i);
                    m.set(&k, v);
                }
            }
            b'[' => {
                *i += 1;
                let mut l = Vec::new();
                loop {
                    while s[*i].is_ascii_whitespace() || s[*i] == b',' {
                        *i += 1;
                    }
                    if s[*i] == b']' {
                        *i += 1;
                        return Value::List(l);
                    }
                    l.push(value(s, i));
                }
            }
            b'"' => {
                let end = *i + 1 + s[*i + 1..].iter().position(|&c| c == b'"').unwrap();
                let v = Value::Str(String::from_utf8(s[*i + 1..end].to_vec()).unwrap());
                *i = end + 1;
                v
            }
            _ => {
                let end = *i + s[*i..].iter().position(|&c| !(c.is_ascii_alphanumeric() || c == b'-')).unwrap();
                let t = std::str::from_utf8(&s[*i..end]).unwrap();
                *i = end;
                match t {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    _ => Value::Int(t.parse().unwrap()),
                }
            }
        }
    }
    match value(s.as_bytes(), &mut 0) {
        Value::Map(m) => m,
        _ => panic!("an object"),
    }
}

pub(super) fn captured(name: &str) -> Vec<u8> {
    let line = include_str!("../testdata/ip-xfrm.txt").lines().find(|l| l.split(' ').next() == Some(name)).unwrap();
    let h = line.split(' ').nth(1).unwrap();
    (0..h.len() / 2).map(|i| u8::from_str_radix(&h[2 * i..2 * i + 2], 16).unwrap()).collect()
}

/// The request `op` builds for `spec`, seq/pid zero (as the captures).
pub(super) fn sent(op: &str, spec: &str) -> Vec<u8> {
    request(op, &json(spec)).unwrap().bytes
}

pub(super) fn check(name: &str, op: &str, spec: &str) {
    let b = sent(op, spec);
    let len = u32::from_ne_bytes(b[..4].try_into().unwrap()) as usize;
    assert_eq!(b.len(), len.next_multiple_of(4));
    assert_eq!(wire_hex(&b[..len]), wire_hex(&captured(name)), "{name}: {op} {spec}");
}

pub(super) fn wire_hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

pub(super) fn payload(b: &[u8]) -> Vec<u8> {
    wire::messages(b).next().unwrap().unwrap().payload.to_vec()
}

pub(super) const A1: &str = "0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const A2: &str = "0xbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
pub(super) const E1: &str = "0xcccccccccccccccccccccccccccccccc";
const G: &str = "0xdddddddddddddddddddddddddddddddddddddddd";

#[test]
fn policy_requests_equal_ip_xfrm() {
    // ip xfrm policy add src 10.182.3.0/24 dst 10.182.4.0/24 proto tcp dport 80 dir in priority 7
    let p1 = r#"{"selector":{"src":"10.182.3.0/24","dst":"10.182.4.0/24","proto":"tcp","dport":80},"dir":"in","priority":7}"#;
    check("pa1", "policyAdd", p1);
    // ... policy update ... priority 8
    check("pu1", "policyUpdate", &p1.replace(":7", ":8"));
    // ip xfrm policy add src 10.182.1.0/24 dst 10.182.2.0/24 dir out priority 100 mark 0x10 mask 0xff if_id 7
    //   tmpl src 10.182.0.1 dst 10.182.0.2 proto esp reqid 5 mode tunnel
    check(
        "pa2",
        "policyAdd",
        r#"{"selector":{"src":"10.182.1.0/24","dst":"10.182.2.0/24"},"dir":"out","priority":100,"mark":{"value":16,"mask":255},"ifId":7,
            "templates":[{"src":"10.182.0.1","dst":"10.182.0.2","proto":"esp","reqid":5,"mode":"tunnel"}]}"#,
    );
    // ip xfrm policy add src 2001:db8:182::/64 dst 2001:db8:182:1::/64 proto udp sport 500 dir fwd action block
    //   index 0 flag localok icmp ptype sub
    check(
        "pa3",
        "policyAdd",
        r#"{"selector":{"src":"2001:db8:182::/64","dst":"2001:db8:182:1::/64","proto":"udp","sport":500},"dir":"fwd","action":"block","flags":["localok","icmp"],"type":"sub"}"#,
    );
    // ip xfrm policy add dst 10.182.9.9/32 dir in tmpl dst 10.182.9.9 proto esp mode transport level use
    //   tmpl src 10.182.0.1 dst 10.182.0.3 proto comp spi 0x99 mode tunnel
    check(
        "pa4",
        "policyAdd",
        r#"{"selector":{"dst":"10.182.9.9/32"},"dir":"in","templates":[{"dst":"10.182.9.9","proto":"esp","optional":true},
            {"src":"10.182.0.1","dst":"10.182.0.3","proto":"comp","spi":153,"mode":"tunnel"}]}"#,
    );
    // ip xfrm policy add src 10.182.5.0/24 dst 10.182.6.0/24 dir out limit byte-soft 1000 limit time-hard 60
    check(
        "pa5",
        "policyAdd",
        r#"{"selector":{"src":"10.182.5.0/24","dst":"10.182.6.0/24"},"dir":"out","lifetime":{"softByteLimit":1000,"hardAddExpires":60}}"#,
    );
    // ip xfrm policy get|delete src 10.182.3.0/24 dst 10.182.4.0/24 proto tcp dport 80 dir in
    let id = r#"{"selector":{"src":"10.182.3.0/24","dst":"10.182.4.0/24","proto":"tcp","dport":80},"dir":"in"}"#;
    check("pg1", "policyGet", id);
    check("pd1", "policyDelete", id);
    // ip xfrm policy get index 0x11 dir out
    check("pg2", "policyGet", r#"{"index":17,"dir":"out"}"#);
    // ip xfrm policy delete src 10.182.1.0/24 dst 10.182.2.0/24 dir out mark 0x10 mask 0xff if_id 7
    check(
        "pd2",
        "policyDelete",
        r#"{"selector":{"src":"10.182.1.0/24","dst":"10.182.2.0/24"},"dir":"out","mark":{"value":16,"mask":255},"ifId":7}"#,
    );
    // ip xfrm policy flush [ptype sub]; ip xfrm policy count; ip xfrm policy set hthresh4 24 16 hthresh6 64 48
    check("pf", "policyFlush", "{}");
    check("pf2", "policyFlush", r#"{"type":"sub"}"#);
    check("pcount", "spdInfo", "{}");
    check("pset", "spdSet", r#"{"ipv4Thresh":{"local":24,"remote":16},"ipv6Thresh":{"local":64,"remote":48}}"#);
}

#[test]
fn state_requests_equal_ip_xfrm() {
    // ip xfrm state add src 10.182.0.1 dst 10.182.0.2 proto esp spi 0x100 reqid 5 mode tunnel
    //   auth-trunc 'hmac(sha256)' A2 128 enc 'cbc(aes)' E1 replay-window 32 flag noecn esn
    let s1 = format!(
        r#"{{"src":"10.182.0.1","dst":"10.182.0.2","proto":"esp","spi":256,"reqid":5,"mode":"tunnel","auth":{{"name":"hmac(sha256)","key":"{A2}","truncLen":128}},"crypt":{{"name":"cbc(aes)","key":"{E1}"}},"replayWindow":32,"flags":["noecn","esn"]}}"#
    );
    check("sa1", "stateAdd", &s1);
    // ... proto esp spi 0x101 mode transport aead 'rfc4106(gcm(aes))' G 128 encap espinudp 4500 4500 0.0.0.0 mark 7 mask 0xf if_id 9
    check(
        "sa2",
        "stateAdd",
        &format!(
            r#"{{"src":"10.182.0.1","dst":"10.182.0.2","proto":"esp","spi":257,"aead":{{"name":"rfc4106(gcm(aes))","key":"{G}","icvLen":128}},"encap":{{"type":"espinudp","sport":4500,"dport":4500,"oa":"0.0.0.0"}},"mark":{{"value":7,"mask":15}},"ifId":9}}"#
        ),
    );
    // ... proto ah spi 0x102 auth 'hmac(sha1)' A1 ; ... proto comp spi 0x103 comp deflate
    check(
        "sa3",
        "stateAdd",
        &format!(r#"{{"src":"10.182.0.1","dst":"10.182.0.2","proto":"ah","spi":258,"auth":{{"name":"hmac(sha1)","key":"{A1}"}}}}"#),
    );
    check("sa4", "stateAdd", r#"{"src":"10.182.0.1","dst":"10.182.0.2","proto":"comp","spi":259,"comp":{"name":"deflate"}}"#);
    // ip xfrm state add src 2001:db8:182::1 dst 2001:db8:182::2 proto esp spi 0x104 auth 'hmac(sha1)' A1 enc 'cbc(aes)' E1
    //   sel src 2001:db8:182::1 dst 2001:db8:182::2 limit time-soft 30 limit packet-hard 100
    check(
        "sa5",
        "stateAdd",
        &format!(
            r#"{{"src":"2001:db8:182::1","dst":"2001:db8:182::2","proto":"esp","spi":260,"auth":{{"name":"hmac(sha1)","key":"{A1}"}},"crypt":{{"name":"cbc(aes)","key":"{E1}"}},
                "selector":{{"src":"2001:db8:182::1","dst":"2001:db8:182::2"}},"lifetime":{{"softAddExpires":30,"hardPacketLimit":100}}}}"#
        ),
    );
    // ... spi 0x105 enc 'cbc(aes)' E1 replay-window 64 (over 32: XFRMA_REPLAY_ESN_VAL); ... spi 0x106 ... offload dev lo dir in
    let enc = format!(r#""src":"10.182.0.1","dst":"10.182.0.2","proto":"esp","crypt":{{"name":"cbc(aes)","key":"{E1}"}}"#);
    check("sa6", "stateAdd", &format!(r#"{{{enc},"spi":261,"replayWindow":64}}"#));
    check("sa7", "stateAdd", &format!(r#"{{{enc},"spi":262,"offload":{{"ifindex":1,"dir":"in"}}}}"#));
    check("su1", "stateUpdate", &format!(r#"{{{enc},"spi":256}}"#));
    // ip xfrm state allocspi src 10.182.0.1 dst 10.182.0.2 proto esp mode tunnel reqid 3 min 0x200 max 0x300; ... proto ah
    check("sal", "stateAllocSpi", r#"{"src":"10.182.0.1","dst":"10.182.0.2","proto":"esp","mode":"tunnel","reqid":3,"min":512,"max":768}"#);
    check("sal2", "stateAllocSpi", r#"{"src":"10.182.0.1","dst":"10.182.0.2","proto":"ah"}"#);
    // ip xfrm state get|delete src 10.182.0.1 dst 10.182.0.2 proto esp spi 0x100; flush [proto esp]; count
    let id = r#"{"src":"10.182.0.1","dst":"10.182.0.2","proto":"esp","spi":256}"#;
    check("sg", "stateGet", id);
    check("sd", "stateDelete", id);
    check("sf", "stateFlush", r#"{"proto":"esp"}"#);
    check("sf0", "stateFlush", "{}");
    check("sacount", "sadInfo", "{}");
}

#[test]
fn decoded_objects_encode_back_the_same() {
    // A policy's reply has the shape of its add (xfrm_userpolicy_info and attributes).
    for name in ["pa1", "pa2", "pa3", "pa4", "pa5"] {
        let req = captured(name);
        let mut obj = policy::decode(&payload(&req)).unwrap();
        obj.0.retain(|(k, _)| k != "current");
        let again = policy::encode_add(XFRM_MSG_NEWPOLICY, &obj).unwrap();
        // The kernel names the policy type always; `ip` sends it only for sub.
        assert_eq!(wire_hex(&again), wire_hex(&req), "{name}: {obj:?}");
    }
    for name in ["sa1", "sa2", "sa3", "sa4", "sa5", "sa6", "sa7"] {
        let req = captured(name);
        let obj = state::decode(&payload(&req)).unwrap();
        assert_eq!(wire_hex(&state::encode_add(XFRM_MSG_NEWSA, &obj).unwrap()), wire_hex(&req), "{name}: {obj:?}");
    }
    let s = state::decode(&payload(&captured("sa2"))).unwrap();
    assert_eq!(s.str("dst").unwrap(), Some("10.182.0.2"));
    assert_eq!(s.map("aead").unwrap().unwrap().int("icvLen", 0, 999).unwrap(), Some(128));
    assert_eq!(s.map("encap").unwrap().unwrap().u16("dport").unwrap(), Some(4500));
}

#[test]
fn decoders_take_short_and_long_structs() {
    let req = captured("sa1");
    let p = payload(&req);
    for n in [0, 10, 100, 223] {
        let s = state::decode(&p[..n]).unwrap();
        assert!(s.get("spi").is_some());
    }
    let mut longer = p[..state::INFO_LEN].to_vec();
    longer.extend_from_slice(&[0; 3]);
    assert!(state::decode(&longer).is_ok());
    assert!(policy::decode(&[1, 2, 3]).is_ok());
    // A truncated attribute is an error, never a read past the end.
    assert!(state::decode(&p[..state::INFO_LEN + 6]).is_err());
    for ty in [0x10u16, 0x11, 0x13, 0x14, 0x17, 0x18, 0x1b, 0x1c, 0x1d, 0x20] {
        for n in [0, 5, 60, 300] {
            let _ = events::decode(ty, &p[..n.min(p.len())]);
        }
    }
}

#[test]
fn bad_specs_are_refused_with_their_key() {
    let e = |op: &str, s: &str| request(op, &json(s)).unwrap_err().to_string();
    assert!(e("policyAdd", r#"{"selector":{}}"#).contains("dir"));
    assert!(e("policyAdd", r#"{"dir":"sideways"}"#).contains("dir"));
    assert!(e("policyAdd", r#"{"dir":"in","prio":1}"#).contains("prio"));
    assert!(e("policyAdd", r#"{"dir":"in","templates":[{"mode":"tunnel"}]}"#).contains("templates[0].proto"));
    let st = |alg: &str| format!(r#"{{"dst":"10.0.0.1","proto":"esp","spi":1,{alg}}}"#);
    assert!(e("stateAdd", &st(r#""auth":{"name":"hmac(sha256)","key":"0xaa"}"#))
        .contains("auth.key: hmac(sha256) takes a key of 256 bits, got 8"));
    assert!(e("stateAdd", &st(r#""crypt":{"name":"cbc(aes)","key":"0xaabb"}"#)).contains("crypt.key"));
    assert!(
        e("stateAdd", &st(&format!(r#""aead":{{"name":"rfc4106(gcm(aes))","key":"{E1}","icvLen":128}}"#))).contains("160 or 224 or 288")
    );
    assert!(e("stateAdd", &st(&format!(r#""aead":{{"name":"rfc4106(gcm(aes))","key":"{G}","icvLen":100}}"#))).contains("icvLen"));
    assert!(e("stateAdd", &st(&format!(r#""auth":{{"name":"hmac(sha1)","key":"{A1}","truncLen":200}}"#))).contains("truncLen"));
    assert!(e("stateAdd", &st(r#""crypt":{"name":"cbc(aes)","key":"xyz"}"#)).contains("hex"));
    assert!(e("stateAdd", r#"{"src":"10.0.0.1","dst":"2001:db8::1","proto":"esp","spi":1}"#).contains("src"));
    assert!(e("stateAllocSpi", r#"{"dst":"10.0.0.1","proto":"esp","min":9,"max":1}"#).contains("min"));
    assert!(e("spdSet", r#"{"ipv4Thresh":{"local":33,"remote":1}}"#).contains("ipv4Thresh.local"));
    assert!(e("nope", "{}").contains("nope"));
}

#[test]
fn info_replies_decode() {
    // NEWSPDINFO as the kernel sends it: flags, SPD_INFO, SPD_HINFO, the thresholds.
    let mut b = MsgBuilder::new(XFRM_MSG_NEWSPDINFO, 0);
    b.push(&[0; 4]);
    let counts: Vec<u8> = [1u32, 2, 3, 4, 5, 6].iter().flat_map(|x| x.to_ne_bytes()).collect();
    b.attr(1, &counts).attr(2, &[8, 0, 0, 0, 0, 0, 16, 0]).attr(3, &[32, 32]);
    let m = b.finish();
    let msg = wire::messages(&m).next().unwrap().unwrap();
    let Some(Object::Tree(t)) = Xfrm.decode(&msg, &Decode::SpdInfo).unwrap() else { panic!() };
    assert_eq!(t.u32("outCount").unwrap(), Some(2));
    assert_eq!(t.u32("fwdSocketCount").unwrap(), Some(6));
    assert_eq!(t.u32("hashMax").unwrap(), Some(1 << 20));
    assert_eq!(t.map("ipv4Thresh").unwrap().unwrap().u8("remote").unwrap(), Some(32));
    assert_eq!(Xfrm.decode(&msg, &Decode::State).unwrap(), None);
}

#[test]
fn notifications_decode() {
    let pol = payload(&captured("pa2"));
    let e = events::decode(XFRM_MSG_NEWPOLICY, &pol).unwrap().unwrap();
    assert_eq!(e.str("type").unwrap(), Some("newPolicy"));
    assert_eq!(e.map("policy").unwrap().unwrap().u32("ifId").unwrap(), Some(7));
    // DELPOLICY: xfrm_userpolicy_id, XFRMA_POLICY (the info), then the policy's other attributes.
    let mut del = vec![0u8; policy::ID_LEN];
    let mut b = MsgBuilder::new(0, 0);
    b.attr(XFRMA_POLICY, &pol[..policy::INFO_LEN]);
    let attrs = b.finish()[wire::NLMSG_HDRLEN..].to_vec();
    del.extend_from_slice(&attrs);
    del.extend_from_slice(&pol[policy::INFO_LEN..]);
    let e = events::decode(XFRM_MSG_DELPOLICY, &del).unwrap().unwrap();
    let p = e.map("policy").unwrap().unwrap();
    assert_eq!((p.str("dir").unwrap(), p.u32("priority").unwrap(), p.u32("ifId").unwrap()), (Some("out"), Some(100), Some(7)));
    // DELSA: xfrm_usersa_id, XFRMA_SA, the algorithms.
    let sa = payload(&captured("sa3"));
    let mut del = vec![0u8; 24];
    let mut b = MsgBuilder::new(0, 0);
    b.attr(XFRMA_SA, &sa[..state::INFO_LEN]);
    del.extend_from_slice(&b.finish()[wire::NLMSG_HDRLEN..]);
    del.extend_from_slice(&sa[state::INFO_LEN..]);
    let e = events::decode(XFRM_MSG_DELSA, &del).unwrap().unwrap();
    let s = e.map("state").unwrap().unwrap();
    assert_eq!(s.u32("spi").unwrap(), Some(0x102));
    assert_eq!(s.map("auth").unwrap().unwrap().str("key").unwrap(), Some(A1));
    // ACQUIRE: id, saddr, selector, policy, masks, seq.
    let mut acq = vec![0u8; 280];
    acq[..4].copy_from_slice(&[10, 182, 9, 2]);
    acq[20] = 50;
    acq[24..28].copy_from_slice(&[10, 182, 9, 1]);
    acq[40 + 40..40 + 42].copy_from_slice(&addr::AF_INET.to_ne_bytes());
    acq[96..96 + policy::INFO_LEN].copy_from_slice(&pol[..policy::INFO_LEN]);
    acq[276..280].copy_from_slice(&9u32.to_ne_bytes());
    let e = events::decode(XFRM_MSG_ACQUIRE, &acq).unwrap().unwrap();
    assert_eq!((e.str("dst").unwrap(), e.str("proto").unwrap(), e.u32("seq").unwrap()), (Some("10.182.9.2"), Some("esp"), Some(9)));
    let e = events::decode(XFRM_MSG_FLUSHSA, &[50]).unwrap().unwrap();
    assert_eq!((e.str("type").unwrap(), e.str("proto").unwrap()), (Some("flushStates"), Some("esp")));
    assert_eq!(events::decode(0x30, &[]).unwrap(), None);
}
