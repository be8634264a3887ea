//! Operations in: reads the batch of operations src/engine.ts sends as one JSON text (`JSON.stringify(ops)`):
//! one string crossing napi is far cheaper than an object whose every field is a napi call.
//! A small JSON parser into nlkit's [`Settings`] tree: integers (no fractions), strings,
//! booleans, arrays and objects; `null` members are left out. Anything else is an error,
//! never a panic.

use nlkit::rtnl::settings::{Settings, Value};

/// Nesting deeper than this is not something src/ sends.
const MAX_DEPTH: usize = 16;
/// Fields of one object, items of one list: far above what any operation has (a kind's settings
/// are a few dozen), and low enough that keeping keys unique stays cheap (each key is compared
/// with those before it).
pub const MAX_FIELDS: usize = 256;

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
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
        // The usual string has no escapes: one exact allocation.
        let rest = &self.s[self.i..];
        if let Some(end) = rest.iter().position(|&c| c == b'"' || c == b'\\') {
            if rest[end] == b'"' {
                if rest[..end].contains(&0) {
                    return Err("a string must not contain NUL (the kernel would read up to it)".into());
                }
                self.i += end + 1;
                return std::str::from_utf8(&rest[..end]).map(str::to_owned).map_err(|_| "invalid UTF-8".into());
            }
        }
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
        if out.contains(&0) {
            return Err("a string must not contain NUL (the kernel would read up to it)".into());
        }
        String::from_utf8(out).map_err(|_| "invalid UTF-8".into())
    }

    /// A run of up to 15 decimal digits (optionally negative) not followed by a fraction or an
    /// exponent: the numbers index.ts sends, without going through f64.
    fn plain_int(&mut self) -> Option<i64> {
        let neg = self.s.get(self.i) == Some(&b'-');
        let start = self.i + neg as usize;
        let mut end = start;
        let mut v: i64 = 0;
        while let Some(c @ b'0'..=b'9') = self.s.get(end).copied() {
            v = v * 10 + (c - b'0') as i64;
            end += 1;
            if end - start > 15 {
                return None;
            }
        }
        if end == start || matches!(self.s.get(end), Some(b'.' | b'e' | b'E')) {
            return None;
        }
        self.i = end;
        Some(if neg { -v } else { v })
    }

    /// A value; `None` for null.
    fn value(&mut self, depth: usize) -> R<Option<Value>> {
        if depth > MAX_DEPTH {
            return Err("nesting too deep".into());
        }
        Ok(Some(match self.peek().ok_or("unexpected end")? {
            b'"' => Value::Str(self.string()?),
            b't' => self.word("true", Value::Bool(true))?,
            b'f' => self.word("false", Value::Bool(false))?,
            b'n' => {
                self.word("null", Value::Bool(false))?;
                return Ok(None);
            }
            b'{' => Value::Map(self.object(depth + 1)?),
            b'[' => {
                self.i += 1;
                let mut items = Vec::new();
                if self.peek() == Some(b']') {
                    self.i += 1;
                } else {
                    loop {
                        if let Some(v) = self.value(depth + 1)? {
                            // (The batch itself, at depth 0, is bounded by src/engine.ts's slices.)
                            if depth > 0 && items.len() >= MAX_FIELDS {
                                return Err(format!("a list of more than {MAX_FIELDS} items"));
                            }
                            items.push(v);
                        }
                        match self.peek() {
                            Some(b',') => self.i += 1,
                            Some(b']') => {
                                self.i += 1;
                                break;
                            }
                            _ => return Err(format!("expected ',' or ']' at {}", self.i)),
                        }
                    }
                }
                Value::List(items)
            }
            _ => {
                if let Some(v) = self.plain_int() {
                    return Ok(Some(Value::Int(v)));
                }
                let start = self.i;
                while self.i < self.s.len() && matches!(self.s[self.i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') {
                    self.i += 1;
                }
                let t = std::str::from_utf8(&self.s[start..self.i]).map_err(|_| "bad number")?;
                let n: f64 = t.parse().map_err(|_| format!("bad number at {start}"))?;
                if n.fract() != 0.0 || n.abs() > 9.0e15 {
                    return Err(format!("number at {start} is not an integer"));
                }
                Value::Int(n as i64)
            }
        }))
    }

    fn object(&mut self, depth: usize) -> R<Settings> {
        self.expect(b'{')?;
        let mut out = Settings(Vec::with_capacity(8));
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(out);
        }
        loop {
            let key = self.string()?;
            self.expect(b':')?;
            if let Some(v) = self.value(depth)? {
                if out.0.len() >= MAX_FIELDS {
                    return Err(format!("an object of more than {MAX_FIELDS} fields"));
                }
                out.set_owned(key, v);
            }
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(out);
                }
                _ => return Err(format!("expected ',' or '}}' at {}", self.i)),
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

/// Parses `[{"token":1,"op":"linkGet","name":"eth0"}, ...]` into one Settings per operation.
pub fn parse(json: &str) -> R<Vec<Settings>> {
    let mut p = Parser { s: json.as_bytes(), i: 0 };
    let list = match p.value(0)? {
        Some(Value::List(items)) => items,
        _ => return Err("expected an array of operations".into()),
    };
    if p.peek().is_some() {
        return Err(format!("unexpected data after the array at {}", p.i));
    }
    list.into_iter()
        .map(|v| match v {
            Value::Map(m) => Ok(m),
            _ => Err("each operation must be an object".to_string()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_shape_index_ts_sends() {
        let ops = parse(r#"[{"op":"routeAdd","dst":"10.0.0.0","dstLen":24,"index":3,"token":7,"up":true,"x":null,"nexthops":[{"gateway":"10.0.0.1","weight":2}]},{"token":8,"op":"linkGet","name":"e\u0074h0\"x"}]"#).unwrap();
        assert_eq!(ops.len(), 2);
        assert_eq!(ops[0].u32("token").unwrap(), Some(7));
        assert_eq!(ops[0].str("dst").unwrap(), Some("10.0.0.0"));
        assert_eq!(ops[0].bool("up").unwrap(), Some(true));
        assert_eq!(ops[0].get("x"), None);
        match ops[0].get("nexthops") {
            Some(Value::List(l)) => assert_eq!(l.len(), 1),
            other => panic!("{other:?}"),
        }
        assert_eq!(ops[1].str("name").unwrap(), Some("eth0\"x"));
        assert!(parse("[]").unwrap().is_empty());
    }

    #[test]
    fn rejects_malformed_input_without_panicking() {
        for bad in ["", "[", "[]x", "[{}]]", "[{", "[{\"token\":1.5}]", "{}", "[{\"a\":\"\\u12\"}]", "[{\"index\":1e300}]", "[1]"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        let deep = format!("[{}1{}]", "[".repeat(100), "]".repeat(100));
        assert!(parse(&deep).is_err());
        let good = r#"[{"token":1,"op":"x","name":"a\nb","up":false,"flags":null,"l":[1,{"a":2}]}]"#;
        for cut in 0..good.len() {
            let _ = parse(&good[..cut]);
        }
    }

    #[test]
    fn nul_in_a_string_and_oversized_objects_are_refused() {
        assert!(parse(r#"[{"name":"eth0\u0000-tmp"}]"#).unwrap_err().contains("NUL"));
        assert!(parse("[{\"name\":\"a\u{0}b\"}]").unwrap_err().contains("NUL"));
        let many: Vec<String> = (0..60_000).map(|i| format!("\"k{i}\":1")).collect();
        let e = parse(&format!("[{{{}}}]", many.join(","))).unwrap_err();
        assert!(e.contains("more than 256 fields"), "{e}");
        let long: Vec<String> = (0..300).map(|i| i.to_string()).collect();
        assert!(parse(&format!("[{{\"l\":[{}]}}]", long.join(","))).unwrap_err().contains("256 items"));
        // A batch of many operations is fine.
        let batch: Vec<String> = (0..3000).map(|i| format!("{{\"token\":{i}}}")).collect();
        assert_eq!(parse(&format!("[{}]", batch.join(","))).unwrap().len(), 3000);
    }

    #[test]
    fn numbers_take_the_integer_path_or_the_checked_one() {
        let ops = parse(r#"[{"a":0,"b":-42,"c":4294967295,"d":123456789012345,"e":1234567890123456,"f":2e3,"g":-0}]"#).unwrap();
        let int = |k: &str| match ops[0].get(k) {
            Some(Value::Int(i)) => *i,
            other => panic!("{k}: {other:?}"),
        };
        assert_eq!((int("a"), int("b"), int("c"), int("d")), (0, -42, 4294967295, 123456789012345));
        assert_eq!((int("e"), int("f"), int("g")), (1234567890123456, 2000, 0));
        for bad in ["[{\"a\":1.25}]", "[{\"a\":-}]", "[{\"a\":12345678901234567890}]"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
