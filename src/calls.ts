/**
 * The calls a connection has in flight, by token, for the rtnetlink engine and the raw layer
 * alike: tokens that never collide with a pending call, settling (with the call's cleanup), and
 * the native handle ref'd exactly while something is pending (an idle connection lets the
 * process exit).
 *
 * @module
 */

import { abortError } from './errors.js'
import { MAX_U32 } from './validate.js'

/** A call's deadline when neither the call nor the connection sets one, ms. */
export const DEFAULT_TIMEOUT_MS = 5000
/** Calls pending on one connection (queued here or in flight); past this a call fails EAGAIN. */
export const DEFAULT_MAX_PENDING = 1 << 18
/** Calls submitted to the binding in one go; a bigger burst goes in slices, one per loop turn. */
export const FLUSH_SLICE = 2048

/** What a pending call must offer: its deadline, its rejection and its cleanup (an abort listener to remove), if any. */
export interface Call {
  /** `performance.now()` at which the call times out: it runs from the call, not from the send. */
  deadline: number
  reject: (e: Error) => void
  cleanup?: () => void
}

/** A queued call as the binding reads it: its token, and the deadline the core is to apply. */
interface Queued {
  token: number
  timeout?: number
}

/**
 * Connections with calls pending: what keeps a connection reachable while a call is in flight
 * (its native callback holds it only weakly, so a connection dropped without close() is
 * collected, and the binding's finalizer closes its socket and thread).
 */
const LIVE = new Set<object>()

export class Calls<P extends Call> {
  /** The pending calls by token. */
  readonly pending = new Map<number, P>()
  #nextToken = 1
  #refd = false
  readonly #handle: { ref(): void; unref(): void }
  readonly #owner: object

  /** `owner` is the connection, kept reachable while calls are pending. */
  constructor(handle: { ref(): void; unref(): void }, owner: object) {
    this.#handle = handle
    this.#owner = owner
  }

  /** A token no pending call holds (they wrap at 2^32). */
  token(): number {
    for (;;) {
      const t = this.#nextToken
      this.#nextToken = t >= MAX_U32 ? 1 : t + 1
      if (!this.pending.has(t)) return t
    }
  }

  /**
   * Adds a pending call; with a signal, an abort settles it (if still pending), runs
   * `onAbort` and rejects it with the abort's reason, and the listener goes with the call.
   */
  add(token: number, p: P, signal: AbortSignal | undefined, closed: () => boolean, onAbort?: () => void): void {
    if (signal) {
      const abort = () => {
        if (this.pending.get(token) !== p) return
        onAbort?.()
        this.settle(token, p)
        this.updateRef(closed())
        p.reject(abortError(signal))
      }
      signal.addEventListener('abort', abort, { once: true })
      p.cleanup = () => signal.removeEventListener('abort', abort)
    }
    this.pending.set(token, p)
  }

  /**
   * Fails the queued calls whose deadline passed (with `expired(p)`: ETIMEDOUT, never sent) and
   * gives the others what is left of theirs whenever that differs from the connection's default
   * (a call's own longer timeout, or time spent queued; the core's deadline starts when it
   * receives the call). Returns the calls still to send.
   */
  stampDeadlines<O extends Queued>(ops: O[], defaultTimeout: number, expired: (p: P) => Error): O[] {
    const now = performance.now()
    let gone = false
    for (const op of ops) {
      const p = this.pending.get(op.token)
      if (!p) continue
      const left = Math.ceil(p.deadline - now)
      if (left <= 0) {
        gone = true
        this.settle(op.token, p)
        p.reject(expired(p))
      } else if (left !== defaultTimeout) op.timeout = left
    }
    return gone ? ops.filter((op) => this.pending.has(op.token)) : ops
  }

  /**
   * The queued calls still pending, at most FLUSH_SLICE of them; the rest is returned to stay
   * queued (the caller schedules another flush when `rest` is not empty).
   */
  takeSlice<O extends Queued>(queue: O[]): { ops: O[]; rest: O[] } {
    const live = queue.filter((op) => this.pending.has(op.token))
    return live.length > FLUSH_SLICE ? { ops: live.slice(0, FLUSH_SLICE), rest: live.slice(FLUSH_SLICE) } : { ops: live, rest: [] }
  }

  /** Forgets a call that is settled (or given up) and runs its cleanup. */
  settle(token: number, p: P): void {
    this.pending.delete(token)
    p.cleanup?.()
  }

  /** Refs the handle while calls are pending, unrefs it when none are; nothing once `closed`. */
  updateRef(closed: boolean): void {
    const want = this.pending.size > 0
    if (want === this.#refd || closed) return
    this.#refd = want
    if (want) {
      this.#handle.ref()
      LIVE.add(this.#owner)
    } else {
      this.#handle.unref()
      LIVE.delete(this.#owner)
    }
  }

  /** Lets the process go whatever is pending (the connection closes). */
  release(): void {
    if (this.#refd) this.#handle.unref()
    this.#refd = false
    LIVE.delete(this.#owner)
  }
}
