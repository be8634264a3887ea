//! String sets (ETHTOOL_MSG_STRSET_GET): the kernel's (or a device's) names for features,
//! link modes, timestamping flags, statistics and so on, by set id (ETH_SS_*).

use crate::rtnl::settings::{Settings, Value};
use crate::wire;

const STRSET_STRINGSETS: u16 = 2;
const STRINGSETS_STRINGSET: u16 = 1;
const STRINGSET_ID: u16 = 1;
const STRINGSET_STRINGS: u16 = 3;
const STRINGS_STRING: u16 = 1;
const STRING_INDEX: u16 = 1;
const STRING_VALUE: u16 = 2;
/// Strings kept at most from one set (an index beyond is a malformed reply, not a reason to
/// allocate gigabytes).
const MAX_STRINGS: u32 = 1 << 16;

pub fn put_request(b: &mut wire::MsgBuilder, set: u32) {
    let sets = b.nest_start(STRSET_STRINGSETS);
    let one = b.nest_start(STRINGSETS_STRINGSET);
    b.attr_u32(STRINGSET_ID, set);
    b.nest_end(one);
    b.nest_end(sets);
}

/// `strings`: the set's strings in index order (the first set of the reply).
pub fn decode(attrs: &[u8], s: &mut Settings) {
    let mut out: Vec<String> = Vec::new();
    let set = super::attrs(attrs)
        .filter(|(t, _)| *t == STRSET_STRINGSETS)
        .flat_map(|(_, v)| super::attrs(v))
        .find(|(t, _)| *t == STRINGSETS_STRINGSET)
        .map(|(_, v)| v);
    for (t, v) in set.map(super::attrs).into_iter().flatten() {
        match t {
            STRINGSET_ID => {
                if let Some(id) = wire::attr_u32(v) {
                    s.set_int("id", id);
                }
            }
            STRINGSET_STRINGS => {
                for (_, e) in super::attrs(v).filter(|(t, _)| *t == STRINGS_STRING) {
                    let (mut index, mut value) = (None, String::new());
                    for (t, x) in super::attrs(e) {
                        match t {
                            STRING_INDEX => index = wire::attr_u32(x),
                            STRING_VALUE => value = wire::attr_str(x),
                            _ => {}
                        }
                    }
                    let Some(i) = index.filter(|i| *i < MAX_STRINGS) else { continue };
                    if out.len() <= i as usize {
                        out.resize(i as usize + 1, String::new());
                    }
                    out[i as usize] = value;
                }
            }
            _ => {}
        }
    }
    s.set("strings", Value::List(out.into_iter().map(Value::Str).collect()));
}
