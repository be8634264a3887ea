//! What several classifier kinds share: the class a match goes to (`classid`/`flowid`), the
//! offload flags (TCA_CLS_FLAGS_*: `skip_hw`, `skip_sw` asked for, `in_hw`/`not_in_hw`
//! reported), an input device name, and the read-only keys a listing adds.

use std::cell::RefCell;
use std::os::fd::OwnedFd;

use crate::rtnl::settings::{Settings, Value};
use crate::rtnl::tc::handle as tc_handle;
use crate::wire::{attr_u32, MsgBuilder};

pub const SKIP_HW: u32 = 1;
pub const SKIP_SW: u32 = 2;
pub const IN_HW: u32 = 4;
pub const NOT_IN_HW: u32 = 8;
const IFNAMSIZ: usize = 16;

/// What a listed filter reports but a request does not carry (left out when given back).
pub const READ_ONLY: &[&str] = &["inHw", "notInHw", "inHwCount", "tag", "id"];

/// True when `s` holds only read-only keys (tc then sends no TCA_OPTIONS).
pub fn only_read_only(s: &Settings) -> bool {
    s.0.iter().all(|(k, _)| READ_ONLY.contains(&k.as_str()))
}

/// The options without the read-only keys a listing adds.
pub fn writable(s: &Settings) -> Settings {
    Settings(s.0.iter().filter(|(k, _)| !READ_ONLY.contains(&k.as_str())).cloned().collect())
}

/// `skipHw`/`skipSw` as TCA_CLS_FLAGS_* (0 when neither).
pub fn gen_flags(s: &Settings) -> Result<u32, String> {
    match (s.bool("skipHw")?, s.bool("skipSw")?) {
        (Some(true), Some(true)) => Err("skipHw and skipSw are mutually exclusive".into()),
        (hw, sw) => Ok((if hw == Some(true) { SKIP_HW } else { 0 }) | (if sw == Some(true) { SKIP_SW } else { 0 })),
    }
}

/// TCA_CLS_FLAGS_* as tc -j names them (`skip_hw`, `in_hw`, ...), in camelCase.
pub fn decode_gen_flags(v: &[u8], s: &mut Settings) {
    let f = attr_u32(v).unwrap_or(0);
    for (bit, key) in [(SKIP_HW, "skipHw"), (SKIP_SW, "skipSw"), (IN_HW, "inHw"), (NOT_IN_HW, "notInHw")] {
        if f & bit != 0 {
            s.set_bool(key, true);
        }
    }
}

/// `classid` (or tc's other name `flowid`) as a class handle; refuses both at once.
pub fn classid(s: &Settings) -> Result<Option<u32>, String> {
    if s.get("classid").is_some() && s.get("flowid").is_some() {
        return Err("classid and flowid are the same: give one".into());
    }
    for k in ["classid", "flowid"] {
        match s.get(k) {
            None => {}
            Some(Value::Str(c)) => return tc_handle::parse(c, false).map(Some).map_err(|e| format!("{k}: {e}")),
            Some(_) => return Err(format!("{k} must be a class id like '1:10'")),
        }
    }
    Ok(None)
}

/// A class handle attribute decoded as tc -j shows it (`flowid`).
pub fn decode_classid(v: &[u8], s: &mut Settings) {
    if let Some(c) = attr_u32(v) {
        s.set_str("flowid", tc_handle::format(c));
    }
}

/// An input device name (`indev`), as the kernel takes it (shorter than IFNAMSIZ).
pub fn indev(s: &Settings) -> Result<Option<&str>, String> {
    match s.str("indev")? {
        None => Ok(None),
        Some(d) if d.is_empty() || d.len() >= IFNAMSIZ || d.contains('\0') => {
            Err(format!("indev must be a device name of 1 to {} bytes", IFNAMSIZ - 1))
        }
        Some(d) => Ok(Some(d)),
    }
}

/// A u16 attribute (MsgBuilder has u8 and u32 ones).
pub fn attr_u16(b: &mut MsgBuilder, ty: u16, v: u16) {
    b.attr(ty, &v.to_ne_bytes());
}

thread_local! {
    /// Descriptors an encoder opened (a pinned BPF program) that must stay open until the
    /// request is answered: the kind interface returns bytes only, so they wait here until the
    /// caller of `tc::encode` takes them with [`take_kept`].
    static KEPT: RefCell<Vec<OwnedFd>> = const { RefCell::new(Vec::new()) };
}

pub fn keep(fd: OwnedFd) {
    KEPT.with(|k| k.borrow_mut().push(fd));
}

/// The descriptors opened by the encodes made on this thread since the last call.
pub fn take_kept() -> Vec<OwnedFd> {
    KEPT.with(|k| std::mem::take(&mut *k.borrow_mut()))
}
