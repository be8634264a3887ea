//! NETLINK_SOCK_DIAG: socket listing and destroy, `ss` as a library.
//!
//! Requests are SOCK_DIAG_BY_FAMILY dumps (one per address family and protocol) whose filters
//! run in the kernel (INET_DIAG_REQ_BYTECODE, compiled as `ss` compiles its expressions), and
//! SOCK_DESTROY of one socket by its identity. Replies decode into [`Settings`] trees whose keys
//! are what JavaScript receives.
//!
//! - [`bytecode`]: filter expressions and their inet_diag bytecode
//! - [`inet`]: TCP/UDP sockets (inet_diag_req_v2, inet_diag_msg and its extensions)
//! - [`tcp_info`]: struct tcp_info
//! - [`unix`]: unix sockets (unix_diag_req, unix_diag_msg)
//! - [`netlink`], [`packet`]: netlink and packet sockets
//! - [`names`]: states, timers, protocols by name

pub mod bytecode;
pub mod inet;
pub mod names;
pub mod netlink;
pub mod packet;
pub mod tcp_info;
pub mod unix;

use crate::conn::{self, Protocol};
use crate::rtnl::settings::Settings;
use crate::wire::{Message, WireError};

pub use crate::typed::Object;

/// nlmsg_type of a listing (and of its replies).
pub const SOCK_DIAG_BY_FAMILY: u16 = 20;
/// nlmsg_type of a destroy (`ss -K`).
pub const SOCK_DESTROY: u16 = 21;

/// NETLINK_SOCK_DIAG.
#[derive(Debug, Clone, Copy, Default)]
pub struct SockDiag;

/// A request on a sock_diag connection.
pub type Request = conn::Request<SockDiag>;

/// How a request's reply decodes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Decode {
    /// Nothing kept (a destroy's ACK).
    #[default]
    Skip,
    /// inet_diag_msg of this protocol; `cgroup`: keep the cgroup id.
    Inet { protocol: u8, cgroup: bool },
    /// unix_diag_msg.
    Unix,
    /// netlink_diag_msg.
    Netlink,
    /// packet_diag_msg.
    Packet,
}

impl Protocol for SockDiag {
    type Object = Object;
    type Filter = Decode;

    fn number(&self) -> i32 {
        libc::NETLINK_SOCK_DIAG
    }

    fn decode(&self, msg: &Message<'_>, decode: &Decode) -> Result<Option<Object>, WireError> {
        if msg.header.ty != SOCK_DIAG_BY_FAMILY {
            return Ok(None);
        }
        Ok(decode_listed(msg.payload, decode)?.map(Object::Tree))
    }
}

/// One SOCK_DIAG_BY_FAMILY message of a dump (its payload), read here or elsewhere (a stream),
/// as the tree of its socket.
pub fn decode_listed(payload: &[u8], decode: &Decode) -> Result<Option<Settings>, WireError> {
    Ok(match *decode {
        Decode::Skip => None,
        Decode::Inet { protocol, cgroup } => Some(inet::decode(payload, protocol, cgroup)?),
        Decode::Unix => Some(unix::decode(payload)?),
        Decode::Netlink => Some(netlink::decode(payload)?),
        Decode::Packet => Some(packet::decode(payload)?),
    })
}

#[cfg(test)]
mod tests;
