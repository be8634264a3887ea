//! Link name -> index, for requests that name a link (`routeAdd({ dev: 'eth0' })`): without it
//! every such request costs an RTM_GETLINK round trip first.
//!
//! Kept exact by the kernel itself: a second socket in the connection's namespace listens to
//! RTNLGRP_LINK, and every notification queued there is applied before each lookup. The kernel
//! queues a link's notification inside the call that creates, renames, moves or deletes it,
//! before that call returns; so a change that finished before a request was submitted is
//! always applied before the cache answers for it. A lost notification (a full socket buffer)
//! or one too long to read clears the whole cache. The cache answers only what the kernel told
//! us in reply to our own lookup, and not if any link changed while that lookup was out.

use std::collections::HashMap;
use std::io;

use crate::conn::NameCache;
use crate::rtnl::link::{RTM_DELLINK, RTM_NEWLINK};
use crate::sys::NetlinkSocket;
use crate::wire;

/// RTNLGRP_LINK.
const LINK_GROUP: u32 = 1;
/// IFLA_IFNAME.
const IFLA_IFNAME: u16 = 3;
/// Entries kept at most; past this the cache starts over (it only saves lookups).
const MAX_ENTRIES: usize = 1024;
/// Link notifications are rarely over a few KiB; a longer one is read as lost.
const BUF: usize = 64 * 1024;

pub struct LinkCache {
    sock: NetlinkSocket,
    names: HashMap<String, u32>,
    /// Bumped by every link notification applied: a lookup's answer is cached only if it did
    /// not move while the lookup was out.
    generation: u64,
    buf: Vec<u8>,
}

impl LinkCache {
    /// Listens on `sock`, a fresh NETLINK_ROUTE socket in the connection's namespace.
    pub fn new(sock: NetlinkSocket) -> io::Result<LinkCache> {
        sock.add_membership(LINK_GROUP)?;
        Ok(LinkCache { sock, names: HashMap::new(), generation: 0, buf: vec![0; BUF] })
    }

    /// The index of link `name`, if known for sure: [`sync`](Self::sync) first (once for a
    /// batch of requests is enough: it makes the cache as fresh as the moment it ran).
    pub fn get(&self, name: &str) -> Option<u32> {
        self.names.get(name).copied()
    }

    /// The generation to hand back to [`insert`](Self::insert) with a lookup's answer. (Not
    /// synced: a notification still queued now bumps it later, and the answer is then not
    /// cached, which only costs a lookup.)
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Records the kernel's answer to a lookup sent at `generation`.
    pub fn insert(&mut self, name: &str, index: u32, generation: u64) {
        self.sync();
        if generation != self.generation {
            return;
        }
        if self.names.len() >= MAX_ENTRIES {
            self.names.clear();
        }
        self.names.insert(name.to_string(), index);
    }

    /// Applies every notification queued so far (non-blocking; usually one empty read).
    pub fn sync(&mut self) {
        loop {
            match self.sock.recv_growing(&mut self.buf) {
                Ok((n, 0, false)) => {
                    let buf = std::mem::take(&mut self.buf);
                    self.apply(&buf[..n]);
                    self.buf = buf;
                }
                Ok((_, 0, true)) => self.forget_all(), // cut short: its content is unknown
                Ok(_) => {}                            // not from the kernel
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                // ENOBUFS (notifications were dropped) or anything else: trust nothing.
                Err(_) => self.forget_all(),
            }
        }
    }

    fn forget_all(&mut self) {
        self.names.clear();
        self.generation += 1;
    }

    fn apply(&mut self, datagram: &[u8]) {
        for m in wire::messages(datagram) {
            let Ok(m) = m else {
                self.forget_all();
                return;
            };
            if m.header.ty != RTM_NEWLINK && m.header.ty != RTM_DELLINK {
                continue;
            }
            self.generation += 1;
            // struct ifinfomsg: family u8, pad u8, type u16, index i32, flags u32, change u32.
            let index = wire::u32_at(m.payload, 4);
            let name = m
                .payload
                .get(16..)
                .and_then(|a| wire::attrs(a).filter_map(|x| x.ok()).find(|(t, _)| *t == IFLA_IFNAME).map(|(_, v)| wire::attr_str(v)));
            let keep = if m.header.ty == RTM_NEWLINK { name.as_deref() } else { None };
            // Drop what this link was called unless it still is, and whatever else had its name.
            self.names.retain(|n, i| if *i == index { Some(n.as_str()) == keep } else { Some(n.as_str()) != name.as_deref() });
        }
    }
}

impl NameCache for LinkCache {
    fn sync(&mut self) {
        LinkCache::sync(self)
    }
    fn get(&self, name: &str) -> Option<u32> {
        LinkCache::get(self, name)
    }
    fn generation(&self) -> u64 {
        LinkCache::generation(self)
    }
    fn insert(&mut self, name: &str, index: u32, generation: u64) {
        LinkCache::insert(self, name, index, generation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(ty: u16, index: u32, name: &str) -> Vec<u8> {
        let mut b = wire::MsgBuilder::new(ty, 0);
        let mut ifi = [0u8; 16];
        ifi[4..8].copy_from_slice(&index.to_ne_bytes());
        b.push(&ifi);
        b.attr_str(IFLA_IFNAME, name);
        b.finish()
    }

    fn cache() -> Option<LinkCache> {
        // Needs a netlink socket; skip where the sandbox has none.
        NetlinkSocket::open(libc::NETLINK_ROUTE).ok().and_then(|s| LinkCache::new(s).ok())
    }

    #[test]
    fn notifications_drop_renamed_deleted_and_reused_names() {
        let Some(mut c) = cache() else { return };
        let g = c.generation();
        c.insert("a", 5, g);
        c.insert("b", 6, g);
        c.insert("c", 7, g);
        c.sync();
        assert_eq!(c.get("a"), Some(5));
        // A NEWLINK that keeps the name (e.g. up/down) keeps the entry.
        c.apply(&msg(RTM_NEWLINK, 5, "a"));
        assert_eq!(c.get("a"), Some(5));
        // Renamed: a -> z.
        c.apply(&msg(RTM_NEWLINK, 5, "z"));
        assert_eq!(c.get("a"), None);
        // Deleted.
        c.apply(&msg(RTM_DELLINK, 6, "b"));
        assert_eq!(c.get("b"), None);
        // Another link now carries c's name (c was renamed away in a message we missed).
        c.apply(&msg(RTM_NEWLINK, 9, "c"));
        assert_eq!(c.get("c"), None);
    }

    #[test]
    fn an_answer_is_not_cached_if_links_changed_while_the_lookup_was_out() {
        let Some(mut c) = cache() else { return };
        let g = c.generation();
        c.apply(&msg(RTM_NEWLINK, 5, "a"));
        c.insert("a", 5, g);
        assert_eq!(c.get("a"), None);
        let g = c.generation();
        c.insert("a", 5, g);
        assert_eq!(c.get("a"), Some(5));
        // A cut or malformed datagram forgets everything.
        c.apply(&[1, 2, 3]);
        assert_eq!(c.get("a"), None);
    }
}
