// socketListStream, the socket listing at the consumer's pace, in namespaces of this file: 2,000
// TCP connections over the loopback (a node server and its clients in a child living there, see
// support/socket-host.mjs) read in batches, every one found with the ports, state and inode
// `ss -tanei` shows; the IPv4 and IPv6 dumps one after the other; `break` and an abort stop the
// dump and release its socket (the namespace's NETLINK_SOCK_DIAG sockets, listed) while the
// connection keeps working; bad input fails before any socket is opened.

import test from 'ava'
import * as nl from '../index.js'
import { nsNamer } from './support/names.mjs'
import { nsConn } from './support/netns.mjs'
import { owned } from './support/registry.mjs'
import { socketHost, ssAddr, ssIn } from './support/sockets.mjs'
import { waitFor } from './support/wait.mjs'

const own = owned('sockets-stream')
const nsName = nsNamer(own.netns[0])
const V4 = '10.190.0.1'
const V6 = '2001:db8:190::1'
const N = 2000
/** The raw stream's queue hands batches of at most this many messages. */
const TAKE_BATCH = 1024
const NETLINK_SOCK_DIAG = 4

/** A socket as `SRC:PORT>DST:PORT`, or `SRC:PORT>*` when unconnected (as ss prints it). */
const key = (s) => `${s.src}:${s.sport}>${s.dport === 0 ? '*' : `${s.dst}:${s.dport}`}`

/** A namespace with socket hosts on V4 (`count` clients) and V6 (one), and a connection in it. */
async function setup(t, count) {
  const ns = nsName()
  const c = await nsConn(t, ns)
  const path = (n) => `/tmp/${ns}-${process.pid}-${n}.sock`
  const v4 = await socketHost(t, ns, { address: V4, addrs: [`${V4}/32`, `${V6}/128`], count, unixPath: path(4) })
  const v6 = await socketHost(t, ns, { address: V6, addrs: [], count: 1, unixPath: path(6) })
  return { ns, c, v4, v6 }
}

/** The namespace's sock_diag sockets: the connection's own, and a stream's while it runs. */
const diagSockets = async (c) => (await c.socketList({ family: 'netlink' })).filter((s) => s.protocol === NETLINK_SOCK_DIAG).length

/** `ss -tanei` for the sockets of ports `ports`, as key -> 'state inode'. */
function ssTcp(ns, ports) {
  const names = { ESTAB: 'established', LISTEN: 'listen' }
  const out = new Map()
  const expr = `( ${ports.map((p) => `sport = :${p} or dport = :${p}`).join(' or ')} )`
  for (const l of ssIn(ns, ['-tanei', expr])) {
    const f = l.trim().split(/\s+/)
    if (!(f[0] in names)) continue
    const [src, sport] = ssAddr(f[3])
    const [dst, dport] = f[4].endsWith(':*') ? ['*', 0] : ssAddr(f[4])
    out.set(key({ src, sport, dst, dport }), `${names[f[0]]} ${/ino:(\d+)/.exec(l)[1]}`)
  }
  return out
}

test(`${N} connections streamed in batches: every one found, equal to ss -tanei and socketList`, async (t) => {
  const { ns, c, v4, v6 } = await setup(t, N)
  t.is(v4.clients.length, N)
  const ports = [v4.port, v6.port]
  const mine = (s) => ports.includes(s.sport) || ports.includes(s.dport)
  const batches = []
  // TCP of both families: the IPv4 dump, then the IPv6 one.
  for await (const batch of await c.socketListStream()) batches.push(batch)
  t.true(batches.length > 1, `${batches.length} batches`)
  // At flat memory: no batch is the whole listing, each is what one take of the queue holds.
  for (const b of batches) t.true(b.length > 0 && b.length <= TAKE_BATCH, `a batch of ${b.length}`)
  const streamed = batches.flat()
  const got = new Map(streamed.filter(mine).map((s) => [key(s), `${s.state} ${s.inode}`]))
  t.is(got.size, 2 * (1 + 2 * N) - 2 * N + 2 * 1, 'listeners and both ends of each connection')
  for (const p of v4.clients) {
    t.true(got.has(`${V4}:${p}>${V4}:${v4.port}`), `client ${p}`)
    t.true(got.has(`${V4}:${v4.port}>${V4}:${p}`), `server side of ${p}`)
  }
  t.true(got.has(`${V6}:${v6.clients[0]}>${V6}:${v6.port}`), 'the IPv6 client')
  t.deepEqual(got, ssTcp(ns, ports))
  // The same sockets as socketList's one reply (each family's dump in the kernel's order).
  const listed = await c.socketList()
  t.deepEqual(
    streamed.filter(mine).map((s) => s.cookie),
    listed.filter(mine).map((s) => s.cookie),
  )
  t.deepEqual(streamed.filter(mine), listed.filter(mine))
  // The kernel's filter runs for streams too: the IPv4 clients by their remote port.
  const clients = []
  for await (const b of await c.socketListStream({ family: 4, dport: v4.port, states: 'established' })) clients.push(...b)
  t.deepEqual(clients.map((s) => s.sport).sort(), [...v4.clients].sort())
})

test('break and an abort stop the dump and release its socket; the connection keeps working', async (t) => {
  const { c, v4 } = await setup(t, N)
  const base = await diagSockets(c)
  // Broken out of after the first batch: the rest of the dump is not read, its socket goes.
  let first
  for await (const batch of await c.socketListStream({ family: 4 })) {
    t.is(await diagSockets(c), base + 1, "the stream's own socket, while it runs")
    first = batch
    break
  }
  t.true(first.length > 0 && first.length < 2 * N)
  await waitFor(async () => (await diagSockets(c)) === base, { what: 'the stream socket closed after break' })
  // Aborted after the first batch: the iteration ends there.
  const ac = new AbortController()
  let seen = 0
  for await (const batch of await c.socketListStream({ family: 4 }, { signal: ac.signal })) {
    seen += batch.length
    ac.abort()
  }
  t.true(seen > 0 && seen < 1 + 2 * N, `${seen} sockets before the abort`)
  await waitFor(async () => (await diagSockets(c)) === base, { what: 'the stream socket closed after the abort' })
  // Aborted before: nothing is listed. close() ends an iterator taken by hand.
  const gone = AbortSignal.abort()
  const none = []
  for await (const b of await c.socketListStream({ family: 4 }, { signal: gone })) none.push(b)
  t.deepEqual(none, [])
  const s = await c.socketListStream({ family: 4 })
  t.false((await s.next()).done)
  s.close()
  t.true((await s.next()).done)
  await waitFor(async () => (await diagSockets(c)) === base, { what: 'the stream socket closed after close()' })
  // The connection still answers, and a stream run to its end finds everything.
  t.is((await c.socketList({ family: 4, sport: v4.port, states: 'listen' })).length, 1)
  let all = 0
  for await (const b of await c.socketListStream({ family: 4, states: ['established', 'listen'] })) all += b.length
  t.is(all, 1 + 2 * N)
})

test('bad filters and options fail naming them, before a socket is opened', async (t) => {
  const { c } = await setup(t, 1)
  const base = await diagSockets(c)
  const bad = [
    [{ states: 'bogus' }, undefined, RangeError, 'states[0]'],
    [{ family: 5 }, undefined, RangeError, 'family'],
    [{ sport: 70000 }, undefined, RangeError, 'sport'],
    [{ src: '10.190.0.300/32' }, undefined, TypeError, 'src'],
    [{ colour: 1 }, undefined, RangeError, 'colour'],
    [{ family: 'unix', dport: 1 }, undefined, RangeError, 'dport'],
    ['tcp', undefined, TypeError, 'filter'],
    [{ family: 4 }, { colour: 1 }, RangeError, 'colour'],
    [{ family: 4 }, { bufferSize: -1 }, RangeError, 'bufferSize'],
  ]
  for (const [f, o, cls, name] of bad) {
    const e = await t.throwsAsync(c.socketListStream(f, o), { instanceOf: cls })
    t.true(e?.message.includes(name), `${name}: ${e?.message}`)
  }
  t.is(await diagSockets(c), base)
})

test('socketListStream on the default connection (this namespace) streams its sockets', async (t) => {
  const batches = []
  for await (const b of await nl.socketListStream({ family: 'netlink' })) batches.push(b)
  // Its own socket among them, while it ran.
  t.true(batches.flat().some((s) => s.protocol === NETLINK_SOCK_DIAG))
  t.true(batches.every((b) => Array.isArray(b) && b.length > 0))
})
