//! Port settings: what a link has as the port of a master (IFLA_INFO_SLAVE_DATA), read from
//! the master's kind (`bridge`, `bond`) and written as `ip link set DEV type bridge_slave ...`
//! writes them. One module per master kind, each a [`Field`](super::kinds::common) table.

mod bond;
mod bridge;

use crate::rtnl::settings::Settings;
use crate::wire::MsgBuilder;

const IFLA_LINKINFO: u16 = 18;
const IFLA_INFO_KIND: u16 = 1;
const IFLA_INFO_SLAVE_DATA: u16 = 5;

pub trait PortKind: Sync {
    /// The master's IFLA_INFO_KIND (what a port reports as IFLA_INFO_SLAVE_KIND).
    fn master(&self) -> &'static str;
    /// The settings this port kind accepts; decode produces a subset of them.
    fn keys(&self) -> &'static [&'static str];
    fn encode(&self, s: &Settings, b: &mut MsgBuilder) -> Result<(), String>;
    fn decode(&self, data: &[u8]) -> Settings;
}

static PORTS: &[&dyn PortKind] = &[&bridge::BridgePort, &bond::BondPort];

pub fn lookup(master: &str) -> Option<&'static dyn PortKind> {
    PORTS.iter().copied().find(|k| k.master() == master)
}

/// Writes IFLA_LINKINFO with the port settings of a link enslaved to a `master`-kind device.
/// The kind is sent as iproute2 sends it (`bridge_slave`, without a NUL); the kernel itself only
/// reads the data, with the master's ops.
pub fn encode(master: &str, s: &Settings, b: &mut MsgBuilder) -> Result<(), String> {
    let k = lookup(master).ok_or_else(|| format!("port settings for a {master:?} master are not supported"))?;
    s.check_known(k.keys())?;
    let info = b.nest_start_plain(IFLA_LINKINFO);
    b.attr(IFLA_INFO_KIND, format!("{master}_slave").as_bytes());
    let data = b.nest_start_plain(IFLA_INFO_SLAVE_DATA);
    k.encode(s, b)?;
    b.nest_end(data);
    b.nest_end(info);
    Ok(())
}

pub fn decode(master: &str, data: &[u8]) -> Option<Settings> {
    lookup(master).map(|k| k.decode(data)).filter(|s| !s.is_empty())
}
