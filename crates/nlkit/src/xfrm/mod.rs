//! NETLINK_XFRM: IPsec policies (the SPD) and states (the SAD), their counts, and the
//! notifications of the xfrm multicast groups.
//!
//! Requests are built from [`Settings`] trees whose keys are what JavaScript gives (and gets
//! back from a list: a listed object can be given back to add or update); replies decode into
//! such trees ([`Decode`]).
//!
//! - [`addr`], addresses, prefixes, protocol and flag names
//! - [`selector`], xfrm_selector and the lifetimes
//! - [`policy`], policies and templates
//! - [`state`], states and SPI allocation; [`algs`], their algorithms and keys
//! - [`ctx`], security contexts of policies and states
//! - [`info`], the SPD/SAD counts and hash thresholds
//! - [`filter`], list filters (the kernel's for states, matched here for the rest)
//! - [`aevent`], a state's replay state and counters (async events); [`migrate`], moving a
//!   policy's templates and states to new addresses
//! - [`events`], the notifications

pub mod addr;
pub mod aevent;
pub mod algs;
pub mod ctx;
pub mod events;
pub mod filter;
pub mod info;
pub mod migrate;
pub mod policy;
pub mod selector;
pub mod state;
#[cfg(test)]
mod tests;

use crate::conn::{self, Mode, Protocol};
use crate::error::Error;
use crate::rtnl::settings::Settings;
use crate::wire::{Message, MsgBuilder, WireError, NLM_F_ACK, NLM_F_DUMP};

pub const XFRM_MSG_NEWSA: u16 = 0x10;
pub const XFRM_MSG_DELSA: u16 = 0x11;
pub const XFRM_MSG_GETSA: u16 = 0x12;
pub const XFRM_MSG_NEWPOLICY: u16 = 0x13;
pub const XFRM_MSG_DELPOLICY: u16 = 0x14;
pub const XFRM_MSG_GETPOLICY: u16 = 0x15;
pub const XFRM_MSG_ALLOCSPI: u16 = 0x16;
pub const XFRM_MSG_ACQUIRE: u16 = 0x17;
pub const XFRM_MSG_EXPIRE: u16 = 0x18;
pub const XFRM_MSG_UPDPOLICY: u16 = 0x19;
pub const XFRM_MSG_UPDSA: u16 = 0x1a;
pub const XFRM_MSG_POLEXPIRE: u16 = 0x1b;
pub const XFRM_MSG_FLUSHSA: u16 = 0x1c;
pub const XFRM_MSG_FLUSHPOLICY: u16 = 0x1d;
pub const XFRM_MSG_REPORT: u16 = 0x20;
pub const XFRM_MSG_NEWSADINFO: u16 = 0x22;
pub const XFRM_MSG_GETSADINFO: u16 = 0x23;
pub const XFRM_MSG_NEWSPDINFO: u16 = 0x24;
pub const XFRM_MSG_GETSPDINFO: u16 = 0x25;

pub const XFRMA_ALG_AUTH: u16 = 1;
pub const XFRMA_ALG_CRYPT: u16 = 2;
pub const XFRMA_ALG_COMP: u16 = 3;
pub const XFRMA_ENCAP: u16 = 4;
pub const XFRMA_TMPL: u16 = 5;
pub const XFRMA_SA: u16 = 6;
pub const XFRMA_POLICY: u16 = 7;
pub const XFRMA_SRCADDR: u16 = 13;
pub const XFRMA_POLICY_TYPE: u16 = 16;
pub const XFRMA_ALG_AEAD: u16 = 18;
pub const XFRMA_ALG_AUTH_TRUNC: u16 = 20;
pub const XFRMA_MARK: u16 = 21;
pub const XFRMA_REPLAY_ESN_VAL: u16 = 23;
pub const XFRMA_OFFLOAD_DEV: u16 = 28;
pub const XFRMA_IF_ID: u16 = 31;

/// Multicast groups (XFRMNLGRP_*), by the names `xfrmEvents` takes.
pub const GROUPS: &[(&str, u32)] =
    &[("acquire", 1), ("expire", 2), ("sa", 3), ("policy", 4), ("aevents", 5), ("report", 6), ("migrate", 7), ("mapping", 8)];

/// NETLINK_XFRM.
#[derive(Debug, Clone, Copy, Default)]
pub struct Xfrm;

/// A request on an xfrm connection.
pub type Request = conn::Request<Xfrm>;

pub use crate::typed::Object;

/// How a request's reply decodes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Decode {
    /// Nothing is kept (changes answered by an ACK).
    #[default]
    None,
    Policy,
    State,
    /// A policy dump: the policies the filter accepts.
    Policies(filter::PolicyMatch),
    /// A state dump: the states the filter accepts (besides what the kernel filtered).
    States(filter::StateMatch),
    SpdInfo,
    SadInfo,
    /// A GETAE's answer (a NEWAE).
    Aevent,
}

impl Protocol for Xfrm {
    type Object = Object;
    type Filter = Decode;

    fn number(&self) -> i32 {
        libc::NETLINK_XFRM
    }

    fn decode(&self, msg: &Message<'_>, d: &Decode) -> std::result::Result<Option<Object>, WireError> {
        let p = msg.payload;
        let tree = match (d, msg.header.ty) {
            (Decode::Policy, XFRM_MSG_NEWPOLICY) => policy::decode(p)?,
            (Decode::State, XFRM_MSG_NEWSA) => state::decode(p)?,
            (Decode::Policies(m), XFRM_MSG_NEWPOLICY) if m.accepts(p) => policy::decode(p)?,
            (Decode::States(m), XFRM_MSG_NEWSA) if m.accepts(p) => state::decode(p)?,
            (Decode::SpdInfo, XFRM_MSG_NEWSPDINFO) => info::decode_spd(p)?,
            (Decode::SadInfo, XFRM_MSG_NEWSADINFO) => info::decode_sad(p)?,
            (Decode::Aevent, aevent::XFRM_MSG_NEWAE) => aevent::decode(p)?,
            _ => return Ok(None),
        };
        Ok(Some(Object::Tree(tree)))
    }
}

/// Operation names and what they send.
pub fn request(op: &str, spec: &Settings) -> crate::error::Result<Request> {
    let bad = Error::invalid;
    let ack = |r: std::result::Result<Vec<u8>, String>| r.map(Request::ack).map_err(bad);
    let get = |r: std::result::Result<Vec<u8>, String>, d: Decode| r.map(|b| Request::new(b, Mode::Get, d)).map_err(bad);
    match op {
        "policyList" => filter::policy_dump(spec).map(|(b, m)| Request::dump(b, Decode::Policies(m))).map_err(bad),
        "policyGet" => get(policy::encode_id(XFRM_MSG_GETPOLICY, 0, spec), Decode::Policy),
        "policyAdd" => ack(policy::encode_add(XFRM_MSG_NEWPOLICY, spec)),
        "policyUpdate" => ack(policy::encode_add(XFRM_MSG_UPDPOLICY, spec)),
        "policyDelete" => ack(policy::encode_id(XFRM_MSG_DELPOLICY, NLM_F_ACK, spec)),
        "policyFlush" => ack(policy::encode_flush(spec)),
        "spdInfo" => get(Ok(info::encode_get(XFRM_MSG_GETSPDINFO)), Decode::SpdInfo),
        "spdSet" => ack(info::encode_spd_set(spec)),
        "stateList" => filter::state_dump(spec).map(|(b, m)| Request::dump(b, Decode::States(m))).map_err(bad),
        "stateGet" => get(state::encode_id(XFRM_MSG_GETSA, 0, spec), Decode::State),
        "stateAdd" => ack(state::encode_add(XFRM_MSG_NEWSA, spec)),
        "stateUpdate" => ack(state::encode_add(XFRM_MSG_UPDSA, spec)),
        "stateDelete" => ack(state::encode_id(XFRM_MSG_DELSA, NLM_F_ACK, spec)),
        "stateFlush" => ack(state::encode_flush(spec)),
        "stateAllocSpi" => get(state::encode_alloc(spec), Decode::State),
        "sadInfo" => get(Ok(info::encode_get(XFRM_MSG_GETSADINFO)), Decode::SadInfo),
        "stateAevents" => get(aevent::encode_get(spec), Decode::Aevent),
        "stateAeventsSet" => ack(aevent::encode_set(spec)),
        "policyMigrate" => ack(migrate::encode(spec)),
        other => Err(bad(format!("unknown xfrm operation {other:?}"))),
    }
}
