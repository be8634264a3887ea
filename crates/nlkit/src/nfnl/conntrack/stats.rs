//! IPCTNL_MSG_CT_GET_STATS (the table's entry count and limit) and IPCTNL_MSG_CT_GET_STATS_CPU
//! (per-CPU counters, `conntrack -S`).

use crate::rtnl::settings::Settings;
use crate::wire::{self, WireError};

use super::attrs::{CTA_STATS_GLOBAL_ENTRIES, CTA_STATS_GLOBAL_MAX_ENTRIES};

/// CTA_STATS_* by number, keyed as `conntrack -S` prints them (camelCase).
const CPU_KEYS: [(u16, &str); 13] = [
    (1, "searched"),
    (2, "found"),
    (3, "new"),
    (4, "invalid"),
    (5, "ignore"),
    (6, "delete"),
    (7, "deleteList"),
    (8, "insert"),
    (9, "insertFailed"),
    (10, "drop"),
    (11, "earlyDrop"),
    (12, "error"),
    (13, "searchRestart"),
];
/// Added after CTA_STATS_SEARCH_RESTART.
const CPU_KEYS_NEWER: [(u16, &str); 2] = [(14, "clashResolve"), (15, "chaintoolong")];

fn be32(v: &[u8]) -> i64 {
    v.get(..4).map_or(0, |s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]) as i64)
}

/// `{ entries, maxEntries }`.
pub fn decode_global(attrs: &[u8]) -> Result<Settings, WireError> {
    let mut s = Settings::new();
    for a in wire::attrs(attrs) {
        match a? {
            (CTA_STATS_GLOBAL_ENTRIES, v) => s.set_int("entries", be32(v)),
            (CTA_STATS_GLOBAL_MAX_ENTRIES, v) => s.set_int("maxEntries", be32(v)),
            _ => &mut s,
        };
    }
    Ok(s)
}

/// `{ cpu, found, invalid, ... }`: the CPU is the nfgenmsg's res_id.
pub fn decode_cpu(cpu: u16, attrs: &[u8]) -> Result<Settings, WireError> {
    let mut s = Settings::new();
    s.set_int("cpu", cpu);
    for a in wire::attrs(attrs) {
        let (ty, v) = a?;
        if let Some((_, k)) = CPU_KEYS.iter().chain(CPU_KEYS_NEWER.iter()).find(|(n, _)| *n == ty) {
            s.set_int(k, be32(v));
        }
    }
    Ok(s)
}
