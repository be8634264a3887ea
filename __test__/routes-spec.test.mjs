// Routes beyond the basics: multipath (ECMP with weights), metrics, types (blackhole, unreachable,
// prohibit, throw, local, broadcast), IPv6 specifics (pref, default metric 1024), onlink,
// routeAppend, and routeGet with from / iif / oif / mark; each against `ip -j -d route show
// table T` and `ip -j route get`.
//
// What it owns in the shared namespace is its entry in support/registry.mjs
// (10.152.0.0/16, 2001:db8:152::/48, twenty tables above 255, a rule priority, marks).

import test from 'ava'
import { writeFileSync } from 'node:fs'
import * as nl from '../index.js'
import { ip, ipDo, ipTry } from './support/oracle.mjs'
import { ipRouteFull, nlRouteFull, sorted } from './support/shapes.mjs'
import { namer } from './support/names.mjs'
import { veth } from './support/veth.mjs'
import { flushTableAfter } from './support/cleanup.mjs'
import { owned } from './support/registry.mjs'

const { routeAdd, routeAppend, routeDel, routeList, routeGet, addrAdd, NetlinkError } = nl
const own = owned('routes-spec')
const name = namer(own.prefix)
let tableSeq = 0

/** A fresh table for one test, flushed in teardown. */
function table(t) {
  return flushTableAfter(t, own.table(tableSeq++))
}

/** Two veth pairs (x: 10.152.N.0/24, y: 10.152.N+1.0/24, and IPv6 /64s), all ends up. */
let subnet = 0
async function links(t) {
  const n = (subnet += 2)
  const x = await veth(t, name(), name(), { up: true, noLinkLocal: true })
  const y = await veth(t, name(), name(), { up: true, noLinkLocal: true })
  await addrAdd(x.a, `10.152.${n}.1/24`)
  await addrAdd(y.a, `10.152.${n + 1}.1/24`)
  await addrAdd(x.a, `2001:db8:152:${n}::1/64`, { nodad: true })
  await addrAdd(y.a, `2001:db8:152:${n + 1}::1/64`, { nodad: true })
  return { x: x.a, y: y.a, ix: x.ia, iy: y.ia, n }
}

/** `ip -j -d [-4|-6] route show table T [selector...]` ([] when the table does not exist). */
function ipTable(T, family, extra = []) {
  try {
    return ip(['-d', family === 6 ? '-6' : '-4', 'route', 'show', 'table', String(T), ...extra])
  } catch (e) {
    if (/FIB table does not exist/.test(String(e.stderr))) return []
    throw e
  }
}

/** nlkit's routes of table T equal ip's, nexthops and metrics included. */
async function assertTable(t, T, family, msg = `table ${T} IPv${family}`) {
  const mine = await routeList({ table: T, family })
  t.true(
    mine.every((r) => r.table === T && r.family === family),
    `${msg}: only table ${T}`,
  )
  t.deepEqual(sorted(mine.map(nlRouteFull)), sorted(ipTable(T, family).map(ipRouteFull)), msg)
  return mine
}

test('ECMP: nexthops with weights, as ip shows them (nexthops: gateway, dev, weight); routeDel removes it', async (t) => {
  const T = table(t)
  const { x, y, n } = await links(t)
  await routeAdd({
    dst: '10.152.100.0/24',
    table: T,
    nexthops: [
      { gateway: `10.152.${n}.2`, dev: x, weight: 3 },
      { gateway: `10.152.${n + 1}.2`, dev: y, weight: 1 },
    ],
  })
  const [r] = ipTable(T, 4)
  t.deepEqual(
    r.nexthops.map((h) => [h.gateway, h.dev, h.weight]),
    [
      [`10.152.${n}.2`, x, 3],
      [`10.152.${n + 1}.2`, y, 1],
    ],
  )
  const [mine] = await assertTable(t, T, 4)
  t.is(mine.gateway, undefined)
  t.is(mine.dev, undefined)
  t.deepEqual(
    mine.nexthops.map((h) => h.weight),
    [3, 1],
  )
  t.is(mine.nexthops[0].oif, (await nl.linkGet(x)).index)

  // Nexthops by interface index, no weight (1), dev-only paths.
  await routeAdd({ dst: '10.152.101.0/24', table: T, nexthops: [{ dev: x }, { dev: y }] })
  await assertTable(t, T, 4)
  t.deepEqual(
    ipTable(T, 4, ['10.152.101.0/24'])[0].nexthops.map((h) => [h.dev, h.weight]),
    [
      [x, 1],
      [y, 1],
    ],
  )

  await routeDel({ dst: '10.152.100.0/24', table: T })
  t.deepEqual(
    ipTable(T, 4).map((r) => r.dst),
    ['10.152.101.0/24'],
  )
})

test('ECMP IPv6 (nexthops with gateways) as ip shows it', async (t) => {
  const T = table(t)
  const { x, y, n } = await links(t)
  await routeAdd({
    dst: '2001:db8:152:f0::/64',
    table: T,
    nexthops: [
      { gateway: `2001:db8:152:${n}::2`, dev: x },
      { gateway: `2001:db8:152:${n + 1}::2`, dev: y },
    ],
  })
  const [r] = ipTable(T, 6)
  t.is(r.nexthops.length, 2)
  t.is(r.metric, 1024)
  await assertTable(t, T, 6)
})

test('metrics (mtu, advmss, hoplimit, initcwnd, lock) as ip shows them', async (t) => {
  const T = table(t)
  const { x, n } = await links(t)
  await routeAdd({ dst: '10.152.110.0/24', dev: x, table: T, metrics: { mtu: 1400, advmss: 1360 } })
  await routeAdd({ dst: '10.152.111.0/24', gateway: `10.152.${n}.2`, table: T, metrics: { hoplimit: 32, initcwnd: 10, initrwnd: 20 } })
  await routeAdd({ dst: '2001:db8:152:f1::/64', dev: x, table: T, metrics: { mtu: 1300 } })
  const [a] = ipTable(T, 4, ['10.152.110.0/24'])
  t.deepEqual(Object.assign({}, ...a.metrics), { mtu: 1400, advmss: 1360 })
  const mine = await assertTable(t, T, 4)
  t.deepEqual(mine.find((r) => r.dst === '10.152.110.0/24').metrics, { mtu: 1400, advmss: 1360 })
  t.deepEqual(mine.find((r) => r.dst === '10.152.111.0/24').metrics, { hoplimit: 32, initcwnd: 10, initrwnd: 20 })
  const [six] = await assertTable(t, T, 6)
  t.deepEqual(six.metrics, { mtu: 1300 })

  // A locked metric: ip's JSON drops the lock, its text says `mtu lock 1400`.
  const T2 = table(t)
  await routeAdd({ dst: '10.152.112.0/24', dev: x, table: T2, metrics: { mtu: 1400, lock: 1 << 2 } })
  t.regex(ipDo(['route', 'show', 'table', String(T2)]), /mtu lock 1400/)
  const [locked] = await routeList({ table: T2, family: 4 })
  t.deepEqual(locked.metrics, { mtu: 1400, lock: 1 << 2 })
})

test('types blackhole, unreachable, prohibit, throw (no device), local and broadcast (with a device), IPv4 and IPv6', async (t) => {
  const T = table(t)
  const { x } = await links(t)
  const v4 = { blackhole: '10.152.120.0/24', unreachable: '10.152.121.0/24', prohibit: '10.152.122.0/24', throw: '10.152.123.0/24' }
  for (const [type, dst] of Object.entries(v4)) await routeAdd({ dst, type, table: T })
  await routeAdd({ dst: '10.152.124.1', type: 'local', dev: x, table: T })
  await routeAdd({ dst: '10.152.125.255', type: 'broadcast', dev: x, table: T })
  const v6 = {
    blackhole: '2001:db8:152:f2::/64',
    unreachable: '2001:db8:152:f3::/64',
    prohibit: '2001:db8:152:f4::/64',
    throw: '2001:db8:152:f5::/64',
  }
  for (const [type, dst] of Object.entries(v6)) await routeAdd({ dst, type, table: T })

  const got = ipTable(T, 4)
  for (const [type, dst] of Object.entries(v4)) t.is(got.find((r) => r.dst === dst)?.type, type, `ip: ${dst} ${type}`)
  t.like(
    got.find((r) => r.dst === '10.152.124.1'),
    { type: 'local', dev: x, scope: 'host' },
  )
  t.like(
    got.find((r) => r.dst === '10.152.125.255'),
    { type: 'broadcast', dev: x, scope: 'link' },
  )
  const mine = await assertTable(t, T, 4)
  t.like(
    mine.find((r) => r.dst === '10.152.124.1'),
    { type: 'local', dev: x, dstLen: 32 },
  )
  const got6 = ipTable(T, 6)
  for (const [type, dst] of Object.entries(v6)) t.is(got6.find((r) => r.dst === dst)?.type, type, `ip: ${dst} ${type}`)
  await assertTable(t, T, 6)

  // routeDel with the type removes exactly that one.
  await routeDel({ dst: v4.prohibit, type: 'prohibit', table: T })
  t.false(ipTable(T, 4).some((r) => r.dst === v4.prohibit))
  await assertTable(t, T, 4)
})

test('IPv6: default metric 1024, pref high / low / medium, as ip shows them', async (t) => {
  const T = table(t)
  const { x, n } = await links(t)
  await routeAdd({ dst: '2001:db8:152:e0::/64', gateway: `2001:db8:152:${n}::2`, dev: x, table: T, pref: 'high' })
  await routeAdd({ dst: '2001:db8:152:e1::/64', gateway: `2001:db8:152:${n}::2`, dev: x, table: T, pref: 'low' })
  await routeAdd({ dst: '2001:db8:152:e2::/64', dev: x, table: T })
  await routeAdd({ dst: '2001:db8:152:e3::/64', dev: x, table: T, metric: 7 })
  const got = Object.fromEntries(ipTable(T, 6).map((r) => [r.dst, r]))
  t.is(got['2001:db8:152:e0::/64'].pref, 'high')
  t.is(got['2001:db8:152:e1::/64'].pref, 'low')
  t.is(got['2001:db8:152:e2::/64'].pref, 'medium')
  t.is(got['2001:db8:152:e2::/64'].metric, 1024, 'default metric')
  t.is(got['2001:db8:152:e3::/64'].metric, 7)
  const mine = Object.fromEntries((await assertTable(t, T, 6)).map((r) => [r.dst, r]))
  t.is(mine['2001:db8:152:e0::/64'].pref, 'high')
  t.is(mine['2001:db8:152:e2::/64'].metric, 1024)
})

test('onlink: a gateway outside every prefix, IPv4 and IPv6 (ip flags onlink)', async (t) => {
  const T = table(t)
  const { x } = await links(t)
  const e = await t.throwsAsync(routeAdd({ dst: '10.152.130.0/24', gateway: '192.0.2.1', dev: x, table: T }), { instanceOf: NetlinkError })
  t.truthy(e.code, 'without onlink the kernel refuses it')
  await routeAdd({ dst: '10.152.130.0/24', gateway: '192.0.2.1', dev: x, table: T, onlink: true })
  await routeAdd({ dst: '2001:db8:152:d0::/64', gateway: '2001:db8:ffff::1', dev: x, table: T, onlink: true })
  t.deepEqual(ipTable(T, 4)[0].flags, ['onlink'])
  t.deepEqual(ipTable(T, 6)[0].flags, ['onlink'])
  t.deepEqual((await assertTable(t, T, 4))[0].flags, ['onlink'])
  await assertTable(t, T, 6)
  // Per-nexthop onlink.
  await routeAdd({
    dst: '10.152.131.0/24',
    table: T,
    nexthops: [
      { gateway: '192.0.2.2', dev: x, onlink: true },
      { gateway: '192.0.2.3', dev: x, onlink: true },
    ],
  })
  const [mp] = ipTable(T, 4, ['10.152.131.0/24'])
  t.deepEqual(
    mp.nexthops.map((h) => h.flags),
    [['onlink'], ['onlink']],
  )
  await assertTable(t, T, 4)
})

test('routeAppend: two IPv4 routes to one destination (different devices and metrics); routeAdd of a third is EEXIST', async (t) => {
  const T = table(t)
  const { x, y } = await links(t)
  await routeAdd({ dst: '10.152.140.0/24', dev: x, metric: 10, table: T })
  await routeAppend({ dst: '10.152.140.0/24', dev: y, metric: 20, table: T })
  const got = ipTable(T, 4, ['10.152.140.0/24'])
  t.deepEqual(got.map((r) => [r.dev, r.metric]).sort(), [
    [x, 10],
    [y, 20],
  ])
  await assertTable(t, T, 4)
  // Same dst and metric as the first, other device: routeAdd refuses (EEXIST), routeAppend adds.
  const e = await t.throwsAsync(routeAdd({ dst: '10.152.140.0/24', dev: y, metric: 10, table: T }), { instanceOf: NetlinkError })
  t.is(e.code, 'EEXIST')
  await routeAppend({ dst: '10.152.140.0/24', dev: y, metric: 10, table: T })
  t.is(ipTable(T, 4, ['10.152.140.0/24']).length, 3)
  await assertTable(t, T, 4)
  // routeDel names one of them.
  await routeDel({ dst: '10.152.140.0/24', dev: y, metric: 20, table: T })
  t.deepEqual(
    ipTable(T, 4, ['10.152.140.0/24'])
      .map((r) => [r.dev, r.metric])
      .sort(),
    [
      [x, 10],
      [y, 10],
    ],
  )
})

test('routeAppend IPv6: a second path turns the route into a multipath one (ip nexthops)', async (t) => {
  const T = table(t)
  const { x, y, n } = await links(t)
  await routeAdd({ dst: '2001:db8:152:c0::/64', gateway: `2001:db8:152:${n}::2`, dev: x, table: T })
  await routeAppend({ dst: '2001:db8:152:c0::/64', gateway: `2001:db8:152:${n + 1}::2`, dev: y, table: T })
  const [r] = ipTable(T, 6)
  t.deepEqual(
    r.nexthops.map((h) => [h.gateway, h.dev]),
    [
      [`2001:db8:152:${n}::2`, x],
      [`2001:db8:152:${n + 1}::2`, y],
    ],
  )
  const [mine] = await assertTable(t, T, 6)
  t.is(mine.nexthops.length, 2)
  t.is(mine.metric, 1024)
})

/** ip's route get answer, in the fields both report. */
function ipGet(args) {
  const [r] = ip(['route', 'get', ...args])
  return r
}

test('routeGet(dst, { from, oif, mark }) vs ip route get', async (t) => {
  const { x, y, ix, n } = await links(t)
  const dst = `10.152.${n}.2`
  const cases = [
    [{}, []],
    [{ from: `10.152.${n}.1` }, ['from', `10.152.${n}.1`]],
    [{ oif: x }, ['oif', x]],
    [{ oif: ix }, ['oif', x]],
    [{ mark: 7 }, ['mark', '7']],
    [{ from: `10.152.${n}.1`, oif: x, mark: 0x42 }, ['from', `10.152.${n}.1`, 'oif', x, 'mark', String(0x42)]],
  ]
  for (const [opts, args] of cases) {
    const mine = await routeGet(dst, opts)
    const want = ipGet([dst, ...args])
    const m = JSON.stringify(opts)
    t.is(mine.dst, want.dst, `${m}: dst`)
    t.is(mine.dev, want.dev, `${m}: dev`)
    t.is(mine.gateway, want.gateway, `${m}: gateway`)
    t.is(mine.prefsrc, want.prefsrc, `${m}: prefsrc`)
    t.is(mine.src, want.from, `${m}: from`)
    t.is(mine.mark, want.mark, `${m}: mark`)
    t.is(mine.type, want.type ?? 'unicast', `${m}: type`)
  }
  // Through a gateway on y.
  await routeAdd({ dst: '10.152.150.0/24', gateway: `10.152.${n + 1}.2`, dev: y, table: 'main' })
  t.teardown(() => ipTry(['route', 'del', '10.152.150.0/24', 'table', 'main']))
  const g = await routeGet('10.152.150.9')
  const w = ipGet(['10.152.150.9'])
  t.is(g.gateway, w.gateway)
  t.is(g.gateway, `10.152.${n + 1}.2`)
  t.is(g.dev, y)
  t.is(g.prefsrc, w.prefsrc)
  // IPv6.
  const g6 = await routeGet(`2001:db8:152:${n}::2`, { oif: x })
  const w6 = ipGet([`2001:db8:152:${n}::2`, 'oif', x])
  t.is(g6.dev, w6.dev)
  t.is(g6.prefsrc, w6.prefsrc)
  t.is(g6.metric, w6.metric)
  t.is(g6.pref, w6.pref)
  t.is(g6.family, 6)
})

test('routeGet with iif (a forwarded packet) and a local destination vs ip route get', async (t) => {
  const { x, y, ix, n } = await links(t)
  // Forwarding on the input device only (this namespace's other devices are left as they are).
  writeFileSync(`/proc/sys/net/ipv4/conf/${x}/forwarding`, '1')
  const dst = `10.152.${n + 1}.5`
  const from = `10.152.${n}.9`
  const mine = await routeGet(dst, { from, iif: x })
  const want = ipGet([dst, 'from', from, 'iif', x])
  t.is(mine.dev, want.dev)
  t.is(mine.dev, y)
  t.is(mine.iif, ix)
  t.is(want.iif, x)
  t.is(mine.src, want.from)
  // A local address arriving on x: type local, through lo.
  const local = await routeGet(`10.152.${n}.1`, { from, iif: ix })
  const wl = ipGet([`10.152.${n}.1`, 'from', from, 'iif', x])
  t.is(local.type, 'local')
  t.is(wl.type, 'local')
  t.is(local.dev, wl.dev)
})

test('routeGet for a policy-routed mark (a rule to a table above 255) vs ip route get', async (t) => {
  const T = table(t)
  const { y } = await links(t)
  const prio = own.priority(0)
  const mark = own.fwmark(0x99)
  await routeAdd({ dst: '10.152.160.0/24', dev: y, table: T })
  await nl.ruleAdd({ priority: prio, fwmark: mark, table: T })
  t.teardown(() => ipTry(['rule', 'del', 'priority', String(prio)]))
  const mine = await routeGet('10.152.160.7', { mark })
  const want = ipGet(['10.152.160.7', 'mark', String(mark)])
  t.is(mine.dev, y)
  t.is(mine.dev, want.dev)
  t.is(mine.table, T)
  t.is(mine.mark, mark)
  // Another mark does not match the rule.
  const other = await routeGet('10.152.160.7', { mark: own.fwmark(0x98) }).then(
    (r) => r,
    (err) => err,
  )
  t.not(other.table, T)
})
