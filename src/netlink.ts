/**
 * {@link Netlink}: a connection, and every operation as its method. The methods validate
 * nothing themselves: each hands its arguments, with the connection's engine, to its area.
 *
 * @module
 */

import { RawNetlink, type RawOpenOptions } from './raw.js'
import { ConntrackConn } from './conntrack/conn.js'
import { GenlConn } from './genl/conn.js'
import { SockDiagConn } from './diag/conn.js'
import type { TypedConnOptions } from './typed-conn.js'
import * as addresses from './addresses.js'
import type { Address, AddrDelOptions, AddrFilter, AddrOptions } from './addresses.js'
import { Engine } from './engine.js'
import { Subscription, type EventGroup, type SubscribeOptions } from './events.js'
import * as links from './links.js'
import * as linkExtras from './link-extras.js'
import { installConntrack } from './netlink-conntrack.js'
import { installDiag } from './netlink-diag.js'
import { installGenl } from './netlink-genl.js'
import { installGenlFamilies } from './netlink-genl-families.js'
import { installTables } from './netlink-tables.js'
import { installTc } from './netlink-tc.js'
import { installXfrm } from './netlink-xfrm.js'
import { XfrmConn } from './xfrm/conn.js'
import type { LinkStatsEntry, LinkStatsOptions } from './link-extras.js'
import type { Link, LinkAddSpec, LinkChanges, VethOptions } from './links.js'
import * as neighbours from './neighbours.js'
import * as nexthops from './nexthops.js'
import type { NexthopBucket, NexthopFilter, NexthopObject, NexthopObjectSpec } from './nexthops.js'
import type { NeighFilter, Neighbour, NeighSpec } from './neighbours.js'
import type { RouteStream } from './route-stream.js'
import * as routes from './routes.js'
import type { DefaultRouteOptions, DelDefaultRouteOptions, Route, RouteFilter, RouteGetOptions, RouteSpec } from './routes.js'
import * as rules from './rules.js'
import type { Rule, RuleSpec } from './rules.js'
import type { CallOptions, LinkRef, NetnsRef, OpenOptions } from './types.js'

/**
 * A {@link Netlink}'s connection of another protocol, opened by `make` on first use (a family's
 * install function hands it to its methods).
 */
let typedConnOf: <C extends { close(): void }>(n: Netlink, key: string, make: (o: TypedConnOptions) => C) => C

/**
 * A netlink connection: one socket and one I/O thread, many requests in flight. An idle
 * connection does not keep the process alive; a pending request does.
 *
 * @category Connections
 */
export class Netlink {
  #e: Engine
  readonly #opts: OpenOptions
  /**
   * The connections of other protocols (generic netlink, ...), each opened in the same
   * namespace with the same options on the first call of its family, by key.
   */
  readonly #typed = new Map<string, { close(): void }>()

  static {
    installTables(Netlink.prototype, (n) => n.#e)
    const genlOf = (n: Netlink) => typedConnOf(n, 'genl', (o) => new GenlConn(o))
    installGenl(Netlink.prototype, genlOf)
    installGenlFamilies(Netlink.prototype, genlOf)
    installConntrack(Netlink.prototype, (n) => typedConnOf(n, 'conntrack', (o) => new ConntrackConn(o)))
    installDiag(Netlink.prototype, (n) => typedConnOf(n, 'sockdiag', (o) => new SockDiagConn(o)))
    installTc(Netlink.prototype, (n) => n.#e)
    installXfrm(
      Netlink.prototype,
      (n) => typedConnOf(n, 'xfrm', (o) => new XfrmConn(o)),
      (n) => n.#e,
    )
    typedConnOf = (n, key, make) => {
      let c = n.#typed.get(key)
      if (!c) {
        const { netns, timeout, maxPending, trace } = n.#opts
        c = make({ netns, timeout, maxPending, trace })
        n.#typed.set(key, c)
      }
      return c as ReturnType<typeof make>
    }
  }

  /** Use {@link open}. */
  constructor(opts: OpenOptions = {}) {
    this.#e = new Engine(opts)
    this.#opts = opts
  }

  // ---- links ---------------------------------------------------------------------------------

  /** Every link, like `ip -j link show`. */
  linkList(o?: CallOptions): Promise<Link[]> {
    return links.linkList(this.#e, o)
  }

  /** One link by name or index; rejects with `ENODEV` if there is none. */
  linkGet(ref: LinkRef, o?: CallOptions): Promise<Link> {
    return links.linkGet(this.#e, ref, o)
  }

  /** Sets a link administratively up (`ip link set dev X up`). */
  linkSetUp(ref: LinkRef, o?: CallOptions): Promise<void> {
    return links.linkSetUp(this.#e, 'linkSetUp', ref, true, o)
  }

  /** Sets a link administratively down (`ip link set dev X down`). */
  linkSetDown(ref: LinkRef, o?: CallOptions): Promise<void> {
    return links.linkSetUp(this.#e, 'linkSetDown', ref, false, o)
  }

  /** Creates a veth pair (`ip link add NAME type veth peer name PEER`). */
  linkAddVeth(name: string, peer: string, o?: VethOptions): Promise<void> {
    return this.linkAdd({ kind: 'veth', name, peer: { name: peer } }, o)
  }

  /**
   * Creates a link (`ip link add`): `{ kind, name, ...top-level settings, ...kind settings }`.
   * Kind settings may also be given as `linkinfo` (as {@link linkGet} returns them), so a link
   * read back can be created again. The parent is `link` (`ip link add link eth0 ...`).
   */
  linkAdd<K extends string>(spec: LinkAddSpec<K> & { kind: K }, o?: CallOptions): Promise<void> {
    return links.linkAdd(this.#e, spec, o)
  }

  /**
   * Changes a link (`ip link set`): name, mtu, address, up, the flags promisc/allmulticast/arp/multicast,
   * carrier, GSO/GRO limits, protodown, master / nomaster, bridge or bond port settings, txqlen,
   * alias, group, netns.
   */
  linkSet(ref: LinkRef, changes: LinkChanges, o?: CallOptions): Promise<void> {
    return links.linkSet(this.#e, ref, changes, o)
  }

  /** Enslaves a link to a bridge or bond (`ip link set X master Y`); `null` releases it. */
  linkSetMaster(ref: LinkRef, master: LinkRef | null, o?: CallOptions): Promise<void> {
    return this.linkSet(ref, { master }, o)
  }

  /** Sets a link's MTU (`ip link set X mtu N`). */
  linkSetMtu(ref: LinkRef, mtu: number, o?: CallOptions): Promise<void> {
    return this.linkSet(ref, { mtu }, o)
  }

  /** Renames a link (`ip link set X name Y`). */
  linkSetName(ref: LinkRef, name: string, o?: CallOptions): Promise<void> {
    return this.linkSet(ref, { name }, o)
  }

  /** Sets a link's MAC address (`ip link set X address aa:bb:cc:dd:ee:ff`). */
  linkSetAddress(ref: LinkRef, address: string, o?: CallOptions): Promise<void> {
    return this.linkSet(ref, { address }, o)
  }

  /** Moves a link into another network namespace (`ip link set X netns NS`). */
  linkSetNetns(ref: LinkRef, netns: NetnsRef, o?: CallOptions): Promise<void> {
    return this.linkSet(ref, { netns }, o)
  }

  /** Deletes a link (`ip link del`). */
  linkDel(ref: LinkRef, o?: CallOptions): Promise<void> {
    return links.linkDel(this.#e, ref, o)
  }

  /**
   * Adds alternative names to a link (`ip link property add dev X altname NAME...`); a link can
   * then be named by any of them. `EEXIST` if a name is taken.
   */
  linkAltnameAdd(ref: LinkRef, names: string | string[], o?: CallOptions): Promise<void> {
    return linkExtras.linkAltnames(this.#e, 'linkAltnameAdd', ref, names, o)
  }

  /** Removes alternative names (`ip link property del dev X altname NAME...`). */
  linkAltnameDel(ref: LinkRef, names: string | string[], o?: CallOptions): Promise<void> {
    return linkExtras.linkAltnames(this.#e, 'linkAltnameDel', ref, names, o)
  }

  /**
   * Link statistics through RTM_GETSTATS (`ip -j stats show [dev X] group link|offload`): only
   * the groups asked for travel: a link's counters without the rest of its attributes.
   */
  linkStats(o?: LinkStatsOptions): Promise<LinkStatsEntry[]> {
    return linkExtras.linkStats(this.#e, o)
  }

  // ---- addresses -----------------------------------------------------------------------------

  /** Adds an address (`ip addr add CIDR dev LINK`); `EEXIST` if it is already there. */
  addrAdd(ref: LinkRef, cidr: string, o?: AddrOptions): Promise<void> {
    return addresses.addr(this.#e, 'addrAdd', ref, cidr, o)
  }

  /** Adds an address or updates it in place (`ip addr replace`). */
  addrReplace(ref: LinkRef, cidr: string, o?: AddrOptions): Promise<void> {
    return addresses.addr(this.#e, 'addrReplace', ref, cidr, o)
  }

  /** Removes an address (`ip addr del`); `EADDRNOTAVAIL` if it is not there. */
  addrDel(ref: LinkRef, cidr: string, o?: AddrDelOptions): Promise<void> {
    return addresses.addr(this.#e, 'addrDel', ref, cidr, o)
  }

  /** Addresses, optionally of one link and/or one family (`ip -j addr show`). */
  addrList(filter: AddrFilter = {}, o?: CallOptions): Promise<Address[]> {
    return addresses.addrList(this.#e, filter, o)
  }

  // ---- routes --------------------------------------------------------------------------------

  /** Adds a route (`ip route add`); `EEXIST` if it exists. */
  routeAdd(route: RouteSpec, o?: CallOptions): Promise<void> {
    return routes.routeWrite(this.#e, 'routeAdd', route, o)
  }

  /** Adds or replaces a route (`ip route replace`). */
  routeReplace(route: RouteSpec, o?: CallOptions): Promise<void> {
    return routes.routeWrite(this.#e, 'routeReplace', route, o)
  }

  /** Deletes a route (`ip route del`); `ESRCH` if there is none. */
  routeDel(route: RouteSpec, o?: CallOptions): Promise<void> {
    return routes.routeWrite(this.#e, 'routeDel', route, o)
  }

  /** Adds a route even if one to the same destination exists (`ip route append`, e.g. a second path). */
  routeAppend(route: RouteSpec, o?: CallOptions): Promise<void> {
    return routes.routeWrite(this.#e, 'routeAppend', route, o)
  }

  /** Routes of the main table (or `filter.table`, `'all'` for every table), IPv4 and IPv6 unless `filter.family`. */
  routeList(filter: RouteFilter = {}, o?: CallOptions): Promise<Route[]> {
    return routes.routeList(this.#e, filter, o)
  }

  /**
   * Like {@link routeList}, as an async iterator of batches read at the consumer's pace: for very
   * large tables (a million routes in flat memory).
   */
  routeListStream(filter: RouteFilter = {}, o?: CallOptions): Promise<RouteStream> {
    return routes.routeListStream(this.#e, filter, o)
  }

  /** The route the kernel would use for `destination` (`ip route get`). */
  routeGet(destination: string, o: RouteGetOptions = {}): Promise<Route> {
    return routes.routeGet(this.#e, destination, o)
  }

  /** Adds a default route via `gateway` (`ip route add default via GW`); IPv4 or IPv6 by the gateway. */
  routeAddDefault(gateway: string, o: DefaultRouteOptions = {}): Promise<void> {
    const { dev, metric, table, ...call } = o
    return this.routeAdd({ dst: 'default', gateway, dev, metric, table }, call)
  }

  /** Deletes the default route (`ip route del default`), IPv4 unless `family: 6`. */
  async routeDelDefault(o: DelDefaultRouteOptions = {}): Promise<void> {
    const { dev, table, family = 4, ...call } = o
    if (family !== 4 && family !== 6) throw new RangeError('family must be 4 or 6')
    const spec: RouteSpec = { dst: 'default', family, dev, table }
    return this.routeDel(spec, call)
  }

  // ---- neighbours ------------------------------------------------------------------------------

  /** Neighbour entries (`ip -j neigh show`, and FDB entries with `family: 'bridge'`). */
  neighList(filter: NeighFilter = {}, o?: CallOptions): Promise<Neighbour[]> {
    return neighbours.neighList(this.#e, filter, o)
  }

  /** Adds a neighbour entry (`ip neigh add`); `EEXIST` if there is one. */
  neighAdd(spec: NeighSpec, o?: CallOptions): Promise<void> {
    return neighbours.neigh(this.#e, 'neighAdd', spec, o)
  }

  /** Adds or replaces a neighbour entry (`ip neigh replace`). */
  neighReplace(spec: NeighSpec, o?: CallOptions): Promise<void> {
    return neighbours.neigh(this.#e, 'neighReplace', spec, o)
  }

  /** Adds one more FDB entry for the same MAC (`bridge fdb append`): a VXLAN device's flood list of remotes. */
  neighAppend(spec: NeighSpec, o?: CallOptions): Promise<void> {
    return neighbours.neigh(this.#e, 'neighAppend', spec, o)
  }

  /** Deletes a neighbour entry (`ip neigh del`). */
  neighDel(spec: NeighSpec, o?: CallOptions): Promise<void> {
    return neighbours.neigh(this.#e, 'neighDel', spec, o)
  }

  // ---- rules ---------------------------------------------------------------------------------

  /** Policy routing rules (`ip -j rule show`), IPv4 and IPv6 unless `filter.family`. */
  ruleList(filter: { family?: 4 | 6 } = {}, o?: CallOptions): Promise<Rule[]> {
    return rules.ruleList(this.#e, filter, o)
  }

  /** Adds a rule (`ip rule add`). */
  ruleAdd(rule: RuleSpec, o?: CallOptions): Promise<void> {
    return rules.rule(this.#e, 'ruleAdd', rule, o)
  }

  /** Deletes the first rule matching every field given (`ip rule del`). */
  ruleDel(rule: RuleSpec, o?: CallOptions): Promise<void> {
    return rules.rule(this.#e, 'ruleDel', rule, o)
  }

  // ---- nexthop objects -----------------------------------------------------------------------

  /** Nexthop objects (`ip -j nexthop show [dev X] [groups] [fdb] [id N]`). */
  nexthopList(filter: NexthopFilter = {}, o?: CallOptions): Promise<NexthopObject[]> {
    return nexthops.nexthopList(this.#e, filter, o)
  }

  /** One nexthop object by id; rejects with `ENOENT` if there is none. */
  nexthopGet(id: number, o?: CallOptions): Promise<NexthopObject> {
    return nexthops.nexthopGet(this.#e, id, o)
  }

  /** Adds a nexthop object (`ip nexthop add`); `EEXIST` if its id is taken. */
  nexthopAdd(spec: NexthopObjectSpec, o?: CallOptions): Promise<void> {
    return nexthops.nexthopSet(this.#e, 'nexthopAdd', spec, o)
  }

  /** Adds a nexthop object or replaces the one with its id (`ip nexthop replace`). */
  nexthopReplace(spec: NexthopObjectSpec, o?: CallOptions): Promise<void> {
    return nexthops.nexthopSet(this.#e, 'nexthopReplace', spec, o)
  }

  /** Deletes a nexthop object (`ip nexthop del id N`); routes using it go with it. */
  nexthopDel(id: number, o?: CallOptions): Promise<void> {
    return nexthops.nexthopDel(this.#e, id, o)
  }

  /** Deletes every nexthop object the filter lists (`ip nexthop flush`); resolves to how many. */
  nexthopFlush(filter: NexthopFilter = {}, o?: CallOptions): Promise<number> {
    return nexthops.nexthopFlush(this.#e, filter, o)
  }

  /** The buckets of resilient groups (`ip -j nexthop bucket show [id N] [nhid M]`). */
  nexthopBucketList(filter: { id?: number; nhid?: number } = {}, o?: CallOptions): Promise<NexthopBucket[]> {
    return nexthops.nexthopBucketList(this.#e, filter, o)
  }

  // ---- events and lifetime -------------------------------------------------------------------

  /** Subscribes to events of this connection's network namespace; see {@link subscribe}. */
  subscribe(groups: EventGroup[], opts: SubscribeOptions = {}): Subscription {
    return new Subscription(groups, { netns: this.#e.netns, trace: this.#e.trace, ...opts })
  }

  /** Rejects everything in flight with a "connection closed" error and releases the socket. */
  close(): void {
    this.#e.close()
    for (const c of this.#typed.values()) c.close()
  }

  /** `await using`: closes the connection. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close()
  }
}

/**
 * Opens a connection, in the current network namespace or in `opts.netns`: an rtnetlink
 * {@link Netlink} with the whole typed API, or, given `{ protocol }`, a {@link RawNetlink} on
 * any netlink protocol (`'route'`, `'generic'`, `'netfilter'`, `'xfrm'`, `'sock_diag'` or a
 * number) whose requests and replies are bytes.
 *
 * @example
 * ```ts
 * await using nl = open({ netns: 'blue' })
 * await nl.linkSetUp('lo')
 *
 * const genl = open({ protocol: 'generic' })
 * ```
 *
 * @category Connections
 */
export function open(opts: RawOpenOptions): RawNetlink
export function open(opts?: OpenOptions): Netlink
export function open(opts?: OpenOptions | RawOpenOptions): Netlink | RawNetlink {
  if (typeof opts === 'object' && opts !== null && 'protocol' in opts) return new RawNetlink(opts)
  return new Netlink(opts as OpenOptions | undefined)
}
