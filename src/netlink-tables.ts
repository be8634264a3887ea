/**
 * {@link Netlink}'s methods for the bridge's tables (MDB, VLANs) and the smaller rtnetlink
 * tables (netconf, namespace ids, address labels, neighbour tables): declared on the class by
 * declaration merging and installed on its prototype, so netlink.ts stays one screenful per area.
 *
 * @module
 */

import * as bridge from './bridge.js'
import type { BridgeVlanEntry, MdbEntry, MdbSpec, VlanSpec } from './bridge.js'
import type { Engine } from './engine.js'
import * as maddr from './maddr.js'
import type { MaddrFilter, MulticastAddress } from './maddr.js'
import * as misc from './misc-tables.js'
import type { AddrLabel, AddrLabelSpec, NetconfEntry, NetconfFilter, NsidEntry, Ntable, NtableChange, NtableFilter } from './misc-tables.js'
import type { Netlink } from './netlink.js'
import type { CallOptions, LinkRef, NetnsRef } from './types.js'

declare module './netlink.js' {
  interface Netlink {
    /** Multicast groups the links have joined (`ip maddr show [dev X]`: link-layer, inet and inet6). */
    maddrList(filter?: MaddrFilter, o?: CallOptions): Promise<MulticastAddress[]>

    /** Joins a link-layer multicast group (`ip maddr add LLADDR dev DEV`). */
    maddrAdd(dev: LinkRef, address: string, o?: CallOptions): Promise<void>

    /** Leaves a link-layer multicast group joined with maddrAdd (`ip maddr del LLADDR dev DEV`). */
    maddrDel(dev: LinkRef, address: string, o?: CallOptions): Promise<void>

    /** Multicast database entries (`bridge -j mdb show [dev BR]`), one per port and group. */
    mdbList(filter?: { dev?: LinkRef }, o?: CallOptions): Promise<MdbEntry[]>

    /** Adds a port to a multicast group on a bridge (`bridge mdb add dev BR port P grp G [src S] [vid N] [permanent|temp]`). */
    mdbAdd(spec: MdbSpec, o?: CallOptions): Promise<void>

    /** Adds or replaces a multicast database entry (`bridge mdb replace`). */
    mdbReplace(spec: MdbSpec, o?: CallOptions): Promise<void>

    /** Removes a multicast database entry (`bridge mdb del`). */
    mdbDel(spec: MdbSpec, o?: CallOptions): Promise<void>

    /** Bridge VLANs of ports and bridges (`bridge -j vlan show`); empty where VLAN filtering is compiled out. */
    vlanList(filter?: { dev?: LinkRef }, o?: CallOptions): Promise<BridgeVlanEntry[]>

    /** Adds a VLAN (or range) to a bridge port or bridge (`bridge vlan add dev D vid N[-M] [pvid] [untagged] [self] [master]`). */
    vlanAdd(spec: VlanSpec, o?: CallOptions): Promise<void>

    /** Removes a VLAN (or range) from a bridge port or bridge (`bridge vlan del`). */
    vlanDel(spec: VlanSpec, o?: CallOptions): Promise<void>

    /** Per-device IP settings (`ip -j netconf show [dev X]`): forwarding, rp_filter, proxy_neigh, ... */
    netconfList(filter?: NetconfFilter, o?: CallOptions): Promise<NetconfEntry[]>

    /** The ids this namespace assigned to others (`ip -j netns list-id`), with their names. */
    nsidList(o?: CallOptions): Promise<NsidEntry[]>

    /** The id this namespace knows `netns` by, or `undefined` when it has none. */
    nsidGet(netns: NetnsRef, o?: CallOptions): Promise<number | undefined>

    /** Assigns an id to another namespace (`ip netns set NAME ID`); `EEXIST` if it has one. */
    nsidSet(netns: NetnsRef, nsid: number, o?: CallOptions): Promise<void>

    /** IPv6 address labels (`ip -j addrlabel list`). */
    addrlabelList(o?: CallOptions): Promise<AddrLabel[]>

    /** Adds an IPv6 address label (`ip addrlabel add prefix P label N [dev D]`). */
    addrlabelAdd(spec: AddrLabelSpec, o?: CallOptions): Promise<void>

    /** Removes an IPv6 address label (`ip addrlabel del prefix P label N [dev D]`). */
    addrlabelDel(spec: AddrLabelSpec, o?: CallOptions): Promise<void>

    /** Neighbour tables (`ip -j ntable show [name N] [dev D]`): the tables and each device's parameters. */
    ntableList(filter?: NtableFilter, o?: CallOptions): Promise<Ntable[]>

    /** Changes a neighbour table or one device's parameters in it (`ip ntable change name N [dev D] ...`). */
    ntableChange(change: NtableChange, o?: CallOptions): Promise<void>
  }
}

/** Installs the methods above on Netlink's prototype; `engineOf` reads a connection's engine. */
export function installTables(proto: Netlink, engineOf: (n: Netlink) => Engine): void {
  Object.assign(proto, {
    maddrList(this: Netlink, filter?: MaddrFilter, o?: CallOptions): Promise<MulticastAddress[]> {
      return maddr.maddrList(engineOf(this), filter, o)
    },
    maddrAdd(this: Netlink, dev: LinkRef, address: string, o?: CallOptions): Promise<void> {
      return maddr.maddrChange(engineOf(this), true, dev, address, o)
    },
    maddrDel(this: Netlink, dev: LinkRef, address: string, o?: CallOptions): Promise<void> {
      return maddr.maddrChange(engineOf(this), false, dev, address, o)
    },
    mdbList(this: Netlink, filter?: { dev?: LinkRef }, o?: CallOptions): Promise<MdbEntry[]> {
      return bridge.mdbList(engineOf(this), filter, o)
    },
    mdbAdd(this: Netlink, spec: MdbSpec, o?: CallOptions): Promise<void> {
      return bridge.mdb(engineOf(this), 'mdbAdd', spec, o)
    },
    mdbReplace(this: Netlink, spec: MdbSpec, o?: CallOptions): Promise<void> {
      return bridge.mdb(engineOf(this), 'mdbReplace', spec, o)
    },
    mdbDel(this: Netlink, spec: MdbSpec, o?: CallOptions): Promise<void> {
      return bridge.mdb(engineOf(this), 'mdbDel', spec, o)
    },
    vlanList(this: Netlink, filter?: { dev?: LinkRef }, o?: CallOptions): Promise<BridgeVlanEntry[]> {
      return bridge.vlanList(engineOf(this), filter, o)
    },
    vlanAdd(this: Netlink, spec: VlanSpec, o?: CallOptions): Promise<void> {
      return bridge.vlan(engineOf(this), 'vlanAdd', spec, o)
    },
    vlanDel(this: Netlink, spec: VlanSpec, o?: CallOptions): Promise<void> {
      return bridge.vlan(engineOf(this), 'vlanDel', spec, o)
    },
    netconfList(this: Netlink, filter?: NetconfFilter, o?: CallOptions): Promise<NetconfEntry[]> {
      return misc.netconfList(engineOf(this), filter, o)
    },
    nsidList(this: Netlink, o?: CallOptions): Promise<NsidEntry[]> {
      return misc.nsidList(engineOf(this), o)
    },
    nsidGet(this: Netlink, netns: NetnsRef, o?: CallOptions): Promise<number | undefined> {
      return misc.nsidGet(engineOf(this), netns, o)
    },
    nsidSet(this: Netlink, netns: NetnsRef, nsid: number, o?: CallOptions): Promise<void> {
      return misc.nsidSet(engineOf(this), netns, nsid, o)
    },
    addrlabelList(this: Netlink, o?: CallOptions): Promise<AddrLabel[]> {
      return misc.addrlabelList(engineOf(this), o)
    },
    addrlabelAdd(this: Netlink, spec: AddrLabelSpec, o?: CallOptions): Promise<void> {
      return misc.addrlabel(engineOf(this), 'addrlabelAdd', spec, o)
    },
    addrlabelDel(this: Netlink, spec: AddrLabelSpec, o?: CallOptions): Promise<void> {
      return misc.addrlabel(engineOf(this), 'addrlabelDel', spec, o)
    },
    ntableList(this: Netlink, filter?: NtableFilter, o?: CallOptions): Promise<Ntable[]> {
      return misc.ntableList(engineOf(this), filter, o)
    },
    ntableChange(this: Netlink, change: NtableChange, o?: CallOptions): Promise<void> {
      return misc.ntableChange(engineOf(this), change, o)
    },
  })
}
