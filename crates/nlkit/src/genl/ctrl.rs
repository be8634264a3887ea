//! The controller (nlctrl): CTRL_CMD_GETFAMILY by name or as a dump, decoded into
//! `{ id, name, version, hdrsize, maxattr, ops: [{ id, flags }], mcastGroups: [{ name, id }] }`
//! (what `genl ctrl list` prints).

use super::{message, GENL_ID_CTRL};
use crate::rtnl::settings::{Settings, Value};
use crate::wire;

pub const CTRL_NAME: &str = "nlctrl";
/// GENL_NAMSIZ: a family name's buffer in the kernel, NUL included.
pub const GENL_NAMSIZ: usize = 16;
pub const CTRL_CMD_NEWFAMILY: u8 = 1;
pub const CTRL_CMD_DELFAMILY: u8 = 2;
pub const CTRL_CMD_GETFAMILY: u8 = 3;
/// The controller's version in our requests (what `genl` sends).
pub const CTRL_VERSION: u8 = 1;

pub const CTRL_ATTR_FAMILY_ID: u16 = 1;
pub const CTRL_ATTR_FAMILY_NAME: u16 = 2;
const CTRL_ATTR_VERSION: u16 = 3;
const CTRL_ATTR_HDRSIZE: u16 = 4;
const CTRL_ATTR_MAXATTR: u16 = 5;
const CTRL_ATTR_OPS: u16 = 6;
const CTRL_ATTR_MCAST_GROUPS: u16 = 7;
const CTRL_ATTR_OP_ID: u16 = 1;
const CTRL_ATTR_OP_FLAGS: u16 = 2;
const CTRL_ATTR_MCAST_GRP_NAME: u16 = 1;
const CTRL_ATTR_MCAST_GRP_ID: u16 = 2;

/// CTRL_CMD_GETFAMILY for one family by name (a get: one reply, or ENOENT).
pub fn get_family(name: &str) -> Vec<u8> {
    let mut attrs = wire::MsgBuilder::new(0, 0);
    attrs.attr_str(CTRL_ATTR_FAMILY_NAME, name);
    let body = attrs.finish();
    message(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, CTRL_VERSION, 0, &body[wire::NLMSG_HDRLEN..])
}

/// A family's name and id from a controller message's attributes (for the cache).
pub fn name_and_id(attrs: &[u8]) -> (Option<String>, Option<u16>) {
    let (mut name, mut id) = (None, None);
    for (t, v) in wire::attrs(attrs).map_while(|a| a.ok()) {
        match t {
            CTRL_ATTR_FAMILY_NAME => name = Some(wire::attr_str(v)),
            CTRL_ATTR_FAMILY_ID if v.len() >= 2 => id = Some(wire::u16_at(v, 0)),
            _ => {}
        }
    }
    (name, id)
}

fn int(v: &[u8]) -> Option<Value> {
    wire::attr_u32(v).map(|n| Value::Int(n.into()))
}

/// One family; absent attributes are 0 / empty (the kernel sends them all), a malformed
/// attribute ends the list where it starts.
pub fn decode_family(attrs: &[u8]) -> Settings {
    let mut s = Settings::new();
    let (mut ops, mut groups) = (Vec::new(), Vec::new());
    let (mut id, mut name, mut version, mut hdrsize, mut maxattr) = (0, String::new(), Value::Int(0), Value::Int(0), Value::Int(0));
    for (t, v) in wire::attrs(attrs).map_while(|a| a.ok()) {
        match t {
            CTRL_ATTR_FAMILY_ID if v.len() >= 2 => id = wire::u16_at(v, 0),
            CTRL_ATTR_FAMILY_NAME => name = wire::attr_str(v),
            CTRL_ATTR_VERSION => version = int(v).unwrap_or(Value::Int(0)),
            CTRL_ATTR_HDRSIZE => hdrsize = int(v).unwrap_or(Value::Int(0)),
            CTRL_ATTR_MAXATTR => maxattr = int(v).unwrap_or(Value::Int(0)),
            CTRL_ATTR_OPS => ops = nested(v, op),
            CTRL_ATTR_MCAST_GROUPS => groups = nested(v, group),
            _ => {}
        }
    }
    s.set_int("id", id).set_str("name", name).set("version", version).set("hdrsize", hdrsize).set("maxattr", maxattr);
    s.set("ops", Value::List(ops)).set("mcastGroups", Value::List(groups));
    s
}

/// A list nest: each entry (typed by its position) is itself a nest of attributes.
fn nested(v: &[u8], f: impl Fn(&[u8]) -> Value) -> Vec<Value> {
    wire::attrs(v).map_while(|a| a.ok()).map(|(_, e)| f(e)).collect()
}

fn op(a: &[u8]) -> Value {
    let (mut id, mut flags) = (0u32, 0u32);
    for (t, v) in wire::attrs(a).map_while(|a| a.ok()) {
        match t {
            CTRL_ATTR_OP_ID => id = wire::attr_u32(v).unwrap_or(0),
            CTRL_ATTR_OP_FLAGS => flags = wire::attr_u32(v).unwrap_or(0),
            _ => {}
        }
    }
    let mut s = Settings::new();
    s.set_int("id", id).set_int("flags", flags);
    Value::Map(s)
}

fn group(a: &[u8]) -> Value {
    let (mut name, mut id) = (String::new(), 0u32);
    for (t, v) in wire::attrs(a).map_while(|a| a.ok()) {
        match t {
            CTRL_ATTR_MCAST_GRP_NAME => name = wire::attr_str(v),
            CTRL_ATTR_MCAST_GRP_ID => id = wire::attr_u32(v).unwrap_or(0),
            _ => {}
        }
    }
    let mut s = Settings::new();
    s.set_str("name", name).set_int("id", id);
    Value::Map(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(f: impl FnOnce(&mut wire::MsgBuilder)) -> Vec<u8> {
        let mut b = wire::MsgBuilder::new(0, 0);
        f(&mut b);
        b.finish()[wire::NLMSG_HDRLEN..].to_vec()
    }

    #[test]
    fn get_family_is_what_genl_sends() {
        // genl ctrl get name ethtool: nlctrl, GETFAMILY v1, CTRL_ATTR_FAMILY_NAME "ethtool\0".
        let m = get_family("ethtool");
        assert_eq!(&m[16..], &[3, 1, 0, 0, 12, 0, 2, 0, b'e', b't', b'h', b't', b'o', b'o', b'l', 0]);
        assert_eq!(wire::u16_at(&m, 4), GENL_ID_CTRL);
    }

    #[test]
    fn decodes_a_family_and_tolerates_short_or_cut_attributes() {
        let a = attrs(|b| {
            b.attr(CTRL_ATTR_FAMILY_ID, &0x15u16.to_ne_bytes());
            b.attr_str(CTRL_ATTR_FAMILY_NAME, "ethtool");
            b.attr_u32(CTRL_ATTR_VERSION, 1);
            b.attr_u32(CTRL_ATTR_HDRSIZE, 0);
            b.attr_u32(CTRL_ATTR_MAXATTR, 0);
            let ops = b.nest_start(CTRL_ATTR_OPS);
            let o = b.nest_start(1);
            b.attr_u32(CTRL_ATTR_OP_ID, 2).attr_u32(CTRL_ATTR_OP_FLAGS, 0xe);
            b.nest_end(o);
            b.nest_end(ops);
            let g = b.nest_start(CTRL_ATTR_MCAST_GROUPS);
            let e = b.nest_start(1);
            b.attr_str(CTRL_ATTR_MCAST_GRP_NAME, "monitor").attr_u32(CTRL_ATTR_MCAST_GRP_ID, 5);
            b.nest_end(e);
            b.nest_end(g);
            b.attr(CTRL_ATTR_VERSION, &[1]); // too short: ignored (keeps 0)
        });
        let f = decode_family(&a);
        assert_eq!(f.get("id"), Some(&Value::Int(0x15)));
        assert_eq!(f.get("name"), Some(&Value::Str("ethtool".into())));
        assert_eq!(f.get("version"), Some(&Value::Int(0)));
        let Some(Value::List(ops)) = f.get("ops") else { panic!() };
        assert_eq!(ops.len(), 1);
        let Some(Value::List(g)) = f.get("mcastGroups") else { panic!() };
        let Value::Map(g) = &g[0] else { panic!() };
        assert_eq!(g.get("id"), Some(&Value::Int(5)));
        // Every prefix decodes without a panic.
        for n in 0..a.len() {
            decode_family(&a[..n]);
        }
        assert_eq!(name_and_id(&a), (Some("ethtool".into()), Some(0x15)));
    }
}
