//! Standard statistics (`ethtool -S DEV --all-groups` / `--groups ...`, ETHTOOL_MSG_STATS_GET):
//! the IEEE 802.3 PHY, MAC and MAC-control counters and RMON's, each group's counters by
//! index into its string set (src/genl/ethtool.ts names them), RMON's size histograms as
//! buckets.

use super::{bitset, header, Call, Dev};
use crate::conn::Mode;
use crate::genl::table;
use crate::rtnl::settings::{Settings, Value};
use crate::wire;

pub(super) const MSG_STATS_GET: u8 = 32;
const A_HEADER: u16 = 2;
const A_GROUPS: u16 = 3;
const A_GRP: u16 = 4;
const GRP_ID: u16 = 2;
const GRP_SS_ID: u16 = 3;
const GRP_STAT: u16 = 4;
const GRP_HIST_RX: u16 = 5;
const GRP_HIST_TX: u16 = 6;
const HIST_BKT_LOW: u16 = 7;
const HIST_BKT_HI: u16 = 8;
const HIST_VAL: u16 = 9;

/// The groups by their string set's names (ETH_SS_STATS_STD), in their bit order.
pub const GROUPS: [&str; 4] = ["eth-phy", "eth-mac", "eth-ctrl", "rmon"];

/// The groups asked for: every one (as `--all-groups`, a compact set of the 5 group bits ethtool
/// sends) or these by name.
pub fn get(dev: &Dev, groups: Option<&[String]>) -> crate::Result<Call> {
    let mut b = wire::MsgBuilder::new(0, 0);
    header::put_at(&mut b, A_HEADER, dev, 0)?;
    match groups {
        None => bitset::put_compact_all(&mut b, A_GROUPS, 5),
        Some(g) => bitset::put_exactly(&mut b, A_GROUPS, g),
    }
    let decode = crate::genl::Decode::Ethtool(super::Kind::Stats);
    Ok(Call { cmd: MSG_STATS_GET, version: super::VERSION, flags: 0, body: super::body(b), mode: Mode::Get, decode })
}

/// `groups: [{ group, ssId, stats: { "<index>": n }, histRx?, histTx? }]` and the header.
pub fn decode(attrs: &[u8], s: &mut Settings) {
    header::decode_at(attrs, A_HEADER, s);
    let groups = table::attrs(attrs).filter(|(t, _)| *t == A_GRP).map(|(_, g)| Value::Map(group(g))).collect();
    s.set("groups", Value::List(groups));
}

fn group(a: &[u8]) -> Settings {
    let mut g = Settings::new();
    let mut stats = Settings::new();
    let (mut rx, mut tx) = (Vec::new(), Vec::new());
    for (t, v) in table::attrs(a) {
        match t {
            GRP_ID => {
                if let Some(id) = wire::attr_u32(v) {
                    g.set("group", GROUPS.get(id as usize).map_or(Value::Int(id.into()), |n| Value::Str((*n).into())));
                }
            }
            GRP_SS_ID => wire::attr_u32(v).into_iter().for_each(|n| {
                g.set_int("ssId", n);
            }),
            // One attribute inside: its type is the counter's index in the group's string set.
            GRP_STAT => table::attrs(v).for_each(|(i, n)| {
                if let Some(n) = table::uint(n) {
                    stats.set_owned(i.to_string(), Value::Int(n as i64));
                }
            }),
            GRP_HIST_RX | GRP_HIST_TX => {
                let b = table::decode(
                    &[(HIST_BKT_LOW, "low", table::W::U32), (HIST_BKT_HI, "high", table::W::U32), (HIST_VAL, "value", table::W::U64)],
                    v,
                );
                if t == GRP_HIST_RX { &mut rx } else { &mut tx }.push(Value::Map(b));
            }
            _ => {}
        }
    }
    g.set("stats", Value::Map(stats));
    if !rx.is_empty() {
        g.set("histRx", Value::List(rx));
    }
    if !tx.is_empty() {
        g.set("histTx", Value::List(tx));
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload(c: &Call) -> Vec<u8> {
        [&[c.cmd, c.version, 0, 0][..], &c.body].concat()
    }

    #[test]
    fn requests_are_byte_equal_with_ethtool_and_replies_decode() {
        let a1 = Dev::Name("a1".into());
        // ethtool -S a1 --all-groups
        let want = b"\x20\x01\x00\x00\x0c\x00\x02\x80\x07\x00\x02\x00\x61\x31\x00\x00\x18\x00\x03\x80\x04\x00\x01\x00\x08\x00\x02\x00\x05\x00\x00\x00\x08\x00\x04\x00\x1f\x00\x00\x00";
        assert_eq!(payload(&get(&a1, None).unwrap()), want);
        // ethtool -S a1 --groups eth-mac rmon (ethtool leaves pad bytes unset: zero here)
        let want = b"\x20\x01\x00\x00\x0c\x00\x02\x80\x07\x00\x02\x00\x61\x31\x00\x00\x2c\x00\x03\x80\x04\x00\x01\x00\x24\x00\x03\x80\x10\x00\x01\x80\x0c\x00\x02\x00\x65\x74\x68\x2d\x6d\x61\x63\x00\x10\x00\x01\x80\x09\x00\x02\x00\x72\x6d\x6f\x6e\x00\x00\x00\x00";
        assert_eq!(payload(&get(&a1, Some(&["eth-mac".into(), "rmon".into()])).unwrap()), want);

        let mut b = wire::MsgBuilder::new(0, 0);
        let g = b.nest_start(A_GRP);
        b.attr_u32(GRP_ID, 3).attr_u32(GRP_SS_ID, 20);
        let st = b.nest_start(GRP_STAT);
        b.attr(2, &42u64.to_ne_bytes());
        b.nest_end(st);
        let h = b.nest_start(GRP_HIST_RX);
        b.attr_u32(HIST_BKT_LOW, 0).attr_u32(HIST_BKT_HI, 64).attr(HIST_VAL, &5u64.to_ne_bytes());
        b.nest_end(h);
        b.nest_end(g);
        let a = super::super::body(b);
        let mut s = Settings::new();
        decode(&a, &mut s);
        let Some(Value::List(gs)) = s.get("groups") else { panic!() };
        let Value::Map(g) = &gs[0] else { panic!() };
        assert_eq!(g.get("group"), Some(&Value::Str("rmon".into())));
        let Some(Value::Map(st)) = g.get("stats") else { panic!() };
        assert_eq!(st.get("2"), Some(&Value::Int(42)));
        assert!(matches!(g.get("histRx"), Some(Value::List(l)) if l.len() == 1));
        for n in 0..a.len() {
            decode(&a[..n], &mut Settings::new());
        }
    }
}
