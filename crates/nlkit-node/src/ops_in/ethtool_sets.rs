//! ethtool gets with options (standard statistics by group, pause with its counters) and the
//! sets of pause, EEE and link modes: their `args` (one JSON object, checked in
//! src/genl/ethtool.ts) read into the core's calls.

use nlkit::genl::ethtool::{self, pause, stats, Dev, Kind};
use nlkit::genl::Call;
use nlkit::rtnl::settings::{Settings, Value};
use nlkit::Error;

use super::genl::GenlOp;

fn bad(e: String) -> Error {
    Error::invalid(e)
}

fn names(a: &Settings, k: &str) -> Result<Option<Vec<String>>, Error> {
    match a.get(k) {
        None => Ok(None),
        Some(Value::List(l)) => l
            .iter()
            .map(|v| if let Value::Str(s) = v { Ok(s.clone()) } else { Err(Error::invalid(format!("{k} must be names"))) })
            .collect::<Result<_, _>>()
            .map(Some),
        Some(_) => Err(Error::invalid(format!("{k} must be a list of names"))),
    }
}

pub fn get(kind: Kind, dev: &Dev, op: &GenlOp) -> Result<Call, Error> {
    let a = super::genl_families::args(op)?;
    match kind {
        Kind::Stats => stats::get(dev, names(&a, "groups")?.as_deref()),
        Kind::Pause => pause::pause_get(dev, a.bool("stats").map_err(bad)?.unwrap_or(false)),
        _ => ethtool::get(kind, Some(dev), op.set),
    }
}

pub fn set(kind: &str, dev: &Dev, op: &GenlOp) -> Result<Call, Error> {
    let a = super::genl_families::args(op)?;
    let b = |k: &str| a.bool(k).map_err(bad);
    match kind {
        "pause" => pause::pause_set(dev, b("autoneg")?, b("rx")?, b("tx")?),
        "eee" => {
            pause::eee_set(dev, b("enabled")?, b("txLpiEnabled")?, a.u32("txLpiTimer").map_err(bad)?, names(&a, "advertised")?.as_deref())
        }
        "linkModes" => {
            let duplex = a.choice("duplex", &[("half", 0u8), ("full", 1)]).map_err(bad)?;
            let m = pause::LinkModesSet {
                speed: a.u32("speed").map_err(bad)?,
                duplex,
                autoneg: b("autoneg")?,
                lanes: a.u32("lanes").map_err(bad)?,
                advertised: names(&a, "advertised")?,
            };
            pause::link_modes_set(dev, &m)
        }
        _ => Err(Error::invalid(format!("unknown ethtool set {kind:?}"))),
    }
}
