//! What the engine needs of a netlink protocol: how replies decode, and (optionally) how names
//! in requests are resolved before they go out. A protocol is a value, so one type can serve
//! any protocol number (the raw layer).

use crate::netns::NetnsRef;
use crate::wire::{Message, WireError};

pub trait Protocol: Send + Sync + 'static {
    /// A decoded reply message.
    type Object: Send + 'static;
    /// Which objects of a reply a request keeps (a dump filter); carried by each request.
    type Filter: Default + Send + 'static;

    /// The `NETLINK_*` number of the connection's socket.
    fn number(&self) -> i32;

    /// Decodes one data message of a reply: `Ok(None)` for what the request does not keep (a
    /// message type the protocol does not model, or one the filter leaves out).
    fn decode(&self, msg: &Message<'_>, filter: &Self::Filter) -> Result<Option<Self::Object>, WireError>;

    /// The index a name lookup's reply names (see [`Request::after_lookup`](super::Request::after_lookup)).
    fn resolved_index(&self, _reply: &[Self::Object]) -> Option<u32> {
        None
    }

    /// A name lookup's failure as its caller sees it (generic netlink names the family the
    /// kernel does not have).
    fn lookup_failed(&self, _name: &str, e: crate::Error) -> crate::Error {
        e
    }

    /// A cache of resolved names, opened in the connection's namespace; `None`: every lookup
    /// goes to the kernel.
    fn open_names(&self, _netns: Option<&NetnsRef>) -> Option<Box<dyn NameCache>> {
        None
    }
}

/// Names resolved for requests, remembered per connection and kept exact by the protocol
/// (rtnetlink's link cache listens to link notifications).
pub trait NameCache: Send + 'static {
    /// Brings the cache up to date; once for a batch of requests is enough.
    fn sync(&mut self);
    fn get(&self, name: &str) -> Option<u32>;
    /// A stamp to hand back with a lookup's answer: it is kept only if nothing changed meanwhile.
    fn generation(&self) -> u64;
    fn insert(&mut self, name: &str, index: u32, generation: u64);
}
