//! Link operations in (`ip link`): linkGet/List/Add/Set/SetUp/Del, alternative names and
//! statistics -> core requests. src/links.ts has checked and resolved every field.

use nlkit::netns::NetnsRef;
use nlkit::rtnl::link::{self, stats, xdp, LinkSpec};
use nlkit::rtnl::settings::Settings;
use nlkit::rtnl::{after_link, Filter, LinkRef, Request};
use nlkit::Error;

use super::route::{bad, invalid, on_link, on_optional_link, Args};

type R<T> = Result<T, Error>;

fn link_spec(a: &Args) -> R<LinkSpec> {
    let netns = a.netns("netns")?;
    // A missing named/path namespace is ENOENT here, before anything is sent (a pid goes to the
    // kernel as IFLA_NET_NS_PID, which answers ESRCH itself).
    if let Some(ns @ (NetnsRef::Name(_) | NetnsRef::Path(_) | NetnsRef::Fd(_))) = &netns {
        ns.open()?;
    }
    Ok(LinkSpec {
        name: a.str("newName")?.or(a.str("ifname")?).map(String::from),
        kind: a.str("kind")?.map(String::from),
        info: a.0.map("info").map_err(bad)?.cloned().unwrap_or_default(),
        mtu: a.u32("mtu")?,
        address: a.mac("address")?,
        broadcast: a.mac("broadcast")?,
        txqlen: a.u32("txqlen")?,
        master: a.u32("master")?,
        link: a.u32("parent")?,
        alias: a.str("alias")?.map(String::from),
        group: a.u32("group")?,
        up: a.bool("up")?,
        if_flags: (a.u32("flagsSet")?.unwrap_or(0), a.u32("flagsMask")?.unwrap_or(0)),
        netns,
        carrier: a.bool("carrier")?,
        gso_max_size: a.u32("gsoMaxSize")?,
        gso_max_segs: a.u32("gsoMaxSegs")?,
        gro_max_size: a.u32("groMaxSize")?,
        gso_ipv4_max_size: a.u32("gsoIpv4MaxSize")?,
        gro_ipv4_max_size: a.u32("groIpv4MaxSize")?,
        proto_down: a.bool("protodown")?,
        proto_down_reason: match a.u32("protodownReasonValue")? {
            Some(v) => Some((a.u32("protodownReasonMask")?.unwrap_or(0), v)),
            None => None,
        },
        port: match (a.str("portKind")?, a.0.map("port").map_err(bad)?) {
            (Some(k), Some(s)) => Some((k.to_string(), s.clone())),
            (None, None) => None,
            _ => return Err(invalid("port settings need their master's kind")),
        },
        xdp: match (a.0.int("xdpFd", -1, i32::MAX as i64).map_err(bad)?, a.str("xdpPinned")?, a.u32("xdpFlags")?) {
            (None, None, None) => None,
            (fd, pinned, flags) => Some(xdp::Attach {
                prog: match (fd, pinned) {
                    (Some(-1) | None, None) => xdp::Prog::Detach,
                    (Some(fd), None) => xdp::Prog::Fd(fd as i32),
                    (None, Some(p)) => xdp::Prog::Pinned(p.to_string()),
                    (Some(_), Some(_)) => return Err(invalid("xdp: fd or pinned, not both")),
                },
                flags: flags.unwrap_or(xdp::UPDATE_IF_NOEXIST),
            }),
        },
    })
}

/// A link request; the namespace fds its message refers to live as long as the request.
fn link_request(e: Result<link::Encoded, String>) -> R<Request> {
    let enc = e.map_err(bad)?;
    let mut r = Request::ack(enc.bytes);
    r.keep = Some(Box::new(enc.ctx));
    Ok(r)
}

/// tun/tap links are made through /dev/net/tun (persistent, as `ip tuntap add` makes them), in
/// the connection's namespace; the other settings (mtu, up, master, ...) then follow as an
/// ordinary link change.
fn tun_add(a: &Args, netns: Option<&NetnsRef>) -> R<Request> {
    use nlkit::rtnl::link::tun::{self, TunMode, TunSpec};
    let name = a.str("ifname")?.ok_or_else(|| invalid("name"))?.to_string();
    let info = a.0.map("info").map_err(bad)?.cloned().unwrap_or_default();
    // The keys the `tun` kind decodes, so a tun/tap read back can be created again.
    info.check_known(&["mode", "multiQueue", "owner", "group", "persist", "pi", "vnetHdr"]).map_err(bad)?;
    if info.bool("pi").map_err(bad)? == Some(true) || info.bool("vnetHdr").map_err(bad)? == Some(true) {
        return Err(bad("tun/tap devices are made without packet information or vnet headers".into()));
    }
    let tap = match info.str("mode").map_err(bad)? {
        Some("tap") => true,
        Some("tun") => false,
        Some(_) => return Err(invalid("mode")),
        None => a.str("kind")? == Some("tap"),
    };
    let mut changes = link_spec(a)?;
    changes.kind = None;
    changes.info = Settings::new();
    changes.name = None;
    let spec = TunSpec {
        name: name.clone(),
        mode: if tap { TunMode::Tap } else { TunMode::Tun },
        multi_queue: info.bool("multiQueue").map_err(bad)?.unwrap_or(false),
        persist: true,
        owner: info.u32("owner").map_err(bad)?,
        group: info.u32("group").map_err(bad)?,
    };
    drop(tun::create_in(netns, &spec)?); // persistent: the device outlives this descriptor
    if changes == LinkSpec::default() {
        return Ok(Request::get(link::get(&LinkRef::Name(name))));
    }
    Ok(after_link(&name, move |i| link_request(link::set(i as i32, &changes))))
}

pub(super) fn request(a: &Args, name: &str, netns: Option<&NetnsRef>) -> R<Request> {
    Ok(match name {
        "linkAdd" if matches!(a.str("kind")?, Some("tun" | "tap")) => tun_add(a, netns)?,
        "linkGet" => Request::get(link::get(&a.link_ref()?.ok_or_else(|| invalid("link"))?)),
        "linkList" => Request::dump(link::dump(), Filter::default()),
        "linkSetUp" => Request::ack(link::set_up(&a.link_ref()?.ok_or_else(|| invalid("link"))?, a.bool("up")?.unwrap_or(true))),
        "linkDel" => Request::ack(link::del(&a.link_ref()?.ok_or_else(|| invalid("link"))?)),
        "linkAdd" => link_request(link::add(&link_spec(a)?))?,
        "linkSet" => {
            let spec = link_spec(a)?;
            on_link(a, move |i| link_request(link::set(i as i32, &spec)))?
        }
        "linkAltnameAdd" | "linkAltnameDel" => {
            let names = a.strs("altnames")?;
            Request::ack(link::altnames(&a.link_ref()?.ok_or_else(|| invalid("link"))?, &names, name == "linkAltnameAdd"))
        }
        "linkStats" => {
            let groups = a.u32("groups")?.unwrap_or(stats::GROUP_LINK);
            on_optional_link(a, move |idx| {
                let bytes = stats::request(idx.unwrap_or(0), groups);
                Ok(if idx.is_some() { Request::get(bytes) } else { Request::dump(bytes, Filter::default()) })
            })?
        }
        other => return Err(invalid(&format!("operation {other}"))),
    })
}
