// Every error case: kernel errors (EEXIST, ENODEV, ESRCH, EADDRNOTAVAIL, extended ACK) and
// argument validation (TypeError / RangeError before anything is sent).
// What it owns in the shared namespace is its entry in support/registry.mjs
// (10.80.0.0/16, 2001:db8:80::/48, four tables).

import test from 'ava'
import { execFileSync } from 'node:child_process'
import * as nl from '../index.js'
import { ip, ipTry, ipAddrs, ipRoutes } from './support/oracle.mjs'
import { namer } from './support/names.mjs'
import { veth } from './support/veth.mjs'
import { owned } from './support/registry.mjs'

const { NetlinkError, open } = nl
const own = owned('errors')
const name = namer(own.prefix)
const T = own.table(0)

test('EEXIST on a duplicate addrAdd: code, errno, op, message, extack, class', async (t) => {
  const { a } = await veth(t, name(), name(), { noLinkLocal: true })
  await nl.addrAdd(a, '10.80.0.1/24')
  const e = await t.throwsAsync(nl.addrAdd(a, '10.80.0.1/24'))
  t.true(e instanceof NetlinkError)
  t.true(e instanceof Error)
  t.is(e.name, 'NetlinkError')
  t.is(e.code, 'EEXIST')
  t.is(e.errno, 17)
  t.is(e.op, 'addrAdd')
  t.true(e.message.startsWith(`addrAdd ${a} 10.80.0.1/24: File exists (EEXIST)`), e.message)
  if (e.extack !== undefined) t.true(e.message.endsWith(`: ${e.extack}`), "the kernel's text ends the message")
  t.is(typeof e.stack, 'string')
  t.is(ipAddrs(a, 4).length, 1, 'ip: still one address')

  await nl.addrAdd(a, '2001:db8:80::1/64', { nodad: true })
  const e6 = await t.throwsAsync(nl.addrAdd(a, '2001:db8:80::1/64', { nodad: true }), { instanceOf: NetlinkError })
  t.is(e6.code, 'EEXIST')
  t.is(e6.errno, 17)
  t.is(e6.op, 'addrAdd')
  t.true(e6.message.startsWith(`addrAdd ${a} 2001:db8:80::1/64: File exists (EEXIST)`), e6.message)

  // Duplicate veth name, duplicate route.
  const ev = await t.throwsAsync(nl.linkAddVeth(a, name()), { instanceOf: NetlinkError })
  t.is(ev.code, 'EEXIST')
  // linkAddVeth is the short form of linkAdd({ kind: 'veth', ... }), which reports itself.
  t.true(['linkAddVeth', 'linkAdd'].includes(ev.op), ev.op)
  t.teardown(() => ipTry(['route', 'flush', 'table', String(T)]))
  await nl.routeAdd({ dst: '10.80.9.0/24', type: 'blackhole', table: T })
  const er = await t.throwsAsync(nl.routeAdd({ dst: '10.80.9.0/24', type: 'blackhole', table: T }), { instanceOf: NetlinkError })
  t.is(er.code, 'EEXIST')
  t.is(er.op, 'routeAdd')
  t.true(er.message.startsWith('routeAdd 10.80.9.0/24: File exists (EEXIST)'), er.message)
})

test('ENODEV for a missing link: linkGet, linkSetUp, linkSetDown, linkDel, addrAdd, addrDel, routeAdd, lists', async (t) => {
  const missing = `${own.prefix}missing0`
  t.is(ipTry(['link', 'show', 'dev', missing]), false, 'ip: no such link')
  const cases = [
    ['linkGet', () => nl.linkGet(missing), `linkGet ${missing}: No such device (ENODEV)`],
    ['linkGet', () => nl.linkGet(2147480000), 'linkGet 2147480000: No such device (ENODEV)'],
    ['linkSetUp', () => nl.linkSetUp(missing), `linkSetUp ${missing}: No such device (ENODEV)`],
    ['linkSetUp', () => nl.linkSetUp(2147480000), 'linkSetUp 2147480000: No such device (ENODEV)'],
    ['linkSetDown', () => nl.linkSetDown(missing), `linkSetDown ${missing}: No such device (ENODEV)`],
    ['linkDel', () => nl.linkDel(missing), `linkDel ${missing}: No such device (ENODEV)`],
    ['addrAdd', () => nl.addrAdd(missing, '10.80.1.1/24'), `addrAdd ${missing} 10.80.1.1/24: No such device (ENODEV)`],
    ['addrReplace', () => nl.addrReplace(missing, '10.80.1.1/24'), `addrReplace ${missing} 10.80.1.1/24: No such device (ENODEV)`],
    ['addrDel', () => nl.addrDel(missing, '10.80.1.1/24'), `addrDel ${missing} 10.80.1.1/24: No such device (ENODEV)`],
    [
      'routeAdd',
      () => nl.routeAdd({ dst: '10.80.2.0/24', dev: missing, table: T }),
      `routeAdd 10.80.2.0/24 dev ${missing}: No such device (ENODEV)`,
    ],
    [
      'routeAdd',
      () => nl.routeAdd({ dst: '10.80.2.0/24', dev: 2147480000, table: T }),
      'routeAdd 10.80.2.0/24 dev 2147480000: No such device (ENODEV)',
    ],
  ]
  for (const [op, call, msg] of cases) {
    const e = await t.throwsAsync(call(), { instanceOf: NetlinkError }, msg)
    t.is(e?.code, 'ENODEV', msg)
    t.is(e?.errno, 19)
    t.is(e?.op, op)
    t.true(e?.message.startsWith(msg), `${e?.message} starts with ${msg}`)
  }
  // Filters naming a missing link reject with ENODEV too.
  for (const call of [
    () => nl.addrList({ link: missing }),
    () => nl.routeList({ dev: missing }),
    () => nl.routeGet('10.80.3.3', { oif: missing }),
  ]) {
    const e = await t.throwsAsync(call(), { instanceOf: NetlinkError })
    t.is(e?.code, 'ENODEV')
  }
  t.is(ipTry(['link', 'show', 'dev', missing]), false, 'and nothing was created')
  t.deepEqual(
    ipRoutes(T, 4).filter((r) => r.dst === '10.80.2.0/24'),
    [],
  )
})

test('routeGet with a missing oif / iif reports ENODEV as routeGet', async (t) => {
  for (const o of [{ oif: `${own.prefix}missing2` }, { iif: `${own.prefix}missing2` }]) {
    const e = await t.throwsAsync(nl.routeGet('10.80.3.3', o), { instanceOf: NetlinkError })
    t.is(e?.code, 'ENODEV')
    t.is(e?.op, 'routeGet', e?.message)
    t.true(e?.message.startsWith('routeGet 10.80.3.3'), e?.message)
  }
})

test('a missing link in addrList / routeList filters is reported as that operation', async (t) => {
  const e1 = await t.throwsAsync(nl.addrList({ link: `${own.prefix}missing3` }), { instanceOf: NetlinkError })
  t.is(e1.code, 'ENODEV')
  t.is(e1.op, 'addrList')
  const e2 = await t.throwsAsync(nl.routeList({ dev: `${own.prefix}missing3` }), { instanceOf: NetlinkError })
  t.is(e2.code, 'ENODEV')
  t.is(e2.op, 'routeList')
})

test("the kernel's extended ACK: routeAdd via an unreachable gateway", async (t) => {
  t.teardown(() => ipTry(['route', 'flush', 'table', String(own.table(1))]))
  const e = await t.throwsAsync(nl.routeAdd({ dst: '10.80.4.0/24', gateway: '192.0.2.77', table: own.table(1) }), {
    instanceOf: NetlinkError,
  })
  t.is(e.code, 'ENETUNREACH')
  t.is(e.errno, 101)
  t.is(e.op, 'routeAdd')
  t.is(e.extack, 'Nexthop has invalid gateway')
  t.is(e.message, 'routeAdd 10.80.4.0/24 via 192.0.2.77: Network is unreachable (ENETUNREACH): Nexthop has invalid gateway')
  // ip gets the same answer from the kernel.
  let ipErr = ''
  try {
    execFileSync('ip', ['route', 'add', '10.80.4.0/24', 'via', '192.0.2.77', 'table', String(own.table(1))], { stdio: 'pipe' })
  } catch (x) {
    ipErr = x.stderr.toString()
  }
  t.regex(ipErr, /Nexthop has invalid gateway/)
  t.deepEqual(ipRoutes(own.table(1), 4), [])

  // Another extended ACK: a local address as gateway.
  const { a } = await veth(t, name(), name(), { up: true, noLinkLocal: true })
  await nl.addrAdd(a, '2001:db8:80:4::1/64', { nodad: true })
  const e6 = await t.throwsAsync(nl.routeAdd({ dst: '2001:db8:80:5::/64', gateway: '2001:db8:80:4::1', table: own.table(1) }), {
    instanceOf: NetlinkError,
  })
  t.is(e6.code, 'EINVAL')
  t.is(e6.extack, 'Gateway can not be a local address')
  t.deepEqual(ipRoutes(own.table(1), 6), [])
})

test('ESRCH and EADDRNOTAVAIL for deleting what is not there', async (t) => {
  const { a } = await veth(t, name(), name(), { noLinkLocal: true })
  const e1 = await t.throwsAsync(nl.routeDel({ dst: '10.80.6.0/24', table: own.table(2) }), { instanceOf: NetlinkError })
  t.is(e1.code, 'ESRCH')
  t.is(e1.errno, 3)
  t.is(e1.op, 'routeDel')
  const e2 = await t.throwsAsync(nl.addrDel(a, '10.80.6.1/24'), { instanceOf: NetlinkError })
  t.is(e2.code, 'EADDRNOTAVAIL')
  t.is(e2.errno, 99)
  t.is(e2.op, 'addrDel')
  t.true(e2.message.startsWith(`addrDel ${a} 10.80.6.1/24: Cannot assign requested address (EADDRNOTAVAIL)`), e2.message)
  const e3 = await t.throwsAsync(nl.routeDelDefault({ family: 6, table: own.table(2) }), { instanceOf: NetlinkError })
  t.is(e3.code, 'ESRCH')
})

test('bad arguments reject with TypeError / RangeError before anything is sent; ip sees no change', async (t) => {
  t.teardown(() => ipTry(['route', 'flush', 'table', String(own.table(3))]))
  const { a, ia } = await veth(t, name(), name(), { up: true, noLinkLocal: true })
  await nl.addrAdd(a, '10.80.7.1/24')
  const x0 = `${own.prefix}x0` // a valid name: made, were the bad calls sent
  const snapshot = () => ({
    // Links the bad linkAddVeth calls name (other tests of this file add links concurrently).
    links: ip('link show')
      .map((l) => l.ifname)
      .filter((n) => n === x0 || n.startsWith('er0123456789')),
    addrs: ipAddrs(a),
    routes4: ipRoutes(own.table(3), 4),
    routes6: ipRoutes(own.table(3), 6),
    main: ip(['route', 'show', 'table', 'main', 'dev', a]),
  })
  const before = snapshot()
  const missing = `${own.prefix}missing1` // a bad argument must be reported before the link is even looked up
  const long = 'er0123456789abcd' // 16 characters
  t.is(long.length, 16)

  const bad = [
    // CIDRs
    [TypeError, () => nl.addrAdd(a, 'nonsense/24')],
    [TypeError, () => nl.addrAdd(a, '10.80.7.2/')],
    [TypeError, () => nl.addrAdd(a, '10.80.7.2/2x')],
    [TypeError, () => nl.addrAdd(a, '10.80.7.256/24')],
    [TypeError, () => nl.addrAdd(a, 42)],
    [RangeError, () => nl.addrAdd(a, '10.80.7.2/33')],
    [RangeError, () => nl.addrAdd(missing, '10.80.7.2/33')],
    [RangeError, () => nl.addrAdd(a, '2001:db8:80::1/129')],
    [RangeError, () => nl.addrReplace(a, '2001:db8:80::1/200')],
    [RangeError, () => nl.addrDel(a, '10.80.7.1/99')],
    // Link names and indexes
    [RangeError, () => nl.addrAdd('', '10.80.7.2/24')],
    [RangeError, () => nl.addrAdd(long, '10.80.7.2/24')],
    [RangeError, () => nl.linkGet('')],
    [RangeError, () => nl.linkGet(long)],
    [RangeError, () => nl.linkGet('er a')],
    [RangeError, () => nl.linkGet('er/a')],
    [RangeError, () => nl.linkSetUp(long)],
    [RangeError, () => nl.linkSetDown('')],
    [RangeError, () => nl.linkDel(long)],
    [TypeError, () => nl.linkGet(1.5)],
    [TypeError, () => nl.linkSetUp(ia + 0.5)],
    [TypeError, () => nl.linkGet(NaN)],
    [TypeError, () => nl.linkGet(undefined)],
    [TypeError, () => nl.linkGet({ name: a })],
    [RangeError, () => nl.linkGet(0)],
    [RangeError, () => nl.linkGet(-1)],
    [RangeError, () => nl.linkAddVeth(long, x0)],
    [RangeError, () => nl.linkAddVeth(x0, '')],
    [TypeError, () => nl.linkAddVeth(x0, 7)],
    // Address options
    [RangeError, () => nl.addrAdd(a, '10.80.7.2/24', { validLifetime: -1 })],
    [TypeError, () => nl.addrAdd(a, '10.80.7.2/24', { validLifetime: 1.5 })],
    [RangeError, () => nl.addrAdd(a, '10.80.7.2/24', { validLifetime: 10, preferredLifetime: 20 })],
    [RangeError, () => nl.addrAdd(a, '10.80.7.2/24', { scope: 'galaxy' })],
    [RangeError, () => nl.addrAdd(a, '10.80.7.2/24', { scope: 256 })],
    [TypeError, () => nl.addrAdd(a, '10.80.7.2/24', { broadcast: 'nope' })],
    [TypeError, () => nl.addrAdd(a, '10.80.7.2/24', { peer: '2001:db8::1' })],
    [TypeError, () => nl.addrAdd(a, '2001:db8:80::2/64', { label: 'erl' })],
    [RangeError, () => nl.addrAdd(a, '10.80.7.2/24', { label: long })],
    // Call options
    [RangeError, () => nl.addrAdd(a, '10.80.7.2/24', { timeout: 0 })],
    [TypeError, () => nl.addrAdd(a, '10.80.7.2/24', { timeout: 1.5 })],
    [TypeError, () => nl.addrAdd(a, '10.80.7.2/24', { signal: {} })],
    [TypeError, () => nl.linkList({ timeout: '5' })],
    [TypeError, () => nl.linkList(null)],
    // Routes
    [RangeError, () => nl.routeAdd({ dst: '10.80.8.0/24', dev: a, metric: -1, table: own.table(3) })],
    [TypeError, () => nl.routeAdd({ dst: '10.80.8.0/24', dev: a, metric: 1.5, table: own.table(3) })],
    [RangeError, () => nl.routeAdd({ dst: '10.80.8.0/24', dev: a, metric: 2 ** 32, table: own.table(3) })],
    [RangeError, () => nl.routeAdd({ dst: '10.80.8.0/33', dev: a, table: own.table(3) })],
    [RangeError, () => nl.routeAdd({ dst: '2001:db8:80:8::/129', dev: a, table: own.table(3) })],
    [TypeError, () => nl.routeAdd({ dst: 'nowhere', dev: a, table: own.table(3) })],
    [TypeError, () => nl.routeAdd({ dst: '10.80.8.0/24', gateway: '2001:db8:80::9', table: own.table(3) })],
    [TypeError, () => nl.routeAdd({ dst: '10.80.8.0/24', src: '2001:db8:80::9', dev: a, table: own.table(3) })],
    [RangeError, () => nl.routeAdd({ dst: 'default', family: 5, dev: a, table: own.table(3) })],
    [TypeError, () => nl.routeAdd({ dst: '10.80.8.0/24', family: 6, dev: a, table: own.table(3) })],
    [RangeError, () => nl.routeAdd({ dst: '10.80.8.0/24', dev: a, table: 'nosuch' })],
    [RangeError, () => nl.routeAdd({ dst: '10.80.8.0/24', dev: a, table: -1 })],
    [RangeError, () => nl.routeAdd({ dst: '10.80.8.0/24', dev: a, table: 2 ** 32 })],
    [RangeError, () => nl.routeAdd({ dst: '10.80.8.0/24', dev: a, table: own.table(3), type: 'wormhole' })],
    [RangeError, () => nl.routeAdd({ dst: '10.80.8.0/24', dev: a, table: own.table(3), protocol: 256 })],
    [RangeError, () => nl.routeAdd({ dst: '10.80.8.0/24', dev: a, table: own.table(3), scope: 'moon' })],
    [RangeError, () => nl.routeAdd({ dst: '10.80.8.0/24', dev: long, table: own.table(3) })],
    [RangeError, () => nl.routeAdd({ dst: '10.80.8.0/33', dev: missing, table: own.table(3) })],
    [TypeError, () => nl.routeAdd({ dst: '10.80.8.0/24', dev: 1.5, table: own.table(3) })],
    [TypeError, () => nl.routeAdd(null)],
    [TypeError, () => nl.routeReplace('10.80.8.0/24')],
    [RangeError, () => nl.routeDel({ dst: '10.80.8.0/24', table: 'nosuch' })],
    [TypeError, () => nl.routeAddDefault('nope', { table: own.table(3) })],
    [RangeError, () => nl.routeAddDefault('10.80.7.9', { table: own.table(3), metric: -5 })],
    [RangeError, () => nl.routeDelDefault({ family: 5, table: own.table(3) })],
    // Filters and queries
    [RangeError, () => nl.routeList({ family: 5 })],
    [RangeError, () => nl.routeList({ dev: '' })],
    [RangeError, () => nl.routeList({ table: 'nosuch' })],
    [TypeError, () => nl.routeList(null)],
    [RangeError, () => nl.addrList({ family: 5 })],
    [RangeError, () => nl.addrList({ family: '4' })],
    [RangeError, () => nl.addrList({ link: long })],
    [TypeError, () => nl.addrList(null)],
    [TypeError, () => nl.routeGet('not-an-ip')],
    [TypeError, () => nl.routeGet('10.80.7.0/24')],
    [TypeError, () => nl.routeGet('10.80.7.5', { from: '2001:db8:80::1' })],
    [RangeError, () => nl.routeGet('10.80.7.5', { mark: -1 })],
    [RangeError, () => nl.routeGet('10.80.7.5', { oif: long })],
  ]
  for (const [Cls, call] of bad) {
    const e = await t.throwsAsync(call, { instanceOf: Cls }, call.toString())
    t.false(e instanceof NetlinkError, `${call}: not a kernel error`)
  }
  // The Netlink constructor validates synchronously.
  t.throws(() => open({ timeout: 0 }), { instanceOf: RangeError })
  t.throws(() => open({ timeout: 2.5 }), { instanceOf: TypeError })
  t.throws(() => open(null), { instanceOf: TypeError })

  t.deepEqual(snapshot(), before, 'ip: nothing changed')
})
