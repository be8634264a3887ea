//! SPD and SAD information (XFRM_MSG_GETSPDINFO / GETSADINFO: counts and hash table sizes) and
//! the SPD's hash thresholds (XFRM_MSG_NEWSPDINFO), as `ip xfrm policy count|set` and
//! `ip xfrm state count` show and set them.

use super::*;
use crate::rtnl::settings::{Settings, Value};
use crate::wire::{attrs, u32_at, MsgBuilder, WireError};

const XFRMA_SPD_INFO: u16 = 1;
const XFRMA_SPD_HINFO: u16 = 2;
const XFRMA_SPD_IPV4_HTHRESH: u16 = 3;
const XFRMA_SPD_IPV6_HTHRESH: u16 = 4;
const XFRMA_SAD_CNT: u16 = 1;
const XFRMA_SAD_HINFO: u16 = 2;
/// The u32 "flags" these messages start with: `ip` sends all ones, the kernel ignores it.
const ALL: [u8; 4] = [0xff; 4];

/// GETSPDINFO or GETSADINFO.
pub fn encode_get(ty: u16) -> Vec<u8> {
    let mut b = MsgBuilder::new(ty, 0);
    b.push(&ALL);
    b.finish()
}

/// NEWSPDINFO: `{ ipv4Thresh?: { local, remote }, ipv6Thresh?: { local, remote } }`, prefix
/// lengths from which policies are hashed by address (`ip xfrm policy set hthresh4 L R`).
pub fn encode_spd_set(s: &Settings) -> Result<Vec<u8>, String> {
    s.check_known(&["ipv4Thresh", "ipv6Thresh"])?;
    if s.is_empty() {
        return Err("give ipv4Thresh or ipv6Thresh".into());
    }
    let mut b = MsgBuilder::new(XFRM_MSG_NEWSPDINFO, NLM_F_ACK);
    b.push(&ALL);
    for (key, ty, max) in [("ipv4Thresh", XFRMA_SPD_IPV4_HTHRESH, 32), ("ipv6Thresh", XFRMA_SPD_IPV6_HTHRESH, 128)] {
        if let Some(t) = s.map(key)? {
            t.check_known(&["local", "remote"]).map_err(|e| format!("{key}: {e}"))?;
            let get = |k: &str| -> Result<u8, String> {
                Ok(t.int(k, 0, max).map_err(|e| format!("{key}.{e}"))?.ok_or_else(|| format!("{key}.{k} is required"))? as u8)
            };
            b.attr(ty, &[get("local")?, get("remote")?]);
        }
    }
    Ok(b.finish())
}

fn thresh(v: &[u8]) -> Value {
    let mut t = Settings::new();
    t.set_int("local", v.first().copied().unwrap_or(0)).set_int("remote", v.get(1).copied().unwrap_or(0));
    Value::Map(t)
}

/// NEWSPDINFO: policy counts by direction (and of socket policies), the hash table, thresholds.
pub fn decode_spd(payload: &[u8]) -> Result<Settings, WireError> {
    let mut s = Settings::new();
    for a in attrs(payload.get(4..).unwrap_or(&[])) {
        let (ty, v) = a?;
        match ty {
            XFRMA_SPD_INFO => {
                for (i, k) in ["inCount", "outCount", "fwdCount", "inSocketCount", "outSocketCount", "fwdSocketCount"].iter().enumerate() {
                    s.set_int(k, u32_at(v, i * 4));
                }
            }
            XFRMA_SPD_HINFO => {
                s.set_int("hashCount", u32_at(v, 0)).set_int("hashMax", u32_at(v, 4));
            }
            XFRMA_SPD_IPV4_HTHRESH => {
                s.set("ipv4Thresh", thresh(v));
            }
            XFRMA_SPD_IPV6_HTHRESH => {
                s.set("ipv6Thresh", thresh(v));
            }
            _ => {}
        }
    }
    Ok(s)
}

/// NEWSADINFO: the number of states and the hash table.
pub fn decode_sad(payload: &[u8]) -> Result<Settings, WireError> {
    let mut s = Settings::new();
    for a in attrs(payload.get(4..).unwrap_or(&[])) {
        let (ty, v) = a?;
        match ty {
            XFRMA_SAD_CNT => {
                s.set_int("count", u32_at(v, 0));
            }
            XFRMA_SAD_HINFO => {
                s.set_int("hashCount", u32_at(v, 0)).set_int("hashMax", u32_at(v, 4));
            }
            _ => {}
        }
    }
    Ok(s)
}
