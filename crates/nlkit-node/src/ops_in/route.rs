//! rtnetlink operations in: JS records (parsed into [`Settings`] by ops_in/mod.rs, their fields
//! checked against ops_in/fields.rs) -> core requests. src/ has
//! already validated every field; the checks here only keep bad values from reaching the wire
//! if it did not, and name the offending key.

use std::net::IpAddr;
use std::os::fd::OwnedFd;

use nlkit::netns::NetnsRef;
use nlkit::rtnl::link;
use nlkit::rtnl::neigh::{self, NeighOp, NeighSpec};
use nlkit::rtnl::route::{self, Encap, Nexthop, METRICS};
use nlkit::rtnl::rule::{self, RuleExtra, RuleOp, RuleSpec};
use nlkit::rtnl::settings::{Settings, Value};
use nlkit::rtnl::{self, addr, AddrOp, AddrSpec, Filter, LinkRef, RouteOp, RouteQuery, RouteSpec};
use nlkit::rtnl::{after_link, Request};
use nlkit::Error;

type R<T> = Result<T, Error>;

pub(crate) fn bad(e: String) -> Error {
    Error::invalid(e)
}

pub(crate) fn invalid(what: &str) -> Error {
    Error::invalid(format!("invalid {what}"))
}

/// Typed reads of an operation's fields, with errors naming the key.
pub(crate) struct Args<'a>(pub(crate) &'a Settings);

impl Args<'_> {
    pub(crate) fn u32(&self, k: &str) -> R<Option<u32>> {
        self.0.u32(k).map_err(bad)
    }
    pub(crate) fn u16(&self, k: &str) -> R<Option<u16>> {
        self.0.u16(k).map_err(bad)
    }
    pub(crate) fn u8(&self, k: &str) -> R<Option<u8>> {
        self.0.u8(k).map_err(bad)
    }
    pub(crate) fn bool(&self, k: &str) -> R<Option<bool>> {
        self.0.bool(k).map_err(bad)
    }
    pub(crate) fn str(&self, k: &str) -> R<Option<&str>> {
        self.0.str(k).map_err(bad)
    }
    /// A list of strings (an absent key is an empty list).
    pub(crate) fn strs(&self, k: &str) -> R<Vec<String>> {
        match self.0.get(k) {
            None => Ok(Vec::new()),
            Some(Value::List(v)) => v.iter().map(|x| if let Value::Str(s) = x { Ok(s.clone()) } else { Err(invalid(k)) }).collect(),
            Some(_) => Err(invalid(k)),
        }
    }
    pub(crate) fn ip(&self, k: &str) -> R<Option<IpAddr>> {
        self.str(k)?.map(|s| s.parse().map_err(|_| invalid(k))).transpose()
    }
    pub(crate) fn mac(&self, k: &str) -> R<Option<Vec<u8>>> {
        self.str(k)?.map(|s| link::parse_mac(s).ok_or_else(|| invalid(k))).transpose()
    }
    pub(crate) fn family(&self) -> R<u8> {
        match self.u32("family")? {
            None | Some(0) => Ok(0),
            Some(4) => Ok(rtnl::AF_INET),
            Some(6) => Ok(rtnl::AF_INET6),
            Some(7) => Ok(neigh::AF_BRIDGE),
            _ => Err(invalid("family")),
        }
    }
    pub(crate) fn link_ref(&self) -> R<Option<LinkRef>> {
        match (self.0.int("index", 1, i32::MAX as i64).map_err(bad)?, self.str("name")?) {
            (Some(i), _) => Ok(Some(LinkRef::Index(i as i32))),
            (None, Some(n)) if !n.is_empty() && n.len() < 16 => Ok(Some(LinkRef::Name(n.to_string()))),
            (None, Some(_)) => Err(invalid("link name")),
            (None, None) => Ok(None),
        }
    }
    pub(crate) fn netns(&self, k: &str) -> R<Option<NetnsRef>> {
        let Some(m) = self.0.map(k).map_err(bad)? else { return Ok(None) };
        let a = Args(m);
        Ok(Some(match (a.str("name")?, a.str("path")?, a.u32("pid")?, a.u32("fd")?) {
            (Some(n), None, None, None) => NetnsRef::Name(n.into()),
            (None, Some(p), None, None) => NetnsRef::Path(p.into()),
            (None, None, Some(p), None) => NetnsRef::Pid(p),
            (None, None, None, Some(f)) => NetnsRef::Fd(f as i32),
            _ => return Err(invalid(k)),
        }))
    }
}

/// Builds a request needing a link index: at once when the index is known, else after the
/// engine has looked the name up (on the same socket, no round trip through JS).
pub(crate) fn on_link(a: &Args, build: impl FnOnce(u32) -> R<Request> + Send + 'static) -> R<Request> {
    match a.link_ref()?.ok_or_else(|| invalid("link"))? {
        LinkRef::Index(i) => build(i as u32),
        LinkRef::Name(n) => Ok(after_link(&n, build)),
    }
}

/// Like [`on_link`] for an optional link (a route's `dev`, a list filter).
pub(crate) fn on_optional_link(a: &Args, build: impl FnOnce(Option<u32>) -> R<Request> + Send + 'static) -> R<Request> {
    if a.link_ref()?.is_none() {
        return build(None);
    }
    on_link(a, move |i| build(Some(i)))
}

fn addr_spec(a: &Args) -> R<AddrSpec> {
    let address = a.ip("address")?.ok_or_else(|| invalid("address"))?;
    let max = if address.is_ipv4() { 32 } else { 128 };
    let prefix_len = a.u8("prefixLen")?.filter(|p| *p <= max).ok_or_else(|| invalid("prefix length"))?;
    let broadcast = match a.ip("broadcast")? {
        None => None,
        Some(IpAddr::V4(b)) => Some(b),
        Some(IpAddr::V6(_)) => return Err(invalid("broadcast")),
    };
    Ok(AddrSpec {
        index: 0, // set once the link is known
        address,
        prefix_len,
        scope: a.u8("scope")?,
        label: a.str("label")?.map(String::from),
        broadcast,
        peer: a.ip("peer")?,
        valid_lft: a.u32("validLft")?,
        preferred_lft: a.u32("preferredLft")?,
        flags: a.u32("flags")?.unwrap_or(0),
    })
}

/// A lightweight tunnel encapsulation (`encap`), encoded now so bad settings fail before
/// anything is sent; descriptors it opened (pinned BPF programs) go to `keep`.
pub(crate) fn encap(a: &Args, keep: &mut Vec<OwnedFd>) -> R<Option<Encap>> {
    let Some(s) = a.0.map("encap").map_err(bad)? else { return Ok(None) };
    let built = Encap::from_settings(s).map_err(bad)?;
    keep.extend(built.keep);
    Ok(Some(built.encap))
}

/// A request that holds the descriptors its message refers to until it is sent.
pub(crate) fn keeping(mut r: Request, keep: Vec<OwnedFd>) -> Request {
    if !keep.is_empty() {
        r.keep = Some(Box::new(keep));
    }
    r
}

fn nexthops(a: &Args, keep: &mut Vec<OwnedFd>) -> R<Vec<Nexthop>> {
    let Some(v) = a.0.get("nexthops") else { return Ok(Vec::new()) };
    let Value::List(items) = v else { return Err(invalid("nexthops")) };
    items
        .iter()
        .map(|it| {
            let Value::Map(m) = it else { return Err(invalid("nexthop")) };
            let n = Args(m);
            Ok(Nexthop {
                gateway: n.ip("gateway")?,
                oif: n.u32("oif")?.unwrap_or(0),
                weight: n.0.int("weight", 1, 256).map_err(bad)?.unwrap_or(1) as u16,
                flags: if n.bool("onlink")?.unwrap_or(false) { route::RTNH_F_ONLINK as u8 } else { 0 },
                encap: encap(&n, keep)?,
                via: n.ip("via")?,
            })
        })
        .collect()
}

fn metrics(a: &Args) -> R<Vec<(u16, u32)>> {
    let Some(m) = a.0.map("metrics").map_err(bad)? else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    for (k, _) in &m.0 {
        let id = METRICS.iter().find(|(n, _)| n == k).map(|(_, id)| *id).ok_or_else(|| invalid(&format!("metric {k}")))?;
        out.push((id, m.u32(k).map_err(bad)?.unwrap_or(0)));
    }
    Ok(out)
}

fn route_spec(a: &Args, keep: &mut Vec<OwnedFd>) -> R<RouteSpec> {
    let dst = a.ip("dst")?;
    let gateway = a.ip("gateway")?;
    let hops = nexthops(a, keep)?;
    let fam = match (a.family()?, dst.or(gateway).or_else(|| hops.iter().find_map(|h| h.gateway))) {
        (0, Some(x)) => rtnl::family_of(&x),
        (0, None) => rtnl::AF_INET,
        (f, _) => f,
    };
    Ok(RouteSpec {
        family: fam,
        dst,
        dst_len: a.u8("dstLen")?.unwrap_or(0),
        gateway,
        oif: None, // set once the link is known
        prefsrc: a.ip("prefsrc")?,
        table: a.u32("table")?,
        metric: a.u32("metric")?,
        scope: a.u8("scope")?,
        protocol: a.u8("protocol")?,
        route_type: a.u8("routeType")?,
        nexthops: hops,
        metrics: metrics(a)?,
        onlink: a.bool("onlink")?.unwrap_or(false),
        pref: a.u8("pref")?,
        nhid: a.u32("nhid")?,
        encap: encap(a, keep)?,
        via: a.ip("via")?,
        expires: a.u32("expires")?,
        ttl_propagate: a.bool("ttlPropagate")?,
    })
}

fn neigh_spec(a: &Args) -> R<NeighSpec> {
    let family = match a.family()? {
        0 => a.ip("dst")?.map(|d| rtnl::family_of(&d)).unwrap_or(neigh::AF_BRIDGE),
        f => f,
    };
    Ok(NeighSpec {
        family,
        index: 0,
        dst: a.ip("dst")?,
        lladdr: a.mac("lladdr")?,
        state: a.u16("state")?,
        flags: a.u8("flags")?.unwrap_or(0),
        vlan: a.u16("vlan")?,
        port: a.u16("port")?,
        vni: a.u32("vni")?,
        src_vni: a.u32("srcVni")?,
        via: a.u32("via")?,
        nhid: a.u32("nhid")?,
    })
}

fn prefix(a: &Args, addr_key: &str, len_key: &str) -> R<Option<(IpAddr, u8)>> {
    match a.ip(addr_key)? {
        None => Ok(None),
        Some(ip) => {
            let max = if ip.is_ipv4() { 32 } else { 128 };
            let len = a.u8(len_key)?.unwrap_or(max);
            if len > max {
                return Err(invalid(len_key));
            }
            Ok(Some((ip, len)))
        }
    }
}

fn rule_spec(a: &Args) -> R<RuleSpec> {
    let uid_range = match a.0.map("uidRange").map_err(bad)? {
        None => None,
        Some(m) => {
            let u = Args(m);
            Some((u.u32("start")?.ok_or_else(|| invalid("uidRange.start"))?, u.u32("end")?.ok_or_else(|| invalid("uidRange.end"))?))
        }
    };
    Ok(RuleSpec {
        family: a.family()?,
        priority: a.u32("priority")?,
        table: a.u32("table")?,
        src: prefix(a, "from", "fromLen")?,
        dst: prefix(a, "to", "toLen")?,
        iifname: a.str("iif")?.map(String::from),
        oifname: a.str("oif")?.map(String::from),
        fwmark: a.u32("fwmark")?,
        fwmask: a.u32("fwmask")?,
        tos: a.u8("tos")?.unwrap_or(0),
        suppress_prefixlen: a.u32("suppressPrefixLength")?,
        uid_range,
        action: a.u8("action")?,
        goto: a.u32("goto")?,
        protocol: a.u8("protocol")?,
        invert: a.bool("invert")?.unwrap_or(false),
        extra: rule_extra(a)?,
    })
}

/// A `{ start, end }` port range.
fn port_range(a: &Args, k: &str) -> R<Option<(u16, u16)>> {
    let Some(m) = a.0.map(k).map_err(bad)? else { return Ok(None) };
    let r = Args(m);
    let start = r.u16("start")?.ok_or_else(|| invalid(&format!("{k}.start")))?;
    Ok(Some((start, r.u16("end")?.ok_or_else(|| invalid(&format!("{k}.end")))?)))
}

fn rule_extra(a: &Args) -> R<RuleExtra> {
    let tun_id = match a.0.get("tunId") {
        None => None,
        Some(nlkit::rtnl::settings::Value::Int(v)) => Some(u64::try_from(*v).map_err(|_| invalid("tunId"))?),
        Some(nlkit::rtnl::settings::Value::Str(s)) => Some(s.parse::<u64>().map_err(|_| invalid("tunId"))?),
        Some(_) => return Err(invalid("tunId")),
    };
    Ok(RuleExtra {
        ip_proto: a.u8("ipproto")?,
        sport: port_range(a, "sport")?,
        dport: port_range(a, "dport")?,
        tun_id,
        suppress_ifgroup: a.u32("suppressIfgroup")?,
        realms: a.u32("realms")?,
        l3mdev: a.bool("l3mdev")?.unwrap_or(false),
        dscp: a.u8("dscp")?,
    })
}

/// Builds the core request for an operation. `netns` is the connection's namespace (for the
/// few operations that are not netlink messages).
pub fn request(op: &Settings, netns: Option<&NetnsRef>) -> R<Request> {
    let a = Args(op);
    let name = a.str("op")?.unwrap_or_default();
    super::fields::check(name, op).map_err(bad)?;
    Ok(match name {
        other if other.starts_with("link") => super::link::request(&a, other, netns)?,
        "addrAdd" | "addrReplace" | "addrDel" => {
            let aop = match name {
                "addrAdd" => AddrOp::Add,
                "addrReplace" => AddrOp::Replace,
                _ => AddrOp::Del,
            };
            let spec = addr_spec(&a)?;
            on_link(&a, move |index| Ok(Request::ack(addr::encode(&AddrSpec { index, ..spec }, aop))))?
        }
        "addrList" => {
            let fam = a.family()?;
            on_optional_link(&a, move |idx| {
                let filter = Filter { family: (fam != 0).then_some(fam), index: idx, ..Default::default() };
                Ok(Request::dump(addr::dump(fam, idx.unwrap_or(0)), filter))
            })?
        }
        "routeAdd" | "routeReplace" | "routeAppend" | "routeDel" => {
            let rop = match name {
                "routeAdd" => RouteOp::Add,
                "routeReplace" => RouteOp::Replace,
                "routeAppend" => RouteOp::Append,
                _ => RouteOp::Del,
            };
            let mut keep = Vec::new();
            let spec = route_spec(&a, &mut keep)?;
            on_optional_link(&a, move |oif| Ok(keeping(Request::ack(route::encode(&RouteSpec { oif, ..spec }, rop)), keep)))?
        }
        "routeList" => {
            let fam = a.family()?;
            let table = a.u32("table")?;
            on_optional_link(&a, move |oif| {
                let filter = Filter { family: (fam != 0).then_some(fam), index: oif, table, skip_cloned: true };
                Ok(Request::dump(route::dump(fam, table, oif), filter))
            })?
        }
        "routeGet" => {
            let q = RouteQuery { dst: a.ip("dst")?, src: a.ip("src")?, iif: a.u32("iif")?, oif: a.u32("oif")?, mark: a.u32("mark")? };
            let fam = q.dst.as_ref().map(rtnl::family_of).ok_or_else(|| invalid("destination"))?;
            Request::get(route::get(&q, fam))
        }
        "neighAdd" | "neighReplace" | "neighAppend" | "neighDel" => {
            let nop = match name {
                "neighAdd" => NeighOp::Add,
                "neighReplace" => NeighOp::Replace,
                "neighAppend" => NeighOp::Append,
                _ => NeighOp::Del,
            };
            let spec = neigh_spec(&a)?;
            on_link(&a, move |index| Ok(Request::ack(neigh::encode(&NeighSpec { index, ..spec }, nop))))?
        }
        "neighList" => {
            let fam = a.family()?;
            let proxy = a.bool("proxy")?.unwrap_or(false);
            on_optional_link(&a, move |idx| {
                let filter = Filter { family: (fam != 0).then_some(fam), index: idx, ..Default::default() };
                Ok(Request::dump(neigh::dump_filtered(fam, idx.unwrap_or(0), proxy), filter))
            })?
        }
        "ruleAdd" | "ruleDel" => {
            let rop = if name == "ruleAdd" { RuleOp::Add } else { RuleOp::Del };
            Request::ack(rule::encode(&rule_spec(&a)?, rop))
        }
        "ruleList" => {
            let fam = a.family()?;
            Request::dump(rule::dump(fam), Filter { family: (fam != 0).then_some(fam), ..Default::default() })
        }
        other if other.starts_with("nexthop") => super::nexthop::request(&a, other)?,
        other @ ("netconfList" | "maddrList" | "nsidList" | "nsidGet" | "nsidSet" | "addrlabelList" | "addrlabelAdd" | "addrlabelDel"
        | "ntableList" | "ntableChange") => super::misc::request(&a, other)?,
        other @ ("mdbList" | "mdbAdd" | "mdbReplace" | "mdbDel" | "vlanList" | "vlanAdd" | "vlanDel") => super::bridge::request(&a, other)?,
        // Anything else is traffic control's (which refuses what it does not know).
        other => super::tc::request(&a, other)?,
    })
}
