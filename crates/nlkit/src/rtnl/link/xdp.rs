//! XDP programs on a link (IFLA_XDP, `ip link set DEV xdp{generic,drv,offload} pinned P|off`):
//! attach by program fd or pinned path, detach, and what is attached as the kernel reports it.

use std::path::Path;

use super::kinds::EncodeCtx;
use crate::wire::{attr_u32, attrs, MsgBuilder};

const IFLA_XDP: u16 = 43;
const IFLA_XDP_FD: u16 = 1;
const IFLA_XDP_ATTACHED: u16 = 2;
const IFLA_XDP_FLAGS: u16 = 3;
const IFLA_XDP_PROG_ID: u16 = 4;
const IFLA_XDP_DRV_PROG_ID: u16 = 5;
const IFLA_XDP_SKB_PROG_ID: u16 = 6;
const IFLA_XDP_HW_PROG_ID: u16 = 7;

/// XDP_FLAGS_*: fail if a program is attached (iproute2's default, `-force` drops it), and the
/// mode bits.
pub const UPDATE_IF_NOEXIST: u32 = 1;
pub const MODES: &[(&str, u32)] = &[("generic", 2), ("driver", 4), ("offload", 8)];

/// XDP_ATTACHED_* as names.
const ATTACHED: [&str; 5] = ["none", "driver", "generic", "offload", "multi"];

/// The program to attach, or none (detach).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prog {
    Detach,
    Fd(i32),
    /// A program pinned in a bpf filesystem, opened (BPF_OBJ_GET) when the request is encoded.
    Pinned(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attach {
    pub prog: Prog,
    /// XDP_FLAGS_* (mode, UPDATE_IF_NOEXIST).
    pub flags: u32,
}

/// What is attached: the summary mode and the program per mode.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Attached {
    pub mode: &'static str,
    pub prog_id: Option<u32>,
    /// `(mode, program id)` for each mode with a program (several when `mode` is "multi").
    pub progs: Vec<(&'static str, u32)>,
}

/// Writes IFLA_XDP as iproute2 does (fd, then flags); a pinned program's fd stays open in `ctx`.
pub fn encode(a: &Attach, b: &mut MsgBuilder, ctx: &mut EncodeCtx) -> Result<(), String> {
    let fd = match &a.prog {
        Prog::Detach => -1,
        Prog::Fd(fd) => *fd,
        Prog::Pinned(path) => {
            let f = crate::sys::bpf_obj_get(Path::new(path)).map_err(|e| format!("xdp.pinned {path:?}: {e}"))?;
            use std::os::fd::AsRawFd;
            let raw = f.as_raw_fd();
            ctx.fds.push(f);
            raw
        }
    };
    let n = b.nest_start_plain(IFLA_XDP);
    b.attr(IFLA_XDP_FD, &fd.to_ne_bytes());
    b.attr_u32(IFLA_XDP_FLAGS, a.flags);
    b.nest_end(n);
    Ok(())
}

pub const ATTR: u16 = IFLA_XDP;

pub fn decode(v: &[u8]) -> Attached {
    let mut out = Attached { mode: "none", ..Default::default() };
    for (ty, a) in attrs(v).map_while(Result::ok) {
        match ty {
            IFLA_XDP_ATTACHED => out.mode = a.first().and_then(|m| ATTACHED.get(*m as usize)).copied().unwrap_or("unknown"),
            IFLA_XDP_PROG_ID => out.prog_id = attr_u32(a),
            IFLA_XDP_DRV_PROG_ID | IFLA_XDP_SKB_PROG_ID | IFLA_XDP_HW_PROG_ID => {
                let mode = ["driver", "generic", "offload"][(ty - IFLA_XDP_DRV_PROG_ID) as usize];
                out.progs.extend(attr_u32(a).map(|id| (mode, id)));
            }
            _ => {}
        }
    }
    // A single program is reported by IFLA_XDP_PROG_ID alone.
    if out.progs.is_empty() {
        if let Some(id) = out.prog_id {
            out.progs.push((out.mode, id));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::NLMSG_HDRLEN;

    /// `ip link set dev v0 xdpgeneric off` / `xdpdrv off` / `xdp off` (iproute2 6.1): IFLA_XDP
    /// { FD -1, FLAGS mode|UPDATE_IF_NOEXIST }.
    #[test]
    fn equals_iproute2_and_decodes() {
        for (mode, flags) in [(2u32, 3u32), (4, 5), (0, 1), (8, 9)] {
            let mut b = MsgBuilder::new(0, 0);
            encode(&Attach { prog: Prog::Detach, flags: mode | UPDATE_IF_NOEXIST }, &mut b, &mut EncodeCtx::default()).unwrap();
            let m = b.finish();
            let mut want = vec![20, 0, 0x2b, 0, 8, 0, 1, 0, 0xff, 0xff, 0xff, 0xff, 8, 0, 3, 0];
            want.extend_from_slice(&flags.to_ne_bytes());
            assert_eq!(&m[NLMSG_HDRLEN..], &want[..]);
        }
        let mut b = MsgBuilder::new(0, 0);
        assert!(encode(&Attach { prog: Prog::Pinned("/nonexistent/p".into()), flags: 3 }, &mut b, &mut EncodeCtx::default())
            .unwrap_err()
            .contains("xdp.pinned"));
        // What the kernel reports: one generic program, then two modes at once.
        let one = [5, 0, 2, 0, 2, 0, 0, 0, 8, 0, 4, 0, 115, 0, 0, 0];
        let d = decode(&one);
        assert_eq!((d.mode, d.prog_id, d.progs.clone()), ("generic", Some(115), vec![("generic", 115)]));
        let multi = [5, 0, 2, 0, 4, 0, 0, 0, 8, 0, 5, 0, 7, 0, 0, 0, 8, 0, 6, 0, 9, 0, 0, 0];
        assert_eq!(decode(&multi).progs, vec![("driver", 7), ("generic", 9)]);
        assert_eq!(decode(&[5, 0, 2, 0]).mode, "none");
    }
}
