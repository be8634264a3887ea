//! List filters. The state dump filters in the kernel by addresses, family and protocol
//! (XFRMA_ADDRESS_FILTER and XFRMA_PROTO, read by xfrm_dump_sa, sent the way `ip xfrm state
//! list` sends them); what it does not filter (a state's spi, mode, reqid) is matched here on
//! each state listed, as `ip` does. The policy dump takes no attributes at all (the kernel walks
//! every policy of every type), so every key of a policy filter is matched here.

use super::addr;
use super::policy::{DIRS, INFO_LEN as POL_LEN, TYPES, XPROTOS};
use super::*;
use crate::rtnl::settings::Settings;
use crate::wire::{attrs, u16_at, u32_at};

pub const XFRMA_PROTO: u16 = 25;
pub const XFRMA_ADDRESS_FILTER: u16 = 26;

const STATE_KEYS: &[&str] = &["src", "dst", "family", "proto", "spi", "mode", "reqid"];
const POLICY_KEYS: &[&str] = &["selector", "dir", "type", "index", "priority", "action"];
const SEL_KEYS: &[&str] = &["family", "src", "dst", "proto", "sport", "dport"];

/// A prefix: the address bytes and how many leading bits must match.
type Prefix = ([u8; 16], u8);

/// What the kernel does not filter of a state dump.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StateMatch {
    spi: Option<u32>,
    mode: Option<u8>,
    reqid: Option<u32>,
}

impl StateMatch {
    /// Whether the state whose xfrm_usersa_info starts `info` is kept.
    pub fn accepts(&self, info: &[u8]) -> bool {
        let i: [u8; state::INFO_LEN] = crate::wire::fixed(info);
        self.spi.is_none_or(|s| u32::from_be_bytes([i[72], i[73], i[74], i[75]]) == s)
            && self.mode.is_none_or(|m| i[214] == m)
            && self.reqid.is_none_or(|r| u32_at(&i, 208) == r)
    }
}

/// A policy filter, matched on each listed policy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PolicyMatch {
    dir: Option<u8>,
    ptype: Option<u8>,
    family: Option<u16>,
    src: Option<Prefix>,
    dst: Option<Prefix>,
    proto: Option<u8>,
    sport: Option<u16>,
    dport: Option<u16>,
    index: Option<u32>,
    priority: Option<u32>,
    action: Option<u8>,
}

/// Whether the first `bits` bits of `a` and `b` agree (the kernel's and `ip`'s addr_match).
fn prefix_match(a: &[u8], p: &Prefix) -> bool {
    let (whole, rest) = (p.1 as usize / 8, p.1 % 8);
    a.get(..whole) == p.0.get(..whole) && (rest == 0 || (a.get(whole).copied().unwrap_or(0) ^ p.0[whole]) >> (8 - rest) == 0)
}

impl PolicyMatch {
    /// Whether the policy whose xfrm_userpolicy_info (and attributes) is `payload` is kept.
    pub fn accepts(&self, payload: &[u8]) -> bool {
        let p: [u8; POL_LEN] = crate::wire::fixed(payload);
        let be16 = |off: usize| u16::from_be_bytes([p[off], p[off + 1]]);
        // The policy type is an attribute (absent: main).
        let ptype = attrs(payload.get(POL_LEN..).unwrap_or(&[]))
            .filter_map(|a| a.ok())
            .find(|(ty, v)| *ty == XFRMA_POLICY_TYPE && !v.is_empty())
            .map_or(0, |(_, v)| v[0]);
        self.dir.is_none_or(|d| p[160] == d)
            && self.ptype.is_none_or(|t| ptype == t)
            && self.family.is_none_or(|f| u16_at(&p, 40) == f)
            && self.dst.is_none_or(|x| prefix_match(&p[0..16], &x))
            && self.src.is_none_or(|x| prefix_match(&p[16..32], &x))
            && self.proto.is_none_or(|x| p[44] == x)
            && self.dport.is_none_or(|x| be16(32) == x)
            && self.sport.is_none_or(|x| be16(36) == x)
            && self.index.is_none_or(|x| u32_at(&p, 156) == x)
            && self.priority.is_none_or(|x| u32_at(&p, 152) == x)
            && self.action.is_none_or(|x| p[161] == x)
    }
}

/// A filter's family and its `src`/`dst` prefixes.
type Addrs = (Option<u16>, Option<Prefix>, Option<Prefix>);

/// `src`/`dst` of a filter as prefixes (a bare address is a host prefix), agreeing with
/// `family` and each other.
fn prefixes(s: &Settings, what: &str) -> Result<Addrs, String> {
    let mut family = addr::family_of(s).map_err(|e| format!("{what}{e}"))?;
    let mut out = [None, None];
    for (i, key) in ["src", "dst"].iter().enumerate() {
        if let Some(x) = s.str(key).map_err(|e| format!("{what}{e}"))? {
            let name = format!("{what}{key}");
            let (f, a, len) = addr::prefix(x, &name)?;
            family = Some(addr::same_family(family, f, &name)?);
            out[i] = Some((a, len));
        }
    }
    Ok((family, out[0], out[1]))
}

/// GETSA dump: XFRMA_PROTO when a protocol is given, then XFRMA_ADDRESS_FILTER always (all zero
/// matches every state), byte for byte what `ip xfrm state list [ID]` sends.
pub fn state_dump(s: &Settings) -> Result<(Vec<u8>, StateMatch), String> {
    s.check_known(STATE_KEYS)?;
    let (family, src, dst) = prefixes(s, "")?;
    let mut b = MsgBuilder::new(XFRM_MSG_GETSA, NLM_F_DUMP);
    if let Some(p) = s.choice("proto", XPROTOS)? {
        b.attr_u8(XFRMA_PROTO, p);
    }
    let mut f = [0u8; 36];
    for (p, off, len_at) in [(src, 0, 34), (dst, 16, 35)] {
        if let Some((a, len)) = p {
            f[off..off + 16].copy_from_slice(&a);
            f[len_at] = len;
        }
    }
    f[32..34].copy_from_slice(&family.unwrap_or(0).to_ne_bytes());
    b.attr(XFRMA_ADDRESS_FILTER, &f);
    let m = StateMatch { spi: s.u32("spi")?, mode: s.choice("mode", policy::MODES)?, reqid: s.u32("reqid")? };
    Ok((b.finish(), m))
}

/// GETPOLICY dump (the bare header `ip xfrm policy list` sends) and the filter to match.
pub fn policy_dump(s: &Settings) -> Result<(Vec<u8>, PolicyMatch), String> {
    s.check_known(POLICY_KEYS)?;
    let mut m = PolicyMatch {
        dir: s.choice("dir", DIRS)?,
        ptype: s.choice("type", TYPES)?,
        index: s.u32("index")?,
        priority: s.u32("priority")?,
        action: s.choice("action", policy::ACTIONS)?,
        ..Default::default()
    };
    if let Some(sel) = s.map("selector")? {
        sel.check_known(SEL_KEYS).map_err(|e| format!("selector: {e}"))?;
        (m.family, m.src, m.dst) = prefixes(sel, "selector.")?;
        m.proto = addr::proto(sel, "proto").map_err(|e| format!("selector.{e}"))?;
        m.sport = sel.u16("sport").map_err(|e| format!("selector.{e}"))?;
        m.dport = sel.u16("dport").map_err(|e| format!("selector.{e}"))?;
    }
    Ok((MsgBuilder::new(XFRM_MSG_GETPOLICY, NLM_F_DUMP).finish(), m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_match_by_leading_bits() {
        let p = ([10, 182, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 16);
        assert!(prefix_match(&[10, 182, 7, 1], &p));
        assert!(!prefix_match(&[10, 183, 0, 0], &p));
        let q = ([10, 182, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 17);
        assert!(prefix_match(&[10, 182, 0xff, 0], &q));
        assert!(!prefix_match(&[10, 182, 0x7f, 0], &q));
        assert!(prefix_match(&[1, 2, 3], &([0; 16], 0)));
        // A short address is compared as far as it goes, never read past.
        assert!(!prefix_match(&[10], &p));
    }
}
