/**
 * Kernel name tables: the names `ip` uses for rtnetlink's numbers (scopes, tables, protocols,
 * route types, neighbour states and flags, rule actions, route metrics, next-hop flags), and
 * their reverse tables for decoding. One place for all of them.
 *
 * @module
 */

/** rtm_scope / ifa_scope (`ip route ... scope link`). */
export const SCOPES = { global: 0, universe: 0, site: 200, link: 253, host: 254, nowhere: 255 }
/** Reserved routing table ids (`ip route ... table main`). */
export const TABLES = { unspec: 0, default: 253, main: 254, local: 255 }
/** rtm_protocol, as in /etc/iproute2/rt_protos. */
export const PROTOCOLS = {
  unspec: 0,
  redirect: 1,
  kernel: 2,
  boot: 3,
  static: 4,
  gated: 8,
  ra: 9,
  mrt: 10,
  zebra: 11,
  bird: 12,
  dnrouted: 13,
  xorp: 14,
  ntk: 15,
  dhcp: 16,
  mrouted: 17,
  keepalived: 18,
  babel: 42,
  openr: 99,
  bgp: 186,
  isis: 187,
  ospf: 188,
  rip: 189,
  eigrp: 192,
}
/** rtm_type (`ip route add blackhole ...`). */
export const ROUTE_TYPES = {
  unspec: 0,
  unicast: 1,
  local: 2,
  broadcast: 3,
  anycast: 4,
  multicast: 5,
  blackhole: 6,
  unreachable: 7,
  prohibit: 8,
  throw: 9,
  nat: 10,
  xresolve: 11,
}
/** RTA_PREF: IPv6 router preference. */
export const PREFS = { medium: 0, high: 1, low: 3 }
/** NUD_* neighbour states (`ip neigh ... nud permanent`). */
export const NUD: Record<string, number> = {
  incomplete: 0x01,
  reachable: 0x02,
  stale: 0x04,
  delay: 0x08,
  probe: 0x10,
  failed: 0x20,
  noarp: 0x40,
  permanent: 0x80,
  none: 0,
}
/** NTF_* neighbour flags. */
export const NTF: Record<string, number> = {
  use: 0x01,
  self: 0x02,
  master: 0x04,
  proxy: 0x08,
  extern_learn: 0x10,
  offload: 0x20,
  sticky: 0x40,
  router: 0x80,
}
/** FR_ACT_* rule actions. */
export const RULE_ACTIONS = { to_tbl: 1, goto: 2, nop: 3, blackhole: 6, unreachable: 7, prohibit: 8 }
/** Route metrics (RTAX_*) by `ip route`'s names, in camelCase. */
export const METRIC_NAMES = [
  'lock',
  'mtu',
  'window',
  'rtt',
  'rttvar',
  'ssthresh',
  'cwnd',
  'advmss',
  'reordering',
  'hoplimit',
  'initcwnd',
  'features',
  'rtoMin',
  'initrwnd',
  'quickack',
  'fastopenNoCookie',
]
/** RTNH_F_* next-hop flags by bit (bit 0 first). */
export const RTNH_FLAG_NAMES = ['dead', 'pervasive', 'onlink', 'offload', 'linkdown', 'unresolved', 'trap']

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
