// Generic netlink's core against the real kernel: genlFamilies() equals `genl ctrl list` (ids,
// versions, header sizes, maxattr, operations with their capabilities, multicast groups), a family
// by name, a raw request by family name, multicast groups by name; an unknown family is a
// NetlinkError ENOENT naming it; bad arguments fail before anything is sent.

import test from 'ava'
import { execFileSync } from 'node:child_process'
import * as nl from '../index.js'
import { rejectsCode, rejectsWith } from './support/assert.mjs'
import { poll } from './support/events.mjs'
import { namer, nsNamer } from './support/names.mjs'
import { nsConn } from './support/netns.mjs'
import { owned } from './support/registry.mjs'

const own = owned('genl')
const nsName = nsNamer(own.netns[0])
const ifname = namer(own.prefix)
const CTRL_CMD_GETFAMILY = 3
const CTRL_ATTR_FAMILY_ID = 1
const CTRL_ATTR_FAMILY_NAME = 2

/** `genl ctrl list`, parsed: { name: { id, version, hdrsize, maxattr, ops: [{id, flags}], mcastGroups } }. */
function genlCtrlList(ns) {
  const args = ns ? ['-n', ns, 'ctrl', 'list'] : ['ctrl', 'list']
  const out = execFileSync(ns ? 'ip' : 'genl', ns ? ['netns', 'exec', ns, 'genl', 'ctrl', 'list'] : args, { encoding: 'utf8' })
  const fams = {}
  let f
  let inGroups = false
  for (const line of out.split('\n')) {
    let m = /^Name: (\S+)/.exec(line)
    if (m) {
      f = { name: m[1], ops: [], mcastGroups: [] }
      fams[f.name] = f
      inGroups = false
      continue
    }
    if (!f) continue
    m = /ID: (0x[0-9a-f]+)\s+Version: (0x[0-9a-f]+)\s+header size: (\d+)\s+max attribs: (\d+)/.exec(line)
    if (m) {
      Object.assign(f, { id: Number(m[1]), version: Number(m[2]), hdrsize: Number(m[3]), maxattr: Number(m[4]) })
      continue
    }
    if (/multicast groups:/.test(line)) inGroups = true
    m = /#\d+:\s+ID-(0x[0-9a-f]+)\s+name: (\S+)/.exec(line)
    if (m && inGroups) {
      f.mcastGroups.push({ name: m[2], id: Number(m[1]) })
      continue
    }
    m = /#\d+:\s+ID-(0x[0-9a-f]+)/.exec(line)
    if (m && !inGroups) f.ops.push({ id: Number(m[1]) })
    m = /Capabilities \((0x[0-9a-f]+)\)/.exec(line)
    if (m && !inGroups) f.ops[f.ops.length - 1].flags = Number(m[1])
  }
  return fams
}

test('genlFamilies() equals genl ctrl list: ids, versions, sizes, operations, multicast groups', async (t) => {
  const want = genlCtrlList()
  const got = await nl.genlFamilies()
  t.deepEqual(got.map((f) => f.name).sort(), Object.keys(want).sort())
  for (const f of got) {
    const w = want[f.name]
    t.deepEqual(
      { id: f.id, version: f.version, hdrsize: f.hdrsize, maxattr: f.maxattr },
      { id: w.id, version: w.version, hdrsize: w.hdrsize, maxattr: w.maxattr },
      f.name,
    )
    // genl (iproute2 6.1) prints no capabilities for some families (netdev, ethtool, ...) though
    // the kernel sends them: compare the flags where it prints them.
    t.deepEqual(
      f.ops.map((o, i) => (w.ops[i]?.flags === undefined ? { id: o.id } : o)),
      w.ops,
      `${f.name} ops`,
    )
    t.true(
      f.ops.every((o) => o.flags !== 0),
      `${f.name}: every operation has capabilities`,
    )
    t.deepEqual(f.mcastGroups, w.mcastGroups, `${f.name} groups`)
  }
  for (const name of ['nlctrl', 'netdev', 'ethtool', 'tcp_metrics', 'mptcp_pm', 'SEG6', 'IOAM6', 'TASKSTATS']) {
    t.true(
      got.some((f) => f.name === name),
      `${name} listed`,
    )
  }
  const ctrl = got.find((f) => f.name === 'nlctrl')
  t.is(ctrl.id, 0x10)
  t.deepEqual(ctrl.mcastGroups, [{ name: 'notify', id: 0x10 }])
})

test('genlFamily(name) equals its entry in the list; an unknown family is ENOENT naming it', async (t) => {
  const all = await nl.genlFamilies()
  for (const name of ['ethtool', 'nlctrl', 'TASKSTATS'])
    t.deepEqual(
      await nl.genlFamily(name),
      all.find((f) => f.name === name),
    )
  const e = await rejectsCode(t, nl.genlFamily('nlkit-nosuch'), 'ENOENT', 'genlFamily')
  t.regex(e.message, /nlkit-nosuch/)
  // A typed family's lookup fails the same way: through genlRequest with an unknown family.
  const e2 = await rejectsCode(t, nl.genlRequest({ family: 'nlkit-nosuch', cmd: 1 }), 'ENOENT', 'genlRequest')
  t.regex(e2.message, /family nlkit-nosuch/)
})

test('genlRequest by family name: a controller dump and a get, decoded against genlFamilies()', async (t) => {
  const all = await nl.genlFamilies()
  const msgs = await nl.genlRequest({ family: 'nlctrl', cmd: CTRL_CMD_GETFAMILY, dump: true })
  t.is(msgs.length, all.length)
  t.true(msgs.every((m) => m.type === 0x10 && m.cmd === 1 /* NEWFAMILY */))
  const ids = msgs.map((m) => nl.decodeAttrs(m.attrs).u16(CTRL_ATTR_FAMILY_ID)).sort((a, b) => a - b)
  t.deepEqual(
    ids,
    all.map((f) => f.id).sort((a, b) => a - b),
  )
  const attrs = nl.encodeAttrs((b) => b.string(CTRL_ATTR_FAMILY_NAME, 'ethtool'))
  const [m] = await nl.genlRequest({ family: 'nlctrl', cmd: CTRL_CMD_GETFAMILY, attrs })
  t.is(nl.decodeAttrs(m.attrs).u16(CTRL_ATTR_FAMILY_ID), all.find((f) => f.name === 'ethtool').id)
  // A request to a family by name goes to its id: ethtool's strset get without a header is the
  // kernel's EINVAL (so the message reached ethtool, not the controller).
  await rejectsCode(t, nl.genlRequest({ family: 'ethtool', cmd: 1, version: 1 }), 'EINVAL', 'genlRequest')
})

test('a Netlink opened in a namespace asks that namespace: families, and devices by name', async (t) => {
  const ns = nsName()
  const c = await nsConn(t, ns)
  const want = genlCtrlList(ns)
  t.deepEqual((await c.genlFamilies()).map((f) => f.name).sort(), Object.keys(want).sort())
  const dev = ifname()
  await c.linkAddVeth(dev, `${dev}p`)
  t.is((await c.ethtoolLinkState(dev)).ifname, dev)
  // The host's namespace has no such device.
  await rejectsCode(t, nl.ethtoolLinkState(dev), 'ENODEV', 'ethtoolLinkState')
})

test('multicast groups by name: ethtool monitor sees a features change; unknown group is a RangeError', async (t) => {
  const ns = nsName()
  const c = await nsConn(t, ns)
  const dev = ifname()
  await c.linkAddVeth(dev, `${dev}p`)
  const sub = await c.genlSubscribe('ethtool', ['monitor'])
  t.teardown(() => sub.close())
  const ethtoolId = (await c.genlFamily('ethtool')).id
  const cur = (await c.ethtoolFeatures(dev)).features['rx-gro'].active
  await c.ethtoolFeaturesSet(dev, { 'rx-gro': !cur })
  const ev = await sub.next()
  t.is(ev.value.type, 'message')
  t.is(ev.value.message.type, ethtoolId)
  t.is(ev.value.message.payload[0], 13 /* ETHTOOL_MSG_FEATURES_NTF */)
  await rejectsWith(t, () => c.genlSubscribe('ethtool', ['nosuch']), RangeError, 'unknown group')
  await rejectsCode(t, c.genlSubscribe('nlkit-nosuch', ['x']), 'ENOENT')
})

test('bad arguments are TypeError/RangeError before anything is sent', async (t) => {
  const bad = [
    [() => nl.genlFamily(7), TypeError],
    [() => nl.genlFamily(''), RangeError],
    [() => nl.genlFamily('x'.repeat(16)), RangeError],
    [() => nl.genlFamily('eth\0tool'), RangeError],
    [() => nl.genlRequest(null), TypeError],
    [() => nl.genlRequest({ family: 'nlctrl', cmd: 256 }), RangeError],
    [() => nl.genlRequest({ family: 'nlctrl', cmd: 3, version: -1 }), RangeError],
    [() => nl.genlRequest({ family: 'nlctrl', cmd: 3, attrs: 'x' }), TypeError],
    [() => nl.genlRequest({ family: 'nlctrl', cmd: 3, dump: 1 }), TypeError],
    [() => nl.genlRequest({ family: 'nlctrl', cmd: 3, bogus: 1 }), RangeError],
    [() => nl.genlRequest({ family: 'nlctrl', cmd: 3 }, { timeout: -1 }), RangeError],
    [() => nl.genlSubscribe('ethtool', []), TypeError],
    [() => nl.genlSubscribe('ethtool', [1]), TypeError],
  ]
  for (const [fn, cls] of bad) await rejectsWith(t, fn, cls, fn.toString())
})

test('generic replies: typed records decode as JSON, raw ones as messages (binding sample)', async (t) => {
  const { genlLayoutSample, layouts } = await import('../native.cjs')
  const { decodeRecords, RawKind, RAW_FORMAT_JSON } = await import('../src/raw-layout.js')
  t.is(RAW_FORMAT_JSON, layouts().rawFormatJson)
  t.deepEqual(decodeRecords(genlLayoutSample()), [
    { token: 3, kind: RawKind.More, messages: [], objects: [{ id: 16, name: 'nl"ctrl', ops: [] }, { x: true }] },
    {
      token: 4,
      kind: RawKind.Last,
      messages: [{ type: 0x15, flags: 0, seq: 1, pid: 0, payload: Buffer.from([9, 1, 0, 0, 4, 0, 1, 0]) }],
    },
  ])
})

test('a generic socket that cannot open (its namespace went away) rejects the calls, never throws', async (t) => {
  const ns = nsName()
  await nl.netnsCreate(ns)
  const c = nl.open({ netns: ns })
  t.teardown(() => c.close())
  await nl.netnsDelete(ns)
  let p
  t.notThrows(() => {
    p = c.genlFamilies()
  })
  await t.throwsAsync(p, { instanceOf: nl.NetlinkError })
  await t.throwsAsync(c.ethtoolLinkInfo('lo'), { instanceOf: nl.NetlinkError })
})

test('the family id is resolved once per connection: one CTRL_CMD_GETFAMILY for many ethtool calls', async (t) => {
  const ns = nsName()
  const c = await nsConn(t, ns)
  const dev = ifname()
  await c.linkAddVeth(dev, `${dev}p`)
  const lines = []
  const traced = nl.open({ netns: ns, trace: (l) => lines.push(l) })
  t.teardown(() => traced.close())
  const sent = (ctrl) => lines.filter((l) => / sent /.test(l) && /nlmsg_type=nlctrl/.test(l) === ctrl).length
  await traced.ethtoolLinkState(dev)
  await Promise.all([traced.ethtoolLinkState(dev), traced.ethtoolChannels(dev), traced.ethtoolFeatures(dev)])
  await traced.ethtoolLinkInfo(dev)
  // Trace lines reach JS on their own schedule: wait for all six ethtool requests' (features
  // asks for the features string set too), then count the controller lookups.
  await poll(() => sent(false) >= 6, { what: () => `6 ethtool requests traced, got ${sent(false)}` })
  t.is(sent(false), 6)
  t.is(sent(true), 1, lines.filter((l) => /nlctrl/.test(l)).join('\n'))
})
