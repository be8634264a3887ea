/**
 * {@link Netlink}'s generic-netlink methods (families, raw generic requests, ethtool): declared
 * on the class by declaration merging and installed on its prototype. They run on the
 * connection's second socket (NETLINK_GENERIC), opened in the same namespace on first use.
 *
 * @module
 */

import type { GenlConn } from './genl/conn.js'
import * as ethtool from './genl/ethtool.js'
import { type EthtoolMonitor, ethtoolMonitor } from './genl/ethtool-monitor.js'
import type * as et from './genl/ethtool-types.js'
import * as genl from './genl/families.js'
import type { GenlFamily, GenlMessage, GenlRequest } from './genl/families.js'
import { type GenlSpecFamily, loadSpec, loadSpecFile, SpecFamily } from './genl/ynl/family.js'
import type { Netlink } from './netlink.js'
import type { RawEvents, RawEventsOptions } from './raw-events.js'
import type { CallOptions, LinkRef } from './types.js'

declare module './netlink.js' {
  interface Netlink {
    /**
     * Every generic netlink family with its version, header size, operations and multicast groups,
     * like `genl ctrl list`.
     */
    genlFamilies(o?: CallOptions): Promise<GenlFamily[]>

    /**
     * One generic family by name (`genl ctrl get name NAME`); a family the kernel does not have
     * rejects with a {@link NetlinkError} `ENOENT` naming it.
     */
    genlFamily(name: string, o?: CallOptions): Promise<GenlFamily>

    /**
     * A raw request to a generic family by name: `{ family, cmd, version?, attrs?, dump? }`. The
     * family id is resolved once per connection (and again after the family goes away and comes
     * back); resolves every message of the reply (before the ACK, or up to NLMSG_DONE for a dump).
     */
    genlRequest(req: GenlRequest, o?: CallOptions): Promise<GenlMessage[]>

    /**
     * Joins a generic family's multicast groups by name (`genlSubscribe('ethtool', ['monitor'])`)
     * and yields their messages as a raw subscription (`{ type: 'message', message }`, where the
     * payload starts with genlmsghdr).
     */
    genlSubscribe(family: string, groups: string[], o?: RawEventsOptions): Promise<RawEvents>

    /**
     * Link info of a device (`ethtool DEV`: port, PHY address, MDI-X, transceiver).
     */
    ethtoolLinkInfo(dev: LinkRef, o?: CallOptions): Promise<et.EthtoolLinkInfo>

    /**
     * Link modes of a device (`ethtool DEV`: speed, duplex, autoneg, supported / advertised modes
     * by the kernel's link mode names).
     */
    ethtoolLinkModes(dev: LinkRef, o?: CallOptions): Promise<et.EthtoolLinkModes>

    /**
     * Link state of a device (`ethtool DEV`: "Link detected").
     */
    ethtoolLinkState(dev: LinkRef, o?: CallOptions): Promise<et.EthtoolLinkState>

    /**
     * A device's features by the kernel's names, each `{ active, requested, fixed }` (`ethtool -k`).
     */
    ethtoolFeatures(dev: LinkRef, o?: CallOptions): Promise<et.EthtoolFeatures>

    /**
     * Turns features on or off by the kernel's names (`ethtool -K`), e.g. `{ 'rx-gro': true }`. A
     * name the kernel does not know rejects with its `EOPNOTSUPP` ("bit name not found"); a
     * fixed feature stays as it is (as with `ethtool -K`: read it back with {@link ethtoolFeatures}).
     */
    ethtoolFeaturesSet(dev: LinkRef, features: Record<string, boolean>, o?: CallOptions): Promise<void>

    /**
     * A device's channels (`ethtool -l`).
     */
    ethtoolChannels(dev: LinkRef, o?: CallOptions): Promise<et.EthtoolChannels>

    /**
     * A device's ring sizes (`ethtool -g`); a driver without them rejects with `EOPNOTSUPP`.
     */
    ethtoolRings(dev: LinkRef, o?: CallOptions): Promise<et.EthtoolRings>

    /**
     * A device's interrupt coalescing (`ethtool -c`); a driver without it rejects with `EOPNOTSUPP`.
     */
    ethtoolCoalesce(dev: LinkRef, o?: CallOptions): Promise<et.EthtoolCoalesce>

    /**
     * A device's timestamping capabilities (`ethtool -T`).
     */
    ethtoolTsInfo(dev: LinkRef, o?: CallOptions): Promise<et.EthtoolTsInfo>

    /**
     * The strings of a string set by name or number (`'features'`, `'link-modes'`, ...): the
     * kernel's global set with `dev` null/undefined, or a device's (its statistics names, ...).
     */
    ethtoolStrings(dev: LinkRef | null | undefined, set: et.EthtoolStringSet, o?: CallOptions): Promise<string[]>

    /**
     * ethtool's notifications (its "monitor" group) in this connection's namespace, decoded: a
     * change of a device's link settings, features, channels, rings or coalescing, shaped like
     * the get of its kind.
     */
    ethtoolMonitor(o?: RawEventsOptions): Promise<EthtoolMonitor>

    /** Pause frame settings of a device (`ethtool -a`; with `{ stats: true }` its pause counters, `ethtool -I -a`). */
    ethtoolPause(dev: LinkRef, o?: CallOptions & { stats?: boolean }): Promise<et.EthtoolPause>

    /** Changes a device's pause frame settings (`ethtool -A DEV autoneg|rx|tx on|off`). */
    ethtoolPauseSet(dev: LinkRef, pause: Pick<et.EthtoolPause, 'autoneg' | 'rx' | 'tx'>, o?: CallOptions): Promise<void>

    /** Energy-Efficient Ethernet settings of a device (`ethtool --show-eee`). */
    ethtoolEee(dev: LinkRef, o?: CallOptions): Promise<et.EthtoolEee>

    /** Changes a device's EEE settings (`ethtool --set-eee DEV eee|tx-lpi on|off tx-timer N`). */
    ethtoolEeeSet(
      dev: LinkRef,
      eee: Pick<et.EthtoolEee, 'enabled' | 'txLpiEnabled' | 'txLpiTimer' | 'advertised'>,
      o?: CallOptions,
    ): Promise<void>

    /** Standard statistics of a device by group and the kernel's counter names (`ethtool -S DEV --all-groups`, or `{ groups }`). */
    ethtoolStats(dev: LinkRef, o?: CallOptions & { groups?: string[] }): Promise<et.EthtoolStats>

    /** Changes a device's link modes: speed, duplex, autoneg, lanes, advertised modes (`ethtool -s`). */
    ethtoolLinkModesSet(dev: LinkRef, modes: et.EthtoolLinkModesSpec, o?: CallOptions): Promise<void>

    /**
     * A generic family driven by its YNL spec (YAML text, or the parsed document): call any of
     * its operations by name with named attributes, replies decoded by the spec, on this
     * connection's generic socket.
     */
    genlSpec(spec: string | object): Promise<GenlSpecFamily>

    /**
     * A generic family driven by a YNL spec file (e.g. a kernel tree's
     * `Documentation/netlink/specs/netdev.yaml`); see {@link genlSpec}.
     */
    genlSpecFile(path: string | URL): Promise<GenlSpecFamily>
  }
}

/** Installs the methods above on Netlink's prototype; `genlOf` opens (once) a connection's generic socket. */
export function installGenl(proto: Netlink, genlOf: (n: Netlink) => GenlConn): void {
  Object.assign(proto, {
    genlFamilies(this: Netlink, o?: CallOptions): Promise<GenlFamily[]> {
      return genl.genlFamilies(genlOf(this), o)
    },
    genlFamily(this: Netlink, name: string, o?: CallOptions): Promise<GenlFamily> {
      return genl.genlFamily(genlOf(this), name, o)
    },
    genlRequest(this: Netlink, req: GenlRequest, o?: CallOptions): Promise<GenlMessage[]> {
      return genl.genlRequest(genlOf(this), req, o)
    },
    genlSubscribe(this: Netlink, family: string, groups: string[], o?: RawEventsOptions): Promise<RawEvents> {
      return genl.genlSubscribe(genlOf(this), family, groups, o)
    },
    ethtoolLinkInfo(this: Netlink, dev: LinkRef, o?: CallOptions): Promise<et.EthtoolLinkInfo> {
      return ethtool.ethtoolLinkInfo(genlOf(this), dev, o)
    },
    ethtoolLinkModes(this: Netlink, dev: LinkRef, o?: CallOptions): Promise<et.EthtoolLinkModes> {
      return ethtool.ethtoolLinkModes(genlOf(this), dev, o)
    },
    ethtoolLinkState(this: Netlink, dev: LinkRef, o?: CallOptions): Promise<et.EthtoolLinkState> {
      return ethtool.ethtoolLinkState(genlOf(this), dev, o)
    },
    ethtoolFeatures(this: Netlink, dev: LinkRef, o?: CallOptions): Promise<et.EthtoolFeatures> {
      return ethtool.ethtoolFeatures(genlOf(this), dev, o)
    },
    ethtoolFeaturesSet(this: Netlink, dev: LinkRef, features: Record<string, boolean>, o?: CallOptions): Promise<void> {
      return ethtool.ethtoolFeaturesSet(genlOf(this), dev, features, o)
    },
    ethtoolChannels(this: Netlink, dev: LinkRef, o?: CallOptions): Promise<et.EthtoolChannels> {
      return ethtool.ethtoolChannels(genlOf(this), dev, o)
    },
    ethtoolRings(this: Netlink, dev: LinkRef, o?: CallOptions): Promise<et.EthtoolRings> {
      return ethtool.ethtoolRings(genlOf(this), dev, o)
    },
    ethtoolCoalesce(this: Netlink, dev: LinkRef, o?: CallOptions): Promise<et.EthtoolCoalesce> {
      return ethtool.ethtoolCoalesce(genlOf(this), dev, o)
    },
    ethtoolTsInfo(this: Netlink, dev: LinkRef, o?: CallOptions): Promise<et.EthtoolTsInfo> {
      return ethtool.ethtoolTsInfo(genlOf(this), dev, o)
    },
    ethtoolStrings(this: Netlink, dev: LinkRef | null | undefined, set: et.EthtoolStringSet, o?: CallOptions): Promise<string[]> {
      return ethtool.ethtoolStrings(genlOf(this), dev, set, o)
    },
    ethtoolPause(this: Netlink, dev: LinkRef, o?: CallOptions & { stats?: boolean }) {
      return ethtool.ethtoolPause(genlOf(this), dev, o)
    },
    ethtoolPauseSet(this: Netlink, dev: LinkRef, p: Pick<et.EthtoolPause, 'autoneg' | 'rx' | 'tx'>, o?: CallOptions) {
      return ethtool.ethtoolPauseSet(genlOf(this), dev, p, o)
    },
    ethtoolEee(this: Netlink, dev: LinkRef, o?: CallOptions) {
      return ethtool.ethtoolEee(genlOf(this), dev, o)
    },
    ethtoolEeeSet(
      this: Netlink,
      dev: LinkRef,
      e: Pick<et.EthtoolEee, 'enabled' | 'txLpiEnabled' | 'txLpiTimer' | 'advertised'>,
      o?: CallOptions,
    ) {
      return ethtool.ethtoolEeeSet(genlOf(this), dev, e, o)
    },
    ethtoolStats(this: Netlink, dev: LinkRef, o?: CallOptions & { groups?: string[] }) {
      return ethtool.ethtoolStats(genlOf(this), dev, o)
    },
    ethtoolLinkModesSet(this: Netlink, dev: LinkRef, m: et.EthtoolLinkModesSpec, o?: CallOptions) {
      return ethtool.ethtoolLinkModesSet(genlOf(this), dev, m, o)
    },
    async genlSpec(this: Netlink, spec: string | object): Promise<GenlSpecFamily> {
      return new SpecFamily(await loadSpec(spec), () => genlOf(this))
    },
    async genlSpecFile(this: Netlink, path: string | URL): Promise<GenlSpecFamily> {
      return new SpecFamily(await loadSpecFile(path), () => genlOf(this))
    },
    ethtoolMonitor(this: Netlink, o?: RawEventsOptions): Promise<EthtoolMonitor> {
      return ethtoolMonitor(genlOf(this), o)
    },
  })
}
