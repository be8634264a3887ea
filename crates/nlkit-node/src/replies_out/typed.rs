//! Completions of the typed protocol families (generic netlink, netfilter, sock_diag, xfrm)
//! out, in the raw layer's record layout (replies_out/raw.rs): raw messages as messages, typed
//! replies as one JSON array per record, flagged by the record header's second byte
//! ([`FORMAT_JSON`], declared in src/raw-layout.ts too).

use nlkit::conn::{Done, Part};
use nlkit::typed::Object;

use super::json;
use super::raw::{error, message, record, LAST, MORE, RESTART};

/// Byte 5 of a record: its `n` bytes are a JSON array of typed objects.
pub const FORMAT_JSON: u8 = 1;

pub fn batch(done: &[Done<Object>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(128 * done.len());
    for d in done {
        let objs = match &d.result {
            Ok(o) => o,
            Err(e) => {
                error(&mut out, d.token, e);
                continue;
            }
        };
        let kind = match d.part {
            Part::Last => LAST,
            Part::More => MORE,
            Part::Restart => RESTART,
        };
        let msgs: Vec<_> = objs.iter().filter_map(|o| if let Object::Message(m) = o { Some(m) } else { None }).collect();
        if msgs.len() == objs.len() {
            record(&mut out, d.token, kind, msgs.len());
            msgs.into_iter().for_each(|m| message(&mut out, m));
            continue;
        }
        let mut text = String::from("[");
        for (i, t) in objs.iter().filter_map(|o| if let Object::Tree(t) = o { Some(t) } else { None }).enumerate() {
            if i > 0 {
                text.push(',');
            }
            json::settings(&mut text, t);
        }
        text.push(']');
        record(&mut out, d.token, kind, text.len());
        let at = out.len() - 7;
        out[at] = FORMAT_JSON;
        out.extend_from_slice(text.as_bytes());
        out.resize(out.len().next_multiple_of(4), 0);
    }
    out
}
