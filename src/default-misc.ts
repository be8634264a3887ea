/**
 * The module-level functions of the smaller tables (netconf, namespace ids, address labels,
 * neighbour tables): each is the {@link Netlink} method of the same name, on the default
 * connection.
 *
 * @module
 */

import { conn } from './default.js'
import type { MaddrFilter, MulticastAddress } from './maddr.js'
import type { AddrLabel, AddrLabelSpec, NetconfEntry, NetconfFilter, NsidEntry, Ntable, NtableChange, NtableFilter } from './misc-tables.js'
import type { CallOptions, LinkRef, NetnsRef } from './types.js'

/**
 * Multicast groups the links have joined (`ip maddr show [dev X]`: link-layer, inet and inet6).
 *
 * @category Addresses
 */
export function maddrList(filter?: MaddrFilter, o?: CallOptions): Promise<MulticastAddress[]> {
  return conn().maddrList(filter, o)
}

/**
 * Joins a link-layer multicast group (`ip maddr add LLADDR dev DEV`).
 *
 * @category Addresses
 */
export function maddrAdd(dev: LinkRef, address: string, o?: CallOptions): Promise<void> {
  return conn().maddrAdd(dev, address, o)
}

/**
 * Leaves a link-layer multicast group joined with maddrAdd (`ip maddr del LLADDR dev DEV`).
 *
 * @category Addresses
 */
export function maddrDel(dev: LinkRef, address: string, o?: CallOptions): Promise<void> {
  return conn().maddrDel(dev, address, o)
}

/**
 * Per-device IP settings (`ip -j netconf show [dev X]`): forwarding, rp_filter, proxy_neigh, ...
 *
 * @category Netconf
 */
export function netconfList(filter?: NetconfFilter, o?: CallOptions): Promise<NetconfEntry[]> {
  return conn().netconfList(filter, o)
}

/**
 * The ids this namespace assigned to others (`ip -j netns list-id`), with their names.
 *
 * @category Namespaces
 */
export function nsidList(o?: CallOptions): Promise<NsidEntry[]> {
  return conn().nsidList(o)
}

/**
 * The id this namespace knows `netns` by, or `undefined` when it has none.
 *
 * @category Namespaces
 */
export function nsidGet(netns: NetnsRef, o?: CallOptions): Promise<number | undefined> {
  return conn().nsidGet(netns, o)
}

/**
 * Assigns an id to another namespace (`ip netns set NAME ID`); `EEXIST` if it has one.
 *
 * @category Namespaces
 */
export function nsidSet(netns: NetnsRef, nsid: number, o?: CallOptions): Promise<void> {
  return conn().nsidSet(netns, nsid, o)
}

/**
 * IPv6 address labels (`ip -j addrlabel list`).
 *
 * @category Addresses
 */
export function addrlabelList(o?: CallOptions): Promise<AddrLabel[]> {
  return conn().addrlabelList(o)
}

/**
 * Adds an IPv6 address label (`ip addrlabel add prefix P label N [dev D]`).
 *
 * @category Addresses
 */
export function addrlabelAdd(spec: AddrLabelSpec, o?: CallOptions): Promise<void> {
  return conn().addrlabelAdd(spec, o)
}

/**
 * Removes an IPv6 address label (`ip addrlabel del prefix P label N [dev D]`).
 *
 * @category Addresses
 */
export function addrlabelDel(spec: AddrLabelSpec, o?: CallOptions): Promise<void> {
  return conn().addrlabelDel(spec, o)
}

/**
 * Neighbour tables (`ip -j ntable show [name N] [dev D]`): the tables and each device's parameters.
 *
 * @category Neighbours
 */
export function ntableList(filter?: NtableFilter, o?: CallOptions): Promise<Ntable[]> {
  return conn().ntableList(filter, o)
}

/**
 * Changes a neighbour table or one device's parameters in it (`ip ntable change name N [dev D] ...`).
 *
 * @category Neighbours
 */
export function ntableChange(change: NtableChange, o?: CallOptions): Promise<void> {
  return conn().ntableChange(change, o)
}
