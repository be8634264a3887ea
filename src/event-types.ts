/**
 * The events a {@link Subscription} yields, one type per object kind.
 *
 * @module
 */

import type { Address } from './addresses.js'
import type { MdbMessage } from './bridge.js'
import type { ConntrackEntry } from './conntrack/types.js'
import type {
  EthtoolChannels,
  EthtoolCoalesce,
  EthtoolEee,
  EthtoolFeatures,
  EthtoolLinkInfo,
  EthtoolLinkModes,
  EthtoolPause,
  EthtoolRings,
} from './genl/ethtool-types.js'
import type { Link } from './links.js'
import type { NetconfEntry, NsidEntry } from './misc-tables.js'
import type { Neighbour } from './neighbours.js'
import type { NexthopObject } from './nexthops.js'
import type { Route } from './routes.js'
import type { Rule } from './rules.js'
import type { ListedAction } from './tc/standalone.js'
import type { Chain, Filter, Qdisc, TcClass } from './tc/types.js'
import type { XfrmEvent } from './xfrm/events.js'

/**
 * What every object event has: whether the object was added (or changed) or removed.
 *
 * @category Events
 */
export interface EventBase {
  /** `'new'`: added or changed; `'del'`: removed. */
  action: 'new' | 'del'
  /** Part of a listing of existing objects (listExisting, or the resync after an overflow). */
  existing?: true
}

/**
 * One item of a subscription.
 *
 * @category Events
 */
export type NetlinkEvent =
  | (EventBase & {
      /** A link event. */
      type: 'link'
      /** The link. */
      link: Link
    })
  | (EventBase & {
      /** A addr event. */
      type: 'addr'
      /** The address. */
      address: Address
    })
  | (EventBase & {
      /** A route event. */
      type: 'route'
      /** The route. */
      route: Route
    })
  | (EventBase & {
      /** A neigh event. */
      type: 'neigh'
      /** The neighbour entry. */
      neigh: Neighbour
    })
  | (EventBase & {
      /** A rule event. */
      type: 'rule'
      /** The rule. */
      rule: Rule
    })
  | (EventBase & {
      /** A nexthop-object event. */
      type: 'nexthop'
      /** The nexthop object. */
      nexthop: NexthopObject
    })
  | (EventBase & {
      /** A qdisc event (`tc qdisc add|change|replace|del`). */
      type: 'qdisc'
      /** The qdisc, as `qdiscList` lists it. */
      qdisc: Qdisc
    })
  | (EventBase & {
      /** A class event. */
      type: 'class'
      /** The class, as `classList` lists it. */
      class: TcClass
    })
  | (EventBase & {
      /** A filter event. A qdisc's deletion removes its filters without an event of their own. */
      type: 'filter'
      /** The filter, as `filterList` lists it. */
      filter: Filter
    })
  | (EventBase & {
      /** A filter-chain event. */
      type: 'chain'
      /** The chain, as `chainList` lists it. */
      chain: Chain
    })
  | (EventBase & {
      /** A standalone-action event (`tc actions add|replace|del`); listed, one per batch the kernel sent. */
      type: 'action'
      /** The actions, as `actionList` lists them (a deletion names kind and index). */
      actions: ListedAction[]
    })
  | (EventBase & {
      /** A device's IP settings changed (a sysctl under /proc/sys/net/ipv{4,6}/conf), or a device came or went. */
      type: 'netconf'
      /** The settings, as `netconfList` lists them (a notification may carry only the setting that changed). */
      netconf: NetconfEntry
    })
  | (EventBase & {
      /** A namespace id assigned or released. */
      type: 'nsid'
      /** The id (`name` is not resolved in events). */
      nsid: NsidEntry
    })
  | (EventBase & {
      /** Bridge multicast database entries added or removed (`bridge monitor mdb`). */
      type: 'mdb'
      /** The bridge (`index`, `dev`) and the entries of the message. */
      mdb: MdbMessage
    })
  | {
      /** An ethtool notification (group `'ethtool'`), as {@link ethtoolMonitor} yields it. */
      type: 'ethtool'
      /** What changed (`'other'`: a notification nlkit does not decode yet). */
      kind: 'linkInfo' | 'linkModes' | 'features' | 'rings' | 'channels' | 'coalesce' | 'pause' | 'eee' | 'other'
      /** The new state, shaped like the get of `kind` (absent for `'other'`). */
      data?:
        | EthtoolLinkInfo
        | EthtoolLinkModes
        | EthtoolFeatures
        | EthtoolRings
        | EthtoolChannels
        | EthtoolCoalesce
        | EthtoolPause
        | EthtoolEee
      /** For `'other'`: its ETHTOOL_MSG_*_NTF command. */
      cmd?: number
    }
  | {
      /** A connection tracking event (group `'conntrack'`), as {@link conntrackEvents} yields it. */
      type: 'conntrack'
      /** `'new'`: an entry appeared; `'update'`: it changed; `'destroy'`: it ended. */
      action: 'new' | 'update' | 'destroy'
      /** The entry. */
      entry: ConntrackEntry
      /** Part of a listing of existing entries (listExisting, or the resync after an overflow). */
      existing?: true
    }
  | {
      /** An IPsec notification (group `'xfrm'`), as {@link xfrmEvents} yields it. */
      type: 'xfrm'
      /** The notification (`newPolicy`, `delState`, `acquire`, `expire`, ...; `existing` on listed ones; never an overflow or a sync here). */
      event: XfrmEvent
    }
  /** The kernel dropped events here (the consumer was too slow). With listExisting, a fresh listing follows. */
  | {
      /** Events were lost. */
      type: 'overflow'
      /** The group whose socket lost them, for groups on a socket of their own (`'ethtool'`, `'conntrack'`, `'xfrm'`); absent: rtnetlink's. */
      group?: string
    }
