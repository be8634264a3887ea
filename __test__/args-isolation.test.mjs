// Hostile arguments (issue: hardening): a NUL in any name the kernel reads, values the binding
// cannot carry (1.5, a bigint, a cycle, a throwing getter, 60,000 keys), an IPv6 zone index, an
// unknown kind setting. Each is refused with a TypeError/RangeError before anything is sent,
// fails only its own call (the valid calls sent in the same tick go through), and ip sees no
// change. What this file owns is its entry in support/registry.mjs.

import test from 'ava'
import * as nl from '../index.js'
import { ip, ipDo, ipLink, ipTry } from './support/oracle.mjs'
import { namer } from './support/names.mjs'
import { owned } from './support/registry.mjs'
import { veth } from './support/veth.mjs'

const own = owned('args-isolation')
const name = namer(own.prefix)

const rejected = (r) => r.status === 'rejected' && (r.reason instanceof TypeError || r.reason instanceof RangeError)

test('a NUL in a name is a RangeError: linkDel("X\\0-tmp") deletes nothing, linkAddVeth("a\\0b", ...) creates nothing', async (t) => {
  const { a } = await veth(t, name(), name())
  const e = await t.throwsAsync(nl.linkDel(`${a}\0-tmp`), { instanceOf: RangeError })
  t.regex(e.message, /NUL/)
  t.truthy(ipLink(a), 'the link named before the NUL is still there')
  const [x, y] = [name(), name()]
  await t.throwsAsync(nl.linkAddVeth(`${x}\0b`, `${y}\0d`), { instanceOf: RangeError, message: /NUL/ })
  t.falsy(ipLink(x))
  t.falsy(ipLink(y))
  // Every other name-like field too.
  await t.throwsAsync(nl.addrAdd(a, '10.157.0.1/24', { label: `${a}\0:x` }), { instanceOf: RangeError, message: /label.*NUL/ })
  await t.throwsAsync(nl.ruleAdd({ iif: `${a}\0x`, table: own.table(0), priority: own.priority(0) }), {
    instanceOf: RangeError,
    message: /iif.*NUL/,
  })
  await t.throwsAsync(nl.linkSet(a, { alias: 'a\0b' }), { instanceOf: RangeError, message: /NUL/ })
  await t.throwsAsync(nl.linkAdd({ kind: 'br\0idge', name: name() }), { instanceOf: RangeError, message: /NUL/ })
  await t.throwsAsync(nl.linkAdd({ kind: 'vxlan', name: name(), id: 4270, dev: `${a}\0y` }), { instanceOf: RangeError, message: /NUL/ })
  t.throws(() => nl.open({ netns: '/run/netns/x\0y' }), { instanceOf: RangeError, message: /NUL/ })
  await t.throwsAsync(nl.netnsCreate('x\0y'), { instanceOf: RangeError })
  t.deepEqual(
    ip(['addr', 'show', 'dev', a])[0].addr_info.filter((i) => i.family === 'inet'),
    [],
  )
  t.false(ip(['rule', 'show']).some((r) => r.priority === own.priority(0)))
})

test('one bad linkAdd in a Promise.all fails alone, with a TypeError/RangeError; the two valid links are made', async (t) => {
  const cyclic = {}
  cyclic.self = cyclic
  const throwing = (spec) =>
    Object.defineProperty(spec, 'forwardDelay', {
      enumerable: true,
      get: () => {
        throw new Error('getter says no')
      },
    })
  const bads = [
    (s) => ({ ...s, forwardDelay: 1.5 }),
    (s) => ({ ...s, forwardDelay: 10n }),
    (s) => ({ ...s, info: cyclic }),
    throwing,
    (s) => ({ ...s, stp: Symbol('x') }),
  ]
  for (const [i, bad] of bads.entries()) {
    const [b1, b2, b3] = [name(), name(), name()]
    t.teardown(() => {
      for (const n of [b1, b2, b3]) ipTry(['link', 'del', 'dev', n])
    })
    const r = await Promise.allSettled([
      nl.linkAdd({ kind: 'bridge', name: b1 }),
      nl.linkAdd(bad({ kind: 'bridge', name: b2 })),
      nl.linkAdd({ kind: 'bridge', name: b3 }),
    ])
    t.is(r[0].status, 'fulfilled', `first, with bad #${i}`)
    t.true(rejected(r[1]), `the bad one: ${r[1].reason}`)
    t.is(r[2].status, 'fulfilled', 'third')
    t.truthy(ipLink(b1))
    t.falsy(ipLink(b2))
    t.truthy(ipLink(b3))
  }
})

test('60,000 extra keys are refused (a RangeError) before anything is parsed or sent, and nothing is made', async (t) => {
  const spec = { kind: 'bridge', name: name() }
  for (let i = 0; i < 60_000; i++) spec[`k${i}`] = 1
  await t.throwsAsync(nl.linkAdd(spec), { instanceOf: RangeError, message: /more than 256 fields/ })
  t.falsy(ipLink(spec.name))
})

test('an IPv6 address with a zone index is a RangeError; an unknown kind setting a RangeError naming it', async (t) => {
  const { a } = await veth(t, name(), name())
  await t.throwsAsync(nl.addrAdd(a, 'fe80::1%eth0/64'), { instanceOf: RangeError, message: /zone index/ })
  await t.throwsAsync(nl.routeAdd({ dst: '2001:db8:157::/64', gateway: `fe80::1%${a}`, dev: a }), {
    instanceOf: RangeError,
    message: /zone/,
  })
  const e = await t.throwsAsync(nl.linkAdd({ kind: 'bridge', name: name(), fowardDelay: 5 }), { instanceOf: RangeError })
  t.regex(e.message, /fowardDelay/)
  t.deepEqual(ip(['-6', 'addr', 'show', 'dev', a])[0]?.addr_info ?? [], [])
  ipDo(['link', 'show', 'dev', a])
})

test('a misspelt field of a rule, route or neighbour is a RangeError; ruleDel with no selector is refused', async (t) => {
  const { a } = await veth(t, name(), name())
  await t.throwsAsync(nl.ruleAdd({ priorty: own.priority(0), table: own.table(0) }), {
    instanceOf: RangeError,
    message: /unknown field "priorty"/,
  })
  await t.throwsAsync(nl.routeAdd({ dst: '10.157.1.0/24', dev: a, gatway: '10.157.0.1' }), { instanceOf: RangeError, message: /"gatway"/ })
  await t.throwsAsync(nl.neighAdd({ dev: a, dst: '10.157.0.9', lladr: '02:00:00:00:00:01' }), {
    instanceOf: RangeError,
    message: /"lladr"/,
  })
  const e = await t.throwsAsync(nl.ruleDel({}), { instanceOf: RangeError })
  t.regex(e.message, /at least one of/)
  t.true(
    ip(['rule', 'show']).some((r) => r.priority === 0 && r.table === 'local'),
    'the local rule is there',
  )
  t.false(ip(['rule', 'show']).some((r) => r.priority === own.priority(0)))
  t.deepEqual(ip(['route', 'show', 'dev', a]), [])
  t.deepEqual(ip(['neigh', 'show', 'dev', a]), [])
})
