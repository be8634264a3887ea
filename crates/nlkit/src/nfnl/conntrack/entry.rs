//! One conntrack entry: decoded from a reply or an event (IPCTNL_MSG_CT_NEW / DELETE), and
//! encoded for a create or an update. The tree JavaScript receives keeps the kernel's numbers
//! (status bits, TCP state): src/conntrack/names.ts names them, with the same tables it checks
//! arguments against.

use super::attrs::*;
use super::nat::Nat;
use super::tuple::Tuple;
use crate::rtnl::settings::{Settings, Value};
use crate::wire::{self, MsgBuilder, WireError};

/// Size of CTA_LABELS: 128 label bits.
pub const LABELS_LEN: usize = 16;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Entry {
    /// nfgen_family: AF_INET or AF_INET6.
    pub family: u8,
    pub orig: Tuple,
    pub reply: Tuple,
    pub master: Option<Tuple>,
    pub status: Option<u32>,
    /// Seconds left.
    pub timeout: Option<u32>,
    pub mark: Option<u32>,
    pub zone: Option<u16>,
    pub use_count: Option<u32>,
    pub id: Option<u32>,
    /// TCP, DCCP or SCTP state (the protocol's own numbering).
    pub state: Option<u8>,
    /// (packets, bytes) per direction (with net.netfilter.nf_conntrack_acct=1).
    pub counters_orig: Option<(u64, u64)>,
    pub counters_reply: Option<(u64, u64)>,
    /// ns since the epoch (with net.netfilter.nf_conntrack_timestamp=1).
    pub start: Option<u64>,
    pub stop: Option<u64>,
    pub labels: Option<Vec<u8>>,
    pub helper: Option<String>,
    pub secctx: Option<String>,
}

fn be32(v: &[u8]) -> Option<u32> {
    v.get(..4).map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

fn be64(v: &[u8]) -> Option<u64> {
    v.get(..8).map(|s| u64::from_be_bytes(wire::fixed::<8>(s)))
}

fn counters(v: &[u8]) -> Result<(u64, u64), WireError> {
    let mut c = (0, 0);
    for a in wire::attrs(v) {
        match a? {
            (CTA_COUNTERS_PACKETS, v) => c.0 = be64(v).unwrap_or(0),
            (CTA_COUNTERS_BYTES, v) => c.1 = be64(v).unwrap_or(0),
            _ => {}
        }
    }
    Ok(c)
}

fn nested_str(v: &[u8], want: u16) -> Result<Option<String>, WireError> {
    for a in wire::attrs(v) {
        let (ty, v) = a?;
        if ty == want {
            return Ok(Some(wire::attr_str(v)));
        }
    }
    Ok(None)
}

impl Entry {
    /// `family` is the nfgenmsg's; `attrs` what follows it.
    pub fn decode(family: u8, attrs: &[u8]) -> Result<Entry, WireError> {
        let mut e = Entry { family, ..Entry::default() };
        for a in wire::attrs(attrs) {
            let (ty, v) = a?;
            match ty {
                CTA_TUPLE_ORIG => e.orig = Tuple::decode(v)?,
                CTA_TUPLE_REPLY => e.reply = Tuple::decode(v)?,
                CTA_TUPLE_MASTER => e.master = Some(Tuple::decode(v)?),
                CTA_STATUS => e.status = be32(v),
                CTA_TIMEOUT => e.timeout = be32(v),
                CTA_MARK => e.mark = be32(v),
                CTA_ZONE => e.zone = v.get(..2).map(|s| u16::from_be_bytes([s[0], s[1]])),
                CTA_USE => e.use_count = be32(v),
                CTA_ID => e.id = be32(v),
                CTA_PROTOINFO => {
                    for a in wire::attrs(v) {
                        let (ty, v) = a?;
                        if matches!(ty, CTA_PROTOINFO_TCP | CTA_PROTOINFO_DCCP | CTA_PROTOINFO_SCTP) {
                            for a in wire::attrs(v) {
                                if let (CTA_PROTOINFO_STATE, v) = a? {
                                    e.state = wire::attr_u8(v);
                                }
                            }
                        }
                    }
                }
                CTA_COUNTERS_ORIG => e.counters_orig = Some(counters(v)?),
                CTA_COUNTERS_REPLY => e.counters_reply = Some(counters(v)?),
                CTA_TIMESTAMP => {
                    for a in wire::attrs(v) {
                        match a? {
                            (CTA_TIMESTAMP_START, v) => e.start = be64(v),
                            (CTA_TIMESTAMP_STOP, v) => e.stop = be64(v),
                            _ => {}
                        }
                    }
                }
                CTA_LABELS => e.labels = Some(v.to_vec()),
                CTA_HELP => e.helper = nested_str(v, CTA_HELP_NAME)?,
                CTA_SECCTX => e.secctx = nested_str(v, CTA_SECCTX_NAME)?,
                _ => {}
            }
        }
        Ok(e)
    }

    /// The protocol number (of the original tuple).
    pub fn proto(&self) -> Option<u8> {
        self.orig.proto.or(self.reply.proto)
    }

    /// The tree JavaScript receives: numbers as the kernel has them, timestamps as decimal
    /// strings (nanoseconds do not fit a double), labels as the numbers of the bits set.
    pub fn to_settings(&self) -> Settings {
        let mut s = Settings::new();
        s.set_int("family", self.family);
        if let Some(p) = self.proto() {
            s.set_int("protonum", p);
        }
        s.set("orig", Value::Map(self.orig.to_settings()));
        s.set("reply", Value::Map(self.reply.to_settings()));
        if let Some(m) = &self.master {
            s.set("master", Value::Map(m.to_settings()));
        }
        let ints = [
            ("status", self.status),
            ("timeout", self.timeout),
            ("mark", self.mark),
            ("zone", self.zone.map(u32::from)),
            ("use", self.use_count),
            ("id", self.id),
            ("state", self.state.map(u32::from)),
        ];
        for (k, v) in ints {
            if let Some(v) = v {
                s.set_int(k, v);
            }
        }
        for (k, c) in [("countersOrig", self.counters_orig), ("countersReply", self.counters_reply)] {
            if let Some((p, b)) = c {
                let mut m = Settings::new();
                m.set_int("packets", p.min(i64::MAX as u64) as i64).set_int("bytes", b.min(i64::MAX as u64) as i64);
                s.set(k, Value::Map(m));
            }
        }
        if let Some(t) = self.start {
            s.set_str("start", t.to_string());
        }
        if let Some(t) = self.stop {
            s.set_str("stop", t.to_string());
        }
        if let Some(l) = &self.labels {
            let bits = (0..l.len() * 8).filter(|i| l[i / 8] & (1 << (i % 8)) != 0).map(|i| Value::Int(i as i64)).collect();
            s.set("labels", Value::List(bits));
        }
        if let Some(h) = &self.helper {
            s.set_str("helper", h.clone());
        }
        if let Some(c) = &self.secctx {
            s.set_str("secctx", c.clone());
        }
        s
    }
}

/// What a create or an update sends besides the tuples.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Change {
    pub timeout: Option<u32>,
    pub status: Option<u32>,
    pub mark: Option<u32>,
    /// With `mark`: the bits of the mark to set (the kernel keeps the others).
    pub mark_mask: Option<u32>,
    pub labels: Option<Vec<u8>>,
    pub labels_mask: Option<Vec<u8>>,
    pub state: Option<u8>,
    /// With `state` (TCP): struct nf_ct_tcp_flags bits set in both directions.
    pub tcp_flags: Option<u8>,
    /// Source / destination NAT: a new entry's only (see [`Nat`]).
    pub snat: Option<Nat>,
    pub dnat: Option<Nat>,
    pub helper: Option<String>,
}

/// Label bit numbers as CTA_LABELS' bitmap: bit n is bit n % 8 of byte n / 8 (the kernel's
/// `unsigned long` words as a little-endian host lays them out).
pub fn labels_bitmap(bits: &[u32]) -> Result<Vec<u8>, crate::Error> {
    let mut out = vec![0u8; LABELS_LEN];
    for &b in bits {
        let i = b as usize;
        if i >= LABELS_LEN * 8 {
            return Err(crate::Error::invalid(format!("label {b} is beyond 127")));
        }
        out[i / 8] |= 1 << (i % 8);
    }
    Ok(out)
}

impl Change {
    pub fn encode(&self, b: &mut MsgBuilder, proto: u8) {
        if let Some(t) = self.timeout {
            b.attr(CTA_TIMEOUT, &t.to_be_bytes());
        }
        if let Some(st) = self.status {
            b.attr(CTA_STATUS, &st.to_be_bytes());
        }
        if let Some(m) = self.mark {
            b.attr(CTA_MARK, &m.to_be_bytes());
            if let Some(mask) = self.mark_mask {
                b.attr(CTA_MARK_MASK, &mask.to_be_bytes());
            }
        }
        if let Some(l) = &self.labels {
            b.attr(CTA_LABELS, l);
            if let Some(m) = &self.labels_mask {
                b.attr(CTA_LABELS_MASK, m);
            }
        }
        if let Some(state) = self.state {
            let p = b.nest_start(CTA_PROTOINFO);
            let inner = match proto {
                33 => CTA_PROTOINFO_DCCP,
                132 => CTA_PROTOINFO_SCTP,
                _ => CTA_PROTOINFO_TCP,
            };
            let n = b.nest_start(inner);
            b.attr_u8(CTA_PROTOINFO_STATE, state);
            if let (CTA_PROTOINFO_TCP, Some(f)) = (inner, self.tcp_flags) {
                b.attr(CTA_PROTOINFO_TCP_FLAGS_ORIGINAL, &[f, f]).attr(CTA_PROTOINFO_TCP_FLAGS_REPLY, &[f, f]);
            }
            b.nest_end(n);
            b.nest_end(p);
        }
        // After the protocol info, source before destination: libnetfilter_conntrack's order.
        for (nat, ty) in [(&self.snat, CTA_NAT_SRC), (&self.dnat, CTA_NAT_DST)] {
            if let Some(n) = nat {
                n.encode(b, ty);
            }
        }
        if let Some(h) = &self.helper {
            let n = b.nest_start(CTA_HELP);
            b.attr_str(CTA_HELP_NAME, h);
            b.nest_end(n);
        }
    }
}
