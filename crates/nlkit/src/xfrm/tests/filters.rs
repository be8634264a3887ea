//! List filters: the state dump's request against `ip xfrm state list ...`, and what is matched
//! here (a state's spi/mode/reqid, every key of a policy filter) on constructed dump replies.

use super::*;
use crate::wire::Message;

#[test]
fn state_list_requests_equal_ip_xfrm() {
    // ip xfrm state list: the address filter is always there, all zero when nothing is given.
    check("sl0", "stateList", "{}");
    // ip xfrm state list dst 10.182.0.2 proto esp
    check("sl1", "stateList", r#"{"dst":"10.182.0.2","proto":"esp"}"#);
    // ip xfrm state list src 10.182.0.0/16 dst 10.182.7.0/24 proto ah spi 0x200 (the spi is matched here)
    check("sl2", "stateList", r#"{"src":"10.182.0.0/16","dst":"10.182.7.0/24","proto":"ah","spi":512}"#);
    // ip xfrm state list dst 2001:db8:182::/48; ip xfrm state list proto comp; ip -6 xfrm state list
    check("sl3", "stateList", r#"{"dst":"2001:db8:182::/48"}"#);
    check("sl4", "stateList", r#"{"proto":"comp"}"#);
    check("sl5", "stateList", r#"{"family":"inet6"}"#);
    // ip xfrm state list src 2001:db8:182::1 proto esp mode tunnel reqid 7
    check("sl6", "stateList", r#"{"src":"2001:db8:182::1","proto":"esp","mode":"tunnel","reqid":7}"#);
    // ip xfrm policy list [dir out src ...]: the policy dump takes nothing, whatever the filter.
    check("pl0", "policyList", "{}");
    check("pl0", "policyList", r#"{"dir":"out","type":"sub","selector":{"src":"10.182.1.0/24"}}"#);
}

/// What a dump with `spec` keeps of `replies` (each a NEWSA or NEWPOLICY payload).
fn kept(op: &str, spec: &str, ty: u16, replies: &[Vec<u8>]) -> Vec<usize> {
    let r = request(op, &json(spec)).unwrap();
    let mut out = Vec::new();
    for (i, p) in replies.iter().enumerate() {
        let mut m = MsgBuilder::new(ty, 0);
        m.push(p);
        let bytes = m.finish();
        let msg: Message = wire::messages(&bytes).next().unwrap().unwrap();
        if Xfrm.decode(&msg, &r.filter).unwrap().is_some() {
            out.push(i);
        }
    }
    out
}

#[test]
fn state_spi_mode_reqid_are_matched_on_each_state() {
    // Replies shaped as the kernel's (xfrm_usersa_info first): from the captured adds.
    let sa = |name: &str| payload(&captured(name));
    let states = [sa("sa1"), sa("sa2"), sa("sa3"), sa("sa5")];
    // sa1: esp 0x100 reqid 5 tunnel; sa2: esp 0x101 transport; sa3: ah 0x102; sa5: v6 esp 0x104.
    assert_eq!(kept("stateList", "{}", XFRM_MSG_NEWSA, &states), [0, 1, 2, 3]);
    assert_eq!(kept("stateList", r#"{"spi":257}"#, XFRM_MSG_NEWSA, &states), [1]);
    assert_eq!(kept("stateList", r#"{"mode":"tunnel"}"#, XFRM_MSG_NEWSA, &states), [0]);
    assert_eq!(kept("stateList", r#"{"reqid":5,"mode":"tunnel"}"#, XFRM_MSG_NEWSA, &states), [0]);
    assert_eq!(kept("stateList", r#"{"reqid":6}"#, XFRM_MSG_NEWSA, &states), Vec::<usize>::new());
    // Addresses and protocol are the kernel's to filter: not matched again here.
    assert_eq!(kept("stateList", r#"{"proto":"ah","dst":"10.9.9.9"}"#, XFRM_MSG_NEWSA, &states), [0, 1, 2, 3]);
}

#[test]
fn policy_filters_are_matched_on_each_policy() {
    let pol = |name: &str| payload(&captured(name));
    // pa1: 10.182.3.0/24 -> 10.182.4.0/24 tcp dport 80, in, prio 7; pa2: 10.182.1.0/24 ->
    // 10.182.2.0/24 out prio 100; pa3: v6 udp sport 500 fwd block, sub; pa5: 10.182.5.0/24 out.
    let ps = [pol("pa1"), pol("pa2"), pol("pa3"), pol("pa5")];
    let k = |spec: &str| kept("policyList", spec, XFRM_MSG_NEWPOLICY, &ps);
    assert_eq!(k("{}"), [0, 1, 2, 3]);
    assert_eq!(k(r#"{"dir":"out"}"#), [1, 3]);
    assert_eq!(k(r#"{"type":"sub"}"#), [2]);
    assert_eq!(k(r#"{"type":"main"}"#), [0, 1, 3]);
    assert_eq!(k(r#"{"action":"block"}"#), [2]);
    assert_eq!(k(r#"{"priority":100}"#), [1]);
    assert_eq!(k(r#"{"index":0}"#), [0, 1, 2, 3]);
    // A selector address within the filter's prefix, as `ip xfrm policy list src P`.
    assert_eq!(k(r#"{"selector":{"src":"10.182.0.0/21"}}"#), [0, 1, 3]);
    assert_eq!(k(r#"{"selector":{"src":"10.182.4.0/22"}}"#), [3]);
    assert_eq!(k(r#"{"selector":{"dst":"10.182.4.0/24","proto":"tcp","dport":80}}"#), [0]);
    assert_eq!(k(r#"{"selector":{"dport":81}}"#), Vec::<usize>::new());
    assert_eq!(k(r#"{"selector":{"family":"inet6","sport":500,"proto":"udp"}}"#), [2]);
    assert_eq!(k(r#"{"selector":{"dst":"2001:db8:182:1::/64"}}"#), [2]);
    // Short replies are matched as far as they go (zero-filled), never read past.
    assert_eq!(kept("policyList", r#"{"dir":"in"}"#, XFRM_MSG_NEWPOLICY, &[vec![0; 7]]), [0]);
    assert_eq!(kept("stateList", r#"{"spi":0}"#, XFRM_MSG_NEWSA, &[vec![1; 9]]), [0]);
}

#[test]
fn bad_filters_are_refused_with_their_key() {
    let e = |op: &str, s: &str| request(op, &json(s)).unwrap_err().to_string();
    assert!(e("stateList", r#"{"dst":"10.0.0.0/33"}"#).contains("dst"));
    assert!(e("stateList", r#"{"src":"10.0.0.1","dst":"2001:db8::1"}"#).contains("dst"));
    assert!(e("stateList", r#"{"family":"inet6","dst":"10.0.0.1"}"#).contains("dst"));
    assert!(e("stateList", r#"{"proto":"tcp"}"#).contains("proto"));
    assert!(e("stateList", r#"{"mode":"sideways"}"#).contains("mode"));
    assert!(e("stateList", r#"{"spi":-1}"#).contains("spi"));
    assert!(e("stateList", r#"{"sport":1}"#).contains("sport"));
    assert!(e("policyList", r#"{"dir":"up"}"#).contains("dir"));
    assert!(e("policyList", r#"{"src":"10.0.0.0/8"}"#).contains("\"src\""));
    assert!(e("policyList", r#"{"selector":{"src":"10.0.0.0/40"}}"#).contains("selector.src"));
    assert!(e("policyList", r#"{"selector":{"ifindex":1}}"#).contains("ifindex"));
    assert!(e("policyList", r#"{"selector":{"dport":70000}}"#).contains("selector.dport"));
}
