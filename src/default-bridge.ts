/**
 * The module-level functions of the bridge's tables (`bridge mdb`, `bridge vlan`): each is the
 * {@link Netlink} method of the same name, on the default connection.
 *
 * @module
 */

import type { BridgeVlanEntry, MdbEntry, MdbSpec, VlanSpec } from './bridge.js'
import { conn } from './default.js'
import type { CallOptions, LinkRef } from './types.js'

/**
 * Multicast database entries (`bridge -j mdb show [dev BR]`), one per port and group.
 *
 * @category Bridge
 */
export function mdbList(filter?: { dev?: LinkRef }, o?: CallOptions): Promise<MdbEntry[]> {
  return conn().mdbList(filter, o)
}

/**
 * Adds a port to a multicast group on a bridge (`bridge mdb add dev BR port P grp G [src S] [vid N] [permanent|temp]`).
 *
 * @category Bridge
 */
export function mdbAdd(spec: MdbSpec, o?: CallOptions): Promise<void> {
  return conn().mdbAdd(spec, o)
}

/**
 * Adds or replaces a multicast database entry (`bridge mdb replace`).
 *
 * @category Bridge
 */
export function mdbReplace(spec: MdbSpec, o?: CallOptions): Promise<void> {
  return conn().mdbReplace(spec, o)
}

/**
 * Removes a multicast database entry (`bridge mdb del`).
 *
 * @category Bridge
 */
export function mdbDel(spec: MdbSpec, o?: CallOptions): Promise<void> {
  return conn().mdbDel(spec, o)
}

/**
 * Bridge VLANs of ports and bridges (`bridge -j vlan show`); empty where VLAN filtering is compiled out.
 *
 * @category Bridge
 */
export function vlanList(filter?: { dev?: LinkRef }, o?: CallOptions): Promise<BridgeVlanEntry[]> {
  return conn().vlanList(filter, o)
}

/**
 * Adds a VLAN (or range) to a bridge port or bridge (`bridge vlan add dev D vid N[-M] [pvid] [untagged] [self] [master]`).
 *
 * @category Bridge
 */
export function vlanAdd(spec: VlanSpec, o?: CallOptions): Promise<void> {
  return conn().vlanAdd(spec, o)
}

/**
 * Removes a VLAN (or range) from a bridge port or bridge (`bridge vlan del`).
 *
 * @category Bridge
 */
export function vlanDel(spec: VlanSpec, o?: CallOptions): Promise<void> {
  return conn().vlanDel(spec, o)
}
