/**
 * xfrm notifications (the XFRMNLGRP_* multicast groups on a NETLINK_XFRM socket of their own),
 * decoded by the core: policies and states added, updated, deleted, flushed; acquires,
 * expiries, reports, async events (group `aevents`) and migrations (group `migrate`).
 *
 * @module
 */

import { type SourceFactory, sourceOver } from '../event-sources.js'
import { xfrmNotification } from '../native.js'
import { RawEvents, type RawEventsOptions } from '../raw-events.js'
import { describe } from '../validate.js'
import { XfrmConn } from './conn.js'
import type { XfrmAevent, XfrmMigrateSpec, XfrmMove } from './aevents.js'
import type { XfrmPolicy, XfrmSelector, XfrmState } from './types.js'
import { xfrmPolicyList, xfrmStateList } from './xfrm.js'

/** XFRMNLGRP_* by name. */
const GROUPS: Record<string, number> = { acquire: 1, expire: 2, sa: 3, policy: 4, aevents: 5, report: 6, migrate: 7, mapping: 8 }

/**
 * A multicast group of {@link xfrmEvents}.
 * @category IPsec
 */
export type XfrmGroup = 'acquire' | 'expire' | 'sa' | 'policy' | 'aevents' | 'report' | 'migrate' | 'mapping'

/**
 * Options of {@link xfrmEvents}.
 * @category IPsec
 */
export interface XfrmEventsOptions extends RawEventsOptions {
  /** Groups to join (default acquire, expire, sa, policy). */
  groups?: XfrmGroup[]
  /**
   * First yield every policy (`newPolicy`) and state (`newState`) there is, then `{ type: 'sync' }`,
   * then the notifications (joined before the listing: a change during it may show twice).
   */
  listExisting?: boolean
}

/**
 * One item of {@link xfrmEvents}.
 * @category IPsec
 */
export type XfrmEvent =
  | {
      /** A policy added, updated or deleted. */
      type: 'newPolicy' | 'updPolicy' | 'delPolicy'
      /** The policy. */
      policy: XfrmPolicy
      /** Part of a listing of existing policies (listExisting, or the resync after an overflow). */
      existing?: true
    }
  | {
      /** A state added, updated or deleted. */
      type: 'newState' | 'updState' | 'delState'
      /** The state. */
      state: XfrmState
      /** Part of a listing of existing states (listExisting, or the resync after an overflow). */
      existing?: true
    }
  | {
      /** The kernel needs a state for traffic a policy's template covers. */
      type: 'acquire'
      /** Source of the wanted state. */
      src: string
      /** Destination. */
      dst: string
      /** Protocol. */
      proto: string | number
      /** The traffic. */
      selector: XfrmSelector
      /** The policy. */
      policy: XfrmPolicy
      /** Sequence number to give the new state. */
      seq: number
    }
  | {
      /** A state reached a lifetime limit. */
      type: 'expire'
      /** The state. */
      state: XfrmState
      /** Hard (the state is gone) or soft. */
      hard: boolean
    }
  | {
      /** A policy reached a lifetime limit. */
      type: 'polExpire'
      /** The policy. */
      policy: XfrmPolicy
      /** Hard or soft. */
      hard: boolean
    }
  | {
      /** States were flushed. */
      type: 'flushStates'
      /** Of this protocol (0: all). */
      proto: string | number
    }
  | {
      /** Policies were flushed. */
      type: 'flushPolicies'
      /** Of this type, when given. */
      policyType?: 'main' | 'sub'
    }
  | {
      /** A report (XFRM_MSG_REPORT). */
      type: 'report'
      /** Protocol. */
      proto: string | number
      /** The traffic. */
      selector: XfrmSelector
    }
  | {
      /** A state's replay state or counters changed, or a threshold was reached (group `aevents`; XFRM_MSG_NEWAE). */
      type: 'aevent'
      /** The values; `flags` says why (`replayUpdate`, `timerExpired`, `policyUpdated`). */
      aevent: XfrmAevent
    }
  | {
      /**
       * A policy's templates and states moved to new addresses (group `migrate`; XFRM_MSG_MIGRATE).
       * Linux sends these in the initial namespace only, whichever namespace migrated.
       */
      type: 'migrate'
      /** The policy's selector. */
      selector: XfrmSelector
      /** Its direction. */
      dir: 'in' | 'out' | 'fwd'
      /** Its type. */
      policyType: 'main' | 'sub'
      /** The moves. */
      migrate: Required<XfrmMove>[]
      /** The addresses for the key manager. */
      kmaddress?: Required<NonNullable<XfrmMigrateSpec['kmaddress']>>
      /** The new encapsulation. */
      encap?: NonNullable<XfrmMigrateSpec['encap']>
    }
  | {
      /** A notification nlkit does not decode (its message type). */
      type: 'other'
      /** XFRM_MSG_* type. */
      msgType: number
    }
  | {
      /** With `listExisting`: the listing is complete. */
      type: 'sync'
    }
  | {
      /** The kernel dropped notifications here (the consumer was too slow); with `listExisting` a fresh listing follows. */
      type: 'overflow'
    }

/**
 * A subscription to xfrm notifications: iterate it with `for await`; `break`, `close()` or an
 * abort end it. While open it keeps the process alive.
 * @category IPsec
 */
export interface XfrmEvents extends AsyncIterableIterator<XfrmEvent> {
  /** Ends the subscription. Idempotent. */
  close(): void
}

export async function xfrmEvents(c: XfrmConn, opts: XfrmEventsOptions = {}): Promise<XfrmEvents> {
  if (typeof opts !== 'object' || opts === null) throw new TypeError(`opts must be an object, got ${describe(opts)}`)
  const { groups = ['acquire', 'expire', 'sa', 'policy'], listExisting = false, ...raw } = opts
  if (!Array.isArray(groups) || groups.length === 0) throw new TypeError('opts.groups must be a non-empty array of group names')
  const ids = groups.map((g, i) => {
    const id = typeof g === 'string' ? GROUPS[g] : undefined
    if (id === undefined) throw new RangeError(`opts.groups[${i}] must be one of ${Object.keys(GROUPS).join(', ')}, got ${describe(g)}`)
    return id
  })
  if (typeof listExisting !== 'boolean') throw new TypeError(`opts.listExisting must be a boolean, got ${describe(listExisting)}`)
  const sub = RawEvents.subscribe(6, ids, { netns: c.netns, trace: c.trace, ...raw })
  const first: XfrmEvent[] = []
  const listing = async () => {
    const [pols, states] = await Promise.all([xfrmPolicyList(c), xfrmStateList(c)])
    for (const policy of pols) first.push({ type: 'newPolicy', policy, existing: true })
    for (const state of states) first.push({ type: 'newState', state, existing: true })
    first.push({ type: 'sync' })
  }
  if (listExisting) {
    try {
      await listing()
    } catch (e) {
      sub.close()
      throw e
    }
  }
  // After an overflow, with listExisting, policies and states are listed again (the resync).
  let resync = false
  const m: XfrmEvents = {
    async next(): Promise<IteratorResult<XfrmEvent>> {
      if (resync) {
        resync = false
        await listing()
      }
      const f = first.shift()
      if (f) return { value: f, done: false }
      const r = await sub.next()
      if (r.done) return { value: undefined, done: true }
      if (r.value.type === 'overflow') {
        resync = listExisting
        return { value: { type: 'overflow' }, done: false }
      }
      const msg = r.value.message
      const text = xfrmNotification(msg.type, msg.payload)
      if (text === null) return { value: { type: 'other', msgType: msg.type }, done: false }
      return { value: JSON.parse(text) as XfrmEvent, done: false }
    },
    async return(): Promise<IteratorResult<XfrmEvent>> {
      sub.close()
      return { value: undefined, done: true }
    },
    [Symbol.asyncIterator]() {
      return m
    },
    close: () => sub.close(),
  }
  return m
}

/**
 * The `'xfrm'` group of {@link subscribe}: these notifications (states, policies, acquire,
 * expire) on a NETLINK_XFRM socket of the subscription's own, as `{ type: 'xfrm', event }`.
 */
export const xfrmSource: SourceFactory = sourceOver(
  'xfrm',
  (o) => new XfrmConn({ netns: o.netns, trace: o.trace }),
  (c, o) => xfrmEvents(c, { listExisting: o.listExisting, bufferSize: o.bufferSize }),
  (event) => ({ type: 'xfrm', event }),
)
