/**
 * The settings of the IP tunnel kinds in {@link linkAdd} (gre, gretap, ip6gre, ip6gretap, ipip,
 * sit, geneve, vti, vti6, xfrm, bareudp, ip6tnl), split from link-kinds.ts to keep each file short.
 *
 * @module
 */

import type { LinkRef } from './types.js'

/**
 * The GRE tunnel (gre, gretap, ip6gre, ip6gretap) settings of {@link linkAdd} (flat or in `linkinfo`), as crates/nlkit/src/rtnl/link/kinds/gre.rs accepts them.
 *
 * @category Links
 */
export interface GreSettings {
  /** An integer in [1..IFINDEX_MAX] (IFLA_GRE_LINK). */
  dev?: LinkRef
  /** Local (source) address of the tunnel. */
  local?: string
  /** Remote address. */
  remote?: string
  /** An integer (IFLA_GRE_TTL). */
  ttl?: number
  /** An integer (IFLA_GRE_TOS). */
  tos?: number
  /** A boolean (IFLA_GRE_PMTUDISC). */
  pmtudisc?: boolean
  /** A boolean (IFLA_GRE_IGNORE_DF). */
  ignoreDf?: boolean
  /** An integer (IFLA_GRE_FWMARK). */
  fwmark?: number
  /** `true` sets the flag (IFLA_GRE_COLLECT_METADATA). */
  external?: boolean
  /** Input GRE key (sets GRE_KEY). */
  ikey?: number
  /** Output GRE key (sets GRE_KEY). */
  okey?: number
  /** Input sequence numbers (GRE_SEQ). */
  iseq?: boolean
  /** Output sequence numbers (GRE_SEQ). */
  oseq?: boolean
  /** Input checksums (GRE_CSUM). */
  icsum?: boolean
  /** Output checksums (GRE_CSUM). */
  ocsum?: boolean
  /** An integer (IFLA_GRE_ENCAP_LIMIT). */
  encapLimit?: number
  /** IPv6 traffic class, an integer in [0..255] (IFLA_GRE_FLOWINFO). */
  tclass?: number
  /** IPv6 flow label, an integer in [0..2^20-1] (IFLA_GRE_FLOWINFO). */
  flowlabel?: number
}

/**
 * The ipip / sit tunnel settings of {@link linkAdd} (flat or in `linkinfo`), as crates/nlkit/src/rtnl/link/kinds/ipip.rs accepts them.
 *
 * @category Links
 */
export interface IptunSettings {
  /** An integer in [1..IFINDEX_MAX] (IFLA_IPTUN_LINK). */
  dev?: LinkRef
  /** Local (source) address of the tunnel. */
  local?: string
  /** Remote address. */
  remote?: string
  /** An integer (IFLA_IPTUN_TTL). */
  ttl?: number
  /** An integer (IFLA_IPTUN_TOS). */
  tos?: number
  /** A boolean (IFLA_IPTUN_PMTUDISC). */
  pmtudisc?: boolean
  /** An integer (IFLA_IPTUN_FWMARK). */
  fwmark?: number
  /** `true` sets the flag (IFLA_IPTUN_COLLECT_METADATA). */
  external?: boolean
  /** IPPROTO_IPV6 41, IPPROTO_IPIP 4, IPPROTO_MPLS 137, 0 = any. One of the names (IFLA_IPTUN_PROTO). */
  mode?: 'ipip' | 'mplsip' | 'any' | 'ip6ip'
  /** ISATAP. */
  isatap?: boolean
}

/**
 * The settings of gre and gretap (over IPv4): {@link GreSettings} but for the IPv6-only ones.
 *
 * @category Links
 */
export type Gre4Settings = Omit<GreSettings, 'encapLimit' | 'tclass' | 'flowlabel'>

/**
 * The settings of ip6gre and ip6gretap (over IPv6): {@link GreSettings} but for the IPv4-only ones.
 *
 * @category Links
 */
export type Gre6Settings = Omit<GreSettings, 'tos' | 'pmtudisc' | 'ignoreDf'>

/**
 * The settings of ipip: {@link IptunSettings} but for sit's `isatap` and `ip6ip` mode.
 *
 * @category Links
 */
export type IpipSettings = Omit<IptunSettings, 'isatap' | 'mode'> & {
  /** The inner protocol (IFLA_IPTUN_PROTO). */
  mode?: 'ipip' | 'mplsip' | 'any'
}

/**
 * The geneve settings of {@link linkAdd} (flat or in `linkinfo`), as crates/nlkit/src/rtnl/link/kinds/geneve.rs accepts them; names as `ip -d -j link show` prints them.
 *
 * @category Links
 */
export interface GeneveSettings {
  /** The VNI, an integer in [0..2^24-1] (IFLA_GENEVE_ID). */
  id?: number
  /** Remote IPv4 address (IFLA_GENEVE_REMOTE); not with `remote6`. */
  remote?: string
  /** Remote IPv6 address (IFLA_GENEVE_REMOTE6); not with `remote`. */
  remote6?: string
  /** An integer in [0..255], 0 = auto (IFLA_GENEVE_TTL). */
  ttl?: number
  /** Inherit the TTL from the inner packet (IFLA_GENEVE_TTL_INHERIT). */
  ttlInherit?: boolean
  /** An integer in [0..255], 1 = inherit (IFLA_GENEVE_TOS). */
  tos?: number
  /** The outer DF bit (IFLA_GENEVE_DF). */
  df?: 'unset' | 'set' | 'inherit'
  /** IPv6 flow label, an integer in [0..2^20-1] (IFLA_GENEVE_LABEL). */
  label?: number
  /** UDP destination port (IFLA_GENEVE_PORT). */
  port?: number
  /** `true` sets the flag: collect metadata (IFLA_GENEVE_COLLECT_METADATA). */
  external?: boolean
  /** A boolean (IFLA_GENEVE_UDP_CSUM). */
  udpCsum?: boolean
  /** A boolean (IFLA_GENEVE_UDP_ZERO_CSUM6_TX). */
  udpZeroCsum6Tx?: boolean
  /** A boolean (IFLA_GENEVE_UDP_ZERO_CSUM6_RX). */
  udpZeroCsum6Rx?: boolean
  /** `true` sets the flag (IFLA_GENEVE_INNER_PROTO_INHERIT). */
  innerProtoInherit?: boolean
}

/**
 * The vti / vti6 settings of {@link linkAdd} (flat or in `linkinfo`), as crates/nlkit/src/rtnl/link/kinds/vti.rs accepts them.
 *
 * @category Links
 */
export interface VtiSettings {
  /** Input key matching the xfrm policies, a 32-bit integer (IFLA_VTI_IKEY). */
  ikey?: number
  /** Output key, a 32-bit integer (IFLA_VTI_OKEY). */
  okey?: number
  /** Local address, IPv4 for vti, IPv6 for vti6 (IFLA_VTI_LOCAL). */
  local?: string
  /** Remote address, of the same family (IFLA_VTI_REMOTE). */
  remote?: string
  /** An integer (IFLA_VTI_FWMARK). */
  fwmark?: number
  /** The underlay link, by name or index (IFLA_VTI_LINK). */
  dev?: LinkRef
}

/**
 * The xfrm interface settings of {@link linkAdd} (flat or in `linkinfo`), as crates/nlkit/src/rtnl/link/kinds/xfrm.rs accepts them.
 *
 * @category Links
 */
export interface XfrmSettings {
  /** The xfrm interface id, an integer in [1..2^32-1] (IFLA_XFRM_IF_ID). */
  ifId?: number
  /** The underlay link, by name or index (IFLA_XFRM_LINK). */
  dev?: LinkRef
  /** `true` sets the flag: collect metadata (IFLA_XFRM_COLLECT_METADATA). */
  external?: boolean
}

/**
 * The bareudp settings of {@link linkAdd} (flat or in `linkinfo`), as crates/nlkit/src/rtnl/link/kinds/bareudp.rs accepts them.
 *
 * @category Links
 */
export interface BareudpSettings {
  /** UDP destination port (IFLA_BAREUDP_PORT). */
  dstport?: number
  /** The tunnelled protocol; 'ip' and 'ipv4' are the same (IFLA_BAREUDP_ETHERTYPE). */
  ethertype?: 'ip' | 'ipv4' | 'ipv6' | 'mpls_uc' | 'mpls_mc'
  /** Lowest UDP source port (IFLA_BAREUDP_SRCPORT_MIN). */
  srcportmin?: number
  /** `true` sets the flag (IFLA_BAREUDP_MULTIPROTO_MODE). */
  multiproto?: boolean
}

/**
 * ip6tnl's FOU/GUE encapsulation (IFLA_IPTUN_ENCAP_*), as `ip -d -j link show` prints it.
 *
 * @category Links
 */
export interface TunnelEncap {
  /** The encapsulation (IFLA_IPTUN_ENCAP_TYPE). */
  type?: 'none' | 'fou' | 'gue'
  /** UDP source port, 0 = auto (IFLA_IPTUN_ENCAP_SPORT). */
  sport?: number
  /** UDP destination port (IFLA_IPTUN_ENCAP_DPORT). */
  dport?: number
  /** UDP checksums over IPv4 (TUNNEL_ENCAP_FLAG_CSUM); giving any of the three sends all three. */
  csum?: boolean
  /** UDP checksums over IPv6 (TUNNEL_ENCAP_FLAG_CSUM6). */
  csum6?: boolean
  /** Remote checksum offload (TUNNEL_ENCAP_FLAG_REMCSUM). */
  remcsum?: boolean
}

/**
 * The ip6tnl settings of {@link linkAdd} (flat or in `linkinfo`), as crates/nlkit/src/rtnl/link/kinds/ip6tnl.rs accepts them. The booleans from
 * `ignEncapLimit` on are the IP6_TNL_F_* bits of IFLA_IPTUN_FLAGS (`ip -j`'s names without `ip6_tnl_f_`): giving any of them sends all, one not given off.
 *
 * @category Links
 */
export interface Ip6tnlSettings {
  /** The inner protocol (IFLA_IPTUN_PROTO; `ip -j` prints it as `proto`). */
  mode?: 'ip6ip6' | 'ipip6' | 'any'
  /** Local IPv6 address (IFLA_IPTUN_LOCAL). */
  local?: string
  /** Remote IPv6 address (IFLA_IPTUN_REMOTE). */
  remote?: string
  /** The underlay link, by name or index (IFLA_IPTUN_LINK). */
  dev?: LinkRef
  /** Hop limit, an integer in [0..255], 0 = inherit (IFLA_IPTUN_TTL). */
  ttl?: number
  /** Encapsulation limit, an integer in [0..255] (IFLA_IPTUN_ENCAP_LIMIT). */
  encapLimit?: number
  /** IPv6 traffic class, an integer in [0..255] (IFLA_IPTUN_FLOWINFO). */
  tclass?: number
  /** IPv6 flow label, an integer in [0..2^20-1] (IFLA_IPTUN_FLOWINFO). */
  flowlabel?: number
  /** An integer (IFLA_IPTUN_FWMARK). */
  fwmark?: number
  /** `true` sets the flag: collect metadata (IFLA_IPTUN_COLLECT_METADATA). */
  external?: boolean
  /** FOU/GUE encapsulation. */
  encap?: TunnelEncap
  /** No encapsulation limit option (`encaplimit none`). */
  ignEncapLimit?: boolean
  /** Inherit the traffic class (`tclass inherit`). */
  useOrigTclass?: boolean
  /** Inherit the flow label (`flowlabel inherit`). */
  useOrigFlowlabel?: boolean
  /** Copy DSCP from the outer header on receive (`dscp inherit`). */
  rcvDscpCopy?: boolean
  /** A Mobile IPv6 device (IP6_TNL_F_MIP6_DEV). */
  mip6Dev?: boolean
  /** Inherit the firewall mark (`fwmark inherit`). */
  useOrigFwmark?: boolean
  /** Allow a local remote address (`allow-localremote`). */
  allowLocalRemote?: boolean
}
