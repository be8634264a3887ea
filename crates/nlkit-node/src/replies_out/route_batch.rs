//! rtnetlink completions and events out to JavaScript: one JSON text per batch.

use nlkit::monitor::Event;
use nlkit::rtnl::events::Change;
use nlkit::rtnl::tc::TcType;
use nlkit::rtnl::{Action, Object};
use nlkit::{Done, Part};

use super::json::{uint, Obj};
use super::route::{no_names, object};
use crate::envelope;

/// One subscription event: `{"type":"addr","action":"new","address":{...}}`, or
/// `{"type":"overflow"}`, or `{"type":"error","error":{...}}`.
pub fn event(o: &mut String, ev: &Event<Change>) {
    let mut j = Obj::new(o);
    match ev {
        Event::Overflow => {
            j.str("type", "overflow");
        }
        Event::End => {
            j.str("type", "end");
        }
        Event::Error(e) => {
            j.str("type", "error");
            envelope::error(j.raw("error"), e);
        }
        Event::Item { item: Change { action, obj, names }, existing } => {
            let (ty, key) = match obj {
                Object::Link(_) => ("link", "link"),
                Object::Addr(_) => ("addr", "address"),
                Object::Route(_) => ("route", "route"),
                Object::Neigh(_) => ("neigh", "neigh"),
                Object::Rule(_) => ("rule", "rule"),
                // `action` says new or del: an action message's actions go under `actions`.
                Object::Tc(t) if t.ty == TcType::Action => ("action", "actions"),
                Object::Tc(t) => (t.ty.name(), t.ty.name()),
                Object::Nexthop(_) => ("nexthop", "nexthop"),
                Object::Stats(_) => ("stats", "stats"),
                Object::Mdb(_) => ("mdb", "mdb"),
                Object::Record(r) => (r.kind.name(), r.kind.name()),
            };
            j.str("type", ty).str("action", if *action == Action::New { "new" } else { "del" });
            if *existing {
                j.bool("existing", true);
            }
            let lookup = |i: u32| names.iter().find(|(k, _)| *k == i).map(|(_, n)| n.as_str());
            let o = j.raw(key);
            // An event carries one route: as an array of its 11 values.
            let wrap = matches!(obj, Object::Route(_));
            if wrap {
                o.push('[');
            }
            match obj {
                Object::Tc(t) if t.ty == TcType::Action => super::tc::action_list(o, t),
                _ => object(o, obj, &lookup),
            }
            if wrap {
                o.push(']');
            }
        }
    }
    j.end();
}

pub fn events(evs: &[Event<Change>]) -> String {
    let mut o = String::with_capacity(evs.len() * 200 + 2);
    o.push('[');
    for (i, e) in evs.iter().enumerate() {
        if i > 0 {
            o.push(',');
        }
        event(&mut o, e);
    }
    o.push(']');
    o
}
/// A batch of completions: `[[token, error|null, objects, part], ...]`, part 0 = last,
/// 1 = more objects of this dump follow, 2 = discard the parts so far (the dump restarts).
pub fn batch(done: &[Done]) -> String {
    let mut o = String::with_capacity(64 + done.len() * 64);
    o.push('[');
    for (i, d) in done.iter().enumerate() {
        if i > 0 {
            o.push(',');
        }
        o.push('[');
        uint(&mut o, d.token);
        o.push(',');
        match &d.result {
            Ok(objs) => {
                o.push_str("null,[");
                for (k, obj) in objs.iter().enumerate() {
                    if k > 0 {
                        o.push(',');
                    }
                    object(&mut o, obj, &no_names);
                }
                o.push(']');
            }
            Err(e) => {
                envelope::error(&mut o, e);
                o.push_str(",null");
            }
        }
        o.push_str(match d.part {
            Part::Last => ",0]",
            Part::More => ",1]",
            Part::Restart => ",2]",
        });
    }
    o.push(']');
    o
}
