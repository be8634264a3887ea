//! JS operation descriptions -> core requests. index.ts has already validated every field and
//! resolved link names to indexes where the kernel needs one; the checks here only keep bad
//! values from reaching the wire if it did not.

use std::net::IpAddr;

use nlkit::rtnl::{self, addr, link, route, AddrOp, AddrSpec, Filter, LinkRef, RouteOp, RouteQuery, RouteSpec};
use nlkit::{Error, Request};

/// One operation as index.ts sends it (see ops_json.rs). Fields not used by `op` are ignored.
#[derive(Default, Debug)]
pub struct Op {
    pub token: u32,
    pub op: String,
    pub timeout: Option<u32>,
    /// The link the operation is about (a route's `dev`, a list's filter), by index (> 0) ...
    pub index: Option<i32>,
    /// ... or by name (resolved by the engine).
    pub name: Option<String>,
    pub up: Option<bool>,
    pub peer_name: Option<String>,
    /// 4, 6, or absent for both.
    pub family: Option<u32>,
    pub address: Option<String>,
    pub prefix_len: Option<u32>,
    pub peer: Option<String>,
    pub broadcast: Option<String>,
    pub label: Option<String>,
    pub scope: Option<u32>,
    pub flags: Option<u32>,
    pub valid_lft: Option<u32>,
    pub preferred_lft: Option<u32>,
    /// Route destination address (absent: default route).
    pub dst: Option<String>,
    pub dst_len: Option<u32>,
    pub gateway: Option<String>,
    pub src: Option<String>,
    pub prefsrc: Option<String>,
    pub oif: Option<u32>,
    pub iif: Option<u32>,
    pub table: Option<u32>,
    pub metric: Option<u32>,
    pub protocol: Option<u32>,
    pub route_type: Option<u32>,
    pub mark: Option<u32>,
}

fn invalid(what: &str) -> Error {
    Error::invalid(format!("invalid {what}"))
}

fn ip(s: &Option<String>, what: &str) -> Result<Option<IpAddr>, Error> {
    s.as_deref().map(|s| s.parse().map_err(|_| invalid(what))).transpose()
}

fn u8_of(v: Option<u32>, what: &str) -> Result<Option<u8>, Error> {
    v.map(|x| u8::try_from(x).map_err(|_| invalid(what))).transpose()
}

fn family_byte(f: Option<u32>) -> Result<u8, Error> {
    match f {
        None | Some(0) => Ok(0),
        Some(4) => Ok(rtnl::AF_INET),
        Some(6) => Ok(rtnl::AF_INET6),
        _ => Err(invalid("family")),
    }
}

fn link_ref(op: &Op) -> Result<LinkRef, Error> {
    match (&op.index, &op.name) {
        (Some(i), _) if *i > 0 => Ok(LinkRef::Index(*i)),
        (_, Some(n)) if !n.is_empty() && n.len() < 16 => Ok(LinkRef::Name(n.clone())),
        _ => Err(invalid("link")),
    }
}

/// Builds a request needing a link index: at once when the index is known, else after the
/// engine has looked the name up (on the same socket, no round trip through JS).
fn on_link(op: &Op, build: impl FnOnce(u32) -> Request + Send + 'static) -> Result<Request, Error> {
    match link_ref(op)? {
        LinkRef::Index(i) => Ok(build(i as u32)),
        LinkRef::Name(n) => Ok(Request::after_link(&n, build)),
    }
}

/// Like [`on_link`] for an optional link (a route's `dev`, a list filter).
fn on_optional_link(op: &Op, build: impl FnOnce(Option<u32>) -> Request + Send + 'static) -> Result<Request, Error> {
    if op.index.is_none() && op.name.is_none() {
        return Ok(build(None));
    }
    on_link(op, move |i| build(Some(i)))
}

fn addr_spec(op: &Op) -> Result<AddrSpec, Error> {
    let address = ip(&op.address, "address")?.ok_or_else(|| invalid("address"))?;
    let max = if address.is_ipv4() { 32 } else { 128 };
    let prefix_len = u8_of(op.prefix_len, "prefix length")?.filter(|p| *p <= max).ok_or_else(|| invalid("prefix length"))?;
    let broadcast = match ip(&op.broadcast, "broadcast")? {
        None => None,
        Some(IpAddr::V4(b)) => Some(b),
        Some(IpAddr::V6(_)) => return Err(invalid("broadcast")),
    };
    Ok(AddrSpec {
        index: 0, // set once the link is known
        address,
        prefix_len,
        scope: u8_of(op.scope, "scope")?,
        label: op.label.clone(),
        broadcast,
        peer: ip(&op.peer, "peer")?,
        valid_lft: op.valid_lft,
        preferred_lft: op.preferred_lft,
        flags: op.flags.unwrap_or(0),
    })
}

fn route_spec(op: &Op) -> Result<RouteSpec, Error> {
    let dst = ip(&op.dst, "dst")?;
    let gateway = ip(&op.gateway, "gateway")?;
    let fam = match (family_byte(op.family)?, dst.or(gateway)) {
        (0, Some(a)) => rtnl::family_of(&a),
        (0, None) => rtnl::AF_INET,
        (f, _) => f,
    };
    Ok(RouteSpec {
        family: fam,
        dst,
        dst_len: u8_of(op.dst_len, "dst prefix length")?.unwrap_or(0),
        gateway,
        oif: None, // set once the link is known
        prefsrc: ip(&op.prefsrc, "prefsrc")?,
        table: op.table,
        metric: op.metric,
        scope: u8_of(op.scope, "scope")?,
        protocol: u8_of(op.protocol, "protocol")?,
        route_type: u8_of(op.route_type, "type")?,
    })
}

/// Builds the core request for an operation.
pub fn request(op: &Op) -> Result<Request, Error> {
    Ok(match op.op.as_str() {
        "linkGet" => Request::get(link::get(&link_ref(op)?)),
        "linkList" => Request::dump(link::dump(), Filter::default()),
        "linkSetUp" => Request::ack(link::set_up(&link_ref(op)?, op.up.unwrap_or(true))),
        "linkDel" => Request::ack(link::del(&link_ref(op)?)),
        "linkAddVeth" => {
            let name = op.name.as_deref().ok_or_else(|| invalid("name"))?;
            let peer = op.peer_name.as_deref().ok_or_else(|| invalid("peer name"))?;
            Request::ack(link::add_veth(name, peer))
        }
        "addrAdd" | "addrReplace" | "addrDel" => {
            let aop = match op.op.as_str() {
                "addrAdd" => AddrOp::Add,
                "addrReplace" => AddrOp::Replace,
                _ => AddrOp::Del,
            };
            let spec = addr_spec(op)?;
            on_link(op, move |index| Request::ack(addr::encode(&AddrSpec { index, ..spec }, aop)))?
        }
        "addrList" => {
            let fam = family_byte(op.family)?;
            on_optional_link(op, move |idx| {
                let filter = Filter { family: (fam != 0).then_some(fam), index: idx, ..Default::default() };
                Request::dump(addr::dump(fam, idx.unwrap_or(0)), filter)
            })?
        }
        "routeAdd" | "routeReplace" | "routeAppend" | "routeDel" => {
            let rop = match op.op.as_str() {
                "routeAdd" => RouteOp::Add,
                "routeReplace" => RouteOp::Replace,
                "routeAppend" => RouteOp::Append,
                _ => RouteOp::Del,
            };
            let spec = route_spec(op)?;
            on_optional_link(op, move |oif| Request::ack(route::encode(&RouteSpec { oif, ..spec }, rop)))?
        }
        "routeList" => {
            let fam = family_byte(op.family)?;
            let table = op.table;
            on_optional_link(op, move |oif| {
                let filter = Filter { family: (fam != 0).then_some(fam), index: oif, table, skip_cloned: true };
                Request::dump(route::dump(fam, table, oif), filter)
            })?
        }
        "routeGet" => {
            let q = RouteQuery {
                dst: ip(&op.dst, "destination")?,
                src: ip(&op.src, "from")?,
                iif: op.iif,
                oif: op.oif,
                mark: op.mark,
            };
            let fam = q.dst.as_ref().map(rtnl::family_of).ok_or_else(|| invalid("destination"))?;
            Request::get(route::get(&q, fam))
        }
        other => return Err(invalid(&format!("operation {other:?}"))),
    })
}
