//! The raw layer on the engine, against a fake kernel: the caller's type, flags and payload go
//! out stamped by the engine; every message before the ACK is the reply; dumps run to
//! NLMSG_DONE; netlink's control types are refused before anything is sent.

mod support;

use std::thread;

use nlkit::client::Client;
use nlkit::raw::{self, Raw, RawMessage};
use nlkit::wire::{MsgBuilder, NLMSG_DONE, NLM_F_ACK, NLM_F_DUMP, NLM_F_DUMP_INTR, NLM_F_MULTI, NLM_F_REQUEST};
use nlkit::ErrorKind;
use support::fake_kernel::*;

const GENL_ID_CTRL: u16 = 0x10;

fn client(kernel_side: FakeTransport) -> Client<Raw> {
    Client::over(Raw { number: libc::NETLINK_GENERIC }, Box::new(kernel_side), opts()).expect("client")
}

fn data(seq: u32, ty: u16, flags: u16, payload: &[u8]) -> Vec<u8> {
    let mut b = MsgBuilder::new(ty, 0);
    b.push(payload);
    seal(b, seq, flags)
}

#[test]
fn a_request_collects_every_message_before_its_ack() {
    watch_engine_panics();
    let (kernel, t) = FakeKernel::new();
    let c = client(t);
    thread::scope(|s| {
        let h = s.spawn(|| c.call(raw::request(GENL_ID_CTRL, 0x20, &[3, 1, 0, 0], false).unwrap(), None));
        let r = kernel.expect_requests(1).remove(0);
        assert_eq!(r.hdr.ty, GENL_ID_CTRL);
        assert_eq!(r.hdr.flags, 0x20 | NLM_F_REQUEST | NLM_F_ACK, "the caller's flags plus REQUEST and ACK");
        assert_ne!(r.seq(), 0);
        assert_eq!(&r.bytes[16..], &[3, 1, 0, 0], "the payload as given");
        kernel.send_all(&[data(r.seq(), GENL_ID_CTRL, 0, b"abcd"), data(r.seq(), GENL_ID_CTRL, 0, b"ef\0\0")]);
        kernel.ack(&r, 0);
        let got = h.join().unwrap().expect("reply");
        let payloads: Vec<&[u8]> = got.iter().map(|m: &RawMessage| m.payload.as_slice()).collect();
        assert_eq!(payloads, vec![&b"abcd"[..], &b"ef\0\0"[..]]);
        assert!(got.iter().all(|m| m.seq == r.seq() && m.ty == GENL_ID_CTRL));

        // A plain ACK resolves with no messages; an error is the kernel's.
        let h = s.spawn(|| c.call(raw::request(GENL_ID_CTRL, 0, &[], false).unwrap(), None));
        let r = kernel.expect_requests(1).remove(0);
        kernel.ack(&r, 0);
        assert_eq!(h.join().unwrap(), Ok(vec![]));
        let h = s.spawn(|| c.call(raw::request(GENL_ID_CTRL, 0, &[], false).unwrap(), None));
        let r = kernel.expect_requests(1).remove(0);
        kernel.send(&error_msg(&r, libc::EINVAL, Some(("bad header", 16))));
        let e = h.join().unwrap().unwrap_err();
        assert_eq!((e.kind, e.errno, e.detail.as_deref(), e.offset), (ErrorKind::Kernel, libc::EINVAL, Some("bad header"), Some(16)));
    });
}

#[test]
fn a_dump_runs_to_done_and_an_interrupted_one_is_retried() {
    watch_engine_panics();
    let (kernel, t) = FakeKernel::new();
    let c = client(t);
    thread::scope(|s| {
        let h = s.spawn(|| c.call(raw::request(GENL_ID_CTRL, 0, &[3, 1, 0, 0], true).unwrap(), None));
        let r = kernel.expect_requests(1).remove(0);
        assert_eq!(r.hdr.flags, NLM_F_REQUEST | NLM_F_DUMP, "a dump: no ACK requested");
        kernel.send_all(&[data(r.seq(), GENL_ID_CTRL, NLM_F_MULTI | NLM_F_DUMP_INTR, b"old!"), done_msg(r.seq(), 0, None)]);
        let again = kernel.expect_requests(1).remove(0);
        assert_ne!(again.seq(), r.seq());
        assert_eq!(again.bytes[4..8], r.bytes[4..8], "the same request again");
        kernel.send_all(&[data(again.seq(), GENL_ID_CTRL, NLM_F_MULTI, b"one!"), data(again.seq(), GENL_ID_CTRL, NLM_F_MULTI, b"two!")]);
        kernel.send(&done_msg(again.seq(), 0, None));
        let got = h.join().unwrap().expect("dump");
        assert_eq!(got.iter().map(|m| m.payload.clone()).collect::<Vec<_>>(), vec![b"one!".to_vec(), b"two!".to_vec()]);
        assert!(got.iter().all(|m| m.ty != NLMSG_DONE));
    });
}

#[test]
fn control_types_and_oversized_numbers_are_refused_before_sending() {
    for ty in [0u16, 1, 2, 3, 4, 15] {
        let e = raw::request(ty, 0, &[], false).unwrap_err();
        assert_eq!(e.errno, libc::EINVAL, "type {ty}");
    }
    assert!(raw::request(16, 0, &[], false).is_ok());
}
