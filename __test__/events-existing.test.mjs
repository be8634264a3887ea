// Events with listExisting: the objects that exist when subscribing arrive first, marked
// existing:true, none missing and none duplicated (checked against `ip -j link`, `ip -j addr`,
// `ip -j route show table all`, `ip -j neigh`, `ip -j rule`), then changes arrive as live events.
//
// What it owns in the shared namespace is its entry in support/registry.mjs
// (10.202.0.0/16, 2001:db8:e02::/48, route tables, rule priorities).
//
// Other test files change the same namespace meanwhile, so namespace-wide comparisons are
// one-directional (everything that existed before subscribing and still exists afterwards must
// be listed exactly once); this file's own objects are compared exactly, field by field.

import test from 'ava'
import * as nl from '../index.js'
import { ipDo, ipTry, ip, ipAsync } from './support/oracle.mjs'
import { namer } from './support/names.mjs'
import { ipVeth } from './support/veth.mjs'
import { collect, poll, describeEvent, routeId, ipRouteId, addrId, linkId, eventsLock } from './support/events.mjs'
import { flushTableAfter } from './support/cleanup.mjs'
import { owned } from './support/registry.mjs'

// While this file runs, no 100,000-route burst (events-burst.test.mjs) floods its subscriptions.
let unlock
test.before(async () => {
  unlock = await eventsLock()
})
test.after.always(() => unlock?.())

const own = owned('events-existing')
const ifname = namer(own.prefix)
let tableSeq = 0
const table = (t) => flushTableAfter(t, own.table(tableSeq++))
let prioSeq = 0
const nextPriority = () => own.priority(prioSeq++)

const LIST_GUARD = 60000

const evKey = (e) => {
  switch (e.type) {
    case 'link':
      return `link ${linkId(e.link.index, e.link.name)}`
    case 'addr':
      return `addr ${addrId(e.address.index, e.address.address, e.address.prefixLen)}`
    case 'route':
      return `route ${routeId({ ...e.route, dev: e.route.dev })}`
    case 'neigh':
      return `neigh ${e.neigh.family}|${e.neigh.dev ?? e.neigh.index}|${e.neigh.dst}`
    case 'rule':
      return `rule ${e.rule.family}|${e.rule.priority}|${e.rule.table}|${e.rule.from ?? 'all'}|${e.rule.to ?? 'all'}|${e.rule.action}`
    default:
      return e.type
  }
}

/** Keys of everything `ip` lists now (links, addresses, routes of all tables). */
async function ipSnapshot() {
  const [links, addrs, r4, r6] = await Promise.all([
    ipAsync(['link', 'show']),
    ipAsync(['addr', 'show']),
    ipAsync(['-d', '-4', 'route', 'show', 'table', 'all']),
    ipAsync(['-d', '-6', 'route', 'show', 'table', 'all']),
  ])
  const keys = new Set()
  for (const l of links) keys.add(`link ${linkId(l.ifindex, l.ifname)}`)
  for (const l of addrs) {
    for (const a of l.addr_info ?? []) keys.add(`addr ${addrId(l.ifindex, a.local, a.prefixlen)}`)
  }
  for (const r of r4) keys.add(`route ${ipRouteId(r, 4)}`)
  for (const r of r6) keys.add(`route ${ipRouteId(r, 6)}`)
  return keys
}

const TABLES = { default: 253, main: 254, local: 255 }

/** Keys (family|priority|table) of the rules `ip` lists now. */
function ipRules() {
  return [4, 6].flatMap((f) => ip([`-${f}`, 'rule', 'show']).map((r) => `${f}|${r.priority}|${TABLES[r.table] ?? r.table}`))
}

function countBy(list, key) {
  const m = new Map()
  for (const x of list) m.set(key(x), (m.get(key(x)) ?? 0) + 1)
  return m
}

/** Keys listed more than once. */
const duplicates = (counts) => [...counts].filter(([, n]) => n > 1).map(([k, n]) => `${k} x${n}`)

/** My objects: two veth pairs with addresses, routes in two tables, neighbours, rules. */
function setup(t) {
  const p = ipVeth(t, ifname(), ifname(), { up: true })
  const q = ipVeth(t, ifname(), ifname(), { up: true })
  const T1 = table(t)
  const T2 = table(t)
  const prios = [nextPriority(), nextPriority()]
  t.teardown(() => {
    ipTry(['rule', 'del', 'priority', prios[0]])
    ipTry(['-6', 'rule', 'del', 'priority', prios[1]])
  })
  ipDo(['addr', 'add', '10.202.0.1/24', 'dev', p.a])
  ipDo(['addr', 'add', '10.202.1.1/24', 'dev', p.a, 'scope', 'link'])
  ipDo(['addr', 'add', '2001:db8:e02::1/64', 'dev', p.a, 'nodad'])
  ipDo(['addr', 'add', '10.202.2.1/24', 'dev', q.a])
  ipDo(['addr', 'add', '2001:db8:e02:2::1/64', 'dev', q.a, 'nodad'])
  const lines = []
  for (let i = 0; i < 40; i++) lines.push(['route', 'add', `10.202.100.${i}/32`, 'via', '10.202.0.2', 'dev', p.a, 'table', T1])
  for (let i = 0; i < 10; i++)
    lines.push(['-6', 'route', 'add', `2001:db8:e02:100::${i}/128`, 'via', '2001:db8:e02::2', 'dev', p.a, 'table', T1])
  for (let i = 0; i < 5; i++) lines.push(['route', 'add', `10.202.200.${i}/32`, 'dev', q.a, 'table', T2, 'metric', 10 + i])
  for (const l of lines) ipDo(l)
  ipDo(['neigh', 'add', '10.202.0.5', 'lladdr', '02:00:00:00:00:05', 'dev', p.a, 'nud', 'permanent'])
  ipDo(['-6', 'neigh', 'add', '2001:db8:e02::5', 'lladdr', '02:00:00:00:00:06', 'dev', p.a, 'nud', 'permanent'])
  ipDo(['rule', 'add', 'from', '10.202.0.0/16', 'table', T1, 'priority', prios[0]])
  ipDo(['-6', 'rule', 'add', 'from', '2001:db8:e02::/48', 'table', T1, 'priority', prios[1]])
  return { p, q, T1, T2, prios, mine: new Set([p.a, p.b, q.a, q.b]) }
}

/**
 * Lists links, addresses and routes with listExisting and compares with `ip`. allRoutes: compare
 * the routes of every table namespace-wide (else only this file's tables; links and addresses are
 * always compared namespace-wide).
 */
async function listing(t, { allRoutes }) {
  t.timeout(120000)
  const { p, q, T1, T2, mine } = setup(t)
  if (allRoutes) {
    // The same prefix on two devices (two routes; ip route append), as ff00::/8 on every IPv6 link.
    ipDo(['route', 'add', '10.202.50.0/24', 'dev', p.a, 'table', T2])
    ipDo(['route', 'append', '10.202.50.0/24', 'dev', q.a, 'table', T2])
  }
  const compared = (k) => allRoutes || !k.startsWith('route ') || k.includes(`|${T1}|`) || k.includes(`|${T2}|`)
  const before = new Set([...(await ipSnapshot())].filter(compared))
  const ipMine = {
    links: ip(['link', 'show']).filter((l) => mine.has(l.ifname)),
    addrs: ip(['addr', 'show']).filter((l) => mine.has(l.ifname)),
    routes: [4, 6].flatMap((f) =>
      ip(['-d', `-${f}`, 'route', 'show', 'table', 'all'])
        .filter((r) => mine.has(r.dev))
        .map((r) => ({ ...r, family: f })),
    ),
  }
  const mineRoute = (r) =>
    mine.has(r.dev) && (allRoutes || r.table === T1 || r.table === T2 || r.table === String(T1) || r.table === String(T2))
  ipMine.routes = ipMine.routes.filter(mineRoute)
  const c = collect(t, nl, ['link', 'addr', 'route'], { listExisting: true })

  // Wait until the listing covers everything that existed before (and still exists).
  let missing = []
  await poll(
    async () => {
      const seen = new Set(c.events.filter((e) => e.existing).map(evKey))
      missing = [...before].filter((k) => !seen.has(k))
      if (missing.length === 0) return true
      const now = await ipSnapshot()
      missing = missing.filter((k) => now.has(k)) // the rest was removed by other tests meanwhile
      return missing.length === 0
    },
    {
      timeout: allRoutes ? 30000 : LIST_GUARD,
      interval: 250,
      what: () => `the listing; still missing ${missing.length}: ${missing.slice(0, 10).join('; ')}; ${c.summary()}`,
    },
  )
  const listing = c.events.filter((e) => e.existing)
  const after = new Set([...(await ipSnapshot())].filter(compared))
  // An overflow would repeat the listing (and drop events): the checks below would not hold.
  t.deepEqual(c.filter((e) => e.type === 'overflow').map(describeEvent), [], 'no overflow')
  t.true(listing.length > 0)
  for (const e of listing) {
    t.is(e.existing, true)
    t.is(e.action, 'new', `a listed object is 'new': ${describeEvent(e)}`)
    t.true(['link', 'addr', 'route'].includes(e.type), describeEvent(e))
  }

  // Namespace-wide: what existed before and after is listed exactly once; nothing is listed twice.
  const counts = countBy(listing, evKey)
  const stable = [...before].filter((k) => after.has(k))
  t.deepEqual(
    stable.filter((k) => !counts.has(k)),
    [],
    'missing from the listing',
  )
  t.deepEqual(duplicates(counts), [], 'listed more than once')

  // My objects, exactly and field by field.
  const myLinks = listing.filter((e) => e.type === 'link' && mine.has(e.link.name))
  t.deepEqual(myLinks.map((e) => e.link.name).sort(), [...mine].sort())
  for (const e of myLinks) {
    const l = ipMine.links.find((x) => x.ifname === e.link.name)
    t.is(e.link.index, l.ifindex)
    t.is(e.link.kind, 'veth')
    t.is(e.link.mtu, l.mtu)
    t.is(e.link.address, l.address)
    t.true(e.link.up)
  }
  const myAddrs = listing.filter((e) => e.type === 'addr' && mine.has(e.address.link))
  const ipAddrs = ipMine.addrs.flatMap((l) => l.addr_info.map((a) => ({ ...a, ifname: l.ifname, ifindex: l.ifindex })))
  t.deepEqual(
    myAddrs.map((e) => `${e.address.link} ${e.address.cidr}`).sort(),
    ipAddrs.map((a) => `${a.ifname} ${a.local}/${a.prefixlen}`).sort(),
  )
  for (const e of myAddrs) {
    const a = ipAddrs.find((x) => x.local === e.address.address && x.ifname === e.address.link)
    t.is(e.address.family, a.family === 'inet6' ? 6 : 4)
    t.is(e.address.index, a.ifindex)
    t.is(e.address.scope, a.scope)
    t.is(e.address.label, a.label)
  }
  const myRoutes = listing.filter((e) => e.type === 'route' && mineRoute(e.route))
  t.deepEqual(myRoutes.map((e) => routeId(e.route)).sort(), ipMine.routes.map((r) => ipRouteId(r, r.family)).sort(), 'my routes')
  t.is(myRoutes.filter((e) => e.route.table === T1).length, 50)
  t.is(myRoutes.filter((e) => e.route.table === T2).length, allRoutes ? 7 : 5)
  for (const e of myRoutes.filter((x) => x.route.table === T1 && x.route.family === 4)) {
    t.is(e.route.gateway, '10.202.0.2')
    t.is(e.route.protocol, 'boot')
    t.is(e.route.dev, p.a)
  }
  for (const [i, e] of myRoutes
    .filter((x) => x.route.table === T2 && x.route.metric)
    .sort((x, y) => x.route.metric - y.route.metric)
    .entries()) {
    t.is(e.route.metric, 10 + i)
    t.is(e.route.dev, q.a)
    t.is(e.route.dst, `10.202.200.${i}`)
  }

  // A change made now arrives as a live event, after the listing of my objects.
  const from = c.events.length
  ipDo(['addr', 'add', '10.202.3.1/24', 'dev', p.a])
  ipDo(['route', 'add', '10.202.150.0/24', 'dev', p.a, 'table', T1])
  ipDo(['link', 'set', 'dev', q.a, 'mtu', '1280'])
  // (action 'new': the other listing test, running alongside, removes the same objects)
  const la = await c.waitFor((e) => e.type === 'addr' && e.action === 'new' && e.address.cidr === '10.202.3.1/24', {
    from,
    what: 'addr new 10.202.3.1/24',
  })
  const lr = await c.waitFor((e) => e.type === 'route' && e.action === 'new' && e.route.dst === '10.202.150.0/24' && e.route.table === T1, {
    from,
    what: 'route new 10.202.150.0/24',
  })
  const ll = await c.waitFor((e) => e.type === 'link' && e.link.name === q.a && e.link.mtu === 1280, { from, what: `link ${q.a} mtu 1280` })
  for (const e of [la, lr, ll]) {
    t.false('existing' in e, `live: ${describeEvent(e)}`)
    t.is(e.action, 'new')
  }
  const lastMine = Math.max(...[...myLinks, ...myAddrs, ...myRoutes].map((e) => c.events.indexOf(e)))
  t.true(lastMine < c.events.indexOf(la), 'my listed objects came before the live events')
  t.false(
    c.events.some((e) => e.existing && (e.address?.cidr === '10.202.3.1/24' || e.route?.dst === '10.202.150.0/24')),
    'not listed',
  )
}

test('listExisting: links, addresses and routes that exist are listed first (existing:true), none missing, none duplicated; then changes are live', async (t) => {
  await listing(t, { allRoutes: false })
})

// Routes that differ only in their device (ff00::/8 and fe80::/64 per link, `ip route append`) are
// all listed: a route's identity includes its device and next hops.
test('listExisting lists every route of every table, also the same prefix on several devices (ip -j route show table all)', async (t) => {
  await listing(t, { allRoutes: true })
})

test('listExisting: neighbours and rules are listed once each (existing:true), field by field; then a deletion is live', async (t) => {
  const { p, T1, prios } = setup(t)
  const rulesBefore = ipRules()
  const c = collect(t, nl, ['neigh', 'rule'], { listExisting: true })
  const isN4 = (e) => e.type === 'neigh' && e.neigh.dst === '10.202.0.5' && e.neigh.dev === p.a
  const isN6 = (e) => e.type === 'neigh' && e.neigh.dst === '2001:db8:e02::5' && e.neigh.dev === p.a
  const isR4 = (e) => e.type === 'rule' && e.rule.priority === prios[0] && e.rule.family === 4
  const isR6 = (e) => e.type === 'rule' && e.rule.priority === prios[1] && e.rule.family === 6
  const n4 = await c.waitFor(isN4, { what: 'listed neigh 10.202.0.5' })
  const n6 = await c.waitFor(isN6, { what: 'listed neigh 2001:db8:e02::5' })
  const r4 = await c.waitFor(isR4, { what: `listed rule ${prios[0]}` })
  const r6 = await c.waitFor(isR6, { what: `listed rule ${prios[1]}` })
  for (const e of [n4, n6, r4, r6]) {
    t.is(e.existing, true, describeEvent(e))
    t.is(e.action, 'new')
  }
  const ipn = ip(['neigh', 'show', 'dev', p.a]).find((n) => n.dst === '10.202.0.5')
  t.is(n4.neigh.lladdr, ipn.lladdr)
  t.deepEqual(n4.neigh.state, ['PERMANENT'])
  t.is(n4.neigh.family, 4)
  t.is(n6.neigh.lladdr, '02:00:00:00:00:06')
  t.is(n6.neigh.family, 6)
  t.is(r4.rule.from, '10.202.0.0/16')
  t.is(r4.rule.table, T1)
  t.is(r4.rule.action, 'to_tbl')
  t.is(r6.rule.from, '2001:db8:e02::/48')

  // Every rule ip lists (before and after) is listed; none twice.
  await poll(
    () => {
      const seen = new Set(
        c.events.filter((e) => e.existing && e.type === 'rule').map((e) => `${e.rule.family}|${e.rule.priority}|${e.rule.table}`),
      )
      const now = new Set(ipRules())
      return rulesBefore.every((k) => seen.has(k) || !now.has(k))
    },
    { what: () => `all rules listed (${c.summary()})` },
  )
  const listed = c.events.filter((e) => e.existing)
  t.deepEqual(duplicates(countBy(listed, evKey)), [], 'listed more than once')
  for (const f of [4, 6]) {
    t.true(
      listed.some((e) => e.type === 'rule' && e.rule.family === f && e.rule.table === 255 && e.rule.priority === 0),
      `IPv${f} local rule (priority 0) listed`,
    )
  }

  const from = c.events.length
  ipDo(['neigh', 'del', '10.202.0.5', 'dev', p.a])
  ipDo(['rule', 'del', 'priority', prios[0]])
  const dn = await c.waitFor((e) => isN4(e) && e.action === 'del', { from, what: 'neigh del' })
  const dr = await c.waitFor((e) => isR4(e) && e.action === 'del', { from, what: 'rule del' })
  t.false('existing' in dn)
  t.false('existing' in dr)
})

test("listExisting with one group ('ipv4-route') lists only IPv4 routes, not links or IPv6 routes", async (t) => {
  const { T1 } = setup(t)
  const c = collect(t, nl, ['ipv4-route'], { listExisting: true })
  const mineT1 = ip(['-d', '-4', 'route', 'show', 'table', T1])
    .map((r) => r.dst)
    .sort()
  t.is(mineT1.length, 40)
  await poll(() => mineT1.every((d) => c.events.some((e) => e.existing && e.route.table === T1 && e.route.dst === d)), {
    what: `table ${T1} listed`,
  })
  t.deepEqual(c.filter((e) => e.type !== 'route' || e.route.family !== 4).map(describeEvent), [])
  const listedT1 = c
    .filter((e) => e.existing && e.route.table === T1)
    .map((e) => e.route.dst)
    .sort()
  t.deepEqual(listedT1, mineT1, 'exactly the routes of the table, once each')
  t.true(
    c.events.some((e) => e.existing && e.route.table === 255 && e.route.type === 'local'),
    'local table listed too',
  )
})

test('listExisting: an object created right after subscribe() is seen (listed or live) exactly once as new', async (t) => {
  const { p, T1 } = setup(t)
  const c = collect(t, nl, ['ipv4-route'], { listExisting: true })
  ipDo(['route', 'add', '10.202.160.0/24', 'dev', p.a, 'table', T1]) // races the listing
  await c.waitFor((e) => e.route?.dst === '10.202.160.0/24', { what: 'route 10.202.160.0/24' })
  // A later sentinel: once it is seen, anything about the raced route would have been seen too.
  ipDo(['route', 'add', '10.202.161.0/24', 'dev', p.a, 'table', T1])
  await c.waitFor((e) => e.route?.dst === '10.202.161.0/24' && !e.existing, { what: 'sentinel route' })
  const raced = c.filter((e) => e.route?.dst === '10.202.160.0/24')
  t.true(raced.length >= 1 && raced.length <= 2, raced.map(describeEvent).join('; '))
  t.true(raced.every((e) => e.action === 'new'))
  // Seen as listed, as live, or (when the listing ran after the change reached us) both - never twice the same way.
  t.true(raced.filter((e) => e.existing).length <= 1)
  t.true(raced.filter((e) => !e.existing).length <= 1)
})
