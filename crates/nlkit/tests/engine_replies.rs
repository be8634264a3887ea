//! The engine against a fake kernel: ACKs, kernel errors, lost, stray, foreign and truncated replies.

mod support;

#[allow(unused_imports)]
use support::fake_kernel::*;

// ---------------------------------------------------------------------------------------------
// 1. ACKs and kernel errors.

#[test]
fn ack_success_and_kernel_error_with_extended_ack() {
    let (kernel, client) = setup(opts());
    thread::scope(|s| {
        let h = s.spawn(|| client.call(set_up("x"), None));
        let r = kernel.expect_requests(1).remove(0);
        assert_eq!(r.hdr.ty, RTM_SETLINK);
        assert_eq!(r.hdr.flags, NLM_F_REQUEST | NLM_F_ACK);
        assert_ne!(r.seq(), 0, "requests carry a sequence number");
        assert_eq!(r.hdr.pid, 0);
        assert_eq!(r.hdr.len as usize, r.bytes.len());
        assert_eq!(r.name().as_deref(), Some("x"));
        kernel.ack(&r, 0);
        assert_eq!(h.join().unwrap(), Ok(vec![]));

        // Plain error, no extended ACK.
        let h = s.spawn(|| client.call(set_up("y"), None));
        let r = kernel.expect_requests(1).remove(0);
        kernel.ack(&r, libc::ENODEV);
        let e = h.join().unwrap().unwrap_err();
        assert_eq!((e.kind, e.errno, e.detail, e.offset), (ErrorKind::Kernel, libc::ENODEV, None, None));

        // Error with the kernel's text and attribute offset.
        let h = s.spawn(|| client.call(set_up("z"), None));
        let r = kernel.expect_requests(1).remove(0);
        kernel.send(&error_msg(&r, libc::EEXIST, Some(("link already exists", 32))));
        let e = h.join().unwrap().unwrap_err();
        assert_eq!(e.kind, ErrorKind::Kernel);
        assert_eq!(e.errno, libc::EEXIST);
        assert_eq!(e.errno, 17);
        assert_eq!(e.detail.as_deref(), Some("link already exists"));
        assert_eq!(e.offset, Some(32));
        assert!(e.to_string().contains("link already exists"), "{e}");
    });
    assert_eq!(client.conn().stats().dropped, 0);
}

// 2. Lost replies.

#[test]
fn lost_reply_times_out_and_late_reply_is_dropped() {
    let timeout = Duration::from_millis(150);
    let (kernel, client) = setup(Options { timeout, ..opts() });
    thread::scope(|s| {
        let t0 = Instant::now();
        let h = s.spawn(|| client.call(set_up("lost"), None));
        let lost = kernel.expect_requests(1).remove(0);
        let r = h.join().unwrap();
        let took = t0.elapsed();
        assert_err(&r, ErrorKind::Timeout, libc::ETIMEDOUT);
        assert!(took >= timeout, "failed before its deadline: {took:?}");
        assert!(took < timeout * 5, "timeout took far too long: {took:?}");
        assert_eq!(client.conn().stats().in_flight, 0);

        // The reply arrives after all: nobody waits for it any more.
        let before = client.conn().stats().dropped;
        kernel.ack(&lost, 0);
        wait_dropped(&client, before, 1);

        // A per-call timeout overrides the default one.
        let h = s.spawn(|| client.call(set_up("next"), Some(WAIT)));
        let r = kernel.expect_requests(1).remove(0);
        assert_ne!(r.seq(), lost.seq());
        kernel.ack(&r, 0);
        assert_eq!(h.join().unwrap(), Ok(vec![]));
    });
}

// 3. Unknown sequence numbers.

#[test]
fn reply_with_unknown_seq_is_dropped() {
    let (kernel, client) = setup(opts());
    thread::scope(|s| {
        let h = s.spawn(|| client.call(get("x"), None));
        let r = kernel.expect_requests(1).remove(0);
        assert_eq!(r.hdr.ty, RTM_GETLINK);
        let before = client.conn().stats().dropped;
        kernel.send(&link_msg(r.seq().wrapping_add(1000), 0, 66, "wrong"));
        let mut err = error_msg(&r, libc::EPERM, None);
        wire::stamp(&mut err, r.seq().wrapping_add(1001), PORT);
        kernel.send(&err);
        wait_dropped(&client, before, 2);
        assert!(!h.is_finished(), "an unknown seq completed the call");
        kernel.send(&link_msg(r.seq(), 0, 7, "x"));
        assert_eq!(names(&h.join().unwrap()), ["x"]);
    });
}

// 4. Replies from anyone but the kernel.

#[test]
fn reply_from_foreign_sender_is_ignored() {
    let (kernel, client) = setup(opts());
    thread::scope(|s| {
        let h = s.spawn(|| client.call(get("x"), None));
        let r = kernel.expect_requests(1).remove(0);
        let before = client.conn().stats().dropped;
        kernel.send_raw(77, &link_msg(r.seq(), 0, 66, "spoof"));
        kernel.send_raw(PORT, &error_msg(&r, libc::EPERM, None));
        wait_dropped(&client, before, 2);
        assert!(!h.is_finished(), "a foreign datagram completed the call");
        kernel.send(&link_msg(r.seq(), 0, 7, "x"));
        assert_eq!(names(&h.join().unwrap()), ["x"]);
    });
}

// 5. Truncated datagrams.

#[test]
fn truncated_reply_fails_with_protocol_error() {
    let (kernel, client) = setup(opts());
    thread::scope(|s| {
        // A get whose reply claims more bytes than the datagram has.
        let h = s.spawn(|| client.call(get("x"), None));
        let r = kernel.expect_requests(1).remove(0);
        let mut m = link_msg(r.seq(), 0, 7, "x");
        let real = m.len() as u32;
        set_len(&mut m, real + 100);
        kernel.send(&m);
        assert_err(&h.join().unwrap(), ErrorKind::Protocol, libc::EPROTO);

        // The same for an ACK: a truncated NLMSG_ERROR.
        let h = s.spawn(|| client.call(set_up("y"), None));
        let r = kernel.expect_requests(1).remove(0);
        let mut m = error_msg(&r, 0, None);
        let cut = m.len() - 8;
        m.truncate(cut);
        kernel.send(&m);
        assert_err(&h.join().unwrap(), ErrorKind::Protocol, libc::EPROTO);

        // The engine keeps working.
        let h = s.spawn(|| client.call(get("z"), None));
        let r = kernel.expect_requests(1).remove(0);
        kernel.send(&link_msg(r.seq(), 0, 9, "z"));
        assert_eq!(names(&h.join().unwrap()), ["z"]);
    });
    assert_no_engine_panics();
}

/// A malformed message that is not the first of its datagram must fail *its own* request.
#[test]

fn truncated_message_after_a_valid_one_fails_its_own_request() {
    let (kernel, client) = setup(Options { timeout: Duration::from_millis(1500), ..opts() });
    thread::scope(|s| {
        let h = s.spawn(|| client.call_many(vec![dump(), get("g")], None));
        let reqs = kernel.expect_requests(2);
        let (d, g) = (&reqs[0], &reqs[1]);
        assert_eq!((d.hdr.ty, g.hdr.ty), (RTM_GETLINK, RTM_GETLINK));
        // One datagram: a good dump part, then a truncated reply to the get.
        let mut bad = link_msg(g.seq(), 0, 2, "g");
        let real = bad.len() as u32;
        set_len(&mut bad, real + 64);
        kernel.send_all(&[link_msg(d.seq(), NLM_F_MULTI, 1, "d1"), bad]);
        kernel.send_all(&[link_msg(d.seq(), NLM_F_MULTI, 3, "d2"), done_msg(d.seq(), 0, None)]);
        let r = h.join().unwrap();
        assert_eq!(names(&r[0]), ["d1", "d2"], "the dump was failed for another request's bad reply");
        assert_err(&r[1], ErrorKind::Protocol, libc::EPROTO);
    });
}
