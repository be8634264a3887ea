//! Traffic control (`tc`): qdiscs, classes, filters and chains (RTM_*QDISC, RTM_*TCLASS,
//! RTM_*TFILTER, RTM_*CHAIN share `struct tcmsg` and the TCA_* attributes), with a registry of
//! kinds (`kinds/` qdiscs and classes, `filters/` classifiers, `actions/` actions) encoding and
//! decoding each kind's options.

pub mod actions;
pub mod filters;
pub mod handle;
pub mod kind;
pub mod kinds;
pub mod psched;
pub mod standalone;
pub mod stats;
pub mod units;

use crate::rtnl::settings::Settings;
use crate::wire::{attr_str, attr_u32, attr_u8, attrs, fixed, MsgBuilder, WireError, NLMSG_HDRLEN};
use crate::wire::{NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_REPLACE};
pub use kind::Role;
pub use stats::Stats;

pub const RTM_NEWQDISC: u16 = 36;
pub const RTM_DELQDISC: u16 = 37;
pub const RTM_GETQDISC: u16 = 38;
pub const RTM_NEWTCLASS: u16 = 40;
pub const RTM_DELTCLASS: u16 = 41;
pub const RTM_GETTCLASS: u16 = 42;
pub const RTM_NEWTFILTER: u16 = 44;
pub const RTM_DELTFILTER: u16 = 45;
pub const RTM_GETTFILTER: u16 = 46;
pub const RTM_NEWCHAIN: u16 = 100;
pub const RTM_DELCHAIN: u16 = 101;
pub const RTM_GETCHAIN: u16 = 102;

pub const TCA_KIND: u16 = 1;
pub const TCA_OPTIONS: u16 = 2;
const TCA_STATS: u16 = 3;
const TCA_XSTATS: u16 = 4;
const TCA_STATS2: u16 = 7;
const TCA_CHAIN: u16 = 11;
const TCA_HW_OFFLOAD: u16 = 12;
const TCA_INGRESS_BLOCK: u16 = 13;
const TCA_EGRESS_BLOCK: u16 = 14;

const TCMSG_LEN: usize = 20;

/// Which of the four tc objects a message is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TcType {
    #[default]
    Qdisc,
    Class,
    Filter,
    Chain,
    /// Standalone actions (`tc actions`; standalone.rs encodes and decodes them).
    Action,
}

impl TcType {
    /// (new, del, get) message types.
    const fn messages(self) -> (u16, u16, u16) {
        match self {
            TcType::Qdisc => (RTM_NEWQDISC, RTM_DELQDISC, RTM_GETQDISC),
            TcType::Class => (RTM_NEWTCLASS, RTM_DELTCLASS, RTM_GETTCLASS),
            TcType::Filter => (RTM_NEWTFILTER, RTM_DELTFILTER, RTM_GETTFILTER),
            TcType::Chain => (RTM_NEWCHAIN, RTM_DELCHAIN, RTM_GETCHAIN),
            TcType::Action => (standalone::RTM_NEWACTION, standalone::RTM_DELACTION, standalone::RTM_GETACTION),
        }
    }

    /// The type and whether it announces a new object, for a message type.
    pub fn of_message(ty: u16) -> Option<(TcType, bool)> {
        [TcType::Qdisc, TcType::Class, TcType::Filter, TcType::Chain].into_iter().find_map(|t| {
            let (new, del, _) = t.messages();
            (ty == new).then_some((t, true)).or((ty == del).then_some((t, false)))
        })
    }

    /// How tc and events name it.
    pub fn name(self) -> &'static str {
        match self {
            TcType::Qdisc => "qdisc",
            TcType::Class => "class",
            TcType::Filter => "filter",
            TcType::Chain => "chain",
            TcType::Action => "action",
        }
    }

    /// Whose kind registry decodes its options.
    fn role(self) -> Role {
        match self {
            TcType::Qdisc => Role::Qdisc,
            TcType::Class => Role::Class,
            TcType::Filter | TcType::Chain => Role::Filter,
            TcType::Action => Role::Action,
        }
    }
}

/// What `tc qdisc|class|filter|chain add|replace|change|del` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TcOp {
    Add,
    Replace,
    Change,
    Del,
    /// One object (RTM_GET* without a dump: filters by handle).
    Get,
}

/// A request: the `tcmsg` fields, the kind and its options.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TcSpec {
    pub ifindex: u32,
    pub handle: u32,
    pub parent: u32,
    /// Filters: `pref << 16 | protocol` (the protocol in network byte order, as tc sends it).
    pub info: u32,
    pub kind: Option<String>,
    pub chain: Option<u32>,
    pub options: Settings,
}

/// A filter's `tcm_info` from its preference and ethernet protocol (host order).
pub fn filter_info(pref: u16, protocol: u16) -> u32 {
    (pref as u32) << 16 | protocol.to_be() as u32
}

fn tcmsg(ifindex: u32, handle: u32, parent: u32, info: u32) -> [u8; TCMSG_LEN] {
    let mut m = [0u8; TCMSG_LEN];
    m[4..8].copy_from_slice(&ifindex.to_ne_bytes());
    m[8..12].copy_from_slice(&handle.to_ne_bytes());
    m[12..16].copy_from_slice(&parent.to_ne_bytes());
    m[16..20].copy_from_slice(&info.to_ne_bytes());
    m
}

/// Sets the link of an encoded request (its tcmsg's `tcm_ifindex`), once a named link is resolved.
pub fn set_ifindex(msg: &mut [u8], ifindex: u32) {
    if let Some(w) = msg.get_mut(NLMSG_HDRLEN + 4..NLMSG_HDRLEN + 8) {
        w.copy_from_slice(&ifindex.to_ne_bytes());
    }
}

/// Encodes a request as `tc` does: TCA_KIND, TCA_CHAIN, then the kind's options. A delete
/// sends the kind (the kernel checks it matches) but no options. Descriptors the options
/// opened (pinned BPF programs) are the caller's to keep until the answer: [`take_kept`].
pub fn encode(ty: TcType, spec: &TcSpec, op: TcOp) -> Result<Vec<u8>, String> {
    drop(take_kept()); // left by an earlier encode that failed
    let (new, del, get) = ty.messages();
    let (msg, flags) = match op {
        TcOp::Add => (new, NLM_F_CREATE | NLM_F_EXCL),
        // tc's `filter replace` sends NLM_F_CREATE alone (the kernel changes a filter that
        // exists unless NLM_F_EXCL); qdiscs and classes take NLM_F_REPLACE.
        TcOp::Replace if ty == TcType::Filter => (new, NLM_F_CREATE),
        TcOp::Replace => (new, NLM_F_CREATE | NLM_F_REPLACE),
        TcOp::Change => (new, 0),
        TcOp::Del => (del, 0),
        TcOp::Get => (get, 0),
    };
    let mut b = MsgBuilder::new(msg, flags | NLM_F_ACK);
    let handle = match (&spec.kind, op) {
        (Some(k), TcOp::Add | TcOp::Replace | TcOp::Change) => match kind::lookup(ty.role(), k) {
            Some(k) => k.request_handle(&spec.options, spec.handle)?,
            None => spec.handle,
        },
        _ => spec.handle,
    };
    b.push(&tcmsg(spec.ifindex, handle, spec.parent, spec.info));
    if let Some(kind) = &spec.kind {
        b.attr_str(TCA_KIND, kind);
    }
    if let Some(c) = spec.chain {
        b.attr_u32(TCA_CHAIN, c);
    }
    match (&spec.kind, op) {
        (Some(kind), TcOp::Add | TcOp::Replace | TcOp::Change) => {
            let cx = kind::Ctx { change: op == TcOp::Change, handle, parent: spec.parent, protocol: u16::from_be(spec.info as u16) };
            kind::encode(ty.role(), kind, &spec.options, &mut b, &cx)?;
        }
        (Some(kind), _) => kind::check_known(ty.role(), kind)?,
        (None, _) if !spec.options.is_empty() => return Err("options need a kind".into()),
        _ => {}
    }
    Ok(b.finish())
}

pub use filters::common::take_kept;

/// A dump of one type on one link (0: every link, for qdiscs), under `parent` (0: all) and, for
/// filters, in one chain.
pub fn dump(ty: TcType, ifindex: u32, parent: u32, chain: Option<u32>) -> Vec<u8> {
    let mut b = MsgBuilder::new(ty.messages().2, NLM_F_DUMP);
    b.push(&tcmsg(ifindex, 0, parent, 0));
    if let Some(c) = chain {
        b.attr_u32(TCA_CHAIN, c);
    }
    b.finish()
}

/// A qdisc, class, filter or chain as the kernel reports it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tc {
    pub ty: TcType,
    pub ifindex: u32,
    pub handle: u32,
    pub parent: u32,
    pub info: u32,
    pub kind: Option<String>,
    pub chain: Option<u32>,
    pub options: Settings,
    pub stats: Option<Stats>,
    pub xstats: Settings,
    pub hw_offload: Option<bool>,
    pub ingress_block: Option<u32>,
    pub egress_block: Option<u32>,
    /// Standalone actions: the message's actions and, in a dump, TCA_ROOT_COUNT.
    pub actions: Vec<crate::rtnl::settings::Value>,
    pub count: Option<u32>,
}

impl Tc {
    /// A filter's preference (`tc filter ... pref`).
    pub fn pref(&self) -> u16 {
        (self.info >> 16) as u16
    }
    /// A filter's ethernet protocol, host order.
    pub fn protocol(&self) -> u16 {
        u16::from_be(self.info as u16)
    }
}

pub fn decode(ty: TcType, payload: &[u8]) -> Result<Tc, WireError> {
    if payload.len() < TCMSG_LEN {
        return Err(WireError("tcmsg too short"));
    }
    let h: [u8; TCMSG_LEN] = fixed(payload);
    let word = |i: usize| u32::from_ne_bytes([h[i], h[i + 1], h[i + 2], h[i + 3]]);
    let mut t = Tc { ty, ifindex: word(4), handle: word(8), parent: word(12), info: word(16), ..Default::default() };
    let (mut options, mut xstats) = (None, None);
    for a in attrs(&payload[TCMSG_LEN..]) {
        let (k, v) = a?;
        match k {
            TCA_KIND => t.kind = Some(attr_str(v)),
            TCA_OPTIONS => options = Some(v),
            TCA_XSTATS => xstats = Some(v),
            TCA_CHAIN => t.chain = attr_u32(v),
            TCA_HW_OFFLOAD => t.hw_offload = attr_u8(v).map(|b| b != 0),
            TCA_INGRESS_BLOCK => t.ingress_block = attr_u32(v),
            TCA_EGRESS_BLOCK => t.egress_block = attr_u32(v),
            TCA_STATS2 => {
                let (s, app) = stats::decode_stats2(v);
                t.stats = Some(s);
                xstats = xstats.or(app);
            }
            TCA_STATS if t.stats.is_none() => t.stats = stats::decode_legacy(v),
            _ => {}
        }
    }
    if let Some(kind) = &t.kind {
        let role = ty.role();
        if let Some(o) = options {
            t.options = kind::decode(role, kind, o);
            if let Some(k) = kind::lookup(role, kind) {
                t.xstats = k.options_xstats(o);
            }
        }
        // A flow of a classless qdisc listed as a class (fq_codel's, sfq's) reports the
        // qdisc kind's xstats: no class kind of that name exists.
        let xkind = kind::lookup(role, kind).or_else(|| if role == Role::Class { kind::lookup(Role::Qdisc, kind) } else { None });
        if let (Some(x), Some(k)) = (xstats, xkind) {
            t.xstats = k.xstats(x);
        }
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_framed_as_tc_frames_them() {
        // `tc qdisc add dev <3> ingress` (iproute2 6.1, seq zeroed).
        let spec =
            TcSpec { ifindex: 3, handle: 0xFFFF_0000, parent: handle::TC_H_INGRESS, kind: Some("ingress".into()), ..Default::default() };
        let m = encode(TcType::Qdisc, &spec, TcOp::Add).unwrap();
        assert_eq!(m.len(), 48);
        assert_eq!(&m[4..8], &[0x24, 0, 0x05, 0x06]);
        assert_eq!(&m[36..48], b"\x0c\x00\x01\x00ingress\x00");
        let d = encode(TcType::Qdisc, &spec, TcOp::Del).unwrap();
        assert_eq!(&d[4..8], &[0x25, 0, 0x05, 0]);
        assert!(encode(TcType::Qdisc, &TcSpec { kind: Some("nosuch".into()), ..spec.clone() }, TcOp::Add)
            .unwrap_err()
            .contains("unknown kind"));
        assert!(encode(TcType::Qdisc, &TcSpec { kind: Some("nosuch".into()), ..spec.clone() }, TcOp::Del).is_err());
        // The index written in later is the message encoded with it.
        let mut late = encode(TcType::Qdisc, &TcSpec { ifindex: 0, ..spec.clone() }, TcOp::Add).unwrap();
        set_ifindex(&mut late, 3);
        assert_eq!(late, m);
        set_ifindex(&mut [0u8; 10], 3); // too short: left alone
    }

    #[test]
    fn decode_survives_any_cut() {
        let spec =
            TcSpec { ifindex: 3, handle: 0x10000, parent: u32::MAX, kind: Some("clsact".into()), chain: Some(2), ..Default::default() };
        let m = encode(TcType::Qdisc, &spec, TcOp::Add).unwrap();
        let t = decode(TcType::Qdisc, &m[16..]).unwrap();
        assert_eq!((t.ifindex, t.handle, t.parent, t.kind.as_deref(), t.chain), (3, 0x10000, u32::MAX, Some("clsact"), Some(2)));
        for n in 16..m.len() {
            let _ = decode(TcType::Qdisc, &m[16..n]);
        }
    }
}
