// The link-name cache: a request that names a link must reach the link that has that name when
// the request is made, whatever happened to names since (renames, deletions, re-creations,
// moves to another namespace), by nlkit on the same connection or by anyone else. The requests
// are address adds (links stay down: a link cannot be renamed while up), each checked against
// `ip -j addr show` by the index of the link that got the address.
// What it owns in the shared namespace is its entry in support/registry.mjs.

import test from 'ava'
import { randomBytes } from 'node:crypto'
import * as nl from '../index.js'
import { ip, ipDo, ipTry, ipLink } from './support/oracle.mjs'
import { namer } from './support/names.mjs'
import { veth } from './support/veth.mjs'
import { rejectsCode } from './support/assert.mjs'
import { owned } from './support/registry.mjs'

const own = owned('links-name-cache')
const name = namer(own.prefix)

/** The ifindex of the link that has address `a` (a /32), from ip. */
function holder(a) {
  return ip(['-4', 'addr', 'show']).find((l) => l.addr_info.some((x) => x.local === a))?.ifindex
}

const add = (a, dev) => nl.addrAdd(dev, `${a}/32`)

test('a name taken over by another link after a rename (by ip) reaches its new holder', async (t) => {
  const p = await veth(t, name(), name())
  await add('10.211.0.1', p.a)
  t.is(holder('10.211.0.1'), p.ia)
  // Swap the names: p.a's name now belongs to the other end.
  const tmp = name()
  ipDo(['link', 'set', 'dev', p.a, 'name', tmp])
  ipDo(['link', 'set', 'dev', p.b, 'name', p.a])
  ipDo(['link', 'set', 'dev', tmp, 'name', p.b])
  await add('10.211.0.2', p.a)
  t.is(holder('10.211.0.2'), p.ib, 'the link now called p.a is the former p.b')
  await add('10.211.0.3', p.b)
  t.is(holder('10.211.0.3'), p.ia)
})

test('renames made through nlkit on the same connection, many times in a row', async (t) => {
  const p = await veth(t, name(), name())
  const tmp = name()
  const idx = { [p.a]: p.ia, [p.b]: p.ib }
  for (let i = 0; i < 40; i++) {
    // Alternately route by each name, then swap the names.
    const dst = `10.211.1.${i}`
    const dev = i % 2 ? p.a : p.b
    await add(dst, dev)
    t.is(holder(dst), idx[dev], `round ${i}: ${dev}`)
    await nl.linkSetName(p.a, tmp)
    await nl.linkSetName(p.b, p.a)
    await nl.linkSetName(tmp, p.b)
    ;[idx[p.a], idx[p.b]] = [idx[p.b], idx[p.a]]
  }
})

test('a link deleted and created again under the same name (a new index) is found', async (t) => {
  const a = name()
  const b = name()
  const first = await veth(t, a, b)
  await add('10.211.2.1', a)
  t.is(holder('10.211.2.1'), first.ia)
  ipDo(['link', 'del', 'dev', a])
  await rejectsCode(t, add('10.211.2.2', a), 'ENODEV')
  const second = await veth(t, a, b)
  t.not(second.ia, first.ia)
  await add('10.211.2.3', a)
  t.is(holder('10.211.2.3'), second.ia)
})

test('a link moved to another namespace is not found here; one created with its name is', async (t) => {
  const ns = `${own.netns[0]}${randomBytes(3).toString('hex')}`
  await nl.netnsCreate(ns)
  t.teardown(() => nl.netnsDelete(ns).catch(() => {}))
  const a = name()
  const b = name()
  const p = await veth(t, a, b)
  await add('10.211.3.1', a)
  t.is(holder('10.211.3.1'), p.ia)
  await nl.linkSetNetns(a, { name: ns })
  await rejectsCode(t, add('10.211.3.2', a), 'ENODEV')
  const c = await veth(t, a, name())
  await add('10.211.3.3', a)
  t.is(holder('10.211.3.3'), c.ia)
})

test('concurrent requests by name while another process renames links: each lands on a link that had the name', async (t) => {
  const p = await veth(t, name(), name())
  const tmp = name()
  const holders = new Set([p.ia, p.ib])
  for (let round = 0; round < 10; round++) {
    const calls = []
    for (let i = 0; i < 50; i++) calls.push(add(`10.211.${4 + round}.${i}`, p.a).catch((e) => e))
    // The swap runs while those are in flight: some may find no link by that name (ENODEV).
    ipTry(['link', 'set', 'dev', p.a, 'name', tmp])
    ipTry(['link', 'set', 'dev', p.b, 'name', p.a])
    ipTry(['link', 'set', 'dev', tmp, 'name', p.b])
    const res = await Promise.all(calls)
    for (const [i, r] of res.entries()) {
      if (r instanceof Error) t.is(r.code, 'ENODEV', String(r))
      else t.true(holders.has(holder(`10.211.${4 + round}.${i}`)))
    }
    // After the swap has returned, a new request must see it.
    const dst = `10.211.20.${round}`
    await add(dst, p.a)
    t.is(holder(dst), ipLink(p.a).ifindex, `round ${round}: after the swap`)
  }
})
