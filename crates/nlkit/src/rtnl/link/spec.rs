//! Link requests that carry settings: what `ip link add` and `ip link set` send (RTM_NEWLINK
//! with the top-level attributes, the kind's IFLA_INFO_DATA or the port's IFLA_INFO_SLAVE_DATA).

use super::*;
use crate::netns::NetnsRef;
use crate::rtnl::settings::Settings;
use crate::wire::{MsgBuilder, NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL};

/// What `ip link add` and `ip link set` take. Fields left `None` are not sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LinkSpec {
    pub name: Option<String>,
    pub kind: Option<String>,
    /// Kind-specific settings (IFLA_INFO_DATA).
    pub info: Settings,
    pub mtu: Option<u32>,
    pub address: Option<Vec<u8>>,
    pub broadcast: Option<Vec<u8>>,
    pub txqlen: Option<u32>,
    /// Master index; `Some(0)` removes the master (`nomaster`).
    pub master: Option<u32>,
    /// Parent link index (`ip link add link eth0 ...`).
    pub link: Option<u32>,
    pub alias: Option<String>,
    pub group: Option<u32>,
    pub up: Option<bool>,
    /// Other IFF_* bits to set or clear (promisc, allmulti, noarp, multicast): `(values, mask)`.
    pub if_flags: (u32, u32),
    /// Move the link into this namespace.
    pub netns: Option<NetnsRef>,
    pub carrier: Option<bool>,
    pub gso_max_size: Option<u32>,
    pub gso_max_segs: Option<u32>,
    pub gro_max_size: Option<u32>,
    pub gso_ipv4_max_size: Option<u32>,
    pub gro_ipv4_max_size: Option<u32>,
    pub proto_down: Option<bool>,
    /// `(mask, value)`: the reason bits in `mask` take their value (mask 0: all of them).
    pub proto_down_reason: Option<(u32, u32)>,
    /// Port settings for the link's master, by the master's kind (`"bridge"`, `"bond"`).
    pub port: Option<(String, Settings)>,
    /// An XDP program to attach, or a detach.
    pub xdp: Option<super::xdp::Attach>,
}

/// An encoded link request with what must stay alive until it is sent.
pub struct Encoded {
    pub bytes: Vec<u8>,
    pub ctx: kinds::EncodeCtx,
}

fn encode_spec(ty: u16, flags: u16, index: i32, spec: &LinkSpec, set_name: bool) -> Result<Encoded, String> {
    let up = crate::rtnl::names::IFF_UP;
    let (mut if_flags, mut change) = match spec.up {
        Some(true) => (up, up),
        Some(false) => (0, up),
        None => (0, 0),
    };
    if_flags |= spec.if_flags.0 & spec.if_flags.1;
    change |= spec.if_flags.1;
    let mut b = MsgBuilder::new(ty, flags);
    let mut ctx = kinds::EncodeCtx::default();
    b.push(&ifinfomsg(0, index, if_flags, change));
    if let (true, Some(n)) = (set_name, &spec.name) {
        b.attr_str(IFLA_IFNAME, n);
    }
    if let Some(v) = spec.mtu {
        b.attr_u32(IFLA_MTU, v);
    }
    if let Some(v) = &spec.address {
        b.attr(IFLA_ADDRESS, v);
    }
    if let Some(v) = &spec.broadcast {
        b.attr(IFLA_BROADCAST, v);
    }
    if let Some(v) = spec.txqlen {
        b.attr_u32(IFLA_TXQLEN, v);
    }
    if let Some(v) = spec.master {
        b.attr_u32(IFLA_MASTER, v);
    }
    if let Some(v) = spec.link {
        b.attr_u32(IFLA_LINK, v);
    }
    if let Some(v) = &spec.alias {
        b.attr_str(IFLA_IFALIAS, v);
    }
    if let Some(v) = spec.group {
        b.attr_u32(IFLA_GROUP, v);
    }
    for (attr, v) in [
        (IFLA_GSO_MAX_SIZE, spec.gso_max_size),
        (IFLA_GSO_MAX_SEGS, spec.gso_max_segs),
        (IFLA_GRO_MAX_SIZE, spec.gro_max_size),
        (IFLA_GSO_IPV4_MAX_SIZE, spec.gso_ipv4_max_size),
        (IFLA_GRO_IPV4_MAX_SIZE, spec.gro_ipv4_max_size),
    ] {
        if let Some(v) = v {
            b.attr_u32(attr, v);
        }
    }
    if let Some(v) = spec.carrier {
        b.attr(IFLA_CARRIER, &[v as u8]);
    }
    if let Some(v) = spec.proto_down {
        b.attr(IFLA_PROTO_DOWN, &[v as u8]);
    }
    if let Some((mask, value)) = spec.proto_down_reason {
        let n = b.nest_start(IFLA_PROTO_DOWN_REASON);
        if mask != 0 {
            b.attr_u32(IFLA_PROTO_DOWN_REASON_MASK, mask);
        }
        b.attr_u32(IFLA_PROTO_DOWN_REASON_VALUE, value);
        b.nest_end(n);
    }
    if let Some(x) = &spec.xdp {
        super::xdp::encode(x, &mut b, &mut ctx)?;
    }
    if let Some(ns) = &spec.netns {
        match ns {
            NetnsRef::Pid(pid) => {
                b.attr_u32(IFLA_NET_NS_PID, *pid);
            }
            other => {
                let fd = ctx.netns_fd(other)?;
                b.attr_u32(IFLA_NET_NS_FD, fd as u32);
            }
        }
    }
    if let Some(kind) = &spec.kind {
        let info = b.nest_start(IFLA_LINKINFO);
        b.attr_str(IFLA_INFO_KIND, kind);
        let data = b.nest_start(IFLA_INFO_DATA);
        kinds::encode(kind, &spec.info, &mut b, &mut ctx)?;
        b.nest_end_or_drop(data);
        b.nest_end(info);
    } else if !spec.info.is_empty() {
        return Err("kind settings given without a kind".into());
    } else if let Some((master, s)) = &spec.port {
        ports::encode(master, s, &mut b)?;
    }
    Ok(Encoded { bytes: b.finish(), ctx })
}

/// RTM_NEWLINK creating a link (`ip link add`).
pub fn add(spec: &LinkSpec) -> Result<Encoded, String> {
    if spec.name.is_none() || spec.kind.is_none() {
        return Err("a new link needs a name and a kind".into());
    }
    encode_spec(RTM_NEWLINK, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, 0, spec, true)
}

/// RTM_NEWLINK changing link `index` (`ip link set`); `spec.name` renames it.
pub fn set(index: i32, spec: &LinkSpec) -> Result<Encoded, String> {
    encode_spec(RTM_NEWLINK, NLM_F_ACK, index, spec, true)
}

/// RTM_NEWLINK creating a veth pair `name` <-> `peer`.
pub fn add_veth(name: &str, peer: &str) -> Vec<u8> {
    let mut p = Settings::new();
    p.set_str("name", peer);
    let mut info = Settings::new();
    info.set("peer", crate::rtnl::settings::Value::Map(p));
    let spec = LinkSpec { name: Some(name.into()), kind: Some("veth".into()), info, ..Default::default() };
    add(&spec).map(|e| e.bytes).unwrap_or_default()
}
