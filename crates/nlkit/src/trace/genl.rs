//! Generic netlink in strace's notation: the genlmsghdr, and the controller (nlctrl) by name.
//! Other families show their command and attributes by number (their ids are dynamic).

use super::print::{self, field, Kind::*, Table};
use crate::wire::MsgHeader;

const GENL_ID_CTRL: u16 = 0x10;

pub fn message(out: &mut String, h: &MsgHeader, p: &[u8]) {
    let ctrl = h.ty == GENL_ID_CTRL;
    let name = if ctrl { "nlctrl".to_string() } else { format!("{:#x}", h.ty) };
    print::header(out, h, &name, print::GET_FLAGS);
    out.push_str(", ");
    if p.len() < 4 {
        print::bytes(out, p);
        return;
    }
    out.push('{');
    let cmd = p[0];
    match CTRL_CMDS.get(cmd as usize).filter(|_| ctrl) {
        Some(n) => field(out, true, "cmd", format_args!("{n}")),
        None => field(out, true, "cmd", format_args!("{:#x}", cmd)),
    }
    field(out, false, "version", format_args!("{}", p[1]));
    out.push('}');
    if p.len() > 4 {
        out.push_str(", ");
        print::attrs(out, &p[4..], if ctrl { &CTRL_ATTRS } else { &NONE }, 0);
    }
}

const CTRL_CMDS: [&str; 11] = [
    "CTRL_CMD_UNSPEC",
    "CTRL_CMD_NEWFAMILY",
    "CTRL_CMD_DELFAMILY",
    "CTRL_CMD_GETFAMILY",
    "CTRL_CMD_NEWOPS",
    "CTRL_CMD_DELOPS",
    "CTRL_CMD_GETOPS",
    "CTRL_CMD_NEWMCAST_GRP",
    "CTRL_CMD_DELMCAST_GRP",
    "CTRL_CMD_GETMCAST_GRP",
    "CTRL_CMD_GETPOLICY",
];

static NONE: Table = Table(&[]);
static CTRL_ATTRS: Table = Table(&[
    (1, "CTRL_ATTR_FAMILY_ID", U16),
    (2, "CTRL_ATTR_FAMILY_NAME", Str),
    (3, "CTRL_ATTR_VERSION", U32),
    (4, "CTRL_ATTR_HDRSIZE", U32),
    (5, "CTRL_ATTR_MAXATTR", U32),
    (6, "CTRL_ATTR_OPS", Bin),
    (7, "CTRL_ATTR_MCAST_GROUPS", Bin),
    (8, "CTRL_ATTR_POLICY", Bin),
    (9, "CTRL_ATTR_OP_POLICY", Bin),
    (10, "CTRL_ATTR_OP", U32),
]);
