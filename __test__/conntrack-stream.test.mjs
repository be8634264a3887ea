// conntrackListStream, the listing at the consumer's pace, in a namespace of its own: a few
// thousand entries made by nlkit read in batches, the same as conntrackList and conntrack -L.

import test from 'ava'
import { ctList } from './support/conntrack.mjs'
import { nsNamer } from './support/names.mjs'
import { nsConn } from './support/netns.mjs'
import { hasCommand } from './support/oracle.mjs'
import { owned } from './support/registry.mjs'

const own = owned('conntrack-stream')
const nsName = nsNamer(own.netns[0])
const t1 = hasCommand('conntrack') ? test : test.skip
if (!hasCommand('conntrack')) test('conntrack stream tests need the conntrack command (Debian package conntrack)', (t) => t.pass())

async function setup(t) {
  const ns = nsName()
  return { ns, c: await nsConn(t, ns) }
}

t1('conntrackListStream reads the table in batches: the same entries as conntrackList and conntrack -L', async (t) => {
  const { ns, c } = await setup(t)
  const N = 3000
  const made = []
  for (let i = 0; i < N; i++) {
    const orig = { src: '10.187.0.1', dst: `10.187.${1 + (i >> 8)}.${i & 0xff}`, sport: 7, dport: 7 }
    made.push(c.conntrackCreate({ protocol: i % 3 ? 'udp' : 'tcp', orig, timeout: 60, ...(i % 3 ? {} : { state: 'ESTABLISHED' }) }))
  }
  await Promise.all(made)
  let batches = 0
  const streamed = []
  for await (const batch of await c.conntrackListStream({ protocol: 'udp' })) {
    batches++
    streamed.push(...batch)
  }
  t.true(batches > 1, `${batches} batches`)
  const ids = (l) => l.map((e) => e.id).sort((a, b) => a - b)
  t.deepEqual(ids(streamed), ids(await c.conntrackList({ protocol: 'udp' })))
  t.deepEqual(ids(streamed), ids(ctList(ns, '-p', 'udp')))
  t.is(streamed.length, N - N / 3)
  // Stopped early, it lets the rest go.
  for await (const batch of await c.conntrackListStream()) {
    t.true(batch.length > 0)
    break
  }
  await t.throwsAsync(c.conntrackListStream({ protocol: 'udp' }, { colour: 1 }), { instanceOf: RangeError, message: /colour/ })
})
