/**
 * Kernel name tables: the names `ip` uses for rtnetlink's numbers (scopes, tables, protocols,
 * route types, neighbour states and flags, rule actions, route metrics, next-hop flags), and
 * their reverse tables for decoding, built from the core's tables.
 *
 * @module
 */

import { nameTables } from './native.js'

type Table = Record<string, number>
type Pairs = [number, string][]

// The tables themselves are written once, in the core (crates/nlkit/src/rtnl/names.rs), and
// read here from the binding when the module loads.
const T = JSON.parse(nameTables()) as Record<string, Pairs>

function table(name: string, f: (n: string) => string = (n) => n): Table {
  const pairs = T[name]
  if (!pairs) throw new Error(`the binding has no name table ${name}: rebuild it (npm run build)`)
  return Object.fromEntries(pairs.map(([v, n]) => [f(n), v]))
}

/** rtm_scope / ifa_scope (`ip route ... scope link`); `universe` is ip's other name for global. */
export const SCOPES: Table = { ...table('scopes'), universe: 0 }
/** Reserved routing table ids (`ip route ... table main`). */
export const TABLES: Table = table('tables')
/** rtm_protocol, as in /etc/iproute2/rt_protos. */
export const PROTOCOLS: Table = table('protocols')
/** rtm_type (`ip route add blackhole ...`). */
export const ROUTE_TYPES: Table = table('routeTypes')
/** RTA_PREF: IPv6 router preference. */
export const PREFS: Table = table('prefs')
/** NUD_* neighbour states (`ip neigh ... nud permanent`), and `none`. */
export const NUD: Table = { ...table('nudStates', (n) => n.toLowerCase()), none: 0 }
/** NTF_* neighbour flags. */
export const NTF: Table = table('ntfFlags')
/** FR_ACT_* rule actions a rule may be given (`unspec` is not one). */
export const RULE_ACTIONS: Table = Object.fromEntries(Object.entries(table('ruleActions')).filter(([n]) => n !== 'unspec'))
/** Route metrics (RTAX_*) by `ip route`'s names, in camelCase. */
export const METRIC_NAMES: string[] = T.metrics.map(([, n]) => n)
/** RTNH_F_* next-hop flags by bit (bit 0 first). */
export const RTNH_FLAG_NAMES: string[] = T.rtnhFlags.map(([, n]) => n)

/** IFA_F_* address flags the API sets. */
export const IFA_F_NODAD = 0x02
export const IFA_F_NOPREFIXROUTE = 0x200

/** A name table turned around: the first name of each number, by number. */
export function reverse(table: Record<string, number>): string[] {
  const out: string[] = []
  for (const [k, v] of Object.entries(table)) out[v] ??= k
  return out
}

export const PROTOCOL_NAMES = reverse(PROTOCOLS)
export const SCOPE_NAMES = reverse(SCOPES)
export const ROUTE_TYPE_NAMES = reverse(ROUTE_TYPES)

/** The name of `v` in a reverse table, or the number itself. */
export function nameOf(names: string[], v: number): string {
  return names[v] ?? String(v)
}

/** Next-hop flag names of a bit set. */
export function flagNames(bits: number): string[] {
  const out: string[] = []
  for (let i = 0; bits !== 0 && i < RTNH_FLAG_NAMES.length; i++, bits >>>= 1) if (bits & 1) out.push(RTNH_FLAG_NAMES[i])
  return out
}
