//! matchall against iproute2 6.1's bytes (this kernel has no cls_matchall; tc encodes anyway):
//! whole requests captured with `strace -f -e trace=sendmsg -e write=all tc filter add dev d0
//! ...` in a scratch namespace (nlmsg seq zeroed), in testdata/mN.hex.

use super::super::test_util::*;
use super::*;
use crate::wire::MsgBuilder;

fn cases() -> Vec<Capture> {
    vec![
        // ingress pref 1 matchall action mirred egress redirect dev i0
        ("m1", INGRESS, 1, ALL, 0, settings(&[("actions", Value::List(vec![redirect(4)]))])),
        // parent 1: protocol ip pref 2 handle 9 matchall classid 1:10
        ("m2", 0x1_0000, 2, IP, 9, settings(&[("classid", st("1:10"))])),
        // ingress protocol all pref 3 matchall skip_sw flowid 1:3 action mirred ingress mirror dev d1
        (
            "m3",
            INGRESS,
            3,
            ALL,
            0,
            settings(&[
                ("skipSw", Value::Bool(true)),
                ("flowid", st("1:3")),
                ("actions", Value::List(vec![mirred("ingress", "mirror", 2)])),
            ]),
        ),
        // ingress pref 4 matchall (no options at all)
        ("m4", INGRESS, 4, ALL, 0, Settings::new()),
        // egress protocol ipv6 pref 5 matchall skip_hw action mirred egress mirror dev i0
        //     action mirred egress redirect dev d1
        (
            "m5",
            EGRESS,
            5,
            IPV6,
            0,
            settings(&[("skipHw", Value::Bool(true)), ("actions", Value::List(vec![mirred("egress", "mirror", 4), redirect(2)]))]),
        ),
    ]
}

#[test]
fn requests_are_byte_equal_to_tc() {
    assert_captures("matchall", "matchall", &cases());
}

#[test]
fn decoded_requests_encode_the_same() {
    assert_decoded_back("matchall", "matchall", &cases(), |o| MATCHALL_KIND.decode(o));
}

#[test]
fn a_listed_filter_decodes() {
    // As a kernel lists one: CLASSID, FLAGS (skip_hw + not_in_hw), PCNT.
    let mut b = MsgBuilder::new(0, 0);
    b.attr_u32(TCA_MATCHALL_CLASSID, 0x1_0003).attr_u32(TCA_MATCHALL_FLAGS, 1 | 8).attr(TCA_MATCHALL_PCNT, &77u64.to_ne_bytes());
    let o = b.finish()[16..].to_vec();
    let s = MATCHALL_KIND.decode(&o);
    assert_eq!(s.str("flowid"), Ok(Some("1:3")));
    assert_eq!((s.bool("skipHw"), s.bool("notInHw")), (Ok(Some(true)), Ok(Some(true))));
    assert_eq!(MATCHALL_KIND.options_xstats(&o).int("ruleHit", 0, 99), Ok(Some(77)));
    // Given back, the reported flag is left out.
    let again = add("matchall", INGRESS, 1, ALL, 0, s).unwrap();
    assert_eq!(MATCHALL_KIND.decode(&options_of(&again)).get("notInHw"), None);
}

#[test]
fn refusals_name_the_option() {
    let bad: &[(&[(&str, Value)], &str)] = &[
        (&[("skipHw", Value::Bool(true)), ("skipSw", Value::Bool(true))], "mutually exclusive"),
        (&[("classid", st("1:1")), ("flowid", st("1:1"))], "give one"),
        (&[("classid", int(5))], "classid must be a class id"),
        (&[("skipHw", st("yes"))], "skipHw must be a boolean"),
        (&[("actions", Value::List(vec![map(&[("kind", st("mirred")), ("action", st("redirect"))])]))], "actions[0]: dev is required"),
        (&[("match", int(1))], "unknown setting \"match\""),
    ];
    for (kv, why) in bad {
        let e = add("matchall", INGRESS, 1, IP, 0, settings(kv)).unwrap_err();
        assert!(e.contains(why), "{kv:?}: {e}");
    }
}
