//! WireGuard against a fake kernel (this machine's kernel has no WireGuard): the family is
//! looked up by name first; a device read arrives as a dump the kernel split, a peer's allowed
//! IPs across two messages, and decodes message by message; a big device change goes out as
//! wg sends it, one message per acknowledgement, each the bytes `wireguard::set` laid out.

mod support;

use std::thread;

use nlkit::genl::{self, wireguard, Genl, Object};
use nlkit::rtnl::settings::Value;
use support::fake_kernel::*;

const FAMILY_ID: u16 = 0x33;
const GENL_ID_CTRL: u16 = 0x10;

fn genl_msg(ty: u16, seq: u32, flags: u16, cmd: u8, attrs: &[u8]) -> Vec<u8> {
    let mut b = MsgBuilder::new(ty, 0);
    b.push(&[cmd, 1, 0, 0]);
    b.push(attrs);
    seal(b, seq, flags)
}

fn attrs(build: impl FnOnce(&mut MsgBuilder)) -> Vec<u8> {
    let mut b = MsgBuilder::new(0, 0);
    build(&mut b);
    b.finish().split_off(NLMSG_HDRLEN)
}

/// Answers the engine's CTRL_CMD_GETFAMILY for "wireguard" with FAMILY_ID.
fn answer_lookup(kernel: &FakeKernel) {
    let r = kernel.expect_requests(1).remove(0);
    assert_eq!(r.hdr.ty, GENL_ID_CTRL, "the family is looked up first");
    assert!(r.bytes.windows(9).any(|w| w == b"wireguard"));
    let a = attrs(|b| {
        b.attr_str(2, "wireguard");
        b.attr(1, &FAMILY_ID.to_ne_bytes());
    });
    kernel.send(&genl_msg(GENL_ID_CTRL, r.seq(), 0, 1, &a));
}

fn peer(b: &mut MsgBuilder, key: u8, ips: &[[u8; 4]], rx: u64) {
    let p = b.nest_start(0);
    b.attr(1, &[key; 32]);
    b.attr(7, &rx.to_ne_bytes());
    let n = b.nest_start(9);
    for ip in ips {
        let a = b.nest_start(0);
        b.attr(1, &2u16.to_ne_bytes()).attr(2, ip).attr_u8(3, 32);
        b.nest_end(a);
    }
    b.nest_end(n);
    b.nest_end(p);
}

#[test]
fn a_device_read_is_a_dump_split_by_the_kernel_and_decodes_part_by_part() {
    watch_engine_panics();
    let (kernel, t) = FakeKernel::new();
    let c = nlkit::client::Client::<Genl>::over(Genl, Box::new(t), opts()).expect("client");
    thread::scope(|s| {
        let call = wireguard::get(&wireguard::Dev::Name("wg0".into())).unwrap();
        let h = s.spawn(|| c.call(genl::request(wireguard::FAMILY, call).unwrap(), None));
        answer_lookup(&kernel);
        let r = kernel.expect_requests(1).remove(0);
        assert_eq!(r.hdr.ty, FAMILY_ID);
        assert_eq!(r.hdr.flags, NLM_F_REQUEST | NLM_F_DUMP);
        assert_eq!(&r.bytes[16..], &[0, 1, 0, 0, 8, 0, 2, 0, b'w', b'g', b'0', 0], "GET_DEVICE with WGDEVICE_A_IFNAME");
        // Part one: the device and two peers, the second cut after one allowed IP; part two:
        // the device again, the second peer's key and its last allowed IP, a third peer.
        let one = attrs(|b| {
            b.attr_u32(1, 9).attr_str(2, "wg0").attr(3, &[7; 32]).attr(6, &51820u16.to_ne_bytes());
            let ps = b.nest_start(8);
            peer(b, 1, &[[10, 0, 0, 1]], 5);
            peer(b, 2, &[[10, 0, 0, 2]], 6);
            b.nest_end(ps);
        });
        let two = attrs(|b| {
            b.attr_u32(1, 9).attr_str(2, "wg0");
            let ps = b.nest_start(8);
            let p = b.nest_start(0);
            b.attr(1, &[2; 32]);
            let n = b.nest_start(9);
            let a = b.nest_start(0);
            b.attr(1, &2u16.to_ne_bytes()).attr(2, &[10, 0, 0, 3]).attr_u8(3, 32);
            b.nest_end(a);
            b.nest_end(n);
            b.nest_end(p);
            peer(b, 3, &[], 0);
            b.nest_end(ps);
        });
        kernel.send_all(&[
            genl_msg(FAMILY_ID, r.seq(), NLM_F_MULTI, 0, &one),
            genl_msg(FAMILY_ID, r.seq(), NLM_F_MULTI, 0, &two),
            done_msg(r.seq(), 0, None),
        ]);
        let parts = h.join().unwrap().expect("device");
        assert_eq!(parts.len(), 2);
        let peers = |o: &Object| match o {
            Object::Tree(t) => match t.get("peers") {
                Some(Value::List(l)) => l.len(),
                _ => panic!("no peers"),
            },
            Object::Message(_) => panic!("raw"),
        };
        assert_eq!((peers(&parts[0]), peers(&parts[1])), (2, 2));
        let Object::Tree(d) = &parts[0] else { panic!() };
        assert_eq!(d.get("privateKey"), Some(&Value::Str(wireguard::base64(&[7; 32]))));
        assert_eq!(d.get("listenPort"), Some(&Value::Int(51820)));
    });
    assert_no_engine_panics();
}

#[test]
fn a_big_change_goes_out_one_acknowledged_message_at_a_time() {
    watch_engine_panics();
    let (kernel, t) = FakeKernel::new();
    let c = nlkit::client::Client::<Genl>::over(Genl, Box::new(t), opts()).expect("client");
    let peers = (0..400u32)
        .map(|i| {
            let mut k = [0u8; 32];
            k[..4].copy_from_slice(&i.to_be_bytes());
            wireguard::PeerSet {
                public_key: k,
                allowed_ips: vec![(std::net::IpAddr::from([10, 2, (i >> 8) as u8, i as u8]), 32)],
                ..Default::default()
            }
        })
        .collect();
    let d = wireguard::DeviceSet { dev: wireguard::Dev::Name("wg0".into()), replace_peers: true, peers, ..Default::default() };
    let calls = wireguard::set(&d).unwrap();
    let bodies = wireguard::set::bodies(&d).unwrap();
    assert!(calls.len() > 3);
    thread::scope(|s| {
        let h = s.spawn(|| {
            for call in calls {
                c.call(genl::request(wireguard::FAMILY, call).unwrap(), None).expect("acked");
            }
        });
        for (i, body) in bodies.iter().enumerate() {
            // Over a fake transport the engine keeps no family cache: each request looks up.
            answer_lookup(&kernel);
            let r = kernel.expect_requests(1).remove(0);
            assert_eq!(r.hdr.ty, FAMILY_ID, "message {i}: {:?}", r.hdr);
            assert_eq!(r.hdr.flags, NLM_F_REQUEST | NLM_F_ACK);
            assert_eq!(&r.bytes[16..20], &[1, 1, 0, 0], "SET_DEVICE");
            assert_eq!(&r.bytes[20..], &body[..], "message {i} as laid out");
            assert!(r.bytes.len() <= 4096);
            // The next message waits for this one's ACK.
            kernel.assert_quiet();
            kernel.ack(&r, 0);
        }
        h.join().unwrap();
    });
    assert_no_engine_panics();
}
