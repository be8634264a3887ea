//! The JSON text writer replies cross in: building one string here and parsing it once in JS
//! is far cheaper than setting properties one napi call at a time.

use std::fmt::Write;
use std::net::IpAddr;

use nlkit::rtnl::settings::{Settings, Value};

/// Appends a JSON object field by field; the first `field` call opens it, `end` closes it.
pub struct Obj<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> Obj<'a> {
    pub fn new(out: &'a mut String) -> Self {
        out.push('{');
        Obj { out, first: true }
    }

    fn key(&mut self, k: &str) -> &mut String {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        self.out.push('"');
        self.out.push_str(k);
        self.out.push_str("\":");
        self.out
    }

    pub fn num(&mut self, k: &str, v: impl Num) -> &mut Self {
        let o = self.key(k);
        v.write(o);
        self
    }

    pub fn opt_num<T: Num>(&mut self, k: &str, v: Option<T>) -> &mut Self {
        if let Some(v) = v {
            self.num(k, v);
        }
        self
    }

    pub fn bool(&mut self, k: &str, v: bool) -> &mut Self {
        self.key(k).push_str(if v { "true" } else { "false" });
        self
    }

    pub fn str(&mut self, k: &str, v: &str) -> &mut Self {
        let o = self.key(k);
        string(o, v);
        self
    }

    /// An address (or, with a length short of the host's, a prefix) as a JSON string.
    pub fn ip(&mut self, k: &str, v: &IpAddr, len: Option<u8>) -> &mut Self {
        let o = self.key(k);
        o.push('"');
        ip(o, v);
        if let Some(l) = len {
            o.push('/');
            uint(o, l as u64);
        }
        o.push('"');
        self
    }

    pub fn opt_ip(&mut self, k: &str, v: Option<IpAddr>) -> &mut Self {
        if let Some(v) = v {
            self.ip(k, &v, None);
        }
        self
    }

    pub fn opt_str(&mut self, k: &str, v: Option<&str>) -> &mut Self {
        if let Some(v) = v {
            self.str(k, v);
        }
        self
    }

    pub fn strs<S: AsRef<str>>(&mut self, k: &str, v: &[S]) -> &mut Self {
        self.str_iter(k, v.iter().map(|s| s.as_ref()))
    }

    pub fn str_iter<'s>(&mut self, k: &str, v: impl Iterator<Item = &'s str>) -> &mut Self {
        let o = self.key(k);
        o.push('[');
        for (i, s) in v.enumerate() {
            if i > 0 {
                o.push(',');
            }
            string(o, s);
        }
        o.push(']');
        self
    }

    pub fn nums<N: Num>(&mut self, k: &str, v: &[N]) -> &mut Self {
        let o = self.key(k);
        o.push('[');
        for (i, n) in v.iter().enumerate() {
            if i > 0 {
                o.push(',');
            }
            n.write(o);
        }
        o.push(']');
        self
    }

    pub fn raw(&mut self, k: &str) -> &mut String {
        self.key(k)
    }

    pub fn end(&mut self) {
        self.out.push('}');
    }
}

/// Integers written without `fmt` (which costs more than the rest of a route's JSON).
pub trait Num: Copy {
    fn write(self, o: &mut String);
}

macro_rules! num_impl {
    ($($t:ty => $via:ident),*) => {$(
        impl Num for $t {
            fn write(self, o: &mut String) {
                $via(o, self as _);
            }
        }
        impl Num for &$t {
            fn write(self, o: &mut String) {
                $via(o, *self as _);
            }
        }
    )*};
}
num_impl!(u8 => uint, u16 => uint, u32 => uint, u64 => uint, usize => uint, i8 => int, i16 => int, i32 => int, i64 => int);

pub fn uint(o: &mut String, mut v: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    o.push_str(std::str::from_utf8(&digits[i..]).unwrap_or("0"));
}

fn int(o: &mut String, v: i64) {
    if v < 0 {
        o.push('-');
    }
    uint(o, v.unsigned_abs());
}

/// An address as text, IPv4 without `fmt`.
pub fn ip(o: &mut String, ip: &IpAddr) {
    match ip {
        IpAddr::V4(v4) => {
            for (i, b) in v4.octets().iter().enumerate() {
                if i > 0 {
                    o.push('.');
                }
                uint(o, *b as u64);
            }
        }
        IpAddr::V6(v6) => {
            let _ = write!(o, "{v6}");
        }
    }
}

/// A [`Settings`] tree as a JSON object.
pub fn settings(o: &mut String, s: &Settings) {
    o.push('{');
    for (i, (k, v)) in s.0.iter().enumerate() {
        if i > 0 {
            o.push(',');
        }
        string(o, k);
        o.push(':');
        value(o, v);
    }
    o.push('}');
}

fn value(o: &mut String, v: &Value) {
    match v {
        Value::Bool(b) => o.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => {
            let _ = write!(o, "{i}");
        }
        // Display is the shortest text that reads back as the same f64, without an exponent.
        Value::Float(f) if f.is_finite() => {
            let _ = write!(o, "{f}");
        }
        Value::Float(_) => o.push_str("null"),
        Value::Str(s) => string(o, s),
        Value::List(l) => {
            o.push('[');
            for (i, x) in l.iter().enumerate() {
                if i > 0 {
                    o.push(',');
                }
                value(o, x);
            }
            o.push(']');
        }
        Value::Map(m) => settings(o, m),
    }
}

pub fn string(o: &mut String, s: &str) {
    o.push('"');
    if !s.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        o.push_str(s);
        o.push('"');
        return;
    }
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(o, "\\u{:04x}", c as u32);
            }
            c => o.push(c),
        }
    }
    o.push('"');
}

pub fn mac(b: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(b.len() * 3);
    for (i, x) in b.iter().enumerate() {
        if i > 0 {
            s.push(':');
        }
        s.push(HEX[(x >> 4) as usize] as char);
        s.push(HEX[(x & 15) as usize] as char);
    }
    s
}
