//! Test helpers shared by the kind modules (encode, decode back, refusals, garbage decode,
//! iproute2 captures).

use super::super::{encode, lookup, EncodeCtx};
use crate::rtnl::settings::Settings;
use crate::wire::{MsgBuilder, NLA_F_NESTED, NLMSG_HDRLEN};

/// Sorted by key: decode emits attributes in wire order, which need not be the order the
/// settings were written in.
pub fn sorted(s: &Settings) -> Settings {
    let mut v = s.0.clone();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    Settings(v)
}

/// Encode -> decode gives back exactly `s`.
pub fn assert_roundtrip(kind: &str, s: &Settings) {
    let back = super::super::roundtrip(kind, s);
    assert_eq!(sorted(&back), sorted(s), "{kind}: round trip");
}

/// Encoding fails, with a message containing `needle` (the offending key).
pub fn assert_rejects(kind: &str, s: &Settings, needle: &str) {
    let mut b = MsgBuilder::new(0, 0);
    let mut ctx = EncodeCtx::default();
    match encode(kind, s, &mut b, &mut ctx) {
        Ok(_) => panic!("{kind}: {s:?} was accepted"),
        Err(e) => assert!(e.contains(needle), "{kind}: error {e:?} does not mention {needle:?}"),
    }
}

/// `s` with one more key.
pub fn with(s: &Settings, key: &str, v: crate::rtnl::settings::Value) -> Settings {
    let mut s = s.clone();
    s.set(key, v);
    s
}

/// The encoded IFLA_INFO_DATA content of `s`.
pub fn encoded(kind: &str, s: &Settings) -> Vec<u8> {
    let mut b = MsgBuilder::new(0, 0);
    let mut ctx = EncodeCtx::default();
    encode(kind, s, &mut b, &mut ctx).expect("encode");
    b.finish()[NLMSG_HDRLEN..].to_vec()
}

/// Whatever decode makes of `data` must not panic, and must be accepted by encode (decode
/// only produces settings encode takes).
fn decode_is_encodable(kind: &str, data: &[u8]) {
    let k = lookup(kind).expect("registered kind");
    let s = k.decode(data);
    s.check_known(k.keys()).unwrap_or_else(|e| panic!("{kind}: decode gave {e}"));
    let mut b = MsgBuilder::new(0, 0);
    let mut ctx = EncodeCtx::default();
    if let Err(e) = k.encode(&s, &mut b, &mut ctx) {
        panic!("{kind}: decode of {data:?} gave {s:?}, which encode rejects: {e}");
    }
}

fn attr(ty: u16, v: &[u8]) -> Vec<u8> {
    let mut out = ((4 + v.len()) as u16).to_ne_bytes().to_vec();
    out.extend_from_slice(&ty.to_ne_bytes());
    out.extend_from_slice(v);
    while !out.len().is_multiple_of(4) {
        out.push(0);
    }
    out
}

/// Truncated and garbage input: every prefix of a valid encoding, every attribute type
/// with every short length (plain and as a nest of garbage), lying lengths, and
/// pseudo-random bytes. `encode_ok` checks that what comes out is encodable too.
pub fn assert_decode_survives(kind: &str, sample: &Settings, encode_ok: bool) {
    let k = lookup(kind).expect("registered kind");
    let check = |d: &[u8]| {
        if encode_ok {
            decode_is_encodable(kind, d);
        } else {
            let _ = k.decode(d);
        }
    };
    let full = encoded(kind, sample);
    for cut in 0..=full.len() {
        check(&full[..cut]);
    }
    // Each attribute value cut short (lengths rewritten so the framing stays valid).
    for ty in 0..64u16 {
        for len in 0..24usize {
            let v: Vec<u8> = (0..len).map(|i| (i as u8).wrapping_mul(37).wrapping_add(ty as u8)).collect();
            check(&attr(ty, &v));
            check(&attr(ty | NLA_F_NESTED, &attr(1, &v)));
            let mut nest = attr(0, &v);
            nest.extend(attr(1, &[0xff; 3]));
            check(&attr(ty, &nest));
            check(&attr(ty, &[0xff; 6][..len.min(6)]));
        }
    }
    // Lengths that lie.
    check(&[200, 0, 1, 0, 1, 2, 3, 4]);
    check(&[3, 0, 1, 0]);
    check(&[0, 0, 0, 0]);
    // Pseudo-random data (a fixed LCG, so failures reproduce).
    let mut x: u32 = 0x1234_5678;
    for n in 0..400usize {
        let len = n % 97;
        let d: Vec<u8> = (0..len)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                (x >> 16) as u8
            })
            .collect();
        check(&d);
        // The same bytes behind a well-formed header, so they reach the value decoders.
        let ty = (x >> 8) as u16 % 40;
        check(&attr(ty, &d));
    }
}

/// `ip link add NAME type KIND ...` as iproute2 6.1 sends it (`hex`, the whole RTM_NEWLINK
/// captured with strace) equals nlkit's request for `s`, seq and pid zeroed in both; and
/// the captured IFLA_INFO_DATA decodes back to `s`. See [`assert_iproute2_spec`].
pub fn assert_iproute2(kind: &str, name: &str, s: &Settings, hex: &str) {
    let spec = crate::rtnl::link::LinkSpec { name: Some(name.into()), kind: Some(kind.into()), info: s.clone(), ..Default::default() };
    assert_iproute2_spec(&spec, hex);
}

/// A request's parts as compared with iproute2's: the header from nlmsg_type on without
/// seq/pid, the ifinfomsg, the top-level attributes but IFLA_LINKINFO sorted by type, the
/// kind without its NUL, and the IFLA_INFO_DATA content (byte for byte) if there is one.
type Parts = (Vec<u8>, Vec<u8>, Vec<(u16, Vec<u8>)>, Vec<u8>, Option<Vec<u8>>);

fn parts(m: &[u8]) -> Parts {
    const IFLA_LINKINFO: u16 = 18;
    let head = m[4..8].to_vec();
    let ifi = m[16..32].to_vec();
    let (mut top, mut kind, mut data) = (Vec::new(), Vec::new(), None);
    for (ty, v) in crate::wire::attrs(&m[32..]).map(Result::unwrap) {
        if ty != IFLA_LINKINFO {
            top.push((ty, v.to_vec()));
            continue;
        }
        for (t, v) in crate::wire::attrs(v).map(Result::unwrap) {
            match t {
                1 => kind = v.strip_suffix(&[0]).unwrap_or(v).to_vec(),
                2 => data = Some(v.to_vec()),
                _ => panic!("unexpected IFLA_LINKINFO attribute {t}"),
            }
        }
    }
    top.sort();
    (head, ifi, top, kind, data)
}

/// `spec` encoded by nlkit equals iproute2's request `hex` for the same command, with the
/// framing differences that are the same for every kind and that the kernel takes both ways:
/// nlkit marks IFLA_LINKINFO and IFLA_INFO_DATA NLA_F_NESTED, sends IFLA_INFO_KIND with its
/// NUL, and puts the top-level attributes in its own order (`ip` sends IFLA_LINK before
/// IFLA_IFNAME). So the top-level attributes are compared as a set, the kind apart, and the
/// header, ifinfomsg, each top-level attribute and the whole IFLA_INFO_DATA byte for byte.
/// The captured data then decodes back to `spec.info`.
pub fn assert_iproute2_spec(spec: &crate::rtnl::link::LinkSpec, hex: &str) {
    let want: Vec<u8> = (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect();
    let got = crate::rtnl::link::add(spec).expect("encode").bytes;
    let kind = spec.kind.as_deref().unwrap_or_default();
    let (w, g) = (parts(&want), parts(&got));
    assert_eq!(g, w, "{kind}: request differs from iproute2's");
    if let Some(k) = lookup(kind) {
        let back = k.decode(w.4.as_deref().unwrap_or_default());
        assert_eq!(sorted(&back), sorted(&spec.info), "{kind}: decode of iproute2's data");
    }
}

/// The module's keys list names every table field, without duplicates.
pub fn assert_keys_cover(kind: &str, fields: &[super::Field]) {
    let k = lookup(kind).expect("registered kind");
    for f in fields {
        assert!(k.keys().contains(&f.key), "{kind}: field {} missing from keys()", f.key);
    }
    let mut keys = k.keys().to_vec();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), k.keys().len(), "{kind}: duplicate keys");
}
