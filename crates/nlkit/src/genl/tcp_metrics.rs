//! The TCP metrics cache (`tcp_metrics`, uapi linux/tcp_metrics.h; `ip tcp_metrics`): list,
//! get, delete and flush. Keys follow `ip -j tcp_metrics` (camelCase); times are the kernel's
//! units: `age` and `foSynDropTs` in ms, `rtt` and `rttvar` in µs.

use std::net::IpAddr;

use super::table::{self, Table, W};
use super::{Call, Decode};
use crate::conn::Mode;
use crate::rtnl::settings::Settings;
use crate::wire;
use crate::{Error, Result};

pub const FAMILY: &str = "tcp_metrics";
const VERSION: u8 = 1;
const CMD_GET: u8 = 1;
const CMD_DEL: u8 = 2;
const A_ADDR_IPV4: u16 = 1;
const A_ADDR_IPV6: u16 = 2;
const A_VALS: u16 = 6;
const A_SADDR_IPV4: u16 = 11;
const A_SADDR_IPV6: u16 = 12;

/// TCP_METRICS_ATTR_VALS: index + 1 of each metric (rtt and rttvar apart, see [`rtt`]).
const VALS: Table = &[(3, "ssthresh", W::U32), (4, "cwnd", W::U32), (5, "reordering", W::U32)];

const ENTRY: Table = &[
    (A_ADDR_IPV4, "dst", W::Ip),
    (A_ADDR_IPV6, "dst", W::Ip),
    (A_SADDR_IPV4, "source", W::Ip),
    (A_SADDR_IPV6, "source", W::Ip),
    (3, "age", W::U64),
    (4, "twTsval", W::U32),
    (5, "twTsStamp", W::S32),
    (7, "foMss", W::U16),
    (8, "foSynDrops", W::U16),
    (9, "foSynDropTs", W::U64),
    (10, "foCookie", W::Hex),
];

/// Every entry (the kernel has no dump filter: `ip tcp_metrics` filters the dump too).
pub fn list() -> Call {
    call(CMD_GET, Vec::new(), Mode::Dump, Decode::TcpMetrics)
}

/// The entry of `dst` (and `source`, when the cache keys by it): ENOENT when there is none.
pub fn get(dst: IpAddr, source: Option<IpAddr>) -> Result<Call> {
    Ok(call(CMD_GET, addrs(dst, source)?, Mode::Get, Decode::TcpMetrics))
}

/// Deletes the entry of `dst` (and `source`), or every entry with `dst` None (what `ip
/// tcp_metrics flush` sends).
pub fn del(dst: Option<IpAddr>, source: Option<IpAddr>) -> Result<Call> {
    let body = match dst {
        Some(d) => addrs(d, source)?,
        None if source.is_some() => return Err(Error::invalid("source needs dst")),
        None => Vec::new(),
    };
    Ok(call(CMD_DEL, body, Mode::Ack, Decode::Raw))
}

fn addrs(dst: IpAddr, source: Option<IpAddr>) -> Result<Vec<u8>> {
    let mut b = wire::MsgBuilder::new(0, 0);
    put(&mut b, dst, A_ADDR_IPV4, A_ADDR_IPV6);
    if let Some(s) = source {
        if s.is_ipv4() != dst.is_ipv4() {
            return Err(Error::invalid("source must be of dst's family"));
        }
        put(&mut b, s, A_SADDR_IPV4, A_SADDR_IPV6);
    }
    Ok(b.finish().split_off(wire::NLMSG_HDRLEN))
}

fn put(b: &mut wire::MsgBuilder, a: IpAddr, v4: u16, v6: u16) {
    match a {
        IpAddr::V4(a) => b.attr(v4, &a.octets()),
        IpAddr::V6(a) => b.attr(v6, &a.octets()),
    };
}

fn call(cmd: u8, body: Vec<u8>, mode: Mode, decode: Decode) -> Call {
    Call { cmd, version: VERSION, flags: 0, body, mode, decode }
}

/// One entry of a reply.
pub fn decode(attrs: &[u8]) -> Settings {
    let mut s = table::decode(ENTRY, attrs);
    if let Some((_, v)) = table::attrs(attrs).find(|(t, _)| *t == A_VALS) {
        table::decode_into(VALS, v, &mut s);
        rtt(v, &mut s);
    }
    s
}

/// The cache keeps rtt and rttvar in TCP's fixed point (srtt_us << 3, mdev_us << 2), in µs
/// (attributes 6, 7) and in ms (1, 2, what kernels before 4.1 send alone): µs, as `ip` shows.
fn rtt(vals: &[u8], s: &mut Settings) {
    let get = |a: u16| table::attrs(vals).find(|(t, _)| *t == a).and_then(|(_, v)| wire::attr_u32(v)).map(u64::from);
    for (key, us, ms, shift) in [("rtt", 6, 1, 3), ("rttvar", 7, 2, 2)] {
        if let Some(v) = get(us).or_else(|| get(ms).map(|m| m * 1000)) {
            s.set_int(key, (v >> shift) as i64);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rtnl::settings::Value;

    fn payload(c: &Call) -> Vec<u8> {
        let m = super::super::message(0x1b, c.cmd, c.version, 0, &c.body);
        m[wire::NLMSG_HDRLEN..].to_vec()
    }

    #[test]
    fn requests_are_byte_equal_with_ip() {
        // `ip tcp_metrics flush`, `ip tcp_metrics delete 127.0.0.1`, `ip tcp_metrics show
        // 127.0.0.1` (iproute2 6.1, strace -X raw, after the nlmsghdr).
        let lo: IpAddr = "127.0.0.1".parse().unwrap();
        assert_eq!(payload(&del(None, None).unwrap()), [2, 1, 0, 0]);
        assert_eq!(payload(&del(Some(lo), None).unwrap()), [2, 1, 0, 0, 8, 0, 1, 0, 127, 0, 0, 1]);
        assert_eq!(payload(&get(lo, None).unwrap()), [1, 1, 0, 0, 8, 0, 1, 0, 127, 0, 0, 1]);
        assert_eq!(payload(&list()), [1, 1, 0, 0]);
        assert!(del(None, Some(lo)).is_err());
        assert!(get(lo, Some("::1".parse().unwrap())).is_err());
    }

    #[test]
    fn decodes_an_entry_with_its_values() {
        let mut b = wire::MsgBuilder::new(0, 0);
        b.attr(A_ADDR_IPV6, &"2001:db8::1".parse::<std::net::Ipv6Addr>().unwrap().octets());
        b.attr(3, &250u64.to_ne_bytes());
        let at = b.nest_start(A_VALS);
        b.attr_u32(1, 9).attr_u32(2, 3).attr_u32(4, 10).attr_u32(6, 320);
        b.nest_end(at);
        let a = b.finish().split_off(wire::NLMSG_HDRLEN);
        let s = decode(&a);
        assert_eq!(s.get("dst"), Some(&Value::Str("2001:db8::1".into())));
        assert_eq!(s.get("age"), Some(&Value::Int(250)));
        assert_eq!(s.get("cwnd"), Some(&Value::Int(10)));
        assert_eq!(s.get("rtt"), Some(&Value::Int(40)));
        // rttvar only in ms: 3 ms in TCP's fixed point (<< 2) is 750 µs.
        assert_eq!(s.get("rttvar"), Some(&Value::Int(750)));
        for n in 0..a.len() {
            decode(&a[..n]);
        }
    }
}
