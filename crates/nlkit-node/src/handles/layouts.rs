//! The positional layouts replies cross in, for the contract tests of src/ (no kernel needed):
//! the TypeScript side declares the same names and sizes, and decodes a sample built here.

use napi::bindgen_prelude::Buffer;
use napi_derive::napi;
use nlkit::conn::{Done, Part};
use nlkit::monitor::Event;
use nlkit::raw::RawMessage;
use nlkit::{Error, ErrorKind};

use crate::replies_out::{raw, route};

#[napi(object)]
pub struct Layouts {
    /// A route's values in order (replies_out/route.rs).
    pub route: Vec<String>,
    pub raw_record_header: u32,
    pub raw_message_header: u32,
    /// A record's second byte when it carries JSON (replies_out/genl.rs).
    pub raw_format_json: u32,
}

/// Each rtnetlink operation's fields and their JSON types (ops_in/fields.rs), as JSON.
#[napi]
pub fn op_fields() -> String {
    crate::ops_in::fields::json()
}

/// The kernel's name tables (rtnl/names.rs, and the route metrics), as JSON:
/// `{"scopes":[[0,"global"],...],...,"metrics":[[2,"mtu"],...]}`; src/names.ts builds its
/// tables from this, so the names are written in one place.
#[napi]
pub fn name_tables() -> String {
    use nlkit::rtnl::{names, route::METRICS};
    let table = |pairs: &mut dyn Iterator<Item = (u32, &str)>| {
        let items: Vec<String> = pairs.map(|(v, n)| format!("[{v},\"{n}\"]")).collect();
        format!("[{}]", items.join(","))
    };
    let mut parts: Vec<String> =
        names::TABLES_BY_NAME.iter().map(|(name, t)| format!("\"{name}\":{}", table(&mut t.iter().copied()))).collect();
    parts.push(format!("\"metrics\":{}", table(&mut METRICS.iter().map(|(n, v)| (*v as u32, *n)))));
    format!("{{{}}}", parts.join(","))
}

#[napi]
pub fn layouts() -> Layouts {
    Layouts {
        route: route::ROUTE_LAYOUT.iter().map(|s| s.to_string()).collect(),
        raw_record_header: raw::RECORD_HEADER as u32,
        raw_message_header: raw::MESSAGE_HEADER as u32,
        raw_format_json: crate::replies_out::typed::FORMAT_JSON as u32,
    }
}

/// A fixed raw completion batch and event batch, concatenated as `[u32 len of batch] batch
/// events`: token 7 with two messages (payloads of 3 and 0 bytes, the first padded), token 8
/// failed with EEXIST and an extended-ACK text, token 9 a dump part; then an event, an existing
/// item, an overflow and the end.
#[napi]
pub fn raw_layout_sample() -> Buffer {
    let m1 = RawMessage { ty: 16, flags: 2, seq: 5, pid: 0, payload: vec![1, 2, 3] };
    let m2 = RawMessage { ty: 0x1234, flags: 0x8002, seq: 0xfffffffe, pid: 77, payload: vec![] };
    let e = Error { kind: ErrorKind::Kernel, errno: 17 /* EEXIST */, detail: Some("exists \"here\"".into()), offset: Some(20) };
    let done = vec![
        Done::new(7, Ok(vec![m1.clone(), m2.clone()])),
        Done::new(8, Err(e)),
        Done { part: Part::More, ..Done::new(9, Ok(vec![m2.clone()])) },
    ];
    let evs = vec![Event::Item { item: m1, existing: false }, Event::Item { item: m2, existing: true }, Event::Overflow, Event::End];
    let b = raw::batch(&done);
    let mut out = (b.len() as u32).to_le_bytes().to_vec();
    out.extend_from_slice(&b);
    out.extend_from_slice(&raw::events(&evs));
    out.into()
}

/// A fixed generic completion batch: token 3 with two typed objects (a dump part), token 4
/// with one raw message.
#[napi]
pub fn genl_layout_sample() -> Buffer {
    use nlkit::genl::Object;
    use nlkit::rtnl::settings::{Settings, Value};
    let mut a = Settings::new();
    a.set_int("id", 16).set_str("name", "nl\"ctrl").set("ops", Value::List(vec![]));
    let mut b = Settings::new();
    b.set_bool("x", true);
    let m = RawMessage { ty: 0x15, flags: 0, seq: 1, pid: 0, payload: vec![9, 1, 0, 0, 4, 0, 1, 0] };
    let done = vec![
        Done { part: Part::More, ..Done::new(3, Ok(vec![Object::Tree(a), Object::Tree(b)])) },
        Done::new(4, Ok(vec![Object::Message(m)])),
    ];
    crate::replies_out::typed::batch(&done).into()
}
