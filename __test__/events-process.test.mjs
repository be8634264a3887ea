// Events and the process lifetime: an open subscription keeps a Node process alive (like a
// server); once it is closed - by close(), `for await ... break`, an AbortSignal - the process
// exits by itself. Each case runs a child `node` script (same network namespace).
//
// What it owns in the shared namespace is its entry in support/registry.mjs.

import test from 'ava'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ipDo, ipTry } from './support/oracle.mjs'
import { namer } from './support/names.mjs'
import { ipVeth } from './support/veth.mjs'
import { sleep } from './support/wait.mjs'
import { owned } from './support/registry.mjs'

const LIB = new URL('../index.js', import.meta.url).href
/** A child that should exit has this long (a hang guard, not a timing expectation). */
const EXIT_GUARD = 30000

const own = owned('events-process')
const ifname = namer(own.prefix)

// A namespace of this file's own for the subscriptions whose pending next() must end `done`:
// other files add and delete rules in the shared namespace at any moment, and such an event would
// settle that next() first. Nothing happens in this one.
const QUIET = `${own.netns[0]}quiet`
test.before(() => ipDo(['netns', 'add', QUIET]))
test.after.always(() => ipTry(['netns', 'del', QUIET]))

/**
 * Runs `body` (an ES module body with `nl` imported) in a child node process. Resolves once the
 * child has printed `ready` with { child, exited } where exited resolves with { code, signal }.
 */
async function child(t, body) {
  const dir = mkdtempSync(join(tmpdir(), 'nlkit-events-child-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'child.mjs')
  writeFileSync(file, `import * as nl from ${JSON.stringify(LIB)}\n${body}\n`)
  const c = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'pipe'] })
  t.teardown(() => {
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
  })
  let out = ''
  let err = ''
  c.stderr.on('data', (d) => (err += d))
  // 'close', not 'exit': the child's stdout and stderr may still hold data at 'exit'.
  const exited = new Promise((resolve) => c.on('close', (code, signal) => resolve({ code, signal, out, err })))
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child not ready: ${out} ${err}`)), EXIT_GUARD)
    c.stdout.on('data', (d) => {
      out += d
      if (out.includes('ready')) {
        clearTimeout(timer)
        resolve()
      }
    })
    c.on('close', () => {
      clearTimeout(timer)
      if (!out.includes('ready')) reject(new Error(`child exited before ready: ${out} ${err}`))
    })
  })
  return { child: c, exited }
}

/** Waits for the child to exit by itself (hang guard: SIGKILL and fail). */
async function exitsByItself(t, { child: c, exited }) {
  let timer
  const hang = new Promise((resolve) => {
    timer = setTimeout(() => resolve('hang'), EXIT_GUARD)
  })
  const r = await Promise.race([exited, hang])
  clearTimeout(timer)
  if (r === 'hang') {
    c.kill('SIGKILL')
    t.fail(`the child did not exit within ${EXIT_GUARD} ms`)
    return
  }
  t.is(r.signal, null, `stderr: ${r.err}`)
  t.is(r.code, 0, `stderr: ${r.err}`)
  return r
}

test('an open subscription keeps the process alive', async (t) => {
  const c = await child(
    t,
    `
    const sub = nl.subscribe(['link', 'route'])
    console.log('ready')
  `,
  )
  await sleep(1500)
  t.is(c.child.exitCode, null, 'still running')
  t.is(c.child.signalCode, null)
  c.child.kill('SIGTERM')
  const r = await c.exited
  t.is(r.signal, 'SIGTERM')
})

test('an open subscription with listExisting and an abandoned iterator keeps the process alive', async (t) => {
  const c = await child(
    t,
    `
    const sub = nl.subscribe(['link'], { listExisting: true })
    const first = await sub.next() // the loopback link, listed
    console.log('ready', first.value.existing)
  `,
  )
  await sleep(1500)
  t.is(c.child.exitCode, null, 'still running')
  c.child.kill('SIGTERM')
  await c.exited
})

test('a child that subscribes and then closes exits by itself (code 0)', async (t) => {
  const c = await child(
    t,
    `
    const sub = nl.subscribe(['link', 'addr', 'route', 'neigh', 'rule'])
    console.log('ready')
    setTimeout(() => sub.close(), 100)
  `,
  )
  await exitsByItself(t, c)
})

test('a child that opens and closes 20 subscriptions at once exits by itself', async (t) => {
  const c = await child(
    t,
    `
    for (let i = 0; i < 20; i++) nl.subscribe(['link'], { listExisting: i % 2 === 0 }).close()
    console.log('ready')
  `,
  )
  await exitsByItself(t, c)
})

test('a child whose for await loop breaks exits by itself', async (t) => {
  const a = ifname()
  const b = ifname()
  ipVeth(t, a, b)
  const c = await child(
    t,
    `
    const sub = nl.subscribe(['link'])
    console.log('ready')
    for await (const ev of sub) {
      if (ev.type === 'link' && ev.link.name === ${JSON.stringify(a)} && ev.link.mtu === 1300) break
    }
    console.log('broke')
  `,
  )
  // The child subscribed before printing ready, so this change is seen.
  ipTry(['link', 'set', 'dev', a, 'mtu', '1300'])
  const r = await exitsByItself(t, c)
  t.true(r?.out.includes('broke'))
})

test('a child whose subscription is aborted exits by itself', async (t) => {
  const c = await child(
    t,
    `
    const ac = new AbortController()
    const sub = nl.subscribe(['route'], { signal: ac.signal })
    console.log('ready')
    setTimeout(() => ac.abort(), 100)
    for await (const ev of sub) {}
    console.log('ended')
  `,
  )
  const r = await exitsByItself(t, c)
  t.true(r?.out.includes('ended'))
})

test('a child with an already aborted signal exits by itself', async (t) => {
  const c = await child(
    t,
    `
    const sub = nl.subscribe(['link'], { signal: AbortSignal.abort() })
    const r = await sub.next()
    console.log('ready', r.done)
  `,
  )
  const r = await exitsByItself(t, c)
  t.true(r?.out.includes('ready true'))
})

test('a child whose pending next() is ended by close() exits by itself', async (t) => {
  const c = await child(
    t,
    `
    const sub = nl.subscribe(['rule'], { netns: ${JSON.stringify(QUIET)} })
    console.log('ready')
    setTimeout(() => sub.close(), 100)
    const r = await sub.next()
    console.log('next', r.done)
  `,
  )
  const r = await exitsByItself(t, c)
  t.true(r?.out.includes('next true'))
})
