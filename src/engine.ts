/**
 * The engine of a connection, on the JavaScript side: calls become operation records in a
 * queue, everything queued in one tick is submitted as one JSON text (in slices), completions
 * come back in batches and settle their calls by token. It refs the native handle only while
 * something is pending, and keeps long runs of back-to-back work from starving the event loop.
 *
 * Performance-tuned: one JSON.stringify per flush, one JSON.parse per completion batch, no
 * allocation per call beyond its promise, its pending record and its operation.
 *
 * @module
 */

import { Calls, DEFAULT_MAX_PENDING, DEFAULT_TIMEOUT_MS, FLUSH_SLICE } from './calls.js'
import { abortError, busyError, closedError, fromNative, nativeResult, timeoutError } from './errors.js'
import { NativeConn, Part, type Completion, type Op, type Submitted } from './native.js'
import { netnsSpec } from './netns.js'
import { applyTrace, checkTrace, type TraceOption } from './trace.js'
import type { CallOptions, NetnsRef, OpenOptions } from './types.js'
import { checkInt, checkKeys, describe } from './validate.js'

/** A call waiting for its completion. */
interface Pending {
  resolve: (objs: unknown[]) => void
  reject: (e: Error) => void
  op: string
  subject: Subject
  /** Resolve with undefined (an ACK), not the (empty) object list. */
  voidResult?: boolean
  cleanup?: () => void
  /** Parts of a large dump received so far. */
  parts?: unknown[][]
  /** Takes each part of a large dump as it arrives instead. */
  onPart?: OnPart
  /** performance.now() past which the call fails ETIMEDOUT, queued or sent. */
  deadline: number
}

/** Takes each part of a large dump as it arrives (null: start over, the dump restarts). */
export type OnPart = (objs: unknown[] | null) => void

/** What an error message names after the operation; built only when there is an error. */
export type Subject = string | (() => string)

export function subjectText(s: Subject): string {
  return typeof s === 'function' ? s() : s
}

/** Back-to-back flushes (ms) before timers and I/O get a turn. */
const FLUSH_BUDGET_MS = 4

const OPEN_OPTIONS: ReadonlySet<string> = new Set(['timeout', 'maxPending', 'netns', 'trace'])

/** One native connection's queue, tokens and pending calls. Held by a {@link Netlink}. */
export class Engine {
  #native: NativeConn
  #calls: Calls<Pending>
  #queue: Submitted[] = []
  #flushScheduled = false
  #closed = false
  readonly #timeout: number
  readonly #maxPending: number
  /** The namespace the connection was opened in, as given (for streams and subscriptions). */
  readonly netns: NetnsRef | undefined
  /** The connection's trace option, inherited by its subscriptions and streams. */
  readonly trace: TraceOption | undefined
  /** Calls aborted since the last flush (possibly still in the queue). */
  #abortedQueued = 0
  /** Completion batches from the I/O thread held for the next turn of the event loop. */
  #inbox: string[] = []
  /** When the current run of flushes without an event-loop turn began. */
  #streakStart = 0
  /** A setImmediate marking the event loop's next turn is scheduled. */
  #turnPending = false

  constructor(opts: OpenOptions) {
    if (typeof opts !== 'object' || opts === null) throw new TypeError('options must be an object')
    checkKeys(opts, OPEN_OPTIONS, 'options')
    if (opts.timeout !== undefined) checkInt(opts.timeout, 'timeout', 1, 0x7fffffff)
    if (opts.maxPending !== undefined) checkInt(opts.maxPending, 'maxPending', 1, 0x7fffffff)
    this.#timeout = opts.timeout ?? DEFAULT_TIMEOUT_MS
    this.#maxPending = opts.maxPending ?? DEFAULT_MAX_PENDING
    checkTrace(opts.trace)
    const netns = opts.netns === undefined ? undefined : netnsSpec(opts.netns)
    this.netns = opts.netns
    this.trace = opts.trace
    // Weakly: a connection dropped without close() must be collectable (see calls.ts).
    const self = new WeakRef(this)
    const n = new NativeConn((json: string) => {
      const e = self.deref()
      if (e) e.#onAsyncDone(json)
    })
    applyTrace(n, opts.trace)
    this.#native = nativeResult(
      'open',
      opts.netns === undefined ? '' : `netns ${describe(opts.netns)}`,
      n,
      n.open({ timeout: this.#timeout, netns }),
    )
    this.#calls = new Calls(this.#native, this)
  }

  /**
   * Completions from the I/O thread. Node runs up to a thousand queued threadsafe calls (each with
   * its microtasks: the callers' next requests) without returning to the event loop; past the
   * budget they wait in an inbox that drains on the next turns, so timers and I/O are not starved.
   */
  #onAsyncDone(json: string): void {
    if (this.#inbox.length === 0 && !this.#mustYield()) {
      this.#onDone(json)
      return
    }
    this.#inbox.push(json)
    if (this.#inbox.length === 1) setImmediate(this.#drainInbox)
  }

  #drainInbox = (): void => {
    const start = performance.now()
    let i = 0
    while (i < this.#inbox.length && (i === 0 || performance.now() - start < FLUSH_BUDGET_MS)) this.#onDone(this.#inbox[i++])
    this.#inbox.splice(0, i)
    if (this.#inbox.length > 0) setImmediate(this.#drainInbox)
  }

  #onDone(json: string): void {
    const replies = JSON.parse(json) as Completion[]
    for (const [token, err, objs, part] of replies) {
      const p = this.#calls.pending.get(token)
      if (!p) continue // aborted or closed meanwhile
      if (part === Part.More) {
        // A part of a large dump: the engine reads on while this one is parsed.
        if (p.onPart) p.onPart(objs!)
        else if (p.parts) p.parts.push(objs!)
        else p.parts = [objs!]
        continue
      }
      if (part === Part.Restart) {
        p.parts = undefined
        p.onPart?.(null)
        continue
      }
      this.#calls.settle(token, p)
      if (err) p.reject(fromNative(p.op, subjectText(p.subject), err))
      else if (p.voidResult) (p.resolve as unknown as (v: undefined) => void)(undefined)
      else p.resolve(p.parts ? ([] as unknown[]).concat(...p.parts, objs!) : objs!)
    }
    this.#calls.updateRef(this.#closed)
  }

  /**
   * Queues one operation; everything queued in the same tick is submitted (and sent) together.
   * `opName` is the API call errors are reported as (`'linkSetDown'` sends a `'linkSetUp'`);
   * `op` is always a fresh object of the caller's, which gets its token (and deadline) here.
   */
  call<T = unknown>(opName: string, subject: Subject, op: Op, o?: CallOptions, voidResult = false, onPart?: OnPart): Promise<T[]> {
    if (this.#closed) {
      return Promise.reject(closedError(opName, subjectText(subject)))
    }
    const signal = o?.signal
    if (signal?.aborted) return Promise.reject(abortError(signal))
    if (this.#calls.pending.size >= this.#maxPending) return Promise.reject(busyError(opName, subjectText(subject), this.#maxPending))
    // The deadline runs from now: time spent queued here counts.
    const deadline = performance.now() + (o?.timeout ?? this.#timeout)
    return new Promise<T[]>((resolve, reject) => {
      const token = this.#calls.token()
      const p: Pending = { resolve: resolve as (o: unknown[]) => void, reject, op: opName, subject, voidResult, onPart, deadline }
      this.#calls.add(
        token,
        p,
        signal,
        () => this.#closed,
        () => this.#abortedQueued++,
      )
      // Fill in the caller's fresh object rather than copy it.
      const s = op as Submitted
      s.token = token
      this.#queue.push(s)
      if (!this.#flushScheduled) {
        this.#flushScheduled = true
        if (this.#mustYield()) setImmediate(this.#flushNow)
        else queueMicrotask(this.#flushNow)
      }
    })
  }

  /**
   * Replies often settle during the send itself, so a loop of awaited calls could run on
   * microtasks forever and starve timers and I/O. After FLUSH_BUDGET_MS of back-to-back flushes
   * without the event loop turning, the next flush waits for the loop (setImmediate).
   */
  #mustYield(): boolean {
    if (!this.#turnPending) {
      this.#turnPending = true
      this.#streakStart = performance.now()
      setImmediate(this.#loopTurned)
      return false
    }
    return performance.now() - this.#streakStart > FLUSH_BUDGET_MS
  }

  #loopTurned = (): void => {
    this.#turnPending = false
  }

  /**
   * Sends what was queued in this tick as one batch (in slices, so a huge burst does not hold
   * the event loop). Replies the kernel queued during the send come back at once and settle
   * here; the rest arrive through the I/O thread.
   */
  #flushNow = (): void => {
    this.#flushScheduled = false
    if (this.#closed) return
    // Calls aborted before they went out are not sent at all.
    if (this.#abortedQueued > 0) {
      this.#queue = this.#queue.filter((op) => this.#calls.pending.has(op.token))
      this.#abortedQueued = 0
    }
    let ops = this.#queue
    if (ops.length > FLUSH_SLICE) {
      ops = ops.splice(0, FLUSH_SLICE)
      this.#flushScheduled = true
      setImmediate(this.#flushNow)
    } else {
      this.#queue = []
    }
    ops = this.#calls.stampDeadlines(ops, this.#timeout, (p) => timeoutError(p.op, subjectText(p.subject)))
    let now: string | null
    try {
      let json = JSON.stringify(ops)
      // Every string goes to the kernel, which reads a name only up to a NUL: one scan of the
      // batch's text (JSON writes NUL as \u0000) instead of one per call, and the calls that
      // carry one fail alone (the area modules check names already; this is the backstop).
      if (json.includes('\\u0000')) {
        ops = this.#refuseNul(ops)
        json = JSON.stringify(ops)
      }
      now = this.#native.submit(json)
    } catch {
      // Nothing was sent (the binding parses the whole batch first): send the calls one by
      // one, so whatever could not be encoded fails only the call it belongs to.
      for (const op of ops) this.#submitAlone(op)
      now = null
    }
    if (now !== null) this.#onDone(now)
    else this.#calls.updateRef(this.#closed)
  }

  #refuseNul(ops: Submitted[]): Submitted[] {
    return ops.filter((op) => {
      const s = op as unknown as Record<string, unknown>
      const field = Object.keys(s).find((k) => JSON.stringify(s[k] ?? null).includes('\\u0000'))
      const p = this.#calls.pending.get(op.token)
      if (field === undefined || !p) return true
      this.#calls.settle(op.token, p)
      p.reject(new RangeError(`${p.op}: ${field} must not contain a NUL character (the kernel would read only up to it)`))
      return false
    })
  }

  #submitAlone(op: Submitted): void {
    const p = this.#calls.pending.get(op.token)
    if (!p) return
    let now: string | null
    try {
      now = this.#native.submit(JSON.stringify([op]))
    } catch (e) {
      this.#calls.settle(op.token, p)
      p.reject(new TypeError(`${p.op}: the call could not be encoded: ${(e as Error)?.message ?? String(e)}`))
      return
    }
    if (now !== null) this.#onDone(now)
  }

  /** Rejects everything in flight with a "connection closed" error and releases the socket. */
  close(): void {
    if (this.#closed) return
    const pending = [...this.#calls.pending.values()]
    this.#calls.pending.clear()
    this.#queue = []
    this.#calls.updateRef(this.#closed)
    this.#closed = true
    this.#native.close()
    for (const p of pending) {
      p.cleanup?.()
      p.reject(closedError(p.op, subjectText(p.subject)))
    }
  }
}
