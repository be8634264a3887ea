//! Lightweight tunnel encapsulations (`ip route ... encap TYPE ...`): the nest a route carries as
//! RTA_ENCAP + RTA_ENCAP_TYPE, a multipath route's path inside its rtnexthop, and a nexthop
//! object as NHA_ENCAP + NHA_ENCAP_TYPE. One encoder serves all three.
//!
//! An encap travels as [`Settings`] keyed as `ip -j -d route` prints it (camelCase), with its
//! `type` (`seg6`, `seg6local`, `ip`, `ip6`, `mpls`, `bpf`, `ioam6`); it is encoded when the
//! request is built, so a bad key or value is refused before anything is sent. Each type's
//! attributes are laid out as iproute2 6.1 lays them out.

mod bpf;
mod ioam6;
mod ip;
mod mpls;
mod seg6;

use std::net::{Ipv4Addr, Ipv6Addr};
use std::os::fd::OwnedFd;

use crate::rtnl::settings::{Settings, Value};
use crate::wire::{self, MsgBuilder};

pub const LWTUNNEL_ENCAP_MPLS: u16 = 1;
pub const LWTUNNEL_ENCAP_IP: u16 = 2;
pub const LWTUNNEL_ENCAP_IP6: u16 = 4;
pub const LWTUNNEL_ENCAP_SEG6: u16 = 5;
pub const LWTUNNEL_ENCAP_BPF: u16 = 6;
pub const LWTUNNEL_ENCAP_SEG6_LOCAL: u16 = 7;
pub const LWTUNNEL_ENCAP_IOAM6: u16 = 9;

/// Encap type names, as `ip` names them (ila, rpl and xfrm are decoded by name only).
pub const TYPES: &[(&str, u16)] = &[
    ("mpls", LWTUNNEL_ENCAP_MPLS),
    ("ip", LWTUNNEL_ENCAP_IP),
    ("ila", 3),
    ("ip6", LWTUNNEL_ENCAP_IP6),
    ("seg6", LWTUNNEL_ENCAP_SEG6),
    ("bpf", LWTUNNEL_ENCAP_BPF),
    ("seg6local", LWTUNNEL_ENCAP_SEG6_LOCAL),
    ("rpl", 8),
    ("ioam6", LWTUNNEL_ENCAP_IOAM6),
    ("xfrm", 10),
];

/// An encapsulation: its type and the attributes inside its nest, already encoded.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Encap {
    pub ty: u16,
    pub data: Vec<u8>,
}

/// An encap built from settings, with the descriptors it refers to (a pinned BPF program
/// opened by path), which must stay open until the request is sent.
#[derive(Debug, Default)]
pub struct Built {
    pub encap: Encap,
    pub keep: Vec<OwnedFd>,
}

/// The attributes a closure writes, without a message header (a nest's content).
pub(crate) fn body(f: impl FnOnce(&mut MsgBuilder) -> Result<(), String>) -> Result<Vec<u8>, String> {
    let mut b = MsgBuilder::new(0, 0);
    f(&mut b)?;
    Ok(b.finish().split_off(wire::NLMSG_HDRLEN))
}

fn parse_addr<T: std::str::FromStr>(s: &Settings, key: &str, what: &str) -> Result<Option<T>, String> {
    match s.str(key).map_err(|e| format!("encap.{e}"))? {
        None => Ok(None),
        Some(a) => a.parse().map(Some).map_err(|_| format!("encap.{key} must be an {what} address, got {a:?}")),
    }
}

pub(crate) fn v4(s: &Settings, key: &str) -> Result<Option<Ipv4Addr>, String> {
    parse_addr(s, key, "IPv4")
}

pub(crate) fn v6(s: &Settings, key: &str) -> Result<Option<Ipv6Addr>, String> {
    parse_addr(s, key, "IPv6")
}

/// An integer setting, its error naming `encap.KEY`.
pub(crate) fn int(s: &Settings, key: &str, min: i64, max: i64) -> Result<Option<i64>, String> {
    s.int(key, min, max).map_err(|e| format!("encap.{e}"))
}

pub(crate) fn flag(s: &Settings, key: &str) -> Result<bool, String> {
    Ok(s.bool(key).map_err(|e| format!("encap.{e}"))?.unwrap_or(false))
}

/// A list of strings (`segments`), each parsed by `f`.
pub(crate) fn list<T>(s: &Settings, key: &str, what: &str, f: impl Fn(&Value) -> Option<T>) -> Result<Option<Vec<T>>, String> {
    match s.get(key) {
        None => Ok(None),
        Some(Value::List(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| f(v).ok_or_else(|| format!("encap.{key}[{i}] must be {what}")))
            .collect::<Result<_, _>>()
            .map(Some),
        Some(_) => Err(format!("encap.{key} must be a list")),
    }
}

impl Encap {
    /// Encodes `{ type, ...options }` as iproute2 does; unknown keys and bad values are errors.
    pub fn from_settings(s: &Settings) -> Result<Built, String> {
        let name = s.str("type").map_err(|e| format!("encap.{e}"))?.ok_or("encap.type is missing")?;
        let (ty, known): (u16, &[&str]) = match name {
            "seg6" => (LWTUNNEL_ENCAP_SEG6, seg6::KEYS),
            "seg6local" => (LWTUNNEL_ENCAP_SEG6_LOCAL, seg6::LOCAL_KEYS),
            "ip" => (LWTUNNEL_ENCAP_IP, ip::KEYS),
            "ip6" => (LWTUNNEL_ENCAP_IP6, ip::KEYS6),
            "mpls" => (LWTUNNEL_ENCAP_MPLS, mpls::KEYS),
            "bpf" => (LWTUNNEL_ENCAP_BPF, bpf::KEYS),
            "ioam6" => (LWTUNNEL_ENCAP_IOAM6, ioam6::KEYS),
            other => return Err(format!("encap.type must be one of seg6, seg6local, ip, ip6, mpls, bpf, ioam6, got {other:?}")),
        };
        s.check_known(known).map_err(|e| format!("encap ({name}): {e}"))?;
        let mut keep = Vec::new();
        let data = body(|b| match ty {
            LWTUNNEL_ENCAP_SEG6 => seg6::encode(s, b),
            LWTUNNEL_ENCAP_SEG6_LOCAL => seg6::encode_local(s, b, &mut keep),
            LWTUNNEL_ENCAP_IP => ip::encode(s, b, false),
            LWTUNNEL_ENCAP_IP6 => ip::encode(s, b, true),
            LWTUNNEL_ENCAP_MPLS => mpls::encode(s, b),
            LWTUNNEL_ENCAP_BPF => bpf::encode(s, b, &mut keep),
            _ => ioam6::encode(s, b),
        })?;
        Ok(Built { encap: Encap { ty, data }, keep })
    }

    /// The encap as settings, keyed as [`Encap::from_settings`] takes them (what the kernel
    /// reports back can be given again, except a BPF program, which comes back by name only).
    pub fn settings(&self) -> Settings {
        let mut s = Settings::new();
        match TYPES.iter().find(|(_, t)| *t == self.ty) {
            Some((n, _)) => s.set_str("type", *n),
            None => s.set_int("type", self.ty),
        };
        let v = &self.data[..];
        match self.ty {
            LWTUNNEL_ENCAP_SEG6 => seg6::decode(v, &mut s),
            LWTUNNEL_ENCAP_SEG6_LOCAL => seg6::decode_local(v, &mut s),
            LWTUNNEL_ENCAP_IP => ip::decode(v, &mut s, false),
            LWTUNNEL_ENCAP_IP6 => ip::decode(v, &mut s, true),
            LWTUNNEL_ENCAP_MPLS => mpls::decode(v, &mut s),
            LWTUNNEL_ENCAP_BPF => bpf::decode(v, &mut s),
            LWTUNNEL_ENCAP_IOAM6 => ioam6::decode(v, &mut s),
            _ => {}
        }
        s
    }

    /// Writes the nest (`attr`, with NLA_F_NESTED) and then the type (`type_attr`), in
    /// iproute2's order.
    pub fn put(&self, b: &mut MsgBuilder, attr: u16, type_attr: u16) {
        b.attr(attr | wire::NLA_F_NESTED, &self.data);
        b.attr(type_attr, &self.ty.to_ne_bytes());
    }

    /// From the two attributes of a reply; `None` without a type.
    pub fn from_attrs(ty: Option<&[u8]>, data: Option<&[u8]>) -> Option<Encap> {
        let ty = ty.filter(|t| t.len() >= 2).map(|t| wire::u16_at(t, 0))?;
        Some(Encap { ty, data: data.unwrap_or_default().to_vec() })
    }
}

#[cfg(test)]
mod tests;
