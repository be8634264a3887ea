// routeListStream(): a route listing read at the consumer's pace, in batches. Checked against
// `ip -j route show table T`; breaking out early must release the listing.
//
// Routes in 10.210.0.0/16. What it owns in the shared namespace is its entry in support/registry.mjs.

import test from 'ava'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { routeList, routeListStream, open, NetlinkError } from '../index.js'
import { ipDo, ipRoutes } from './support/oracle.mjs'
import { namer } from './support/names.mjs'
import { veth } from './support/veth.mjs'
import { owned } from './support/registry.mjs'

const own = owned('routes-stream')
const name = namer(own.prefix)

/** Adds `n` /32 routes in `table` through `dev` with one `ip -batch`. */
function addRoutes(dev, table, n, third = 0) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nlkit-st-')), 'batch')
  const lines = []
  for (let i = 0; i < n; i++) lines.push(`route add 10.210.${third + (i >> 8)}.${i & 255}/32 dev ${dev} table ${table}`)
  fs.writeFileSync(file, `${lines.join('\n')}\n`)
  ipDo(['-batch', file])
  fs.rmSync(path.dirname(file), { recursive: true })
}

test('streams every route of a table in batches, equal to ip and to routeList', async (t) => {
  const { a } = await veth(t, name(), name(), { up: true })
  const T = own.table(0)
  addRoutes(a, T, 3000)
  t.teardown(() => ipDo(['route', 'flush', 'table', String(T)]))
  const batches = []
  for await (const batch of await routeListStream({ table: T })) {
    t.true(Array.isArray(batch) && batch.length > 0)
    batches.push(batch)
  }
  const streamed = batches.flat()
  t.true(batches.length > 1, `more than one batch (${batches.length})`)
  t.is(streamed.length, 3000)
  const fromIp = ipRoutes(T)
    .map((r) => r.dst)
    .sort()
  t.deepEqual(streamed.map((r) => r.dst).sort(), fromIp)
  for (const r of streamed) {
    t.is(r.table, T)
    t.is(r.dev, a)
    t.is(r.family, 4)
  }
  const listed = await routeList({ table: T })
  t.deepEqual(streamed.map((r) => JSON.stringify(r)).sort(), listed.map((r) => JSON.stringify(r)).sort())
})

test('filters by family and dev like routeList', async (t) => {
  const { a } = await veth(t, name(), name(), { up: true })
  const { a: b } = await veth(t, name(), name(), { up: true })
  const T = own.table(1)
  addRoutes(a, T, 300, 20)
  addRoutes(b, T, 200, 40)
  t.teardown(() => ipDo(['route', 'flush', 'table', String(T)]))
  let n = 0
  for await (const batch of await routeListStream({ table: T, dev: b, family: 4 })) {
    for (const r of batch) t.is(r.dev, b)
    n += batch.length
  }
  t.is(n, 200)
})

test('breaking out early releases the listing; a missing dev is ENODEV as routeListStream', async (t) => {
  const { a } = await veth(t, name(), name(), { up: true })
  const T = own.table(2)
  addRoutes(a, T, 3000, 60)
  t.teardown(() => ipDo(['route', 'flush', 'table', String(T)]))
  const stream = await routeListStream({ table: T })
  for await (const batch of stream) {
    t.true(batch.length > 0)
    break
  }
  t.deepEqual(await stream.next(), { value: undefined, done: true })
  const e = await t.throwsAsync(routeListStream({ dev: `${own.prefix}-missing` }), { instanceOf: NetlinkError })
  t.is(e.code, 'ENODEV')
  t.is(e.op, 'routeListStream')
  // A connection's stream works the same and close() twice is harmless.
  const c = open()
  const s = await c.routeListStream({ table: T })
  const first = await s.next()
  t.false(first.done)
  s.close()
  s.close()
  t.deepEqual(await s.next(), { value: undefined, done: true })
  c.close()
})
