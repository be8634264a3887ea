//! WG_CMD_SET_DEVICE, split into messages the way `wg` splits them (wireguard-tools
//! ipc-linux.h `kernel_set_device`): each message at most one page (4096 bytes, wg's buffer);
//! the device's own settings in the first only; a peer that does not fit starts the next
//! message, and one whose allowed IPs do not fit is continued there (its public key again,
//! without REPLACE_ALLOWEDIPS, preshared key, endpoint or keepalive, which came already). Each
//! message must be acknowledged before the next is sent, as wg does.

use std::net::{IpAddr, SocketAddr};

use super::*;

/// wg's message budget (`mnl_ideal_socket_buffer_size()`: the page size, at most 8192).
pub const BUDGET: usize = 4096;
/// nlmsghdr + genlmsghdr, which count against the budget.
const HDR: usize = 20;

/// A device change (`wg set` / `wg setconf`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeviceSet {
    pub dev: Dev,
    pub private_key: Option<Key>,
    pub listen_port: Option<u16>,
    /// 0 removes the mark.
    pub fwmark: Option<u32>,
    /// Remove every peer not listed (`wg setconf`).
    pub replace_peers: bool,
    pub peers: Vec<PeerSet>,
}

/// One peer's change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeerSet {
    pub public_key: Key,
    /// All zeros clears it.
    pub preshared_key: Option<Key>,
    pub endpoint: Option<SocketAddr>,
    /// Seconds; 0 turns it off.
    pub persistent_keepalive: Option<u16>,
    pub allowed_ips: Vec<(IpAddr, u8)>,
    pub replace_allowed_ips: bool,
    pub remove: bool,
    /// Change the peer only if it exists (WGPEER_F_UPDATE_ONLY).
    pub update_only: bool,
}

/// A message body under construction, its length counted as the whole message's.
struct Body(Vec<u8>);

impl Body {
    fn len(&self) -> usize {
        HDR + self.0.len()
    }
    fn put(&mut self, ty: u16, v: &[u8]) {
        self.0.extend_from_slice(&((4 + v.len()) as u16).to_ne_bytes());
        self.0.extend_from_slice(&ty.to_ne_bytes());
        self.0.extend_from_slice(v);
        self.0.resize(self.0.len().next_multiple_of(4), 0);
    }
    /// mnl_attr_put_check: refused when the attribute would pass the budget.
    fn put_check(&mut self, ty: u16, v: &[u8]) -> bool {
        if self.len() + 4 + v.len().next_multiple_of(4) > BUDGET {
            return false;
        }
        self.put(ty, v);
        true
    }
    /// mnl_attr_nest_start_check (NLA_F_NESTED, as libmnl sets it).
    fn nest_check(&mut self, ty: u16) -> Option<usize> {
        if self.len() + 4 > BUDGET {
            return None;
        }
        let at = self.0.len();
        self.0.extend_from_slice(&0u16.to_ne_bytes());
        self.0.extend_from_slice(&(ty | wire::NLA_F_NESTED).to_ne_bytes());
        Some(at)
    }
    fn end(&mut self, at: usize) {
        let n = (self.0.len() - at) as u16;
        self.0[at..at + 2].copy_from_slice(&n.to_ne_bytes());
    }
    fn cancel(&mut self, at: usize) {
        self.0.truncate(at);
    }
}

pub(super) fn sockaddr(a: &SocketAddr) -> Vec<u8> {
    let mut v = Vec::with_capacity(28);
    match a {
        SocketAddr::V4(a) => {
            v.extend_from_slice(&(libc::AF_INET as u16).to_ne_bytes());
            v.extend_from_slice(&a.port().to_be_bytes());
            v.extend_from_slice(&a.ip().octets());
            v.extend_from_slice(&[0; 8]);
        }
        SocketAddr::V6(a) => {
            v.extend_from_slice(&(libc::AF_INET6 as u16).to_ne_bytes());
            v.extend_from_slice(&a.port().to_be_bytes());
            v.extend_from_slice(&a.flowinfo().to_be_bytes());
            v.extend_from_slice(&a.ip().octets());
            v.extend_from_slice(&a.scope_id().to_ne_bytes());
        }
    }
    v
}

/// The bodies (attributes after genlmsghdr) of the SET_DEVICE messages for `d`, in order.
pub fn bodies(d: &DeviceSet) -> Result<Vec<Vec<u8>>> {
    for p in &d.peers {
        if let Some((ip, cidr)) = p.allowed_ips.iter().find(|(ip, c)| *c > if ip.is_ipv4() { 32 } else { 128 }) {
            return Err(Error::invalid(format!("allowed IP {ip}/{cidr}: the prefix is too long")));
        }
    }
    let mut out = Vec::new();
    // Where the next message starts: a peer, and within it an allowed IP (None: the peer's start).
    let (mut peer, mut ip): (Option<usize>, Option<usize>) = (None, None);
    loop {
        let mut b = Body(Vec::with_capacity(BUDGET));
        match &d.dev {
            Dev::Name(n) => b.put(A_IFNAME, &[n.as_bytes(), &[0]].concat()),
            Dev::Index(i) => b.put(A_IFINDEX, &i.to_ne_bytes()),
        }
        if peer.is_none() {
            if let Some(k) = &d.private_key {
                b.put(A_PRIVATE_KEY, k);
            }
            if let Some(p) = d.listen_port {
                b.put(A_LISTEN_PORT, &p.to_ne_bytes());
            }
            if let Some(m) = d.fwmark {
                b.put(A_FWMARK, &m.to_ne_bytes());
            }
            if d.replace_peers {
                b.put(A_FLAGS, &F_REPLACE_PEERS.to_ne_bytes());
            }
        }
        if d.peers.is_empty() {
            out.push(b.0);
            return Ok(out);
        }
        let peers_nest = b.nest_check(A_PEERS).unwrap_or(0);
        let start = peer.unwrap_or(0);
        let mut next: Option<(usize, Option<usize>)> = None;
        'peers: for (i, p) in d.peers.iter().enumerate().skip(start) {
            let continuing = ip.filter(|_| i == start);
            let Some(pn) = b.nest_check(0) else {
                next = Some((i, continuing));
                break;
            };
            if !peer_head(&mut b, p, continuing.is_some()) {
                b.cancel(pn);
                next = Some((i, continuing));
                break;
            }
            if !p.allowed_ips.is_empty() {
                let first = continuing.unwrap_or(0);
                let Some(an) = b.nest_check(PA_ALLOWEDIPS) else {
                    b.end(pn);
                    next = Some((i, Some(first)));
                    break;
                };
                for (j, (addr, cidr)) in p.allowed_ips.iter().enumerate().skip(first) {
                    if !allowed_ip(&mut b, addr, *cidr) {
                        b.end(an);
                        b.end(pn);
                        next = Some((i, Some(j)));
                        break 'peers;
                    }
                }
                b.end(an);
            }
            b.end(pn);
        }
        b.end(peers_nest);
        out.push(b.0);
        match next {
            None => return Ok(out),
            Some((p, a)) => {
                if peer == Some(p) && ip == a {
                    return Err(Error::invalid("a peer does not fit in one message"));
                }
                (peer, ip) = (Some(p), a);
            }
        }
    }
}

/// A peer's public key, flags and (unless it is continued from the previous message) its
/// preshared key, endpoint and keepalive; false when they do not fit.
fn peer_head(b: &mut Body, p: &PeerSet, continuing: bool) -> bool {
    if !b.put_check(PA_PUBLIC_KEY, &p.public_key) {
        return false;
    }
    let mut flags = if p.remove { PF_REMOVE_ME } else { 0 };
    if p.update_only {
        flags |= PF_UPDATE_ONLY;
    }
    if !continuing {
        if p.replace_allowed_ips {
            flags |= PF_REPLACE_ALLOWEDIPS;
        }
        if let Some(k) = &p.preshared_key {
            if !b.put_check(PA_PRESHARED_KEY, k) {
                return false;
            }
        }
        if let Some(e) = &p.endpoint {
            if !b.put_check(PA_ENDPOINT, &sockaddr(e)) {
                return false;
            }
        }
        if let Some(k) = p.persistent_keepalive {
            if !b.put_check(PA_PERSISTENT_KEEPALIVE, &k.to_ne_bytes()) {
                return false;
            }
        }
    }
    flags == 0 || b.put_check(PA_FLAGS, &flags.to_ne_bytes())
}

fn allowed_ip(b: &mut Body, addr: &IpAddr, cidr: u8) -> bool {
    let Some(n) = b.nest_check(0) else { return false };
    let (family, bytes) = match addr {
        IpAddr::V4(a) => (libc::AF_INET as u16, a.octets().to_vec()),
        IpAddr::V6(a) => (libc::AF_INET6 as u16, a.octets().to_vec()),
    };
    let ok = b.put_check(AA_FAMILY, &family.to_ne_bytes()) && b.put_check(AA_IPADDR, &bytes) && b.put_check(AA_CIDR_MASK, &[cidr]);
    if ok {
        b.end(n);
    } else {
        b.cancel(n);
    }
    ok
}

/// The SET_DEVICE calls for `d`, to be sent one after the other.
pub fn calls(d: &DeviceSet) -> Result<Vec<Call>> {
    Ok(bodies(d)?
        .into_iter()
        .map(|body| Call { cmd: CMD_SET_DEVICE, version: VERSION, flags: 0, body, mode: Mode::Ack, decode: Decode::Raw })
        .collect())
}
