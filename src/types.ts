/**
 * Types every area shares: how a link and a namespace are named, and the options of every call
 * and of a connection.
 *
 * @module
 */

import type { TraceOption } from './trace.js'

/**
 * A link by name (`'eth0'`) or by interface index (`2`).
 *
 * @category Links
 */
export type LinkRef = string | number

/**
 * Options every call accepts as its last argument.
 *
 * @category Connections
 */
export interface CallOptions {
  /** Deadline for this call in milliseconds (default: the connection's, 5000). */
  timeout?: number
  /** Aborting rejects the call with an `AbortError` (the kernel may still have acted). */
  signal?: AbortSignal
}

/**
 * A network namespace: a name as `ip netns` knows it (`'blue'`), a path (`'/proc/1234/ns/net'`,
 * anything containing a `/`), a process id (`1234` or `{ pid: 1234 }`) or an open descriptor
 * (`{ fd: 3 }`).
 *
 * @category Namespaces
 */
export type NetnsRef =
  | string
  | number
  | {
      /** A name under /run/netns. */
      name: string
    }
  | {
      /** A path to a namespace file. */
      path: string
    }
  | {
      /** The namespace of this process. */
      pid: number
    }
  | {
      /** An open namespace descriptor. */
      fd: number
    }

/**
 * Options of {@link open}.
 *
 * @category Connections
 */
export interface OpenOptions {
  /**
   * Default deadline of every call on this connection, in milliseconds (default 5000). It runs
   * from the moment the call is made: a call that spends it queued fails ETIMEDOUT unsent.
   */
  timeout?: number
  /**
   * Calls pending on this connection at most, queued or in flight (default 262,144): past it a
   * call fails at once with EAGAIN, so a runaway producer cannot grow memory without bound.
   */
  maxPending?: number
  /** Work in this network namespace instead of the current one. */
  netns?: NetnsRef
  /**
   * Print every message sent and received, decoded as strace shows netlink: `true` to stderr,
   * or to a function line by line (default: on when `NLKIT_TRACE=1`). Subscriptions and streams
   * of this connection trace too.
   */
  trace?: TraceOption
}

// The classes' `[Symbol.asyncDispose]` must type-check in a consumer whose lib lacks
// esnext.disposable (target ES2022) and whose @types/node does not polyfill it: declared here as
// @types/node's compatibility/disposable.d.ts and TypeScript's own lib do (identical
// declarations merge).
declare global {
  interface SymbolConstructor {
    /** The method `await using` calls at the end of its scope (explicit resource management). */
    readonly asyncDispose: unique symbol
  }
}
