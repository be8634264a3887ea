/**
 * {@link SocketStream}: a socket listing read at the consumer's pace, on a socket and thread of
 * its own (the raw layer's dump stream, as conntrackListStream reads the conntrack table), so
 * memory stays flat however many sockets there are.
 *
 * @module
 */

import { sockDiagListed, sockDiagListPayload } from '../native.js'
import { RawEvents, type RawEventsOptions } from '../raw-events.js'
import type { RawMessage } from '../raw.js'
import { checkKeys } from '../validate.js'
import type { SockDiagConn } from './conn.js'
import { listPlan, type SocketFilter } from './sockets.js'

const NETLINK_SOCK_DIAG = 4
/** The type of a listing's request and of each socket of its dump. */
const SOCK_DIAG_BY_FAMILY = 20
const STREAM_OPTIONS: ReadonlySet<string> = new Set(['bufferSize', 'signal', 'netns', 'trace'])

/**
 * A socket listing in batches, read as the consumer asks for them (the kernel's dump waits
 * meanwhile): iterate it with `for await`; `break`, `close()` or an abort stops it.
 * @category Sockets
 */
export interface SocketStream<T> extends AsyncIterableIterator<T[]> {
  /** Stops the listing. Idempotent. */
  close(): void
}

export async function socketListStream<T>(c: SockDiagConn, filter?: SocketFilter, o: RawEventsOptions = {}): Promise<SocketStream<T>> {
  const plan = listPlan(filter)
  if (typeof o !== 'object' || o === null) throw new TypeError('options must be an object')
  checkKeys(o, STREAM_OPTIONS, 'options')
  // Every dump's request built now: a filter the core refuses fails here, before any is sent.
  const dumps = plan.records.map((r) => {
    const record = { token: 0, ...r }
    return { record, payload: sockDiagListPayload(record) }
  })
  const opts = { netns: c.netns, trace: c.trace, ...o }
  const open = (d: (typeof dumps)[number]) =>
    RawEvents.stream(NETLINK_SOCK_DIAG, { token: 0, msgType: SOCK_DIAG_BY_FAMILY, flags: 0, payload: d.payload, dump: true }, opts)
  // Internet sockets are one dump per family, run one after the other; the first starts now
  // (its options checked now).
  let i = 0
  let raw: AsyncIterableIterator<RawMessage[]> | undefined = open(dumps[0] as (typeof dumps)[number])
  let closed = false
  const s: SocketStream<T> = {
    async next(): Promise<IteratorResult<T[]>> {
      while (!closed && !o.signal?.aborted && i < dumps.length) {
        const d = dumps[i] as (typeof dumps)[number]
        raw ??= open(d)
        const r = await raw.next()
        if (r.done) {
          raw = undefined
          i++
          continue
        }
        const payloads = r.value.filter((m) => m.type === SOCK_DIAG_BY_FAMILY).map((m) => m.payload)
        const sockets = JSON.parse(sockDiagListed(d.record, payloads)) as T[]
        if (sockets.length > 0) return { value: sockets, done: false }
      }
      s.close()
      return { value: undefined, done: true }
    },
    async return(): Promise<IteratorResult<T[]>> {
      s.close()
      return { value: undefined, done: true }
    },
    [Symbol.asyncIterator]() {
      return s
    },
    close: () => {
      closed = true
      void raw?.return?.()
      raw = undefined
    },
  }
  return s
}
