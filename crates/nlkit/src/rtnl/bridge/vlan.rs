//! Bridge VLAN entries (`bridge vlan add|del|show`): RTM_SETLINK / RTM_DELLINK of family
//! AF_BRIDGE carrying IFLA_AF_SPEC { IFLA_BRIDGE_FLAGS, IFLA_BRIDGE_VLAN_INFO... }, listed by an
//! AF_BRIDGE link dump asking for RTEXT_FILTER_BRVLAN. This kernel has no VLAN filtering
//! (CONFIG_BRIDGE_VLAN_FILTERING off): it refuses the changes and lists no entries, so
//! encoding is tested against iproute2's bytes and decoding on constructed replies.

use crate::rtnl::link::{ifinfomsg, RTM_DELLINK, RTM_GETLINK, RTM_SETLINK};
use crate::wire::{attrs, MsgBuilder, NLM_F_ACK, NLM_F_DUMP};

const AF_BRIDGE: u8 = 7;
const IFLA_EXT_MASK: u16 = 29;
const IFLA_AF_SPEC: u16 = 26;
const RTEXT_FILTER_BRVLAN: u32 = 2;
const IFLA_BRIDGE_FLAGS: u16 = 0;
const IFLA_BRIDGE_VLAN_INFO: u16 = 2;
const BRIDGE_FLAGS_MASTER: u16 = 1;
const BRIDGE_FLAGS_SELF: u16 = 2;
const VLAN_INFO_PVID: u16 = 2;
const VLAN_INFO_UNTAGGED: u16 = 4;
const VLAN_INFO_RANGE_BEGIN: u16 = 8;
const VLAN_INFO_RANGE_END: u16 = 16;

/// One VLAN (or a range `vid..=end`) on a port or the bridge itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vlan {
    pub vid: u16,
    /// Last id of a range (`vid 20-30`); `None` for one VLAN.
    pub end: Option<u16>,
    pub pvid: bool,
    pub untagged: bool,
}

/// Where the change applies: the bridge's port entry (`master`, the default) or the device
/// itself (`self`: the bridge's own entry, or a driver's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Target {
    pub master: bool,
    pub self_: bool,
}

/// `bridge vlan add|del dev D vid N[-M] [pvid] [untagged] [self] [master]`.
pub fn encode(index: u32, v: &Vlan, t: Target, del: bool) -> Vec<u8> {
    let ty = if del { RTM_DELLINK } else { RTM_SETLINK };
    let mut b = MsgBuilder::new(ty, NLM_F_ACK);
    b.push(&ifinfomsg(AF_BRIDGE, index as i32, 0, 0));
    let n = b.nest_start_plain(IFLA_AF_SPEC);
    let flags = if t.master { BRIDGE_FLAGS_MASTER } else { 0 } | if t.self_ { BRIDGE_FLAGS_SELF } else { 0 };
    if flags != 0 {
        b.attr(IFLA_BRIDGE_FLAGS, &flags.to_ne_bytes());
    }
    let mut base = 0;
    if v.pvid && !del {
        base |= VLAN_INFO_PVID;
    }
    if v.untagged && !del {
        base |= VLAN_INFO_UNTAGGED;
    }
    let info = |b: &mut MsgBuilder, flags: u16, vid: u16| {
        let mut x = flags.to_ne_bytes().to_vec();
        x.extend_from_slice(&vid.to_ne_bytes());
        b.attr(IFLA_BRIDGE_VLAN_INFO, &x);
    };
    match v.end {
        Some(end) if end != v.vid => {
            info(&mut b, base | VLAN_INFO_RANGE_BEGIN, v.vid);
            info(&mut b, base | VLAN_INFO_RANGE_END, end);
        }
        _ => info(&mut b, base, v.vid),
    }
    b.nest_end(n);
    b.finish()
}

/// Every bridge port's VLANs (`bridge vlan show`).
pub fn dump() -> Vec<u8> {
    let mut b = MsgBuilder::new(RTM_GETLINK, NLM_F_DUMP);
    b.push(&ifinfomsg(AF_BRIDGE, 0, 0, 0));
    b.attr_u32(IFLA_EXT_MASK, RTEXT_FILTER_BRVLAN);
    b.finish()
}

/// The VLAN entries of an AF_BRIDGE link message's IFLA_AF_SPEC (ranges kept as ranges).
pub fn decode_af_spec(v: &[u8]) -> Vec<Vlan> {
    let mut out = Vec::new();
    let mut begin: Option<u16> = None;
    for (ty, a) in attrs(v).map_while(Result::ok) {
        if ty != IFLA_BRIDGE_VLAN_INFO || a.len() < 4 {
            continue;
        }
        let flags = u16::from_ne_bytes([a[0], a[1]]);
        let vid = u16::from_ne_bytes([a[2], a[3]]);
        let (pvid, untagged) = (flags & VLAN_INFO_PVID != 0, flags & VLAN_INFO_UNTAGGED != 0);
        if flags & VLAN_INFO_RANGE_BEGIN != 0 {
            begin = Some(vid);
        } else if flags & VLAN_INFO_RANGE_END != 0 {
            if let Some(start) = begin.take() {
                out.push(Vlan { vid: start, end: Some(vid), pvid, untagged });
            }
        } else {
            out.push(Vlan { vid, end: None, pvid, untagged });
        }
    }
    out
}

/// IFLA_AF_SPEC, for the link decoder.
pub const AF_SPEC: u16 = IFLA_AF_SPEC;
pub const FAMILY: u8 = AF_BRIDGE;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::NLMSG_HDRLEN;

    /// `bridge vlan add dev v0 vid 10 pvid untagged self` and `bridge vlan add dev v0 vid
    /// 20-30` (iproute2 6.1, v0 = 4).
    #[test]
    fn equals_iproute2() {
        let one = Vlan { vid: 10, end: None, pvid: true, untagged: true };
        let m = encode(4, &one, Target { master: false, self_: true }, false);
        assert_eq!(&m[..8], &[52, 0, 0, 0, 0x13, 0, 5, 0]);
        let body = &m[NLMSG_HDRLEN..];
        assert_eq!(&body[..16], &[7, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(&body[16..], &[20, 0, 0x1a, 0, 6, 0, 0, 0, 2, 0, 0, 0, 8, 0, 2, 0, 6, 0, 10, 0]);
        let range = encode(4, &Vlan { vid: 20, end: Some(30), pvid: false, untagged: false }, Target::default(), false);
        assert_eq!(&range[..8], &[52, 0, 0, 0, 0x13, 0, 5, 0]);
        assert_eq!(&range[NLMSG_HDRLEN + 16..], &[20, 0, 0x1a, 0, 8, 0, 2, 0, 8, 0, 20, 0, 8, 0, 2, 0, 16, 0, 30, 0]);
        // `bridge vlan del dev v0 vid 10`: RTM_DELLINK, flags 0.
        let del = encode(4, &one, Target::default(), true);
        assert_eq!(&del[4..6], &[0x11, 0]);
        assert_eq!(&del[NLMSG_HDRLEN + 16..], &[12, 0, 0x1a, 0, 8, 0, 2, 0, 0, 0, 10, 0]);
        // `bridge vlan show`: an AF_BRIDGE dump with IFLA_EXT_MASK 2.
        let d = dump();
        assert_eq!(&d[4..8], &[0x12, 0, 0x01, 0x03]);
        assert_eq!(&d[NLMSG_HDRLEN + 16..], &[8, 0, 0x1d, 0, 2, 0, 0, 0]);
        // Decoded back: the entries as given.
        assert_eq!(decode_af_spec(&body[20..]), vec![one]);
        assert_eq!(decode_af_spec(&range[NLMSG_HDRLEN + 20..]), vec![Vlan { vid: 20, end: Some(30), pvid: false, untagged: false }]);
        // An end without a beginning, and short infos, are skipped.
        assert_eq!(decode_af_spec(&[8, 0, 2, 0, 16, 0, 30, 0, 6, 0, 2, 0, 1, 0]), vec![]);
    }
}
