//! The error every nlkit operation returns: an errno (the kernel's or our own), the kernel's
//! extended-ACK text when given, and what kind of failure it was.

use std::fmt;

use crate::sys;
use crate::wire::ErrorMsg;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The kernel answered with a negative errno.
    Kernel,
    /// No answer before the deadline (ETIMEDOUT).
    Timeout,
    /// The connection was closed while the request was in flight (ECANCELED).
    Closed,
    /// A dump stayed inconsistent (NLM_F_DUMP_INTR) after every retry (EINTR).
    DumpInterrupted,
    /// The kernel's reply could not be decoded (EPROTO).
    Protocol,
    /// A local system call failed (its errno).
    Io,
    /// Too many requests queued on this connection (EAGAIN).
    Busy,
    /// A request that cannot be encoded or an argument the core refuses (EINVAL); nothing was
    /// sent. The API layers report it as a bad argument (a RangeError), not a kernel error.
    Invalid,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    /// Positive errno.
    pub errno: i32,
    /// The kernel's extended-ACK message, or our own detail for non-kernel kinds (and for a
    /// name lookup the kernel answered without one: see `Protocol::lookup_failed`).
    pub detail: Option<String>,
    /// Extended-ACK offset of the offending attribute in the request.
    pub offset: Option<u32>,
}

impl Error {
    pub fn new(kind: ErrorKind, errno: i32, detail: impl Into<Option<String>>) -> Self {
        Error { kind, errno, detail: detail.into(), offset: None }
    }

    pub fn kernel(e: &ErrorMsg) -> Self {
        Error { kind: ErrorKind::Kernel, errno: e.errno, detail: e.ext_msg.clone(), offset: e.ext_offset }
    }

    pub fn io(e: &std::io::Error) -> Self {
        Error::new(ErrorKind::Io, e.raw_os_error().unwrap_or(libc::EIO), None)
    }

    /// A request that cannot be encoded (EINVAL); nothing was sent.
    pub fn invalid(detail: impl Into<String>) -> Self {
        Error::new(ErrorKind::Invalid, libc::EINVAL, Some(detail.into()))
    }

    pub fn timeout() -> Self {
        Error::new(ErrorKind::Timeout, libc::ETIMEDOUT, None)
    }

    pub fn closed() -> Self {
        Error::new(ErrorKind::Closed, libc::ECANCELED, Some("connection closed".into()))
    }

    pub fn protocol(what: impl fmt::Display) -> Self {
        Error::new(ErrorKind::Protocol, libc::EPROTO, Some(what.to_string()))
    }

    /// The C library's text for the errno ("File exists").
    pub fn errno_text(&self) -> String {
        sys::strerror(self.errno)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.errno_text())?;
        if let Some(d) = &self.detail {
            write!(f, ": {d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;
