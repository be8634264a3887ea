//! mpls: push a label stack (`encap mpls 100/200 ttl 10`).

use super::{int, list};
use crate::rtnl::settings::{Settings, Value};
use crate::wire::{attr_u8, attrs, MsgBuilder};

pub(super) const KEYS: &[&str] = &["type", "labels", "ttl"];

const MPLS_IPTUNNEL_DST: u16 = 1;
const MPLS_IPTUNNEL_TTL: u16 = 2;
/// The kernel's MAX_NEW_LABELS.
pub const MAX_LABELS: usize = 30;
pub const MAX_LABEL: i64 = (1 << 20) - 1;
const BOS: u32 = 1 << 8;

pub(super) fn encode(s: &Settings, b: &mut MsgBuilder) -> Result<(), String> {
    let labels = list(s, "labels", "a label from 0 to 1048575", |v| match v {
        Value::Int(l) if (0..=MAX_LABEL).contains(l) => Some(*l as u32),
        _ => None,
    })?
    .ok_or("encap.labels is missing")?;
    if labels.is_empty() || labels.len() > MAX_LABELS {
        return Err(format!("encap.labels takes 1 to {MAX_LABELS} labels"));
    }
    // Each entry: label (20 bits), traffic class 0, bottom-of-stack on the last, ttl 0.
    let mut v = Vec::with_capacity(labels.len() * 4);
    for (i, l) in labels.iter().enumerate() {
        let bos = if i + 1 == labels.len() { BOS } else { 0 };
        v.extend_from_slice(&((l << 12) | bos).to_be_bytes());
    }
    b.attr(MPLS_IPTUNNEL_DST, &v);
    if let Some(t) = int(s, "ttl", 0, 255)? {
        b.attr_u8(MPLS_IPTUNNEL_TTL, t as u8);
    }
    Ok(())
}

pub(super) fn decode(v: &[u8], s: &mut Settings) {
    for (ty, a) in attrs(v).map_while(Result::ok) {
        match ty {
            MPLS_IPTUNNEL_DST => {
                let l = a.chunks_exact(4).map(|c| Value::Int((u32::from_be_bytes([c[0], c[1], c[2], c[3]]) >> 12) as i64));
                s.set("labels", Value::List(l.collect()));
            }
            MPLS_IPTUNNEL_TTL => {
                if let Some(t) = attr_u8(a) {
                    s.set_int("ttl", t);
                }
            }
            _ => {}
        }
    }
}
