//! Links (RTM_*LINK): the ifinfomsg header, decoding into [`Link`], and the requests on links.
//! Kind-specific data (IFLA_INFO_DATA) is handled by the modules in [`kinds`].

pub mod kinds;
pub mod ports;
mod spec;
pub mod stats;
pub mod tun;
pub mod xdp;
mod xstats;

pub use spec::{add, add_veth, set, Encoded, LinkSpec};

use crate::rtnl::bridge::vlan;
use crate::rtnl::settings::Settings;
use crate::wire::{self, attr_str, attr_u32, attr_u8, attrs, fixed, MsgBuilder, WireError};
use crate::wire::{NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL};

pub const RTM_NEWLINK: u16 = 16;
pub const RTM_DELLINK: u16 = 17;
pub const RTM_GETLINK: u16 = 18;
pub const RTM_SETLINK: u16 = 19;
pub const RTM_NEWLINKPROP: u16 = 108;
pub const RTM_DELLINKPROP: u16 = 109;

pub(crate) const IFLA_ADDRESS: u16 = 1;
pub(crate) const IFLA_BROADCAST: u16 = 2;
pub(crate) const IFLA_IFNAME: u16 = 3;
pub(crate) const IFLA_MTU: u16 = 4;
pub(crate) const IFLA_LINK: u16 = 5;
const IFLA_QDISC: u16 = 6;
pub(crate) const IFLA_MASTER: u16 = 10;
pub(crate) const IFLA_TXQLEN: u16 = 13;
const IFLA_OPERSTATE: u16 = 16;
const IFLA_LINKINFO: u16 = 18;
pub(crate) const IFLA_IFALIAS: u16 = 20;
const IFLA_STATS64: u16 = 23;
pub(crate) const IFLA_GROUP: u16 = 27;
const IFLA_CARRIER: u16 = 33;
pub(crate) const IFLA_NET_NS_PID: u16 = 19;
pub(crate) const IFLA_NET_NS_FD: u16 = 28;
const IFLA_LINK_NETNSID: u16 = 37;
const IFLA_MIN_MTU: u16 = 50;
const IFLA_MAX_MTU: u16 = 51;
const IFLA_PROP_LIST: u16 = 52;
const IFLA_ALT_IFNAME: u16 = 53;
const IFLA_PERM_ADDRESS: u16 = 54;
const IFLA_PROTO_DOWN: u16 = 39;
const IFLA_PROTO_DOWN_REASON: u16 = 55;
const IFLA_PROTO_DOWN_REASON_MASK: u16 = 1;
const IFLA_PROTO_DOWN_REASON_VALUE: u16 = 2;
const IFLA_GSO_MAX_SEGS: u16 = 40;
const IFLA_GSO_MAX_SIZE: u16 = 41;
const IFLA_GRO_MAX_SIZE: u16 = 58;
const IFLA_GSO_IPV4_MAX_SIZE: u16 = 63;
const IFLA_GRO_IPV4_MAX_SIZE: u16 = 64;

/// u32 attributes reported as they are, with `ip -d -j`'s names in camelCase (counts, queue
/// numbers and the segmentation limits).
const U32_ATTRS: &[(u16, &str)] = &[
    (30, "promiscuity"),
    (61, "allmulti"),
    (31, "numTxQueues"),
    (32, "numRxQueues"),
    (IFLA_GSO_MAX_SIZE, "gsoMaxSize"),
    (IFLA_GSO_MAX_SEGS, "gsoMaxSegs"),
    (59, "tsoMaxSize"),
    (60, "tsoMaxSegs"),
    (IFLA_GRO_MAX_SIZE, "groMaxSize"),
    (IFLA_GSO_IPV4_MAX_SIZE, "gsoIpv4MaxSize"),
    (IFLA_GRO_IPV4_MAX_SIZE, "groIpv4MaxSize"),
    (35, "carrierChanges"),
    (47, "carrierUpCount"),
    (48, "carrierDownCount"),
];

const IFLA_INFO_KIND: u16 = 1;
const IFLA_INFO_DATA: u16 = 2;
const IFLA_INFO_SLAVE_KIND: u16 = 4;
const IFLA_INFO_SLAVE_DATA: u16 = 5;

/// Size of `struct ifinfomsg`.
const IFINFOMSG_LEN: usize = 16;

/// 64-bit interface counters: `struct rtnl_link_stats64` whole, in its order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkStats {
    pub rx_packets: u64,
    pub tx_packets: u64,
    pub rx_bytes: u64,
    pub tx_bytes: u64,
    pub rx_errors: u64,
    pub tx_errors: u64,
    pub rx_dropped: u64,
    pub tx_dropped: u64,
    /// The detailed counters after the first eight, in struct order (see [`STATS64_DETAIL`]);
    /// those an older kernel does not send read as 0.
    pub detail: [u64; 17],
}

/// Names of `rtnl_link_stats64`'s fields after `tx_dropped`, camelCase.
pub const STATS64_DETAIL: [&str; 17] = [
    "multicast",
    "collisions",
    "rxLengthErrors",
    "rxOverErrors",
    "rxCrcErrors",
    "rxFrameErrors",
    "rxFifoErrors",
    "rxMissedErrors",
    "txAbortedErrors",
    "txCarrierErrors",
    "txFifoErrors",
    "txHeartbeatErrors",
    "txWindowErrors",
    "rxCompressed",
    "txCompressed",
    "rxNohandler",
    "rxOtherhostDropped",
];

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Link {
    pub index: i32,
    pub name: String,
    /// ARPHRD_* type.
    pub link_type: u16,
    /// IFF_* flags.
    pub flags: u32,
    pub kind: Option<String>,
    /// Decoded IFLA_INFO_DATA of the kind (see [`kinds`]).
    pub info: Option<Settings>,
    /// The kind of the master this link is enslaved to ("bridge", "bond").
    pub slave_kind: Option<String>,
    pub mtu: Option<u32>,
    pub min_mtu: Option<u32>,
    pub max_mtu: Option<u32>,
    pub operstate: u8,
    pub address: Option<Vec<u8>>,
    pub broadcast: Option<Vec<u8>>,
    pub perm_address: Option<Vec<u8>>,
    pub master: Option<u32>,
    /// IFLA_LINK: the parent or peer index (veth peer, macvlan parent).
    pub link: Option<u32>,
    pub link_netnsid: Option<i32>,
    pub txqlen: Option<u32>,
    pub group: Option<u32>,
    pub qdisc: Option<String>,
    pub alias: Option<String>,
    pub carrier: Option<u8>,
    pub alt_names: Vec<String>,
    pub stats: Option<LinkStats>,
    /// The [`U32_ATTRS`] the kernel sent, by name.
    pub counts: Vec<(&'static str, u32)>,
    pub proto_down: Option<bool>,
    /// IFLA_PROTO_DOWN_REASON's value: one bit per reason.
    pub proto_down_reason: Option<u32>,
    /// Port settings (IFLA_INFO_SLAVE_DATA) decoded by the master's kind ([`ports`]).
    pub port: Option<Settings>,
    /// The bridge VLANs of an AF_BRIDGE link message (`bridge vlan show`).
    pub vlans: Vec<crate::rtnl::bridge::vlan::Vlan>,
    /// The XDP programs attached (IFLA_XDP), when the kernel reports the attribute.
    pub xdp: Option<xdp::Attached>,
}

impl Link {
    /// One of the [`U32_ATTRS`] by its name (`"gsoMaxSize"`).
    pub fn count(&self, name: &str) -> Option<u32> {
        self.counts.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
    }
}

/// How a request names its link: the kernel accepts either an index or IFLA_IFNAME.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkRef {
    Index(i32),
    Name(String),
}

pub(crate) fn ifinfomsg(family: u8, index: i32, flags: u32, change: u32) -> [u8; IFINFOMSG_LEN] {
    let mut h = [0u8; IFINFOMSG_LEN];
    h[0] = family;
    h[4..8].copy_from_slice(&index.to_ne_bytes());
    h[8..12].copy_from_slice(&flags.to_ne_bytes());
    h[12..16].copy_from_slice(&change.to_ne_bytes());
    h
}

fn with_ref(ty: u16, flags: u16, r: &LinkRef, if_flags: u32, change: u32) -> MsgBuilder {
    let mut b = MsgBuilder::new(ty, flags);
    match r {
        LinkRef::Index(i) => {
            b.push(&ifinfomsg(0, *i, if_flags, change));
        }
        LinkRef::Name(n) => {
            b.push(&ifinfomsg(0, 0, if_flags, change));
            b.attr_str(IFLA_IFNAME, n);
        }
    }
    b
}

/// RTM_GETLINK for one link (answered by one RTM_NEWLINK, or ENODEV).
pub fn get(r: &LinkRef) -> Vec<u8> {
    with_ref(RTM_GETLINK, 0, r, 0, 0).finish()
}

/// RTM_GETLINK dump of every link.
pub fn dump() -> Vec<u8> {
    let mut b = MsgBuilder::new(RTM_GETLINK, NLM_F_DUMP);
    b.push(&ifinfomsg(0, 0, 0, 0));
    b.finish()
}

/// RTM_SETLINK changing only IFF_UP.
pub fn set_up(r: &LinkRef, up: bool) -> Vec<u8> {
    with_ref(RTM_SETLINK, NLM_F_ACK, r, if up { super::names::IFF_UP } else { 0 }, super::names::IFF_UP).finish()
}

/// RTM_NEWLINKPROP / RTM_DELLINKPROP adding or removing alternative names, as `ip link
/// property add|del dev DEV altname NAME...` sends them (iproute2 asks for EXCL|CREATE|APPEND).
pub fn altnames(r: &LinkRef, names: &[String], add: bool) -> Vec<u8> {
    let (ty, flags) =
        if add { (RTM_NEWLINKPROP, NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE | wire::NLM_F_APPEND) } else { (RTM_DELLINKPROP, NLM_F_ACK) };
    let mut b = with_ref(ty, flags, r, 0, 0);
    let n = b.nest_start(IFLA_PROP_LIST);
    for name in names {
        b.attr_str(IFLA_ALT_IFNAME, name);
    }
    b.nest_end(n);
    b.finish()
}

/// RTM_DELLINK.
pub fn del(r: &LinkRef) -> Vec<u8> {
    with_ref(RTM_DELLINK, NLM_F_ACK, r, 0, 0).finish()
}

/// `aa:bb:cc:dd:ee:ff` (any number of hex bytes) to bytes.
pub fn parse_mac(s: &str) -> Option<Vec<u8>> {
    let out: Option<Vec<u8>> = s.split(':').map(|p| if p.len() == 2 { u8::from_str_radix(p, 16).ok() } else { None }).collect();
    out.filter(|v| !v.is_empty() && v.len() <= 32)
}

/// Decodes an RTM_NEWLINK/RTM_DELLINK payload.
pub fn decode(payload: &[u8]) -> Result<Link, WireError> {
    if payload.len() < IFINFOMSG_LEN {
        return Err(WireError("short ifinfomsg"));
    }
    let h: [u8; IFINFOMSG_LEN] = fixed(payload);
    let mut l =
        Link { link_type: wire::u16_at(&h, 2), index: wire::u32_at(&h, 4) as i32, flags: wire::u32_at(&h, 8), ..Default::default() };
    for a in attrs(&payload[IFINFOMSG_LEN..]) {
        let (ty, v) = a?;
        match ty {
            IFLA_IFNAME => l.name = attr_str(v),
            IFLA_ADDRESS => l.address = Some(v.to_vec()),
            IFLA_BROADCAST => l.broadcast = Some(v.to_vec()),
            IFLA_PERM_ADDRESS => l.perm_address = Some(v.to_vec()),
            IFLA_MTU => l.mtu = attr_u32(v),
            IFLA_MIN_MTU => l.min_mtu = attr_u32(v),
            IFLA_MAX_MTU => l.max_mtu = attr_u32(v),
            IFLA_LINK => l.link = attr_u32(v),
            IFLA_LINK_NETNSID => l.link_netnsid = attr_u32(v).map(|x| x as i32),
            IFLA_MASTER => l.master = attr_u32(v),
            IFLA_TXQLEN => l.txqlen = attr_u32(v),
            IFLA_GROUP => l.group = attr_u32(v),
            IFLA_OPERSTATE => l.operstate = attr_u8(v).unwrap_or(0),
            IFLA_CARRIER => l.carrier = attr_u8(v),
            IFLA_QDISC => l.qdisc = Some(attr_str(v)),
            IFLA_IFALIAS => l.alias = Some(attr_str(v)).filter(|s| !s.is_empty()),
            IFLA_STATS64 => l.stats = Some(decode_stats64(v)),
            vlan::AF_SPEC if h[0] == vlan::FAMILY => l.vlans = vlan::decode_af_spec(v),
            xdp::ATTR => l.xdp = Some(xdp::decode(v)),
            IFLA_PROTO_DOWN => l.proto_down = attr_u8(v).map(|x| x != 0),
            IFLA_PROTO_DOWN_REASON => {
                for (rty, rv) in attrs(v).map_while(Result::ok) {
                    if rty == IFLA_PROTO_DOWN_REASON_VALUE {
                        l.proto_down_reason = attr_u32(rv);
                    }
                }
            }
            IFLA_LINKINFO => {
                let (mut data, mut slave) = (None, None);
                for a in attrs(v) {
                    let (ity, iv) = a?;
                    match ity {
                        IFLA_INFO_KIND => l.kind = Some(attr_str(iv)),
                        IFLA_INFO_DATA => data = Some(iv),
                        IFLA_INFO_SLAVE_KIND => l.slave_kind = Some(attr_str(iv)),
                        IFLA_INFO_SLAVE_DATA => slave = Some(iv),
                        _ => {}
                    }
                }
                if let (Some(kind), Some(data)) = (&l.kind, data) {
                    l.info = Some(kinds::decode(kind, data)).filter(|s| !s.is_empty());
                }
                if let (Some(master), Some(data)) = (&l.slave_kind, slave) {
                    l.port = ports::decode(master, data);
                }
            }
            IFLA_PROP_LIST => {
                for a in attrs(v) {
                    let (pty, pv) = a?;
                    if pty == IFLA_ALT_IFNAME {
                        l.alt_names.push(attr_str(pv));
                    }
                }
            }
            _ => {
                if let Some((_, name)) = U32_ATTRS.iter().find(|(a, _)| *a == ty) {
                    if let Some(x) = attr_u32(v) {
                        l.counts.push((name, x));
                    }
                }
            }
        }
    }
    Ok(l)
}

pub(crate) fn decode_stats64(v: &[u8]) -> LinkStats {
    let s: [u8; 25 * 8] = fixed(v);
    let f = |i: usize| wire::attr_u64(&s[i * 8..]).unwrap_or(0);
    LinkStats {
        rx_packets: f(0),
        tx_packets: f(1),
        rx_bytes: f(2),
        tx_bytes: f(3),
        rx_errors: f(4),
        tx_errors: f(5),
        rx_dropped: f(6),
        tx_dropped: f(7),
        detail: std::array::from_fn(|i| f(8 + i)),
    }
}
