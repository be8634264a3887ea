//! pfifo and bfifo: `struct tc_fifo_qopt { __u32 limit; }` as TCA_OPTIONS' whole payload, the
//! limit in packets (pfifo) or bytes (bfifo).

use crate::rtnl::settings::Settings;
use crate::rtnl::tc::kind::{Ctx, Role, TcKind};
use crate::rtnl::tc::{units, TCA_OPTIONS};
use crate::wire::{u32_at, MsgBuilder};

pub struct Fifo {
    kind: &'static str,
    bytes: bool,
}

pub static PFIFO: Fifo = Fifo { kind: "pfifo", bytes: false };
pub static BFIFO: Fifo = Fifo { kind: "bfifo", bytes: true };

impl TcKind for Fifo {
    fn role(&self) -> Role {
        Role::Qdisc
    }
    fn kind(&self) -> &'static str {
        self.kind
    }
    fn keys(&self) -> &'static [&'static str] {
        &["limit"]
    }
    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _cx: &Ctx) -> Result<(), String> {
        // Without a limit tc sends no options and the kernel takes the device's txqueuelen.
        let limit = if self.bytes { units::size(s, "limit", u32::MAX as u64)? } else { s.u32("limit")?.map(u64::from) };
        if let Some(l) = limit {
            b.attr(TCA_OPTIONS, &(l as u32).to_ne_bytes());
        }
        Ok(())
    }
    fn decode(&self, o: &[u8]) -> Settings {
        let mut s = Settings::new();
        if o.len() >= 4 {
            s.set_int("limit", u32_at(o, 0));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rtnl::settings::Value;
    use crate::rtnl::tc::{encode, TcOp, TcSpec, TcType};

    #[test]
    fn limit_as_tc_sends_it() {
        // `tc qdisc add dev <3> parent 1:1 pfifo limit 50` (iproute2 6.1).
        let mut spec = TcSpec { ifindex: 3, parent: 0x10001, kind: Some("pfifo".into()), ..Default::default() };
        spec.options.set_int("limit", 50);
        let m = encode(TcType::Qdisc, &spec, TcOp::Add).unwrap();
        assert_eq!(&m[36..], b"\x0a\x00\x01\x00pfifo\x00\x00\x00\x08\x00\x02\x00\x32\x00\x00\x00");
        assert_eq!(PFIFO.decode(&m[m.len() - 4..]).get("limit"), Some(&Value::Int(50)));
        let mut b = Settings::new();
        b.set_str("limit", "64kb");
        let mut out = MsgBuilder::new(0, 0);
        BFIFO.encode(&b, &mut out, &Ctx::default()).unwrap();
        assert_eq!(&out.finish()[16..], &[8, 0, 2, 0, 0, 0, 1, 0]);
        spec.options.set_str("limit", "50");
        assert!(encode(TcType::Qdisc, &spec, TcOp::Add).unwrap_err().contains("limit"));
        assert!(PFIFO.decode(&[1, 2]).is_empty());
    }
}
