/**
 * Neighbours (`ip neigh`: ARP and NDP entries; `bridge fdb` with `family: 'bridge'`).
 *
 * @module
 */

import type { Engine } from './engine.js'
import { linkIndex, linkNames, refFields } from './links.js'
import type { LinkSel, NeighFields, OptLinkSel } from './native.js'
import { type NeighFlag, NTF, NUD, type NudState } from './names.js'
import type { CallOptions, LinkRef } from './types.js'
import {
  bits,
  checkBool,
  checkCallOptions,
  checkInt,
  checkIp,
  checkKeys,
  checkLinkRef,
  checkMac,
  MAX_U32,
  neighFamily,
} from './validate.js'

/**
 * A neighbour (ARP / NDP / bridge FDB) entry, with the names `ip -j neigh` uses.
 *
 * @category Neighbours
 */
export interface Neighbour {
  /** Interface index. */
  index: number
  /** Interface name. */
  dev?: string
  /** 4, 6 or `'bridge'` (FDB). */
  family: 4 | 6 | 'bridge'
  /** IP address (absent for FDB entries). */
  dst?: string
  /** Link-layer (MAC) address. */
  lladdr?: string
  /** `['REACHABLE']`, `['PERMANENT']`, ... */
  state: string[]
  /** NTF_* flags (`'router'`, `'self'`, ...). */
  flags: string[]
  /** VLAN id (FDB). */
  vlan?: number
  /** Master device name (FDB). */
  master?: string
  /** Master device index (FDB). */
  masterIndex?: number
  /** Probes sent. */
  probes?: number
  /** VXLAN FDB: the remote's UDP port. */
  port?: number
  /** VXLAN FDB: the VNI. */
  vni?: number
  /** VXLAN FDB: the source VNI (collect-metadata devices). */
  srcVni?: number
  /** VXLAN FDB: the device the remote is reached through (`via`). */
  via?: string
  /** Its index. */
  viaIndex?: number
  /** VXLAN FDB: a nexthop group (fdb nexthops) instead of a remote. */
  nhid?: number
  /** Routing protocol number of whoever added the entry (NDA_PROTOCOL), when set. */
  protocol?: number
}

/**
 * A neighbour entry to add, replace or delete (`ip neigh`, and `bridge fdb` with `family: 'bridge'`).
 *
 * @category Neighbours
 */
export interface NeighSpec {
  /** The link. */
  dev: LinkRef
  /** IP address (ARP/NDP); absent for a bridge FDB entry. */
  dst?: string
  /** Link-layer (MAC) address. */
  lladdr?: string
  /** `'permanent'` (default), `'reachable'`, `'stale'`, `'noarp'`, ... or several. */
  state?: NeighState | NeighState[]
  /** `'router'`, `'proxy'`, `'self'`, `'master'`, `'extern_learn'`, ... */
  flags?: NeighFlag | NeighFlag[]
  /** 4 or 6 (default: from dst), or `'bridge'` for FDB entries. */
  family?: 4 | 6 | 'bridge'
  /** VLAN id (FDB entries). */
  vlan?: number
  /** VXLAN FDB: the remote's UDP port (`bridge fdb add ... port N`). */
  port?: number
  /** VXLAN FDB: the VNI (`vni N`). */
  vni?: number
  /** VXLAN FDB: the source VNI (`src_vni N`, collect-metadata devices). */
  srcVni?: number
  /** VXLAN FDB: the device to reach the remote through (`via DEV`). */
  via?: LinkRef
  /** VXLAN FDB: a nexthop group of fdb nexthops (`nhid N`). */
  nhid?: number
}

/**
 * A neighbour state (NUD), as `ip neigh ... nud` names it.
 *
 * @category Neighbours
 */
export type NeighState = NudState

/**
 * Which entries {@link neighList} returns: of one link, of one family.
 *
 * @category Neighbours
 */
export interface NeighFilter {
  /** Only entries of this link. */
  dev?: LinkRef
  /** Only IPv4 (4), IPv6 (6) or bridge FDB (`'bridge'`) entries. */
  family?: 4 | 6 | 'bridge'
  /** The proxy entries (`ip neigh show proxy`) instead of the neighbours. */
  proxy?: boolean
}

const NEIGH_FILTER: ReadonlySet<string> = new Set(['dev', 'family', 'proxy'])

export async function neighList(e: Engine, filter: NeighFilter = {}, o?: CallOptions): Promise<Neighbour[]> {
  if (typeof filter !== 'object' || filter === null) throw new TypeError('filter must be an object')
  checkKeys(filter, NEIGH_FILTER, 'filter')
  const f: { op: 'neighList'; family?: 4 | 6 | 7; proxy?: boolean } & OptLinkSel = { op: 'neighList' }
  if (filter.family !== undefined) f.family = neighFamily(filter.family, 'filter.family')
  if (filter.proxy !== undefined) f.proxy = checkBool(filter.proxy, 'filter.proxy')
  if (filter.dev !== undefined) Object.assign(f, refFields(checkLinkRef(filter.dev, 'filter.dev')))
  checkCallOptions(o)
  const subject = filter.dev === undefined ? '' : String(filter.dev)
  const [list, names] = await Promise.all([e.call<Neighbour>('neighList', subject, f, o), linkNames(e, 'neighList', subject, o)])
  for (const n of list) {
    const d = names.get(n.index)
    if (d !== undefined) n.dev = d
    if (n.masterIndex !== undefined) {
      const m = names.get(n.masterIndex)
      if (m !== undefined) n.master = m
    }
    if (n.viaIndex !== undefined) {
      const v = names.get(n.viaIndex)
      if (v !== undefined) n.via = v
    }
  }
  return list
}

/** State names in lower case (the way neighList prints them is ip's: upper case). */
function lower(v: unknown): unknown {
  if (typeof v === 'string') return v.toLowerCase()
  return Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x.toLowerCase() : x)) : v
}

/** neighAdd, neighReplace and neighDel. */
/** What a neighbour may name: NeighSpec's fields, and Neighbour's (a listed one can be given back). */
const NEIGH_KEYS: ReadonlySet<string> = new Set([
  'dev',
  'dst',
  'lladdr',
  'state',
  'flags',
  'family',
  'vlan',
  'index',
  'master',
  'masterIndex',
  'probes',
  'port',
  'vni',
  'srcVni',
  'via',
  'viaIndex',
  'nhid',
  'protocol',
])

export async function neigh(e: Engine, opName: NeighFields['op'], n: NeighSpec, o?: CallOptions): Promise<void> {
  if (typeof n !== 'object' || n === null) throw new TypeError('neighbour must be an object')
  checkKeys(n, NEIGH_KEYS, 'neighbour')
  const f: NeighFields & LinkSel = { op: opName, ...refFields(checkLinkRef(n.dev, 'dev')) }
  let family: 4 | 6 | 7 | undefined = n.family === undefined ? undefined : neighFamily(n.family, 'family')
  if (n.dst !== undefined) {
    const d = checkIp(n.dst, 'dst', family === 4 || family === 6 ? family : undefined)
    f.dst = d.address
    family ??= d.family
  }
  if (family === undefined) throw new TypeError('dst is required (or family: "bridge" for an FDB entry)')
  if (family !== 7 && n.dst === undefined) throw new TypeError('dst is required for an IPv4/IPv6 neighbour')
  f.family = family
  if (n.lladdr !== undefined) f.lladdr = checkMac(n.lladdr, 'lladdr')
  // Listed entries carry ip's upper-case state names: accept them back.
  if (n.state !== undefined) f.state = bits(NUD, lower(n.state), 'state')
  if (n.flags !== undefined) f.flags = bits(NTF, n.flags, 'flags')
  if (n.vlan !== undefined) f.vlan = checkInt(n.vlan, 'vlan', 0, 4095)
  if (n.port !== undefined) f.port = checkInt(n.port, 'port', 1, 65535)
  if (n.vni !== undefined) f.vni = checkInt(n.vni, 'vni', 0, 0xffffff)
  if (n.srcVni !== undefined) f.srcVni = checkInt(n.srcVni, 'srcVni', 0, 0xffffff)
  if (n.nhid !== undefined) f.nhid = checkInt(n.nhid, 'nhid', 1, MAX_U32)
  if (n.via !== undefined) checkLinkRef(n.via, 'via')
  checkCallOptions(o)
  if (n.via !== undefined) f.via = await linkIndex(e, n.via, o, opName, String(n.dev))
  await e.call(opName, [n.dst ?? n.lladdr, `dev ${n.dev}`].filter(Boolean).join(' '), f, o)
}
