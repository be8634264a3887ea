//! NETLINK_GENERIC: families by name, the controller (nlctrl) and typed families.
//!
//! A generic family's id is dynamic: a request names its family, and the engine resolves the
//! name with CTRL_CMD_GETFAMILY on the same socket first (see [`request`]), answered from the
//! per-connection family cache ([`cache`]) when it can be. Replies decode as raw messages
//! ([`Decode::Raw`]) or, for the controller and typed families, into a [`Settings`](crate::rtnl::settings::Settings) tree.
//!
//! - [`ctrl`]: the controller: family get/dump and their decoding
//! - [`cache`]: family name -> id, kept exact by the controller's notifications
//! - [`ethtool`]: the ethtool family
//! - [`mptcp`]: the MPTCP path manager's endpoints and limits
//! - [`netdev`]: devices' XDP features, queues and NAPI instances
//! - [`taskstats`]: per-task accounting
//! - [`tcp_metrics`]: the TCP metrics cache
//! - [`wireguard`]: WireGuard devices and peers
//! - [`table`]: table-driven attribute decoding the typed families share

pub mod cache;
pub mod ctrl;
pub mod ethtool;
pub mod mptcp;
pub mod netdev;
pub mod table;
pub mod taskstats;
pub mod tcp_metrics;
pub mod wireguard;

use crate::conn::{self, open_socket_in, Mode, NameCache, Protocol};
use crate::error::{Error, Result};
use crate::netns::NetnsRef;
use crate::raw::RawMessage;
use crate::rtnl::settings::Value;
use crate::wire::{self, Message, WireError, NLM_F_ACK, NLM_F_DUMP};

/// struct genlmsghdr: cmd u8, version u8, reserved u16.
pub const GENL_HDRLEN: usize = 4;
/// The controller's fixed family id (and the id of its "notify" multicast group).
pub const GENL_ID_CTRL: u16 = 0x10;
/// The family cache's socket buffer: controller notifications only (a lost one clears it).
const CACHE_RCVBUF: usize = 256 * 1024;

/// NETLINK_GENERIC.
#[derive(Debug, Clone, Copy, Default)]
pub struct Genl;

/// A request on a generic connection.
pub type Request = conn::Request<Genl>;

/// How a request's reply decodes (carried by each request as its filter).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Decode {
    /// Every data message as it came (the genlmsghdr included in the payload).
    #[default]
    Raw,
    /// Controller replies: one family each.
    Family,
    /// An ethtool reply of this kind.
    Ethtool(ethtool::Kind),
    /// TCP metrics entries.
    TcpMetrics,
    /// MPTCP path manager replies.
    Mptcp(mptcp::Reply),
    /// netdev replies of this kind.
    Netdev(netdev::Kind),
    /// A task's statistics.
    Taskstats,
    /// One message of a WireGuard device.
    Wireguard,
}

pub use crate::typed::Object;

impl Protocol for Genl {
    type Object = Object;
    type Filter = Decode;

    fn number(&self) -> i32 {
        libc::NETLINK_GENERIC
    }

    fn decode(&self, msg: &Message<'_>, decode: &Decode) -> std::result::Result<Option<Object>, WireError> {
        if msg.payload.len() < GENL_HDRLEN {
            return Err(WireError("generic netlink message shorter than genlmsghdr"));
        }
        let (cmd, attrs) = (msg.payload[0], &msg.payload[GENL_HDRLEN..]);
        Ok(match decode {
            Decode::Raw => {
                let h = msg.header;
                Some(Object::Message(RawMessage { ty: h.ty, flags: h.flags, seq: h.seq, pid: h.pid, payload: msg.payload.to_vec() }))
            }
            Decode::Family => (cmd == ctrl::CTRL_CMD_NEWFAMILY).then(|| ctrl::decode_family(attrs)).map(Object::Tree),
            Decode::Ethtool(kind) => ethtool::decode(*kind, attrs).map(Object::Tree),
            Decode::TcpMetrics => Some(Object::Tree(tcp_metrics::decode(attrs))),
            Decode::Mptcp(r) => mptcp::decode(*r, attrs).map(Object::Tree),
            Decode::Netdev(k) => Some(Object::Tree(netdev::decode(*k, attrs))),
            Decode::Taskstats => taskstats::decode(attrs).map(Object::Tree),
            Decode::Wireguard => Some(Object::Tree(wireguard::decode(attrs))),
        })
    }

    fn resolved_index(&self, reply: &[Object]) -> Option<u32> {
        reply.iter().find_map(|o| match o {
            Object::Tree(t) => match t.get("id") {
                Some(Value::Int(id)) if *id > 0 => Some(*id as u32),
                _ => None,
            },
            // The lookup itself (sent with the default filter): CTRL_CMD_NEWFAMILY's FAMILY_ID.
            Object::Message(m) if m.ty == GENL_ID_CTRL && m.payload.first() == Some(&ctrl::CTRL_CMD_NEWFAMILY) => {
                ctrl::name_and_id(m.payload.get(GENL_HDRLEN..).unwrap_or(&[])).1.filter(|id| *id > 0).map(u32::from)
            }
            Object::Message(_) => None,
        })
    }

    fn lookup_failed(&self, name: &str, mut e: Error) -> Error {
        if e.errno == libc::ENOENT && e.detail.is_none() {
            e.detail = Some(format!("the kernel has no generic family {name:?}"));
        }
        e
    }

    fn open_names(&self, netns: Option<&NetnsRef>) -> Option<Box<dyn NameCache>> {
        let sock = open_socket_in(netns, libc::NETLINK_GENERIC, CACHE_RCVBUF).ok()?;
        Some(Box::new(cache::FamilyCache::new(sock).ok()?))
    }
}

/// One generic message: nlmsghdr (type = the family id), genlmsghdr, then `body` (the
/// family's own header, if it has one, and attributes).
pub fn message(id: u16, cmd: u8, version: u8, flags: u16, body: &[u8]) -> Vec<u8> {
    let mut b = wire::MsgBuilder::new(id, flags);
    b.push(&[cmd, version, 0, 0]);
    b.push(body);
    b.finish()
}

/// What a request by family name carries besides the name.
#[derive(Debug, Clone)]
pub struct Call {
    pub cmd: u8,
    pub version: u8,
    /// nlmsg_flags besides NLM_F_REQUEST (and NLM_F_ACK / NLM_F_DUMP, set from `mode`).
    pub flags: u16,
    pub body: Vec<u8>,
    /// Collect (raw requests: every message before the ACK), Get (one reply) or Dump.
    pub mode: Mode,
    pub decode: Decode,
}

/// A request to family `family` by name: the controller's fixed id is used as is; any other
/// family is resolved first on the same socket (or from the family cache). An unknown family
/// fails with the controller's ENOENT; nothing more is sent.
pub fn request(family: &str, call: Call) -> Result<Request> {
    if family.is_empty() || family.len() >= ctrl::GENL_NAMSIZ {
        return Err(Error::invalid(format!("family name must be 1 to {} bytes", ctrl::GENL_NAMSIZ - 1)));
    }
    if call.body.len() > u16::MAX as usize * 256 {
        return Err(Error::invalid("attributes too long"));
    }
    let build = move |id: u32| -> Result<Request> {
        let id = u16::try_from(id).map_err(|_| Error::protocol("family id beyond u16"))?;
        let flags = call.flags
            | match call.mode {
                Mode::Dump => NLM_F_DUMP,
                Mode::Ack | Mode::Collect => NLM_F_ACK,
                Mode::Get => 0,
            };
        Ok(Request::new(message(id, call.cmd, call.version, flags, &call.body), call.mode, call.decode))
    };
    if family == ctrl::CTRL_NAME {
        return build(GENL_ID_CTRL as u32);
    }
    Ok(Request::after_lookup(ctrl::get_family(family), family, build))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_raw_and_refuses_short_messages() {
        let bytes = message(0x20, 7, 1, 0, &[8, 0, 1, 0, 5, 0, 0, 0]);
        let m = wire::messages(&bytes).next().unwrap().unwrap();
        match Genl.decode(&m, &Decode::Raw).unwrap() {
            Some(Object::Message(r)) => assert_eq!(r.payload, [7, 1, 0, 0, 8, 0, 1, 0, 5, 0, 0, 0]),
            o => panic!("{o:?}"),
        }
        let short = wire::MsgBuilder::new(0x20, 0).finish();
        let m = wire::messages(&short).next().unwrap().unwrap();
        assert!(Genl.decode(&m, &Decode::Raw).is_err());
    }

    #[test]
    fn nlctrl_needs_no_lookup_and_others_do() {
        let call = Call { cmd: 3, version: 2, flags: 0, body: Vec::new(), mode: Mode::Dump, decode: Decode::Family };
        let r = request("nlctrl", call.clone()).unwrap();
        assert!(r.then.is_none());
        assert_eq!(wire::u16_at(&r.bytes, 4), GENL_ID_CTRL);
        assert_eq!(wire::u16_at(&r.bytes, 6), wire::NLM_F_REQUEST | NLM_F_DUMP);
        let r = request("ethtool", call.clone()).unwrap();
        assert_eq!(r.name.as_deref(), Some("ethtool"));
        // The controller's reply to the lookup names the id.
        let reply = message(GENL_ID_CTRL, ctrl::CTRL_CMD_NEWFAMILY, 2, 0, &[6, 0, 1, 0, 0x15, 0, 0, 0]);
        let m = wire::messages(&reply).next().unwrap().unwrap();
        let obj = Genl.decode(&m, &Decode::default()).unwrap().unwrap();
        assert_eq!(Genl.resolved_index(&[obj]), Some(0x15));
        let built = (r.then.unwrap())(0x15).unwrap();
        assert_eq!(wire::u16_at(&built.bytes, 4), 0x15);
        assert!(request("", call.clone()).is_err());
        assert!(request(&"x".repeat(16), call).is_err());
    }
}
