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
import type {
  BareudpSettings,
  GeneveSettings,
  Gre4Settings,
  Gre6Settings,
  Ip6tnlSettings,
  IpipSettings,
  IptunSettings,
  VtiSettings,
  XfrmSettings,
} from './link-tunnels.js'
import type { HsrSettings, IpoibSettings, MacsecSettings, NetkitSettings } from './link-devices.js'
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
 * The settings of each link kind nlkit knows, by kind (`ifb`, `dummy`, `nlmon`, `vcan`,
 * `wireguard` and `team` take none).
 *
 * @category Links
 */
export interface LinkKindSettings {
  /** `veth`'s settings. */
  veth: VethSettings
  /** `bridge`'s settings. */
  bridge: BridgeSettings
  /** `macvlan`'s settings. */
  macvlan: MacvlanSettings
  /** `macvtap`'s settings. */
  macvtap: MacvlanSettings
  /** `vxlan`'s settings. */
  vxlan: VxlanSettings
  /** `vlan`'s settings. */
  vlan: VlanSettings
  /** `bond`'s settings. */
  bond: BondSettings
  /** `vrf`'s settings. */
  vrf: VrfSettings
  /** `ipvlan`'s settings. */
  ipvlan: IpvlanSettings
  /** `ipvtap`'s settings. */
  ipvtap: IpvlanSettings
  /** `gre`'s settings. */
  gre: Gre4Settings
  /** `gretap`'s settings. */
  gretap: Gre4Settings
  /** `ip6gre`'s settings. */
  ip6gre: Gre6Settings
  /** `ip6gretap`'s settings. */
  ip6gretap: Gre6Settings
  /** `ipip`'s settings. */
  ipip: IpipSettings
  /** `sit`'s settings. */
  sit: IptunSettings
  /** `geneve`'s settings. */
  geneve: GeneveSettings
  /** `vti`'s settings. */
  vti: VtiSettings
  /** `vti6`'s settings. */
  vti6: VtiSettings
  /** `xfrm`'s settings. */
  xfrm: XfrmSettings
  /** `bareudp`'s settings. */
  bareudp: BareudpSettings
  /** `ip6tnl`'s settings. */
  ip6tnl: Ip6tnlSettings
  /** `macsec`'s settings. */
  macsec: MacsecSettings
  /** `netkit`'s settings. */
  netkit: NetkitSettings
  /** `hsr`'s settings. */
  hsr: HsrSettings
  /** `ipoib`'s settings. */
  ipoib: IpoibSettings
  /** `tun`'s settings. */
  tun: TunSettings
  /** `tap`'s settings. */
  tap: TunSettings
  /** `ifb`: takes no settings of its own. */
  ifb: NoLinkSettings
  /** `dummy`: takes no settings of its own. */
  dummy: NoLinkSettings
  /** `nlmon`: takes no settings of its own. */
  nlmon: NoLinkSettings
  /** `vcan`: takes no settings of its own. */
  vcan: NoLinkSettings
  /** `wireguard`: takes no settings of its own. */
  wireguard: NoLinkSettings
  /** `team`: takes no settings of its own (teamd configures it over generic netlink). */
  team: NoLinkSettings
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
  S & {
    /** The link kind. */
    kind: K
    /** The kind's settings, instead of (or besides) flat. */
    linkinfo?: keyof S extends never ? Record<string, never> : S
  }

/**
 * A spec whose `kind` is only known at run time (a `string`, not a literal): it may be any
 * kind, so any settings pass the compiler and the core checks them (a RangeError names an
 * unknown one).
 *
 * @category Links
 */
export type DynamicLinkAddSpec = LinkAddBase & {
  /** The link kind. */
  kind: string
  /** A multicast group address (vxlan, a string), or the link group (a number). */
  group?: string | number
  /** The kind's settings, instead of (or besides) flat. */
  linkinfo?: Record<string, unknown>
  /** The kind's settings, flat. */
  [setting: string]: unknown
}

/**
 * A link to create: `kind` and `name`, top-level settings (as in {@link LinkChanges}, plus the
 * parent `link`), and the kind's own settings ({@link LinkKindSettings}), flat (`mode: 'bridge'`,
 * `id: 42`) or in `linkinfo`. For vxlan a string `group` is the multicast group, a number the
 * link group. A kind nlkit does not know takes the top-level settings only.
 *
 * @category Links
 */
export type LinkAddSpec<K extends string = KnownLinkKind> = string extends K
  ? DynamicLinkAddSpec
  : K extends 'vxlan'
    ? Omit<LinkKindSpec<'vxlan'>, 'group'> & {
        /** A multicast group address (a string), or the link group (a number). */
        group?: string | number
      }
    : K extends KnownLinkKind
      ? LinkKindSpec<K>
      : LinkAddBase & {
          /** A kind nlkit knows no settings of. */
          kind: K
          /** Kind settings: none (the core refuses settings of a kind it does not know). */
          linkinfo?: Record<string, never>
        }
