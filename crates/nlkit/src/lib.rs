//! nlkit: netlink for programs that configure Linux networking.
//!
//! Layers: [`sys`] (the only `unsafe`), [`wire`] (framing), [`conn`] (the engine, for any
//! netlink protocol: one socket, one I/O thread, pipelined requests), [`monitor`] (multicast
//! subscriptions with overflow signalling, for any protocol) and [`stream`] (a dump read at
//! the consumer's pace); then one folder per protocol family: [`rtnl`] (NETLINK_ROUTE: typed
//! link, address, route, neighbour and rule messages, the link cache, events), [`genl`]
//! (NETLINK_GENERIC: families by name, the family cache, ethtool, ...), [`nfnl`] (NETLINK_NETFILTER:
//! connection tracking), [`xfrm`] (NETLINK_XFRM: IPsec policies, states, notifications),
//! [`diag`] (NETLINK_SOCK_DIAG: socket listing and destroy) and [`raw`] (any protocol, payloads
//! as bytes). [`client`] is a blocking API over the engine for Rust
//! callers; [`netns`] opens sockets in other network namespaces.

pub mod client;
pub mod conn;
pub mod diag;
pub mod error;
pub mod genl;
pub mod monitor;
pub mod netns;
pub mod nfnl;
pub mod raw;
pub mod rtnl;
pub mod stream;
pub mod sys;
pub mod trace;
pub mod typed;
pub mod wire;
pub mod xfrm;

pub use conn::{Completer, Mode, Options, Part, Protocol, Token, Transport};
pub use error::{Error, ErrorKind, Result};

/// The common case, rtnetlink: its connection, requests, completions and blocking client.
pub type Conn = conn::Conn<rtnl::Rtnl>;
pub type Request = rtnl::Request;
pub type Done = conn::Done<rtnl::Object>;
pub type Client = client::Client<rtnl::Rtnl>;
