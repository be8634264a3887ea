//! bpf against iproute2 6.1's bytes: whole requests captured with `strace -f -e trace=sendmsg -e
//! write=all tc filter add dev d0 ...` on a veth (`d0`, ifindex 3; `d1` 2, the ifb `i0` 4) in a
//! scratch namespace (nlmsg seq zeroed), in testdata/bN.hex. b5 is `pinned`: tc's descriptor of
//! the program was 4, given here as `fd`.

use super::super::test_util::*;
use super::*;

const UDP_7101: &str =
    "11,40 0 0 12,21 0 8 2048,48 0 0 23,21 0 6 17,40 0 0 20,69 4 0 8191,177 0 0 14,72 0 0 16,21 0 1 7101,6 0 0 4294967295,6 0 0 0";

fn cases() -> Vec<(&'static str, u32, u16, u16, u32, Settings)> {
    let insns = |l: &[[i64; 4]]| Value::List(l.iter().map(|i| Value::List(i.iter().map(|v| int(*v)).collect())).collect());
    vec![
        // ingress protocol ip pref 1 bpf bytecode "1,6 0 0 65535" classid 1:1
        ("b1", INGRESS, 1, IP, 0, settings(&[("bytecode", st("1,6 0 0 65535")), ("classid", st("1:1"))])),
        // ingress protocol ip pref 2 bpf bytecode "$UDP_7101" skip_hw action mirred egress redirect dev i0
        (
            "b2",
            INGRESS,
            2,
            IP,
            0,
            settings(&[("bytecode", st(UDP_7101)), ("skipHw", Value::Bool(true)), ("actions", Value::List(vec![redirect(4)]))]),
        ),
        // parent 1: protocol all pref 3 handle 7 bpf da flowid 1:5 bytecode "2,6 0 0 0,6 0 0 1" skip_sw
        (
            "b3",
            0x1_0000,
            3,
            ALL,
            7,
            settings(&[
                ("directAction", Value::Bool(true)),
                ("flowid", st("1:5")),
                ("bytecode", insns(&[[6, 0, 0, 0], [6, 0, 0, 1]])),
                ("skipSw", Value::Bool(true)),
            ]),
        ),
        // ingress protocol ip pref 4 bpf bytecode "1,6 0 0 0" action mirred ingress mirror dev d1
        //     action mirred egress redirect dev i0
        (
            "b4",
            INGRESS,
            4,
            IP,
            0,
            settings(&[
                ("bytecode", st("1,6 0 0 0,")),
                (
                    "actions",
                    Value::List(vec![
                        map(&[("kind", st("mirred")), ("direction", st("ingress")), ("action", st("mirror")), ("ifindex", int(2))]),
                        redirect(4),
                    ]),
                ),
            ]),
        ),
        // ingress pref 5 bpf pinned /tmp/cls/bpffs/p1 da skip_sw flowid 1:2 action mirred egress redirect dev i0
        (
            "b5",
            INGRESS,
            5,
            ALL,
            0,
            settings(&[
                ("fd", int(4)),
                ("name", st("p1:[*fsobj]")),
                ("directAction", Value::Bool(true)),
                ("skipSw", Value::Bool(true)),
                ("flowid", st("1:2")),
                ("actions", Value::List(vec![redirect(4)])),
            ]),
        ),
    ]
}

#[test]
fn requests_are_byte_equal_to_tc() {
    for (file, parent, pref, proto, handle, o) in cases() {
        let got = add("bpf", parent, pref, proto, handle, o).unwrap();
        assert_eq!(got, testdata("bpf", file), "{file}");
    }
}

#[test]
fn decoded_options_encode_the_same_request() {
    for (file, parent, pref, proto, handle, o) in cases() {
        let want = testdata("bpf", file);
        // TCA_OPTIONS follows the tcmsg (16 + 20) and TCA_KIND "bpf" (8).
        let opts = &want[36 + 8 + 4..];
        let back = BPF_KIND.decode(opts);
        assert_eq!(back.str("bytecode").ok().flatten().is_some(), o.get("bytecode").is_some(), "{file}");
        if file == "b1" || file == "b2" {
            // b3's list form and b4's trailing comma come back in tc's string form; b5's
            // descriptor is not listed.
            assert_eq!(add("bpf", parent, pref, proto, handle, back.clone()).unwrap(), want, "{file}: {back:?}");
        }
        for cut in 0..opts.len() {
            let _ = BPF_KIND.decode(&opts[..cut]);
        }
    }
    let b3 = BPF_KIND.decode(&testdata("bpf", "b3")[48..]);
    assert_eq!(b3.str("bytecode"), Ok(Some("2,6 0 0 0,6 0 0 1")));
    assert_eq!(b3.str("flowid"), Ok(Some("1:5")));
    assert_eq!(b3.bool("directAction"), Ok(Some(true)));
    assert_eq!(b3.bool("skipSw"), Ok(Some(true)));
}

#[test]
fn a_listed_ebpf_filter_decodes() {
    // What the kernel lists for `bpf da pinned ...`: NAME, FLAGS, FLAGS_GEN (not_in_hw), ID, TAG.
    let mut b = MsgBuilder::new(0, 0);
    b.attr_str(TCA_BPF_NAME, "p1:[*fsobj]").attr_u32(TCA_BPF_FLAGS, 1).attr_u32(TCA_BPF_FLAGS_GEN, 8);
    b.attr(TCA_BPF_TAG, &[0x61, 0x4b, 0x43, 0x4c, 0xd8, 0x32, 0x4e, 0xcc]).attr_u32(TCA_BPF_ID, 97);
    let s = BPF_KIND.decode(&b.finish()[16..]);
    let keys: Vec<&str> = s.0.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["name", "directAction", "notInHw", "tag", "id"]);
    assert_eq!(s.str("tag"), Ok(Some("614b434cd8324ecc")));
    // Given back without a program, only its read-only keys are dropped: a program is asked for.
    assert!(add("bpf", INGRESS, 1, ALL, 0, s).unwrap_err().contains("program is required"));
}

#[test]
fn refusals_name_the_option() {
    let bad: &[(&[(&str, Value)], &str)] = &[
        (&[], "program is required"),
        (&[("bytecode", st("2,6 0 0 0"))], "count says 2"),
        (&[("bytecode", st("1,6 0 0"))], "instruction 0"),
        (&[("bytecode", st("1,6 0 0 4294967296"))], "instruction 0"),
        (&[("bytecode", st("x"))], "instruction count"),
        (&[("bytecode", st("0,"))], "1 to 4096"),
        (&[("bytecode", Value::List(vec![Value::List(vec![int(6), int(256), int(0), int(0)])]))], "bytecode[0]"),
        (&[("bytecode", int(3))], "bytecode must be"),
        (&[("bytecode", st("1,6 0 0 0")), ("fd", int(3))], "give one"),
        (&[("bytecode", st("1,6 0 0 0")), ("name", st("x"))], "name is for fd"),
        (&[("fd", int(-1))], "fd must be between"),
        (&[("pinned", st("/nonexistent/prog"))], "pinned \"/nonexistent/prog\""),
        (&[("fd", int(3)), ("name", st(&"n".repeat(256)))], "name must be shorter"),
        (&[("fd", int(3)), ("skipHw", Value::Bool(true)), ("skipSw", Value::Bool(true))], "mutually exclusive"),
        (&[("fd", int(3)), ("classid", st("1:1")), ("flowid", st("1:1"))], "give one"),
        (&[("fd", int(3)), ("classid", st("x"))], "classid"),
        (&[("fd", int(3)), ("directAction", int(1))], "directAction must be a boolean"),
        (&[("fd", int(3)), ("nosuch", int(1))], "unknown setting \"nosuch\""),
        (&[("fd", int(3)), ("actions", int(1))], "actions must be a list"),
    ];
    for (kv, why) in bad {
        let e = add("bpf", INGRESS, 1, IP, 0, settings(kv)).unwrap_err();
        assert!(e.contains(why), "{kv:?}: {e}");
    }
    let big = format!("4097{}", ",6 0 0 0".repeat(4097));
    assert!(add("bpf", INGRESS, 1, IP, 0, settings(&[("bytecode", st(&big))])).unwrap_err().contains("1 to 4096"));
}
