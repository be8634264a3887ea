/**
 * Neighbours (`ip neigh`: ARP and NDP entries; `bridge fdb` with `family: 'bridge'`).
 *
 * @module
 */

import type { Engine } from './engine.js'
import { linkNames, refFields } from './links.js'
import type { LinkSel, NeighFields, OptLinkSel } from './native.js'
import { type NeighFlag, NTF, NUD, type NudState } from './names.js'
import type { CallOptions, LinkRef } from './types.js'
import { bits, checkCallOptions, checkInt, checkIp, checkKeys, checkLinkRef, checkMac, neighFamily } from './validate.js'

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
}

const NEIGH_FILTER: ReadonlySet<string> = new Set(['dev', 'family'])

export async function neighList(e: Engine, filter: NeighFilter = {}, o?: CallOptions): Promise<Neighbour[]> {
  if (typeof filter !== 'object' || filter === null) throw new TypeError('filter must be an object')
  checkKeys(filter, NEIGH_FILTER, 'filter')
  const f: { op: 'neighList'; family?: 4 | 6 | 7 } & OptLinkSel = { op: 'neighList' }
  if (filter.family !== undefined) f.family = neighFamily(filter.family, 'filter.family')
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
  }
  return list
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
  if (n.state !== undefined) f.state = bits(NUD, n.state, 'state')
  if (n.flags !== undefined) f.flags = bits(NTF, n.flags, 'flags')
  if (n.vlan !== undefined) f.vlan = checkInt(n.vlan, 'vlan', 0, 4095)
  checkCallOptions(o)
  await e.call(opName, [n.dst ?? n.lladdr, `dev ${n.dev}`].filter(Boolean).join(' '), f, o)
}
