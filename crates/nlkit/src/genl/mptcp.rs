//! The MPTCP in-kernel path manager (`mptcp_pm`, uapi linux/mptcp.h; `ip mptcp`): endpoints
//! add, delete, change flags, list, get and flush; limits get and set. Requests are laid out
//! as iproute2 lays them out (tests compare the bytes).

use std::net::IpAddr;

use super::table::{self, Names, Table, W};
use super::{Call, Decode};
use crate::conn::Mode;
use crate::rtnl::settings::{Settings, Value};
use crate::wire;
use crate::{Error, Result};

pub const FAMILY: &str = "mptcp_pm";
const VERSION: u8 = 1;
const CMD_ADD_ADDR: u8 = 1;
const CMD_DEL_ADDR: u8 = 2;
const CMD_GET_ADDR: u8 = 3;
const CMD_FLUSH_ADDRS: u8 = 4;
const CMD_SET_LIMITS: u8 = 5;
const CMD_GET_LIMITS: u8 = 6;
const CMD_SET_FLAGS: u8 = 7;
/// MPTCP_PM_ATTR_*.
const A_ADDR: u16 = 1;
const A_RCV_ADD_ADDRS: u16 = 2;
const A_SUBFLOWS: u16 = 3;
/// MPTCP_PM_ADDR_ATTR_*.
const AA_FAMILY: u16 = 1;
const AA_ID: u16 = 2;
const AA_ADDR4: u16 = 3;
const AA_ADDR6: u16 = 4;
const AA_PORT: u16 = 5;
const AA_FLAGS: u16 = 6;
const AA_IF_IDX: u16 = 7;

/// MPTCP_PM_ADDR_FLAG_*, by `ip mptcp`'s names.
pub const FLAGS: Names = &[(1, "signal"), (2, "subflow"), (4, "backup"), (8, "fullmesh"), (16, "implicit"), (32, "laminar")];

const ENDPOINT: Table = &[
    (AA_ID, "id", W::U8),
    (AA_ADDR4, "address", W::Ip),
    (AA_ADDR6, "address", W::Ip),
    (AA_PORT, "port", W::U16),
    (AA_FLAGS, "flags", W::Bits(FLAGS)),
    (AA_IF_IDX, "ifindex", W::S32),
];
const LIMITS: Table = &[(A_RCV_ADD_ADDRS, "addAddrAccepted", W::U32), (A_SUBFLOWS, "subflows", W::U32)];

/// What a reply holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    Endpoint,
    Limits,
}

/// An endpoint to add (`ip mptcp endpoint add ADDR [port P] [id N] FLAGS [dev D]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub address: IpAddr,
    /// None: the kernel picks one.
    pub id: Option<u8>,
    pub port: Option<u16>,
    /// MPTCP_PM_ADDR_FLAG_* bits (see [`flag_bits`]).
    pub flags: u32,
    pub ifindex: Option<i32>,
}

/// The bits of flag names (`['signal', 'backup']`).
pub fn flag_bits<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<u32> {
    names.into_iter().try_fold(0, |acc, n| {
        let bit = FLAGS.iter().find(|(_, s)| *s == n).ok_or_else(|| Error::invalid(format!("unknown endpoint flag {n:?}")))?;
        Ok(acc | bit.0 as u32)
    })
}

pub fn add(e: &Endpoint) -> Result<Call> {
    if e.port.is_some() && e.flags & 1 == 0 {
        return Err(Error::invalid("port needs the signal flag"));
    }
    let mut b = wire::MsgBuilder::new(0, 0);
    let at = b.nest_start(A_ADDR);
    // iproute2's order, each only when given: id, flags, device, port, address.
    if let Some(id) = e.id {
        b.attr_u8(AA_ID, id);
    }
    if e.flags != 0 {
        b.attr_u32(AA_FLAGS, e.flags);
    }
    if let Some(i) = e.ifindex {
        b.attr_u32(AA_IF_IDX, i as u32);
    }
    if let Some(p) = e.port {
        b.attr(AA_PORT, &p.to_ne_bytes());
    }
    address(&mut b, e.address);
    b.nest_end(at);
    Ok(call(CMD_ADD_ADDR, b, Mode::Ack, Decode::Raw))
}

/// Deletes the endpoint `id` (id 0 names the endpoint by its address, as `ip mptcp endpoint
/// del id 0 ADDR` does).
pub fn del(id: u8, addr: Option<IpAddr>) -> Result<Call> {
    if id == 0 && addr.is_none() {
        return Err(Error::invalid("id 0 needs an address"));
    }
    Ok(call(CMD_DEL_ADDR, by_id(id, None, addr), Mode::Ack, Decode::Raw))
}

/// Sets the flags of endpoint `id` (`ip mptcp endpoint change id N backup|nobackup ...`).
pub fn set_flags(id: u8, flags: u32, addr: Option<IpAddr>) -> Call {
    call(CMD_SET_FLAGS, by_id(id, Some(flags), addr), Mode::Ack, Decode::Raw)
}

pub fn get(id: u8) -> Call {
    call(CMD_GET_ADDR, by_id(id, None, None), Mode::Get, Decode::Mptcp(Reply::Endpoint))
}

pub fn list() -> Call {
    call(CMD_GET_ADDR, wire::MsgBuilder::new(0, 0), Mode::Dump, Decode::Mptcp(Reply::Endpoint))
}

pub fn flush() -> Call {
    call(CMD_FLUSH_ADDRS, wire::MsgBuilder::new(0, 0), Mode::Ack, Decode::Raw)
}

pub fn limits() -> Call {
    call(CMD_GET_LIMITS, wire::MsgBuilder::new(0, 0), Mode::Get, Decode::Mptcp(Reply::Limits))
}

/// Sets the limits given (`ip mptcp limits set [add_addr_accepted N] [subflows N]`).
pub fn set_limits(add_addr_accepted: Option<u32>, subflows: Option<u32>) -> Result<Call> {
    if add_addr_accepted.is_none() && subflows.is_none() {
        return Err(Error::invalid("give addAddrAccepted or subflows"));
    }
    let mut b = wire::MsgBuilder::new(0, 0);
    if let Some(n) = add_addr_accepted {
        b.attr_u32(A_RCV_ADD_ADDRS, n);
    }
    if let Some(n) = subflows {
        b.attr_u32(A_SUBFLOWS, n);
    }
    Ok(call(CMD_SET_LIMITS, b, Mode::Ack, Decode::Raw))
}

fn by_id(id: u8, flags: Option<u32>, addr: Option<IpAddr>) -> wire::MsgBuilder {
    let mut b = wire::MsgBuilder::new(0, 0);
    let at = b.nest_start(A_ADDR);
    b.attr_u8(AA_ID, id);
    if let Some(f) = flags {
        b.attr_u32(AA_FLAGS, f);
    }
    if let Some(a) = addr {
        address(&mut b, a);
    }
    b.nest_end(at);
    b
}

fn address(b: &mut wire::MsgBuilder, a: IpAddr) {
    match a {
        IpAddr::V4(a) => b.attr(AA_FAMILY, &(libc::AF_INET as u16).to_ne_bytes()).attr(AA_ADDR4, &a.octets()),
        IpAddr::V6(a) => b.attr(AA_FAMILY, &(libc::AF_INET6 as u16).to_ne_bytes()).attr(AA_ADDR6, &a.octets()),
    };
}

fn call(cmd: u8, b: wire::MsgBuilder, mode: Mode, decode: Decode) -> Call {
    Call { cmd, version: VERSION, flags: 0, body: b.finish().split_off(wire::NLMSG_HDRLEN), mode, decode }
}

pub fn decode(reply: Reply, attrs: &[u8]) -> Option<Settings> {
    match reply {
        Reply::Limits => Some(table::decode(LIMITS, attrs)),
        Reply::Endpoint => table::attrs(attrs).find(|(t, _)| *t == A_ADDR).map(|(_, v)| {
            let mut s = table::decode(ENDPOINT, v);
            // The kernel sends port and device 0 for "none"; `ip` leaves them out, so does this.
            s.0.retain(|(k, v)| !((k == "port" || k == "ifindex") && *v == Value::Int(0)));
            s
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload(c: &Call) -> Vec<u8> {
        super::super::message(0x1c, c.cmd, c.version, 0, &c.body)[wire::NLMSG_HDRLEN..].to_vec()
    }

    /// iproute2 6.1's payloads (strace -X raw, after the nlmsghdr).
    #[test]
    fn requests_are_byte_equal_with_ip_mptcp() {
        // ip mptcp endpoint add 10.183.0.1 id 5 signal dev lo
        let e = Endpoint { address: "10.183.0.1".parse().unwrap(), id: Some(5), port: None, flags: 1, ifindex: Some(1) };
        let want = b"\x01\x01\x00\x00\x2c\x00\x01\x80\x05\x00\x02\x00\x05\x00\x00\x00\x08\x00\x06\x00\x01\x00\x00\x00\x08\x00\x07\x00\x01\x00\x00\x00\x06\x00\x01\x00\x02\x00\x00\x00\x08\x00\x03\x00\x0a\xb7\x00\x01";
        assert_eq!(payload(&add(&e).unwrap()), want);
        // ip mptcp endpoint add 2001:db8:183::1 id 7 subflow fullmesh
        let e = Endpoint { address: "2001:db8:183::1".parse().unwrap(), id: Some(7), port: None, flags: 10, ifindex: None };
        let want = b"\x01\x01\x00\x00\x30\x00\x01\x80\x05\x00\x02\x00\x07\x00\x00\x00\x08\x00\x06\x00\x0a\x00\x00\x00\x06\x00\x01\x00\x0a\x00\x00\x00\x14\x00\x04\x00\x20\x01\x0d\xb8\x01\x83\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01";
        assert_eq!(payload(&add(&e).unwrap()), want);
        // ip mptcp endpoint add 10.183.0.2 port 1000 signal
        let p = Endpoint { address: "10.183.0.2".parse().unwrap(), id: None, port: Some(1000), flags: 1, ifindex: None };
        let want = b"\x01\x01\x00\x00\x24\x00\x01\x80\x08\x00\x06\x00\x01\x00\x00\x00\x06\x00\x05\x00\xe8\x03\x00\x00\x06\x00\x01\x00\x02\x00\x00\x00\x08\x00\x03\x00\x0a\xb7\x00\x02";
        assert_eq!(payload(&add(&p).unwrap()), want);
        // ip mptcp endpoint show id 5 / del id 5 / del id 0 10.183.0.2 / change id 7 backup
        assert_eq!(payload(&get(5)), b"\x03\x01\x00\x00\x0c\x00\x01\x80\x05\x00\x02\x00\x05\x00\x00\x00");
        assert_eq!(payload(&del(5, None).unwrap()), b"\x02\x01\x00\x00\x0c\x00\x01\x80\x05\x00\x02\x00\x05\x00\x00\x00");
        let want = b"\x02\x01\x00\x00\x1c\x00\x01\x80\x05\x00\x02\x00\x00\x00\x00\x00\x06\x00\x01\x00\x02\x00\x00\x00\x08\x00\x03\x00\x0a\xb7\x00\x02";
        assert_eq!(payload(&del(0, Some("10.183.0.2".parse().unwrap())).unwrap()), want);
        let want = b"\x07\x01\x00\x00\x14\x00\x01\x80\x05\x00\x02\x00\x07\x00\x00\x00\x08\x00\x06\x00\x04\x00\x00\x00";
        assert_eq!(payload(&set_flags(7, 4, None)), want);
        // flush / limits set subflows 3 add_addr_accepted 4 / limits show
        assert_eq!(payload(&flush()), b"\x04\x01\x00\x00");
        let want = b"\x05\x01\x00\x00\x08\x00\x02\x00\x04\x00\x00\x00\x08\x00\x03\x00\x03\x00\x00\x00";
        assert_eq!(payload(&set_limits(Some(4), Some(3)).unwrap()), want);
        assert_eq!(payload(&limits()), b"\x06\x01\x00\x00");
        assert!(set_limits(None, None).is_err());
        assert!(del(0, None).is_err());
        assert!(add(&Endpoint { port: Some(1), flags: 2, ..e }).is_err());
        assert_eq!(flag_bits(["signal", "backup"]).unwrap(), 5);
        assert!(flag_bits(["nope"]).is_err());
    }

    #[test]
    fn decodes_an_endpoint_reply() {
        let e = Endpoint { address: "10.183.0.1".parse().unwrap(), id: Some(5), port: Some(80), flags: 5, ifindex: Some(1) };
        let c = add(&e).unwrap();
        let s = decode(Reply::Endpoint, &c.body).unwrap();
        assert_eq!(s.get("address"), Some(&Value::Str("10.183.0.1".into())));
        assert_eq!(s.get("id"), Some(&Value::Int(5)));
        assert_eq!(s.get("port"), Some(&Value::Int(80)));
        assert_eq!(s.get("flags"), Some(&Value::List(vec![Value::Str("signal".into()), Value::Str("backup".into())])));
        assert_eq!(s.get("ifindex"), Some(&Value::Int(1)));
        for n in 0..c.body.len() {
            decode(Reply::Endpoint, &c.body[..n]);
        }
    }
}
