// A call's deadline runs from the moment it is made: one that spent it queued in JavaScript is
// rejected ETIMEDOUT and never sent; and the calls pending on a connection are bounded
// (maxPending): past the bound a call fails at once with EAGAIN. What this file owns is its
// entry in support/registry.mjs.

import test from 'ava'
import * as nl from '../index.js'
import { ip } from './support/oracle.mjs'
import { namer } from './support/names.mjs'
import { owned } from './support/registry.mjs'
import { veth } from './support/veth.mjs'

const own = owned('engine-deadlines')
const name = namer(own.prefix)

/** Holds the JavaScript thread (the calls made before stay queued: their flush is a microtask). */
function block(ms) {
  const end = performance.now() + ms
  while (performance.now() < end) {}
}

test('calls whose deadline passed while queued fail ETIMEDOUT and are never sent', async (t) => {
  const { a } = await veth(t, name(), name(), { noLinkLocal: true })
  const c = nl.open()
  t.teardown(() => c.close())
  const calls = Array.from({ length: 50 }, (_, i) => c.addrAdd(a, `10.158.0.${i + 1}/32`, { timeout: 20 }))
  const kept = c.addrAdd(a, '10.158.1.1/32', { timeout: 60_000 })
  block(60)
  const r = await Promise.allSettled(calls)
  for (const x of r) {
    t.is(x.status, 'rejected')
    t.is(x.reason.code, 'ETIMEDOUT')
  }
  await kept
  const v4 = ip(['-4', 'addr', 'show', 'dev', a])[0].addr_info.map((i) => i.local)
  t.deepEqual(v4, ['10.158.1.1'], 'only the call with time left was sent')
})

test('the connection default deadline runs from the call too', async (t) => {
  const c = nl.open({ timeout: 20 })
  t.teardown(() => c.close())
  const p = c.linkGet('lo')
  block(60)
  const e = await t.throwsAsync(p, { instanceOf: nl.NetlinkError })
  t.is(e.code, 'ETIMEDOUT')
  t.is((await c.linkGet('lo', { timeout: 5000 })).name, 'lo', 'later calls are fine')
})

test('past maxPending a call fails at once with EAGAIN; the others complete', async (t) => {
  const c = nl.open({ maxPending: 100 })
  t.teardown(() => c.close())
  const r = await Promise.allSettled(Array.from({ length: 150 }, () => c.linkGet('lo')))
  const ok = r.filter((x) => x.status === 'fulfilled')
  const busy = r.filter((x) => x.status === 'rejected')
  t.is(ok.length, 100)
  t.is(busy.length, 50)
  for (const x of busy) {
    t.is(x.reason.code, 'EAGAIN')
    t.regex(x.reason.message, /maxPending/)
  }
  t.is((await c.linkGet('lo')).name, 'lo', 'room again once they completed')
  t.throws(() => nl.open({ maxPending: 0 }), { instanceOf: RangeError })
})

/** RTM_NEWADDR of `addr`/32 on link `index`, as a raw request (ifaddrmsg + IFA_ADDRESS/IFA_LOCAL). */
function rawAddrAdd(index, addr) {
  const head = Buffer.alloc(8)
  head.writeUInt8(2, 0) // AF_INET
  head.writeUInt8(32, 1)
  head.writeUInt32LE(index, 4)
  const a = Buffer.from(addr.split('.').map(Number))
  const attrs = nl.encodeAttrs((b) => b.binary(1, a).binary(2, a))
  return { type: 20, flags: nl.NLM_F.CREATE | nl.NLM_F.EXCL, payload: Buffer.concat([head, attrs]) }
}

test('raw requests: a deadline spent queued fails ETIMEDOUT and nothing is sent', async (t) => {
  const { a } = await veth(t, name(), name(), { noLinkLocal: true })
  const index = (await nl.linkGet(a)).index
  const c = nl.open({ protocol: 'route' })
  t.teardown(() => c.close())
  const calls = Array.from({ length: 20 }, (_, i) => c.request(rawAddrAdd(index, `10.158.2.${i + 1}`), { timeout: 20 }))
  const kept = c.request(rawAddrAdd(index, '10.158.3.1'), { timeout: 60_000 })
  block(60)
  for (const x of await Promise.allSettled(calls)) {
    t.is(x.status, 'rejected')
    t.is(x.reason.code, 'ETIMEDOUT')
  }
  await kept
  const v4 = ip(['-4', 'addr', 'show', 'dev', a])[0].addr_info.map((i) => i.local)
  t.deepEqual(v4, ['10.158.3.1'], 'only the request with time left was sent')

  const d = nl.open({ protocol: 'route', timeout: 20 })
  t.teardown(() => d.close())
  const p = d.request({ type: 18, payload: Buffer.alloc(16) }, {}) // RTM_GETLINK of index 0: a dump-less get
  block(60)
  t.is((await t.throwsAsync(p, { instanceOf: nl.NetlinkError })).code, 'ETIMEDOUT', 'the connection default runs from the call too')
})

test('raw requests past maxPending fail at once with EAGAIN; the others complete', async (t) => {
  const c = nl.open({ protocol: 'route', maxPending: 100 })
  t.teardown(() => c.close())
  const lo = Buffer.alloc(16)
  lo.writeInt32LE(1, 4) // ifinfomsg for index 1 (lo)
  const r = await Promise.allSettled(Array.from({ length: 150 }, () => c.request({ type: 18, payload: lo })))
  const busy = r.filter((x) => x.status === 'rejected')
  t.is(r.filter((x) => x.status === 'fulfilled').length, 100)
  t.is(busy.length, 50)
  for (const x of busy) {
    t.is(x.reason.code, 'EAGAIN')
    t.regex(x.reason.message, /maxPending/)
  }
  t.is((await c.request({ type: 18, payload: lo })).length, 1, 'room again once they completed')
  t.throws(() => nl.open({ protocol: 'route', maxPending: 0 }), { instanceOf: RangeError })
})
