//! The one error envelope every native entry point uses: a JSON object
//! `{"errno":17,"kind":"kernel","text":"File exists","detail":"...","offset":36}` that
//! src/errors.ts alone turns into a NetlinkError. Completion batches carry it in place of a
//! result; synchronous calls return `[envelope|null, value]` (never JSON in an exception's
//! message).

use nlkit::{Error, ErrorKind};

use crate::replies_out::json::Obj;

fn kind_name(k: ErrorKind) -> &'static str {
    match k {
        ErrorKind::Kernel => "kernel",
        ErrorKind::Timeout => "timeout",
        ErrorKind::Closed => "closed",
        ErrorKind::DumpInterrupted => "dumpInterrupted",
        ErrorKind::Protocol => "protocol",
        ErrorKind::Io => "io",
        ErrorKind::Busy => "busy",
        ErrorKind::Invalid => "invalid",
    }
}

pub fn error(o: &mut String, e: &Error) {
    let mut j = Obj::new(o);
    j.num("errno", e.errno).str("kind", kind_name(e.kind)).str("text", &e.errno_text());
    j.opt_str("detail", e.detail.as_deref()).opt_num("offset", e.offset);
    j.end();
}

/// The envelope alone, as a JSON text.
pub fn text(e: &Error) -> String {
    let mut o = String::new();
    error(&mut o, e);
    o
}

/// A synchronous call's result: `[null, value]` or `[envelope, null]`; `value` is JSON text.
pub fn result(r: Result<String, Error>) -> String {
    match r {
        Ok(v) => format!("[null,{v}]"),
        Err(e) => {
            let mut o = String::from("[");
            error(&mut o, &e);
            o.push_str(",null]");
            o
        }
    }
}
