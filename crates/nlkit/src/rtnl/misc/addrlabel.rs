//! IPv6 address labels (RTM_*ADDRLABEL, `ip addrlabel`): the RFC 6724 policy table source
//! address selection reads, one label per prefix, optionally per device.

use std::net::Ipv6Addr;

use super::{Record, RecordKind};
use crate::rtnl::settings::Settings;
use crate::wire::{attr_u32, attrs, MsgBuilder, WireError, NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL};

pub const RTM_NEWADDRLABEL: u16 = 72;
pub const RTM_DELADDRLABEL: u16 = 73;
pub const RTM_GETADDRLABEL: u16 = 74;

const IFAL_ADDRESS: u16 = 1;
const IFAL_LABEL: u16 = 2;
/// `struct ifaddrlblmsg`: family, pad, prefixlen, flags, ifindex, seq.
const LEN: usize = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label {
    pub prefix: Ipv6Addr,
    pub prefix_len: u8,
    pub label: u32,
    /// 0: any device.
    pub index: u32,
}

fn header(l: &Label) -> [u8; LEN] {
    let mut h = [0u8; LEN];
    h[0] = libc::AF_INET6 as u8;
    h[2] = l.prefix_len;
    h[4..8].copy_from_slice(&l.index.to_ne_bytes());
    h
}

/// RTM_NEWADDRLABEL (`ip addrlabel add prefix P label N [dev D]`) or RTM_DELADDRLABEL, as
/// iproute2 sends them (label, then address).
pub fn encode(l: &Label, add: bool) -> Vec<u8> {
    let (ty, flags) = if add { (RTM_NEWADDRLABEL, NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE) } else { (RTM_DELADDRLABEL, NLM_F_ACK) };
    let mut b = MsgBuilder::new(ty, flags);
    b.push(&header(l));
    b.attr_u32(IFAL_LABEL, l.label);
    b.attr(IFAL_ADDRESS, &l.prefix.octets());
    b.finish()
}

pub fn dump() -> Vec<u8> {
    let mut b = MsgBuilder::new(RTM_GETADDRLABEL, NLM_F_DUMP);
    b.push(&[libc::AF_INET6 as u8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    b.finish()
}

pub fn decode(payload: &[u8]) -> Result<Record, WireError> {
    if payload.len() < LEN {
        return Err(WireError("short ifaddrlblmsg"));
    }
    let mut f = Settings::new();
    let index = u32::from_ne_bytes([payload[4], payload[5], payload[6], payload[7]]);
    let prefix_len = payload[2];
    for a in attrs(&payload[LEN..]) {
        let (ty, v) = a?;
        match ty {
            IFAL_ADDRESS => {
                if let Ok(o) = <[u8; 16]>::try_from(v) {
                    f.set_str("prefix", format!("{}/{prefix_len}", Ipv6Addr::from(o)));
                }
            }
            IFAL_LABEL => {
                if let Some(x) = attr_u32(v) {
                    f.set_int("label", x);
                }
            }
            _ => {}
        }
    }
    Ok(Record { kind: RecordKind::AddrLabel, index: Some(index).filter(|i| *i != 0), fields: f })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rtnl::settings::Value;
    use crate::wire::NLMSG_HDRLEN;

    /// `ip addrlabel add prefix 2001:db8:1::/48 label 99 dev v0` (iproute2 6.1, v0 = 4).
    #[test]
    fn add_equals_iproute2() {
        let l = Label { prefix: "2001:db8:1::".parse().unwrap(), prefix_len: 48, label: 99, index: 4 };
        let m = encode(&l, true);
        assert_eq!(&m[..8], &[56, 0, 0, 0, 0x48, 0, 0x05, 0x06]);
        let mut want = vec![10, 0, 48, 0, 4, 0, 0, 0, 0, 0, 0, 0, 8, 0, 2, 0, 99, 0, 0, 0, 20, 0, 1, 0];
        want.extend_from_slice(&l.prefix.octets());
        assert_eq!(&m[NLMSG_HDRLEN..], &want[..]);
        let r = decode(&want).unwrap();
        assert_eq!(r.index, Some(4));
        assert_eq!(r.fields.get("prefix"), Some(&Value::Str("2001:db8:1::/48".into())));
        assert_eq!(r.fields.get("label"), Some(&Value::Int(99)));
        assert!(decode(&want[..11]).is_err());
        assert_eq!(u16::from_ne_bytes([encode(&l, false)[4], 0]), 0x49);
    }
}
