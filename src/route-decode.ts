/**
 * Routes from the binding's positional layout ({@link ROUTE}) to {@link Route} objects. Route
 * dumps run to millions: the common route is built in one object literal.
 *
 * @module
 */

import { ROUTE, ROUTE_LEN, type WireRoutes } from './native.js'
import { flagNames, nameOf, PROTOCOL_NAMES, ROUTE_TYPE_NAMES, SCOPE_NAMES } from './names.js'
import type { Route } from './routes.js'

/** Builds the {@link Route} at `w[i...]` (fields in `ip -j`'s order), naming devices from `names`. */
export function routeFromWire(w: WireRoutes, i: number, names?: Map<number, string>): Route {
  const x = w[i + ROUTE.extra] as Partial<Route> | null
  const oif = w[i + ROUTE.oif] as number
  const dev = oif === 0 ? undefined : (names?.get(oif) ?? (w[i + ROUTE.dev] as string | null) ?? undefined)
  const flags = w[i + ROUTE.flags] as number
  if (x === null && dev !== undefined) {
    // The common route, built in one literal: one allocation of the final shape (adding
    // properties one by one reallocates the object's property store several times).
    return {
      family: w[i + ROUTE.family] as 4 | 6,
      dst: w[i + ROUTE.dst] as string,
      dstLen: w[i + ROUTE.dstLen] as number,
      dev,
      oif,
      table: w[i + ROUTE.table] as number,
      protocol: nameOf(PROTOCOL_NAMES, w[i + ROUTE.protocol] as number),
      scope: nameOf(SCOPE_NAMES, w[i + ROUTE.scope] as number),
      type: nameOf(ROUTE_TYPE_NAMES, w[i + ROUTE.type] as number),
      flags: flags === 0 ? [] : flagNames(flags),
    }
  }
  const r = { family: w[i + ROUTE.family], dst: w[i + ROUTE.dst], dstLen: w[i + ROUTE.dstLen] } as Route
  if (x !== null) {
    if (x.src !== undefined) r.src = x.src
    if (x.gateway !== undefined) r.gateway = x.gateway
  }
  if (oif !== 0) {
    if (dev !== undefined) r.dev = dev
    r.oif = oif
  }
  if (x?.iif !== undefined) r.iif = x.iif
  r.table = w[i + ROUTE.table] as number
  r.protocol = nameOf(PROTOCOL_NAMES, w[i + ROUTE.protocol] as number)
  r.scope = nameOf(SCOPE_NAMES, w[i + ROUTE.scope] as number)
  r.type = nameOf(ROUTE_TYPE_NAMES, w[i + ROUTE.type] as number)
  if (x !== null) {
    if (x.metric !== undefined) r.metric = x.metric
    if (x.prefsrc !== undefined) r.prefsrc = x.prefsrc
    if (x.mark !== undefined) r.mark = x.mark
    if (x.tos !== undefined) r.tos = x.tos
  }
  r.flags = flags === 0 ? [] : flagNames(flags)
  if (x !== null) {
    if (x.pref !== undefined) r.pref = x.pref
    if (x.nhid !== undefined) r.nhid = x.nhid
    if (x.nexthops !== undefined) {
      if (names) {
        for (const nh of x.nexthops) {
          const n = names.get(nh.oif)
          if (n !== undefined) nh.dev = n
        }
      }
      r.nexthops = x.nexthops
    }
    if (x.metrics !== undefined) r.metrics = x.metrics
    if (x.encap !== undefined) r.encap = x.encap
    if (x.via !== undefined) r.via = x.via
    if (x.expires !== undefined) r.expires = x.expires
    if (x.ttlPropagate !== undefined) r.ttlPropagate = x.ttlPropagate
  }
  return r
}

/** Appends the routes of a positional list to `out`. */
export function appendRoutes(out: Route[], w: WireRoutes, names: Map<number, string>): Route[] {
  for (let i = 0; i + ROUTE_LEN <= w.length; i += ROUTE_LEN) out.push(routeFromWire(w, i, names))
  return out
}
