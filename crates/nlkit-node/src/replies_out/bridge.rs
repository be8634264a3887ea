//! The bridge's tables out: MDB messages and a port's VLANs, with `bridge -j`'s names.

use nlkit::rtnl::bridge::mdb::{Group, Mdb, FLAGS};
use nlkit::rtnl::bridge::vlan::Vlan;

use super::json::{mac, Obj};
use super::route::Names;

pub fn mdb(o: &mut String, m: &Mdb, names: Names<'_>) {
    let mut j = Obj::new(o);
    j.num("index", m.bridge).opt_str("dev", names(m.bridge));
    let out = j.raw("entries");
    out.push('[');
    for (i, e) in m.entries.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let mut ej = Obj::new(out);
        ej.num("portIndex", e.port).opt_str("port", names(e.port));
        match &e.group {
            Group::Ip(ip) => ej.ip("grp", ip, None),
            Group::Mac(m) => ej.str("grp", &mac(m)),
        };
        ej.opt_ip("src", e.source);
        if e.vid != 0 {
            ej.num("vid", e.vid);
        }
        ej.str("state", if e.permanent { "permanent" } else { "temp" });
        ej.str_iter("flags", FLAGS.iter().filter(|(_, b)| e.flags & b != 0).map(|(n, _)| *n));
        ej.opt_num("timer", e.timer).opt_num("protocol", e.protocol);
        if let Some(inc) = e.include {
            ej.str("filterMode", if inc { "include" } else { "exclude" });
        }
        ej.end();
    }
    out.push(']');
    j.nums("routerPorts", &m.routers);
    j.end();
}

pub fn vlans(o: &mut String, v: &[Vlan]) {
    o.push('[');
    for (i, x) in v.iter().enumerate() {
        if i > 0 {
            o.push(',');
        }
        let mut j = Obj::new(o);
        j.num("vid", x.vid).opt_num("vidEnd", x.end);
        j.bool("pvid", x.pvid).bool("untagged", x.untagged);
        j.end();
    }
    o.push(']');
}
