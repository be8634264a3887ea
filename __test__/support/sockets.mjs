// Sockets for the sock_diag tests: a namespace with an address on its loopback and a child
// process in it (socket-host.mjs) owning a TCP listener, its clients, a UDP and a unix socket;
// and the oracles: `ss` run in the namespace, and the child's /proc/PID/net/tcp.

import { execFileSync, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { ipn } from './oracle.mjs'

const HOST = fileURLToPath(new URL('socket-host.mjs', import.meta.url))

/**
 * Puts `addrs` (CIDRs) on namespace NS's loopback (brought up), starts socket-host.mjs there
 * with `count` clients of ADDRESS, resolves its ready event plus `events` (later lines) and
 * `kill()`. Killed in teardown.
 */
export async function socketHost(t, ns, { address, addrs, count, unixPath }) {
  ipn(ns, ['link', 'set', 'lo', 'up'])
  for (const a of addrs) ipn(ns, ['addr', 'add', a, 'dev', 'lo', ...(a.includes(':') ? ['nodad'] : [])])
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, HOST, address, String(count), unixPath], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  t.teardown(() => child.kill('SIGKILL'))
  const events = []
  const waiters = []
  const lines = createInterface({ input: child.stdout })
  const ready = new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`socket-host exited (${code})`)))
    lines.on('line', (l) => {
      const e = JSON.parse(l)
      if (e.event === 'ready') resolve(e)
      else {
        events.push(e)
        for (const w of waiters.splice(0)) w()
      }
    })
  })
  const r = await ready
  /** Resolves once an event matches `pred`. */
  const waitEvent = (pred, ms = 10000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no such event from socket-host')), ms)
      const check = () => {
        const e = events.find(pred)
        if (e) {
          clearTimeout(timer)
          resolve(e)
        } else waiters.push(check)
      }
      check()
    })
  return { ...r, events, waitEvent }
}

/** `ss ARGS` inside NS, its lines after the header split into fields. */
export function ssIn(ns, args) {
  // stderr: ss -e complains about a missing cgroup2 mount in the test's mount namespace.
  const text = execFileSync('ip', ['netns', 'exec', ns, 'ss', '-H', ...args], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  return text.split('\n').filter((l) => l.trim() !== '')
}

/** ss's `ADDR:PORT` (`[v6]:port`, `*:port`) into [address, port]. */
export function ssAddr(s) {
  const i = s.lastIndexOf(':')
  return [s.slice(0, i).replace(/^\[|\]$/g, ''), Number(s.slice(i + 1))]
}

const TCP_STATES = [
  '',
  'established',
  'syn-sent',
  'syn-recv',
  'fin-wait-1',
  'fin-wait-2',
  'time-wait',
  'close',
  'close-wait',
  'last-ack',
  'listen',
  'closing',
]

/** /proc/PID/net/tcp (the IPv4 TCP sockets of PID's namespace) as { src, sport, dst, dport, state, inode }. */
export function procTcp(pid) {
  const hexAddr = (h) => {
    const n = Number.parseInt(h, 16)
    return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24].join('.')
  }
  return readFileSync(`/proc/${pid}/net/tcp`, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => {
      const f = l.trim().split(/\s+/)
      const [la, lp] = f[1].split(':')
      const [ra, rp] = f[2].split(':')
      return {
        src: hexAddr(la),
        sport: Number.parseInt(lp, 16),
        dst: hexAddr(ra),
        dport: Number.parseInt(rp, 16),
        state: TCP_STATES[Number.parseInt(f[3], 16)],
        inode: Number(f[9]),
      }
    })
}
