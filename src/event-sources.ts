/**
 * Event groups that live on another protocol's socket (ethtool on NETLINK_GENERIC, ...), joined
 * into a {@link Subscription} beside rtnetlink's: each source is opened when the subscription
 * is, in its namespace, and pulled one event at a time (its own socket's bounded queue is what
 * absorbs a burst, and reports the overflow: nothing is buffered here beyond one event per
 * source).
 *
 * @module
 */

import type { RawEventsOptions } from './raw-events.js'
import type { TraceOption } from './trace.js'
import type { NetnsRef } from './types.js'

/** What a source yields: an event object (its `type` names its group), or an overflow. */
export type SourceEvent = { type: string } & Record<string, unknown>

/** A running source. */
export interface EventSource {
  next(): Promise<IteratorResult<SourceEvent>>
  close(): void
}

/** What a source is opened with (the subscription's options). */
export interface SourceOptions {
  netns?: NetnsRef
  trace?: TraceOption
  bufferSize?: number
  listExisting?: boolean
}

/** Opens a source (rejecting when its family is missing or its groups cannot be joined). */
export type SourceFactory = (o: SourceOptions) => Promise<EventSource>

/** A source's overflow, named by its group (rtnetlink's own has no group). */
export function overflowOf(group: string): SourceEvent {
  return { type: 'overflow', group }
}

/** The raw-events options of a source. */
export function rawOptions(o: SourceOptions): RawEventsOptions {
  return { netns: o.netns, trace: o.trace, bufferSize: o.bufferSize }
}

/**
 * A source over a family's own subscription: `open` makes its connection (closed with the
 * source), `subscribe` its events; an overflow becomes the group's, the end of a listing
 * (`sync`) is dropped (listed objects are marked `existing`, as rtnetlink's are), the rest is
 * `map`ped.
 */
export function sourceOver<C extends { close(): void }, E extends { type: string }>(
  group: string,
  open: (o: SourceOptions) => C,
  subscribe: (c: C, o: SourceOptions) => Promise<{ next(): Promise<IteratorResult<E>>; close(): void }>,
  map: (ev: Exclude<E, { type: 'sync' | 'overflow' }>) => SourceEvent,
): SourceFactory {
  return async (o) => {
    const c = open(o)
    let ev: Awaited<ReturnType<typeof subscribe>>
    try {
      ev = await subscribe(c, o)
    } catch (e) {
      c.close()
      throw e
    }
    return {
      async next() {
        for (;;) {
          const r = await ev.next()
          if (r.done) return { value: undefined, done: true }
          if (r.value.type === 'sync') continue
          const v = r.value.type === 'overflow' ? overflowOf(group) : map(r.value as Exclude<E, { type: 'sync' | 'overflow' }>)
          return { value: v, done: false }
        }
      },
      close() {
        ev.close()
        c.close()
      },
    }
  }
}

type Take = (ev: SourceEvent | Error) => Promise<void>

/**
 * Runs `factory`'s source until it ends or `stopped()`, handing each event to `take` (which
 * resolves when it was delivered, so the next is pulled only then) and a failure as an Error.
 */
export async function pump(
  factory: SourceFactory,
  o: SourceOptions,
  take: Take,
  stopped: () => boolean,
  own: (s: EventSource) => void,
): Promise<void> {
  let src: EventSource
  try {
    src = await factory(o)
  } catch (e) {
    if (!stopped()) await take(e as Error)
    return
  }
  own(src)
  if (stopped()) return src.close()
  for (;;) {
    let r: IteratorResult<SourceEvent>
    try {
      r = await src.next()
    } catch (e) {
      if (!stopped()) await take(e as Error)
      return src.close()
    }
    if (r.done || stopped()) return src.close()
    await take(r.value)
  }
}
