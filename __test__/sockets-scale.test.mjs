// socketList at scale: 1,000 TCP connections over the loopback of this file's namespace (a node
// server and its 1,000 clients in a child living there): every one found, with its ports, state
// and inode, equal to the namespace's /proc/PID/net/tcp and `ss -tanei`.

import test from 'ava'
import { nsNamer } from './support/names.mjs'
import { nsConn } from './support/netns.mjs'
import { owned } from './support/registry.mjs'
import { procTcp, socketHost, ssAddr, ssIn } from './support/sockets.mjs'

const own = owned('sockets-scale')
const nsName = nsNamer(own.netns[0])
const ADDR = '10.181.128.1'
const N = 1000

/** A socket as `SRC:PORT>DST:PORT`, or `SRC:PORT>*` when unconnected (as ss prints it). */
const key = (s) => `${s.src}:${s.sport}>${s.dport === 0 ? '*' : `${s.dst}:${s.dport}`}`

test(`${N} connections: every socket found, equal to /proc/PID/net/tcp and ss -tanei`, async (t) => {
  const ns = nsName()
  const c = await nsConn(t, ns)
  const host = await socketHost(t, ns, { address: ADDR, addrs: [`${ADDR}/32`], count: N, unixPath: `/tmp/${ns}-${process.pid}.sock` })
  t.is(host.clients.length, N)
  const mine = (s) => s.sport === host.port || s.dport === host.port
  const list = await c.socketList({ family: 4 })
  const got = new Map(list.filter(mine).map((s) => [key(s), `${s.state} ${s.inode}`]))
  t.is(got.size, 1 + 2 * N)
  for (const p of host.clients) {
    t.true(got.has(`${ADDR}:${p}>${ADDR}:${host.port}`), `client ${p}`)
    t.true(got.has(`${ADDR}:${host.port}>${ADDR}:${p}`), `server side of ${p}`)
  }
  const proc = new Map(
    procTcp(host.pid)
      .filter(mine)
      .map((s) => [key(s), `${s.state} ${s.inode}`]),
  )
  t.deepEqual(got, proc)
  const ss = new Map()
  for (const l of ssIn(ns, ['-tanei', `( sport = :${host.port} or dport = :${host.port} )`])) {
    const f = l.trim().split(/\s+/)
    if (f[0] !== 'ESTAB' && f[0] !== 'LISTEN') continue
    const [src, sport] = ssAddr(f[3])
    const [dst, dport] = f[4].endsWith(':*') ? ['*', 0] : ssAddr(f[4])
    ss.set(key({ src, sport, dst, dport }), `${f[0] === 'ESTAB' ? 'established' : 'listen'} ${/ino:(\d+)/.exec(l)[1]}`)
  }
  t.deepEqual(got, ss)
  // The kernel's filter finds the same ones: the clients by their remote port.
  const clients = await c.socketList({ dport: host.port, states: 'established' })
  t.deepEqual(clients.map((s) => s.sport).sort(), [...host.clients].sort())
})
