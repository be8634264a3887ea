// Events: ending a subscription releases it. `for await ... break`, an AbortSignal, close()
// (twice), return() and Symbol.asyncDispose end the iteration; pending next() calls finish; the
// I/O thread ('nlkit-monitor') and the descriptors go away; 1,000 subscribe/close cycles leak
// neither descriptors nor threads.
//
// What it owns in the shared namespace is its entry in support/registry.mjs. The tests are
// serial: they count this process's threads and descriptors.

import test from 'ava'
import { readdirSync, readFileSync } from 'node:fs'
import * as nl from '../index.js'
import { ipDo, ipTry } from './support/oracle.mjs'
import { namer } from './support/names.mjs'
import { ipVeth } from './support/veth.mjs'
import { sleep } from './support/wait.mjs'
import { Collector, poll, fdCount, threadCount, EVENT_GUARD } from './support/events.mjs'
import { owned } from './support/registry.mjs'

const own = owned('events-lifecycle')
const ifname = namer(own.prefix)

// A namespace of this file's own for the subscriptions whose pending next() must end `done`:
// other files add and delete rules in the shared namespace at any moment, and such an event would
// settle that next() first. Nothing happens in this one.
const QUIET = `${own.netns[0]}quiet`
test.before(() => nl.netnsCreate(QUIET))
test.after.always(() => nl.netnsDelete(QUIET).catch(() => ipTry(['netns', 'del', QUIET])))

/** Threads of this process named 'nlkit-monitor' (one per open subscription). */
function monitorThreads() {
  let n = 0
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      if (readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim() === 'nlkit-monitor') n++
    } catch {
      // the thread exited meanwhile
    }
  }
  return n
}

/**
 * The number of monitor threads once it has settled on `want` (a new thread takes its name a
 * moment after it starts; a closed one is joined before close() returns). Bounded wait.
 */
async function monitorThreadsNow(want) {
  await poll(() => monitorThreads() === want, { timeout: 5000, interval: 5 }).catch(() => {})
  return monitorThreads()
}

/** Subscribes; closed in teardown too, so that a failed assertion cannot leave it open (an open
 * subscription keeps the process alive). */
function open(t, groups, opts) {
  const sub = nl.subscribe(groups, opts)
  t.teardown(() => sub.close())
  return sub
}

/** Resolves with `p`'s value, or rejects after `ms` (a hang guard). */
function guard(p, what, ms = EVENT_GUARD) {
  let timer
  const t = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hang: ${what} did not happen within ${ms} ms`)), ms)
  })
  return Promise.race([p, t]).finally(() => clearTimeout(timer))
}

/** A change that produces link events: the MTU of `dev` toggled. */
let mtu = 1400
const touch = (dev) => ipDo(['link', 'set', 'dev', dev, 'mtu', String(mtu++ % 2 ? 1400 : 1450)])

test.serial('for await ... break ends the subscription and releases its thread', async (t) => {
  const { a } = ipVeth(t, ifname(), ifname())
  const base = monitorThreads()
  const sub = open(t, ['link'])
  t.is(await monitorThreadsNow(base + 1), base + 1, 'one I/O thread while open')
  touch(a)
  let got
  await guard(
    (async () => {
      for await (const ev of sub) {
        if (ev.type === 'link' && ev.link.name === a) {
          got = ev
          break
        }
      }
    })(),
    'the link event',
  )
  t.is(got.link.name, a)
  t.deepEqual(await sub.next(), { value: undefined, done: true }, 'done after break')
  t.is(await monitorThreadsNow(base), base, 'thread gone after break')
  touch(a)
  t.deepEqual(await sub.next(), { value: undefined, done: true }, 'still done after a later change')
})

test.serial('an AbortSignal ends the iteration: the loop finishes and a pending next() resolves done', async (t) => {
  const { a } = ipVeth(t, ifname(), ifname())
  const base = monitorThreads()
  const ac = new AbortController()
  const sub = open(t, ['link'], { signal: ac.signal })
  const seen = []
  let loopEnded = false
  const loop = (async () => {
    for await (const ev of sub) seen.push(ev)
    loopEnded = true
  })()
  touch(a)
  await poll(() => seen.some((e) => e.link?.name === a), { what: 'a link event before the abort' })
  t.false(loopEnded)
  ac.abort()
  await guard(loop, 'the loop to end after abort()')
  t.true(loopEnded)
  t.deepEqual(await sub.next(), { value: undefined, done: true })
  t.is(await monitorThreadsNow(base), base)

  // A next() already waiting when the signal fires resolves done.
  const ac2 = new AbortController()
  const sub2 = open(t, ['rule'], { signal: ac2.signal, netns: QUIET })
  const pending = sub2.next()
  setTimeout(() => ac2.abort(new Error('stop')), 10)
  t.deepEqual(await guard(pending, 'the pending next() to resolve'), { value: undefined, done: true })
  t.is(await monitorThreadsNow(base), base)
})

test.serial('an already aborted signal: the subscription is over at once, no thread is started', async (t) => {
  const threads = threadCount() // a started thread would be listed at once (named or not)
  const sub = open(t, ['link', 'route'], { signal: AbortSignal.abort() })
  t.is(threadCount(), threads)
  t.deepEqual(await sub.next(), { value: undefined, done: true })
  let n = 0
  for await (const _ of sub) n++
  t.is(n, 0)
  sub.close()
})

test.serial('close() twice is fine; after close next() is done; a pending next() resolves done on close', async (t) => {
  const { a } = ipVeth(t, ifname(), ifname())
  const base = monitorThreads()
  const sub = open(t, ['link'])
  const pending = sub.next() // nothing yet, or the first event
  sub.close()
  t.notThrows(() => sub.close())
  const first = await guard(pending, 'the pending next()')
  t.true(first.done === true || first.value?.type === 'link')
  t.deepEqual(await sub.next(), { value: undefined, done: true })
  touch(a)
  await sleep(50)
  t.deepEqual(await sub.next(), { value: undefined, done: true }, 'nothing after close')
  t.is(await monitorThreadsNow(base), base)

  // Several pending next() calls all finish.
  const sub2 = open(t, ['rule'], { netns: QUIET })
  const many = [sub2.next(), sub2.next(), sub2.next()]
  sub2.close()
  t.deepEqual(await guard(Promise.all(many), 'pending next() calls'), [
    { value: undefined, done: true },
    { value: undefined, done: true },
    { value: undefined, done: true },
  ])
})

test.serial('return() and Symbol.asyncDispose end the subscription', async (t) => {
  const base = monitorThreads()
  const sub = open(t, ['link'])
  t.deepEqual(await sub.return(), { value: undefined, done: true })
  t.deepEqual(await sub.next(), { value: undefined, done: true })
  t.is(await monitorThreadsNow(base), base)
  t.is(sub[Symbol.asyncIterator](), sub, 'the subscription is its own iterator')
  if (typeof Symbol.asyncDispose === 'symbol') {
    const sub2 = open(t, ['link'])
    t.is(await monitorThreadsNow(base + 1), base + 1)
    await sub2[Symbol.asyncDispose]()
    t.deepEqual(await sub2.next(), { value: undefined, done: true })
    t.is(await monitorThreadsNow(base), base)
  }
})

test.serial('a subscription keeps working while events are consumed after close of another', async (t) => {
  const { a } = ipVeth(t, ifname(), ifname())
  const keep = new Collector(nl.subscribe(['link']))
  t.teardown(() => keep.close())
  const gone = open(t, ['link'])
  gone.close()
  touch(a)
  await keep.waitFor((e) => e.type === 'link' && e.link.name === a, { what: `link event of ${a}` })
  t.deepEqual(await gone.next(), { value: undefined, done: true })
})

test.serial('1,000 subscribe/close cycles leak no file descriptors and no threads', async (t) => {
  t.timeout(180000)
  const { a } = ipVeth(t, ifname(), ifname())
  // Warm up whatever Node starts lazily (timers, the first native handles).
  for (let i = 0; i < 5; i++) nl.subscribe(['link']).close()
  await sleep(50)
  const fds = fdCount()
  const threads = threadCount()
  const base = monitorThreads()
  const variants = [
    [['link'], {}],
    [['addr', 'route'], {}],
    [['neigh', 'rule'], { bufferSize: 65536 }],
    [['ipv4-route'], { listExisting: true }],
    [['link', 'addr', 'route', 'neigh', 'rule'], { listExisting: true, bufferSize: 1 << 20 }],
  ]
  for (let i = 0; i < 1000; i++) {
    const [groups, opts] = variants[i % variants.length]
    const sub = nl.subscribe(groups, opts)
    try {
      if (i % 10 === 0) {
        // Now and then with a change in flight and a pending next().
        touch(a)
        const p = sub.next()
        sub.close()
        await p
      }
    } finally {
      sub.close()
    }
    if (i % 100 === 99) await sleep(0) // let callbacks run
  }
  t.is(await monitorThreadsNow(base), base, 'no monitor thread left')
  await poll(() => threadCount() <= threads, { timeout: 5000, what: `threads back to ${threads} (now ${threadCount()})` }).catch(() => {})
  t.is(threadCount(), threads, 'threads')
  t.is(fdCount(), fds, 'file descriptors')
})

test.serial('invalid arguments throw synchronously, before anything is opened', (t) => {
  const threads = threadCount()
  const fds = fdCount()
  const throwsOn = (groups, opts, instanceOf) =>
    t.throws(
      () => {
        const sub = nl.subscribe(groups, opts)
        sub.close() // should it not throw, do not leave it open
      },
      { instanceOf },
    )
  throwsOn([], undefined, TypeError)
  throwsOn('link', undefined, TypeError)
  throwsOn(['links'], undefined, RangeError)
  throwsOn(['link'], { bufferSize: 0 }, RangeError)
  throwsOn(['link'], { bufferSize: 1.5 }, TypeError)
  throwsOn(['link'], { signal: {} }, TypeError)
  throwsOn(['link'], null, TypeError)
  t.is(threadCount(), threads)
  t.is(fdCount(), fds)
})
