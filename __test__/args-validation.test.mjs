// Bad arguments of the newer functions (linkAdd, linkSet and its short forms, neighAdd /
// neighReplace / neighDel / neighList, ruleAdd / ruleDel / ruleList, routeAdd / routeAppend with
// nexthops / metrics / pref / onlink, routeGet options, netnsCreate / netnsDelete, open and
// subscribe with a netns): a TypeError or RangeError naming the argument, thrown before anything
// is sent, and nothing changed in ip's view.
//
// What it owns in the shared namespace is its entry in support/registry.mjs
// (10.156.0.0/16, 2001:db8:156::/48, a table, rule priorities, namespaces); names that cannot
// exist (too long, a space, a slash) are written out.

import test from 'ava'
import * as nl from '../index.js'
import { ip, ipTry, ipNetnsList } from './support/oracle.mjs'
import { namer } from './support/names.mjs'
import { veth } from './support/veth.mjs'
import { rejectsWith } from './support/assert.mjs'
import { owned } from './support/registry.mjs'

const own = owned('args-validation')
const name = namer(own.prefix)
const T = own.table(0)
const P = own.priority(0)
/** Valid names the bad calls give a peer: made, were they sent. */
const PEER = `${own.prefix}peer`
const PEER2 = `${own.prefix}p`

/** What ip shows of the links named `watch` (absent ones as null), this file's routes, rules, neighbours, namespaces. */
function snapshot(watch) {
  const links = watch.map((n) => {
    const [l] = ipTry(['link', 'show', 'dev', n]) ? ip(['-d', 'link', 'show', 'dev', n]) : []
    if (!l) return [n, null]
    return [
      n,
      {
        mtu: l.mtu,
        address: l.address,
        up: l.flags.includes('UP'),
        master: l.master,
        txqlen: l.txqlen,
        alias: l.ifalias,
        group: l.group,
        kind: l.linkinfo?.info_kind,
      },
    ]
  })
  const routes = (() => {
    try {
      return [...ip(['-4', 'route', 'show', 'table', String(T)]), ...ip(['-6', 'route', 'show', 'table', String(T)])]
    } catch {
      return []
    }
  })()
  const rules = [...ip(['-4', 'rule', 'show']), ...ip(['-6', 'rule', 'show'])].filter((r) => own.has('priorities', r.priority))
  const neigh = watch.flatMap((n) => (ipTry(['link', 'show', 'dev', n]) ? ip(['neigh', 'show', 'dev', n, 'nud', 'all']) : []))
  const netns = ipNetnsList().filter((n) => n.startsWith(own.netns[0]))
  return { links, routes, rules, neigh, netns }
}

/**
 * Runs every case; each must fail with its class (not a kernel error), and ip's view of the
 * links named in `watch` (and of this file's routes, rules, namespaces) must not change.
 */
async function assertRejected(t, cases, watch = []) {
  const before = snapshot(watch)
  for (const [cls, fn, label] of cases) {
    const e = await rejectsWith(t, fn, cls, label)
    t.false(e instanceof nl.NetlinkError, `${label}: refused before sending (not a kernel error)`)
    t.truthy(e?.message, `${label}: has a message`)
  }
  t.deepEqual(snapshot(watch), before, "nothing changed in ip's view")
}

test('linkAdd: missing/empty kind, bad name, bad MAC, bad mtu, bad peer, bad netns, bad parent', async (t) => {
  const { a } = await veth(t, name(), name(), { noLinkLocal: true })
  const n = name()
  t.teardown(() => ipTry(['link', 'del', 'dev', n]))
  await assertRejected(
    t,
    [
      [TypeError, () => nl.linkAdd(), 'no spec'],
      [TypeError, () => nl.linkAdd(null), 'null spec'],
      [TypeError, () => nl.linkAdd({ name: n }), 'no kind'],
      [TypeError, () => nl.linkAdd({ kind: '', name: n }), 'empty kind'],
      [TypeError, () => nl.linkAdd({ kind: 5, name: n }), 'kind not a string'],
      [TypeError, () => nl.linkAdd({ kind: 'bridge' }), 'no name'],
      [RangeError, () => nl.linkAdd({ kind: 'bridge', name: '' }), 'empty name'],
      [RangeError, () => nl.linkAdd({ kind: 'bridge', name: 'sg-much-too-long-name' }), 'name over 15 bytes'],
      [RangeError, () => nl.linkAdd({ kind: 'bridge', name: 'sg a' }), 'name with a space'],
      [RangeError, () => nl.linkAdd({ kind: 'bridge', name: 'sg/a' }), 'name with a slash'],
      [TypeError, () => nl.linkAdd({ kind: 'bridge', name: n, address: 'zz:00:00:00:00:01' }), 'bad MAC'],
      [TypeError, () => nl.linkAdd({ kind: 'bridge', name: n, address: '02:00:00:00:00:1' }), 'short MAC octet'],
      [TypeError, () => nl.linkAdd({ kind: 'bridge', name: n, broadcast: 'ff-ff-ff-ff-ff-ff' }), 'bad broadcast'],
      [RangeError, () => nl.linkAdd({ kind: 'bridge', name: n, mtu: 10 }), 'mtu below 68'],
      [TypeError, () => nl.linkAdd({ kind: 'bridge', name: n, mtu: 1500.5 }), 'fractional mtu'],
      [RangeError, () => nl.linkAdd({ kind: 'bridge', name: n, txqlen: -1 }), 'negative txqlen'],
      [TypeError, () => nl.linkAdd({ kind: 'bridge', name: n, up: 1 }), 'up not a boolean'],
      [TypeError, () => nl.linkAdd({ kind: 'bridge', name: n, alias: 5 }), 'alias not a string'],
      [TypeError, () => nl.linkAdd({ kind: 'veth', name: n, peer: PEER }), 'peer not an object'],
      [TypeError, () => nl.linkAdd({ kind: 'veth', name: n, peer: {} }), 'peer without a name'],
      [RangeError, () => nl.linkAdd({ kind: 'veth', name: n, peer: { name: 'sg-peer-too-long-x' } }), 'peer name too long'],
      [TypeError, () => nl.linkAdd({ kind: 'veth', name: n, peer: { name: PEER2, netns: { fd: 3 } } }), 'peer netns as fd'],
      [RangeError, () => nl.linkAdd({ kind: 'veth', name: n, peer: { name: PEER2, netns: '..' } }), 'peer netns bad name'],
      [TypeError, () => nl.linkAdd({ kind: 'veth', name: n, peer: { name: PEER2, address: 'nope' } }), 'peer bad MAC'],
      [RangeError, () => nl.linkAdd({ kind: 'veth', name: n, peer: { name: PEER2, mtu: 1 } }), 'peer mtu'],
      [RangeError, () => nl.linkAdd({ kind: 'ifb', name: n, netns: '' }), 'empty netns'],
      [RangeError, () => nl.linkAdd({ kind: 'ifb', name: n, netns: 0 }), 'netns pid 0'],
      [TypeError, () => nl.linkAdd({ kind: 'ifb', name: n, netns: { nope: 1 } }), 'netns object of no known form'],
      [TypeError, () => nl.linkAdd({ kind: 'macvlan', name: n, link: 1.5, mode: 'bridge' }), 'parent index not an integer'],
      [RangeError, () => nl.linkAdd({ kind: 'macvlan', name: n, link: 'sg bad', mode: 'bridge' }), 'parent name invalid'],
      [TypeError, () => nl.linkAdd({ kind: 'macvlan', name: n, link: a, master: {}, mode: 'bridge' }), 'master not a name or index'],
      [RangeError, () => nl.linkAdd({ kind: 'vxlan', name: n, id: 5, dev: 'sg bad' }), 'vxlan dev name invalid'],
      [TypeError, () => nl.linkAdd({ kind: 'bridge', name: n }, { timeout: 'soon' }), 'bad call options'],
    ],
    [a, n, PEER2, PEER],
  )
})

test('linkSet and its short forms: unknown key, bad values, bad names, bad netns', async (t) => {
  const { a, ia } = await veth(t, name(), name(), { noLinkLocal: true })
  await assertRejected(
    t,
    [
      [RangeError, () => nl.linkSet(a, { colour: 'blue' }), 'unknown key'],
      [RangeError, () => nl.linkSet(a, { mtu: 1400, state: 'up' }), 'unknown key next to a good one'],
      [TypeError, () => nl.linkSet(a), 'no changes object'],
      [TypeError, () => nl.linkSet(a, null), 'null changes'],
      [TypeError, () => nl.linkSet(a, { mtu: '1400' }), 'mtu as a string'],
      [RangeError, () => nl.linkSet(a, { mtu: 2 ** 32 }), 'mtu too big'],
      [TypeError, () => nl.linkSet(a, { address: 'hello' }), 'bad MAC'],
      [TypeError, () => nl.linkSet(a, { up: 'yes' }), 'up as a string'],
      [TypeError, () => nl.linkSet(a, { alias: 'x'.repeat(256) }), 'alias over 255 bytes'],
      [RangeError, () => nl.linkSet(a, { group: -1 }), 'negative group'],
      [RangeError, () => nl.linkSet(a, { txqlen: 2 ** 32 }), 'txqlen too big'],
      [RangeError, () => nl.linkSet(a, { name: 'sg-name-too-long-' }), 'new name too long'],
      [RangeError, () => nl.linkSet(a, { netns: '..' }), 'bad netns name'],
      [TypeError, () => nl.linkSet(a, { master: true }), 'master not a name or index'],
      [RangeError, () => nl.linkSet('', { mtu: 1400 }), 'empty link name'],
      [RangeError, () => nl.linkSet(0, { mtu: 1400 }), 'index 0'],
      [TypeError, () => nl.linkSet({}, { mtu: 1400 }), 'link not a name or index'],
      [RangeError, () => nl.linkSetMtu(a, 67), 'linkSetMtu below 68'],
      [TypeError, () => nl.linkSetMtu(ia, 'big'), 'linkSetMtu not a number'],
      [RangeError, () => nl.linkSetName(a, 'sg:1'), 'linkSetName with a colon'],
      [TypeError, () => nl.linkSetName(a, 5), 'linkSetName not a string'],
      [TypeError, () => nl.linkSetAddress(a, '02:00:00:00:00:0g'), 'linkSetAddress bad MAC'],
      [TypeError, () => nl.linkSetAddress(a, 0x020000000001), 'linkSetAddress number'],
      [TypeError, () => nl.linkSetMaster(a, 1.5), 'linkSetMaster fractional index'],
      [RangeError, () => nl.linkSetMaster(a, ''), 'linkSetMaster empty name'],
      [RangeError, () => nl.linkSetNetns(a, ''), 'linkSetNetns empty'],
      [RangeError, () => nl.linkSetNetns(a, 'a\0b'), 'linkSetNetns NUL in the name'],
      [RangeError, () => nl.linkSetNetns(a, -5), 'linkSetNetns negative pid'],
      [RangeError, () => nl.linkSetNetns(a, { fd: -1 }), 'linkSetNetns negative fd'],
      [TypeError, () => nl.linkSetNetns(a, []), 'linkSetNetns array'],
      [RangeError, () => nl.linkSetNetns(a, { name: '.' }), 'linkSetNetns { name: "." }'],
    ],
    [a],
  )
})

test('neighAdd / neighReplace / neighDel / neighList: missing dst for IPv4/IPv6, bad MAC, state, flags, family, vlan', async (t) => {
  const { a } = await veth(t, name(), name(), { up: true, noLinkLocal: true })
  await assertRejected(
    t,
    [
      [TypeError, () => nl.neighAdd({ dev: a, lladdr: '02:56:00:00:00:01' }), 'no dst, no family'],
      [TypeError, () => nl.neighAdd({ dev: a, family: 4, lladdr: '02:56:00:00:00:01' }), 'IPv4 without dst'],
      [TypeError, () => nl.neighAdd({ dev: a, family: 6, lladdr: '02:56:00:00:00:01' }), 'IPv6 without dst'],
      [TypeError, () => nl.neighReplace({ dev: a, family: 4 }), 'neighReplace IPv4 without dst'],
      [TypeError, () => nl.neighDel({ dev: a, family: 6 }), 'neighDel IPv6 without dst'],
      [TypeError, () => nl.neighAdd({ dev: a, dst: '10.156.0.300', lladdr: '02:56:00:00:00:01' }), 'bad IPv4'],
      [TypeError, () => nl.neighAdd({ dev: a, dst: '10.156.0.2/32', lladdr: '02:56:00:00:00:01' }), 'dst with a prefix'],
      [TypeError, () => nl.neighAdd({ dev: a, dst: '10.156.0.2', family: 6 }), 'family 6 with an IPv4 dst'],
      [TypeError, () => nl.neighAdd({ dev: a, dst: '10.156.0.2', lladdr: 'aa-bb-cc-dd-ee-ff' }), 'bad MAC'],
      [RangeError, () => nl.neighAdd({ dev: a, dst: '10.156.0.2', state: 'cheerful' }), 'bad state'],
      [RangeError, () => nl.neighAdd({ dev: a, dst: '10.156.0.2', state: ['permanent', 'nope'] }), 'bad state in a list'],
      [RangeError, () => nl.neighAdd({ dev: a, dst: '10.156.0.2', flags: ['loud'] }), 'bad flag'],
      [RangeError, () => nl.neighAdd({ dev: a, dst: '10.156.0.2', family: 5 }), 'family 5'],
      [RangeError, () => nl.neighAdd({ dev: a, family: 'bridge', lladdr: '02:56:00:00:00:01', vlan: 4096 }), 'vlan 4096'],
      [RangeError, () => nl.neighAdd({ dev: '', dst: '10.156.0.2' }), 'empty dev'],
      [TypeError, () => nl.neighAdd({ dst: '10.156.0.2' }), 'no dev'],
      [TypeError, () => nl.neighAdd(null), 'null spec'],
      [RangeError, () => nl.neighList({ family: 'ipx' }), 'neighList bad family'],
      [RangeError, () => nl.neighList({ dev: 'sg bad' }), 'neighList bad dev'],
      [TypeError, () => nl.neighList(null), 'neighList null filter'],
    ],
    [a],
  )
})

test('ruleAdd / ruleDel / ruleList: mismatched from/to families, bad prefix, action, table, tos, uidRange, names', async (t) => {
  await assertRejected(t, [
    [TypeError, () => nl.ruleAdd({ priority: P, from: '10.156.0.0/16', to: '2001:db8:156::/48', table: T }), 'from IPv4, to IPv6'],
    [TypeError, () => nl.ruleAdd({ priority: P, from: '2001:db8:156::/48', family: 4, table: T }), 'family 4 with IPv6 from'],
    [RangeError, () => nl.ruleAdd({ priority: P, family: 5, table: T }), 'family 5'],
    [RangeError, () => nl.ruleAdd({ priority: P, from: '10.156.0.0/33', table: T }), 'prefix 33'],
    [TypeError, () => nl.ruleAdd({ priority: P, from: 'ten/8', table: T }), 'not an address'],
    [RangeError, () => nl.ruleAdd({ priority: P, action: 'jump' }), 'unknown action'],
    [RangeError, () => nl.ruleAdd({ priority: P, table: 'nosuch' }), 'unknown table name'],
    [RangeError, () => nl.ruleAdd({ priority: -1, table: T }), 'negative priority'],
    [RangeError, () => nl.ruleAdd({ priority: P, table: T, tos: 256 }), 'tos 256'],
    [RangeError, () => nl.ruleAdd({ priority: P, table: T, fwmark: 2 ** 32 }), 'fwmark too big'],
    [RangeError, () => nl.ruleAdd({ priority: P, table: T, uidRange: { start: 10, end: 5 } }), 'uidRange end < start'],
    [TypeError, () => nl.ruleAdd({ priority: P, table: T, uidRange: 5 }), 'uidRange not an object'],
    [RangeError, () => nl.ruleAdd({ priority: P, table: T, suppressPrefixLength: 129 }), 'suppressPrefixLength 129'],
    [RangeError, () => nl.ruleAdd({ priority: P, table: T, iif: 'sg bad' }), 'iif invalid'],
    [RangeError, () => nl.ruleAdd({ priority: P, table: T, oif: 'sg-much-too-long-n' }), 'oif too long'],
    [RangeError, () => nl.ruleAdd({ priority: P, table: T, protocol: 'smoke-signals' }), 'unknown protocol'],
    [TypeError, () => nl.ruleAdd(null), 'null spec'],
    [TypeError, () => nl.ruleDel({ priority: P, from: '10.156.0.0/16', to: '2001:db8:156::/48' }), 'ruleDel mismatched families'],
    [RangeError, () => nl.ruleList({ family: 0 }), 'ruleList family 0'],
  ])
})

test('routeAdd / routeAppend: nexthops with gateway or dev at the top level, bad nexthops, unknown metric, bad pref / onlink', async (t) => {
  const { a } = await veth(t, name(), name(), { up: true, noLinkLocal: true })
  t.teardown(() => {
    ipTry(['-4', 'route', 'flush', 'table', String(T)])
    ipTry(['-6', 'route', 'flush', 'table', String(T)])
  })
  const nh = [{ gateway: '10.156.1.2', dev: a }]
  await assertRejected(
    t,
    [
      [TypeError, () => nl.routeAdd({ dst: '10.156.9.0/24', table: T, gateway: '10.156.1.1', nexthops: nh }), 'nexthops and gateway'],
      [TypeError, () => nl.routeAdd({ dst: '10.156.9.0/24', table: T, dev: a, nexthops: nh }), 'nexthops and dev'],
      [TypeError, () => nl.routeAppend({ dst: '10.156.9.0/24', table: T, dev: a, nexthops: nh }), 'routeAppend: nexthops and dev'],
      [TypeError, () => nl.routeAdd({ dst: '10.156.9.0/24', table: T, nexthops: [] }), 'empty nexthops'],
      [TypeError, () => nl.routeAdd({ dst: '10.156.9.0/24', table: T, nexthops: { gateway: '10.156.1.2' } }), 'nexthops not an array'],
      [TypeError, () => nl.routeAdd({ dst: '10.156.9.0/24', table: T, nexthops: [null] }), 'a null nexthop'],
      [RangeError, () => nl.routeAdd({ dst: '10.156.9.0/24', table: T, nexthops: [{ gateway: '10.156.1.2', weight: 0 }] }), 'weight 0'],
      [RangeError, () => nl.routeAdd({ dst: '10.156.9.0/24', table: T, nexthops: [{ gateway: '10.156.1.2', weight: 257 }] }), 'weight 257'],
      [
        TypeError,
        () => nl.routeAdd({ dst: '10.156.9.0/24', table: T, nexthops: [{ gateway: '2001:db8:156::1' }] }),
        'IPv6 nexthop for an IPv4 dst',
      ],
      [
        TypeError,
        () => nl.routeAdd({ dst: '10.156.9.0/24', table: T, nexthops: [{ gateway: '10.156.1.2', onlink: 'yes' }] }),
        'nexthop onlink not a boolean',
      ],
      [
        RangeError,
        () => nl.routeAdd({ dst: '10.156.9.0/24', table: T, nexthops: [{ gateway: '10.156.1.2', dev: 'sg bad' }] }),
        'nexthop dev invalid',
      ],
      [RangeError, () => nl.routeAdd({ dst: '10.156.9.0/24', table: T, dev: a, metrics: { speed: 10 } }), 'unknown metric'],
      [RangeError, () => nl.routeAdd({ dst: '10.156.9.0/24', table: T, dev: a, metrics: { mtu: -1 } }), 'negative metric'],
      [TypeError, () => nl.routeAdd({ dst: '10.156.9.0/24', table: T, dev: a, metrics: { mtu: '1400' } }), 'metric as a string'],
      [TypeError, () => nl.routeAdd({ dst: '10.156.9.0/24', table: T, dev: a, metrics: 1400 }), 'metrics not an object'],
      [RangeError, () => nl.routeAdd({ dst: '2001:db8:156:9::/64', table: T, dev: a, pref: 'urgent' }), 'unknown pref'],
      [TypeError, () => nl.routeAdd({ dst: '10.156.9.0/24', table: T, dev: a, onlink: 1 }), 'onlink not a boolean'],
      [RangeError, () => nl.routeAdd({ dst: '10.156.9.0/24', table: T, dev: a, type: 'teleport' }), 'unknown type'],
      [RangeError, () => nl.routeAppend({ dst: '10.156.9.0/24', table: 'sometable', dev: a }), 'routeAppend unknown table name'],
    ],
    [a],
  )
})

test('routeGet: bad destination, from of the other family, bad mark, bad iif / oif', async (t) => {
  await assertRejected(t, [
    [TypeError, () => nl.routeGet('10.156.0.0/24'), 'a prefix, not an address'],
    [TypeError, () => nl.routeGet('somewhere'), 'not an address'],
    [TypeError, () => nl.routeGet(undefined), 'no destination'],
    [TypeError, () => nl.routeGet('10.156.0.1', { from: '2001:db8:156::1' }), 'from of the other family'],
    [TypeError, () => nl.routeGet('2001:db8:156::1', { from: '10.156.0.1' }), 'from of the other family (IPv6)'],
    [RangeError, () => nl.routeGet('10.156.0.1', { mark: -1 }), 'negative mark'],
    [TypeError, () => nl.routeGet('10.156.0.1', { mark: 1.5 }), 'fractional mark'],
    [RangeError, () => nl.routeGet('10.156.0.1', { iif: '' }), 'empty iif'],
    [TypeError, () => nl.routeGet('10.156.0.1', { oif: {} }), 'oif not a name or index'],
  ])
})

test('netnsCreate / netnsDelete / open / subscribe: bad namespace names and references', async (t) => {
  const before = ipNetnsList()
  await assertRejected(t, [
    [RangeError, () => nl.netnsCreate(''), 'empty name'],
    [RangeError, () => nl.netnsCreate('.'), '"."'],
    [RangeError, () => nl.netnsCreate('..'), '".."'],
    [RangeError, () => nl.netnsCreate(`${own.netns[0]}/x`), 'a slash'],
    [RangeError, () => nl.netnsCreate(`${own.netns[0]}\0x`), 'a NUL'],
    [RangeError, () => nl.netnsCreate('n'.repeat(256)), 'over 255 bytes'],
    [TypeError, () => nl.netnsCreate(5), 'not a string'],
    [TypeError, () => nl.netnsCreate(), 'no name'],
    [RangeError, () => nl.netnsDelete(`${own.netns[0]}/x`), 'netnsDelete with a slash'],
    [TypeError, () => nl.netnsDelete(null), 'netnsDelete null'],
    [RangeError, () => nl.open({ netns: '..' }), 'open with a bad name'],
    [RangeError, () => nl.open({ netns: '' }), 'open with an empty netns'],
    [RangeError, () => nl.open({ netns: 0 }), 'open with pid 0'],
    [TypeError, () => nl.open({ netns: {} }), 'open with an empty object'],
    [TypeError, () => nl.open({ netns: true }), 'open with a boolean'],
    [TypeError, () => nl.open({ netns: { fd: 1.5 } }), 'open with a fractional fd'],
    [RangeError, () => nl.subscribe(['link'], { netns: '..' }), 'subscribe with a bad name'],
    [TypeError, () => nl.subscribe(['link'], { netns: [] }), 'subscribe with an array'],
  ])
  const mine = (l) => l.filter((n) => n.startsWith(own.netns[0]))
  t.deepEqual(mine(ipNetnsList()), mine(before), 'no namespace created or removed')
})

test('misspelt options, filters and open/subscribe/request fields are a RangeError naming the field', async (t) => {
  const { a } = await veth(t, name(), name(), { noLinkLocal: true })
  const raw = nl.open({ protocol: 'route' })
  t.teardown(() => raw.close())
  const cases = [
    [() => nl.addrAdd(a, '10.156.9.1/24', { lable: `${a}:1` }), 'lable'],
    [() => nl.addrAdd(a, '10.156.9.1/24', { validLifetme: 100 }), 'validLifetme'],
    [() => nl.addrReplace(a, '10.156.9.1/24', { nodda: true }), 'nodda'],
    [() => nl.addrDel(a, '10.156.9.1/24', { scope: 'link' }), 'scope'],
    [() => nl.addrList({ dev: a }), 'dev'],
    [() => nl.linkList({ timout: 100 }), 'timout'],
    [() => nl.linkGet(a, { signl: undefined, sigal: 1 }), 'sigal'],
    [() => nl.routeList({ tabel: T }), 'tabel'],
    [() => nl.routeListStream({ device: a }), 'device'],
    [() => nl.routeGet('10.156.9.1', { fromm: '10.156.9.2' }), 'fromm'],
    [() => nl.routeAdd({ dst: '10.156.10.0/24', dev: a, table: T }, { timeuot: 5 }), 'timeuot'],
    [() => nl.neighList({ link: a }), 'link'],
    [() => nl.ruleList({ famly: 4 }), 'famly'],
    [() => nl.open({ timeuot: 5 }), 'timeuot'],
    [() => nl.open({ protocol: 'route', maxPendng: 5 }), 'maxPendng'],
    [() => nl.subscribe(['link'], { listExsting: true }), 'listExsting'],
    [() => raw.subscribe([1], { buffersize: 4096 }), 'buffersize'],
    [() => raw.request({ type: 18, payload: Buffer.alloc(16), flag: 1 }), 'flag'],
  ]
  await assertRejected(
    t,
    cases.map(([fn, field]) => [RangeError, fn, field]),
    [a],
  )
  for (const [fn, field] of cases) {
    let e
    try {
      await fn()
    } catch (x) {
      e = x
    }
    t.true(e?.message.includes(`"${field}"`), `${field} is named: ${e?.message}`)
  }
  t.deepEqual(
    (ip(['-4', 'addr', 'show', 'dev', a])[0]?.addr_info ?? []).map((i) => i.local),
    [],
    'no address was added',
  )
})
