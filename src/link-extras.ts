/**
 * Links beyond the basics: interface flags, segmentation limits, carrier and protodown, port
 * settings under a bridge or bond master (`ip link set DEV type bridge_slave ...`), alternative
 * names (`ip link property add altname`) and statistics through RTM_GETSTATS (`ip stats show`).
 *
 * @module
 */

import type { Engine } from './engine.js'
import type { LinkSpecFields } from './native.js'
import { kernelError } from './errors.js'
import type { Link, LinkStats } from './link-types.js'
import { linkNames, refFields } from './links.js'
import type { CallOptions, LinkRef } from './types.js'
import { checkBool, checkCallOptions, checkInt, checkLinkRef, checkPlain, checkText, describe, MAX_U32 } from './validate.js'

/**
 * A bridge port's settings (IFLA_BRPORT_*), with `ip -d -j`'s names in camelCase: what
 * {@link linkSet} writes as `bridgePort` and {@link linkGet} reads back for a bridge's port.
 *
 * @category Links
 */
export interface BridgePortSettings {
  /** STP port state. */
  state?: 'disabled' | 'listening' | 'learning' | 'forwarding' | 'blocking'
  /** STP port priority (0-63). */
  priority?: number
  /** STP path cost (1-65535). */
  cost?: number
  /** Send frames back out of the port they came in on. */
  hairpin?: boolean
  /** BPDU guard: disable the port when a BPDU arrives. */
  guard?: boolean
  /** Root block: never let this port become the root port. */
  rootBlock?: boolean
  /** Leave a multicast group at once on an IGMP/MLD leave. */
  fastleave?: boolean
  /** Learn source MAC addresses. */
  learning?: boolean
  /** Flood unknown unicast. */
  flood?: boolean
  /** Answer ARP from the bridge's neighbour table. */
  proxyArp?: boolean
  /** Proxy ARP for 802.11 (wifi) ports. */
  proxyArpWifi?: boolean
  /** Multicast router port: 0 disabled, 1 learned from queries, 2 permanent, 3 temporary. */
  multicastRouter?: number
  /** Flood unknown multicast. */
  mcastFlood?: boolean
  /** Deliver multicast as unicast to each member. */
  mcastToUnicast?: boolean
  /** VLAN-to-tunnel mapping. */
  vlanTunnel?: boolean
  /** Flood broadcast. */
  bcastFlood?: boolean
  /** Link-local group addresses forwarded (a mask of 01:80:c2:00:00:0X). */
  groupFwdMask?: number
  /** Suppress ARP/ND broadcasts the bridge can answer. */
  neighSuppress?: boolean
  /** Isolated: no traffic to other isolated ports. */
  isolated?: boolean
  /** Multicast EHT hosts limit. */
  mcastEhtHostsLimit?: number
  /** Locked (802.1X): only forward from MACs the FDB knows. */
  locked?: boolean
  /** MAC authentication bypass (with `locked`). */
  mab?: boolean
  /** Largest number of multicast groups on this port (0: no limit). */
  mcastMaxGroups?: number
  /** Per-VLAN neighbour suppression. */
  neighVlanSuppress?: boolean
}

/**
 * A bond port's settings (IFLA_BOND_SLAVE_*): `queueId` and `prio` are written by
 * {@link linkSet} as `bondPort`; {@link linkGet} also reads the port's state (read-only).
 *
 * @category Links
 */
export interface BondPortSettings {
  /** Transmit queue id of this port. */
  queueId?: number
  /** Priority for the active-backup reselection (s32). */
  prio?: number
  /** Read-only: `'ACTIVE'` or `'BACKUP'`. */
  state?: string
  /** Read-only: MII status (`'UP'`, `'DOWN'`, ...). */
  miiStatus?: string
  /** Read-only: link failures seen. */
  linkFailureCount?: number
  /** Read-only: permanent MAC address. */
  permHwaddr?: string
  /** Read-only: 802.3ad aggregator id. */
  adAggregatorId?: number
}

/**
 * What {@link linkSet} (and, for the flags and limits, `linkAdd`) takes beyond the basics.
 *
 * @category Links
 */
export interface LinkExtraChanges {
  /** Promiscuous mode (`ip link set X promisc on`). */
  promisc?: boolean
  /** Receive all multicast (`allmulticast on`). */
  allmulticast?: boolean
  /** ARP on (`false` sets NOARP). */
  arp?: boolean
  /** Multicast capable. */
  multicast?: boolean
  /** Carrier on/off, for devices that let software set it (`ip link set X carrier off`; veth does not). */
  carrier?: boolean
  /** Largest GSO packet the stack builds for this device, bytes. */
  gsoMaxSize?: number
  /** Largest number of GSO segments (1-65535). */
  gsoMaxSegs?: number
  /** Largest GRO packet, bytes. */
  groMaxSize?: number
  /** Largest IPv4 GSO packet, bytes. */
  gsoIpv4MaxSize?: number
  /** Largest IPv4 GRO packet, bytes. */
  groIpv4MaxSize?: number
  /** Protocol down (`ip link set X protodown on`; vxlan and macvlan support it, veth not). */
  protodown?: boolean
  /** The protodown reasons (bits 0-31) to have set, exactly: `[3]` sets reason 3 and clears the others. */
  protodownReason?: number[]
  /** Port settings under a bridge master (`type bridge_slave ...`). */
  bridgePort?: BridgePortSettings
  /** Port settings under a bond master (`type bond_slave ...`). */
  bondPort?: BondPortSettings
  /** Attach an XDP program, or detach one (`{ off: true }`; `null` is `{ off: true }` in the default mode). */
  xdp?: XdpAttach | null
}

/**
 * An XDP program to attach to a link (`ip link set DEV xdp{generic,drv,offload} pinned P`), or
 * a detach (`off`).
 *
 * @category Links
 */
export interface XdpAttach {
  /** A loaded program's file descriptor in this process. */
  fd?: number
  /** A program pinned in a bpf filesystem. */
  pinned?: string
  /** Detach the program of `mode`. */
  off?: true
  /** `'generic'` (skb), `'driver'` (native) or `'offload'`; the kernel's choice (driver where it can) when absent. */
  mode?: 'generic' | 'driver' | 'offload'
  /** Replace an attached program (otherwise that is refused with EBUSY, as without ip's `-force`). */
  force?: boolean
}

/**
 * The XDP programs attached to a link, as {@link linkGet} reads them.
 *
 * @category Links
 */
export interface XdpAttached {
  /** `'generic'`, `'driver'`, `'offload'` or `'multi'` (several modes at once). */
  mode: string
  /** The program's id (one mode). */
  progId?: number
  /** The program of each mode. */
  attached: {
    /** The mode. */
    mode: string
    /** The program's id. */
    progId: number
  }[]
}

/** Keys of {@link LinkExtraChanges} (what linkSet accepts besides its basic keys). */
export const EXTRA_KEYS = [
  'promisc',
  'allmulticast',
  'arp',
  'multicast',
  'carrier',
  'gsoMaxSize',
  'gsoMaxSegs',
  'groMaxSize',
  'gsoIpv4MaxSize',
  'groIpv4MaxSize',
  'protodown',
  'protodownReason',
  'bridgePort',
  'bondPort',
  'xdp',
] as const

/** IFF_* bits the boolean keys set (arp is inverted: NOARP). */
const FLAG_BITS = { promisc: 0x100, allmulticast: 0x200, multicast: 0x1000, arp: 0x80 } as const
const LIMITS = ['gsoMaxSize', 'groMaxSize', 'gsoIpv4MaxSize', 'groIpv4MaxSize'] as const

/** Keys linkAdd leaves alone: the kernel applies them only to an existing link (and a Link read back carries them). */
export const SET_ONLY_KEYS = ['carrier', 'protodown', 'protodownReason', 'bridgePort', 'bondPort', 'xdp'] as const

/**
 * Validates the extra changes into the binding's fields (nothing is sent on a bad value). For
 * linkAdd (`creating`), the {@link SET_ONLY_KEYS} are skipped.
 */
export function extraFields(c: LinkExtraChanges, creating: boolean): LinkSpecFields {
  const f: LinkSpecFields = {}
  let set = 0
  let mask = 0
  for (const [k, bit] of Object.entries(FLAG_BITS) as [keyof typeof FLAG_BITS, number][]) {
    if (c[k] === undefined) continue
    const on = checkBool(c[k], k)
    mask |= bit
    if (on !== (k === 'arp')) set |= bit
  }
  if (mask !== 0) {
    f.flagsSet = set
    f.flagsMask = mask
  }
  for (const k of LIMITS) if (c[k] !== undefined) f[k] = checkInt(c[k], k, 0, MAX_U32)
  if (c.gsoMaxSegs !== undefined) f.gsoMaxSegs = checkInt(c.gsoMaxSegs, 'gsoMaxSegs', 1, 65535)
  if (creating) return f
  if (c.carrier !== undefined) f.carrier = checkBool(c.carrier, 'carrier')
  if (c.protodown !== undefined) f.protodown = checkBool(c.protodown, 'protodown')
  if (c.protodownReason !== undefined) {
    if (!Array.isArray(c.protodownReason))
      throw new TypeError(`protodownReason must be an array of reason numbers (0-31), got ${describe(c.protodownReason)}`)
    // Mask 0 asks the kernel to take the value whole.
    f.protodownReasonMask = 0
    f.protodownReasonValue = c.protodownReason.reduce(
      (v: number, r, i) => (v | (1 << checkInt(r, `protodownReason[${i}]`, 0, 31))) >>> 0,
      0,
    )
  }
  if (c.xdp !== undefined) Object.assign(f, xdpFields(c.xdp))
  const ports = (['bridgePort', 'bondPort'] as const).filter((k) => c[k] !== undefined)
  if (ports.length > 1) throw new TypeError('give bridgePort or bondPort, not both')
  if (ports[0] !== undefined) {
    const k = ports[0]
    const v = c[k]
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new TypeError(`${k} must be an object, got ${describe(v)}`)
    f.portKind = k === 'bridgePort' ? 'bridge' : 'bond'
    f.port = checkPlain(v, k) as Record<string, unknown>
  }
  return f
}

const XDP_MODES = { generic: 2, driver: 4, offload: 8 } as const

function xdpFields(x: XdpAttach | null): LinkSpecFields {
  const v: XdpAttach = x === null ? { off: true } : x
  if (typeof v !== 'object' || Array.isArray(v)) throw new TypeError(`xdp must be an object or null, got ${describe(x)}`)
  for (const k of Object.keys(v)) {
    if (!['fd', 'pinned', 'off', 'mode', 'force'].includes(k))
      throw new RangeError(`unknown xdp option ${describe(k)}; expected fd, pinned, off, mode, force`)
  }
  const given = [v.fd !== undefined, v.pinned !== undefined, v.off !== undefined].filter(Boolean).length
  if (given !== 1) throw new TypeError('xdp needs exactly one of fd, pinned or off: true')
  if (v.off !== undefined && v.off !== true) throw new TypeError(`xdp.off must be true, got ${describe(v.off)}`)
  let flags = v.force === undefined || !checkBool(v.force, 'xdp.force') ? 1 : 0
  if (v.mode !== undefined) {
    if (!Object.hasOwn(XDP_MODES, v.mode))
      throw new RangeError(`xdp.mode must be 'generic', 'driver' or 'offload', got ${describe(v.mode)}`)
    flags |= XDP_MODES[v.mode]
  }
  const f: LinkSpecFields = { xdpFlags: flags }
  if (v.fd !== undefined) f.xdpFd = checkInt(v.fd, 'xdp.fd', 0, 0x7fffffff)
  if (v.pinned !== undefined) {
    if (typeof v.pinned !== 'string' || v.pinned.length === 0) throw new TypeError(`xdp.pinned must be a path, got ${describe(v.pinned)}`)
    f.xdpPinned = checkText(v.pinned, 'xdp.pinned')
  }
  if (v.off) f.xdpFd = -1
  return f
}

/**
 * The kernel reads port settings with the master's own attribute table whatever kind the
 * request names (iproute2's `type bond_slave queue_id 1` on a bridge port sets its BPDU guard),
 * so the master's kind is checked first. A master changed in between is not caught.
 */
export async function checkPortMaster(e: Engine, ref: LinkRef, f: LinkSpecFields, o?: CallOptions): Promise<void> {
  if (f.portKind === undefined) return
  const [l] = await e.call<Link>('linkSet', String(ref), { op: 'linkGet', ...refFields(ref) }, o)
  if (!l) throw kernelError('linkSet', String(ref), 'ENODEV', 'No such device')
  if (l.slaveKind !== f.portKind) {
    const has = l.slaveKind ? `a ${l.slaveKind} master` : 'no master'
    throw kernelError('linkSet', String(ref), 'EOPNOTSUPP', `${f.portKind}Port settings need a ${f.portKind} master; the link has ${has}`)
  }
}

/** Adds or removes alternative names. */
export async function linkAltnames(
  e: Engine,
  op: 'linkAltnameAdd' | 'linkAltnameDel',
  ref: LinkRef,
  names: string | string[],
  o?: CallOptions,
): Promise<void> {
  checkLinkRef(ref)
  const list = typeof names === 'string' ? [names] : names
  if (!Array.isArray(list) || list.length === 0)
    throw new TypeError(`names must be a name or a non-empty array of names, got ${describe(names)}`)
  list.forEach((n, i) => {
    const what = Array.isArray(names) ? `names[${i}]` : 'names'
    if (typeof n !== 'string' || n.length === 0) throw new TypeError(`${what} must be a non-empty string, got ${describe(n)}`)
    checkText(n, what)
    // ALTIFNAMSIZ is 128 with the NUL; names containing '/' or whitespace are refused by the kernel too.
    if (Buffer.byteLength(n) > 127 || /[/\s:]/.test(n))
      throw new RangeError(`${what} must be at most 127 bytes without '/', ':' or whitespace, got ${describe(n)}`)
  })
  checkCallOptions(o)
  await e.call(op, String(ref), { op, ...refFields(ref), altnames: list }, o)
}

/**
 * One link's statistics from {@link linkStats}, by group.
 *
 * @category Links
 */
export interface LinkStatsEntry {
  /** Interface index. */
  index: number
  /** Interface name. */
  name?: string
  /** The `link` group: every 64-bit counter. */
  link?: LinkStats
  /** The `offload` group. */
  offload?: {
    /** Traffic the CPU handled on a device that offloads forwarding (absent elsewhere). */
    cpuHit?: LinkStats
    /** L3 hardware counters, when in use (the first nine counters). */
    l3Stats?: LinkStats
    /** Whether L3 hardware statistics are requested and in use. */
    l3StatsInfo?: {
      /** Someone asked for them (`ip stats set dev X l3_stats on`). */
      request: boolean
      /** The device counts them. */
      used: boolean
    }
  }
  /** The `xstats` group: the link kind's own counters (a bridge's multicast, STP and VLAN counters; a bond's 802.3ad counters). */
  xstats?: LinkXstats
  /** The `xstats_slave` group: the counters of the link as its master's port (a bridge port's). */
  xstatsSlave?: LinkXstats
  /** The `afstats` group: per address family (MPLS, where the link does MPLS). */
  afstats?: {
    /** `struct mpls_link_stats`. */
    mpls?: Record<
      'rxPackets' | 'txPackets' | 'rxBytes' | 'txBytes' | 'rxErrors' | 'txErrors' | 'rxDropped' | 'txDropped' | 'rxNoroute',
      number
    >
  }
}

/**
 * Counters in each direction, by protocol version (`ip -j stats`'s `rx_v1`...).
 *
 * @category Links
 */
export type McastVersions<V extends string> = Record<`rx${V}` | `tx${V}`, number>

/**
 * A receive and a transmit counter.
 *
 * @category Links
 */
export interface RxTx {
  /** Received. */
  rx: number
  /** Sent. */
  tx: number
}

/**
 * One VLAN's counters on a bridge or bridge port (`struct bridge_vlan_xstats`).
 *
 * @category Links
 */
export interface BridgeVlanXstats {
  /** The VLAN id. */
  vid: number
  /** Bytes received. */
  rxBytes: number
  /** Packets received. */
  rxPackets: number
  /** Bytes sent. */
  txBytes: number
  /** Packets sent. */
  txPackets: number
  /** BRIDGE_VLAN_INFO_* flags. */
  flags: number
}

/**
 * The kind-specific statistics of {@link linkStats} (`ip -j stats show group xstats`), with
 * `ip`'s subgroups and suites as keys and its counter names in camelCase.
 *
 * @category Links
 */
export interface LinkXstats {
  /** A bridge's or a bridge port's. */
  bridge?: {
    /** Suite `mcast` (`struct br_mcast_stats`). */
    multicast?: {
      /** IGMP queries by version. */
      igmpQueries: McastVersions<'V1' | 'V2' | 'V3'>
      /** IGMP reports by version. */
      igmpReports: McastVersions<'V1' | 'V2' | 'V3'>
      /** IGMP leaves. */
      igmpLeaves: RxTx
      /** IGMP messages that did not parse. */
      igmpParseErrors: number
      /** MLD queries by version. */
      mldQueries: McastVersions<'V1' | 'V2'>
      /** MLD reports by version. */
      mldReports: McastVersions<'V1' | 'V2'>
      /** MLD leaves (done messages). */
      mldLeaves: RxTx
      /** MLD messages that did not parse. */
      mldParseErrors: number
      /** Multicast bytes (not printed by `ip`). */
      bytes: RxTx
      /** Multicast packets (not printed by `ip`). */
      packets: RxTx
    }
    /** Suite `stp` (`struct bridge_stp_xstats`; a port's). */
    stp?: Record<'transitionBlk' | 'transitionFwd' | 'rxBpdu' | 'txBpdu' | 'rxTcn' | 'txTcn', number>
    /** Per-VLAN counters (with VLAN filtering on). */
    vlans?: BridgeVlanXstats[]
  }
  /** A bond's or bond port's: suite `802.3ad`. */
  bond?: {
    /** LACPDU and marker counters. */
    '802.3ad'?: Record<
      | 'lacpduRx'
      | 'lacpduTx'
      | 'lacpduUnknownRx'
      | 'lacpduIllegalRx'
      | 'markerRx'
      | 'markerTx'
      | 'markerRespRx'
      | 'markerRespTx'
      | 'markerUnknownRx',
      number
    >
  }
}

/**
 * Options of {@link linkStats}.
 *
 * @category Links
 */
export interface LinkStatsOptions extends CallOptions {
  /** One link (name or index); all links when absent. */
  dev?: LinkRef
  /** The groups to ask for, by `ip stats`'s names (default `['link']`). */
  groups?: ('link' | 'offload' | 'xstats' | 'xstats_slave' | 'afstats')[]
}

const GROUPS = { link: 1, xstats: 1 << 1, xstats_slave: 1 << 2, offload: 1 << 3, afstats: 1 << 4 } as const

export async function linkStats(e: Engine, o: LinkStatsOptions = {}): Promise<LinkStatsEntry[]> {
  if (typeof o !== 'object' || o === null) throw new TypeError('options must be an object')
  const { dev, groups = ['link'], ...call } = o
  if (dev !== undefined) checkLinkRef(dev, 'dev')
  if (!Array.isArray(groups) || groups.length === 0)
    throw new TypeError(`groups must be a non-empty array of ${Object.keys(GROUPS).join(' | ')}, got ${describe(groups)}`)
  let mask = 0
  for (const g of groups) {
    if (!Object.hasOwn(GROUPS, g))
      throw new RangeError(`unknown statistics group ${describe(g)}; expected one of ${Object.keys(GROUPS).join(', ')}`)
    mask |= GROUPS[g]
  }
  checkCallOptions(call)
  const subject = dev === undefined ? '' : String(dev)
  const sel = dev === undefined ? {} : refFields(dev)
  // Names: given, one RTM_GETLINK for a link given by index, a link dump for all of them.
  const names = async (): Promise<Map<number, string>> => {
    if (typeof dev === 'string') return new Map()
    if (dev === undefined) return linkNames(e, 'linkStats', subject, call)
    const [l] = await e.call<Link>('linkStats', subject, { op: 'linkGet', index: dev }, call)
    return new Map(l ? [[l.index, l.name]] : [])
  }
  const [got, byIndex] = await Promise.all([
    e.call<LinkStatsEntry>('linkStats', subject, { op: 'linkStats', ...sel, groups: mask }, call),
    names(),
  ])
  for (const s of got) s.name = typeof dev === 'string' ? dev : byIndex.get(s.index)
  return got
}
