//! The typed generic families with arguments (tcp_metrics, mptcp_pm, netdev, TASKSTATS,
//! wireguard's get): each
//! operation's `kind` names the request and `args` (one JSON object, checked in src/genl/)
//! carries its fields, read here into the core's typed arguments.

use std::net::IpAddr;

use nlkit::genl::{self, mptcp, netdev, taskstats, tcp_metrics, wireguard, Request};
use nlkit::rtnl::settings::Settings;
use nlkit::Error;

use super::genl::GenlOp;

pub fn request(op: &GenlOp) -> Result<Request, Error> {
    let a = args(op)?;
    let kind = op.kind.as_deref().unwrap_or("");
    let (family, call) = match op.op.as_str() {
        "tcpMetrics" => (tcp_metrics::FAMILY, tcp_metrics_call(kind, &a)?),
        "mptcp" => (mptcp::FAMILY, mptcp_call(kind, &a)?),
        "netdev" => {
            let k = match kind {
                "dev" => netdev::Kind::Dev,
                "queue" => netdev::Kind::Queue,
                "napi" => netdev::Kind::Napi,
                _ => return Err(unknown(op)),
            };
            (netdev::FAMILY, netdev::get(k, a.u32("ifindex").map_err(Error::invalid)?))
        }
        "taskstats" => {
            let task = match (a.u32("pid").map_err(Error::invalid)?, a.u32("tgid").map_err(Error::invalid)?) {
                (Some(p), None) => taskstats::Task::Pid(p),
                (None, Some(t)) => taskstats::Task::Tgid(t),
                _ => return Err(Error::invalid("give pid or tgid")),
            };
            (taskstats::FAMILY, taskstats::get(task)?)
        }
        "wireguard" if kind == "get" => (wireguard::FAMILY, wireguard::get(&super::wireguard::dev(&a)?)?),
        _ => return Err(unknown(op)),
    };
    genl::request(family, call)
}

fn unknown(op: &GenlOp) -> Error {
    Error::invalid(format!("unknown {} kind {:?}", op.op, op.kind))
}

pub fn args(op: &GenlOp) -> Result<Settings, Error> {
    let Some(text) = &op.args else { return Ok(Settings::new()) };
    let mut list = super::parse(&format!("[{text}]")).map_err(Error::invalid)?;
    list.pop().ok_or_else(|| Error::invalid("args must be an object"))
}

fn ip(a: &Settings, key: &str) -> Result<Option<IpAddr>, Error> {
    a.str(key)
        .map_err(Error::invalid)?
        .map(|s| s.parse().map_err(|_| Error::invalid(format!("{key} must be an IPv4 or IPv6 address"))))
        .transpose()
}

fn tcp_metrics_call(kind: &str, a: &Settings) -> Result<genl::Call, Error> {
    let (dst, source) = (ip(a, "dst")?, ip(a, "source")?);
    match kind {
        "list" => Ok(tcp_metrics::list()),
        "get" => tcp_metrics::get(dst.ok_or_else(|| Error::invalid("dst is required"))?, source),
        "del" => tcp_metrics::del(dst, source),
        _ => Err(Error::invalid(format!("unknown tcpMetrics kind {kind:?}"))),
    }
}

fn mptcp_call(kind: &str, a: &Settings) -> Result<genl::Call, Error> {
    let id = a.u8("id").map_err(Error::invalid)?;
    let flags = || -> Result<u32, Error> {
        match a.get("flags") {
            Some(nlkit::rtnl::settings::Value::List(l)) => {
                let names: Result<Vec<&str>, Error> = l
                    .iter()
                    .map(|v| match v {
                        nlkit::rtnl::settings::Value::Str(s) => Ok(s.as_str()),
                        _ => Err(Error::invalid("flags must be names")),
                    })
                    .collect();
                mptcp::flag_bits(names?)
            }
            None => Ok(0),
            Some(_) => Err(Error::invalid("flags must be a list of names")),
        }
    };
    let need_id = || id.ok_or_else(|| Error::invalid("id is required"));
    match kind {
        "list" => Ok(mptcp::list()),
        "get" => Ok(mptcp::get(need_id()?)),
        "flush" => Ok(mptcp::flush()),
        "limits" => Ok(mptcp::limits()),
        "add" => {
            let address = ip(a, "address")?.ok_or_else(|| Error::invalid("address is required"))?;
            let ifindex = a.u32("ifindex").map_err(Error::invalid)?.map(|i| i as i32);
            let port = a.u16("port").map_err(Error::invalid)?;
            mptcp::add(&mptcp::Endpoint { address, id, port, flags: flags()?, ifindex })
        }
        "del" => mptcp::del(need_id()?, ip(a, "address")?),
        "setFlags" => Ok(mptcp::set_flags(need_id()?, flags()?, ip(a, "address")?)),
        "setLimits" => mptcp::set_limits(a.u32("addAddrAccepted").map_err(Error::invalid)?, a.u32("subflows").map_err(Error::invalid)?),
        _ => Err(Error::invalid(format!("unknown mptcp kind {kind:?}"))),
    }
}
