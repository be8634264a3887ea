//! The ethtool generic family (`ethtool`, uapi linux/ethtool_netlink.h): typed gets of link
//! info, link modes, link state, features, channels, rings, coalesce, timestamping info and
//! string sets, and features set. Bitsets are asked for in their verbose form, so mode and
//! feature names come from the kernel's own string sets inside each reply.
//!
//! - [`header`]: the request header (device by index or name) and the reply's
//! - [`bitset`]: verbose and compact bitsets
//! - [`link`]: link info, link modes, link state
//! - [`features`]: features get and set
//! - [`params`]: channels, rings, coalesce (flat tables of numbers)
//! - [`tsinfo`]: timestamping capabilities
//! - [`pause`]: pause frames, EEE, and the link modes set
//! - [`stats`]: standard statistics (IEEE 802.3 and RMON groups)
//! - [`strset`]: string sets

pub mod bitset;
pub mod features;
pub mod header;
pub mod link;
pub mod params;
pub mod pause;
pub mod stats;
pub mod strset;
pub mod tsinfo;

pub use header::Dev;

use super::Call;
use crate::conn::Mode;
use crate::rtnl::settings::Settings;
use crate::wire;

pub const FAMILY: &str = "ethtool";
/// ETHTOOL_GENL_VERSION.
pub const VERSION: u8 = 1;

/// ETHTOOL_MSG_*_GET (user to kernel).
const MSG_STRSET_GET: u8 = 1;
const MSG_LINKINFO_GET: u8 = 2;
const MSG_LINKMODES_GET: u8 = 4;
const MSG_LINKSTATE_GET: u8 = 6;
const MSG_FEATURES_GET: u8 = 11;
const MSG_FEATURES_SET: u8 = 12;
const MSG_RINGS_GET: u8 = 15;
const MSG_CHANNELS_GET: u8 = 17;
const MSG_COALESCE_GET: u8 = 19;
const MSG_TSINFO_GET: u8 = 25;
/// Every message's header nest is attribute 1.
pub const A_HEADER: u16 = 1;

/// A typed ethtool get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    LinkInfo,
    LinkModes,
    LinkState,
    Features,
    Channels,
    Rings,
    Coalesce,
    TsInfo,
    Strings,
    Pause,
    Eee,
    Stats,
}

impl Kind {
    pub fn from_name(s: &str) -> Option<Kind> {
        Some(match s {
            "linkInfo" => Kind::LinkInfo,
            "linkModes" => Kind::LinkModes,
            "linkState" => Kind::LinkState,
            "features" => Kind::Features,
            "channels" => Kind::Channels,
            "rings" => Kind::Rings,
            "coalesce" => Kind::Coalesce,
            "tsInfo" => Kind::TsInfo,
            "strings" => Kind::Strings,
            "pause" => Kind::Pause,
            "eee" => Kind::Eee,
            "stats" => Kind::Stats,
            _ => return None,
        })
    }

    fn cmd(self) -> u8 {
        match self {
            Kind::LinkInfo => MSG_LINKINFO_GET,
            Kind::LinkModes => MSG_LINKMODES_GET,
            Kind::LinkState => MSG_LINKSTATE_GET,
            Kind::Features => MSG_FEATURES_GET,
            Kind::Channels => MSG_CHANNELS_GET,
            Kind::Rings => MSG_RINGS_GET,
            Kind::Coalesce => MSG_COALESCE_GET,
            Kind::TsInfo => MSG_TSINFO_GET,
            Kind::Strings => MSG_STRSET_GET,
            Kind::Pause => pause::MSG_PAUSE_GET,
            Kind::Eee => pause::MSG_EEE_GET,
            Kind::Stats => stats::MSG_STATS_GET,
        }
    }
}

/// The request body: the header, and a string set's id for [`Kind::Strings`] (where the
/// device is optional: without one, the kernel's global sets).
pub fn get(kind: Kind, dev: Option<&Dev>, set: Option<u32>) -> crate::Result<Call> {
    let mut b = wire::MsgBuilder::new(0, 0);
    match (kind, dev) {
        (_, Some(d)) => header::put(&mut b, d, 0)?,
        // The kernel wants the header nest even empty (as ethtool sends it): the global sets.
        (Kind::Strings, None) => {
            let at = b.nest_start(A_HEADER);
            b.nest_end(at);
        }
        (_, None) => return Err(crate::Error::invalid("dev is required")),
    }
    if kind == Kind::Strings {
        let set = set.ok_or_else(|| crate::Error::invalid("set is required"))?;
        strset::put_request(&mut b, set);
    }
    Ok(Call { cmd: kind.cmd(), version: VERSION, flags: 0, body: body(b), mode: Mode::Get, decode: super::Decode::Ethtool(kind) })
}

/// ETHTOOL_MSG_FEATURES_SET of the named features (the kernel's names, `rx-gro`), acked
/// without a reply (ETHTOOL_FLAG_OMIT_REPLY). Names the kernel does not know fail with its
/// EOPNOTSUPP ("bit name not found").
pub fn features_set(dev: &Dev, changes: &[(String, bool)]) -> crate::Result<Call> {
    let mut b = wire::MsgBuilder::new(0, 0);
    header::put(&mut b, dev, header::FLAG_OMIT_REPLY)?;
    features::put_wanted(&mut b, changes)?;
    Ok(Call { cmd: MSG_FEATURES_SET, version: VERSION, flags: 0, body: body(b), mode: Mode::Ack, decode: super::Decode::Raw })
}

/// A builder's attributes (the netlink header it starts with dropped).
pub(crate) fn body(b: wire::MsgBuilder) -> Vec<u8> {
    b.finish().split_off(wire::NLMSG_HDRLEN)
}

/// A reply of `kind` (its attributes after genlmsghdr).
pub fn decode(kind: Kind, attrs: &[u8]) -> Option<Settings> {
    let mut s = Settings::new();
    header::decode(attrs, &mut s);
    match kind {
        Kind::LinkInfo => link::info(attrs, &mut s),
        Kind::LinkModes => link::modes(attrs, &mut s),
        Kind::LinkState => link::state(attrs, &mut s),
        Kind::Features => features::decode(attrs, &mut s),
        Kind::Channels => params::decode(params::CHANNELS, attrs, &mut s),
        Kind::Rings => params::decode(params::RINGS, attrs, &mut s),
        Kind::Coalesce => params::decode(params::COALESCE, attrs, &mut s),
        Kind::TsInfo => tsinfo::decode(attrs, &mut s),
        Kind::Strings => strset::decode(attrs, &mut s),
        Kind::Pause => pause::pause(attrs, &mut s),
        Kind::Eee => pause::eee(attrs, &mut s),
        Kind::Stats => stats::decode(attrs, &mut s),
    }
    Some(s)
}

/// An ethtool notification (its "monitor" group): the kind's name, as [`Kind::from_name`]
/// reads it, and its content, which has the layout of the kind's get reply. Other
/// notifications (debug, WoL, pause, EEE, cable tests, ...) are `None`: not modelled yet.
pub fn notification(cmd: u8, attrs: &[u8]) -> Option<(&'static str, Settings)> {
    let (name, kind) = match cmd {
        3 => ("linkInfo", Kind::LinkInfo),
        5 => ("linkModes", Kind::LinkModes),
        13 => ("features", Kind::Features),
        17 => ("rings", Kind::Rings),
        19 => ("channels", Kind::Channels),
        21 => ("coalesce", Kind::Coalesce),
        23 => ("pause", Kind::Pause),
        25 => ("eee", Kind::Eee),
        _ => return None,
    };
    decode(kind, attrs).map(|s| (name, s))
}

pub(crate) use super::table::attrs;

#[cfg(test)]
mod tests {
    use super::*;

    /// What `ethtool va`, `ethtool -l va` and `ethtool -k va` send after the nlmsghdr (strace
    /// -X raw, ethtool 6.1): genlmsghdr and attributes. (ethtool adds NLM_F_ACK; a get here is
    /// answered by its reply or an error alone.)
    const VA: [u8; 12] = [0x0c, 0x00, 0x01, 0x80, 0x07, 0x00, 0x02, 0x00, b'v', b'a', 0, 0];

    fn payload(kind: Kind, dev: Option<&Dev>, set: Option<u32>) -> Vec<u8> {
        let c = get(kind, dev, set).unwrap();
        let m = super::super::message(0x15, c.cmd, c.version, 0, &c.body);
        m[wire::NLMSG_HDRLEN..].to_vec()
    }

    #[test]
    fn gets_are_byte_equal_with_ethtool() {
        let va = Dev::Name("va".into());
        for (kind, cmd) in [(Kind::LinkInfo, 0x02), (Kind::LinkModes, 0x04), (Kind::LinkState, 0x06), (Kind::Channels, 0x11)] {
            let mut want = vec![cmd, 1, 0, 0];
            want.extend_from_slice(&VA);
            assert_eq!(payload(kind, Some(&va), None), want, "{kind:?}");
        }
        // The global "features" string set: an empty header, then the set's id.
        let want = [1, 1, 0, 0, 4, 0, 1, 0x80, 0x10, 0, 2, 0x80, 0x0c, 0, 1, 0x80, 8, 0, 1, 0, 4, 0, 0, 0];
        assert_eq!(payload(Kind::Strings, None, Some(4)), want);
        assert!(get(Kind::LinkInfo, None, None).is_err());
        assert!(get(Kind::LinkInfo, Some(&Dev::Index(0)), None).is_err());
        assert!(get(Kind::LinkInfo, Some(&Dev::Name("x".repeat(16))), None).is_err());
        assert!(features_set(&va, &[]).is_err());
    }

    #[test]
    fn notifications_by_command() {
        let mut b = wire::MsgBuilder::new(0, 0);
        b.attr_u32(6, 2); // CHANNELS_RX_COUNT
        let a = body(b);
        let (kind, s) = notification(19, &a).unwrap();
        assert_eq!(kind, "channels");
        assert_eq!(s.get("rxCount"), Some(&crate::rtnl::settings::Value::Int(2)));
        assert!(notification(8, &a).is_none());
    }

    #[test]
    fn every_reply_prefix_decodes_without_a_panic() {
        let mut b = wire::MsgBuilder::new(0, 0);
        let h = b.nest_start(A_HEADER);
        b.attr_u32(1, 3).attr_str(2, "va");
        b.nest_end(h);
        bitset::put_named(&mut b, 2, &[("rx-gro".into(), true)]);
        b.attr_u32(5, 10000).attr_u8(6, 1);
        let a = body(b);
        for kind in [
            Kind::LinkInfo,
            Kind::LinkModes,
            Kind::LinkState,
            Kind::Features,
            Kind::Channels,
            Kind::Rings,
            Kind::Coalesce,
            Kind::TsInfo,
            Kind::Strings,
            Kind::Pause,
            Kind::Eee,
            Kind::Stats,
        ] {
            for n in 0..=a.len() {
                decode(kind, &a[..n]);
            }
        }
        let s = decode(Kind::LinkModes, &a).unwrap();
        assert_eq!(s.get("ifname"), Some(&crate::rtnl::settings::Value::Str("va".into())));
        assert_eq!(s.get("speed"), Some(&crate::rtnl::settings::Value::Int(10000)));
    }
}
