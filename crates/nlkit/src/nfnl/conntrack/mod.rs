//! Connection tracking over NETLINK_NETFILTER (ctnetlink, NFNL_SUBSYS_CTNETLINK): list, get,
//! create, update, delete and flush entries, the table's count and per-CPU statistics, and
//! the decoding of its events (groups [`NFNLGRP_CONNTRACK_NEW`], UPDATE, DESTROY).
//!
//! - [`tuple`]: a direction's addresses, protocol, ports / ICMP fields
//! - [`entry`]: an entry decoded, and what a create or an update sends
//! - [`nat`]: the NAT a create sends
//! - [`filter`]: what a listing selects, in the kernel and again here
//! - [`stats`]: the count and the per-CPU counters
//! - [`expect`]: the expectations, a subsystem of their own on the same socket
//! - [`attrs`]: message types, attribute numbers, filter flags

pub mod attrs;
pub mod entry;
pub mod expect;
pub mod filter;
pub mod nat;
pub mod stats;
pub mod tuple;

use attrs::*;
pub use entry::{Change, Entry};
pub use filter::Filter;
pub use nat::Nat;
pub use tuple::Tuple;

use super::{builder, msg_type, split, NETLINK_NETFILTER, NFNETLINK_V0};
use crate::conn::{self, Mode, Protocol};
use crate::rtnl::settings::{Settings, Value};
use crate::typed::Object;
use crate::wire::{Message, WireError, NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL};

pub const NFNLGRP_CONNTRACK_NEW: u32 = 1;
pub const NFNLGRP_CONNTRACK_UPDATE: u32 = 2;
pub const NFNLGRP_CONNTRACK_DESTROY: u32 = 3;

/// NETLINK_NETFILTER, speaking ctnetlink.
#[derive(Debug, Clone, Copy, Default)]
pub struct Conntrack;

/// A request on a conntrack connection.
pub type Request = conn::Request<Conntrack>;

/// How a reply decodes (carried by each request).
#[derive(Debug, Clone, PartialEq)]
pub enum Decode {
    /// Entries, those the filter selects.
    Entries(Box<Filter>),
    /// The GET_STATS reply: `{ entries, maxEntries }`.
    Count,
    /// GET_STATS_CPU replies: one tree per CPU.
    Cpu,
    /// Expectations.
    Expects,
}

impl Default for Decode {
    fn default() -> Self {
        Decode::Entries(Box::default())
    }
}

impl Protocol for Conntrack {
    type Object = Object;
    type Filter = Decode;

    fn number(&self) -> i32 {
        NETLINK_NETFILTER
    }

    fn decode(&self, msg: &Message<'_>, decode: &Decode) -> Result<Option<Object>, WireError> {
        let (subsys, ty) = ((msg.header.ty >> 8) as u8, msg.header.ty as u8);
        let (family, res_id, attrs) = split(msg.payload).ok_or(WireError("netfilter message shorter than nfgenmsg"))?;
        if subsys == expect::NFNL_SUBSYS_CTNETLINK_EXP {
            let keep = *decode == Decode::Expects && ty == expect::IPCTNL_MSG_EXP_NEW;
            return Ok(if keep { Some(Object::Tree(expect::decode(family, attrs)?)) } else { None });
        }
        if subsys != NFNL_SUBSYS_CTNETLINK {
            return Ok(None);
        }
        Ok(match decode {
            Decode::Entries(f) if ty == IPCTNL_MSG_CT_NEW => entry_if(f, family, attrs)?.map(Object::Tree),
            Decode::Count if ty == IPCTNL_MSG_CT_GET_STATS => Some(Object::Tree(stats::decode_global(attrs)?)),
            Decode::Cpu if ty == IPCTNL_MSG_CT_GET_STATS_CPU => Some(Object::Tree(stats::decode_cpu(res_id, attrs)?)),
            _ => None,
        })
    }
}

fn entry_if(f: &Filter, family: u8, attrs: &[u8]) -> Result<Option<Settings>, WireError> {
    let e = Entry::decode(family, attrs)?;
    Ok(f.matches(&e).then(|| e.to_settings()))
}

/// One message of a dump read elsewhere (a stream): its payload as an entry's tree, if `f`
/// selects it.
pub fn decode_listed(payload: &[u8], f: &Filter) -> Result<Option<Settings>, WireError> {
    let (family, _, attrs) = split(payload).ok_or(WireError("netfilter message shorter than nfgenmsg"))?;
    entry_if(f, family, attrs)
}

/// An entry by its original tuple (and zone); `id` (CTA_ID) makes a delete miss an entry that
/// replaced the one listed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Key {
    pub family: u8,
    pub proto: u8,
    pub orig: Tuple,
    pub zone: Option<u16>,
    pub id: Option<u32>,
}

impl Key {
    fn encode(&self, b: &mut crate::wire::MsgBuilder) {
        Tuple { proto: Some(self.proto), ..self.orig.clone() }.encode(b, CTA_TUPLE_ORIG);
        if let Some(z) = self.zone {
            b.attr(CTA_ZONE, &z.to_be_bytes());
        }
        if let Some(id) = self.id {
            b.attr(CTA_ID, &id.to_be_bytes());
        }
    }
}

fn ct(msg: u8) -> u16 {
    msg_type(NFNL_SUBSYS_CTNETLINK, msg)
}

/// A dump of the table, filtered (see [`Filter`]).
pub fn list(f: Filter) -> Request {
    let mut b = builder(ct(IPCTNL_MSG_CT_GET), NLM_F_DUMP, f.family, NFNETLINK_V0, 0);
    f.encode(&mut b, false);
    Request::dump(b.finish(), Decode::Entries(Box::new(f)))
}

/// One entry (ENOENT when there is none).
pub fn get(k: &Key) -> Request {
    let mut b = builder(ct(IPCTNL_MSG_CT_GET), 0, k.family, NFNETLINK_V0, 0);
    k.encode(&mut b);
    Request::new(b.finish(), Mode::Get, Decode::default())
}

/// Creates an entry. `exclusive` (as `conntrack -I`): EEXIST when it exists; otherwise the
/// existing entry is updated (EOPNOTSUPP with NAT). The kernel needs both tuples and a timeout;
/// with NAT, `reply` is the untranslated one (the original reversed, as conntrack sends it)
/// and the kernel translates it.
pub fn create(k: &Key, reply: &Tuple, c: &Change, exclusive: bool) -> Request {
    let flags = NLM_F_ACK | NLM_F_CREATE | if exclusive { NLM_F_EXCL } else { 0 };
    let mut b = builder(ct(IPCTNL_MSG_CT_NEW), flags, k.family, NFNETLINK_V0, 0);
    k.encode(&mut b);
    Tuple { proto: Some(k.proto), ..reply.clone() }.encode(&mut b, CTA_TUPLE_REPLY);
    // The kernel marks a new entry CONFIRMED before it applies CTA_STATUS, and refuses a status
    // that would clear it (EBUSY).
    let mut c = Change { status: c.status.map(|s| s | IPS_CONFIRMED), ..c.clone() };
    // As conntrack -I: an entry made by hand is not held to TCP window tracking.
    if k.proto == IPPROTO_TCP && c.state.is_some() {
        c.tcp_flags = Some(IP_CT_TCP_FLAG_BE_LIBERAL | IP_CT_TCP_FLAG_SACK_PERM);
    }
    c.encode(&mut b, k.proto);
    Request::ack(b.finish())
}

/// Changes an existing entry (ENOENT when there is none). A status must keep the bits the
/// entry has that cannot change (CONFIRMED, EXPECTED) or be cleared (SEEN_REPLY, ASSURED):
/// EBUSY otherwise.
pub fn update(k: &Key, c: &Change) -> Request {
    let mut b = builder(ct(IPCTNL_MSG_CT_NEW), NLM_F_ACK, k.family, NFNETLINK_V0, 0);
    k.encode(&mut b);
    c.encode(&mut b, k.proto);
    Request::ack(b.finish())
}

/// Deletes one entry (ENOENT when there is none).
pub fn delete(k: &Key) -> Request {
    let mut b = builder(ct(IPCTNL_MSG_CT_DELETE), NLM_F_ACK, k.family, NFNETLINK_V0, 0);
    k.encode(&mut b);
    Request::ack(b.finish())
}

/// Deletes every entry the kernel's flush filter selects: family, mark, zone, status (a
/// filter with tuple fields is not a kernel flush: list and delete instead). The kernel reads
/// the family of a flush only from an nfgenmsg of version 1.
pub fn flush(f: &Filter) -> Request {
    let version = if f.family != 0 { 1 } else { NFNETLINK_V0 };
    let mut b = builder(ct(IPCTNL_MSG_CT_DELETE), NLM_F_ACK, f.family, version, 0);
    f.encode(&mut b, true);
    Request::ack(b.finish())
}

/// The entry count and limit (`conntrack -C`).
pub fn count() -> Request {
    let b = builder(ct(IPCTNL_MSG_CT_GET_STATS), 0, 0, NFNETLINK_V0, 0);
    Request::new(b.finish(), Mode::Get, Decode::Count)
}

/// Per-CPU statistics (`conntrack -S`).
pub fn cpu_stats() -> Request {
    let b = builder(ct(IPCTNL_MSG_CT_GET_STATS_CPU), NLM_F_DUMP, 0, NFNETLINK_V0, 0);
    Request::dump(b.finish(), Decode::Cpu)
}

/// An event of the conntrack groups (`ty`, `flags` and `payload` of its message) as
/// `{ type: 'new' | 'update' | 'destroy', entry }`; `None` for other messages. A NEW message
/// with NLM_F_CREATE is a new entry, without it an update (ctnetlink_conntrack_event).
pub fn event(ty: u16, flags: u16, payload: &[u8]) -> Result<Option<Settings>, WireError> {
    if (ty >> 8) as u8 != NFNL_SUBSYS_CTNETLINK {
        return Ok(None);
    }
    let kind = match ty as u8 {
        IPCTNL_MSG_CT_DELETE => "destroy",
        IPCTNL_MSG_CT_NEW if flags & NLM_F_CREATE != 0 => "new",
        IPCTNL_MSG_CT_NEW => "update",
        _ => return Ok(None),
    };
    let (family, _, attrs) = split(payload).ok_or(WireError("netfilter message shorter than nfgenmsg"))?;
    let mut s = Settings::new();
    s.set_str("type", kind).set("entry", Value::Map(Entry::decode(family, attrs)?.to_settings()));
    Ok(Some(s))
}

#[cfg(test)]
mod tests;
