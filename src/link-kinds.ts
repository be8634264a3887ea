/**
 * The settings each link kind accepts in {@link linkAdd}, flat or under `linkinfo`, with the
 * value types the core checks (crates/nlkit/src/rtnl/link/kinds/, and tun/tap in
 * crates/nlkit-node's tun_add). A setting a kind does not know is a compile error here, as it is
 * a RangeError at run time.
 *
 * @module
 */

import type { LinkRef, NetnsRef } from './types.js'

/**
 * veth's other end.
 *
 * @category Links
 */
export interface VethPeer {
  /** The peer's name. */
  name: string
  /** Create the peer in this namespace (a name, path or pid; not `{ fd }`). */
  netns?: NetnsRef
  /** The peer's MAC address. */
  address?: string
  /** The peer's MTU. */
  mtu?: number
}

/**
 * One vlan priority mapping (`ip link ... ingress-qos-map from:to`).
 *
 * @category Links
 */
export interface QosMapping {
  /** The priority mapped from. */
  from: number
  /** The priority mapped to. */
  to: number
}

/**
 * The bond settings of {@link linkAdd} (flat or in `linkinfo`), as crates/nlkit/src/rtnl/link/kinds/bond.rs accepts them.
 *
 * @category Links
 */
export interface BondSettings {
  /** One of the names (IFLA_BOND_MODE). */
  mode?: 'balance-rr' | 'active-backup' | 'balance-xor' | 'broadcast' | '802.3ad' | 'balance-tlb' | 'balance-alb'
  /** An integer in [1..IFINDEX_MAX] (IFLA_BOND_ACTIVE_SLAVE). */
  activeSlave?: number
  /** An integer in [0..i32::MAX] (IFLA_BOND_MIIMON). */
  miimon?: number
  /** An integer in [0..i32::MAX] (IFLA_BOND_UPDELAY). */
  updelay?: number
  /** An integer in [0..i32::MAX] (IFLA_BOND_DOWNDELAY). */
  downdelay?: number
  /** An integer in [0..i32::MAX] (IFLA_BOND_PEER_NOTIF_DELAY). */
  peerNotifyDelay?: number
  /** A boolean (IFLA_BOND_USE_CARRIER). */
  useCarrier?: boolean
  /** An integer in [0..i32::MAX] (IFLA_BOND_ARP_INTERVAL). */
  arpInterval?: number
  /** An integer in [1..255] (IFLA_BOND_MISSED_MAX). */
  arpMissedMax?: number
  /** IPv4 addresses to ARP-monitor. */
  arpIpTarget?: string[]
  /** One of the names (IFLA_BOND_ARP_VALIDATE). */
  arpValidate?: 'none' | 'active' | 'backup' | 'all' | 'filter' | 'filter_active' | 'filter_backup'
  /** One of the names (IFLA_BOND_ARP_ALL_TARGETS). */
  arpAllTargets?: 'any' | 'all'
  /** IPv6 addresses to NS-monitor. */
  nsIp6Target?: string[]
  /** An integer in [1..IFINDEX_MAX] (IFLA_BOND_PRIMARY). */
  primary?: number
  /** One of the names (IFLA_BOND_PRIMARY_RESELECT). */
  primaryReselect?: 'always' | 'better' | 'failure'
  /** One of the names (IFLA_BOND_FAIL_OVER_MAC). */
  failOverMac?: 'none' | 'active' | 'follow'
  /** One of the names (IFLA_BOND_XMIT_HASH_POLICY). */
  xmitHashPolicy?: 'layer2' | 'layer3+4' | 'layer2+3' | 'encap2+3' | 'encap3+4' | 'vlan+srcmac'
  /** An integer in [0..255] (IFLA_BOND_RESEND_IGMP). */
  resendIgmp?: number
  /** An integer (IFLA_BOND_NUM_PEER_NOTIF). */
  numPeerNotif?: number
  /** A boolean (IFLA_BOND_ALL_SLAVES_ACTIVE). */
  allSlavesActive?: boolean
  /** An integer (IFLA_BOND_MIN_LINKS). */
  minLinks?: number
  /** An integer in [1..i32::MAX] (IFLA_BOND_LP_INTERVAL). */
  lpInterval?: number
  /** An integer in [0..65535] (IFLA_BOND_PACKETS_PER_SLAVE). */
  packetsPerSlave?: number
  /** A boolean (IFLA_BOND_AD_LACP_ACTIVE). */
  adLacpActive?: boolean
  /** One of the names (IFLA_BOND_AD_LACP_RATE). */
  adLacpRate?: 'slow' | 'fast'
  /** One of the names (IFLA_BOND_AD_SELECT). */
  adSelect?: 'stable' | 'bandwidth' | 'count'
  /** An integer in [1..65535] (IFLA_BOND_AD_ACTOR_SYS_PRIO). */
  adActorSysPrio?: number
  /** An integer in [0..1023] (IFLA_BOND_AD_USER_PORT_KEY). */
  adUserPortKey?: number
  /** A MAC address (IFLA_BOND_AD_ACTOR_SYSTEM). */
  adActorSystem?: string
  /** A boolean (IFLA_BOND_TLB_DYNAMIC_LB). */
  tlbDynamicLb?: boolean
}

/**
 * The bridge settings of {@link linkAdd} (flat or in `linkinfo`), as crates/nlkit/src/rtnl/link/kinds/bridge.rs accepts them.
 *
 * @category Links
 */
export interface BridgeSettings {
  /** Centiseconds. An integer (IFLA_BR_FORWARD_DELAY). */
  forwardDelay?: number
  /** An integer (IFLA_BR_HELLO_TIME). */
  helloTime?: number
  /** An integer (IFLA_BR_MAX_AGE). */
  maxAge?: number
  /** An integer (IFLA_BR_AGEING_TIME). */
  ageingTime?: number
  /** STP state 0 = off, 1 = kernel STP, 2 = user-space STP; `true` asks for 1 and either running state reads back as true. A boolean (IFLA_BR_STP_STATE). */
  stp?: boolean
  /** An integer (IFLA_BR_PRIORITY). */
  priority?: number
  /** A boolean (IFLA_BR_VLAN_FILTERING). */
  vlanFiltering?: boolean
  /** One of the names (IFLA_BR_VLAN_PROTOCOL). */
  vlanProtocol?: '802.1Q' | '802.1ad'
  /** An integer (IFLA_BR_GROUP_FWD_MASK). */
  groupFwdMask?: number
  /** A MAC address (IFLA_BR_GROUP_ADDR). */
  groupAddr?: string
  /** MDB_RTR_TYPE_*: 0 disabled, 1 temporary (learned from queries, the default), 2 permanent. An integer in [0..2] (IFLA_BR_MCAST_ROUTER). */
  mcastRouter?: number
  /** A boolean (IFLA_BR_MCAST_SNOOPING). */
  mcastSnooping?: boolean
  /** A boolean (IFLA_BR_MCAST_QUERY_USE_IFADDR). */
  mcastQueryUseIfaddr?: boolean
  /** A boolean (IFLA_BR_MCAST_QUERIER). */
  mcastQuerier?: boolean
  /** An integer (IFLA_BR_MCAST_HASH_ELASTICITY). */
  mcastHashElasticity?: number
  /** An integer (IFLA_BR_MCAST_HASH_MAX). */
  mcastHashMax?: number
  /** An integer (IFLA_BR_MCAST_LAST_MEMBER_CNT). */
  mcastLastMemberCnt?: number
  /** An integer (IFLA_BR_MCAST_STARTUP_QUERY_CNT). */
  mcastStartupQueryCnt?: number
  /** Centiseconds (u64 on the wire). An integer (IFLA_BR_MCAST_LAST_MEMBER_INTVL). */
  mcastLastMemberIntvl?: number
  /** An integer (IFLA_BR_MCAST_MEMBERSHIP_INTVL). */
  mcastMembershipIntvl?: number
  /** An integer (IFLA_BR_MCAST_QUERIER_INTVL). */
  mcastQuerierIntvl?: number
  /** An integer (IFLA_BR_MCAST_QUERY_INTVL). */
  mcastQueryIntvl?: number
  /** An integer (IFLA_BR_MCAST_QUERY_RESPONSE_INTVL). */
  mcastQueryResponseIntvl?: number
  /** An integer (IFLA_BR_MCAST_STARTUP_QUERY_INTVL). */
  mcastStartupQueryIntvl?: number
  /** A boolean (IFLA_BR_NF_CALL_IPTABLES). */
  nfCallIptables?: boolean
  /** A boolean (IFLA_BR_NF_CALL_IP6TABLES). */
  nfCallIp6tables?: boolean
  /** A boolean (IFLA_BR_NF_CALL_ARPTABLES). */
  nfCallArptables?: boolean
  /** 0 disables the default PVID; 4095 is reserved. An integer in [0..4094] (IFLA_BR_VLAN_DEFAULT_PVID). */
  vlanDefaultPvid?: number
  /** A boolean (IFLA_BR_VLAN_STATS_ENABLED). */
  vlanStatsEnabled?: boolean
  /** A boolean (IFLA_BR_MCAST_STATS_ENABLED). */
  mcastStatsEnabled?: boolean
  /** An integer in [2..3] (IFLA_BR_MCAST_IGMP_VERSION). */
  mcastIgmpVersion?: number
  /** An integer in [1..2] (IFLA_BR_MCAST_MLD_VERSION). */
  mcastMldVersion?: number
  /** A boolean (IFLA_BR_VLAN_STATS_PER_PORT). */
  vlanStatsPerPort?: boolean
  /** Do not learn link-local addresses (boolopt BR_BOOLOPT_NO_LL_LEARN). */
  noLinklocalLearn?: boolean
  /** Per-VLAN multicast snooping (boolopt; needs vlanFiltering). */
  mcastVlanSnooping?: boolean
  /** Multiple spanning trees (boolopt; needs vlanFiltering). */
  mstEnabled?: boolean
}

/**
 * The ipvlan / ipvtap settings of {@link linkAdd} (flat or in `linkinfo`), as crates/nlkit/src/rtnl/link/kinds/ipvlan.rs accepts them.
 *
 * @category Links
 */
export interface IpvlanSettings {
  /** One of the names (IFLA_IPVLAN_MODE). */
  mode?: 'l2' | 'l3' | 'l3s'
  /** One of the names (IFLA_IPVLAN_FLAGS). */
  flags?: 'bridge' | 'private' | 'vepa'
}

/**
 * The macvlan / macvtap settings of {@link linkAdd} (flat or in `linkinfo`), as crates/nlkit/src/rtnl/link/kinds/macvlan.rs accepts them.
 *
 * @category Links
 */
export interface MacvlanSettings {
  /** One of the names (IFLA_MACVLAN_MODE). */
  mode?: 'private' | 'vepa' | 'bridge' | 'passthru' | 'source'
  /** MACVLAN_FLAG_NOPROMISC. */
  nopromisc?: boolean
  /** MACVLAN_FLAG_NODST. */
  nodst?: boolean
  /** An integer (IFLA_MACVLAN_BC_QUEUE_LEN). */
  bcqueuelen?: number
  /** Source MAC addresses (mode `source`). */
  macaddrData?: string[]
}

/**
 * The tun / tap settings of {@link linkAdd} (flat or in `linkinfo`), as crates/nlkit/src/rtnl/link/kinds/tun.rs accepts them.
 *
 * @category Links
 */
export interface TunSettings {
  /** The device mode. */
  mode?: 'tun' | 'tap'
  /** Owner uid. */
  owner?: number
  /** Owner gid. */
  group?: number
  /** Persistent device. */
  persist?: boolean
  /** Multi-queue device. */
  multiQueue?: boolean
  /** Packet information header (not supported: false only). */
  pi?: false
  /** vnet header (not supported: false only). */
  vnetHdr?: false
}

/**
 * The veth settings of {@link linkAdd} (flat or in `linkinfo`), as crates/nlkit/src/rtnl/link/kinds/veth.rs accepts them.
 *
 * @category Links
 */
export interface VethSettings {
  /** The other end. */
  peer?: VethPeer
}

/**
 * The vlan settings of {@link linkAdd} (flat or in `linkinfo`), as crates/nlkit/src/rtnl/link/kinds/vlan.rs accepts them.
 *
 * @category Links
 */
export interface VlanSettings {
  /** An integer in [0..4094] (IFLA_VLAN_ID). */
  id?: number
  /** One of the names (IFLA_VLAN_PROTOCOL). */
  protocol?: '802.1Q' | '802.1ad'
  /** Reorder header (VLAN_FLAG_REORDER_HDR). */
  reorderHdr?: boolean
  /** GVRP (VLAN_FLAG_GVRP). */
  gvrp?: boolean
  /** MVRP (VLAN_FLAG_MVRP). */
  mvrp?: boolean
  /** Loose binding (VLAN_FLAG_LOOSE_BINDING). */
  looseBinding?: boolean
  /** Bridge binding (VLAN_FLAG_BRIDGE_BINDING). */
  bridgeBinding?: boolean
  /** VLAN priority to skb priority mappings. */
  ingressQos?: QosMapping[]
  /** skb priority to VLAN priority mappings. */
  egressQos?: QosMapping[]
}

/**
 * The vrf settings of {@link linkAdd} (flat or in `linkinfo`), as crates/nlkit/src/rtnl/link/kinds/vrf.rs accepts them.
 *
 * @category Links
 */
export interface VrfSettings {
  /** An integer in [1..u32::MAX] (IFLA_VRF_TABLE). */
  table?: number
}

/**
 * The vxlan settings of {@link linkAdd} (flat or in `linkinfo`), as crates/nlkit/src/rtnl/link/kinds/vxlan.rs accepts them.
 *
 * @category Links
 */
export interface VxlanSettings {
  /** An integer in [0..VNI_MAX] (IFLA_VXLAN_ID). */
  id?: number
  /** Multicast group address. */
  group?: string
  /** Remote address. */
  remote?: string
  /** Local (source) address of the tunnel. */
  local?: string
  /** An integer in [1..IFINDEX_MAX] (IFLA_VXLAN_LINK). */
  dev?: LinkRef
  /** An integer (IFLA_VXLAN_TTL). */
  ttl?: number
  /** `true` sets the flag (IFLA_VXLAN_TTL_INHERIT). */
  ttlInherit?: boolean
  /** An integer (IFLA_VXLAN_TOS). */
  tos?: number
  /** One of the names (IFLA_VXLAN_DF). */
  df?: 'unset' | 'set' | 'inherit'
  /** An integer in [0..LABEL_MAX] (IFLA_VXLAN_LABEL). */
  label?: number
  /** A boolean (IFLA_VXLAN_LEARNING). */
  learning?: boolean
  /** Seconds. An integer (IFLA_VXLAN_AGEING). */
  ageing?: number
  /** An integer (IFLA_VXLAN_LIMIT). */
  limit?: number
  /** Source UDP port range. */
  srcPortRange?: {
    /** Lowest source port. */
    low: number
    /** Highest source port. */
    high: number
  }
  /** A boolean (IFLA_VXLAN_PROXY). */
  proxy?: boolean
  /** A boolean (IFLA_VXLAN_RSC). */
  rsc?: boolean
  /** A boolean (IFLA_VXLAN_L2MISS). */
  l2miss?: boolean
  /** A boolean (IFLA_VXLAN_L3MISS). */
  l3miss?: boolean
  /** Destination UDP port; 0 lets the kernel pick its default (8472). An integer (IFLA_VXLAN_PORT). */
  port?: number
  /** A boolean (IFLA_VXLAN_UDP_CSUM). */
  udpCsum?: boolean
  /** A boolean (IFLA_VXLAN_UDP_ZERO_CSUM6_TX). */
  udpZeroCsum6Tx?: boolean
  /** A boolean (IFLA_VXLAN_UDP_ZERO_CSUM6_RX). */
  udpZeroCsum6Rx?: boolean
  /** A boolean (IFLA_VXLAN_REMCSUM_TX). */
  remcsumTx?: boolean
  /** A boolean (IFLA_VXLAN_REMCSUM_RX). */
  remcsumRx?: boolean
  /** `true` sets the flag (IFLA_VXLAN_GBP). */
  gbp?: boolean
  /** `true` sets the flag (IFLA_VXLAN_GPE). */
  gpe?: boolean
  /** Collect metadata (`ip ... external`). A boolean (IFLA_VXLAN_COLLECT_METADATA). */
  external?: boolean
}
