/**
 * Routes (`ip route`): adding, replacing, appending and deleting routes, listing a table (whole,
 * or as a stream), and asking the kernel which route it would take.
 *
 * @module
 */

import type { Engine, Subject } from './engine.js'
import { kernelError } from './errors.js'
import { linkIndex, linkNames, refFields } from './links.js'
import type { NexthopFields, OpOf, RouteFields } from './native.js'
import { PREFS, PROTOCOLS, ROUTE_TYPES, SCOPES, TABLES } from './names.js'
import { netnsSpec } from './netns.js'
import { appendRoutes } from './route-decode.js'
import { RouteStream } from './route-stream.js'
import { checkEncap } from './route-encap.js'
import type { NexthopSpec, Route, RouteFilter, RouteGetOptions, RouteSpec, RouteVia } from './route-types.js'
import type { CallOptions } from './types.js'

// The route shapes live in route-types.ts and route-encap.ts (this module stays short);
// importers keep using this one.
export type * from './route-types.js'
export type * from './route-encap.js'
import {
  checkBool,
  callOptions,
  checkCallOptions,
  checkInt,
  checkIp,
  checkKeys,
  checkLinkRef,
  checkMetrics,
  describe,
  ipFamily,
  MAX_U32,
  named,
  parseCidr,
} from './validate.js'

/**
 * routeAdd, routeReplace, routeAppend and routeDel. Validates synchronously and sends; only
 * multipath routes need link lookups first. Not async: the common call is one engine call.
 */
export function routeWrite(e: Engine, opName: RouteFields['op'], r: RouteSpec, o?: CallOptions): Promise<void> {
  let f: RouteFields
  try {
    f = routeFields(opName, r, o)
  } catch (err) {
    return Promise.reject(err)
  }
  const subject = () => [r.dst, r.gateway && `via ${r.gateway}`, r.dev !== undefined && `dev ${r.dev}`].filter(Boolean).join(' ')
  if (r.nexthops === undefined) return e.call(opName, subject, f, o, true) as Promise<never>
  return routeMultipath(e, opName, subject, r.nexthops, f, o)
}

/** A gateway of the other family: an address, or `{ family, host }` as a listed route gives it. */
function checkVia(via: string | RouteVia, name: string): string {
  const v = typeof via === 'object' && via !== null ? via.host : via
  const a = checkIp(v, name)
  if (typeof via === 'object' && via.family !== (a.family === 4 ? 'inet' : 'inet6'))
    throw new TypeError(`${name}.family ${describe(via.family)} does not match ${name}.host`)
  return a.address
}

async function routeMultipath(
  e: Engine,
  opName: string,
  subject: Subject,
  nexthops: NexthopSpec[],
  f: RouteFields,
  o?: CallOptions,
): Promise<void> {
  const family = f.family
  const hops = await Promise.all(
    nexthops.map(async (nh, i) => {
      if (typeof nh !== 'object' || nh === null) throw new TypeError(`nexthops[${i}] must be an object`)
      const out: NexthopFields = {}
      if (nh.gateway !== undefined) out.gateway = checkIp(nh.gateway, `nexthops[${i}].gateway`, family).address
      if (nh.via !== undefined) {
        if (nh.gateway !== undefined) throw new TypeError(`nexthops[${i}]: give either gateway or via, not both`)
        out.via = checkVia(nh.via, `nexthops[${i}].via`)
      }
      if (nh.weight !== undefined) out.weight = checkInt(nh.weight, `nexthops[${i}].weight`, 1, 256)
      if (nh.onlink !== undefined) out.onlink = checkBool(nh.onlink, `nexthops[${i}].onlink`)
      if (nh.encap !== undefined) out.encap = checkEncap(nh.encap, `nexthops[${i}].encap`)
      if (nh.dev !== undefined) out.oif = await linkIndex(e, checkLinkRef(nh.dev, `nexthops[${i}].dev`), o, opName, String(nh.dev))
      return out
    }),
  )
  f.nexthops = hops
  if (family === undefined) {
    const g = hops.find((n) => n.gateway !== undefined)
    if (g) f.family = ipFamily(g.gateway as string) === 4 ? 4 : 6
  }
  await e.call(opName, subject, f, o, true)
}

/** A route spec's fields for the binding, validated (throws TypeError/RangeError). */
/** What a route may name: RouteSpec's fields, and Route's (a listed route can be given back). */
const ROUTE_KEYS: ReadonlySet<string> = new Set([
  'dst',
  'dstLen',
  'family',
  'gateway',
  'dev',
  'oif',
  'iif',
  'src',
  'table',
  'metric',
  'scope',
  'protocol',
  'type',
  'nexthops',
  'nhid',
  'metrics',
  'onlink',
  'pref',
  'prefsrc',
  'mark',
  'tos',
  'flags',
  'encap',
  'via',
  'expires',
  'ttlPropagate',
])

function routeFields(opName: RouteFields['op'], r: RouteSpec, o?: CallOptions): RouteFields {
  if (typeof r !== 'object' || r === null) throw new TypeError('route must be an object')
  checkKeys(r, ROUTE_KEYS, 'route')
  checkCallOptions(o)
  const f: RouteFields = { op: opName }
  let family: 4 | 6 | undefined
  if (r.dst === 'default') {
    f.dstLen = 0
  } else {
    const p = parseCidr(r.dst, 'dst')
    f.dst = p.address
    f.dstLen = p.prefixLen
    family = p.family
  }
  if (r.gateway !== undefined) {
    const g = checkIp(r.gateway, 'gateway', family)
    f.gateway = g.address
    family = g.family
  }
  if (r.src !== undefined) f.prefsrc = checkIp(r.src, 'src', family).address
  if (r.family !== undefined) {
    if (r.family !== 4 && r.family !== 6) throw new RangeError('family must be 4 or 6')
    if (family !== undefined && family !== r.family) throw new TypeError(`family ${r.family} does not match the addresses given`)
    family = r.family
  }
  if (family !== undefined) f.family = family
  if (r.table !== undefined) f.table = named(TABLES, r.table, 'table', MAX_U32)
  if (r.metric !== undefined) f.metric = checkInt(r.metric, 'metric', 0, MAX_U32)
  if (r.scope !== undefined) f.scope = named(SCOPES, r.scope, 'scope', 255)
  if (r.protocol !== undefined) f.protocol = named(PROTOCOLS, r.protocol, 'protocol', 255)
  if (r.type !== undefined) f.routeType = named(ROUTE_TYPES, r.type, 'type', 255)
  if (r.dev !== undefined) {
    const ref = checkLinkRef(r.dev, 'dev')
    if (typeof ref === 'number') f.index = ref
    else f.name = ref
  }
  if (r.onlink !== undefined) f.onlink = checkBool(r.onlink, 'onlink')
  if (r.pref !== undefined) f.pref = named(PREFS, r.pref, 'pref', 3)
  if (r.metrics !== undefined) f.metrics = checkMetrics(r.metrics)
  if (r.encap !== undefined) f.encap = checkEncap(r.encap)
  if (r.via !== undefined) {
    if (r.gateway !== undefined) throw new TypeError('give either gateway or via, not both')
    f.via = checkVia(r.via, 'via')
  }
  if (r.expires !== undefined) {
    f.expires = checkInt(r.expires, 'expires', 0, MAX_U32)
    if (family === 4) throw new RangeError('expires is kept by the kernel on IPv6 routes only')
  }
  if (r.ttlPropagate !== undefined) f.ttlPropagate = checkBool(r.ttlPropagate, 'ttlPropagate')
  if (r.nhid !== undefined) {
    f.nhid = checkInt(r.nhid, 'nhid', 1, MAX_U32)
    if (r.gateway !== undefined || r.nexthops !== undefined) throw new TypeError('give either nhid or gateway/nexthops, not both')
  }
  if (r.nexthops !== undefined) {
    if (!Array.isArray(r.nexthops) || r.nexthops.length === 0) throw new TypeError('nexthops must be a non-empty array')
    if (r.gateway !== undefined || r.dev !== undefined) throw new TypeError('give either nexthops or gateway/dev, not both')
  }
  return f
}

const ROUTE_FILTER: ReadonlySet<string> = new Set(['family', 'table', 'dev'])
const ROUTE_GET_OPTIONS = callOptions('from', 'iif', 'oif', 'mark')

function checkRouteFilter(filter: RouteFilter): void {
  if (typeof filter !== 'object' || filter === null) throw new TypeError('filter must be an object')
  checkKeys(filter, ROUTE_FILTER, 'filter')
  if (filter.family !== undefined && filter.family !== 4 && filter.family !== 6) throw new RangeError('filter.family must be 4 or 6')
}

export async function routeList(e: Engine, filter: RouteFilter = {}, o?: CallOptions): Promise<Route[]> {
  checkRouteFilter(filter)
  if (filter.dev !== undefined) checkLinkRef(filter.dev, 'filter.dev')
  checkCallOptions(o)
  const table = filter.table === 'all' ? undefined : named(TABLES, filter.table ?? 'main', 'filter.table', MAX_U32)
  const dev = filter.dev === undefined ? {} : refFields(filter.dev)
  const subject = filter.dev === undefined ? '' : `dev ${filter.dev}`
  // Routes are built part by part as the dump arrives (once the link names are known), in
  // parallel with the engine reading the rest: a million routes never exist twice at once.
  const out: Route[] = []
  let names: Map<number, string> | undefined
  const early: unknown[][] = []
  const onPart = (w: unknown[] | null): void => {
    if (w === null) out.length = early.length = 0
    else if (names) appendRoutes(out, w, names)
    else early.push(w)
  }
  const [last] = await Promise.all([
    e.call<unknown>('routeList', subject, { op: 'routeList', ...dev, family: filter.family, table }, o, false, onPart),
    linkNames(e, 'routeList', subject, o).then((m) => {
      names = m
      for (const w of early) appendRoutes(out, w, m)
      early.length = 0
    }),
  ])
  appendRoutes(out, last, names!)
  return out
}

export async function routeListStream(e: Engine, filter: RouteFilter = {}, o?: CallOptions): Promise<RouteStream> {
  checkRouteFilter(filter)
  checkCallOptions(o)
  const table = filter.table === 'all' ? undefined : named(TABLES, filter.table ?? 'main', 'filter.table', MAX_U32)
  const index =
    filter.dev === undefined
      ? undefined
      : await linkIndex(e, checkLinkRef(filter.dev, 'filter.dev'), o, 'routeListStream', String(filter.dev))
  const netns = e.netns === undefined ? undefined : netnsSpec(e.netns)
  return new RouteStream({ op: 'routeList', family: filter.family, table, index }, netns, linkNames(e, 'routeListStream', '', o), e.trace)
}

export async function routeGet(e: Engine, destination: string, o: RouteGetOptions = {}): Promise<Route> {
  const d = checkIp(destination, 'destination')
  checkCallOptions(o, ROUTE_GET_OPTIONS)
  const f: OpOf<'routeGet'> = { op: 'routeGet', dst: d.address }
  if (o.from !== undefined) f.src = checkIp(o.from, 'from', d.family).address
  if (o.mark !== undefined) f.mark = checkInt(o.mark, 'mark', 0, MAX_U32)
  if (o.iif !== undefined) f.iif = await linkIndex(e, checkLinkRef(o.iif, 'iif'), o, 'routeGet', destination)
  if (o.oif !== undefined) f.oif = await linkIndex(e, checkLinkRef(o.oif, 'oif'), o, 'routeGet', destination)
  const [routes, names] = await Promise.all([e.call<unknown>('routeGet', destination, f, o), linkNames(e, 'routeGet', destination, o)])
  const [r] = appendRoutes([], routes, names)
  if (!r) throw kernelError('routeGet', destination, 'EHOSTUNREACH', 'No route to host')
  return r
}
