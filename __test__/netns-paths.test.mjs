// A namespace given by path is opened without blocking and checked to be a network namespace:
// a FIFO (which a plain open would block on forever, on the JavaScript thread), a regular file
// and another kind of namespace are refused with a RangeError, while timers keep running. What
// this file owns is its entry in support/registry.mjs.

import test from 'ava'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as nl from '../index.js'
import { ipLink } from './support/oracle.mjs'
import { namer } from './support/names.mjs'
import { owned } from './support/registry.mjs'
import { veth } from './support/veth.mjs'

const own = owned('netns-paths')
const name = namer(own.prefix)

function paths(t) {
  const dir = mkdtempSync(join(tmpdir(), 'nlkit-ns-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const fifo = join(dir, 'fifo')
  execFileSync('mkfifo', [fifo])
  const file = join(dir, 'file')
  writeFileSync(file, 'not a namespace')
  return { fifo, file, uts: '/proc/self/ns/uts' }
}

test('open, subscribe and linkSetNetns refuse a FIFO, a file and a UTS namespace without blocking', async (t) => {
  const { fifo, file, uts } = paths(t)
  let ticks = 0
  const timer = setInterval(() => ticks++, 1)
  t.teardown(() => clearInterval(timer))
  for (const p of [fifo, file]) {
    t.throws(() => nl.open({ netns: p }), { instanceOf: RangeError, message: /is not a network namespace/ })
    t.throws(() => nl.subscribe(['link'], { netns: p }), { instanceOf: RangeError, message: /is not a network namespace/ })
  }
  t.throws(() => nl.open({ netns: uts }), { instanceOf: RangeError, message: /not a network namespace/ })
  const { a } = await veth(t, name(), name())
  await t.throwsAsync(nl.linkSetNetns(a, fifo), { instanceOf: RangeError, message: /is not a network namespace/ })
  t.truthy(ipLink(a), 'the link stayed')
  await new Promise((r) => setTimeout(r, 20))
  t.true(ticks > 0, 'the event loop kept turning')
  // A real one still works.
  const c = nl.open({ netns: '/proc/self/ns/net' })
  t.is((await c.linkGet('lo')).name, 'lo')
  c.close()
})
