//! The WireGuard family (`wireguard`, uapi linux/wireguard.h and
//! Documentation/netlink/specs/wireguard.yaml): a device's keys, port, mark and peers read
//! (WG_CMD_GET_DEVICE, a dump: the kernel splits a big device across messages, a peer's
//! allowed IPs possibly across two; src/genl/wireguard.ts joins them) and changed
//! (WG_CMD_SET_DEVICE, split by [`set`] as `wg` splits it). Keys cross as base64, as `wg`
//! shows them.
//!
//! - [`set`]: the device change and its splitting into messages
//! - [`decode`]: one reply message

pub mod decode;
pub mod set;

pub use decode::decode;
pub use set::{DeviceSet, PeerSet};

use super::{Call, Decode};
use crate::conn::Mode;
use crate::{wire, Error, Result};

pub const FAMILY: &str = "wireguard";
const VERSION: u8 = 1;
const CMD_GET_DEVICE: u8 = 0;
const CMD_SET_DEVICE: u8 = 1;

const A_IFINDEX: u16 = 1;
const A_IFNAME: u16 = 2;
const A_PRIVATE_KEY: u16 = 3;
const A_PUBLIC_KEY: u16 = 4;
const A_FLAGS: u16 = 5;
const A_LISTEN_PORT: u16 = 6;
const A_FWMARK: u16 = 7;
const A_PEERS: u16 = 8;
const F_REPLACE_PEERS: u32 = 1;

const PA_PUBLIC_KEY: u16 = 1;
const PA_PRESHARED_KEY: u16 = 2;
const PA_FLAGS: u16 = 3;
const PA_ENDPOINT: u16 = 4;
const PA_PERSISTENT_KEEPALIVE: u16 = 5;
const PA_LAST_HANDSHAKE: u16 = 6;
const PA_RX_BYTES: u16 = 7;
const PA_TX_BYTES: u16 = 8;
const PA_ALLOWEDIPS: u16 = 9;
const PA_PROTOCOL_VERSION: u16 = 10;
const PF_REMOVE_ME: u32 = 1;
const PF_REPLACE_ALLOWEDIPS: u32 = 2;
const PF_UPDATE_ONLY: u32 = 4;

const AA_FAMILY: u16 = 1;
const AA_IPADDR: u16 = 2;
const AA_CIDR_MASK: u16 = 3;

/// A Curve25519 key (private, public or preshared).
pub type Key = [u8; 32];

/// The device: by name (as `wg` names it) or index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dev {
    Name(String),
    Index(u32),
}

impl Default for Dev {
    fn default() -> Self {
        Dev::Index(0)
    }
}

impl Dev {
    pub fn check(&self) -> Result<()> {
        match self {
            Dev::Name(n) if n.is_empty() || n.len() > 15 || n.contains('\0') => {
                Err(Error::invalid("dev must be an interface name of 1 to 15 bytes"))
            }
            Dev::Index(0) => Err(Error::invalid("dev index must be positive")),
            _ => Ok(()),
        }
    }
}

/// WG_CMD_GET_DEVICE of `dev` (a dump: as many messages as the device needs).
pub fn get(dev: &Dev) -> Result<Call> {
    dev.check()?;
    let mut b = wire::MsgBuilder::new(0, 0);
    match dev {
        Dev::Name(n) => b.attr_str(A_IFNAME, n),
        Dev::Index(i) => b.attr_u32(A_IFINDEX, *i),
    };
    let body = b.finish().split_off(wire::NLMSG_HDRLEN);
    Ok(Call { cmd: CMD_GET_DEVICE, version: VERSION, flags: 0, body, mode: Mode::Dump, decode: Decode::Wireguard })
}

/// The SET_DEVICE messages of `d`, each to be acknowledged before the next.
pub fn set(d: &DeviceSet) -> Result<Vec<Call>> {
    d.dev.check()?;
    set::calls(d)
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding (a key's 32 bytes: 44 characters, as `wg` prints them).
pub fn base64(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len().div_ceil(3) * 4);
    for c in b.chunks(3) {
        let n = (c[0] as u32) << 16 | (*c.get(1).unwrap_or(&0) as u32) << 8 | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= c.len() {
                s.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

/// A key from its base64 (exactly 32 bytes).
pub fn key_from_base64(s: &str) -> Result<Key> {
    let bad = || Error::invalid("a key must be 32 bytes of base64 (44 characters)");
    let t = s.as_bytes();
    if t.len() != 44 || t[43] != b'=' {
        return Err(bad());
    }
    let mut out = [0u8; 33];
    let mut acc = 0u32;
    for (i, &c) in t[..43].iter().enumerate() {
        let v = B64.iter().position(|&x| x == c).ok_or_else(bad)? as u32;
        acc = acc << 6 | v;
        if i % 4 == 3 {
            out[i / 4 * 3..i / 4 * 3 + 3].copy_from_slice(&acc.to_be_bytes()[1..]);
            acc = 0;
        }
    }
    // 43 characters: 10 full groups, then 3 characters for the last 2 bytes (2 spare bits zero).
    if acc & 3 != 0 {
        return Err(bad());
    }
    let last = acc >> 2;
    out[30] = (last >> 8) as u8;
    out[31] = last as u8;
    let mut k = [0u8; 32];
    k.copy_from_slice(&out[..32]);
    Ok(k)
}

#[cfg(test)]
mod tests;
