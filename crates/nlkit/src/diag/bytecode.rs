//! inet_diag filters as the kernel runs them (INET_DIAG_REQ_BYTECODE), compiled the way
//! iproute2's `ss` compiles its filter expressions (misc/ss.c `ssfilter_bytecompile`), so a
//! filter here sends the same bytes as the `ss` expression it corresponds to.
//!
//! The program is a list of 4-byte ops `{code, yes: u8, no: u16}` with arguments: a condition
//! that holds goes on to the op `yes` bytes ahead, one that fails jumps `no` bytes ahead. Running
//! off the end exactly accepts the socket; landing 4 bytes past it rejects it.

use std::net::IpAddr;

use crate::error::{Error, Result};

pub const INET_DIAG_BC_JMP: u8 = 1;
pub const INET_DIAG_BC_S_GE: u8 = 2;
pub const INET_DIAG_BC_S_LE: u8 = 3;
pub const INET_DIAG_BC_D_GE: u8 = 4;
pub const INET_DIAG_BC_D_LE: u8 = 5;
pub const INET_DIAG_BC_AUTO: u8 = 6;
pub const INET_DIAG_BC_S_COND: u8 = 7;
pub const INET_DIAG_BC_D_COND: u8 = 8;

/// Longest program accepted: jumps are u16 and the attribute carrying it is too.
const MAX_LEN: usize = 32 * 1024;

/// An address condition (struct inet_diag_hostcond): a prefix and/or a port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostCond {
    /// `None`: any address (family AF_UNSPEC, as `ss 'sport = :80'`).
    pub prefix: Option<(IpAddr, u8)>,
    /// `None`: any port (-1 on the wire).
    pub port: Option<u16>,
}

impl HostCond {
    /// `ADDR` or `ADDR/LEN` (IPv4 or IPv6).
    pub fn parse_prefix(s: &str) -> Result<HostCond> {
        let (a, len) = match s.split_once('/') {
            Some((a, l)) => (a, Some(l)),
            None => (s, None),
        };
        let addr: IpAddr = a.parse().map_err(|_| Error::invalid(format!("{s:?} is not an IP address or prefix")))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let len = match len {
            None => max,
            Some(l) => l
                .parse::<u8>()
                .ok()
                .filter(|n| *n <= max)
                .ok_or_else(|| Error::invalid(format!("{s:?}: prefix length must be 0 to {max}")))?,
        };
        Ok(HostCond { prefix: Some((addr, len)), port: None })
    }

    pub fn port(port: u16) -> HostCond {
        HostCond { prefix: None, port: Some(port) }
    }
}

/// A filter expression (ss's `struct ssfilter`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// Local address/port (`src`, `sport =`).
    Src(HostCond),
    /// Remote address/port (`dst`, `dport =`).
    Dst(HostCond),
    SportGe(u16),
    SportLe(u16),
    DportGe(u16),
    DportLe(u16),
    /// Sockets bound to an automatically chosen local port (`autobound`).
    Auto,
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
}

impl Expr {
    pub fn and(self, b: Expr) -> Expr {
        Expr::And(Box::new(self), Box::new(b))
    }
    pub fn or(self, b: Expr) -> Expr {
        Expr::Or(Box::new(self), Box::new(b))
    }
    pub fn negate(self) -> Expr {
        Expr::Not(Box::new(self))
    }
}

fn op(out: &mut Vec<u8>, code: u8, yes: u8, no: u16) {
    out.extend_from_slice(&[code, yes]);
    out.extend_from_slice(&no.to_ne_bytes());
}

fn host(out: &mut Vec<u8>, code: u8, c: &HostCond) {
    // ss sends 4 address bytes for anything but IPv6 (zeros when there is no address).
    let (family, plen, addr): (u8, u8, Vec<u8>) = match c.prefix {
        None => (0, 0, vec![0; 4]),
        Some((IpAddr::V4(a), l)) => (libc::AF_INET as u8, l, a.octets().to_vec()),
        Some((IpAddr::V6(a), l)) => (libc::AF_INET6 as u8, l, a.octets().to_vec()),
    };
    let oplen = 4 + 8 + addr.len();
    op(out, code, oplen as u8, oplen as u16 + 4);
    out.extend_from_slice(&[family, plen, 0, 0]);
    out.extend_from_slice(&c.port.map_or(-1i32, i32::from).to_ne_bytes());
    out.extend_from_slice(&addr);
}

fn port(out: &mut Vec<u8>, code: u8, p: u16) {
    op(out, code, 8, 12);
    op(out, 0, 0, p);
}

/// Jumps of `a` to its own reject point (4 past its end) are moved `reloc` further, past the
/// code appended after it (ss's `ssfilter_patch`).
fn patch(a: &mut [u8], reloc: usize) {
    let mut at = 0;
    while at + 4 <= a.len() {
        let len = a.len() - at;
        let yes = a[at + 1] as usize;
        let no = u16::from_ne_bytes([a[at + 2], a[at + 3]]) as usize;
        if no == len + 4 {
            a[at + 2..at + 4].copy_from_slice(&((no + reloc) as u16).to_ne_bytes());
        }
        if yes == 0 {
            break;
        }
        at += yes;
    }
}

fn compile_into(e: &Expr, out: &mut Vec<u8>) {
    match e {
        Expr::Src(c) => host(out, INET_DIAG_BC_S_COND, c),
        Expr::Dst(c) => host(out, INET_DIAG_BC_D_COND, c),
        Expr::SportGe(p) => port(out, INET_DIAG_BC_S_GE, *p),
        Expr::SportLe(p) => port(out, INET_DIAG_BC_S_LE, *p),
        Expr::DportGe(p) => port(out, INET_DIAG_BC_D_GE, *p),
        Expr::DportLe(p) => port(out, INET_DIAG_BC_D_LE, *p),
        Expr::Auto => op(out, INET_DIAG_BC_AUTO, 4, 8),
        Expr::And(a, b) => {
            let mut a1 = Vec::new();
            compile_into(a, &mut a1);
            let mut b1 = Vec::new();
            compile_into(b, &mut b1);
            patch(&mut a1, b1.len());
            out.extend_from_slice(&a1);
            out.extend_from_slice(&b1);
        }
        Expr::Or(a, b) => {
            compile_into(a, out);
            let mut b1 = Vec::new();
            compile_into(b, &mut b1);
            op(out, INET_DIAG_BC_JMP, 4, (b1.len() + 4) as u16);
            out.extend_from_slice(&b1);
        }
        Expr::Not(a) => {
            compile_into(a, out);
            op(out, INET_DIAG_BC_JMP, 4, 8);
        }
    }
}

/// The program for `e`; too long a filter (past 32 KiB of bytecode) is refused.
pub fn compile(e: &Expr) -> Result<Vec<u8>> {
    // Count first: the jumps are u16, so never build a program whose offsets would wrap.
    fn size(e: &Expr) -> usize {
        match e {
            Expr::Src(c) | Expr::Dst(c) => 12 + if matches!(c.prefix, Some((IpAddr::V6(_), _))) { 16 } else { 4 },
            Expr::SportGe(_) | Expr::SportLe(_) | Expr::DportGe(_) | Expr::DportLe(_) => 8,
            Expr::Auto => 4,
            Expr::And(a, b) => size(a).saturating_add(size(b)),
            Expr::Or(a, b) => size(a).saturating_add(size(b)).saturating_add(4),
            Expr::Not(a) => size(a).saturating_add(4),
        }
    }
    if size(e) > MAX_LEN {
        return Err(Error::invalid("socket filter too long"));
    }
    let mut out = Vec::with_capacity(size(e));
    compile_into(e, &mut out);
    Ok(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn src(s: &str) -> Expr {
        Expr::Src(HostCond::parse_prefix(s).unwrap())
    }
    fn dst(s: &str) -> Expr {
        Expr::Dst(HostCond::parse_prefix(s).unwrap())
    }

    /// The ss expressions of testdata/ss-requests.txt, as trees.
    pub(crate) fn ss_cases() -> Vec<(&'static str, Expr)> {
        let sp = |p| Expr::Src(HostCond::port(p));
        let dp = |p| Expr::Dst(HostCond::port(p));
        vec![
            ("sport = :8080", sp(8080)),
            ("dport = :443", dp(443)),
            ("( sport >= :1000 and sport <= :2000 )", Expr::SportGe(1000).and(Expr::SportLe(2000))),
            ("dst 10.181.0.0/16", dst("10.181.0.0/16")),
            ("sport = :80 and dport = :5000", sp(80).and(dp(5000))),
            ("sport != :22", sp(22).negate()),
            ("src [2001:db8:181::1]", src("2001:db8:181::1")),
            ("dst 10.181.0.0/16 or dst 10.182.0.0/16", dst("10.181.0.0/16").or(dst("10.182.0.0/16"))),
            ("not ( sport = :1 or sport = :2 )", sp(1).or(sp(2)).negate()),
        ]
    }

    /// Runs a program the way net/ipv4/inet_diag.c `inet_diag_bc_run` does, for ports only.
    fn run(bc: &[u8], sport: u16, dport: u16) -> bool {
        let mut at = 0usize;
        let mut len = bc.len() as isize;
        while len > 0 {
            let (code, yes, no) = (bc[at], bc[at + 1] as usize, u16::from_ne_bytes([bc[at + 2], bc[at + 3]]) as usize);
            let ok = match code {
                INET_DIAG_BC_JMP => false,
                INET_DIAG_BC_S_GE => sport >= u16::from_ne_bytes([bc[at + 6], bc[at + 7]]),
                INET_DIAG_BC_S_LE => sport <= u16::from_ne_bytes([bc[at + 6], bc[at + 7]]),
                INET_DIAG_BC_D_GE => dport >= u16::from_ne_bytes([bc[at + 6], bc[at + 7]]),
                INET_DIAG_BC_D_LE => dport <= u16::from_ne_bytes([bc[at + 6], bc[at + 7]]),
                INET_DIAG_BC_S_COND | INET_DIAG_BC_D_COND => {
                    let p = i32::from_ne_bytes(bc[at + 8..at + 12].try_into().unwrap());
                    let mine = if code == INET_DIAG_BC_S_COND { sport } else { dport };
                    p == -1 || p == i32::from(mine)
                }
                _ => panic!("op {code}"),
            };
            let step = if ok { yes } else { no };
            at += step;
            len -= step as isize;
        }
        len == 0
    }

    #[test]
    fn programs_behave_like_the_kernel_runs_them() {
        let sp = |p| Expr::Src(HostCond::port(p));
        let e = sp(1).or(sp(2)).negate().and(Expr::DportGe(10));
        let bc = compile(&e).unwrap();
        assert!(!run(&bc, 1, 20) && !run(&bc, 2, 20) && !run(&bc, 3, 5) && run(&bc, 3, 20));
        let e = Expr::SportGe(1000).and(Expr::SportLe(2000)).or(sp(7));
        let bc = compile(&e).unwrap();
        assert!(run(&bc, 1500, 0) && run(&bc, 7, 0) && !run(&bc, 999, 0) && !run(&bc, 2001, 0));
    }

    #[test]
    fn prefixes_parse_and_refuse_junk() {
        assert_eq!(HostCond::parse_prefix("10.1.0.0/16").unwrap().prefix, Some(("10.1.0.0".parse().unwrap(), 16)));
        assert_eq!(HostCond::parse_prefix("::1").unwrap().prefix, Some(("::1".parse().unwrap(), 128)));
        for bad in ["10.1.0.0/33", "10.1/8", "x", "::1/129", "1.2.3.4/"] {
            assert!(HostCond::parse_prefix(bad).is_err(), "{bad}");
        }
        let mut e = Expr::Auto;
        for _ in 0..2000 {
            e = e.or(src("2001:db8::1"));
        }
        assert!(compile(&e).is_err());
    }
}
