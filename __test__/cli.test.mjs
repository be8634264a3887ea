// The `nlkit` command (cli.js), run as a child process against the kernel: each command's effect
// is checked with `ip -j`, `-j` output against the API's own objects, the human tables for the
// right rows, `-n NS` in a namespace of the test's own, `monitor` against a change made with ip,
// and the exit status rule (0 done, 2 for an API error or bad usage, with nothing changed).

import test from 'ava'
import { execFile, spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import * as nl from '../index.js'
import { netns } from './support/netns.mjs'
import { ip, ipAddrs, ipDo, ipLink, ipn, ipnLink, ipTry } from './support/oracle.mjs'
import { namer, nsNamer } from './support/names.mjs'
import { owned } from './support/registry.mjs'
import { veth } from './support/veth.mjs'
import { waitFor } from './support/wait.mjs'

const own = owned('cli')
const name = namer(own.prefix)
const nsName = nsNamer(own.netns[0])
const CLI = fileURLToPath(new URL('../cli.js', import.meta.url))

/** Runs `node cli.js ARGS...`; resolves to { status, stdout, stderr } (never rejects on a status). */
function nlkit(...args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args.map(String)], { encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ status: err ? err.code : 0, stdout, stderr })
    })
  })
}

/** Runs the CLI and asserts it succeeded silently on stderr; returns stdout. */
async function ok(t, ...args) {
  const r = await nlkit(...args)
  t.is(r.stderr, '', `nlkit ${args.join(' ')}: no error`)
  t.is(r.status, 0, `nlkit ${args.join(' ')}: exit 0`)
  return r.stdout
}

/** Objects without what changes on its own between two reads (counters, lifetimes). */
const stable = (list) =>
  list.map((o) => {
    const { stats, validLifetime, preferredLifetime, ...rest } = o
    return rest
  })

/** The table's rows split into cells (the heading row first). */
const rows = (out) =>
  out
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s{2,}/))

test('link add (veth), set, show, del: ip sees each change', async (t) => {
  const [a, b, br] = [name(), name(), name()]
  t.teardown(() => {
    for (const l of [a, b, br, `${a}x`]) ipTry(['link', 'del', 'dev', l])
  })
  await ok(t, 'link', 'add', a, 'type', 'veth', 'peer', 'name', b)
  t.is(ipLink(a)?.linkinfo?.info_kind, 'veth')
  t.is(ipLink(b)?.linkinfo?.info_kind, 'veth')

  await ok(t, 'link', 'add', 'name', br, 'type', 'bridge')
  await ok(t, 'link', 'set', 'dev', a, 'up', 'mtu', 1400, 'name', `${a}x`, 'master', br)
  const l = ipLink(`${a}x`)
  t.is(l?.mtu, 1400)
  t.true(l.flags.includes('UP'))
  t.is(l.master, br)
  t.is(ipLink(a), undefined, 'renamed')

  const json = JSON.parse(await ok(t, '-j', 'link', 'show', 'dev', `${a}x`))
  t.deepEqual(stable(json), stable([await nl.linkGet(`${a}x`)]))

  const table = rows(await ok(t, 'link', 'show'))
  t.deepEqual(table[0], ['NAME', 'STATE', 'MAC', 'MTU', 'KIND', 'MASTER'])
  const row = table.find((r) => r[0] === `${a}x`)
  t.deepEqual(row?.slice(0, 1).concat(row.slice(2)), [`${a}x`, l.address, '1400', 'veth', br])

  await ok(t, 'link', 'set', `${a}x`, 'nomaster', 'down')
  t.is(ipLink(`${a}x`).master, undefined)
  await ok(t, 'link', 'del', `${a}x`)
  t.is(ipLink(`${a}x`), undefined)
  t.is(ipLink(b), undefined, 'the peer went with it')
})

test('addr add, show, del (IPv4 and IPv6)', async (t) => {
  const [a, b] = [name(), name()]
  await veth(t, a, b, { noLinkLocal: true })
  await ok(t, 'addr', 'add', '10.212.1.1/24', 'dev', a)
  await ok(t, '-6', 'addr', 'add', '2001:db8:212:1::1/64', 'dev', a, 'nodad')
  const mine = ipAddrs(a).map((x) => `${x.local}/${x.prefixlen}`)
  t.deepEqual(mine.sort(), ['10.212.1.1/24', '2001:db8:212:1::1/64'])

  t.deepEqual(stable(JSON.parse(await ok(t, '-j', 'addr', 'show', 'dev', a))), stable(await nl.addrList({ link: a })))
  t.deepEqual(
    JSON.parse(await ok(t, '-4', '-j', 'addr', 'show', 'dev', a)).map((x) => x.cidr),
    ['10.212.1.1/24'],
  )
  const table = rows(await ok(t, 'addr', 'show', 'dev', a))
  t.deepEqual(table[0], ['DEV', 'FAMILY', 'ADDRESS', 'SCOPE', 'FLAGS'])
  t.deepEqual(table.find((r) => r[2] === '10.212.1.1/24')?.slice(0, 4), [a, 'inet', '10.212.1.1/24', 'global'])
  t.deepEqual(table.find((r) => r[2] === '2001:db8:212:1::1/64')?.slice(0, 4), [a, 'inet6', '2001:db8:212:1::1/64', 'global'])

  await ok(t, 'addr', 'del', '10.212.1.1/24', 'dev', a)
  t.deepEqual(
    ipAddrs(a).map((x) => x.local),
    ['2001:db8:212:1::1'],
  )
})

test('route add, show (a table, all), get, del', async (t) => {
  const [a, b] = [name(), name()]
  const T = own.table(0)
  await veth(t, a, b, { noLinkLocal: true, up: true })
  ipDo(['addr', 'add', '10.212.2.1/24', 'dev', a])
  await ok(t, 'route', 'add', '10.212.3.0/24', 'via', '10.212.2.254', 'dev', a, 'table', T, 'metric', 5)
  await ok(t, 'route', 'add', '10.212.4.0/24', 'via', '10.212.2.254')
  t.teardown(() => ipTry(['route', 'del', '10.212.4.0/24']))
  const [r] = ip(['route', 'show', 'table', T])
  t.like(r, { dst: '10.212.3.0/24', gateway: '10.212.2.254', dev: a, metric: 5 })

  const json = JSON.parse(await ok(t, '-j', 'route', 'show', 'table', T))
  t.deepEqual(json, await nl.routeList({ table: T }))
  t.is(json.length, 1)
  t.deepEqual(JSON.parse(await ok(t, '-j', 'ro', 'ls', 'ta', T)), json, 'abbreviations: ro ls ta = route list table')
  const all = JSON.parse(await ok(t, '-4', '-j', 'route', 'show', 'table', 'all'))
  t.true(
    all.some((x) => x.table === T && x.dst === '10.212.3.0/24'),
    'table all lists the route in table T',
  )
  t.true(
    all.some((x) => x.table === 254 && x.dst === '10.212.4.0/24'),
    'and the one in main',
  )

  const table = rows(await ok(t, 'route', 'show', 'table', T))
  t.deepEqual(table, [
    ['DST', 'VIA', 'DEV', 'TABLE', 'PROTO', 'METRIC', 'TYPE'],
    ['10.212.3.0/24', '10.212.2.254', a, String(T), json[0].protocol, '5', 'unicast'],
  ])

  const [got] = JSON.parse(await ok(t, '-j', 'route', 'get', '10.212.4.9'))
  const [want] = ip(['route', 'get', '10.212.4.9'])
  t.is(got.gateway, want.gateway)
  t.is(got.dev, want.dev)
  t.is(got.dev, a)

  await ok(t, 'route', 'replace', '10.212.3.0/24', 'via', '10.212.2.253', 'dev', a, 'table', T, 'metric', 5)
  t.deepEqual(
    ip(['route', 'show', 'table', T]).map((x) => x.gateway),
    ['10.212.2.253'],
    'replace changed the one route',
  )
  await ok(t, 'route', 'del', '10.212.3.0/24', 'table', T)
  t.deepEqual(ip(['route', 'show', 'table', T]), [])
  await ok(t, 'route', 'del', '10.212.4.0/24')
  t.deepEqual(ip(['route', 'show', '10.212.4.0/24']), [])
})

test('rule add, show, del', async (t) => {
  const [P, T] = [own.priority(0), own.table(1)]
  t.teardown(() => {
    while (ipTry(['rule', 'del', 'priority', P]));
  })
  await ok(t, 'rule', 'add', 'from', '10.212.5.0/24', 'table', T, 'priority', P)
  const mine = () => ip(['rule', 'show']).filter((r) => r.priority === P)
  t.like(mine()[0], { src: '10.212.5.0', srclen: 24, table: String(T) })
  t.is(mine().length, 1)

  const json = JSON.parse(await ok(t, '-4', '-j', 'rule', 'show')).filter((r) => r.priority === P)
  t.deepEqual(
    json,
    (await nl.ruleList({ family: 4 })).filter((r) => r.priority === P),
  )
  t.like(json[0], { from: '10.212.5.0/24', table: T, action: 'to_tbl' })
  const row = rows(await ok(t, 'rule')).find((r) => r[0] === String(P))
  t.deepEqual(row, [String(P), 'inet', '10.212.5.0/24', `lookup ${T}`])

  await ok(t, 'rule', 'del', 'priority', P)
  t.deepEqual(mine(), [])
})

test('neigh add, show, del', async (t) => {
  const [a, b] = [name(), name()]
  await veth(t, a, b, { noLinkLocal: true })
  await ok(t, 'neigh', 'add', '10.212.6.2', 'lladdr', '02:12:00:00:00:02', 'dev', a, 'nud', 'permanent')
  const [n] = ip(['neigh', 'show', 'dev', a])
  t.like(n, { dst: '10.212.6.2', lladdr: '02:12:00:00:00:02', state: ['PERMANENT'] })

  t.deepEqual(JSON.parse(await ok(t, '-j', 'neigh', 'show', 'dev', a)), await nl.neighList({ dev: a }))
  const table = rows(await ok(t, 'neigh', 'show', 'dev', a))
  t.deepEqual(table[1], ['10.212.6.2', a, '02:12:00:00:00:02', 'PERMANENT'])

  await ok(t, 'neigh', 'del', '10.212.6.2', 'dev', a)
  t.deepEqual(ip(['neigh', 'show', 'dev', a]), [])
})

test('netns add, list, del', async (t) => {
  const ns = nsName()
  t.teardown(() => ipTry(['netns', 'del', ns]))
  await ok(t, 'netns', 'add', ns)
  t.true(existsSync(`/run/netns/${ns}`))
  t.true(
    ip(['netns', 'list']).some((x) => x.name === ns),
    'ip netns list has it',
  )
  t.true(JSON.parse(await ok(t, '-j', 'netns', 'list')).includes(ns))
  t.true(rows(await ok(t, 'netns')).some((r) => r[0] === ns))
  await ok(t, 'netns', 'del', ns)
  t.false(ip(['netns', 'list']).some((x) => x.name === ns))
})

test('-n NS: changes and listings happen in the namespace; -j is exactly what the API returns there', async (t) => {
  const ns = await netns(t, nsName())
  const [a, b] = [name(), name()]
  await ok(t, '-n', ns, 'link', 'add', a, 'type', 'veth', 'peer', 'name', b)
  await ok(t, '-netns', ns, 'addr', 'add', '10.212.8.1/24', 'dev', a)
  await ok(t, '-n', ns, 'link', 'set', 'lo', 'up')
  t.is(ipnLink(ns, a)?.linkinfo?.info_kind, 'veth', 'ip -n NS sees the link')
  t.is(ipLink(a), undefined, 'and it is not here')
  t.deepEqual(
    ipn(ns, ['addr', 'show', 'dev', a])[0].addr_info.map((x) => x.local),
    ['10.212.8.1'],
  )

  const c = nl.open({ netns: ns })
  t.teardown(() => c.close())
  t.deepEqual(stable(JSON.parse(await ok(t, '-n', ns, '-j', 'link', 'show'))), stable(await c.linkList()))
  t.deepEqual(stable(JSON.parse(await ok(t, '-n', ns, '-j', 'addr'))), stable(await c.addrList()))
  t.deepEqual(JSON.parse(await ok(t, '-n', ns, '-j', 'route', 'show', 'table', 'all')), await c.routeList({ table: 'all' }))
  t.deepEqual(
    rows(await ok(t, '-n', ns, 'link'))
      .slice(1)
      .map((r) => r[0])
      .sort(),
    [a, b, 'lo'].sort(),
  )
})

/** Socket inodes of process PID that are rtnetlink sockets joined to some multicast group. */
function subscribed(pid) {
  let fds
  try {
    fds = readdirSync(`/proc/${pid}/fd`)
  } catch {
    return false
  }
  const inodes = new Set()
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))
      if (m) inodes.add(m[1])
    } catch {}
  }
  // /proc/net/netlink: sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode
  return readFileSync(`/proc/${pid}/net/netlink`, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .some((c) => c[1] === '0' && c[3] !== '00000000' && inodes.has(c[9]))
}

/** Starts `nlkit ARGS...` in the background, collecting its stdout lines; waits until it listens. */
async function monitor(t, ...args) {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  const out = { lines: [], stderr: '', exit: new Promise((r) => child.on('close', (status, signal) => r({ status, signal }))) }
  let partial = ''
  child.stdout.setEncoding('utf8').on('data', (s) => {
    const parts = (partial + s).split('\n')
    partial = parts.pop()
    out.lines.push(...parts)
  })
  child.stderr.setEncoding('utf8').on('data', (s) => {
    out.stderr += s
  })
  t.teardown(() => child.kill('SIGKILL'))
  await waitFor(() => subscribed(child.pid), { what: 'nlkit monitor to join its groups' })
  return { child, out }
}

test('monitor link: prints the event of an ip link add as one line; SIGTERM ends it with status 0', async (t) => {
  const [d, e] = [name(), name()]
  const { child, out } = await monitor(t, 'monitor', 'link')
  t.teardown(() => ipTry(['link', 'del', 'dev', d]))
  ipDo(['link', 'add', d, 'type', 'veth', 'peer', 'name', e])
  const line = await waitFor(() => out.lines.find((l) => l.startsWith('link new ') && l.includes(`name ${d} `)), {
    what: () => `a link line for ${d} in ${JSON.stringify(out.lines)}`,
  })
  t.regex(line, new RegExp(`^link new name ${d} state DOWN mac ${ipLink(d).address} mtu 1500 kind veth$`))
  child.kill('SIGTERM')
  t.deepEqual(await out.exit, { status: 0, signal: null })
  t.is(out.stderr, '')
})

test('monitor -j: one JSON object per line, the event as the API gives it; SIGINT ends it', async (t) => {
  const [d, e] = [name(), name()]
  const { child, out } = await monitor(t, '-j', 'monitor', 'link')
  t.teardown(() => ipTry(['link', 'del', 'dev', d]))
  ipDo(['link', 'add', d, 'type', 'veth', 'peer', 'name', e])
  ipDo(['link', 'del', d])
  const events = () => out.lines.map((l) => JSON.parse(l)).filter((e) => e.type === 'link' && e.link.name === d)
  await waitFor(() => events().some((e) => e.action === 'del'), { what: `the del event of ${d}` })
  const [first] = events()
  t.like(first, { type: 'link', action: 'new', link: { name: d, kind: 'veth', index: first.link.index } })
  child.kill('SIGINT')
  t.deepEqual(await out.exit, { status: 0, signal: null })
})

test('an API error (EEXIST) prints the API message and exits 2', async (t) => {
  const [a, b] = [name(), name()]
  await veth(t, a, b)
  const e = await nl.linkAdd({ kind: 'veth', name: a, peer: { name: b } }).catch((x) => x)
  t.true(e instanceof nl.NetlinkError)
  t.is(e.code, 'EEXIST')
  t.deepEqual(await nlkit('link', 'add', a, 'type', 'veth', 'peer', 'name', b), { status: 2, stdout: '', stderr: `nlkit: ${e.message}\n` })

  const r = await nl.addrAdd(a, '10.212.9.1/33').catch((x) => x)
  t.true(r instanceof RangeError || r instanceof TypeError, 'the API refuses a /33')
  t.deepEqual(await nlkit('addr', 'add', '10.212.9.1/33', 'dev', a), { status: 2, stdout: '', stderr: `nlkit: ${r.message}\n` })
})

/** The routes of the bad-usage test's addresses (10.212.10.0/24, 10.212.11.0/24) only. */
const mineOnly = (r) => /^10\.212\.1[01]\./.test(r.dst ?? '')

test('bad usage: usage on stderr, exit 2, nothing changed', async (t) => {
  const [a, b] = [name(), name()]
  const T = own.table(2)
  await veth(t, a, b, { noLinkLocal: true, up: true })
  ipDo(['addr', 'add', '10.212.10.1/24', 'dev', a])
  const before = { link: ipLink(a), routes: ip(['route', 'show', 'table', 'all']).filter(mineOnly) }
  for (const args of [
    ['route', 'add', '10.212.11.0/24', 'via', '10.212.10.254', 'table', T, 'frobnicate'],
    ['route', 'add', '10.212.11.0/24', 'via', '10.212.10.254', 'table', 'mine'],
    ['route', 'add', '10.212.11.0/24', 'type', 'sideways'],
    ['link', 'set', 'dev', a, 'mtu', 'big'],
    ['link', 'set', 'dev', a, 'down', 'shiny'],
    ['link', 'frob', a],
    ['link', 'add', `${a}z`, 'type'],
    ['addr', 'add', '10.212.10.2/24'],
    ['neigh', 'add', '10.212.10.3', 'lladdr', '02:12:00:00:00:03', 'dev', a, 'nud', 'forever'],
    ['rule', 'add', 'from', '10.212.10.0/24', 'priority', own.priority(1), 'table', T, 'sometimes'],
    ['-x', 'link'],
    ['-n'],
    ['frob'],
    [],
  ]) {
    const r = await nlkit(...args)
    t.is(r.status, 2, `nlkit ${args.join(' ')}: exit 2`)
    t.regex(r.stderr, /^nlkit: .*\nUsage: nlkit /, `nlkit ${args.join(' ')}: says why, then the usage`)
    t.is(r.stdout, '')
  }
  t.deepEqual(ipLink(a), before.link, 'the link is as it was')
  t.deepEqual(ip(['route', 'show', 'table', 'all']).filter(mineOnly), before.routes)
  t.false(ip(['rule', 'show']).some((r) => r.priority === own.priority(1)))
  t.deepEqual(ip(['neigh', 'show', 'dev', a]), [])
})

test('nexthop and tc: not available yet, exit 2; help exits 0', async (t) => {
  for (const object of ['nexthop', 'tc']) {
    t.deepEqual(await nlkit(object, 'show'), {
      status: 2,
      stdout: '',
      stderr: `nlkit ${object}: not available yet (needs nlkit's ${object} API)\n`,
    })
  }
  for (const args of [['help'], ['-h'], ['link', 'help'], ['help', 'route']]) {
    const r = await nlkit(...args)
    t.is(r.status, 0, args.join(' '))
    t.regex(r.stdout, /^Usage: nlkit /)
    t.is(r.stderr, '')
  }
  t.regex((await nlkit('route', 'help')).stdout, /nlkit route get ADDRESS/)
})
