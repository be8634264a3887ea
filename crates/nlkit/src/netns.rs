//! Network namespaces: name them the way `ip netns` does (a bind mount under /run/netns), and
//! open sockets inside one. A socket keeps the namespace it was created in, so only a short-lived
//! helper thread ever changes namespace; no caller's thread (Node's, libuv's) does.

use std::fs::{self, OpenOptions};
use std::io;
use std::os::fd::{OwnedFd, RawFd};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::sys;

/// Where `ip netns` keeps named namespaces.
pub const NETNS_RUN_DIR: &str = "/run/netns";

/// A network namespace: by name (under /run/netns), by path (`/proc/PID/ns/net`, a bind mount),
/// by process id, or by an open descriptor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetnsRef {
    Name(String),
    Path(PathBuf),
    Pid(u32),
    Fd(RawFd),
}

fn invalid(what: &str) -> Error {
    Error::invalid(what.to_string())
}

/// A valid `ip netns` name: a single path component.
pub fn check_name(name: &str) -> Result<()> {
    if name.is_empty() || name == "." || name == ".." || name.contains('/') || name.contains('\0') || name.len() > 255 {
        return Err(invalid("invalid network namespace name"));
    }
    Ok(())
}

impl NetnsRef {
    /// How a person would name it: `blue`, `/proc/42/ns/net`, `pid 42`, `fd 3`.
    pub fn describe(&self) -> String {
        match self {
            NetnsRef::Name(n) => n.clone(),
            NetnsRef::Path(p) => p.display().to_string(),
            NetnsRef::Pid(p) => format!("pid {p}"),
            NetnsRef::Fd(f) => format!("fd {f}"),
        }
    }

    /// Opens the namespace file (O_RDONLY|O_CLOEXEC|O_NONBLOCK: a FIFO or a device at the path
    /// must not block the caller, which may be Node's main thread) and checks that it is a
    /// network namespace. For `Fd`, a duplicate of the caller's descriptor, checked alike.
    pub fn open(&self) -> Result<OwnedFd> {
        let fd = self.open_file()?;
        match sys::ns_type(&fd) {
            Ok(libc::CLONE_NEWNET) => Ok(fd),
            Ok(_) => Err(Error::invalid(format!("{} is a namespace, but not a network namespace", self.describe()))),
            Err(_) => Err(Error::invalid(format!("{} is not a network namespace", self.describe()))),
        }
    }

    fn open_file(&self) -> Result<OwnedFd> {
        let path = match self {
            NetnsRef::Name(n) => {
                check_name(n)?;
                Path::new(NETNS_RUN_DIR).join(n)
            }
            NetnsRef::Path(p) => p.clone(),
            NetnsRef::Pid(pid) => PathBuf::from(format!("/proc/{pid}/ns/net")),
            // A duplicate: the caller keeps (and closes) its own descriptor.
            NetnsRef::Fd(fd) => return sys::dup_fd(*fd).map_err(|e| Error::io(&e)),
        };
        OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_CLOEXEC)
            .open(&path)
            .map(OwnedFd::from)
            .map_err(|e| Error::io(&e))
    }
}

/// Runs `f` on a new thread that first enters the namespace; the caller's thread never moves.
pub fn run_in<T: Send + 'static>(ns: &NetnsRef, f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    let fd = ns.open()?;
    std::thread::Builder::new()
        .name("nlkit-netns".into())
        .spawn(move || {
            sys::setns_net(&fd).map_err(|e| Error::io(&e))?;
            f()
        })
        .map_err(|e| Error::io(&e))?
        .join()
        .unwrap_or_else(|_| Err(Error::protocol("namespace helper thread panicked")))
}

/// Creates a named namespace, as `ip netns add NAME` does: a new namespace bind-mounted on
/// /run/netns/NAME (with /run/netns made a shared mount, so `ip netns` sees it too).
pub fn create(name: &str) -> Result<()> {
    check_name(name)?;
    let dir = Path::new(NETNS_RUN_DIR);
    fs::create_dir_all(dir).map_err(|e| Error::io(&e))?;
    if let Err(e) = sys::mount_make_shared(dir) {
        if e.raw_os_error() != Some(libc::EINVAL) {
            return Err(Error::io(&e));
        }
        // Not a mount point yet: make it one, then shared.
        sys::mount_bind(dir, dir, true).map_err(|e| Error::io(&e))?;
        sys::mount_make_shared(dir).map_err(|e| Error::io(&e))?;
    }
    let path = dir.join(name);
    OpenOptions::new().read(true).write(true).create_new(true).mode(0o000).open(&path).map_err(|e| Error::io(&e))?;
    let target = path.clone();
    let made = std::thread::Builder::new()
        .name("nlkit-netns".into())
        .spawn(move || -> io::Result<()> {
            sys::unshare_netns_thread()?;
            sys::mount_bind(Path::new("/proc/thread-self/ns/net"), &target, false)
        })
        .map_err(|e| Error::io(&e))?
        .join()
        .unwrap_or_else(|_| Err(io::Error::from_raw_os_error(libc::EIO)));
    if let Err(e) = made {
        let _ = fs::remove_file(&path);
        return Err(Error::io(&e));
    }
    Ok(())
}

/// Deletes a named namespace (`ip netns delete NAME`): it lives on while something still uses it.
pub fn delete(name: &str) -> Result<()> {
    check_name(name)?;
    let path = Path::new(NETNS_RUN_DIR).join(name);
    if !path.exists() {
        return Err(Error::io(&io::Error::from_raw_os_error(libc::ENOENT)));
    }
    if let Err(e) = sys::umount_detach(&path) {
        // EINVAL: not mounted (a stale file); remove it all the same.
        if e.raw_os_error() != Some(libc::EINVAL) {
            return Err(Error::io(&e));
        }
    }
    fs::remove_file(&path).map_err(|e| Error::io(&e))
}

/// Named namespaces (`ip netns list`), sorted.
pub fn list() -> Result<Vec<String>> {
    let mut out = Vec::new();
    match fs::read_dir(NETNS_RUN_DIR) {
        Ok(rd) => {
            for e in rd.flatten() {
                if let Some(n) = e.file_name().to_str() {
                    out.push(n.to_string());
                }
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io(&e)),
    }
    out.sort();
    Ok(out)
}
