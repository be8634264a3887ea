/**
 * Nexthop objects (`ip nexthop`): single nexthops and groups of them, which routes refer to by
 * id (`routeAdd({ dst, nhid })`), and the buckets of resilient groups.
 *
 * @module
 */

import type { Engine } from './engine.js'
import { linkNames } from './links.js'
import { PROTOCOLS, type RouteProtocol } from './names.js'
import { checkEncap, type RouteEncap } from './route-encap.js'
import type { NexthopListFields, NexthopSpecFields } from './native.js'
import type { CallOptions, LinkRef } from './types.js'
import { checkBool, checkCallOptions, checkInt, checkIp, checkKeys, checkLinkRef, describe, MAX_U32, named } from './validate.js'

/**
 * A member of a nexthop group.
 *
 * @category Nexthops
 */
export interface NexthopGroupMember {
  /** The member nexthop's id. */
  id: number
  /** Its share of the traffic, 1 to 256 (kernels from 6.12: to 65536). Default 1. */
  weight?: number
}

/**
 * A resilient group's parameters (`ip nexthop ... type resilient buckets N idle_timer S
 * unbalanced_timer S`).
 *
 * @category Nexthops
 */
export interface NexthopResilient {
  /** Number of hash buckets (default 128). */
  buckets?: number
  /** Seconds a bucket must be idle before it may move to another member (default 120). */
  idleTimer?: number
  /** Seconds a group may stay unbalanced before buckets move regardless (0: never). */
  unbalancedTimer?: number
  /** Seconds the group has been unbalanced (listed only). */
  unbalancedTime?: number
}

/**
 * A nexthop object, with the names `ip -j nexthop` uses (camelCase).
 *
 * @category Nexthops
 */
export interface NexthopObject {
  /** Its id. */
  id: number
  /** 4 or 6 for a single nexthop (groups have none). */
  family?: 4 | 6
  /** Gateway address. */
  gateway?: string
  /** Output interface index. */
  oif?: number
  /** Output interface name. */
  dev?: string
  /** Drops what is routed to it. */
  blackhole?: boolean
  /** A group's members with their weights. */
  group?: Required<NexthopGroupMember>[]
  /** A group's type. */
  type?: 'mpath' | 'resilient'
  /** A resilient group's parameters. */
  resilient?: NexthopResilient
  /** Scope (`'link'`, `'host'`, `'universe'`, ...). */
  scope: string
  /** Who installed it (`'unspec'`, `'boot'`, `'static'`, ...). */
  protocol: string
  /** Flags (`'onlink'`, `'dead'`, `'linkdown'`, ...). */
  flags: string[]
  /** For VXLAN FDB entries only (`ip nexthop ... fdb`). */
  fdb?: boolean
  /** Lightweight tunnel encapsulation (`ip nexthop ... encap`). */
  encap?: RouteEncap
}

/**
 * A nexthop object to add or replace (`ip nexthop add`): a gateway and/or device, a blackhole,
 * or a group of other nexthops.
 *
 * @category Nexthops
 */
export interface NexthopObjectSpec {
  /** Its id (the kernel picks one when left out). */
  id?: number
  /** Gateway address. */
  gateway?: string
  /** Output interface (a nexthop on it needs carrier). */
  dev?: LinkRef
  /** The gateway is on-link even if no prefix says so. */
  onlink?: boolean
  /** Drop what is routed to it (needs `lo` up). */
  blackhole?: boolean
  /** For VXLAN FDB entries only. */
  fdb?: boolean
  /** A group of other nexthops (ids), instead of gateway/dev/blackhole. */
  group?: (number | NexthopGroupMember)[]
  /** A group's type (default `'mpath'`). */
  type?: 'mpath' | 'resilient'
  /** A resilient group's parameters. */
  resilient?: NexthopResilient
  /** Protocol: a {@link RouteProtocol} name or a number. */
  protocol?: RouteProtocol | number
  /** 4 or 6 for a device-only or blackhole nexthop (default 4; taken from the gateway). */
  family?: 4 | 6
  /** Lightweight tunnel encapsulation, as on routes (`ip nexthop add ... encap mpls 100 via ...`). */
  encap?: RouteEncap
}

/**
 * Which nexthops {@link nexthopList} returns (the kernel filters).
 *
 * @category Nexthops
 */
export interface NexthopFilter {
  /** Only those using this device. */
  dev?: LinkRef
  /** Only groups. */
  groups?: boolean
  /** Only FDB nexthops. */
  fdb?: boolean
  /** Only those on devices enslaved to this master (an index). */
  master?: number
  /** Only this one (as {@link nexthopGet}, but an empty list when it does not exist). */
  id?: number
}

/**
 * One bucket of a resilient group (`ip -j nexthop bucket`).
 *
 * @category Nexthops
 */
export interface NexthopBucket {
  /** The group's id. */
  id: number
  /** The bucket. */
  bucket: {
    /** Bucket index. */
    index: number
    /** Seconds since the bucket was last used. */
    idleTime: number
    /** The member nexthop it maps to. */
    nhid: number
  }
}

const SPEC_KEYS: ReadonlySet<string> = new Set([
  'id',
  'gateway',
  'dev',
  'oif',
  'onlink',
  'blackhole',
  'fdb',
  'group',
  'type',
  'resilient',
  'protocol',
  'family',
  'encap',
  // What a listed nexthop carries besides: a listed object can be given back.
  'scope',
  'flags',
])
const RESILIENT_KEYS: ReadonlySet<string> = new Set(['buckets', 'idleTimer', 'unbalancedTimer', 'unbalancedTime'])
const FILTER_KEYS: ReadonlySet<string> = new Set(['dev', 'groups', 'fdb', 'master', 'id'])

function checkId(v: unknown, name: string): number {
  return checkInt(v, name, 1, MAX_U32)
}

function members(g: unknown): { id: number; weight?: number }[] {
  if (!Array.isArray(g) || g.length === 0) throw new TypeError('group must be a non-empty array of ids or { id, weight }')
  if (g.length > 1024) throw new RangeError('group has at most 1024 members')
  return g.map((m, i) => {
    if (typeof m === 'number') return { id: checkId(m, `group[${i}]`) }
    if (typeof m !== 'object' || m === null) throw new TypeError(`group[${i}] must be an id or { id, weight }, got ${describe(m)}`)
    checkKeys(m, new Set(['id', 'weight']), `group[${i}]`)
    const out: { id: number; weight?: number } = { id: checkId(m.id, `group[${i}].id`) }
    if (m.weight !== undefined) out.weight = checkInt(m.weight, `group[${i}].weight`, 1, 65536)
    return out
  })
}

function specFields(opName: NexthopSpecFields['op'], s: NexthopObjectSpec): NexthopSpecFields {
  if (typeof s !== 'object' || s === null) throw new TypeError('nexthop must be an object')
  checkKeys(s, SPEC_KEYS, 'nexthop')
  const f: NexthopSpecFields = { op: opName }
  if (s.id !== undefined) f.id = checkId(s.id, 'id')
  const single = s.gateway !== undefined || s.dev !== undefined || s.blackhole === true
  if (s.group !== undefined) {
    if (single) throw new TypeError('a group takes no gateway, dev or blackhole')
    f.group = members(s.group)
    if (s.type !== undefined) {
      if (s.type !== 'mpath' && s.type !== 'resilient') throw new RangeError(`type must be 'mpath' or 'resilient', got ${describe(s.type)}`)
      f.type = s.type
    }
  } else if (s.type !== undefined) {
    throw new TypeError('type is for groups')
  }
  if (s.resilient !== undefined) {
    const r = s.resilient
    if (typeof r !== 'object' || r === null) throw new TypeError('resilient must be an object')
    checkKeys(r, RESILIENT_KEYS, 'resilient')
    if (f.type !== 'resilient') throw new TypeError("resilient is for groups of type 'resilient'")
    if (r.buckets !== undefined) f.buckets = checkInt(r.buckets, 'resilient.buckets', 1, 0xffff)
    if (r.idleTimer !== undefined) f.idleTimer = checkInt(r.idleTimer, 'resilient.idleTimer', 0, 42949672)
    if (r.unbalancedTimer !== undefined) f.unbalancedTimer = checkInt(r.unbalancedTimer, 'resilient.unbalancedTimer', 0, 42949672)
  }
  let family: 4 | 6 | undefined
  if (s.gateway !== undefined) {
    const g = checkIp(s.gateway, 'gateway')
    f.gateway = g.address
    family = g.family
  }
  if (s.family !== undefined && s.group === undefined) {
    if (s.family !== 4 && s.family !== 6) throw new RangeError('family must be 4 or 6')
    if (family !== undefined && family !== s.family) throw new TypeError(`family ${s.family} does not match the gateway`)
    f.family = s.family
  }
  if (s.dev !== undefined) {
    const ref = checkLinkRef(s.dev, 'dev')
    if (typeof ref === 'number') f.index = ref
    else f.name = ref
  }
  if (s.onlink !== undefined) f.onlink = checkBool(s.onlink, 'onlink')
  else if (listedFlags(s).includes('onlink')) f.onlink = true
  if (s.blackhole !== undefined) f.blackhole = checkBool(s.blackhole, 'blackhole')
  if (s.fdb !== undefined) f.fdb = checkBool(s.fdb, 'fdb')
  if (f.blackhole && (s.gateway !== undefined || s.dev !== undefined || f.fdb))
    throw new TypeError('blackhole takes no gateway, dev or fdb')
  if (s.group === undefined && !single && !f.fdb) throw new TypeError('a nexthop needs a gateway, dev, blackhole or group')
  if (s.protocol !== undefined) f.protocol = named(PROTOCOLS, s.protocol, 'protocol', 255)
  if (s.encap !== undefined) {
    if (s.group !== undefined || f.blackhole) throw new TypeError('encap is for a nexthop with a gateway or dev (not a group or blackhole)')
    f.encap = checkEncap(s.encap)
  }
  return f
}

/** A listed nexthop's flags (it may be given back to add or replace): only `onlink` is a setting. */
function listedFlags(s: NexthopObjectSpec): string[] {
  const flags = (s as { flags?: unknown }).flags
  if (flags === undefined) return []
  if (!Array.isArray(flags) || flags.some((x) => typeof x !== 'string')) throw new TypeError('flags must be an array of flag names')
  return flags
}

/** nexthopAdd and nexthopReplace. */
export async function nexthopSet(e: Engine, opName: NexthopSpecFields['op'], s: NexthopObjectSpec, o?: CallOptions): Promise<void> {
  const f = specFields(opName, s)
  checkCallOptions(o)
  await e.call(opName, s.id === undefined ? '' : `id ${s.id}`, f, o)
}

function withNames(list: NexthopObject[], names: Map<number, string>): NexthopObject[] {
  for (const n of list) {
    if (n.oif !== undefined) {
      const d = names.get(n.oif)
      if (d !== undefined) n.dev = d
    }
  }
  return list
}

export async function nexthopList(e: Engine, filter: NexthopFilter = {}, o?: CallOptions): Promise<NexthopObject[]> {
  if (typeof filter !== 'object' || filter === null) throw new TypeError('filter must be an object')
  checkKeys(filter, FILTER_KEYS, 'filter')
  checkCallOptions(o)
  if (filter.id !== undefined) {
    const id = checkId(filter.id, 'filter.id')
    const rest = Object.keys(filter).filter((k) => k !== 'id' && filter[k as keyof NexthopFilter] !== undefined)
    if (rest.length > 0) throw new TypeError(`filter.id goes alone (not with ${rest.join(', ')})`)
    try {
      return [await nexthopGet(e, id, o)]
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') return []
      throw err
    }
  }
  const f: NexthopListFields = { op: 'nexthopList' }
  if (filter.dev !== undefined) {
    const ref = checkLinkRef(filter.dev, 'filter.dev')
    if (typeof ref === 'number') f.index = ref
    else f.name = ref
  }
  if (filter.groups !== undefined) f.groups = checkBool(filter.groups, 'filter.groups')
  if (filter.fdb !== undefined) f.fdb = checkBool(filter.fdb, 'filter.fdb')
  if (filter.master !== undefined) f.master = checkInt(filter.master, 'filter.master', 1, 0x7fffffff)
  const subject = filter.dev === undefined ? '' : String(filter.dev)
  const [list, names] = await Promise.all([e.call<NexthopObject>('nexthopList', subject, f, o), linkNames(e, 'nexthopList', subject, o)])
  return withNames(list, names)
}

export async function nexthopGet(e: Engine, id: number, o?: CallOptions): Promise<NexthopObject> {
  const n = checkId(id, 'id')
  checkCallOptions(o)
  const [list, names] = await Promise.all([
    e.call<NexthopObject>('nexthopGet', `id ${n}`, { op: 'nexthopGet', id: n }, o),
    linkNames(e, 'nexthopGet', `id ${n}`, o),
  ])
  return withNames(list, names)[0] as NexthopObject
}

export async function nexthopDel(e: Engine, id: number, o?: CallOptions): Promise<void> {
  const n = checkId(id, 'id')
  checkCallOptions(o)
  await e.call('nexthopDel', `id ${n}`, { op: 'nexthopDel', id: n }, o)
}

/** Deletes every nexthop the filter lists (`ip nexthop flush`); returns how many went. */
export async function nexthopFlush(e: Engine, filter: NexthopFilter = {}, o?: CallOptions): Promise<number> {
  const list = await nexthopList(e, filter, o)
  // Groups first: deleting a member first would make the kernel rebalance a group about to go.
  const order = [...list.filter((n) => n.group), ...list.filter((n) => !n.group)]
  let n = 0
  for (const nh of order) {
    try {
      await nexthopDel(e, nh.id, o)
      n++
    } catch (err) {
      // Gone meanwhile (a group emptied by an earlier delete goes with its last member).
      if ((err as { code?: string }).code !== 'ENOENT') throw err
    }
  }
  return n
}

export async function nexthopBucketList(e: Engine, filter: { id?: number; nhid?: number } = {}, o?: CallOptions): Promise<NexthopBucket[]> {
  if (typeof filter !== 'object' || filter === null) throw new TypeError('filter must be an object')
  checkKeys(filter, new Set(['id', 'nhid']), 'filter')
  checkCallOptions(o)
  const f: { op: 'nexthopBucketList'; id?: number; nhid?: number } = { op: 'nexthopBucketList' }
  if (filter.id !== undefined) f.id = checkId(filter.id, 'filter.id')
  if (filter.nhid !== undefined) f.nhid = checkId(filter.nhid, 'filter.nhid')
  return e.call<NexthopBucket>('nexthopBucketList', filter.id === undefined ? '' : `id ${filter.id}`, f, o)
}
