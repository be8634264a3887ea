/**
 * {@link ConntrackStream}: a conntrack listing read at the consumer's pace, on a socket and
 * thread of its own (the raw layer's dump stream), so memory stays flat however large the table.
 *
 * @module
 */

import { conntrackListed, conntrackListPayload } from '../native.js'
import { RawEvents, type RawEventsOptions } from '../raw-events.js'
import type { RawMessage } from '../raw.js'
import { checkKeys } from '../validate.js'
import { filterCall } from './args.js'
import type { ConntrackConn } from './conn.js'
import { entryFromWire, type WireEntry } from './decode.js'
import type { ConntrackEntry, ConntrackFilter } from './types.js'

const NETLINK_NETFILTER = 12
/** (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET, and the type of each entry of its dump. */
const CT_GET = 0x101
const CT_NEW = 0x100
const STREAM_OPTIONS: ReadonlySet<string> = new Set(['bufferSize', 'signal', 'netns', 'trace'])

/**
 * A conntrack listing in batches, read as the consumer asks for them (the kernel's dump waits
 * meanwhile): iterate it with `for await`; `break` or `close()` stops it.
 * @category Conntrack
 */
export interface ConntrackStream extends AsyncIterableIterator<ConntrackEntry[]> {
  /** Stops the listing. Idempotent. */
  close(): void
}

export async function conntrackListStream(c: ConntrackConn, filter?: ConntrackFilter, o: RawEventsOptions = {}): Promise<ConntrackStream> {
  const call = { token: 0, ...filterCall(filter) }
  if (typeof o !== 'object' || o === null) throw new TypeError('options must be an object')
  checkKeys(o, STREAM_OPTIONS, 'options')
  const dump = { token: 0, msgType: CT_GET, flags: 0, payload: conntrackListPayload(call), dump: true }
  const raw = RawEvents.stream(NETLINK_NETFILTER, dump, { netns: c.netns, trace: c.trace, ...o })
  const s: ConntrackStream = {
    async next(): Promise<IteratorResult<ConntrackEntry[]>> {
      for (;;) {
        const r = await raw.next()
        if (r.done) return r
        const payloads = r.value.filter((m: RawMessage) => m.type === CT_NEW).map((m: RawMessage) => m.payload)
        const entries = (JSON.parse(conntrackListed(call, payloads)) as WireEntry[]).map(entryFromWire)
        if (entries.length > 0) return { value: entries, done: false }
      }
    },
    async return(): Promise<IteratorResult<ConntrackEntry[]>> {
      s.close()
      return { value: undefined, done: true }
    },
    [Symbol.asyncIterator]() {
      return s
    },
    close: () => {
      void raw.return?.()
    },
  }
  return s
}
