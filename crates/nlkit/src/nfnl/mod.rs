//! NETLINK_NETFILTER: messages of the netfilter subsystems (ctnetlink first; ipset and nftables
//! would follow). Every message carries `struct nfgenmsg` after nlmsghdr and a type whose high
//! byte names the subsystem, low byte the subsystem's message.
//!
//! - [`conntrack`]: the connection tracking table (ctnetlink)

pub mod conntrack;

use crate::wire::MsgBuilder;

/// NETLINK_NETFILTER (libc has no constant for it).
pub const NETLINK_NETFILTER: i32 = 12;
/// struct nfgenmsg: family u8, version u8, res_id be16.
pub const NFGENMSG_LEN: usize = 4;
/// nfgenmsg.version for every message but a family-filtered conntrack flush.
pub const NFNETLINK_V0: u8 = 0;

/// nlmsg_type of a subsystem's message.
pub const fn msg_type(subsys: u8, msg: u8) -> u16 {
    ((subsys as u16) << 8) | msg as u16
}

/// A request builder with nlmsghdr and nfgenmsg written: attributes follow.
pub fn builder(ty: u16, flags: u16, family: u8, version: u8, res_id: u16) -> MsgBuilder {
    let mut b = MsgBuilder::new(ty, flags);
    let id = res_id.to_be_bytes();
    b.push(&[family, version, id[0], id[1]]);
    b
}

/// nfgenmsg of a message's payload and the attributes after it; `None` when it is too short.
pub fn split(payload: &[u8]) -> Option<(u8, u16, &[u8])> {
    (payload.len() >= NFGENMSG_LEN).then(|| (payload[0], u16::from_be_bytes([payload[2], payload[3]]), &payload[NFGENMSG_LEN..]))
}
