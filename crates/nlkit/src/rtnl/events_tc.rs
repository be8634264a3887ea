//! Listing the traffic-control objects that exist when a subscription starts (and again after an
//! overflow). The kernel dumps qdiscs of every link at once, but classes only per link, filters
//! and chains only per parent (a qdisc, one side of clsact, or a class) and standalone actions
//! only per kind: the qdisc dump names the links and parents to list next, each class dump the
//! classes whose filters follow.

use super::tc::{self, handle, kind, Role, Tc, TcType};
use crate::monitor::Dump;

/// Dump tags of the stages (all deliver tc objects).
pub(super) const QDISCS: u32 = 200;
const CLASSES: u32 = 201;
const BLOCKS: u32 = 202;
const ACTIONS: u32 = 203;

pub(super) fn is_tag(tag: u32) -> bool {
    (QDISCS..=ACTIONS).contains(&tag)
}

/// What the running qdisc or class dump listed, for the dumps that follow it.
#[derive(Default)]
pub(super) struct TcListing {
    qdiscs: Vec<(u32, u32, String)>,
    classes: Vec<(u32, u32)>,
}

impl TcListing {
    /// The first dumps: every link's qdiscs, and the standalone actions of each kind nlkit
    /// knows (a kind the kernel lacks lists nothing).
    pub(super) fn start(&mut self) -> Vec<Dump> {
        self.qdiscs.clear();
        self.classes.clear();
        let mut d = vec![Dump { tag: QDISCS, request: tc::dump(TcType::Qdisc, 0, 0, None) }];
        for k in kind::known(Role::Action) {
            if let Ok(request) = tc::standalone::all_of(k, false) {
                d.push(Dump { tag: ACTIONS, request });
            }
        }
        d
    }

    pub(super) fn listed(&mut self, tag: u32, t: &Tc) {
        match (tag, t.ty) {
            // A qdisc without a handle (noqueue, a default pfifo_fast or mq) has no classes
            // or filters.
            (QDISCS, TcType::Qdisc) if t.handle != 0 => self.qdiscs.push((t.ifindex, t.handle, t.kind.clone().unwrap_or_default())),
            (CLASSES, TcType::Class) => self.classes.push((t.ifindex, t.handle)),
            _ => {}
        }
    }

    pub(super) fn follow_ups(&mut self, tag: u32) -> Vec<Dump> {
        let mut d = Vec::new();
        match tag {
            QDISCS => {
                let mut links: Vec<u32> = self.qdiscs.iter().map(|q| q.0).collect();
                links.sort_unstable();
                links.dedup();
                for (ifindex, h, kind) in std::mem::take(&mut self.qdiscs) {
                    for parent in parents(&kind, h) {
                        blocks(&mut d, ifindex, parent);
                    }
                }
                d.extend(links.into_iter().map(|i| Dump { tag: CLASSES, request: tc::dump(TcType::Class, i, 0, None) }));
            }
            CLASSES => {
                for (ifindex, h) in std::mem::take(&mut self.classes) {
                    blocks(&mut d, ifindex, h);
                }
            }
            _ => {}
        }
        d
    }
}

/// The filter and chain dumps of one parent.
fn blocks(d: &mut Vec<Dump>, ifindex: u32, parent: u32) {
    for ty in [TcType::Chain, TcType::Filter] {
        d.push(Dump { tag: BLOCKS, request: tc::dump(ty, ifindex, parent, None) });
    }
}

/// Where a qdisc's filters hang: clsact has two blocks, ingress one (both named as
/// `tc filter show dev X ingress|egress` names them), any other qdisc its own handle.
fn parents(kind: &str, h: u32) -> Vec<u32> {
    let side = |min: u32| handle::TC_H_INGRESS & 0xFFFF_0000 | min;
    match kind {
        "clsact" => vec![side(handle::TC_H_MIN_INGRESS), side(handle::TC_H_MIN_EGRESS)],
        "ingress" => vec![side(handle::TC_H_MIN_INGRESS)],
        _ => vec![h],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn qdisc(ifindex: u32, handle: u32, kind: &str) -> Tc {
        Tc { ty: TcType::Qdisc, ifindex, handle, kind: Some(kind.into()), ..Default::default() }
    }

    #[test]
    fn qdiscs_name_the_class_filter_and_chain_dumps() {
        let mut l = TcListing::default();
        let first = l.start();
        assert_eq!(first[0].tag, QDISCS);
        assert_eq!(first.iter().filter(|d| d.tag == ACTIONS).count(), kind::known(Role::Action).len());
        for t in [qdisc(2, 0, "noqueue"), qdisc(3, 0x10000, "htb"), qdisc(3, 0xFFFF_0000, "clsact"), qdisc(4, 0xFFFF_0000, "ingress")] {
            l.listed(QDISCS, &t);
        }
        let next = l.follow_ups(QDISCS);
        let req = |d: &Dump| (d.tag, u16::from_ne_bytes([d.request[4], d.request[5]]), word(&d.request, 20), word(&d.request, 28));
        let got: Vec<_> = next.iter().map(req).collect();
        let (c, f, k) = (tc::RTM_GETCHAIN, tc::RTM_GETTFILTER, tc::RTM_GETTCLASS);
        assert_eq!(
            got,
            [
                (BLOCKS, c, 3, 0x10000),
                (BLOCKS, f, 3, 0x10000),
                (BLOCKS, c, 3, 0xFFFF_FFF2),
                (BLOCKS, f, 3, 0xFFFF_FFF2),
                (BLOCKS, c, 3, 0xFFFF_FFF3),
                (BLOCKS, f, 3, 0xFFFF_FFF3),
                (BLOCKS, c, 4, 0xFFFF_FFF2),
                (BLOCKS, f, 4, 0xFFFF_FFF2),
                (CLASSES, k, 3, 0),
                (CLASSES, k, 4, 0),
            ]
        );
        assert!(l.follow_ups(QDISCS).is_empty(), "taken once");
        l.listed(CLASSES, &Tc { ty: TcType::Class, ifindex: 3, handle: 0x10010, ..Default::default() });
        let got: Vec<_> = l.follow_ups(CLASSES).iter().map(req).collect();
        assert_eq!(got, [(BLOCKS, c, 3, 0x10010), (BLOCKS, f, 3, 0x10010)]);
        assert!(l.follow_ups(BLOCKS).is_empty());
    }

    fn word(m: &[u8], at: usize) -> u32 {
        u32::from_ne_bytes([m[at], m[at + 1], m[at + 2], m[at + 3]])
    }
}
