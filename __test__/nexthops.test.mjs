// Nexthop objects against `ip -j -d nexthop`: single nexthops (gateway and device, device only,
// onlink, IPv6, blackhole, fdb), multipath and resilient groups with their buckets, replace,
// delete, flush, list filters, routes using them (`nhid`), refusals before anything is sent
// (ip unchanged after each), the kernel's own refusals, and `subscribe(['nexthop'])`. Nexthop
// ids are per namespace, and a flush takes all: each test works in a namespace of its own.

import test from 'ava'
import * as nl from '../index.js'
import { Collector } from './support/events.mjs'
import { namer } from './support/names.mjs'
import { nsConn } from './support/netns.mjs'
import { ipDo, ipn } from './support/oracle.mjs'
import { owned } from './support/registry.mjs'

const own = owned('nexthops')
const name = namer(own.prefix)
let nsSeq = 0

/** A namespace with lo and an up veth pair (a nexthop needs carrier) and a connection in it. */
async function setup(t) {
  const ns = `${own.netns[0]}${process.pid}-${nsSeq++}`
  const c = await nsConn(t, ns)
  const [a, b] = [name(), name()]
  ipDo(['-n', ns, 'link', 'set', 'lo', 'up'])
  ipDo(['-n', ns, 'link', 'add', a, 'type', 'veth', 'peer', 'name', b])
  for (const d of [a, b]) ipDo(['-n', ns, 'link', 'set', d, 'up'])
  ipDo(['-n', ns, 'addr', 'add', '10.177.0.1/24', 'dev', a])
  ipDo(['-n', ns, 'addr', 'add', '2001:db8:177::1/64', 'dev', a, 'nodad'])
  return { ns, c, a, b }
}

/** ip's view of a nexthop in nlkit's shape (`ip -j -d` names, camelCased; null flags as true). */
function fromIp(n) {
  const out = { id: n.id, scope: n.scope, protocol: n.protocol, flags: n.flags }
  if (n.gateway !== undefined) out.gateway = n.gateway
  if (n.dev !== undefined) out.dev = n.dev
  if ('blackhole' in n) out.blackhole = true
  if ('fdb' in n) out.fdb = true
  if (n.group !== undefined) {
    out.group = n.group.map((m) => ({ id: m.id, weight: m.weight ?? 1 }))
    out.type = n.type ?? 'mpath'
  }
  if (n.resilient_args !== undefined) {
    const r = n.resilient_args
    out.resilient = { buckets: r.buckets, idleTimer: r.idle_timer, unbalancedTimer: r.unbalanced_timer, unbalancedTime: r.unbalanced_time }
  }
  return out
}

/** nlkit's list without what ip -j does not print (family, the index next to the name). */
function ours(list) {
  return list.map(({ family, oif, ...rest }) => rest)
}

async function assertSame(t, c, ns, msg) {
  const mine = ours(await c.nexthopList())
  t.deepEqual(mine, ipn(ns, ['-d', 'nexthop', 'show']).map(fromIp), msg)
  return mine
}

test('single nexthops and groups: add, list, get, replace, delete, field by field with ip -j -d nexthop', async (t) => {
  const { ns, c, a } = await setup(t)
  await c.nexthopAdd({ id: 1, gateway: '10.177.0.2', dev: a })
  await c.nexthopAdd({ id: 2, dev: a })
  await c.nexthopAdd({ id: 3, blackhole: true })
  await c.nexthopAdd({ id: 4, gateway: '10.177.9.9', dev: a, onlink: true })
  await c.nexthopAdd({ id: 5, gateway: '2001:db8:177::2', dev: a })
  await c.nexthopAdd({ id: 6, gateway: '10.177.0.6', fdb: true })
  await c.nexthopAdd({ id: 10, group: [1, { id: 2, weight: 3 }] })
  await c.nexthopAdd({ id: 11, group: [1, 2], type: 'resilient', resilient: { buckets: 8, idleTimer: 60, unbalancedTimer: 120 } })
  await c.nexthopAdd({ id: 12, group: [6], fdb: true })
  const listed = await assertSame(t, c, ns, 'after the adds')
  t.is(listed.length, 9)
  t.like(
    listed.find((n) => n.id === 4),
    { gateway: '10.177.9.9', dev: a, flags: ['onlink'] },
  )
  t.like(await c.nexthopGet(10), {
    id: 10,
    type: 'mpath',
    group: [
      { id: 1, weight: 1 },
      { id: 2, weight: 3 },
    ],
  })
  t.like(await c.nexthopGet(5), { family: 6, gateway: '2001:db8:177::2' })

  // Buckets of the resilient group, as ip lists them.
  const buckets = await c.nexthopBucketList({ id: 11 })
  const theirs = ipn(ns, ['nexthop', 'bucket', 'show', 'id', '11'])
  t.is(buckets.length, 8)
  t.deepEqual(
    buckets.map((b) => [b.id, b.bucket.index, b.bucket.nhid]),
    theirs.map((b) => [b.id, b.bucket.index, b.bucket.nhid]),
  )
  t.deepEqual(
    (await c.nexthopBucketList({ nhid: 1 })).map((b) => b.bucket.index),
    ipn(ns, ['nexthop', 'bucket', 'show', 'nhid', '1']).map((b) => b.bucket.index),
  )

  // Replace: a new gateway, a group's new weights; the listed object goes back in unchanged.
  await c.nexthopReplace({ id: 1, gateway: '10.177.0.3', dev: a })
  await c.nexthopReplace({ id: 10, group: [{ id: 1, weight: 2 }, 2] })
  await assertSame(t, c, ns, 'after the replaces')
  const g = await c.nexthopGet(10)
  t.deepEqual(g.group, [
    { id: 1, weight: 2 },
    { id: 2, weight: 1 },
  ])
  await c.nexthopReplace(await c.nexthopGet(4))
  await assertSame(t, c, ns, 'after a replace with the listed object')

  // Filters, as the kernel applies them.
  const ids = (l) => l.map((n) => n.id)
  t.deepEqual(
    ids(await c.nexthopList({ groups: true })),
    ipn(ns, ['nexthop', 'show', 'groups']).map((n) => n.id),
  )
  t.deepEqual(
    ids(await c.nexthopList({ fdb: true })),
    ipn(ns, ['nexthop', 'show', 'fdb']).map((n) => n.id),
  )
  t.deepEqual(
    ids(await c.nexthopList({ dev: a })),
    ipn(ns, ['nexthop', 'show', 'dev', a]).map((n) => n.id),
  )
  t.deepEqual(ids(await c.nexthopList({ id: 5 })), [5])
  t.deepEqual(await c.nexthopList({ id: 99 }), [])

  await c.nexthopDel(10)
  await c.nexthopDel(4)
  await assertSame(t, c, ns, 'after the deletes')
  const e = await t.throwsAsync(c.nexthopGet(10))
  t.is(e.code, 'ENOENT')
  t.is(await c.nexthopFlush({ groups: true }), 2)
  t.deepEqual(ipn(ns, ['nexthop', 'show', 'groups']), [])
  t.is(await c.nexthopFlush(), 5)
  t.deepEqual(ipn(ns, ['nexthop', 'show']), [])
})

test('routes using nexthop objects: routeAdd({ nhid }) and routes listed with nhid and the resolved paths, as ip -j route', async (t) => {
  const { ns, c, a } = await setup(t)
  await c.nexthopAdd({ id: 1, gateway: '10.177.0.2', dev: a })
  await c.nexthopAdd({ id: 2, gateway: '10.177.0.3', dev: a })
  await c.nexthopAdd({ id: 10, group: [1, { id: 2, weight: 4 }] })
  await c.routeAdd({ dst: '10.177.100.0/24', nhid: 10 })
  await c.routeAdd({ dst: '10.177.101.0/24', nhid: 1, metric: 7 })
  ipDo(['-n', ns, 'route', 'add', '10.177.102.0/24', 'nhid', '2'])
  const routes = (await c.routeList({ family: 4 })).filter((r) => r.nhid !== undefined)
  const theirs = ipn(ns, ['route', 'show']).filter((r) => r.nhid !== undefined)
  t.deepEqual(
    routes.map((r) => ({ dst: r.dst, nhid: r.nhid, gateway: r.gateway, dev: r.dev, metric: r.metric })),
    theirs.map((r) => ({ dst: r.dst, nhid: r.nhid, gateway: r.gateway, dev: r.dev, metric: r.metric })),
  )
  const group = routes.find((r) => r.nhid === 10)
  const theirGroup = theirs.find((r) => r.nhid === 10)
  t.deepEqual(
    group.nexthops.map((n) => ({ gateway: n.gateway, dev: n.dev, weight: n.weight })),
    theirGroup.nexthops.map((n) => ({ gateway: n.gateway, dev: n.dev, weight: n.weight })),
  )
  // A nexthop's routes go with it.
  await c.nexthopDel(10)
  t.deepEqual(
    ipn(ns, ['route', 'show']).filter((r) => r.nhid === 10),
    [],
  )
})

test('refusals before anything is sent (ip unchanged), and the kernel own refusals', async (t) => {
  const { ns, c, a } = await setup(t)
  await c.nexthopAdd({ id: 1, gateway: '10.177.0.2', dev: a })
  const before = ipn(ns, ['-d', 'nexthop', 'show'])
  const bad = [
    [{ id: 0, dev: a }, RangeError, /id/],
    [{ id: 2 }, TypeError, /gateway, dev, blackhole or group/],
    [{ id: 2, group: [1], dev: a }, TypeError, /group takes no/],
    [{ id: 2, group: [] }, TypeError, /group/],
    [{ id: 2, group: [{ id: 1, weight: 0 }] }, RangeError, /weight/],
    [{ id: 2, group: [{ id: 1, wieght: 2 }] }, RangeError, /wieght/],
    [{ id: 2, group: [1], type: 'random' }, RangeError, /type/],
    [{ id: 2, group: [1], resilient: { buckets: 4 } }, TypeError, /resilient/],
    [{ id: 2, group: [1], type: 'resilient', resilient: { buckets: 70000 } }, RangeError, /buckets/],
    [{ id: 2, blackhole: true, dev: a }, TypeError, /blackhole/],
    [{ id: 2, gateway: '10.177.0.300', dev: a }, TypeError, /gateway/],
    [{ id: 2, gateway: '10.177.0.2', dev: a, family: 6 }, TypeError, /family/],
    [{ id: 2, gatway: '10.177.0.2' }, RangeError, /gatway/],
    [{ id: 2, dev: a, protocol: 'nosuch' }, RangeError, /protocol/],
  ]
  for (const [spec, type, message] of bad) {
    await t.throwsAsync(c.nexthopAdd(spec), { instanceOf: type, message }, JSON.stringify(spec))
  }
  await t.throwsAsync(c.nexthopDel(-1), { instanceOf: RangeError, message: /id/ })
  await t.throwsAsync(c.nexthopList({ id: 1, groups: true }), { instanceOf: TypeError, message: /alone/ })
  await t.throwsAsync(c.routeAdd({ dst: '10.177.50.0/24', nhid: 1, gateway: '10.177.0.2' }), { instanceOf: TypeError, message: /nhid/ })
  t.deepEqual(ipn(ns, ['-d', 'nexthop', 'show']), before, 'ip unchanged after the refusals')

  // The kernel's: a taken id, a group of a missing nexthop, a device without carrier.
  const dup = await t.throwsAsync(c.nexthopAdd({ id: 1, gateway: '10.177.0.2', dev: a }))
  t.is(dup.code, 'EEXIST')
  const missing = await t.throwsAsync(c.nexthopAdd({ id: 3, group: [1, 42] }))
  t.is(missing.code, 'EINVAL')
  t.regex(missing.message, /nexthop id/i)
  t.deepEqual(ipn(ns, ['-d', 'nexthop', 'show']), before, 'ip unchanged after the kernel refusals')
})

test("subscribe(['nexthop']): events from ip and from nlkit, field by field with the listed objects; listExisting first", async (t) => {
  const { ns, c, a } = await setup(t)
  await c.nexthopAdd({ id: 1, gateway: '10.177.0.2', dev: a })
  const col = new Collector(nl.subscribe(['nexthop'], { netns: ns, listExisting: true }))
  t.teardown(() => col.close())
  const existing = await col.waitFor((e) => e.type === 'nexthop' && e.existing && e.nexthop.id === 1, { what: 'the existing nexthop 1' })
  t.deepEqual(existing.nexthop, await c.nexthopGet(1))
  ipDo(['-n', ns, 'nexthop', 'add', 'id', '2', 'via', '10.177.0.3', 'dev', a])
  await c.nexthopAdd({ id: 10, group: [1, { id: 2, weight: 2 }] })
  const e2 = await col.waitFor((e) => e.nexthop?.id === 2 && e.action === 'new' && !e.existing, { what: 'nexthop 2 new' })
  const e10 = await col.waitFor((e) => e.nexthop?.id === 10 && e.action === 'new', { what: 'nexthop 10 new' })
  t.deepEqual(e2.nexthop, await c.nexthopGet(2))
  t.deepEqual(e10.nexthop, await c.nexthopGet(10))
  t.deepEqual(ours([e10.nexthop]), ipn(ns, ['-d', 'nexthop', 'show', 'id', '10']).map(fromIp))
  const gone = await c.nexthopGet(2)
  ipDo(['-n', ns, 'nexthop', 'del', 'id', '2'])
  const d2 = await col.waitFor((e) => e.nexthop?.id === 2 && e.action === 'del', { what: 'nexthop 2 del' })
  t.deepEqual(d2.nexthop, gone)
  t.is(col.filter((e) => e.type !== 'nexthop').length, 0, 'only nexthop events')
})
