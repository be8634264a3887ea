/**
 * The bridge's tables (`bridge mdb`, `bridge vlan`): multicast group membership of ports, and
 * the VLANs of ports and bridges. Keys are `bridge -j`'s names in camelCase.
 *
 * @module
 */

import type { Engine } from './engine.js'
import type { Link } from './link-types.js'
import { linkIndex, linkNames } from './links.js'
import type { CallOptions, LinkRef } from './types.js'
import { checkBool, checkCallOptions, checkInt, checkIp, checkKeys, checkLinkRef, checkMac, describe, ipFamily } from './validate.js'

/**
 * A multicast database entry (`bridge -j mdb show`): a port receives a group.
 *
 * @category Bridge
 */
export interface MdbEntry {
  /** The bridge. */
  dev?: string
  /** The bridge's index. */
  index: number
  /** The port. */
  port?: string
  /** The port's index. */
  portIndex: number
  /** The group: an IPv4/IPv6 multicast address or a MAC (`'01:00:5e:01:02:03'`). */
  grp: string
  /** The source (IGMPv3/MLDv2 (S,G) entries). */
  src?: string
  /** VLAN id. */
  vid?: number
  /** `'permanent'` or `'temp'` (learned or added with a timer). */
  state: 'permanent' | 'temp'
  /** `'offload'`, `'fast_leave'`, `'star_exclude'`, `'blocked'`. */
  flags: string[]
  /** Remaining membership time of a temporary entry, centiseconds. */
  timer?: number
  /** Routing protocol number of whoever added it. */
  protocol?: number
  /** `'include'` or `'exclude'` for IGMPv3/MLDv2 entries. */
  filterMode?: 'include' | 'exclude'
}

/**
 * One MDB message as events carry it: a bridge and the entries the message is about.
 *
 * @category Bridge
 */
export interface MdbMessage {
  /** The bridge's index. */
  index: number
  /** The bridge. */
  dev?: string
  /** The entries (bridge and port names filled in). */
  entries: MdbEntry[]
}

/**
 * What {@link mdbAdd}, {@link mdbReplace} and {@link mdbDel} take (`bridge mdb add dev BR port P grp G ...`).
 *
 * @category Bridge
 */
export interface MdbSpec {
  /** The bridge. */
  dev: LinkRef
  /** The port. */
  port: LinkRef
  /** The group: a multicast IP address or a MAC. */
  grp: string
  /** A source, for an (S,G) entry (the group's family). */
  src?: string
  /** VLAN id (1-4094). */
  vid?: number
  /** `'permanent'` (default) or `'temp'`. */
  state?: 'permanent' | 'temp'
  /** Filter mode of an (*,G) entry. */
  filterMode?: 'include' | 'exclude'
  /** Routing protocol number to record (RTPROT_*). */
  protocol?: number
}

const MDB_KEYS = new Set(['dev', 'port', 'grp', 'src', 'vid', 'state', 'filterMode', 'protocol', 'index', 'portIndex', 'flags', 'timer'])

export async function mdbList(e: Engine, filter: { dev?: LinkRef } = {}, o?: CallOptions): Promise<MdbEntry[]> {
  if (typeof filter !== 'object' || filter === null) throw new TypeError('filter must be an object')
  checkKeys(filter, new Set(['dev']), 'filter')
  if (filter.dev !== undefined) checkLinkRef(filter.dev, 'filter.dev')
  checkCallOptions(o)
  const index = filter.dev === undefined ? undefined : await linkIndex(e, filter.dev, o, 'mdbList', String(filter.dev))
  const [msgs, names] = await Promise.all([
    e.call<{ index: number; entries: MdbEntry[] }>('mdbList', '', { op: 'mdbList', index }, o),
    linkNames(e, 'mdbList', '', o),
  ])
  return msgs.flatMap((m) => m.entries.map((x) => ({ ...x, dev: names.get(m.index), index: m.index, port: names.get(x.portIndex) })))
}

export async function mdb(e: Engine, op: 'mdbAdd' | 'mdbReplace' | 'mdbDel', spec: MdbSpec, o?: CallOptions): Promise<void> {
  if (typeof spec !== 'object' || spec === null) throw new TypeError('spec must be an object')
  checkKeys(spec, MDB_KEYS, 'spec')
  checkLinkRef(spec.dev, 'spec.dev')
  checkLinkRef(spec.port, 'spec.port')
  if (typeof spec.grp !== 'string') throw new TypeError(`spec.grp must be a multicast address or a MAC, got ${describe(spec.grp)}`)
  const fam = ipFamily(spec.grp)
  const grp = fam === 0 ? checkMac(spec.grp, 'spec.grp') : checkIp(spec.grp, 'spec.grp').address
  const src = spec.src === undefined ? undefined : checkIp(spec.src, 'spec.src', fam === 0 ? undefined : fam).address
  if (src !== undefined && fam === 0) throw new TypeError('spec.src needs an IP group, not a MAC')
  const vid = spec.vid === undefined ? undefined : checkInt(spec.vid, 'spec.vid', 1, 4094)
  if (spec.state !== undefined && spec.state !== 'permanent' && spec.state !== 'temp') {
    throw new RangeError(`spec.state must be 'permanent' or 'temp', got ${describe(spec.state)}`)
  }
  if (spec.filterMode !== undefined && spec.filterMode !== 'include' && spec.filterMode !== 'exclude') {
    throw new RangeError(`spec.filterMode must be 'include' or 'exclude', got ${describe(spec.filterMode)}`)
  }
  const protocol = spec.protocol === undefined ? undefined : checkInt(spec.protocol, 'spec.protocol', 0, 255)
  checkCallOptions(o)
  const [index, port] = await Promise.all([linkIndex(e, spec.dev, o, op, grp), linkIndex(e, spec.port, o, op, grp)])
  const include = spec.filterMode === undefined ? undefined : spec.filterMode === 'include'
  await e.call(op, `${grp} port ${spec.port}`, { op, index, port, grp, src, vid, permanent: spec.state !== 'temp', include, protocol }, o)
}

/**
 * A VLAN (or a range of them) on a bridge port or a bridge (`bridge -j vlan show`).
 *
 * @category Bridge
 */
export interface BridgeVlan {
  /** VLAN id (the first of a range). */
  vid: number
  /** The last id of a range. */
  vidEnd?: number
  /** The port's PVID (untagged ingress lands here). */
  pvid: boolean
  /** Egress untagged. */
  untagged: boolean
}

/**
 * A port's (or bridge's) VLANs, as {@link vlanList} lists them.
 *
 * @category Bridge
 */
export interface BridgeVlanEntry {
  /** The device. */
  dev: string
  /** Its index. */
  index: number
  /** Its VLANs. */
  vlans: BridgeVlan[]
}

/**
 * What {@link vlanAdd} and {@link vlanDel} take (`bridge vlan add dev D vid N[-M] [pvid] [untagged] [self] [master]`).
 *
 * @category Bridge
 */
export interface VlanSpec {
  /** The port (or the bridge itself, with `self`). */
  dev: LinkRef
  /** VLAN id, 1-4094. */
  vid: number
  /** The last id of a range. */
  vidEnd?: number
  /** Make it the port's PVID. */
  pvid?: boolean
  /** Egress untagged. */
  untagged?: boolean
  /** Change the device's own entry (`self`: the bridge, or a driver's). */
  self?: boolean
  /** Change the bridge's entry for the port (`master`, what the kernel does when neither is given). */
  master?: boolean
}

export async function vlanList(e: Engine, filter: { dev?: LinkRef } = {}, o?: CallOptions): Promise<BridgeVlanEntry[]> {
  if (typeof filter !== 'object' || filter === null) throw new TypeError('filter must be an object')
  checkKeys(filter, new Set(['dev']), 'filter')
  if (filter.dev !== undefined) checkLinkRef(filter.dev, 'filter.dev')
  checkCallOptions(o)
  const links = await e.call<Link & { vlans?: BridgeVlan[] }>('vlanList', '', { op: 'vlanList' }, o)
  return links
    .filter((l) => l.vlans !== undefined && (filter.dev === undefined || l.name === filter.dev || l.index === filter.dev))
    .map((l) => ({ dev: l.name, index: l.index, vlans: l.vlans ?? [] }))
}

export async function vlan(e: Engine, op: 'vlanAdd' | 'vlanDel', spec: VlanSpec, o?: CallOptions): Promise<void> {
  if (typeof spec !== 'object' || spec === null) throw new TypeError('spec must be an object')
  checkKeys(spec, new Set(['dev', 'vid', 'vidEnd', 'pvid', 'untagged', 'self', 'master']), 'spec')
  checkLinkRef(spec.dev, 'spec.dev')
  const vid = checkInt(spec.vid, 'spec.vid', 1, 4094)
  const vidEnd = spec.vidEnd === undefined ? undefined : checkInt(spec.vidEnd, 'spec.vidEnd', vid, 4094)
  const flags: Record<string, boolean> = {}
  for (const k of ['pvid', 'untagged', 'self', 'master'] as const) if (spec[k] !== undefined) flags[k] = checkBool(spec[k], `spec.${k}`)
  if (flags.pvid && vidEnd !== undefined && vidEnd !== vid) throw new TypeError('spec.pvid needs a single VLAN, not a range')
  checkCallOptions(o)
  const index = await linkIndex(e, spec.dev, o, op, String(spec.dev))
  await e.call(op, `vid ${vid} dev ${spec.dev}`, { op, index, vid, vidEnd, ...flags }, o)
}
