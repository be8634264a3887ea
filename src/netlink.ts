/**
 * {@link Netlink}: a connection, and every operation as its method. The methods validate
 * nothing themselves: each hands its arguments, with the connection's engine, to its area.
 *
 * @module
 */

import { RawNetlink, type RawOpenOptions } from './raw.js'
import type { RawEvents, RawEventsOptions } from './raw-events.js'
import { GenlConn } from './genl/conn.js'
import * as ethtool from './genl/ethtool.js'
import { type EthtoolMonitor, ethtoolMonitor } from './genl/ethtool-monitor.js'
import type * as et from './genl/ethtool-types.js'
import * as genl from './genl/families.js'
import type { GenlFamily, GenlMessage, GenlRequest } from './genl/families.js'
import * as addresses from './addresses.js'
import type { Address, AddrDelOptions, AddrFilter, AddrOptions } from './addresses.js'
import { Engine } from './engine.js'
import { Subscription, type EventGroup, type SubscribeOptions } from './events.js'
import * as links from './links.js'
import * as linkExtras from './link-extras.js'
import * as misc from './misc-tables.js'
import * as bridge from './bridge.js'
import type { BridgeVlanEntry, MdbEntry, MdbSpec, VlanSpec } from './bridge.js'
import type { AddrLabel, AddrLabelSpec, NetconfEntry, NetconfFilter, NsidEntry, Ntable, NtableChange, NtableFilter } from './misc-tables.js'
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
import * as tc from './tc/objects.js'
import type { ChainFilter, ClassFilter, FilterFilter, QdiscFilter } from './tc/objects.js'
import type { ChainSpec, ClassDelSpec, ClassSpec, FilterDelSpec, FilterSpec, QdiscDelSpec, QdiscSpec } from './tc/specs.js'
import type { Chain, Filter, Qdisc, TcClass } from './tc/types.js'
import * as tcActions from './tc/standalone.js'
import type { Action } from './tc/action-kinds.js'
import type { ActionFilter, ActionRef, ListedAction } from './tc/standalone.js'
import type { CallOptions, LinkRef, NetnsRef, OpenOptions } from './types.js'

/**
 * A netlink connection: one socket and one I/O thread, many requests in flight. An idle
 * connection does not keep the process alive; a pending request does.
 *
 * @category Connections
 */
export class Netlink {
  #e: Engine
  readonly #opts: OpenOptions
  /** The NETLINK_GENERIC connection, opened in the same namespace on the first generic call. */
  #genlConn: GenlConn | undefined

  /** Use {@link open}. */
  constructor(opts: OpenOptions = {}) {
    this.#e = new Engine(opts)
    this.#opts = opts
  }

  get #g(): GenlConn {
    const { netns, timeout, maxPending, trace } = this.#opts
    return (this.#genlConn ??= new GenlConn({ netns, timeout, maxPending, trace }))
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
   * the groups asked for travel, so polling counters costs less than {@link linkList}.
   */
  linkStats(o?: LinkStatsOptions): Promise<LinkStatsEntry[]> {
    return linkExtras.linkStats(this.#e, o)
  }

  // ---- bridge tables -------------------------------------------------------------------------

  /** Multicast database entries (`bridge -j mdb show [dev BR]`), one per port and group. */
  mdbList(filter?: { dev?: LinkRef }, o?: CallOptions): Promise<MdbEntry[]> {
    return bridge.mdbList(this.#e, filter, o)
  }

  /** Adds a port to a multicast group on a bridge (`bridge mdb add dev BR port P grp G [src S] [vid N] [permanent|temp]`). */
  mdbAdd(spec: MdbSpec, o?: CallOptions): Promise<void> {
    return bridge.mdb(this.#e, 'mdbAdd', spec, o)
  }

  /** Adds or replaces a multicast database entry (`bridge mdb replace`). */
  mdbReplace(spec: MdbSpec, o?: CallOptions): Promise<void> {
    return bridge.mdb(this.#e, 'mdbReplace', spec, o)
  }

  /** Removes a multicast database entry (`bridge mdb del`). */
  mdbDel(spec: MdbSpec, o?: CallOptions): Promise<void> {
    return bridge.mdb(this.#e, 'mdbDel', spec, o)
  }

  /** Bridge VLANs of ports and bridges (`bridge -j vlan show`); empty where VLAN filtering is compiled out. */
  vlanList(filter?: { dev?: LinkRef }, o?: CallOptions): Promise<BridgeVlanEntry[]> {
    return bridge.vlanList(this.#e, filter, o)
  }

  /** Adds a VLAN (or range) to a bridge port or bridge (`bridge vlan add dev D vid N[-M] [pvid] [untagged] [self] [master]`). */
  vlanAdd(spec: VlanSpec, o?: CallOptions): Promise<void> {
    return bridge.vlan(this.#e, 'vlanAdd', spec, o)
  }

  /** Removes a VLAN (or range) from a bridge port or bridge (`bridge vlan del`). */
  vlanDel(spec: VlanSpec, o?: CallOptions): Promise<void> {
    return bridge.vlan(this.#e, 'vlanDel', spec, o)
  }

  // ---- the smaller tables --------------------------------------------------------------------

  /** Per-device IP settings (`ip -j netconf show [dev X]`): forwarding, rp_filter, proxy_neigh, ... */
  netconfList(filter?: NetconfFilter, o?: CallOptions): Promise<NetconfEntry[]> {
    return misc.netconfList(this.#e, filter, o)
  }

  /** The ids this namespace assigned to others (`ip -j netns list-id`), with their names. */
  nsidList(o?: CallOptions): Promise<NsidEntry[]> {
    return misc.nsidList(this.#e, o)
  }

  /** The id this namespace knows `netns` by, or `undefined` when it has none. */
  nsidGet(netns: NetnsRef, o?: CallOptions): Promise<number | undefined> {
    return misc.nsidGet(this.#e, netns, o)
  }

  /** Assigns an id to another namespace (`ip netns set NAME ID`); `EEXIST` if it has one. */
  nsidSet(netns: NetnsRef, nsid: number, o?: CallOptions): Promise<void> {
    return misc.nsidSet(this.#e, netns, nsid, o)
  }

  /** IPv6 address labels (`ip -j addrlabel list`). */
  addrlabelList(o?: CallOptions): Promise<AddrLabel[]> {
    return misc.addrlabelList(this.#e, o)
  }

  /** Adds an IPv6 address label (`ip addrlabel add prefix P label N [dev D]`). */
  addrlabelAdd(spec: AddrLabelSpec, o?: CallOptions): Promise<void> {
    return misc.addrlabel(this.#e, 'addrlabelAdd', spec, o)
  }

  /** Removes an IPv6 address label (`ip addrlabel del prefix P label N [dev D]`). */
  addrlabelDel(spec: AddrLabelSpec, o?: CallOptions): Promise<void> {
    return misc.addrlabel(this.#e, 'addrlabelDel', spec, o)
  }

  /** Neighbour tables (`ip -j ntable show [name N] [dev D]`): the tables and each device's parameters. */
  ntableList(filter?: NtableFilter, o?: CallOptions): Promise<Ntable[]> {
    return misc.ntableList(this.#e, filter, o)
  }

  /** Changes a neighbour table or one device's parameters in it (`ip ntable change name N [dev D] ...`). */
  ntableChange(change: NtableChange, o?: CallOptions): Promise<void> {
    return misc.ntableChange(this.#e, change, o)
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

  // ---- traffic control -----------------------------------------------------------------------

  /** Qdiscs with their statistics (`tc -s -j qdisc show [dev]`), of every link without `filter.dev`. */
  qdiscList(filter: QdiscFilter = {}, o?: CallOptions): Promise<Qdisc[]> {
    return tc.tcList<Qdisc>(this.#e, 'qdisc', filter, o)
  }

  /** Adds a qdisc (`tc qdisc add`); `EEXIST` if its place is taken. */
  qdiscAdd(spec: QdiscSpec, o?: CallOptions): Promise<void> {
    return tc.tcModify(this.#e, 'qdisc', 'Add', spec, o)
  }

  /** Adds a qdisc or replaces the one in its place (`tc qdisc replace`). */
  qdiscReplace(spec: QdiscSpec, o?: CallOptions): Promise<void> {
    return tc.tcModify(this.#e, 'qdisc', 'Replace', spec, o)
  }

  /** Changes an existing qdisc's options (`tc qdisc change`). */
  qdiscChange(spec: QdiscSpec, o?: CallOptions): Promise<void> {
    return tc.tcModify(this.#e, 'qdisc', 'Change', spec, o)
  }

  /** Deletes a qdisc (`tc qdisc del`), and its classes and filters with it. */
  qdiscDel(spec: QdiscDelSpec, o?: CallOptions): Promise<void> {
    return tc.tcModify(this.#e, 'qdisc', 'Del', spec, o)
  }

  /** A link's classes with their statistics (`tc -s -j class show dev`), of one qdisc with `filter.parent`. */
  classList(filter: ClassFilter, o?: CallOptions): Promise<TcClass[]> {
    return tc.tcList<TcClass>(this.#e, 'class', filter, o)
  }

  /** Adds a class (`tc class add`); `EEXIST` if the class id is taken. */
  classAdd(spec: ClassSpec, o?: CallOptions): Promise<void> {
    return tc.tcModify(this.#e, 'class', 'Add', spec, o)
  }

  /** Adds a class or replaces the one with its id (`tc class replace`). */
  classReplace(spec: ClassSpec, o?: CallOptions): Promise<void> {
    return tc.tcModify(this.#e, 'class', 'Replace', spec, o)
  }

  /** Changes an existing class's options (`tc class change`). */
  classChange(spec: ClassSpec, o?: CallOptions): Promise<void> {
    return tc.tcModify(this.#e, 'class', 'Change', spec, o)
  }

  /** Deletes a class (`tc class del`). */
  classDel(spec: ClassDelSpec, o?: CallOptions): Promise<void> {
    return tc.tcModify(this.#e, 'class', 'Del', spec, o)
  }

  /** The filters of a qdisc or class (`tc -s -j filter show dev .. parent ..`), of one chain with `filter.chain`. */
  filterList(filter: FilterFilter, o?: CallOptions): Promise<Filter[]> {
    return tc.tcList<Filter>(this.#e, 'filter', filter, o)
  }

  /** Adds a filter (`tc filter add`); `EEXIST` if its handle is taken. */
  filterAdd(spec: FilterSpec, o?: CallOptions): Promise<void> {
    return tc.tcModify(this.#e, 'filter', 'Add', spec, o)
  }

  /** Adds a filter or changes the one with its handle (`tc filter replace`; a u32 rule keeps its matches). */
  filterReplace(spec: FilterSpec, o?: CallOptions): Promise<void> {
    return tc.tcModify(this.#e, 'filter', 'Replace', spec, o)
  }

  /** Changes an existing filter (`tc filter change`); `ENOENT` without one. */
  filterChange(spec: FilterSpec, o?: CallOptions): Promise<void> {
    return tc.tcModify(this.#e, 'filter', 'Change', spec, o)
  }

  /** Deletes filters (`tc filter del`): all of the parent without `pref`, one classifier with `pref`, one rule with `handle`. */
  filterDel(spec: FilterDelSpec, o?: CallOptions): Promise<void> {
    return tc.tcModify(this.#e, 'filter', 'Del', spec, o)
  }

  /** The filter chains of a qdisc (`tc -j chain show dev .. parent ..`). */
  chainList(filter: ChainFilter, o?: CallOptions): Promise<Chain[]> {
    return tc.tcList<Chain>(this.#e, 'chain', filter, o)
  }

  /** Adds an empty filter chain (`tc chain add`). */
  chainAdd(spec: ChainSpec, o?: CallOptions): Promise<void> {
    return tc.tcModify(this.#e, 'chain', 'Add', spec, o)
  }

  /** Deletes a filter chain and its filters (`tc chain del`). */
  chainDel(spec: ChainSpec, o?: CallOptions): Promise<void> {
    return tc.tcModify(this.#e, 'chain', 'Del', spec, o)
  }

  /** A kind's standalone actions with their statistics (`tc -s -j actions ls action <kind>`). */
  async actionList(filter: ActionFilter, o?: CallOptions): Promise<ListedAction[]> {
    return tcActions.actionRead(this.#e, filter, false, o)
  }

  /** One standalone action (`tc -s actions get action <kind> index N`); `ENOENT` if there is none. */
  async actionGet(ref: ActionRef, o?: CallOptions): Promise<ListedAction> {
    const [a] = await tcActions.actionRead(this.#e, ref, true, o)
    if (a === undefined) throw new Error(`no ${ref.kind} action ${ref.index} in the reply`)
    return a
  }

  /** Adds standalone actions (`tc actions add action ... [action ...]`); `EEXIST` if an index is taken. */
  actionAdd(actions: Action[], o?: CallOptions): Promise<void> {
    return tcActions.actionModify(this.#e, 'Add', actions, o)
  }

  /** Adds standalone actions or replaces those of the same kind and index (`tc actions replace`). */
  actionReplace(actions: Action[], o?: CallOptions): Promise<void> {
    return tcActions.actionModify(this.#e, 'Replace', actions, o)
  }

  /** Deletes a standalone action (`tc actions del action <kind> index N`). */
  actionDel(ref: ActionRef, o?: CallOptions): Promise<void> {
    return tcActions.actionRemove(this.#e, ref, o)
  }

  /** Deletes every standalone action of a kind not bound to a filter (`tc actions flush action <kind>`). */
  actionFlush(filter: ActionFilter, o?: CallOptions): Promise<void> {
    return tcActions.actionRemove(this.#e, filter, o, true)
  }

  // ---- generic netlink (on a second socket, opened on first use) ------------------------------

  /**
   * Every generic netlink family with its version, header size, operations and multicast groups,
   * like `genl ctrl list`.
   */
  genlFamilies(o?: CallOptions): Promise<GenlFamily[]> {
    return genl.genlFamilies(this.#g, o)
  }

  /**
   * One generic family by name (`genl ctrl get name NAME`); a family the kernel does not have
   * rejects with a {@link NetlinkError} `ENOENT` naming it.
   */
  genlFamily(name: string, o?: CallOptions): Promise<GenlFamily> {
    return genl.genlFamily(this.#g, name, o)
  }

  /**
   * A raw request to a generic family by name: `{ family, cmd, version?, attrs?, dump? }`. The
   * family id is resolved once per connection (and again after the family goes away and comes
   * back); resolves every message of the reply (before the ACK, or up to NLMSG_DONE for a dump).
   */
  genlRequest(req: GenlRequest, o?: CallOptions): Promise<GenlMessage[]> {
    return genl.genlRequest(this.#g, req, o)
  }

  /**
   * Joins a generic family's multicast groups by name (`genlSubscribe('ethtool', ['monitor'])`)
   * and yields their messages as a raw subscription (`{ type: 'message', message }`, where the
   * payload starts with genlmsghdr).
   */
  genlSubscribe(family: string, groups: string[], o?: RawEventsOptions): Promise<RawEvents> {
    return genl.genlSubscribe(this.#g, family, groups, o)
  }

  /**
   * Link info of a device (`ethtool DEV`: port, PHY address, MDI-X, transceiver).
   */
  ethtoolLinkInfo(dev: LinkRef, o?: CallOptions): Promise<et.EthtoolLinkInfo> {
    return ethtool.ethtoolLinkInfo(this.#g, dev, o)
  }

  /**
   * Link modes of a device (`ethtool DEV`: speed, duplex, autoneg, supported / advertised modes
   * by the kernel's link mode names).
   */
  ethtoolLinkModes(dev: LinkRef, o?: CallOptions): Promise<et.EthtoolLinkModes> {
    return ethtool.ethtoolLinkModes(this.#g, dev, o)
  }

  /**
   * Link state of a device (`ethtool DEV`: "Link detected").
   */
  ethtoolLinkState(dev: LinkRef, o?: CallOptions): Promise<et.EthtoolLinkState> {
    return ethtool.ethtoolLinkState(this.#g, dev, o)
  }

  /**
   * A device's features by the kernel's names, each `{ active, requested, fixed }` (`ethtool -k`).
   */
  ethtoolFeatures(dev: LinkRef, o?: CallOptions): Promise<et.EthtoolFeatures> {
    return ethtool.ethtoolFeatures(this.#g, dev, o)
  }

  /**
   * Turns features on or off by the kernel's names (`ethtool -K`), e.g. `{ 'rx-gro': true }`. A
   * name the kernel does not know rejects with its `EOPNOTSUPP` ("bit name not found"); a
   * fixed feature stays as it is (as with `ethtool -K`: read it back with {@link ethtoolFeatures}).
   */
  ethtoolFeaturesSet(dev: LinkRef, features: Record<string, boolean>, o?: CallOptions): Promise<void> {
    return ethtool.ethtoolFeaturesSet(this.#g, dev, features, o)
  }

  /**
   * A device's channels (`ethtool -l`).
   */
  ethtoolChannels(dev: LinkRef, o?: CallOptions): Promise<et.EthtoolChannels> {
    return ethtool.ethtoolChannels(this.#g, dev, o)
  }

  /**
   * A device's ring sizes (`ethtool -g`); a driver without them rejects with `EOPNOTSUPP`.
   */
  ethtoolRings(dev: LinkRef, o?: CallOptions): Promise<et.EthtoolRings> {
    return ethtool.ethtoolRings(this.#g, dev, o)
  }

  /**
   * A device's interrupt coalescing (`ethtool -c`); a driver without it rejects with `EOPNOTSUPP`.
   */
  ethtoolCoalesce(dev: LinkRef, o?: CallOptions): Promise<et.EthtoolCoalesce> {
    return ethtool.ethtoolCoalesce(this.#g, dev, o)
  }

  /**
   * A device's timestamping capabilities (`ethtool -T`).
   */
  ethtoolTsInfo(dev: LinkRef, o?: CallOptions): Promise<et.EthtoolTsInfo> {
    return ethtool.ethtoolTsInfo(this.#g, dev, o)
  }

  /**
   * The strings of a string set by name or number (`'features'`, `'link-modes'`, ...): the
   * kernel's global set with `dev` null/undefined, or a device's (its statistics names, ...).
   */
  ethtoolStrings(dev: LinkRef | null | undefined, set: et.EthtoolStringSet, o?: CallOptions): Promise<string[]> {
    return ethtool.ethtoolStrings(this.#g, dev, set, o)
  }

  /**
   * ethtool's notifications (its "monitor" group) in this connection's namespace, decoded: a
   * change of a device's link settings, features, channels, rings or coalescing, shaped like
   * the get of its kind.
   */
  ethtoolMonitor(o?: RawEventsOptions): Promise<EthtoolMonitor> {
    return ethtoolMonitor(this.#g, o)
  }

  // ---- events and lifetime -------------------------------------------------------------------

  /** Subscribes to events of this connection's network namespace; see {@link subscribe}. */
  subscribe(groups: EventGroup[], opts: SubscribeOptions = {}): Subscription {
    return new Subscription(groups, { netns: this.#e.netns, trace: this.#e.trace, ...opts })
  }

  /** Rejects everything in flight with a "connection closed" error and releases the socket. */
  close(): void {
    this.#e.close()
    this.#genlConn?.close()
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
