/**
 * Raw subscriptions (multicast groups joined by number) and raw dumps read at the consumer's
 * pace, both on a socket of their own read by the core's monitor thread into a bounded queue.
 *
 * @module
 */

import { fromNative, nativeResult } from './errors.js'
import { NativeRawMonitor, type RawOp } from './native.js'
import { checkMonitorOptions } from './monitor-options.js'
import { applyTrace, type TraceOption } from './trace.js'
import type { RawMessage } from './raw.js'
import { decodeRecords, RawKind, type RawRecord } from './raw-layout.js'
import type { NetnsRef } from './types.js'

/** Events taken from the native queue at once. */
const TAKE_BATCH = 1024
const RAW_EVENTS_OPTIONS: ReadonlySet<string> = new Set(['bufferSize', 'signal', 'netns', 'trace'])

/**
 * Options of a raw subscription or dump stream.
 * @category Raw netlink
 */
export interface RawEventsOptions {
  /** The socket's receive buffer, bytes (32 MiB): what absorbs a burst while JS is busy. */
  bufferSize?: number
  /** Ends the subscription when aborted. */
  signal?: AbortSignal
  /** Another network namespace (default: the connection's). */
  netns?: NetnsRef
  /** Print every message, as `open({ trace })` does (default: the connection's). */
  trace?: TraceOption
}

/**
 * One item of a raw subscription: a notification, or the point where the kernel dropped some.
 * @category Raw netlink
 */
export type RawEvent =
  | {
      /** A message arrived. */
      type: 'message'
      /** The message. */
      message: RawMessage
    }
  | {
      /** The kernel dropped messages here (the consumer was too slow). */
      type: 'overflow'
    }

type Waiter = { resolve: (r: IteratorResult<RawRecord>) => void; reject: (e: Error) => void }

/** The records of a native raw monitor, one at a time, waiting when there are none. */
class Records {
  #native: NativeRawMonitor | undefined
  #buf: RawRecord[] = []
  #pos = 0
  #waiters: Waiter[] = []
  #onAbort: (() => void) | undefined
  #signal: AbortSignal | undefined
  /** Keep the process alive only while a consumer waits (a stream), or while open (a subscription). */
  readonly #holdWhileOpen: boolean

  constructor(op: string, subject: string, cfg: { protocol: number; groups: number[]; dump?: RawOp }, o: RawEventsOptions) {
    const netns = checkMonitorOptions(o, RAW_EVENTS_OPTIONS)
    this.#holdWhileOpen = cfg.dump === undefined
    if (o.signal?.aborted) return // already over
    const n = new NativeRawMonitor(() => this.#drain())
    applyTrace(n, o.trace)
    this.#native = nativeResult(op, subject, n, n.open({ ...cfg, bufferSize: o.bufferSize, netns }))
    if (!this.#holdWhileOpen) this.#native.unref()
    if (o.signal) {
      this.#signal = o.signal
      this.#onAbort = () => this.close()
      o.signal.addEventListener('abort', this.#onAbort, { once: true })
    }
  }

  #fill(): boolean {
    const b = this.#native?.take(TAKE_BATCH)
    if (b == null) return false
    this.#buf = decodeRecords(b)
    this.#pos = 0
    return true
  }

  #drain(): void {
    while (this.#waiters.length > 0 && (this.#pos < this.#buf.length || this.#fill())) {
      this.#waiters.shift()!.resolve({ value: this.#buf[this.#pos++], done: false })
    }
    if (this.#waiters.length === 0 && !this.#holdWhileOpen) this.#native?.unref()
  }

  next(): Promise<IteratorResult<RawRecord>> {
    return new Promise((resolve, reject) => {
      if (this.#waiters.length === 0 && (this.#pos < this.#buf.length || this.#fill())) {
        return resolve({ value: this.#buf[this.#pos++], done: false })
      }
      if (!this.#native) return resolve({ value: undefined, done: true })
      if (!this.#holdWhileOpen) this.#native.ref()
      this.#waiters.push({ resolve, reject })
    })
  }

  /** The next record if one is at hand, without waiting. */
  take(): RawRecord | undefined {
    return this.#pos < this.#buf.length || this.#fill() ? this.#buf[this.#pos++] : undefined
  }

  close(): void {
    const n = this.#native
    if (!n) return
    this.#native = undefined
    this.#buf = []
    n.close()
    if (this.#onAbort) this.#signal?.removeEventListener('abort', this.#onAbort)
    for (const w of this.#waiters.splice(0)) w.resolve({ value: undefined, done: true })
  }
}

/**
 * A raw subscription: iterate it with `for await`; `break`, `close()`, an abort or
 * `Symbol.asyncDispose` end it. While open it keeps the process alive, like a server.
 * @category Raw netlink
 */
export class RawEvents implements AsyncIterableIterator<RawEvent> {
  #records: Records

  /** @internal */
  constructor(records: Records) {
    this.#records = records
  }

  /** @internal */
  static subscribe(protocol: number, groups: number[], o: RawEventsOptions): RawEvents {
    return new RawEvents(new Records('subscribe', groups.join(','), { protocol, groups }, o))
  }

  /** @internal */
  static stream(protocol: number, dump: RawOp, o: RawEventsOptions): AsyncIterableIterator<RawMessage[]> {
    return new RawDumpStream(new Records('dumpStream', `type ${dump.msgType}`, { protocol, groups: [], dump }, o))
  }

  /** The next event; done once the subscription has ended. */
  async next(): Promise<IteratorResult<RawEvent>> {
    const r = await this.#records.next()
    if (r.done) return r
    const rec = r.value
    if (rec.kind === RawKind.Overflow) return { value: { type: 'overflow' }, done: false }
    if (rec.error) {
      this.close()
      throw fromNative('subscribe', '', rec.error)
    }
    return { value: { type: 'message', message: rec.messages[0] }, done: false }
  }

  /** Ends the subscription (as `break` in `for await` does). */
  async return(): Promise<IteratorResult<RawEvent>> {
    this.close()
    return { value: undefined, done: true }
  }

  /** The subscription is its own iterator. */
  [Symbol.asyncIterator](): this {
    return this
  }

  /** Ends the subscription; pending `next()` calls finish. Idempotent. */
  close(): void {
    this.#records.close()
  }

  /** `await using`: ends the subscription. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close()
  }
}

/** A raw dump read at the consumer's pace: batches of messages, then done. */
class RawDumpStream implements AsyncIterableIterator<RawMessage[]> {
  #records: Records
  #done = false

  constructor(records: Records) {
    this.#records = records
  }

  async next(): Promise<IteratorResult<RawMessage[]>> {
    const batch: RawMessage[] = []
    // Wait for one record, then take what is at hand: a batch as large as the queue allows.
    const first = this.#done ? undefined : await this.#records.next()
    let rec = first && !first.done ? first.value : undefined
    for (; rec !== undefined; rec = this.#done ? undefined : this.#records.take()) {
      if (rec.error) {
        this.close()
        throw fromNative('dumpStream', '', rec.error)
      }
      if (rec.kind === RawKind.End) {
        this.close()
        break
      }
      for (const m of rec.messages) batch.push(m)
      if (batch.length >= TAKE_BATCH) break
    }
    return batch.length > 0 ? { value: batch, done: false } : { value: undefined, done: true }
  }

  async return(): Promise<IteratorResult<RawMessage[]>> {
    this.close()
    return { value: undefined, done: true }
  }

  [Symbol.asyncIterator](): this {
    return this
  }

  close(): void {
    this.#done = true
    this.#records.close()
  }
}
