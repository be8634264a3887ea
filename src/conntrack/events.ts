/**
 * Conntrack events (`conntrack -E`): the ctnetlink multicast groups NFNLGRP_CONNTRACK_NEW (1),
 * UPDATE (2) and DESTROY (3) on a socket of their own, read through the raw layer's monitor
 * (bounded queue, `{ type: 'overflow' }` where the kernel dropped some), each message decoded
 * by the core.
 *
 * @module
 */

import { type SourceFactory, sourceOver } from '../event-sources.js'
import { conntrackEvent } from '../native.js'
import { RawEvents, type RawEventsOptions } from '../raw-events.js'
import { checkBool, checkKeys, describe } from '../validate.js'
import { ConntrackConn } from './conn.js'
import { entryFromWire, type WireEntry } from './decode.js'
import { conntrackList } from './entries.js'
import type { ConntrackEntry } from './types.js'

const NETLINK_NETFILTER = 12
const GROUPS = { new: 1, update: 2, destroy: 3 } as const
const OPTIONS: ReadonlySet<string> = new Set(['types', 'listExisting', 'bufferSize', 'signal', 'netns', 'trace'])

/**
 * Options of {@link conntrackEvents}: the raw subscription's, and which events.
 * @category Conntrack
 */
export interface ConntrackEventsOptions extends RawEventsOptions {
  /** The kinds of event to receive (all three). */
  types?: ('new' | 'update' | 'destroy')[]
  /**
   * First the entries already in the table, each as `{ type: 'new', entry, existing: true }`,
   * then `{ type: 'sync' }`; events follow (subscribed before the listing, so an entry may also
   * appear as an event of its own).
   */
  listExisting?: boolean
}

/**
 * One item of {@link conntrackEvents}.
 * @category Conntrack
 */
export type ConntrackEvent =
  | {
      /** A new entry, a change to one (status, timeout refresh, mark, ...), or its end. */
      type: 'new' | 'update' | 'destroy'
      /** The entry (what the kernel put in the event: a destroy's has counters and timestamps, no use count). */
      entry: ConntrackEntry
      /** Set on the entries `listExisting` lists. */
      existing?: true
    }
  | {
      /** The end of the `listExisting` entries. */
      type: 'sync'
    }
  | {
      /** The kernel dropped events here (the consumer was too slow); with `listExisting` the table is listed again after it. */
      type: 'overflow'
    }

/**
 * A subscription to conntrack events: iterate it with `for await`; `break`, `close()` or an
 * abort end it. While open it keeps the process alive.
 * @category Conntrack
 */
export interface ConntrackEvents extends AsyncIterableIterator<ConntrackEvent> {
  /** Ends the subscription. Idempotent. */
  close(): void
}

function checkOptions(o: ConntrackEventsOptions): number[] {
  if (typeof o !== 'object' || o === null) throw new TypeError('options must be an object')
  checkKeys(o, OPTIONS, 'options')
  if (o.listExisting !== undefined) checkBool(o.listExisting, 'listExisting')
  const types = o.types ?? (['new', 'update', 'destroy'] as const)
  if (!Array.isArray(types) || types.length === 0) throw new TypeError('types must be a non-empty array of new, update, destroy')
  return [
    ...new Set(
      types.map((t, i) => {
        if (!(t in GROUPS)) throw new RangeError(`types[${i}] ${describe(t)} is not one of new, update, destroy`)
        return GROUPS[t as keyof typeof GROUPS]
      }),
    ),
  ]
}

export async function conntrackEvents(c: ConntrackConn, o: ConntrackEventsOptions = {}): Promise<ConntrackEvents> {
  const groups = checkOptions(o)
  const { types: _t, listExisting, ...raw } = o
  const sub = RawEvents.subscribe(NETLINK_NETFILTER, groups, { netns: c.netns, trace: c.trace, ...raw })
  const pending: ConntrackEvent[] = []
  // In the subscription's namespace, which options.netns may make another than the connection's.
  const listing = async () => {
    const lc = raw.netns === undefined ? c : new ConntrackConn({ netns: raw.netns })
    try {
      for (const entry of await conntrackList(lc)) pending.push({ type: 'new', entry, existing: true })
    } finally {
      if (lc !== c) lc.close()
    }
    pending.push({ type: 'sync' })
  }
  if (listExisting) {
    try {
      await listing()
    } catch (e) {
      sub.close()
      throw e
    }
  }
  // After an overflow, with listExisting, the table is listed again (the resync).
  let resync = false
  const it: ConntrackEvents = {
    async next(): Promise<IteratorResult<ConntrackEvent>> {
      for (;;) {
        if (resync) {
          resync = false
          await listing()
        }
        const p = pending.shift()
        if (p) return { value: p, done: false }
        const r = await sub.next()
        if (r.done) return { value: undefined, done: true }
        if (r.value.type === 'overflow') {
          resync = !!listExisting
          return { value: { type: 'overflow' }, done: false }
        }
        const m = r.value.message
        const text = conntrackEvent(m.type, m.flags, m.payload)
        if (text === null) continue // not a conntrack event
        const ev = JSON.parse(text) as { type: 'new' | 'update' | 'destroy'; entry: WireEntry }
        return { value: { type: ev.type, entry: entryFromWire(ev.entry) }, done: false }
      }
    },
    async return(): Promise<IteratorResult<ConntrackEvent>> {
      sub.close()
      pending.length = 0
      return { value: undefined, done: true }
    },
    [Symbol.asyncIterator]() {
      return it
    },
    close: () => {
      pending.length = 0
      sub.close()
    },
  }
  return it
}

/**
 * The `'conntrack'` group of {@link subscribe}: these events on a NETLINK_NETFILTER socket of
 * the subscription's own, as `{ type: 'conntrack', action: 'new' | 'update' | 'destroy', entry }`
 * (with `listExisting`, the table's entries first, `existing: true`, and again after an overflow).
 */
export const conntrackSource: SourceFactory = sourceOver(
  'conntrack',
  (o) => new ConntrackConn({ netns: o.netns, trace: o.trace }),
  (c, o) => conntrackEvents(c, { listExisting: o.listExisting, bufferSize: o.bufferSize }),
  (v) => ({ type: 'conntrack', action: v.type, entry: v.entry, ...(v.existing ? { existing: true } : {}) }),
)
