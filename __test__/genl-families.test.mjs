// The typed generic families beside ethtool, each in a namespace of its own, against their
// second opinions: TCP metrics (`ip -j tcp_metrics`, entries made by real TCP connections over
// addresses of this file's range on lo), the MPTCP path manager (`ip -j mptcp endpoint`, `ip
// mptcp limits`), netdev (/sys/class/net/DEV/queues, NAPI kernel threads in /proc, every link of
// `ip -j link`) and taskstats (/proc/PID/{stat,status,io} of a sleeping child). Bad arguments
// reject before anything is sent and change nothing.

import test from 'ava'
import { execFileSync, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import * as nl from '../index.js'
import { rejectsCode } from './support/assert.mjs'
import { namer, nsNamer } from './support/names.mjs'
import { nsConn } from './support/netns.mjs'
import { owned } from './support/registry.mjs'
import { waitFor } from './support/wait.mjs'

const own = owned('genl-families')
const ns = nsNamer(own.netns[0])
const name = namer(own.prefix)

const run = (NS, cmd, ...args) => execFileSync('ip', ['netns', 'exec', NS, cmd, ...args], { encoding: 'utf8' })
const ipj = (NS, ...args) => JSON.parse(run(NS, 'ip', '-j', ...args) || '[]')

// ---- TCP metrics -------------------------------------------------------------------------------

/** TCP connections from each `[src, dst]` pair, run to completion by a child in the namespace. */
function connect(NS, pairs) {
  const script = `
    const net = require('node:net')
    const pairs = ${JSON.stringify(pairs)}
    let left = pairs.length
    for (const [src, dst] of pairs) {
      const srv = net.createServer((s) => { s.resume(); s.on('end', () => { s.end(); srv.close() }) })
      srv.listen(5001, dst, () => {
        const c = net.connect({ host: dst, port: 5001, localAddress: src }, () => c.end(Buffer.alloc(200000)))
        c.resume()
        c.on('close', () => { if (--left === 0) process.exit(0) })
      })
    }`
  run(NS, process.execPath, '-e', script)
}

test('tcp metrics of real connections match ip -j tcp_metrics; get, delete and flush by family change them as ip shows', async (t) => {
  const NS = ns()
  const c = await nsConn(t, NS)
  run(NS, 'ip', 'link', 'set', 'lo', 'up')
  for (const a of ['10.183.0.1/32', '10.183.0.2/32', '10.183.0.3/32']) run(NS, 'ip', 'addr', 'add', a, 'dev', 'lo')
  for (const a of ['2001:db8:183::1/128', '2001:db8:183::2/128']) run(NS, 'ip', 'addr', 'add', a, 'dev', 'lo', 'nodad')
  connect(NS, [
    ['10.183.0.2', '10.183.0.1'],
    ['10.183.0.2', '10.183.0.3'],
    ['2001:db8:183::2', '2001:db8:183::1'],
  ])
  // Both sides remember each other: an entry per destination and source.
  const oracle = () => ipj(NS, '-4', 'tcp_metrics').concat(ipj(NS, '-6', 'tcp_metrics'))
  const keys = (l) => l.map((e) => `${e.dst} ${e.source}`).sort()
  await waitFor(() => oracle().length >= 6, { what: 'six tcp_metrics entries' })
  const mine = await c.tcpMetricsList()
  const theirs = oracle()
  t.deepEqual(keys(mine), keys(theirs))
  for (const e of theirs) {
    const m = mine.find((x) => x.dst === e.dst && x.source === e.source)
    t.truthy(m, `entry for ${e.dst}`)
    t.is(m.source, e.source)
    t.is(m.cwnd, e.cwnd)
    t.is(m.ssthresh, e.ssthresh)
    t.is(m.rtt, Math.round(e.rtt * 1e6), `${e.dst} rtt in µs`)
    t.is(m.rttvar, Math.round(e.rttvar * 1e6))
    t.true(m.age >= 0 && m.age <= Math.ceil(e.age * 1000) + 60_000)
  }
  const one = await c.tcpMetricsGet('10.183.0.1')
  t.is(one.dst, '10.183.0.1')
  t.is(one.source, '10.183.0.2')
  t.is(one.cwnd, mine.find((x) => x.dst === '10.183.0.1').cwnd)
  t.is((await c.tcpMetricsGet('2001:db8:183::1', { source: '2001:db8:183::2' })).dst, '2001:db8:183::1')
  await rejectsCode(t, c.tcpMetricsGet('10.183.9.9'), 'ESRCH')

  await c.tcpMetricsDel('10.183.0.3')
  await c.tcpMetricsDel('10.183.0.2', { source: '10.183.0.3' })
  t.deepEqual(keys(ipj(NS, '-4', 'tcp_metrics')), ['10.183.0.1 10.183.0.2', '10.183.0.2 10.183.0.1'])
  await c.tcpMetricsFlush({ family: 6 })
  t.deepEqual(ipj(NS, '-6', 'tcp_metrics'), [])
  t.is(ipj(NS, '-4', 'tcp_metrics').length, 2, 'the IPv4 entries stay')
  await c.tcpMetricsFlush()
  t.deepEqual(oracle(), [])
})

test('bad tcp metrics arguments reject before anything is sent', async (t) => {
  const NS = ns()
  const c = await nsConn(t, NS)
  await t.throwsAsync(c.tcpMetricsGet('nope'), { instanceOf: TypeError, message: /dst/ })
  await t.throwsAsync(c.tcpMetricsDel('10.183.0.1', { source: '2001:db8:183::1' }), { instanceOf: TypeError, message: /source/ })
  await t.throwsAsync(c.tcpMetricsDel('10.183.0.1', { sauce: '10.183.0.2' }), { instanceOf: RangeError, message: /sauce/ })
  await t.throwsAsync(c.tcpMetricsFlush({ family: 5 }), { instanceOf: RangeError, message: /family/ })
  t.deepEqual(await c.tcpMetricsList(), [])
})

// ---- MPTCP -------------------------------------------------------------------------------------

/** `ip -j mptcp endpoint show`, as nlkit names it. */
function endpoints(NS) {
  return ipj(NS, 'mptcp', 'endpoint', 'show').map((e) => ({
    id: e.id,
    address: e.address,
    ...(e.port ? { port: e.port } : {}),
    flags: ['signal', 'subflow', 'backup', 'fullmesh', 'implicit', 'laminar'].filter((f) => e[f]),
    ...(e.dev ? { dev: e.dev } : {}),
  }))
}

test('mptcp endpoints added, changed and deleted by nlkit are what ip -j mptcp endpoint shows; limits as ip mptcp limits shows', async (t) => {
  const NS = ns()
  const c = await nsConn(t, NS)
  const DEV = name()
  run(NS, 'ip', 'link', 'add', DEV, 'type', 'veth', 'peer', name())
  await c.mptcpEndpointAdd({ address: '10.183.1.1', id: 5, flags: ['signal'], dev: DEV })
  await c.mptcpEndpointAdd({ address: '2001:db8:183:1::1', id: 7, flags: ['subflow', 'fullmesh'] })
  await c.mptcpEndpointAdd({ address: '10.183.1.2', port: 1000, flags: ['signal'] })
  run(NS, 'ip', 'mptcp', 'endpoint', 'add', '10.183.1.3', 'id', '9', 'subflow', 'backup')
  const devIndex = (await c.linkGet(DEV)).index
  const theirs = endpoints(NS)
  const mine = await c.mptcpEndpointList()
  t.is(mine.length, 4)
  t.deepEqual(
    mine.map(({ ifindex, ...e }) => ({ ...e, ...(ifindex ? { dev: ifindex === devIndex ? DEV : ifindex } : {}) })),
    theirs,
  )
  t.deepEqual(
    await c.mptcpEndpointGet(9),
    mine.find((e) => e.id === 9),
  )

  await c.mptcpEndpointChange(7, ['backup'])
  t.deepEqual(endpoints(NS).find((e) => e.id === 7).flags, ['subflow', 'backup'])
  await c.mptcpEndpointDel(5)
  await c.mptcpEndpointDel(9, { address: '10.183.1.3' })
  t.deepEqual(
    endpoints(NS)
      .map((e) => e.id)
      .sort(),
    [7, mine.find((e) => e.port === 1000).id].sort(),
  )
  await c.mptcpEndpointFlush()
  t.deepEqual(endpoints(NS), [])
  await rejectsCode(t, c.mptcpEndpointGet(5), 'EINVAL')

  await c.mptcpLimitsSet({ addAddrAccepted: 4, subflows: 3 })
  t.regex(run(NS, 'ip', 'mptcp', 'limits', 'show'), /add_addr_accepted 4 subflows 3/)
  run(NS, 'ip', 'mptcp', 'limits', 'set', 'subflows', '1')
  t.deepEqual(await c.mptcpLimitsGet(), { addAddrAccepted: 4, subflows: 1 })
})

test('bad mptcp arguments reject before anything is sent and change nothing', async (t) => {
  const NS = ns()
  const c = await nsConn(t, NS)
  const bad = [
    [() => c.mptcpEndpointAdd({ address: '10.183.2.1', port: 80, flags: ['subflow'] }), RangeError, /signal/],
    [() => c.mptcpEndpointAdd({ address: '10.183.2.1', flags: ['sideways'] }), RangeError, /sideways/],
    [() => c.mptcpEndpointAdd({ address: '10.183.2.1', id: 256 }), RangeError, /spec\.id/],
    [() => c.mptcpEndpointAdd({ address: '10.183.2.1', port: 70000, flags: ['signal'] }), RangeError, /spec\.port/],
    [() => c.mptcpEndpointAdd({ address: 'x' }), TypeError, /spec\.address/],
    [() => c.mptcpEndpointAdd({ address: '10.183.2.1', colour: 1 }), RangeError, /colour/],
    [() => c.mptcpEndpointDel(0), RangeError, /address/],
    [() => c.mptcpLimitsSet({}), TypeError, /limits/],
    [() => c.mptcpLimitsSet({ subflows: -1 }), RangeError, /subflows/],
  ]
  for (const [f, type, message] of bad) await t.throwsAsync(f(), { instanceOf: type, message })
  t.deepEqual(endpoints(NS), [])
  t.regex(run(NS, 'ip', 'mptcp', 'limits', 'show'), /add_addr_accepted 0 subflows 2/)
})

// ---- netdev ------------------------------------------------------------------------------------

test('netdev queues are the ones in /sys/class/net; NAPI instances and their threads are the kernel threads in /proc', async (t) => {
  const NS = ns()
  const c = await nsConn(t, NS)
  const [A, B] = [name(), name()]
  run(NS, 'ip', 'link', 'add', A, 'numtxqueues', '2', 'numrxqueues', '3', 'type', 'veth', 'peer', B, 'numtxqueues', '2', 'numrxqueues', '3')
  run(NS, 'ip', 'link', 'set', A, 'up')
  run(NS, 'ip', 'link', 'set', B, 'up')
  const a = await c.linkGet(A)

  const sysQueues = run(NS, 'ls', `/sys/class/net/${A}/queues`).split(/\s+/).filter(Boolean).sort()
  const queues = await c.netdevQueueList({ dev: A })
  t.deepEqual(queues.map((q) => `${q.type}-${q.id}`).sort(), sysQueues)
  t.true(queues.every((q) => q.ifindex === a.index))

  const devs = await c.netdevDevList()
  t.deepEqual(
    devs.map((d) => d.ifindex).sort(),
    ipj(NS, 'link')
      .map((l) => l.ifindex)
      .sort(),
  )
  const before = await c.netdevDevGet(A)
  t.is(before.ifindex, a.index)
  t.true(before.xdpFeatures.includes('basic'))
  t.deepEqual(await c.netdevNapiList({ dev: A }), [], 'no NAPI before GRO is on')

  // GRO on a veth gives it one NAPI instance per receive queue, and makes the peer able to
  // transmit XDP frames to it (ndo-xmit); threaded NAPI gives each its own kernel thread.
  run(NS, 'ethtool', '-K', A, 'gro', 'on')
  run(NS, 'ethtool', '-K', B, 'gro', 'on')
  t.true((await c.netdevDevGet(A)).xdpFeatures.includes('ndo-xmit'))
  const napis = await c.netdevNapiList({ dev: A })
  t.is(napis.length, 3)
  t.true(napis.every((n) => n.ifindex === a.index && n.threaded === 'disabled' && n.pid === undefined))
  run(NS, 'sh', '-c', `echo 1 > /sys/class/net/${A}/threaded`)
  const threaded = await c.netdevNapiList({ dev: A })
  for (const n of threaded) {
    t.is(n.threaded, 'enabled')
    t.is(readFileSync(`/proc/${n.pid}/comm`, 'utf8').trim(), `napi/${A}-${n.id}`)
  }
  await t.throwsAsync(c.netdevDevGet({ dev: A }), { instanceOf: TypeError, message: /dev/ })
  await t.throwsAsync(c.netdevQueueList({ device: A }), { instanceOf: RangeError, message: /device/ })
  await rejectsCode(t, c.netdevQueueList({ dev: name() }), 'ENODEV')
})

// ---- taskstats ---------------------------------------------------------------------------------

/** A child that sleeps, so its counters stay still while they are compared. */
async function sleeper(t) {
  const p = spawn('sleep', ['1000'], { stdio: 'ignore' })
  t.teardown(() => p.kill())
  await waitFor(
    () => {
      try {
        return readFileSync(`/proc/${p.pid}/comm`, 'utf8').trim() === 'sleep' && / S /.test(readFileSync(`/proc/${p.pid}/stat`, 'utf8'))
      } catch {
        return false
      }
    },
    { what: 'sleep started' },
  )
  return p.pid
}

function proc(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ') // fields from 3 (state) on
  const status = Object.fromEntries(
    readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .map((l) => l.split(/:\s+/)),
  )
  const io = Object.fromEntries(
    readFileSync(`/proc/${pid}/io`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(': ').map((x, i) => (i ? Number(x) : x))),
  )
  return { f, status, io }
}

test('taskstats of a sleeping child by pid and by tgid match /proc/PID/stat, status and io', async (t) => {
  const pid = await sleeper(t)
  const { f, status, io } = proc(pid)
  const tick = 1e6 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }))
  const s = await nl.taskstatsGet({ pid })
  {
    t.is(s.comm, 'sleep')
    t.is(s.pid, pid)
    t.is(s.ppid, process.pid)
    t.is(s.uid, Number(status.Uid.split('\t')[0]))
    t.is(s.gid, Number(status.Gid.split('\t')[0]))
    t.is(s.minflt, Number(f[7]))
    t.is(s.majflt, Number(f[9]))
    t.is(s.nvcsw, Number(status.voluntary_ctxt_switches))
    t.is(s.nivcsw, Number(status.nonvoluntary_ctxt_switches))
    // The kernel rounds the I/O counters down to KiB for taskstats (xacct_add_tsk's KB_MASK).
    const kb = (n) => n - (n % 1024)
    t.is(s.readChar, kb(io.rchar))
    t.is(s.writeChar, kb(io.wchar))
    t.is(s.readSyscalls, kb(io.syscr))
    t.is(s.writeSyscalls, kb(io.syscw))
    t.is(s.readBytes, kb(io.read_bytes))
    t.is(s.writeBytes, kb(io.write_bytes))
    // /proc shows CPU time in clock ticks, taskstats in µs.
    t.true(Math.abs(s.utime / tick - Number(f[11])) <= 1, `utime ${s.utime} µs vs ${f[11]} ticks`)
    t.true(Math.abs(s.stime / tick - Number(f[12])) <= 1, `stime ${s.stime} µs vs ${f[12]} ticks`)
    // Each recorded delay is one of the waits summed into the total; the mean need not lie between
    // min and max (min skips zero waits, and a wait ended by dequeue is summed but not counted).
    if (s.version >= 15 && s.cpuCount > 0) {
      t.true(s.cpuDelayMax <= s.cpuDelayTotal, `max ${s.cpuDelayMax} vs total ${s.cpuDelayTotal}`)
      if (s.cpuDelayMin > 0) t.true(s.cpuDelayMin <= s.cpuDelayMax, `min ${s.cpuDelayMin} vs max ${s.cpuDelayMax}`)
    }
  }
  // The process (one thread): the kernel sums times, delays and switches, nothing else.
  const p = await nl.taskstatsGet({ tgid: pid })
  t.is(p.tgid, pid)
  t.is(p.comm, undefined)
  for (const k of ['utime', 'stime', 'nvcsw', 'nivcsw', 'cpuCount', 'cpuDelayTotal', 'blkioCount']) t.is(p[k], s[k], k)
  t.is((await nl.taskstatsGet({ tgid: process.pid })).tgid, process.pid)
})

test('taskstats: an unknown pid is ESRCH; bad task arguments reject before anything is sent', async (t) => {
  const p = spawn('true')
  await new Promise((r) => p.on('exit', r))
  await rejectsCode(t, nl.taskstatsGet({ pid: p.pid }), 'ESRCH')
  const bad = [
    [{ pid: 0 }, RangeError, /task\.pid/],
    [{ pid: 1.5 }, TypeError, /task\.pid/],
    [{ pid: 1, tgid: 1 }, TypeError, /task/],
    [{}, TypeError, /task/],
    [{ process: 1 }, RangeError, /process/],
    [undefined, TypeError, /task/],
  ]
  for (const [task, type, message] of bad) await t.throwsAsync(nl.taskstatsGet(task), { instanceOf: type, message })
})
