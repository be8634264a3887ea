#!/usr/bin/env node
// Soak and leak check: mixed operations on a long-lived connection, with open/close cycles,
// connections dropped without close(), subscribe/close, route streams and raw requests in
// between; every CHECK operations it collects garbage and prints RSS, heap, fds and threads,
// and it fails (exit 1) when any grows past its bound over the first checkpoint.
//
//   npm run soak                                   1,000,000 operations, a line every 50,000
//   bash .ci/in-netns.sh node --expose-gc bench/soak.mjs OPS CHECK PREFIX
//
// Needs root in a private namespace (npm run soak makes one): it makes a veth pair named
// PREFIX0/PREFIX1 (default sk0/sk1) and routes in table 7000 on it. Bounds: fds and threads
// exactly back to the first checkpoint; heap within 16 MiB and RSS within 64 MiB of it.
import { execFileSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import * as nl from '../index.js'

const OPS = Number(process.argv[2] ?? 1_000_000)
const CHECK = Number(process.argv[3] ?? 50_000)
const PREFIX = process.argv[4] ?? 'sk'
const TABLE = 7000
const BOUNDS = { heapMB: 16, rssMB: 64 }

if (typeof globalThis.gc !== 'function') {
  console.error('run with node --expose-gc')
  process.exit(2)
}

const [A, B] = [`${PREFIX}0`, `${PREFIX}1`]
execFileSync('ip', ['link', 'add', A, 'type', 'veth', 'peer', 'name', B])
execFileSync('ip', ['link', 'set', A, 'up'])
execFileSync('ip', ['link', 'set', B, 'up'])
process.on('exit', () => {
  try {
    execFileSync('ip', ['link', 'del', A])
  } catch {}
})

function sample() {
  const m = process.memoryUsage()
  return {
    rssMB: Math.round(m.rss / 2 ** 20),
    heapMB: Math.round(m.heapUsed / 2 ** 20),
    fds: readdirSync('/proc/self/fd').length,
    threads: readdirSync('/proc/self/task').length,
  }
}

async function settle() {
  for (let i = 0; i < 10; i++) {
    globalThis.gc()
    await sleep(5)
  }
}

// Each cycle in a function of its own (a suspended async frame keeps its last locals alive).
const cycles = [
  async () => {
    const c = nl.open()
    await c.linkGet('lo')
    c.close()
  },
  async () => {
    await nl.open().linkGet(A) // dropped without close()
  },
  async () => {
    const s = nl.subscribe(['link'])
    s.close()
  },
  async () => {
    for await (const _ of await nl.routeListStream({ table: TABLE })) break
  },
  async () => {
    const r = nl.open({ protocol: 'route' })
    const ifi = Buffer.alloc(16)
    ifi.writeInt32LE(1, 4) // lo
    await r.request({ type: 18, payload: ifi })
    r.close()
  },
]

const conn = nl.open()
let done = 0
let first
let leak = false
console.log(`soak: ${OPS} operations, a checkpoint every ${CHECK}`)
while (done < OPS) {
  // 1000 operations a round: 200 route adds and 200 deletes (in a table of its own), 594 link
  // lookups, a route listing and the five lifecycle cycles.

  const base = (done / 1000) % 200
  const adds = []
  for (let i = 0; i < 200; i++) adds.push(conn.routeAdd({ dst: `10.159.${base}.${i}/32`, dev: A, table: TABLE }))
  await Promise.all(adds)
  const gets = []
  for (let i = 0; i < 594; i++) gets.push(conn.linkGet(i % 2 ? A : 'lo'))
  await Promise.all(gets)
  await conn.routeList({ table: TABLE })
  const dels = []
  for (let i = 0; i < 200; i++) dels.push(conn.routeDel({ dst: `10.159.${base}.${i}/32`, dev: A, table: TABLE }))
  await Promise.all(dels)
  for (const c of cycles) await c()
  done += 1000
  if (done % CHECK === 0) {
    await settle()
    const s = sample()
    first ??= s
    const over = []
    if (s.fds !== first.fds) over.push(`fds ${first.fds} -> ${s.fds}`)
    if (s.threads !== first.threads) over.push(`threads ${first.threads} -> ${s.threads}`)
    if (s.heapMB - first.heapMB > BOUNDS.heapMB) over.push(`heap +${s.heapMB - first.heapMB} MiB`)
    if (s.rssMB - first.rssMB > BOUNDS.rssMB) over.push(`rss +${s.rssMB - first.rssMB} MiB`)
    console.log(JSON.stringify({ ops: done, ...s, leak: over.length ? over : undefined }))
    if (over.length) leak = true
  }
}
conn.close()
console.log(leak ? 'soak: LEAK' : 'soak: no leak')
process.exitCode = leak ? 1 : 0
