// 1,000 concurrent calls, each answered correctly. What it owns in the shared namespace is its
// entry in support/registry.mjs (destinations 10.70.0.0/16 and 10.71.0.0/16, tables).

import test from 'ava'
import { routeAdd, routeDel, linkGet, routeGet, addrAdd, addrList, open, NetlinkError } from '../index.js'
import { ip, ipTry, ipLink, ipRoutes, ipAddrs } from './support/oracle.mjs'
import { namer } from './support/names.mjs'
import { veth } from './support/veth.mjs'
import { owned } from './support/registry.mjs'

const own = owned('engine-concurrency')
const name = namer(own.prefix)
const hosts = (n, second) => Array.from({ length: n }, (_, i) => `10.${second}.${Math.floor(i / 250)}.${(i % 250) + 1}`)

test('1,000 concurrent routeAdd then 1,000 concurrent routeDel, verified with ip', async (t) => {
  const T = own.table(0)
  t.teardown(() => ipTry(['route', 'flush', 'table', String(T)]))
  const { a } = await veth(t, name(), name(), { up: true, noLinkLocal: true })
  const dsts = hosts(1000, 70)
  const added = await Promise.allSettled(dsts.map((d) => routeAdd({ dst: `${d}/32`, dev: a, table: T })))
  t.deepEqual(
    added.filter((r) => r.status === 'rejected').map((r) => r.reason.message),
    [],
    'every add succeeded',
  )

  const want = ipRoutes(T, 4)
  t.is(want.length, 1000)
  t.deepEqual(new Set(want.map((r) => r.dst)), new Set(dsts))
  t.true(want.every((r) => r.dev === a && r.scope === 'link' && r.protocol === 'boot'))

  const deleted = await Promise.allSettled(dsts.map((d) => routeDel({ dst: `${d}/32`, table: T })))
  t.deepEqual(
    deleted.filter((r) => r.status === 'rejected').map((r) => r.reason.message),
    [],
  )
  t.deepEqual(ipRoutes(T, 4), [])
})

test('1,000 concurrent linkGet of existing and missing links: each gets its own answer', async (t) => {
  const { a, b } = await veth(t, name(), name())
  const present = [a, b, 'lo'].map((n) => ({ name: n, index: ipLink(n).ifindex }))
  const calls = Array.from({ length: 1000 }, (_, i) => {
    const p = present[i % 3]
    switch (i % 4) {
      case 0:
        return { ref: p.name, want: p }
      case 1:
        return { ref: p.index, want: p }
      case 2:
        return { ref: `${own.prefix}miss${i}`, want: null }
      default:
        return { ref: 0x7fffffff - i, want: null }
    }
  })
  const results = await Promise.allSettled(calls.map((c) => linkGet(c.ref)))
  let ok = 0
  let missing = 0
  for (const [i, r] of results.entries()) {
    const c = calls[i]
    if (c.want) {
      if (r.status !== 'fulfilled') {
        t.fail(`linkGet(${c.ref}) rejected: ${r.reason}`)
        continue
      }
      if (r.value.name !== c.want.name || r.value.index !== c.want.index) {
        t.fail(`linkGet(${c.ref}) answered ${r.value.name}/${r.value.index}`)
        continue
      }
      ok++
    } else {
      const e = r.reason
      if (r.status !== 'rejected' || !(e instanceof NetlinkError) || e.code !== 'ENODEV' || e.errno !== 19 || e.op !== 'linkGet') {
        t.fail(`linkGet(${c.ref}) should be ENODEV: ${r.status} ${e}`)
        continue
      }
      if (!e.message.startsWith(`linkGet ${c.ref}:`)) {
        t.fail(`message names the link: ${e.message}`)
        continue
      }
      missing++
    }
  }
  t.is(ok, 500)
  t.is(missing, 500)
})

test('1,000 concurrent mixed calls on an open() connection (routeAdd, duplicates, linkGet, routeGet, addrList)', async (t) => {
  const T = own.table(1)
  t.teardown(() => ipTry(['route', 'flush', 'table', String(T)]))
  const { a, ia } = await veth(t, name(), name(), { up: true, noLinkLocal: true })
  await addrAdd(a, '10.71.255.1/24')
  const c = open()
  t.teardown(() => c.close())
  const dsts = hosts(600, 71).slice(0, 600)
  const jobs = []
  for (let i = 0; i < 1000; i++) {
    if (i < 600) jobs.push(['add', dsts[i], c.routeAdd({ dst: dsts[i], dev: ia, table: T, metric: i })])
    else if (i < 700) jobs.push(['dup', dsts[i - 600], c.routeAdd({ dst: dsts[i - 600], dev: ia, table: T, metric: i - 600 })])
    else if (i < 800) jobs.push(['link', null, c.linkGet(i % 2 ? a : ia)])
    else if (i < 900) jobs.push(['get', null, c.routeGet(`10.71.255.${i - 790}`)])
    else jobs.push(['addr', null, c.addrList({ link: a, family: 4 })])
  }
  const settled = await Promise.allSettled(jobs.map((j) => j[2]))
  const byDst = new Map()
  settled.forEach((r, i) => {
    const [kind, dst] = jobs[i]
    if (kind === 'add' || kind === 'dup') {
      const l = byDst.get(dst) ?? []
      l.push(r)
      byDst.set(dst, l)
    } else if (kind === 'link') {
      t.is(r.status, 'fulfilled')
      t.is(r.value?.index, ia)
      t.is(r.value?.name, a)
    } else if (kind === 'get') {
      t.is(r.status, 'fulfilled')
      t.is(r.value?.dev, a)
      t.is(r.value?.prefsrc, '10.71.255.1')
    } else {
      t.is(r.status, 'fulfilled')
      t.deepEqual(
        r.value?.map((x) => x.cidr),
        ['10.71.255.1/24'],
      )
    }
  })
  // Each duplicated destination: exactly one add won, the other got EEXIST.
  for (const [dst, rs] of byDst) {
    const won = rs.filter((r) => r.status === 'fulfilled').length
    const lost = rs.filter((r) => r.status === 'rejected')
    t.is(won, 1, `one add of ${dst} succeeded`)
    t.true(
      lost.every((r) => r.reason.code === 'EEXIST'),
      `${dst}: ${lost.map((r) => r.reason.code)}`,
    )
  }
  const want = ipRoutes(T, 4)
  t.is(want.length, 600)
  const metric = new Map(want.map((r) => [r.dst, r.metric ?? 0]))
  t.true(
    dsts.every((d, i) => metric.get(d) === i),
    'every route with its own metric',
  )
  t.deepEqual(
    ipAddrs(a, 4).map((x) => x.local),
    ['10.71.255.1'],
  )
  t.deepEqual(
    (await addrList({ link: a })).map((x) => x.cidr),
    ['10.71.255.1/24'],
  )
  t.is((await routeGet('10.71.255.200')).dev, ip(['route', 'get', '10.71.255.200'])[0].dev)
})
