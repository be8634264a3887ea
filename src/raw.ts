/**
 * Raw netlink: a connection on any netlink protocol, messages as bytes. The engine still
 * owns sequence numbers, the port id, NLM_F_REQUEST/ACK, deadlines, dumps (DUMP_INTR retries,
 * parts), the kernel-only sender check and extended-ACK errors; the caller owns the payloads
 * (build them with {@link AttrsBuilder}, read them with {@link decodeAttrs}).
 *
 * @module
 */

import { Calls, DEFAULT_MAX_PENDING, DEFAULT_TIMEOUT_MS } from './calls.js'
import { abortError, busyError, closedError, fromNative, nativeResult, timeoutError } from './errors.js'
import { NativeRawConn, type RawOp } from './native.js'
import { netnsSpec } from './netns.js'
import { applyTrace, checkTrace, type TraceOption } from './trace.js'
import { decodeBatch, RawKind } from './raw-layout.js'
import { RawEvents, type RawEventsOptions } from './raw-events.js'
import type { CallOptions, NetnsRef } from './types.js'
import { checkCallOptions, checkInt, checkKeys, describe } from './validate.js'

/**
 * Netlink protocols by name (`NETLINK_*` numbers); any other number may be given too.
 * @category Raw netlink
 */
export const NETLINK = {
  /** NETLINK_ROUTE: rtnetlink (links, addresses, routes, ...). */
  route: 0,
  /** NETLINK_SOCK_DIAG: socket monitoring (ss). */
  sock_diag: 4,
  /** NETLINK_XFRM: IPsec. */
  xfrm: 6,
  /** NETLINK_NETFILTER: nftables, conntrack. */
  netfilter: 12,
  /** NETLINK_GENERIC: generic netlink families (nlctrl, wireguard, ...). */
  generic: 16,
} as const

/**
 * A netlink protocol: one of {@link NETLINK}'s names, or a `NETLINK_*` number (0..31).
 * @category Raw netlink
 */
export type NetlinkProtocol = keyof typeof NETLINK | number

/**
 * `nlmsghdr.nlmsg_flags` bits. REQUEST and ACK are set by the engine; `DUMP` (ROOT | MATCH)
 * makes a request a dump.
 * @category Raw netlink
 */
export const NLM_F = {
  /** A request (set by nlkit). */
  REQUEST: 0x01,
  /** Part of a multipart reply. */
  MULTI: 0x02,
  /** Ask for an acknowledgement (set by nlkit). */
  ACK: 0x04,
  /** Echo this request. */
  ECHO: 0x08,
  /** The dump was interrupted: its data is inconsistent. */
  DUMP_INTR: 0x10,
  /** The dump was filtered as asked. */
  DUMP_FILTERED: 0x20,
  /** GET: from the root of the tree. */
  ROOT: 0x100,
  /** GET: all that match. */
  MATCH: 0x200,
  /** GET: an atomic snapshot. */
  ATOMIC: 0x400,
  /** GET: a dump (ROOT | MATCH). */
  DUMP: 0x300,
  /** NEW: replace an existing object. */
  REPLACE: 0x100,
  /** NEW: fail if it exists. */
  EXCL: 0x200,
  /** NEW: create if it does not exist. */
  CREATE: 0x400,
  /** NEW: add to the end of the list. */
  APPEND: 0x800,
  /** DELETE: do not delete recursively. */
  NONREC: 0x100,
  /** DELETE: bulk delete. */
  BULK: 0x200,
  /** ACK: the request was capped (payload not echoed). */
  CAPPED: 0x100,
  /** ACK: extended ACK attributes follow. */
  ACK_TLVS: 0x200,
} as const

/**
 * Options of {@link open} for a raw connection.
 * @category Raw netlink
 */
export interface RawOpenOptions {
  /** The netlink protocol: a name (`'generic'`, ...) or its number. */
  protocol: NetlinkProtocol
  /** Talk to this network namespace (a name, a path, a pid or `{ fd }`) instead of the current one. */
  netns?: NetnsRef
  /** Default deadline of each request, ms (5000); it runs from the call, time queued counts. */
  timeout?: number
  /** Requests pending at once (queued or in flight; default 262,144); past it a request fails EAGAIN. */
  maxPending?: number
  /** Print every message sent and received, as `open({ trace })` does (default: `NLKIT_TRACE`). */
  trace?: TraceOption
}

/**
 * A request: the message type, flags besides REQUEST/ACK, and the payload (the family's
 * header and attributes). `dump: true`, or flags including `NLM_F.DUMP`, makes it a dump.
 * @category Raw netlink
 */
export interface RawRequest {
  /** nlmsg_type. */
  type: number
  /** Flags besides NLM_F_REQUEST and NLM_F_ACK (which nlkit sets). */
  flags?: number
  /** The message's payload: the family header and attributes. */
  payload?: Uint8Array
  /** A dump request (NLM_F_DUMP). */
  dump?: boolean
}

/**
 * One message of a reply (or an event): header fields and the payload after the 16-byte header.
 * @category Raw netlink
 */
export interface RawMessage {
  /** nlmsg_type. */
  type: number
  /** nlmsg_flags. */
  flags: number
  /** nlmsg_seq. */
  seq: number
  /** nlmsg_pid (the sender port id). */
  pid: number
  /** The bytes after the 16-byte header. */
  payload: Buffer
}

interface Pending {
  resolve: (m: RawMessage[]) => void
  reject: (e: Error) => void
  deadline: number
  subject: string
  parts?: RawMessage[][]
  cleanup?: () => void
}

const MAX_U16 = 0xffff
const RAW_OPEN_OPTIONS: ReadonlySet<string> = new Set(['protocol', 'netns', 'timeout', 'maxPending', 'trace'])
const REQUEST_FIELDS: ReadonlySet<string> = new Set(['type', 'flags', 'payload', 'dump'])

/** A request checked and turned into the record the binding reads (everything before anything is sent). */
function rawOp(req: RawRequest, token: number, o: CallOptions | undefined): RawOp {
  if (typeof req !== 'object' || req === null) throw new TypeError('request must be an object { type, flags?, payload? }')
  checkKeys(req, REQUEST_FIELDS, 'request')
  const msgType = checkInt(req.type, 'type', 16, MAX_U16)
  const flags = req.flags === undefined ? 0 : checkInt(req.flags, 'flags', 0, MAX_U16)
  const payload = req.payload ?? Buffer.alloc(0)
  if (!(payload instanceof Uint8Array)) throw new TypeError(`payload must be a Buffer or Uint8Array, got ${describe(payload)}`)
  if (req.dump !== undefined && typeof req.dump !== 'boolean') throw new TypeError('dump must be a boolean')
  const dump = req.dump === true || (flags & NLM_F.DUMP) === NLM_F.DUMP
  return {
    token,
    msgType,
    flags: flags & ~(dump ? NLM_F.DUMP : 0),
    dump,
    timeout: o?.timeout,
    payload: Buffer.isBuffer(payload) ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength),
  }
}

function protocolNumber(p: unknown): number {
  if (typeof p === 'string') {
    const n = (NETLINK as Record<string, number>)[p]
    if (n === undefined)
      throw new RangeError(`unknown protocol ${describe(p)}; expected one of ${Object.keys(NETLINK).join(', ')} or a number`)
    return n
  }
  return checkInt(p, 'protocol', 0, 31)
}

/**
 * A raw netlink connection: one socket of one protocol and one I/O thread, many requests in
 * flight. Idle, it does not keep the process alive; a pending request does.
 * @category Raw netlink
 */
export class RawNetlink {
  #native: NativeRawConn
  #calls: Calls<Pending>
  #queue: RawOp[] = []
  #flushScheduled = false
  #closed = false
  /** The protocol's number. */
  readonly protocol: number
  readonly #netns: NetnsRef | undefined
  readonly #trace: TraceOption | undefined
  readonly #timeout: number
  readonly #maxPending: number

  /** Use {@link open} with `{ protocol }`. */
  constructor(opts: RawOpenOptions) {
    if (typeof opts !== 'object' || opts === null) throw new TypeError('options must be an object')
    checkKeys(opts, RAW_OPEN_OPTIONS, 'options')
    this.protocol = protocolNumber(opts.protocol)
    if (opts.timeout !== undefined) checkInt(opts.timeout, 'timeout', 1, 0x7fffffff)
    if (opts.maxPending !== undefined) checkInt(opts.maxPending, 'maxPending', 1, 0x7fffffff)
    checkTrace(opts.trace)
    this.#timeout = opts.timeout ?? DEFAULT_TIMEOUT_MS
    this.#maxPending = opts.maxPending ?? DEFAULT_MAX_PENDING
    const netns = opts.netns === undefined ? undefined : netnsSpec(opts.netns)
    this.#netns = opts.netns
    this.#trace = opts.trace
    // Weakly: a connection dropped without close() must be collectable (see calls.ts).
    const self = new WeakRef(this)
    const n = new NativeRawConn((b: Buffer) => {
      const c = self.deref()
      if (c) c.#onDone(b)
    })
    applyTrace(n, opts.trace)
    this.#native = nativeResult('open', `protocol ${this.protocol}`, n, n.open(this.protocol, { timeout: opts.timeout, netns }))
    this.#calls = new Calls(this.#native, this)
  }

  /**
   * Sends one message and resolves the messages of its reply: every message before the ACK
   * (none for a plain change), or a dump's parts up to NLMSG_DONE. A kernel error rejects
   * with a {@link NetlinkError} carrying its extended-ACK text and offset.
   */
  request(req: RawRequest, o?: CallOptions): Promise<RawMessage[]> {
    const subject = `type ${describe(req?.type)}`
    const token = this.#calls.token()
    let op: RawOp
    try {
      checkCallOptions(o)
      op = rawOp(req, token, o)
    } catch (e) {
      return Promise.reject(e) // bad arguments: nothing is sent
    }
    if (this.#closed) return Promise.reject(closedError('request', subject))
    const signal = o?.signal
    if (signal?.aborted) return Promise.reject(abortError(signal))
    if (this.#calls.pending.size >= this.#maxPending) return Promise.reject(busyError('request', subject, this.#maxPending))
    // The deadline runs from now: time spent queued here counts.
    const deadline = performance.now() + (o?.timeout ?? this.#timeout)
    return new Promise<RawMessage[]>((resolve, reject) => {
      const p: Pending = { resolve, reject, deadline, subject }
      this.#calls.add(token, p, signal, () => this.#closed)
      this.#queue.push(op)
      if (!this.#flushScheduled) {
        this.#flushScheduled = true
        queueMicrotask(this.#flush)
      }
      this.#calls.updateRef(this.#closed)
    })
  }

  /** {@link request} as a dump (NLM_F_DUMP): every message up to NLMSG_DONE. */
  dump(req: RawRequest, o?: CallOptions): Promise<RawMessage[]> {
    return this.request({ ...req, dump: true }, o)
  }

  /**
   * A dump read at the consumer's pace, in batches, on a socket of its own (flat memory for
   * huge tables): `for await (const batch of conn.dumpStream(req)) ...`.
   */
  dumpStream(req: RawRequest, o: RawEventsOptions = {}): AsyncIterableIterator<RawMessage[]> {
    const op = rawOp({ ...req, dump: true }, 0, undefined)
    return RawEvents.stream(this.protocol, op, { netns: this.#netns, trace: this.#trace, ...o })
  }

  /**
   * Joins multicast groups by number and yields their notifications in kernel order through a
   * bounded queue; a consumer that falls behind gets `{ type: 'overflow' }` where messages were
   * lost, never a silent gap.
   */
  subscribe(groups: number[], o: RawEventsOptions = {}): RawEvents {
    if (!Array.isArray(groups) || groups.length === 0) throw new TypeError('groups must be a non-empty array of group numbers')
    for (const [i, g] of groups.entries()) checkInt(g, `groups[${i}]`, 1, 0xffffffff)
    return RawEvents.subscribe(this.protocol, groups, { netns: this.#netns, trace: this.#trace, ...o })
  }

  /** Rejects what is in flight (ECANCELED) and releases the socket and thread. Idempotent. */
  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.#native.close()
    for (const [token, p] of this.#calls.pending) {
      this.#calls.settle(token, p)
      p.reject(closedError('request', p.subject))
    }
    this.#queue = []
    this.#calls.release()
  }

  /** `await using`: closes the connection. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close()
  }

  /** Sends what was queued (in slices: a huge burst does not hold the event loop in one submit). */
  #flush = (): void => {
    this.#flushScheduled = false
    if (this.#closed) return
    const slice = this.#calls.takeSlice(this.#queue)
    this.#queue = slice.rest
    if (slice.rest.length > 0) {
      this.#flushScheduled = true
      setImmediate(this.#flush)
    }
    const ops = this.#calls.stampDeadlines(slice.ops, this.#timeout, (p) => timeoutError('request', p.subject))
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
      if (r.kind === RawKind.More) (p.parts ??= []).push(r.messages)
      else if (r.kind === RawKind.Restart) p.parts = undefined
      else {
        this.#calls.settle(r.token, p)
        if (r.error) p.reject(fromNative('request', p.subject, r.error))
        else p.resolve(p.parts ? p.parts.flat().concat(r.messages) : r.messages)
      }
    }
    this.#calls.updateRef(this.#closed)
  }
}
