//! The netdev family (`netdev`, Documentation/netlink/specs/netdev.yaml): a device's XDP and
//! AF_XDP features, its queues and its NAPI instances, by the spec's names (camelCase).

use super::table::{self, Names, Table, W};
use super::{Call, Decode};
use crate::conn::Mode;
use crate::rtnl::settings::Settings;
use crate::wire;

pub const FAMILY: &str = "netdev";
const VERSION: u8 = 1;
const CMD_DEV_GET: u8 = 1;
const CMD_QUEUE_GET: u8 = 10;
const CMD_NAPI_GET: u8 = 11;

/// What a request asks for (and its reply holds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Dev,
    Queue,
    Napi,
}

/// The spec's xdp-act, xdp-rx-metadata and xsk-flags names.
const XDP_ACT: Names =
    &[(1, "basic"), (2, "redirect"), (4, "ndo-xmit"), (8, "xsk-zerocopy"), (16, "hw-offload"), (32, "rx-sg"), (64, "ndo-xmit-sg")];
const XDP_RX_METADATA: Names = &[(1, "timestamp"), (2, "hash"), (4, "vlan-tag")];
const XSK_FLAGS: Names = &[(1, "tx-timestamp"), (2, "tx-checksum"), (4, "tx-launch-time-fifo")];

const DEV: Table = &[
    (1, "ifindex", W::U32),
    (3, "xdpFeatures", W::Bits(XDP_ACT)),
    (4, "xdpZcMaxSegs", W::U32),
    (5, "xdpRxMetadataFeatures", W::Bits(XDP_RX_METADATA)),
    (6, "xskFeatures", W::Bits(XSK_FLAGS)),
];
const QUEUE: Table = &[
    (1, "id", W::U32),
    (2, "ifindex", W::U32),
    (3, "type", W::Enum(&[(0, "rx"), (1, "tx")])),
    (4, "napiId", W::U32),
    (5, "dmabuf", W::U32),
];
const NAPI: Table = &[
    (1, "ifindex", W::U32),
    (2, "id", W::U32),
    (3, "irq", W::U32),
    (4, "pid", W::U32),
    (5, "deferHardIrqs", W::U32),
    (6, "groFlushTimeout", W::U64),
    (7, "irqSuspendTimeout", W::U64),
    (8, "threaded", W::Enum(&[(0, "disabled"), (1, "enabled"), (2, "busy-poll")])),
];

/// A get of one device (`ifindex`), or a dump: of every device, or of the queues / NAPI
/// instances of `ifindex` (of every device without one).
pub fn get(kind: Kind, ifindex: Option<u32>) -> Call {
    let mut b = wire::MsgBuilder::new(0, 0);
    if let Some(i) = ifindex {
        // dev-get, queue-get and napi-get (dump) all take the device as attribute 1 or 2.
        b.attr_u32(if kind == Kind::Queue { 2 } else { 1 }, i);
    }
    let (cmd, mode) = match kind {
        Kind::Dev if ifindex.is_some() => (CMD_DEV_GET, Mode::Get),
        Kind::Dev => (CMD_DEV_GET, Mode::Dump),
        Kind::Queue => (CMD_QUEUE_GET, Mode::Dump),
        Kind::Napi => (CMD_NAPI_GET, Mode::Dump),
    };
    Call { cmd, version: VERSION, flags: 0, body: b.finish().split_off(wire::NLMSG_HDRLEN), mode, decode: Decode::Netdev(kind) }
}

pub fn decode(kind: Kind, attrs: &[u8]) -> Settings {
    table::decode(
        match kind {
            Kind::Dev => DEV,
            Kind::Queue => QUEUE,
            Kind::Napi => NAPI,
        },
        attrs,
    )
}

/// A netdev notification (the "mgmt" group: dev-add/del/change-ntf) as its kind and device.
pub fn notification(cmd: u8, attrs: &[u8]) -> Option<(&'static str, Settings)> {
    let kind = match cmd {
        2 => "devAdd",
        3 => "devDel",
        4 => "devChange",
        _ => return None,
    };
    Some((kind, decode(Kind::Dev, attrs)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rtnl::settings::Value;

    #[test]
    fn decodes_what_this_kernel_sent() {
        // A veth's dev-get and a NAPI instance of it (6.18, with GRO on).
        let dev = hex("08000100020000000c00030067000000000000000c00050007000000000000000c0006000000000000000000");
        let s = decode(Kind::Dev, &dev);
        assert_eq!(s.get("ifindex"), Some(&Value::Int(2)));
        let feats = ["basic", "redirect", "ndo-xmit", "rx-sg", "ndo-xmit-sg"].map(|n| Value::Str(n.into())).to_vec();
        assert_eq!(s.get("xdpFeatures"), Some(&Value::List(feats)));
        let meta = ["timestamp", "hash", "vlan-tag"].map(|n| Value::Str(n.into())).to_vec();
        assert_eq!(s.get("xdpRxMetadataFeatures"), Some(&Value::List(meta)));
        assert_eq!(s.get("xskFeatures"), Some(&Value::List(vec![])));
        let napi = hex("080002004801000008000100020000000800080000000000080005000000000008000700000000000800060000000000");
        let s = decode(Kind::Napi, &napi);
        assert_eq!(s.get("id"), Some(&Value::Int(0x148)));
        assert_eq!(s.get("threaded"), Some(&Value::Str("disabled".into())));
        assert_eq!(s.get("groFlushTimeout"), Some(&Value::Int(0)));
        for n in 0..napi.len() {
            decode(Kind::Napi, &napi[..n]);
        }
        assert_eq!(get(Kind::Queue, Some(3)).body, [8, 0, 2, 0, 3, 0, 0, 0]);
        assert_eq!(get(Kind::Dev, Some(3)).mode, Mode::Get);
    }

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }
}
