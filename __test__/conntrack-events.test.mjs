// Conntrack events (conntrackEvents) in namespaces of their own: entries made, changed and
// deleted with `conntrack -I/-U/-D` arrive as new / update / destroy events equal to what
// `conntrack -L` shows; `types` selects the groups; `listExisting` lists the table first;
// a burst past a small socket buffer and the monitor's queue shows as an overflow.

import test from 'ava'
import { execFileSync } from 'node:child_process'
import * as nl from '../index.js'
import { asExtended, conntrack, ctList } from './support/conntrack.mjs'
import { nsNamer } from './support/names.mjs'
import { nsConn } from './support/netns.mjs'
import { hasCommand } from './support/oracle.mjs'
import { owned } from './support/registry.mjs'

const own = owned('conntrack-events')
const nsName = nsNamer(own.netns[0])
const HAVE = hasCommand('conntrack')
const t1 = HAVE ? test : test.skip
if (!HAVE) test('conntrack event tests need the conntrack command (Debian package conntrack)', (t) => t.pass())

const insert = (ns, sport, ...extra) =>
  conntrack(
    ns,
    '-I',
    '-p',
    'tcp',
    '-s',
    '10.186.0.1',
    '-d',
    '10.186.0.2',
    '--sport',
    sport,
    '--dport',
    80,
    '--state',
    'ESTABLISHED',
    '-t',
    100,
    ...extra,
  )
const key = (sport) => ({ protocol: 'tcp', orig: { src: '10.186.0.1', dst: '10.186.0.2', sport, dport: 80 } })

/** The next `n` events (other than overflow), with a deadline so a missing one fails rather than hangs. */
async function take(sub, n) {
  const out = []
  const timer = setTimeout(() => sub.close(), 10000)
  for await (const ev of sub) {
    out.push(ev)
    if (out.length === n) break
  }
  clearTimeout(timer)
  return out
}

t1('conntrack -I, -U and -D arrive as new, update and destroy events, entries as conntrack -L shows them', async (t) => {
  const ns = nsName()
  const c = await nsConn(t, ns)
  // Timestamps: a destroy event says when the entry ended.
  execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.netfilter.nf_conntrack_timestamp=1'])
  const sub = await c.conntrackEvents()
  t.teardown(() => sub.close())
  insert(ns, 1000, '-m', 1)
  const [listed] = ctList(ns)
  conntrack(ns, '-U', '-p', 'tcp', '-s', '10.186.0.1', '--sport', 1000, '-m', 2)
  conntrack(ns, '-D', '-p', 'tcp', '-s', '10.186.0.1', '--sport', 1000)
  const [n, u, d] = await take(sub, 3)
  t.deepEqual([n.type, u.type, d.type], ['new', 'update', 'destroy'])
  // An event carries no use count (it is the kernel's, of the moment).
  const { use: _, ...want } = listed
  t.deepEqual({ ...asExtended(n.entry), timeout: listed.timeout }, want)
  t.is(u.entry.mark, 2)
  t.deepEqual([u.entry.id, d.entry.id], [listed.id, listed.id])
  t.deepEqual(d.entry.orig, listed.orig)
  // (Only destroy events carry counters and timestamps.)
  t.is(typeof d.entry.timestamp?.start, 'bigint')
  t.true(
    d.entry.timestamp.stop >= d.entry.timestamp.start,
    JSON.stringify(d.entry, (_, v) => (typeof v === 'bigint' ? String(v) : v)),
  )
})

t1('types selects the groups: destroy only', async (t) => {
  const ns = nsName()
  const c = await nsConn(t, ns)
  const sub = await c.conntrackEvents({ types: ['destroy'] })
  t.teardown(() => sub.close())
  insert(ns, 2000)
  insert(ns, 2001)
  await c.conntrackDelete(key(2001))
  await c.conntrackDelete(key(2000))
  const evs = await take(sub, 2)
  t.deepEqual(
    evs.map((e) => [e.type, e.entry.orig.sport]),
    [
      ['destroy', 2001],
      ['destroy', 2000],
    ],
  )
})

t1('listExisting lists the table first, then sync, then events', async (t) => {
  const ns = nsName()
  const c = await nsConn(t, ns)
  insert(ns, 3000)
  insert(ns, 3001)
  const sub = await c.conntrackEvents({ listExisting: true, types: ['new'] })
  t.teardown(() => sub.close())
  insert(ns, 3002)
  const evs = await take(sub, 4)
  t.deepEqual(
    evs.slice(0, 2).map((e) => [e.type, e.existing]),
    [
      ['new', true],
      ['new', true],
    ],
  )
  t.deepEqual(
    evs
      .slice(0, 2)
      .map((e) => e.entry.orig.sport)
      .sort(),
    [3000, 3001],
  )
  t.deepEqual(evs[2], { type: 'sync' })
  t.like(evs[3], { type: 'new', entry: { orig: { sport: 3002 } } })
  t.is(evs[3].existing, undefined)
})

t1('a burst past a small socket buffer and the queue shows as an overflow, then events go on', async (t) => {
  const ns = nsName()
  const c = await nsConn(t, ns)
  const sub = await c.conntrackEvents({ types: ['new'], bufferSize: 4096 })
  t.teardown(() => sub.close())
  // More than the monitor queues (8192 events) plus what 4 KiB of socket buffer holds.
  const N = 12000
  const made = []
  for (let i = 0; i < N; i++) {
    const dst = `10.186.${2 + (i >> 8)}.${i & 0xff}`
    made.push(c.conntrackCreate({ protocol: 'udp', orig: { src: '10.186.1.1', dst, sport: 1, dport: 2 }, timeout: 60 }))
  }
  await Promise.all(made)
  let overflow = false
  let news = 0
  const timer = setTimeout(() => sub.close(), 20000)
  for await (const ev of sub) {
    if (ev.type === 'overflow') overflow = true
    else news++
    if (overflow && news > 0) break
  }
  clearTimeout(timer)
  t.true(overflow, 'an overflow')
  t.true(news < N, `${news} of ${N} events`)
  t.is(await c.conntrackCount(), N)
  // The module-level function is the default connection's (this process's namespace: none here).
  t.is(typeof nl.conntrackEvents, 'function')
})

t1(
  "subscribe(['conntrack', 'link'], { listExisting }): existing entries, then events, beside link events; after an overflow the table is listed again",
  async (t) => {
    const ns = nsName()
    const c = await nsConn(t, ns)
    insert(ns, 4000)
    const sub = c.subscribe(['conntrack', 'link'], { listExisting: true, bufferSize: 4096 })
    t.teardown(() => sub.close())
    await sub.ready()
    insert(ns, 4001)
    const seen = []
    for await (const ev of sub) {
      if (ev.type === 'conntrack') seen.push([ev.action, ev.entry.orig.sport, ev.existing ?? false])
      if (seen.length === 2) break
    }
    t.deepEqual(seen, [
      ['new', 4000, true],
      ['new', 4001, false],
    ])

    const s2 = c.subscribe(['conntrack'], { listExisting: true, bufferSize: 4096 })
    t.teardown(() => s2.close())
    await s2.ready()
    const N = 12000
    const made = []
    for (let i = 0; i < N; i++) {
      const dst = `10.186.${100 + (i >> 8)}.${i & 0xff}`
      made.push(c.conntrackCreate({ protocol: 'udp', orig: { src: '10.186.1.1', dst, sport: 1, dport: 2 }, timeout: 60 }))
    }
    await Promise.all(made)
    let overflow
    let relisted = 0
    const timer = setTimeout(() => s2.close(), 30000)
    for await (const ev of s2) {
      if (ev.type === 'overflow') overflow = ev
      else if (overflow && ev.existing) relisted++
      if (relisted === N + 2) break
    }
    clearTimeout(timer)
    t.deepEqual(overflow, { type: 'overflow', group: 'conntrack' })
    t.is(relisted, N + 2, 'the whole table, listed again after the loss')
  },
)
