/**
 * The module-level generic netlink and ethtool functions: each is the {@link Netlink} method of
 * the same name, on the default connection (its generic socket opened on the first call).
 *
 * @module
 */

import { conn } from './default.js'
import type { EthtoolMonitor } from './genl/ethtool-monitor.js'
import type * as et from './genl/ethtool-types.js'
import type { GenlFamily, GenlMessage, GenlRequest } from './genl/families.js'
import type { GenlSpecFamily } from './genl/ynl/family.js'
import type { RawEvents, RawEventsOptions } from './raw-events.js'
import type { CallOptions, LinkRef } from './types.js'

/**
 * Every generic netlink family with its version, header size, operations and multicast groups,
 * like `genl ctrl list`.
 *
 * @example
 * ```ts
 * const names = (await genlFamilies()).map((f) => f.name) // ['nlctrl', 'ethtool', ...]
 * ```
 *
 * @category Generic netlink
 */
export function genlFamilies(o?: CallOptions): Promise<GenlFamily[]> {
  return conn().genlFamilies(o)
}

/**
 * One generic family by name (`genl ctrl get name NAME`); a family the kernel does not have
 * rejects with a {@link NetlinkError} `ENOENT` naming it.
 *
 * @category Generic netlink
 */
export function genlFamily(name: string, o?: CallOptions): Promise<GenlFamily> {
  return conn().genlFamily(name, o)
}

/**
 * A raw request to a generic family by name: `{ family, cmd, version?, attrs?, dump? }`. The
 * family id is resolved once per connection (and again after the family goes away and comes
 * back); resolves every message of the reply (before the ACK, or up to NLMSG_DONE for a dump).
 *
 * @example
 * ```ts
 * // nlctrl CTRL_CMD_GETFAMILY as a dump: one message per family
 * const msgs = await genlRequest({ family: 'nlctrl', cmd: 3, dump: true })
 * ```
 *
 * @category Generic netlink
 */
export function genlRequest(req: GenlRequest, o?: CallOptions): Promise<GenlMessage[]> {
  return conn().genlRequest(req, o)
}

/**
 * Joins a generic family's multicast groups by name (`genlSubscribe('ethtool', ['monitor'])`)
 * and yields their messages as a raw subscription (`{ type: 'message', message }`, where the
 * payload starts with genlmsghdr).
 *
 * @category Generic netlink
 */
export function genlSubscribe(family: string, groups: string[], o?: RawEventsOptions): Promise<RawEvents> {
  return conn().genlSubscribe(family, groups, o)
}

/**
 * Link info of a device (`ethtool DEV`: port, PHY address, MDI-X, transceiver).
 *
 * @category Ethtool
 */
export function ethtoolLinkInfo(dev: LinkRef, o?: CallOptions): Promise<et.EthtoolLinkInfo> {
  return conn().ethtoolLinkInfo(dev, o)
}

/**
 * Link modes of a device (`ethtool DEV`: speed, duplex, autoneg, supported / advertised modes
 * by the kernel's link mode names).
 *
 * @category Ethtool
 */
export function ethtoolLinkModes(dev: LinkRef, o?: CallOptions): Promise<et.EthtoolLinkModes> {
  return conn().ethtoolLinkModes(dev, o)
}

/**
 * Link state of a device (`ethtool DEV`: "Link detected").
 *
 * @category Ethtool
 */
export function ethtoolLinkState(dev: LinkRef, o?: CallOptions): Promise<et.EthtoolLinkState> {
  return conn().ethtoolLinkState(dev, o)
}

/**
 * A device's features by the kernel's names, each `{ active, requested, fixed }` (`ethtool -k`).
 *
 * @category Ethtool
 */
export function ethtoolFeatures(dev: LinkRef, o?: CallOptions): Promise<et.EthtoolFeatures> {
  return conn().ethtoolFeatures(dev, o)
}

/**
 * Turns features on or off by the kernel's names (`ethtool -K`), e.g. `{ 'rx-gro': true }`. A
 * name the kernel does not know rejects with its `EOPNOTSUPP` ("bit name not found"); a
 * fixed feature stays as it is (as with `ethtool -K`: read it back with {@link ethtoolFeatures}).
 *
 * @category Ethtool
 */
export function ethtoolFeaturesSet(dev: LinkRef, features: Record<string, boolean>, o?: CallOptions): Promise<void> {
  return conn().ethtoolFeaturesSet(dev, features, o)
}

/**
 * A device's channels (`ethtool -l`).
 *
 * @category Ethtool
 */
export function ethtoolChannels(dev: LinkRef, o?: CallOptions): Promise<et.EthtoolChannels> {
  return conn().ethtoolChannels(dev, o)
}

/**
 * A device's ring sizes (`ethtool -g`); a driver without them rejects with `EOPNOTSUPP`.
 *
 * @category Ethtool
 */
export function ethtoolRings(dev: LinkRef, o?: CallOptions): Promise<et.EthtoolRings> {
  return conn().ethtoolRings(dev, o)
}

/**
 * A device's interrupt coalescing (`ethtool -c`); a driver without it rejects with `EOPNOTSUPP`.
 *
 * @category Ethtool
 */
export function ethtoolCoalesce(dev: LinkRef, o?: CallOptions): Promise<et.EthtoolCoalesce> {
  return conn().ethtoolCoalesce(dev, o)
}

/**
 * A device's timestamping capabilities (`ethtool -T`).
 *
 * @category Ethtool
 */
export function ethtoolTsInfo(dev: LinkRef, o?: CallOptions): Promise<et.EthtoolTsInfo> {
  return conn().ethtoolTsInfo(dev, o)
}

/**
 * The strings of a string set by name or number (`'features'`, `'link-modes'`, ...): the
 * kernel's global set with `dev` null/undefined, or a device's (its statistics names, ...).
 *
 * @example
 * ```ts
 * const names = await ethtoolStrings(null, 'features') // ['tx-scatter-gather', ...]
 * ```
 *
 * @category Ethtool
 */
export function ethtoolStrings(dev: LinkRef | null | undefined, set: et.EthtoolStringSet, o?: CallOptions): Promise<string[]> {
  return conn().ethtoolStrings(dev, set, o)
}

/**
 * ethtool's notifications (its "monitor" group) in this connection's namespace, decoded: a
 * change of a device's link settings, features, channels, rings or coalescing, shaped like
 * the get of its kind.
 *
 * @example
 * ```ts
 * for await (const ev of await ethtoolMonitor()) if (ev.type === 'notification') console.log(ev.kind)
 * ```
 *
 * @category Ethtool
 */
export function ethtoolMonitor(o?: RawEventsOptions): Promise<EthtoolMonitor> {
  return conn().ethtoolMonitor(o)
}

/**
 * A generic family driven by its YNL spec (YAML text, or the parsed document): call any of
 * its operations by name with named attributes, replies decoded by the spec, on this
 * connection's generic socket.
 *
 * @example
 * ```ts
 * const netdev = await genlSpecFile('linux/Documentation/netlink/specs/netdev.yaml')
 * const devs = await netdev.dump('dev-get') // [{ ifindex: 1, xdpFeatures: [], ... }, ...]
 * ```
 *
 * @category Generic netlink
 */
export function genlSpec(spec: string | object): Promise<GenlSpecFamily> {
  return conn().genlSpec(spec)
}

/**
 * A generic family driven by a YNL spec file (e.g. a kernel tree's
 * `Documentation/netlink/specs/netdev.yaml`); see {@link genlSpec}.
 *
 * @category Generic netlink
 */
export function genlSpecFile(path: string | URL): Promise<GenlSpecFamily> {
  return conn().genlSpecFile(path)
}

/**
 * Pause frame settings of a device (`ethtool -a`; with `{ stats: true }` its pause counters, `ethtool -I -a`).
 *
 * @category Ethtool
 */
export function ethtoolPause(dev: LinkRef, o?: CallOptions & { stats?: boolean }): Promise<et.EthtoolPause> {
  return conn().ethtoolPause(dev, o)
}

/**
 * Changes a device's pause frame settings (`ethtool -A DEV autoneg|rx|tx on|off`).
 *
 * @category Ethtool
 */
export function ethtoolPauseSet(dev: LinkRef, pause: Pick<et.EthtoolPause, 'autoneg' | 'rx' | 'tx'>, o?: CallOptions): Promise<void> {
  return conn().ethtoolPauseSet(dev, pause, o)
}

/**
 * Energy-Efficient Ethernet settings of a device (`ethtool --show-eee`).
 *
 * @category Ethtool
 */
export function ethtoolEee(dev: LinkRef, o?: CallOptions): Promise<et.EthtoolEee> {
  return conn().ethtoolEee(dev, o)
}

/**
 * Changes a device's EEE settings (`ethtool --set-eee DEV eee|tx-lpi on|off tx-timer N`).
 *
 * @category Ethtool
 */
export function ethtoolEeeSet(
  dev: LinkRef,
  eee: Pick<et.EthtoolEee, 'enabled' | 'txLpiEnabled' | 'txLpiTimer' | 'advertised'>,
  o?: CallOptions,
): Promise<void> {
  return conn().ethtoolEeeSet(dev, eee, o)
}

/**
 * Standard statistics of a device by group and the kernel's counter names (`ethtool -S DEV --all-groups`, or `{ groups }`).
 *
 * @category Ethtool
 */
export function ethtoolStats(dev: LinkRef, o?: CallOptions & { groups?: string[] }): Promise<et.EthtoolStats> {
  return conn().ethtoolStats(dev, o)
}

/**
 * Changes a device's link modes: speed, duplex, autoneg, lanes, advertised modes (`ethtool -s`).
 *
 * @category Ethtool
 */
export function ethtoolLinkModesSet(dev: LinkRef, modes: et.EthtoolLinkModesSpec, o?: CallOptions): Promise<void> {
  return conn().ethtoolLinkModesSet(dev, modes, o)
}
