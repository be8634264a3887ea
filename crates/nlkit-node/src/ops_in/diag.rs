//! Socket diagnostics operations in, field for field as src/diag/sockets.ts builds them (names
//! checked there against the core's tables, and again here).

use napi_derive::napi;
use nlkit::diag::bytecode::{Expr, HostCond};
use nlkit::diag::inet::{self, Query, SockId, EXTENSIONS};
use nlkit::diag::names::{PROTOCOLS, STATES};
use nlkit::diag::{netlink, packet, unix, Request};
use nlkit::Error;

/// One sock_diag operation. `op` says which fields it reads:
/// - `inet`: a dump of `family` (4 or 6) and `protocol` (tcp, udp, udplite) sockets in `states`,
///   with extensions `ext`, filtered in the kernel by `src`/`dst` (prefixes, any of them),
///   `sport`/`dport` (exact) and `sportMin`.. `dportMax` (ranges)
/// - `unix`: a dump of unix sockets in `states` (`ext: ['meminfo']` adds memory)
/// - `netlink`, `packet`: every netlink / packet socket (`ext: ['meminfo']` adds memory)
/// - `destroy`: SOCK_DESTROY of the socket `family`/`protocol`, `src`[0]:`sport` ->
///   `dst`[0]:`dport`, `iface`, `cookie` (decimal)
#[napi(object)]
pub struct SockDiagOp {
    pub token: u32,
    /// Deadline, ms (default: the connection's).
    pub timeout: Option<u32>,
    pub op: String,
    pub family: Option<u32>,
    pub protocol: Option<String>,
    pub states: Option<Vec<String>>,
    pub ext: Option<Vec<String>>,
    pub src: Option<Vec<String>>,
    pub dst: Option<Vec<String>>,
    pub sport: Option<u32>,
    pub dport: Option<u32>,
    pub sport_min: Option<u32>,
    pub sport_max: Option<u32>,
    pub dport_min: Option<u32>,
    pub dport_max: Option<u32>,
    pub iface: Option<u32>,
    pub cookie: Option<String>,
}

fn port(v: Option<u32>, what: &str) -> Result<Option<u16>, Error> {
    v.map(|p| u16::try_from(p).map_err(|_| Error::invalid(format!("{what} must be 0 to 65535")))).transpose()
}

fn states(names: &Option<Vec<String>>) -> Result<u32, Error> {
    let Some(names) = names else { return Ok(!0) };
    names.iter().try_fold(0u32, |m, n| match STATES.iter().find(|(s, _)| s == n) {
        Some((_, v)) => Ok(m | 1 << v),
        None => Err(Error::invalid(format!("unknown socket state {n:?}"))),
    })
}

fn family(op: &SockDiagOp) -> Result<u8, Error> {
    inet::family_of_version(op.family.unwrap_or(0))
}

fn protocol(op: &SockDiagOp) -> Result<u8, Error> {
    let name = op.protocol.as_deref().unwrap_or("tcp");
    PROTOCOLS.iter().find(|(n, _)| *n == name).map(|(_, v)| *v).ok_or_else(|| Error::invalid(format!("unknown protocol {name:?}")))
}

/// Any of `prefixes` (ss's `src A or src B`).
fn any_of(prefixes: &[String], side: fn(HostCond) -> Expr) -> Result<Option<Expr>, Error> {
    let mut e: Option<Expr> = None;
    for p in prefixes {
        let c = side(HostCond::parse_prefix(p)?);
        e = Some(match e {
            None => c,
            Some(prev) => prev.or(c),
        });
    }
    Ok(e)
}

/// The filter: every condition given must hold (ss's `a and b and ...`, in this order).
fn filter(op: &SockDiagOp) -> Result<Option<Expr>, Error> {
    let mut parts = Vec::new();
    parts.extend(any_of(op.src.as_deref().unwrap_or(&[]), Expr::Src)?);
    parts.extend(any_of(op.dst.as_deref().unwrap_or(&[]), Expr::Dst)?);
    parts.extend(port(op.sport, "sport")?.map(|p| Expr::Src(HostCond::port(p))));
    parts.extend(port(op.dport, "dport")?.map(|p| Expr::Dst(HostCond::port(p))));
    parts.extend(port(op.sport_min, "sport.min")?.map(Expr::SportGe));
    parts.extend(port(op.sport_max, "sport.max")?.map(Expr::SportLe));
    parts.extend(port(op.dport_min, "dport.min")?.map(Expr::DportGe));
    parts.extend(port(op.dport_max, "dport.max")?.map(Expr::DportLe));
    Ok(parts.into_iter().reduce(Expr::and))
}

fn ext(op: &SockDiagOp) -> Result<(u8, bool), Error> {
    let mut bits = 0;
    let mut cgroup = false;
    for n in op.ext.iter().flatten() {
        let (_, b) = EXTENSIONS.iter().find(|(e, _)| e == n).ok_or_else(|| Error::invalid(format!("unknown socket extension {n:?}")))?;
        bits |= b;
        cgroup |= n == "cgroup";
    }
    Ok((bits, cgroup))
}

fn one_addr(v: &Option<Vec<String>>, what: &str) -> Result<std::net::IpAddr, Error> {
    match v.as_deref() {
        Some([a]) => a.parse().map_err(|_| Error::invalid(format!("{what} must be an IP address"))),
        _ => Err(Error::invalid(format!("{what} must be one address"))),
    }
}

pub fn request(op: &SockDiagOp) -> Result<Request, Error> {
    match op.op.as_str() {
        "inet" => {
            let (ext, cgroup) = ext(op)?;
            let q = Query { family: family(op)?, protocol: protocol(op)?, states: states(&op.states)?, ext, filter: filter(op)?, cgroup };
            inet::dump(&q)
        }
        "unix" => {
            let meminfo = op.ext.iter().flatten().any(|e| e == "meminfo");
            Ok(unix::dump(states(&op.states)?, meminfo))
        }
        "netlink" => Ok(netlink::dump(op.ext.iter().flatten().any(|e| e == "meminfo"))),
        "packet" => Ok(packet::dump(op.ext.iter().flatten().any(|e| e == "meminfo"))),
        "destroy" => {
            let id = SockId {
                src: one_addr(&op.src, "src")?,
                dst: one_addr(&op.dst, "dst")?,
                sport: port(op.sport, "sport")?.unwrap_or(0),
                dport: port(op.dport, "dport")?.unwrap_or(0),
                iface: op.iface.unwrap_or(0),
                cookie: op
                    .cookie
                    .as_deref()
                    .map_or(Ok(u64::MAX), |c| c.parse().map_err(|_| Error::invalid("cookie must be a decimal u64")))?,
            };
            inet::destroy(family(op)?, protocol(op)?, &id)
        }
        other => Err(Error::invalid(format!("unknown sock_diag operation {other:?}"))),
    }
}
