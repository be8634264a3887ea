//! Raw replies and events out, as bytes that src/raw.ts reads with a DataView (little-endian
//! fields; [`RECORD_HEADER`] and [`MESSAGE_HEADER`] are declared there too and checked by a
//! contract test through `layouts()` and `rawLayoutSample()`).
//!
//! A record: `u32 token | u8 kind | u8 0 | u16 0 | u32 n`, then `n` messages (a result, or an
//! event's one message) or `n` bytes of error envelope JSON. A message: `u16 type | u16 flags |
//! u32 seq | u32 pid | u32 len`, then `len` payload bytes padded to 4.

use nlkit::conn::{Done, Part};
use nlkit::monitor::Event;
use nlkit::raw::RawMessage;
use nlkit::Error;

use crate::envelope;

pub const RECORD_HEADER: usize = 12;
pub const MESSAGE_HEADER: usize = 16;

/// Record kinds.
pub const LAST: u8 = 0;
pub const MORE: u8 = 1;
pub const RESTART: u8 = 2;
pub const ERROR: u8 = 3;
pub const ITEM: u8 = 4;
pub const EXISTING: u8 = 5;
pub const OVERFLOW: u8 = 6;
pub const END: u8 = 7;

pub(crate) fn record(out: &mut Vec<u8>, token: u64, kind: u8, n: usize) {
    out.extend_from_slice(&(token as u32).to_le_bytes());
    out.extend_from_slice(&[kind, 0, 0, 0]);
    out.extend_from_slice(&(n as u32).to_le_bytes());
}

pub(crate) fn message(out: &mut Vec<u8>, m: &RawMessage) {
    out.extend_from_slice(&m.ty.to_le_bytes());
    out.extend_from_slice(&m.flags.to_le_bytes());
    out.extend_from_slice(&m.seq.to_le_bytes());
    out.extend_from_slice(&m.pid.to_le_bytes());
    out.extend_from_slice(&(m.payload.len() as u32).to_le_bytes());
    out.extend_from_slice(&m.payload);
    out.resize(out.len().next_multiple_of(4), 0);
}

pub(crate) fn error(out: &mut Vec<u8>, token: u64, e: &Error) {
    let text = envelope::text(e);
    record(out, token, ERROR, text.len());
    out.extend_from_slice(text.as_bytes());
    out.resize(out.len().next_multiple_of(4), 0);
}

/// Completions of a raw connection.
pub fn batch(done: &[Done<RawMessage>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 * done.len());
    for d in done {
        match &d.result {
            Ok(msgs) => {
                let kind = match d.part {
                    Part::Last => LAST,
                    Part::More => MORE,
                    Part::Restart => RESTART,
                };
                record(&mut out, d.token, kind, msgs.len());
                msgs.iter().for_each(|m| message(&mut out, m));
            }
            Err(e) => error(&mut out, d.token, e),
        }
    }
    out
}

/// Events of a raw subscription or dump stream.
pub fn events(evs: &[Event<RawMessage>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 * evs.len());
    for ev in evs {
        match ev {
            Event::Item { item, existing } => {
                record(&mut out, 0, if *existing { EXISTING } else { ITEM }, 1);
                message(&mut out, item);
            }
            Event::Overflow => record(&mut out, 0, OVERFLOW, 0),
            Event::End => record(&mut out, 0, END, 0),
            Event::Error(e) => error(&mut out, 0, e),
        }
    }
    out
}
