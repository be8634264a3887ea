//! The raw layer: any netlink protocol, messages as bytes. The engine still owns sequence
//! numbers, the port id, NLM_F_REQUEST/ACK, deadlines, dumps (DUMP_INTR retries, parts) and
//! the kernel-only sender check; the caller owns the payloads.

use crate::conn::{self, Mode, Protocol};
use crate::error::{Error, Result};
use crate::wire::{self, Message, WireError, NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST};

/// Message types below this are netlink's own control messages (NOOP, ERROR, DONE, OVERRUN),
/// which the engine reads and writes itself.
pub const NLMSG_MIN_TYPE: u16 = 0x10;

/// A connection's protocol, by number (`NETLINK_ROUTE` = 0, `NETLINK_GENERIC` = 16, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Raw {
    pub number: i32,
}

/// One message of a reply, header fields decoded, payload as sent by the kernel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawMessage {
    pub ty: u16,
    pub flags: u16,
    pub seq: u32,
    pub pid: u32,
    pub payload: Vec<u8>,
}

pub type Request = conn::Request<Raw>;

impl Protocol for Raw {
    type Object = RawMessage;
    type Filter = ();

    fn number(&self) -> i32 {
        self.number
    }

    fn decode(&self, msg: &Message<'_>, _: &()) -> std::result::Result<Option<RawMessage>, WireError> {
        let h = msg.header;
        Ok(Some(RawMessage { ty: h.ty, flags: h.flags, seq: h.seq, pid: h.pid, payload: msg.payload.to_vec() }))
    }
}

/// A request with the caller's type, flags and payload. `dump` adds NLM_F_DUMP and reads
/// NLM_F_MULTI parts to NLMSG_DONE; otherwise NLM_F_ACK is set and every message before the
/// ACK is the reply (none for a plain change).
pub fn request(ty: u16, flags: u16, payload: &[u8], dump: bool) -> Result<Request> {
    if ty < NLMSG_MIN_TYPE {
        return Err(Error::invalid(format!("type {ty} is a netlink control message (below {NLMSG_MIN_TYPE})")));
    }
    if payload.len() > u32::MAX as usize - wire::NLMSG_HDRLEN - 3 {
        return Err(Error::invalid("payload too long"));
    }
    let flags = flags | NLM_F_REQUEST | if dump { NLM_F_DUMP } else { NLM_F_ACK };
    let mut b = wire::MsgBuilder::new(ty, flags);
    b.push(payload);
    let mode = if dump { Mode::Dump } else { Mode::Collect };
    Ok(Request::new(b.finish(), mode, ()))
}

/// A raw subscription's feed: the groups joined by number, every notification delivered as
/// it came. Nothing to resync: after an overflow the caller lists again if it needs to.
pub struct Groups {
    pub number: i32,
    pub groups: Vec<u32>,
}

impl crate::monitor::Feed for Groups {
    type Item = RawMessage;

    fn protocol(&self) -> i32 {
        self.number
    }
    fn groups(&self) -> Vec<u32> {
        self.groups.clone()
    }
    fn dumps(&mut self, _resync: bool) -> Vec<crate::monitor::Dump> {
        Vec::new()
    }
    fn message(&mut self, msg: &Message<'_>, dump: Option<u32>, out: &mut Vec<crate::monitor::Event<RawMessage>>) {
        if let (None, Ok(Some(item))) = (dump, Raw { number: self.number }.decode(msg, &())) {
            out.push(crate::monitor::Event::Item { item, existing: false });
        }
    }
}
