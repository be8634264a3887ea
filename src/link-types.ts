/**
 * What a link looks like when read: {@link Link} and its counters.
 *
 * @module
 */

import type { BondPortSettings, BridgePortSettings, XdpAttached } from './link-extras.js'

/**
 * A network interface, with the names `ip -j link` uses.
 *
 * @category Links
 */
export interface Link {
  /** Interface index (ifindex). */
  index: number
  /** Interface name. */
  name: string
  /** Link kind from IFLA_INFO_KIND (`'veth'`, `'bridge'` ...); absent for physical and loopback. */
  kind?: string
  /** The kind's own settings, with iproute2's names in camelCase (`{ id: 42, port: 4789, dev: 'eth0' }` for vxlan). */
  linkinfo?: Record<string, unknown>
  /** The kind of the master this link is enslaved to (`'bridge'`, `'bond'`). */
  slaveKind?: string
  /** Interface flags as `ip` prints them (`['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP']`). */
  flags: string[]
  /** Administratively up (IFF_UP). */
  up: boolean
  /** Operational state as `ip` prints it (`'UP'`, `'DOWN'`, `'UNKNOWN'`, ...). */
  operstate: string
  /** MTU in bytes. */
  mtu?: number
  /** Smallest MTU the device accepts. */
  minMtu?: number
  /** Largest MTU the device accepts. */
  maxMtu?: number
  /** `'ether'`, `'loopback'`, ... */
  linkType: string
  /** MAC address (`aa:bb:cc:dd:ee:ff`). */
  address?: string
  /** Link-layer broadcast address. */
  broadcast?: string
  /** Permanent (factory) MAC address. */
  permAddress?: string
  /** Name of the master device (bridge, bond), when in the same namespace. */
  master?: string
  /** Index of the master device. */
  masterIndex?: number
  /** Name of the parent or peer device (veth peer, macvlan parent), when in the same namespace. */
  link?: string
  /** Index of the parent or peer device (IFLA_LINK). */
  linkIndex?: number
  /** Namespace id of the parent or peer, when it is in another namespace. */
  linkNetnsid?: number
  /** Transmit queue length. */
  txqlen?: number
  /** Link group. */
  group?: number
  /** Root queueing discipline (`noqueue`, `fq_codel`, ...). */
  qdisc?: string
  /** Interface alias (`ip link set ... alias`). */
  alias?: string
  /** Carrier present (the physical link is up). */
  carrier?: boolean
  /** Alternative names (`ip link property add altname`). */
  altNames?: string[]
  /** 64-bit counters (IFLA_STATS64), every one. */
  stats?: LinkStats
  /** Promiscuity count (> 0: promiscuous). */
  promiscuity?: number
  /** All-multicast count. */
  allmulti?: number
  /** Transmit queues. */
  numTxQueues?: number
  /** Receive queues. */
  numRxQueues?: number
  /** Largest GSO packet, bytes. */
  gsoMaxSize?: number
  /** Largest number of GSO segments. */
  gsoMaxSegs?: number
  /** Largest TSO packet the device takes, bytes (read-only). */
  tsoMaxSize?: number
  /** Largest number of TSO segments (read-only). */
  tsoMaxSegs?: number
  /** Largest GRO packet, bytes. */
  groMaxSize?: number
  /** Largest IPv4 GSO packet, bytes. */
  gsoIpv4MaxSize?: number
  /** Largest IPv4 GRO packet, bytes. */
  groIpv4MaxSize?: number
  /** Carrier changes seen. */
  carrierChanges?: number
  /** Carrier up events. */
  carrierUpCount?: number
  /** Carrier down events. */
  carrierDownCount?: number
  /** Protocol down (`ip link set X protodown on`). */
  protodown?: boolean
  /** Active protodown reasons (bit numbers). */
  protodownReason?: number[]
  /** This link's settings as a bridge port (when its master is a bridge). */
  bridgePort?: BridgePortSettings
  /** This link's settings as a bond port (when its master is a bond). */
  bondPort?: BondPortSettings
  /** The XDP programs attached (absent when none). */
  xdp?: XdpAttached
}

/**
 * 64-bit interface counters (`struct rtnl_link_stats64`, every field; those the kernel does not
 * send read 0).
 *
 * @category Links
 */
export interface LinkStats {
  /** Packets received. */
  rxPackets: number
  /** Packets sent. */
  txPackets: number
  /** Bytes received. */
  rxBytes: number
  /** Bytes sent. */
  txBytes: number
  /** Receive errors. */
  rxErrors: number
  /** Transmit errors. */
  txErrors: number
  /** Received packets dropped. */
  rxDropped: number
  /** Packets dropped before sending. */
  txDropped: number
  /** Multicast packets received. */
  multicast: number
  /** Collisions. */
  collisions: number
  /** Receive length errors. */
  rxLengthErrors: number
  /** Receiver ring overflows. */
  rxOverErrors: number
  /** Receive CRC errors. */
  rxCrcErrors: number
  /** Receive frame alignment errors. */
  rxFrameErrors: number
  /** Receive FIFO overruns. */
  rxFifoErrors: number
  /** Packets the receiver missed. */
  rxMissedErrors: number
  /** Transmit aborts. */
  txAbortedErrors: number
  /** Transmit carrier errors. */
  txCarrierErrors: number
  /** Transmit FIFO errors. */
  txFifoErrors: number
  /** Heartbeat errors. */
  txHeartbeatErrors: number
  /** Transmit window errors. */
  txWindowErrors: number
  /** Compressed packets received. */
  rxCompressed: number
  /** Compressed packets sent. */
  txCompressed: number
  /** Packets dropped for want of a protocol handler. */
  rxNohandler: number
  /** Packets dropped as addressed to another host. */
  rxOtherhostDropped: number
}
