//! Completions cross into JavaScript as one JSON text per batch: building one string here and
//! parsing it once in JS is far cheaper than setting properties one napi call at a time.

use std::fmt::Write;
use std::net::IpAddr;

use nlkit::rtnl::{names, Address, Link, Object, Route, AF_INET6};
use nlkit::{Done, Error, ErrorKind};

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

fn family(f: u8) -> u8 {
    if f == AF_INET6 {
        6
    } else {
        4
    }
}

pub fn link(o: &mut String, l: &Link) {
    let mut j = Obj::new(o);
    j.num("index", l.index).str("name", &l.name).opt_str("kind", l.kind.as_deref());
    j.strs("flags", &names::link_flag_names(l.flags));
    j.bool("up", l.flags & names::IFF_UP != 0);
    j.str("operstate", &names::operstate_name(l.operstate as u32));
    j.opt_num("mtu", l.mtu).opt_num("minMtu", l.min_mtu).opt_num("maxMtu", l.max_mtu);
    j.str("linkType", &names::link_type_name(l.link_type as u32));
    j.opt_str("address", l.address.as_deref().map(mac).as_deref());
    j.opt_str("broadcast", l.broadcast.as_deref().map(mac).as_deref());
    j.opt_str("permAddress", l.perm_address.as_deref().map(mac).as_deref());
    j.opt_num("masterIndex", l.master).opt_num("linkIndex", l.link).opt_num("linkNetnsid", l.link_netnsid);
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

pub fn address(o: &mut String, a: &Address) {
    let mut j = Obj::new(o);
    j.num("index", a.index).num("family", family(a.family));
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

pub fn route(o: &mut String, r: &Route) {
    let mut j = Obj::new(o);
    j.num("family", family(r.family));
    j.str("dst", &prefix(r.dst, r.dst_len, r.family)).num("dstLen", r.dst_len);
    if r.src.is_some() || r.src_len != 0 {
        j.str("src", &prefix(r.src, r.src_len, r.family));
    }
    j.opt_str("gateway", r.gateway.map(|g| g.to_string()).as_deref());
    j.opt_num("oif", r.oif).opt_num("iif", r.iif);
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
    j.end();
}

pub fn object(o: &mut String, obj: &Object) {
    match obj {
        Object::Link(l) => link(o, l),
        Object::Addr(a) => address(o, a),
        Object::Route(r) => route(o, r),
    }
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

/// A batch of completions: `[[token, error|null, objects], ...]`.
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
                    object(&mut o, obj);
                }
                o.push(']');
            }
            Err(e) => error(&mut o, e),
        }
        o.push(']');
    }
    o.push(']');
    o
}
