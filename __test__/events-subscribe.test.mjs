// Events: what a subscription receives. A change made right after subscribe() returns is seen
// (and names its link); per-family groups ('ipv4-route', 'ipv6-addr', 'ipv4-rule', ...) get only
// their family; two subscriptions see the same events and only the groups they asked for; every
// event is a typed object. The kinds themselves, field by field, are in events-kinds.test.mjs.
//
// What it owns in the shared namespace is its entry in support/registry.mjs
// (10.205.0.0/16, 2001:db8:e05::/48, route tables, rule priorities).

import test from 'ava'
import * as nl from '../index.js'
import { ipDo, ipTry, ipLink } from './support/oracle.mjs'
import { namer } from './support/names.mjs'
import { ipVeth } from './support/veth.mjs'
import { Collector, collect, describeEvent, eventsLock, isLink, isAddr, isRoute, isRule } from './support/events.mjs'
import { flushTableAfter } from './support/cleanup.mjs'
import { owned } from './support/registry.mjs'

// While this file runs, no 100,000-route burst (events-burst.test.mjs) floods its subscriptions.
let unlock
test.before(async () => {
  unlock = await eventsLock()
})
test.after.always(() => unlock?.())

const own = owned('events-subscribe')
const ifname = namer(own.prefix)
let tableSeq = 0
const table = (t) => flushTableAfter(t, own.table(tableSeq++))
let prioSeq = 0
const nextPriority = () => own.priority(prioSeq++)

/** A veth pair (both ends up, no IPv6 link-local addresses) with addresses on `a`. */
function pair(t, addrs = []) {
  const p = ipVeth(t, ifname(), ifname(), { up: true })
  for (const c of addrs) ipDo(['addr', 'add', c, 'dev', p.a, ...(c.includes(':') ? ['nodad'] : [])])
  return p
}

// ---- changes made right after subscribe() returns -------------------------------------------

test('a change made right after subscribe() returns is seen (link, ip)', async (t) => {
  const a = ifname()
  const b = ifname()
  const c = collect(t, nl, ['link'])
  ipDo(['link', 'add', 'name', a, 'type', 'veth', 'peer', 'name', b]) // synchronously, no await in between
  t.teardown(() => ipTry(['link', 'del', 'dev', a]))
  const ev = await c.waitFor(isLink(a, 'new'), { what: `link new ${a}` })
  t.is(ev.link.index, ipLink(a).ifindex)
})

test('a change made right after subscribe() returns is seen (IPv6 address, nlkit addrAdd)', async (t) => {
  const { a, ia } = pair(t)
  const sub = nl.subscribe(['ipv6-addr'])
  const p = nl.addrAdd(a, '2001:db8:e05:8::1/64', { nodad: true })
  const c = new Collector(sub)
  t.teardown(() => c.close())
  await p
  const ev = await c.waitFor(isAddr('2001:db8:e05:8::1/64', 'new', ia), { what: 'addr new 2001:db8:e05:8::1/64' })
  t.is(ev.address.index, ia)
})

test('a change made right after subscribe() returns is seen (route, ip and nlkit)', async (t) => {
  const T = table(t)
  const { a, ia } = pair(t, ['10.205.9.1/24'])
  // (the link exists before subscribing: this is about changes right after subscribe())
  const c1 = collect(t, nl, ['ipv4-route'])
  ipDo(['route', 'add', '10.205.109.0/24', 'dev', a, 'table', T])
  await c1.waitFor(isRoute('10.205.109.0/24', T, 'new'), { what: 'route new 10.205.109.0/24 (ip)' })
  const c2 = collect(t, nl, ['ipv4-route'])
  await nl.routeAdd({ dst: '10.205.110.0/24', dev: a, table: T })
  const ev = await c2.waitFor(isRoute('10.205.110.0/24', T, 'new'), { what: 'route new 10.205.110.0/24 (nlkit)' })
  t.is(ev.route.oif, ia)
})

// Events are labelled with interface names from the monitor's own link listing; events that come
// before that listing is complete are held back until it is, so they are named too.
test('an event for a change made right after subscribe() names its link (addr link)', async (t) => {
  const { a, ia } = pair(t)
  await nl.linkList() // a warm default connection: the change follows subscribe() closely
  for (let i = 0; i < 60; i++) {
    const c = new Collector(nl.subscribe(['ipv4-addr']))
    try {
      await nl.addrAdd(ia, `10.205.200.${i}/32`)
      const ev = await c.waitFor(isAddr(`10.205.200.${i}/32`, 'new', ia), { what: `addr new 10.205.200.${i}/32` })
      t.is(ev.address.link, a, `attempt ${i}: the address's link is named`)
    } finally {
      await c.close()
    }
  }
})

// ---- per-family groups --------------------------------------------------------------------

test("per-family groups: 'ipv4-route' gets no IPv6 routes, 'ipv6-route' no IPv4 routes (kernel-made routes)", async (t) => {
  const c4 = collect(t, nl, ['ipv4-route'])
  const c6 = collect(t, nl, ['ipv6-route'])
  const { a, ia } = pair(t)
  ipDo(['addr', 'add', '2001:db8:e05:a::1/64', 'dev', a, 'nodad'])
  ipDo(['addr', 'add', '10.205.10.1/24', 'dev', a])
  ipDo(['addr', 'add', '2001:db8:e05:b::1/64', 'dev', a, 'nodad'])
  // Notifications arrive in order: once the last route of each family is seen, the other
  // family's routes (made before it) would have been seen as well.
  await c4.waitFor(isRoute('10.205.10.0/24', 254, 'new'), { what: 'route new 10.205.10.0/24' })
  await c6.waitFor(isRoute('2001:db8:e05:b::/64', 254, 'new'), { what: 'route new 2001:db8:e05:b::/64' })
  t.deepEqual(c4.filter((e) => e.type !== 'route' || e.route.family !== 4).map(describeEvent), [], "'ipv4-route' only")
  t.deepEqual(c6.filter((e) => e.type !== 'route' || e.route.family !== 6).map(describeEvent), [], "'ipv6-route' only")
  t.true(c6.events.some(isRoute('2001:db8:e05:a::/64', 254, 'new')), 'the IPv6 route made first was seen')
  t.true(
    c4.events.some((e) => e.route.oif === ia),
    'IPv4 routes of the link were seen',
  )
})

test("per-family groups: 'ipv4-route' gets no IPv6 routes made with ip route add", async (t) => {
  const T = table(t)
  const c = collect(t, nl, ['ipv4-route'])
  const { a } = pair(t, ['10.205.11.1/24', '2001:db8:e05:c::1/64'])
  ipDo(['-6', 'route', 'add', '2001:db8:e05:111::/64', 'dev', a, 'table', T])
  ipDo(['route', 'add', '10.205.111.0/24', 'dev', a, 'table', T])
  await c.waitFor(isRoute('10.205.111.0/24', T, 'new'), { what: 'route new 10.205.111.0/24' })
  t.deepEqual(c.filter((e) => e.type !== 'route' || e.route.family !== 4).map(describeEvent), [])
})

test("per-family groups: 'ipv6-addr' gets no IPv4 addresses, and no other kinds", async (t) => {
  const c = collect(t, nl, ['ipv6-addr'])
  const { a, ia } = pair(t)
  ipDo(['addr', 'add', '10.205.12.1/24', 'dev', a])
  ipDo(['neigh', 'add', '10.205.12.5', 'lladdr', '02:00:00:00:00:03', 'dev', a, 'nud', 'permanent'])
  ipDo(['link', 'set', 'dev', a, 'mtu', '1400'])
  ipDo(['addr', 'add', '2001:db8:e05:d::1/64', 'dev', a, 'nodad'])
  await c.waitFor(isAddr('2001:db8:e05:d::1/64', 'new', ia), { what: 'addr new 2001:db8:e05:d::1/64' })
  t.deepEqual(c.filter((e) => e.type !== 'addr' || e.address.family !== 6).map(describeEvent), [])
})

test("per-family groups: 'ipv4-addr' gets no IPv6 addresses, 'ipv4-rule' no IPv6 rules", async (t) => {
  const ca = collect(t, nl, ['ipv4-addr'])
  const cr = collect(t, nl, ['ipv4-rule'])
  const { a, ia } = pair(t)
  const T = table(t)
  const p4 = nextPriority()
  const p6 = nextPriority()
  t.teardown(() => {
    ipTry(['rule', 'del', 'priority', p4])
    ipTry(['-6', 'rule', 'del', 'priority', p6])
  })
  ipDo(['addr', 'add', '2001:db8:e05:e::1/64', 'dev', a, 'nodad'])
  ipDo(['-6', 'rule', 'add', 'from', '2001:db8:e05:e::/64', 'table', T, 'priority', p6])
  ipDo(['addr', 'add', '10.205.14.1/24', 'dev', a])
  ipDo(['rule', 'add', 'from', '10.205.14.0/24', 'table', T, 'priority', p4])
  await ca.waitFor(isAddr('10.205.14.1/24', 'new', ia), { what: 'addr new 10.205.14.1/24' })
  await cr.waitFor(isRule(p4, 'new'), { what: `rule new ${p4}` })
  t.deepEqual(ca.filter((e) => e.type !== 'addr' || e.address.family !== 4).map(describeEvent), [])
  t.deepEqual(cr.filter((e) => e.type !== 'rule' || e.rule.family !== 4).map(describeEvent), [])
})

test('two subscriptions see the same events; link events are not delivered unless asked for', async (t) => {
  const c1 = collect(t, nl, ['ipv6-addr', 'link'])
  const c2 = collect(t, nl, ['addr'])
  const { a, ia } = pair(t)
  ipDo(['link', 'set', 'dev', a, 'mtu', '1300'])
  ipDo(['addr', 'add', '2001:db8:e05:f::1/64', 'dev', a, 'nodad'])
  const e1 = await c1.waitFor(isAddr('2001:db8:e05:f::1/64', 'new', ia), { what: 'addr new (1)' })
  const e2 = await c2.waitFor(isAddr('2001:db8:e05:f::1/64', 'new', ia), { what: 'addr new (2)' })
  t.deepEqual(e1, e2)
  t.true(c1.events.some(isLink(a, 'new', (l) => l.mtu === 1300)), 'link event in the subscription that asked for links')
  t.deepEqual(c2.filter((e) => e.type !== 'addr').map(describeEvent), [], 'no link events in the other')
})

test('every event is a typed object with a known type and action', async (t) => {
  const c = collect(t, nl, ['link', 'addr', 'route', 'neigh', 'rule'])
  const { a, ia } = pair(t)
  const T = table(t)
  const prio = nextPriority()
  t.teardown(() => ipTry(['rule', 'del', 'priority', prio]))
  ipDo(['rule', 'add', 'from', '10.205.16.0/24', 'table', T, 'priority', prio])
  ipDo(['addr', 'add', '2001:db8:e05:10::1/64', 'dev', a, 'nodad'])
  ipDo(['addr', 'add', '10.205.16.1/24', 'dev', a])
  ipDo(['neigh', 'add', '10.205.16.5', 'lladdr', '02:00:00:00:00:04', 'dev', a, 'nud', 'permanent'])
  ipDo(['link', 'set', 'dev', a, 'mtu', '1234'])
  await c.waitFor(
    isLink(a, 'new', (l) => l.mtu === 1234),
    { what: `link ${a} mtu 1234` },
  ) // the last change
  const key = { link: 'link', addr: 'address', route: 'route', neigh: 'neigh', rule: 'rule' }
  for (const e of c.events) {
    if (e.type === 'overflow') continue
    t.true(e.type in key, `type ${e.type}`)
    t.true(e.action === 'new' || e.action === 'del', `action ${e.action}`)
    t.is(typeof e[key[e.type]], 'object', `payload of ${e.type}`)
    t.false('existing' in e)
  }
  for (const type of ['link', 'addr', 'route', 'neigh', 'rule']) {
    t.true(
      c.events.some((e) => e.type === type),
      `saw a ${type} event`,
    )
  }
  t.true(c.events.some((e) => e.type === 'addr' && e.address.index === ia))
})
