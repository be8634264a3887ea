//! Neighbour tables (RTM_*NEIGHTBL, `ip ntable show/change`): the ARP and ND caches'
//! thresholds and timers, for the table and per device. Times are in milliseconds, as ip prints
//! them. A dump sends one record for the table (with thresholds, config and statistics) and
//! one per device (`dev`, parameters only).

use super::{Record, RecordKind};
use crate::rtnl::link::kinds::common::{decode_field, encode_fields, Field, Int};
use crate::rtnl::settings::{Settings, Value};
use crate::wire::{attr_str, attr_u32, attrs, MsgBuilder, WireError, NLM_F_ACK, NLM_F_DUMP, NLM_F_REPLACE};

pub const RTM_NEWNEIGHTBL: u16 = 64;
pub const RTM_GETNEIGHTBL: u16 = 66;
pub const RTM_SETNEIGHTBL: u16 = 67;

const NDTA_NAME: u16 = 1;
const NDTA_CONFIG: u16 = 5;
const NDTA_PARMS: u16 = 6;
const NDTA_STATS: u16 = 7;
const NDTPA_IFINDEX: u16 = 1;

/// The table's own settings, in the order iproute2 sends them.
static TABLE: &[Field] = &[
    Field::int("thresh1", 2, Int::U32),
    Field::int("thresh2", 3, Int::U32),
    Field::int("thresh3", 4, Int::U32),
    Field::int("gcInterval", 8, Int::U64),
];

/// NDTPA_*: per-device (or the table's default) parameters, in iproute2's order.
static PARMS: &[Field] = &[
    Field::int("baseReachable", 4, Int::U64),
    Field::int("retrans", 5, Int::U64),
    Field::int("gcStale", 6, Int::U64),
    Field::int("delayProbe", 7, Int::U64),
    Field::int("queue", 8, Int::U32),
    Field::int("appProbes", 9, Int::U32),
    Field::int("ucastProbes", 10, Int::U32),
    Field::int("mcastProbes", 11, Int::U32),
    Field::int("anycastDelay", 12, Int::U64),
    Field::int("proxyDelay", 13, Int::U64),
    Field::int("proxyQueue", 14, Int::U32),
    Field::int("locktime", 15, Int::U64),
    Field::int("queueLenBytes", 16, Int::U32),
    Field::int("mcastReprobes", 17, Int::U32),
    Field::int("intervalProbeTime", 19, Int::U64),
];

/// Read-only parameters.
static PARMS_RO: &[Field] = &[Field::int("refcnt", 2, Int::U32), Field::int("reachable", 3, Int::U64)];

/// `struct ndt_stats`, u64 each.
const STATS: [&str; 11] = [
    "allocs",
    "destroys",
    "hashGrows",
    "resFailed",
    "lookups",
    "hits",
    "rcvProbesMcast",
    "rcvProbesUcast",
    "periodicGcRuns",
    "forcedGcRuns",
    "tableFulls",
];

/// Every setting [`change`] takes.
pub fn keys() -> Vec<&'static str> {
    TABLE.iter().chain(PARMS).map(|f| f.key).collect()
}

/// Every table of `family` (0: all); `name` only that table (filtered by the caller: the
/// kernel dumps them all).
pub fn dump(family: u8) -> Vec<u8> {
    let mut b = MsgBuilder::new(RTM_GETNEIGHTBL, NLM_F_DUMP);
    b.push(&[family, 0, 0, 0]);
    b.finish()
}

/// RTM_SETNEIGHTBL as `ip ntable change name NAME [dev D] ...` sends it; `index` 0 changes
/// the table's defaults.
pub fn change(family: u8, name: &str, index: u32, s: &Settings) -> Result<Vec<u8>, String> {
    let known = keys();
    s.check_known(&known)?;
    let mut b = MsgBuilder::new(RTM_SETNEIGHTBL, NLM_F_ACK | NLM_F_REPLACE);
    b.push(&[family, 0, 0, 0]);
    b.attr_str(NDTA_NAME, name);
    encode_fields(TABLE, s, &mut b)?;
    let parms: Settings = Settings(s.0.iter().filter(|(k, _)| PARMS.iter().any(|f| f.key == k)).cloned().collect());
    if index != 0 || !parms.is_empty() {
        let n = b.nest_start_plain(NDTA_PARMS);
        if index != 0 {
            b.attr_u32(NDTPA_IFINDEX, index);
        }
        encode_fields(PARMS, &parms, &mut b)?;
        b.nest_end(n);
    }
    Ok(b.finish())
}

pub fn decode(payload: &[u8]) -> Result<Record, WireError> {
    let family = *payload.first().ok_or(WireError("short ndtmsg"))?;
    let mut f = Settings::new();
    f.set_int(
        "family",
        if family as i32 == libc::AF_INET6 {
            6
        } else if family as i32 == libc::AF_INET {
            4
        } else {
            family as i64
        },
    );
    let mut index = None;
    for a in attrs(payload.get(4..).unwrap_or_default()) {
        let (ty, v) = a?;
        match ty {
            NDTA_NAME => {
                f.set_str("name", attr_str(v));
            }
            NDTA_PARMS => {
                for a in attrs(v) {
                    let (pty, pv) = a?;
                    if pty == NDTPA_IFINDEX {
                        index = attr_u32(pv).filter(|i| *i != 0);
                    } else if !decode_field(PARMS, pty, pv, &mut f) {
                        decode_field(PARMS_RO, pty, pv, &mut f);
                    }
                }
            }
            NDTA_STATS => {
                let mut st = Settings::new();
                for (i, k) in STATS.iter().enumerate() {
                    if let Some(b) = v.get(i * 8..i * 8 + 8) {
                        st.set_int(k, u64::from_ne_bytes(b.try_into().unwrap_or_default()).min(i64::MAX as u64) as i64);
                    }
                }
                f.set("stats", Value::Map(st));
            }
            NDTA_CONFIG if v.len() >= 8 => {
                let mut c = Settings::new();
                c.set_int("keyLen", u16::from_ne_bytes([v[0], v[1]]));
                c.set_int("entrySize", u16::from_ne_bytes([v[2], v[3]]));
                c.set_int("entries", u32::from_ne_bytes([v[4], v[5], v[6], v[7]]));
                f.set("config", Value::Map(c));
            }
            _ => {
                decode_field(TABLE, ty, v, &mut f);
            }
        }
    }
    Ok(Record { kind: RecordKind::Ntable, index, fields: f })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::NLMSG_HDRLEN;

    /// `ip ntable change name arp_cache dev v0 thresh1 100 gc_int 20000 base_reachable 20000
    /// retrans 900 gc_stale 50000 delay_probe 4000 queue 50 app_probes 1 ucast_probes 4
    /// mcast_probes 2 anycast_delay 900 proxy_delay 700 proxy_queue 32 locktime 800`
    /// (iproute2 6.1, v0 = 4): 192 bytes, the same attributes in the same order.
    #[test]
    fn change_equals_iproute2() {
        let mut s = Settings::new();
        s.set_int("thresh1", 100).set_int("gcInterval", 20000);
        for (k, v) in [
            ("baseReachable", 20000),
            ("retrans", 900),
            ("gcStale", 50000),
            ("delayProbe", 4000),
            ("queue", 50),
            ("appProbes", 1),
            ("ucastProbes", 4),
            ("mcastProbes", 2),
            ("anycastDelay", 900),
            ("proxyDelay", 700),
            ("proxyQueue", 32),
            ("locktime", 800),
        ] {
            s.set_int(k, v);
        }
        let m = change(0, "arp_cache", 4, &s).unwrap();
        assert_eq!(m.len(), 192);
        assert_eq!(&m[4..8], &[0x43, 0, 0x05, 0x01]);
        let body = &m[NLMSG_HDRLEN..];
        let top: Vec<(u16, usize)> = attrs(&body[4..]).map(|a| a.unwrap()).map(|(t, v)| (t, v.len())).collect();
        assert_eq!(top, vec![(1, 10), (2, 4), (8, 8), (6, 132)]);
        let parms = attrs(&body[4..]).map(|a| a.unwrap()).find(|(t, _)| *t == 6).unwrap().1;
        let p: Vec<(u16, usize)> = attrs(parms).map(|a| a.unwrap()).map(|(t, v)| (t, v.len())).collect();
        assert_eq!(p, vec![(1, 4), (4, 8), (5, 8), (6, 8), (7, 8), (8, 4), (9, 4), (10, 4), (11, 4), (12, 8), (13, 8), (14, 4), (15, 8)]);
        // Decoded back: the same settings (and the device).
        let r = decode(body).unwrap();
        assert_eq!(r.index, Some(4));
        for (k, v) in &s.0 {
            assert_eq!(r.fields.get(k), Some(v), "{k}");
        }
        assert!(change(0, "arp_cache", 0, &{
            let mut x = Settings::new();
            x.set_int("reachable", 1);
            x
        })
        .unwrap_err()
        .contains("reachable"));
        for cut in 0..body.len() {
            let _ = decode(&body[..cut]);
        }
    }
}
