// u32 filters against tc: added, replaced, changed and deleted by nlkit on an htb qdisc and on
// clsact's ingress, compared field by field with `tc -s -j filter show` (its keys read from tc's
// text: tc 6.1's JSON keeps one "match" per filter); filters made by tc listed by nlkit;
// refusals before anything is sent (tc unchanged); a listed filter fed back. And the effect: a
// u32 rule with a mirred redirect to an ifb on a veth's ingress, counted against UDP datagrams
// sent between two namespaces. Each test works in namespaces of its own.

import { execFileSync } from 'node:child_process'
import test from 'ava'
import { namer, nsNamer } from './support/names.mjs'
import { nsConn } from './support/netns.mjs'
import { owned } from './support/registry.mjs'
import { tcFilters } from './support/tc.mjs'
import { waitFor } from './support/wait.mjs'

const own = owned('tc-filters')
const name = namer(own.prefix)
const nsName = nsNamer(`${own.netns[0]}${process.pid}-`)

const run = (cmd, args) => execFileSync(cmd, args.map(String), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
const tcIn = (ns, args) => run('tc', ['-n', ns, ...args])
const links = (ns) => JSON.parse(run('ip', ['-n', ns, '-j', '-s', 'link', 'show']))

/** A namespace with a veth pair (`a` up, `b` up) and nlkit in it. */
async function place(t) {
  const ns = nsName()
  const c = await nsConn(t, ns)
  const [a, b] = [name(), name()]
  run('ip', ['-n', ns, 'link', 'add', a, 'type', 'veth', 'peer', 'name', b])
  run('ip', ['-n', ns, 'link', 'set', a, 'up'])
  run('ip', ['-n', ns, 'link', 'set', b, 'up'])
  const index = Object.fromEntries(links(ns).map((l) => [l.ifname, l.ifindex]))
  return { ns, c, a, b, index }
}

const clean = (o) => JSON.parse(JSON.stringify(o))

/** tc's filter in nlkit's names (its u32 options and its mirred actions). */
function theirs(f) {
  const o = f.options ?? {}
  return clean({
    pref: f.pref,
    protocol: f.protocol,
    handle: o.fh,
    divisor: o.ht_divisor,
    ht: o.key_ht === undefined || o.ht_divisor !== undefined ? undefined : `${o.key_ht}:${o.bkt === '0' ? '' : o.bkt}`,
    flowid: o.flowid,
    link: o.link,
    match: o.match,
    hashkey: o.hash_mask === undefined ? undefined : { mask: Number.parseInt(o.hash_mask, 16), at: o.hash_off },
    indev: o.input_dev,
    skipHw: o.skip_hw,
    skipSw: o.skip_sw,
    notInHw: o.not_in_hw,
    actions: o.actions?.map((a) => ({
      kind: a.kind,
      action: a.mirred_action,
      direction: a.direction,
      dev: a.to_dev,
      controlAction: a.control_action?.type,
      index: a.index,
      packets: a.stats?.packets,
    })),
  })
}

/** nlkit's filter in the same shape. */
function mine(f, devOf) {
  const o = f.options
  return clean({
    pref: f.pref,
    protocol: f.protocol,
    handle: f.handle,
    divisor: o.divisor,
    ht: o.ht,
    flowid: o.flowid,
    link: o.link,
    match: o.match?.map(({ u32: k }) => ({ value: k.value, mask: k.mask, at: k.at, nexthdr: !!k.nexthdr })),
    hashkey: o.hashkey,
    indev: o.indev,
    skipHw: o.skipHw,
    skipSw: o.skipSw,
    notInHw: o.notInHw,
    actions: o.actions?.map((a) => ({
      kind: a.kind,
      action: a.action,
      direction: a.direction,
      dev: devOf(a.ifindex),
      controlAction: a.controlAction,
      index: a.index,
      packets: a.stats?.packets,
    })),
  })
}

/** nlkit's and tc's filters of a parent, compared; returns nlkit's. */
async function same(t, p, dev, parent, what) {
  const devOf = (i) => Object.entries(p.index).find(([, v]) => v === i)?.[0]
  const ours = await p.c.filterList({ dev, parent })
  t.deepEqual(
    ours.map((f) => mine(f, devOf)),
    tcFilters(p.ns, dev, parent).map(theirs),
    what,
  )
  return ours
}

const rules = (list) => list.filter((f) => f.handle && !f.options.divisor)

test('u32 on htb: added, replaced, changed and deleted by nlkit, field by field with tc', async (t) => {
  const p = await place(t)
  tcIn(p.ns, ['qdisc', 'add', 'dev', p.a, 'root', 'handle', '1:', 'htb'])
  const at = { dev: p.a, parent: '1:', kind: 'u32' }
  await p.c.filterAdd({
    ...at,
    protocol: 'ip',
    pref: 10,
    match: [{ ip: { src: '10.171.0.0/16', dport: 80 } }, { ip: { sport: { value: 1024, mask: 0xfc00 }, protocol: 6 } }],
    classid: '1:10',
  })
  await p.c.filterAdd({
    ...at,
    protocol: 'ipv6',
    prio: 20,
    match: [{ ip6: { dst: '2001:db8:171::/64', dport: 443 } }, { ip6: { src: '2001:db8:171:1::1' } }],
    flowid: '1:20',
  })
  // A hash table of 16 buckets, a rule linking to it by the source's last byte, and a rule in bucket 5.
  await p.c.filterAdd({ ...at, protocol: 'ip', pref: 30, handle: '2:', divisor: 16 })
  await p.c.filterAdd({
    ...at,
    protocol: 'ip',
    pref: 30,
    ht: '800:',
    match: [{ ip: { dst: '10.171.0.0/16' } }],
    link: '2:',
    hashkey: { mask: 0x0f, at: 12 },
  })
  await p.c.filterAdd({ ...at, protocol: 'ip', pref: 30, ht: '2:5', match: [{ u8: { value: 5, mask: 0x0f, at: 15 } }], classid: '1:30' })
  await p.c.filterAdd({
    ...at,
    protocol: 'ip',
    pref: 40,
    handle: '::7',
    match: [{ u32: { value: 0, mask: 0 } }],
    indev: p.b,
    skipSw: true,
    classid: '1:40',
  })
  const listed = await same(t, p, p.a, '1:', 'after the adds')
  t.is(rules(listed).length, 5)
  const byPref = (n) => rules(listed).filter((f) => f.pref === n)
  t.like(byPref(10)[0], { handle: '800::800', protocol: 'ip', options: { flowid: '1:10', ht: '800:' } })
  t.is(byPref(10)[0].options.match.length, 3, 'sport and dport merged into one key')
  t.like(byPref(40)[0], { options: { indev: p.b, skipSw: true } })
  t.true(byPref(40)[0].handle.endsWith('::7'))
  t.like(
    byPref(30).find((f) => f.handle.startsWith('2:5')),
    { options: { ht: '2:5', flowid: '1:30' } },
  )

  // replace and change an existing rule: the kernel keeps its keys, takes the class.
  const r = byPref(10)[0]
  await p.c.filterReplace({ ...at, protocol: 'ip', pref: 10, handle: r.handle, ...r.options, flowid: '1:11' })
  await p.c.filterChange({ ...at, protocol: 'ip', pref: 10, handle: r.handle, classid: '1:12' })
  const after = await same(t, p, p.a, '1:', 'after replace and change')
  t.is(rules(after).find((f) => f.pref === 10).options.flowid, '1:12')
  const none = await t.throwsAsync(p.c.filterChange({ ...at, protocol: 'ip', pref: 10, handle: '800::999', classid: '1:12' }))
  t.truthy(none.code, `${none.message}`)

  // delete one rule, then a whole pref.
  await p.c.filterDel({ dev: p.a, parent: '1:', protocol: 'ip', pref: 10, handle: r.handle, kind: 'u32' })
  await p.c.filterDel({ dev: p.a, parent: '1:', protocol: 'ipv6', pref: 20 })
  const left = await same(t, p, p.a, '1:', 'after the deletes')
  t.deepEqual([...new Set(left.map((f) => f.pref))].sort(), [10, 30, 40])
})

test('u32 filters made by tc are listed by nlkit as tc lists them, and fed back they make the same filters', async (t) => {
  const p = await place(t)
  tcIn(p.ns, ['qdisc', 'add', 'dev', p.a, 'root', 'handle', '1:', 'htb'])
  const add = (args) => tcIn(p.ns, ['filter', 'add', 'dev', p.a, 'parent', '1:', ...args.split(' ')])
  add('protocol ip prio 1 u32 match ip src 10.171.1.0/24 match ip dport 53 0xffff match ip protocol 17 0xff flowid 1:1')
  add('protocol ipv6 prio 2 u32 match ip6 src 2001:db8:171::/63 match ip6 priority 0x10 0xff classid 1:2')
  add('protocol ip prio 3 u32 match ether dst 02:aa:bb:cc:dd:ee match icmp type 8 0xff match u16 0x1234 0xffff at 2 classid 1:3')
  add(`protocol ip prio 4 handle ::40 u32 match ip tos 0x10 0xff match ip nofrag indev ${p.b} classid 1:4`)
  add('protocol ip prio 5 handle 3: u32 divisor 4')
  const listed = await same(t, p, p.a, '1:', 'made by tc')
  t.is(rules(listed).length, 4)

  // Fed back: each rule deleted with nlkit and added again from its listing gives the same listing.
  const before = tcFilters(p.ns, p.a, '1:').map(theirs)
  for (const f of rules(listed)) {
    const place = { dev: p.a, parent: f.parent, protocol: f.protocol, pref: f.pref, handle: f.handle, kind: 'u32' }
    await p.c.filterDel(place)
    await p.c.filterAdd({ ...place, ...f.options })
  }
  t.deepEqual(tcFilters(p.ns, p.a, '1:').map(theirs), before, 'the same filters again')
  // And a listed rule given to filterReplace as it is changes nothing.
  const f = rules(listed)[0]
  await p.c.filterReplace({ dev: p.a, parent: f.parent, protocol: f.protocol, pref: f.pref, handle: f.handle, kind: 'u32', ...f.options })
  t.deepEqual(tcFilters(p.ns, p.a, '1:').map(theirs), before, 'unchanged by a replace with the listed options')
})

test('bad u32 specs are refused before anything is sent; tc shows nothing changed', async (t) => {
  const p = await place(t)
  tcIn(p.ns, ['qdisc', 'add', 'dev', p.a, 'root', 'handle', '1:', 'htb'])
  tcIn(p.ns, [
    'filter',
    'add',
    'dev',
    p.a,
    'parent',
    '1:',
    'protocol',
    'ip',
    'prio',
    '1',
    'u32',
    'match',
    'ip',
    'dport',
    '22',
    '0xffff',
    'classid',
    '1:1',
  ])
  const before = tcFilters(p.ns, p.a, '1:').map(theirs)
  const at = { dev: p.a, parent: '1:', protocol: 'ip', pref: 1, kind: 'u32', classid: '1:1' }
  const bad = [
    [{ match: [{ ip: { dst: '10.171.0.0/33' } }] }, /prefix length/],
    [{ match: [{ ip: { dst: '10.171.0.300' } }] }, /IPv4 address/],
    [{ match: [{ ip: { dport: 70000 } }] }, /dport must be between 0 and 65535/],
    [{ match: [{ ip: { port: 80 } }] }, /unknown field "port"/],
    [{ match: [{ ipx: { dport: 80 } }] }, /unknown match type/],
    [{ match: [{ ip: { dport: 80 }, ip6: { dport: 80 } }] }, /must hold one of/],
    [{ match: [{ ip: { dport: 80 } }, { ip: { dport: 81 } }] }, /contradicts/],
    [{ match: [{ u32: { value: 1, at: 13 } }] }, /multiple of 4/],
    [{ match: { ip: { dport: 80 } } }, /match must be a list/],
    [{ match: [{ ip: { dport: 80 } }], nosuch: 1 }, /unknown setting "nosuch"/],
    [{ match: [{ ip: { dport: 80 } }], handle: '1:2:3:4' }, /malformed u32 handle/],
    [{ match: [{ ip: { dport: 80 } }], handle: '1000::' }, /malformed u32 handle/],
    [{ match: [{ ip: { dport: 80 } }], actions: { kind: 'mirred' } }, /actions must be an array/],
    [{ match: [{ ip: { dport: 80 } }], actions: [{ kind: 'mirred', action: 'redirect' }] }, /dev is required/],
    [{ match: [{ ip: { dport: 80 } }], divisor: 3 }, /power of 2/],
    [{ match: [{ ip: { dport: 80 } }], skipHw: true, skipSw: true }, /mutually exclusive/],
    [{ match: [{ ip: { dport: 80 } }], protocol: 'ipx' }, /unknown protocol/],
    [{ match: [{ ip: { dport: 80 } }], pref: 0 }, /pref/],
  ]
  for (const [spec, why] of bad) {
    const e = await t.throwsAsync(p.c.filterAdd({ ...at, ...spec }), undefined, JSON.stringify(spec))
    t.true(e instanceof TypeError || e instanceof RangeError, `${e.constructor.name}: ${e.message}`)
    t.regex(e.message, why)
  }
  t.deepEqual(tcFilters(p.ns, p.a, '1:').map(theirs), before, 'tc unchanged after the refusals')
})

test('u32 with mirred actions on clsact ingress: nlkit and tc agree on the rule and its actions', async (t) => {
  const p = await place(t)
  const ifb = name()
  run('ip', ['-n', p.ns, 'link', 'add', ifb, 'type', 'ifb'])
  p.index[ifb] = links(p.ns).find((l) => l.ifname === ifb).ifindex
  await p.c.qdiscAdd({ dev: p.a, parent: 'clsact', kind: 'clsact' })
  const spec = {
    dev: p.a,
    parent: 'ingress',
    protocol: 'ip',
    pref: 7,
    kind: 'u32',
    match: [{ ip: { protocol: 17, dport: 5000 } }],
    actions: [
      { kind: 'mirred', action: 'mirror', direction: 'egress', ifindex: p.index[p.b] },
      { kind: 'mirred', action: 'redirect', direction: 'egress', ifindex: p.index[ifb] },
    ],
  }
  await p.c.filterAdd(spec)
  tcIn(p.ns, [
    'filter',
    'add',
    'dev',
    p.a,
    'ingress',
    'protocol',
    'ip',
    'prio',
    '8',
    'u32',
    'match',
    'ip',
    'dport',
    '5001',
    '0xffff',
    'action',
    'mirred',
    'egress',
    'redirect',
    'dev',
    ifb,
  ])
  const listed = await same(t, p, p.a, 'ingress', 'on clsact ingress')
  const r = rules(listed).find((f) => f.pref === 7)
  t.like(r.options.actions[0], { kind: 'mirred', action: 'mirror', controlAction: 'pipe', stats: { packets: 0 } })
  t.like(r.options.actions[1], { kind: 'mirred', action: 'redirect', controlAction: 'stolen' })
  // Replaced with one action: tc sees the list replaced.
  await p.c.filterReplace({ ...spec, handle: r.handle, actions: [spec.actions[1]] })
  const again = await same(t, p, p.a, 'ingress', 'after a replace of the actions')
  t.is(rules(again).find((f) => f.pref === 7).options.actions.length, 1)
})

const SENDER = `
const dgram = require('node:dgram')
const [dst, port, count] = [process.argv[1], +process.argv[2], +process.argv[3]]
const s = dgram.createSocket('udp4')
let n = 0
const next = () => (n++ < count ? s.send(Buffer.alloc(64, 1), port, dst, (e) => (e ? process.exit(1) : next())) : s.close())
next()
`

test('effect: a u32 rule redirecting UDP to one port into an ifb counts exactly those datagrams, on the rule and on the ifb', async (t) => {
  const [nsA, nsB] = [nsName(), nsName()]
  await nsConn(t, nsA)
  const c = await nsConn(t, nsB)
  const [s, r, ifb] = [name(), name(), name()]
  run('ip', ['-n', nsA, 'link', 'add', s, 'type', 'veth', 'peer', 'name', r, 'netns', nsB])
  run('ip', ['-n', nsB, 'link', 'add', ifb, 'type', 'ifb'])
  run('ip', ['-n', nsB, 'link', 'set', ifb, 'addrgenmode', 'none']) // no traffic of its own
  run('ip', ['-n', nsA, 'addr', 'add', '10.171.9.1/24', 'dev', s])
  run('ip', ['-n', nsB, 'addr', 'add', '10.171.9.2/24', 'dev', r])
  for (const [ns, dev] of [
    [nsA, s],
    [nsB, r],
    [nsB, ifb],
  ])
    run('ip', ['-n', ns, 'link', 'set', dev, 'up'])
  const ifbIndex = links(nsB).find((l) => l.ifname === ifb).ifindex
  await c.qdiscAdd({ dev: r, parent: 'clsact', kind: 'clsact' })
  await c.filterAdd({
    dev: r,
    parent: 'ingress',
    protocol: 'ip',
    pref: 1,
    kind: 'u32',
    match: [{ ip: { protocol: 17, dport: 7001 } }],
    actions: [{ kind: 'mirred', action: 'redirect', direction: 'egress', ifindex: ifbIndex }],
  })
  const send = (port, count) => run('ip', ['netns', 'exec', nsA, process.execPath, '-e', SENDER, '10.171.9.2', port, count])
  const ifbCounts = () => {
    const l = links(nsB).find((x) => x.ifname === ifb)
    return { rx: l.stats64.rx.packets, tx: l.stats64.tx.packets }
  }
  const ruleCounts = async () => {
    const [f] = rules(await c.filterList({ dev: r, parent: 'ingress' }))
    const [theirsF] = tcFilters(nsB, r, 'ingress').filter((x) => x.options?.fh && !x.options.ht_divisor)
    return { nlkit: f.options.actions[0].stats.packets, tc: theirsF.options.actions[0].stats.packets, xstats: f.xstats }
  }
  const base = ifbCounts()
  const N = 40
  send(7001, N)
  await waitFor(async () => (await ruleCounts()).nlkit >= N, { what: 'the redirect to count the datagrams' })
  const hit = await ruleCounts()
  t.is(hit.nlkit, N, 'nlkit: the mirred action of the rule saw every matching datagram')
  t.is(hit.tc, N, 'tc -s: the same')
  if (hit.xstats) t.like(hit.xstats, { success: N })
  else t.log('this kernel has no CONFIG_CLS_U32_PERF: no per-key counters (TCA_U32_PCNT) to compare')
  await waitFor(() => ifbCounts().tx - base.tx >= N, { what: 'the ifb to pass the datagrams' })
  const through = ifbCounts()
  t.is(through.rx - base.rx, N, 'the ifb received the redirected datagrams')
  t.is(through.tx - base.tx, N, 'and sent them on')
  t.log(`${N} datagrams to port 7001: rule ${hit.nlkit} (tc ${hit.tc}), ifb rx +${through.rx - base.rx} tx +${through.tx - base.tx}`)

  // Datagrams to another port pass the rule by; one more to 7001 after them marks the end.
  const rxBefore = links(nsB).find((x) => x.ifname === r).stats64.rx.packets
  send(7002, 25)
  send(7001, 1)
  await waitFor(async () => (await ruleCounts()).nlkit >= N + 1, { what: 'the marker datagram' })
  const end = await ruleCounts()
  t.is(end.nlkit, N + 1, 'the rule counted none of the 25 datagrams to port 7002')
  t.is(end.tc, N + 1)
  await waitFor(() => ifbCounts().tx - base.tx >= N + 1, { what: 'the ifb to pass the marker' })
  t.deepEqual(ifbCounts(), { rx: base.rx + N + 1, tx: base.tx + N + 1 }, 'the ifb saw none of them')
  t.true(links(nsB).find((x) => x.ifname === r).stats64.rx.packets - rxBefore >= 26, 'the datagrams to port 7002 did arrive')
})
