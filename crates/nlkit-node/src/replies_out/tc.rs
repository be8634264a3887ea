//! Traffic-control objects out to JavaScript, with `tc -j`'s names: handles as tc writes them,
//! a filter's protocol by name, options and extended statistics as their kind decoded them.

use nlkit::rtnl::names::eth_protocol_name;
use nlkit::rtnl::settings::Value;
use nlkit::rtnl::tc::{handle, kind, Role, Stats, Tc, TcType};

use super::json::{settings, Obj};
use super::route::Names;

fn stats(o: &mut String, s: &Stats) {
    let mut j = Obj::new(o);
    j.num("bytes", s.bytes).num("packets", s.packets).num("drops", s.drops).num("overlimits", s.overlimits);
    j.num("requeues", s.requeues).num("backlog", s.backlog).num("qlen", s.qlen);
    j.num("rate", s.rate).num("pps", s.pps);
    j.end();
}

/// A standalone-action message: its actions (and a dump's TCA_ROOT_COUNT).
fn actions(o: &mut String, t: &Tc) {
    let mut j = Obj::new(o);
    j.str("type", "action").opt_num("count", t.count);
    action_list(j.raw("actions"), t);
    j.end();
}

/// The actions of a standalone-action message, as an array.
pub fn action_list(out: &mut String, t: &Tc) {
    out.push('[');
    for (i, a) in t.actions.iter().filter_map(|a| if let Value::Map(m) = a { Some(m) } else { None }).enumerate() {
        if i > 0 {
            out.push(',');
        }
        settings(out, a);
    }
    out.push(']');
}

pub fn tc(o: &mut String, t: &Tc, names: Names<'_>) {
    if t.ty == TcType::Action {
        return actions(o, t);
    }
    let mut j = Obj::new(o);
    j.str("type", t.ty.name()).num("ifindex", t.ifindex).opt_str("dev", names(t.ifindex));
    j.opt_str("kind", t.kind.as_deref());
    let filter = matches!(t.ty, TcType::Filter | TcType::Chain);
    if filter {
        j.str("parent", &handle::format_parent(t.parent));
        if t.ty == TcType::Filter {
            j.num("pref", t.pref()).str("protocol", &eth_protocol_name(t.protocol() as u32));
            if t.handle != 0 {
                let k = t.kind.as_deref().and_then(|k| kind::lookup(Role::Filter, k));
                j.str("handle", &k.map_or_else(|| format!("0x{:x}", t.handle), |k| k.format_handle(t.handle)));
            }
        }
        j.num("chain", t.chain.unwrap_or(0));
    } else {
        j.str("handle", &handle::format(t.handle)).str("parent", &handle::format(t.parent));
        if t.parent == handle::TC_H_ROOT {
            j.bool("root", true);
        }
        j.opt_num("chain", t.chain);
    }
    settings(j.raw("options"), &t.options);
    if let Some(s) = &t.stats {
        stats(j.raw("stats"), s);
    }
    if !t.xstats.is_empty() {
        settings(j.raw("xstats"), &t.xstats);
    }
    if let Some(h) = t.hw_offload {
        j.bool("inHw", h);
    }
    j.opt_num("ingressBlock", t.ingress_block).opt_num("egressBlock", t.egress_block);
    j.end();
}
