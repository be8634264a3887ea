//! ETHTOOL_A_BITSET_*: a set of named bits. Verbose (what we ask for): a list of bits with
//! index, name and a VALUE flag; with NOMASK only the bits that are set are listed, otherwise
//! every bit of the mask (a NOMASK set, such as each of the features sets, lists only the set
//! bits, so bits it does not list are off or unknown). Compact (VALUE/MASK words, what the
//! kernel puts in notifications whatever was asked) carries no names: bits are then named by
//! their index, and src/genl/ethtool-monitor.ts names them from the string set.

use crate::wire;

const NOMASK: u16 = 1;
const SIZE: u16 = 2;
const BITS: u16 = 3;
const VALUE: u16 = 4;
const MASK: u16 = 5;
const BITS_BIT: u16 = 1;
const BIT_INDEX: u16 = 1;
const BIT_NAME: u16 = 2;
const BIT_VALUE: u16 = 3;

/// One bit: in the mask (listed), and whether it is set. Its name is empty where the kernel's
/// string set has none for it (the features set has holes where features were removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bit {
    pub index: u32,
    pub name: String,
    pub value: bool,
}

/// The bits of a bitset (those of the mask, or the set ones of a NOMASK set).
pub fn decode(a: &[u8]) -> Vec<Bit> {
    let (mut size, mut nomask, mut words, mut mask, mut out) = (0u32, false, None, None, Vec::new());
    for (t, v) in super::attrs(a) {
        match t {
            NOMASK => nomask = true,
            SIZE => size = wire::attr_u32(v).unwrap_or(0),
            BITS => out.extend(super::attrs(v).filter(|(t, _)| *t == BITS_BIT).map(|(_, b)| bit(b))),
            VALUE => words = Some(v),
            MASK => mask = Some(v),
            _ => {}
        }
    }
    if nomask {
        // Only the set bits are listed, without a VALUE flag each.
        out.iter_mut().for_each(|b| b.value = true);
    }
    if let Some(words) = words {
        // Compact: bit i of the value (and mask) words, host-endian u32s.
        let get = |w: &[u8], i: u32| wire::u32_at(w, (i / 32 * 4) as usize) & (1 << (i % 32)) != 0;
        let size = size.min(words.len() as u32 * 8);
        for i in 0..size {
            let listed = if nomask { get(words, i) } else { mask.is_some_and(|m| get(m, i)) };
            if listed {
                out.push(Bit { index: i, name: i.to_string(), value: get(words, i) });
            }
        }
    }
    out
}

fn bit(b: &[u8]) -> Bit {
    let mut out = Bit { index: 0, name: String::new(), value: false };
    for (t, v) in super::attrs(b) {
        match t {
            BIT_INDEX => out.index = wire::attr_u32(v).unwrap_or(0),
            BIT_NAME => out.name = wire::attr_str(v),
            BIT_VALUE => out.value = true,
            _ => {}
        }
    }
    out
}

/// The names of the set bits (nameless ones left out).
pub fn set_names(bits: &[Bit]) -> Vec<String> {
    bits.iter().filter(|b| b.value && !b.name.is_empty()).map(|b| b.name.clone()).collect()
}

/// A verbose bitset of the named bits (the mask: only they change), each set or cleared.
pub fn put_named(b: &mut wire::MsgBuilder, ty: u16, bits: &[(String, bool)]) {
    let at = b.nest_start(ty);
    let list = b.nest_start(BITS);
    for (name, on) in bits {
        let e = b.nest_start(BITS_BIT);
        b.attr_str(BIT_NAME, name);
        if *on {
            b.attr(BIT_VALUE, &[]);
        }
        b.nest_end(e);
    }
    b.nest_end(list);
    b.nest_end(at);
}

/// A verbose NOMASK bitset of exactly these bits, all set (what ethtool sends for a list of
/// names: `--groups eth-mac rmon`, `advertise ...`).
pub fn put_exactly(b: &mut wire::MsgBuilder, ty: u16, names: &[String]) {
    let at = b.nest_start(ty);
    b.attr(NOMASK, &[]);
    let list = b.nest_start(BITS);
    for name in names {
        let e = b.nest_start(BITS_BIT);
        b.attr_str(BIT_NAME, name);
        b.nest_end(e);
    }
    b.nest_end(list);
    b.nest_end(at);
}

/// A compact NOMASK bitset of `size` bits, every one set (`--all-groups`).
pub fn put_compact_all(b: &mut wire::MsgBuilder, ty: u16, size: u32) {
    let at = b.nest_start(ty);
    b.attr(NOMASK, &[]).attr_u32(SIZE, size).attr_u32(VALUE, if size >= 32 { u32::MAX } else { (1 << size) - 1 });
    b.nest_end(at);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(f: impl FnOnce(&mut wire::MsgBuilder)) -> Vec<u8> {
        let mut b = wire::MsgBuilder::new(0, 0);
        f(&mut b);
        b.finish().split_off(wire::NLMSG_HDRLEN)
    }

    #[test]
    fn verbose_round_trip_and_compact() {
        let a = attrs(|b| put_named(b, 9, &[("rx-gro".into(), true), ("tx-nocache-copy".into(), false)]));
        let (_, inner) = super::super::attrs(&a).next().unwrap();
        let bits = decode(inner);
        assert_eq!(bits.len(), 2);
        assert_eq!(set_names(&bits), ["rx-gro"]);
        let c = attrs(|b| {
            b.attr_u32(SIZE, 40);
            b.attr(VALUE, &[0b101, 0, 0, 0, 1, 0, 0, 0]);
            b.attr(MASK, &[0b111, 0, 0, 0, 0, 0, 0, 0]);
        });
        let bits = decode(&c);
        assert_eq!(bits.iter().map(|b| (b.index, b.value)).collect::<Vec<_>>(), [(0, true), (1, false), (2, true)]);
        // A size beyond the words it came with reads no further than they go.
        let c = attrs(|b| {
            b.attr(NOMASK, &[]);
            b.attr_u32(SIZE, 4096);
            b.attr(VALUE, &[1, 0, 0, 0]);
        });
        assert_eq!(decode(&c).len(), 1);
        for n in 0..a.len() {
            decode(&a[..n]);
        }
    }
}
