//! The engine against a fake kernel sending garbage: never a panic, every request completes.

mod support;

#[allow(unused_imports)]
use support::fake_kernel::*;

// 13. Garbage.

/// Datagrams no kernel would send. None carries a sequence number in use.
fn garbage() -> Vec<Vec<u8>> {
    const SEQ: u32 = 0xdead_beef;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut out = Vec::new();

    // Random bytes, 0..40 long.
    for len in 0..40 {
        for _ in 0..5 {
            out.push(rng.bytes(len));
        }
    }

    // Headers whose length lies, for every kind of message.
    let types = [NLMSG_NOOP, NLMSG_ERROR, NLMSG_DONE, NLMSG_OVERRUN, RTM_NEWLINK, 0, 0xffff];
    for len in [0u32, 1, 4, 15, 17, 19, 20, 24, 0x7fff_ffff, 0x8000_0000, 0xffff_fffc, 0xffff_ffff] {
        for ty in types {
            for body in [0usize, 3, 4, 8] {
                let mut m = MsgBuilder::new(ty, 0).finish();
                m.extend(std::iter::repeat_n(0xffu8, body));
                wire::stamp(&mut m, SEQ, PORT);
                set_len(&mut m, len);
                out.push(m);
            }
        }
    }

    // NLMSG_ERROR: short payloads; extended ACKs after an uncapped echo that lies about its
    // length; TLVs whose lengths overflow.
    for n in 0..4 {
        out.push(short_error(SEQ, n));
    }
    for echo_len in [0u32, 15, 16, 17, 0xffff, 0xffff_ffff] {
        let mut b = MsgBuilder::new(NLMSG_ERROR, 0);
        b.push(&(-1i32).to_ne_bytes());
        let mut echo = MsgBuilder::new(RTM_SETLINK, 0).finish();
        set_len(&mut echo, echo_len);
        b.push(&echo);
        b.push(&[0xff, 0xff, 1, 0, b'x', 0, 0, 0]); // TLV claiming 65535 bytes
        out.push(seal(b, SEQ, NLM_F_ACK_TLVS));
        let mut b = MsgBuilder::new(NLMSG_ERROR, 0);
        b.push(&(-1i32).to_ne_bytes());
        b.push(&echo);
        b.push(&[2, 0, 1, 0]); // TLV shorter than its header
        out.push(seal(b, SEQ, NLM_F_ACK_TLVS | NLM_F_CAPPED));
    }

    // NLMSG_DONE with bogus TLVs, and empty.
    for tlv in [&[0xff, 0xff, 1, 0][..], &[5, 0, 2, 0, 1, 0, 0, 0], &[8, 0, 2, 0], &[]] {
        let mut b = MsgBuilder::new(NLMSG_DONE, 0);
        b.push(&(-22i32).to_ne_bytes());
        b.push(tlv);
        out.push(seal(b, SEQ, NLM_F_MULTI | NLM_F_ACK_TLVS));
    }
    out.push(seal(MsgBuilder::new(NLMSG_DONE, 0), SEQ, NLM_F_MULTI));

    // RTM_NEWLINK: short ifinfomsg, attributes overflowing the message or their parent.
    out.extend(bad_link_replies(SEQ, 0));

    // A good message followed by garbage in the same datagram.
    let mut d = link_msg(SEQ, 0, 1, "ok");
    d.extend_from_slice(&[0xff; 20]);
    out.push(d);

    // Random mutations of a valid datagram.
    let valid = [
        link_msg(SEQ, NLM_F_MULTI, 1, "eth0"),
        done_msg(SEQ, libc::EINVAL, Some("bad")),
        seal(
            {
                let mut b = MsgBuilder::new(NLMSG_ERROR, 0);
                b.push(&(-17i32).to_ne_bytes());
                b.push(&MsgBuilder::new(RTM_SETLINK, 0).finish());
                b.attr_str(NLMSGERR_ATTR_MSG, "exists");
                b
            },
            SEQ,
            NLM_F_CAPPED | NLM_F_ACK_TLVS,
        ),
    ]
    .concat();
    for _ in 0..500 {
        let mut d = valid.clone();
        for _ in 0..=rng.below(4) {
            let i = rng.below(d.len() as u64) as usize;
            d[i] = rng.next() as u8;
        }
        let cut = d.len() - rng.below(8) as usize;
        d.truncate(cut);
        out.push(d);
    }
    out
}

/// NLMSG_ERROR whose payload is `n` (< 4) bytes: too short for the errno.
fn short_error(seq: u32, n: usize) -> Vec<u8> {
    let mut b = MsgBuilder::new(NLMSG_ERROR, 0);
    b.push(&[0, 0, 0, 0][..n]); // padded to 4 bytes: the length below excludes the padding
    let mut m = seal(b, seq, NLM_F_ACK_TLVS);
    set_len(&mut m, (NLMSG_HDRLEN + n) as u32);
    m
}

/// RTM_NEWLINK replies for `seq` that cannot be decoded.
fn bad_link_replies(seq: u32, flags: u16) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    // ifinfomsg cut short.
    let mut b = MsgBuilder::new(RTM_NEWLINK, 0);
    b.push(&[0; 8]);
    out.push(seal(b, seq, flags));
    // Attribute lengths past the message, and below an attribute header.
    for attr in [&[0xff, 0xff, 3, 0, b'x', 0, 0, 0][..], &[2, 0, 3, 0], &[12, 0, 3, 0, b'x', 0, 0, 0]] {
        let mut b = MsgBuilder::new(RTM_NEWLINK, 0);
        b.push(&ifinfomsg(1));
        b.push(attr);
        out.push(seal(b, seq, flags));
    }
    // A nested attribute whose child overflows the nest.
    let mut b = MsgBuilder::new(RTM_NEWLINK, 0);
    b.push(&ifinfomsg(1));
    b.attr(IFLA_LINKINFO, &[0xf0, 0xff, 1, 0, b'v', b'e', b't', b'h']);
    out.push(seal(b, seq, flags));
    out
}

#[test]
fn garbage_never_panics_the_engine() {
    let (kernel, client) = setup(opts());
    let mut rng = Rng(42);
    thread::scope(|s| {
        // The engine reads the socket while something is in flight (an idle engine leaves
        // stray datagrams queued until then): hold one request open during the flood.
        let hold = s.spawn(|| client.call(get("hold"), Some(WAIT)));
        let held = kernel.expect_requests(1).remove(0);
        for d in garbage() {
            // Mostly from the kernel, now and then from elsewhere.
            let pid = if rng.below(8) == 0 { rng.next() as u32 >> 1 } else { 0 };
            kernel.send_raw(pid, &d);
        }
        kernel.send(&link_msg(held.seq(), 0, 9, "hold"));
        assert_eq!(names(&hold.join().unwrap()), ["hold"]);

        // Replies to real requests that cannot be decoded fail those requests.
        let h = s.spawn(|| client.call_many(vec![get("g"), dump(), set_up("a")], None));
        let reqs = kernel.expect_requests(3);
        let (g, d, a) = (&reqs[0], &reqs[1], &reqs[2]);
        kernel.send(&bad_link_replies(g.seq(), 0)[1]);
        let mut parts = bad_link_replies(d.seq(), NLM_F_MULTI);
        parts.insert(0, link_msg(d.seq(), NLM_F_MULTI, 1, "fine"));
        for p in parts {
            kernel.send(&p);
        }
        kernel.send(&done_msg(d.seq(), 0, None));
        kernel.send(&short_error(a.seq(), 2));
        let r = h.join().unwrap();
        for r in &r {
            assert_err(r, ErrorKind::Protocol, libc::EPROTO);
        }

        // And a normal request still works.
        let h = s.spawn(|| client.call_many(vec![get("x"), set_up("y"), dump()], None));
        let reqs = kernel.expect_requests(3);
        kernel.send(&link_msg(reqs[0].seq(), 0, 5, "x"));
        kernel.ack(&reqs[1], 0);
        kernel.send_all(&[link_msg(reqs[2].seq(), NLM_F_MULTI, 5, "x"), done_msg(reqs[2].seq(), 0, None)]);
        let r = h.join().unwrap();
        assert_eq!(names(&r[0]), ["x"]);
        assert_eq!(r[1], Ok(vec![]));
        assert_eq!(names(&r[2]), ["x"]);
    });
    assert!(client.conn().stats().dropped > 0);
    assert_no_engine_panics();
}
