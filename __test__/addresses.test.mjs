// Addresses: addrAdd / addrReplace / addrDel / addrList against `ip -j addr show dev X`.
// What it owns in the shared namespace is its entry in support/registry.mjs
// (interface prefix, 10.20.0.0/16 ... 10.31.0.0/16 and 2001:db8:20::/48 ... 2001:db8:31::/48, one
// range per test).

import test from 'ava'
import { addrAdd, addrReplace, addrDel, addrList, routeList, NetlinkError } from '../index.js'
import { ip, ipDo, ipAddrs } from './support/oracle.mjs'
import { assertAddrMatches } from './support/shapes.mjs'
import { namer } from './support/names.mjs'
import { veth } from './support/veth.mjs'
import { owned } from './support/registry.mjs'

const own = owned('addresses')
const name = namer(own.prefix)

/** A veth pair for one test, both ends up, without IPv6 link-local addresses. */
const pair = (t) => veth(t, name(), name(), { up: true, noLinkLocal: true })

/**
 * addrList({link}) between two `ip addr show dev` snapshots; retried until ip's two agree
 * (lifetimes count down in seconds), then nlkit's view must equal them.
 */
async function consistent(dev, filter = {}) {
  for (let i = 0; i < 100; i++) {
    const before = ipAddrs(dev, filter.family)
    const mine = await addrList({ link: dev, ...filter })
    const after = ipAddrs(dev, filter.family)
    if (JSON.stringify(before) === JSON.stringify(after)) return { want: after, mine }
  }
  throw new Error(`no consistent view of ${dev}'s addresses`)
}

/** Asserts addrList({link: dev}) equals `ip -j addr show dev` entry by entry, in order. */
async function assertSameAsIp(t, dev, filter) {
  const { want, mine } = await consistent(dev, filter)
  t.is(mine.length, want.length, `${dev}: ${mine.map((a) => a.cidr)} vs ${want.map((a) => a.local)}`)
  want.forEach((ai, i) => {
    if (mine[i]) {
      assertAddrMatches(t, mine[i], ai)
      t.is(mine[i].link, dev)
    }
  })
  return { want, mine }
}

const find = (infos, local) => infos.find((x) => x.local === local)

test('IPv4: addrAdd / addrDel, by name and by index, as ip sees it', async (t) => {
  const { a, ia } = await pair(t)
  await addrAdd(a, '10.20.0.1/24')
  await addrAdd(ia, '10.20.1.1/16')
  await addrAdd(a, '10.20.0.2') // bare address: /32

  const infos = ipAddrs(a, 4)
  const x = find(infos, '10.20.0.1')
  t.truthy(x)
  t.is(x.prefixlen, 24)
  t.is(x.scope, 'global')
  t.is(x.label, a)
  t.is(x.broadcast, undefined)
  t.is(find(infos, '10.20.1.1').prefixlen, 16)
  t.is(find(infos, '10.20.0.2').prefixlen, 32)
  await assertSameAsIp(t, a)

  await addrDel(a, '10.20.0.1/24')
  t.is(find(ipAddrs(a, 4), '10.20.0.1'), undefined, 'ip: 10.20.0.1 gone')
  await addrDel(ia, '10.20.1.1/16')
  await addrDel(a, '10.20.0.2/32')
  t.deepEqual(ipAddrs(a), [])
  t.deepEqual(await addrList({ link: a }), [])
  const e = await t.throwsAsync(addrDel(a, '10.20.0.1/24'), { instanceOf: NetlinkError })
  t.is(e.code, 'EADDRNOTAVAIL')
})

test('IPv6: addrAdd / addrDel with nodad, as ip sees it', async (t) => {
  const { a } = await pair(t)
  await addrAdd(a, '2001:db8:21::1/64', { nodad: true })
  await addrAdd(a, '2001:db8:21:1::1/128', { nodad: true })
  const infos = ipAddrs(a, 6)
  const x = find(infos, '2001:db8:21::1')
  t.is(x.prefixlen, 64)
  t.is(x.scope, 'global')
  t.true(x.nodad)
  t.not(x.tentative, true, 'nodad: never tentative')
  t.is(find(infos, '2001:db8:21:1::1').prefixlen, 128)
  const { mine } = await assertSameAsIp(t, a)
  t.deepEqual(mine.find((m) => m.address === '2001:db8:21::1').flags.sort(), ['nodad', 'permanent'])
  t.is(mine[0].family, 6)

  await addrDel(a, '2001:db8:21::1/64')
  t.is(find(ipAddrs(a, 6), '2001:db8:21::1'), undefined)
  t.truthy(find(ipAddrs(a, 6), '2001:db8:21:1::1'))
  await addrDel(a, '2001:db8:21:1::1/128')
  t.deepEqual(ipAddrs(a, 6), [])
})

test('addrReplace: creates, then updates lifetimes in place (valid/preferred, forever)', async (t) => {
  const { a } = await pair(t)
  // Replace of a missing address adds it.
  await addrReplace(a, '10.22.0.1/24')
  await addrReplace(a, '2001:db8:22::1/64', { nodad: true })
  t.truthy(find(ipAddrs(a, 4), '10.22.0.1'))
  t.truthy(find(ipAddrs(a, 6), '2001:db8:22::1'))

  await addrReplace(a, '10.22.0.1/24', { validLifetime: 3600, preferredLifetime: 1800 })
  await addrReplace(a, '2001:db8:22::1/64', { validLifetime: 7200, preferredLifetime: 600, nodad: true })
  let { want } = await assertSameAsIp(t, a)
  const v4 = find(want, '10.22.0.1')
  const v6 = find(want, '2001:db8:22::1')
  t.true(v4.dynamic, 'ip: dynamic once lifetimes are finite')
  t.true(v4.valid_life_time <= 3600 && v4.valid_life_time > 3000, `valid ${v4.valid_life_time}`)
  t.true(v4.preferred_life_time <= 1800 && v4.preferred_life_time > 1200, `preferred ${v4.preferred_life_time}`)
  t.true(v6.dynamic)
  t.true(v6.valid_life_time <= 7200 && v6.valid_life_time > 6600)
  t.true(v6.preferred_life_time <= 600 && v6.preferred_life_time > 0)
  t.is(ipAddrs(a, 4).length, 1, 'replaced in place, not added twice')

  // Only validLifetime: preferred follows it.
  await addrReplace(a, '10.22.0.1/24', { validLifetime: 1000 })
  ;({ want } = await assertSameAsIp(t, a))
  t.true(find(want, '10.22.0.1').preferred_life_time <= 1000 && find(want, '10.22.0.1').preferred_life_time > 400)

  // preferred 0: deprecated.
  await addrReplace(a, '10.22.0.1/24', { validLifetime: 500, preferredLifetime: 0 })
  ;({ want } = await assertSameAsIp(t, a))
  t.true(find(want, '10.22.0.1').deprecated)

  await addrReplace(a, '10.22.0.1/24', { validLifetime: 'forever', preferredLifetime: 'forever' })
  ;({ want } = await assertSameAsIp(t, a))
  const p = find(want, '10.22.0.1')
  t.is(p.valid_life_time, 4294967295)
  t.is(p.preferred_life_time, 4294967295)
  t.not(p.dynamic, true, 'permanent again')
  const [mine] = await addrList({ link: a, family: 4 })
  t.true(mine.flags.includes('permanent'))
  t.is(mine.validLifetime, 4294967295)
})

test('addrList filters by link (name or index) and by family', async (t) => {
  const { a, b, ia, ib } = await pair(t)
  await addrAdd(a, '10.23.0.1/24')
  await addrAdd(a, '2001:db8:23::1/64', { nodad: true })
  await addrAdd(b, '10.24.0.1/24')
  await addrAdd(b, '2001:db8:24::1/64', { nodad: true })

  const la = await addrList({ link: a })
  t.true(la.every((x) => x.index === ia && x.link === a))
  t.deepEqual(
    la.map((x) => x.cidr),
    ['10.23.0.1/24', '2001:db8:23::1/64'],
  )
  t.deepEqual(
    (await addrList({ link: ia })).map((x) => x.cidr),
    la.map((x) => x.cidr),
    'by index, same',
  )
  await assertSameAsIp(t, a)
  await assertSameAsIp(t, b)
  await assertSameAsIp(t, a, { family: 6 })
  await assertSameAsIp(t, b, { family: 4 })

  const v6 = await addrList({ family: 6 })
  t.true(v6.length >= 2)
  t.true(
    v6.every((x) => x.family === 6 && x.address.includes(':')),
    'family 6 only',
  )
  t.deepEqual(
    v6
      .filter((x) => x.index === ia || x.index === ib)
      .map((x) => x.cidr)
      .sort(),
    ['2001:db8:23::1/64', '2001:db8:24::1/64'],
  )
  const v4 = await addrList({ family: 4 })
  t.true(
    v4.every((x) => x.family === 4 && !x.address.includes(':')),
    'family 4 only',
  )
  t.deepEqual(
    v4
      .filter((x) => x.index === ia || x.index === ib)
      .map((x) => x.cidr)
      .sort(),
    ['10.23.0.1/24', '10.24.0.1/24'],
  )
  // Everything ip lists for our links (whole namespace dump, both families) is in addrList().
  const all = await addrList()
  for (const dev of [a, b]) {
    const want = ipAddrs(dev)
      .map((x) => `${x.local}/${x.prefixlen}`)
      .sort()
    t.deepEqual(
      all
        .filter((x) => x.link === dev)
        .map((x) => x.cidr)
        .sort(),
      want,
    )
  }
  t.deepEqual(
    (await addrList({ link: b, family: 6 })).map((x) => x.cidr),
    ['2001:db8:24::1/64'],
  )
})

test('scope option: link, host, site, numeric, as ip prints it', async (t) => {
  const { a } = await pair(t)
  await addrAdd(a, '10.25.0.1/24', { scope: 'link' })
  await addrAdd(a, '10.25.1.1/24', { scope: 'host' })
  await addrAdd(a, '10.25.2.1/24', { scope: 'site' })
  await addrAdd(a, '10.25.3.1/24', { scope: 253 })
  await addrAdd(a, '10.25.4.1/24', { scope: 'global' })
  const infos = ipAddrs(a, 4)
  t.is(find(infos, '10.25.0.1').scope, 'link')
  t.is(find(infos, '10.25.1.1').scope, 'host')
  t.is(find(infos, '10.25.2.1').scope, 'site')
  t.is(find(infos, '10.25.3.1').scope, 'link')
  t.is(find(infos, '10.25.4.1').scope, 'global')
  await assertSameAsIp(t, a)
})

test('label option (IPv4)', async (t) => {
  const { a } = await pair(t)
  await addrAdd(a, '10.26.0.1/24', { label: `${a}lbl` })
  await addrAdd(a, '10.26.0.2/24')
  const infos = ipAddrs(a, 4)
  t.is(find(infos, '10.26.0.1').label, `${a}lbl`)
  t.is(find(infos, '10.26.0.2').label, a, 'default label is the link name')
  t.true(find(infos, '10.26.0.2').secondary)
  const { mine } = await assertSameAsIp(t, a)
  t.deepEqual(
    mine.map((x) => x.label),
    [`${a}lbl`, a],
  )
  t.true(mine[1].flags.includes('secondary'))
  await t.throwsAsync(addrAdd(a, '2001:db8:26::1/64', { label: `${a}lbl` }), { instanceOf: TypeError })
})

test('label option accepts the documented "dev:N" alias form', async (t) => {
  const { a } = await pair(t)
  await addrAdd(a, '10.26.1.1/24', { label: `${a}:1` })
  t.is(find(ipAddrs(a, 4), '10.26.1.1')?.label, `${a}:1`)
  await assertSameAsIp(t, a)
})

test('broadcast option: "+" derives it from the prefix, an explicit address is kept', async (t) => {
  const { a } = await pair(t)
  await addrAdd(a, '10.27.0.1/24', { broadcast: '+' })
  await addrAdd(a, '10.27.1.5/30', { broadcast: '+' })
  await addrAdd(a, '10.27.2.1/24', { broadcast: '10.27.2.77' })
  await addrAdd(a, '10.27.16.1/20', { broadcast: '+' })
  const infos = ipAddrs(a, 4)
  t.is(find(infos, '10.27.0.1').broadcast, '10.27.0.255')
  t.is(find(infos, '10.27.1.5').broadcast, '10.27.1.7')
  t.is(find(infos, '10.27.2.1').broadcast, '10.27.2.77')
  t.is(find(infos, '10.27.16.1').broadcast, '10.27.31.255')
  await assertSameAsIp(t, a)
  await t.throwsAsync(addrAdd(a, '2001:db8:27::1/64', { broadcast: '+' }), { instanceOf: TypeError })
})

test('broadcast "+" on a /31 or /32 sets no broadcast, as ip does', async (t) => {
  const { a, b } = await pair(t)
  ipDo(['addr', 'add', '10.27.9.0/31', 'brd', '+', 'dev', b])
  ipDo(['addr', 'add', '10.27.9.5/32', 'brd', '+', 'dev', b])
  t.is(find(ipAddrs(b, 4), '10.27.9.0').broadcast, undefined, 'ip: no broadcast on a /31')
  t.is(find(ipAddrs(b, 4), '10.27.9.5').broadcast, undefined, 'ip: no broadcast on a /32')
  await addrAdd(a, '10.27.8.0/31', { broadcast: '+' })
  await addrAdd(a, '10.27.8.5/32', { broadcast: '+' })
  t.is(find(ipAddrs(a, 4), '10.27.8.0').broadcast, undefined, '/31: the peer address is not a broadcast address')
  t.is(find(ipAddrs(a, 4), '10.27.8.5').broadcast, undefined, '/32')
})

test('peer option: point-to-point addresses (IPv4 and IPv6)', async (t) => {
  const { a } = await pair(t)
  await addrAdd(a, '10.28.0.1/32', { peer: '10.28.0.2' })
  await addrAdd(a, '10.28.1.1/24', { peer: '10.28.9.0' })
  await addrAdd(a, '2001:db8:28::1/128', { peer: '2001:db8:28::2', nodad: true })
  const infos = ipAddrs(a)
  const p = find(infos, '10.28.0.1')
  t.is(p.local, '10.28.0.1')
  t.is(p.address, '10.28.0.2', 'ip: local and address differ')
  t.is(p.prefixlen, 32)
  t.is(find(infos, '10.28.1.1').address, '10.28.9.0')
  t.is(find(infos, '10.28.1.1').prefixlen, 24)
  const p6 = find(infos, '2001:db8:28::1')
  t.is(p6.address, '2001:db8:28::2')
  const { mine } = await assertSameAsIp(t, a)
  t.is(mine.find((x) => x.address === '10.28.0.1').peer, '10.28.0.2')
  t.is(mine.find((x) => x.address === '2001:db8:28::1').peer, '2001:db8:28::2')
  // The kernel routes the peer over the link.
  t.truthy(ip(['route', 'show', 'table', 'main', 'dev', a]).find((r) => r.dst === '10.28.0.2' && r.prefsrc === '10.28.0.1'))

  // An IPv4 point-to-point address is deleted with its peer (as with `ip addr del ... peer`).
  await addrDel(a, '10.28.0.1/32', { peer: '10.28.0.2' })
  t.is(find(ipAddrs(a), '10.28.0.1'), undefined)
  await addrDel(a, '2001:db8:28::1/128')
  t.is(find(ipAddrs(a), '2001:db8:28::1'), undefined)
  await t.throwsAsync(addrAdd(a, '10.28.3.1/32', { peer: '2001:db8:28::9' }), { instanceOf: TypeError })
})

test('noPrefixRoute: no prefix route appears (IPv4 and IPv6); without it one does', async (t) => {
  const { a, ia } = await pair(t)
  await addrAdd(a, '10.29.0.1/24', { noPrefixRoute: true })
  await addrAdd(a, '2001:db8:29::1/64', { noPrefixRoute: true, nodad: true })
  await addrAdd(a, '10.29.1.1/24')
  await addrAdd(a, '2001:db8:29:1::1/64', { nodad: true })
  const infos = ipAddrs(a)
  t.true(find(infos, '10.29.0.1').noprefixroute)
  t.true(find(infos, '2001:db8:29::1').noprefixroute)
  t.true(find(infos, '2001:db8:29::1').nodad)
  await assertSameAsIp(t, a)

  const v4 = ip(['-4', 'route', 'show', 'table', 'main', 'dev', a]).map((r) => r.dst)
  const v6 = ip(['-6', 'route', 'show', 'table', 'main', 'dev', a]).map((r) => r.dst)
  t.false(v4.includes('10.29.0.0/24'), 'ip: no prefix route for the noprefixroute address')
  t.false(v6.includes('2001:db8:29::/64'))
  t.true(v4.includes('10.29.1.0/24'), 'ip: the other address has one')
  t.true(v6.includes('2001:db8:29:1::/64'))
  const mine = (await routeList({ dev: a })).map((r) => r.dst)
  t.false(mine.includes('10.29.0.0/24'))
  t.false(mine.includes('2001:db8:29::/64'))
  t.true(mine.includes('10.29.1.0/24'))
  t.true(mine.includes('2001:db8:29:1::/64'))
  t.true((await routeList({ dev: ia })).every((r) => r.dev === a))
})

test('nodad: an IPv6 address on an up link is usable at once (never tentative)', async (t) => {
  const { a } = await pair(t)
  await addrAdd(a, '2001:db8:30::1/64', { nodad: true })
  const [x] = ipAddrs(a, 6)
  t.is(x.local, '2001:db8:30::1')
  t.true(x.nodad)
  t.not(x.tentative, true)
  const [mine] = await addrList({ link: a, family: 6 })
  t.true(mine.flags.includes('nodad'))
  t.false(mine.flags.includes('tentative'))
  assertAddrMatches(t, mine, x)
  // Usable as a source right away: the kernel picks it for a destination on the prefix.
  const [r] = ip(['route', 'get', '2001:db8:30::9'])
  t.is(r.prefsrc, '2001:db8:30::1')
})
