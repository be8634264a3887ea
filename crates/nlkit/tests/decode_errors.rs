//! NLMSG_ERROR with extended ACK from captured bytes, and every truncation and single-byte corruption of the fixtures: decoded or an error, never a panic.
#![cfg(target_endian = "little")]

mod support;

use support::fixtures::*;

// NLMSG_ERROR with extended ACK
// ------------------------------------------------------------------------------------------

/// The rejected request of error_extack*.bin (seq/pid zero): a route add whose RTA_GATEWAY,
/// at offset 44, is 2 bytes long where rtm_ipv4_policy wants a u32.
const BAD_ROUTE_REQUEST: &[u8] = &[
    0x34, 0, 0, 0, 0x18, 0, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, // RTM_NEWROUTE, REQUEST|ACK|EXCL|CREATE
    2, 24, 0, 0, 254, 3, 0, 1, 0, 0, 0, 0, // AF_INET /24, main, boot, universe, unicast
    8, 0, 15, 0, 254, 0, 0, 0, // RTA_TABLE 254
    8, 0, 1, 0, 10, 50, 0, 0, // RTA_DST 10.50.0.0
    6, 0, 5, 0, 10, 11, 0, 0, // RTA_GATEWAY, 2 bytes + padding
];

fn only_message(buf: &[u8]) -> Message<'_> {
    let ms = msgs(buf);
    assert_eq!(ms.len(), 1);
    ms[0]
}

#[test]
fn error_with_extended_ack_uncapped() {
    let m = only_message(ERROR_EXTACK);
    assert_eq!(m.header.ty, NLMSG_ERROR);
    assert_eq!(m.header.flags, NLM_F_ACK_TLVS, "TLVs, and the whole request echoed");
    let e = wire::parse_error(m.header.flags, m.payload).unwrap();
    assert_eq!(e.errno, libc::ERANGE);
    assert_eq!(e.ext_msg.as_deref(), Some("Attribute failed policy validation"));
    assert_eq!(e.ext_offset, Some(44));
    // The echo is our request verbatim; the offset points at its RTA_GATEWAY.
    let mut req = BAD_ROUTE_REQUEST.to_vec();
    wire::stamp(&mut req, 1006, m.header.pid);
    assert_eq!(&m.payload[4..4 + req.len()], &req[..]);
    let off = e.ext_offset.unwrap() as usize;
    assert_eq!(u16::from_le_bytes([req[off + 2], req[off + 3]]), RTA_GATEWAY);
    // Without NLM_F_ACK_TLVS the same payload is only an errno.
    assert_eq!(wire::parse_error(0, m.payload).unwrap(), ErrorMsg { errno: libc::ERANGE, ..Default::default() });
    // And as the library reports it.
    let err = nlkit::Error::kernel(&e);
    assert_eq!(err.offset, Some(44));
    assert!(err.to_string().ends_with(": Attribute failed policy validation"), "{err}");
}

#[test]
fn error_with_extended_ack_capped() {
    let m = only_message(ERROR_EXTACK_CAPPED);
    assert_eq!(m.header.ty, NLMSG_ERROR);
    assert_eq!(m.header.flags, NLM_F_CAPPED | NLM_F_ACK_TLVS);
    let e = wire::parse_error(m.header.flags, m.payload).unwrap();
    assert_eq!(e.errno, libc::ERANGE);
    assert_eq!(e.ext_msg.as_deref(), Some("Attribute failed policy validation"));
    assert_eq!(e.ext_offset, Some(44));
    // Only our request's header is echoed.
    let echoed = MsgHeader::parse(&m.payload[4..]).unwrap();
    assert_eq!(echoed, MsgHeader { len: 0x34, ty: route::RTM_NEWROUTE, flags: 0x605, seq: 1007, pid: m.header.pid });
}

#[test]
fn error_with_extended_ack_message_only() {
    let m = only_message(ERROR_ADDR_PREFIX);
    assert_eq!(m.header.ty, NLMSG_ERROR);
    assert_eq!(m.header.flags, NLM_F_ACK_TLVS);
    let e = wire::parse_error(m.header.flags, m.payload).unwrap();
    assert_eq!(e, ErrorMsg { errno: libc::EINVAL, ext_msg: Some("ipv4: Invalid prefix length".into()), ext_offset: None });
    // The echoed ifaddrmsg holds the prefix length the kernel refused.
    let echoed = &m.payload[4..];
    assert_eq!(MsgHeader::parse(echoed).unwrap().ty, addr::RTM_NEWADDR);
    assert_eq!(&echoed[16..18], &[AF_INET, 33]);
}

// ------------------------------------------------------------------------------------------
// Robustness: every truncation and every single-byte corruption decodes or errors
// ------------------------------------------------------------------------------------------

/// Runs every decoder on every message of `buf`, whatever its type (`thorough`), or the decoder
/// its type selects (`rtnl::decode`, or the NLMSG_ERROR / NLMSG_DONE parsers).
fn exercise(buf: &[u8], thorough: bool) {
    for m in wire::messages(buf) {
        let Ok(m) = m else { break };
        if let Ok(Some((_, obj))) = rtnl::decode(&m) {
            std::hint::black_box(Filter { skip_cloned: true, table: Some(1), index: Some(1), family: Some(2) }.keep(&obj));
        }
        if thorough {
            std::hint::black_box(link::decode(m.payload).ok());
            std::hint::black_box(addr::decode(m.payload).ok());
            std::hint::black_box(route::decode(m.payload).ok());
            for a in wire::attrs(m.payload.get(16..).unwrap_or(&[])) {
                let Ok((_, v)) = a else { break };
                std::hint::black_box(wire::attrs(v).count());
            }
        }
        if thorough || m.header.ty == NLMSG_ERROR || m.header.ty == NLMSG_DONE {
            for flags in [m.header.flags, m.header.flags | NLM_F_ACK_TLVS, (m.header.flags | NLM_F_ACK_TLVS) & !NLM_F_CAPPED] {
                std::hint::black_box(wire::parse_error(flags, m.payload).ok());
                std::hint::black_box(wire::parse_done(flags, m.payload));
            }
        }
    }
}

fn must_not_panic(what: impl Fn() -> String, buf: &[u8], thorough: bool) {
    if catch_unwind(AssertUnwindSafe(|| exercise(buf, thorough))).is_err() {
        panic!("decoding panicked on {}: {:02x?}", what(), buf);
    }
}

#[test]
fn truncations_and_corruptions_never_panic() {
    // (fixture, offset of the message in it, the message, which byte positions to corrupt)
    let mut jobs = Vec::new();
    for &(name, file, _) in FIXTURES {
        // Whole-file prefixes: a datagram cut anywhere.
        for cut in 0..file.len() {
            must_not_panic(|| format!("{name}[..{cut}]"), &file[..cut], true);
        }
        let mut start = 0;
        for m in msgs(file) {
            let len = m.header.len as usize;
            let msg = &file[start..start + len];
            truncate(name, start, msg);
            for from in (0..len).step_by(128) {
                jobs.push((name, start, msg, from..(from + 128).min(len)));
            }
            start += wire::align4(len);
        }
    }
    // Every byte of every message set to each of the 255 other values: about 2M decodes, so
    // spread over the CPUs.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    std::thread::scope(|sc| {
        for _ in 0..threads {
            sc.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some((name, start, msg, positions)) = jobs.get(i).cloned() else { break };
                corrupt(name, start, msg, positions);
            });
        }
    });
}

/// Every proper prefix of one message: as cut (nlmsg_len now lies), and with nlmsg_len fixed up
/// so that the decoders get the truncated payload itself.
fn truncate(name: &str, start: usize, msg: &[u8]) {
    for cut in 0..msg.len() {
        must_not_panic(|| format!("{name} message at {start} cut to {cut}"), &msg[..cut], true);
        if cut >= 4 {
            let mut t = msg[..cut].to_vec();
            t[..4].copy_from_slice(&(cut as u32).to_ne_bytes());
            must_not_panic(|| format!("{name} message at {start} cut to {cut}, len fixed"), &t, true);
        }
    }
}

fn corrupt(name: &str, start: usize, msg: &[u8], positions: std::ops::Range<usize>) {
    let mut c = msg.to_vec();
    for pos in positions {
        let orig = c[pos];
        for v in 0..=255u8 {
            if v == orig {
                continue;
            }
            c[pos] = v;
            must_not_panic(|| format!("{name} message at {start}, byte {pos} = {v:#04x}"), &c, false);
        }
        c[pos] = orig;
    }
}

// ------------------------------------------------------------------------------------------
