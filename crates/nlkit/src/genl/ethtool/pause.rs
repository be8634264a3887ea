//! Pause frames (`ethtool -a/-A`), Energy-Efficient Ethernet (`--show-eee/--set-eee`) and the
//! link modes set (`ethtool -s`): gets decoded, sets laid out as ethtool 6.1 lays them out.

use super::{bitset, header, Call, Dev};
use crate::conn::Mode;
use crate::genl::table::{self, Table, W};
use crate::rtnl::settings::{Settings, Value};
use crate::wire;

pub(super) const MSG_LINKMODES_SET: u8 = 5;
pub(super) const MSG_PAUSE_GET: u8 = 21;
const MSG_PAUSE_SET: u8 = 22;
pub(super) const MSG_EEE_GET: u8 = 23;
const MSG_EEE_SET: u8 = 24;

const PAUSE: Table = &[(2, "autoneg", W::Bool), (3, "rx", W::Bool), (4, "tx", W::Bool)];
const PAUSE_STATS: Table = &[(2, "txFrames", W::U64), (3, "rxFrames", W::U64)];
const PAUSE_A_STATS: u16 = 5;
const EEE: Table = &[(4, "active", W::Bool), (5, "enabled", W::Bool), (6, "txLpiEnabled", W::Bool), (7, "txLpiTimer", W::U32)];
const EEE_MODES_OURS: u16 = 2;
const EEE_MODES_PEER: u16 = 3;

pub fn pause(attrs: &[u8], s: &mut Settings) {
    table::decode_into(PAUSE, attrs, s);
    if let Some((_, v)) = table::attrs(attrs).find(|(t, _)| *t == PAUSE_A_STATS) {
        s.set("stats", Value::Map(table::decode(PAUSE_STATS, v)));
    }
}

pub fn eee(attrs: &[u8], s: &mut Settings) {
    table::decode_into(EEE, attrs, s);
    for (t, v) in table::attrs(attrs) {
        let names = |bits: Vec<String>| Value::List(bits.into_iter().map(Value::Str).collect());
        match t {
            // As for link modes: the mask is what the device supports, the value what it advertises.
            EEE_MODES_OURS => {
                let bits = bitset::decode(v);
                s.set("supported", names(bits.iter().filter(|b| !b.name.is_empty()).map(|b| b.name.clone()).collect()));
                s.set("advertised", names(bitset::set_names(&bits)));
            }
            EEE_MODES_PEER => {
                s.set("peerAdvertised", names(bitset::set_names(&bitset::decode(v))));
            }
            _ => {}
        }
    }
}

/// A pause get, with the pause frame counters when `stats` (`ethtool -I -a`).
pub fn pause_get(dev: &Dev, stats: bool) -> crate::Result<Call> {
    let mut b = wire::MsgBuilder::new(0, 0);
    header::put(&mut b, dev, if stats { header::FLAG_STATS } else { 0 })?;
    Ok(get_call(MSG_PAUSE_GET, b, super::Kind::Pause))
}

/// `ethtool -A DEV [autoneg on|off] [rx on|off] [tx on|off]`.
pub fn pause_set(dev: &Dev, autoneg: Option<bool>, rx: Option<bool>, tx: Option<bool>) -> crate::Result<Call> {
    set_call(MSG_PAUSE_SET, dev, |b| {
        for (attr, v) in [(2, autoneg), (3, rx), (4, tx)] {
            if let Some(on) = v {
                b.attr_u8(attr, on as u8);
            }
        }
    })
}

/// `ethtool --set-eee DEV [eee on|off] [tx-lpi on|off] [tx-timer N]` (and `advertise`, by names).
pub fn eee_set(
    dev: &Dev,
    enabled: Option<bool>,
    tx_lpi: Option<bool>,
    tx_timer: Option<u32>,
    advertised: Option<&[String]>,
) -> crate::Result<Call> {
    set_call(MSG_EEE_SET, dev, |b| {
        if let Some(modes) = advertised {
            bitset::put_exactly(b, EEE_MODES_OURS, modes);
        }
        if let Some(on) = enabled {
            b.attr_u8(5, on as u8);
        }
        if let Some(on) = tx_lpi {
            b.attr_u8(6, on as u8);
        }
        if let Some(t) = tx_timer {
            b.attr_u32(7, t);
        }
    })
}

/// What `ethtool -s DEV ...` changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkModesSet {
    pub speed: Option<u32>,
    /// 0 half, 1 full.
    pub duplex: Option<u8>,
    pub autoneg: Option<bool>,
    pub lanes: Option<u32>,
    /// Exactly these modes advertised (`ethtool -s DEV advertise ...`), by the kernel's names.
    pub advertised: Option<Vec<String>>,
}

/// `ethtool -s DEV [speed N] [duplex half|full] [autoneg on|off]` (in ethtool's order).
pub fn link_modes_set(dev: &Dev, m: &LinkModesSet) -> crate::Result<Call> {
    set_call(MSG_LINKMODES_SET, dev, |b| {
        if let Some(s) = m.speed {
            b.attr_u32(5, s);
        }
        if let Some(d) = m.duplex {
            b.attr_u8(6, d);
        }
        if let Some(a) = m.autoneg {
            b.attr_u8(2, a as u8);
        }
        if let Some(l) = m.lanes {
            b.attr_u32(9, l);
        }
        if let Some(modes) = &m.advertised {
            bitset::put_exactly(b, 3, modes);
        }
    })
}

fn get_call(cmd: u8, b: wire::MsgBuilder, kind: super::Kind) -> Call {
    Call { cmd, version: super::VERSION, flags: 0, body: super::body(b), mode: Mode::Get, decode: crate::genl::Decode::Ethtool(kind) }
}

/// A set (acknowledged; ethtool sends it without OMIT_REPLY, and these sets have no reply).
fn set_call(cmd: u8, dev: &Dev, put: impl FnOnce(&mut wire::MsgBuilder)) -> crate::Result<Call> {
    let mut b = wire::MsgBuilder::new(0, 0);
    header::put(&mut b, dev, 0)?;
    let before = b.clone().finish().len();
    put(&mut b);
    if b.clone().finish().len() == before {
        return Err(crate::Error::invalid("nothing to change"));
    }
    Ok(Call { cmd, version: super::VERSION, flags: 0, body: super::body(b), mode: Mode::Ack, decode: crate::genl::Decode::Raw })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload(c: &Call) -> Vec<u8> {
        let mut p = vec![c.cmd, c.version, 0, 0];
        p.extend_from_slice(&c.body);
        p
    }

    /// What ethtool 6.1 sent (strace -X raw, after the nlmsghdr) for device `a1`.
    #[test]
    fn requests_are_byte_equal_with_ethtool() {
        let a1 = Dev::Name("a1".into());
        let hdr = b"\x0c\x00\x01\x80\x07\x00\x02\x00\x61\x31\x00\x00";
        let with = |cmd: u8, rest: &[u8]| [&[cmd, 1, 0, 0][..], hdr, rest].concat();
        // ethtool -a a1 / --show-eee a1
        assert_eq!(payload(&pause_get(&a1, false).unwrap()), with(0x15, b""));
        assert_eq!(payload(&super::super::get(super::super::Kind::Eee, Some(&a1), None).unwrap()), with(0x17, b""));
        // ethtool -I -a a1: the header with ETHTOOL_FLAG_STATS
        let want = b"\x15\x01\x00\x00\x14\x00\x01\x80\x07\x00\x02\x00\x61\x31\x00\x00\x08\x00\x03\x00\x04\x00\x00\x00";
        assert_eq!(payload(&pause_get(&a1, true).unwrap()), want);
        // ethtool -A a1 autoneg off rx on tx off
        let c = pause_set(&a1, Some(false), Some(true), Some(false)).unwrap();
        assert_eq!(
            payload(&c),
            with(0x16, b"\x05\x00\x02\x00\x00\x00\x00\x00\x05\x00\x03\x00\x01\x00\x00\x00\x05\x00\x04\x00\x00\x00\x00\x00")
        );
        // ethtool --set-eee a1 eee on tx-lpi on tx-timer 100
        let c = eee_set(&a1, Some(true), Some(true), Some(100), None).unwrap();
        assert_eq!(
            payload(&c),
            with(0x18, b"\x05\x00\x05\x00\x01\x00\x00\x00\x05\x00\x06\x00\x01\x00\x00\x00\x08\x00\x07\x00\x64\x00\x00\x00")
        );
        // ethtool -s a1 speed 1000 duplex full autoneg off
        let m = LinkModesSet { speed: Some(1000), duplex: Some(1), autoneg: Some(false), ..Default::default() };
        let c = link_modes_set(&a1, &m).unwrap();
        assert_eq!(
            payload(&c),
            with(0x05, b"\x08\x00\x05\x00\xe8\x03\x00\x00\x05\x00\x06\x00\x01\x00\x00\x00\x05\x00\x02\x00\x00\x00\x00\x00")
        );
        assert!(pause_set(&a1, None, None, None).is_err());
        assert!(link_modes_set(&a1, &LinkModesSet::default()).is_err());
    }

    #[test]
    fn pause_and_eee_replies_decode() {
        let mut b = wire::MsgBuilder::new(0, 0);
        b.attr_u8(2, 1).attr_u8(3, 0).attr_u8(4, 1);
        let at = b.nest_start(PAUSE_A_STATS);
        b.attr(2, &7u64.to_ne_bytes()).attr(3, &9u64.to_ne_bytes());
        b.nest_end(at);
        let a = super::super::body(b);
        let mut s = Settings::new();
        pause(&a, &mut s);
        assert_eq!(s.get("autoneg"), Some(&Value::Bool(true)));
        assert_eq!(s.get("rx"), Some(&Value::Bool(false)));
        let Some(Value::Map(st)) = s.get("stats") else { panic!() };
        assert_eq!(st.get("rxFrames"), Some(&Value::Int(9)));
        let mut b = wire::MsgBuilder::new(0, 0);
        b.attr_u8(4, 1).attr_u8(5, 1).attr_u32(7, 50);
        bitset::put_named(&mut b, EEE_MODES_OURS, &[("1000baseT/Full".into(), true)]);
        let a = super::super::body(b);
        let mut s = Settings::new();
        eee(&a, &mut s);
        assert_eq!(s.get("txLpiTimer"), Some(&Value::Int(50)));
        assert_eq!(s.get("advertised"), Some(&Value::List(vec![Value::Str("1000baseT/Full".into())])));
        for n in 0..a.len() {
            eee(&a[..n], &mut Settings::new());
            pause(&a[..n], &mut Settings::new());
        }
    }
}
