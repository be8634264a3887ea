//! Expectations (NFNL_SUBSYS_CTNETLINK_EXP): connections a helper (ftp, sip, ...) expects a
//! master connection to open, as `conntrack -L expect` lists them; their creation and deletion.

use super::tuple::Tuple;
use super::Key;
use crate::nfnl::{builder, msg_type, NFNETLINK_V0};
use crate::rtnl::settings::{Settings, Value};
use crate::wire::{self, WireError, NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL};

pub const NFNL_SUBSYS_CTNETLINK_EXP: u8 = 2;
pub const IPCTNL_MSG_EXP_NEW: u8 = 0;
pub const IPCTNL_MSG_EXP_GET: u8 = 1;
pub const IPCTNL_MSG_EXP_DELETE: u8 = 2;

const CTA_EXPECT_MASTER: u16 = 1;
const CTA_EXPECT_TUPLE: u16 = 2;
const CTA_EXPECT_MASK: u16 = 3;
const CTA_EXPECT_TIMEOUT: u16 = 4;
const CTA_EXPECT_ID: u16 = 5;
const CTA_EXPECT_HELP_NAME: u16 = 6;
const CTA_EXPECT_ZONE: u16 = 7;
const CTA_EXPECT_FLAGS: u16 = 8;
const CTA_EXPECT_CLASS: u16 = 9;
const CTA_EXPECT_FN: u16 = 11;

fn exp(msg: u8) -> u16 {
    msg_type(NFNL_SUBSYS_CTNETLINK_EXP, msg)
}

fn be32(v: &[u8]) -> Option<u32> {
    v.get(..4).map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

/// An expectation as JavaScript receives it: `tuple` (the expected connection), `mask`,
/// `master` (the master's original tuple), each with its `protonum`; numbers as the kernel's.
pub fn decode(family: u8, attrs: &[u8]) -> Result<Settings, WireError> {
    let mut s = Settings::new();
    s.set_int("family", family);
    for a in wire::attrs(attrs) {
        let (ty, v) = a?;
        let tuple = |v: &[u8]| -> Result<Value, WireError> {
            let t = Tuple::decode(v)?;
            let mut m = t.to_settings();
            if let Some(p) = t.proto {
                m.set_int("protonum", p);
            }
            Ok(Value::Map(m))
        };
        match ty {
            CTA_EXPECT_TUPLE => s.set("tuple", tuple(v)?),
            CTA_EXPECT_MASK => s.set("mask", tuple(v)?),
            CTA_EXPECT_MASTER => s.set("master", tuple(v)?),
            CTA_EXPECT_TIMEOUT | CTA_EXPECT_ID | CTA_EXPECT_FLAGS | CTA_EXPECT_CLASS => {
                let k = match ty {
                    CTA_EXPECT_TIMEOUT => "timeout",
                    CTA_EXPECT_ID => "id",
                    CTA_EXPECT_FLAGS => "flags",
                    _ => "class",
                };
                match be32(v) {
                    Some(n) => s.set_int(k, n),
                    None => &mut s,
                }
            }
            CTA_EXPECT_ZONE => match v.get(..2) {
                Some(z) => s.set_int("zone", u16::from_be_bytes([z[0], z[1]])),
                None => &mut s,
            },
            CTA_EXPECT_HELP_NAME => s.set_str("helper", wire::attr_str(v)),
            CTA_EXPECT_FN => s.set_str("fn", wire::attr_str(v)),
            _ => &mut s,
        };
    }
    Ok(s)
}

/// Every expectation (of one family, or all with 0).
pub fn list(family: u8) -> super::Request {
    let b = builder(exp(IPCTNL_MSG_EXP_GET), NLM_F_DUMP, family, NFNETLINK_V0, 0);
    super::Request::dump(b.finish(), super::Decode::Expects)
}

/// What a new expectation is: the expected tuple and its mask (protocol `proto`), the master
/// connection by key, the helper (default: the master's), class and flags.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExpectSpec {
    pub proto: u8,
    pub tuple: Tuple,
    pub mask: Tuple,
    pub master: Key,
    pub helper: Option<String>,
    pub class: Option<u32>,
    pub flags: Option<u32>,
}

/// Creates an expectation (EEXIST when one has its tuple); the master must have a helper.
pub fn create(s: &ExpectSpec) -> super::Request {
    let mut b = builder(exp(IPCTNL_MSG_EXP_NEW), NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, s.master.family, NFNETLINK_V0, 0);
    Tuple { proto: Some(s.master.proto), ..s.master.orig.clone() }.encode(&mut b, CTA_EXPECT_MASTER);
    Tuple { proto: Some(s.proto), ..s.tuple.clone() }.encode(&mut b, CTA_EXPECT_TUPLE);
    Tuple { proto: Some(s.proto), ..s.mask.clone() }.encode(&mut b, CTA_EXPECT_MASK);
    if let Some(z) = s.master.zone {
        b.attr(CTA_EXPECT_ZONE, &z.to_be_bytes());
    }
    if let Some(h) = &s.helper {
        b.attr_str(CTA_EXPECT_HELP_NAME, h);
    }
    for (a, v) in [(CTA_EXPECT_CLASS, s.class), (CTA_EXPECT_FLAGS, s.flags)] {
        if let Some(v) = v {
            b.attr(a, &v.to_be_bytes());
        }
    }
    super::Request::ack(b.finish())
}

/// Deletes the expectation of an expected tuple (`k.orig`, protocol `k.proto`; ENOENT when
/// there is none).
pub fn delete(k: &Key) -> super::Request {
    let mut b = builder(exp(IPCTNL_MSG_EXP_DELETE), NLM_F_ACK, k.family, NFNETLINK_V0, 0);
    Tuple { proto: Some(k.proto), ..k.orig.clone() }.encode(&mut b, CTA_EXPECT_TUPLE);
    if let Some(z) = k.zone {
        b.attr(CTA_EXPECT_ZONE, &z.to_be_bytes());
    }
    super::Request::ack(b.finish())
}

/// Deletes every expectation, or those of one helper.
pub fn flush(helper: Option<&str>) -> super::Request {
    let mut b = builder(exp(IPCTNL_MSG_EXP_DELETE), NLM_F_ACK, 0, NFNETLINK_V0, 0);
    if let Some(h) = helper {
        b.attr_str(CTA_EXPECT_HELP_NAME, h);
    }
    super::Request::ack(b.finish())
}
