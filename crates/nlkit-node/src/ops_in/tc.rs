//! Traffic-control operations in: `qdisc|class|filter|chain` + `Add|Replace|Change|Del|Get|List`
//! -> core requests. Handles arrive as tc writes them and are parsed by the core (one parser
//! for every caller); a filter's handle by its kind (u32's `800::800`).

use nlkit::rtnl::tc::standalone::{self, ActOp};
use nlkit::rtnl::tc::{self, handle, kind, Role, TcOp, TcSpec, TcType};
use nlkit::rtnl::{after_link, Filter, LinkRef, Request};
use nlkit::Error;

use super::route::{bad, invalid, keeping, on_link, on_optional_link, Args};
use super::tc_dev;

type R<T> = Result<T, Error>;

const TYPES: &[(&str, TcType)] =
    &[("qdisc", TcType::Qdisc), ("class", TcType::Class), ("filter", TcType::Filter), ("chain", TcType::Chain)];
const VERBS: &[(&str, Option<TcOp>)] = &[
    ("Add", Some(TcOp::Add)),
    ("Replace", Some(TcOp::Replace)),
    ("Change", Some(TcOp::Change)),
    ("Del", Some(TcOp::Del)),
    ("Get", Some(TcOp::Get)),
    ("List", None),
];

fn parse_handle(a: &Args, key: &str, ty: TcType) -> R<Option<u32>> {
    let Some(s) = a.str(key)? else { return Ok(None) };
    let filterish = matches!(ty, TcType::Filter | TcType::Chain);
    let r = if key == "handle" && ty == TcType::Filter {
        match a.str("kind")?.and_then(|k| kind::lookup(Role::Filter, k)) {
            Some(k) => k.parse_handle(s),
            None => kind::number_handle(s),
        }
    } else {
        handle::parse(s, filterish && key == "parent")
    };
    r.map(Some).map_err(|e| bad(format!("{key}: {e}")))
}

fn spec(a: &Args, ty: TcType) -> R<TcSpec> {
    let info = if ty == TcType::Filter { tc::filter_info(a.u16("pref")?.unwrap_or(0), a.u16("protocol")?.unwrap_or(0)) } else { 0 };
    Ok(TcSpec {
        ifindex: 0, // written in by tc::set_ifindex once the link is known
        handle: parse_handle(a, "handle", ty)?.unwrap_or(0),
        parent: parse_handle(a, "parent", ty)?.unwrap_or(0),
        info,
        kind: a.str("kind")?.map(String::from),
        chain: a.u32("chain")?,
        options: a.0.map("options").map_err(bad)?.cloned().unwrap_or_default(),
    })
}

/// Standalone actions (`tc actions ...`): `actionAdd|Replace` take `actions`, the others a kind
/// (and `actionGet|Del` an index). No link: actions live in the namespace.
fn action_request(a: &Args, op: &str) -> R<Request> {
    let kind = || a.str("kind")?.ok_or_else(|| invalid("kind (required)"));
    let index = || a.u32("index")?.ok_or_else(|| invalid("index (required)"));
    let list = || a.0.get("actions").ok_or_else(|| invalid("actions (required)"));
    Ok(match op {
        "actionAdd" | "actionReplace" => {
            let op = if op == "actionAdd" { ActOp::Add } else { ActOp::Replace };
            let list = list()?.clone();
            let names = tc_dev::names(Some(&list))?;
            // Descriptors the encode opened (pinned programs) stay open until the answer.
            let encode = move |idx: &[u32]| -> R<Request> {
                let bytes = standalone::encode(&tc_dev::with_indexes(&list, idx), op).map_err(bad)?;
                Ok(keeping(Request::ack(bytes), tc::take_kept()))
            };
            if names.is_empty() {
                return encode(&[]);
            }
            encode(&vec![1; names.len()])?; // checked with stand-in indexes before anything is sent
            return tc_dev::resolve(names, Vec::new(), Box::new(move |idx| encode(&idx)));
        }
        "actionDel" => Request::ack(standalone::by_index(kind()?, index()?, true).map_err(bad)?),
        "actionGet" => Request::get(standalone::by_index(kind()?, index()?, false).map_err(bad)?),
        "actionFlush" => Request::ack(standalone::all_of(kind()?, true).map_err(bad)?),
        "actionList" => Request::dump(standalone::all_of(kind()?, false).map_err(bad)?, Filter::default()),
        _ => return Err(invalid(&format!("operation {op:?}"))),
    })
}

pub fn request(a: &Args, op: &str) -> R<Request> {
    if op.starts_with("action") {
        return action_request(a, op);
    }
    let (ty, verb) = TYPES
        .iter()
        .find_map(|(p, t)| op.strip_prefix(p).and_then(|v| VERBS.iter().find(|(n, _)| *n == v)).map(|(_, v)| (*t, *v)))
        .ok_or_else(|| invalid(&format!("operation {op:?}")))?;
    match verb {
        None => {
            let parent = parse_handle(a, "parent", ty)?.unwrap_or(0);
            let chain = a.u32("chain")?;
            if ty == TcType::Qdisc {
                return on_optional_link(a, move |idx| {
                    let filter = Filter { index: idx, ..Default::default() };
                    Ok(Request::dump(tc::dump(ty, idx.unwrap_or(0), parent, chain), filter))
                });
            }
            on_link(a, move |idx| Ok(Request::dump(tc::dump(ty, idx, parent, chain), Filter { index: Some(idx), ..Default::default() })))
        }
        Some(op) => {
            // Encoded now, so a bad option fails before anything is sent; the link's index goes
            // into the tcmsg once a named link is resolved.
            let sp = spec(a, ty)?;
            let names = if ty == TcType::Filter { tc_dev::names(sp.options.get("actions"))? } else { Vec::new() };
            let bytes = tc::encode(ty, &TcSpec { options: tc_dev::options_with(&sp.options, &vec![1; names.len()]), ..sp.clone() }, op)
                .map_err(bad)?;
            // Descriptors the encode opened (pinned programs) stay open until the answer.
            let kept = tc::take_kept();
            let send = move |mut bytes: Vec<u8>, kept, ifindex| {
                tc::set_ifindex(&mut bytes, ifindex);
                Ok(keeping(if op == TcOp::Get { Request::get(bytes) } else { Request::ack(bytes) }, kept))
            };
            if names.is_empty() {
                return on_link(a, move |ifindex| send(bytes, kept, ifindex));
            }
            // mirred devices by name: resolved first, then the request encoded with their
            // indexes (the one above only checked it), then the filter's own link.
            drop((bytes, kept));
            let link = a.link_ref()?.ok_or_else(|| invalid("link"))?;
            tc_dev::resolve(
                names,
                Vec::new(),
                Box::new(move |idx| {
                    let bytes = tc::encode(ty, &TcSpec { options: tc_dev::options_with(&sp.options, &idx), ..sp }, op).map_err(bad)?;
                    let kept = tc::take_kept();
                    match link {
                        LinkRef::Index(i) => send(bytes, kept, i as u32),
                        LinkRef::Name(n) => Ok(after_link(&n, move |i| send(bytes, kept, i))),
                    }
                }),
            )
        }
    }
}
