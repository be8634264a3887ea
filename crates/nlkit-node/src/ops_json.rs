//! Reads the batch of operations index.ts sends as one JSON text (`JSON.stringify(ops)`):
//! one string crossing napi is far cheaper than an object whose every field is a napi call.
//! A small parser for exactly that shape (an array of flat objects of strings, numbers,
//! booleans and nulls); anything else is an error, never a panic.

use crate::ops::Op;

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

enum Value {
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
}

type R<T> = Result<T, String>;

impl<'a> Parser<'a> {
    fn ws(&mut self) {
        while self.i < self.s.len() && matches!(self.s[self.i], b' ' | b'\n' | b'\r' | b'\t') {
            self.i += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.s.get(self.i).copied()
    }

    fn expect(&mut self, c: u8) -> R<()> {
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            Err(format!("expected '{}' at {}", c as char, self.i))
        }
    }

    fn string(&mut self) -> R<String> {
        self.expect(b'"')?;
        let mut out = Vec::new();
        loop {
            let c = *self.s.get(self.i).ok_or("unterminated string")?;
            self.i += 1;
            match c {
                b'"' => break,
                b'\\' => {
                    let e = *self.s.get(self.i).ok_or("unterminated escape")?;
                    self.i += 1;
                    match e {
                        b'"' | b'\\' | b'/' => out.push(e),
                        b'n' => out.push(b'\n'),
                        b't' => out.push(b'\t'),
                        b'r' => out.push(b'\r'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'u' => {
                            let hex = self.s.get(self.i..self.i + 4).ok_or("short \\u escape")?;
                            self.i += 4;
                            let h = std::str::from_utf8(hex).map_err(|_| "bad \\u escape")?;
                            let cp = u32::from_str_radix(h, 16).map_err(|_| "bad \\u escape")?;
                            // Surrogates cannot be valid in names or addresses: replace them.
                            let ch = char::from_u32(cp).unwrap_or('\u{fffd}');
                            let mut b = [0u8; 4];
                            out.extend_from_slice(ch.encode_utf8(&mut b).as_bytes());
                        }
                        _ => return Err("bad escape".into()),
                    }
                }
                c => out.push(c),
            }
        }
        String::from_utf8(out).map_err(|_| "invalid UTF-8".into())
    }

    fn value(&mut self) -> R<Value> {
        match self.peek().ok_or("unexpected end")? {
            b'"' => Ok(Value::Str(self.string()?)),
            b't' => self.word("true", Value::Bool(true)),
            b'f' => self.word("false", Value::Bool(false)),
            b'n' => self.word("null", Value::Null),
            _ => {
                let start = self.i;
                while self.i < self.s.len() && matches!(self.s[self.i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') {
                    self.i += 1;
                }
                let t = std::str::from_utf8(&self.s[start..self.i]).map_err(|_| "bad number")?;
                t.parse::<f64>().map(Value::Num).map_err(|_| format!("bad number at {start}"))
            }
        }
    }

    fn word(&mut self, w: &str, v: Value) -> R<Value> {
        if self.s.get(self.i..self.i + w.len()) == Some(w.as_bytes()) {
            self.i += w.len();
            Ok(v)
        } else {
            Err(format!("bad literal at {}", self.i))
        }
    }
}

fn int<T: TryFrom<i64>>(v: Value, key: &str) -> R<Option<T>> {
    match v {
        Value::Null => Ok(None),
        Value::Num(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => {
            T::try_from(n as i64).map(Some).map_err(|_| format!("{key} out of range"))
        }
        _ => Err(format!("{key} must be an integer")),
    }
}

fn text(v: Value, key: &str) -> R<Option<String>> {
    match v {
        Value::Null => Ok(None),
        Value::Str(s) => Ok(Some(s)),
        _ => Err(format!("{key} must be a string")),
    }
}

fn set(op: &mut Op, key: &str, v: Value) -> R<()> {
    match key {
        "token" => op.token = int(v, key)?.ok_or("token is required")?,
        "op" => op.op = text(v, key)?.unwrap_or_default(),
        "timeout" => op.timeout = int(v, key)?,
        "index" => op.index = int(v, key)?,
        "name" => op.name = text(v, key)?,
        "up" => {
            op.up = match v {
                Value::Bool(b) => Some(b),
                Value::Null => None,
                _ => return Err("up must be a boolean".into()),
            }
        }
        "peerName" => op.peer_name = text(v, key)?,
        "family" => op.family = int(v, key)?,
        "address" => op.address = text(v, key)?,
        "prefixLen" => op.prefix_len = int(v, key)?,
        "peer" => op.peer = text(v, key)?,
        "broadcast" => op.broadcast = text(v, key)?,
        "label" => op.label = text(v, key)?,
        "scope" => op.scope = int(v, key)?,
        "flags" => op.flags = int(v, key)?,
        "validLft" => op.valid_lft = int(v, key)?,
        "preferredLft" => op.preferred_lft = int(v, key)?,
        "dst" => op.dst = text(v, key)?,
        "dstLen" => op.dst_len = int(v, key)?,
        "gateway" => op.gateway = text(v, key)?,
        "src" => op.src = text(v, key)?,
        "prefsrc" => op.prefsrc = text(v, key)?,
        "oif" => op.oif = int(v, key)?,
        "iif" => op.iif = int(v, key)?,
        "table" => op.table = int(v, key)?,
        "metric" => op.metric = int(v, key)?,
        "protocol" => op.protocol = int(v, key)?,
        "routeType" => op.route_type = int(v, key)?,
        "mark" => op.mark = int(v, key)?,
        // Unknown keys are a bug in index.ts, but harmless: ignore them.
        _ => {}
    }
    Ok(())
}

/// Parses `[{"token":1,"op":"linkGet","name":"eth0"}, ...]`.
pub fn parse(json: &str) -> R<Vec<Op>> {
    let mut p = Parser { s: json.as_bytes(), i: 0 };
    let mut ops = Vec::new();
    p.expect(b'[')?;
    let mut more = p.peek() != Some(b']');
    if !more {
        p.i += 1;
    }
    while more {
        p.expect(b'{')?;
        let mut op = Op::default();
        if p.peek() == Some(b'}') {
            p.i += 1;
        } else {
            loop {
                let key = p.string()?;
                p.expect(b':')?;
                let v = p.value()?;
                set(&mut op, &key, v)?;
                match p.peek() {
                    Some(b',') => p.i += 1,
                    Some(b'}') => {
                        p.i += 1;
                        break;
                    }
                    _ => return Err(format!("expected ',' or '}}' at {}", p.i)),
                }
            }
        }
        ops.push(op);
        match p.peek() {
            Some(b',') => p.i += 1,
            Some(b']') => {
                p.i += 1;
                more = false;
            }
            _ => return Err(format!("expected ',' or ']' at {}", p.i)),
        }
    }
    if p.peek().is_some() {
        return Err(format!("unexpected data after the array at {}", p.i));
    }
    Ok(ops)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_shape_index_ts_sends() {
        let ops = parse(r#"[{"op":"routeAdd","dst":"10.0.0.0","dstLen":24,"oif":3,"token":7,"up":true},{"token":8,"op":"linkGet","name":"e\u0074h0\"x"}]"#).unwrap();
        assert_eq!(ops.len(), 2);
        assert_eq!((ops[0].token, ops[0].dst.as_deref(), ops[0].dst_len, ops[0].oif, ops[0].up), (7, Some("10.0.0.0"), Some(24), Some(3), Some(true)));
        assert_eq!(ops[1].name.as_deref(), Some("eth0\"x"));
        assert!(parse("[]").unwrap().is_empty());
    }

    #[test]
    fn rejects_malformed_input_without_panicking() {
        for bad in ["", "[", "[]x", "[{}]]", "[{", "[{\"token\":1.5}]", "[{\"token\":-1}]", "[{\"up\":1}]", "{}", "[{\"a\":\"\\u12\"}]", "[{\"index\":1e300}]", "[{\"name\":3}]"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        let good = r#"[{"token":1,"op":"x","name":"a\nb","up":false,"flags":null}]"#;
        for cut in 0..good.len() {
            let _ = parse(&good[..cut]);
        }
    }
}
