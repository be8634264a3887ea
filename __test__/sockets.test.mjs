// Socket diagnostics against the real kernel: socketList in a namespace of this file (its sockets
// owned by a child process living there, see support/socket-host.mjs) equals `ss` run in that
// namespace and the child's /proc/PID/net/tcp; filters are sent as bytecode (strace) and select
// what ss's filter expressions select; extensions agree with `ss -tnmi`; UDP and unix sockets;
// socketDestroy aborts a client (ECONNABORTED) as `ss -K` does; bad input fails before anything
// is sent.

import test from 'ava'
import { spawn, spawnSync } from 'node:child_process'
import * as nl from '../index.js'
import { SOCKET_STATE_NAMES, STATE_NUMBERS } from '../src/diag/types.js'
import { rejectsWith } from './support/assert.mjs'
import { nsNamer } from './support/names.mjs'
import { nsConn } from './support/netns.mjs'
import { hasCommand } from './support/oracle.mjs'
import { owned } from './support/registry.mjs'
import { procTcp, socketHost, ssAddr, ssIn } from './support/sockets.mjs'

const own = owned('sockets')
const nsName = nsNamer(own.netns[0])
const V4 = '10.181.0.1'
const V6 = '2001:db8:181::1'

/** A namespace with a socket host on `address`, and an nlkit connection inside it. */
async function setup(t, address, count = 3) {
  const ns = nsName()
  const c = await nsConn(t, ns)
  const host = await socketHost(t, ns, {
    address,
    addrs: [`${V4}/32`, `${V6}/128`],
    count,
    unixPath: `/tmp/${ns}-${process.pid}.sock`,
  })
  return { ns, c, host }
}

/** A socket as `SRC:PORT>DST:PORT`, or `SRC:PORT>*` when unconnected (as ss prints it). */
const key = (s) => `${s.src}:${s.sport}>${s.dport === 0 ? '*' : `${s.dst}:${s.dport}`}`

/**
 * `ss -tanei` (one line per socket with `ino:`), as key -> { state, inode }; `state`: the one
 * state the expression selects (ss then leaves out its State column).
 */
function ssTcp(ns, extra = [], state = undefined) {
  const names = { ESTAB: 'established', LISTEN: 'listen', 'TIME-WAIT': 'time-wait', 'SYN-SENT': 'syn-sent' }
  const ssName = Object.fromEntries(Object.entries(names).map(([k, v]) => [v, k]))
  const out = new Map()
  for (const l of ssIn(ns, ['-tanei', ...extra])) {
    const f = l.trim().split(/\s+/)
    if (state && /^\d+$/.test(f[0])) f.unshift(ssName[state])
    if (!(f[0] in names)) continue // a continuation line
    const [src, sport] = ssAddr(f[3])
    const [dst, dport] = f[4].endsWith(':*') ? ['*', 0] : ssAddr(f[4])
    const ino = /ino:(\d+)/.exec(l)
    out.set(key({ src, sport, dst, dport }), { state: names[f[0]], inode: ino ? Number(ino[1]) : 0 })
  }
  return out
}

const mine = (port) => (s) => s.sport === port || s.dport === port

test('TCP over IPv4: ports, states and inodes equal ss -tanei and /proc/PID/net/tcp', async (t) => {
  const { ns, c, host } = await setup(t, V4)
  const list = (await c.socketList({ family: 4 })).filter(mine(host.port))
  t.is(list.length, 1 + 2 * host.clients.length)
  const got = new Map(list.map((s) => [key(s), { state: s.state, inode: s.inode }]))
  const ss = new Map([...ssTcp(ns, ['-4'])].filter(([k]) => k.includes(`:${host.port}`)))
  t.deepEqual(got, ss)
  const proc = new Map(
    procTcp(host.pid)
      .filter(mine(host.port))
      .map((s) => [key(s), { state: s.state, inode: s.inode }]),
  )
  t.deepEqual(got, proc)
  for (const s of list) {
    t.is(s.family, 4)
    t.is(s.protocol, 'tcp')
    t.regex(s.cookie, /^\d+$/)
    t.is(typeof s.uid, 'number')
  }
  for (const p of host.clients) t.true(got.has(`${V4}:${p}>${V4}:${host.port}`), `client ${p}`)
})

test('TCP over IPv6: the same, and family 4 alone lists none of them', async (t) => {
  const { ns, c, host } = await setup(t, V6, 2)
  const list = (await c.socketList({ family: 6 })).filter(mine(host.port))
  t.is(list.length, 5)
  const got = new Map(list.map((s) => [key(s), { state: s.state, inode: s.inode }]))
  t.deepEqual(got, new Map([...ssTcp(ns, ['-6'])].filter(([k]) => k.includes(`:${host.port}`))))
  t.deepEqual((await c.socketList({ family: 4 })).filter(mine(host.port)), [])
  // No family: both, and the v6 ones are all there.
  t.is((await c.socketList()).filter(mine(host.port)).length, 5)
})

test('filters select what the same ss expression selects', async (t) => {
  const { ns, c, host } = await setup(t, V4, 4)
  const P = host.port
  const [c0, c1] = [...host.clients].sort((a, b) => a - b)
  const cases = [
    [{ sport: P }, [`sport = :${P}`]],
    [{ dport: P }, [`dport = :${P}`]],
    [{ sport: { min: c0, max: c1 } }, [`( sport >= :${c0} and sport <= :${c1} )`]],
    [{ sport: { min: c1 } }, [`sport >= :${c1}`]],
    [{ states: 'listen', sport: P }, ['state', 'listening', `sport = :${P}`], 'listen'],
    [{ states: ['established'], dport: P }, ['state', 'established', `dport = :${P}`], 'established'],
    [{ dst: `${V4}/32`, dport: P }, [`dst ${V4}/32 and dport = :${P}`]],
    [{ src: ['10.181.0.0/24', '10.181.1.0/24'], sport: P }, [`( src 10.181.0.0/24 or src 10.181.1.0/24 ) and sport = :${P}`]],
    [{ src: '10.181.1.0/24' }, ['src 10.181.1.0/24']],
  ]
  for (const [filter, expr, state] of cases) {
    const got = (await c.socketList(filter)).map(key).sort()
    const want = [...ssTcp(ns, expr, state).keys()].sort()
    t.deepEqual(got, want, JSON.stringify(filter))
  }
  t.is((await c.socketList({ sport: P })).length, 1 + host.clients.length)
})

test('the filter goes to the kernel as INET_DIAG_REQ_BYTECODE (strace of a listing)', async (t) => {
  if (!hasCommand('strace')) return t.pass('strace missing: skipped')
  const { ns, host } = await setup(t, V4, 1)
  const code = `import('${new URL('../index.js', import.meta.url).href}').then((nl) => nl.socketList({ family: 4, sport: ${host.port} }))`
  const r = spawnSync(
    'ip',
    ['netns', 'exec', ns, 'strace', '-f', '-qq', '-e', 'trace=sendto', '-xx', '-s', '4096', process.execPath, '-e', code],
    { encoding: 'utf8' },
  )
  t.is(r.status, 0, r.stderr.slice(-2000))
  const err = r.stderr
  // strace's own decoding of the request: the attribute and the S_COND op with our port (as ss sends it).
  const req = err.split('\n').filter((l) => l.includes('nlmsg_type=SOCK_DIAG_BY_FAMILY'))
  t.is(req.length, 1, err.slice(0, 2000))
  t.true(req[0].includes('nla_type=INET_DIAG_REQ_BYTECODE'), req[0])
  t.regex(req[0], new RegExp(`code=INET_DIAG_BC_S_COND, yes=16, no=20}, {family=AF_UNSPEC, prefix_len=0, port=${host.port},`))
})

test('extensions agree with ss -tnmi: congestion, cwnd, mss, window scales, socket memory; tos and cgroup', async (t) => {
  const { ns, c, host } = await setup(t, V4, 1)
  const [s] = await c.socketList({ sport: host.clients[0], ext: ['info', 'meminfo', 'congestion', 'tos', 'cgroup'] })
  t.is(s.state, 'established')
  const lines = ssIn(ns, ['-tnmi', `sport = :${host.clients[0]}`]).join(' ')
  t.is(s.congestion, /\s(\w+)\s+wscale:/.exec(lines)?.[1])
  t.is(s.info.sndCwnd, Number(/cwnd:(\d+)/.exec(lines)[1]))
  t.is(s.info.sndMss, Number(/ mss:(\d+)/.exec(lines)[1]))
  t.is(s.info.advmss, Number(/advmss:(\d+)/.exec(lines)[1]))
  t.is(`${s.info.sndWscale},${s.info.rcvWscale}`, /wscale:(\d+,\d+)/.exec(lines)[1])
  t.true(s.info.rtt > 0)
  t.is(s.info.state, STATE_NUMBERS.established)
  const skmem = /skmem:\(r(\d+),rb(\d+),t(\d+),tb(\d+)/.exec(lines)
  t.is(s.meminfo.rcvbuf, Number(skmem[2]))
  t.is(s.meminfo.sndbuf, Number(skmem[4]))
  t.is(s.tos, 0)
  t.is(typeof s.cgroupId, 'number')
  // Without ext: none of them.
  const [plain] = await c.socketList({ sport: host.clients[0] })
  for (const k of ['info', 'meminfo', 'congestion', 'tos', 'cgroupId']) t.false(k in plain, k)
})

test('UDP and unix sockets equal ss -uan and ss -xan', async (t) => {
  const { ns, c, host } = await setup(t, V4, 0)
  const udp = await c.socketList({ protocol: 'udp', family: 4 })
  const u = udp.find((s) => s.sport === host.udpPort)
  t.like(u, { protocol: 'udp', state: 'close', src: V4, dport: 0 })
  t.true(ssIn(ns, ['-uan', `sport = :${host.udpPort}`]).some((l) => l.startsWith('UNCONN')))
  const unix = await c.socketList({ family: 'unix' })
  const path = `/tmp/${ns}-${process.pid}.sock`
  const l = unix.find((s) => s.path === path)
  t.like(l, { family: 'unix', type: 'stream', state: 'listen' })
  const ss = ssIn(ns, ['-xan']).find((x) => x.includes(path))
  t.is(l.inode, Number(ss.trim().split(/\s+/)[5]))
  t.deepEqual(
    (await c.socketList({ family: 'unix', states: 'established' })).filter((s) => s.path === path),
    [],
  )
})

test('socketDestroy aborts the client (ECONNABORTED), as ss -K; then ss lists it no more', async (t) => {
  const { ns, c, host } = await setup(t, V4, 2)
  const [a, b] = host.clients
  const killed = await c.socketDestroy({ sport: a, dport: host.port })
  t.deepEqual(
    killed.map((s) => s.sport),
    [a],
  )
  t.is((await host.waitEvent((e) => e.event === 'error' && e.sport === a)).code, 'ECONNABORTED')
  t.deepEqual(ssIn(ns, ['-tan', `sport = :${a}`]), [])
  // A socket as a listing gave it.
  const [sb] = await c.socketList({ sport: b })
  t.is((await c.socketDestroy(sb)).length, 1)
  t.is((await host.waitEvent((e) => e.event === 'error' && e.sport === b)).code, 'ECONNABORTED')
  // Gone already: nothing destroyed, no error.
  t.deepEqual(await c.socketDestroy(sb), [])
  // The listener and the server sides of other connections are untouched.
  t.is((await c.socketList({ sport: host.port, states: 'listen' })).length, 1)
})

test('bad input is a TypeError/RangeError naming the field, before anything is sent', async (t) => {
  const { ns, c, host } = await setup(t, V4, 1)
  const before = ssIn(ns, ['-tan'])
  const [sock] = await c.socketList({ sport: host.clients[0] })
  const bad = [
    [() => c.socketList({ sport: 70000 }), RangeError, /sport/],
    [() => c.socketList({ dport: -1 }), RangeError, /dport/],
    [() => c.socketList({ sport: 1.5 }), TypeError, /sport/],
    [() => c.socketList({ dport: { min: 10, max: 5 } }), RangeError, /dport/],
    [() => c.socketList({ dport: { low: 1 } }), RangeError, /low/],
    [() => c.socketList({ states: ['bogus'] }), RangeError, /states/],
    [() => c.socketList({ protocol: 'sctp' }), RangeError, /protocol/],
    [() => c.socketList({ family: 5 }), RangeError, /family/],
    [() => c.socketList({ src: '10.181.0.1/40' }), RangeError, /src/],
    [() => c.socketList({ dst: 42 }), TypeError, /dst/],
    [() => c.socketList({ ext: ['bogus'] }), RangeError, /ext/],
    [() => c.socketList({ ext: 'info' }), TypeError, /ext/],
    [() => c.socketList({ colour: 1 }), RangeError, /colour/],
    [() => c.socketList({ family: 'unix', sport: 1 }), RangeError, /sport/],
    [() => c.socketList('tcp'), TypeError, /filter/],
    [() => c.socketDestroy({}), RangeError, /filter/],
    [() => c.socketDestroy({ protocol: 'tcp' }), RangeError, /filter/],
    [() => c.socketDestroy({ family: 'unix', states: 'listen' }), RangeError, /unix/],
    [() => c.socketDestroy({ ...sock, cookie: 'x' }), TypeError, /cookie/],
    [() => c.socketDestroy({ ...sock, src: V6 }), TypeError, /src/],
    [() => c.socketDestroy({ ...sock, dport: 65536 }), RangeError, /dport/],
    [() => c.socketDestroy({ sport: 99999 }), RangeError, /sport/],
    [() => c.socketList({ sport: 1 }, { timout: 5 }), RangeError, /timout/],
  ]
  for (const [fn, cls, re] of bad) {
    const e = await rejectsWith(t, fn, cls, fn.toString())
    t.regex(e?.message ?? '', re, fn.toString())
  }
  t.deepEqual(ssIn(ns, ['-tan']), before)
})

test('netlink and packet sockets equal ss -A netlink and ss -0', async (t) => {
  const { ns, c } = await setup(t, V4, 0)
  // A packet socket on the namespace's lo, owned by a child living there (node has no AF_PACKET).
  const py =
    'import socket, sys\ns = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))\ns.bind(("lo", 0))\nprint("ok", flush=True)\nsys.stdin.read()'
  const child = spawn('ip', ['netns', 'exec', ns, 'python3', '-c', py], { stdio: ['pipe', 'pipe', 'inherit'] })
  t.teardown(() => child.kill('SIGKILL'))
  await new Promise((resolve) => child.stdout.once('data', resolve))
  const nlSocks = await c.socketList({ family: 'netlink' })
  // ss prints PROTOCOL:PORTID for each; ours include this very sock_diag socket (protocol 4).
  const ssNl = ssIn(ns, ['-A', 'netlink', '-an']).map((l) => {
    const [proto, port] = l.trim().split(/\s+/)[3].split(':')
    return `${proto}:${Number(port) >>> 0}` // ss prints the port id signed
  })
  const ours = nlSocks.map((s) => `${s.protocol}:${s.portid}`)
  t.deepEqual(ours.filter((k) => !k.startsWith('4:')).sort(), ssNl.filter((k) => !k.startsWith('4:')).sort())
  t.true(nlSocks.some((s) => s.protocol === 4 && s.portid !== 0 && s.inode > 0))
  const pk = await c.socketList({ family: 'packet', ext: ['meminfo'] })
  t.is(pk.length, 1)
  const ssPk = ssIn(ns, ['-0', '-ane']).join(' ')
  t.like(pk[0], { family: 'packet', type: 'raw', protocol: 3, iface: 1, version: 0 })
  t.is(pk[0].inode, Number(/ino:(\d+)/.exec(ssPk)[1]))
  t.is(typeof pk[0].meminfo.rcvbuf, 'number')
  await rejectsWith(t, () => c.socketList({ family: 'netlink', states: 'listen' }), RangeError, 'states')
  await rejectsWith(t, () => c.socketDestroy({ family: 'packet', states: 'listen' }), RangeError, 'packet destroy')
})

test('state names: the TypeScript list equals the core table', (t) => {
  t.deepEqual(Object.keys(SOCKET_STATE_NAMES).sort(), Object.keys(STATE_NUMBERS).sort())
  t.is(typeof nl.socketList, 'function')
  t.is(typeof nl.socketDestroy, 'function')
})
