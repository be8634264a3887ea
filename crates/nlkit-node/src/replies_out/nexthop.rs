//! Nexthop objects out to JavaScript with `ip -j nexthop`'s names (camelCase): a single
//! nexthop's gateway/device/flags, a group's members with their weights, a resilient group's
//! parameters, or one bucket of a resilient group.

use std::fmt::Write;

use nlkit::rtnl::names::{self, RTNH_FLAGS};
use nlkit::rtnl::nexthop::{Nexthop, NEXTHOP_GRP_TYPE_RES, USER_HZ};
use nlkit::rtnl::{AF_INET, AF_INET6};

use super::json::{settings, Obj};
use super::route::Names;

/// USER_HZ ticks as seconds, `ip`'s two decimals.
fn seconds(o: &mut String, ticks: u64) {
    let _ = write!(o, "{}.{:02}", ticks / USER_HZ, ticks % USER_HZ);
}

pub fn nexthop(o: &mut String, n: &Nexthop, names: Names<'_>) {
    let mut j = Obj::new(o);
    j.num("id", n.id);
    if let Some(b) = &n.bucket {
        let o = j.raw("bucket");
        let mut k = Obj::new(o);
        k.num("index", b.index);
        seconds(k.raw("idleTime"), b.idle_time);
        k.num("nhid", b.nh_id);
        k.end();
        j.end();
        return;
    }
    match n.family {
        AF_INET => j.num("family", 4u8),
        AF_INET6 => j.num("family", 6u8),
        _ => &mut j,
    };
    if let Some(e) = &n.encap {
        settings(j.raw("encap"), &e.settings());
    }
    j.opt_ip("gateway", n.gateway).opt_num("oif", n.oif).opt_str("dev", n.oif.and_then(names));
    if n.blackhole {
        j.bool("blackhole", true);
    }
    if !n.group.is_empty() {
        let o = j.raw("group");
        o.push('[');
        for (i, m) in n.group.iter().enumerate() {
            if i > 0 {
                o.push(',');
            }
            let _ = write!(o, "{{\"id\":{},\"weight\":{}}}", m.id, m.weight);
        }
        o.push(']');
        j.str("type", if n.group_type == Some(NEXTHOP_GRP_TYPE_RES) { "resilient" } else { "mpath" });
    }
    if let Some(r) = &n.resilient {
        let o = j.raw("resilient");
        let mut k = Obj::new(o);
        k.opt_num("buckets", r.buckets).opt_num("idleTimer", r.idle_timer).opt_num("unbalancedTimer", r.unbalanced_timer);
        k.opt_num("unbalancedTime", r.unbalanced_time);
        k.end();
    }
    // A group's scope and protocol are the kernel's defaults; `ip -d` prints them for all.
    j.str("scope", &names::scope_name(n.scope as u32)).str("protocol", &names::protocol_name(n.protocol as u32));
    j.str_iter("flags", RTNH_FLAGS.iter().filter(|(b, _)| n.flags & b != 0).map(|(_, s)| *s));
    if n.fdb {
        j.bool("fdb", true);
    }
    j.end();
}
