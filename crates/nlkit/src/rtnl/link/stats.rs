//! Link statistics through RTM_GETSTATS (`ip stats show`): the `link` group (every counter of
//! `rtnl_link_stats64`), the `offload` group (CPU-hit counters, L3 hardware counters and
//! whether they are requested/used), and the kind-specific `xstats`, `xstats_slave` and
//! `afstats` groups (decoded in xstats.rs). Unlike RTM_GETLINK, the kernel sends only the groups asked
//! for in the filter mask, so a statistics poll costs one small message per link.

use super::xstats::{decode_af, decode_xstats};
use super::{decode_stats64, LinkStats};
use crate::rtnl::settings::Settings;
use crate::wire::{self, attr_u8, attrs, fixed, MsgBuilder, WireError, NLM_F_DUMP};

pub const RTM_NEWSTATS: u16 = 92;
pub const RTM_GETSTATS: u16 = 94;

const IFLA_STATS_LINK_64: u16 = 1;
const IFLA_STATS_LINK_XSTATS: u16 = 2;
const IFLA_STATS_LINK_XSTATS_SLAVE: u16 = 3;
const IFLA_STATS_LINK_OFFLOAD_XSTATS: u16 = 4;
const IFLA_STATS_AF_SPEC: u16 = 5;
const IFLA_OFFLOAD_XSTATS_CPU_HIT: u16 = 1;
const IFLA_OFFLOAD_XSTATS_HW_S_INFO: u16 = 2;
const IFLA_OFFLOAD_XSTATS_L3_STATS: u16 = 3;
const IFLA_OFFLOAD_XSTATS_HW_S_INFO_REQUEST: u16 = 1;
const IFLA_OFFLOAD_XSTATS_HW_S_INFO_USED: u16 = 2;

/// Size of `struct if_stats_msg`.
const IF_STATS_MSG_LEN: usize = 12;

/// The groups a request can ask for (bits of `filter_mask`).
pub const GROUP_LINK: u32 = 1 << (IFLA_STATS_LINK_64 - 1);
pub const GROUP_OFFLOAD: u32 = 1 << (IFLA_STATS_LINK_OFFLOAD_XSTATS - 1);
pub const GROUP_XSTATS: u32 = 1 << (IFLA_STATS_LINK_XSTATS - 1);
pub const GROUP_XSTATS_SLAVE: u32 = 1 << (IFLA_STATS_LINK_XSTATS_SLAVE - 1);
pub const GROUP_AFSTATS: u32 = 1 << (IFLA_STATS_AF_SPEC - 1);

/// One link's statistics, the groups the kernel sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    pub index: u32,
    pub link: Option<LinkStats>,
    pub offload: Option<Offload>,
    /// The link kind's own counters (a bridge's, a bond's).
    pub xstats: Option<Settings>,
    /// The counters of the link as a port of its master (a bridge port's).
    pub xstats_slave: Option<Settings>,
    /// Per address family (MPLS).
    pub afstats: Option<Settings>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Offload {
    /// Traffic the CPU handled on a device that offloads forwarding.
    pub cpu_hit: Option<LinkStats>,
    /// `struct rtnl_hw_stats64` (the first nine counters of rtnl_link_stats64's layout).
    pub l3_stats: Option<LinkStats>,
    /// L3 hardware statistics: (requested, in use).
    pub l3_info: Option<(bool, bool)>,
}

/// RTM_GETSTATS for link `index`, or a dump of every link when `index` is 0.
pub fn request(index: u32, groups: u32) -> Vec<u8> {
    let mut b = MsgBuilder::new(RTM_GETSTATS, if index == 0 { NLM_F_DUMP } else { 0 });
    let mut h = [0u8; IF_STATS_MSG_LEN];
    h[4..8].copy_from_slice(&index.to_ne_bytes());
    h[8..12].copy_from_slice(&groups.to_ne_bytes());
    b.push(&h);
    b.finish()
}

pub fn decode(payload: &[u8]) -> Result<Stats, WireError> {
    if payload.len() < IF_STATS_MSG_LEN {
        return Err(WireError("short if_stats_msg"));
    }
    let h: [u8; IF_STATS_MSG_LEN] = fixed(payload);
    let mut s = Stats { index: wire::u32_at(&h, 4), ..Default::default() };
    for a in attrs(&payload[IF_STATS_MSG_LEN..]) {
        let (ty, v) = a?;
        match ty {
            IFLA_STATS_LINK_64 => s.link = Some(decode_stats64(v)),
            IFLA_STATS_LINK_OFFLOAD_XSTATS => s.offload = Some(decode_offload(v)?),
            IFLA_STATS_LINK_XSTATS => s.xstats = Some(decode_xstats(v)?),
            IFLA_STATS_LINK_XSTATS_SLAVE => s.xstats_slave = Some(decode_xstats(v)?),
            IFLA_STATS_AF_SPEC => s.afstats = Some(decode_af(v)?),
            _ => {}
        }
    }
    Ok(s)
}

fn decode_offload(v: &[u8]) -> Result<Offload, WireError> {
    let mut o = Offload::default();
    for a in attrs(v) {
        let (ty, v) = a?;
        match ty {
            IFLA_OFFLOAD_XSTATS_CPU_HIT => o.cpu_hit = Some(decode_stats64(v)),
            IFLA_OFFLOAD_XSTATS_L3_STATS => o.l3_stats = Some(decode_stats64(&v[..v.len().min(9 * 8)])),
            IFLA_OFFLOAD_XSTATS_HW_S_INFO => {
                for a in attrs(v) {
                    let (ty, v) = a?;
                    if ty != IFLA_OFFLOAD_XSTATS_L3_STATS {
                        continue;
                    }
                    let (mut req, mut used) = (false, false);
                    for a in attrs(v) {
                        let (ty, v) = a?;
                        match ty {
                            IFLA_OFFLOAD_XSTATS_HW_S_INFO_REQUEST => req = attr_u8(v).unwrap_or(0) != 0,
                            IFLA_OFFLOAD_XSTATS_HW_S_INFO_USED => used = attr_u8(v).unwrap_or(0) != 0,
                            _ => {}
                        }
                    }
                    o.l3_info = Some((req, used));
                }
            }
            _ => {}
        }
    }
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::NLMSG_HDRLEN;

    /// `ip stats show dev v0 group link` (iproute2 6.1) sends exactly this (seq zeroed).
    #[test]
    fn request_equals_iproute2() {
        let mut want = vec![28, 0, 0, 0, 0x5e, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        want.extend_from_slice(&[0, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0]);
        assert_eq!(request(4, GROUP_LINK), want);
        let d = request(0, GROUP_LINK | GROUP_OFFLOAD);
        assert_eq!(wire::u16_at(&d, 6), 0x301);
        assert_eq!(wire::u32_at(&d, NLMSG_HDRLEN + 8), 0b1001);
    }

    #[test]
    fn decodes_groups_and_survives_short_structs() {
        let mut b = MsgBuilder::new(RTM_NEWSTATS, 0);
        b.push(&[0, 0, 0, 0, 7, 0, 0, 0, 9, 0, 0, 0]);
        let counters: Vec<u8> = (1..=25u64).flat_map(|i| i.to_ne_bytes()).collect();
        b.attr(IFLA_STATS_LINK_64, &counters);
        let o = b.nest_start(IFLA_STATS_LINK_OFFLOAD_XSTATS);
        b.attr(IFLA_OFFLOAD_XSTATS_CPU_HIT, &counters[..16]); // short: the rest reads 0
        let i = b.nest_start(IFLA_OFFLOAD_XSTATS_HW_S_INFO);
        let l3 = b.nest_start(IFLA_OFFLOAD_XSTATS_L3_STATS);
        b.attr(IFLA_OFFLOAD_XSTATS_HW_S_INFO_REQUEST, &[1]);
        b.attr(IFLA_OFFLOAD_XSTATS_HW_S_INFO_USED, &[0]);
        b.nest_end(l3);
        b.nest_end(i);
        b.attr(IFLA_OFFLOAD_XSTATS_L3_STATS, &counters); // longer than rtnl_hw_stats64
        b.nest_end(o);
        let m = b.finish();
        let s = decode(&m[NLMSG_HDRLEN..]).unwrap();
        assert_eq!(s.index, 7);
        let l = s.link.unwrap();
        assert_eq!((l.rx_packets, l.tx_dropped, l.detail[0], l.detail[16]), (1, 8, 9, 25));
        let off = s.offload.unwrap();
        let c = off.cpu_hit.unwrap();
        assert_eq!((c.rx_packets, c.tx_packets, c.rx_bytes), (1, 2, 0));
        assert_eq!(off.l3_info, Some((true, false)));
        let l3 = off.l3_stats.unwrap();
        assert_eq!((l3.detail[0], l3.detail[1]), (9, 0), "multicast is rtnl_hw_stats64's last counter");
        assert!(decode(&[0; 11]).is_err());
        for cut in IF_STATS_MSG_LEN..m.len() - NLMSG_HDRLEN {
            let _ = decode(&m[NLMSG_HDRLEN..NLMSG_HDRLEN + cut]);
        }
    }
}
