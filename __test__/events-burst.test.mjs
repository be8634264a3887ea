// Events under load: 100,000 route additions made by `ip -batch`.
//   - with a large socket buffer and a consumer that keeps up, every event arrives, no overflow;
//   - with a small buffer and a slow consumer, an {type:'overflow'} event appears and the
//     subscription keeps working; with listExisting, a mirror of the table rebuilt from the
//     listing that follows each overflow ends up equal to `ip -j route show table T`.
// No timing assertions: the waits are hang guards only.
//
// Route destinations in 10.203.0.0/16 and 10.206.0.0/16 (100,000 /32s do not fit in one /16);
// ten tables: what it owns in the shared namespace is its entry in support/registry.mjs. The tests
// run one after the other (serial) so that their bursts do not overlap, and under an exclusive
// events lock (support/events.mjs eventsLock) so that they do not overflow the subscriptions of
// the other events files. Routes are removed by deleting the veth they go through (IPv4 removes
// them without one notification per route, which would flood other subscriptions).
//
// Overflow with small receive buffers (4096 and 256 KiB) exercised the monitor's recovery: an
// abandoned dump is waited for before the next (else EBUSY), an ENOBUFS reply to a dump request
// means the dump goes on, and reads do not peek (a peek made the kernel report ENOBUFS forever).

import test from 'ava'
import * as nl from '../index.js'
import { ipBatch, ipDo, ipTry, ip } from './support/oracle.mjs'
import { namer } from './support/names.mjs'
import { ipVeth } from './support/veth.mjs'
import { sleep } from './support/wait.mjs'
import { poll, eventsLock } from './support/events.mjs'
import { owned } from './support/registry.mjs'

// The bursts wait for the other events files (their subscriptions would overflow), and they wait for us.
let unlock
test.before(async () => {
  unlock = await eventsLock({ exclusive: true })
})
test.after.always(() => unlock?.())

const N = 100000
const GUARD = 60000
const SENTINEL = '10.203.255.255'

/** The i-th burst destination (i < 100,000). */
function dst(i) {
  const base = i < 50000 ? 203 : 206
  const j = i % 50000
  return `10.${base}.${j >> 8}.${j & 255}`
}

function burstLines(dev, table) {
  const lines = new Array(N)
  for (let i = 0; i < N; i++) lines[i] = `route add ${dst(i)}/32 dev ${dev} table ${table}`
  return lines
}

const own = owned('events-burst')
const name = namer(own.prefix)
/** A veth pair, both ends up; deleting it in teardown also drops the routes through it. */
function pair(t, tables) {
  const p = ipVeth(t, name(), name(), { up: true })
  t.teardown(() => {
    for (const T of tables) {
      // Only if the routes outlived their device (they should not).
      if (ip(['route', 'show', 'table', T]).length > 0) ipTry(['route', 'flush', 'table', T])
    }
  })
  return p
}

/** Resolves when check() is true, checking after every event and on a timer; rejects after `ms`. */
function until(check, ms, what) {
  return poll(check, { timeout: ms, interval: 25, what: typeof what === 'function' ? what() : what })
}

test.serial('burst: 100,000 routes from ip -batch, 64 MiB buffer, counting consumer: every event arrives, no overflow', async (t) => {
  t.timeout(240000)
  const T = own.table(0)
  const T2 = own.table(1)
  const { a } = pair(t, [T, T2])
  const state = { count: 0, dsts: new Set(), overflows: 0, other: 0, sentinel: false, error: undefined }
  const sub = nl.subscribe(['ipv4-route'], { bufferSize: 64 * 1024 * 1024 })
  t.teardown(() => sub.close())
  const consumer = (async () => {
    try {
      for await (const ev of sub) {
        if (ev.type === 'overflow') {
          state.overflows++
        } else if (ev.type === 'route' && ev.route.table === T) {
          if (ev.action === 'new' && !ev.existing) {
            state.count++
            state.dsts.add(ev.route.dst)
          } else {
            state.other++
          }
        } else if (ev.type === 'route' && ev.route.table === T2 && ev.route.dst === SENTINEL) {
          state.sentinel = true
        }
      }
    } catch (e) {
      state.error = e
    }
  })()

  await ipBatch(burstLines(a, T))
  t.is(ip(['route', 'show', 'table', T]).length, N, 'ip: the table has every route')
  // A sentinel made after the burst (in another table, so it is not counted): once it is seen,
  // every event of the burst has been consumed.
  ipDo(['route', 'add', `${SENTINEL}/32`, 'dev', a, 'table', T2])
  await until(
    () => state.sentinel || state.error,
    GUARD,
    () => `the sentinel; counted ${state.count} of ${N} events`,
  )
  sub.close()
  await consumer
  t.is(state.error, undefined)
  t.is(state.overflows, 0, 'no overflow')
  t.is(state.count, N, `route 'new' events for table ${T}`)
  t.is(state.dsts.size, N, 'distinct destinations')
  t.is(state.other, 0, `no other events for table ${T}`)
  t.true(state.dsts.has(dst(0)) && state.dsts.has(dst(N - 1)))
})

/**
 * The overflow scenario: subscribes (to 'ipv4-route' and 'ipv4-addr') with a small buffer and a
 * consumer that is slow for its first 3,000 events, bursts 100,000 routes into table T, and
 * mirrors table T (reset on overflow). Returns the state once the burst is done.
 */
async function overflowScenario(t, { T, bufferSize, listExisting, before = 0 }) {
  const { a, ia } = pair(t, [T])
  for (let i = 0; i < before; i++) ipDo(['route', 'add', `10.203.253.${i}/32`, 'dev', a, 'table', T])
  const st = {
    a,
    ia,
    T,
    n: 0,
    overflows: 0,
    live: 0,
    listed: 0,
    addrs: new Set(),
    mirror: new Map(),
    error: undefined,
  }
  st.sub = nl.subscribe(['ipv4-route', 'ipv4-addr'], { bufferSize, listExisting })
  t.teardown(() => st.sub.close())
  st.consumer = (async () => {
    try {
      for await (const ev of st.sub) {
        if (++st.n <= 3000) await sleep(1) // slow at first
        if (ev.type === 'overflow') {
          st.overflows++
          st.mirror.clear() // events were lost: forget, and rebuild from what follows
        } else if (ev.type === 'addr') {
          if (ev.action === 'new' && ev.address.index === ia) st.addrs.add(ev.address.cidr)
        } else if (ev.type === 'route' && ev.route.table === T) {
          if (ev.existing) st.listed++
          else st.live++
          if (ev.action === 'new') st.mirror.set(ev.route.dst, ev.route)
          else st.mirror.delete(ev.route.dst)
        }
      }
    } catch (e) {
      st.error = e
    }
  })()
  if (listExisting && before > 0) await until(() => st.mirror.size === before || st.error, GUARD, 'the first listing')
  await ipBatch(burstLines(a, T))
  return st
}

/** Overflow events can never outnumber the changes made: more means the subscription is spinning. */
const SPINNING = N + 1000

/** A later change is seen; should yet another overflow swallow it (shared namespace), make another. */
async function laterChangeSeen(st) {
  for (let k = 1; k <= 5; k++) {
    const mark = st.overflows
    const cidr = `10.203.254.${k}/32`
    ipDo(['addr', 'add', cidr, 'dev', st.a])
    await until(
      () => st.addrs.has(cidr) || st.overflows > mark || st.error,
      GUARD,
      () => `addr new ${cidr} (${st.overflows} overflows, ${st.n} events)`,
    )
    if (st.addrs.has(cidr) || st.error) return st.addrs.has(cidr)
  }
  return false
}

/** Waits until the mirror of table T equals ip's table (it only ever holds routes that exist). */
async function mirrorCatchesUp(t, st, total, guard = GUARD * 2) {
  ipDo(['route', 'add', `${SENTINEL}/32`, 'dev', st.a, 'table', st.T])
  t.is(ip(['route', 'show', 'table', st.T]).length, total)
  await until(
    () => (st.mirror.has(SENTINEL) && st.mirror.size === total) || st.error || st.overflows > SPINNING,
    guard,
    () =>
      `the mirror to catch up: ${st.mirror.size} of ${total} routes, sentinel ${st.mirror.has(SENTINEL)}, ${st.overflows} overflows, ${st.n} events`,
  )
  t.is(st.error, undefined, `the subscription failed: ${st.error}`)
  t.true(st.overflows <= SPINNING, `${st.overflows} overflow events for ${N} changes: spinning`)
  const want = ip(['-d', 'route', 'show', 'table', st.T])
  t.is(st.mirror.size, want.length)
  const diffs = []
  for (const r of want) {
    const m = st.mirror.get(r.dst)
    const got = m && { dst: m.dst, dev: m.dev, gateway: m.gateway, protocol: m.protocol, scope: m.scope, type: m.type, metric: m.metric }
    const exp = { dst: r.dst, dev: r.dev, gateway: r.gateway, protocol: r.protocol, scope: r.scope, type: r.type, metric: r.metric }
    if (JSON.stringify(got) !== JSON.stringify(exp)) diffs.push(`${r.dst}: mirror ${JSON.stringify(got)} ip ${JSON.stringify(exp)}`)
    if (diffs.length > 10) break
  }
  t.deepEqual(diffs, [], 'mirror equals ip -j route show table')
}

test.serial(
  'overflow: small buffer (1 MiB), slow consumer, 100,000 routes: an overflow event appears and the subscription keeps working',
  async (t) => {
    t.timeout(240000)
    const st = await overflowScenario(t, { T: own.table(2), bufferSize: 1024 * 1024, listExisting: false })
    await until(
      () => st.overflows > 0 || st.error,
      GUARD,
      () => `an overflow event (${st.n} events consumed)`,
    )
    t.is(st.error, undefined, `the subscription failed: ${st.error}`)
    t.true(st.overflows > 0, 'an overflow event')
    t.true(await laterChangeSeen(st), 'a change made after the overflow was seen')
    t.is(st.error, undefined, `the subscription failed: ${st.error}`)
    t.true(st.overflows <= SPINNING)
    t.true(st.live < N, `events were lost (${st.live} of ${N} delivered)`)
    t.false(st.listed > 0, 'nothing listed without listExisting')
    st.sub.close()
    await st.consumer
    t.log(`${st.overflows} overflow event(s); ${st.live} of ${N} route events delivered`)
  },
)

test.serial(
  'overflow with listExisting (1 MiB buffer): a mirror of the table, reset on overflow and rebuilt from the listing, ends equal to ip',
  async (t) => {
    t.timeout(240000)
    const st = await overflowScenario(t, { T: own.table(3), bufferSize: 1024 * 1024, listExisting: true, before: 5 })
    await mirrorCatchesUp(t, st, N + 5 + 1)
    t.true(st.overflows > 0, 'the scenario overflowed')
    t.true(st.live > 0, 'live events were delivered')
    t.true(st.listed >= 5, 'listed (existing) events were delivered')
    t.true(await laterChangeSeen(st), 'a change made afterwards is seen')
    st.sub.close()
    await st.consumer
    t.log(`${st.overflows} overflow(s), ${st.listed} listed and ${st.live} live events for table ${st.T}, ${st.n} events in all`)
  },
)

/** Up to three rounds of the listExisting overflow scenario, each of which must recover. */
async function recovers(t, bufferSize, tables) {
  t.timeout(300000)
  for (const T of tables) {
    const st = await overflowScenario(t, { T, bufferSize, listExisting: true, before: 5 })
    try {
      await mirrorCatchesUp(t, st, N + 5 + 1, 30000)
      t.true(st.overflows > 0, 'the scenario overflowed')
      t.true(await laterChangeSeen(st), 'a change made afterwards is seen')
      t.is(st.error, undefined, `the subscription failed: ${st.error}`)
    } finally {
      st.sub.close() // stop a spinning subscription now
      await st.consumer
      ipTry(['link', 'del', 'dev', st.a])
    }
  }
}

// The listing after each overflow must come. Three rounds, so that one lucky round cannot make
// this pass by chance.
test.serial('overflow with listExisting, 256 KiB buffer: the listing after each overflow comes and the mirror converges', async (t) => {
  await recovers(t, 256 * 1024, [own.table(4), own.table(5), own.table(6)])
})

// With 4096 bytes the subscription must neither spin on overflow events, nor die with EBUSY or
// ENOBUFS, nor stop listing.
test.serial('overflow with listExisting, tiny buffer (4096): the subscription recovers and the mirror converges', async (t) => {
  await recovers(t, 4096, [own.table(7), own.table(8), own.table(9)])
})
