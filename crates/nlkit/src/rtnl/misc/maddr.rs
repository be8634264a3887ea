//! IP multicast memberships of links (RTM_GETMULTICAST, what `ip maddr show` reads from
//! /proc/net/igmp and igmp6): the groups each device has joined, per family. Joining is done by
//! sockets (IP_ADD_MEMBERSHIP), not over netlink; link-layer groups (`ip maddr add MAC`) use an
//! ioctl and /proc/net/dev_mcast, also not netlink.

use super::{Record, RecordKind};
use crate::rtnl::settings::Settings;
use crate::rtnl::{ip_from, AF_INET, AF_INET6};
use crate::wire::{attrs, MsgBuilder, WireError, NLM_F_DUMP};

pub const RTM_NEWMULTICAST: u16 = 56;
pub const RTM_DELMULTICAST: u16 = 57;
/// The kernel answers the dump with messages of this same type.
pub const RTM_GETMULTICAST: u16 = 58;

const IFA_MULTICAST: u16 = 7;

/// Every membership of `family` (AF_INET or AF_INET6: the kernel has no all-family dump here).
pub fn dump(family: u8) -> Vec<u8> {
    let mut b = MsgBuilder::new(RTM_GETMULTICAST, NLM_F_DUMP);
    b.push(&[family, 0, 0, 0, 0, 0, 0, 0]);
    b.finish()
}

pub fn decode(payload: &[u8]) -> Result<Record, WireError> {
    if payload.len() < 8 {
        return Err(WireError("short ifaddrmsg"));
    }
    let family = payload[0];
    let index = u32::from_ne_bytes([payload[4], payload[5], payload[6], payload[7]]);
    let mut f = Settings::new();
    f.set_int("family", if family == AF_INET6 { 6 } else { 4 });
    for a in attrs(&payload[8..]) {
        let (ty, v) = a?;
        if ty == IFA_MULTICAST {
            if let Some(ip) = ip_from(if family == AF_INET6 { AF_INET6 } else { AF_INET }, v) {
                f.set_str("address", ip.to_string());
            }
        }
    }
    Ok(Record { kind: RecordKind::Maddr, index: Some(index).filter(|i| *i != 0), fields: f })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rtnl::settings::Value;

    /// Two replies this kernel sent (lo's 224.0.0.1 and ff02::1), cache info included.
    #[test]
    fn decodes_kernel_replies() {
        let hex = |s: &str| (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect::<Vec<u8>>();
        let v4 = decode(&hex("022080000100000008000700e000000114000600ffffffffffffffff9c8266009c826600")).unwrap();
        assert_eq!(v4.index, Some(1));
        assert_eq!(v4.fields.get("address"), Some(&Value::Str("224.0.0.1".into())));
        let v6 = decode(&hex("0a8080000100000014000700ff02000000000000000000000000000114000600ffffffffffffffff9a8266009a826600")).unwrap();
        assert_eq!(v6.fields.get("address"), Some(&Value::Str("ff02::1".into())));
        assert_eq!(v6.fields.get("family"), Some(&Value::Int(6)));
        assert!(decode(&[2, 0, 0]).is_err());
        assert_eq!(&dump(AF_INET)[4..8], &[58, 0, 1, 3]);
    }
}
