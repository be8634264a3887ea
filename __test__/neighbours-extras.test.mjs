// Neighbours beyond the basics, against `ip -j neigh show proxy` and `bridge -j fdb show`:
// proxy entries (IPv4 and IPv6) added, listed, removed; VXLAN FDB entries with a remote's
// port, VNI and via device, flood lists built with neighAppend, entries pointing at a nexthop
// group of fdb nexthops; refusals. Everything happens in namespaces of this file's own.

import { execFileSync } from 'node:child_process'
import test from 'ava'
import * as nl from '../index.js'
import { nsConn } from './support/netns.mjs'
import { ipDo, ipn } from './support/oracle.mjs'
import { owned } from './support/registry.mjs'

const { NetlinkError } = nl
const own = owned('neighbours-extras')
let nsSeq = 0

async function setup(t) {
  const ns = `${own.netns[0]}${process.pid}-${nsSeq++}`
  const c = await nsConn(t, ns)
  const [a, b] = [`${own.prefix}0`, `${own.prefix}1`]
  ipDo(['-n', ns, 'link', 'add', a, 'type', 'veth', 'peer', 'name', b])
  const fdb = (dev) => JSON.parse(execFileSync('bridge', ['-n', ns, '-j', 'fdb', 'show', 'dev', dev], { encoding: 'utf8' }) || '[]')
  return { ns, c, a, b, fdb }
}

test('proxy entries: IPv4 and IPv6 added, listed with proxy: true as ip neigh show proxy, deleted', async (t) => {
  const { ns, c, a } = await setup(t)
  await c.neighAdd({ dev: a, dst: '10.161.0.50', flags: 'proxy' })
  await c.neighAdd({ dev: a, dst: '2001:db8:161::50', flags: ['proxy'] })
  const want = ipn(ns, ['neigh', 'show', 'proxy'])
    .map((e) => `${e.dst} ${e.dev}`)
    .sort()
  t.deepEqual(want, [`10.161.0.50 ${a}`, `2001:db8:161::50 ${a}`])
  const got = await c.neighList({ proxy: true })
  t.deepEqual(got.map((e) => `${e.dst} ${e.dev}`).sort(), want)
  t.true(got.every((e) => e.flags.includes('proxy')))
  // Not among the neighbours, and filtered by family and device.
  t.false((await c.neighList()).some((e) => e.dst === '10.161.0.50'))
  t.deepEqual(
    (await c.neighList({ proxy: true, family: 6, dev: a })).map((e) => e.dst),
    ['2001:db8:161::50'],
  )
  // The kernel's proxy table ignores NLM_F_EXCL (pneigh_create finds the entry): a second add
  // succeeds and leaves one entry, as with ip.
  await c.neighAdd({ dev: a, dst: '10.161.0.50', flags: 'proxy' })
  t.is(ipn(ns, ['neigh', 'show', 'proxy']).filter((x) => x.dst === '10.161.0.50').length, 1)
  await c.neighDel({ dev: a, dst: '10.161.0.50', flags: 'proxy' })
  await c.neighDel({ dev: a, dst: '2001:db8:161::50', flags: 'proxy' })
  t.deepEqual(ipn(ns, ['neigh', 'show', 'proxy']), [])
  await t.throwsAsync(c.neighList({ proxy: 1 }), { instanceOf: TypeError, message: /filter.proxy/ })
})

test('VXLAN FDB: remote with port, VNI and via; a flood list with neighAppend; as bridge fdb shows them; given back', async (t) => {
  const { ns, c, a, fdb } = await setup(t)
  const vx = `${own.prefix}x`
  ipDo(['-n', ns, 'link', 'add', vx, 'type', 'vxlan', 'id', '158', 'dstport', '4789', 'local', '10.161.0.1'])
  const mac = '02:58:00:00:00:01'
  await c.neighAdd({ dev: vx, family: 'bridge', lladdr: mac, dst: '10.161.0.2', port: 4790, vni: 1580, flags: 'self' })
  for (const dst of ['10.161.0.3', '10.161.0.4']) {
    await c.neighAppend({ dev: vx, family: 'bridge', lladdr: '00:00:00:00:00:00', dst, via: a, flags: 'self' })
  }
  const ipAll = fdb(vx).filter((e) => e.dst)
  const pick = (list, key) => list.map(key).sort()
  const got = (await c.neighList({ family: 'bridge', dev: vx })).filter((e) => e.dst)
  t.deepEqual(
    pick(got, (e) => `${e.lladdr} ${e.dst} ${e.port ?? ''} ${e.vni ?? ''} ${e.via ?? ''}`),
    pick(ipAll, (e) => `${e.mac} ${e.dst} ${e.port ?? ''} ${e.vni ?? ''} ${e.viaIf ?? ''}`),
  )
  const one = got.find((e) => e.lladdr === mac)
  t.like(one, { port: 4790, vni: 1580, dst: '10.161.0.2' })
  t.is(got.filter((e) => e.lladdr === '00:00:00:00:00:00').length, 2, 'two remotes for the flood entry')
  t.true(got.filter((e) => e.lladdr === '00:00:00:00:00:00').every((e) => e.via === a))
  // Adding the flood MAC again (not appending) is refused: it exists.
  const e = await t.throwsAsync(c.neighAdd({ dev: vx, family: 'bridge', lladdr: '00:00:00:00:00:00', dst: '10.161.0.3', flags: 'self' }), {
    instanceOf: NetlinkError,
  })
  t.is(e.code, 'EEXIST')
  // A listed entry can be deleted by giving it back.
  await c.neighDel(one)
  t.false(fdb(vx).some((x) => x.mac === mac))
})

test('VXLAN FDB entry through a group of fdb nexthops (nhid), as bridge fdb shows it', async (t) => {
  const { ns, c, fdb } = await setup(t)
  const vx = `${own.prefix}x`
  ipDo(['-n', ns, 'link', 'add', vx, 'type', 'vxlan', 'dstport', '4789', 'external'])
  await c.nexthopAdd({ id: 1581, gateway: '10.161.0.2', fdb: true })
  await c.nexthopAdd({ id: 1582, gateway: '10.161.0.3', fdb: true })
  await c.nexthopAdd({ id: 1583, group: [1581, 1582], fdb: true })
  const mac = '02:58:00:00:00:02'
  await c.neighAdd({ dev: vx, family: 'bridge', lladdr: mac, nhid: 1583, flags: 'self' })
  const ip = fdb(vx).find((x) => x.mac === mac)
  t.is(ip.nhid, 1583)
  const [got] = (await c.neighList({ family: 'bridge', dev: vx })).filter((x) => x.lladdr === mac)
  t.is(got.nhid, 1583)
  // A nexthop that is not an fdb nexthop is refused by the kernel, with its reason (a blackhole
  // nexthop needs lo up).
  ipDo(['-n', ns, 'link', 'set', 'lo', 'up'])
  await c.nexthopAdd({ id: 1584, blackhole: true })
  const e = await t.throwsAsync(c.neighAdd({ dev: vx, family: 'bridge', lladdr: '02:58:00:00:00:03', nhid: 1584, flags: 'self' }), {
    instanceOf: NetlinkError,
  })
  t.is(e.code, 'EINVAL')
  t.false(fdb(vx).some((x) => x.mac === '02:58:00:00:00:03'))
})

test('bad VXLAN FDB fields are refused before anything is sent, naming the argument', async (t) => {
  const { ns, c, a, fdb } = await setup(t)
  const vx = `${own.prefix}x`
  ipDo(['-n', ns, 'link', 'add', vx, 'type', 'vxlan', 'id', '160', 'dstport', '4789', 'local', '10.161.0.1'])
  const base = { dev: vx, family: 'bridge', lladdr: '02:58:00:00:00:09', dst: '10.161.0.2', flags: 'self' }
  for (const [extra, type, re] of [
    [{ port: 0 }, RangeError, /port/],
    [{ port: 70000 }, RangeError, /port/],
    [{ vni: 1 << 24 }, RangeError, /vni/],
    [{ srcVni: -1 }, RangeError, /srcVni/],
    [{ nhid: 0 }, RangeError, /nhid/],
    [{ via: '' }, RangeError, /via/],
    [{ vniId: 1 }, RangeError, /vniId/],
  ]) {
    await t.throwsAsync(c.neighAdd({ ...base, ...extra }), { instanceOf: type, message: re }, JSON.stringify(extra))
  }
  await t.throwsAsync(c.neighAdd({ ...base, via: `${own.prefix}none` }), { instanceOf: NetlinkError, message: /ENODEV/ })
  t.false(fdb(vx).some((x) => x.mac === '02:58:00:00:00:09'))
  t.truthy(a)
})
