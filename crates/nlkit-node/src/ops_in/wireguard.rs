//! WireGuard's arguments in: the device of a get, and a device change (`args`, one JSON object
//! checked in src/genl/wireguard.ts; keys as base64) read into the core's DeviceSet.

use std::net::{IpAddr, SocketAddr};

use nlkit::genl::wireguard::{self, Dev, DeviceSet, PeerSet};
use nlkit::rtnl::settings::{Settings, Value};
use nlkit::Error;

fn bad(e: String) -> Error {
    Error::invalid(e)
}

pub fn dev(a: &Settings) -> Result<Dev, Error> {
    match (a.str("ifname").map_err(bad)?, a.u32("ifindex").map_err(bad)?) {
        (Some(n), None) => Ok(Dev::Name(n.to_string())),
        (None, Some(i)) => Ok(Dev::Index(i)),
        _ => Err(Error::invalid("give ifname or ifindex")),
    }
}

fn key(a: &Settings, k: &str) -> Result<Option<wireguard::Key>, Error> {
    a.str(k).map_err(bad)?.map(|s| wireguard::key_from_base64(s).map_err(|e| Error::invalid(format!("{k}: {e}")))).transpose()
}

fn maps<'a>(a: &'a Settings, k: &str) -> Result<Vec<&'a Settings>, Error> {
    match a.get(k) {
        None => Ok(Vec::new()),
        Some(Value::List(l)) => {
            l.iter().map(|v| if let Value::Map(m) = v { Ok(m) } else { Err(Error::invalid(format!("{k} must be objects"))) }).collect()
        }
        Some(_) => Err(Error::invalid(format!("{k} must be a list"))),
    }
}

fn prefix(s: &str) -> Result<(IpAddr, u8), Error> {
    let err = || Error::invalid(format!("allowed IP {s:?} must be ADDRESS/LENGTH"));
    let (a, l) = s.split_once('/').ok_or_else(err)?;
    Ok((a.parse().map_err(|_| err())?, l.parse().map_err(|_| err())?))
}

fn peer(p: &Settings) -> Result<PeerSet, Error> {
    let ips = match p.get("allowedIps") {
        None => Vec::new(),
        Some(Value::List(l)) => l
            .iter()
            .map(|v| if let Value::Str(s) = v { prefix(s) } else { Err(Error::invalid("allowedIps must be strings")) })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(Error::invalid("allowedIps must be a list")),
    };
    let endpoint = p
        .str("endpoint")
        .map_err(bad)?
        .map(|e| e.parse::<SocketAddr>().map_err(|_| Error::invalid(format!("endpoint {e:?} must be ADDRESS:PORT or [ADDRESS]:PORT"))))
        .transpose()?;
    Ok(PeerSet {
        public_key: key(p, "publicKey")?.ok_or_else(|| Error::invalid("publicKey is required"))?,
        preshared_key: key(p, "presharedKey")?,
        endpoint,
        persistent_keepalive: p.u16("persistentKeepalive").map_err(bad)?,
        allowed_ips: ips,
        replace_allowed_ips: p.bool("replaceAllowedIps").map_err(bad)?.unwrap_or(false),
        remove: p.bool("remove").map_err(bad)?.unwrap_or(false),
        update_only: p.bool("updateOnly").map_err(bad)?.unwrap_or(false),
    })
}

pub fn device_set(a: &Settings) -> Result<DeviceSet, Error> {
    Ok(DeviceSet {
        dev: dev(a)?,
        private_key: key(a, "privateKey")?,
        listen_port: a.u16("listenPort").map_err(bad)?,
        fwmark: a.u32("fwmark").map_err(bad)?,
        replace_peers: a.bool("replacePeers").map_err(bad)?.unwrap_or(false),
        peers: maps(a, "peers")?.into_iter().map(peer).collect::<Result<_, _>>()?,
    })
}
