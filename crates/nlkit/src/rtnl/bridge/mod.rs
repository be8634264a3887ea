//! The bridge's own tables (`bridge mdb`, `bridge vlan`), as opposed to bridge links
//! (link/kinds/bridge.rs) and port settings (link/ports/bridge.rs).

pub mod mdb;
pub mod vlan;
