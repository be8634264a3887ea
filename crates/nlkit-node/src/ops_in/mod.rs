//! Operations in: the batch of operations src/engine.ts sends as one JSON text (parsed by
//! `json`), each operation's fields checked against `fields`, then turned into core requests
//! (`route` for rtnetlink, `raw` for the raw layer). The parser and the field check use nothing
//! of napi, so the fuzz targets build them on their own.

mod bridge;
pub mod conntrack;
pub mod diag;
mod ethtool_sets;
pub mod fields;
pub mod genl;
mod genl_families;
mod json;
mod link;
mod misc;
mod nexthop;
pub mod raw;
pub mod route;
mod tc;
mod tc_dev;
pub mod wireguard;
pub mod xfrm;

pub use json::parse;
