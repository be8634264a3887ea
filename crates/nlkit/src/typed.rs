//! The reply objects of the typed protocol families (generic netlink and the protocols after
//! it: netfilter, sock_diag, xfrm): each message as it came, or decoded into a [`Settings`]
//! tree. One shape for all of them, so the binding crosses them to JavaScript one way.

use crate::raw::RawMessage;
use crate::rtnl::settings::Settings;

/// A decoded reply message.
#[derive(Debug, Clone, PartialEq)]
pub enum Object {
    Message(RawMessage),
    Tree(Settings),
}
