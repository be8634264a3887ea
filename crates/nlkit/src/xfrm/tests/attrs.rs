//! A state's offload device (by index: a name is resolved to it in src/xfrm/ before the core
//! sees the state), against `ip xfrm state add ... offload dev X dir D` captured where X was
//! index 3; security contexts of policies and states against `ip xfrm ... ctx CTX`.

use super::*;

#[test]
fn offload_by_index_equals_ip_xfrm() {
    // ip xfrm state add src 10.182.0.1 dst 10.182.0.2 proto esp spi 0x107 enc 'cbc(aes)' E1 offload dev nlkhd0 dir in
    let s = format!(
        r#"{{"src":"10.182.0.1","dst":"10.182.0.2","proto":"esp","spi":263,"crypt":{{"name":"cbc(aes)","key":"{E1}"}},"offload":{{"ifindex":3,"dir":"in"}}}}"#
    );
    check("sa8", "stateAdd", &s);
    let st = state::decode(&payload(&captured("sa8"))).unwrap();
    let o = st.map("offload").unwrap().unwrap();
    assert_eq!((o.u32("ifindex").unwrap(), o.str("dir").unwrap()), (Some(3), Some("in")));
    let e = |s: &str| request("stateAdd", &json(s)).unwrap_err().to_string();
    let base = format!(r#""dst":"10.0.0.1","proto":"esp","spi":1,"crypt":{{"name":"cbc(aes)","key":"{E1}"}}"#);
    assert!(e(&format!(r#"{{{base},"offload":{{"dir":"in"}}}}"#)).contains("offload.ifindex (or dev, its name) is required"));
    // A name reaching the core was not resolved: refused, never sent as something else.
    assert!(e(&format!(r#"{{{base},"offload":{{"dev":"eth0"}}}}"#)).contains("\"dev\""));
}

const CTX: &str = "system_u:object_r:ipsec_spd_t:s0";

#[test]
fn security_contexts_equal_ip_xfrm() {
    // ip xfrm policy add src 10.182.3.0/24 dst 10.182.4.0/24 dir in ctx CTX
    let p1 = format!(r#"{{"selector":{{"src":"10.182.3.0/24","dst":"10.182.4.0/24"}},"dir":"in","ctx":"{CTX}"}}"#);
    check("pactx", "policyAdd", &p1);
    // ... get with the same selector and ctx
    check("pgctx", "policyGet", &p1);
    // ip xfrm policy add src 10.182.3.0/24 dst 10.182.4.0/24 dir out mark 5 ctx system_u:r if_id 4
    //   tmpl src 10.182.0.1 dst 10.182.0.2 proto esp mode tunnel (templates, mark, ctx, if_id)
    check(
        "pactx2",
        "policyAdd",
        r#"{"selector":{"src":"10.182.3.0/24","dst":"10.182.4.0/24"},"dir":"out","mark":{"value":5},"ctx":"system_u:r","ifId":4,
            "templates":[{"src":"10.182.0.1","dst":"10.182.0.2","proto":"esp","mode":"tunnel"}]}"#,
    );
    // ip xfrm policy delete src 10.182.3.0/24 dst 10.182.4.0/24 dir out mark 5 ctx system_u:r if_id 4
    check(
        "pdctx",
        "policyDelete",
        r#"{"selector":{"src":"10.182.3.0/24","dst":"10.182.4.0/24"},"dir":"out","mark":{"value":5},"ctx":"system_u:r","ifId":4}"#,
    );
    // ip xfrm state add src 10.182.0.1 dst 10.182.0.2 proto esp spi 0x109 enc 'cbc(aes)' E1 ctx CTX if_id 3
    check(
        "sactx",
        "stateAdd",
        &format!(
            r#"{{"src":"10.182.0.1","dst":"10.182.0.2","proto":"esp","spi":265,"crypt":{{"name":"cbc(aes)","key":"{E1}"}},"ctx":"{CTX}","ifId":3}}"#
        ),
    );
}

#[test]
fn security_contexts_decode_and_encode_back() {
    for name in ["pactx", "pactx2"] {
        let req = captured(name);
        let mut p = policy::decode(&payload(&req)).unwrap();
        assert!(p.str("ctx").unwrap().is_some_and(|c| c.starts_with("system_u:")), "{name}");
        p.0.retain(|(k, _)| k != "current");
        assert_eq!(wire_hex(&policy::encode_add(XFRM_MSG_NEWPOLICY, &p).unwrap()), wire_hex(&req), "{name}");
    }
    let req = captured("sactx");
    let s = state::decode(&payload(&req)).unwrap();
    assert_eq!(s.str("ctx").unwrap(), Some(CTX));
    assert_eq!(wire_hex(&state::encode_add(XFRM_MSG_NEWSA, &s).unwrap()), wire_hex(&req));
    // A policy deleted: its context comes with its other attributes.
    let pol = payload(&captured("pactx"));
    let mut del = vec![0u8; policy::ID_LEN];
    let mut b = MsgBuilder::new(0, 0);
    b.attr(XFRMA_POLICY, &pol[..policy::INFO_LEN]);
    del.extend_from_slice(&b.finish()[wire::NLMSG_HDRLEN..]);
    del.extend_from_slice(&pol[policy::INFO_LEN..]);
    let e = events::decode(XFRM_MSG_DELPOLICY, &del).unwrap().unwrap();
    assert_eq!(e.map("policy").unwrap().unwrap().str("ctx").unwrap(), Some(CTX));
    let e = |op: &str, s: &str| request(op, &json(s)).unwrap_err().to_string();
    assert!(e("policyAdd", r#"{"dir":"in","ctx":""}"#).contains("ctx must be a security context"));
    assert!(e("policyDelete", r#"{"dir":"in","ctx":7}"#).contains("ctx must be a string"));
}
