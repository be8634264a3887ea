//! The objects JavaScript holds: connections, subscriptions, namespace calls.

pub mod conn;
pub mod conntrack;
pub mod diag;
pub mod genl;
pub mod layouts;
pub mod link_maddr;
pub mod monitor;
pub mod netns;
pub mod raw;
pub mod trace;
pub mod typed;
pub mod xfrm;
