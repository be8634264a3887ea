/**
 * The smaller rtnetlink tables: per-device IP settings (`ip netconf`), network namespace ids
 * (`ip netns set` / `list-id`), IPv6 address labels (`ip addrlabel`) and neighbour tables
 * (`ip ntable`). Keys are `ip -j`'s names in camelCase.
 *
 * @module
 */

import type { Engine } from './engine.js'
import { linkIndex, linkNames } from './links.js'
import { netnsList, netnsSpec } from './netns.js'
import type { CallOptions, LinkRef, NetnsRef } from './types.js'
import { checkCallOptions, checkInt, checkKeys, checkLinkRef, checkText, describe, MAX_U32, parseCidr } from './validate.js'

/**
 * One device's IP settings of one family (`ip -j netconf show`); settings the kernel does not
 * report for the family are absent.
 *
 * @category Netconf
 */
export interface NetconfEntry {
  /** 4 or 6 (or the kernel's family number, e.g. 28 for MPLS). */
  family: number
  /** Interface index; absent for the `all` and `default` pseudo-devices. */
  index?: number
  /** Interface name, or `'all'` / `'default'`. */
  dev?: string
  /** IP forwarding. */
  forwarding?: boolean
  /** Reverse-path filter (IPv4): `'off'`, `'strict'` or `'loose'`. */
  rpFilter?: string
  /** Multicast forwarding. */
  mcForwarding?: boolean
  /** Proxy ARP / NDP. */
  proxyNeigh?: boolean
  /** Ignore routes whose device has no carrier. */
  ignoreRoutesWithLinkdown?: boolean
  /** MPLS input enabled. */
  input?: boolean
  /** Broadcast forwarding (IPv4). */
  bcForwarding?: boolean
}

/**
 * What {@link netconfList} lists.
 *
 * @category Netconf
 */
export interface NetconfFilter {
  /** Only this device's settings. */
  dev?: LinkRef
  /** Only this family. */
  family?: 4 | 6
}

export function checkFamily(v: unknown, name = 'family'): 0 | 4 | 6 {
  if (v === undefined) return 0
  if (v !== 4 && v !== 6) throw new RangeError(`${name} must be 4 or 6, got ${describe(v)}`)
  return v
}

export async function netconfList(e: Engine, filter: NetconfFilter = {}, o?: CallOptions): Promise<NetconfEntry[]> {
  if (typeof filter !== 'object' || filter === null) throw new TypeError('filter must be an object')
  checkKeys(filter, new Set(['dev', 'family']), 'filter')
  const family = checkFamily(filter.family, 'filter.family')
  if (filter.dev !== undefined) checkLinkRef(filter.dev, 'filter.dev')
  checkCallOptions(o)
  const index = filter.dev === undefined ? undefined : await linkIndex(e, filter.dev, o, 'netconfList', String(filter.dev))
  const [got, names] = await Promise.all([
    e.call<NetconfEntry>('netconfList', '', { op: 'netconfList', family, index }, o),
    linkNames(e, 'netconfList', '', o),
  ])
  for (const n of got) if (n.index !== undefined) n.dev = names.get(n.index)
  return got
}

/**
 * A namespace id this namespace assigned (`ip -j netns list-id`).
 *
 * @category Namespaces
 */
export interface NsidEntry {
  /** The id. */
  nsid: number
  /** The named namespace (under /run/netns) it refers to, when there is one. */
  name?: string
}

export async function nsidGet(e: Engine, netns: NetnsRef, o?: CallOptions): Promise<number | undefined> {
  const spec = netnsSpec(netns)
  checkCallOptions(o)
  const [r] = await e.call<NsidEntry>('nsidGet', String(netns), { op: 'nsidGet', netns: spec }, o)
  return r === undefined || r.nsid < 0 ? undefined : r.nsid
}

export async function nsidSet(e: Engine, netns: NetnsRef, nsid: number, o?: CallOptions): Promise<void> {
  const spec = netnsSpec(netns)
  checkInt(nsid, 'nsid', 0, 0x7fffffff)
  checkCallOptions(o)
  await e.call('nsidSet', String(netns), { op: 'nsidSet', netns: spec, nsid }, o)
}

export async function nsidList(e: Engine, o?: CallOptions): Promise<NsidEntry[]> {
  checkCallOptions(o)
  const got = await e.call<NsidEntry>('nsidList', '', { op: 'nsidList' }, o)
  if (got.length === 0) return got
  // As ip does: ask for each named namespace's id and match (a namespace may vanish meanwhile).
  const named = await netnsList()
  const ids = await Promise.all(named.map((n) => nsidGet(e, n, o).catch(() => undefined)))
  for (const g of got) {
    const i = ids.indexOf(g.nsid)
    if (i >= 0) g.name = named[i]
  }
  return got
}

/**
 * An IPv6 address label (`ip -j addrlabel list`).
 *
 * @category Addresses
 */
export interface AddrLabel {
  /** The prefix, `'2001:db8::/32'`. */
  prefix: string
  /** The label (RFC 6724). */
  label: number
  /** The device it is limited to. */
  index?: number
  /** Its name. */
  dev?: string
}

/**
 * What {@link addrlabelAdd} and {@link addrlabelDel} take.
 *
 * @category Addresses
 */
export interface AddrLabelSpec {
  /** An IPv6 prefix. */
  prefix: string
  /** The label (0 to 2^32-2; 0xffffffff is reserved). */
  label: number
  /** Only for this device. */
  dev?: LinkRef
}

export async function addrlabelList(e: Engine, o?: CallOptions): Promise<AddrLabel[]> {
  checkCallOptions(o)
  const [got, names] = await Promise.all([
    e.call<AddrLabel>('addrlabelList', '', { op: 'addrlabelList' }, o),
    linkNames(e, 'addrlabelList', '', o),
  ])
  for (const l of got) if (l.index !== undefined) l.dev = names.get(l.index)
  return got
}

export async function addrlabel(e: Engine, op: 'addrlabelAdd' | 'addrlabelDel', spec: AddrLabelSpec, o?: CallOptions): Promise<void> {
  if (typeof spec !== 'object' || spec === null) throw new TypeError('spec must be an object')
  checkKeys(spec, new Set(['prefix', 'label', 'dev']), 'spec')
  const p = parseCidr(spec.prefix, 'spec.prefix')
  if (p.family !== 6) throw new RangeError(`spec.prefix must be an IPv6 prefix, got ${describe(spec.prefix)}`)
  const label = checkInt(spec.label, 'spec.label', 0, MAX_U32 - 1)
  if (spec.dev !== undefined) checkLinkRef(spec.dev, 'spec.dev')
  checkCallOptions(o)
  const index = spec.dev === undefined ? undefined : await linkIndex(e, spec.dev, o, op, spec.prefix)
  await e.call(op, spec.prefix, { op, prefix: p.address, prefixLen: p.prefixLen, label, index }, o)
}

/**
 * Neighbour-table settings (`ip ntable change`): thresholds and times in milliseconds.
 *
 * @category Neighbours
 */
export interface NtableSettings {
  /** Entries below which garbage collection never runs. */
  thresh1?: number
  /** Soft limit of entries. */
  thresh2?: number
  /** Hard limit of entries. */
  thresh3?: number
  /** Garbage collection interval, ms. */
  gcInterval?: number
  /** Base reachable time, ms. */
  baseReachable?: number
  /** Retransmit time, ms. */
  retrans?: number
  /** Stale entries are collected after, ms. */
  gcStale?: number
  /** Delay before the first probe, ms. */
  delayProbe?: number
  /** Packets queued per unresolved entry. */
  queue?: number
  /** Probes through the user-space daemon. */
  appProbes?: number
  /** Unicast probes. */
  ucastProbes?: number
  /** Multicast probes. */
  mcastProbes?: number
  /** Anycast answer delay, ms. */
  anycastDelay?: number
  /** Proxy answer delay, ms. */
  proxyDelay?: number
  /** Proxy queue length. */
  proxyQueue?: number
  /** Shortest time between lladdr changes, ms. */
  locktime?: number
  /** Bytes queued per unresolved entry. */
  queueLenBytes?: number
  /** Multicast re-probes. */
  mcastReprobes?: number
  /** Probe interval for MANAGED entries, ms. */
  intervalProbeTime?: number
}

/**
 * A neighbour table (`ip -j ntable show`): the table itself, or one device's parameters in it.
 *
 * @category Neighbours
 */
export interface Ntable extends NtableSettings {
  /** 4 or 6. */
  family: number
  /** `'arp_cache'`, `'ndisc_cache'`. */
  name: string
  /** The device these parameters are of (absent for the table's own record). */
  index?: number
  /** Its name. */
  dev?: string
  /** Read-only: reference count. */
  refcnt?: number
  /** Read-only: the current (randomised) reachable time, ms. */
  reachable?: number
  /** The table's configuration (its own record only). */
  config?: {
    /** Key length, bytes. */
    keyLen: number
    /** Entry size, bytes. */
    entrySize: number
    /** Entries now. */
    entries: number
  }
  /** The table's statistics (its own record only). */
  stats?: Record<string, number>
}

/**
 * What {@link ntableList} lists.
 *
 * @category Neighbours
 */
export interface NtableFilter {
  /** Only this table (`'arp_cache'`, `'ndisc_cache'`). */
  name?: string
  /** Only this device's parameters. */
  dev?: LinkRef
  /** Only this family. */
  family?: 4 | 6
}

/**
 * What {@link ntableChange} takes: which table (and device), and the settings to change.
 *
 * @category Neighbours
 */
export interface NtableChange extends NtableSettings {
  /** The table. */
  name: string
  /** Change this device's parameters (else the table's defaults). */
  dev?: LinkRef
  /** The table's family (default: found by name: 4 for arp_cache, 6 for ndisc_cache). */
  family?: 4 | 6
}

const NTABLE_KEYS = new Set([
  'thresh1',
  'thresh2',
  'thresh3',
  'gcInterval',
  'baseReachable',
  'retrans',
  'gcStale',
  'delayProbe',
  'queue',
  'appProbes',
  'ucastProbes',
  'mcastProbes',
  'anycastDelay',
  'proxyDelay',
  'proxyQueue',
  'locktime',
  'queueLenBytes',
  'mcastReprobes',
  'intervalProbeTime',
])

export async function ntableList(e: Engine, filter: NtableFilter = {}, o?: CallOptions): Promise<Ntable[]> {
  if (typeof filter !== 'object' || filter === null) throw new TypeError('filter must be an object')
  checkKeys(filter, new Set(['name', 'dev', 'family']), 'filter')
  const family = checkFamily(filter.family, 'filter.family')
  if (filter.name !== undefined && typeof filter.name !== 'string')
    throw new TypeError(`filter.name must be a string, got ${describe(filter.name)}`)
  if (filter.dev !== undefined) checkLinkRef(filter.dev, 'filter.dev')
  checkCallOptions(o)
  const index = filter.dev === undefined ? undefined : await linkIndex(e, filter.dev, o, 'ntableList', String(filter.dev))
  const [got, names] = await Promise.all([
    e.call<Ntable>('ntableList', '', { op: 'ntableList', family, index }, o),
    linkNames(e, 'ntableList', '', o),
  ])
  for (const t of got) if (t.index !== undefined) t.dev = names.get(t.index)
  return got.filter((t) => filter.name === undefined || t.name === filter.name)
}

export async function ntableChange(e: Engine, change: NtableChange, o?: CallOptions): Promise<void> {
  if (typeof change !== 'object' || change === null) throw new TypeError('change must be an object')
  const { name, dev, family, ...settings } = change
  if (typeof name !== 'string' || name.length === 0)
    throw new TypeError(`change.name must be a table name like "arp_cache", got ${describe(name)}`)
  checkText(name, 'change.name')
  checkKeys(settings, NTABLE_KEYS, 'change')
  for (const [k, v] of Object.entries(settings)) checkInt(v, `change.${k}`, 0, Number.MAX_SAFE_INTEGER)
  const fam = family === undefined ? (name === 'ndisc_cache' ? 6 : name === 'arp_cache' ? 4 : 0) : checkFamily(family, 'change.family')
  if (dev !== undefined) checkLinkRef(dev, 'change.dev')
  checkCallOptions(o)
  const index = dev === undefined ? undefined : await linkIndex(e, dev, o, 'ntableChange', name)
  await e.call('ntableChange', name, { op: 'ntableChange', family: fam, table: name, index, settings }, o)
}
