//! The smaller tables' operations in: netconfList, nsidList/Get/Set, addrlabelList/Add/Del,
//! ntableList/Change -> core requests (crates/nlkit/src/rtnl/misc). src/misc-tables.ts has
//! checked every field.

use std::net::IpAddr;
use std::os::fd::AsRawFd;

use nlkit::netns::NetnsRef;
use nlkit::rtnl::misc::{addrlabel, maddr, netconf, nsid, ntable};
use nlkit::rtnl::settings::Settings;
use nlkit::rtnl::{Filter, Request};
use nlkit::Error;

use super::route::{bad, invalid, keeping, Args};

type R<T> = Result<T, Error>;

fn family(a: &Args) -> R<u8> {
    Ok(match a.u32("family")? {
        None | Some(0) => 0,
        Some(4) => nlkit::rtnl::AF_INET,
        Some(6) => nlkit::rtnl::AF_INET6,
        Some(_) => return Err(invalid("family")),
    })
}

/// The namespace an nsid request is about: a pid as is, anything else opened (and kept open
/// until the request has been sent).
fn target(a: &Args) -> R<(nsid::Target, Vec<std::os::fd::OwnedFd>)> {
    match a.netns("netns")?.ok_or_else(|| invalid("netns"))? {
        NetnsRef::Pid(p) => Ok((nsid::Target::Pid(p), Vec::new())),
        other => {
            let fd = other.open()?;
            Ok((nsid::Target::Fd(fd.as_raw_fd()), vec![fd]))
        }
    }
}

fn label(a: &Args) -> R<addrlabel::Label> {
    let Some(IpAddr::V6(prefix)) = a.ip("prefix")? else { return Err(invalid("prefix")) };
    let prefix_len = a.u8("prefixLen")?.filter(|l| *l <= 128).ok_or_else(|| invalid("prefix length"))?;
    Ok(addrlabel::Label { prefix, prefix_len, label: a.u32("label")?.unwrap_or(0), index: a.u32("index")?.unwrap_or(0) })
}

pub(super) fn request(a: &Args, name: &str) -> R<Request> {
    Ok(match name {
        "netconfList" => {
            let f = family(a)?;
            Request::dump(netconf::dump(f), Filter { index: a.u32("index")?, ..Default::default() })
        }
        "nsidList" => Request::dump(nsid::dump(), Filter::default()),
        "nsidGet" => {
            let (t, keep) = target(a)?;
            keeping(Request::get(nsid::get(t)), keep)
        }
        "nsidSet" => {
            let (t, keep) = target(a)?;
            let id = a.0.int("nsid", -1, i32::MAX as i64).map_err(bad)?.ok_or_else(|| invalid("nsid"))?;
            keeping(Request::ack(nsid::set(t, id as i32)), keep)
        }
        "maddrList" => {
            let f = match family(a)? {
                0 => return Err(invalid("family (the kernel dumps one at a time)")),
                f => f,
            };
            Request::dump(maddr::dump(f), Filter { index: a.u32("index")?, ..Default::default() })
        }
        "addrlabelList" => Request::dump(addrlabel::dump(), Filter::default()),
        "addrlabelAdd" | "addrlabelDel" => Request::ack(addrlabel::encode(&label(a)?, name == "addrlabelAdd")),
        "ntableList" => Request::dump(ntable::dump(family(a)?), Filter { index: a.u32("index")?, ..Default::default() }),
        "ntableChange" => {
            let table = a.str("table")?.ok_or_else(|| invalid("table"))?;
            let s = a.0.map("settings").map_err(bad)?.cloned().unwrap_or_else(Settings::new);
            Request::ack(ntable::change(family(a)?, table, a.u32("index")?.unwrap_or(0), &s).map_err(bad)?)
        }
        other => return Err(invalid(&format!("operation {other}"))),
    })
}
