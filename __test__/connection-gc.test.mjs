// Connections, subscriptions and streams cost nothing once they are gone: closed ones and
// connections dropped without close() are garbage-collected, and their sockets, eventfds and
// I/O threads are released (the binding's finalizer closes a dropped connection). Run in a child
// with --expose-gc; it counts its own fds (/proc/self/fd) and threads (/proc/self/task). What this
// file owns is its entry in support/registry.mjs (nothing in the kernel: it only reads lo).

import test from 'ava'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { owned } from './support/registry.mjs'

owned('connection-gc')
const INDEX = fileURLToPath(new URL('../index.js', import.meta.url))

const CHILD = `
  import { readdirSync } from 'node:fs'
  import { setTimeout as sleep } from 'node:timers/promises'
  const nl = await import(${JSON.stringify(INDEX)})
  const count = () => ({ fds: readdirSync('/proc/self/fd').length, threads: readdirSync('/proc/self/task').length })
  async function settle() {
    for (let i = 0; i < 20; i++) {
      globalThis.gc()
      await sleep(5)
    }
  }
  // Warm up what Node starts lazily (the libuv pool, timers), then measure.
  { const c = nl.open(); await c.linkGet('lo'); c.close() }
  await nl.linkGet('lo') // the default connection (routeListStream uses it) lives on
  await settle()
  const base = count()
  // Each cycle in a function of its own: a suspended async frame keeps its last locals alive.
  const cycles = {
    async closed() { const c = nl.open(); await c.linkGet('lo'); c.close(); return new WeakRef(c) },
    async dropped() { const c = nl.open(); await c.linkGet('lo'); return new WeakRef(c) }, // never closed
    async rawClosed() { const c = nl.open({ protocol: 'route' }); await c.dump({ type: 18, payload: Buffer.alloc(16) }); c.close(); return new WeakRef(c) },
    async rawDropped() { const c = nl.open({ protocol: 'route' }); await c.dump({ type: 18, payload: Buffer.alloc(16) }); return new WeakRef(c) },
    async subscriptions() { const s = nl.subscribe(['link']); s.close(); return new WeakRef(s) },
    async streams() { const s = await nl.routeListStream({ table: 'local' }); for await (const _ of s) break; return new WeakRef(s) },
  }
  const N = { closed: 5000, dropped: 2000, rawClosed: 1000, rawDropped: 1000, subscriptions: 500, streams: 500 }
  const refs = {}
  for (const [k, f] of Object.entries(cycles)) {
    refs[k] = []
    for (let i = 0; i < N[k]; i++) refs[k].push(await f())
  }
  await settle()
  const alive = Object.fromEntries(Object.entries(refs).map(([k, v]) => [k, v.filter((r) => r.deref() !== undefined).length]))
  console.log(JSON.stringify({ base, after: count(), alive }))
`

test('10,000 cycles: closed and dropped connections, closed subscriptions and streams are collected; fds and threads return to the baseline', async (t) => {
  const out = await new Promise((resolve, reject) => {
    execFile(process.execPath, ['--expose-gc', '--input-type=module', '-e', CHILD], { timeout: 100_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
    )
  })
  const { base, after, alive } = JSON.parse(out.trim().split('\n').at(-1))
  t.log(JSON.stringify({ base, after, alive }))
  t.deepEqual(alive, { closed: 0, dropped: 0, rawClosed: 0, rawDropped: 0, subscriptions: 0, streams: 0 })
  t.is(after.fds, base.fds, 'file descriptors back to the baseline')
  t.is(after.threads, base.threads, 'threads back to the baseline')
})
