// The smaller rtnetlink tables against ip -j: netconf (settings changed through /proc/sys and
// read back), namespace ids (set by nlkit and by ip, listed with names, a link's peer netnsid),
// IPv6 address labels (added, listed, removed, on a device) and neighbour tables (listed,
// changed per device and for the table, refused bad input). Everything happens in namespaces of
// this file's own (its entry in support/registry.mjs): netconf, nsids, labels and ntable device
// parameters are per namespace. Multicast groups: listed as ip maddr shows them, one joined by a
// socket in the namespace.

import { execFile, execFileSync } from 'node:child_process'
import test from 'ava'
import * as nl from '../index.js'
import { Collector } from './support/events.mjs'
import { nsConn } from './support/netns.mjs'
import { ipDo, ipn, ipTry } from './support/oracle.mjs'
import { owned } from './support/registry.mjs'

const { NetlinkError } = nl
const own = owned('misc-tables')
let nsSeq = 0

async function setup(t) {
  const ns = `${own.netns[0]}${process.pid}-${nsSeq++}`
  const c = await nsConn(t, ns)
  const [a, b] = [`${own.prefix}0`, `${own.prefix}1`]
  ipDo(['-n', ns, 'link', 'add', a, 'type', 'veth', 'peer', 'name', b])
  const sh = (...args) => execFileSync('ip', ['netns', 'exec', ns, ...args], { encoding: 'utf8' })
  return { ns, c, a, b, sh }
}

/** ip's netconf entry in nlkit's shape. */
const fromIp = (e) => {
  const out = { family: e.family === 'inet' ? 4 : 6, dev: e.interface }
  for (const [k, v] of Object.entries({
    forwarding: e.forwarding,
    rpFilter: e.rp_filter,
    mcForwarding: e.mc_forwarding,
    proxyNeigh: e.proxy_neigh,
    ignoreRoutesWithLinkdown: e.ignore_routes_with_linkdown,
  })) {
    if (v !== undefined) out[k] = v
  }
  return out
}

test('netconfList: every device and family as ip netconf shows them, after changes through /proc/sys', async (t) => {
  const { ns, c, a, sh } = await setup(t)
  sh('sysctl', '-qw', `net.ipv4.conf.${a}.forwarding=1`, `net.ipv4.conf.${a}.rp_filter=2`, `net.ipv4.conf.${a}.proxy_arp=1`)
  sh('sysctl', '-qw', `net.ipv6.conf.${a}.forwarding=1`, `net.ipv4.conf.${a}.ignore_routes_with_linkdown=1`)
  for (const family of [4, 6]) {
    const want = ipn(ns, [`-${family}`, 'netconf', 'show']).map(fromIp)
    const got = (await c.netconfList({ family })).map(({ index, bcForwarding, ...r }) => r)
    const key = (x) => `${x.dev}`
    t.deepEqual(
      got.filter((g) => want.some((w) => key(w) === key(g))).sort((x, y) => key(x).localeCompare(key(y))),
      want.sort((x, y) => key(x).localeCompare(key(y))),
      `family ${family}`,
    )
  }
  const mine = await c.netconfList({ dev: a })
  const v4 = mine.find((m) => m.family === 4)
  t.like(v4, { dev: a, forwarding: true, rpFilter: 'loose', proxyNeigh: true, ignoreRoutesWithLinkdown: true })
  t.true(mine.find((m) => m.family === 6).forwarding)
  t.true(mine.every((m) => m.dev === a))
  await t.throwsAsync(c.netconfList({ family: 5 }), { instanceOf: RangeError, message: /filter.family/ })
  await t.throwsAsync(c.netconfList({ device: a }), { instanceOf: RangeError, message: /device/ })
})

test('namespace ids: nsidSet, nsidGet, nsidList with names, as ip netns list-id; a moved veth peer reports it', async (t) => {
  const { ns, c, b } = await setup(t)
  const other = `${ns}-o`
  await nsConn(t, other)
  const third = `${ns}-t`
  await nsConn(t, third)
  t.is(await c.nsidGet(other), undefined, 'no id yet')
  await c.nsidSet(other, 17)
  ipDo(['-n', ns, 'netns', 'set', third, '23'])
  t.is(await c.nsidGet(other), 17)
  t.is(await c.nsidGet(`/run/netns/${third}`), 23)
  const want = ipn(ns, ['netns', 'list-id']).map((e) => ({ nsid: e.nsid, name: e.name }))
  const got = await c.nsidList()
  const byId = (x, y) => x.nsid - y.nsid
  t.deepEqual(got.filter((g) => g.nsid === 17 || g.nsid === 23).sort(byId), want.filter((w) => w.nsid === 17 || w.nsid === 23).sort(byId))
  t.deepEqual(got.filter((g) => g.nsid === 17 || g.nsid === 23).sort(byId), [
    { nsid: 17, name: other },
    { nsid: 23, name: third },
  ])
  // Another id for a namespace that has one: the kernel refuses.
  const e = await t.throwsAsync(c.nsidSet(other, 18), { instanceOf: NetlinkError })
  t.is(e.code, 'EEXIST')
  // A veth whose peer moved into `other` reports the peer's namespace by that id.
  ipDo(['-n', ns, 'link', 'set', b, 'netns', other])
  const l = await c.linkGet(`${own.prefix}0`)
  t.is(l.linkNetnsid, 17)
  await t.throwsAsync(c.nsidSet(other, -1), { instanceOf: RangeError, message: /nsid/ })
  await t.throwsAsync(c.nsidGet(''), { instanceOf: RangeError })
  await t.throwsAsync(c.nsidGet('nlk-none-such-ns'), { instanceOf: NetlinkError, message: /ENOENT/ })
})

test('address labels: add (with and without a device), list as ip addrlabel list, delete; refusals', async (t) => {
  const { ns, c, a } = await setup(t)
  await c.addrlabelAdd({ prefix: '2001:db8:15a::/48', label: 1001 })
  await c.addrlabelAdd({ prefix: '2001:db8:15a:1::/64', label: 1002, dev: a })
  const want = ipn(ns, ['addrlabel', 'list']).map((l) => ({
    prefix: `${l.address}/${l.prefixlen}`,
    label: l.label,
    ...(l.ifname ? { dev: l.ifname } : {}),
  }))
  const got = (await c.addrlabelList()).map(({ index, ...l }) => l)
  t.deepEqual(got, want, 'the whole table, in the kernel order')
  t.truthy(got.find((l) => l.label === 1002 && l.dev === a))
  const e = await t.throwsAsync(c.addrlabelAdd({ prefix: '2001:db8:15a::/48', label: 1001 }), { instanceOf: NetlinkError })
  t.is(e.code, 'EEXIST')
  await c.addrlabelDel({ prefix: '2001:db8:15a::/48', label: 1001 })
  await c.addrlabelDel({ prefix: '2001:db8:15a:1::/64', label: 1002, dev: a })
  t.false(ipn(ns, ['addrlabel', 'list']).some((l) => l.label === 1001 || l.label === 1002))
  const before = ipn(ns, ['addrlabel', 'list'])
  await t.throwsAsync(c.addrlabelAdd({ prefix: '192.0.2.0/24', label: 1 }), { instanceOf: RangeError, message: /IPv6/ })
  await t.throwsAsync(c.addrlabelAdd({ prefix: '2001:db8:15a:2::/64', label: -1 }), { instanceOf: RangeError, message: /label/ })
  await t.throwsAsync(c.addrlabelAdd({ prefix: '2001:db8:15a:2::/64', label: 1, lbl: 2 }), { instanceOf: RangeError, message: /lbl/ })
  t.deepEqual(ipn(ns, ['addrlabel', 'list']), before)
})

test('neighbour tables: list as ip ntable show, change per device and for the table, refusals', async (t) => {
  const { ns, c, a } = await setup(t)
  const ipNt = (args) => ipn(ns, ['ntable', 'show', ...args])
  const camel = (k) =>
    ({
      gc_interval: 'gcInterval',
      base_reachable: 'baseReachable',
      gc_stale: 'gcStale',
      delay_probe: 'delayProbe',
      app_probes: 'appProbes',
      ucast_probes: 'ucastProbes',
      mcast_probes: 'mcastProbes',
      anycast_delay: 'anycastDelay',
      proxy_delay: 'proxyDelay',
      proxy_queue: 'proxyQueue',
    })[k] ?? k
  /** ip's entry in nlkit's keys, without the randomised reachable time and the table's counters. */
  const shape = (e) =>
    Object.fromEntries(
      Object.entries(e)
        .filter(([k]) => !['family', 'reachable', 'stats', 'config'].includes(k))
        .map(([k, v]) => [camel(k), v]),
    )
  await c.ntableChange({
    name: 'arp_cache',
    dev: a,
    queue: 50,
    appProbes: 1,
    ucastProbes: 4,
    mcastProbes: 2,
    retrans: 900,
    baseReachable: 20000,
    gcStale: 50000,
    delayProbe: 4000,
    anycastDelay: 900,
    proxyDelay: 700,
    proxyQueue: 32,
    locktime: 800,
  })
  const [want] = ipNt(['name', 'arp_cache', 'dev', a])
  const [got] = await c.ntableList({ name: 'arp_cache', dev: a })
  t.like(got, shape(want))
  t.is(got.queue, 50)
  t.is(got.family, 4)
  // IPv6's table for the same device, through family.
  await c.ntableChange({ name: 'ndisc_cache', dev: a, ucastProbes: 5 })
  t.is(ipNt(['name', 'ndisc_cache', 'dev', a])[0].ucast_probes, 5)
  // The table's own record: thresholds and gc interval, as ip shows them.
  const tbl = (await c.ntableList({ name: 'arp_cache' })).find((x) => x.index === undefined)
  const ipTbl = ipNt(['name', 'arp_cache']).find((x) => x.dev === undefined)
  for (const k of ['thresh1', 'thresh2', 'thresh3']) t.is(tbl[k], ipTbl[k], k)
  t.is(tbl.gcInterval, ipTbl.gc_interval)
  t.is(typeof tbl.stats.lookups, 'number')
  t.is(tbl.config.keyLen, 4)
  // Every device of this namespace has its parameters listed.
  const devs = (await c.ntableList({ name: 'arp_cache' }))
    .filter((x) => x.dev !== undefined)
    .map((x) => x.dev)
    .sort()
  t.deepEqual(
    devs,
    ipNt(['name', 'arp_cache'])
      .filter((x) => x.dev)
      .map((x) => x.dev)
      .sort(),
  )
  const before = ipNt(['name', 'arp_cache', 'dev', a])
  await t.throwsAsync(c.ntableChange({ name: 'arp_cache', dev: a, reachable: 5 }), { instanceOf: RangeError, message: /reachable/ })
  await t.throwsAsync(c.ntableChange({ name: 'arp_cache', dev: a, queue: -1 }), { instanceOf: RangeError, message: /change.queue/ })
  await t.throwsAsync(c.ntableChange({ dev: a, queue: 1 }), { instanceOf: TypeError, message: /change.name/ })
  const e = await t.throwsAsync(c.ntableChange({ name: 'no_such_cache', family: 4, queue: 1 }), { instanceOf: NetlinkError })
  t.is(e.code, 'ENOENT')
  t.deepEqual(ipNt(['name', 'arp_cache', 'dev', a]).map(shape), before.map(shape))
})

test("subscribe(['netconf', 'nsid']): listExisting equals netconfList; a sysctl change and an id assigned and released arrive", async (t) => {
  const { ns, c, a, sh } = await setup(t)
  const col = new Collector(nl.subscribe(['netconf', 'nsid'], { netns: ns, listExisting: true }))
  t.teardown(() => col.close())
  const listed = await c.netconfList()
  await col.waitFor(() => col.events.filter((e) => e.existing && e.type === 'netconf').length >= listed.length, {
    what: 'the existing netconf entries',
  })
  const key = (n) => `${n.family}/${n.dev}`
  t.deepEqual(
    col.events
      .filter((e) => e.existing && e.type === 'netconf')
      .map((e) => e.netconf)
      .sort((x, y) => key(x).localeCompare(key(y))),
    listed.sort((x, y) => key(x).localeCompare(key(y))),
  )
  const from = col.events.length
  sh('sysctl', '-qw', `net.ipv4.conf.${a}.forwarding=1`)
  const ev = await col.waitFor((e) => e.type === 'netconf' && !e.existing && e.netconf.dev === a, { from, what: 'the forwarding change' })
  t.is(ev.action, 'new')
  t.like(ev.netconf, { family: 4, dev: a, forwarding: true })
  t.is(ev.netconf.forwarding, (await c.netconfList({ dev: a, family: 4 }))[0].forwarding)
  // A namespace nothing else holds, so deleting its name destroys it (and releases its id).
  const other = `${ns}-e`
  ipDo(['netns', 'add', other])
  t.teardown(() => ipTry(['netns', 'del', other]))
  await c.nsidSet(other, 31)
  const added = await col.waitFor((e) => e.type === 'nsid' && e.action === 'new' && e.nsid.nsid === 31, { from, what: 'nsid 31 new' })
  t.deepEqual(added.nsid, { nsid: 31 })
  ipDo(['netns', 'del', other])
  await col.waitFor((e) => e.type === 'nsid' && e.action === 'del' && e.nsid.nsid === 31, {
    from,
    what: 'nsid 31 released with its namespace',
  })
  t.false((await c.nsidList()).some((x) => x.nsid === 31))
})

test('maddrList: IP and link-layer groups as ip maddr show lists them, including one a socket joins while it is open', async (t) => {
  const { ns, c, a, sh } = await setup(t)
  ipDo(['-n', ns, 'link', 'set', a, 'up'])
  ipDo(['-n', ns, 'addr', 'add', '10.163.0.1/24', 'dev', a])
  /** `ip maddr show dev X`'s link, inet and inet6 groups. */
  const ipMaddr = (dev) =>
    sh('ip', 'maddr', 'show', 'dev', dev)
      .split('\n')
      .map((l) => l.trim().match(/^(link|inet6?)\s+(\S+)/))
      .filter(Boolean)
      .map((m) => `${{ link: 'link', inet: 4, inet6: 6 }[m[1]]} ${m[2]}`)
      .sort()
  const mine = async (dev) => (await c.maddrList({ dev })).map((m) => `${m.family} ${m.address}`).sort()
  t.deepEqual(await mine(a), ipMaddr(a))
  t.deepEqual(await mine('lo'), ipMaddr('lo'))
  // A socket in the namespace joins 239.1.63.5 on the link; the group is listed while it stays open.
  const join = `const s = require('dgram').createSocket('udp4'); s.bind(0, () => { s.addMembership('239.1.63.5', '10.163.0.1'); console.log('joined') }); setTimeout(() => s.close(), 3000)`
  const child = execFile('ip', ['netns', 'exec', ns, process.execPath, '-e', join])
  await new Promise((resolve) => child.stdout.once('data', resolve))
  t.true((await mine(a)).includes('4 239.1.63.5'))
  t.deepEqual(await mine(a), ipMaddr(a))
  const all = await c.maddrList()
  t.true(all.every((m) => m.dev !== undefined && [4, 6, 'link'].includes(m.family)))
  t.true(
    all.some((m) => m.family === 'link' && m.dev === a && m.address === '33:33:00:00:00:01'),
    'the all-nodes group of IPv6',
  )
  t.deepEqual(
    (await c.maddrList({ family: 6 })).every((m) => m.family === 6),
    true,
  )
  child.kill()
  await t.throwsAsync(c.maddrList({ family: 5 }), { instanceOf: RangeError, message: /filter.family/ })
})

test('maddrAdd and maddrDel: link-layer groups joined and left in the namespace of the connection, as ip -j maddr shows them', async (t) => {
  const { ns, c, a } = await setup(t)
  ipDo(['-n', ns, 'link', 'set', a, 'up'])
  /** ip -j maddr's link groups of `dev`: address -> static. */
  const ipLink = (dev) =>
    Object.fromEntries(
      (ipn(ns, ['maddr', 'show', 'dev', dev])[0]?.maddr ?? []).filter((m) => m.link).map((m) => [m.link, m.features === 'static']),
    )
  const mine = async (dev) => Object.fromEntries((await c.maddrList({ dev, family: 'link' })).map((m) => [m.address, m.static]))
  t.deepEqual(await mine(a), ipLink(a))
  await c.maddrAdd(a, '33:33:00:00:12:34')
  t.is(ipLink(a)['33:33:00:00:12:34'], true, 'ip shows it static')
  const { index } = await c.linkGet(a)
  await c.maddrAdd(index, '01:00:5E:01:02:03') // by index; upper case accepted
  t.deepEqual(await mine(a), ipLink(a))
  const g = (await c.maddrList({ dev: a, family: 'link' })).find((m) => m.address === '01:00:5e:01:02:03')
  t.like(g, { index, dev: a, family: 'link', static: true, users: 1 })
  // Joined twice: one static mark (the kernel does not count ioctl joins), so one leave does.
  await c.maddrAdd(a, '01:00:5e:01:02:03')
  t.is((await c.maddrList({ dev: a, family: 'link' })).find((m) => m.address === '01:00:5e:01:02:03').users, 1)
  await c.maddrDel(index, '01:00:5e:01:02:03')
  await c.maddrDel(a, '33:33:00:00:12:34')
  t.false('01:00:5e:01:02:03' in ipLink(a))
  t.false('33:33:00:00:12:34' in ipLink(a))
  t.deepEqual(await mine(a), ipLink(a))
  // The kernel's refusals: a group never joined, a device that is not there.
  const before = ipLink(a)
  const e = await t.throwsAsync(c.maddrDel(a, '33:33:00:00:99:99'), { instanceOf: nl.NetlinkError })
  t.is(e.code, 'ENOENT')
  t.regex(e.message, /maddrDel 33:33:00:00:99:99 dev/)
  await t.throwsAsync(c.maddrAdd('nlk-none0', '33:33:00:00:12:34'), { instanceOf: nl.NetlinkError, message: /ENODEV/ })
  // Bad input, before anything is done.
  await t.throwsAsync(c.maddrAdd(a, 'not-a-mac'), { instanceOf: TypeError, message: /address/ })
  await t.throwsAsync(c.maddrAdd(a, Array(15).fill('01').join(':')), { instanceOf: RangeError, message: /address/ })
  await t.throwsAsync(c.maddrAdd({}, '33:33:00:00:12:34'), { instanceOf: TypeError, message: /dev/ })
  await t.throwsAsync(c.maddrList({ family: 'ether' }), { instanceOf: RangeError, message: /filter.family/ })
  const ac = new AbortController()
  ac.abort()
  const aborted = await c.maddrAdd(a, '33:33:00:00:12:35', { signal: ac.signal }).catch((e) => e)
  t.is(aborted?.name, 'AbortError')
  t.deepEqual(ipLink(a), before)
})
