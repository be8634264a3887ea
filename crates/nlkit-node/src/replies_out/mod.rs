//! Replies and events out to JavaScript: JSON text for rtnetlink (one text per batch, parsed
//! once), bytes for the raw layer.

pub mod bridge;
pub mod genl;
pub mod json;
pub mod nexthop;
pub mod raw;
pub mod route;
pub mod route_batch;
pub mod tc;
pub mod typed;
