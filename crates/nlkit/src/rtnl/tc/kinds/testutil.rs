//! What the kinds' byte tests share: tc's captures as hex, options from strings, a qdisc request.

use crate::rtnl::settings::Settings;
use crate::rtnl::tc::{encode, TcOp, TcSpec, TcType};

/// A capture's hex (whitespace around it ignored).
pub fn hex(s: &str) -> Vec<u8> {
    let s = s.trim();
    (0..s.len() / 2).filter_map(|i| s.get(2 * i..2 * i + 2)).map(|b| u8::from_str_radix(b, 16).unwrap()).collect()
}

/// Options from strings: integers and `true`/`false` as such, anything else a string.
pub fn opts(kv: &[(&str, &str)]) -> Settings {
    let mut s = Settings::new();
    for (k, v) in kv {
        match (v.parse::<i64>(), *v) {
            (Ok(n), _) => s.set_int(k, n),
            (_, "true") => s.set_bool(k, true),
            (_, "false") => s.set_bool(k, false),
            _ => s.set_str(k, *v),
        };
    }
    s
}

/// A qdisc request at the root of ifindex 3, as the captures were made.
pub fn qdisc_request(kind: &str, handle: u32, options: Settings, op: TcOp) -> Result<Vec<u8>, String> {
    let spec = TcSpec { ifindex: 3, handle, parent: u32::MAX, kind: Some(kind.into()), options, ..Default::default() };
    encode(TcType::Qdisc, &spec, op)
}

/// Settings by key (a request's attribute order is tc's, a dump's the kernel's).
pub fn sorted(mut s: Settings) -> Settings {
    s.0.sort_by(|a, b| a.0.cmp(&b.0));
    s
}
