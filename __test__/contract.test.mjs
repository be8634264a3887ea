// The boundary between TypeScript and the binding, checked without a kernel: the operation
// fields src/native.ts declares are exactly those the binding accepts, the positional route
// layout is the same on both sides, and the raw byte layout decodes the binding's own sample.

import test from 'ava'
import { layouts, opFields, rawLayoutSample } from '../native.cjs'
import { OP_FIELDS, ROUTE_FIELDS, ROUTE_LEN } from '../src/native.js'
import { decodeRecords, RAW_MESSAGE_HEADER, RAW_RECORD_HEADER, RawKind } from '../src/raw-layout.js'

test('every operation takes the same fields, of the same JSON types, on both sides', (t) => {
  t.deepEqual(OP_FIELDS, JSON.parse(opFields()))
})

test('the route layout is declared alike: names, order, length', (t) => {
  t.deepEqual([...ROUTE_FIELDS], layouts().route)
  t.is(ROUTE_LEN, layouts().route.length)
})

test('raw replies: header sizes agree and the binding sample decodes field for field', (t) => {
  t.is(RAW_RECORD_HEADER, layouts().rawRecordHeader)
  t.is(RAW_MESSAGE_HEADER, layouts().rawMessageHeader)
  const b = rawLayoutSample()
  const len = b.readUInt32LE(0)
  const done = decodeRecords(b.subarray(4, 4 + len))
  const events = decodeRecords(b.subarray(4 + len))
  const m1 = { type: 16, flags: 2, seq: 5, pid: 0, payload: Buffer.from([1, 2, 3]) }
  const m2 = { type: 0x1234, flags: 0x8002, seq: 0xfffffffe, pid: 77, payload: Buffer.alloc(0) }
  t.deepEqual(done, [
    { token: 7, kind: RawKind.Last, messages: [m1, m2] },
    {
      token: 8,
      kind: RawKind.Error,
      messages: [],
      error: { errno: 17, kind: 'kernel', text: 'File exists', detail: 'exists "here"', offset: 20 },
    },
    { token: 9, kind: RawKind.More, messages: [m2] },
  ])
  t.deepEqual(events, [
    { token: 0, kind: RawKind.Item, messages: [m1] },
    { token: 0, kind: RawKind.Existing, messages: [m2] },
    { token: 0, kind: RawKind.Overflow, messages: [] },
    { token: 0, kind: RawKind.End, messages: [] },
  ])
})
