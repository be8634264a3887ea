//! Nexthop-object operations in (`ip nexthop`): nexthopAdd/Replace/Del/Get/List and
//! nexthopBucketList -> core requests. src/nexthops.ts has checked every field; the core's
//! encoder refuses inconsistent specs (a group with a device, a blackhole with a gateway).

use nlkit::rtnl::nexthop::{self, DumpFilter, Member, NexthopOp, NexthopSpec, Resilient, NEXTHOP_GRP_TYPE_MPATH, NEXTHOP_GRP_TYPE_RES};
use nlkit::rtnl::settings::Value;
use nlkit::rtnl::{Filter, Request};
use nlkit::Error;

use super::route::{bad, encap, invalid, keeping, on_optional_link, Args};

type R<T> = Result<T, Error>;

fn members(a: &Args) -> R<Vec<Member>> {
    let Some(v) = a.0.get("group") else { return Ok(Vec::new()) };
    let Value::List(items) = v else { return Err(invalid("group")) };
    items
        .iter()
        .map(|it| {
            let Value::Map(m) = it else { return Err(invalid("group member")) };
            let m = Args(m);
            let id = m.u32("id")?.filter(|i| *i > 0).ok_or_else(|| invalid("group member id"))?;
            let weight = m.0.int("weight", 1, 65536).map_err(bad)?.unwrap_or(1) as u32;
            Ok(Member { id, weight })
        })
        .collect()
}

fn spec(a: &Args, keep: &mut Vec<std::os::fd::OwnedFd>) -> R<NexthopSpec> {
    let group_type = match a.str("type")? {
        None | Some("mpath") => NEXTHOP_GRP_TYPE_MPATH,
        Some("resilient") => NEXTHOP_GRP_TYPE_RES,
        Some(_) => return Err(invalid("type")),
    };
    let family = match a.u32("family")? {
        None => 0,
        Some(4) => nlkit::rtnl::AF_INET,
        Some(6) => nlkit::rtnl::AF_INET6,
        Some(_) => return Err(invalid("family")),
    };
    Ok(NexthopSpec {
        id: a.u32("id")?,
        family,
        oif: None, // set once the link is known
        gateway: a.ip("gateway")?,
        blackhole: a.bool("blackhole")?.unwrap_or(false),
        onlink: a.bool("onlink")?.unwrap_or(false),
        fdb: a.bool("fdb")?.unwrap_or(false),
        protocol: a.u8("protocol")?,
        group: members(a)?,
        group_type,
        resilient: Resilient {
            buckets: a.u16("buckets")?,
            idle_timer: a.u32("idleTimer")?,
            unbalanced_timer: a.u32("unbalancedTimer")?,
            unbalanced_time: None,
        },
        encap: encap(a, keep)?,
    })
}

fn id(a: &Args) -> R<u32> {
    a.u32("id")?.filter(|i| *i > 0).ok_or_else(|| invalid("id"))
}

pub fn request(a: &Args, op: &str) -> R<Request> {
    Ok(match op {
        "nexthopAdd" | "nexthopReplace" => {
            let nop = if op == "nexthopAdd" { NexthopOp::Add } else { NexthopOp::Replace };
            let mut keep = Vec::new();
            let s = spec(a, &mut keep)?;
            on_optional_link(a, move |oif| Ok(keeping(Request::ack(nexthop::encode(&NexthopSpec { oif, ..s }, nop).map_err(bad)?), keep)))?
        }
        "nexthopDel" => Request::ack(nexthop::del(id(a)?)),
        "nexthopGet" => Request::get(nexthop::get(id(a)?)),
        "nexthopList" => {
            let (groups, fdb, master) = (a.bool("groups")?.unwrap_or(false), a.bool("fdb")?.unwrap_or(false), a.u32("master")?);
            on_optional_link(a, move |oif| {
                let f = DumpFilter { oif, master, groups, fdb };
                Ok(Request::dump(nexthop::dump(&f), Filter::default()))
            })?
        }
        "nexthopBucketList" => Request::dump(nexthop::bucket_dump(a.u32("id")?, a.u32("nhid")?), Filter::default()),
        _ => return Err(invalid("nexthop operation")),
    })
}
