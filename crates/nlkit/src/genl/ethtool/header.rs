//! ETHTOOL_A_HEADER_*: which device a request is about, and the reply's device.

use crate::rtnl::settings::Settings;
use crate::wire;

const DEV_INDEX: u16 = 1;
const DEV_NAME: u16 = 2;
const FLAGS: u16 = 3;
/// ETHTOOL_FLAG_STATS: the reply carries the kind's statistics too (`ethtool -I`).
pub const FLAG_STATS: u32 = 1 << 2;
/// ETHTOOL_FLAG_OMIT_REPLY: a set is answered by its ACK only.
pub const FLAG_OMIT_REPLY: u32 = 1 << 1;
/// IFNAMSIZ, NUL included.
const IFNAMSIZ: usize = 16;

/// A device by index, or by name (resolved by the kernel in the socket's namespace).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dev {
    Index(u32),
    Name(String),
}

pub fn put(b: &mut wire::MsgBuilder, dev: &Dev, flags: u32) -> crate::Result<()> {
    put_at(b, super::A_HEADER, dev, flags)
}

/// The header as attribute `ty` (ETHTOOL_A_STATS_HEADER is 2, not 1).
pub fn put_at(b: &mut wire::MsgBuilder, ty: u16, dev: &Dev, flags: u32) -> crate::Result<()> {
    let at = b.nest_start(ty);
    match dev {
        Dev::Index(0) => return Err(crate::Error::invalid("dev index must be positive")),
        Dev::Index(i) => b.attr_u32(DEV_INDEX, *i),
        Dev::Name(n) if n.is_empty() || n.len() >= IFNAMSIZ || n.contains('\0') => {
            return Err(crate::Error::invalid("dev name must be 1 to 15 bytes"))
        }
        Dev::Name(n) => b.attr_str(DEV_NAME, n),
    };
    if flags != 0 {
        b.attr_u32(FLAGS, flags);
    }
    b.nest_end(at);
    Ok(())
}

/// `ifindex` and `ifname` from the reply's header.
pub fn decode(attrs: &[u8], s: &mut Settings) {
    decode_at(attrs, super::A_HEADER, s)
}

pub fn decode_at(attrs: &[u8], ty: u16, s: &mut Settings) {
    let Some((_, h)) = super::attrs(attrs).find(|(t, _)| *t == ty) else { return };
    for (t, v) in super::attrs(h) {
        match t {
            DEV_INDEX => {
                if let Some(i) = wire::attr_u32(v) {
                    s.set_int("ifindex", i);
                }
            }
            DEV_NAME => {
                s.set_str("ifname", wire::attr_str(v));
            }
            _ => {}
        }
    }
}
