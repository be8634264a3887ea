//! The smaller rtnetlink tables, each a list of flat records with `ip -j`'s names in camelCase:
//! per-device IP settings (`ip netconf`), network namespace ids (`ip netns set/list-id`), IPv6
//! address labels (`ip addrlabel`), neighbour tables (`ip ntable`) and IP multicast
//! memberships (`ip maddr`). A record is
//! [`Settings`] (keys in the module's table) rather than a struct per table: what they hold is
//! a handful of scalars each, decoded by one table per module.

pub mod addrlabel;
pub mod link_maddr;
pub mod maddr;
pub mod netconf;
pub mod nsid;
pub mod ntable;

use crate::rtnl::settings::Settings;
use crate::wire::{Message, WireError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    Netconf,
    Nsid,
    AddrLabel,
    Ntable,
    Maddr,
}

impl RecordKind {
    pub fn name(self) -> &'static str {
        match self {
            RecordKind::Netconf => "netconf",
            RecordKind::Nsid => "nsid",
            RecordKind::AddrLabel => "addrlabel",
            RecordKind::Ntable => "ntable",
            RecordKind::Maddr => "maddr",
        }
    }
}

/// One record of one of the tables.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub kind: RecordKind,
    /// The link it is about, if any (netconf, addrlabel, a device's ntable parameters).
    pub index: Option<u32>,
    pub fields: Settings,
}

/// Decodes the message types of these tables (`None` for the others).
pub fn decode(msg: &Message<'_>) -> Option<Result<Record, WireError>> {
    Some(match msg.header.ty {
        netconf::RTM_NEWNETCONF | netconf::RTM_DELNETCONF => netconf::decode(msg.payload),
        nsid::RTM_NEWNSID | nsid::RTM_DELNSID => nsid::decode(msg.payload),
        addrlabel::RTM_NEWADDRLABEL | addrlabel::RTM_DELADDRLABEL => addrlabel::decode(msg.payload),
        ntable::RTM_NEWNEIGHTBL => ntable::decode(msg.payload),
        maddr::RTM_NEWMULTICAST | maddr::RTM_DELMULTICAST | maddr::RTM_GETMULTICAST => maddr::decode(msg.payload),
        _ => return None,
    })
}

/// Whether a message of type `ty` deletes its record.
pub fn is_del(ty: u16) -> bool {
    matches!(ty, netconf::RTM_DELNETCONF | nsid::RTM_DELNSID | addrlabel::RTM_DELADDRLABEL | maddr::RTM_DELMULTICAST)
}
