/**
 * `nlkit route`: show, get, add, replace, append, del (`ip route`).
 *
 * @module
 * @internal
 */

import { PROTOCOLS, ROUTE_TYPES, type RouteTable, SCOPES } from '../names.js'
import type { NexthopSpec, Route, RouteMetrics, RouteSpec } from '../routes.js'
import { familyOf, type Globals, int, linkName, pick, table, tableOrAll, type Words } from './args.js'
import { type Command, type Listing, verbOf } from './command.js'
import { type Column, field } from './table.js'

export const ROUTE_COLUMNS: Column<Route>[] = [
  { title: 'dst', cell: (r) => r.dst },
  { title: 'via', cell: (r) => r.gateway ?? (r.nexthops ? r.nexthops.map((n) => n.gateway ?? '').join(',') : undefined) },
  { title: 'dev', cell: (r) => r.dev ?? (r.nexthops ? r.nexthops.map((n) => n.dev ?? n.oif).join(',') : undefined) },
  field('table', 'table'),
  field('proto', 'protocol'),
  field('metric', 'metric'),
  field('type', 'type'),
]

/** Route metrics by iproute2's word (`ip route add ... mtu 1400 initcwnd 10`). */
const METRICS: Record<string, keyof RouteMetrics> = {
  mtu: 'mtu',
  advmss: 'advmss',
  window: 'window',
  rtt: 'rtt',
  rttvar: 'rttvar',
  ssthresh: 'ssthresh',
  cwnd: 'cwnd',
  initcwnd: 'initcwnd',
  initrwnd: 'initrwnd',
  hoplimit: 'hoplimit',
  reordering: 'reordering',
  quickack: 'quickack',
  rto_min: 'rtoMin',
  features: 'features',
  fastopen_no_cookie: 'fastopenNoCookie',
}

/**
 * A word of one of the library's name tables, or a number in [0, max]. The tables are the ones
 * the API itself accepts, so the word is checked here, and cast to the spec's field type.
 */
function named(w: string, names: Record<string, number>, what: string, words: Words, max = 255): string | number {
  if (/^\d+$/.test(w)) return int(w, what, 'route', 0, max)
  if (!Object.hasOwn(names, w)) throw words.error(`${what} must be one of ${Object.keys(names).join(', ')} or a number, not "${w}"`)
  return w
}

/** `via [inet|inet6] ADDR`: iproute2 lets the family word precede the gateway. */
function gateway(words: Words): string {
  const w = words.value('via')
  return w === 'inet' || w === 'inet6' ? words.value(w) : w
}

/** `nexthop via GW dev DEV weight N onlink` (one hop of a multipath route). */
function nexthop(words: Words): NexthopSpec {
  const h: NexthopSpec = {}
  for (;;) {
    if (words.take('via')) h.gateway = gateway(words)
    else if (words.take('dev')) h.dev = linkName(words.value('dev'), 'route')
    else if (words.take('weight')) h.weight = int(words.value('weight'), 'weight', 'route', 1, 256)
    else if (words.take('onlink')) h.onlink = true
    else break
  }
  if (h.gateway === undefined && h.dev === undefined) throw words.error('nexthop: "via GW" or "dev NAME" expected')
  return h
}

function spec(words: Words, g: Globals): RouteSpec {
  const r: Partial<RouteSpec> = { ...familyOf(g) }
  const metrics: RouteMetrics = {}
  const hops: NexthopSpec[] = []
  while (!words.done) {
    const w = words.next('argument')
    const key = pick(w, [
      'via',
      'dev',
      'oif',
      'table',
      'metric',
      'priority',
      'preference',
      'src',
      'scope',
      'protocol',
      'type',
      'onlink',
      'pref',
      'nexthop',
      'to',
    ])
    if (key === 'via') r.gateway = gateway(words)
    else if (key === 'dev' || key === 'oif') r.dev = linkName(words.value(w), 'route')
    else if (key === 'table') r.table = table(words.value(w), 'route')
    else if (key === 'metric' || key === 'priority' || key === 'preference') r.metric = int(words.value(w), 'metric', 'route')
    else if (key === 'src') r.src = words.value(w)
    else if (key === 'scope') r.scope = named(words.value(w), SCOPES, 'scope', words) as RouteSpec['scope']
    else if (key === 'protocol') r.protocol = named(words.value(w), PROTOCOLS, 'protocol', words) as RouteSpec['protocol']
    else if (key === 'type') r.type = named(words.value(w), ROUTE_TYPES, 'type', words) as RouteSpec['type']
    else if (key === 'onlink') r.onlink = true
    else if (key === 'pref') {
      const p = words.value(w)
      if (p !== 'low' && p !== 'medium' && p !== 'high') throw words.error(`pref must be low, medium or high, not "${p}"`)
      r.pref = p
    } else if (key === 'nexthop') hops.push(nexthop(words))
    else if (key === 'to') r.dst = words.value(w)
    else if (Object.hasOwn(METRICS, w)) metrics[METRICS[w]] = int(words.value(w), w, 'route')
    else if (r.dst === undefined && r.type === undefined && Object.hasOwn(ROUTE_TYPES, w) && w !== 'default')
      r.type = w as RouteSpec['type']
    else if (r.dst === undefined && (w === 'default' || /^[0-9a-f.:]+(\/\d+)?$/i.test(w))) r.dst = w
    else throw words.unknown(w)
  }
  if (r.dst === undefined) throw words.error('a destination (PREFIX or default) is needed')
  if (hops.length > 0) r.nexthops = hops
  if (Object.keys(metrics).length > 0) r.metrics = metrics
  return r as RouteSpec
}

function show(words: Words, g: Globals): Command {
  let tbl: number | RouteTable | 'all' | undefined
  let dev: string | undefined
  while (!words.done) {
    const w = words.next('argument')
    const key = pick(w, ['table', 'dev'])
    if (key === 'table') tbl = tableOrAll(words.value(w), 'route')
    else if (key === 'dev') dev = linkName(words.value(w), 'route')
    else throw words.unknown(w)
  }
  return async (ctx): Promise<Listing> => {
    const filter = { ...familyOf(g), ...(tbl === undefined ? {} : { table: tbl }), ...(dev === undefined ? {} : { dev }) }
    return { items: await ctx.conn().routeList(filter), columns: ROUTE_COLUMNS as Column<unknown>[] }
  }
}

function get(words: Words): Command {
  const dst = words.next('an address')
  const o: { from?: string; iif?: string; oif?: string; mark?: number } = {}
  while (!words.done) {
    const w = words.next('argument')
    const key = pick(w, ['from', 'iif', 'oif', 'dev', 'mark'])
    if (key === 'from') o.from = words.value(w)
    else if (key === 'iif') o.iif = linkName(words.value(w), 'route')
    else if (key === 'oif' || key === 'dev') o.oif = linkName(words.value(w), 'route')
    else if (key === 'mark') o.mark = int(words.value(w), 'mark', 'route')
    else throw words.unknown(w)
  }
  return async (ctx): Promise<Listing> => ({ items: [await ctx.conn().routeGet(dst, o)], columns: ROUTE_COLUMNS as Column<unknown>[] })
}

export function parseRoute(verb: string | undefined, words: Words, g: Globals): Command {
  const v = verbOf(verb, ['show', 'get', 'add', 'replace', 'append', 'del'], words)
  if (v === 'show') return show(words, g)
  if (v === 'get') return get(words)
  const r = spec(words, g)
  return async (ctx) => {
    const nl = ctx.conn()
    if (v === 'add') await nl.routeAdd(r)
    else if (v === 'replace') await nl.routeReplace(r)
    else if (v === 'append') await nl.routeAppend(r)
    else await nl.routeDel(r)
    return undefined
  }
}
