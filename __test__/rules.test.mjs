// Policy routing rules: ruleAdd / ruleDel with priority, table, from, to, fwmark/fwmask, iif,
// oif, tos, suppressPrefixLength, uidRange, protocol, action (to_tbl, blackhole, unreachable,
// prohibit, nop, goto), IPv4 and IPv6; ruleList against `ip -j [-4|-6] rule show` (ip prints
// table names, "src"/"srclen", hex fwmark/tos: mapped in support/shapes.mjs ipRuleToNl).
//
// What it owns in the shared namespace is its entry in support/registry.mjs
// (10.154.0.0/16, 2001:db8:154::/48, rule priorities, tables above 255, marks). Every rule has a
// selector that only this file's traffic can match (its addresses, its interfaces, its marks):
// the namespace is shared, and a bare
// `blackhole` or `goto` rule would change every other file's lookups.

import test from 'ava'
import * as nl from '../index.js'
import { ip, ipDo, ipTry } from './support/oracle.mjs'
import { ipRules, sorted, strip } from './support/shapes.mjs'
import { namer } from './support/names.mjs'
import { veth } from './support/veth.mjs'
import { owned } from './support/registry.mjs'

const { ruleAdd, ruleDel, ruleList, NetlinkError } = nl
const own = owned('rules')
const name = namer(own.prefix)
const [T0, T1, T2, T3, T4, T5, T6] = Array.from({ length: 7 }, (_, k) => own.table(k))
let prioSeq = 0

/** Fresh priorities for one test; whatever is left at them is deleted in teardown. */
function prios(t, n) {
  const list = Array.from({ length: n }, () => own.priority(prioSeq++))
  t.teardown(() => {
    for (const p of list) {
      for (const f of ['-4', '-6']) while (ipTry([f, 'rule', 'del', 'priority', String(p)]));
    }
  })
  return list
}

/** nlkit's rules at `mine` priorities, in the comparable shape. */
async function nlRules(mine, filter = {}) {
  const set = new Set(mine)
  return (await ruleList(filter)).filter((r) => set.has(r.priority)).map((r) => strip({ ...r }))
}

/** ruleList equals ip's rules at these priorities. */
async function assertRulesMatch(t, mine, msg) {
  const set = new Set(mine)
  const want = ipRules((p) => set.has(p))
  const got = await nlRules(mine)
  t.deepEqual(sorted(got), sorted(want), msg)
  return got
}

test('IPv4 rules with every selector and a table above 255, as ip rule show prints them', async (t) => {
  const { a, b } = await veth(t, name(), name(), { noLinkLocal: true })
  const P = prios(t, 9)
  const specs = [
    { priority: P[0], table: T0, from: '10.154.0.0/16' },
    { priority: P[1], table: T0, to: '10.154.5.0/24', fwmark: 0x10, fwmask: 0xff },
    { priority: P[2], table: 'main', iif: a, oif: b },
    { priority: P[3], table: T1, tos: 0x10, from: '10.154.3.0/24' },
    { priority: P[4], table: 'main', suppressPrefixLength: 0, fwmark: own.fwmark(0x04) },
    { priority: P[5], table: T1, uidRange: { start: 1000, end: 2000 }, from: '10.154.5.0/24' },
    { priority: P[6], table: T0, fwmark: own.fwmark(0x06) },
    { priority: P[7], table: T0, from: '10.154.9.9' },
    { priority: P[8], table: T2, protocol: 'static', from: '10.154.8.0/24', to: '10.154.0.0/16' },
  ]
  for (const s of specs) await ruleAdd(s)
  const raw = Object.fromEntries(
    ip(['-4', 'rule', 'show'])
      .filter((r) => P.includes(r.priority))
      .map((r) => [r.priority, r]),
  )
  t.like(raw[P[0]], { src: '10.154.0.0', srclen: 16, table: String(T0) })
  t.like(raw[P[1]], { dst: '10.154.5.0', dstlen: 24, fwmark: '0x10', fwmask: '0xff' })
  t.like(raw[P[2]], { iif: a, oif: b, table: 'main' })
  t.like(raw[P[3]], { tos: '0x10' })
  t.like(raw[P[4]], { suppress_prefixlen: 0 })
  t.like(raw[P[5]], { uid_start: 1000, uid_end: 2000 })
  t.like(raw[P[8]], { protocol: 'static' })
  const got = await assertRulesMatch(t, P, 'ruleList vs ip -4 rule show')
  const by = Object.fromEntries(got.map((r) => [r.priority, r]))
  t.like(by[P[0]], { family: 4, table: T0, action: 'to_tbl', from: '10.154.0.0/16' })
  t.like(by[P[1]], { to: '10.154.5.0/24', fwmark: 0x10, fwmask: 0xff })
  t.like(by[P[2]], { iif: a, oif: b, table: 254 })
  t.like(by[P[4]], { suppressPrefixLength: 0 })
  t.deepEqual(by[P[5]].uidRange, { start: 1000, end: 2000 })
  t.like(by[P[6]], { fwmark: own.fwmark(0x06), fwmask: 0xffffffff })
  t.like(by[P[7]], { from: '10.154.9.9/32' })
  t.like(by[P[8]], { protocol: 'static' })

  // ruleDel by the fields given: all of them go, in ip's view too.
  for (const s of specs) await ruleDel(s)
  t.deepEqual(
    ipRules((p) => P.includes(p)),
    [],
  )
  t.deepEqual(await nlRules(P), [])
})

test('the other selectors: not, ipproto, sport/dport ranges, tun_id, realms, suppress_ifgroup, l3mdev, dscp; by nlkit and by ip', async (t) => {
  const P = prios(t, 8)
  const specs = [
    { priority: P[0], table: T3, invert: true, from: '10.154.20.0/24', ipproto: 'tcp', sport: { start: 1000, end: 2000 }, dport: 80 },
    { priority: P[1], table: T3, ipproto: 17, dport: { start: 53, end: 54 } },
    { priority: P[2], table: T3, tunId: 5n },
    { priority: P[3], table: T3, realms: { from: 3, to: 4 } },
    { priority: P[4], table: 'main', suppressIfgroup: 7 },
    { priority: P[5], l3mdev: true },
    { priority: P[6], table: T3, tunId: '1099511627777' },
  ]
  for (const s of specs) await ruleAdd(s)
  ipDo(['rule', 'add', 'not', 'to', '10.154.21.0/24', 'ipproto', 'udp', 'sport', '7', 'pref', String(P[7]), 'table', String(T3)])
  const got = await assertRulesMatch(t, P.slice(0, 7).concat(P[7]), 'ruleList vs ip -d rule show')
  const by = Object.fromEntries(got.map((r) => [r.priority, r]))
  t.like(by[P[0]], { invert: true, ipproto: 'tcp', sport: { start: 1000, end: 2000 }, dport: { start: 80, end: 80 } })
  t.like(by[P[2]], { tunId: '5' })
  t.like(by[P[3]], { realms: (3 << 16) | 4 })
  t.like(by[P[5]], { l3mdev: true, table: 0 })
  t.like(by[P[6]], { tunId: '1099511627777' })
  t.like(by[P[7]], { invert: true, ipproto: 'udp', sport: { start: 7, end: 7 } })
  // Listed rules fed back delete exactly themselves.
  for (const r of got) await ruleDel(r)
  t.deepEqual(await nlRules(P), [])

  // dscp (Linux 6.13+): iproute2 6.1 neither sets nor shows it, so the kernel's own dump is the
  // second opinion: ip sees a rule at that priority, nlkit reads the DSCP back from the kernel.
  await ruleAdd({ priority: P[0], table: T3, dscp: 46 })
  t.is(ipRules((p) => p === P[0]).length, 1)
  t.like((await nlRules([P[0]]))[0], { dscp: 46, table: T3 })
  await ruleDel({ priority: P[0], dscp: 46 })
  t.deepEqual(await nlRules([P[0]]), [])

  const before = ipRules((p) => P.includes(p))
  for (const [bad, re] of [
    [{ priority: P[0], sport: 70000 }, /sport/],
    [{ priority: P[0], dport: { start: 9, end: 8 } }, /dport\.end/],
    [{ priority: P[0], ipproto: 'nosuch' }, /ipproto/],
    [{ priority: P[0], tunId: -1 }, /tunId/],
    [{ priority: P[0], tunId: 2n ** 64n }, /tunId/],
    [{ priority: P[0], dscp: 64 }, /dscp/],
    [{ priority: P[0], l3mdev: true, table: T3 }, /l3mdev/],
    [{ priority: P[0], realms: { from: 70000 } }, /realms\.from/],
    [{ priority: P[0], invert: 'yes' }, /invert/],
  ])
    await t.throwsAsync(ruleAdd(bad), { message: re, instanceOf: Error })
  t.deepEqual(
    ipRules((p) => P.includes(p)),
    before,
    'ip unchanged after the refusals',
  )
})

test('actions blackhole, unreachable, prohibit, nop, goto (IPv4) as ip shows them', async (t) => {
  const P = prios(t, 6)
  await ruleAdd({ priority: P[0], action: 'blackhole', from: '10.154.7.0/24' })
  await ruleAdd({ priority: P[1], action: 'unreachable', to: '10.154.6.0/24' })
  await ruleAdd({ priority: P[2], action: 'prohibit', fwmark: own.fwmark(0x55) })
  await ruleAdd({ priority: P[3], action: 'nop', from: '10.154.3.0/24' })
  await ruleAdd({ priority: P[4], action: 'goto', goto: P[5], from: '10.154.4.0/24' })
  await ruleAdd({ priority: P[5], table: T3, from: '10.154.4.0/24' })
  const raw = Object.fromEntries(
    ip(['-4', 'rule', 'show'])
      .filter((r) => P.includes(r.priority))
      .map((r) => [r.priority, r]),
  )
  t.is(raw[P[0]].action, 'blackhole')
  t.is(raw[P[1]].action, 'unreachable')
  t.is(raw[P[2]].action, 'prohibit')
  t.true('nop' in raw[P[3]])
  t.is(raw[P[4]].goto, P[5])
  t.false('unresolved' in raw[P[4]], 'the goto target exists')
  const got = Object.fromEntries((await assertRulesMatch(t, P, 'actions')).map((r) => [r.priority, r]))
  t.is(got[P[0]].action, 'blackhole')
  t.is(got[P[3]].action, 'nop')
  t.like(got[P[4]], { action: 'goto', goto: P[5] })
  for (const p of P) await ruleDel({ priority: p })
  t.deepEqual(
    ipRules((p) => P.includes(p)),
    [],
  )
})

test('IPv6 rules (from/to, table, fwmark, blackhole, goto) in ruleList({ family: 6 }) and ip -6 rule show', async (t) => {
  const { a } = await veth(t, name(), name(), { noLinkLocal: true })
  const P = prios(t, 5)
  await ruleAdd({ priority: P[0], table: T4, from: '2001:db8:154::/48', to: '2001:db8:154:1::/64' })
  await ruleAdd({ priority: P[1], family: 6, table: T4, fwmark: 0x20, fwmask: 0xf0, iif: a })
  await ruleAdd({ priority: P[2], family: 6, action: 'blackhole', from: '2001:db8:154:2::/64' })
  await ruleAdd({ priority: P[3], family: 6, action: 'goto', goto: P[4], from: '2001:db8:154:3::/64' })
  await ruleAdd({ priority: P[4], family: 6, table: 'main', suppressPrefixLength: 64, from: '2001:db8:154:3::/64' })
  const raw = Object.fromEntries(
    ip(['-6', 'rule', 'show'])
      .filter((r) => P.includes(r.priority))
      .map((r) => [r.priority, r]),
  )
  t.like(raw[P[0]], { src: '2001:db8:154::', srclen: 48, dst: '2001:db8:154:1::', dstlen: 64, table: String(T4) })
  t.is(raw[P[2]].action, 'blackhole')
  t.deepEqual(
    ipRules((p) => P.includes(p), [4]),
    [],
    'nothing in IPv4',
  )
  await assertRulesMatch(t, P, 'IPv6 rules')
  const six = (await ruleList({ family: 6 })).filter((r) => P.includes(r.priority))
  t.is(six.length, 5)
  t.true(six.every((r) => r.family === 6))
  t.false(
    (await ruleList({ family: 4 })).some((r) => P.includes(r.priority)),
    'not listed as IPv4',
  )
  t.like(
    six.find((r) => r.priority === P[0]),
    { from: '2001:db8:154::/48', to: '2001:db8:154:1::/64', table: T4 },
  )
  // ruleDel of an IPv6 rule needs the family (or an IPv6 from/to).
  await ruleDel({ priority: P[0], from: '2001:db8:154::/48' })
  await ruleDel({ priority: P[2], family: 6 })
  t.deepEqual(
    ipRules((p) => p === P[0] || p === P[2], [6]),
    [],
  )
  const left = ipRules((p) => P.includes(p), [6])
    .map((r) => r.priority)
    .sort()
  t.deepEqual(left, [P[1], P[3], P[4]])
})

test('ruleList lists the default rules ip shows (local 0, main 32766, default 32767) for both families', async (t) => {
  for (const f of [4, 6]) {
    const mine = await ruleList({ family: f })
    const keep = (p) => p === 0 || p === 32766 || p === 32767
    const want = ipRules(keep, [f])
    t.deepEqual(sorted(mine.filter((r) => keep(r.priority)).map((r) => strip({ ...r }))), sorted(want), `IPv${f} default rules`)
    t.truthy(
      mine.find((r) => r.priority === 0 && r.table === 255),
      `IPv${f} local rule`,
    )
    t.truthy(
      mine.find((r) => r.priority === 32766 && r.table === 254),
      `IPv${f} main rule`,
    )
  }
  t.true(
    (await ruleList()).some((r) => r.family === 6),
    'ruleList() has both families',
  )
})

test('EEXIST for a duplicate rule, ENOENT deleting a missing one; ip unchanged', async (t) => {
  const P = prios(t, 2)
  await ruleAdd({ priority: P[0], table: T5, from: '10.154.20.0/24' })
  const e = await t.throwsAsync(ruleAdd({ priority: P[0], table: T5, from: '10.154.20.0/24' }), { instanceOf: NetlinkError })
  t.is(e.code, 'EEXIST')
  t.is(e.op, 'ruleAdd')
  t.is(ip(['-4', 'rule', 'show']).filter((r) => r.priority === P[0]).length, 1)
  const d = await t.throwsAsync(ruleDel({ priority: P[1] }), { instanceOf: NetlinkError })
  t.is(d.code, 'ENOENT')
  // A ruleDel whose fields do not match deletes nothing.
  const d2 = await t.throwsAsync(ruleDel({ priority: P[0], table: T6 }), { instanceOf: NetlinkError })
  t.is(d2.code, 'ENOENT')
  t.is(ip(['-4', 'rule', 'show']).filter((r) => r.priority === P[0]).length, 1)
})

test("a rule steers traffic: routeGet from a source uses the rule's table (above 255)", async (t) => {
  const { a } = await veth(t, name(), name(), { up: true, noLinkLocal: true })
  const P = prios(t, 1)
  const T = own.table(7)
  t.teardown(() => ipTry(['route', 'flush', 'table', String(T)]))
  await nl.addrAdd(a, '10.154.30.1/24')
  await nl.routeAdd({ dst: '10.154.99.0/24', dev: a, table: T })
  await ruleAdd({ priority: P[0], from: '10.154.30.0/24', table: T })
  const r = await nl.routeGet('10.154.99.5', { from: '10.154.30.1' })
  const [w] = ip(['route', 'get', '10.154.99.5', 'from', '10.154.30.1'])
  t.is(r.table, T)
  t.is(r.dev, a)
  t.is(w.dev, a)
})
