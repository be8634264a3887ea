/**
 * The argument of {@link linkAdd}: one shape per link kind nlkit knows (a discriminated union
 * on `kind`), and for any other kind the top-level settings alone, as the core accepts it.
 *
 * @module
 */

import type { LinkChanges } from './links.js'
import type {
  BondSettings,
  BridgeSettings,
  IpvlanSettings,
  MacvlanSettings,
  TunSettings,
  VethSettings,
  VlanSettings,
  VrfSettings,
  VxlanSettings,
} from './link-kinds.js'
import type { GreSettings, IptunSettings } from './link-tunnels.js'
import type { LinkRef } from './types.js'

/**
 * Settings every kind takes: the name, LinkChanges' attributes, the link group and the parent.
 *
 * @category Links
 */
export type LinkAddBase = Omit<LinkChanges, 'name' | 'nomaster' | 'group'> & {
  /** The new link's name. */
  name: string
  /** The link group. */
  group?: number
  /** Parent link (macvlan, vlan, ipvlan: `ip link add link eth0 ...`). */
  link?: LinkRef
}

/**
 * The settings of a kind that takes none of its own.
 *
 * @category Links
 */
export type NoLinkSettings = Record<never, never>

/**
 * The settings of each link kind nlkit knows, by kind (`ifb`, `dummy`, `nlmon`, `vcan` and
 * `wireguard` take none).
 *
 * @category Links
 */
export interface LinkKindSettings {
  veth: VethSettings
  bridge: BridgeSettings
  macvlan: MacvlanSettings
  macvtap: MacvlanSettings
  vxlan: VxlanSettings
  vlan: VlanSettings
  bond: BondSettings
  vrf: VrfSettings
  ipvlan: IpvlanSettings
  ipvtap: IpvlanSettings
  gre: GreSettings
  gretap: GreSettings
  ip6gre: GreSettings
  ip6gretap: GreSettings
  ipip: IptunSettings
  sit: IptunSettings
  tun: TunSettings
  tap: TunSettings
  ifb: NoLinkSettings
  dummy: NoLinkSettings
  nlmon: NoLinkSettings
  vcan: NoLinkSettings
  wireguard: NoLinkSettings
}

/**
 * A link kind nlkit knows the settings of.
 *
 * @category Links
 */
export type KnownLinkKind = keyof LinkKindSettings

/**
 * One known kind's spec: its settings flat (over the top-level ones of the same name) or in `linkinfo`.
 *
 * @category Links
 */
export type LinkKindSpec<K extends KnownLinkKind, S = LinkKindSettings[K]> = Omit<LinkAddBase, keyof S> &
  S & { kind: K; linkinfo?: keyof S extends never ? Record<string, never> : S }

/**
 * A link to create: `kind` and `name`, top-level settings (as in {@link LinkChanges}, plus the
 * parent `link`), and the kind's own settings ({@link LinkKindSettings}), flat (`mode: 'bridge'`,
 * `id: 42`) or in `linkinfo`. For vxlan a string `group` is the multicast group, a number the
 * link group. A kind nlkit does not know takes the top-level settings only.
 *
 * @category Links
 */
export type LinkAddSpec<K extends string = KnownLinkKind> = K extends 'vxlan'
  ? Omit<LinkKindSpec<'vxlan'>, 'group'> & { group?: string | number }
  : K extends KnownLinkKind
    ? LinkKindSpec<K>
    : LinkAddBase & { kind: K; linkinfo?: Record<string, never> }
