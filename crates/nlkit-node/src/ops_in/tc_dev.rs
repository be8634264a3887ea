//! mirred's target device given by name (`{ kind: 'mirred', dev: 'ifb0' }`): the names are
//! resolved in the connection's namespace before the request is sent, each with a link lookup
//! on the same socket (answered from the link cache when it can be), as an operation's own
//! `dev` is; the core's mirred takes the index only. A request is encoded once with stand-in
//! indexes first, so bad options fail before anything is sent.

use nlkit::rtnl::settings::{Settings, Value};
use nlkit::rtnl::{after_link, Request};
use nlkit::Error;

use super::route::bad;

type R<T> = Result<T, Error>;

/// The mirred actions' device names in `actions` (a list), in order.
pub(crate) fn names(actions: Option<&Value>) -> R<Vec<String>> {
    let Some(Value::List(list)) = actions else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    for (i, a) in list.iter().enumerate() {
        let Value::Map(m) = a else { continue };
        if m.str("kind") != Ok(Some("mirred")) {
            continue;
        }
        match m.get("dev") {
            None => {}
            Some(_) if m.get("ifindex").is_some() => {
                return Err(bad(format!("actions[{i}]: dev and ifindex both name the device: give one")))
            }
            Some(Value::Str(n)) if !n.is_empty() && n.len() < 16 && !n.contains(['\0', '/']) => out.push(n.clone()),
            Some(_) => return Err(bad(format!("actions[{i}].dev must be a device name of 1 to 15 bytes"))),
        }
    }
    Ok(out)
}

/// `actions` with each mirred `dev` replaced by the `ifindex` of the same position in `idx`.
pub(crate) fn with_indexes(actions: &Value, idx: &[u32]) -> Value {
    let Value::List(list) = actions else { return actions.clone() };
    let mut next = idx.iter();
    Value::List(
        list.iter()
            .map(|a| match a {
                Value::Map(m) if m.str("kind") == Ok(Some("mirred")) && m.get("dev").is_some() => {
                    let mut m = Settings(m.0.iter().filter(|(k, _)| k != "dev").cloned().collect());
                    m.set_int("ifindex", *next.next().unwrap_or(&0));
                    Value::Map(m)
                }
                other => other.clone(),
            })
            .collect(),
    )
}

/// A filter's options with the mirred names replaced by `idx`.
pub(crate) fn options_with(options: &Settings, idx: &[u32]) -> Settings {
    let mut o = options.clone();
    if let Some(a) = options.get("actions") {
        o.set("actions", with_indexes(a, idx));
    }
    o
}

/// Resolves `names` one after the other, then builds the request with their indexes.
pub(crate) fn resolve(names: Vec<String>, got: Vec<u32>, finish: Box<dyn FnOnce(Vec<u32>) -> R<Request> + Send>) -> R<Request> {
    let Some(name) = names.get(got.len()).cloned() else { return finish(got) };
    Ok(after_link(&name, move |i| {
        let mut got = got;
        got.push(i);
        resolve(names, got, finish)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mirred(kv: &[(&str, Value)]) -> Value {
        let mut m = Settings::new();
        m.set_str("kind", "mirred");
        for (k, v) in kv {
            m.set(k, v.clone());
        }
        Value::Map(m)
    }

    #[test]
    fn names_in_order_and_replaced_by_indexes() {
        let gact = {
            let mut g = Settings::new();
            g.set_str("kind", "gact");
            Value::Map(g)
        };
        let list = Value::List(vec![
            mirred(&[("dev", Value::Str("ifb0".into()))]),
            gact.clone(),
            mirred(&[("ifindex", Value::Int(3))]),
            mirred(&[("dev", Value::Str("veth1".into())), ("action", Value::Str("mirror".into()))]),
        ]);
        assert_eq!(names(Some(&list)).unwrap(), ["ifb0", "veth1"]);
        let Value::List(out) = with_indexes(&list, &[7, 9]) else { panic!() };
        let idx: Vec<Option<i64>> =
            out.iter().map(|a| if let Value::Map(m) = a { m.int("ifindex", 0, 99).unwrap() } else { None }).collect();
        assert_eq!(idx, [Some(7), None, Some(3), Some(9)]);
        assert!(out.iter().all(|a| !matches!(a, Value::Map(m) if m.get("dev").is_some())));
        for bad in [Value::Str(String::new()), Value::Str("x".repeat(16)), Value::Int(2)] {
            assert!(names(Some(&Value::List(vec![mirred(&[("dev", bad)])]))).is_err());
        }
        assert!(names(Some(&Value::List(vec![mirred(&[("dev", Value::Str("a".into())), ("ifindex", Value::Int(1))])]))).is_err());
        assert!(names(None).unwrap().is_empty());
    }
}
