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

/** What a pending call must offer: its cleanup (an abort listener to remove), if any. */
export interface Call {
  cleanup?: () => void
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
  add(
    token: number,
    p: P & { reject: (e: Error) => void },
    signal: AbortSignal | undefined,
    closed: () => boolean,
    onAbort?: () => void,
  ): void {
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
