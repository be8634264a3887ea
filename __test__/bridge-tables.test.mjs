// The bridge's tables against `bridge -j`: MDB entries (IPv4, IPv6, MAC groups, an (S,G)
// entry, temporary and permanent) added, listed, replaced, deleted, announced to subscribe(['mdb'])
// and listed again by listExisting; VLAN entries, which this kernel refuses (VLAN filtering is
// compiled out): the refusal comes through, nothing changes, and the real test skips naming it
// (their bytes equal iproute2's in the core's unit tests). Everything happens in namespaces of
// this file's own.

import { execFileSync } from 'node:child_process'
import test from 'ava'
import * as nl from '../index.js'
import { Collector } from './support/events.mjs'
import { nsConn } from './support/netns.mjs'
import { ipDo } from './support/oracle.mjs'
import { owned } from './support/registry.mjs'

const { NetlinkError } = nl
const own = owned('bridge-tables')
let nsSeq = 0

/** A bridge with two veth ports, everything up (the MDB needs a running bridge). */
async function setup(t) {
  const ns = `${own.netns[0]}${process.pid}-${nsSeq++}`
  const c = await nsConn(t, ns)
  const br = `${own.prefix}br`
  const [p0, p1, q0, q1] = ['0', '1', '2', '3'].map((x) => `${own.prefix}${x}`)
  ipDo(['-n', ns, 'link', 'add', br, 'type', 'bridge'])
  ipDo(['-n', ns, 'link', 'add', p0, 'type', 'veth', 'peer', 'name', q0])
  ipDo(['-n', ns, 'link', 'add', p1, 'type', 'veth', 'peer', 'name', q1])
  for (const p of [p0, p1]) ipDo(['-n', ns, 'link', 'set', p, 'master', br])
  for (const d of [br, p0, p1, q0, q1]) ipDo(['-n', ns, 'link', 'set', d, 'up'])
  const bridge = (...args) => JSON.parse(execFileSync('bridge', ['-n', ns, '-j', ...args], { encoding: 'utf8' }) || '[]')
  const ipMdb = () =>
    (bridge('mdb', 'show')[0]?.mdb ?? []).map((e) => ({ port: e.port, grp: e.grp, src: e.src, vid: e.vid, state: e.state }))
  return { ns, c, br, p0, p1, bridge, ipMdb }
}

const key = (e) => `${e.port} ${e.grp} ${e.src ?? ''} ${e.vid ?? ''} ${e.state}`
const mine = (list) =>
  list
    .map((e) => ({ port: e.port, grp: e.grp, src: e.src, vid: e.vid, state: e.state }))
    .map(key)
    .sort()

test('MDB: IPv4, IPv6 and MAC groups, an (S,G) entry, permanent and temp; listed as bridge mdb show; replaced; deleted', async (t) => {
  const { c, br, p0, p1, ipMdb } = await setup(t)
  await c.mdbAdd({ dev: br, port: p0, grp: '239.1.62.1' })
  await c.mdbAdd({ dev: br, port: p1, grp: 'ff0e::1:62:2', state: 'temp' })
  await c.mdbAdd({ dev: br, port: p0, grp: '01:00:5e:01:62:03' })
  await c.mdbAdd({ dev: br, port: p1, grp: '239.1.62.2', src: '10.162.0.9' })
  // The bridge also lists the groups its own interfaces joined (IPv6 all-nodes and solicited
  // nodes): compared whole with bridge's list, then this test's four.
  const all = await c.mdbList()
  t.deepEqual(mine(all), ipMdb().map(key).sort())
  const ours = new Set(['239.1.62.1', 'ff0e::1:62:2', '01:00:5e:01:62:03', '239.1.62.2'])
  const got = all.filter((e) => ours.has(e.grp))
  t.is(got.length, 4)
  const temp = got.find((e) => e.grp === 'ff0e::1:62:2')
  t.is(temp.state, 'temp')
  t.true(temp.timer > 0, 'a temporary entry has its timer')
  t.like(
    got.find((e) => e.src),
    { grp: '239.1.62.2', src: '10.162.0.9', port: p1, dev: br },
  )
  t.deepEqual(mine(await c.mdbList({ dev: br })), mine(all))
  // Adding it again is refused; replacing it makes the temp entry permanent.
  const e = await t.throwsAsync(c.mdbAdd({ dev: br, port: p0, grp: '239.1.62.1' }), { instanceOf: NetlinkError })
  t.is(e.code, 'EEXIST')
  await c.mdbReplace({ dev: br, port: p1, grp: 'ff0e::1:62:2', state: 'permanent' })
  t.is(ipMdb().find((x) => x.grp === 'ff0e::1:62:2').state, 'permanent')
  // A listed entry can be given back to delete it.
  for (const x of (await c.mdbList({ dev: br })).filter((e) => ours.has(e.grp))) await c.mdbDel(x)
  t.false(ipMdb().some((e) => ours.has(e.grp)))
  const gone = await t.throwsAsync(c.mdbDel({ dev: br, port: p0, grp: '239.1.62.1' }), { instanceOf: NetlinkError })
  t.is(gone.code, 'EINVAL')
})

test('MDB refusals: bad groups, sources and options before anything is sent; a port of no bridge by the kernel', async (t) => {
  const { ns, c, br, p0, ipMdb } = await setup(t)
  for (const [spec, type, re] of [
    [{ grp: 'nope' }, TypeError, /spec.grp/],
    [{ grp: '239.1.62.1', src: '2001:db8:162::1' }, TypeError, /spec.src/],
    [{ grp: '01:00:5e:01:62:03', src: '10.162.0.1' }, TypeError, /MAC/],
    [{ grp: '239.1.62.1', vid: 4095 }, RangeError, /spec.vid/],
    [{ grp: '239.1.62.1', state: 'static' }, RangeError, /spec.state/],
    [{ grp: '239.1.62.1', filterMode: 'all' }, RangeError, /filterMode/],
    [{ grp: '239.1.62.1', group: 'x' }, RangeError, /group/],
  ]) {
    await t.throwsAsync(c.mdbAdd({ dev: br, port: p0, ...spec }), { instanceOf: type, message: re }, JSON.stringify(spec))
  }
  const q = `${own.prefix}2`
  const e = await t.throwsAsync(c.mdbAdd({ dev: br, port: q, grp: '239.1.62.1' }), { instanceOf: NetlinkError })
  t.is(e.code, 'EINVAL')
  t.false(ipMdb().some((x) => x.grp.startsWith('239.1.62.')))
  t.truthy(ns)
})

test("subscribe(['mdb']): entries added and removed arrive with port names; listExisting lists what is there", async (t) => {
  const { ns, c, br, p0, p1 } = await setup(t)
  await c.mdbAdd({ dev: br, port: p0, grp: '239.1.62.7' })
  const col = new Collector(nl.subscribe(['mdb'], { netns: ns, listExisting: true }))
  t.teardown(() => col.close())
  const first = await col.waitFor((ev) => ev.type === 'mdb' && ev.existing, { what: 'the existing entry' })
  t.like(first.mdb.entries[0], { grp: '239.1.62.7', port: p0, state: 'permanent' })
  t.is(first.mdb.dev, br)
  const from = col.events.length
  await c.mdbAdd({ dev: br, port: p1, grp: 'ff0e::1:62:7' })
  const added = await col.waitFor((ev) => ev.type === 'mdb' && ev.action === 'new' && !ev.existing, { from, what: 'the new entry' })
  t.like(added.mdb.entries[0], { grp: 'ff0e::1:62:7', port: p1 })
  await c.mdbDel({ dev: br, port: p1, grp: 'ff0e::1:62:7' })
  const del = await col.waitFor((ev) => ev.type === 'mdb' && ev.action === 'del', { from, what: 'the deletion' })
  t.like(del.mdb.entries[0], { grp: 'ff0e::1:62:7', port: p1 })
})

test('VLANs: vlanList equals bridge vlan show; vlanAdd/vlanDel refused by this kernel with nothing changed, or compared when it has VLAN filtering', async (t) => {
  const { c, br, p0, bridge } = await setup(t)
  const want = bridge('vlan', 'show').map((v) => ({ dev: v.ifname, vids: v.vlans.map((x) => x.vlan).sort() }))
  const got = (await c.vlanList()).map((v) => ({ dev: v.dev, vids: v.vlans.map((x) => x.vid).sort() }))
  t.deepEqual(got, want)
  const before = bridge('vlan', 'show')
  try {
    await c.vlanAdd({ dev: p0, vid: 62, pvid: true, untagged: true })
  } catch (e) {
    t.true(e instanceof NetlinkError)
    t.is(e.code, 'EOPNOTSUPP')
    t.deepEqual(bridge('vlan', 'show'), before)
    await t.throwsAsync(c.vlanAdd({ dev: p0, vid: 4095 }), { instanceOf: RangeError, message: /spec.vid/ })
    await t.throwsAsync(c.vlanAdd({ dev: p0, vid: 20, vidEnd: 10 }), { instanceOf: RangeError, message: /spec.vidEnd/ })
    await t.throwsAsync(c.vlanAdd({ dev: p0, vid: 20, vidEnd: 30, pvid: true }), { instanceOf: TypeError, message: /range/ })
    t.log('this kernel has no bridge VLAN filtering: vlanAdd refused (EOPNOTSUPP); the entries are compared where it has it')
    return
  }
  const [entry] = (await c.vlanList({ dev: p0 })).map((v) => v.vlans.find((x) => x.vid === 62))
  t.like(entry, { vid: 62, pvid: true, untagged: true })
  await c.vlanDel({ dev: p0, vid: 62 })
  t.false(JSON.stringify(bridge('vlan', 'show')).includes('"vlan":62'))
  t.truthy(br)
})
