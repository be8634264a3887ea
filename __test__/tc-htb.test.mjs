// htb (qdisc and classes) and tbf against tc: created, listed, changed, replaced and deleted,
// compared field by field with `tc -s -j` (qdiscs) and `tc -s -d class show` (tc 6.1 prints
// classes as text even with -j: read here, and our numbers printed the way tc prints them);
// refusals before anything is sent (tc unchanged); listed options fed back. And the effect: a
// rate limit on a veth pair between two namespaces, measured with a bounded TCP transfer. Serial:
// the transfers must not share the machine's two cores with the other tests of this file.

import { execFileSync, spawn } from 'node:child_process'
import test from 'ava'
import * as nl from '../index.js'
import { namer, nsNamer } from './support/names.mjs'
import { nsConn } from './support/netns.mjs'
import { owned } from './support/registry.mjs'
import { tc, tcDo, tcStats } from './support/tc.mjs'
import { veth } from './support/veth.mjs'

const own = owned('tc-htb')
const name = namer(own.prefix)
const nsName = nsNamer(own.netns[0])

/** tc's print_rate: bits per second with K/M/G/T when exact (or below 1000 of the unit). */
function tcRate(bits) {
  let r = BigInt(bits)
  const units = ['', 'K', 'M', 'G', 'T']
  let i = 0
  for (; i < units.length - 1; i++) {
    if (r < 1000n || (r % 1000n !== 0n && r < 1000000n)) break
    r /= 1000n
  }
  return `${r}${units[i]}bit`
}

/** tc's sprint_size: Mb or Kb when close to a whole number of them, else bytes. */
function tcSize(sz) {
  const M = 1024 * 1024
  if (sz >= M && Math.abs(M * Math.round(sz / M) - sz) < 1024) return `${Math.round(sz / M)}Mb`
  if (sz >= 1024 && Math.abs(1024 * Math.round(sz / 1024) - sz) < 16) return `${Math.round(sz / 1024)}Kb`
  return `${sz}b`
}

/** `tc -s -d class show dev DEV`, each htb class's fields as tc prints them. */
function tcHtbClasses(dev) {
  const text = execFileSync('tc', ['-s', '-d', 'class', 'show', 'dev', dev], { encoding: 'utf8' })
  const out = []
  for (const line of text.split('\n')) {
    const head = line.match(/^class htb (\S+) (?:root|parent (\S+)) (.*)$/)
    if (head) {
      const f = (re) => head[3].match(re)?.[1]
      out.push({
        handle: head[1],
        parent: head[2] ?? 'root',
        prio: f(/\bprio (\d+)/),
        quantum: f(/\bquantum (\d+)/),
        rate: f(/\brate (\S+)/),
        ceil: f(/\bceil (\S+)/),
        overhead: f(/\boverhead (\d+)/) ?? '0',
        linklayer: f(/\blinklayer (\S+)/),
        burst: f(/\bburst ([^/ ]+)/),
        cburst: f(/\bcburst ([^/ ]+)/),
        mpu: f(/\bmpu (\S+)/),
        stats: {},
        xstats: {},
      })
      continue
    }
    const c = out.at(-1)
    const sent = line.match(/^ Sent (\d+) bytes (\d+) pkt \(dropped (\d+), overlimits (\d+) requeues (\d+)\)/)
    if (c && sent) Object.assign(c.stats, { bytes: +sent[1], packets: +sent[2], drops: +sent[3], overlimits: +sent[4], requeues: +sent[5] })
    const backlog = line.match(/^ backlog (\d+)b (\d+)p/)
    if (c && backlog) Object.assign(c.stats, { backlog: +backlog[1], qlen: +backlog[2] })
    const lend = line.match(/^ lended: (\d+) borrowed: (\d+) giants: (\d+)/)
    if (c && lend) Object.assign(c.xstats, { lended: +lend[1], borrowed: +lend[2], giants: +lend[3] })
    const tok = line.match(/^ tokens: (-?\d+) ctokens: (-?\d+)/)
    if (c && tok) Object.assign(c.xstats, { tokens: +tok[1], ctokens: +tok[2] })
  }
  return out
}

/** nlkit's htb classes in the shape of tcHtbClasses (our numbers printed as tc prints them). */
async function ourHtbClasses(dev, conn = nl) {
  return (await conn.classList({ dev }))
    .filter((c) => c.kind === 'htb')
    .map((c) => ({
      handle: c.handle,
      parent: /^[0-9a-f]+:$/.test(c.parent) ? 'root' : c.parent,
      prio: String(c.options.prio),
      quantum: String(c.options.quantum),
      rate: tcRate(c.options.rate),
      ceil: tcRate(c.options.ceil),
      overhead: String(c.options.overhead ?? 0),
      linklayer: c.options.linklayer ?? 'ethernet',
      burst: tcSize(c.options.burst),
      cburst: tcSize(c.options.cburst),
      mpu: tcSize(c.options.mpu ?? 0),
      stats: (({ rate, pps, ...counters }) => counters)(c.stats),
      xstats: c.xstats,
    }))
}

async function sameClasses(t, dev, msg) {
  const ours = await ourHtbClasses(dev)
  // tc prints prio and quantum of leaves only (level 0): an inner class is a parent of another.
  for (const c of ours) {
    if (ours.some((x) => x.parent === c.handle)) Object.assign(c, { prio: undefined, quantum: undefined })
  }
  t.deepEqual(ours, tcHtbClasses(dev), msg)
  return (await nl.classList({ dev })).filter((c) => c.kind === 'htb')
}

/** nlkit's qdiscs and tc's, htb's and tbf's options in nlkit's names (`tc -j -r` shows tbf's limit). */
async function sameQdiscs(t, dev, msg) {
  const ours = (await nl.qdiscList({ dev })).map((q) => ({ kind: q.kind, handle: q.handle, options: q.options, stats: q.stats }))
  const raw = tc(['-r', 'qdisc', 'show', 'dev', dev])
  const theirs = raw.map((q) => {
    const o = q.options ?? {}
    let options = o
    if (q.kind === 'htb') {
      options = { default: o.default, r2q: o.r2q, directQlen: o.direct_qlen }
      if (o.offload) options.offload = true
    }
    if (q.kind === 'tbf') {
      options = { rate: o.rate * 8, burst: o.burst, limit: o.limit }
      const text = execFileSync('tc', ['qdisc', 'show', 'dev', dev], { encoding: 'utf8' })
      const peak = text.match(/peakrate (\S+)/)?.[1]
      if (peak) Object.assign(options, { peakrate: peak, mtu: o.minburst })
      if (o.overhead) options.overhead = o.overhead
      if (o.linklayer && o.linklayer !== 'ethernet') options.linklayer = o.linklayer
    }
    return { kind: q.kind, handle: q.handle, options, stats: tcStats(q) }
  })
  for (const q of ours) if (q.options.peakrate !== undefined) q.options.peakrate = tcRate(q.options.peakrate)
  t.deepEqual(ours, theirs, msg)
  return ours
}

test.serial('htb qdisc: add, list, change (refused by this kernel as by tc), replace, listed options fed back, delete', async (t) => {
  const { a } = await veth(t, name(), name(), { noLinkLocal: true })
  await nl.qdiscAdd({ dev: a, parent: 'root', handle: '1:', kind: 'htb', default: '10', r2q: 5, directQlen: 100 })
  let [q] = await sameQdiscs(t, a, 'after add')
  t.deepEqual(q.options, { default: '0x10', r2q: 5, directQlen: 100 })
  // The kernel's htb has no qdisc change here: nlkit is refused exactly as tc is.
  const tcChange = (() => {
    try {
      tcDo(['qdisc', 'change', 'dev', a, 'root', 'handle', '1:', 'htb', 'default', '20'])
      return 'ok'
    } catch (e) {
      return e.message
    }
  })()
  const change = nl.qdiscChange({ dev: a, parent: 'root', handle: '1:', kind: 'htb', default: 0x20, r2q: 7 })
  if (tcChange === 'ok') {
    await change
    ;[q] = await sameQdiscs(t, a, 'after change')
    t.is(q.options.default, '0x20')
  } else {
    const e = await t.throwsAsync(change, { instanceOf: nl.NetlinkError })
    t.regex(e.message, /Change operation not supported/)
    t.regex(tcChange, /Change operation not supported/)
    await sameQdiscs(t, a, 'unchanged after a refused change')
  }
  await nl.qdiscReplace({ dev: a, parent: 'root', handle: '2:', kind: 'htb', default: 0x1a })
  ;[q] = await sameQdiscs(t, a, 'after replace')
  t.like(q, { handle: '2:', options: { default: '0x1a', r2q: 10, directQlen: 1000 } })
  const [listed] = await nl.qdiscList({ dev: a })
  await nl.qdiscReplace({ dev: a, parent: 'root', handle: '3:', kind: 'htb', ...listed.options })
  ;[q] = await sameQdiscs(t, a, 'after a replace with the listed options')
  t.deepEqual(q.options, listed.options)
  // offload: veth cannot; the kernel refuses and nothing changes.
  const before = tc(['qdisc', 'show', 'dev', a])
  await t.throwsAsync(nl.qdiscReplace({ dev: a, parent: 'root', handle: '4:', kind: 'htb', offload: true }), {
    instanceOf: nl.NetlinkError,
  })
  t.deepEqual(tc(['qdisc', 'show', 'dev', a]), before, 'unchanged after offload was refused')
  await nl.qdiscDel({ dev: a, parent: 'root', kind: 'htb' })
  t.false(tc(['qdisc', 'show', 'dev', a]).some((x) => x.kind === 'htb'))
})

test.serial('htb classes: add, list with xstats, change, replace, listed options fed back, delete, field by field with tc', async (t) => {
  const { a } = await veth(t, name(), name(), { noLinkLocal: true })
  await nl.qdiscAdd({ dev: a, parent: 'root', handle: '1:', kind: 'htb', default: 10 })
  await nl.classAdd({ dev: a, parent: '1:', handle: '1:1', kind: 'htb', rate: '10mbit' })
  await nl.classAdd({
    dev: a,
    parent: '1:1',
    handle: '1:10',
    kind: 'htb',
    rate: 2_000_000,
    ceil: '8mbit',
    burst: '15k',
    cburst: 20480,
    prio: 2,
    quantum: 1500,
  })
  await nl.classAdd({
    dev: a,
    parent: '1:1',
    handle: '1:20',
    kind: 'htb',
    rate: '1mbit',
    mpu: 64,
    overhead: 4,
    linklayer: 'atm',
    mtu: 9000,
  })
  await nl.classAdd({ dev: a, parent: '1:', handle: '1:30', kind: 'htb', rate: '50gbit', ceil: 60_000_000_000n }) // a bigint travels as '60000000000n'
  let cls = await sameClasses(t, a, 'after add')
  t.is(cls.length, 4)
  const c10 = cls.find((c) => c.handle === '1:10')
  t.like(c10, { parent: '1:1', options: { rate: 2_000_000, ceil: 8_000_000, burst: 15360, cburst: 20480, prio: 2, quantum: 1500 } })
  t.like(c10.xstats, { lended: 0, borrowed: 0, giants: 0 })
  t.like(
    cls.find((c) => c.handle === '1:20'),
    { options: { mpu: 64, overhead: 4, linklayer: 'atm' } },
  )
  t.like(
    cls.find((c) => c.handle === '1:30'),
    { options: { rate: 50_000_000_000, ceil: 60_000_000_000 } },
  )
  await nl.classChange({ dev: a, parent: '1:1', handle: '1:10', kind: 'htb', rate: '4mbit', prio: 5 })
  cls = await sameClasses(t, a, 'after change')
  t.like(
    cls.find((c) => c.handle === '1:10'),
    { options: { rate: 4_000_000, ceil: 4_000_000, prio: 5, burst: 1600 } },
  )
  await nl.classReplace({ dev: a, parent: '1:1', handle: '1:10', kind: 'htb', rate: '3mbit', ceil: '9mbit', burst: '2k/8' })
  await nl.classReplace({ dev: a, parent: '1:1', handle: '1:40', kind: 'htb', rate: '1500kbit' })
  cls = await sameClasses(t, a, 'after replace')
  t.like(
    cls.find((c) => c.handle === '1:10'),
    // 2048 bytes are 85328 ticks, and back 2047 bytes (tc's tick arithmetic truncates; it prints 2Kb).
    { options: { rate: 3_000_000, ceil: 9_000_000, burst: 2047 } },
  )
  t.truthy(cls.find((c) => c.handle === '1:40'))
  // The listed options go back in as they came out (tc agrees after every step); the bursts
  // may lose a byte or two each way through ticks, as they do with tc.
  for (const c of cls) await nl.classChange({ dev: a, parent: c.parent, handle: c.handle, kind: 'htb', ...c.options })
  const again = await sameClasses(t, a, 'after changes with the listed options')
  const exact = ({ burst, cburst, ...rest }) => rest
  t.deepEqual(
    again.map((c) => exact(c.options)),
    cls.map((c) => exact(c.options)),
  )
  for (const [i, c] of again.entries()) {
    t.true(Math.abs(c.options.burst - cls[i].options.burst) <= 2 && Math.abs(c.options.cburst - cls[i].options.cburst) <= 2, c.handle)
  }
  await nl.classDel({ dev: a, handle: '1:40' })
  await nl.classDel({ dev: a, handle: '1:20', kind: 'htb' })
  t.deepEqual(
    tcHtbClasses(a)
      .map((c) => c.handle)
      .sort(),
    ['1:1', '1:10', '1:30'],
  )
  await sameClasses(t, a, 'after delete')
})

test.serial('htb and tbf: bad arguments are refused before anything is sent, and tc shows nothing changed', async (t) => {
  const { a } = await veth(t, name(), name(), { noLinkLocal: true })
  await nl.qdiscAdd({ dev: a, parent: 'root', handle: '1:', kind: 'htb' })
  await nl.classAdd({ dev: a, parent: '1:', handle: '1:1', kind: 'htb', rate: '1mbit' })
  const snapshot = () => ({ q: tc(['qdisc', 'show', 'dev', a]), c: tcHtbClasses(a) })
  const before = snapshot()
  const cls = { dev: a, parent: '1:', handle: '1:2', kind: 'htb' }
  const classRefused = [
    [cls, RangeError, /rate is required/],
    [{ ...cls, rate: '1000' }, RangeError, /rate: "1000" is not a rate/],
    [{ ...cls, rate: '1mbit', ceil: -5 }, RangeError, /ceil must not be negative/],
    [{ ...cls, rate: '1mbit', burst: '2k/3' }, RangeError, /burst: cell 3 is not a power of two/],
    [{ ...cls, rate: '1mbit', linklayer: 'wifi' }, RangeError, /linklayer must be one of ethernet, atm, adsl/],
    [{ ...cls, rate: '1mbit', mpu: 70000 }, RangeError, /mpu must be at most 65535/],
    [{ ...cls, rate: '1mbit', prio: 'high' }, RangeError, /prio must be an integer/],
    [{ ...cls, rate: '1mbit', rat: 1 }, RangeError, /unknown setting "rat"/],
    [{ dev: a, parent: '1:', kind: 'htb', rate: '1mbit' }, TypeError, /spec.handle .* is required/],
  ]
  for (const [spec, type, message] of classRefused) {
    for (const op of ['classAdd', 'classReplace', 'classChange']) {
      await t.throwsAsync(nl[op](spec), { instanceOf: type, message }, `${op} ${JSON.stringify(spec)}`)
    }
    t.deepEqual(snapshot(), before, `unchanged after ${JSON.stringify(spec)}`)
  }
  const q = { dev: a, parent: 'root', handle: '5:' }
  const qdiscRefused = [
    [{ ...q, kind: 'htb', default: 'zz' }, RangeError, /default: "zz" is not a class minor/],
    [{ ...q, kind: 'htb', r2q: -1 }, RangeError, /r2q must be between/],
    [{ ...q, kind: 'htb', offload: 1 }, RangeError, /offload must be a boolean/],
    [{ ...q, kind: 'tbf', burst: '10kb', latency: '50ms' }, RangeError, /rate is required/],
    [{ ...q, kind: 'tbf', rate: '1mbit', latency: '50ms' }, RangeError, /burst is required/],
    [{ ...q, kind: 'tbf', rate: '1mbit', burst: '10kb' }, RangeError, /limit or latency is required/],
    [{ ...q, kind: 'tbf', rate: '1mbit', burst: '10kb', limit: 1000, latency: 5 }, RangeError, /limit or latency, not both/],
    [{ ...q, kind: 'tbf', rate: '1mbit', burst: '10kb', limit: 1000, peakrate: '2mbit' }, RangeError, /peakrate needs mtu/],
    [{ ...q, kind: 'tbf', rate: '1mbit', burst: '10kb', latency: '5 fortnights' }, RangeError, /latency: "5 fortnights" is not a time/],
  ]
  for (const [spec, type, message] of qdiscRefused) {
    await t.throwsAsync(nl.qdiscReplace(spec), { instanceOf: type, message }, JSON.stringify(spec))
    t.deepEqual(snapshot(), before, `unchanged after ${JSON.stringify(spec)}`)
  }
  // The kernel's own refusal: the class id is taken.
  const e = await t.throwsAsync(nl.classAdd({ ...cls, handle: '1:1', rate: '2mbit' }), { instanceOf: nl.NetlinkError })
  t.is(e.code, 'EEXIST')
  t.deepEqual(snapshot(), before, 'unchanged after the kernel refused')
})

test.serial(
  'tbf: add, list, change, replace with a peak rate, listed options fed back, delete, field by field with tc -s -j -r',
  async (t) => {
    const { a } = await veth(t, name(), name(), { noLinkLocal: true })
    await nl.qdiscAdd({ dev: a, parent: 'root', handle: '1:', kind: 'tbf', rate: '8mbit', burst: '10kb', latency: '50ms' })
    let [q] = await sameQdiscs(t, a, 'after add')
    t.deepEqual(q.options, { rate: 8_000_000, burst: 10240, limit: 60240 })
    await nl.qdiscChange({ dev: a, parent: 'root', handle: '1:', kind: 'tbf', rate: 4_000_000, burst: 20480, limit: '30kb' })
    ;[q] = await sameQdiscs(t, a, 'after change')
    t.deepEqual(q.options, { rate: 4_000_000, burst: 20480, limit: 30720 })
    await nl.qdiscReplace({
      dev: a,
      parent: 'root',
      handle: '1:',
      kind: 'tbf',
      rate: '2mbit',
      burst: 8000,
      limit: 40000,
      peakrate: '10mbit',
      mtu: 1600,
      overhead: 8,
      linklayer: 'atm',
    })
    ;[q] = await sameQdiscs(t, a, 'after replace')
    t.like(q.options, { rate: 2_000_000, limit: 40000, peakrate: '10Mbit', overhead: 8, linklayer: 'atm' })
    // Fed back, the listed options come out again as tc shows them; with atm the kernel counts
    // the burst in cells (TCA_TBF_BURST through the atm rate table), so it grows each time, as
    // with tc.
    const [listed] = await nl.qdiscList({ dev: a })
    await nl.qdiscChange({ dev: a, parent: 'root', handle: '1:', kind: 'tbf', ...listed.options })
    ;[q] = await sameQdiscs(t, a, 'after a change with the listed options')
    t.true(q.options.burst >= listed.options.burst)
    await nl.qdiscReplace({
      dev: a,
      parent: 'root',
      handle: '1:',
      kind: 'tbf',
      rate: '2mbit',
      burst: 8000,
      limit: 40000,
      peakrate: '10mbit',
      mtu: 1600,
    })
    const [plain] = await nl.qdiscList({ dev: a })
    await nl.qdiscChange({ dev: a, parent: 'root', handle: '1:', kind: 'tbf', ...plain.options })
    await sameQdiscs(t, a, 'after a change with the listed options (ethernet)')
    const [relisted] = await nl.qdiscList({ dev: a })
    t.deepEqual(relisted.options, plain.options)
    await nl.qdiscReplace({ dev: a, parent: 'root', handle: '2:', kind: 'tbf', rate: '50gbit', burst: '1mb', latency: '10ms' })
    ;[q] = await sameQdiscs(t, a, 'after replace with a 64-bit rate')
    t.is(q.options.rate, 50_000_000_000)
    await nl.qdiscDel({ dev: a, parent: 'root' })
    t.false(tc(['qdisc', 'show', 'dev', a]).some((x) => x.kind === 'tbf'))
  },
)

// ---- the effect: a rate limit measured over TCP between two namespaces ----------------------------

const SERVER = `
const net = require('node:net')
const [host, port, skip] = [process.argv[1], +process.argv[2], +process.argv[3]]
let n = 0, n0 = 0, t0 = null
const s = net.createServer((c) => {
  c.on('data', (d) => { n += d.length; if (t0 === null && n >= skip) { t0 = process.hrtime.bigint(); n0 = n } })
  c.on('end', () => { console.log(JSON.stringify({ bytes: n, measured: n - n0, ns: Number(process.hrtime.bigint() - t0) })); s.close() })
})
s.listen(port, host, () => console.log('listening'))
`
const CLIENT = `
const net = require('node:net')
const [host, port, total] = [process.argv[1], +process.argv[2], +process.argv[3]]
const c = net.connect(port, host, () => { c.end(Buffer.alloc(total, 7)) })
c.on('error', (e) => { console.error(e.message); process.exit(1) })
`

/** Two namespaces joined by a veth pair (sender end `s` in A with 10.170.X.1, receiver `r` in B with .2), and nlkit in A. */
async function pair(t, x) {
  const [nsA, nsB] = [nsName(), nsName()]
  const conn = await nsConn(t, nsA)
  await nsConn(t, nsB)
  const [s, r] = [name(), name()]
  const ip = (...args) => execFileSync('ip', args.map(String), { stdio: ['ignore', 'pipe', 'pipe'] })
  ip('-n', nsA, 'link', 'add', 'name', s, 'type', 'veth', 'peer', 'name', r, 'netns', nsB)
  ip('-n', nsA, 'addr', 'add', `10.170.${x}.1/24`, 'dev', s)
  ip('-n', nsB, 'addr', 'add', `10.170.${x}.2/24`, 'dev', r)
  ip('-n', nsA, 'link', 'set', s, 'up')
  ip('-n', nsB, 'link', 'set', r, 'up')
  return { nsA, nsB, conn, s, dst: `10.170.${x}.2` }
}

/** Sends `total` bytes from A to B over TCP; the receiver's rate in bits/s over what followed the first `skip` bytes. */
async function transfer(t, { nsA, nsB, dst }, total, skip) {
  const port = 5201
  const server = spawn('ip', ['netns', 'exec', nsB, process.execPath, '-e', SERVER, dst, port, skip], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  t.teardown(() => server.kill('SIGKILL'))
  const lines = []
  let listening
  const ready = new Promise((resolve) => {
    listening = resolve
  })
  const done = new Promise((resolve, reject) => {
    server.stdout.setEncoding('utf8')
    server.stdout.on('data', (d) => {
      lines.push(...d.split('\n').filter(Boolean))
      if (lines.includes('listening')) listening()
      const report = lines.find((l) => l.startsWith('{'))
      if (report) resolve(JSON.parse(report))
    })
    server.on('close', (code) => reject(new Error(`server exited (${code}) before reporting`)))
  })
  await ready
  execFileSync('ip', ['netns', 'exec', nsA, process.execPath, '-e', CLIENT, dst, port, total], { stdio: 'inherit', timeout: 60_000 })
  const r = await done
  t.is(r.bytes, total, 'every byte arrived')
  return (r.measured * 8) / (r.ns / 1e9)
}

const RATE = 8_000_000
const within = (t, measured, what) => {
  t.log(`${what}: ${(measured / 1e6).toFixed(2)} Mbit/s measured for ${RATE / 1e6} Mbit/s set`)
  t.true(measured >= RATE * 0.8 && measured <= RATE * 1.2, `${what}: ${measured} bit/s is not within 20% of ${RATE}`)
}

test.serial('effect: an htb class of 8mbit on a veth between two namespaces holds a TCP transfer to 8 Mbit/s +-20%', async (t) => {
  const p = await pair(t, 1)
  await p.conn.qdiscAdd({ dev: p.s, parent: 'root', handle: '1:', kind: 'htb', default: '10' })
  await p.conn.classAdd({ dev: p.s, parent: '1:', handle: '1:10', kind: 'htb', rate: '8mbit', ceil: '8mbit' })
  within(t, await transfer(t, p, 4_000_000, 500_000), 'htb')
  const [c] = (await p.conn.classList({ dev: p.s })).filter((x) => x.handle === '1:10')
  t.true(c.stats.bytes >= 4_000_000, 'the class carried the transfer')
})

test.serial('effect: tbf of 8mbit on a veth between two namespaces holds a TCP transfer to 8 Mbit/s +-20%', async (t) => {
  const p = await pair(t, 2)
  await p.conn.qdiscAdd({ dev: p.s, parent: 'root', handle: '1:', kind: 'tbf', rate: '8mbit', burst: '32kb', latency: '100ms' })
  within(t, await transfer(t, p, 4_000_000, 500_000), 'tbf')
  const [q] = await p.conn.qdiscList({ dev: p.s })
  t.true(q.kind === 'tbf' && q.stats.bytes >= 4_000_000, 'the qdisc carried the transfer')
})
