//! Notifications of the xfrm multicast groups, decoded into `{ type, ... }` trees: policies and
//! states added, updated, deleted and flushed, acquires (a policy needs a state the kernel
//! does not have), expiries, reports, async events (a state's replay state and counters) and
//! migrations.

use super::addr;
use super::policy::{self, decode_attrs, name_of, XPROTOS};
use super::selector::{self, SEL_LEN};
use super::*;
use crate::rtnl::settings::{Settings, Value};
use crate::wire::{attrs, u16_at, u32_at, WireError};

fn with(ty: &str, key: &str, v: Settings) -> Settings {
    let mut s = Settings::new();
    s.set_str("type", ty).set(key, Value::Map(v));
    s
}

/// The payload of attribute `want` of `raw`, if there.
fn attr(raw: &[u8], want: u16) -> Result<Option<&[u8]>, WireError> {
    for a in attrs(raw) {
        let (ty, v) = a?;
        if ty == want {
            return Ok(Some(v));
        }
    }
    Ok(None)
}

/// One notification (message type and payload); `None` for a type not modelled.
pub fn decode(ty: u16, p: &[u8]) -> Result<Option<Settings>, WireError> {
    let get = |i: usize| p.get(i..).unwrap_or(&[]);
    Ok(Some(match ty {
        XFRM_MSG_NEWPOLICY => with("newPolicy", "policy", policy::decode(p)?),
        XFRM_MSG_UPDPOLICY => with("updPolicy", "policy", policy::decode(p)?),
        XFRM_MSG_NEWSA => with("newState", "state", state::decode(p)?),
        XFRM_MSG_UPDSA => with("updState", "state", state::decode(p)?),
        // Deletes carry the id, then the whole object in an attribute (and its other attributes).
        XFRM_MSG_DELPOLICY => {
            let rest = get(policy::ID_LEN);
            let mut pol = policy::decode(attr(rest, XFRMA_POLICY)?.unwrap_or(&[]))?;
            decode_attrs(&mut pol, rest)?;
            with("delPolicy", "policy", pol)
        }
        XFRM_MSG_DELSA => {
            let rest = get(24);
            let mut full = attr(rest, XFRMA_SA)?.unwrap_or(&[]).to_vec();
            full.resize(state::INFO_LEN, 0);
            full.extend_from_slice(rest);
            with("delState", "state", state::decode(&full)?)
        }
        XFRM_MSG_FLUSHSA => {
            let mut s = Settings::new();
            s.set_str("type", "flushStates").set("proto", name_of(XPROTOS, p.first().copied().unwrap_or(0)));
            s
        }
        XFRM_MSG_FLUSHPOLICY => {
            let mut s = Settings::new();
            s.set_str("type", "flushPolicies");
            if let Some(t) = attr(p, XFRMA_POLICY_TYPE)?.and_then(|v| v.first()) {
                s.set_str("policyType", if *t == 1 { "sub" } else { "main" });
            }
            s
        }
        XFRM_MSG_ACQUIRE => {
            // xfrm_user_acquire: id (daddr, spi, proto), saddr, sel, policy, aalgos..calgos, seq.
            let b: [u8; 280] = crate::wire::fixed(p);
            let sel = selector::decode(&b[40..40 + SEL_LEN]);
            let family = u16_at(&b, 40 + 40);
            let a = |off: usize| -> [u8; 16] { b[off..off + 16].try_into().unwrap_or([0; 16]) };
            let mut s = Settings::new();
            s.set_str("type", "acquire").set_str("src", addr::format(family, &a(24))).set_str("dst", addr::format(family, &a(0)));
            s.set("proto", name_of(XPROTOS, b[20])).set("selector", Value::Map(sel));
            let mut pol = policy::decode(&b[96..96 + policy::INFO_LEN])?;
            decode_attrs(&mut pol, get(280))?;
            s.set("policy", Value::Map(pol)).set_int("seq", u32_at(&b, 276));
            s
        }
        XFRM_MSG_EXPIRE => {
            let mut s = with("expire", "state", state::decode(p)?);
            s.set_bool("hard", p.get(state::INFO_LEN).is_some_and(|h| *h != 0));
            s
        }
        XFRM_MSG_POLEXPIRE => {
            let mut s = with("polExpire", "policy", policy::decode(p)?);
            s.set_bool("hard", p.get(policy::INFO_LEN).is_some_and(|h| *h != 0));
            s
        }
        XFRM_MSG_REPORT => {
            let mut s = Settings::new();
            s.set_str("type", "report").set("proto", addr::proto_name(p.first().copied().unwrap_or(0)));
            s.set("selector", Value::Map(selector::decode(get(4))));
            s
        }
        aevent::XFRM_MSG_NEWAE => {
            let mut s = Settings::new();
            s.set_str("type", "aevent").set("aevent", Value::Map(aevent::decode(p)?));
            s
        }
        migrate::XFRM_MSG_MIGRATE => {
            let mut s = migrate::decode(p)?;
            s.0.insert(0, ("type".into(), Value::Str("migrate".into())));
            s
        }
        _ => return Ok(None),
    }))
}
