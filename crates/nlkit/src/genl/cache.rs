//! Family name -> id, per connection, so a request by family name costs no
//! CTRL_CMD_GETFAMILY round trip after the first.
//!
//! Kept exact the way rtnetlink's link cache is: a second socket in the connection's namespace
//! joins the controller's "notify" group (its id is fixed, GENL_ID_CTRL), and every
//! notification queued there is applied before each lookup. A family that goes away
//! (CTRL_CMD_DELFAMILY, e.g. its module unloads) or registers again (CTRL_CMD_NEWFAMILY, maybe
//! under a new id) is forgotten, by name and by id; the kernel queues these inside the
//! unregistering call, so a change that finished before a request was submitted is applied
//! before the cache answers it. A lost notification (ENOBUFS) or a cut one clears the cache.

use std::collections::HashMap;
use std::io;

use super::{ctrl, GENL_HDRLEN, GENL_ID_CTRL};
use crate::conn::NameCache;
use crate::sys::NetlinkSocket;
use crate::wire;

/// Families kept at most (a kernel has a few dozen).
const MAX_ENTRIES: usize = 256;
const BUF: usize = 16 * 1024;

pub struct FamilyCache {
    sock: NetlinkSocket,
    ids: HashMap<String, u32>,
    generation: u64,
    buf: Vec<u8>,
}

impl FamilyCache {
    /// Listens on `sock`, a fresh NETLINK_GENERIC socket in the connection's namespace.
    pub fn new(sock: NetlinkSocket) -> io::Result<FamilyCache> {
        sock.add_membership(GENL_ID_CTRL as u32)?;
        Ok(FamilyCache { sock, ids: HashMap::new(), generation: 0, buf: vec![0; BUF] })
    }

    fn forget_all(&mut self) {
        self.ids.clear();
        self.generation += 1;
    }

    fn apply(&mut self, datagram: &[u8]) {
        for m in wire::messages(datagram) {
            let Ok(m) = m else {
                self.forget_all();
                return;
            };
            let cmd = m.payload.first().copied();
            if m.header.ty != GENL_ID_CTRL || !matches!(cmd, Some(ctrl::CTRL_CMD_NEWFAMILY | ctrl::CTRL_CMD_DELFAMILY)) {
                continue; // group changes (NEWMCAST_GRP, ...) leave ids alone
            }
            self.generation += 1;
            let (name, id) = ctrl::name_and_id(m.payload.get(GENL_HDRLEN..).unwrap_or(&[]));
            self.ids.retain(|n, i| Some(n.as_str()) != name.as_deref() && Some(*i) != id.map(u32::from));
        }
    }
}

impl NameCache for FamilyCache {
    fn sync(&mut self) {
        loop {
            match self.sock.recv_growing(&mut self.buf) {
                Ok((n, 0, false)) => {
                    let buf = std::mem::take(&mut self.buf);
                    self.apply(&buf[..n]);
                    self.buf = buf;
                }
                Ok((_, 0, true)) => self.forget_all(),
                Ok(_) => {} // not from the kernel
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(_) => self.forget_all(),
            }
        }
    }
    fn get(&self, name: &str) -> Option<u32> {
        self.ids.get(name).copied()
    }
    fn generation(&self) -> u64 {
        self.generation
    }
    fn insert(&mut self, name: &str, id: u32, generation: u64) {
        self.sync();
        if generation != self.generation {
            return;
        }
        if self.ids.len() >= MAX_ENTRIES {
            self.ids.clear();
        }
        self.ids.insert(name.to_string(), id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notify(cmd: u8, name: &str, id: u16) -> Vec<u8> {
        let mut b = wire::MsgBuilder::new(0, 0);
        b.attr(ctrl::CTRL_ATTR_FAMILY_ID, &id.to_ne_bytes());
        b.attr_str(ctrl::CTRL_ATTR_FAMILY_NAME, name);
        let attrs = b.finish();
        super::super::message(GENL_ID_CTRL, cmd, 2, 0, &attrs[wire::NLMSG_HDRLEN..])
    }

    fn cache() -> Option<FamilyCache> {
        NetlinkSocket::open(libc::NETLINK_GENERIC).ok().and_then(|s| FamilyCache::new(s).ok())
    }

    #[test]
    fn a_family_that_goes_away_or_comes_back_is_forgotten() {
        let Some(mut c) = cache() else { return };
        let g = c.generation();
        c.insert("a", 0x20, g);
        c.insert("b", 0x21, g);
        c.insert("c", 0x22, g);
        c.apply(&notify(ctrl::CTRL_CMD_DELFAMILY, "a", 0x20));
        assert_eq!(c.get("a"), None);
        assert_eq!(c.get("b"), Some(0x21));
        // b registered again under c's old id: both go.
        c.apply(&notify(ctrl::CTRL_CMD_NEWFAMILY, "b", 0x22));
        assert_eq!((c.get("b"), c.get("c")), (None, None));
        // An answer sent before a change is not kept; a cut datagram forgets everything.
        let g = c.generation();
        c.apply(&notify(ctrl::CTRL_CMD_DELFAMILY, "x", 0x30));
        c.insert("d", 0x23, g);
        assert_eq!(c.get("d"), None);
        let g = c.generation();
        c.insert("d", 0x23, g);
        c.apply(&[1, 2, 3]);
        assert_eq!(c.get("d"), None);
    }
}
