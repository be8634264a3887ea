//! bpf: run BPF programs (LWT_IN, LWT_OUT, LWT_XMIT) on the route's packets, each given by an
//! open descriptor or a path in a bpf filesystem, with the headroom an xmit program may push.

use std::os::fd::{AsRawFd, OwnedFd};
use std::path::Path;

use super::int;
use crate::rtnl::settings::{Settings, Value};
use crate::wire::{attr_str, attr_u32, attrs, MsgBuilder};

pub(super) const KEYS: &[&str] = &["type", "in", "out", "xmit", "headroom"];
const PROG_KEYS: &[&str] = &["fd", "pinned", "name"];

const HOOKS: &[(&str, u16)] = &[("in", 1), ("out", 2), ("xmit", 3)];
const LWT_BPF_XMIT_HEADROOM: u16 = 4;
const LWT_BPF_PROG_FD: u16 = 1;
const LWT_BPF_PROG_NAME: u16 = 2;
/// The kernel's LWT_BPF_MAX_HEADROOM.
pub const MAX_HEADROOM: i64 = 256;

/// One program (`{ fd | pinned, name? }`) as the nest `ty` (LWT_BPF_PROG_FD + LWT_BPF_PROG_NAME,
/// the layout seg6local's End.BPF `endpoint` shares); `what` names it in errors.
pub(super) fn encode_prog(p: &Settings, what: &str, ty: u16, b: &mut MsgBuilder, keep: &mut Vec<OwnedFd>) -> Result<(), String> {
    p.check_known(PROG_KEYS).map_err(|e| format!("{what}: {e}"))?;
    let named = |e: String| format!("{what}.{e}");
    let (fd, default_name) = match (p.int("fd", 0, i32::MAX as i64).map_err(named)?, p.str("pinned").map_err(named)?) {
        (Some(fd), None) => (fd as i32, format!("fd:[{fd}]")),
        (None, Some(path)) => {
            let f = crate::sys::bpf_obj_get(Path::new(path)).map_err(|e| format!("{what}.pinned {path:?}: {e}"))?;
            let fd = f.as_raw_fd();
            keep.push(f);
            // iproute2's annotation of a pinned program: "BASENAME:[*fsobj]".
            let base = Path::new(path).file_name().map_or(path.into(), |n| n.to_string_lossy());
            (fd, format!("{base}:[*fsobj]"))
        }
        _ => return Err(format!("{what} takes either fd or pinned")),
    };
    let name = p.str("name").map_err(named)?.map_or(default_name, String::from);
    let at = b.nest_start(ty);
    b.attr_u32(LWT_BPF_PROG_FD, fd as u32).attr_str(LWT_BPF_PROG_NAME, &name);
    b.nest_end(at);
    Ok(())
}

/// A program nest as the kernel reports it: its name only (the descriptor was the sender's).
pub(super) fn decode_prog(v: &[u8]) -> Value {
    let mut p = Settings::new();
    for (pt, pv) in attrs(v).map_while(Result::ok) {
        if pt == LWT_BPF_PROG_NAME {
            p.set_str("name", attr_str(pv));
        }
    }
    Value::Map(p)
}

pub(super) fn encode(s: &Settings, b: &mut MsgBuilder, keep: &mut Vec<OwnedFd>) -> Result<(), String> {
    let mut any = false;
    for (hook, ty) in HOOKS {
        let Some(p) = s.map(hook).map_err(|e| format!("encap.{e}"))? else { continue };
        encode_prog(p, &format!("encap.{hook}"), *ty, b, keep)?;
        any = true;
    }
    if !any {
        return Err("encap: bpf needs a program for in, out or xmit".into());
    }
    if let Some(h) = int(s, "headroom", 1, MAX_HEADROOM)? {
        b.attr_u32(LWT_BPF_XMIT_HEADROOM, h as u32);
    }
    Ok(())
}

pub(super) fn decode(v: &[u8], s: &mut Settings) {
    for (ty, a) in attrs(v).map_while(Result::ok) {
        if let Some((hook, _)) = HOOKS.iter().find(|(_, t)| *t == ty) {
            s.set(hook, decode_prog(a));
        } else if ty == LWT_BPF_XMIT_HEADROOM {
            if let Some(h) = attr_u32(a) {
                s.set_int("headroom", h);
            }
        }
    }
}
