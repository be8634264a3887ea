//! rtnetlink's plug-in to the engine: how its replies decode and filter, and how a link named
//! in a request is resolved (RTM_GETLINK on the same socket, remembered by the link cache).

use super::linkcache::LinkCache;
use super::{decode, link, Filter, LinkRef, Object};
use crate::conn::{self, open_socket_in, NameCache, Protocol};
use crate::error::Result;
use crate::netns::NetnsRef;
use crate::wire::{Message, WireError};

/// The link cache's socket buffer: link notifications only (a lost one clears the cache).
const LINK_CACHE_RCVBUF: usize = 1 << 20;

/// NETLINK_ROUTE.
#[derive(Debug, Clone, Copy, Default)]
pub struct Rtnl;

/// A request on an rtnetlink connection.
pub type Request = conn::Request<Rtnl>;

impl Protocol for Rtnl {
    type Object = Object;
    type Filter = Filter;

    fn number(&self) -> i32 {
        libc::NETLINK_ROUTE
    }

    fn decode(&self, msg: &Message<'_>, filter: &Filter) -> std::result::Result<Option<Object>, WireError> {
        Ok(decode(msg)?.map(|(_, obj)| obj).filter(|obj| filter.keep(obj)))
    }

    fn resolved_index(&self, reply: &[Object]) -> Option<u32> {
        reply.iter().find_map(|o| match o {
            Object::Link(l) if l.index > 0 => Some(l.index as u32),
            _ => None,
        })
    }

    fn open_names(&self, netns: Option<&NetnsRef>) -> Option<Box<dyn NameCache>> {
        let sock = open_socket_in(netns, libc::NETLINK_ROUTE, LINK_CACHE_RCVBUF).ok()?;
        Some(Box::new(LinkCache::new(sock).ok()?))
    }
}

/// Resolves link `name` to its index (from the link cache, or RTM_GETLINK on this same socket,
/// so it is right in whatever namespace the socket lives), then sends `build(index)`. A
/// missing link fails with ENODEV.
pub fn after_link(name: &str, build: impl FnOnce(u32) -> Result<Request> + Send + 'static) -> Request {
    Request::after_lookup(link::get(&LinkRef::Name(name.to_string())), name, build)
}
