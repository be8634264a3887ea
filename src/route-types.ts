/**
 * The shapes of routes: a route as listed, a route to write, and the options and filters of the
 * route calls (split from routes.ts to keep it short).
 *
 * @module
 */

import type { RouteProtocol, RouteTable, RouteType, Scope } from './names.js'
import type { RouteEncap } from './route-encap.js'
import type { CallOptions, LinkRef } from './types.js'

/**
 * A route, with the names `ip -j route` uses.
 *
 * @category Routes
 */
export interface Route {
  /** 4 or 6. */
  family: 4 | 6
  /** `'default'`, a prefix (`'10.0.0.0/24'`) or, for a host route, a bare address. */
  dst: string
  /** Destination prefix length (0 for default). */
  dstLen: number
  /** Source prefix (policy routing). */
  src?: string
  /** Gateway address. */
  gateway?: string
  /** Output interface name. */
  dev?: string
  /** Output interface index. */
  oif?: number
  /** Input interface index. */
  iif?: number
  /** Routing table id. */
  table: number
  /** Who installed it (`'kernel'`, `'boot'`, `'static'`, ... or a number as a string). */
  protocol: string
  /** Scope (`'universe'`, `'link'`, `'host'`, ...). */
  scope: string
  /** Route type (`'unicast'`, `'local'`, `'blackhole'`, ...). */
  type: string
  /** Route metric (priority). */
  metric?: number
  /** Preferred source address. */
  prefsrc?: string
  /** Firewall mark (routeGet). */
  mark?: number
  /** Type of service. */
  tos?: number
  /** Next-hop flags (`'onlink'`, `'linkdown'`, ...). */
  flags: string[]
  /** IPv6 router preference. */
  pref?: string
  /** The nexthop object the route uses (`nexthops` then lists what it resolves to). */
  nhid?: number
  /** The paths of a multipath route. */
  nexthops?: RouteNexthop[]
  /** Route metrics (mtu, advmss, ...). */
  metrics?: RouteMetrics
  /** Lightweight tunnel encapsulation (`ip route ... encap`). */
  encap?: RouteEncap
  /** A gateway of another family, as `ip -j` prints it (an IPv4 route via an IPv6 next hop). */
  via?: RouteVia
  /** Seconds until the route expires (IPv6 routes with a lifetime). */
  expires?: number
  /** TTL propagation (MPLS routes). */
  ttlPropagate?: boolean
}

/**
 * A gateway of another family than the route's (RTA_VIA).
 *
 * @category Routes
 */
export interface RouteVia {
  /** `'inet'` or `'inet6'`. */
  family: 'inet' | 'inet6'
  /** The gateway's address. */
  host: string
}

/**
 * One path of a multipath {@link Route}.
 *
 * @category Routes
 */
export interface RouteNexthop {
  /** Gateway address. */
  gateway?: string
  /** A gateway of the other family (RTA_VIA), as `ip -j` prints it. */
  via?: RouteVia
  /** Output interface name. */
  dev?: string
  /** Output interface index. */
  oif: number
  /** Weight, 1..256. */
  weight: number
  /** Next-hop flags (`'onlink'`, ...). */
  flags: string[]
  /** This path's own encapsulation. */
  encap?: RouteEncap
}

/**
 * A route to add, replace or delete (`ip route` names).
 *
 * @category Routes
 */
export interface RouteSpec {
  /** `'default'`, a CIDR prefix, or an address (host route). */
  dst: string
  /** Needed only for a `'default'` route without a gateway (default 4). */
  family?: 4 | 6
  /** Gateway address. */
  gateway?: string
  /** Output interface. */
  dev?: LinkRef
  /** Preferred source address (`ip route ... src`). */
  src?: string
  /** Table id or `'main'` / `'local'` / `'default'` (default: main). */
  table?: number | RouteTable
  /** Route metric (priority). */
  metric?: number
  /** Scope: a {@link Scope} name or a number (default: from the route, as `ip`). */
  scope?: Scope | number
  /** Protocol: a {@link RouteProtocol} name or a number (default: boot). */
  protocol?: RouteProtocol | number
  /** Route type: a {@link RouteType} name or a number (default: unicast). */
  type?: RouteType | number
  /** ECMP: several paths instead of one `gateway`/`dev`. */
  nexthops?: NexthopSpec[]
  /** A nexthop object (`nexthopAdd`) instead of `gateway`/`dev`/`nexthops` (`ip route ... nhid N`). */
  nhid?: number
  /** Route metrics (`ip route ... mtu 1400 advmss 1360`). */
  metrics?: RouteMetrics
  /** The gateway is on-link even if no prefix says so. */
  onlink?: boolean
  /** IPv6 router preference. */
  pref?: 'low' | 'medium' | 'high'
  /** Lightweight tunnel encapsulation (`ip route ... encap seg6 mode encap segs ...`). */
  encap?: RouteEncap
  /** A gateway of another family (`ip route ... via inet6 fe80::1`): an address, or a listed route's `via`. */
  via?: string | RouteVia
  /** Lifetime in seconds (`ip route ... expires N`; the kernel keeps it on IPv6 routes only). */
  expires?: number
  /** TTL propagation (`ip route ... ttl-propagate enabled|disabled`, for MPLS). */
  ttlPropagate?: boolean
}

/**
 * One path of a multipath route.
 *
 * @category Routes
 */
export interface NexthopSpec {
  /** Gateway address of this path. */
  gateway?: string
  /** A gateway of the other family (`nexthop via inet6 ADDR` for an IPv4 route): an address, or a listed path's `via`. */
  via?: string | RouteVia
  /** Output interface of this path. */
  dev?: LinkRef
  /** 1..256 (default 1). */
  weight?: number
  /** The gateway is on-link even if no prefix says so. */
  onlink?: boolean
  /** This path's own encapsulation. */
  encap?: RouteEncap
}

/**
 * Route metrics, as `ip route` names them.
 *
 * @category Routes
 */
export interface RouteMetrics {
  /** Path MTU. */
  mtu?: number
  /** Advertised MSS. */
  advmss?: number
  /** TCP window clamp. */
  window?: number
  /** Initial RTT estimate (ms). */
  rtt?: number
  /** Initial RTT variance (ms). */
  rttvar?: number
  /** Initial slow-start threshold. */
  ssthresh?: number
  /** Congestion window clamp. */
  cwnd?: number
  /** Maximum reordering. */
  reordering?: number
  /** Hop limit (TTL). */
  hoplimit?: number
  /** Initial congestion window. */
  initcwnd?: number
  /** Initial receive window. */
  initrwnd?: number
  /** Minimum retransmission timeout (ms). */
  rtoMin?: number
  /** Quick ACK mode. */
  quickack?: number
  /** TCP features bit set. */
  features?: number
  /** Metrics locked against change by the kernel (names). */
  lock?: number
  /** TCP Fast Open without a cookie. */
  fastopenNoCookie?: number
}

/**
 * Which routes {@link routeList} and {@link routeListStream} return.
 *
 * @category Routes
 */
export interface RouteFilter {
  /** Only IPv4 (4) or IPv6 (6) routes. */
  family?: 4 | 6
  /** Table id or name; `'all'` for every table (default: main). */
  table?: number | RouteTable | 'all'
  /** Only routes through this interface. */
  dev?: LinkRef
}

/**
 * Options of {@link routeGet}: the rest of the flow a route is looked up for.
 *
 * @category Routes
 */
export interface RouteGetOptions extends CallOptions {
  /** Source address of the flow. */
  from?: string
  /** Input interface of the flow. */
  iif?: LinkRef
  /** Output interface to force. */
  oif?: LinkRef
  /** Firewall mark of the flow. */
  mark?: number
}

/**
 * Options of {@link routeAddDefault}.
 *
 * @category Routes
 */
export interface DefaultRouteOptions extends CallOptions {
  /** Output interface. */
  dev?: LinkRef
  /** Route metric (priority). */
  metric?: number
  /** Table id or name (default: main). */
  table?: number | RouteTable
}

/**
 * Options of {@link routeDelDefault}.
 *
 * @category Routes
 */
export interface DelDefaultRouteOptions extends CallOptions {
  /** 4 (default) or 6. */
  family?: 4 | 6
  /** Only the default route through this interface. */
  dev?: LinkRef
  /** Table id or name (default: main). */
  table?: number | RouteTable
}
