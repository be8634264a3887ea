//! Completions cross into JavaScript as one JSON text per batch: building one string here and
//! parsing it once in JS is far cheaper than setting properties one napi call at a time.

use std::fmt::Write;
use std::net::IpAddr;

use nlkit::monitor::Event;
use nlkit::rtnl::settings::{Settings, Value};
use nlkit::rtnl::{names, route::METRICS, Action, Address, Link, Neighbour, Object, Route, Rule, AF_INET, AF_INET6};
use nlkit::{Done, Error, ErrorKind, Part};

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

    pub fn num(&mut self, k: &str, v: impl std::fmt::Display) -> &mut Self {
        let o = self.key(k);
        let _ = write!(o, "{v}");
        self
    }

    pub fn opt_num<T: std::fmt::Display>(&mut self, k: &str, v: Option<T>) -> &mut Self {
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

    pub fn opt_str(&mut self, k: &str, v: Option<&str>) -> &mut Self {
        if let Some(v) = v {
            self.str(k, v);
        }
        self
    }

    pub fn strs<S: AsRef<str>>(&mut self, k: &str, v: &[S]) -> &mut Self {
        let o = self.key(k);
        o.push('[');
        for (i, s) in v.iter().enumerate() {
            if i > 0 {
                o.push(',');
            }
            string(o, s.as_ref());
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

fn mac(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len() * 3);
    for (i, x) in b.iter().enumerate() {
        if i > 0 {
            s.push(':');
        }
        let _ = write!(s, "{x:02x}");
    }
    s
}

/// Interface names the JSON should carry next to indexes (events know them; lists add them in JS).
pub type Names<'a> = &'a dyn Fn(u32) -> Option<&'a str>;

pub fn no_names(_: u32) -> Option<&'static str> {
    None
}

fn family(f: u8) -> u8 {
    match f {
        AF_INET6 => 6,
        AF_INET => 4,
        _ => 0,
    }
}

pub fn link(o: &mut String, l: &Link, names: Names<'_>) {
    let mut j = Obj::new(o);
    j.num("index", l.index).str("name", &l.name).opt_str("kind", l.kind.as_deref());
    if let Some(info) = &l.info {
        settings(j.raw("linkinfo"), info);
    }
    j.opt_str("slaveKind", l.slave_kind.as_deref());
    j.strs("flags", &names::link_flag_names(l.flags));
    j.bool("up", l.flags & names::IFF_UP != 0);
    j.str("operstate", &names::operstate_name(l.operstate as u32));
    j.opt_num("mtu", l.mtu).opt_num("minMtu", l.min_mtu).opt_num("maxMtu", l.max_mtu);
    j.str("linkType", &names::link_type_name(l.link_type as u32));
    j.opt_str("address", l.address.as_deref().map(mac).as_deref());
    j.opt_str("broadcast", l.broadcast.as_deref().map(mac).as_deref());
    j.opt_str("permAddress", l.perm_address.as_deref().map(mac).as_deref());
    j.opt_num("masterIndex", l.master).opt_num("linkIndex", l.link).opt_num("linkNetnsid", l.link_netnsid);
    j.opt_str("master", l.master.and_then(names));
    if l.link_netnsid.is_none() {
        j.opt_str("link", l.link.and_then(names));
    }
    j.opt_num("txqlen", l.txqlen).opt_num("group", l.group);
    j.opt_str("qdisc", l.qdisc.as_deref()).opt_str("alias", l.alias.as_deref());
    if let Some(c) = l.carrier {
        j.bool("carrier", c != 0);
    }
    if !l.alt_names.is_empty() {
        j.strs("altNames", &l.alt_names);
    }
    if let Some(s) = &l.stats {
        let o = j.raw("stats");
        let mut st = Obj::new(o);
        st.num("rxPackets", s.rx_packets).num("txPackets", s.tx_packets);
        st.num("rxBytes", s.rx_bytes).num("txBytes", s.tx_bytes);
        st.num("rxErrors", s.rx_errors).num("txErrors", s.tx_errors);
        st.num("rxDropped", s.rx_dropped).num("txDropped", s.tx_dropped);
        st.end();
    }
    j.end();
}

pub fn address(o: &mut String, a: &Address, names: Names<'_>) {
    let mut j = Obj::new(o);
    j.num("index", a.index).opt_str("link", names(a.index)).num("family", family(a.family));
    if let Some(ip) = a.address {
        j.str("address", &ip.to_string()).num("prefixLen", a.prefix_len);
        j.str("cidr", &format!("{ip}/{}", a.prefix_len));
    }
    j.str("scope", &names::scope_name(a.scope as u32));
    j.opt_str("label", a.label.as_deref());
    j.strs("flags", &names::addr_flag_names(a.flags, a.family));
    j.opt_str("peer", a.peer.map(|p| p.to_string()).as_deref());
    j.opt_str("broadcast", a.broadcast.map(|p| p.to_string()).as_deref());
    j.opt_num("validLifetime", a.valid_lft).opt_num("preferredLifetime", a.preferred_lft);
    j.end();
}

/// `dst` as `ip` prints it: "default", "10.0.0.0/24", or a bare address for a host route.
fn prefix(ip: Option<IpAddr>, len: u8, fam: u8) -> String {
    let full = if fam == AF_INET6 { 128 } else { 32 };
    match ip {
        None if len == 0 => "default".into(),
        None => format!("0.0.0.0/{len}"),
        Some(ip) if len == full => ip.to_string(),
        Some(ip) => format!("{ip}/{len}"),
    }
}

const RTNH_FLAGS: &[(u32, &str)] =
    &[(1, "dead"), (2, "pervasive"), (4, "onlink"), (8, "offload"), (16, "linkdown"), (32, "unresolved"), (64, "trap")];

pub fn route(o: &mut String, r: &Route, names: Names<'_>) {
    let mut j = Obj::new(o);
    j.num("family", family(r.family));
    j.str("dst", &prefix(r.dst, r.dst_len, r.family)).num("dstLen", r.dst_len);
    if r.src.is_some() || r.src_len != 0 {
        j.str("src", &prefix(r.src, r.src_len, r.family));
    }
    j.opt_str("gateway", r.gateway.map(|g| g.to_string()).as_deref());
    j.opt_str("dev", r.oif.and_then(names)).opt_num("oif", r.oif).opt_num("iif", r.iif);
    j.num("table", r.table);
    j.str("protocol", &names::protocol_name(r.protocol as u32));
    j.str("scope", &names::scope_name(r.scope as u32));
    j.str("type", &names::route_type_name(r.route_type as u32));
    j.opt_num("metric", r.priority);
    j.opt_str("prefsrc", r.prefsrc.map(|g| g.to_string()).as_deref());
    j.opt_num("mark", r.mark);
    if r.tos != 0 {
        j.num("tos", r.tos);
    }
    let flags: Vec<&str> = RTNH_FLAGS.iter().filter(|(b, _)| r.flags & b != 0).map(|(_, n)| *n).collect();
    j.strs("flags", &flags);
    if let Some(p) = r.pref {
        j.str("pref", match p { 0 => "medium", 1 => "high", 3 => "low", _ => "unknown" });
    }
    if !r.nexthops.is_empty() {
        let o = j.raw("nexthops");
        o.push('[');
        for (i, nh) in r.nexthops.iter().enumerate() {
            if i > 0 {
                o.push(',');
            }
            let mut n = Obj::new(o);
            n.opt_str("gateway", nh.gateway.map(|g| g.to_string()).as_deref());
            n.opt_str("dev", names(nh.oif)).num("oif", nh.oif).num("weight", nh.weight);
            let flags: Vec<&str> = RTNH_FLAGS.iter().filter(|(b, _)| nh.flags as u32 & b != 0).map(|(_, n)| *n).collect();
            n.strs("flags", &flags);
            n.end();
        }
        o.push(']');
    }
    if !r.metrics.is_empty() {
        let o = j.raw("metrics");
        let mut m = Obj::new(o);
        for (k, v) in &r.metrics {
            match METRICS.iter().find(|(_, id)| id == k) {
                Some((name, _)) => m.num(name, v),
                None => m.num(&format!("rtax{k}"), v),
            };
        }
        m.end();
    }
    j.end();
}

const NUD_STATES: &[(u16, &str)] = &[
    (0x01, "INCOMPLETE"), (0x02, "REACHABLE"), (0x04, "STALE"), (0x08, "DELAY"), (0x10, "PROBE"),
    (0x20, "FAILED"), (0x40, "NOARP"), (0x80, "PERMANENT"),
];
const NTF_FLAGS: &[(u8, &str)] = &[
    (0x01, "use"), (0x02, "self"), (0x04, "master"), (0x08, "proxy"), (0x10, "extern_learn"),
    (0x20, "offload"), (0x40, "sticky"), (0x80, "router"),
];

pub fn neigh(o: &mut String, n: &Neighbour, names: Names<'_>) {
    let mut j = Obj::new(o);
    j.num("index", n.index).opt_str("dev", names(n.index));
    if n.family == 7 {
        j.str("family", "bridge");
    } else {
        j.num("family", family(n.family));
    }
    j.opt_str("dst", n.dst.map(|d| d.to_string()).as_deref());
    j.opt_str("lladdr", n.lladdr.as_deref().map(mac).as_deref());
    let states: Vec<&str> = NUD_STATES.iter().filter(|(b, _)| n.state & b != 0).map(|(_, s)| *s).collect();
    j.strs("state", &states);
    let flags: Vec<&str> = NTF_FLAGS.iter().filter(|(b, _)| n.flags & b != 0).map(|(_, s)| *s).collect();
    j.strs("flags", &flags);
    j.opt_num("vlan", n.vlan).opt_num("masterIndex", n.master).opt_str("master", n.master.and_then(names));
    j.opt_num("probes", n.probes);
    j.end();
}

const RULE_ACTIONS: &[(u8, &str)] =
    &[(0, "unspec"), (1, "to_tbl"), (2, "goto"), (3, "nop"), (6, "blackhole"), (7, "unreachable"), (8, "prohibit")];

pub fn rule(o: &mut String, r: &Rule) {
    let mut j = Obj::new(o);
    // The kernel leaves FRA_PRIORITY out for priority 0.
    j.num("family", family(r.family)).num("priority", r.priority.unwrap_or(0)).num("table", r.table);
    let action = RULE_ACTIONS.iter().find(|(v, _)| *v == r.action).map(|(_, n)| n.to_string());
    j.str("action", &action.unwrap_or_else(|| r.action.to_string()));
    if let Some(src) = r.src {
        j.str("from", &format!("{src}/{}", r.src_len));
    }
    if let Some(dst) = r.dst {
        j.str("to", &format!("{dst}/{}", r.dst_len));
    }
    j.opt_str("iif", r.iifname.as_deref()).opt_str("oif", r.oifname.as_deref());
    j.opt_num("fwmark", r.fwmark).opt_num("fwmask", r.fwmask).opt_num("goto", r.goto);
    if r.tos != 0 {
        j.num("tos", r.tos);
    }
    j.opt_num("suppressPrefixLength", r.suppress_prefixlen.filter(|v| *v != u32::MAX));
    if let Some((start, end)) = r.uid_range {
        let o = j.raw("uidRange");
        let _ = write!(o, "{{\"start\":{start},\"end\":{end}}}");
    }
    j.opt_str("protocol", r.protocol.map(|p| names::protocol_name(p as u32)).as_deref());
    j.end();
}

pub fn object(o: &mut String, obj: &Object, names: Names<'_>) {
    match obj {
        Object::Link(l) => link(o, l, names),
        Object::Addr(a) => address(o, a, names),
        Object::Route(r) => route(o, r, names),
        Object::Neigh(n) => neigh(o, n, names),
        Object::Rule(r) => rule(o, r),
    }
}

/// One subscription event: `{"type":"addr","action":"new","address":{...}}`, or
/// `{"type":"overflow"}`, or `{"type":"error","error":{...}}`.
pub fn event(o: &mut String, ev: &Event) {
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
            error(j.raw("error"), e);
        }
        Event::Object { action, existing, obj, names } => {
            let (ty, key) = match obj {
                Object::Link(_) => ("link", "link"),
                Object::Addr(_) => ("addr", "address"),
                Object::Route(_) => ("route", "route"),
                Object::Neigh(_) => ("neigh", "neigh"),
                Object::Rule(_) => ("rule", "rule"),
            };
            j.str("type", ty).str("action", if *action == Action::New { "new" } else { "del" });
            if *existing {
                j.bool("existing", true);
            }
            let lookup = |i: u32| names.iter().find(|(k, _)| *k == i).map(|(_, n)| n.as_str());
            object(j.raw(key), obj, &lookup);
        }
    }
    j.end();
}

pub fn events(evs: &[Event]) -> String {
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

fn kind_name(k: ErrorKind) -> &'static str {
    match k {
        ErrorKind::Kernel => "kernel",
        ErrorKind::Timeout => "timeout",
        ErrorKind::Closed => "closed",
        ErrorKind::DumpInterrupted => "dumpInterrupted",
        ErrorKind::Protocol => "protocol",
        ErrorKind::Io => "io",
        ErrorKind::Busy => "busy",
    }
}

pub fn error(o: &mut String, e: &Error) {
    let mut j = Obj::new(o);
    j.num("errno", e.errno).str("kind", kind_name(e.kind)).str("text", &e.errno_text());
    j.opt_str("detail", e.detail.as_deref()).opt_num("offset", e.offset);
    j.end();
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
        let _ = write!(o, "[{},", d.token);
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
                error(&mut o, e);
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
