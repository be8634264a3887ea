/**
 * The connection of a typed protocol family (generic netlink, and the protocols after it) that
 * a {@link Netlink} opens on first use: one socket of the family's protocol in the same network
 * namespace, driven through the family's native handle (handles/typed.rs). Replies arrive as
 * raw messages or as typed objects, in the raw layer's records.
 *
 * @module
 */

import { Calls, DEFAULT_MAX_PENDING, DEFAULT_TIMEOUT_MS } from './calls.js'
import { abortError, busyError, closedError, fromNative, nativeResult, timeoutError } from './errors.js'
import { netnsSpec } from './netns.js'
import { decodeBatch, RawKind } from './raw-layout.js'
import type { RawMessage } from './raw.js'
import { applyTrace, type TraceOption } from './trace.js'
import type { CallOptions, NetnsRef } from './types.js'
import { checkCallOptions } from './validate.js'

/** What every typed family's operation carries besides its own fields. */
interface Tokened {
  token: number
  timeout?: number
}

/** The native handle of a typed family (the class `typed_conn!` declares). */
export interface TypedNative<Op extends Tokened> {
  trace(f?: (text: string) => void): void
  open(opts: { timeout?: number; netns?: ReturnType<typeof netnsSpec> }): string
  submit(ops: Op[]): Buffer | null
  ref(): void
  unref(): void
  close(): void
}

interface Pending {
  resolve: (r: unknown[]) => void
  reject: (e: Error) => void
  deadline: number
  op: string
  subject: string
  parts?: unknown[][]
  cleanup?: () => void
}

/** What a typed connection is opened with (the owning Netlink's options). */
export interface TypedConnOptions {
  netns?: NetnsRef
  timeout?: number
  maxPending?: number
  trace?: TraceOption
}

export class TypedConn<Op extends Tokened> {
  #native: TypedNative<Op>
  #calls: Calls<Pending>
  #queue: Op[] = []
  #flushScheduled = false
  #closed = false
  #openError: Error | undefined
  readonly #timeout: number
  readonly #maxPending: number
  /** Inherited by subscriptions made through this connection. */
  readonly netns: NetnsRef | undefined
  readonly trace: TraceOption | undefined

  /**
   * `label` names the socket in an open error (`generic netlink`); `make` builds the native
   * handle around the completion callback.
   */
  constructor(label: string, make: (onDone: (b: Buffer) => void) => TypedNative<Op>, opts: TypedConnOptions) {
    this.#timeout = opts.timeout ?? DEFAULT_TIMEOUT_MS
    this.#maxPending = opts.maxPending ?? DEFAULT_MAX_PENDING
    this.netns = opts.netns
    this.trace = opts.trace
    const netns = opts.netns === undefined ? undefined : netnsSpec(opts.netns)
    // Weakly: a connection dropped without close() must be collectable (see calls.ts).
    const self = new WeakRef(this)
    const n = make((b: Buffer) => {
      const c = self.deref()
      if (c) c.#onDone(b)
    })
    applyTrace(n, opts.trace)
    this.#native = n
    // Opened on a Netlink's first call of the family: a failure (e.g. the namespace went away) rejects
    // that call and every later one, rather than throwing out of a promise-returning method.
    try {
      nativeResult('open', label, n, n.open({ timeout: opts.timeout, netns }))
    } catch (e) {
      this.#openError = e as Error
      this.#closed = true
    }
    this.#calls = new Calls(this.#native, this)
  }

  /**
   * Sends one operation: resolves its typed objects, or its raw messages. `op` and `subject`
   * name it in errors (`ethtoolLinkInfo veth0: No such device (ENODEV)`). The operation must
   * be checked already; call options are checked here.
   */
  call<T = RawMessage>(op: string, subject: string, record: Omit<Op, 'token' | 'timeout'>, o?: CallOptions): Promise<T[]> {
    try {
      checkCallOptions(o)
    } catch (e) {
      return Promise.reject(e)
    }
    if (this.#openError) return Promise.reject(this.#openError)
    if (this.#closed) return Promise.reject(closedError(op, subject))
    const signal = o?.signal
    if (signal?.aborted) return Promise.reject(abortError(signal))
    if (this.#calls.pending.size >= this.#maxPending) return Promise.reject(busyError(op, subject, this.#maxPending))
    const token = this.#calls.token()
    const deadline = performance.now() + (o?.timeout ?? this.#timeout)
    return new Promise<T[]>((resolve, reject) => {
      const p: Pending = { resolve: resolve as (r: unknown[]) => void, reject, deadline, op, subject }
      this.#calls.add(token, p, signal, () => this.#closed)
      this.#queue.push({ ...record, token, timeout: o?.timeout } as Op)
      if (!this.#flushScheduled) {
        this.#flushScheduled = true
        queueMicrotask(this.#flush)
      }
      this.#calls.updateRef(this.#closed)
    })
  }

  /** Rejects what is in flight (ECANCELED) and releases the sockets and thread. Idempotent. */
  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.#native.close()
    for (const [token, p] of this.#calls.pending) {
      this.#calls.settle(token, p)
      p.reject(closedError(p.op, p.subject))
    }
    this.#queue = []
    this.#calls.release()
  }

  #flush = (): void => {
    this.#flushScheduled = false
    if (this.#closed) return
    const slice = this.#calls.takeSlice(this.#queue)
    this.#queue = slice.rest
    if (slice.rest.length > 0) {
      this.#flushScheduled = true
      setImmediate(this.#flush)
    }
    const ops = this.#calls.stampDeadlines(slice.ops, this.#timeout, (p) => timeoutError(p.op, p.subject))
    if (ops.length === 0) {
      this.#calls.updateRef(this.#closed)
      return
    }
    const now = this.#native.submit(ops)
    if (now !== null) this.#onDone(now)
  }

  #onDone(bytes: Buffer): void {
    for (const r of decodeBatch(bytes)) {
      const p = this.#calls.pending.get(r.token)
      if (!p) continue // aborted or closed meanwhile
      const items: unknown[] = r.objects ?? r.messages
      if (r.kind === RawKind.More) (p.parts ??= []).push(items)
      else if (r.kind === RawKind.Restart) p.parts = undefined
      else {
        this.#calls.settle(r.token, p)
        if (r.error) p.reject(fromNative(p.op, p.subject, r.error))
        else p.resolve(p.parts ? p.parts.flat().concat(items) : items)
      }
    }
    this.#calls.updateRef(this.#closed)
  }
}
