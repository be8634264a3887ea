//! What callers hand the engine (requests) and what it hands back (completions).

use std::time::Duration;

use super::Protocol;
use crate::error::Result;
use crate::netns::NetnsRef;
use crate::trace::Tracer;

/// Caller-chosen identifier of a request, handed back with its completion.
pub type Token = u64;

/// How the kernel answers a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A change sent with NLM_F_ACK: answered by NLMSG_ERROR (0 = success); data messages
    /// before it (echoes) are ignored.
    Ack,
    /// Sent with NLM_F_ACK, and every data message before the ACK is kept (a raw request,
    /// whose reply may be any number of messages).
    Collect,
    /// A single get: answered by one data message or an NLMSG_ERROR.
    Get,
    /// A dump: NLM_F_MULTI parts until NLMSG_DONE.
    Dump,
}

/// Builds the real request once a name has been resolved to its index (or fails, e.g. when
/// the request cannot be encoded; nothing more is then sent).
pub type Then<P> = Box<dyn FnOnce(u32) -> Result<Request<P>> + Send>;

/// One encoded request (its seq and pid are stamped by the engine).
pub struct Request<P: Protocol> {
    pub bytes: Vec<u8>,
    pub mode: Mode,
    pub filter: P::Filter,
    /// For a name lookup made on behalf of another request: what to send with the index.
    pub then: Option<Then<P>>,
    /// Kept alive until the request completes (e.g. namespace fds the message refers to).
    pub keep: Option<Box<dyn Send>>,
    /// The name a `then` lookup resolves (answered from the protocol's name cache when it can be).
    pub name: Option<String>,
}

impl<P: Protocol> std::fmt::Debug for Request<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request").field("mode", &self.mode).field("len", &self.bytes.len()).field("then", &self.then.is_some()).finish()
    }
}

impl<P: Protocol> Request<P> {
    pub fn new(bytes: Vec<u8>, mode: Mode, filter: P::Filter) -> Self {
        Request { bytes, mode, filter, then: None, keep: None, name: None }
    }
    pub fn ack(bytes: Vec<u8>) -> Self {
        Request::new(bytes, Mode::Ack, P::Filter::default())
    }
    pub fn get(bytes: Vec<u8>) -> Self {
        Request::new(bytes, Mode::Get, P::Filter::default())
    }
    pub fn dump(bytes: Vec<u8>, filter: P::Filter) -> Self {
        Request::new(bytes, Mode::Dump, filter)
    }

    /// Sends `lookup` (a get whose reply names an index, see [`Protocol::resolved_index`]) on
    /// this same socket, so it is right in whatever namespace the socket lives, or answers it
    /// from the protocol's name cache; then sends `build(index)` under the same token and
    /// deadline, without a round trip through the caller. A lookup naming nothing fails with
    /// ENODEV.
    pub fn after_lookup(lookup: Vec<u8>, name: &str, build: impl FnOnce(u32) -> Result<Request<P>> + Send + 'static) -> Self {
        let mut r = Request::get(lookup);
        r.then = Some(Box::new(build));
        r.name = Some(name.to_string());
        r
    }
}

/// A finished request: the objects of its reply (empty for an ACK) or the error.
#[derive(Debug)]
pub struct Done<O> {
    pub token: Token,
    pub result: Result<Vec<O>>,
    /// What this completion is: the last one of its request, or a part of a large dump.
    pub part: Part,
    /// A dump's completion: handed over only by the I/O thread, so a consumer sees a dump's
    /// parts in order (a caller collecting replies itself leaves these alone).
    pub ordered: bool,
}

/// Large dumps are handed over in parts as they arrive, so the consumer can work on one part
/// while the engine reads the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The request is complete (its result, or the rest of a dump's objects).
    Last,
    /// More objects of the same dump follow.
    More,
    /// Discard the parts delivered so far: the dump restarts (it was interrupted).
    Restart,
}

impl<O> Done<O> {
    pub fn new(token: Token, result: Result<Vec<O>>) -> Self {
        Done { token, result, part: Part::Last, ordered: false }
    }
}

/// Receives completions, in batches. Called on the I/O thread, and on a submitting thread for
/// requests refused at submission; it must not block for long.
pub trait Completer<O>: Send + Sync + 'static {
    fn complete(&self, done: Vec<Done<O>>);
}

/// Engine settings.
#[derive(Debug, Clone)]
pub struct Options {
    /// Deadline of a request that does not set its own.
    pub timeout: Duration,
    /// Requests sent but not yet answered; more wait in a queue. Bounds how many ACKs can pile
    /// up in the socket's receive buffer (an ACK lost to a full buffer cannot be recovered).
    pub max_in_flight: usize,
    /// Requests waiting to be sent; past this a submission fails with EAGAIN.
    pub max_queued: usize,
    /// How often an interrupted dump (NLM_F_DUMP_INTR) is retried before it fails.
    pub dump_retries: u32,
    /// SO_RCVBUF(FORCE) for the socket, bytes.
    pub rcvbuf: usize,
    /// Initial size of the buffer replies are read into (it grows when one does not fit).
    pub recv_buf: usize,
    /// The network namespace to talk to (default: the caller's).
    pub netns: Option<NetnsRef>,
    /// Remember names resolved for requests, where the protocol keeps a cache (see
    /// [`Protocol::open_names`]).
    pub name_cache: bool,
    /// Prints every datagram sent and received (see [`crate::trace`]); `None` costs nothing.
    pub trace: Option<Tracer>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timeout: Duration::from_millis(5000),
            max_in_flight: 512,
            max_queued: 1 << 20,
            dump_retries: 10,
            rcvbuf: 4 << 20,
            recv_buf: 256 * 1024,
            netns: None,
            name_cache: true,
            trace: None,
        }
    }
}
