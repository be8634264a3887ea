//! The bridge's tables in: mdbList/Add/Replace/Del and vlanList/Add/Del -> core requests
//! (crates/nlkit/src/rtnl/bridge). src/bridge.ts has checked and resolved every field.

use nlkit::rtnl::bridge::mdb::{self, Entry, Group, MdbOp};
use nlkit::rtnl::bridge::vlan::{self, Target, Vlan};
use nlkit::rtnl::link::parse_mac;
use nlkit::rtnl::{Filter, Request};
use nlkit::Error;

use super::route::{invalid, Args};

type R<T> = Result<T, Error>;

fn entry(a: &Args) -> R<Entry> {
    let grp = a.str("grp")?.ok_or_else(|| invalid("grp"))?;
    let group = match grp.parse() {
        Ok(ip) => Group::Ip(ip),
        Err(_) => Group::Mac(parse_mac(grp).and_then(|m| m.try_into().ok()).ok_or_else(|| invalid("grp"))?),
    };
    Ok(Entry {
        port: a.u32("port")?.ok_or_else(|| invalid("port"))?,
        group,
        permanent: a.bool("permanent")?.unwrap_or(true),
        flags: 0,
        vid: a.u16("vid")?.unwrap_or(0),
        source: a.ip("src")?,
        timer: None,
        protocol: a.u8("protocol")?,
        include: a.bool("include")?,
    })
}

pub(super) fn request(a: &Args, name: &str) -> R<Request> {
    let bridge = a.u32("index")?;
    Ok(match name {
        "mdbList" => Request::dump(mdb::dump(), Filter { index: bridge, ..Default::default() }),
        "mdbAdd" | "mdbReplace" | "mdbDel" => {
            let op = match name {
                "mdbAdd" => MdbOp::Add,
                "mdbReplace" => MdbOp::Replace,
                _ => MdbOp::Del,
            };
            Request::ack(mdb::encode(bridge.ok_or_else(|| invalid("bridge"))?, &entry(a)?, op))
        }
        "vlanList" => Request::dump(vlan::dump(), Filter::default()),
        "vlanAdd" | "vlanDel" => {
            let v = Vlan {
                vid: a.u16("vid")?.ok_or_else(|| invalid("vid"))?,
                end: a.u16("vidEnd")?,
                pvid: a.bool("pvid")?.unwrap_or(false),
                untagged: a.bool("untagged")?.unwrap_or(false),
            };
            let t = Target { master: a.bool("master")?.unwrap_or(false), self_: a.bool("self")?.unwrap_or(false) };
            Request::ack(vlan::encode(bridge.ok_or_else(|| invalid("dev"))?, &v, t, name == "vlanDel"))
        }
        other => return Err(invalid(&format!("operation {other}"))),
    })
}
