//! Conntrack operations in, field for field as src/conntrack/*.ts builds them (checked there;
//! checked again here so nothing malformed reaches the wire). Names (protocols, status bits,
//! TCP states) are numbers by now: src/conntrack/names.ts holds the tables.

use std::net::IpAddr;

use napi_derive::napi;
use nlkit::nfnl::conntrack::{self as ct, entry, Change, Filter, Key, Nat, Request, Tuple};
use nlkit::Error;

/// One direction of an entry, or of a filter (only the fields given are compared).
#[napi(object)]
pub struct ConntrackTupleOp {
    pub src: Option<String>,
    pub dst: Option<String>,
    pub sport: Option<u32>,
    pub dport: Option<u32>,
    pub icmp_type: Option<u32>,
    pub icmp_code: Option<u32>,
    pub icmp_id: Option<u32>,
}

/// One direction's NAT of a create: an address (or a range to `addressMax`), and a port (or
/// a range to `portMax`) for protocols with ports.
#[napi(object)]
pub struct ConntrackNatOp {
    pub address: String,
    pub address_max: Option<String>,
    pub port: Option<u32>,
    pub port_max: Option<u32>,
}

/// One conntrack operation. `op` says which fields it reads:
/// - `list`, `flush`: the filter: `family`, `protocol`, `orig`, `reply`, `mark` + `markMask`,
///   `zone`, `status` + `statusMask` (`flush` refuses tuple fields)
/// - `get`, `delete`: the key: `family`, `protocol`, `orig`, `zone`, `id` (delete only)
/// - `create` (`reply`, `exclusive`, `natSrc`, `natDst`), `update`: the key and `ctTimeout`,
///   `status`, `mark`, `markMask`, `labels`, `labelsMask`, `state`, `helper`
/// - `count`, `stats`: nothing
/// - `expectList` (`family`), `expectFlush` (`helper`); `expectDelete`: `family`, `protocol`,
///   `orig` (the expected tuple), `zone`; `expectCreate`: those and `mask`, `master`,
///   `masterProtocol`, `helper`, `class`, `expectFlags`
#[napi(object)]
pub struct ConntrackOp {
    pub token: u32,
    /// Deadline, ms (default: the connection's).
    pub timeout: Option<u32>,
    pub op: String,
    pub family: Option<u32>,
    pub protocol: Option<u32>,
    pub orig: Option<ConntrackTupleOp>,
    pub reply: Option<ConntrackTupleOp>,
    /// The entry's timeout, seconds.
    pub ct_timeout: Option<u32>,
    pub status: Option<u32>,
    pub status_mask: Option<u32>,
    pub mark: Option<u32>,
    pub mark_mask: Option<u32>,
    pub zone: Option<u32>,
    pub id: Option<u32>,
    /// Label bit numbers (0..=127).
    pub labels: Option<Vec<u32>>,
    pub labels_mask: Option<Vec<u32>>,
    pub state: Option<u32>,
    pub helper: Option<String>,
    pub exclusive: Option<bool>,
    pub nat_src: Option<ConntrackNatOp>,
    pub nat_dst: Option<ConntrackNatOp>,
    pub mask: Option<ConntrackTupleOp>,
    pub master: Option<ConntrackTupleOp>,
    pub master_protocol: Option<u32>,
    pub class: Option<u32>,
    pub expect_flags: Option<u32>,
}

fn small<T: TryFrom<u32>>(v: Option<u32>, what: &str) -> Result<Option<T>, Error> {
    v.map(|n| T::try_from(n).map_err(|_| Error::invalid(format!("{what} {n} is out of range")))).transpose()
}

fn addr(v: &Option<String>, what: &str) -> Result<Option<IpAddr>, Error> {
    v.as_deref().map(|s| s.parse().map_err(|_| Error::invalid(format!("{what} {s:?} is not an IP address")))).transpose()
}

fn tuple(t: &Option<ConntrackTupleOp>, what: &str) -> Result<Tuple, Error> {
    let Some(t) = t else { return Ok(Tuple::default()) };
    Ok(Tuple {
        src: addr(&t.src, what)?,
        dst: addr(&t.dst, what)?,
        proto: None,
        sport: small(t.sport, "sport")?,
        dport: small(t.dport, "dport")?,
        icmp_id: small(t.icmp_id, "icmp id")?,
        icmp_type: small(t.icmp_type, "icmp type")?,
        icmp_code: small(t.icmp_code, "icmp code")?,
        zone: None,
    })
}

fn family(op: &ConntrackOp) -> Result<u8, Error> {
    match op.family.unwrap_or(0) {
        f @ (0 | 2 | 10) => Ok(f as u8),
        f => Err(Error::invalid(format!("family {f} is neither AF_INET nor AF_INET6"))),
    }
}

fn key(op: &ConntrackOp) -> Result<Key, Error> {
    let proto = small(op.protocol, "protocol")?.ok_or_else(|| Error::invalid("protocol is required"))?;
    let family = match family(op)? {
        0 => return Err(Error::invalid("family is required")),
        f => f,
    };
    Ok(Key { family, proto, orig: tuple(&op.orig, "orig")?, zone: small(op.zone, "zone")?, id: op.id })
}

fn masked(v: Option<u32>, mask: Option<u32>) -> Option<(u32, u32)> {
    v.map(|v| (v, mask.unwrap_or(u32::MAX)))
}

pub fn filter(op: &ConntrackOp) -> Result<Filter, Error> {
    Ok(Filter {
        family: family(op)?,
        proto: small(op.protocol, "protocol")?,
        orig: tuple(&op.orig, "orig")?,
        reply: tuple(&op.reply, "reply")?,
        mark: masked(op.mark, op.mark_mask),
        zone: small(op.zone, "zone")?,
        status: op.status.map(|v| (v, op.status_mask.unwrap_or(v))),
    })
}

fn nat(n: &Option<ConntrackNatOp>, family: u8, what: &str) -> Result<Option<Nat>, Error> {
    let Some(n) = n else { return Ok(None) };
    let min = addr(&Some(n.address.clone()), what)?.ok_or_else(|| Error::invalid(format!("{what} needs an address")))?;
    let lo = small::<u16>(n.port, what)?;
    let hi = small::<u16>(n.port_max, what)?;
    if hi.is_some() && lo.is_none() {
        return Err(Error::invalid(format!("{what}: a last port needs a first")));
    }
    Ok(Some(Nat::new(family, min, addr(&n.address_max, what)?, lo.map(|lo| (lo, hi.unwrap_or(lo))))?))
}

fn change(op: &ConntrackOp) -> Result<Change, Error> {
    let labels = |l: &Option<Vec<u32>>| l.as_deref().map(entry::labels_bitmap).transpose();
    let family = family(op)?;
    Ok(Change {
        timeout: op.ct_timeout,
        status: op.status,
        mark: op.mark,
        mark_mask: op.mark_mask,
        labels: labels(&op.labels)?,
        labels_mask: labels(&op.labels_mask)?,
        state: small(op.state, "state")?,
        tcp_flags: None,
        snat: nat(&op.nat_src, family, "natSrc")?,
        dnat: nat(&op.nat_dst, family, "natDst")?,
        helper: op.helper.clone(),
    })
}

pub fn request(op: &ConntrackOp) -> Result<Request, Error> {
    match op.op.as_str() {
        "list" => Ok(ct::list(filter(op)?)),
        "flush" => {
            let f = filter(op)?;
            if !f.kernel_only() {
                return Err(Error::invalid("a flush selects by family, mark, zone and status only"));
            }
            Ok(ct::flush(&f))
        }
        "get" => Ok(ct::get(&key(op)?)),
        "delete" => Ok(ct::delete(&key(op)?)),
        "create" => {
            let k = key(op)?;
            let reply = match &op.reply {
                Some(_) => tuple(&op.reply, "reply")?,
                None => Tuple { proto: Some(k.proto), ..k.orig.clone() }.inverted(),
            };
            if op.ct_timeout.is_none() {
                return Err(Error::invalid("timeout is required"));
            }
            Ok(ct::create(&k, &reply, &change(op)?, op.exclusive.unwrap_or(true)))
        }
        "update" => Ok(ct::update(&key(op)?, &change(op)?)),
        "expectList" => Ok(ct::expect::list(family(op)?)),
        "expectDelete" => Ok(ct::expect::delete(&key(op)?)),
        "expectFlush" => Ok(ct::expect::flush(op.helper.as_deref())),
        "expectCreate" => {
            let k = key(op)?;
            let master_proto = small(op.master_protocol, "master protocol")?.unwrap_or(k.proto);
            let master = Key { proto: master_proto, orig: tuple(&op.master, "master")?, ..k.clone() };
            let spec = ct::expect::ExpectSpec {
                proto: k.proto,
                tuple: k.orig,
                mask: tuple(&op.mask, "mask")?,
                master,
                helper: op.helper.clone(),
                class: op.class,
                flags: op.expect_flags,
            };
            Ok(ct::expect::create(&spec))
        }
        "count" => Ok(ct::count()),
        "stats" => Ok(ct::cpu_stats()),
        other => Err(Error::invalid(format!("unknown conntrack operation {other:?}"))),
    }
}
