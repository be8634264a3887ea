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
  mode?: 'balance-rr' | 'active-backup' | 'balance-xor' | 'broadcast' | '802.3ad' | 'balance-tlb' | 'balance-alb'
  activeSlave?: number
  miimon?: number
  updelay?: number
  downdelay?: number
  peerNotifyDelay?: number
  useCarrier?: boolean
  arpInterval?: number
  arpMissedMax?: number
  arpIpTarget?: string[]
  arpValidate?: 'none' | 'active' | 'backup' | 'all' | 'filter' | 'filter_active' | 'filter_backup'
  arpAllTargets?: 'any' | 'all'
  nsIp6Target?: string[]
  primary?: number
  primaryReselect?: 'always' | 'better' | 'failure'
  failOverMac?: 'none' | 'active' | 'follow'
  xmitHashPolicy?: 'layer2' | 'layer3+4' | 'layer2+3' | 'encap2+3' | 'encap3+4' | 'vlan+srcmac'
  resendIgmp?: number
  numPeerNotif?: number
  allSlavesActive?: boolean
  minLinks?: number
  lpInterval?: number
  packetsPerSlave?: number
  adLacpActive?: boolean
  adLacpRate?: 'slow' | 'fast'
  adSelect?: 'stable' | 'bandwidth' | 'count'
  adActorSysPrio?: number
  adUserPortKey?: number
  adActorSystem?: string
  tlbDynamicLb?: boolean
}

/**
 * The bridge settings of {@link linkAdd} (flat or in `linkinfo`), as crates/nlkit/src/rtnl/link/kinds/bridge.rs accepts them.
 *
 * @category Links
 */
export interface BridgeSettings {
  forwardDelay?: number
  helloTime?: number
  maxAge?: number
  ageingTime?: number
  stp?: boolean
  priority?: number
  vlanFiltering?: boolean
  vlanProtocol?: '802.1Q' | '802.1ad'
  groupFwdMask?: number
  groupAddr?: string
  mcastRouter?: number
  mcastSnooping?: boolean
  mcastQueryUseIfaddr?: boolean
  mcastQuerier?: boolean
  mcastHashElasticity?: number
  mcastHashMax?: number
  mcastLastMemberCnt?: number
  mcastStartupQueryCnt?: number
  mcastLastMemberIntvl?: number
  mcastMembershipIntvl?: number
  mcastQuerierIntvl?: number
  mcastQueryIntvl?: number
  mcastQueryResponseIntvl?: number
  mcastStartupQueryIntvl?: number
  nfCallIptables?: boolean
  nfCallIp6tables?: boolean
  nfCallArptables?: boolean
  vlanDefaultPvid?: number
  vlanStatsEnabled?: boolean
  mcastStatsEnabled?: boolean
  mcastIgmpVersion?: number
  mcastMldVersion?: number
  vlanStatsPerPort?: boolean
  noLinklocalLearn?: boolean
  mcastVlanSnooping?: boolean
  mstEnabled?: boolean
}

/**
 * The GRE tunnel (gre, gretap, ip6gre, ip6gretap) settings of {@link linkAdd} (flat or in `linkinfo`), as crates/nlkit/src/rtnl/link/kinds/gre.rs accepts them.
 *
 * @category Links
 */
export interface GreSettings {
  dev?: LinkRef
  local?: string
  remote?: string
  ttl?: number
  tos?: number
  pmtudisc?: boolean
  ignoreDf?: boolean
  fwmark?: number
  external?: boolean
  ikey?: number
  okey?: number
  iseq?: boolean
  oseq?: boolean
  icsum?: boolean
  ocsum?: boolean
  encapLimit?: number
  tclass?: number
  flowlabel?: number
}

/**
 * The ipip / sit tunnel settings of {@link linkAdd} (flat or in `linkinfo`), as crates/nlkit/src/rtnl/link/kinds/ipip.rs accepts them.
 *
 * @category Links
 */
export interface IptunSettings {
  dev?: LinkRef
  local?: string
  remote?: string
  ttl?: number
  tos?: number
  pmtudisc?: boolean
  fwmark?: number
  external?: boolean
  mode?: 'ipip' | 'mplsip' | 'any' | 'ip6ip'
  isatap?: boolean
}

/**
 * The ipvlan / ipvtap settings of {@link linkAdd} (flat or in `linkinfo`), as crates/nlkit/src/rtnl/link/kinds/ipvlan.rs accepts them.
 *
 * @category Links
 */
export interface IpvlanSettings {
  mode?: 'l2' | 'l3' | 'l3s'
  flags?: 'bridge' | 'private' | 'vepa'
}

/**
 * The macvlan / macvtap settings of {@link linkAdd} (flat or in `linkinfo`), as crates/nlkit/src/rtnl/link/kinds/macvlan.rs accepts them.
 *
 * @category Links
 */
export interface MacvlanSettings {
  mode?: 'private' | 'vepa' | 'bridge' | 'passthru' | 'source'
  nopromisc?: boolean
  nodst?: boolean
  bcqueuelen?: number
  macaddrData?: string[]
}

/**
 * The tun / tap settings of {@link linkAdd} (flat or in `linkinfo`), as crates/nlkit/src/rtnl/link/kinds/tun.rs accepts them.
 *
 * @category Links
 */
export interface TunSettings {
  mode?: 'tun' | 'tap'
  owner?: number
  group?: number
  persist?: boolean
  multiQueue?: boolean
  pi?: false
  vnetHdr?: false
}

/**
 * The veth settings of {@link linkAdd} (flat or in `linkinfo`), as crates/nlkit/src/rtnl/link/kinds/veth.rs accepts them.
 *
 * @category Links
 */
export interface VethSettings {
  peer?: VethPeer
}

/**
 * The vlan settings of {@link linkAdd} (flat or in `linkinfo`), as crates/nlkit/src/rtnl/link/kinds/vlan.rs accepts them.
 *
 * @category Links
 */
export interface VlanSettings {
  id?: number
  protocol?: '802.1Q' | '802.1ad'
  reorderHdr?: boolean
  gvrp?: boolean
  mvrp?: boolean
  looseBinding?: boolean
  bridgeBinding?: boolean
  ingressQos?: QosMapping[]
  egressQos?: QosMapping[]
}

/**
 * The vrf settings of {@link linkAdd} (flat or in `linkinfo`), as crates/nlkit/src/rtnl/link/kinds/vrf.rs accepts them.
 *
 * @category Links
 */
export interface VrfSettings {
  table?: number
}

/**
 * The vxlan settings of {@link linkAdd} (flat or in `linkinfo`), as crates/nlkit/src/rtnl/link/kinds/vxlan.rs accepts them.
 *
 * @category Links
 */
export interface VxlanSettings {
  id?: number
  group?: string
  remote?: string
  local?: string
  dev?: LinkRef
  ttl?: number
  ttlInherit?: boolean
  tos?: number
  df?: 'unset' | 'set' | 'inherit'
  label?: number
  learning?: boolean
  ageing?: number
  limit?: number
  srcPortRange?: { low: number; high: number }
  proxy?: boolean
  rsc?: boolean
  l2miss?: boolean
  l3miss?: boolean
  port?: number
  udpCsum?: boolean
  udpZeroCsum6Tx?: boolean
  udpZeroCsum6Rx?: boolean
  remcsumTx?: boolean
  remcsumRx?: boolean
  gbp?: boolean
  gpe?: boolean
  external?: boolean
}
