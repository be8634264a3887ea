//! nlkit: rtnetlink for programs that configure Linux networking.
//!
//! Layers: [`sys`] (the only `unsafe`), [`wire`] (framing), [`rtnl`] (typed messages),
//! [`conn`] (the engine: one socket, one I/O thread, pipelined requests), [`client`]
//! (a blocking convenience API over the engine for Rust callers), [`linkcache`] (link names
//! kept exact by link notifications), [`monitor`] (multicast
//! subscriptions with overflow signalling).

pub mod client;
pub mod conn;
pub mod error;
pub mod linkcache;
pub mod monitor;
pub mod netns;
pub mod rtnl;
pub mod sys;
pub mod wire;

pub use client::Client;
pub use conn::{Completer, Conn, Done, Mode, Options, Part, Request, Token};
pub use error::{Error, ErrorKind, Result};
