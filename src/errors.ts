/**
 * Errors: {@link NetlinkError}, the shape a core error has when it crosses from Rust (the
 * native error envelope), and the one place that envelope becomes a JavaScript error.
 *
 * @module
 */

import { constants as osConstants } from 'node:os'

/**
 * A core error as the binding sends it (crates/nlkit-node/src/envelope.rs): in a completion batch,
 * in an event, or in the `[envelope|null, value]` answer of a synchronous call.
 */
export interface NativeError {
  /** The positive errno. */
  errno: number
  /** `'kernel'`, `'timeout'`, `'closed'`, `'dumpInterrupted'`, `'protocol'`, `'io'`, `'busy'`, `'invalid'`. */
  kind: string
  /** strerror's text for the errno. */
  text: string
  /** The kernel's extended-ACK message (kind `'kernel'`) or the core's own detail. */
  detail?: string
  /** Byte offset of the offending attribute in the request. */
  offset?: number
}

/** errno names by number (`17` -> `'EEXIST'`). */
const errnoNames: Map<number, string> = new Map(Object.entries(osConstants.errno).map(([name, n]) => [n as number, name]))
// 11 is listed as both; the kernel's headers and strace say EAGAIN.
errnoNames.set(osConstants.errno.EAGAIN, 'EAGAIN')

/**
 * A failed netlink operation. `code` is the errno name (`'EEXIST'`), `errno` its number.
 *
 * @category Errors
 */
export class NetlinkError extends Error {
  /** `'EEXIST'`, `'ENODEV'`, `'ETIMEDOUT'`, ... */
  readonly code: string
  /** The positive errno. */
  readonly errno: number
  /** The operation, e.g. `'addrAdd'`. */
  readonly op: string
  /**
   * The kernel's own explanation (extended ACK), when it gave one; for a generic family the
   * kernel does not have, nlkit's (`the kernel has no generic family "wireguard"`: nlctrl gives none).
   */
  readonly extack?: string
  /** Byte offset of the offending attribute in the request, when the kernel gave one. */
  readonly offset?: number

  // Private: only nlkit makes these (this module's factories); in the declarations a private
  // constructor also hides Error's, so `new NetlinkError()` does not compile in consumer code.
  private constructor(op: string, subject: string, e: NativeError) {
    const code = errnoNames.get(e.errno) ?? `E${e.errno}`
    const text = e.kind === 'timeout' ? 'timed out' : e.text
    let msg = `${op}${subject ? ` ${subject}` : ''}: ${text} (${code})`
    if (e.detail) msg += `: ${e.detail}`
    if (code === 'EPERM' || code === 'EACCES') msg += capabilityHint(op, subject)
    super(msg)
    this.name = 'NetlinkError'
    this.code = code
    this.errno = e.errno
    this.op = op
    if (e.kind === 'kernel' && e.detail) this.extack = e.detail
    if (e.offset !== undefined) this.offset = e.offset
  }
}

/** NetlinkError's private constructor, for this module's factories (the same frames in a stack). */
const makeNetlinkError = NetlinkError as unknown as new (op: string, subject: string, e: NativeError) => NetlinkError

/** What a refusal for lack of privileges most likely lacks, by operation. */
function capabilityHint(op: string, subject: string): string {
  if (op === 'netnsCreate' || op === 'netnsDelete') {
    return ' (creating or deleting a named namespace needs CAP_SYS_ADMIN: it mounts under /run/netns)'
  }
  if (subject.startsWith('netns ') || /^(open|subscribe|routeListStream|dumpStream)$/.test(op)) {
    return (
      ' (entering another network namespace needs CAP_SYS_ADMIN, and opening /proc/PID/ns/net needs' +
      ' ptrace access to that process: the same user, or CAP_SYS_PTRACE)'
    )
  }
  return ' (changing network configuration needs CAP_NET_ADMIN: run as root or grant the capability)'
}

/**
 * The one decoder of the native error envelope: a `NetlinkError`, or for an argument the core
 * refused before sending anything (kind `'invalid'`: a kind setting it does not know, a path
 * that is not a network namespace) a `RangeError` with the core's explanation.
 */
export function fromNative(op: string, subject: string, e: NativeError): Error {
  if (e.kind === 'invalid') return new RangeError(`${op}${subject ? ` ${subject}` : ''}: ${e.detail ?? e.text}`)
  return new makeNetlinkError(op, subject, e)
}

/** A kernel error the API reports itself (a lookup that found nothing): `kernelError(op, subject, 'ENODEV', 'No such device')`. */
export function kernelError(op: string, subject: string, code: 'ENODEV' | 'EHOSTUNREACH' | 'EOPNOTSUPP', text: string): NetlinkError {
  return new makeNetlinkError(op, subject, { errno: osConstants.errno[code], kind: 'kernel', text })
}

/** A call that spent its deadline queued: never sent. */
export function timeoutError(op: string, subject: string): NetlinkError {
  return new makeNetlinkError(op, subject, { errno: osConstants.errno.ETIMEDOUT, kind: 'timeout', text: 'Connection timed out' })
}

/** A call past the connection's bound of pending calls: refused, nothing sent. */
export function busyError(op: string, subject: string, max: number): NetlinkError {
  return new makeNetlinkError(op, subject, {
    errno: osConstants.errno.EAGAIN,
    kind: 'busy',
    text: 'Resource temporarily unavailable',
    detail: `${max} calls are pending on this connection (OpenOptions.maxPending); wait for some to complete`,
  })
}

/** The error of a call on a closed connection (or one in flight when it closed). */
export function closedError(op: string, subject: string): NetlinkError {
  return new makeNetlinkError(op, subject, { errno: osConstants.errno.ECANCELED, kind: 'closed', text: 'connection closed' })
}

/** What a signal's abort rejects a call with: its reason if that is an Error, else an `AbortError`. */
export function abortError(signal: AbortSignal): Error {
  if (signal.reason instanceof Error) return signal.reason
  const e = new Error('The operation was aborted')
  e.name = 'AbortError'
  return e
}

/**
 * The one decoder of the native error envelope for synchronous calls: a handle's `open()`
 * answers `[envelope|null, null]` (never JSON in an exception's message). Returns the handle,
 * or closes it and throws the NetlinkError.
 */
export function nativeResult<H extends { close(): unknown }>(op: string, subject: string, handle: H, result: string): H {
  const [err] = JSON.parse(result) as [NativeError | null, unknown]
  if (!err) return handle
  handle.close()
  throw fromNative(op, subject, err)
}

/** `[envelope|null, value]` of a synchronous native call (netnsCall): the value, or the NetlinkError. */
export function nativeValue<T>(op: string, subject: string, result: string): T {
  const [err, value] = JSON.parse(result) as [NativeError | null, T]
  if (err) throw fromNative(op, subject, err)
  return value
}
