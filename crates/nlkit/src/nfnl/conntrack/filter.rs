//! What a listing (or a flush) selects. The kernel is sent what it can filter itself:
//! nfgen_family, CTA_MARK/CTA_MARK_MASK, CTA_ZONE, CTA_STATUS/CTA_STATUS_MASK and a CTA_FILTER
//! with the tuples' fields (5.x+); each entry of the reply is checked here again against the
//! whole filter, so older kernels, and fields the kernel does not compare, give the same result.

use super::attrs::*;
use super::entry::Entry;
use super::tuple::Tuple;
use crate::wire::MsgBuilder;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// AF_INET / AF_INET6, or 0 for both.
    pub family: u8,
    pub proto: Option<u8>,
    pub orig: Tuple,
    pub reply: Tuple,
    /// (value, mask): entries whose `mark & mask == value`.
    pub mark: Option<(u32, u32)>,
    pub zone: Option<u16>,
    /// (value, mask): entries whose `status & mask == value`.
    pub status: Option<(u32, u32)>,
}

impl Filter {
    fn tuple(&self, t: &Tuple) -> Tuple {
        Tuple { proto: t.proto.or(self.proto), ..t.clone() }
    }

    /// True when no tuple field is asked for: a flush can then be filtered by the kernel alone.
    pub fn kernel_only(&self) -> bool {
        self.proto.is_none() && self.orig == Tuple::default() && self.reply == Tuple::default()
    }

    /// The attributes of a filtered dump (or, `flush`, of a filtered flush: no CTA_FILTER,
    /// which the kernel refuses there).
    pub fn encode(&self, b: &mut MsgBuilder, flush: bool) {
        if let Some((v, m)) = self.mark {
            b.attr(CTA_MARK, &v.to_be_bytes());
            b.attr(CTA_MARK_MASK, &m.to_be_bytes());
        }
        if let Some(z) = self.zone {
            b.attr(CTA_ZONE, &z.to_be_bytes());
        }
        if let Some((v, m)) = self.status {
            // The kernel refuses a zero mask (it would select everything or nothing).
            if m != 0 {
                b.attr(CTA_STATUS, &v.to_be_bytes());
                b.attr(CTA_STATUS_MASK, &m.to_be_bytes());
            }
        }
        // A tuple filter needs the family (the kernel answers EOPNOTSUPP without one).
        if flush || !matches!(self.family, AF_INET | AF_INET6) {
            return;
        }
        let (orig, reply) = (self.tuple(&self.orig), self.tuple(&self.reply));
        let (fo, fr) = (orig.filter_flags(), if self.reply == Tuple::default() { 0 } else { reply.filter_flags() });
        if fo == 0 && fr == 0 {
            return;
        }
        if fo != 0 {
            orig.encode(b, CTA_TUPLE_ORIG);
        }
        if fr != 0 {
            reply.encode(b, CTA_TUPLE_REPLY);
        }
        let n = b.nest_start(CTA_FILTER);
        b.attr_u32(CTA_FILTER_ORIG_FLAGS, fo);
        b.attr_u32(CTA_FILTER_REPLY_FLAGS, fr);
        b.nest_end(n);
    }

    pub fn matches(&self, e: &Entry) -> bool {
        let masked = |want: Option<(u32, u32)>, have: Option<u32>| want.is_none_or(|(v, m)| have.unwrap_or(0) & m == v);
        (self.family == 0 || self.family == e.family)
            && self.proto.is_none_or(|p| e.proto() == Some(p))
            && self.orig.matches(&e.orig)
            && self.reply.matches(&e.reply)
            && masked(self.mark, e.mark)
            && self.zone.is_none_or(|z| e.zone.unwrap_or(0) == z)
            && masked(self.status, e.status)
    }
}
