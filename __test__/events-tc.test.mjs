// subscribe(['tc']): qdisc, class, filter, chain and standalone-action events, made by tc commands
// and by nlkit calls, each compared field by field with what nlkit lists (itself checked against
// tc -s -j in the tc-*.test.mjs files) and its identity with tc -j; listExisting lists every
// object of each kind exactly once (the kernel dumps classes per link and filters and chains per
// parent, so the listing follows the qdiscs it finds). Subscriptions here must see only their own
// events, so everything happens in namespaces of this file's own, on links left down (no traffic:
// counters stay still and the compared objects equal).

import { execFileSync } from 'node:child_process'
import test from 'ava'
import * as nl from '../index.js'
import { Collector } from './support/events.mjs'
import { nsConn } from './support/netns.mjs'
import { ipDo } from './support/oracle.mjs'
import { owned } from './support/registry.mjs'

const own = owned('events-tc')
let nsSeq = 0

async function setup(t) {
  const ns = `${own.netns[0]}${process.pid}-${nsSeq++}`
  const c = await nsConn(t, ns)
  const [a, b] = [`${own.prefix}0`, `${own.prefix}1`]
  ipDo(['-n', ns, 'link', 'add', a, 'type', 'veth', 'peer', 'name', b])
  const idx = Object.fromEntries((await c.linkList()).map((l) => [l.name, l.index]))
  const tc = (...args) => execFileSync('ip', ['netns', 'exec', ns, 'tc', ...args.flatMap((x) => x.split(' '))], { encoding: 'utf8' })
  const tcj = (...args) =>
    JSON.parse(execFileSync('ip', ['netns', 'exec', ns, 'tc', '-j', ...args.flatMap((x) => x.split(' '))], { encoding: 'utf8' }) || '[]')
  return { ns, c, a, b, idx, tc, tcj }
}

/** JSON with object keys sorted: the same object however its keys were ordered. */
const canon = (v) =>
  Array.isArray(v)
    ? v.map(canon)
    : v && typeof v === 'object'
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, canon(v[k])]),
        )
      : v
const key = (o) => JSON.stringify(canon(o))
const sorted = (list) => list.map(key).sort()
const ofType = (col, type, pred = () => true) => col.filter((e) => e.type === type && pred(e))

test("listExisting: every qdisc, class, filter, chain and standalone action once, equal to nlkit's lists", async (t) => {
  const { ns, c, a, b, idx, tc, tcj } = await setup(t)
  tc(`qdisc add dev ${a} root handle 1: htb default 10`)
  tc(`class add dev ${a} parent 1: classid 1:10 htb rate 1mbit`)
  tc(`class add dev ${a} parent 1:10 classid 1:20 htb rate 512kbit`)
  tc(`filter add dev ${a} parent 1: prio 1 protocol ip u32 match ip dport 80 0xffff flowid 1:10`)
  tc(`filter add dev ${a} parent 1:10 prio 2 protocol ip u32 match ip sport 22 0xffff flowid 1:20`)
  tc(`chain add dev ${a} parent 1: chain 5`)
  tc(`qdisc add dev ${a} clsact`)
  tc(`filter add dev ${a} egress prio 3 protocol ipv6 u32 match u32 0 0`)
  tc(`qdisc add dev ${b} ingress`)
  tc(`filter add dev ${b} ingress prio 4 protocol all u32 match u32 0 0`)
  tc(`actions add action mirred egress redirect dev ${b} index 7`)

  const col = new Collector(nl.subscribe(['tc'], { netns: ns, listExisting: true }))
  t.teardown(() => col.close())
  // Standalone actions are listed last.
  await col.waitFor((e) => e.type === 'action' && e.existing, { what: 'the existing mirred action' })
  const existing = (type) => ofType(col, type, (e) => e.existing && e.action === 'new').map((e) => e[type === 'action' ? 'actions' : type])

  t.deepEqual(sorted(existing('qdisc')), sorted(await c.qdiscList()), 'qdiscs')
  const theirQdiscs = [a, b, 'lo'].flatMap((dev) => tcj('qdisc show dev', dev).map((q) => ({ ...q, dev })))
  t.deepEqual(
    existing('qdisc')
      .map((q) => `${q.dev} ${q.kind} ${q.handle === 'none' ? '0:' : q.handle}`)
      .sort(),
    theirQdiscs.map((q) => `${q.dev} ${q.kind} ${q.handle}`).sort(),
    'the qdiscs tc lists',
  )
  t.deepEqual(sorted(existing('class')), sorted([...(await c.classList({ dev: a })), ...(await c.classList({ dev: b }))]), 'classes')
  t.is(existing('class').length, 2)

  const filters = []
  const chainsListed = []
  for (const [dev, parent] of [
    [a, '1:'],
    [a, '1:10'],
    [a, '1:20'],
    [a, 'egress'],
    [a, 'ingress'],
    [b, 'ingress'],
  ]) {
    filters.push(...(await c.filterList({ dev, parent })))
    chainsListed.push(...(await c.chainList({ dev, parent })))
  }
  t.deepEqual(sorted(existing('filter')), sorted(filters), 'filters')
  // Each u32 classifier shows as its head, its hash table and its rule (tc filter show's three lines).
  t.is(existing('filter').length, 12)
  t.deepEqual([...new Set(existing('filter').map((f) => `${f.dev} ${f.parent} ${f.pref} ${f.protocol}`))].sort(), [
    `${a} 1: 1 ip`,
    `${a} 1:10 2 ip`,
    `${a} egress 3 ipv6`,
    `${b} ingress 4 all`,
  ])
  const chains = existing('chain')
  t.true(
    chains.some((ch) => ch.dev === a && ch.parent === '1:' && ch.chain === 5),
    'the empty chain 5 made by tc chain add',
  )
  // The kernel names a class's block by its qdisc (chain 0 of 1:10 says parent 1:, as chainList does).
  t.deepEqual(sorted(chains), sorted(chainsListed), 'chains, one per block')
  const actions = existing('action').flat()
  t.deepEqual(actions, await c.actionList({ kind: 'mirred' }))
  t.like(actions[0], { kind: 'mirred', index: 7, ifindex: idx[b], action: 'redirect' })
  t.is(col.filter((e) => !e.existing).length, 0, 'nothing but the listing')
})

test('live events from tc commands and nlkit calls, field by field with the objects listed after each', async (t) => {
  const { ns, c, a, b, idx, tc } = await setup(t)
  const col = new Collector(nl.subscribe(['tc'], { netns: ns }))
  t.teardown(() => col.close())
  let from = 0
  const after = async (what, pred) => {
    const ev = await col.waitFor(pred, { what, from })
    from = col.events.indexOf(ev) + 1
    return ev
  }

  await c.qdiscAdd({ dev: a, parent: 'root', handle: '1:', kind: 'htb', default: 0x10 })
  const q = await after('htb qdisc new', (e) => e.type === 'qdisc' && e.action === 'new' && e.qdisc.kind === 'htb')
  t.deepEqual(
    q.qdisc,
    (await c.qdiscList({ dev: a })).find((x) => x.kind === 'htb'),
  )
  t.like(q.qdisc, { dev: a, ifindex: idx[a], handle: '1:', root: true, options: { default: '0x10' } })

  tc(`qdisc add dev ${b} root handle 2: tbf rate 1mbit burst 10k latency 50ms`)
  tc(`qdisc change dev ${b} root handle 2: tbf rate 2mbit burst 10k latency 50ms`)
  const qn = await after('tbf qdisc new', (e) => e.type === 'qdisc' && e.action === 'new' && e.qdisc.kind === 'tbf')
  t.like(qn.qdisc, { dev: b, handle: '2:', options: { rate: 1_000_000 } })
  const qc = await after('tbf qdisc changed', (e) => e.type === 'qdisc' && e.action === 'new' && e.qdisc.kind === 'tbf')
  t.deepEqual(canon(qc.qdisc), canon((await c.qdiscList({ dev: b })).find((x) => x.kind === 'tbf')))
  t.is(qc.qdisc.options.rate, 2_000_000)

  await c.classAdd({ dev: a, parent: '1:', handle: '1:10', kind: 'htb', rate: '2mbit' })
  const cl = await after('class 1:10 new', (e) => e.type === 'class' && e.class.handle === '1:10')
  t.deepEqual(
    cl.class,
    (await c.classList({ dev: a })).find((x) => x.handle === '1:10'),
  )
  t.like(cl.class, { kind: 'htb', options: { rate: 2_000_000 } })

  await c.chainAdd({ dev: a, parent: '1:', chain: 9 })
  const ch = await after('chain 9 new', (e) => e.type === 'chain' && e.chain.chain === 9)
  t.is(ch.action, 'new')
  t.deepEqual(
    ch.chain,
    (await c.chainList({ dev: a, parent: '1:' })).find((x) => x.chain === 9),
  )

  tc(`filter add dev ${a} parent 1: prio 7 protocol ip u32 match ip dport 443 0xffff flowid 1:10`)
  const f = await after('filter new', (e) => e.type === 'filter' && e.action === 'new' && e.filter.pref === 7 && e.filter.handle)
  const listed = await c.filterList({ dev: a, parent: '1:' })
  t.deepEqual(
    f.filter,
    listed.find((x) => x.handle === f.filter.handle && x.pref === 7),
  )
  t.like(f.filter, { dev: a, kind: 'u32', parent: '1:', protocol: 'ip', chain: 0 })

  await c.actionAdd([{ kind: 'mirred', action: 'mirror', direction: 'egress', ifindex: idx[b], index: 12 }])
  const act = await after('action new', (e) => e.type === 'action' && e.action === 'new')
  t.deepEqual(act.actions, [await c.actionGet({ kind: 'mirred', index: 12 })])
  tc('actions del action mirred index 12')
  const actDel = await after('action del', (e) => e.type === 'action' && e.action === 'del')
  t.like(actDel.actions[0], { kind: 'mirred', index: 12 })

  await c.filterDel({ dev: a, parent: '1:', pref: 7, protocol: 'ip' })
  const fd = await after('filter del', (e) => e.type === 'filter' && e.action === 'del')
  t.like(fd.filter, { dev: a, pref: 7, kind: 'u32', parent: '1:' })
  await c.chainDel({ dev: a, parent: '1:', chain: 9 })
  t.like((await after('chain del', (e) => e.type === 'chain' && e.action === 'del' && e.chain.chain === 9)).chain, { dev: a, parent: '1:' })
  tc(`class del dev ${a} classid 1:10`)
  t.like((await after('class del', (e) => e.type === 'class' && e.action === 'del')).class, { handle: '1:10', kind: 'htb' })
  await c.qdiscDel({ dev: a, parent: 'root' })
  t.like((await after('qdisc del', (e) => e.type === 'qdisc' && e.action === 'del')).qdisc, { handle: '1:', kind: 'htb', dev: a })
  t.is(col.filter((e) => !['qdisc', 'class', 'filter', 'chain', 'action'].includes(e.type)).length, 0, 'only tc events')
})
