/**
 * Kernel name tables: the names `ip` uses for rtnetlink's numbers (scopes, tables, protocols,
 * route types, neighbour states and flags, rule actions, route metrics, next-hop flags), and
 * their reverse tables for decoding, built from the core's tables.
 *
 * @module
 */

import { nameTables } from './native.js'

type Pairs = [number, string][]

// The numbers are written once, in the core (crates/nlkit/src/rtnl/names.rs), and read here from
// the binding when the module loads. The names are also listed here, `as const`, so the API's
// string-literal unions (RouteType, ...) are derived from the same lists the tables are keyed
// by; __test__/names.test.mjs checks these lists against the core's tables.
const T = JSON.parse(nameTables()) as Record<string, Pairs>

function table<K extends string>(name: string, _names: Record<K, true>, f: (n: string) => string = (n) => n): Record<K, number> {
  const pairs = T[name]
  if (!pairs) throw new Error(`the binding has no name table ${name}: rebuild it (npm run build)`)
  return Object.fromEntries(pairs.map(([v, n]) => [f(n), v])) as Record<K, number>
}

// Each union is spelt out for the docs; its `Record<Union, true>` list makes TypeScript reject a
// name missing from either, and __test__/names.test.mjs checks the lists against the core's.

/**
 * A scope by name (`ip route ... scope link`); `universe` is ip's other name for global.
 *
 * @category Addresses
 */
export type Scope = 'global' | 'site' | 'link' | 'host' | 'nowhere' | 'universe'
/** The names of {@link Scope}. */
export const SCOPE_NAMES_LIST: Record<Scope, true> = { global: true, site: true, link: true, host: true, nowhere: true, universe: true }

/**
 * A reserved routing table by name.
 *
 * @category Routes
 */
export type RouteTable = 'unspec' | 'default' | 'main' | 'local'
/** The names of {@link RouteTable}. */
export const TABLE_NAMES_LIST: Record<RouteTable, true> = { unspec: true, default: true, main: true, local: true }

/**
 * A route protocol by name, as in /etc/iproute2/rt_protos.
 *
 * @category Routes
 */
export type RouteProtocol =
  | 'unspec'
  | 'redirect'
  | 'kernel'
  | 'boot'
  | 'static'
  | 'gated'
  | 'ra'
  | 'mrt'
  | 'zebra'
  | 'bird'
  | 'dnrouted'
  | 'xorp'
  | 'ntk'
  | 'dhcp'
  | 'mrouted'
  | 'keepalived'
  | 'babel'
  | 'openr'
  | 'bgp'
  | 'isis'
  | 'ospf'
  | 'rip'
  | 'eigrp'
/** The names of {@link RouteProtocol}. */
export const PROTOCOL_NAMES_LIST: Record<RouteProtocol, true> = {
  unspec: true,
  redirect: true,
  kernel: true,
  boot: true,
  static: true,
  gated: true,
  ra: true,
  mrt: true,
  zebra: true,
  bird: true,
  dnrouted: true,
  xorp: true,
  ntk: true,
  dhcp: true,
  mrouted: true,
  keepalived: true,
  babel: true,
  openr: true,
  bgp: true,
  isis: true,
  ospf: true,
  rip: true,
  eigrp: true,
}

/**
 * A route type by name (`ip route add blackhole ...`).
 *
 * @category Routes
 */
export type RouteType =
  | 'unspec'
  | 'unicast'
  | 'local'
  | 'broadcast'
  | 'anycast'
  | 'multicast'
  | 'blackhole'
  | 'unreachable'
  | 'prohibit'
  | 'throw'
  | 'nat'
  | 'xresolve'
/** The names of {@link RouteType}. */
export const ROUTE_TYPE_NAMES_LIST: Record<RouteType, true> = {
  unspec: true,
  unicast: true,
  local: true,
  broadcast: true,
  anycast: true,
  multicast: true,
  blackhole: true,
  unreachable: true,
  prohibit: true,
  throw: true,
  nat: true,
  xresolve: true,
}

/**
 * An IPv6 router preference by name.
 *
 * @category Routes
 */
export type RoutePref = 'medium' | 'high' | 'low'
/** The names of {@link RoutePref}. */
export const PREF_NAMES_LIST: Record<RoutePref, true> = { medium: true, high: true, low: true }

/**
 * A neighbour state (NUD) by name.
 *
 * @category Neighbours
 */
export type NudState = 'incomplete' | 'reachable' | 'stale' | 'delay' | 'probe' | 'failed' | 'noarp' | 'permanent' | 'none'
/** The names of {@link NudState}. */
export const NUD_NAMES_LIST: Record<NudState, true> = {
  incomplete: true,
  reachable: true,
  stale: true,
  delay: true,
  probe: true,
  failed: true,
  noarp: true,
  permanent: true,
  none: true,
}

/**
 * A neighbour flag (NTF) by name.
 *
 * @category Neighbours
 */
export type NeighFlag = 'use' | 'self' | 'master' | 'proxy' | 'extern_learn' | 'offload' | 'sticky' | 'router'
/** The names of {@link NeighFlag}. */
export const NTF_NAMES_LIST: Record<NeighFlag, true> = {
  use: true,
  self: true,
  master: true,
  proxy: true,
  extern_learn: true,
  offload: true,
  sticky: true,
  router: true,
}

/**
 * A rule action by name.
 *
 * @category Rules
 */
export type RuleAction = 'to_tbl' | 'goto' | 'nop' | 'blackhole' | 'unreachable' | 'prohibit'
/** The names of {@link RuleAction}. */
export const RULE_ACTION_NAMES_LIST: Record<RuleAction, true> = {
  to_tbl: true,
  goto: true,
  nop: true,
  blackhole: true,
  unreachable: true,
  prohibit: true,
}

/** rtm_scope / ifa_scope (`ip route ... scope link`); `universe` is ip's other name for global. */
export const SCOPES: Record<Scope, number> = { ...table('scopes', SCOPE_NAMES_LIST), universe: 0 }
/** Reserved routing table ids (`ip route ... table main`). */
export const TABLES: Record<RouteTable, number> = table('tables', TABLE_NAMES_LIST)
/** rtm_protocol, as in /etc/iproute2/rt_protos. */
export const PROTOCOLS: Record<RouteProtocol, number> = table('protocols', PROTOCOL_NAMES_LIST)
/** rtm_type (`ip route add blackhole ...`). */
export const ROUTE_TYPES: Record<RouteType, number> = table('routeTypes', ROUTE_TYPE_NAMES_LIST)
/** RTA_PREF: IPv6 router preference. */
export const PREFS: Record<RoutePref, number> = table('prefs', PREF_NAMES_LIST)
/** NUD_* neighbour states (`ip neigh ... nud permanent`), and `none`. */
export const NUD: Record<NudState, number> = { ...table('nudStates', NUD_NAMES_LIST, (n) => n.toLowerCase()), none: 0 }
/** NTF_* neighbour flags. */
export const NTF: Record<NeighFlag, number> = table('ntfFlags', NTF_NAMES_LIST)
/** FR_ACT_* rule actions a rule may be given (`unspec` is not one). */
export const RULE_ACTIONS: Record<RuleAction, number> = Object.fromEntries(
  Object.entries(table('ruleActions', RULE_ACTION_NAMES_LIST)).filter(([n]) => n !== 'unspec'),
) as Record<RuleAction, number>
/** Route metrics (RTAX_*) by `ip route`'s names, in camelCase. */
export const METRIC_NAMES: string[] = T.metrics.map(([, n]) => n)
/** RTNH_F_* next-hop flags by bit (bit 0 first). */
export const RTNH_FLAG_NAMES: string[] = T.rtnhFlags.map(([, n]) => n)

/** IFA_F_* address flags the API sets. */
export const IFA_F_NODAD = 0x02
export const IFA_F_NOPREFIXROUTE = 0x200

/**
 * An ethernet protocol by `tc`'s name (`tc filter add ... protocol ip`); `802.1q` is taken for
 * `802.1Q` too.
 *
 * @category Traffic control
 */
export type EthProtocol = 'all' | 'ip' | 'arp' | 'ipv6' | '802.1Q' | '802.1ad' | 'mpls_uc' | 'mpls_mc'
/** The names of {@link EthProtocol}. */
export const ETH_PROTOCOL_NAMES_LIST: Record<EthProtocol, true> = {
  all: true,
  ip: true,
  arp: true,
  ipv6: true,
  '802.1Q': true,
  '802.1ad': true,
  mpls_uc: true,
  mpls_mc: true,
}
/** Ethernet protocol numbers (host order) by tc's names. */
export const ETH_PROTOCOLS: Record<EthProtocol, number> = table('ethProtocols', ETH_PROTOCOL_NAMES_LIST)

/**
 * An IP protocol by the name `ip rule ... ipproto` takes (/etc/protocols' names).
 *
 * @category Rules
 */
export type IpProto =
  | 'icmp'
  | 'igmp'
  | 'ipip'
  | 'tcp'
  | 'udp'
  | 'ipv6'
  | 'gre'
  | 'esp'
  | 'ah'
  | 'ipv6-icmp'
  | 'pim'
  | 'vrrp'
  | 'sctp'
  | 'udplite'
  | 'mpls-in-ip'
  | 'ethernet'
  | 'raw'
/** The names of {@link IpProto}. */
export const IP_PROTO_NAMES_LIST: Record<IpProto, true> = {
  icmp: true,
  igmp: true,
  ipip: true,
  tcp: true,
  udp: true,
  ipv6: true,
  gre: true,
  esp: true,
  ah: true,
  'ipv6-icmp': true,
  pim: true,
  vrrp: true,
  sctp: true,
  udplite: true,
  'mpls-in-ip': true,
  ethernet: true,
  raw: true,
}
/** IP protocol numbers by name. */
export const IP_PROTOS: Record<IpProto, number> = table('ipProtos', IP_PROTO_NAMES_LIST)

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
