// Routes: routeAdd / routeReplace / routeDel / routeList / routeGet / routeAddDefault /
// routeDelDefault against `ip -j -d [-6] route show table N` and `ip -j route get`.
// What it owns in the shared namespace is its entry in support/registry.mjs
// (10.40.0.0/16 ... 10.59.0.0/16 and 2001:db8:40::/48 ... 2001:db8:59::/48; tables 1000-1099 and
// one each below 256, above 65535 and near 2^32; it claims the main table's default routes, which
// only the test 'default routes in the main table' touches).

import test from 'ava'
import { routeAdd, routeReplace, routeDel, routeList, routeGet, routeAddDefault, routeDelDefault, addrAdd, NetlinkError } from '../index.js'
import { ip, ipTry, ipRoutes } from './support/oracle.mjs'
import { assertRoutesMatch } from './support/shapes.mjs'
import { namer } from './support/names.mjs'
import { veth } from './support/veth.mjs'
import { rejectsCode } from './support/assert.mjs'
import { flushTableAfter } from './support/cleanup.mjs'
import { owned } from './support/registry.mjs'

const own = owned('routes')
const name = namer(own.prefix)

/** A veth pair, both ends up, with addresses (IPv6 ones without DAD). */
async function pair(t, addrsA = [], addrsB = []) {
  const p = await veth(t, name(), name(), { up: true, noLinkLocal: true })
  for (const c of addrsA) await addrAdd(p.a, c, { nodad: c.includes(':') })
  for (const c of addrsB) await addrAdd(p.b, c, { nodad: c.includes(':') })
  return p
}

/** Flushes a route table (both families) in teardown. */
const table = flushTableAfter

async function assertTable(t, n, family, msg) {
  const mine = await routeList({ table: n, family })
  t.true(
    mine.every((r) => r.table === n && r.family === family),
    `table ${n} / family ${family} only`,
  )
  assertRoutesMatch(t, mine, ipRoutes(n, family), msg ?? `table ${n} IPv${family}`)
  return mine
}

test('IPv4 routeAdd / routeReplace / routeDel: gateway, dev, src, metric, scope, protocol', async (t) => {
  const T = table(t, own.table(0))
  const { a, b, ia } = await pair(t, ['10.40.0.1/24'])
  await routeAdd({ dst: '10.41.0.0/16', gateway: '10.40.0.2', table: T })
  await routeAdd({ dst: '10.41.1.0/24', gateway: '10.40.0.2', dev: a, src: '10.40.0.1', metric: 50, table: T })
  await routeAdd({ dst: '10.41.2.0/24', dev: ia, table: T })
  await routeAdd({ dst: '10.41.3.0/24', dev: a, scope: 'host', table: T })
  await routeAdd({ dst: '10.41.4.4', dev: a, protocol: 'static', table: T })
  await routeAdd({ dst: '10.41.5.0/24', dev: b, protocol: 77, metric: 0, table: T })
  await routeAdd({ dst: '10.41.6.0/24', gateway: '10.40.0.2', protocol: 'dhcp', scope: 'global', table: T })

  const want = ipRoutes(T, 4)
  const byDst = Object.fromEntries(want.map((r) => [r.dst, r]))
  t.is(want.length, 7)
  t.is(byDst['10.41.0.0/16'].gateway, '10.40.0.2')
  t.is(byDst['10.41.0.0/16'].dev, a)
  t.is(byDst['10.41.0.0/16'].protocol, 'boot', 'ip route add default protocol')
  t.is(byDst['10.41.0.0/16'].scope, 'global')
  t.is(byDst['10.41.1.0/24'].prefsrc, '10.40.0.1')
  t.is(byDst['10.41.1.0/24'].metric, 50)
  t.is(byDst['10.41.2.0/24'].scope, 'link')
  t.is(byDst['10.41.2.0/24'].dev, a)
  t.is(byDst['10.41.3.0/24'].scope, 'host')
  t.is(byDst['10.41.4.4'].protocol, 'static', 'host route printed without /32')
  t.is(byDst['10.41.5.0/24'].dev, b)
  t.is(byDst['10.41.5.0/24'].protocol, '77')
  t.is(byDst['10.41.6.0/24'].protocol, 'dhcp')
  const mine = await assertTable(t, T, 4)
  t.is(mine.find((r) => r.dst === '10.41.4.4').dstLen, 32)

  await rejectsCode(t, routeAdd({ dst: '10.41.0.0/16', gateway: '10.40.0.2', table: T }), 'EEXIST', 'routeAdd')

  // Replace changes the route in place.
  await routeReplace({ dst: '10.41.0.0/16', gateway: '10.40.0.3', metric: 0, table: T })
  let now = ipRoutes(T, 4).filter((r) => r.dst === '10.41.0.0/16')
  t.is(now.length, 1)
  t.is(now[0].gateway, '10.40.0.3')
  await routeReplace({ dst: '10.41.1.0/24', dev: b, metric: 50, table: T, protocol: 'static' })
  now = ipRoutes(T, 4).filter((r) => r.dst === '10.41.1.0/24')
  t.is(now.length, 1)
  t.is(now[0].dev, b)
  t.is(now[0].gateway, undefined)
  t.is(now[0].protocol, 'static')
  // Replace of a missing route creates it.
  await routeReplace({ dst: '10.41.7.0/24', dev: a, table: T })
  t.truthy(ipRoutes(T, 4).find((r) => r.dst === '10.41.7.0/24'))
  await assertTable(t, T, 4)

  for (const r of [
    { dst: '10.41.0.0/16' },
    { dst: '10.41.1.0/24', metric: 50 },
    { dst: '10.41.2.0/24', dev: a },
    { dst: '10.41.3.0/24' },
    { dst: '10.41.4.4/32' },
    { dst: '10.41.5.0/24', dev: b },
    { dst: '10.41.6.0/24', gateway: '10.40.0.2' },
    { dst: '10.41.7.0/24' },
  ]) {
    await routeDel({ ...r, table: T })
    t.false(
      ipRoutes(T, 4).some((x) => x.dst === r.dst.replace('/32', '')),
      `ip: ${r.dst} deleted`,
    )
  }
  t.deepEqual(ipRoutes(T, 4), [])
  t.deepEqual(await routeList({ table: T }), [])
  await rejectsCode(t, routeDel({ dst: '10.41.0.0/16', table: T }), 'ESRCH', 'routeDel')
})

test('IPv6 routeAdd / routeReplace / routeDel: gateway, dev, metric, protocol, src', async (t) => {
  const T = table(t, own.table(1))
  const { a, b } = await pair(t, ['2001:db8:42::1/64'])
  await routeAdd({ dst: '2001:db8:43::/48', gateway: '2001:db8:42::2', table: T })
  await routeAdd({ dst: '2001:db8:43:1::/64', gateway: '2001:db8:42::2', dev: a, metric: 7, table: T })
  await routeAdd({ dst: '2001:db8:43:2::/64', dev: b, protocol: 'static', table: T })
  await routeAdd({ dst: '2001:db8:43:3::3', dev: a, src: '2001:db8:42::1', table: T })

  const want = ipRoutes(T, 6)
  const byDst = Object.fromEntries(want.map((r) => [r.dst, r]))
  t.is(want.length, 4)
  t.is(byDst['2001:db8:43::/48'].gateway, '2001:db8:42::2')
  t.is(byDst['2001:db8:43::/48'].dev, a)
  t.is(byDst['2001:db8:43::/48'].metric, 1024, 'kernel default IPv6 metric')
  t.is(byDst['2001:db8:43:1::/64'].metric, 7)
  t.is(byDst['2001:db8:43:2::/64'].protocol, 'static')
  t.is(byDst['2001:db8:43:3::3'].prefsrc, '2001:db8:42::1')
  const mine = await assertTable(t, T, 6)
  t.true(mine.every((r) => r.pref === 'medium'))
  t.is(mine.find((r) => r.dst === '2001:db8:43:3::3').dstLen, 128)

  await rejectsCode(t, routeAdd({ dst: '2001:db8:43::/48', gateway: '2001:db8:42::2', table: T }), 'EEXIST')
  await routeReplace({ dst: '2001:db8:43::/48', gateway: '2001:db8:42::3', table: T })
  const now = ipRoutes(T, 6).filter((r) => r.dst === '2001:db8:43::/48')
  t.is(now.length, 1)
  t.is(now[0].gateway, '2001:db8:42::3')
  await assertTable(t, T, 6)

  await routeDel({ dst: '2001:db8:43::/48', table: T })
  await routeDel({ dst: '2001:db8:43:1::/64', gateway: '2001:db8:42::2', metric: 7, table: T })
  await routeDel({ dst: '2001:db8:43:2::/64', dev: b, table: T })
  await routeDel({ dst: '2001:db8:43:3::3/128', table: T })
  t.deepEqual(ipRoutes(T, 6), [])
  t.deepEqual(await routeList({ table: T, family: 6 }), [])
  await rejectsCode(t, routeDel({ dst: '2001:db8:43::/48', table: T }), 'ESRCH')
})

test('route types blackhole / unreachable / prohibit / throw (IPv4 and IPv6)', async (t) => {
  const T = table(t, own.table(2))
  for (const [i, type] of ['blackhole', 'unreachable', 'prohibit', 'throw'].entries()) {
    await routeAdd({ dst: `10.44.${i}.0/24`, type, table: T })
    await routeAdd({ dst: `2001:db8:44:${i}::/64`, type, table: T })
  }
  await routeAdd({ dst: '10.44.9.0/24', type: 6, table: T }) // numeric blackhole
  const v4 = ipRoutes(T, 4)
  const v6 = ipRoutes(T, 6)
  t.deepEqual(
    v4.map((r) => r.type),
    ['blackhole', 'unreachable', 'prohibit', 'throw', 'blackhole'],
  )
  t.deepEqual(v6.map((r) => r.type).sort(), ['blackhole', 'prohibit', 'throw', 'unreachable'])
  const m4 = await assertTable(t, T, 4)
  await assertTable(t, T, 6)
  t.deepEqual(
    m4.map((r) => r.type),
    ['blackhole', 'unreachable', 'prohibit', 'throw', 'blackhole'],
  )
  t.true(m4.every((r) => r.dev === undefined && r.gateway === undefined))

  await routeDel({ dst: '10.44.0.0/24', type: 'blackhole', table: T })
  await routeDel({ dst: '10.44.1.0/24', table: T })
  await routeDel({ dst: '2001:db8:44:0::/64', type: 'blackhole', table: T })
  t.deepEqual(
    ipRoutes(T, 4).map((r) => r.dst),
    ['10.44.2.0/24', '10.44.3.0/24', '10.44.9.0/24'],
  )
  t.false(ipRoutes(T, 6).some((r) => r.dst === '2001:db8:44::/64'))
  await assertTable(t, T, 4)
  await assertTable(t, T, 6)
})

test('table numbers: below 256, above 255, above 65535, near 2^32; table "all"', async (t) => {
  // One below 256, one of the first range, one above 65535, one near 2^32 (the registry's ranges).
  const tables = [own.table(0, 1), own.table(3), own.table(0, 2), own.table(0, 3)].map((n) => table(t, n))
  const { a } = await pair(t, ['10.45.0.1/24', '2001:db8:45::1/64'])
  for (const T of tables) {
    await routeAdd({ dst: '10.46.0.0/16', gateway: '10.45.0.2', table: T })
    await routeAdd({ dst: '2001:db8:46::/48', gateway: '2001:db8:45::2', table: T })
    await routeAdd({ dst: `10.47.${T % 251}.0/24`, dev: a, table: T })
  }
  for (const T of tables) {
    const v4 = await assertTable(t, T, 4)
    t.is(v4.length, 2, `table ${T}`)
    t.truthy(
      v4.find((r) => r.dst === `10.47.${T % 251}.0/24`),
      `table ${T} has its own route`,
    )
    const v6 = await assertTable(t, T, 6)
    t.is(v6.length, 1)
    const both = await routeList({ table: T })
    t.is(both.length, 3, 'no family filter: both families')
    t.true(both.every((r) => r.table === T))
  }
  const all = await routeList({ table: 'all', family: 4 })
  for (const T of tables) {
    t.truthy(
      all.find((r) => r.table === T && r.dst === '10.46.0.0/16'),
      `table all includes table ${T}`,
    )
  }
  t.truthy(
    all.find((r) => r.table === 255 && r.type === 'local' && r.dst === '10.45.0.1'),
    'and the local table',
  )
  t.true(all.every((r) => r.family === 4))
  for (const T of tables) await routeDel({ dst: '10.46.0.0/16', table: T })
  for (const T of tables) t.false(ipRoutes(T, 4).some((r) => r.dst === '10.46.0.0/16'))
  // Named tables: 'main' and 'local' are the kernel's 254 and 255.
  const local = await routeList({ table: 'local', family: 4, dev: a })
  t.true(local.length > 0 && local.every((r) => r.table === 255))
  assertRoutesMatch(t, local, ipRoutes('local', 4, ['dev', a]), 'table local, dev')
  const main = await routeList({ table: 'main', family: 4, dev: a })
  assertRoutesMatch(t, main, ipRoutes('main', 4, ['dev', a]), 'table main, dev')
})

test('routeList filters by table, family and dev (name or index)', async (t) => {
  const T = table(t, own.table(4))
  const { a, b, ia, ib } = await pair(t, ['10.48.0.1/24', '2001:db8:48::1/64'], ['10.48.1.1/24', '2001:db8:48:1::1/64'])
  await routeAdd({ dst: '10.49.0.0/24', dev: a, table: T })
  await routeAdd({ dst: '10.49.1.0/24', dev: b, table: T })
  await routeAdd({ dst: '10.49.2.0/24', gateway: '10.48.1.2', table: T })
  await routeAdd({ dst: '2001:db8:49::/64', dev: a, table: T })
  await routeAdd({ dst: '2001:db8:49:1::/64', gateway: '2001:db8:48:1::2', table: T })

  const onA = await routeList({ table: T, dev: a })
  t.deepEqual(onA.map((r) => r.dst).sort(), ['10.49.0.0/24', '2001:db8:49::/64'])
  t.true(onA.every((r) => r.oif === ia && r.dev === a))
  assertRoutesMatch(
    t,
    onA.filter((r) => r.family === 4),
    ipRoutes(T, 4, ['dev', a]),
  )
  assertRoutesMatch(
    t,
    onA.filter((r) => r.family === 6),
    ipRoutes(T, 6, ['dev', a]),
  )
  const onB4 = await routeList({ table: T, dev: ib, family: 4 })
  t.deepEqual(onB4.map((r) => r.dst).sort(), ['10.49.1.0/24', '10.49.2.0/24'])
  assertRoutesMatch(t, onB4, ipRoutes(T, 4, ['dev', b]))
  const v6 = await routeList({ table: T, family: 6 })
  t.true(v6.every((r) => r.family === 6))
  assertRoutesMatch(t, v6, ipRoutes(T, 6))
  // Main table for our links: the kernel's prefix routes, as ip lists them.
  const mainA = await routeList({ dev: a })
  t.true(mainA.every((r) => r.table === 254))
  t.truthy(mainA.find((r) => r.dst === '10.48.0.0/24' && r.protocol === 'kernel' && r.prefsrc === '10.48.0.1'))
  t.truthy(mainA.find((r) => r.dst === '2001:db8:48::/64' && r.protocol === 'kernel'))
  assertRoutesMatch(
    t,
    mainA.filter((r) => r.family === 4),
    ipRoutes('main', 4, ['dev', a]),
  )
  assertRoutesMatch(
    t,
    mainA.filter((r) => r.family === 6),
    ipRoutes('main', 6, ['dev', a]),
  )
})

test('routeGet matches `ip route get` (connected, via gateway, IPv6, from, oif)', async (t) => {
  const { a, b } = await pair(t, ['10.50.0.1/24', '2001:db8:50::1/64'], ['10.50.1.1/24', '2001:db8:50:1::1/64'])
  // Main table, but prefixes only this test uses.
  await routeAdd({ dst: '10.51.0.0/16', gateway: '10.50.0.2' })
  t.teardown(() => ipTry(['route', 'del', '10.51.0.0/16']))
  await routeAdd({ dst: '2001:db8:51::/48', gateway: '2001:db8:50::2' })
  t.teardown(() => ipTry(['-6', 'route', 'del', '2001:db8:51::/48']))

  const cases = [
    ['10.50.0.7', []],
    ['10.51.3.3', []],
    ['10.50.1.9', []],
    ['2001:db8:50::7', []],
    ['2001:db8:51::9', []],
    ['2001:db8:50:1::5', []],
  ]
  for (const [dst] of cases) {
    const [want] = ip(['route', 'get', dst])
    const r = await routeGet(dst)
    t.is(r.dst, want.dst, dst)
    t.is(r.dev, want.dev, `dev for ${dst}`)
    t.is(r.gateway, want.gateway, `gateway for ${dst}`)
    t.is(r.prefsrc, want.prefsrc, `prefsrc for ${dst}`)
    t.is(r.family, dst.includes(':') ? 6 : 4)
  }
  const g = await routeGet('10.51.3.3')
  t.is(g.gateway, '10.50.0.2')
  t.is(g.dev, a)
  t.is(g.prefsrc, '10.50.0.1')
  t.is((await routeGet('10.50.1.9')).dev, b)

  // With a source address and with an output interface.
  const [wf] = ip(['route', 'get', '10.51.3.3', 'from', '10.50.1.1'])
  const f = await routeGet('10.51.3.3', { from: '10.50.1.1' })
  t.is(f.dev, wf.dev)
  t.is(f.gateway, wf.gateway)
  const [wo] = ip(['route', 'get', '10.52.0.1', 'oif', b])
  const o = await routeGet('10.52.0.1', { oif: b })
  t.is(o.dev, wo.dev)
  t.is(o.dev, b)
  t.is(o.prefsrc, wo.prefsrc)
})

test('routeAddDefault / routeDelDefault in a table of our own (IPv4 and IPv6, metric, dev)', async (t) => {
  const T = table(t, own.table(5))
  // Gateways are on-link through a's prefixes (and not local addresses).
  const { a, b } = await pair(t, ['10.53.0.1/24', '2001:db8:53::1/64'])
  await routeAddDefault('10.53.0.2', { table: T })
  await routeAddDefault('10.53.0.3', { table: T, metric: 20, dev: a })
  await routeAddDefault('2001:db8:53::2', { table: T, dev: a })
  let v4 = ipRoutes(T, 4)
  t.deepEqual(
    v4.map((r) => [r.dst, r.gateway, r.dev, r.metric]),
    [
      ['default', '10.53.0.2', a, undefined],
      ['default', '10.53.0.3', a, 20],
    ],
  )
  const v6 = ipRoutes(T, 6)
  t.deepEqual(
    v6.map((r) => [r.dst, r.gateway, r.dev]),
    [['default', '2001:db8:53::2', a]],
  )
  const m4 = await assertTable(t, T, 4)
  t.true(m4.every((r) => r.dst === 'default' && r.dstLen === 0))
  await assertTable(t, T, 6)

  await routeDelDefault({ table: T, family: 6 })
  t.deepEqual(ipRoutes(T, 6), [])
  t.is(ipRoutes(T, 4).length, 2, 'IPv4 defaults untouched')
  await routeDelDefault({ table: T })
  v4 = ipRoutes(T, 4)
  t.is(v4.length, 1)
  await routeDelDefault({ table: T, dev: a })
  t.deepEqual(ipRoutes(T, 4), [])
  await rejectsCode(t, routeDelDefault({ table: T }), 'ESRCH', 'routeDel')
  t.truthy(b)
})

test.serial('default routes in the main table (IPv4 and IPv6), routeGet follows them', async (t) => {
  const { a } = await pair(t, ['10.54.0.1/24', '2001:db8:54::1/64'])
  t.teardown(() => {
    ipTry(['-4', 'route', 'del', 'default', 'via', '10.54.0.2'])
    ipTry(['-6', 'route', 'del', 'default', 'via', '2001:db8:54::2'])
  })
  t.deepEqual(ip(['-4', 'route', 'show', 'default']), [], 'no IPv4 default route to start with')
  t.deepEqual(ip(['-6', 'route', 'show', 'default']), [], 'no IPv6 default route to start with')
  const e = await t.throwsAsync(routeGet('192.0.2.200'), { instanceOf: NetlinkError })
  t.is(e.code, 'ENETUNREACH')
  t.false(ipTry(['route', 'get', '192.0.2.200']), 'ip agrees: unreachable')

  await routeAddDefault('10.54.0.2')
  await routeAddDefault('2001:db8:54::2')
  const [d4] = ip(['-4', 'route', 'show', 'default'])
  t.is(d4.gateway, '10.54.0.2')
  t.is(d4.dev, a)
  const [d6] = ip(['-6', 'route', 'show', 'default'])
  t.is(d6.gateway, '2001:db8:54::2')
  t.is(d6.dev, a)
  const mine = (await routeList()).filter((r) => r.dst === 'default')
  t.deepEqual(mine.map((r) => [r.family, r.gateway, r.dev, r.table]).sort(), [
    [4, '10.54.0.2', a, 254],
    [6, '2001:db8:54::2', a, 254],
  ])
  assertRoutesMatch(
    t,
    mine.filter((r) => r.family === 4),
    ipRoutes('main', 4, ['default']),
  )
  assertRoutesMatch(
    t,
    mine.filter((r) => r.family === 6),
    ipRoutes('main', 6, ['default']),
  )

  for (const dst of ['192.0.2.200', '2001:db8:ffff::1']) {
    const [want] = ip(['route', 'get', dst])
    const r = await routeGet(dst)
    t.is(r.gateway, want.gateway)
    t.is(r.dev, want.dev)
    t.is(r.prefsrc, want.prefsrc)
  }

  await routeDelDefault({ family: 6 })
  t.deepEqual(ip(['-6', 'route', 'show', 'default']), [])
  t.is(ip(['-4', 'route', 'show', 'default']).length, 1)
  await routeDelDefault()
  t.deepEqual(ip(['-4', 'route', 'show', 'default']), [])
})
