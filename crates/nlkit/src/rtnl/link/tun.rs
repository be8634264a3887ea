//! tun/tap devices. The kernel makes these only through `/dev/net/tun` (ioctl TUNSETIFF), not
//! RTM_NEWLINK; once made they are ordinary links, reported with kind "tun" (tap included) and
//! decoded by the `tun` link kind (`mode`, `owner`, `group`, `persist`, `multiQueue`, `pi`,
//! `vnetHdr`), and deleted with [`super::del`] like any other.

use std::os::fd::OwnedFd;

use crate::error::Error;
use crate::netns::{self, NetnsRef};
use crate::sys;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TunMode {
    /// Layer 3: IP packets (IFF_TUN).
    #[default]
    Tun,
    /// Layer 2: Ethernet frames (IFF_TAP).
    Tap,
}

/// What `ip tuntap add` takes. Devices are made without the packet-information header
/// (IFF_NO_PI).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TunSpec {
    /// Empty: the kernel picks `tunN` / `tapN`.
    pub name: String,
    pub mode: TunMode,
    /// IFF_MULTI_QUEUE: more queues can be attached by opening the device again.
    pub multi_queue: bool,
    /// Outlive the returned descriptor (TUNSETPERSIST). Without it the device goes away when
    /// the descriptor is closed.
    pub persist: bool,
    /// Only this user (TUNSETOWNER) may attach.
    pub owner: Option<u32>,
    /// Only this group (TUNSETGROUP) may attach.
    pub group: Option<u32>,
}

/// The kernel's rule for interface names (`dev_valid_name`); empty is allowed here (the
/// kernel picks one).
fn check_name(name: &str) -> Result<(), Error> {
    let bad = name.len() >= libc::IFNAMSIZ
        || name == "."
        || name == ".."
        || name.bytes().any(|c| c == b'/' || c == b':' || c == 0 || c.is_ascii_whitespace());
    if bad {
        return Err(Error::invalid(format!("invalid interface name {name:?}")));
    }
    Ok(())
}

/// Creates the device in the calling thread's network namespace and returns its first queue
/// (keep it open to use the device; close it to drop a non-persistent one). If a persistent
/// device of that name and mode exists and may be used, it is attached to instead, as
/// `ip tuntap add` does.
pub fn create(spec: &TunSpec) -> Result<OwnedFd, Error> {
    check_name(&spec.name)?;
    sys::tun_create(&spec.name, spec.mode == TunMode::Tap, spec.multi_queue, spec.persist, spec.owner, spec.group).map_err(|e| {
        let mut err = Error::io(&e);
        if e.raw_os_error() == Some(libc::EINVAL) {
            err.detail = Some("refused: a device of that name exists with another mode or flags, or owner/group is invalid".into());
        }
        err
    })
}

/// [`create`] inside namespace `ns` (on a short-lived helper thread; the caller's thread never
/// moves), or in the calling thread's namespace when `ns` is `None`. The descriptor keeps
/// working wherever it is used.
pub fn create_in(ns: Option<&NetnsRef>, spec: &TunSpec) -> Result<OwnedFd, Error> {
    match ns {
        None => create(spec),
        Some(ns) => {
            let spec = spec.clone();
            netns::run_in(ns, move || create(&spec))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked_before_any_syscall() {
        for bad in ["a/b", "eth 0", "x:1", ".", "..", "sixteen-chars-xx", "nul\0"] {
            let spec = TunSpec { name: bad.into(), ..Default::default() };
            let e = create(&spec).unwrap_err();
            assert_eq!(e.errno, libc::EINVAL, "{bad:?}");
        }
    }

    /// The ioctl numbers libc gives are the ones in <linux/if_tun.h>: _IOW('T', nr, int).
    #[test]
    #[cfg(any(target_arch = "x86_64", target_arch = "x86", target_arch = "aarch64", target_arch = "arm", target_arch = "riscv64"))]
    fn ioctl_numbers() {
        assert_eq!(libc::TUNSETIFF, 0x4004_54ca);
        assert_eq!(libc::TUNSETPERSIST, 0x4004_54cb);
        assert_eq!(libc::TUNSETOWNER, 0x4004_54cc);
        assert_eq!(libc::TUNSETGROUP, 0x4004_54ce);
        assert_eq!((libc::IFF_TUN, libc::IFF_TAP, libc::IFF_NO_PI, libc::IFF_MULTI_QUEUE), (1, 2, 0x1000, 0x100));
    }
}
