/**
 * {@link RouteStream}: a route dump read at the consumer's pace, on its own socket and thread.
 *
 * @module
 */

import { applyTrace, type TraceOption } from './trace.js'
import { fromNative, nativeResult } from './errors.js'
import { NativeMonitor, type NetnsSpec, type RouteListOp, type WireRoutes } from './native.js'
import type { RawEvent } from './events.js'
import { routeFromWire } from './route-decode.js'
import type { Route } from './routes.js'

/** Events (or stream items) taken from the native queue at once. */
export const TAKE_BATCH = 1024

/**
 * A route listing read at the consumer's pace, in batches: memory stays flat however many routes
 * there are (the kernel's dump waits while the consumer is behind). Use {@link Netlink.routeListStream}.
 *
 * @category Routes
 */
export class RouteStream implements AsyncIterableIterator<Route[]> {
  #native: NativeMonitor | undefined
  #wake: (() => void) | undefined
  #names: Promise<Map<number, string>>

  /** @internal */
  constructor(op: RouteListOp, netns: NetnsSpec | undefined, names: Promise<Map<number, string>>, trace?: TraceOption) {
    this.#names = names
    names.catch(() => {}) // reported by next()
    const n = new NativeMonitor(() => {
      const w = this.#wake
      this.#wake = undefined
      w?.()
    })
    applyTrace(n, trace)
    this.#native = nativeResult(
      'routeListStream',
      '',
      n,
      n.open({ kinds: [], listExisting: false, netns, streamOp: JSON.stringify([{ token: 0, ...op }]) }),
    )
    this.#native.unref() // held only while a consumer waits (see next())
  }

  /** The next batch of routes; done once the dump is over (or the stream closed). */
  async next(): Promise<IteratorResult<Route[]>> {
    const names = await this.#names
    for (;;) {
      const n = this.#native
      if (!n) return { value: undefined, done: true }
      const json = n.take(TAKE_BATCH)
      if (json === null) {
        n.ref()
        await new Promise<void>((resolve) => (this.#wake = resolve))
        this.#native?.unref()
        continue
      }
      const routes: Route[] = []
      for (const ev of JSON.parse(json) as (RawEvent | { type: 'end' })[]) {
        if (ev.type === 'route') routes.push(routeFromWire(ev.route as unknown as WireRoutes, 0, names))
        else if (ev.type === 'end') this.close()
        else if (ev.type === 'error') {
          this.close()
          throw fromNative('routeListStream', '', ev.error)
        }
      }
      if (routes.length > 0) return { value: routes, done: false }
    }
  }

  /** Stops the listing (as `break` in `for await` does). */
  async return(): Promise<IteratorResult<Route[]>> {
    this.close()
    return { value: undefined, done: true }
  }

  /** The stream is its own iterator. */
  [Symbol.asyncIterator](): this {
    return this
  }

  /** Stops the listing and releases its socket and thread. Idempotent. */
  close(): void {
    const n = this.#native
    this.#native = undefined
    n?.close()
    const w = this.#wake
    this.#wake = undefined
    w?.()
  }

  /** `await using`: closes the stream. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close()
  }
}
