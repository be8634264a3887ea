//! The plug-in each traffic-control kind implements (one module per qdisc, class, classifier or
//! action kind), and the registry that finds them: like the link kinds, each encodes its
//! options from [`Settings`] and decodes them back into the same keys, so a listed object can
//! be given back to an add or change.

use crate::rtnl::settings::Settings;
use crate::wire::MsgBuilder;

/// What a kind is the options of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Qdisc,
    /// A class of a classful qdisc (the qdisc's kind names the class kind: htb, hfsc).
    Class,
    Filter,
    Action,
}

/// What an encoder may need to know about the request it writes into.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ctx {
    /// A change of an existing object (`tc ... change`), not a creation.
    pub change: bool,
    /// The handle the request names (u32's hash table and node come from it).
    pub handle: u32,
    pub parent: u32,
    /// A filter's ethernet protocol, host order (flower matches on it and the keys it allows).
    pub protocol: u16,
}

pub trait TcKind: Sync {
    fn role(&self) -> Role;
    /// TCA_KIND (or TCA_ACT_KIND).
    fn kind(&self) -> &'static str;
    /// The settings this kind accepts; decode produces a subset of them.
    fn keys(&self) -> &'static [&'static str];
    /// Writes the kind's attributes after TCA_KIND: TCA_OPTIONS (or TCA_ACT_OPTIONS), as `tc`
    /// encodes them.
    fn encode(&self, s: &Settings, b: &mut MsgBuilder, cx: &Ctx) -> Result<(), String>;
    /// Reads TCA_OPTIONS' payload; unknown attributes are skipped, short ones ignored.
    fn decode(&self, options: &[u8]) -> Settings;
    /// Reads the kind's extended statistics (TCA_XSTATS / TCA_STATS_APP), as `tc -s` shows them.
    fn xstats(&self, _x: &[u8]) -> Settings {
        Settings::new()
    }
    /// A filter handle as `tc` takes it (u32's `800::800`); the default is a number (hex with
    /// `0x`, or decimal).
    fn parse_handle(&self, s: &str) -> Result<u32, String> {
        number_handle(s)
    }
    fn format_handle(&self, h: u32) -> String {
        format!("0x{h:x}")
    }
    /// The handle a request sends, from the one given and the options (u32's `order` names the
    /// node).
    fn request_handle(&self, _s: &Settings, handle: u32) -> Result<u32, String> {
        Ok(handle)
    }
    /// Statistics a kind reports inside TCA_OPTIONS (u32's per-key hit counters), as `xstats`.
    fn options_xstats(&self, _options: &[u8]) -> Settings {
        Settings::new()
    }
}

/// A filter handle as a number: hex with `0x`, or decimal (tc's `get_u32(.., 0)`).
pub fn number_handle(s: &str) -> Result<u32, String> {
    let v = match s.strip_prefix("0x") {
        Some(h) => u32::from_str_radix(h, 16),
        None => s.parse(),
    };
    v.map_err(|_| format!("malformed handle {s:?} (expected a number)"))
}

/// Kinds that take no options: only TCA_KIND is sent.
const PLAIN: &[(Role, &str)] = &[(Role::Qdisc, "ingress"), (Role::Qdisc, "clsact")];

pub fn lookup(role: Role, kind: &str) -> Option<&'static dyn TcKind> {
    let list: &[&dyn TcKind] = match role {
        Role::Qdisc | Role::Class => super::kinds::KINDS,
        Role::Filter => super::filters::KINDS,
        Role::Action => super::actions::KINDS,
    };
    list.iter().copied().find(|k| k.role() == role && k.kind() == kind)
}

/// Every kind nlkit knows for a role (for the registry's own checks and the docs).
pub fn known(role: Role) -> Vec<&'static str> {
    let mut out: Vec<&str> = PLAIN.iter().filter(|(r, _)| *r == role).map(|(_, k)| *k).collect();
    for list in [super::kinds::KINDS, super::filters::KINDS, super::actions::KINDS] {
        out.extend(list.iter().filter(|k| k.role() == role).map(|k| k.kind()));
    }
    out
}

/// Refuses a kind nlkit does not know for `role`, listing those it does.
pub fn check_known(role: Role, kind: &str) -> Result<(), String> {
    let all = known(role);
    if all.contains(&kind) {
        Ok(())
    } else {
        Err(format!("unknown kind {kind:?} (known: {})", all.join(", ")))
    }
}

/// Encodes a kind's options; an unknown kind is refused (the kernel would answer "unknown
/// kind" only after the other objects of a batch were changed).
pub fn encode(role: Role, kind: &str, s: &Settings, b: &mut MsgBuilder, cx: &Ctx) -> Result<(), String> {
    match lookup(role, kind) {
        Some(k) => {
            s.check_known(k.keys())?;
            k.encode(s, b, cx)
        }
        None if PLAIN.contains(&(role, kind)) && s.is_empty() => Ok(()),
        None if PLAIN.contains(&(role, kind)) => Err(format!("kind {kind} takes no options")),
        None => check_known(role, kind),
    }
}

pub fn decode(role: Role, kind: &str, options: &[u8]) -> Settings {
    lookup(role, kind).map(|k| k.decode(options)).unwrap_or_default()
}
