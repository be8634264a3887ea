//! Async events and migration, which iproute2 has no command for: the requests against layouts
//! built here field by field from the kernel's structs (include/uapi/linux/xfrm.h), and the
//! kernel's messages (build_aevent, build_migrate) decoded from the same kind of layout.

use super::*;
use crate::wire::NLM_F_REPLACE;

/// Field-by-field bytes, host order unless said.
#[derive(Default)]
struct Layout(Vec<u8>);

impl Layout {
    fn b(mut self, v: &[u8]) -> Self {
        self.0.extend_from_slice(v);
        self
    }
    fn u8(self, v: u8) -> Self {
        self.b(&[v])
    }
    fn u16(self, v: u16) -> Self {
        self.b(&v.to_ne_bytes())
    }
    fn u32(self, v: u32) -> Self {
        self.b(&v.to_ne_bytes())
    }
    fn be32(self, v: u32) -> Self {
        self.b(&v.to_be_bytes())
    }
    fn u64(self, v: u64) -> Self {
        self.b(&v.to_ne_bytes())
    }
    fn v4(self, a: [u8; 4]) -> Self {
        self.b(&a).b(&[0; 12])
    }
    fn zeros(self, n: usize) -> Self {
        self.b(&vec![0; n])
    }
    /// An attribute around `v`, padded to 4.
    fn attr(self, ty: u16, v: &[u8]) -> Self {
        let s = self.u16(4 + v.len() as u16).u16(ty).b(v);
        let pad = (4 - s.0.len() % 4) % 4;
        s.zeros(pad)
    }
    /// A whole message: nlmsghdr (seq/pid zero) around the payload so far.
    fn msg(self, ty: u16, flags: u16) -> Vec<u8> {
        Layout::default().u32(16 + self.0.len() as u32).u16(ty).u16(flags | wire::NLM_F_REQUEST).u32(0).u32(0).b(&self.0).0
    }
}

/// struct xfrm_aevent_id for 10.182.0.1 -> 10.182.0.2 esp spi 0x201.
fn aevent_id(flags: u32, reqid: u32) -> Layout {
    Layout::default().v4([10, 182, 0, 2]).be32(0x201).u16(addr::AF_INET).u8(50).u8(0).v4([10, 182, 0, 1]).u32(flags).u32(reqid)
}

#[test]
fn getae_and_newae_requests_follow_the_kernel_structs() {
    let id = r#""src":"10.182.0.1","dst":"10.182.0.2","proto":"esp","spi":513"#;
    // GETAE asks for both thresholds (XFRM_AE_RTHR | XFRM_AE_ETHR), the mark after the id.
    let want = aevent_id(1 | 8, 0).attr(XFRMA_MARK, &Layout::default().u32(7).u32(0xff).0).msg(aevent::XFRM_MSG_GETAE, 0);
    assert_eq!(wire_hex(&sent("stateAevents", &format!(r#"{{{id},"mark":{{"value":7,"mask":255}}}}"#))), wire_hex(&want));
    assert_eq!(request("stateAevents", &json(&format!("{{{id}}}"))).unwrap().filter, Decode::Aevent);
    // NEWAE: NLM_F_REPLACE | NLM_F_ACK, the replay state, the counters, both thresholds.
    let want = aevent_id(0, 3)
        .attr(10, &Layout::default().u32(1).u32(2).u32(0xf).0)
        .attr(9, &Layout::default().u64(100).u64(2).u64(1_700_000_000).u64(0).0)
        .attr(12, &Layout::default().u32(20).0)
        .attr(11, &Layout::default().u32(4).0)
        .msg(aevent::XFRM_MSG_NEWAE, NLM_F_REPLACE | wire::NLM_F_ACK);
    let set = format!(
        r#"{{{id},"reqid":3,"replay":{{"oseq":1,"seq":2,"bitmap":15}},"current":{{"bytes":100,"packets":2,"addTime":1700000000,"useTime":0}},
            "etimerThresh":20,"replayThresh":4,"ifId":9}}"#
    );
    assert_eq!(wire_hex(&sent("stateAeventsSet", &set)), wire_hex(&want));
    // ESN: bmp_len first, then the five words, then the bitmap.
    let want = aevent_id(0, 0)
        .attr(23, &Layout::default().u32(2).u32(5).u32(6).u32(0).u32(1).u32(64).u32(0xff).u32(0).0)
        .msg(aevent::XFRM_MSG_NEWAE, NLM_F_REPLACE | wire::NLM_F_ACK);
    let esn = format!(r#"{{{id},"replayEsn":{{"oseq":5,"seq":6,"oseqHi":0,"seqHi":1,"replayWindow":64,"bitmap":[255,0]}}}}"#);
    assert_eq!(wire_hex(&sent("stateAeventsSet", &esn)), wire_hex(&want));
    let e = |op: &str, s: &str| request(op, &json(s)).unwrap_err().to_string();
    assert!(e("stateAeventsSet", &format!("{{{id}}}")).contains("give replay, replayEsn, current"));
    assert!(e("stateAeventsSet", &format!(r#"{{{id},"current":{{"bytes":1}}}}"#)).contains("current.packets is required"));
    assert!(e("stateAeventsSet", &format!(r#"{{{id},"replay":{{"seq":1}},"replayEsn":{{}}}}"#)).contains("not both"));
    assert!(e("stateAeventsSet", &format!(r#"{{{id},"replayEsn":{{"bitmap":[-1]}}}}"#)).contains("replayEsn.bitmap[0]"));
    assert!(e("stateAevents", &format!(r#"{{{id},"replay":{{}}}}"#)).contains("replay"));
    assert!(e("stateAevents", r#"{"dst":"10.0.0.1","proto":"esp"}"#).contains("spi is required"));
}

#[test]
fn newae_messages_decode_and_a_got_one_sets_back_the_same() {
    // build_aevent: the id (flags: the cause), the replay state, the counters, the thresholds
    // asked for, the mark, the if_id.
    let msg = aevent_id(16 | 1, 3)
        .attr(10, &Layout::default().u32(9).u32(8).u32(0xff).0)
        .attr(9, &Layout::default().u64(1000).u64(10).u64(1_700_000_000).u64(1_700_000_005).0)
        .attr(11, &Layout::default().u32(2).0)
        .attr(XFRMA_MARK, &Layout::default().u32(7).u32(0xff).0)
        .attr(XFRMA_IF_ID, &Layout::default().u32(4).0)
        .0;
    let a = aevent::decode(&msg).unwrap();
    assert_eq!(
        (a.str("dst").unwrap(), a.str("src").unwrap(), a.u32("spi").unwrap()),
        (Some("10.182.0.2"), Some("10.182.0.1"), Some(0x201))
    );
    assert_eq!(a.get("flags"), Some(&Value::List(vec![Value::Str("replayThresh".into()), Value::Str("replayUpdate".into())])));
    assert_eq!(a.map("replay").unwrap().unwrap().u32("seq").unwrap(), Some(8));
    assert_eq!(a.map("current").unwrap().unwrap().int("useTime", 0, i64::MAX).unwrap(), Some(1_700_000_005));
    assert_eq!((a.u32("replayThresh").unwrap(), a.u32("ifId").unwrap()), (Some(2), Some(4)));
    let e = events::decode(aevent::XFRM_MSG_NEWAE, &msg).unwrap().unwrap();
    assert_eq!(e.str("type").unwrap(), Some("aevent"));
    assert_eq!(e.map("aevent").unwrap().unwrap(), &a);
    // Given back to a set, it carries the same values.
    let back = aevent::encode_set(&a).unwrap();
    let p = payload(&back);
    assert_eq!(&p[..aevent::ID_LEN], &msg[..aevent::ID_LEN]);
    assert_eq!(aevent::decode(&p).unwrap().map("replay").unwrap(), a.map("replay").unwrap());
    // ESN replay, and short or truncated input.
    let esn = aevent_id(0, 0).attr(23, &Layout::default().u32(3).u32(1).u32(2).u32(0).u32(0).u32(96).u32(1).0).0;
    let r = aevent::decode(&esn).unwrap();
    // bmp_len says 3 words, 1 is there: only what is there is read.
    assert_eq!(r.map("replayEsn").unwrap().unwrap().get("bitmap"), Some(&Value::List(vec![Value::Int(1)])));
    for n in [0, 7, 47, 50] {
        let _ = aevent::decode(&msg[..n.min(msg.len())]);
    }
    assert!(aevent::decode(&msg[..aevent::ID_LEN + 6]).is_err());
}

/// struct xfrm_user_migrate: 10.182.0.1/.2 -> 10.182.8.1/.2, esp tunnel reqid 7.
fn a_move() -> Vec<u8> {
    Layout::default()
        .v4([10, 182, 0, 2])
        .v4([10, 182, 0, 1])
        .v4([10, 182, 8, 2])
        .v4([10, 182, 8, 1])
        .u8(50)
        .u8(1)
        .u16(0)
        .u32(7)
        .u16(addr::AF_INET)
        .u16(addr::AF_INET)
        .0
}

#[test]
fn migrate_request_follows_the_kernel_structs() {
    // xfrm_userpolicy_id: the selector (10.182.1.0/24 -> 10.182.2.0/24), index 0, dir out.
    let sel =
        Layout::default().v4([10, 182, 2, 0]).v4([10, 182, 1, 0]).zeros(8).u16(addr::AF_INET).u8(24).u8(24).u8(0).zeros(3).u32(0).u32(0);
    let kma = Layout::default().v4([10, 182, 8, 1]).v4([10, 182, 8, 2]).u32(0).u16(addr::AF_INET).zeros(2).0;
    let want = sel
        .u32(0)
        .u8(1)
        .zeros(3)
        .attr(XFRMA_POLICY_TYPE, &[1, 0, 0, 0, 0, 0])
        .attr(17, &[a_move(), a_move()].concat())
        .attr(19, &kma)
        .attr(XFRMA_IF_ID, &Layout::default().u32(3).0)
        .msg(migrate::XFRM_MSG_MIGRATE, wire::NLM_F_ACK);
    let mv = r#"{"oldSrc":"10.182.0.1","oldDst":"10.182.0.2","newSrc":"10.182.8.1","newDst":"10.182.8.2","proto":"esp","mode":"tunnel","reqid":7}"#;
    let spec = format!(
        r#"{{"selector":{{"src":"10.182.1.0/24","dst":"10.182.2.0/24"}},"dir":"out","type":"sub","migrate":[{mv},{mv}],
            "kmaddress":{{"local":"10.182.8.1","remote":"10.182.8.2"}},"ifId":3}}"#
    );
    assert_eq!(wire_hex(&sent("policyMigrate", &spec)), wire_hex(&want));
    let e = |s: &str| request("policyMigrate", &json(s)).unwrap_err().to_string();
    assert!(e(r#"{"dir":"out"}"#).contains("migrate must be a list"));
    assert!(e(r#"{"dir":"out","migrate":[]}"#).contains("1 to 6 moves"));
    assert!(e(&format!(r#"{{"dir":"out","migrate":[{mv},{mv},{mv},{mv},{mv},{mv},{mv}]}}"#)).contains("got 7"));
    assert!(e(r#"{"dir":"out","migrate":[{"oldSrc":"10.0.0.1","oldDst":"10.0.0.2","newSrc":"10.0.0.3","proto":"esp"}]}"#)
        .contains("migrate[0].newDst is required"));
    assert!(e(
        r#"{"dir":"out","migrate":[{"oldSrc":"10.0.0.1","oldDst":"2001:db8::1","newSrc":"10.0.0.3","newDst":"10.0.0.4","proto":"esp"}]}"#
    )
    .contains("migrate[0].oldDst"));
    assert!(e(&format!(r#"{{"dir":"out","migrate":[{mv}],"kmaddress":{{"local":"10.0.0.1"}}}}"#)).contains("kmaddress.remote is required"));
}

#[test]
fn migrate_notifications_decode() {
    // build_migrate: the policy id, XFRMA_KMADDRESS, XFRMA_POLICY_TYPE, one XFRMA_MIGRATE per move.
    let pol = payload(&captured("pa2"));
    let mut id = pol[..selector::SEL_LEN].to_vec();
    id.extend_from_slice(&[0, 0, 0, 0, 1, 0, 0, 0]);
    let kma = Layout::default().v4([10, 182, 8, 1]).v4([10, 182, 8, 2]).u32(0).u16(addr::AF_INET).zeros(2).0;
    let msg = Layout(id).attr(19, &kma).attr(XFRMA_POLICY_TYPE, &[0; 6]).attr(17, &a_move()).attr(17, &a_move()).0;
    let e = events::decode(migrate::XFRM_MSG_MIGRATE, &msg).unwrap().unwrap();
    assert_eq!((e.str("type").unwrap(), e.str("dir").unwrap(), e.str("policyType").unwrap()), (Some("migrate"), Some("out"), Some("main")));
    assert_eq!(e.map("selector").unwrap().unwrap().str("src").unwrap(), Some("10.182.1.0/24"));
    let Some(Value::List(moves)) = e.get("migrate") else { panic!("moves") };
    assert_eq!(moves.len(), 2);
    let Value::Map(m) = &moves[0] else { panic!() };
    assert_eq!(
        (m.str("oldDst").unwrap(), m.str("newSrc").unwrap(), m.str("mode").unwrap()),
        (Some("10.182.0.2"), Some("10.182.8.1"), Some("tunnel"))
    );
    assert_eq!(e.map("kmaddress").unwrap().unwrap().str("remote").unwrap(), Some("10.182.8.2"));
    // A decoded move encodes back to the same struct.
    let spec = Settings(vec![("dir".into(), Value::Str("out".into())), ("migrate".into(), Value::List(vec![Value::Map(m.clone())]))]);
    let p = payload(&migrate::encode(&spec).unwrap());
    assert_eq!(&p[policy::ID_LEN + 4..policy::ID_LEN + 4 + 76], &a_move()[..]);
    for n in [0, 10, 63, 64, 100] {
        let _ = events::decode(migrate::XFRM_MSG_MIGRATE, &msg[..n]);
    }
}
