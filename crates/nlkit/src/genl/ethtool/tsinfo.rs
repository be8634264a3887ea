//! Timestamping capabilities (`ethtool -T`): SOF_TIMESTAMPING_* flags, hardware TX types and
//! RX filters by name, and the PTP hardware clock's index (absent: none).

use super::bitset;
use crate::rtnl::settings::{Settings, Value};
use crate::wire;

const TIMESTAMPING: u16 = 2;
const TX_TYPES: u16 = 3;
const RX_FILTERS: u16 = 4;
const PHC_INDEX: u16 = 5;

pub fn decode(attrs: &[u8], s: &mut Settings) {
    let names = |v: &[u8]| Value::List(bitset::set_names(&bitset::decode(v)).into_iter().map(Value::Str).collect());
    s.set("timestamping", Value::List(Vec::new())).set("txTypes", Value::List(Vec::new())).set("rxFilters", Value::List(Vec::new()));
    for (t, v) in super::attrs(attrs) {
        match t {
            TIMESTAMPING => s.set("timestamping", names(v)),
            TX_TYPES => s.set("txTypes", names(v)),
            RX_FILTERS => s.set("rxFilters", names(v)),
            PHC_INDEX => match wire::attr_u32(v) {
                Some(i) => s.set_int("phcIndex", i),
                None => s,
            },
            _ => s,
        };
    }
}
