//! flower, the classifier on parsed packet fields (`tc filter ... protocol ip flower ip_proto
//! udp dst_ip 10.0.0.0/8 dst_port 53 classid 1:1`). tc writes each key in command order, here
//! the options' order; then FLAGS (always), the fragment flags and, unless the protocol is
//! `all`, KEY_ETH_TYPE (the filter's protocol). Which keys apply depends on the protocol (and
//! a VLAN's `vlanEthtype`): IP keys need ip or ipv6, ports need ipProto tcp, udp or sctp.

pub mod keys;
#[cfg(test)]
mod tests;

use super::super::actions;
use super::super::kind::{Ctx, Role, TcKind};
use super::super::TCA_OPTIONS;
use super::common::{self, attr_u16};
use crate::rtnl::names;
use crate::rtnl::settings::{Settings, Value};
use crate::wire::{attr_str, attr_u32, attr_u8, attrs, MsgBuilder};
use keys::Port;

const CLASSID: u16 = 1;
const INDEV: u16 = 2;
const ACT: u16 = 3;
const ETH_DST: u16 = 4;
const ETH_SRC: u16 = 6;
const ETH_TYPE: u16 = 8;
const IP_PROTO: u16 = 9;
const IPV4_SRC: u16 = 10;
const IPV4_DST: u16 = 12;
const IPV6_SRC: u16 = 14;
const IPV6_DST: u16 = 16;
const FLAGS: u16 = 22;
const VLAN_ID: u16 = 23;
const VLAN_PRIO: u16 = 24;
const VLAN_ETH_TYPE: u16 = 25;
const KEY_FLAGS: u16 = 47;
const KEY_FLAGS_MASK: u16 = 48;
const IP_TOS: u16 = 73;
const IP_TTL: u16 = 75;
const IN_HW_COUNT: u16 = 86;
/// KEY_PORT_SRC_MIN, then SRC_MAX, DST_MIN, DST_MAX.
const PORT_SRC_MIN: u16 = 87;
const PORT_DST_MIN: u16 = 89;
/// Each transport's (src key, dst key, src mask, dst mask).
const PORT_ATTRS: &[(u8, [u16; 4])] = &[(6, [18, 19, 35, 36]), (17, [20, 21, 37, 38]), (132, [41, 42, 39, 40])];
/// tc's ip_proto names (others are numbers).
const IP_PROTOS: &[(&str, u8)] =
    &[("tcp", 6), ("udp", 17), ("sctp", 132), ("icmp", 1), ("icmpv6", 58), ("l2tp", 115), ("esp", 50), ("ah", 51)];

const ETH_P_ALL: u16 = 0x0003;
const ETH_P_IP: u16 = 0x0800;
const ETH_P_IPV6: u16 = 0x86DD;
const VLAN_PROTOCOLS: [u16; 2] = [0x8100, 0x88A8];

pub struct Flower;
pub static FLOWER_KIND: Flower = Flower;

fn eth_protocol(key: &str, v: &Value) -> Result<u16, String> {
    match v {
        Value::Int(p) => u16::try_from(*p).map_err(|_| format!("{key} must be between 0 and 65535")),
        Value::Str(s) => names::eth_protocol_value(if s == "802.1q" { "802.1Q" } else { s })
            .map(|p| p as u16)
            .ok_or_else(|| format!("{key}: unknown protocol {s:?} (ip, ipv6, arp, 802.1q, 802.1ad, ... or a number)")),
        _ => Err(format!("{key} must be a protocol name or number")),
    }
}

fn ip_proto(v: &Value) -> Result<u8, String> {
    match v {
        Value::Int(p) => u8::try_from(*p).map_err(|_| "ipProto must be between 0 and 255".to_string()),
        Value::Str(s) => IP_PROTOS
            .iter()
            .find(|(n, _)| n == s)
            .map(|(_, p)| *p)
            .ok_or_else(|| format!("ipProto: unknown protocol {s:?} (tcp, udp, sctp, icmp, icmpv6, l2tp, esp, ah or a number)")),
        _ => Err("ipProto must be a protocol name or number".into()),
    }
}

/// The key and mask attributes of one field.
fn key_mask(b: &mut MsgBuilder, ty: u16, key: &[u8], mask: &[u8]) {
    b.attr(ty, key).attr(ty + 1, mask);
}

impl TcKind for Flower {
    fn role(&self) -> Role {
        Role::Filter
    }
    fn kind(&self) -> &'static str {
        "flower"
    }
    fn keys(&self) -> &'static [&'static str] {
        &[
            "classid",
            "flowid",
            "indev",
            "dstMac",
            "srcMac",
            "vlanId",
            "vlanPrio",
            "vlanEthtype",
            "ipProto",
            "ipTos",
            "ipTtl",
            "dstIp",
            "srcIp",
            "dstPort",
            "srcPort",
            "ipFlags",
            "skipHw",
            "skipSw",
            "actions",
            "inHw",
            "notInHw",
            "inHwCount",
            "tag",
            "id",
        ]
    }
    fn encode(&self, all: &Settings, b: &mut MsgBuilder, cx: &Ctx) -> Result<(), String> {
        let s = &common::writable(all);
        let flags = common::gen_flags(s)?;
        let classid = common::classid(s)?;
        let ip_flags = s.get("ipFlags").map(keys::ip_flags).transpose()?;
        let vlan = VLAN_PROTOCOLS.contains(&cx.protocol);
        let vlan_eth = s.get("vlanEthtype").map(|v| eth_protocol("vlanEthtype", v)).transpose()?;
        // The network protocol the IP keys are about: a VLAN's inner one, or the filter's.
        let eth_type = vlan_eth.unwrap_or(cx.protocol);
        let v6 = match eth_type {
            ETH_P_IP => Some(false),
            ETH_P_IPV6 => Some(true),
            _ => None,
        };
        let proto = s.get("ipProto").map(ip_proto).transpose()?;
        let at = b.nest_start_plain(TCA_OPTIONS);
        for (k, v) in &s.0 {
            let needs_ip = || v6.map(|_| ()).ok_or_else(|| format!("{k} needs protocol ip or ipv6 (or vlanEthtype ip or ipv6)"));
            match k.as_str() {
                "classid" | "flowid" => {
                    b.attr_u32(CLASSID, classid.unwrap_or(0));
                }
                "indev" => {
                    b.attr_str(INDEV, common::indev(s)?.unwrap_or_default());
                }
                "vlanId" | "vlanPrio" | "vlanEthtype" if !vlan => return Err(format!("{k} needs protocol 802.1q or 802.1ad")),
                "vlanId" => attr_u16(b, VLAN_ID, s.int("vlanId", 0, 0xFFF)?.unwrap_or(0) as u16),
                "vlanPrio" => {
                    b.attr_u8(VLAN_PRIO, s.int("vlanPrio", 0, 7)?.unwrap_or(0) as u8);
                }
                "vlanEthtype" => {
                    b.attr(VLAN_ETH_TYPE, &vlan_eth.unwrap_or(0).to_be_bytes());
                }
                "dstMac" | "srcMac" => {
                    let m = s.str(k)?.unwrap_or_default();
                    let (addr, mask) = keys::mac(k, m)?;
                    key_mask(b, if k == "dstMac" { ETH_DST } else { ETH_SRC }, &addr, &mask);
                }
                "ipProto" => {
                    needs_ip()?;
                    b.attr_u8(IP_PROTO, proto.unwrap_or(0));
                }
                "ipTos" | "ipTtl" => {
                    let (val, mask) = keys::masked_u8(k, v)?;
                    key_mask(b, if k == "ipTos" { IP_TOS } else { IP_TTL }, &[val], &[mask]);
                }
                "dstIp" | "srcIp" => {
                    needs_ip()?;
                    let six = v6 == Some(true);
                    let Value::Str(a) = v else { return Err(format!("{k} must be an address or prefix string")) };
                    let (addr, mask) = keys::ip(k, a, six)?;
                    let ty = match (six, k == "dstIp") {
                        (false, false) => IPV4_SRC,
                        (false, true) => IPV4_DST,
                        (true, false) => IPV6_SRC,
                        (true, true) => IPV6_DST,
                    };
                    key_mask(b, ty, &addr, &mask);
                }
                "dstPort" | "srcPort" => {
                    let dst = k == "dstPort";
                    let Some((_, a)) = PORT_ATTRS.iter().find(|(p, _)| Some(*p) == proto) else {
                        return Err(format!("{k} needs ipProto tcp, udp or sctp"));
                    };
                    match keys::port(k, v)? {
                        Port::Exact(p) => {
                            b.attr(a[dst as usize], &p.to_be_bytes());
                        }
                        Port::Masked(p, m) => {
                            b.attr(a[dst as usize], &p.to_be_bytes()).attr(a[2 + dst as usize], &m.to_be_bytes());
                        }
                        Port::Range(lo, hi) => {
                            let min = if dst { PORT_DST_MIN } else { PORT_SRC_MIN };
                            b.attr(min, &lo.to_be_bytes()).attr(min + 1, &hi.to_be_bytes());
                        }
                    }
                }
                "actions" => actions::encode_list(ACT, v, b)?,
                _ => {}
            }
        }
        b.attr_u32(FLAGS, flags);
        if let Some((f, m)) = ip_flags {
            b.attr(KEY_FLAGS, &f.to_be_bytes()).attr(KEY_FLAGS_MASK, &m.to_be_bytes());
        }
        if cx.protocol != ETH_P_ALL {
            b.attr(ETH_TYPE, &cx.protocol.to_be_bytes());
        }
        b.nest_end(at);
        Ok(())
    }
    fn decode(&self, o: &[u8]) -> Settings {
        let list: Vec<(u16, &[u8])> = attrs(o).map_while(Result::ok).collect();
        let get = |t: u16| list.iter().find(|(ty, _)| *ty == t).map(|(_, v)| *v);
        let be16 = |v: &[u8]| v.get(..2).map(|b| u16::from_be_bytes([b[0], b[1]]) as u32);
        let mut s = Settings::new();
        for &(ty, v) in &list {
            match ty {
                CLASSID => common::decode_classid(v, &mut s),
                INDEV => {
                    s.set_str("indev", attr_str(v));
                }
                VLAN_ID => {
                    if let Some(id) = v.get(..2) {
                        s.set_int("vlanId", u16::from_ne_bytes([id[0], id[1]]));
                    }
                }
                VLAN_PRIO => {
                    if let Some(p) = attr_u8(v) {
                        s.set_int("vlanPrio", p);
                    }
                }
                VLAN_ETH_TYPE => {
                    if let Some(p) = be16(v) {
                        let name = names::eth_protocol_name(p);
                        match name.parse::<u32>() {
                            Ok(_) => s.set_int("vlanEthtype", p),
                            Err(_) => s.set_str("vlanEthtype", name.replace("802.1Q", "802.1q")),
                        };
                    }
                }
                ETH_DST | ETH_SRC if v.len() == 6 => {
                    let key = if ty == ETH_DST { "dstMac" } else { "srcMac" };
                    s.set_str(key, keys::format_mac_masked(v, get(ty + 1).filter(|m| m.len() == 6)));
                }
                IP_PROTO => match (attr_u8(v), attr_u8(v).and_then(|p| IP_PROTOS.iter().find(|(_, n)| *n == p))) {
                    (_, Some((name, _))) => {
                        s.set_str("ipProto", *name);
                    }
                    (Some(p), None) => {
                        s.set_int("ipProto", p);
                    }
                    _ => {}
                },
                IP_TOS | IP_TTL => {
                    if let Some(x) = attr_u8(v) {
                        let m = get(ty + 1).and_then(attr_u8).unwrap_or(0xFF);
                        s.set(if ty == IP_TOS { "ipTos" } else { "ipTtl" }, keys::masked_value(x as u32, m as u32, 0xFF));
                    }
                }
                IPV4_SRC | IPV4_DST | IPV6_SRC | IPV6_DST => {
                    if let Some(a) = keys::format_ip(v, get(ty + 1)) {
                        s.set_str(if ty == IPV4_SRC || ty == IPV6_SRC { "srcIp" } else { "dstIp" }, a);
                    }
                }
                FLAGS => common::decode_gen_flags(v, &mut s),
                KEY_FLAGS => {
                    let be32 = |b: &[u8]| b.get(..4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
                    let mask = get(KEY_FLAGS_MASK).and_then(be32).unwrap_or(0);
                    if let Some(x) = be32(v).and_then(|f| keys::decode_ip_flags(f, mask)) {
                        s.set("ipFlags", x);
                    }
                }
                PORT_SRC_MIN | PORT_DST_MIN => {
                    if let (Some(lo), Some(hi)) = (be16(v), get(ty + 1).and_then(be16)) {
                        let mut r = Settings::new();
                        r.set_int("start", lo).set_int("end", hi);
                        s.set(if ty == PORT_SRC_MIN { "srcPort" } else { "dstPort" }, Value::Map(r));
                    }
                }
                IN_HW_COUNT => {
                    if let Some(n) = attr_u32(v) {
                        s.set_int("inHwCount", n);
                    }
                }
                ACT => {
                    s.set("actions", actions::decode_list(v));
                }
                _ => {
                    for (_, a) in PORT_ATTRS {
                        if let Some(i) = a[..2].iter().position(|t| *t == ty) {
                            let m = get(a[2 + i]).and_then(be16).unwrap_or(0xFFFF);
                            if let Some(p) = be16(v) {
                                s.set(if i == 0 { "srcPort" } else { "dstPort" }, keys::masked_value(p, m, 0xFFFF));
                            }
                        }
                    }
                }
            }
        }
        s
    }
}
