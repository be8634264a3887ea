//! prio and pfifo_fast: `struct tc_prio_qopt { int bands; __u8 priomap[16]; }`. tc sends prio's
//! as a "compat nest" (the struct, then TCA_OPTIONS nested with TCA_PRIO_MQ for multiqueue);
//! the kernel dumps the struct alone. pfifo_fast takes no options (its three bands and priomap
//! are fixed): it accepts its listed values back, and nothing else.

use crate::rtnl::settings::{Settings, Value};
use crate::rtnl::tc::kind::{Ctx, Role, TcKind};
use crate::rtnl::tc::TCA_OPTIONS;
use crate::wire::{attrs, u32_at, MsgBuilder};

const TCA_PRIO_MQ: u16 = 1;
const QOPT_LEN: usize = 20;
/// The kernel's prio2band default (and tc's), TC_PRIO_* to band.
const PRIOMAP: [u8; 16] = [1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1];
const KEYS: &[&str] = &["bands", "priomap", "multiqueue"];

pub struct Prio {
    kind: &'static str,
    fixed: bool,
}

pub static PRIO: Prio = Prio { kind: "prio", fixed: false };
pub static PFIFO_FAST: Prio = Prio { kind: "pfifo_fast", fixed: true };

/// bands (2 to 16) and the priomap: up to 16 bands, each below `bands`; positions not given
/// keep the default's (tc's).
fn parse(s: &Settings) -> Result<(u32, [u8; 16], bool), String> {
    let bands = s.int("bands", 1, 16)?.unwrap_or(3) as u32;
    let mut map = PRIOMAP;
    match s.get("priomap") {
        None => {}
        Some(Value::List(l)) if l.len() <= 16 => {
            for (i, v) in l.iter().enumerate() {
                match v {
                    Value::Int(b) if (0..bands as i64).contains(b) => map[i] = *b as u8,
                    _ => return Err(format!("priomap[{i}] must be a band from 0 to {} (bands {bands})", bands - 1)),
                }
            }
        }
        Some(_) => return Err("priomap must be a list of at most 16 bands".into()),
    }
    Ok((bands, map, s.bool("multiqueue")?.unwrap_or(false)))
}

impl TcKind for Prio {
    fn role(&self) -> Role {
        Role::Qdisc
    }
    fn kind(&self) -> &'static str {
        self.kind
    }
    fn keys(&self) -> &'static [&'static str] {
        KEYS
    }
    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _cx: &Ctx) -> Result<(), String> {
        let (bands, map, mq) = parse(s)?;
        if self.fixed {
            // The kernel ignores pfifo_fast's options and tc sends none.
            return if (bands, map, mq) == (3, PRIOMAP, false) {
                Ok(())
            } else {
                Err("pfifo_fast's bands (3) and priomap are fixed: use prio to choose them".into())
            };
        }
        let mut qopt = [0u8; QOPT_LEN];
        qopt[..4].copy_from_slice(&bands.to_ne_bytes());
        qopt[4..].copy_from_slice(&map);
        let outer = b.nest_start_plain(TCA_OPTIONS);
        b.push(&qopt);
        let inner = b.nest_start_plain(TCA_OPTIONS);
        if mq {
            b.attr(TCA_PRIO_MQ, &[]);
        }
        b.nest_end(inner);
        b.nest_end(outer);
        Ok(())
    }
    fn decode(&self, o: &[u8]) -> Settings {
        let mut s = Settings::new();
        let Some(map) = o.get(4..QOPT_LEN) else { return s };
        s.set_int("bands", u32_at(o, 0));
        s.set("priomap", Value::List(map.iter().map(|b| Value::Int(*b as i64)).collect()));
        // A compat nest after the struct carries TCA_PRIO_MQ (tc sends it empty; tc -j prints false
        // without it).
        let mq = attrs(o.get(QOPT_LEN..).unwrap_or(&[]))
            .map_while(Result::ok)
            .filter(|(ty, _)| *ty == TCA_OPTIONS)
            .any(|(_, v)| attrs(v).map_while(Result::ok).any(|(ty, v)| ty == TCA_PRIO_MQ && v.first() != Some(&0)));
        s.set_bool("multiqueue", mq);
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rtnl::tc::{encode, TcOp, TcSpec, TcType};

    fn hex(s: &str) -> Vec<u8> {
        let s = s.trim();
        (0..s.len() / 2).map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap()).collect()
    }

    fn request(kind: &str, handle: u32, parent: u32, options: Settings) -> Result<Vec<u8>, String> {
        let spec = TcSpec { ifindex: 3, handle, parent, kind: Some(kind.into()), options, ..Default::default() };
        encode(TcType::Qdisc, &spec, TcOp::Add)
    }

    fn list(v: &[i64]) -> Value {
        Value::List(v.iter().map(|b| Value::Int(*b)).collect())
    }

    #[test]
    fn as_tc_sends_it() {
        // tc 6.1 in a scratch namespace (ifindex 3): `prio`, `prio bands 5 priomap 4 3 2 1 0
        // multiqueue`, `parent 1:2 handle 20: prio bands 2 priomap 1 1 0 0 ...` and
        // `handle 5: pfifo_fast`, after nlmsghdr + tcmsg.
        let mut p2 = Settings::new();
        p2.set_int("bands", 5).set("priomap", list(&[4, 3, 2, 1, 0])).set_bool("multiqueue", true);
        let mut p3 = Settings::new();
        p3.set_int("bands", 2).set("priomap", list(&[1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0]));
        let cases = [
            ("prio", 0x10000, u32::MAX, Settings::new(), include_str!("testdata/prio-p1.hex")),
            ("prio", 0x10000, u32::MAX, p2, include_str!("testdata/prio-p2.hex")),
            ("prio", 0x200000, 0x10002, p3, include_str!("testdata/prio-p3.hex")),
            ("pfifo_fast", 0x50000, u32::MAX, Settings::new(), include_str!("testdata/pfifo-fast.hex")),
        ];
        for (kind, handle, parent, o, tc) in cases {
            assert_eq!(&request(kind, handle, parent, o).unwrap()[36..], &hex(tc)[..], "{kind}");
        }
        for (kind, key, v, msg) in [
            ("prio", "bands", Value::Int(17), "bands must be between 1 and 16"),
            ("prio", "priomap", list(&[3]), "priomap[0] must be a band from 0 to 2"),
            ("prio", "priomap", list(&[0; 17]), "at most 16"),
            ("prio", "multiqueue", Value::Int(1), "multiqueue must be a boolean"),
            ("pfifo_fast", "bands", Value::Int(4), "fixed"),
            ("pfifo_fast", "limit", Value::Int(4), "unknown setting \"limit\""),
        ] {
            let mut s = Settings::new();
            s.set(key, v);
            let e = request(kind, 0, u32::MAX, s).unwrap_err();
            assert!(e.contains(msg), "{e}");
        }
    }

    #[test]
    fn decodes_the_dump_and_takes_it_back() {
        // prio_dump and pfifo_fast_dump: the struct alone.
        let mut dump = 5u32.to_ne_bytes().to_vec();
        dump.extend_from_slice(&[4, 3, 2, 1, 0, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1]);
        let d = PRIO.decode(&dump);
        let mut want = Settings::new();
        want.set_int("bands", 5).set("priomap", list(&[4, 3, 2, 1, 0, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1])).set_bool("multiqueue", false);
        assert_eq!(d, want);
        let again = request("prio", 0, u32::MAX, d).unwrap();
        assert_eq!(PRIO.decode(&again[52..]), want);
        // The compat nest tc sends decodes with multiqueue.
        assert_eq!(PRIO.decode(&hex(include_str!("testdata/prio-p2.hex"))[16..]).get("multiqueue"), Some(&Value::Bool(true)));
        let fast = PFIFO_FAST.decode(&hex("0300000001020202010200000101010101010101"));
        assert!(request("pfifo_fast", 0, u32::MAX, fast).is_ok());
        for n in 0..dump.len() {
            assert_eq!(PRIO.decode(&dump[..n]).is_empty(), n < QOPT_LEN);
        }
    }
}
