//! veth: a pair. Only the peer is configured at creation (its name, namespace, address, mtu);
//! the kernel reports nothing in IFLA_INFO_DATA afterwards (the peer shows as IFLA_LINK).

use super::{EncodeCtx, LinkKind};
use crate::rtnl::link::{ifinfomsg, parse_mac, IFLA_ADDRESS, IFLA_IFNAME, IFLA_MTU};
use crate::rtnl::settings::Settings;
use crate::wire::MsgBuilder;

const VETH_INFO_PEER: u16 = 1;

pub struct Veth;

impl LinkKind for Veth {
    fn kind(&self) -> &'static str {
        "veth"
    }

    fn keys(&self) -> &'static [&'static str] {
        &["peer"]
    }

    fn encode(&self, s: &Settings, b: &mut MsgBuilder, ctx: &mut EncodeCtx) -> Result<(), String> {
        let Some(peer) = s.map("peer")? else { return Ok(()) };
        peer.check_known(&["name", "netns", "address", "mtu"])?;
        let at = b.nest_start(VETH_INFO_PEER);
        b.push(&ifinfomsg(0, 0, 0, 0));
        if let Some(name) = peer.str("name")? {
            b.attr_str(IFLA_IFNAME, name);
        }
        if let Some(mtu) = peer.u32("mtu")? {
            b.attr_u32(IFLA_MTU, mtu);
        }
        if let Some(a) = peer.str("address")? {
            b.attr(IFLA_ADDRESS, &parse_mac(a).ok_or("peer.address must be a MAC address")?);
        }
        ctx.peer_netns(peer, b)?;
        b.nest_end(at);
        Ok(())
    }

    fn decode(&self, _data: &[u8]) -> Settings {
        Settings::new()
    }
}
