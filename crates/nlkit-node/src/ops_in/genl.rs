//! Generic netlink operations in, field for field as src/genl/conn.ts builds them (checked
//! there; checked again here so nothing malformed reaches the wire).

use napi::bindgen_prelude::Buffer;
use napi_derive::napi;
use nlkit::conn::Mode;
use nlkit::genl::{self, ctrl, ethtool, Call, Decode, Request};
use nlkit::Error;

/// One generic operation. `op` says which fields it reads:
/// - `request`: `family`, `cmd`, `version`, `flags`, `payload` (the bytes after genlmsghdr), `dump`
/// - `family` (`family`), `families`: the controller
/// - `ethtool`: `kind` (linkInfo, linkModes, ...), `devIndex` or `devName`, `set` (strings)
/// - `ethtoolFeaturesSet`: the device, `featuresOn`, `featuresOff`
/// - `ethtoolSet`: `kind` (pause, eee, linkModes), the device, `args` (see ethtool_sets.rs)
/// - `tcpMetrics`, `mptcp`, `netdev`, `taskstats`, `wireguard`: `kind` and `args` (see genl_families.rs)
#[napi(object)]
pub struct GenlOp {
    pub token: u32,
    /// Deadline, ms (default: the connection's).
    pub timeout: Option<u32>,
    pub op: String,
    pub family: Option<String>,
    pub cmd: Option<u32>,
    pub version: Option<u32>,
    pub flags: Option<u32>,
    pub payload: Option<Buffer>,
    pub dump: Option<bool>,
    pub kind: Option<String>,
    pub dev_index: Option<u32>,
    pub dev_name: Option<String>,
    pub set: Option<u32>,
    pub features_on: Option<Vec<String>>,
    pub features_off: Option<Vec<String>>,
    /// A typed family's arguments: one JSON object.
    pub args: Option<String>,
}

fn u8_of(v: Option<u32>, what: &str, default: u8) -> Result<u8, Error> {
    v.map_or(Ok(default), |n| u8::try_from(n).map_err(|_| Error::invalid(format!("{what} must be below 256"))))
}

pub(super) fn dev(op: &GenlOp) -> Result<Option<ethtool::Dev>, Error> {
    Ok(match (op.dev_index, &op.dev_name) {
        (Some(_), Some(_)) => return Err(Error::invalid("dev: give an index or a name, not both")),
        (Some(i), None) => Some(ethtool::Dev::Index(i)),
        (None, Some(n)) => Some(ethtool::Dev::Name(n.clone())),
        (None, None) => None,
    })
}

pub fn request(op: &GenlOp) -> Result<Request, Error> {
    let family = || op.family.as_deref().ok_or_else(|| Error::invalid("family is required"));
    match op.op.as_str() {
        "request" => {
            let cmd = u8_of(Some(op.cmd.ok_or_else(|| Error::invalid("cmd is required"))?), "cmd", 0)?;
            let flags = u16::try_from(op.flags.unwrap_or(0)).map_err(|_| Error::invalid("flags must be below 65536"))?;
            let body = op.payload.as_ref().map(|p| p.to_vec()).unwrap_or_default();
            let mode = if op.dump == Some(true) { Mode::Dump } else { Mode::Collect };
            genl::request(family()?, Call { cmd, version: u8_of(op.version, "version", 1)?, flags, body, mode, decode: Decode::Raw })
        }
        "family" | "families" => {
            let mut b = nlkit::wire::MsgBuilder::new(0, 0);
            let mode = if op.op == "families" {
                Mode::Dump
            } else {
                b.attr_str(ctrl::CTRL_ATTR_FAMILY_NAME, family()?);
                Mode::Get
            };
            let body = b.finish().split_off(nlkit::wire::NLMSG_HDRLEN);
            let call = Call { cmd: ctrl::CTRL_CMD_GETFAMILY, version: ctrl::CTRL_VERSION, flags: 0, body, mode, decode: Decode::Family };
            genl::request(ctrl::CTRL_NAME, call)
        }
        "ethtool" => {
            let kind = op.kind.as_deref().and_then(ethtool::Kind::from_name).ok_or_else(|| Error::invalid("unknown ethtool kind"))?;
            let d = dev(op)?;
            let call = match (kind, &d) {
                (ethtool::Kind::Stats | ethtool::Kind::Pause, Some(d)) => super::ethtool_sets::get(kind, d, op)?,
                _ => ethtool::get(kind, d.as_ref(), op.set)?,
            };
            genl::request(ethtool::FAMILY, call)
        }
        "ethtoolSet" => {
            let d = dev(op)?.ok_or_else(|| Error::invalid("dev is required"))?;
            genl::request(ethtool::FAMILY, super::ethtool_sets::set(op.kind.as_deref().unwrap_or(""), &d, op)?)
        }
        "ethtoolFeaturesSet" => {
            let d = dev(op)?.ok_or_else(|| Error::invalid("dev is required"))?;
            let on = op.features_on.iter().flatten().map(|n| (n.clone(), true));
            let changes: Vec<_> = on.chain(op.features_off.iter().flatten().map(|n| (n.clone(), false))).collect();
            genl::request(ethtool::FAMILY, ethtool::features_set(&d, &changes)?)
        }
        "tcpMetrics" | "mptcp" | "netdev" | "taskstats" | "wireguard" => super::genl_families::request(op),
        other => Err(Error::invalid(format!("unknown generic operation {other:?}"))),
    }
}
