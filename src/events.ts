/**
 * Events (`ip monitor`): multicast groups, and {@link Subscription}, a live stream of changes.
 *
 * @module
 */

import { fromNative, nativeResult, type NativeError } from './errors.js'
import { NativeMonitor, type WireRoutes } from './native.js'
import { checkMonitorOptions } from './monitor-options.js'
import { applyTrace, type TraceOption } from './trace.js'
import { routeFromWire } from './route-decode.js'
import { TAKE_BATCH } from './route-stream.js'
import type { NetnsRef } from './types.js'
import { describe } from './validate.js'
import type { NetlinkEvent } from './event-types.js'

export type { EventBase, NetlinkEvent } from './event-types.js'
import { type EventSource, pump, type SourceEvent, type SourceFactory } from './event-sources.js'
import { conntrackSource } from './conntrack/events.js'
import { ethtoolSource } from './genl/ethtool-monitor.js'
import { xfrmSource } from './xfrm/events.js'

/**
 * Groups to subscribe to: `'addr'`, `'route'`, `'rule'` and `'netconf'` mean both IPv4 and IPv6;
 * `'tc'` is traffic control (qdiscs, classes, filters, chains and standalone actions); `'nsid'`
 * namespace ids; `'ethtool'` ethtool's notifications (on a generic netlink socket of the
 * subscription's own); `'conntrack'` connection tracking's new, update and destroy events (on
 * a netfilter socket of its own); `'xfrm'` IPsec's state, policy, acquire and expire
 * notifications (on an xfrm socket of its own).
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
  | 'ethtool'
  | 'conntrack'
  | 'xfrm'

/** Groups on another protocol's socket, each a source of its own (see event-sources.ts). */
type ForeignGroup = 'ethtool' | 'conntrack' | 'xfrm'
const FOREIGN: Record<ForeignGroup, SourceFactory> = { ethtool: ethtoolSource, conntrack: conntrackSource, xfrm: xfrmSource }

const SUBSCRIBE_OPTIONS: ReadonlySet<string> = new Set(['listExisting', 'signal', 'bufferSize', 'netns', 'trace'])

/** The binding's per-family group names of each group. */
const GROUPS: Record<Exclude<EventGroup, ForeignGroup>, string[]> = {
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

/** An event as the binding sends it (json.rs `event`): routes positional, errors as envelopes. */
export type RawEvent = NetlinkEvent | { type: 'error'; error: NativeError }

type Waiter = { resolve: (r: IteratorResult<NetlinkEvent>) => void; reject: (e: Error) => void }
/** An event of a foreign source, with what tells its pump it was delivered. */
type Pulled = { ev: SourceEvent | Error; delivered: () => void }

/**
 * A live stream of netlink events (`ip monitor`). Iterate it with `for await`; `break`, `close()`,
 * an abort or `Symbol.asyncDispose` end it. While open it keeps the process alive, like a server.
 *
 * @category Events
 */
export class Subscription implements AsyncIterableIterator<NetlinkEvent> {
  #native: NativeMonitor | undefined
  #open = false
  #buf: RawEvent[] = []
  #pos = 0
  #waiters: Waiter[] = []
  #onAbort: (() => void) | undefined
  #signal: AbortSignal | undefined
  /** Foreign sources' events, at most one per source; the sources, to close. */
  #pulled: Pulled[] = []
  #sources: EventSource[] = []
  /** Alternates between rtnetlink's events and the foreign ones when both wait. */
  #foreignTurn = false
  #joins: Promise<void>[] = []

  /** Use {@link subscribe}. @internal */
  constructor(groups: EventGroup[], o: SubscribeOptions = {}) {
    if (!Array.isArray(groups) || groups.length === 0) throw new TypeError('groups must be a non-empty array')
    const kinds = new Set<string>()
    const foreign = new Set<string>()
    for (const g of groups) {
      if (typeof g === 'string' && Object.hasOwn(FOREIGN, g)) {
        foreign.add(g)
        continue
      }
      const k = GROUPS[g as keyof typeof GROUPS]
      if (!k)
        throw new RangeError(
          `unknown group ${describe(g)}; expected one of ${[...Object.keys(GROUPS), ...Object.keys(FOREIGN)].join(', ')}`,
        )
      for (const x of k) kinds.add(x)
    }
    const netns = checkMonitorOptions(o, SUBSCRIBE_OPTIONS)
    if (o.signal?.aborted) return // an already-aborted subscription is simply over
    if (kinds.size > 0) {
      const n = new NativeMonitor(() => this.#drain())
      applyTrace(n, o.trace)
      this.#native = nativeResult(
        'subscribe',
        groups.join(','),
        n,
        n.open({ kinds: [...kinds], listExisting: !!o.listExisting, bufferSize: o.bufferSize, netns }),
      )
    }
    this.#open = true
    const so = { netns: o.netns, trace: o.trace, bufferSize: o.bufferSize, listExisting: !!o.listExisting }
    for (const g of foreign) {
      const take = (ev: SourceEvent | Error) =>
        new Promise<void>((delivered) => {
          this.#pulled.push({ ev, delivered })
          this.#drain()
        })
      let joined!: () => void
      let failed!: (e: Error) => void
      const p = new Promise<void>((res, rej) => {
        joined = res
        failed = rej
      })
      p.catch(() => {}) // also delivered as the stream's error; ready() rethrows it
      this.#joins.push(p)
      const own = (s: EventSource) => {
        this.#sources.push(s)
        joined()
      }
      const taking = (ev: SourceEvent | Error) => {
        if (ev instanceof Error) failed(ev)
        return take(ev)
      }
      void pump(FOREIGN[g as ForeignGroup], so, taking, () => !this.#open, own).finally(joined)
    }
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
    while (this.#waiters.length > 0 && this.#ready()) this.#deliver(this.#waiters.shift()!)
  }

  /** An event waits (rtnetlink's buffer refilled from the native queue when empty). */
  #ready(): boolean {
    return this.#pulled.length > 0 || this.#pos < this.#buf.length || this.#fill()
  }

  #deliver(w: Waiter): void {
    const native = this.#pos < this.#buf.length || (this.#pulled.length === 0 && this.#fill())
    this.#foreignTurn = !this.#foreignTurn
    if (this.#pulled.length > 0 && (!native || this.#foreignTurn)) this.#deliverPulled(w)
    else this.#deliverNative(w)
  }

  #deliverPulled(w: Waiter): void {
    const p = this.#pulled.shift()!
    p.delivered()
    if (p.ev instanceof Error) {
      this.close()
      w.reject(p.ev)
      return
    }
    w.resolve({ value: p.ev as NetlinkEvent, done: false })
  }

  #deliverNative(w: Waiter): void {
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

  /**
   * Resolves once every group is joined. rtnetlink's are joined before {@link subscribe}
   * returns; a group on a socket of its own (`'ethtool'`) is joined asynchronously: await this
   * before making a change the subscription must see. Rejects if such a group cannot be joined.
   */
  async ready(): Promise<void> {
    await Promise.all(this.#joins)
  }

  /** The next event; done once the subscription has ended. */
  next(): Promise<IteratorResult<NetlinkEvent>> {
    return new Promise((resolve, reject) => {
      const w = { resolve, reject }
      if (this.#waiters.length === 0 && this.#ready()) return this.#deliver(w)
      if (!this.#open) return resolve({ value: undefined, done: true })
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
    if (!this.#open) return
    this.#open = false
    const n = this.#native
    this.#native = undefined
    this.#buf = []
    this.#pos = 0
    n?.close()
    for (const s of this.#sources.splice(0)) s.close()
    for (const p of this.#pulled.splice(0)) p.delivered()
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
