//! rtnetlink in strace's notation: message types, the family headers (ifinfomsg, ifaddrmsg,
//! rtmsg, ndmsg, fib_rule_hdr, tcmsg, nhmsg) and the attribute names of each.

use super::print::{self, address_family, field, flags, Hex, Kind::*, Table};
use crate::wire::{self, MsgHeader};

/// Name of an RTM_* type.
pub fn type_name(ty: u16) -> Option<&'static str> {
    const NAMES: &[&str] = &[
        "RTM_NEWLINK",
        "RTM_DELLINK",
        "RTM_GETLINK",
        "RTM_SETLINK", // 16
        "RTM_NEWADDR",
        "RTM_DELADDR",
        "RTM_GETADDR",
        "", // 20
        "RTM_NEWROUTE",
        "RTM_DELROUTE",
        "RTM_GETROUTE",
        "", // 24
        "RTM_NEWNEIGH",
        "RTM_DELNEIGH",
        "RTM_GETNEIGH",
        "", // 28
        "RTM_NEWRULE",
        "RTM_DELRULE",
        "RTM_GETRULE",
        "", // 32
        "RTM_NEWQDISC",
        "RTM_DELQDISC",
        "RTM_GETQDISC",
        "", // 36
        "RTM_NEWTCLASS",
        "RTM_DELTCLASS",
        "RTM_GETTCLASS",
        "", // 40
        "RTM_NEWTFILTER",
        "RTM_DELTFILTER",
        "RTM_GETTFILTER",
        "", // 44
        "RTM_NEWACTION",
        "RTM_DELACTION",
        "RTM_GETACTION",
        "", // 48
    ];
    const MORE: &[(u32, &str)] = &[
        (88, "RTM_NEWNSID"),
        (89, "RTM_DELNSID"),
        (90, "RTM_GETNSID"),
        (92, "RTM_NEWSTATS"),
        (94, "RTM_GETSTATS"),
        (100, "RTM_NEWCHAIN"),
        (101, "RTM_DELCHAIN"),
        (102, "RTM_GETCHAIN"),
        (104, "RTM_NEWNEXTHOP"),
        (105, "RTM_DELNEXTHOP"),
        (106, "RTM_GETNEXTHOP"),
        (108, "RTM_NEWLINKPROP"),
        (109, "RTM_DELLINKPROP"),
        (110, "RTM_GETLINKPROP"),
        (112, "RTM_NEWVLAN"),
        (113, "RTM_DELVLAN"),
        (114, "RTM_GETVLAN"),
        (116, "RTM_NEWNEXTHOPBUCKET"),
        (117, "RTM_DELNEXTHOPBUCKET"),
        (118, "RTM_GETNEXTHOPBUCKET"),
    ];
    match ty {
        16..=50 => NAMES.get(ty as usize - 16).copied().filter(|n| !n.is_empty()),
        _ => MORE.iter().find(|m| m.0 == ty as u32).map(|m| m.1),
    }
}

/// The flags of a NEW, DEL or GET request (rtnetlink numbers its types in fours).
pub fn type_flags(ty: u16) -> &'static [(u32, &'static str)] {
    match ty % 4 {
        0 => print::NEW_FLAGS,
        1 => print::DEL_FLAGS,
        2 => print::GET_FLAGS,
        _ => &[],
    }
}

/// The header and payload of one rtnetlink message (not a control message).
pub fn message(out: &mut String, h: &MsgHeader, p: &[u8]) {
    let name = type_name(h.ty).map_or_else(|| format!("{:#x}", h.ty), str::to_string);
    print::header(out, h, &name, type_flags(h.ty));
    let (hdr_len, table): (usize, &Table) = match h.ty {
        16..=19 | 108..=110 => (16, &IFLA),
        20..=22 => (8, &IFA),
        24..=26 => (12, &RTA),
        28..=30 => (12, &NDA),
        32..=34 => (12, &FRA),
        36..=46 | 100..=102 => (20, &TCA),
        104..=106 => (8, &NHA),
        _ => {
            if !p.is_empty() {
                out.push_str(", ");
                print::bytes(out, p);
            }
            return;
        }
    };
    out.push_str(", ");
    if p.len() < hdr_len {
        // GET requests may carry only a family byte (rtgenmsg).
        print::bytes(out, p);
        return;
    }
    family_header(out, h.ty, &p[..hdr_len]);
    let rest = &p[wire::align4(hdr_len).min(p.len())..];
    if !rest.is_empty() {
        out.push_str(", ");
        print::attrs(out, rest, table, 0);
    }
}

fn family_header(out: &mut String, ty: u16, b: &[u8]) {
    let fam = address_family(b[0]);
    let u32_at = |o| wire::u32_at(b, o);
    out.push('{');
    match ty {
        16..=19 | 108..=110 => {
            field(out, true, "ifi_family", format_args!("{fam}"));
            field(out, false, "ifi_type", format_args!("{}", arphrd(wire::u16_at(b, 2))));
            field(out, false, "ifi_index", format_args!("{}", u32_at(4) as i32));
            out.push_str(", ifi_flags=");
            flags(out, u32_at(8), IFF);
            field(out, false, "ifi_change", format_args!("{}", Hex(u32_at(12))));
        }
        20..=22 => {
            field(out, true, "ifa_family", format_args!("{fam}"));
            field(out, false, "ifa_prefixlen", format_args!("{}", b[1]));
            out.push_str(", ifa_flags=");
            flags(out, b[2] as u32, IFA_F);
            field(out, false, "ifa_scope", format_args!("{}", scope(b[3])));
            field(out, false, "ifa_index", format_args!("{}", u32_at(4)));
        }
        24..=26 => {
            field(out, true, "rtm_family", format_args!("{fam}"));
            field(out, false, "rtm_dst_len", format_args!("{}", b[1]));
            field(out, false, "rtm_src_len", format_args!("{}", b[2]));
            field(out, false, "rtm_tos", format_args!("{}", b[3]));
            field(out, false, "rtm_table", format_args!("{}", table(b[4])));
            field(out, false, "rtm_protocol", format_args!("{}", protocol(b[5])));
            field(out, false, "rtm_scope", format_args!("{}", scope(b[6])));
            field(out, false, "rtm_type", format_args!("{}", rtn(b[7])));
            out.push_str(", rtm_flags=");
            flags(out, u32_at(8), RTM_F);
        }
        28..=30 => {
            field(out, true, "ndm_family", format_args!("{fam}"));
            field(out, false, "ndm_ifindex", format_args!("{}", u32_at(4)));
            out.push_str(", ndm_state=");
            let st = wire::u16_at(b, 8);
            if st == 0 {
                out.push_str("NUD_NONE");
            } else {
                flags(out, st as u32, NUD);
            }
            out.push_str(", ndm_flags=");
            if b[10] == 0 {
                out.push('0');
            } else {
                flags(out, b[10] as u32, NTF);
            }
            field(out, false, "ndm_type", format_args!("{}", rtn(b[11])));
        }
        32..=34 => {
            field(out, true, "family", format_args!("{fam}"));
            field(out, false, "dst_len", format_args!("{}", b[1]));
            field(out, false, "src_len", format_args!("{}", b[2]));
            field(out, false, "tos", format_args!("{}", b[3]));
            field(out, false, "table", format_args!("{}", table(b[4])));
            field(out, false, "action", format_args!("{}", fr_action(b[7])));
            field(out, false, "flags", format_args!("{}", Hex(u32_at(8))));
        }
        104..=106 => {
            field(out, true, "nh_family", format_args!("{fam}"));
            field(out, false, "nh_scope", format_args!("{}", scope(b[1])));
            field(out, false, "nh_protocol", format_args!("{}", protocol(b[2])));
            field(out, false, "nh_flags", format_args!("{}", Hex(u32_at(4))));
        }
        _ => {
            field(out, true, "tcm_family", format_args!("{fam}"));
            field(out, false, "tcm_ifindex", format_args!("{}", u32_at(4) as i32));
            field(out, false, "tcm_handle", format_args!("{}", Hex(u32_at(8))));
            field(out, false, "tcm_parent", format_args!("{}", Hex(u32_at(12))));
            field(out, false, "tcm_info", format_args!("{}", Hex(u32_at(16))));
        }
    }
    out.push('}');
}

fn named(v: u32, names: &[(u32, &'static str)]) -> String {
    names.iter().find(|n| n.0 == v).map_or_else(|| v.to_string(), |n| n.1.to_string())
}

fn arphrd(t: u16) -> String {
    let names = [
        (1, "ARPHRD_ETHER"),
        (772, "ARPHRD_LOOPBACK"),
        (65534, "ARPHRD_NONE"),
        (776, "ARPHRD_SIT"),
        (768, "ARPHRD_TUNNEL"),
        (769, "ARPHRD_TUNNEL6"),
        (778, "ARPHRD_IPGRE"),
        (0, "ARPHRD_NETROM"),
    ];
    named(t as u32, &names)
}

fn scope(s: u8) -> String {
    named(
        s as u32,
        &[(0, "RT_SCOPE_UNIVERSE"), (200, "RT_SCOPE_SITE"), (253, "RT_SCOPE_LINK"), (254, "RT_SCOPE_HOST"), (255, "RT_SCOPE_NOWHERE")],
    )
}

const TABLES: &[(u32, &str)] =
    &[(0, "RT_TABLE_UNSPEC"), (252, "RT_TABLE_COMPAT"), (253, "RT_TABLE_DEFAULT"), (254, "RT_TABLE_MAIN"), (255, "RT_TABLE_LOCAL")];

fn table(t: u8) -> String {
    TABLES.iter().find(|n| n.0 == t as u32).map_or_else(|| format!("{t:#x}"), |n| n.1.to_string())
}

fn protocol(p: u8) -> String {
    let names =
        [(0, "RTPROT_UNSPEC"), (1, "RTPROT_REDIRECT"), (2, "RTPROT_KERNEL"), (3, "RTPROT_BOOT"), (4, "RTPROT_STATIC"), (16, "RTPROT_DHCP")];
    named(p as u32, &names)
}

fn rtn(t: u8) -> String {
    const N: [&str; 12] = [
        "RTN_UNSPEC",
        "RTN_UNICAST",
        "RTN_LOCAL",
        "RTN_BROADCAST",
        "RTN_ANYCAST",
        "RTN_MULTICAST",
        "RTN_BLACKHOLE",
        "RTN_UNREACHABLE",
        "RTN_PROHIBIT",
        "RTN_THROW",
        "RTN_NAT",
        "RTN_XRESOLVE",
    ];
    N.get(t as usize).map_or_else(|| t.to_string(), |s| s.to_string())
}

fn fr_action(a: u8) -> String {
    const N: [&str; 9] = [
        "FR_ACT_UNSPEC",
        "FR_ACT_TO_TBL",
        "FR_ACT_GOTO",
        "FR_ACT_NOP",
        "FR_ACT_RES3",
        "FR_ACT_RES4",
        "FR_ACT_BLACKHOLE",
        "FR_ACT_UNREACHABLE",
        "FR_ACT_PROHIBIT",
    ];
    N.get(a as usize).map_or_else(|| a.to_string(), |s| s.to_string())
}

const IFF: &[(u32, &str)] = &[
    (0x1, "IFF_UP"),
    (0x2, "IFF_BROADCAST"),
    (0x4, "IFF_DEBUG"),
    (0x8, "IFF_LOOPBACK"),
    (0x10, "IFF_POINTOPOINT"),
    (0x20, "IFF_NOTRAILERS"),
    (0x40, "IFF_RUNNING"),
    (0x80, "IFF_NOARP"),
    (0x100, "IFF_PROMISC"),
    (0x200, "IFF_ALLMULTI"),
    (0x400, "IFF_MASTER"),
    (0x800, "IFF_SLAVE"),
    (0x1000, "IFF_MULTICAST"),
    (0x2000, "IFF_PORTSEL"),
    (0x4000, "IFF_AUTOMEDIA"),
    (0x8000, "IFF_DYNAMIC"),
    (0x10000, "IFF_LOWER_UP"),
    (0x20000, "IFF_DORMANT"),
    (0x40000, "IFF_ECHO"),
];
const IFA_F: &[(u32, &str)] = &[
    (0x1, "IFA_F_SECONDARY"),
    (0x2, "IFA_F_NODAD"),
    (0x4, "IFA_F_OPTIMISTIC"),
    (0x8, "IFA_F_DADFAILED"),
    (0x10, "IFA_F_HOMEADDRESS"),
    (0x20, "IFA_F_DEPRECATED"),
    (0x40, "IFA_F_TENTATIVE"),
    (0x80, "IFA_F_PERMANENT"),
];
const RTM_F: &[(u32, &str)] = &[
    (0x1, "RTNH_F_DEAD"),
    (0x2, "RTNH_F_PERVASIVE"),
    (0x4, "RTNH_F_ONLINK"),
    (0x8, "RTNH_F_OFFLOAD"),
    (0x10, "RTNH_F_LINKDOWN"),
    (0x20, "RTNH_F_UNRESOLVED"),
    (0x40, "RTNH_F_TRAP"),
    (0x100, "RTM_F_NOTIFY"),
    (0x200, "RTM_F_CLONED"),
    (0x400, "RTM_F_EQUALIZE"),
    (0x800, "RTM_F_PREFIX"),
    (0x1000, "RTM_F_LOOKUP_TABLE"),
    (0x2000, "RTM_F_FIB_MATCH"),
    (0x4000, "RTM_F_OFFLOAD"),
    (0x8000, "RTM_F_TRAP"),
];
const NUD: &[(u32, &str)] = &[
    (0x1, "NUD_INCOMPLETE"),
    (0x2, "NUD_REACHABLE"),
    (0x4, "NUD_STALE"),
    (0x8, "NUD_DELAY"),
    (0x10, "NUD_PROBE"),
    (0x20, "NUD_FAILED"),
    (0x40, "NUD_NOARP"),
    (0x80, "NUD_PERMANENT"),
];
const NTF: &[(u32, &str)] = &[
    (0x1, "NTF_USE"),
    (0x2, "NTF_SELF"),
    (0x4, "NTF_MASTER"),
    (0x8, "NTF_PROXY"),
    (0x10, "NTF_EXT_LEARNED"),
    (0x20, "NTF_OFFLOADED"),
    (0x40, "NTF_STICKY"),
    (0x80, "NTF_ROUTER"),
];

static LINKINFO: Table = Table(&[
    (1, "IFLA_INFO_KIND", Str),
    (2, "IFLA_INFO_DATA", Bin),
    (3, "IFLA_INFO_XSTATS", Bin),
    (4, "IFLA_INFO_SLAVE_KIND", Str),
    (5, "IFLA_INFO_SLAVE_DATA", Bin),
]);
static PROP_LIST: Table = Table(&[(53, "IFLA_ALT_IFNAME", Str)]);
static IFLA: Table = Table(&[
    (1, "IFLA_ADDRESS", Mac),
    (2, "IFLA_BROADCAST", Mac),
    (3, "IFLA_IFNAME", Str),
    (4, "IFLA_MTU", U32),
    (5, "IFLA_LINK", U32),
    (6, "IFLA_QDISC", Str),
    (7, "IFLA_STATS", Bin),
    (10, "IFLA_MASTER", U32),
    (13, "IFLA_TXQLEN", U32),
    (16, "IFLA_OPERSTATE", U8),
    (17, "IFLA_LINKMODE", U8),
    (18, "IFLA_LINKINFO", Nested(&LINKINFO)),
    (19, "IFLA_NET_NS_PID", U32),
    (20, "IFLA_IFALIAS", Str),
    (21, "IFLA_NUM_VF", U32),
    (23, "IFLA_STATS64", Bin),
    (26, "IFLA_AF_SPEC", Bin),
    (27, "IFLA_GROUP", U32),
    (28, "IFLA_NET_NS_FD", U32),
    (29, "IFLA_EXT_MASK", U32),
    (30, "IFLA_PROMISCUITY", U32),
    (31, "IFLA_NUM_TX_QUEUES", U32),
    (32, "IFLA_NUM_RX_QUEUES", U32),
    (33, "IFLA_CARRIER", U8),
    (35, "IFLA_CARRIER_CHANGES", U32),
    (37, "IFLA_LINK_NETNSID", S32),
    (39, "IFLA_PROTO_DOWN", U8),
    (40, "IFLA_GSO_MAX_SEGS", U32),
    (41, "IFLA_GSO_MAX_SIZE", U32),
    (43, "IFLA_XDP", Bin),
    (45, "IFLA_NEW_NETNSID", S32),
    (46, "IFLA_TARGET_NETNSID", S32),
    (47, "IFLA_CARRIER_UP_COUNT", U32),
    (48, "IFLA_CARRIER_DOWN_COUNT", U32),
    (49, "IFLA_NEW_IFINDEX", S32),
    (50, "IFLA_MIN_MTU", U32),
    (51, "IFLA_MAX_MTU", U32),
    (52, "IFLA_PROP_LIST", Nested(&PROP_LIST)),
    (53, "IFLA_ALT_IFNAME", Str),
    (54, "IFLA_PERM_ADDRESS", Mac),
    (56, "IFLA_PARENT_DEV_NAME", Str),
    (57, "IFLA_PARENT_DEV_BUS_NAME", Str),
    (58, "IFLA_GRO_MAX_SIZE", U32),
    (59, "IFLA_TSO_MAX_SIZE", U32),
    (60, "IFLA_TSO_MAX_SEGS", U32),
    (61, "IFLA_ALLMULTI", U32),
    (63, "IFLA_GSO_IPV4_MAX_SIZE", U32),
    (64, "IFLA_GRO_IPV4_MAX_SIZE", U32),
]);
static IFA: Table = Table(&[
    (1, "IFA_ADDRESS", Addr),
    (2, "IFA_LOCAL", Addr),
    (3, "IFA_LABEL", Str),
    (4, "IFA_BROADCAST", Addr),
    (5, "IFA_ANYCAST", Addr),
    (6, "IFA_CACHEINFO", Bin),
    (7, "IFA_MULTICAST", Addr),
    (8, "IFA_FLAGS", U32),
    (9, "IFA_RT_PRIORITY", U32),
    (10, "IFA_TARGET_NETNSID", S32),
    (11, "IFA_PROTO", U8),
]);
static RTAX: Table = Table(&[
    (1, "RTAX_LOCK", U32),
    (2, "RTAX_MTU", U32),
    (3, "RTAX_WINDOW", U32),
    (4, "RTAX_RTT", U32),
    (5, "RTAX_RTTVAR", U32),
    (6, "RTAX_SSTHRESH", U32),
    (7, "RTAX_CWND", U32),
    (8, "RTAX_ADVMSS", U32),
    (9, "RTAX_REORDERING", U32),
    (10, "RTAX_HOPLIMIT", U32),
    (11, "RTAX_INITCWND", U32),
    (12, "RTAX_FEATURES", U32),
    (13, "RTAX_RTO_MIN", U32),
    (14, "RTAX_INITRWND", U32),
    (15, "RTAX_QUICKACK", U32),
    (16, "RTAX_CC_ALGO", Str),
    (17, "RTAX_FASTOPEN_NO_COOKIE", U32),
]);
static RTA: Table = Table(&[
    (1, "RTA_DST", Addr),
    (2, "RTA_SRC", Addr),
    (3, "RTA_IIF", U32),
    (4, "RTA_OIF", U32),
    (5, "RTA_GATEWAY", Addr),
    (6, "RTA_PRIORITY", U32),
    (7, "RTA_PREFSRC", Addr),
    (8, "RTA_METRICS", Nested(&RTAX)),
    (9, "RTA_MULTIPATH", Bin),
    (11, "RTA_FLOW", U32),
    (12, "RTA_CACHEINFO", Bin),
    (15, "RTA_TABLE", Named(TABLES)),
    (16, "RTA_MARK", U32),
    (17, "RTA_MFC_STATS", Bin),
    (18, "RTA_VIA", Bin),
    (19, "RTA_NEWDST", Bin),
    (20, "RTA_PREF", U8),
    (21, "RTA_ENCAP_TYPE", U16),
    (22, "RTA_ENCAP", Bin),
    (23, "RTA_EXPIRES", U32),
    (25, "RTA_UID", U32),
    (26, "RTA_TTL_PROPAGATE", U8),
    (27, "RTA_IP_PROTO", U8),
    (28, "RTA_SPORT", Bin),
    (29, "RTA_DPORT", Bin),
    (30, "RTA_NH_ID", U32),
]);
static NDA: Table = Table(&[
    (1, "NDA_DST", Addr),
    (2, "NDA_LLADDR", Mac),
    (3, "NDA_CACHEINFO", Bin),
    (4, "NDA_PROBES", U32),
    (5, "NDA_VLAN", U16),
    (6, "NDA_PORT", Bin),
    (7, "NDA_VNI", U32),
    (8, "NDA_IFINDEX", U32),
    (9, "NDA_MASTER", U32),
    (10, "NDA_LINK_NETNSID", S32),
    (11, "NDA_SRC_VNI", U32),
    (12, "NDA_PROTOCOL", U8),
    (13, "NDA_NH_ID", U32),
    (15, "NDA_FLAGS_EXT", U32),
    (16, "NDA_NDM_STATE_MASK", U16),
    (17, "NDA_NDM_FLAGS_MASK", U8),
]);
static FRA: Table = Table(&[
    (1, "FRA_DST", Addr),
    (2, "FRA_SRC", Addr),
    (3, "FRA_IIFNAME", Str),
    (4, "FRA_GOTO", U32),
    (6, "FRA_PRIORITY", U32),
    (10, "FRA_FWMARK", U32),
    (11, "FRA_FLOW", U32),
    (12, "FRA_TUN_ID", Bin),
    (13, "FRA_SUPPRESS_IFGROUP", U32),
    (14, "FRA_SUPPRESS_PREFIXLEN", U32),
    (15, "FRA_TABLE", Named(TABLES)),
    (16, "FRA_FWMASK", U32),
    (17, "FRA_OIFNAME", Str),
    (19, "FRA_L3MDEV", U8),
    (20, "FRA_UID_RANGE", Bin),
    (21, "FRA_PROTOCOL", U8),
    (22, "FRA_IP_PROTO", U8),
    (23, "FRA_SPORT_RANGE", Bin),
    (24, "FRA_DPORT_RANGE", Bin),
    (25, "FRA_DSCP", U8),
]);
static TCA: Table = Table(&[
    (1, "TCA_KIND", Str),
    (2, "TCA_OPTIONS", Bin),
    (3, "TCA_STATS", Bin),
    (4, "TCA_XSTATS", Bin),
    (5, "TCA_RATE", Bin),
    (6, "TCA_FCNT", U32),
    (7, "TCA_STATS2", Bin),
    (8, "TCA_STAB", Bin),
    (10, "TCA_DUMP_INVISIBLE", Flag),
    (11, "TCA_CHAIN", U32),
    (12, "TCA_HW_OFFLOAD", U8),
    (13, "TCA_INGRESS_BLOCK", U32),
    (14, "TCA_EGRESS_BLOCK", U32),
    (15, "TCA_DUMP_FLAGS", Bin),
    (16, "TCA_EXT_WARN_MSG", Str),
]);
static NHA: Table = Table(&[
    (1, "NHA_ID", U32),
    (2, "NHA_GROUP", Bin),
    (3, "NHA_GROUP_TYPE", U16),
    (4, "NHA_BLACKHOLE", Flag),
    (5, "NHA_OIF", U32),
    (6, "NHA_GATEWAY", Addr),
    (7, "NHA_ENCAP_TYPE", U16),
    (8, "NHA_ENCAP", Bin),
    (9, "NHA_GROUPS", Flag),
    (10, "NHA_MASTER", U32),
    (11, "NHA_FDB", Flag),
    (12, "NHA_RES_GROUP", Bin),
    (13, "NHA_RES_BUCKET", Bin),
]);
