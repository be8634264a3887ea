//! The registry of link kinds: one module per kind, each encoding its IFLA_INFO_DATA from
//! [`Settings`] and decoding it back into the same keys (so `linkGet` output round-trips into
//! `linkAdd`). Kinds without settings of their own (ifb, dummy, ...) need no module.

mod bareudp;
mod bond;
mod bridge;
pub(crate) mod common;
mod geneve;
mod gre;
mod hsr;
mod ip6tnl;
mod ipip;
mod ipoib;
mod ipvlan;
mod macsec;
mod macvlan;
mod netkit;
mod tun;
mod veth;
mod vlan;
mod vrf;
mod vti;
mod vxlan;
mod xfrm;

use std::os::fd::OwnedFd;

use crate::netns::NetnsRef;
use crate::rtnl::settings::Settings;
use crate::wire::MsgBuilder;

/// Resources an encoder needs kept alive until the request has been sent (namespace fds).
#[derive(Default)]
pub struct EncodeCtx {
    pub fds: Vec<OwnedFd>,
}

impl EncodeCtx {
    /// A peer's `netns` (veth's, netkit's): a pid as IFLA_NET_NS_PID, a name or path opened as
    /// IFLA_NET_NS_FD.
    pub fn peer_netns(&mut self, peer: &crate::rtnl::settings::Settings, b: &mut crate::wire::MsgBuilder) -> Result<(), String> {
        use crate::rtnl::link::{IFLA_NET_NS_FD, IFLA_NET_NS_PID};
        use crate::rtnl::settings::Value;
        match peer.get("netns") {
            None => {}
            Some(Value::Int(pid)) if *pid > 0 && *pid <= u32::MAX as i64 => {
                b.attr_u32(IFLA_NET_NS_PID, *pid as u32);
            }
            Some(Value::Str(ns)) => {
                let r = if ns.contains('/') { NetnsRef::Path(ns.into()) } else { NetnsRef::Name(ns.clone()) };
                let fd = self.netns_fd(&r)?;
                b.attr_u32(IFLA_NET_NS_FD, fd as u32);
            }
            Some(_) => return Err("peer.netns must be a namespace name, path or pid".into()),
        }
        Ok(())
    }

    /// Opens a namespace for an IFLA_NET_NS_FD attribute; the fd lives as long as the request.
    pub fn netns_fd(&mut self, ns: &NetnsRef) -> Result<i32, String> {
        use std::os::fd::AsRawFd;
        let fd = ns.open().map_err(|e| format!("network namespace {}: {e}", ns.describe()))?;
        let raw = fd.as_raw_fd();
        self.fds.push(fd);
        Ok(raw)
    }
}

pub trait LinkKind: Sync {
    /// IFLA_INFO_KIND.
    fn kind(&self) -> &'static str;
    /// The settings this kind accepts; decode produces a subset of them.
    fn keys(&self) -> &'static [&'static str];
    /// Writes the IFLA_INFO_DATA attributes (the nest is opened and closed by the caller).
    fn encode(&self, s: &Settings, b: &mut MsgBuilder, ctx: &mut EncodeCtx) -> Result<(), String>;
    /// Reads IFLA_INFO_DATA; unknown attributes are skipped, short ones ignored.
    fn decode(&self, data: &[u8]) -> Settings;
}

static KINDS: &[&dyn LinkKind] = &[
    &veth::Veth,
    &bridge::Bridge,
    &macvlan::Macvlan,
    &macvlan::Macvtap,
    &vxlan::Vxlan,
    &vlan::Vlan,
    &bond::Bond,
    &vrf::Vrf,
    &ipvlan::Ipvlan,
    &ipvlan::Ipvtap,
    &gre::GRE,
    &gre::GRETAP,
    &gre::IP6GRE,
    &gre::IP6GRETAP,
    &ipip::IPIP,
    &ipip::SIT,
    &tun::Tun,
    &geneve::Geneve,
    &vti::VTI,
    &vti::VTI6,
    &xfrm::Xfrm,
    &bareudp::Bareudp,
    &ip6tnl::Ip6tnl,
    &macsec::Macsec,
    &netkit::Netkit,
    &hsr::Hsr,
    &ipoib::Ipoib,
];

/// Kinds that take no settings of their own: only IFLA_INFO_KIND is sent (team is configured
/// over its generic netlink family, teamd's, not here).
const PLAIN: &[&str] = &["ifb", "dummy", "nlmon", "vcan", "wireguard", "team"];

pub fn lookup(kind: &str) -> Option<&'static dyn LinkKind> {
    KINDS.iter().copied().find(|k| k.kind() == kind)
}

/// Encodes a kind's data; a kind nlkit has no module for may be created without settings.
pub fn encode(kind: &str, s: &Settings, b: &mut MsgBuilder, ctx: &mut EncodeCtx) -> Result<bool, String> {
    match lookup(kind) {
        Some(k) => {
            s.check_known(k.keys())?;
            k.encode(s, b, ctx)?;
            Ok(true)
        }
        None if s.is_empty() => Ok(false),
        None if PLAIN.contains(&kind) => {
            let keys: Vec<&str> = s.0.iter().map(|(k, _)| k.as_str()).collect();
            Err(format!("kind {kind} takes no settings, got {}", keys.join(", ")))
        }
        None => Err(format!("settings for kind {kind:?} are not supported")),
    }
}

pub fn decode(kind: &str, data: &[u8]) -> Settings {
    lookup(kind).map(|k| k.decode(data)).unwrap_or_default()
}

/// Shared test helper: encode settings, wrap as a message, decode back.
#[cfg(test)]
pub(crate) fn roundtrip(kind: &str, s: &Settings) -> Settings {
    let mut b = MsgBuilder::new(0, 0);
    let mut ctx = EncodeCtx::default();
    encode(kind, s, &mut b, &mut ctx).expect("encode");
    let msg = b.finish();
    decode(kind, &msg[crate::wire::NLMSG_HDRLEN..])
}

#[cfg(test)]
mod tests {
    use super::common::testing::assert_iproute2_spec;
    use crate::rtnl::link::LinkSpec;
    use crate::rtnl::settings::Settings;

    /// A kind without settings is its IFLA_INFO_KIND alone, as iproute2 6.1 (and 6.18) send it
    /// (`strace -X raw`, kernel without team).
    #[test]
    fn team_equals_iproute2() {
        let spec = LinkSpec { name: Some("t0".into()), kind: Some("team".into()), ..Default::default() };
        // ip link add t0 type team
        assert_iproute2_spec(
            &spec,
            "340000001000050601b6116b000000000000000000000000000000000000000007000300743000000c001200080001007465616d",
        );
        // ip link add t0 mtu 1400 type team
        let spec = LinkSpec { mtu: Some(1400), ..spec };
        assert_iproute2_spec(
            &spec,
            "3c0000001000050603b6116b0000000000000000000000000000000000000000080004007805000007000300743000000c001200080001007465616d",
        );
    }

    #[test]
    fn team_takes_no_settings() {
        let mut s = Settings::new();
        s.set_str("runner", "lacp");
        let e = super::encode("team", &s, &mut crate::wire::MsgBuilder::new(0, 0), &mut super::EncodeCtx::default()).unwrap_err();
        assert!(e.contains("team takes no settings, got runner"), "{e}");
    }
}
