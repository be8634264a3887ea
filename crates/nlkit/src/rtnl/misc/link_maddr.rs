//! Link-layer multicast groups (`ip maddr`'s `link` lines and `ip maddr add|del LLADDR dev
//! DEV`). Netlink has no message for them: the kernel lists them in /proc/net/dev_mcast and
//! changes them by ioctl, both per network namespace, so each runs on a short-lived thread in the
//! connection's namespace (none when the connection is in the process's own). The binding runs
//! these off Node's thread.

use crate::error::{Error, ErrorKind, Result};
use crate::netns::{self, NetnsRef};
use crate::sys;

/// One group of one device, as /proc/net/dev_mcast has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkGroup {
    pub index: u32,
    pub dev: String,
    /// References to the group (sockets, protocols, `ip maddr add`).
    pub users: u32,
    /// Added with `ip maddr add` (SIOCADDMULTI): `ip` shows it as `static`.
    pub is_static: bool,
    pub address: Vec<u8>,
}

/// Parses /proc/net/dev_mcast: `INDEX NAME USERS GLOBAL_USE HEXADDR` per line; a malformed
/// line is skipped.
pub fn parse(text: &str) -> Vec<LinkGroup> {
    text.lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let [index, dev, users, global, hex] = f.as_slice() else { return None };
            if hex.len() % 2 != 0 || hex.is_empty() {
                return None;
            }
            let address =
                (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()).collect::<Option<Vec<u8>>>()?;
            Some(LinkGroup {
                index: index.parse().ok()?,
                dev: (*dev).to_string(),
                users: users.parse().ok()?,
                is_static: global.parse::<u32>().ok()? > 0,
                address,
            })
        })
        .collect()
}

fn here_or_in<T: Send + 'static>(ns: Option<&NetnsRef>, f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    match ns {
        Some(ns) => netns::run_in(ns, f),
        None => f(),
    }
}

/// Every link-layer group of the namespace's devices.
pub fn list(ns: Option<&NetnsRef>) -> Result<Vec<LinkGroup>> {
    // thread-self: the namespace of the thread reading, which is the one entered.
    here_or_in(ns, || std::fs::read_to_string("/proc/thread-self/net/dev_mcast").map(|t| parse(&t)).map_err(|e| Error::io(&e)))
}

/// Joins (`add`) or leaves a group on a device given by name, or by index when `name` is None.
/// The kernel's refusal (ENODEV, ENOENT for a group not joined, EINVAL) is an error of its own.
pub fn modify(ns: Option<&NetnsRef>, name: Option<String>, index: u32, address: Vec<u8>, add: bool) -> Result<String> {
    here_or_in(ns, move || {
        sys::link_multicast(name.as_deref(), index, &address, add)
            .map_err(|e| Error::new(ErrorKind::Kernel, e.raw_os_error().unwrap_or(libc::EIO), None))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dev_mcast_and_skips_what_is_not_a_line_of_it() {
        let t = "4    v0              1     0     333300000001\n4    v0              1     1     333300001234\n\
                 x y\n5 v1 1 0 3g\n6 v2 1 0 012\n";
        let g = parse(t);
        assert_eq!(g.len(), 2);
        assert_eq!(g[1], LinkGroup { index: 4, dev: "v0".into(), users: 1, is_static: true, address: vec![0x33, 0x33, 0, 0, 0x12, 0x34] });
        assert!(!g[0].is_static);
    }

    #[test]
    fn refusals_before_the_kernel() {
        let e = modify(None, Some("x".repeat(16)), 0, vec![1], true).unwrap_err();
        assert_eq!(e.errno, libc::EINVAL);
        let e = modify(None, Some("lo".into()), 0, vec![0; 15], true).unwrap_err();
        assert_eq!(e.errno, libc::EINVAL);
    }
}
