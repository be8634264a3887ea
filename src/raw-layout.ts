/**
 * The bytes raw replies and events cross in (crates/nlkit-node/src/replies_out/raw.rs), read
 * with a DataView: a record `u32 token | u8 kind | 3 bytes 0 | u32 n`, then `n` messages
 * (`u16 type | u16 flags | u32 seq | u32 pid | u32 len | payload padded to 4`) or `n` bytes of
 * the error envelope's JSON; a generic connection's typed replies (crates/nlkit-node/src/replies_out/genl.rs)
 * set the record's second byte to {@link RAW_FORMAT_JSON} and carry `n` bytes of a JSON array. A contract test checks these against the binding's `layouts()`
 * and `rawLayoutSample()`.
 *
 * @module
 */

import type { NativeError } from './errors.js'
import type { RawMessage } from './raw.js'

/** Bytes of a record's header and of a message's header. */
export const RAW_RECORD_HEADER = 12
export const RAW_MESSAGE_HEADER = 16
/** A record's second byte: its `n` bytes are a JSON array of typed objects (replies_out/genl.rs `FORMAT_JSON`). */
export const RAW_FORMAT_JSON = 1

/** Record kinds (replies_out/raw.rs). */
export const RawKind = { Last: 0, More: 1, Restart: 2, Error: 3, Item: 4, Existing: 5, Overflow: 6, End: 7 } as const
export type RawKind = (typeof RawKind)[keyof typeof RawKind]

/** One record: a completion (by token) or an event (token 0). */
export interface RawRecord {
  token: number
  kind: RawKind
  messages: RawMessage[]
  error?: NativeError
  /** Typed objects (a generic connection's families, ethtool replies), instead of messages. */
  objects?: unknown[]
}

const pad4 = (n: number) => (n + 3) & ~3

/** Every record of a batch. A malformed batch (a binding bug) throws rather than misreads. */
export function decodeRecords(b: Buffer): RawRecord[] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength)
  const out: RawRecord[] = []
  let off = 0
  while (off < b.length) {
    if (off + RAW_RECORD_HEADER > b.length) throw new RangeError('raw batch: cut record header')
    const token = v.getUint32(off, true)
    const kind = v.getUint8(off + 4) as RawKind
    const n = v.getUint32(off + 8, true)
    const format = v.getUint8(off + 5)
    off += RAW_RECORD_HEADER
    if (format === RAW_FORMAT_JSON) {
      if (off + n > b.length) throw new RangeError('raw batch: cut JSON')
      out.push({ token, kind, messages: [], objects: JSON.parse(b.toString('utf8', off, off + n)) as unknown[] })
      off += pad4(n)
      continue
    }
    if (kind === RawKind.Error) {
      if (off + n > b.length) throw new RangeError('raw batch: cut error envelope')
      out.push({ token, kind, messages: [], error: JSON.parse(b.toString('utf8', off, off + n)) as NativeError })
      off += pad4(n)
      continue
    }
    const messages: RawMessage[] = new Array(n)
    for (let i = 0; i < n; i++) {
      if (off + RAW_MESSAGE_HEADER > b.length) throw new RangeError('raw batch: cut message header')
      const len = v.getUint32(off + 12, true)
      const start = off + RAW_MESSAGE_HEADER
      if (start + len > b.length) throw new RangeError('raw batch: cut payload')
      messages[i] = {
        type: v.getUint16(off, true),
        flags: v.getUint16(off + 2, true),
        seq: v.getUint32(off + 4, true),
        pid: v.getUint32(off + 8, true),
        // A copy: the batch buffer is not kept alive by one small payload held by the caller.
        payload: Buffer.from(b.subarray(start, start + len)),
      }
      off = start + pad4(len)
    }
    out.push({ token, kind, messages })
  }
  return out
}

export const decodeBatch = decodeRecords
