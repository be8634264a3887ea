/**
 * Events (`ip monitor`): multicast groups, and {@link Subscription}, a live stream of changes.
 *
 * @module
 */

import type { Address } from './addresses.js'
import { fromNative, nativeResult, type NativeError } from './errors.js'
import type { Link } from './links.js'
import { NativeMonitor, type WireRoutes } from './native.js'
import type { MdbMessage } from './bridge.js'
import type { NetconfEntry, NsidEntry } from './misc-tables.js'
import type { Neighbour } from './neighbours.js'
import type { NexthopObject } from './nexthops.js'
import { checkMonitorOptions } from './monitor-options.js'
import { applyTrace, type TraceOption } from './trace.js'
import { routeFromWire } from './route-decode.js'
import { TAKE_BATCH } from './route-stream.js'
import type { Route } from './routes.js'
import type { Rule } from './rules.js'
import type { ListedAction } from './tc/standalone.js'
import type { Chain, Filter, Qdisc, TcClass } from './tc/types.js'
import type { NetnsRef } from './types.js'
import { describe } from './validate.js'

/**
 * Groups to subscribe to: `'addr'`, `'route'`, `'rule'` and `'netconf'` mean both IPv4 and IPv6;
 * `'tc'` is traffic control (qdiscs, classes, filters, chains and standalone actions); `'nsid'`
 * namespace ids.
 *
 * @category Events
 */
export type EventGroup =
  | 'link'
  | 'addr'
  | 'route'
  | 'neigh'
  | 'rule'
  | 'nexthop'
  | 'tc'
  | 'ipv4-addr'
  | 'ipv6-addr'
  | 'ipv4-route'
  | 'ipv6-route'
  | 'ipv4-rule'
  | 'ipv6-rule'
  | 'netconf'
  | 'ipv4-netconf'
  | 'ipv6-netconf'
  | 'nsid'
  | 'mdb'

const SUBSCRIBE_OPTIONS: ReadonlySet<string> = new Set(['listExisting', 'signal', 'bufferSize', 'netns', 'trace'])

/** The binding's per-family group names of each group. */
const GROUPS: Record<EventGroup, string[]> = {
  link: ['link'],
  addr: ['ipv4-addr', 'ipv6-addr'],
  route: ['ipv4-route', 'ipv6-route'],
  neigh: ['neigh'],
  rule: ['ipv4-rule', 'ipv6-rule'],
  nexthop: ['nexthop'],
  tc: ['tc'],
  'ipv4-addr': ['ipv4-addr'],
  'ipv6-addr': ['ipv6-addr'],
  'ipv4-route': ['ipv4-route'],
  'ipv6-route': ['ipv6-route'],
  'ipv4-rule': ['ipv4-rule'],
  'ipv6-rule': ['ipv6-rule'],
  netconf: ['ipv4-netconf', 'ipv6-netconf'],
  'ipv4-netconf': ['ipv4-netconf'],
  'ipv6-netconf': ['ipv6-netconf'],
  nsid: ['nsid'],
  mdb: ['mdb'],
}

/**
 * Options of {@link subscribe}.
 *
 * @category Events
 */
export interface SubscribeOptions {
  /** First deliver the objects that exist now (marked `existing: true`), then live events; after an overflow, deliver them again. */
  listExisting?: boolean
  /** Aborting ends the subscription (the iterator finishes). */
  signal?: AbortSignal
  /** Socket receive buffer in bytes (default 32 MiB; SO_RCVBUFFORCE as root, else capped by net.core.rmem_max). */
  bufferSize?: number
  /** Watch this network namespace instead of the current one. */
  netns?: NetnsRef
  /** Print every message received, as `open({ trace })` does (default: `NLKIT_TRACE`). */
  trace?: TraceOption
}

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
  /** The kernel dropped events here (the consumer was too slow). With listExisting, a fresh listing follows. */
  | {
      /** Events were lost. */
      type: 'overflow'
    }

/** An event as the binding sends it (json.rs `event`): routes positional, errors as envelopes. */
export type RawEvent = NetlinkEvent | { type: 'error'; error: NativeError }

type Waiter = { resolve: (r: IteratorResult<NetlinkEvent>) => void; reject: (e: Error) => void }

/**
 * A live stream of netlink events (`ip monitor`). Iterate it with `for await`; `break`, `close()`,
 * an abort or `Symbol.asyncDispose` end it. While open it keeps the process alive, like a server.
 *
 * @category Events
 */
export class Subscription implements AsyncIterableIterator<NetlinkEvent> {
  #native: NativeMonitor | undefined
  #buf: RawEvent[] = []
  #pos = 0
  #waiters: Waiter[] = []
  #onAbort: (() => void) | undefined
  #signal: AbortSignal | undefined

  /** Use {@link subscribe}. @internal */
  constructor(groups: EventGroup[], o: SubscribeOptions = {}) {
    if (!Array.isArray(groups) || groups.length === 0) throw new TypeError('groups must be a non-empty array')
    const kinds = new Set<string>()
    for (const g of groups) {
      const k = GROUPS[g as EventGroup]
      if (!k) throw new RangeError(`unknown group ${describe(g)}; expected one of ${Object.keys(GROUPS).join(', ')}`)
      for (const x of k) kinds.add(x)
    }
    const netns = checkMonitorOptions(o, SUBSCRIBE_OPTIONS)
    if (o.signal?.aborted) return // an already-aborted subscription is simply over
    const n = new NativeMonitor(() => this.#drain())
    applyTrace(n, o.trace)
    this.#native = nativeResult(
      'subscribe',
      groups.join(','),
      n,
      n.open({ kinds: [...kinds], listExisting: !!o.listExisting, bufferSize: o.bufferSize, netns }),
    )
    if (o.signal) {
      this.#signal = o.signal
      this.#onAbort = () => this.close()
      o.signal.addEventListener('abort', this.#onAbort, { once: true })
    }
  }

  /** Fills the buffer from the native queue; false when it was empty (a wake-up is then armed). */
  #fill(): boolean {
    if (!this.#native) return false
    const json = this.#native.take(TAKE_BATCH)
    if (json === null) return false
    this.#buf = JSON.parse(json) as RawEvent[]
    this.#pos = 0
    return true
  }

  #drain(): void {
    while (this.#waiters.length > 0 && (this.#pos < this.#buf.length || this.#fill())) {
      this.#deliver(this.#waiters.shift()!)
    }
  }

  #deliver(w: Waiter): void {
    const ev = this.#buf[this.#pos++]
    if (ev.type === 'route') ev.route = routeFromWire(ev.route as unknown as WireRoutes, 0)
    else if (ev.type === 'error') {
      const failure = fromNative('subscribe', '', ev.error)
      this.close()
      w.reject(failure)
      return
    }
    w.resolve({ value: ev, done: false })
  }

  /** The next event; done once the subscription has ended. */
  next(): Promise<IteratorResult<NetlinkEvent>> {
    return new Promise((resolve, reject) => {
      const w = { resolve, reject }
      if (this.#waiters.length === 0 && (this.#pos < this.#buf.length || this.#fill())) return this.#deliver(w)
      if (!this.#native) return resolve({ value: undefined, done: true })
      this.#waiters.push(w)
    })
  }

  /** Ends the subscription (as `break` in `for await` does). */
  async return(): Promise<IteratorResult<NetlinkEvent>> {
    this.close()
    return { value: undefined, done: true }
  }

  /** The subscription is its own iterator. */
  [Symbol.asyncIterator](): this {
    return this
  }

  /** Ends the subscription: pending `next()` calls finish, the socket and thread are released. Idempotent. */
  close(): void {
    const n = this.#native
    if (!n) return
    this.#native = undefined
    this.#buf = []
    this.#pos = 0
    n.close()
    if (this.#onAbort) this.#signal?.removeEventListener('abort', this.#onAbort)
    for (const w of this.#waiters.splice(0)) w.resolve({ value: undefined, done: true })
  }

  /** `await using`: ends the subscription. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close()
  }
}

/**
 * Subscribes to events of the current network namespace (`ip monitor`).
 *
 * @example
 * ```ts
 * for await (const ev of subscribe(['link', 'addr'], { signal: AbortSignal.timeout(10_000) })) {
 *   if (ev.type === 'link') console.log(ev.action, ev.link.name, ev.link.operstate)
 * }
 * ```
 *
 * @category Events
 */
export function subscribe(groups: EventGroup[], opts?: SubscribeOptions): Subscription {
  return new Subscription(groups, opts)
}
