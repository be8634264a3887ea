//! Migration (XFRM_MSG_MIGRATE, CONFIG_XFRM_MIGRATE): moves a policy's templates, and the
//! states they match, to new addresses (MOBIKE, Mobile IPv6). The request is struct
//! xfrm_userpolicy_id (the policy's selector and direction), XFRMA_POLICY_TYPE for a sub policy,
//! XFRMA_MIGRATE (the xfrm_user_migrate of each move, in one attribute), XFRMA_KMADDRESS (the
//! addresses the key manager should use), XFRMA_ENCAP and XFRMA_IF_ID; the kernel announces a
//! migration in the same layout with one XFRMA_MIGRATE per move (build_migrate). iproute2 has
//! no command for it: the layouts are the kernel's (include/uapi/linux/xfrm.h).

use super::addr::{self, AF_INET};
use super::policy::{self, name_of, MODES, XPROTOS};
use super::selector::{self, SEL_LEN};
use super::*;
use crate::rtnl::settings::{Settings, Value};
use crate::wire::{attrs, u16_at, u32_at, WireError};

pub const XFRM_MSG_MIGRATE: u16 = 0x21;
const XFRMA_MIGRATE: u16 = 17;
const XFRMA_KMADDRESS: u16 = 19;
const MIGRATE_LEN: usize = 76;
const KMADDR_LEN: usize = 40;
/// XFRM_MAX_DEPTH: a policy has at most this many templates to move.
const MAX_MOVES: usize = 6;

const KEYS: &[&str] = &["selector", "dir", "type", "migrate", "kmaddress", "encap", "ifId"];
const MOVE_KEYS: &[&str] = &["oldSrc", "oldDst", "newSrc", "newDst", "oldFamily", "newFamily", "proto", "mode", "reqid"];

/// Two addresses of one family (`family` if given).
fn pair(m: &Settings, src: &str, dst: &str, fam: &str) -> Result<(u16, [u8; 16], [u8; 16]), String> {
    let mut family = m.choice(fam, &[("inet", addr::AF_INET), ("inet6", addr::AF_INET6)])?;
    let mut out = [[0u8; 16]; 2];
    for (i, key) in [src, dst].iter().enumerate() {
        let text = m.str(key)?.ok_or_else(|| format!("{key} is required"))?;
        let (f, a) = addr::parse(text, key)?;
        family = Some(addr::same_family(family, f, key)?);
        out[i] = a;
    }
    Ok((family.unwrap_or(AF_INET), out[0], out[1]))
}

fn encode_move(m: &Settings) -> Result<[u8; MIGRATE_LEN], String> {
    m.check_known(MOVE_KEYS)?;
    let (of, os, od) = pair(m, "oldSrc", "oldDst", "oldFamily")?;
    let (nf, ns, nd) = pair(m, "newSrc", "newDst", "newFamily")?;
    let mut b = [0u8; MIGRATE_LEN];
    for (off, a) in [(0, od), (16, os), (32, nd), (48, ns)] {
        b[off..off + 16].copy_from_slice(&a);
    }
    b[64] = m.choice("proto", XPROTOS)?.ok_or("proto is required ('esp', 'ah', 'comp', ...)")?;
    b[65] = m.choice("mode", MODES)?.unwrap_or(0);
    b[68..72].copy_from_slice(&m.u32("reqid")?.unwrap_or(0).to_ne_bytes());
    b[72..74].copy_from_slice(&of.to_ne_bytes());
    b[74..76].copy_from_slice(&nf.to_ne_bytes());
    Ok(b)
}

/// MIGRATE: the policy (selector, dir, type), its moves, and what the key manager is told.
pub fn encode(p: &Settings) -> Result<Vec<u8>, String> {
    p.check_known(KEYS)?;
    let mut id = [0u8; policy::ID_LEN];
    id[..SEL_LEN].copy_from_slice(&policy::sel_of(p)?);
    id[60] = policy::dir_of(p)?;
    let Some(Value::List(moves)) = p.get("migrate") else {
        return Err("migrate must be a list of the moves (1 to 6 of them)".into());
    };
    if moves.is_empty() || moves.len() > MAX_MOVES {
        return Err(format!("migrate must list 1 to {MAX_MOVES} moves, got {}", moves.len()));
    }
    let mut v = Vec::with_capacity(moves.len() * MIGRATE_LEN);
    for (i, m) in moves.iter().enumerate() {
        let Value::Map(m) = m else { return Err(format!("migrate[{i}] must be an object")) };
        v.extend_from_slice(&encode_move(m).map_err(|e| format!("migrate[{i}].{e}"))?);
    }
    let mut b = MsgBuilder::new(XFRM_MSG_MIGRATE, NLM_F_ACK);
    b.push(&id);
    policy::policy_type(&mut b, p)?;
    b.attr(XFRMA_MIGRATE, &v);
    if let Some(k) = p.map("kmaddress")? {
        k.check_known(&["local", "remote", "family"]).map_err(|e| format!("kmaddress: {e}"))?;
        let (f, l, r) = pair(k, "local", "remote", "family").map_err(|e| format!("kmaddress.{e}"))?;
        let mut a = [0u8; KMADDR_LEN];
        a[..16].copy_from_slice(&l);
        a[16..32].copy_from_slice(&r);
        a[36..38].copy_from_slice(&f.to_ne_bytes());
        b.attr(XFRMA_KMADDRESS, &a);
    }
    if let Some(e) = p.map("encap")? {
        b.attr(XFRMA_ENCAP, &state::encap(e).map_err(|x| format!("encap.{x}"))?);
    }
    policy::if_id(&mut b, p)?;
    Ok(b.finish())
}

fn decode_move(b: &[u8]) -> Settings {
    let b: [u8; MIGRATE_LEN] = crate::wire::fixed(b);
    let (of, nf) = (u16_at(&b, 72), u16_at(&b, 74));
    let a = |off: usize| -> [u8; 16] { b[off..off + 16].try_into().unwrap_or([0; 16]) };
    let mut m = Settings::new();
    m.set_str("oldSrc", addr::format(of, &a(16))).set_str("oldDst", addr::format(of, &a(0)));
    m.set_str("newSrc", addr::format(nf, &a(48))).set_str("newDst", addr::format(nf, &a(32)));
    m.set("oldFamily", addr::family_name(of)).set("newFamily", addr::family_name(nf));
    m.set("proto", name_of(XPROTOS, b[64])).set("mode", name_of(MODES, b[65])).set_int("reqid", u32_at(&b, 68));
    m
}

/// A migration announced on the migrate group: `{ selector, dir, policyType, migrate, kmaddress?, encap? }`.
pub fn decode(p: &[u8]) -> Result<Settings, WireError> {
    let id: [u8; policy::ID_LEN] = crate::wire::fixed(p);
    let mut s = Settings::new();
    s.set("selector", Value::Map(selector::decode(&id[..SEL_LEN])));
    s.set("dir", name_of(policy::DIRS, id[60])).set_str("policyType", "main");
    let family = u16_at(&id, 40);
    let mut moves = Vec::new();
    for at in attrs(p.get(policy::ID_LEN..).unwrap_or(&[])) {
        let (ty, v) = at?;
        match ty {
            XFRMA_MIGRATE => moves.extend(v.chunks(MIGRATE_LEN).filter(|c| c.len() == MIGRATE_LEN).map(|c| Value::Map(decode_move(c)))),
            XFRMA_KMADDRESS => {
                let k: [u8; KMADDR_LEN] = crate::wire::fixed(v);
                let f = u16_at(&k, 36);
                let mut m = Settings::new();
                m.set_str("local", addr::format(f, &k[..16].try_into().unwrap_or([0; 16])));
                m.set_str("remote", addr::format(f, &k[16..32].try_into().unwrap_or([0; 16])));
                m.set("family", addr::family_name(f));
                s.set("kmaddress", Value::Map(m));
            }
            XFRMA_ENCAP if v.len() >= 6 => {
                s.set("encap", Value::Map(state::decode_encap(v, family)));
            }
            XFRMA_POLICY_TYPE if !v.is_empty() => {
                s.set("policyType", name_of(policy::TYPES, v[0]));
            }
            _ => {}
        }
    }
    s.set("migrate", Value::List(moves));
    Ok(s)
}
