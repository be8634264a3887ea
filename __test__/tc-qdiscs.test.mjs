// Traffic control against `tc -s -j`: qdiscs nlkit has kinds for (pfifo, bfifo, ingress, clsact)
// created, listed, changed, replaced and deleted; classes, filters and chains made by tc (or
// nlkit, for chains) listed and deleted; refusals before anything is sent (tc unchanged after
// each) and the kernel's extended ACK. Links: this file's veth pairs (prefix in
// support/registry.mjs), kept down (no traffic: counters compare at zero).

import test from 'ava'
import * as nl from '../index.js'
import { namer } from './support/names.mjs'
import { owned } from './support/registry.mjs'
import { tc, tcClasses, tcDo, tcStats } from './support/tc.mjs'
import { veth } from './support/veth.mjs'

const own = owned('tc-qdiscs')
const name = namer(own.prefix)

/** nlkit's qdiscs of `dev`, and tc's, in one comparable shape. */
async function bothQdiscs(dev) {
  const ours = (await nl.qdiscList({ dev })).map((q) => ({
    kind: q.kind,
    handle: q.handle,
    root: q.root === true,
    parent: q.root ? undefined : q.parent,
    options: q.options,
    stats: q.stats,
    dev: q.dev,
  }))
  const theirs = tc(['qdisc', 'show', 'dev', dev]).map((q) => ({
    kind: q.kind,
    handle: q.handle,
    root: q.root === true,
    parent: q.root ? undefined : q.parent,
    options: q.options ?? {},
    stats: tcStats(q),
    dev,
  }))
  return { ours, theirs }
}

async function assertSame(t, dev, msg) {
  const { ours, theirs } = await bothQdiscs(dev)
  t.deepEqual(ours, theirs, msg)
  return ours
}

test('pfifo and bfifo: add, list, change, replace and delete, field by field with tc -s -j', async (t) => {
  const { a } = await veth(t, name(), name(), { noLinkLocal: true })
  await nl.qdiscAdd({ dev: a, parent: 'root', handle: '1:', kind: 'pfifo', limit: 77 })
  let [q] = await assertSame(t, a, 'after add')
  t.like(q, { kind: 'pfifo', handle: '1:', root: true, options: { limit: 77 } })
  await nl.qdiscChange({ dev: a, parent: 'root', handle: '1:', kind: 'pfifo', limit: 500 })
  ;[q] = await assertSame(t, a, 'after change')
  t.is(q.options.limit, 500)
  await nl.qdiscReplace({ dev: a, parent: 'root', handle: '2:', kind: 'bfifo', limit: '64kb' })
  ;[q] = await assertSame(t, a, 'after replace')
  t.like(q, { kind: 'bfifo', handle: '2:', options: { limit: 65536 } })
  // The listed options go back in as they came out.
  const [listed] = await nl.qdiscList({ dev: a })
  await nl.qdiscChange({ dev: a, parent: 'root', handle: listed.handle, kind: 'bfifo', ...listed.options })
  await assertSame(t, a, 'after a change with the listed options')
  await nl.qdiscDel({ dev: a, parent: 'root' })
  t.false(
    tc(['qdisc', 'show', 'dev', a]).some((x) => x.kind === 'bfifo'),
    'bfifo gone',
  )
})

test('ingress and clsact, by link name and by index; qdiscList without dev lists every link', async (t) => {
  const { a, b, ib } = await veth(t, name(), name(), { noLinkLocal: true })
  await nl.qdiscAdd({ dev: a, parent: 'ingress', kind: 'ingress' })
  await nl.qdiscAdd({ dev: ib, parent: 'clsact', kind: 'clsact' })
  for (const dev of [a, b]) {
    const [q] = await assertSame(t, dev, dev)
    t.like(q, { handle: 'ffff:', parent: 'ffff:fff1', options: {} })
  }
  const all = await nl.qdiscList()
  t.truthy(all.find((q) => q.dev === a && q.kind === 'ingress'))
  t.truthy(all.find((q) => q.dev === b && q.kind === 'clsact' && q.ifindex === ib))
  await nl.qdiscDel({ dev: a, parent: 'ingress', kind: 'ingress' })
  await nl.qdiscDel({ dev: b, parent: 'clsact' })
  t.deepEqual(tc(['qdisc', 'show', 'dev', a, 'ingress']), [])
  t.false(tc(['qdisc', 'show', 'dev', b]).some((x) => x.kind === 'clsact'))
})

test('bad arguments are refused before anything is sent, and tc shows nothing changed', async (t) => {
  const { a } = await veth(t, name(), name(), { noLinkLocal: true })
  await nl.qdiscAdd({ dev: a, parent: 'root', handle: '1:', kind: 'pfifo', limit: 10 })
  const before = tc(['qdisc', 'show', 'dev', a])
  const refused = [
    [{ dev: a, parent: 'root', kind: 'nosuchq' }, RangeError, /unknown kind "nosuchq"/],
    [{ dev: a, parent: '1:2:3', kind: 'pfifo' }, RangeError, /parent: malformed handle "1:2:3"/],
    [{ dev: a, parent: 'root', handle: 'x:', kind: 'pfifo' }, RangeError, /handle: malformed handle/],
    [{ dev: a, parent: 'root', kind: 'bfifo', limit: '64 potatoes' }, RangeError, /limit: "64 potatoes" is not a size/],
    [{ dev: a, parent: 'root', kind: 'bfifo', limit: -1 }, RangeError, /limit must not be negative/],
    [{ dev: a, parent: 'root', kind: 'pfifo', limt: 3 }, RangeError, /unknown setting "limt"/],
    [{ dev: a, parent: 'root', kind: 'ingress', limit: 3 }, RangeError, /takes no options/],
    [{ dev: a, kind: 'pfifo' }, TypeError, /spec.parent is required/],
    [{ dev: a, parent: 'root' }, TypeError, /spec.kind is required/],
    [{ dev: a, parent: 'root', kind: 'pfifo', limit: 1.5 }, RangeError, /limit must be an integer/],
  ]
  for (const [spec, type, message] of refused) {
    const e = await t.throwsAsync(nl.qdiscReplace(spec), { instanceOf: type, message }, JSON.stringify(spec))
    if (e) t.notRegex(e.message, /undefined/)
    t.deepEqual(tc(['qdisc', 'show', 'dev', a]), before, `unchanged after ${JSON.stringify(spec)}`)
  }
  // The kernel's own refusal, with its extended ACK.
  const e = await t.throwsAsync(nl.qdiscAdd({ dev: a, parent: 'root', handle: '1:', kind: 'pfifo' }), { instanceOf: nl.NetlinkError })
  t.is(e.code, 'EEXIST')
  t.regex(e.message, /^qdiscAdd .*File exists \(EEXIST\): Exclusivity flag on, cannot modify/)
  await t.throwsAsync(nl.qdiscList({ dev: name() }), { code: 'ENODEV' })
  t.deepEqual(tc(['qdisc', 'show', 'dev', a]), before, 'unchanged after the kernel refused')
})

test('classes made by tc are listed (of one qdisc with parent) and deleted', async (t) => {
  const { a } = await veth(t, name(), name(), { noLinkLocal: true })
  tcDo(['qdisc', 'add', 'dev', a, 'root', 'handle', '1:', 'htb'])
  tcDo(['class', 'add', 'dev', a, 'parent', '1:', 'classid', '1:10', 'htb', 'rate', '1mbit'])
  tcDo(['class', 'add', 'dev', a, 'parent', '1:10', 'classid', '1:20', 'htb', 'rate', '500kbit'])
  // tc 6.1 prints classes as text even with -j: support/tc.mjs reads it. A class at the qdisc
  // is `root` to tc; nlkit gives its parent, the qdisc's handle.
  const theirs = tcClasses(a)
  t.is(theirs.length, 2)
  const ours = await nl.classList({ dev: a })
  t.deepEqual(
    ours.map((c) => ({ kind: c.kind, handle: c.handle, parent: c.parent === '1:' ? 'root' : c.parent })),
    theirs.map(({ kind, handle, parent }) => ({ kind, handle, parent })),
  )
  t.deepEqual(
    ours.map(({ stats: { rate, pps, ...counters } }) => counters),
    theirs.map((c) => c.stats),
  )
  t.true(ours.every((c) => c.type === 'class' && c.dev === a))
  t.is((await nl.classList({ dev: a, parent: '1:' })).length, 2)
  t.deepEqual(await nl.classList({ dev: a, parent: '2:' }), [])
  await nl.classDel({ dev: a, handle: '1:20' })
  t.deepEqual(
    tcClasses(a).map((c) => c.handle),
    ['1:10'],
  )
})

test('filters made by tc are listed with their pref, protocol, handle and chain, and deleted', async (t) => {
  const { a } = await veth(t, name(), name(), { noLinkLocal: true })
  await nl.qdiscAdd({ dev: a, parent: 'clsact', kind: 'clsact' })
  tcDo([
    'filter',
    'add',
    'dev',
    a,
    'ingress',
    'pref',
    '10',
    'protocol',
    'ip',
    'u32',
    'match',
    'ip',
    'dst',
    '192.0.2.1/32',
    'classid',
    '1:1',
  ])
  tcDo([
    'filter',
    'add',
    'dev',
    a,
    'ingress',
    'pref',
    '20',
    'protocol',
    'ipv6',
    'chain',
    '3',
    'u32',
    'match',
    'u32',
    '0',
    '0',
    'classid',
    '1:2',
  ])
  const theirs = tc(['filter', 'show', 'dev', a, 'ingress']).map((f) => ({
    kind: f.kind,
    pref: f.pref,
    protocol: f.protocol,
    chain: f.chain,
    handle: f.options?.fh,
  }))
  const ours = (await nl.filterList({ dev: a, parent: 'ingress' })).map((f) => ({
    kind: f.kind,
    pref: f.pref,
    protocol: f.protocol,
    chain: f.chain,
    handle: f.handle, // u32's notation, as tc prints it (`800::800`)
  }))
  t.deepEqual(ours, theirs)
  t.true(ours.some((f) => f.chain === 3 && f.protocol === 'ipv6'))
  t.deepEqual(
    (await nl.filterList({ dev: a, parent: 'ingress', chain: 3 })).map((f) => f.chain),
    theirs.filter((f) => f.chain === 3).map((f) => f.chain),
  )
  t.deepEqual(await nl.filterList({ dev: a, parent: 'egress' }), [])
  await nl.filterDel({ dev: a, parent: 'ingress', pref: 10, protocol: 'ip' })
  t.false(tc(['filter', 'show', 'dev', a, 'ingress']).some((f) => f.pref === 10))
  t.true(tc(['filter', 'show', 'dev', a, 'ingress', 'chain', '3']).some((f) => f.pref === 20))
  await t.throwsAsync(nl.filterDel({ dev: a, parent: 'ingress', pref: 20, protocol: 'nosuch' }), {
    instanceOf: RangeError,
    message: /unknown protocol/,
  })
})

test('chains: add, list and delete, against tc -j chain show', async (t) => {
  const { a } = await veth(t, name(), name(), { noLinkLocal: true })
  await nl.qdiscAdd({ dev: a, parent: 'ingress', kind: 'ingress' })
  await nl.chainAdd({ dev: a, parent: 'ffff:', chain: 7 })
  tcDo(['chain', 'add', 'dev', a, 'ingress', 'chain', '9'])
  const theirs = tc(['chain', 'show', 'dev', a, 'ingress']).map((c) => c.chain)
  const ours = await nl.chainList({ dev: a, parent: 'ffff:' })
  t.deepEqual(
    ours.map((c) => c.chain),
    theirs,
  )
  t.true(ours.every((c) => c.type === 'chain' && c.dev === a))
  await t.throwsAsync(nl.chainAdd({ dev: a, parent: 'ffff:', chain: 7 }), { code: 'EEXIST' })
  await nl.chainDel({ dev: a, parent: 'ffff:', chain: 7 })
  t.deepEqual(
    tc(['chain', 'show', 'dev', a, 'ingress']).map((c) => c.chain),
    [9],
  )
  await t.throwsAsync(nl.chainAdd({ dev: a, parent: 'ffff:' }), { instanceOf: TypeError, message: /spec.chain is required/ })
})
