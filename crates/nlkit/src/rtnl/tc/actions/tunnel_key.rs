//! tunnel_key, the metadata a tunnel device encapsulates with (`tc ... action tunnel_key set
//! src_ip A dst_ip B id N dst_port P`), or its release (`unset`): TCA_TUNNEL_KEY_PARMS is
//! tc_gen + t_action. tc writes the keys in command order (here the options'), then NO_CSUM
//! (always), NO_FRAG and PARMS. Geneve/vxlan/erspan options are not encoded.

use std::net::IpAddr;

use super::gen::{self, GEN_LEN};
use super::TCA_ACT_OPTIONS;
use crate::rtnl::settings::Settings;
use crate::rtnl::tc::kind::{Ctx, Role, TcKind};
use crate::wire::{attr_u8, attrs, u32_at, MsgBuilder};

const TM: u16 = 1;
const PARMS: u16 = 2;
const IPV4_SRC: u16 = 3;
const IPV4_DST: u16 = 4;
const IPV6_SRC: u16 = 5;
const IPV6_DST: u16 = 6;
const KEY_ID: u16 = 7;
const DST_PORT: u16 = 9;
const NO_CSUM: u16 = 10;
const TOS: u16 = 12;
const TTL: u16 = 13;
const NO_FRAG: u16 = 14;
const MODES: &[(&str, i32)] = &[("set", 1), ("unset", 2)];
const TC_ACT_PIPE: i32 = 3;

pub struct TunnelKey;
pub static TUNNEL_KEY: TunnelKey = TunnelKey;

fn addr(s: &Settings, key: &str) -> Result<IpAddr, String> {
    let a = s.str(key)?.ok_or_else(|| format!("{key} is required with mode 'set'"))?;
    a.parse().map_err(|_| format!("{key}: {a:?} is not an IP address"))
}

impl TcKind for TunnelKey {
    fn role(&self) -> Role {
        Role::Action
    }
    fn kind(&self) -> &'static str {
        "tunnel_key"
    }
    fn keys(&self) -> &'static [&'static str] {
        &["mode", "srcIp", "dstIp", "keyId", "dstPort", "tos", "ttl", "csum", "nofrag", "controlAction", "index"]
    }
    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _cx: &Ctx) -> Result<(), String> {
        let mode = s.choice("mode", MODES)?.ok_or("mode is required ('set' or 'unset')")?;
        let set = mode == 1;
        let (src, dst) = if set { (Some(addr(s, "srcIp")?), Some(addr(s, "dstIp")?)) } else { (None, None) };
        if matches!((src, dst), (Some(IpAddr::V4(_)), Some(IpAddr::V6(_))) | (Some(IpAddr::V6(_)), Some(IpAddr::V4(_)))) {
            return Err("srcIp and dstIp must be of one family".into());
        }
        if !set {
            if let Some((k, _)) = s.0.iter().find(|(k, _)| !["mode", "controlAction", "index"].contains(&k.as_str())) {
                return Err(format!("{k} is for mode 'set' (unset releases the tunnel metadata)"));
            }
        }
        let control = gen::control_opt(s, "controlAction")?.unwrap_or(TC_ACT_PIPE);
        let mut p = gen::gen(s, control)?.to_vec();
        p.extend_from_slice(&mode.to_ne_bytes());
        let at = b.nest_start(TCA_ACT_OPTIONS);
        for (k, _) in &s.0 {
            match (k.as_str(), src, dst) {
                ("srcIp", Some(IpAddr::V4(a)), _) => b.attr(IPV4_SRC, &a.octets()),
                ("srcIp", Some(IpAddr::V6(a)), _) => b.attr(IPV6_SRC, &a.octets()),
                ("dstIp", _, Some(IpAddr::V4(a))) => b.attr(IPV4_DST, &a.octets()),
                ("dstIp", _, Some(IpAddr::V6(a))) => b.attr(IPV6_DST, &a.octets()),
                ("keyId", ..) => b.attr(KEY_ID, &s.u32("keyId")?.unwrap_or(0).to_be_bytes()),
                ("dstPort", ..) => b.attr(DST_PORT, &s.u16("dstPort")?.unwrap_or(0).to_be_bytes()),
                ("tos", ..) => b.attr_u8(TOS, s.u8("tos")?.unwrap_or(0)),
                ("ttl", ..) => b.attr_u8(TTL, s.u8("ttl")?.unwrap_or(0)),
                _ => b,
            };
        }
        b.attr_u8(NO_CSUM, u8::from(!s.bool("csum")?.unwrap_or(true)));
        if s.bool("nofrag")? == Some(true) {
            b.attr(NO_FRAG, &[]);
        }
        b.attr(PARMS, &p);
        b.nest_end(at);
        Ok(())
    }
    fn decode(&self, o: &[u8]) -> Settings {
        let mut s = Settings::new();
        let ip = |v: &[u8]| -> Option<String> {
            Some(match v.len() {
                4 => IpAddr::from(<[u8; 4]>::try_from(v).ok()?).to_string(),
                16 => IpAddr::from(<[u8; 16]>::try_from(v).ok()?).to_string(),
                _ => return None,
            })
        };
        let (mut parms, mut tm) = (None, None);
        for (ty, v) in attrs(o).map_while(Result::ok) {
            match ty {
                PARMS if v.len() >= GEN_LEN + 4 => parms = Some(v),
                TM => tm = Some(v),
                IPV4_SRC | IPV6_SRC | IPV4_DST | IPV6_DST => {
                    if let Some(a) = ip(v) {
                        s.set_str(if ty == IPV4_SRC || ty == IPV6_SRC { "srcIp" } else { "dstIp" }, a);
                    }
                }
                KEY_ID if v.len() >= 4 => {
                    s.set_int("keyId", u32::from_be_bytes([v[0], v[1], v[2], v[3]]));
                }
                DST_PORT if v.len() >= 2 => {
                    s.set_int("dstPort", u16::from_be_bytes([v[0], v[1]]));
                }
                TOS | TTL => {
                    if let Some(x) = attr_u8(v) {
                        s.set_int(if ty == TOS { "tos" } else { "ttl" }, x);
                    }
                }
                NO_CSUM => {
                    if let Some(x) = attr_u8(v) {
                        s.set_bool("csum", x == 0);
                    }
                }
                NO_FRAG => {
                    s.set_bool("nofrag", true);
                }
                _ => {}
            }
        }
        let mut out = Settings::new();
        if let Some(p) = parms {
            let mode = u32_at(p, GEN_LEN) as i32;
            if let Some((m, _)) = MODES.iter().find(|(_, v)| *v == mode) {
                out.set_str("mode", *m);
            }
        }
        out.0.extend(s.0);
        if out.str("mode") == Ok(Some("unset")) {
            out.0.retain(|(k, _)| k == "mode"); // the kernel lists NO_CSUM for both modes
        }
        if let Some(p) = parms {
            gen::decode_gen_control(p, &mut out);
        }
        if let Some(t) = tm {
            gen::decode_tm(t, &mut out);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    //! Against iproute2 6.1's bytes (this kernel has no act_tunnel_key): `tc actions add action
    //! tunnel_key ...` captured in a scratch namespace, in ../testdata/tkN.hex.
    use super::super::tests::{hex, testdata};
    use super::*;
    use crate::rtnl::settings::Value;
    use crate::rtnl::tc::standalone::{self, ActOp};

    fn action(kv: &[(&str, Value)]) -> Settings {
        let mut s = Settings::new();
        s.set_str("kind", "tunnel_key");
        for (k, v) in kv {
            s.set(k, v.clone());
        }
        s
    }
    fn st(s: &str) -> Value {
        Value::Str(s.into())
    }
    fn int(i: i64) -> Value {
        Value::Int(i)
    }

    fn cases() -> Vec<(&'static str, Settings)> {
        vec![
            // set src_ip 10.0.0.1 dst_ip 10.0.0.2 id 42 dst_port 4789 tos 0x10 ttl 64
            (
                "tk1",
                action(&[
                    ("mode", st("set")),
                    ("srcIp", st("10.0.0.1")),
                    ("dstIp", st("10.0.0.2")),
                    ("keyId", int(42)),
                    ("dstPort", int(4789)),
                    ("tos", int(0x10)),
                    ("ttl", int(64)),
                ]),
            ),
            // set src_ip 2001:db8::1 dst_ip 2001:db8::2 id 7 nocsum index 5
            (
                "tk2",
                action(&[
                    ("mode", st("set")),
                    ("srcIp", st("2001:db8::1")),
                    ("dstIp", st("2001:db8::2")),
                    ("keyId", int(7)),
                    ("csum", Value::Bool(false)),
                    ("index", int(5)),
                ]),
            ),
            // unset
            ("tk3", action(&[("mode", st("unset"))])),
            // set src_ip 192.168.0.1 dst_ip 192.168.0.2 dst_port 6081 csum drop
            (
                "tk4",
                action(&[
                    ("mode", st("set")),
                    ("srcIp", st("192.168.0.1")),
                    ("dstIp", st("192.168.0.2")),
                    ("dstPort", int(6081)),
                    ("csum", Value::Bool(true)),
                    ("controlAction", st("drop")),
                ]),
            ),
        ]
    }

    #[test]
    fn requests_are_byte_equal_to_tc_and_decode_back() {
        for (file, a) in cases() {
            let want = testdata(file);
            assert_eq!(hex(&standalone::encode(&Value::List(vec![Value::Map(a)]), ActOp::Add).unwrap()), hex(&want), "{file}");
            // TCA_ACT_TAB > action 1 > KIND, OPTIONS: decoded and encoded again.
            let tab = &want[20..];
            let super::super::Value::List(l) = super::super::decode_list(&tab[4..]) else { panic!() };
            let back = l.into_iter().next().unwrap();
            assert_eq!(hex(&standalone::encode(&Value::List(vec![back.clone()]), ActOp::Add).unwrap()), hex(&want), "{file}: {back:?}");
            for cut in 0..tab.len() {
                let _ = super::super::decode_list(&tab[..cut]);
            }
        }
    }

    #[test]
    fn nofrag_as_newer_tc_sends_it() {
        // iproute2 after 6.1: `nofrag` is the flag TCA_TUNNEL_KEY_NO_FRAG after NO_CSUM.
        let a = action(&[("mode", st("set")), ("srcIp", st("10.0.0.1")), ("dstIp", st("10.0.0.2")), ("nofrag", Value::Bool(true))]);
        let m = standalone::encode(&Value::List(vec![Value::Map(a)]), ActOp::Add).unwrap();
        assert!(hex(&m).contains("05000a000000000004000e00"), "{}", hex(&m));
    }

    #[test]
    fn refusals_name_the_option() {
        for (kv, why) in [
            (vec![], "mode is required"),
            (vec![("mode", st("push"))], "mode must be one of set, unset"),
            (vec![("mode", st("set")), ("dstIp", st("10.0.0.2"))], "srcIp is required"),
            (vec![("mode", st("set")), ("srcIp", st("10.0.0.1")), ("dstIp", st("x"))], "dstIp: \"x\" is not an IP"),
            (vec![("mode", st("set")), ("srcIp", st("10.0.0.1")), ("dstIp", st("2001:db8::2"))], "one family"),
            (vec![("mode", st("set")), ("srcIp", st("10.0.0.1")), ("dstIp", st("10.0.0.2")), ("dstPort", int(65536))], "dstPort must be"),
            (vec![("mode", st("set")), ("srcIp", st("10.0.0.1")), ("dstIp", st("10.0.0.2")), ("ttl", int(256))], "ttl must be"),
            (vec![("mode", st("unset")), ("ttl", int(1))], "ttl is for mode 'set'"),
            (vec![("mode", st("unset")), ("geneveOpts", int(1))], "unknown setting \"geneveOpts\""),
        ] {
            let kv: Vec<(&str, Value)> = kv;
            let e = standalone::encode(&Value::List(vec![Value::Map(action(&kv))]), ActOp::Add).unwrap_err();
            assert!(e.contains(why), "{kv:?}: {e}");
        }
    }
}
