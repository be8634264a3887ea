//! The only module with `unsafe`: thin, checked wrappers over the few syscalls nlkit needs.
//! Everything returns `io::Result` and owns its file descriptors.

use std::io;
use std::mem;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::time::Duration;

fn cvt(ret: libc::c_int) -> io::Result<libc::c_int> {
    if ret < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(ret)
    }
}

fn cvt_size(ret: libc::ssize_t) -> io::Result<usize> {
    if ret < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(ret as usize)
    }
}

/// A bound `AF_NETLINK` socket (non-blocking, close-on-exec).
#[derive(Debug)]
pub struct NetlinkSocket {
    fd: OwnedFd,
    port: u32,
}

impl NetlinkSocket {
    /// Opens and binds a socket of `protocol` (e.g. `libc::NETLINK_ROUTE`); the kernel picks the port id.
    pub fn open(protocol: libc::c_int) -> io::Result<Self> {
        // SAFETY: plain syscall; the returned descriptor is owned immediately.
        let raw = cvt(unsafe { libc::socket(libc::AF_NETLINK, libc::SOCK_RAW | libc::SOCK_CLOEXEC | libc::SOCK_NONBLOCK, protocol) })?;
        // SAFETY: `raw` is a fresh descriptor nobody else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(raw) };
        let mut addr = sockaddr_nl(0);
        // SAFETY: addr is a valid sockaddr_nl of the given length.
        cvt(unsafe {
            libc::bind(
                raw,
                &addr as *const libc::sockaddr_nl as *const libc::sockaddr,
                mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t,
            )
        })?;
        let mut len = mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t;
        // SAFETY: addr/len describe a writable sockaddr_nl.
        cvt(unsafe { libc::getsockname(raw, &mut addr as *mut libc::sockaddr_nl as *mut libc::sockaddr, &mut len) })?;
        Ok(NetlinkSocket { fd, port: addr.nl_pid })
    }

    /// The port id the kernel assigned (the `nlmsg_pid` of our requests).
    pub fn port(&self) -> u32 {
        self.port
    }

    /// Sets an integer socket option at level `SOL_NETLINK`/`SOL_SOCKET`.
    pub fn set_int_opt(&self, level: libc::c_int, name: libc::c_int, value: libc::c_int) -> io::Result<()> {
        // SAFETY: value is a valid c_int for the duration of the call.
        cvt(unsafe {
            libc::setsockopt(
                self.fd.as_raw_fd(),
                level,
                name,
                &value as *const libc::c_int as *const libc::c_void,
                mem::size_of::<libc::c_int>() as libc::socklen_t,
            )
        })
        .map(|_| ())
    }

    /// Connects the socket to the kernel (port 0). The kernel then refuses unicasts to it from
    /// any other socket (ECONNREFUSED to the sender), so no local process, privileged or not,
    /// can queue forged replies here or fill the receive buffer; multicast is unaffected.
    pub fn connect_to_kernel(&self) -> io::Result<()> {
        let addr = sockaddr_nl(0);
        // SAFETY: addr is a valid sockaddr_nl of the given length.
        cvt(unsafe {
            libc::connect(
                self.fd.as_raw_fd(),
                &addr as *const libc::sockaddr_nl as *const libc::sockaddr,
                mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t,
            )
        })
        .map(|_| ())
    }

    /// Joins a multicast group (`NETLINK_ADD_MEMBERSHIP`).
    pub fn add_membership(&self, group: u32) -> io::Result<()> {
        self.set_int_opt(libc::SOL_NETLINK, libc::NETLINK_ADD_MEMBERSHIP, group as libc::c_int)
    }

    /// Sends one datagram (possibly several netlink messages) to the kernel.
    pub fn send_to_kernel(&self, buf: &[u8]) -> io::Result<usize> {
        let addr = sockaddr_nl(0);
        loop {
            // SAFETY: buf and addr are valid for the given lengths.
            let r = cvt_size(unsafe {
                libc::sendto(
                    self.fd.as_raw_fd(),
                    buf.as_ptr() as *const libc::c_void,
                    buf.len(),
                    0,
                    &addr as *const libc::sockaddr_nl as *const libc::sockaddr,
                    mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t,
                )
            });
            match r {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                other => return other,
            }
        }
    }

    /// One `recvfrom` (retried on EINTR): the datagram's real length (with `MSG_TRUNC`, even
    /// when longer than `buf`) and the sender's port. `WouldBlock` when nothing is queued.
    fn recv_from(&self, buf: &mut [u8], flags: libc::c_int) -> io::Result<(usize, u32)> {
        loop {
            let mut addr = sockaddr_nl(0);
            let mut alen = mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t;
            // SAFETY: buf has buf.len() writable bytes; addr/alen describe a writable sockaddr_nl.
            let got = cvt_size(unsafe {
                libc::recvfrom(
                    self.fd.as_raw_fd(),
                    buf.as_mut_ptr() as *mut libc::c_void,
                    buf.len(),
                    flags,
                    &mut addr as *mut libc::sockaddr_nl as *mut libc::sockaddr,
                    &mut alen,
                )
            });
            match got {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
                Ok(n) => return Ok((n, addr.nl_pid)),
            }
        }
    }

    /// Receives one whole datagram into `buf`, growing it as needed: the size is learned first
    /// with `MSG_PEEK | MSG_TRUNC`, so nothing is ever cut. Returns the length and the sender's port.
    /// `WouldBlock` when nothing is queued.
    pub fn recv_datagram(&self, buf: &mut Vec<u8>) -> io::Result<(usize, u32)> {
        let (want, _) = self.recv_from(buf, libc::MSG_PEEK | libc::MSG_TRUNC)?;
        if want > buf.len() {
            buf.resize(want.next_power_of_two(), 0);
        }
        let (n, pid) = self.recv_from(buf, libc::MSG_TRUNC)?;
        if n > buf.len() {
            // Only possible if the queue head changed between peek and read (another reader);
            // report instead of handing on a cut datagram.
            return Err(io::Error::from_raw_os_error(libc::EMSGSIZE));
        }
        Ok((n, pid))
    }

    /// Receives one datagram in one read, without peeking: `(len, sender, cut)`. A datagram
    /// longer than the buffer is cut: `cut` is true and `buf` holds its first `len` bytes (its
    /// first header intact, the rest lost); the buffer then grows to fit it for the next read.
    pub fn recv_growing(&self, buf: &mut Vec<u8>) -> io::Result<(usize, u32, bool)> {
        let (n, pid) = self.recv_from(buf, libc::MSG_TRUNC)?;
        if n > buf.len() {
            let have = buf.len();
            buf.resize(n.next_power_of_two(), 0);
            return Ok((have, pid, true));
        }
        Ok((n, pid, false))
    }
}

impl AsRawFd for NetlinkSocket {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

fn sockaddr_nl(pid: u32) -> libc::sockaddr_nl {
    // SAFETY: sockaddr_nl is plain old data; all-zero is a valid value.
    let mut a: libc::sockaddr_nl = unsafe { mem::zeroed() };
    a.nl_family = libc::AF_NETLINK as libc::sa_family_t;
    a.nl_pid = pid;
    a
}

/// An eventfd used to wake the I/O thread.
#[derive(Debug)]
pub struct EventFd {
    fd: OwnedFd,
}

impl EventFd {
    pub fn new() -> io::Result<Self> {
        // SAFETY: plain syscall; the descriptor is owned immediately.
        let raw = cvt(unsafe { libc::eventfd(0, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK) })?;
        // SAFETY: fresh descriptor.
        Ok(EventFd { fd: unsafe { OwnedFd::from_raw_fd(raw) } })
    }

    pub fn wake(&self) {
        let one: u64 = 1;
        // SAFETY: writes 8 bytes from a valid u64. EAGAIN (counter saturated) still leaves it readable.
        unsafe { libc::write(self.fd.as_raw_fd(), &one as *const u64 as *const libc::c_void, 8) };
    }

    pub fn drain(&self) {
        let mut v: u64 = 0;
        // SAFETY: reads 8 bytes into a valid u64; EAGAIN when not signalled is fine.
        unsafe { libc::read(self.fd.as_raw_fd(), &mut v as *mut u64 as *mut libc::c_void, 8) };
    }
}

impl AsRawFd for EventFd {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

/// Which of the polled descriptors are readable.
pub fn poll_readable(fds: &[RawFd], timeout: Option<Duration>) -> io::Result<Vec<bool>> {
    let mut pfds: Vec<libc::pollfd> = fds.iter().map(|&fd| libc::pollfd { fd, events: libc::POLLIN, revents: 0 }).collect();
    let ms: libc::c_int = match timeout {
        None => -1,
        // Round up so a deadline 0.3 ms away does not spin with timeout 0.
        Some(d) => d.as_micros().div_ceil(1000).min(i32::MAX as u128) as libc::c_int,
    };
    // SAFETY: pfds is a valid array of pfds.len() pollfd structs.
    let r = unsafe { libc::poll(pfds.as_mut_ptr(), pfds.len() as libc::nfds_t, ms) };
    if r < 0 {
        let e = io::Error::last_os_error();
        if e.kind() == io::ErrorKind::Interrupted {
            return Ok(vec![false; fds.len()]);
        }
        return Err(e);
    }
    Ok(pfds.iter().map(|p| p.revents & (libc::POLLIN | libc::POLLERR | libc::POLLHUP) != 0).collect())
}

/// The C library's text for an errno ("File exists"), without Rust's " (os error N)" suffix.
pub fn strerror(errno: i32) -> String {
    let mut buf = [0 as libc::c_char; 256];
    // SAFETY: buf is writable for its length; the XSI strerror_r NUL-terminates on success.
    let r = unsafe { libc::strerror_r(errno, buf.as_mut_ptr(), buf.len()) };
    if r != 0 {
        return format!("errno {errno}");
    }
    // SAFETY: strerror_r wrote a NUL-terminated string into buf.
    unsafe { std::ffi::CStr::from_ptr(buf.as_ptr()) }.to_string_lossy().into_owned()
}

/// A connected pair of datagram sockets (for the fake kernel in tests).
pub fn socketpair_dgram() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: fds is a writable array of two ints.
    cvt(unsafe { libc::socketpair(libc::AF_UNIX, libc::SOCK_SEQPACKET | libc::SOCK_CLOEXEC | libc::SOCK_NONBLOCK, 0, fds.as_mut_ptr()) })?;
    // SAFETY: both descriptors are fresh and owned from here on.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// Plain `send`/`recv` on any socket descriptor (used by the fake-kernel transport).
pub fn send_fd(fd: RawFd, buf: &[u8]) -> io::Result<usize> {
    // SAFETY: buf is valid for buf.len() bytes.
    cvt_size(unsafe { libc::send(fd, buf.as_ptr() as *const libc::c_void, buf.len(), libc::MSG_NOSIGNAL) })
}

pub fn recv_fd(fd: RawFd, buf: &mut [u8], flags: libc::c_int) -> io::Result<usize> {
    // SAFETY: buf is writable for buf.len() bytes.
    cvt_size(unsafe { libc::recv(fd, buf.as_mut_ptr() as *mut libc::c_void, buf.len(), flags) })
}

/// Moves the calling thread (only) into a new, empty network namespace. Sockets it opens
/// afterwards live there. Needs CAP_SYS_ADMIN.
pub fn unshare_netns_thread() -> io::Result<()> {
    // SAFETY: plain syscall affecting only the calling thread's namespace membership.
    cvt(unsafe { libc::unshare(libc::CLONE_NEWNET) }).map(|_| ())
}

/// NS_GET_NSTYPE (`_IO(0xb7, 3)`): the kind of namespace an nsfs descriptor refers to.
const NS_GET_NSTYPE: libc::c_ulong = 0xb703;

/// The CLONE_NEW* type of the namespace `fd` refers to; ENOTTY (or EINVAL) when it is not a
/// namespace file at all.
pub fn ns_type(fd: &impl AsRawFd) -> io::Result<libc::c_int> {
    // SAFETY: an ioctl without an argument on a descriptor we hold.
    cvt(unsafe { libc::ioctl(fd.as_raw_fd(), NS_GET_NSTYPE as _) })
}

/// Moves the calling thread into the network namespace `fd` refers to (CAP_SYS_ADMIN).
pub fn setns_net(fd: &impl AsRawFd) -> io::Result<()> {
    // SAFETY: plain syscall on a descriptor we borrow for its duration.
    cvt(unsafe { libc::setns(fd.as_raw_fd(), libc::CLONE_NEWNET) }).map(|_| ())
}

fn cpath(p: &std::path::Path) -> io::Result<std::ffi::CString> {
    use std::os::unix::ffi::OsStrExt;
    std::ffi::CString::new(p.as_os_str().as_bytes()).map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))
}

/// `mount --bind src dst`.
pub fn mount_bind(src: &std::path::Path, dst: &std::path::Path, recursive: bool) -> io::Result<()> {
    let (s, d) = (cpath(src)?, cpath(dst)?);
    let flags = libc::MS_BIND | if recursive { libc::MS_REC } else { 0 };
    // SAFETY: valid NUL-terminated strings; no data argument.
    cvt(unsafe { libc::mount(s.as_ptr(), d.as_ptr(), c"none".as_ptr(), flags, std::ptr::null()) }).map(|_| ())
}

/// `mount --make-rshared path`.
pub fn mount_make_shared(path: &std::path::Path) -> io::Result<()> {
    let p = cpath(path)?;
    // SAFETY: valid NUL-terminated strings; no data argument.
    cvt(unsafe { libc::mount(c"".as_ptr(), p.as_ptr(), c"none".as_ptr(), libc::MS_SHARED | libc::MS_REC, std::ptr::null()) }).map(|_| ())
}

/// `umount --lazy path`.
pub fn umount_detach(path: &std::path::Path) -> io::Result<()> {
    let p = cpath(path)?;
    // SAFETY: valid NUL-terminated string.
    cvt(unsafe { libc::umount2(p.as_ptr(), libc::MNT_DETACH) }).map(|_| ())
}

/// A close-on-exec duplicate of a descriptor we do not own.
pub fn dup_fd(fd: RawFd) -> io::Result<OwnedFd> {
    // SAFETY: fcntl(F_DUPFD_CLOEXEC) creates a new descriptor, owned from here on.
    let raw = cvt(unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 0) })?;
    // SAFETY: fresh descriptor.
    Ok(unsafe { OwnedFd::from_raw_fd(raw) })
}

/// Creates a tun (`tap == false`) or tap device named `name` (empty: the kernel picks
/// `tunN`/`tapN`) by opening `/dev/net/tun` and `TUNSETIFF`, without the packet-information
/// header (`IFF_NO_PI`), with `IFF_MULTI_QUEUE` when asked; then sets the owner and group and,
/// last, persistence (so a failure before it leaves no device behind). If a persistent device
/// of that name and type exists and may be used, it is attached to instead (as
/// `ip tuntap add` does). The device lives in the calling *thread's* network namespace and,
/// unless persistent, goes away when the returned descriptor (its first queue) is closed.
/// Needs CAP_NET_ADMIN.
pub fn tun_create(name: &str, tap: bool, multi_queue: bool, persist: bool, owner: Option<u32>, group: Option<u32>) -> io::Result<OwnedFd> {
    let bytes = name.as_bytes();
    if bytes.len() >= libc::IFNAMSIZ || bytes.contains(&0) {
        return Err(io::Error::from_raw_os_error(libc::EINVAL));
    }
    // SAFETY: a valid NUL-terminated path; the descriptor is owned immediately below.
    let raw = cvt(unsafe { libc::open(c"/dev/net/tun".as_ptr(), libc::O_RDWR | libc::O_CLOEXEC) })?;
    // SAFETY: `raw` is a fresh descriptor nobody else owns.
    let fd = unsafe { OwnedFd::from_raw_fd(raw) };
    // SAFETY: ifreq is plain old data; all-zero is a valid value (and NUL-terminates the name).
    let mut ifr: libc::ifreq = unsafe { mem::zeroed() };
    for (d, s) in ifr.ifr_name.iter_mut().zip(bytes) {
        *d = *s as libc::c_char;
    }
    let mut flags = if tap { libc::IFF_TAP } else { libc::IFF_TUN } | libc::IFF_NO_PI;
    if multi_queue {
        flags |= libc::IFF_MULTI_QUEUE;
    }
    ifr.ifr_ifru.ifru_flags = flags as libc::c_short;
    // SAFETY: TUNSETIFF reads and writes one struct ifreq, which `ifr` is.
    cvt(unsafe { libc::ioctl(fd.as_raw_fd(), libc::TUNSETIFF, &mut ifr as *mut libc::ifreq) })?;
    // The other three take their argument by value.
    if let Some(uid) = owner {
        // SAFETY: plain ioctl with an integer argument on our descriptor.
        cvt(unsafe { libc::ioctl(fd.as_raw_fd(), libc::TUNSETOWNER, uid as libc::c_ulong) })?;
    }
    if let Some(gid) = group {
        // SAFETY: as above.
        cvt(unsafe { libc::ioctl(fd.as_raw_fd(), libc::TUNSETGROUP, gid as libc::c_ulong) })?;
    }
    if persist {
        // SAFETY: as above.
        cvt(unsafe { libc::ioctl(fd.as_raw_fd(), libc::TUNSETPERSIST, 1 as libc::c_ulong) })?;
    }
    Ok(fd)
}

/// Joins (`add`) or leaves a link-layer multicast group on a device of the calling thread's
/// namespace, as `ip maddr add|del LLADDR dev DEV` does (SIOCADDMULTI/SIOCDELMULTI on an
/// AF_INET datagram socket): the address is the device's address length's bytes, at most the
/// 14 of `sa_data`. The device is named, or given by index (SIOCGIFNAME first). Returns its name.
pub fn link_multicast(name: Option<&str>, index: u32, addr: &[u8], add: bool) -> io::Result<String> {
    let einval = || io::Error::from_raw_os_error(libc::EINVAL);
    // SAFETY: socket(2) with constant arguments; the descriptor is owned immediately below.
    let raw = cvt(unsafe { libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0) })?;
    // SAFETY: `raw` is a fresh descriptor nobody else owns.
    let fd = unsafe { OwnedFd::from_raw_fd(raw) };
    // SAFETY: ifreq is plain old data; all-zero is a valid value (and NUL-terminates the name).
    let mut ifr: libc::ifreq = unsafe { mem::zeroed() };
    match name {
        Some(n) => {
            let bytes = n.as_bytes();
            if bytes.is_empty() || bytes.len() >= libc::IFNAMSIZ || bytes.contains(&0) {
                return Err(einval());
            }
            for (d, s) in ifr.ifr_name.iter_mut().zip(bytes) {
                *d = *s as libc::c_char;
            }
        }
        None => {
            ifr.ifr_ifru.ifru_ifindex = i32::try_from(index).map_err(|_| einval())?;
            // SAFETY: SIOCGIFNAME reads the index and writes the name of one struct ifreq.
            cvt(unsafe { libc::ioctl(fd.as_raw_fd(), libc::SIOCGIFNAME, &mut ifr as *mut libc::ifreq) })?;
        }
    }
    let dev: Vec<u8> = ifr.ifr_name.iter().take_while(|c| **c != 0).map(|c| *c as u8).collect();
    // SAFETY: writing the union's sockaddr member of a zeroed ifreq.
    let hw = unsafe { &mut ifr.ifr_ifru.ifru_hwaddr };
    if addr.is_empty() || addr.len() > hw.sa_data.len() {
        return Err(einval());
    }
    hw.sa_family = libc::AF_UNSPEC as libc::sa_family_t;
    for (d, s) in hw.sa_data.iter_mut().zip(addr) {
        *d = *s as libc::c_char;
    }
    let req = if add { libc::SIOCADDMULTI } else { libc::SIOCDELMULTI };
    // SAFETY: SIOCADDMULTI/SIOCDELMULTI read one struct ifreq, which `ifr` is.
    cvt(unsafe { libc::ioctl(fd.as_raw_fd(), req, &mut ifr as *mut libc::ifreq) })?;
    Ok(String::from_utf8_lossy(&dev).into_owned())
}

/// Writes all of `buf` to `fd`, waiting (poll) while a non-blocking descriptor is full: for
/// trace text on stderr, which Node may have made non-blocking. Gives up on any other error.
pub fn write_all_fd(fd: RawFd, mut buf: &[u8]) -> io::Result<()> {
    while !buf.is_empty() {
        // SAFETY: buf is valid for reads of buf.len() bytes.
        let r = unsafe { libc::write(fd, buf.as_ptr().cast(), buf.len()) };
        if r >= 0 {
            buf = &buf[r as usize..];
            continue;
        }
        let e = io::Error::last_os_error();
        match e.kind() {
            io::ErrorKind::Interrupted => {}
            io::ErrorKind::WouldBlock => {
                let mut p = libc::pollfd { fd, events: libc::POLLOUT, revents: 0 };
                // SAFETY: p is one valid pollfd.
                unsafe { libc::poll(&mut p, 1, 1000) };
            }
            _ => return Err(e),
        }
    }
    Ok(())
}

extern "C" {
    // The C library's erf (libm, which std links): netem's normal table must be the one tc's
    // generator computes with it.
    #[link_name = "erf"]
    fn c_erf(x: f64) -> f64;
}

/// The error function, from the C library.
pub fn erf(x: f64) -> f64 {
    // SAFETY: a pure function of a double.
    unsafe { c_erf(x) }
}

/// Opens a BPF object pinned in a bpf filesystem (`BPF_OBJ_GET`), as `ip route ... encap bpf
/// xmit pinned PATH` does.
pub fn bpf_obj_get(path: &std::path::Path) -> io::Result<OwnedFd> {
    const BPF_OBJ_GET: libc::c_long = 7;
    let p = cpath(path)?;
    // union bpf_attr's BPF_OBJ_GET part: pathname (u64), bpf_fd, file_flags (u32 each).
    let attr: [u64; 2] = [p.as_ptr() as u64, 0];
    // SAFETY: attr is a valid, zero-padded bpf_attr prefix of the size given; the path string
    // outlives the call.
    let raw = unsafe { libc::syscall(libc::SYS_bpf, BPF_OBJ_GET, attr.as_ptr(), std::mem::size_of_val(&attr)) };
    if raw < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: a fresh descriptor, owned from here on.
    Ok(unsafe { OwnedFd::from_raw_fd(raw as RawFd) })
}
