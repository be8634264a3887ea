//! bpf, the classifier running a BPF program on each packet (`tc filter ... bpf bytecode
//! '4,40 0 0 12,...'`, `bpf da pinned /sys/fs/bpf/prog`): classic BPF carried in the request
//! (TCA_BPF_OPS), or an eBPF program by descriptor (TCA_BPF_FD and a name). tc writes the
//! attributes it takes in its loop (CLASSID, ACT) in command order, here the options' order;
//! then the program, FLAGS_GEN and FLAGS.

#[cfg(test)]
mod tests;

use std::os::fd::AsRawFd;
use std::path::Path;

use super::super::actions;
use super::super::kind::{Ctx, Role, TcKind};
use super::super::TCA_OPTIONS;
use super::common::{self, attr_u16};
use crate::rtnl::settings::{Settings, Value};
use crate::wire::{attr_str, attr_u32, attrs, MsgBuilder};

const TCA_BPF_ACT: u16 = 1;
const TCA_BPF_CLASSID: u16 = 3;
const TCA_BPF_OPS_LEN: u16 = 4;
const TCA_BPF_OPS: u16 = 5;
const TCA_BPF_FD: u16 = 6;
const TCA_BPF_NAME: u16 = 7;
const TCA_BPF_FLAGS: u16 = 8;
const TCA_BPF_FLAGS_GEN: u16 = 9;
const TCA_BPF_TAG: u16 = 10;
const TCA_BPF_ID: u16 = 11;

const TCA_BPF_FLAG_ACT_DIRECT: u32 = 1;
/// The kernel's BPF_MAXINSNS for classic programs.
pub const MAX_INSNS: usize = 4096;
/// The kernel keeps at most this much of a program's name (ACT_BPF_NAME_LEN).
const NAME_LEN: usize = 256;

pub struct Bpf;
pub static BPF_KIND: Bpf = Bpf;

/// One classic BPF instruction, `struct sock_filter`.
pub type Insn = (u16, u8, u8, u32);

/// tc's bytecode string: `N,code jt jf k,code jt jf k,...` (N instructions; a trailing comma
/// is allowed, as tc allows it).
fn parse_string(key: &str, s: &str) -> Result<Vec<Insn>, String> {
    let bad = |why: &str| format!("{key}: {why} (expected tc's form 'N,code jt jf k,...', e.g. '1,6 0 0 65535')");
    let mut parts = s.split(',');
    let n: usize = parts.next().and_then(|n| n.trim().parse().ok()).ok_or_else(|| bad("no instruction count"))?;
    let mut out = Vec::new();
    for (i, p) in parts.enumerate() {
        if p.trim().is_empty() && i == n {
            break; // the trailing comma
        }
        let w: Vec<&str> = p.split_whitespace().collect();
        let num = |j: usize, max: u64| w.get(j).and_then(|v| v.parse::<u64>().ok()).filter(|v| *v <= max);
        match (w.len(), num(0, u16::MAX as u64), num(1, 255), num(2, 255), num(3, u32::MAX as u64)) {
            (4, Some(c), Some(t), Some(f), Some(k)) => out.push((c as u16, t as u8, f as u8, k as u32)),
            _ => return Err(bad(&format!("instruction {i} {p:?} is not four numbers"))),
        }
    }
    if out.len() != n {
        return Err(bad(&format!("the count says {n} instructions, {} given", out.len())));
    }
    Ok(out)
}

/// `bytecode` as tc's string or a list of `[code, jt, jf, k]`.
pub fn program(v: &Value) -> Result<Vec<Insn>, String> {
    let insns = match v {
        Value::Str(s) => parse_string("bytecode", s)?,
        Value::List(l) => l
            .iter()
            .enumerate()
            .map(|(i, x)| {
                let bad = || format!("bytecode[{i}] must be [code (0..65535), jt (0..255), jf (0..255), k (0..2^32-1)]");
                let Value::List(w) = x else { return Err(bad()) };
                let n = |j: usize, max: i64| match w.get(j) {
                    Some(Value::Int(v)) if (0..=max).contains(v) => Ok(*v),
                    _ => Err(bad()),
                };
                if w.len() != 4 {
                    return Err(bad());
                }
                Ok((n(0, 0xFFFF)? as u16, n(1, 255)? as u8, n(2, 255)? as u8, n(3, u32::MAX as i64)? as u32))
            })
            .collect::<Result<_, _>>()?,
        _ => return Err("bytecode must be tc's string ('N,code jt jf k,...') or a list of [code, jt, jf, k]".into()),
    };
    if insns.is_empty() || insns.len() > MAX_INSNS {
        return Err(format!("bytecode must have 1 to {MAX_INSNS} instructions, got {}", insns.len()));
    }
    Ok(insns)
}

/// An instruction list in tc's string form (how tc prints it, and how it is listed).
pub fn format_program(insns: &[Insn]) -> String {
    let mut s = insns.len().to_string();
    for (c, t, f, k) in insns {
        s.push_str(&format!(",{c} {t} {f} {k}"));
    }
    s
}

/// The eBPF program: an open descriptor (`fd`), or one opened from a bpf filesystem
/// (`pinned`, kept open until the request is answered), and its name (tc's annotation of a
/// pinned program, `BASENAME:[*fsobj]`, by default).
pub fn ebpf(s: &Settings) -> Result<(u32, String), String> {
    let (fd, default_name) = match (s.int("fd", 0, i32::MAX as i64)?, s.str("pinned")?) {
        (Some(fd), None) => (fd as u32, format!("fd:[{fd}]")),
        (None, Some(path)) => {
            let f = crate::sys::bpf_obj_get(Path::new(path)).map_err(|e| format!("pinned {path:?}: {e}"))?;
            let fd = f.as_raw_fd() as u32;
            common::keep(f);
            let base = Path::new(path).file_name().map_or(path.into(), |n| n.to_string_lossy());
            (fd, format!("{base}:[*fsobj]"))
        }
        (Some(_), Some(_)) => return Err("fd and pinned both name the program: give one".into()),
        (None, None) => return Err("a program is required: bytecode, fd or pinned".into()),
    };
    let name = s.str("name")?.map_or(default_name, String::from);
    if name.len() >= NAME_LEN || name.contains('\0') {
        return Err(format!("name must be shorter than {NAME_LEN} bytes"));
    }
    Ok((fd, name))
}

/// Which program the options give; exactly one of `bytecode`, `fd` and `pinned`.
pub fn check_one_program(s: &Settings) -> Result<bool, String> {
    let given: Vec<&str> = ["bytecode", "fd", "pinned"].into_iter().filter(|k| s.get(k).is_some()).collect();
    match given[..] {
        [] => Err("a program is required: bytecode, fd or pinned".into()),
        [k] if k == "bytecode" && s.get("name").is_some() => Err("name is for fd and pinned programs (classic bytecode has none)".into()),
        [k] => Ok(k == "bytecode"),
        _ => Err(format!("{} all name the program: give one", given.join(" and "))),
    }
}

/// The classic program's attributes, OPS_LEN and OPS.
pub fn encode_ops(b: &mut MsgBuilder, len_attr: u16, ops_attr: u16, insns: &[Insn]) {
    attr_u16(b, len_attr, insns.len() as u16);
    let mut ops = Vec::with_capacity(insns.len() * 8);
    for (c, t, f, k) in insns {
        ops.extend_from_slice(&c.to_ne_bytes());
        ops.extend_from_slice(&[*t, *f]);
        ops.extend_from_slice(&k.to_ne_bytes());
    }
    b.attr(ops_attr, &ops);
}

/// OPS as a program string (its count taken from OPS_LEN when given, never beyond the bytes).
pub fn decode_ops(ops: &[u8], len: Option<u16>) -> String {
    let insns: Vec<Insn> = ops
        .chunks_exact(8)
        .take(len.map_or(usize::MAX, usize::from))
        .map(|c| (u16::from_ne_bytes([c[0], c[1]]), c[2], c[3], u32::from_ne_bytes([c[4], c[5], c[6], c[7]])))
        .collect();
    format_program(&insns)
}

impl TcKind for Bpf {
    fn role(&self) -> Role {
        Role::Filter
    }
    fn kind(&self) -> &'static str {
        "bpf"
    }
    fn keys(&self) -> &'static [&'static str] {
        &[
            "bytecode",
            "fd",
            "pinned",
            "name",
            "directAction",
            "classid",
            "flowid",
            "skipHw",
            "skipSw",
            "actions",
            "inHw",
            "notInHw",
            "inHwCount",
            "tag",
            "id",
        ]
    }
    fn encode(&self, all: &Settings, b: &mut MsgBuilder, _cx: &Ctx) -> Result<(), String> {
        // No program is refused here (tc would send no options and the kernel refuse them).
        let s = &common::writable(all);
        let classic = check_one_program(s)?;
        let insns = if classic { Some(program(s.get("bytecode").unwrap_or(&Value::Bool(false)))?) } else { None };
        let gen_flags = common::gen_flags(s)?;
        let direct = s.bool("directAction")?.unwrap_or(false);
        let classid = common::classid(s)?;
        let at = b.nest_start_plain(TCA_OPTIONS);
        for (k, v) in &s.0 {
            match k.as_str() {
                "classid" | "flowid" => {
                    b.attr_u32(TCA_BPF_CLASSID, classid.unwrap_or(0));
                }
                "actions" => actions::encode_list(TCA_BPF_ACT, v, b)?,
                _ => {}
            }
        }
        match insns {
            Some(i) => encode_ops(b, TCA_BPF_OPS_LEN, TCA_BPF_OPS, &i),
            None => {
                let (fd, name) = ebpf(s)?;
                b.attr_u32(TCA_BPF_FD, fd).attr_str(TCA_BPF_NAME, &name);
            }
        }
        if gen_flags != 0 {
            b.attr_u32(TCA_BPF_FLAGS_GEN, gen_flags);
        }
        if direct {
            b.attr_u32(TCA_BPF_FLAGS, TCA_BPF_FLAG_ACT_DIRECT);
        }
        b.nest_end(at);
        Ok(())
    }
    fn decode(&self, o: &[u8]) -> Settings {
        let mut s = Settings::new();
        let (mut ops, mut ops_len, mut acts) = (None, None, None);
        for (ty, v) in attrs(o).map_while(Result::ok) {
            match ty {
                TCA_BPF_CLASSID => common::decode_classid(v, &mut s),
                TCA_BPF_NAME => {
                    s.set_str("name", attr_str(v));
                }
                TCA_BPF_FLAGS if attr_u32(v).unwrap_or(0) & TCA_BPF_FLAG_ACT_DIRECT != 0 => {
                    s.set_bool("directAction", true);
                }
                TCA_BPF_FLAGS_GEN => common::decode_gen_flags(v, &mut s),
                TCA_BPF_OPS_LEN => ops_len = v.get(..2).map(|b| u16::from_ne_bytes([b[0], b[1]])),
                TCA_BPF_OPS => ops = Some(v),
                TCA_BPF_TAG => {
                    s.set_str("tag", v.iter().map(|b| format!("{b:02x}")).collect::<String>());
                }
                TCA_BPF_ID => {
                    if let Some(id) = attr_u32(v) {
                        s.set_int("id", id);
                    }
                }
                TCA_BPF_ACT => acts = Some(actions::decode_list(v)),
                _ => {}
            }
        }
        if let Some(ops) = ops {
            s.set_str("bytecode", decode_ops(ops, ops_len));
        }
        if let Some(a) = acts {
            s.set("actions", a);
        }
        s
    }
}
