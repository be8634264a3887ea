/**
 * The module-level functions: each is the {@link Netlink} method of the same name, on a default
 * connection in the current network namespace, opened on the first call and kept for the life
 * of the process (it does not keep the process alive while idle).
 *
 * @module
 */

import type { Address, AddrDelOptions, AddrFilter, AddrOptions } from './addresses.js'
import type { Link, LinkAddSpec, LinkChanges, VethOptions } from './links.js'
import type { NeighFilter, Neighbour, NeighSpec } from './neighbours.js'
import { Netlink } from './netlink.js'
import type { RouteStream } from './route-stream.js'
import type { DefaultRouteOptions, DelDefaultRouteOptions, Route, RouteFilter, RouteGetOptions, RouteSpec } from './routes.js'
import type { Rule, RuleSpec } from './rules.js'
import type { CallOptions, LinkRef, NetnsRef } from './types.js'

let defaultConn: Netlink | undefined
/** The default connection, opened on first use. */
export function conn(): Netlink {
  return (defaultConn ??= new Netlink())
}

// ---- links -------------------------------------------------------------------------------

/**
 * Every link, like `ip -j link show`.
 *
 * @example
 * ```ts
 * const up = (await linkList()).filter((l) => l.up).map((l) => l.name)
 * ```
 *
 * @category Links
 */
export function linkList(o?: CallOptions): Promise<Link[]> {
  return conn().linkList(o)
}

/**
 * One link by name or index; rejects with `ENODEV` if there is none.
 *
 * @category Links
 */
export function linkGet(ref: LinkRef, o?: CallOptions): Promise<Link> {
  return conn().linkGet(ref, o)
}

/**
 * Sets a link administratively up (`ip link set dev X up`).
 *
 * @category Links
 */
export function linkSetUp(ref: LinkRef, o?: CallOptions): Promise<void> {
  return conn().linkSetUp(ref, o)
}

/**
 * Sets a link administratively down (`ip link set dev X down`).
 *
 * @category Links
 */
export function linkSetDown(ref: LinkRef, o?: CallOptions): Promise<void> {
  return conn().linkSetDown(ref, o)
}

/**
 * Creates a veth pair (`ip link add NAME type veth peer name PEER`).
 *
 * @category Links
 */
export function linkAddVeth(name: string, peer: string, o?: VethOptions): Promise<void> {
  return conn().linkAddVeth(name, peer, o)
}

/**
 * Creates a link (`ip link add`): `{ kind, name, ...top-level settings, ...kind settings }`.
 * Kind settings may also be given as `linkinfo` (as {@link linkGet} returns them), so a link
 * read back can be created again. The parent is `link` (`ip link add link eth0 ...`).
 *
 * @example
 * ```ts
 * await linkAdd({ kind: 'veth', name: 'veth0', peer: { name: 'veth1' } })
 * await linkAdd({ kind: 'vxlan', name: 'vx0', id: 42, dev: 'eth0', group: '239.1.1.1', port: 4789 })
 * await linkAdd({ kind: 'vlan', name: 'eth0.5', link: 'eth0', id: 5, up: true })
 * ```
 *
 * @category Links
 */
export function linkAdd<K extends string>(spec: LinkAddSpec<K> & { kind: K }, o?: CallOptions): Promise<void> {
  return conn().linkAdd(spec, o)
}

/**
 * Changes a link (`ip link set`): name, mtu, address, up, the flags promisc/allmulticast/arp/multicast,
 * carrier, GSO/GRO limits, protodown, master / nomaster, bridge or bond port settings, txqlen,
 * alias, group, netns.
 *
 * @example
 * ```ts
 * await linkSet('eth0', { mtu: 1400, up: true, master: 'br0' })
 * ```
 *
 * @category Links
 */
export function linkSet(ref: LinkRef, changes: LinkChanges, o?: CallOptions): Promise<void> {
  return conn().linkSet(ref, changes, o)
}

/**
 * Enslaves a link to a bridge or bond (`ip link set X master Y`); `null` releases it.
 *
 * @category Links
 */
export function linkSetMaster(ref: LinkRef, master: LinkRef | null, o?: CallOptions): Promise<void> {
  return conn().linkSetMaster(ref, master, o)
}

/**
 * Sets a link's MTU (`ip link set X mtu N`).
 *
 * @category Links
 */
export function linkSetMtu(ref: LinkRef, mtu: number, o?: CallOptions): Promise<void> {
  return conn().linkSetMtu(ref, mtu, o)
}

/**
 * Renames a link (`ip link set X name Y`).
 *
 * @category Links
 */
export function linkSetName(ref: LinkRef, name: string, o?: CallOptions): Promise<void> {
  return conn().linkSetName(ref, name, o)
}

/**
 * Sets a link's MAC address (`ip link set X address aa:bb:cc:dd:ee:ff`).
 *
 * @category Links
 */
export function linkSetAddress(ref: LinkRef, address: string, o?: CallOptions): Promise<void> {
  return conn().linkSetAddress(ref, address, o)
}

/**
 * Moves a link into another network namespace (`ip link set X netns NS`).
 *
 * @category Links
 */
export function linkSetNetns(ref: LinkRef, netns: NetnsRef, o?: CallOptions): Promise<void> {
  return conn().linkSetNetns(ref, netns, o)
}

/**
 * Deletes a link (`ip link del`).
 *
 * @category Links
 */
export function linkDel(ref: LinkRef, o?: CallOptions): Promise<void> {
  return conn().linkDel(ref, o)
}

// ---- addresses ---------------------------------------------------------------------------

/**
 * Adds an address (`ip addr add CIDR dev LINK`); `EEXIST` if it is already there.
 *
 * @example
 * ```ts
 * await addrAdd('eth0', '10.0.0.2/24')
 * await addrAdd('eth0', '2001:db8::2/64', { nodad: true })
 * ```
 *
 * @category Addresses
 */
export function addrAdd(ref: LinkRef, cidr: string, o?: AddrOptions): Promise<void> {
  return conn().addrAdd(ref, cidr, o)
}

/**
 * Adds an address or updates it in place (`ip addr replace`).
 *
 * @category Addresses
 */
export function addrReplace(ref: LinkRef, cidr: string, o?: AddrOptions): Promise<void> {
  return conn().addrReplace(ref, cidr, o)
}

/**
 * Removes an address (`ip addr del`); `EADDRNOTAVAIL` if it is not there.
 *
 * @category Addresses
 */
export function addrDel(ref: LinkRef, cidr: string, o?: AddrDelOptions): Promise<void> {
  return conn().addrDel(ref, cidr, o)
}

/**
 * Addresses, optionally of one link and/or one family (`ip -j addr show`).
 *
 * @example
 * ```ts
 * const v4 = await addrList({ link: 'eth0', family: 4 })
 * ```
 *
 * @category Addresses
 */
export function addrList(filter?: AddrFilter, o?: CallOptions): Promise<Address[]> {
  return conn().addrList(filter, o)
}

// ---- routes ------------------------------------------------------------------------------

/**
 * Adds a route (`ip route add`); `EEXIST` if it exists.
 *
 * @example
 * ```ts
 * await routeAdd({ dst: '10.1.0.0/16', gateway: '10.0.0.1' })
 * await routeAdd({ dst: '192.0.2.0/24', type: 'blackhole', table: 100 })
 * ```
 *
 * @category Routes
 */
export function routeAdd(route: RouteSpec, o?: CallOptions): Promise<void> {
  return conn().routeAdd(route, o)
}

/**
 * Adds or replaces a route (`ip route replace`).
 *
 * @category Routes
 */
export function routeReplace(route: RouteSpec, o?: CallOptions): Promise<void> {
  return conn().routeReplace(route, o)
}

/**
 * Deletes a route (`ip route del`); `ESRCH` if there is none.
 *
 * @category Routes
 */
export function routeDel(route: RouteSpec, o?: CallOptions): Promise<void> {
  return conn().routeDel(route, o)
}

/**
 * Adds a route even if one to the same destination exists (`ip route append`, e.g. a second path).
 *
 * @category Routes
 */
export function routeAppend(route: RouteSpec, o?: CallOptions): Promise<void> {
  return conn().routeAppend(route, o)
}

/**
 * Routes of the main table (or `filter.table`, `'all'` for every table), IPv4 and IPv6 unless `filter.family`.
 *
 * @example
 * ```ts
 * for (const r of await routeList({ family: 4 })) console.log(r.dst, r.gateway ?? r.dev)
 * ```
 *
 * @category Routes
 */
export function routeList(filter?: RouteFilter, o?: CallOptions): Promise<Route[]> {
  return conn().routeList(filter, o)
}

/**
 * Like {@link routeList}, as an async iterator of batches read at the consumer's pace: for very
 * large tables (a million routes in flat memory).
 *
 * @category Routes
 */
export function routeListStream(filter?: RouteFilter, o?: CallOptions): Promise<RouteStream> {
  return conn().routeListStream(filter, o)
}

/**
 * The route the kernel would use for `destination` (`ip route get`).
 *
 * @example
 * ```ts
 * const { dev, gateway } = await routeGet('1.1.1.1')
 * ```
 *
 * @category Routes
 */
export function routeGet(destination: string, o?: RouteGetOptions): Promise<Route> {
  return conn().routeGet(destination, o)
}

/**
 * Adds a default route via `gateway` (`ip route add default via GW`); IPv4 or IPv6 by the gateway.
 *
 * @category Routes
 */
export function routeAddDefault(gateway: string, o?: DefaultRouteOptions): Promise<void> {
  return conn().routeAddDefault(gateway, o)
}

/**
 * Deletes the default route (`ip route del default`), IPv4 unless `family: 6`.
 *
 * @category Routes
 */
export function routeDelDefault(o?: DelDefaultRouteOptions): Promise<void> {
  return conn().routeDelDefault(o)
}

// ---- neighbours --------------------------------------------------------------------------

/**
 * Neighbour entries (`ip -j neigh show`, and FDB entries with `family: 'bridge'`).
 *
 * @category Neighbours
 */
export function neighList(filter?: NeighFilter, o?: CallOptions): Promise<Neighbour[]> {
  return conn().neighList(filter, o)
}

/**
 * Adds a neighbour entry (`ip neigh add`); `EEXIST` if there is one.
 *
 * @example
 * ```ts
 * await neighAdd({ dev: 'eth0', dst: '10.0.0.9', lladdr: '02:00:00:00:00:09' })
 * ```
 *
 * @category Neighbours
 */
export function neighAdd(spec: NeighSpec, o?: CallOptions): Promise<void> {
  return conn().neighAdd(spec, o)
}

/**
 * Adds or replaces a neighbour entry (`ip neigh replace`).
 *
 * @category Neighbours
 */
export function neighReplace(spec: NeighSpec, o?: CallOptions): Promise<void> {
  return conn().neighReplace(spec, o)
}

/**
 * Deletes a neighbour entry (`ip neigh del`).
 *
 * @category Neighbours
 */
export function neighDel(spec: NeighSpec, o?: CallOptions): Promise<void> {
  return conn().neighDel(spec, o)
}

// ---- rules -------------------------------------------------------------------------------

/**
 * Policy routing rules (`ip -j rule show`), IPv4 and IPv6 unless `filter.family`.
 *
 * @category Rules
 */
export function ruleList(filter?: { family?: 4 | 6 }, o?: CallOptions): Promise<Rule[]> {
  return conn().ruleList(filter, o)
}

/**
 * Adds a rule (`ip rule add`).
 *
 * @example
 * ```ts
 * await ruleAdd({ priority: 100, from: '10.0.0.0/8', table: 100 })
 * ```
 *
 * @category Rules
 */
export function ruleAdd(rule: RuleSpec, o?: CallOptions): Promise<void> {
  return conn().ruleAdd(rule, o)
}

/**
 * Deletes the first rule matching every field given (`ip rule del`).
 *
 * @category Rules
 */
export function ruleDel(rule: RuleSpec, o?: CallOptions): Promise<void> {
  return conn().ruleDel(rule, o)
}
