//! Netlink framing: message headers, attributes (nested TLV), NLMSG_ERROR with extended ACK.
//! Every length is checked before it is trusted; nothing here panics on any input.

use std::fmt;

pub const NLMSG_HDRLEN: usize = 16;
pub const NLA_HDRLEN: usize = 4;
pub const NLA_TYPE_MASK: u16 = !(0x8000 | 0x4000); // strip NLA_F_NESTED / NLA_F_NET_BYTEORDER
pub const NLA_F_NESTED: u16 = 0x8000;

pub const NLMSG_NOOP: u16 = 1;
pub const NLMSG_ERROR: u16 = 2;
pub const NLMSG_DONE: u16 = 3;
pub const NLMSG_OVERRUN: u16 = 4;

pub const NLM_F_REQUEST: u16 = 0x01;
pub const NLM_F_MULTI: u16 = 0x02;
pub const NLM_F_ACK: u16 = 0x04;
pub const NLM_F_DUMP_INTR: u16 = 0x10;
pub const NLM_F_DUMP: u16 = 0x300;
pub const NLM_F_REPLACE: u16 = 0x100;
pub const NLM_F_EXCL: u16 = 0x200;
pub const NLM_F_CREATE: u16 = 0x400;
pub const NLM_F_APPEND: u16 = 0x800;
/// On NLMSG_ERROR: the request's payload was not copied back.
pub const NLM_F_CAPPED: u16 = 0x100;
/// On NLMSG_ERROR/NLMSG_DONE: extended-ACK attributes follow.
pub const NLM_F_ACK_TLVS: u16 = 0x200;

const NLMSGERR_ATTR_MSG: u16 = 1;
const NLMSGERR_ATTR_OFFS: u16 = 2;

#[inline]
pub const fn align4(n: usize) -> usize {
    (n + 3) & !3
}

/// A malformed message or attribute from the peer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireError(pub &'static str);

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "malformed netlink data: {}", self.0)
    }
}

impl std::error::Error for WireError {}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MsgHeader {
    pub len: u32,
    pub ty: u16,
    pub flags: u16,
    pub seq: u32,
    pub pid: u32,
}

impl MsgHeader {
    pub fn parse(b: &[u8]) -> Result<Self, WireError> {
        if b.len() < NLMSG_HDRLEN {
            return Err(WireError("short message header"));
        }
        Ok(MsgHeader { len: u32_at(b, 0), ty: u16_at(b, 4), flags: u16_at(b, 6), seq: u32_at(b, 8), pid: u32_at(b, 12) })
    }
}

/// One message inside a datagram: its header and its payload (after the 16-byte header).
#[derive(Debug, Clone, Copy)]
pub struct Message<'a> {
    pub header: MsgHeader,
    pub payload: &'a [u8],
}

/// Iterates the messages of one datagram; yields an error (and then stops) on a bad length.
pub struct Messages<'a> {
    buf: &'a [u8],
    failed: bool,
}

pub fn messages(buf: &[u8]) -> Messages<'_> {
    Messages { buf, failed: false }
}

impl<'a> Messages<'a> {
    /// What is left to read; after an error, the bytes of the message that failed.
    pub fn remaining(&self) -> &'a [u8] {
        self.buf
    }
}

impl<'a> Iterator for Messages<'a> {
    type Item = Result<Message<'a>, WireError>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.buf.is_empty() {
            return None;
        }
        let fail = |s: &mut Self, e| {
            s.failed = true;
            Some(Err(WireError(e)))
        };
        let header = match MsgHeader::parse(self.buf) {
            Ok(h) => h,
            Err(e) => return fail(self, e.0),
        };
        let len = header.len as usize;
        if len < NLMSG_HDRLEN {
            return fail(self, "message length below header size");
        }
        if len > self.buf.len() {
            return fail(self, "message length beyond datagram (truncated)");
        }
        let payload = &self.buf[NLMSG_HDRLEN..len];
        self.buf = self.buf.get(align4(len)..).unwrap_or(&[]);
        Some(Ok(Message { header, payload }))
    }
}

/// Iterates the attributes of a buffer: (type without flag bits, value).
#[derive(Clone)]
pub struct Attrs<'a> {
    buf: &'a [u8],
    failed: bool,
}

pub fn attrs(buf: &[u8]) -> Attrs<'_> {
    Attrs { buf, failed: false }
}

impl<'a> Iterator for Attrs<'a> {
    type Item = Result<(u16, &'a [u8]), WireError>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.buf.len() < NLA_HDRLEN {
            // Fewer than 4 trailing bytes is padding, not an attribute.
            return None;
        }
        let len = u16_at(self.buf, 0) as usize;
        let ty = u16_at(self.buf, 2) & NLA_TYPE_MASK;
        if len < NLA_HDRLEN || len > self.buf.len() {
            self.failed = true;
            return Some(Err(WireError("attribute length out of bounds")));
        }
        let value = &self.buf[NLA_HDRLEN..len];
        self.buf = self.buf.get(align4(len)..).unwrap_or(&[]);
        Some(Ok((ty, value)))
    }
}

/// Netlink integers are host-endian. Short input yields 0 rather than a panic (callers check
/// lengths first where 0 would be wrong).
pub fn u16_at(b: &[u8], off: usize) -> u16 {
    b.get(off..off + 2).map(|s| u16::from_ne_bytes([s[0], s[1]])).unwrap_or(0)
}

pub fn u32_at(b: &[u8], off: usize) -> u32 {
    b.get(off..off + 4).map(|s| u32::from_ne_bytes([s[0], s[1], s[2], s[3]])).unwrap_or(0)
}

pub fn attr_u8(v: &[u8]) -> Option<u8> {
    v.first().copied()
}

pub fn attr_u32(v: &[u8]) -> Option<u32> {
    (v.len() >= 4).then(|| u32_at(v, 0))
}

pub fn attr_u64(v: &[u8]) -> Option<u64> {
    v.get(..8).map(|s| u64::from_ne_bytes(s.try_into().unwrap_or([0; 8])))
}

/// A NUL-terminated (or not) string attribute.
pub fn attr_str(v: &[u8]) -> String {
    let end = v.iter().position(|&c| c == 0).unwrap_or(v.len());
    String::from_utf8_lossy(&v[..end]).into_owned()
}

/// Copies a fixed-size kernel struct, accepting it shorter (zero-filled) or longer (cut) than `N`:
/// the kernel grows structs over time and old kernels send shorter ones.
pub fn fixed<const N: usize>(b: &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    let n = b.len().min(N);
    out[..n].copy_from_slice(&b[..n]);
    out
}

/// The decoded NLMSG_ERROR (or the error part of NLMSG_DONE).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ErrorMsg {
    /// Positive errno; 0 is an ACK.
    pub errno: i32,
    /// The kernel's extended-ACK text, when it gave one.
    pub ext_msg: Option<String>,
    /// Byte offset into our request of the attribute the kernel objected to.
    pub ext_offset: Option<u32>,
}

/// Parses an NLMSG_ERROR payload: errno, the echoed request header (and payload unless capped),
/// then the extended-ACK attributes when `NLM_F_ACK_TLVS` is set.
pub fn parse_error(flags: u16, payload: &[u8]) -> Result<ErrorMsg, WireError> {
    if payload.len() < 4 {
        return Err(WireError("short NLMSG_ERROR"));
    }
    let errno = (u32_at(payload, 0) as i32).wrapping_neg();
    let mut out = ErrorMsg { errno, ..Default::default() };
    if flags & NLM_F_ACK_TLVS == 0 {
        return Ok(out);
    }
    let echoed = payload.get(4..).unwrap_or(&[]);
    let skip = if flags & NLM_F_CAPPED != 0 { NLMSG_HDRLEN } else { align4(MsgHeader::parse(echoed)?.len as usize) };
    let tlvs = echoed.get(skip..).ok_or(WireError("extended ACK beyond message"))?;
    parse_ext_ack(tlvs, &mut out);
    Ok(out)
}

/// Parses an NLMSG_DONE payload: an errno and optional extended-ACK attributes.
pub fn parse_done(flags: u16, payload: &[u8]) -> ErrorMsg {
    // Some very old kernels send DONE with an empty payload; that means success.
    let errno = (u32_at(payload, 0) as i32).wrapping_neg();
    let mut out = ErrorMsg { errno, ..Default::default() };
    if flags & NLM_F_ACK_TLVS != 0 {
        parse_ext_ack(payload.get(4..).unwrap_or(&[]), &mut out);
    }
    out
}

fn parse_ext_ack(tlvs: &[u8], out: &mut ErrorMsg) {
    for (ty, v) in attrs(tlvs).flatten() {
        match ty {
            NLMSGERR_ATTR_MSG => {
                let s = attr_str(v);
                if !s.is_empty() {
                    out.ext_msg = Some(s);
                }
            }
            NLMSGERR_ATTR_OFFS => out.ext_offset = attr_u32(v),
            _ => {}
        }
    }
}

/// Builds one netlink message: header, fixed family header, attributes (with nesting).
#[derive(Debug, Clone)]
pub struct MsgBuilder {
    buf: Vec<u8>,
}

impl MsgBuilder {
    pub fn new(ty: u16, flags: u16) -> Self {
        let mut buf = Vec::with_capacity(128);
        buf.extend_from_slice(&0u32.to_ne_bytes());
        buf.extend_from_slice(&ty.to_ne_bytes());
        buf.extend_from_slice(&(flags | NLM_F_REQUEST).to_ne_bytes());
        buf.extend_from_slice(&0u32.to_ne_bytes()); // seq: set by the engine
        buf.extend_from_slice(&0u32.to_ne_bytes()); // pid: set by the engine
        MsgBuilder { buf }
    }

    /// Appends raw bytes padded to 4 (a family header such as ifinfomsg).
    pub fn push(&mut self, bytes: &[u8]) -> &mut Self {
        self.buf.extend_from_slice(bytes);
        self.pad();
        self
    }

    fn pad(&mut self) {
        let n = align4(self.buf.len()) - self.buf.len();
        self.buf.extend(std::iter::repeat_n(0u8, n));
    }

    pub fn attr(&mut self, ty: u16, value: &[u8]) -> &mut Self {
        let len = (NLA_HDRLEN + value.len()) as u16;
        self.buf.extend_from_slice(&len.to_ne_bytes());
        self.buf.extend_from_slice(&ty.to_ne_bytes());
        self.buf.extend_from_slice(value);
        self.pad();
        self
    }

    pub fn attr_u8(&mut self, ty: u16, v: u8) -> &mut Self {
        self.attr(ty, &[v])
    }

    pub fn attr_u32(&mut self, ty: u16, v: u32) -> &mut Self {
        self.attr(ty, &v.to_ne_bytes())
    }

    /// A NUL-terminated string attribute.
    pub fn attr_str(&mut self, ty: u16, s: &str) -> &mut Self {
        let mut v = Vec::with_capacity(s.len() + 1);
        v.extend_from_slice(s.as_bytes());
        v.push(0);
        self.attr(ty, &v)
    }

    /// Opens a nested attribute; close it with [`MsgBuilder::nest_end`].
    pub fn nest_start(&mut self, ty: u16) -> usize {
        let at = self.buf.len();
        self.buf.extend_from_slice(&0u16.to_ne_bytes());
        self.buf.extend_from_slice(&(ty | NLA_F_NESTED).to_ne_bytes());
        at
    }

    /// Opens a nested attribute without NLA_F_NESTED, as iproute2's `addattr_nest` does (tc's
    /// TCA_OPTIONS): the kernel reads both, and requests stay byte-equal to tc's.
    pub fn nest_start_plain(&mut self, ty: u16) -> usize {
        let at = self.buf.len();
        self.buf.extend_from_slice(&0u16.to_ne_bytes());
        self.buf.extend_from_slice(&ty.to_ne_bytes());
        at
    }

    pub fn nest_end(&mut self, at: usize) -> &mut Self {
        let len = (self.buf.len() - at) as u16;
        self.buf[at..at + 2].copy_from_slice(&len.to_ne_bytes());
        self
    }

    /// Closes a nest, or takes it out again when nothing was written in it (iproute2 sends no
    /// empty IFLA_INFO_DATA for a kind given no settings).
    pub fn nest_end_or_drop(&mut self, at: usize) -> &mut Self {
        if self.buf.len() == at + NLA_HDRLEN {
            self.buf.truncate(at);
            return self;
        }
        self.nest_end(at)
    }

    pub fn finish(mut self) -> Vec<u8> {
        let len = self.buf.len() as u32;
        self.buf[0..4].copy_from_slice(&len.to_ne_bytes());
        self.buf
    }
}

/// Sets the sequence number and port id of an encoded message in place.
pub fn stamp(msg: &mut [u8], seq: u32, pid: u32) {
    if msg.len() >= NLMSG_HDRLEN {
        msg[8..12].copy_from_slice(&seq.to_ne_bytes());
        msg[12..16].copy_from_slice(&pid.to_ne_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_roundtrip_with_nesting() {
        let mut b = MsgBuilder::new(16, NLM_F_ACK);
        b.push(&[1, 2, 3]);
        b.attr_str(3, "eth0");
        let n = b.nest_start(18);
        b.attr_u32(1, 7);
        b.nest_end(n);
        let msg = b.finish();
        assert_eq!(msg.len() % 4, 0);
        let m: Vec<_> = messages(&msg).collect::<Result<_, _>>().unwrap();
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].header.ty, 16);
        assert_eq!(m[0].header.flags, NLM_F_ACK | NLM_F_REQUEST);
        let a: Vec<_> = attrs(&m[0].payload[4..]).collect::<Result<_, _>>().unwrap();
        assert_eq!(a[0], (3, &b"eth0\0"[..]));
        assert_eq!(a[1].0, 18);
        let inner: Vec<_> = attrs(a[1].1).collect::<Result<_, _>>().unwrap();
        assert_eq!(inner, vec![(1, &7u32.to_ne_bytes()[..])]);
    }

    #[test]
    fn bad_lengths_are_errors_not_panics() {
        // message claiming more bytes than the datagram has
        let mut msg = MsgBuilder::new(16, 0).finish();
        msg[0..4].copy_from_slice(&100u32.to_ne_bytes());
        assert!(messages(&msg).next().unwrap().is_err());
        // message length below header size
        msg[0..4].copy_from_slice(&3u32.to_ne_bytes());
        assert!(messages(&msg).next().unwrap().is_err());
        // attribute longer than its buffer, and one shorter than its header
        assert!(attrs(&[9, 0, 1, 0, 0]).next().unwrap().is_err());
        assert!(attrs(&[2, 0, 1, 0]).next().unwrap().is_err());
        // trailing padding is not an attribute
        assert!(attrs(&[0, 0]).next().is_none());
        // every prefix of a valid message parses or errors, never panics
        let mut b = MsgBuilder::new(16, 0);
        b.attr_str(3, "x").attr_u32(4, 1);
        let full = b.finish();
        for cut in 0..full.len() {
            for m in messages(&full[..cut]).flatten() {
                for _ in attrs(m.payload) {}
            }
        }
    }

    #[test]
    fn error_with_extended_ack() {
        // NLMSG_ERROR, capped, with an ACK TLV message and offset
        let mut p = Vec::new();
        p.extend_from_slice(&(-17i32).to_ne_bytes());
        p.extend_from_slice(&MsgBuilder::new(20, 0).finish()); // echoed header only
        let mut t = MsgBuilder::new(0, 0);
        t.attr_str(NLMSGERR_ATTR_MSG, "address already exists").attr_u32(NLMSGERR_ATTR_OFFS, 36);
        p.extend_from_slice(&t.finish()[NLMSG_HDRLEN..]);
        let e = parse_error(NLM_F_CAPPED | NLM_F_ACK_TLVS, &p).unwrap();
        assert_eq!(e.errno, 17);
        assert_eq!(e.ext_msg.as_deref(), Some("address already exists"));
        assert_eq!(e.ext_offset, Some(36));
        assert!(parse_error(0, &[1, 2]).is_err());
        // an uncapped echo whose header lies about its length
        let mut bad = (-1i32).to_ne_bytes().to_vec();
        bad.extend_from_slice(&[255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert!(parse_error(NLM_F_ACK_TLVS, &bad).is_err());
    }

    #[test]
    fn fixed_structs_accept_any_length() {
        assert_eq!(fixed::<4>(&[1, 2]), [1, 2, 0, 0]);
        assert_eq!(fixed::<2>(&[1, 2, 3, 4]), [1, 2]);
    }
}
