//! The fields each rtnetlink operation may carry, with their JSON types: what ops_in/route.rs
//! reads, declared once. A field not listed for its operation is refused (a misspelt key must
//! not be silently ignored); src/native.ts declares the same table and a contract test
//! compares the two through `opFields()`.

use nlkit::rtnl::settings::{Settings, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Str,
    Int,
    Bool,
    Map,
    List,
}

use Ty::*;

type Fields = &'static [(&'static str, Ty)];

/// Every operation: its name, the token that comes back with its completion, its deadline (ms).
const COMMON: Fields = &[("op", Str), ("token", Int), ("timeout", Int)];
/// The link an operation is about (or a route's device): its index, or its name (resolved by
/// the engine).
const LINK: Fields = &[("index", Int), ("name", Str)];
const FAMILY: Fields = &[("family", Int)];
const LINK_SPEC: Fields = &[
    ("netns", Map),
    ("newName", Str),
    ("ifname", Str),
    ("kind", Str),
    ("info", Map),
    ("mtu", Int),
    ("address", Str),
    ("broadcast", Str),
    ("txqlen", Int),
    ("master", Int),
    ("parent", Int),
    ("alias", Str),
    ("group", Int),
    ("up", Bool),
    ("flagsSet", Int),
    ("flagsMask", Int),
    ("carrier", Bool),
    ("gsoMaxSize", Int),
    ("gsoMaxSegs", Int),
    ("groMaxSize", Int),
    ("gsoIpv4MaxSize", Int),
    ("groIpv4MaxSize", Int),
    ("protodown", Bool),
    ("protodownReasonMask", Int),
    ("protodownReasonValue", Int),
    ("portKind", Str),
    ("port", Map),
    ("xdpFd", Int),
    ("xdpPinned", Str),
    ("xdpFlags", Int),
];
const ADDR_SPEC: Fields = &[
    ("address", Str),
    ("prefixLen", Int),
    ("scope", Int),
    ("label", Str),
    ("broadcast", Str),
    ("peer", Str),
    ("validLft", Int),
    ("preferredLft", Int),
    ("flags", Int),
];
const ROUTE_SPEC: Fields = &[
    ("dst", Str),
    ("dstLen", Int),
    ("gateway", Str),
    ("nexthops", List),
    ("prefsrc", Str),
    ("table", Int),
    ("metric", Int),
    ("scope", Int),
    ("protocol", Int),
    ("routeType", Int),
    ("metrics", Map),
    ("onlink", Bool),
    ("pref", Int),
    ("nhid", Int),
    ("encap", Map),
    ("via", Str),
    ("expires", Int),
    ("ttlPropagate", Bool),
];
const ROUTE_QUERY: Fields = &[("dst", Str), ("src", Str), ("iif", Int), ("oif", Int), ("mark", Int)];
const NEIGH_SPEC: Fields = &[
    ("dst", Str),
    ("lladdr", Str),
    ("state", Int),
    ("flags", Int),
    ("vlan", Int),
    ("port", Int),
    ("vni", Int),
    ("srcVni", Int),
    ("via", Int),
    ("nhid", Int),
];
const RULE_SPEC: Fields = &[
    ("priority", Int),
    ("table", Int),
    ("from", Str),
    ("fromLen", Int),
    ("to", Str),
    ("toLen", Int),
    ("iif", Str),
    ("oif", Str),
    ("fwmark", Int),
    ("fwmask", Int),
    ("tos", Int),
    ("suppressPrefixLength", Int),
    ("uidRange", Map),
    ("action", Int),
    ("goto", Int),
    ("protocol", Int),
    ("invert", Bool),
    ("ipproto", Int),
    ("sport", Map),
    ("dport", Map),
    ("tunId", Str),
    ("suppressIfgroup", Int),
    ("realms", Int),
    ("l3mdev", Bool),
    ("dscp", Int),
];
/// A tc object: its kind and options (the kind's module checks them), handles as tc writes them.
const TC_SPEC: Fields = &[("kind", Str), ("parent", Str), ("handle", Str), ("chain", Int), ("options", Map)];
const TC_FILTER: Fields = &[("pref", Int), ("protocol", Int)];
const TC_LIST: Fields = &[("parent", Str), ("chain", Int)];
/// A nexthop object (`ip nexthop add`): a single nexthop, or a group of others.
const NH_SPEC: Fields = &[
    ("id", Int),
    ("family", Int),
    ("gateway", Str),
    ("blackhole", Bool),
    ("onlink", Bool),
    ("fdb", Bool),
    ("protocol", Int),
    ("group", List),
    ("type", Str),
    ("buckets", Int),
    ("idleTimer", Int),
    ("unbalancedTimer", Int),
    ("encap", Map),
];
const NH_ID: Fields = &[("id", Int)];
const NH_LIST: Fields = &[("groups", Bool), ("fdb", Bool), ("master", Int)];
const NH_BUCKETS: Fields = &[("id", Int), ("nhid", Int)];
/// A standalone action by kind (and index), or a list of them to add.
const ACTION_REF: Fields = &[("kind", Str), ("index", Int)];
const ACTION_LIST: Fields = &[("actions", List)];
const ROUTE_LIST: Fields = &[("table", Int)];
const LINK_UP: Fields = &[("up", Bool)];
const ALTNAMES: Fields = &[("altnames", List)];
const STATS_GROUPS: Fields = &[("groups", Int)];
const MDB: Fields =
    &[("index", Int), ("port", Int), ("grp", Str), ("src", Str), ("vid", Int), ("permanent", Bool), ("protocol", Int), ("include", Bool)];
const VLAN: Fields = &[("index", Int), ("vid", Int), ("vidEnd", Int), ("pvid", Bool), ("untagged", Bool), ("master", Bool), ("self", Bool)];
const NETNS_REF: Fields = &[("netns", Map)];
const ADDRLABEL: Fields = &[("prefix", Str), ("prefixLen", Int), ("label", Int), ("index", Int)];
const NTABLE: Fields = &[("family", Int), ("index", Int), ("table", Str), ("settings", Map)];

/// Each operation and the groups of fields it takes (besides [`COMMON`]).
pub const OPS: &[(&str, &[Fields])] = &[
    ("linkGet", &[LINK]),
    ("linkList", &[]),
    ("linkSetUp", &[LINK, LINK_UP]),
    ("linkDel", &[LINK]),
    ("linkAdd", &[LINK_SPEC]),
    ("linkSet", &[LINK, LINK_SPEC]),
    ("linkAltnameAdd", &[LINK, ALTNAMES]),
    ("linkAltnameDel", &[LINK, ALTNAMES]),
    ("linkStats", &[LINK, STATS_GROUPS]),
    ("netconfList", &[FAMILY, &[("index", Int)]]),
    ("maddrList", &[FAMILY, &[("index", Int)]]),
    ("nsidList", &[]),
    ("nsidGet", &[NETNS_REF]),
    ("nsidSet", &[NETNS_REF, &[("nsid", Int)]]),
    ("addrlabelList", &[]),
    ("addrlabelAdd", &[ADDRLABEL]),
    ("addrlabelDel", &[ADDRLABEL]),
    ("ntableList", &[NTABLE]),
    ("ntableChange", &[NTABLE]),
    ("mdbList", &[&[("index", Int)]]),
    ("mdbAdd", &[MDB]),
    ("mdbReplace", &[MDB]),
    ("mdbDel", &[MDB]),
    ("vlanList", &[]),
    ("vlanAdd", &[VLAN]),
    ("vlanDel", &[VLAN]),
    ("addrAdd", &[LINK, ADDR_SPEC]),
    ("addrReplace", &[LINK, ADDR_SPEC]),
    ("addrDel", &[LINK, ADDR_SPEC]),
    ("addrList", &[LINK, FAMILY]),
    ("routeAdd", &[LINK, FAMILY, ROUTE_SPEC]),
    ("routeReplace", &[LINK, FAMILY, ROUTE_SPEC]),
    ("routeAppend", &[LINK, FAMILY, ROUTE_SPEC]),
    ("routeDel", &[LINK, FAMILY, ROUTE_SPEC]),
    ("routeList", &[LINK, FAMILY, ROUTE_LIST]),
    ("routeGet", &[ROUTE_QUERY]),
    ("neighAdd", &[LINK, FAMILY, NEIGH_SPEC]),
    ("neighReplace", &[LINK, FAMILY, NEIGH_SPEC]),
    ("neighAppend", &[LINK, FAMILY, NEIGH_SPEC]),
    ("neighDel", &[LINK, FAMILY, NEIGH_SPEC]),
    ("neighList", &[LINK, FAMILY, &[("proxy", Bool)]]),
    ("ruleAdd", &[FAMILY, RULE_SPEC]),
    ("ruleDel", &[FAMILY, RULE_SPEC]),
    ("ruleList", &[FAMILY]),
    ("qdiscList", &[LINK]),
    ("qdiscAdd", &[LINK, TC_SPEC]),
    ("qdiscReplace", &[LINK, TC_SPEC]),
    ("qdiscChange", &[LINK, TC_SPEC]),
    ("qdiscDel", &[LINK, TC_SPEC]),
    ("classList", &[LINK, TC_LIST]),
    ("classAdd", &[LINK, TC_SPEC]),
    ("classReplace", &[LINK, TC_SPEC]),
    ("classChange", &[LINK, TC_SPEC]),
    ("classDel", &[LINK, TC_SPEC]),
    ("filterList", &[LINK, TC_LIST]),
    ("filterAdd", &[LINK, TC_SPEC, TC_FILTER]),
    ("filterReplace", &[LINK, TC_SPEC, TC_FILTER]),
    ("filterChange", &[LINK, TC_SPEC, TC_FILTER]),
    ("filterDel", &[LINK, TC_SPEC, TC_FILTER]),
    ("filterGet", &[LINK, TC_SPEC, TC_FILTER]),
    ("chainList", &[LINK, TC_LIST]),
    ("chainAdd", &[LINK, TC_SPEC]),
    ("chainDel", &[LINK, TC_SPEC]),
    ("nexthopAdd", &[LINK, NH_SPEC]),
    ("nexthopReplace", &[LINK, NH_SPEC]),
    ("nexthopDel", &[NH_ID]),
    ("nexthopGet", &[NH_ID]),
    ("nexthopList", &[LINK, NH_LIST]),
    ("nexthopBucketList", &[NH_BUCKETS]),
    ("actionList", &[ACTION_REF]),
    ("actionGet", &[ACTION_REF]),
    ("actionDel", &[ACTION_REF]),
    ("actionFlush", &[ACTION_REF]),
    ("actionAdd", &[ACTION_LIST]),
    ("actionReplace", &[ACTION_LIST]),
];

fn fields(op: &str) -> Option<impl Iterator<Item = &'static (&'static str, Ty)>> {
    let (_, groups) = OPS.iter().find(|(n, _)| *n == op)?;
    Some(COMMON.iter().chain(groups.iter().flat_map(|g| g.iter())))
}

fn matches(v: &Value, ty: Ty) -> bool {
    matches!((v, ty), (Value::Str(_), Str) | (Value::Int(_), Int) | (Value::Bool(_), Bool) | (Value::Map(_), Map) | (Value::List(_), List))
}

/// Refuses an operation with a field its operation does not take, or of the wrong JSON type.
pub fn check(op: &str, record: &Settings) -> Result<(), String> {
    if fields(op).is_none() {
        return Err(format!("unknown operation {op:?}"));
    }
    for (k, v) in &record.0 {
        match fields(op).into_iter().flatten().find(|(n, _)| n == k) {
            None => return Err(format!("{op}: unknown field {k:?}")),
            Some((_, ty)) if !matches(v, *ty) => return Err(format!("{op}: field {k:?} must be of type {ty:?}")),
            _ => {}
        }
    }
    Ok(())
}

/// The table as JSON, `{"linkGet":{"op":"string","token":"number",...},...}`, for the contract
/// test against src/native.ts.
pub fn json() -> String {
    let ts = |t: Ty| match t {
        Str => "string",
        Int => "number",
        Bool => "boolean",
        Map => "object",
        List => "array",
    };
    let ops: Vec<String> = OPS
        .iter()
        .map(|(name, _)| {
            let f: Vec<String> = fields(name).into_iter().flatten().map(|(k, t)| format!("\"{k}\":\"{}\"", ts(*t))).collect();
            format!("\"{name}\":{{{}}}", f.join(","))
        })
        .collect();
    format!("{{{}}}", ops.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(fields: &[(&str, Value)]) -> Settings {
        Settings(fields.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
    }

    #[test]
    fn known_fields_pass_misspelt_or_mistyped_ones_are_refused() {
        let ok = record(&[
            ("op", Value::Str("routeAdd".into())),
            ("token", Value::Int(1)),
            ("dst", Value::Str("10.0.0.0".into())),
            ("name", Value::Str("eth0".into())),
        ]);
        assert_eq!(check("routeAdd", &ok), Ok(()));
        let typo = record(&[("op", Value::Str("routeAdd".into())), ("gatway", Value::Str("10.0.0.1".into()))]);
        assert_eq!(check("routeAdd", &typo), Err("routeAdd: unknown field \"gatway\"".into()));
        // A field of another operation is as unknown as a typo.
        let other = record(&[("prefixLen", Value::Int(24))]);
        assert!(check("routeAdd", &other).is_err());
        let mistyped = record(&[("metric", Value::Str("1".into()))]);
        assert!(check("routeAdd", &mistyped).unwrap_err().contains("metric"));
        assert!(check("routeAddd", &record(&[])).is_err());
    }

    #[test]
    fn the_table_as_json_parses_and_lists_every_operation() {
        let parsed = crate::ops_in::parse(&format!("[{}]", json())).expect("valid JSON");
        let ops = &parsed[0];
        assert_eq!(ops.0.len(), OPS.len());
        let Some(Value::Map(route_add)) = ops.get("routeAdd") else { panic!("routeAdd missing") };
        assert_eq!(route_add.get("dst"), Some(&Value::Str("string".into())));
        assert_eq!(route_add.get("token"), Some(&Value::Str("number".into())));
    }
}
