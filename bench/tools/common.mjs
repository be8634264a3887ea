// Shared by the Node tool scripts (nlkit.mjs, netlink-npm.mjs): argument parsing, addressing,
// the JSON result line and the W6 subscriber protocol.
import { readFileSync } from 'node:fs'

/** `W1 n=10000 dev=veth0` -> { w: 'W1', n: '10000', dev: 'veth0' } */
export function parseArgs(argv = process.argv.slice(2)) {
  const a = { w: argv[0] }
  for (const kv of argv.slice(1)) {
    const eq = kv.indexOf('=')
    if (eq > 0) a[kv.slice(0, eq)] = kv.slice(eq + 1)
  }
  return a
}

/** Route i is 10.16.0.0 + i; address i is 10.128.0.0 + i (the same in every tool). */
export const ROUTE_BASE = 0x0a100000
export const ADDR_BASE = 0x0a800000

export function ip4(base, i) {
  const v = base + i
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`
}

export function ip4Bytes(base, i) {
  const v = base + i
  return Buffer.from([v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255])
}

export function vmhwmKb() {
  const m = /VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))
  return m ? Number(m[1]) : -1
}

export function result(obj) {
  process.stdout.write(`${JSON.stringify({ ...obj, rssKb: vmhwmKb() })}\n`)
}

export function fail(e) {
  process.stderr.write(`${e?.stack ?? e}\n`)
  process.exit(1)
}

/** Keeps `max` promises in flight until `n` calls of `fn(i)` have completed. */
export async function windowed(n, max, fn) {
  let next = 0
  let failed
  async function lane() {
    while (next < n && !failed) {
      const i = next++
      try {
        await fn(i)
      } catch (e) {
        failed ??= e
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(max, n) }, lane))
  if (failed) throw failed
}

/**
 * The W6 subscriber protocol: print `READY <pid>`; the driver runs the burst and then writes a line
 * on stdin; we stop when `target` events arrived or none came for `quietMs`, print the result, and
 * exit when the driver closes stdin (so it can read our /proc/<pid>/stat first).
 * `count()` returns the events so far; `stop()` ends the subscription.
 */
export function subscriberProtocol({ target, quietMs = 1000, count, stop, extra = () => ({}) }) {
  process.stdout.write(`READY ${process.pid}\n`)
  let stopped = false
  let finished = false
  let lastCount = -1
  let lastChange = Date.now()
  const finish = () => {
    if (finished) return
    finished = true
    clearInterval(timer)
    stop()
    result({ events: count(), ...extra() })
  }
  const timer = setInterval(() => {
    const c = count()
    if (c !== lastCount) {
      lastCount = c
      lastChange = Date.now()
    }
    if (stopped && (c >= target || Date.now() - lastChange > quietMs)) finish()
  }, 50)
  process.stdin.on('data', () => {
    stopped = true
  })
  process.stdin.on('end', () => {
    finish()
    process.exit(0)
  })
  process.stdin.resume()
}
