// Events: every kind (link, addr, route, neigh, rule) produced by real changes, made with `ip`
// and with nlkit, checked field by field against `ip -j`. What a subscription receives (changes
// right after subscribe(), per-family groups, several subscriptions) is in events-subscribe.test.mjs.
//
// What it owns in the shared namespace is its entry in support/registry.mjs
// (10.201.0.0/16, 2001:db8:e01::/48, route tables, rule priorities).

import test from 'ava'
import * as nl from '../index.js'
import { ipDo, ipTry, ip, ipLink } from './support/oracle.mjs'
import { namer } from './support/names.mjs'
import { ipVeth } from './support/veth.mjs'
import { collect, describeEvent, eventsLock, isLink, isAddr, isRoute, isNeigh, isRule } from './support/events.mjs'
import { flushTableAfter } from './support/cleanup.mjs'
import { owned } from './support/registry.mjs'

// While this file runs, no 100,000-route burst (events-burst.test.mjs) floods its subscriptions.
let unlock
test.before(async () => {
  unlock = await eventsLock()
})
test.after.always(() => unlock?.())

const own = owned('events-kinds')
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

/** Checks a live event's envelope. */
function envelope(t, ev, type, action) {
  t.is(ev.type, type)
  t.is(ev.action, action)
  t.false('existing' in ev, `a live event has no existing flag: ${describeEvent(ev)}`)
}

/** An addr event against the `ip -j addr` entry of the same address. */
function checkAddr(t, a, { family, address, prefixLen, link, index, scope, ai }) {
  t.is(a.family, family)
  t.is(a.address, address)
  t.is(a.prefixLen, prefixLen)
  t.is(a.cidr, `${address}/${prefixLen}`)
  t.is(a.link, link)
  t.is(a.index, index)
  t.is(a.scope, scope)
  if (ai) {
    t.is(ai.family, family === 4 ? 'inet' : 'inet6')
    t.is(a.scope, ai.scope, 'scope as ip prints it')
    t.is(a.prefixLen, ai.prefixlen)
    t.is(a.label, ai.label, 'label as ip prints it')
    t.is(a.validLifetime, ai.valid_life_time)
    t.is(a.preferredLifetime, ai.preferred_life_time)
  }
  t.true(a.flags.includes('permanent'), `flags ${a.flags}`)
  if (family === 6) t.true(a.flags.includes('nodad'), `flags ${a.flags}`)
}

/** A route event against the `ip -j -d route show table T` entry of the same route. */
function checkRoute(t, r, want, ipr) {
  for (const [k, v] of Object.entries(want)) t.deepEqual(r[k], v, `route ${r.dst}: ${k}`)
  if (ipr) {
    t.is(r.dst, ipr.dst)
    t.is(r.gateway, ipr.gateway, 'gateway as ip prints it')
    t.is(r.dev, ipr.dev, 'dev as ip prints it')
    t.is(r.protocol, ipr.protocol, 'protocol as ip prints it')
    t.is(r.scope, ipr.scope, 'scope as ip prints it')
    t.is(r.type, ipr.type, 'type as ip prints it')
    t.is(r.metric, ipr.metric, 'metric as ip prints it')
    t.deepEqual([...r.flags].sort(), [...(ipr.flags ?? [])].sort(), 'flags as ip prints them')
    t.is(r.pref, ipr.pref, 'pref as ip prints it')
  }
}

function ipAddrInfo(dev, address) {
  return ip(['addr', 'show', 'dev', dev])[0].addr_info.find((x) => x.local === address)
}

function ipRoute(table, family, dst) {
  return ip(['-d', `-${family}`, 'route', 'show', 'table', table]).find((r) => r.dst === dst)
}

// ---- links --------------------------------------------------------------------------------

test('link: ip link add -> new, set up -> new with up:true, ip link del -> del', async (t) => {
  const c = collect(t, nl, ['link'])
  const a = ifname()
  const b = ifname()
  ipDo(['link', 'add', 'name', a, 'type', 'veth', 'peer', 'name', b])
  t.teardown(() => ipTry(['link', 'del', 'dev', a]))
  const il = ipLink(a)
  const ib = ipLink(b)

  const added = await c.waitFor(isLink(a, 'new'), { what: `link new ${a}` })
  envelope(t, added, 'link', 'new')
  t.is(added.link.index, il.ifindex)
  t.is(added.link.name, a)
  t.is(added.link.kind, 'veth')
  t.is(added.link.up, false)
  t.false(added.link.flags.includes('UP'))
  t.is(added.link.mtu, il.mtu)
  t.is(added.link.address, il.address)
  t.is(added.link.linkType, 'ether')
  t.is(added.link.linkIndex, ib.ifindex, 'peer index')
  t.is(added.link.link, b, 'peer name')
  const peer = await c.waitFor(isLink(b, 'new'), { what: `link new ${b}` })
  t.is(peer.link.index, ib.ifindex)
  t.is(peer.link.kind, 'veth')

  const from = c.events.length
  ipDo(['link', 'set', 'dev', a, 'up'])
  const up = await c.waitFor(
    isLink(a, 'new', (l) => l.up),
    { from, what: `link new ${a} up:true` },
  )
  envelope(t, up, 'link', 'new')
  t.is(up.link.index, il.ifindex)
  t.true(up.link.flags.includes('UP'))
  t.is(ipLink(a).flags.includes('UP'), true, 'ip agrees it is up')

  ipDo(['link', 'del', 'dev', a])
  const del = await c.waitFor(isLink(a, 'del'), { from, what: `link del ${a}` })
  envelope(t, del, 'link', 'del')
  t.is(del.link.index, il.ifindex)
  t.is(del.link.kind, 'veth')
  const delPeer = await c.waitFor(isLink(b, 'del'), { from, what: `link del ${b}` })
  t.is(delPeer.link.index, ib.ifindex)
  t.is(ipLink(a), undefined)
})

test('link: nlkit linkAddVeth -> new, linkSetUp -> new with up:true, linkSetDown, linkDel -> del', async (t) => {
  const c = collect(t, nl, ['link'])
  const a = ifname()
  const b = ifname()
  await nl.linkAddVeth(a, b)
  t.teardown(() => ipTry(['link', 'del', 'dev', a]))
  const il = ipLink(a)
  const added = await c.waitFor(isLink(a, 'new'), { what: `link new ${a}` })
  envelope(t, added, 'link', 'new')
  t.is(added.link.index, il.ifindex)
  t.is(added.link.kind, 'veth')
  t.is(added.link.up, false)

  let from = c.events.length
  await nl.linkSetUp(a)
  const up = await c.waitFor(
    isLink(a, 'new', (l) => l.up),
    { from, what: `link new ${a} up:true` },
  )
  t.true(up.link.flags.includes('UP'))
  t.is(up.link.index, il.ifindex)

  from = c.events.length
  await nl.linkSetDown(a)
  const down = await c.waitFor(
    isLink(a, 'new', (l) => !l.up),
    { from, what: `link new ${a} up:false` },
  )
  t.false(down.link.flags.includes('UP'))

  await nl.linkDel(a)
  const del = await c.waitFor(isLink(a, 'del'), { from, what: `link del ${a}` })
  envelope(t, del, 'link', 'del')
  t.is(del.link.index, il.ifindex)
})

// ---- addresses ----------------------------------------------------------------------------

test('addr: IPv4 ip addr add / del -> new / del, field by field', async (t) => {
  const c = collect(t, nl, ['addr'])
  const { a, ia } = pair(t)
  ipDo(['addr', 'add', '10.201.1.1/24', 'dev', a])
  ipDo(['addr', 'add', '10.201.2.1/24', 'dev', a, 'scope', 'link'])
  const g = await c.waitFor(isAddr('10.201.1.1/24', 'new', ia), { what: 'addr new 10.201.1.1/24' })
  envelope(t, g, 'addr', 'new')
  checkAddr(t, g.address, {
    family: 4,
    address: '10.201.1.1',
    prefixLen: 24,
    link: a,
    index: ia,
    scope: 'global',
    ai: ipAddrInfo(a, '10.201.1.1'),
  })
  const l = await c.waitFor(isAddr('10.201.2.1/24', 'new', ia), { what: 'addr new 10.201.2.1/24' })
  checkAddr(t, l.address, {
    family: 4,
    address: '10.201.2.1',
    prefixLen: 24,
    link: a,
    index: ia,
    scope: 'link',
    ai: ipAddrInfo(a, '10.201.2.1'),
  })

  ipDo(['addr', 'del', '10.201.1.1/24', 'dev', a])
  const d = await c.waitFor(isAddr('10.201.1.1/24', 'del', ia), { what: 'addr del 10.201.1.1/24' })
  envelope(t, d, 'addr', 'del')
  checkAddr(t, d.address, { family: 4, address: '10.201.1.1', prefixLen: 24, link: a, index: ia, scope: 'global' })
  t.is(ipAddrInfo(a, '10.201.1.1'), undefined)
})

test('addr: IPv6 ip addr add nodad / del -> new / del, field by field', async (t) => {
  const c = collect(t, nl, ['addr'])
  const { a, ia } = pair(t)
  ipDo(['addr', 'add', '2001:db8:e01::1/64', 'dev', a, 'nodad'])
  ipDo(['addr', 'add', 'fe80::e01:1/64', 'dev', a, 'nodad'])
  const g = await c.waitFor(isAddr('2001:db8:e01::1/64', 'new', ia), { what: 'addr new 2001:db8:e01::1/64' })
  envelope(t, g, 'addr', 'new')
  checkAddr(t, g.address, {
    family: 6,
    address: '2001:db8:e01::1',
    prefixLen: 64,
    link: a,
    index: ia,
    scope: 'global',
    ai: ipAddrInfo(a, '2001:db8:e01::1'),
  })
  const l = await c.waitFor(isAddr('fe80::e01:1/64', 'new', ia), { what: 'addr new fe80::e01:1/64' })
  checkAddr(t, l.address, {
    family: 6,
    address: 'fe80::e01:1',
    prefixLen: 64,
    link: a,
    index: ia,
    scope: 'link',
    ai: ipAddrInfo(a, 'fe80::e01:1'),
  })

  ipDo(['addr', 'del', '2001:db8:e01::1/64', 'dev', a])
  const d = await c.waitFor(isAddr('2001:db8:e01::1/64', 'del', ia), { what: 'addr del 2001:db8:e01::1/64' })
  envelope(t, d, 'addr', 'del')
  checkAddr(t, d.address, { family: 6, address: '2001:db8:e01::1', prefixLen: 64, link: a, index: ia, scope: 'global' })
})

test('addr: nlkit addrAdd / addrDel IPv4 -> new / del', async (t) => {
  const c = collect(t, nl, ['ipv4-addr'])
  const { a, ia } = pair(t)
  await nl.addrAdd(a, '10.201.3.1/24')
  const g = await c.waitFor(isAddr('10.201.3.1/24', 'new', ia), { what: 'addr new 10.201.3.1/24' })
  envelope(t, g, 'addr', 'new')
  checkAddr(t, g.address, {
    family: 4,
    address: '10.201.3.1',
    prefixLen: 24,
    link: a,
    index: ia,
    scope: 'global',
    ai: ipAddrInfo(a, '10.201.3.1'),
  })
  await nl.addrDel(a, '10.201.3.1/24')
  const d = await c.waitFor(isAddr('10.201.3.1/24', 'del', ia), { what: 'addr del 10.201.3.1/24' })
  envelope(t, d, 'addr', 'del')
})

test('addr: nlkit addrAdd / addrDel IPv6 (nodad) -> new / del', async (t) => {
  const c = collect(t, nl, ['ipv6-addr'])
  const { a, ia } = pair(t)
  await nl.addrAdd(a, '2001:db8:e01:3::1/64', { nodad: true })
  const g = await c.waitFor(isAddr('2001:db8:e01:3::1/64', 'new', ia), { what: 'addr new 2001:db8:e01:3::1/64' })
  envelope(t, g, 'addr', 'new')
  checkAddr(t, g.address, {
    family: 6,
    address: '2001:db8:e01:3::1',
    prefixLen: 64,
    link: a,
    index: ia,
    scope: 'global',
    ai: ipAddrInfo(a, '2001:db8:e01:3::1'),
  })
  await nl.addrDel(a, '2001:db8:e01:3::1/64')
  const d = await c.waitFor(isAddr('2001:db8:e01:3::1/64', 'del', ia), { what: 'addr del 2001:db8:e01:3::1/64' })
  envelope(t, d, 'addr', 'del')
  t.is(d.address.link, a)
})

// ---- routes -------------------------------------------------------------------------------

test('route: IPv4 ip route add / del in a table -> new / del, field by field', async (t) => {
  const T = table(t)
  const c = collect(t, nl, ['route'])
  const { a, ia } = pair(t, ['10.201.4.1/24'])
  ipDo(['route', 'add', '10.201.100.0/24', 'via', '10.201.4.2', 'dev', a, 'table', T])
  ipDo(['route', 'add', '10.201.101.0/24', 'dev', a, 'table', T, 'metric', 50, 'proto', 'static'])
  const g = await c.waitFor(isRoute('10.201.100.0/24', T, 'new'), { what: `route new 10.201.100.0/24 table ${T}` })
  envelope(t, g, 'route', 'new')
  checkRoute(
    t,
    g.route,
    {
      family: 4,
      dst: '10.201.100.0/24',
      dstLen: 24,
      gateway: '10.201.4.2',
      dev: a,
      oif: ia,
      table: T,
      protocol: 'boot',
      scope: 'global',
      type: 'unicast',
    },
    ipRoute(T, 4, '10.201.100.0/24'),
  )
  const m = await c.waitFor(isRoute('10.201.101.0/24', T, 'new'), { what: `route new 10.201.101.0/24 table ${T}` })
  checkRoute(
    t,
    m.route,
    {
      family: 4,
      dst: '10.201.101.0/24',
      dstLen: 24,
      gateway: undefined,
      dev: a,
      oif: ia,
      table: T,
      protocol: 'static',
      scope: 'link',
      metric: 50,
    },
    ipRoute(T, 4, '10.201.101.0/24'),
  )

  ipDo(['route', 'del', '10.201.100.0/24', 'table', T])
  const d = await c.waitFor(isRoute('10.201.100.0/24', T, 'del'), { what: `route del 10.201.100.0/24 table ${T}` })
  envelope(t, d, 'route', 'del')
  checkRoute(t, d.route, { family: 4, dst: '10.201.100.0/24', gateway: '10.201.4.2', dev: a, table: T, protocol: 'boot' })
})

test('route: IPv6 ip -6 route add / del in a table -> new / del, field by field', async (t) => {
  const T = table(t)
  const c = collect(t, nl, ['route'])
  const { a, ia } = pair(t, ['2001:db8:e01:4::1/64'])
  ipDo(['-6', 'route', 'add', '2001:db8:e01:100::/64', 'via', '2001:db8:e01:4::2', 'dev', a, 'table', T])
  const g = await c.waitFor(isRoute('2001:db8:e01:100::/64', T, 'new'), { what: `route new 2001:db8:e01:100::/64 table ${T}` })
  envelope(t, g, 'route', 'new')
  checkRoute(
    t,
    g.route,
    {
      family: 6,
      dst: '2001:db8:e01:100::/64',
      dstLen: 64,
      gateway: '2001:db8:e01:4::2',
      dev: a,
      oif: ia,
      table: T,
      protocol: 'boot',
      type: 'unicast',
      metric: 1024,
    },
    ipRoute(T, 6, '2001:db8:e01:100::/64'),
  )
  ipDo(['-6', 'route', 'del', '2001:db8:e01:100::/64', 'table', T])
  const d = await c.waitFor(isRoute('2001:db8:e01:100::/64', T, 'del'), { what: 'route del 2001:db8:e01:100::/64' })
  envelope(t, d, 'route', 'del')
  checkRoute(t, d.route, { family: 6, dst: '2001:db8:e01:100::/64', gateway: '2001:db8:e01:4::2', dev: a, table: T })
})

test('route: nlkit routeAdd / routeDel -> new / del', async (t) => {
  const T = table(t)
  const c = collect(t, nl, ['route'])
  const { a, ia } = pair(t, ['10.201.5.1/24', '2001:db8:e01:5::1/64'])
  await nl.routeAdd({ dst: '10.201.102.0/24', gateway: '10.201.5.2', dev: a, table: T, protocol: 'static' })
  await nl.routeAdd({ dst: '2001:db8:e01:102::/64', gateway: '2001:db8:e01:5::2', dev: a, table: T })
  const g = await c.waitFor(isRoute('10.201.102.0/24', T, 'new'), { what: `route new 10.201.102.0/24 table ${T}` })
  envelope(t, g, 'route', 'new')
  checkRoute(
    t,
    g.route,
    {
      family: 4,
      dst: '10.201.102.0/24',
      gateway: '10.201.5.2',
      dev: a,
      oif: ia,
      table: T,
      protocol: 'static',
      scope: 'global',
      type: 'unicast',
    },
    ipRoute(T, 4, '10.201.102.0/24'),
  )
  const g6 = await c.waitFor(isRoute('2001:db8:e01:102::/64', T, 'new'), { what: 'route new 2001:db8:e01:102::/64' })
  checkRoute(
    t,
    g6.route,
    { family: 6, dst: '2001:db8:e01:102::/64', gateway: '2001:db8:e01:5::2', dev: a, table: T },
    ipRoute(T, 6, '2001:db8:e01:102::/64'),
  )
  await nl.routeDel({ dst: '10.201.102.0/24', table: T })
  const d = await c.waitFor(isRoute('10.201.102.0/24', T, 'del'), { what: 'route del 10.201.102.0/24' })
  envelope(t, d, 'route', 'del')
  checkRoute(t, d.route, { dst: '10.201.102.0/24', gateway: '10.201.5.2', dev: a, table: T, protocol: 'static' })
})

test('route: routes the kernel adds for a new address (IPv4 local/prefix, IPv6 prefix), field by field', async (t) => {
  const c = collect(t, nl, ['route'])
  const { a, ia } = pair(t)
  ipDo(['addr', 'add', '10.201.6.1/24', 'dev', a])
  ipDo(['addr', 'add', '2001:db8:e01:6::1/64', 'dev', a, 'nodad'])
  const local = await c.waitFor(isRoute('10.201.6.1', 255, 'new'), { what: 'local route 10.201.6.1' })
  envelope(t, local, 'route', 'new')
  checkRoute(
    t,
    local.route,
    {
      family: 4,
      dst: '10.201.6.1',
      dstLen: 32,
      dev: a,
      oif: ia,
      table: 255,
      protocol: 'kernel',
      scope: 'host',
      type: 'local',
      prefsrc: '10.201.6.1',
    },
    ipRoute('local', 4, '10.201.6.1'),
  )
  const prefix = await c.waitFor(isRoute('10.201.6.0/24', 254, 'new'), { what: 'prefix route 10.201.6.0/24' })
  checkRoute(
    t,
    prefix.route,
    { family: 4, dst: '10.201.6.0/24', dev: a, table: 254, protocol: 'kernel', scope: 'link', type: 'unicast', prefsrc: '10.201.6.1' },
    ipRoute('main', 4, '10.201.6.0/24'),
  )
  const p6 = await c.waitFor(isRoute('2001:db8:e01:6::/64', 254, 'new'), { what: 'prefix route 2001:db8:e01:6::/64' })
  checkRoute(
    t,
    p6.route,
    { family: 6, dst: '2001:db8:e01:6::/64', dev: a, oif: ia, table: 254, protocol: 'kernel', type: 'unicast', metric: 256 },
    ipRoute('main', 6, '2001:db8:e01:6::/64'),
  )
})

// ---- neighbours ---------------------------------------------------------------------------

test('neigh: ip neigh add ... nud permanent / del -> new / del, field by field (IPv4 and IPv6)', async (t) => {
  const c = collect(t, nl, ['neigh'])
  const { a, ia } = pair(t, ['10.201.7.1/24', '2001:db8:e01:7::1/64'])
  ipDo(['neigh', 'add', '10.201.7.5', 'lladdr', '02:00:00:00:00:01', 'dev', a, 'nud', 'permanent'])
  ipDo(['-6', 'neigh', 'add', '2001:db8:e01:7::5', 'lladdr', '02:00:00:00:00:02', 'dev', a, 'nud', 'permanent'])
  const n4 = await c.waitFor(isNeigh('10.201.7.5', ia, 'new'), { what: 'neigh new 10.201.7.5' })
  envelope(t, n4, 'neigh', 'new')
  const ipn = ip(['neigh', 'show', 'dev', a]).find((n) => n.dst === '10.201.7.5')
  t.is(n4.neigh.family, 4)
  t.is(n4.neigh.dst, '10.201.7.5')
  t.is(n4.neigh.lladdr, '02:00:00:00:00:01')
  t.deepEqual(n4.neigh.state, ['PERMANENT'])
  t.deepEqual(n4.neigh.state, ipn.state, 'state as ip prints it')
  t.is(n4.neigh.lladdr, ipn.lladdr)
  t.is(n4.neigh.dev, a)
  t.is(n4.neigh.index, ia)
  const n6 = await c.waitFor(isNeigh('2001:db8:e01:7::5', ia, 'new'), { what: 'neigh new 2001:db8:e01:7::5' })
  t.is(n6.neigh.family, 6)
  t.is(n6.neigh.lladdr, '02:00:00:00:00:02')
  t.deepEqual(n6.neigh.state, ['PERMANENT'])
  t.is(n6.neigh.dev, a)

  const from = c.events.length
  ipDo(['neigh', 'del', '10.201.7.5', 'dev', a])
  const d = await c.waitFor(isNeigh('10.201.7.5', ia, 'del'), { from, what: 'neigh del 10.201.7.5' })
  envelope(t, d, 'neigh', 'del')
  t.is(d.neigh.dst, '10.201.7.5')
  t.is(d.neigh.dev, a)
  t.is(d.neigh.family, 4)
})

// ---- rules --------------------------------------------------------------------------------

test('rule: ip rule add / del (IPv4 and IPv6) -> new / del, field by field', async (t) => {
  const T = table(t)
  const p4 = nextPriority()
  const p6 = nextPriority()
  t.teardown(() => {
    ipTry(['rule', 'del', 'priority', p4])
    ipTry(['-6', 'rule', 'del', 'priority', p6])
  })
  const c = collect(t, nl, ['rule'])
  ipDo(['rule', 'add', 'from', '10.201.0.0/16', 'table', T, 'priority', p4])
  ipDo(['-6', 'rule', 'add', 'from', '2001:db8:e01::/48', 'table', T, 'priority', p6])
  const r4 = await c.waitFor(isRule(p4, 'new'), { what: `rule new priority ${p4}` })
  envelope(t, r4, 'rule', 'new')
  const ipr = ip(['rule', 'show']).find((r) => r.priority === p4)
  t.is(r4.rule.family, 4)
  t.is(r4.rule.from, '10.201.0.0/16')
  t.is(r4.rule.from, `${ipr.src}/${ipr.srclen}`, 'from as ip prints it')
  t.is(r4.rule.table, T)
  t.is(String(r4.rule.table), ipr.table)
  t.is(r4.rule.priority, p4)
  t.is(r4.rule.action, 'to_tbl')
  const r6 = await c.waitFor(isRule(p6, 'new'), { what: `rule new priority ${p6}` })
  t.is(r6.rule.family, 6)
  t.is(r6.rule.from, '2001:db8:e01::/48')
  t.is(r6.rule.table, T)
  t.is(r6.rule.action, 'to_tbl')

  ipDo(['rule', 'del', 'priority', p4])
  const d = await c.waitFor(isRule(p4, 'del'), { what: `rule del priority ${p4}` })
  envelope(t, d, 'rule', 'del')
  t.is(d.rule.from, '10.201.0.0/16')
  t.is(d.rule.table, T)
  t.is(d.rule.action, 'to_tbl')
})
