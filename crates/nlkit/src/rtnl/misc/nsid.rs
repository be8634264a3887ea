//! Network namespace ids (RTM_*NSID): the number this namespace knows another by (`ip netns
//! set NAME ID`, `ip netns list-id`), which links report as their peer's `linkNetnsid`.

use std::os::fd::RawFd;

use super::{Record, RecordKind};
use crate::rtnl::settings::Settings;
use crate::wire::{attrs, MsgBuilder, WireError, NLM_F_ACK, NLM_F_DUMP};

pub const RTM_NEWNSID: u16 = 88;
pub const RTM_DELNSID: u16 = 89;
pub const RTM_GETNSID: u16 = 90;

const NETNSA_NSID: u16 = 1;
const NETNSA_PID: u16 = 2;
const NETNSA_FD: u16 = 3;

/// Which namespace a request is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Fd(RawFd),
    Pid(u32),
}

fn with_target(ty: u16, flags: u16, t: Target) -> MsgBuilder {
    let mut b = MsgBuilder::new(ty, flags);
    b.push(&[0, 0, 0, 0]);
    match t {
        Target::Fd(fd) => b.attr_u32(NETNSA_FD, fd as u32),
        Target::Pid(p) => b.attr_u32(NETNSA_PID, p),
    };
    b
}

/// RTM_NEWNSID as `ip netns set NAME ID` sends it (a namespace fd, then the id; -1 lets the
/// kernel pick one).
pub fn set(t: Target, id: i32) -> Vec<u8> {
    let mut b = with_target(RTM_NEWNSID, NLM_F_ACK, t);
    b.attr(NETNSA_NSID, &id.to_ne_bytes());
    b.finish()
}

/// RTM_GETNSID for one namespace: answered with its id (-1: none assigned).
pub fn get(t: Target) -> Vec<u8> {
    with_target(RTM_GETNSID, 0, t).finish()
}

/// Every id assigned in this namespace.
pub fn dump() -> Vec<u8> {
    let mut b = MsgBuilder::new(RTM_GETNSID, NLM_F_DUMP);
    b.push(&[0, 0, 0, 0]);
    b.finish()
}

pub fn decode(payload: &[u8]) -> Result<Record, WireError> {
    let mut f = Settings::new();
    for a in attrs(payload.get(4..).unwrap_or_default()) {
        let (ty, v) = a?;
        if ty == NETNSA_NSID {
            if let Some(b) = v.get(..4) {
                f.set_int("nsid", i32::from_ne_bytes([b[0], b[1], b[2], b[3]]) as i64);
            }
        }
    }
    Ok(Record { kind: RecordKind::Nsid, index: None, fields: f })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::NLMSG_HDRLEN;

    /// `ip netns set nlkh-me2 7` (iproute2 6.1), with its namespace on fd 6.
    #[test]
    fn set_equals_iproute2() {
        let m = set(Target::Fd(6), 7);
        assert_eq!(&m[..8], &[36, 0, 0, 0, 0x58, 0, 5, 0]);
        assert_eq!(&m[NLMSG_HDRLEN..], &[0, 0, 0, 0, 8, 0, 3, 0, 6, 0, 0, 0, 8, 0, 1, 0, 7, 0, 0, 0]);
        let r = decode(&m[NLMSG_HDRLEN..]).unwrap();
        assert_eq!(r.fields.int("nsid", -1, i32::MAX as i64).unwrap(), Some(7));
        assert!(decode(&[]).unwrap().fields.is_empty());
    }
}
