//! tun/tap (IFLA_TUN_*, reported under kind "tun" for both). The kernel creates these only
//! through `/dev/net/tun` (see [`crate::rtnl::link::tun::create`]), never from RTM_NEWLINK, so
//! this module only decodes: `mode` ('tun' | 'tap'), `owner` and `group` (when set), `persist`,
//! `multiQueue`, `pi` (packet information header), `vnetHdr`.

use super::{EncodeCtx, LinkKind};
use crate::rtnl::settings::Settings;
use crate::wire::{attr_u32, attr_u8, attrs, MsgBuilder};

const IFLA_TUN_OWNER: u16 = 1;
const IFLA_TUN_GROUP: u16 = 2;
const IFLA_TUN_TYPE: u16 = 3;
const IFLA_TUN_PI: u16 = 4;
const IFLA_TUN_VNET_HDR: u16 = 5;
const IFLA_TUN_PERSIST: u16 = 6;
const IFLA_TUN_MULTI_QUEUE: u16 = 7;

/// IFF_TUN / IFF_TAP, as IFLA_TUN_TYPE reports them.
const IFF_TUN: u8 = 1;
const IFF_TAP: u8 = 2;

pub struct Tun;

impl LinkKind for Tun {
    fn kind(&self) -> &'static str {
        "tun"
    }

    fn keys(&self) -> &'static [&'static str] {
        &["mode", "owner", "group", "persist", "multiQueue", "pi", "vnetHdr"]
    }

    fn encode(&self, _s: &Settings, _b: &mut MsgBuilder, _ctx: &mut EncodeCtx) -> Result<(), String> {
        Err("tun/tap links are not created or changed through rtnetlink: they are made by opening \
             /dev/net/tun (nlkit::rtnl::link::tun::create; in JavaScript linkAdd with kind 'tun' or 'tap')"
            .into())
    }

    fn decode(&self, data: &[u8]) -> Settings {
        let mut out = Settings::new();
        for (ty, v) in attrs(data).map_while(Result::ok) {
            match ty {
                IFLA_TUN_TYPE => match attr_u8(v) {
                    Some(IFF_TUN) => {
                        out.set_str("mode", "tun");
                    }
                    Some(IFF_TAP) => {
                        out.set_str("mode", "tap");
                    }
                    _ => {}
                },
                IFLA_TUN_OWNER | IFLA_TUN_GROUP => {
                    if let Some(id) = attr_u32(v) {
                        out.set_int(if ty == IFLA_TUN_OWNER { "owner" } else { "group" }, id);
                    }
                }
                IFLA_TUN_PI | IFLA_TUN_VNET_HDR | IFLA_TUN_PERSIST | IFLA_TUN_MULTI_QUEUE => {
                    let key = match ty {
                        IFLA_TUN_PI => "pi",
                        IFLA_TUN_VNET_HDR => "vnetHdr",
                        IFLA_TUN_PERSIST => "persist",
                        _ => "multiQueue",
                    };
                    if let Some(x) = attr_u8(v) {
                        out.set_bool(key, x != 0);
                    }
                }
                _ => {}
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::common::testing::*;
    use super::super::{encode, lookup};
    use super::*;
    use crate::rtnl::settings::Value;

    /// What the kernel sends for `ip tuntap add tap0 mode tap user 1000 multi_queue`.
    fn kernel_data() -> Vec<u8> {
        let mut b = MsgBuilder::new(0, 0);
        b.attr_u32(IFLA_TUN_OWNER, 1000)
            .attr_u8(IFLA_TUN_TYPE, IFF_TAP)
            .attr_u8(IFLA_TUN_PI, 0)
            .attr_u8(IFLA_TUN_VNET_HDR, 1)
            .attr_u8(IFLA_TUN_PERSIST, 1)
            .attr_u8(IFLA_TUN_MULTI_QUEUE, 1)
            .attr_u32(8, 2) // IFLA_TUN_NUM_QUEUES
            .attr_u32(9, 0); // IFLA_TUN_NUM_DISABLED_QUEUES
        b.finish()[16..].to_vec()
    }

    #[test]
    fn decodes_kernel_report() {
        let s = Tun.decode(&kernel_data());
        let mut want = Settings::new();
        want.set_int("owner", 1000)
            .set_str("mode", "tap")
            .set_bool("pi", false)
            .set_bool("vnetHdr", true)
            .set_bool("persist", true)
            .set_bool("multiQueue", true);
        assert_eq!(s, want);
        assert!(s.check_known(Tun.keys()).is_ok());
        let mut b = MsgBuilder::new(0, 0);
        b.attr_u8(IFLA_TUN_TYPE, IFF_TUN).attr_u32(IFLA_TUN_GROUP, 5);
        let m = b.finish();
        let s = Tun.decode(&m[16..]);
        assert_eq!(s.get("mode"), Some(&Value::Str("tun".into())));
        assert_eq!(s.get("group"), Some(&Value::Int(5)));
    }

    #[test]
    fn encode_refuses_with_a_pointer() {
        let mut b = MsgBuilder::new(0, 0);
        let mut ctx = EncodeCtx::default();
        let e = encode("tun", &Settings::new(), &mut b, &mut ctx).unwrap_err();
        assert!(e.contains("/dev/net/tun"), "{e}");
        let mut s = Settings::new();
        s.set_str("mode", "tap");
        assert!(encode("tun", &s, &mut b, &mut ctx).is_err());
        assert_rejects("tun", &with(&s, "queues", Value::Int(2)), "queues");
        assert!(lookup("tun").is_some());
    }

    #[test]
    fn decode_survives_garbage() {
        let data = kernel_data();
        for cut in 0..=data.len() {
            let _ = Tun.decode(&data[..cut]);
        }
        // Short values: nothing decoded from them.
        for ty in 0..12u16 {
            let mut b = MsgBuilder::new(0, 0);
            b.attr(ty, &[]);
            b.attr(IFLA_TUN_OWNER, &[1, 2, 3]);
            let m = b.finish();
            assert!(Tun.decode(&m[16..]).is_empty());
        }
        let _ = Tun.decode(&[255, 255, 1, 0, 1]);
        let _ = Tun.decode(&[5, 0, 3, 0, 9, 0, 0, 0]);
    }
}
