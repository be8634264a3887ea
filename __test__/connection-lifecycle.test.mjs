// Connection lifecycle: AbortSignal, close(), Symbol.asyncDispose, and the process exiting by
// itself when idle. What it owns in the shared namespace is its entry in support/registry.mjs.

import test from 'ava'
import { execFile } from 'node:child_process'
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { open, linkList, linkGet, NetlinkError } from '../index.js'
import { ipLink } from './support/oracle.mjs'
import { namer } from './support/names.mjs'
import { veth } from './support/veth.mjs'
import { owned } from './support/registry.mjs'

const own = owned('connection-lifecycle')
const name = namer(own.prefix)
const INDEX_JS = fileURLToPath(new URL('../index.js', import.meta.url))

/**
 * The rejection reason of `p` (fails the test if it fulfils). AbortErrors are DOMExceptions,
 * which ava's throwsAsync does not accept as errors, hence this helper.
 */
async function rejection(t, p) {
  try {
    await p
  } catch (e) {
    return e
  }
  t.fail('expected a rejection')
  return undefined
}

/** Runs a Node script (ESM) in a child process; resolves with its exit code and output. */
function runScript(t, source) {
  const dir = mkdtempSync(join(tmpdir(), 'nlkit-lc-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'script.mjs')
  writeFileSync(file, source)
  return new Promise((resolve) => {
    // The timeout only guards against a hang; nothing here measures time.
    execFile(process.execPath, [file], { timeout: 20000, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      resolve({ code: err ? (err.code ?? null) : 0, signal: err?.signal ?? null, killed: err?.killed ?? false, stdout, stderr })
    })
  })
}

test('an already-aborted signal rejects with AbortError without sending', async (t) => {
  const ac = new AbortController()
  ac.abort()
  const e = await rejection(t, linkList({ signal: ac.signal }))
  t.is(e?.name, 'AbortError')
  t.true(e instanceof Error)
  t.false(e instanceof NetlinkError)
  const { a } = await veth(t, name(), name())
  const e2 = await rejection(t, linkGet(a, { signal: ac.signal }))
  t.is(e2?.name, 'AbortError')
  // The connection is fine afterwards.
  t.is((await linkGet(a)).name, a)
})

test("aborting mid-flight rejects with AbortError (and with the signal's reason if it is an Error)", async (t) => {
  const c = open()
  t.teardown(() => c.close())
  const ac = new AbortController()
  const p = c.linkList({ signal: ac.signal })
  ac.abort()
  const e = await rejection(t, p)
  t.is(e?.name, 'AbortError')
  t.true(e instanceof Error)

  // One aborted call among many pending ones: only that one rejects.
  const ac2 = new AbortController()
  const many = Array.from({ length: 300 }, (_, i) => c.linkGet('lo', i === 150 ? { signal: ac2.signal } : undefined))
  ac2.abort()
  const settled = await Promise.allSettled(many)
  t.is(settled[150].status, 'rejected')
  t.is(settled[150].reason.name, 'AbortError')
  t.true(settled.every((r, i) => i === 150 || (r.status === 'fulfilled' && r.value.name === 'lo')))

  const ac3 = new AbortController()
  const mine = new Error('changed my mind')
  const p3 = c.linkList({ signal: ac3.signal })
  ac3.abort(mine)
  t.is(await rejection(t, p3), mine)

  // Aborting after completion does nothing; other calls on the connection are unaffected.
  const ac4 = new AbortController()
  const list = await c.linkList({ signal: ac4.signal })
  ac4.abort()
  t.true(list.some((l) => l.name === 'lo'))
  const [x, y] = await Promise.allSettled([c.linkGet('lo', { signal: AbortSignal.abort() }), c.linkGet('lo')])
  t.is(x.status, 'rejected')
  t.is(x.reason.name, 'AbortError')
  t.is(y.value.name, 'lo')
})

test('close() rejects queued and in-flight calls with ECANCELED; later calls reject too', async (t) => {
  const { a } = await veth(t, name(), name())
  const c = open()
  // Queued in this tick, never sent.
  const queued = [c.linkList(), ...Array.from({ length: 50 }, () => c.linkGet(a)), c.routeList()]
  c.close()
  const r1 = await Promise.allSettled(queued)
  t.true(r1.every((r) => r.status === 'rejected'))
  for (const r of r1) {
    t.true(r.reason instanceof NetlinkError)
    t.is(r.reason.code, 'ECANCELED')
    t.is(r.reason.errno, 125)
  }
  t.is(r1[0].reason.op, 'linkList')
  t.is(r1[1].reason.op, 'linkGet')
  t.is(r1[1].reason.message, `linkGet ${a}: connection closed (ECANCELED)`)

  // Submitted to the kernel, then closed.
  const c2 = open()
  const inflight = [c2.linkList(), ...Array.from({ length: 200 }, (_, i) => c2.linkGet(i % 2 ? a : 'lo'))]
  await null
  await null
  c2.close()
  const r2 = await Promise.allSettled(inflight)
  // Some may have been answered already; every other one is cancelled, none hangs.
  for (const r of r2) {
    if (r.status === 'rejected') t.is(r.reason.code, 'ECANCELED')
    else t.truthy(r.value)
  }

  for (const conn of [c, c2]) {
    const e = await t.throwsAsync(conn.linkList(), { instanceOf: NetlinkError })
    t.is(e.code, 'ECANCELED')
    t.is(e.message, 'linkList: connection closed (ECANCELED)')
    const e2 = await t.throwsAsync(conn.linkSetUp(a), { instanceOf: NetlinkError })
    t.is(e2.code, 'ECANCELED')
    t.is(e2.op, 'linkSetUp')
  }
  c.close() // idempotent
  t.false(ipLink(a).flags.includes('UP'), 'the cancelled linkSetUp was never sent')
  // The default connection is independent.
  t.is((await linkGet(a)).name, a)
})

test('Symbol.asyncDispose exists and closes the connection', async (t) => {
  const c = open({ timeout: 10000 })
  t.is(typeof Symbol.asyncDispose, 'symbol')
  t.is(typeof c[Symbol.asyncDispose], 'function')
  t.true((await c.linkList()).length > 0)
  const pending = c.linkList()
  // What `await using c = open()` does at the end of its block:
  await c[Symbol.asyncDispose]()
  const e = await t.throwsAsync(pending, { instanceOf: NetlinkError })
  t.is(e.code, 'ECANCELED')
  t.is((await t.throwsAsync(c.linkList(), { instanceOf: NetlinkError })).code, 'ECANCELED')
})

test('an idle script exits by itself (default connection)', async (t) => {
  const r = await runScript(
    t,
    `
    import(${JSON.stringify(INDEX_JS)}).then(async (m) => {
      await m.linkList()
      console.log('done')
    })
  `,
  )
  t.false(r.killed, 'not killed by the hang guard')
  t.is(r.code, 0, r.stderr)
  t.is(r.stdout.trim(), 'done')
})

test('an idle script exits by itself with an open() connection never closed, after errors and aborts', async (t) => {
  const r = await runScript(
    t,
    `
    const m = await import(${JSON.stringify(INDEX_JS)})
    const c = m.open()
    await c.linkList()
    await c.linkGet('${own.prefix}nosuch0').catch((e) => console.log(e.code))
    const ac = new AbortController()
    const p = c.linkList({ signal: ac.signal })
    ac.abort()
    await p.catch((e) => console.log(e.name))
    await m.linkGet('lo')
    console.log('done')
  `,
  )
  t.false(r.killed)
  t.is(r.code, 0, r.stderr)
  t.deepEqual(r.stdout.trim().split('\n'), ['ENODEV', 'AbortError', 'done'])
})

test('a pending request keeps the process alive until it is answered', async (t) => {
  // Nothing but the request holds the event loop: the answer must still arrive.
  const r = await runScript(
    t,
    `
    import { createRequire } from 'node:module'
    const m = createRequire(import.meta.url)(${JSON.stringify(INDEX_JS)})
    m.linkList().then((l) => console.log('got', l.some((x) => x.name === 'lo')))
  `,
  )
  t.false(r.killed)
  t.is(r.code, 0, r.stderr)
  t.is(r.stdout.trim(), 'got true')
})
