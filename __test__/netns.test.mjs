// Network namespaces: netnsCreate / netnsDelete / netnsList interoperating with `ip netns`;
// open({ netns }) by name, path, pid and { fd } (lo up and an address there, checked with
// `ip -n NS -j addr`); subscribe(['link'], { netns }); a veth across two namespaces carrying a
// real TCP exchange; examples/two-hosts.mjs run as a child.
//
// What it owns in the shared namespace is its entry in support/registry.mjs
// (10.155.0.0/16, namespaces, and the example's own 'nlkit-host-a' / 'nlkit-host-b').

import test from 'ava'
import { execFile, execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { openSync, closeSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import * as nl from '../index.js'
import { ipDo, ipTry, ipn, ipnLink, ipNetnsList } from './support/oracle.mjs'
import { nsNamer } from './support/names.mjs'
import { netns, nsConn, processIn } from './support/netns.mjs'
import { waitFor } from './support/wait.mjs'
import { owned } from './support/registry.mjs'

const { netnsCreate, netnsDelete, netnsList, open, NetlinkError } = nl
const ROOT = fileURLToPath(new URL('..', import.meta.url))
const own = owned('netns')
const nsName = nsNamer(own.netns[0])

test('netnsCreate shows up in `ip netns list` and `ip netns exec` works in it; netnsDelete removes it', async (t) => {
  const ns = nsName()
  t.teardown(() => ipTry(['netns', 'del', ns]))
  await netnsCreate(ns)
  t.true(ipNetnsList().includes(ns), `ip netns list: ${ipNetnsList()}`)
  t.true((await netnsList()).includes(ns))
  const out = JSON.parse(execFileSync('ip', ['netns', 'exec', ns, 'ip', '-j', 'link', 'show'], { encoding: 'utf8' }))
  t.deepEqual(
    out.map((l) => l.ifname),
    ['lo'],
    'a fresh namespace: only lo',
  )
  t.deepEqual(
    ipn(ns, 'link show').map((l) => l.ifname),
    ['lo'],
  )
  await netnsDelete(ns)
  t.false(ipNetnsList().includes(ns))
  t.false((await netnsList()).includes(ns))
})

test('`ip netns add` shows up in netnsList, nlkit can open it, and netnsDelete removes it for ip too', async (t) => {
  const ns = nsName()
  t.teardown(() => ipTry(['netns', 'del', ns]))
  ipDo(['netns', 'add', ns])
  const list = await netnsList()
  t.true(list.includes(ns))
  t.deepEqual(list, [...list].sort(), 'sorted')
  const c = open({ netns: ns })
  t.deepEqual(
    (await c.linkList()).map((l) => l.name),
    ['lo'],
  )
  c.close()
  await netnsDelete(ns)
  t.false(ipNetnsList().includes(ns))
  t.throws(() => execFileSync('ip', ['netns', 'exec', ns, 'true'], { stdio: 'ignore' }), undefined, 'ip cannot enter it any more')
})

test('netnsCreate of an existing name is EEXIST; netnsDelete of a missing one is ENOENT; ip agrees', async (t) => {
  const ns = await netns(t, nsName())
  const e = await t.throwsAsync(netnsCreate(ns), { instanceOf: NetlinkError })
  t.is(e.code, 'EEXIST')
  t.is(e.op, 'netnsCreate')
  t.true(ipNetnsList().includes(ns), 'still there')
  t.false(ipTry(['netns', 'add', ns]), 'ip refuses it too')
  const missing = nsName()
  const d = await t.throwsAsync(netnsDelete(missing), { instanceOf: NetlinkError })
  t.is(d.code, 'ENOENT')
  t.is(d.op, 'netnsDelete')
  t.false(ipTry(['netns', 'del', missing]), 'ip refuses it too')
})

/** Brings lo up and adds `cidr` to it through `c`, then checks with `ip -n NS -j addr`. */
async function configureLo(t, c, ns, cidr, how) {
  await c.linkSetUp('lo')
  await c.addrAdd('lo', cidr)
  const [lo] = ipn(ns, 'addr show dev lo')
  t.true(lo.flags.includes('UP'), `${how}: lo is up in ${ns}`)
  t.truthy(
    lo.addr_info.find((a) => `${a.local}/${a.prefixlen}` === cidr),
    `${how}: ${cidr} on lo in ${ns}`,
  )
  const mine = await c.addrList({ link: 'lo', family: 4 })
  t.true(
    mine.some((a) => a.cidr === cidr),
    `${how}: addrList in the namespace`,
  )
  const [, v] = cidr.match(/^(\d+\.\d+\.\d+\.\d+)/)
  t.false(
    (await nl.addrList({ link: 'lo' })).some((a) => a.address === v),
    `${how}: not in this namespace`,
  )
}

test('open({ netns }) by name, { name }, path and { path }', async (t) => {
  const forms = [
    ['name', (ns) => ns],
    ['{ name }', (ns) => ({ name: ns })],
    ['path', (ns) => `/run/netns/${ns}`],
    ['{ path }', (ns) => ({ path: `/run/netns/${ns}` })],
  ]
  let i = 0
  for (const [how, ref] of forms) {
    const ns = await netns(t, nsName())
    const c = open({ netns: ref(ns) })
    t.teardown(() => c.close())
    await configureLo(t, c, ns, `10.155.1.${++i}/32`, how)
  }
})

test('open({ netns }) by pid and { pid } (a process living in the namespace)', async (t) => {
  let i = 10
  for (const how of ['pid', '{ pid }']) {
    const ns = await netns(t, nsName())
    const proc = await processIn(t, ns)
    const c = open({ netns: how === 'pid' ? proc.pid : { pid: proc.pid } })
    t.teardown(() => c.close())
    await configureLo(t, c, ns, `10.155.1.${++i}/32`, how)
  }
})

test('open({ netns: { fd } }): the descriptor may be closed once open() returns', async (t) => {
  const ns = await netns(t, nsName())
  const fd = openSync(`/run/netns/${ns}`, 'r')
  let c
  try {
    c = open({ netns: { fd } })
  } finally {
    closeSync(fd)
  }
  t.teardown(() => c.close())
  await configureLo(t, c, ns, '10.155.1.20/32', '{ fd }')
})

test('open({ netns }) of a missing namespace: ENOENT at open()', async (t) => {
  const missing = `${own.netns[0]}missing`
  for (const ref of [missing, `/run/netns/${missing}`, { name: missing }]) {
    const e = t.throws(() => open({ netns: ref }), { instanceOf: NetlinkError })
    t.is(e?.code, 'ENOENT', JSON.stringify(ref))
    t.is(e?.op, 'open')
  }
})

// BUG (index.ts, Netlink constructor: `native('open', ... `netns ${describe(opts.netns)}`)`): an
// object form of the namespace is described with String(), so the error says
// "open netns [object Object]: ..." instead of naming the pid / fd / path. Suggested fix:
// describe objects with JSON.stringify (or name the one field given).
test('open({ netns: { pid } }) failing names the namespace in its message', async (t) => {
  const e = t.throws(() => open({ netns: { pid: 0x7ffffff0 } }), { instanceOf: NetlinkError })
  t.false(e.message.includes('[object Object]'), e.message)
  t.true(e.message.includes(String(0x7ffffff0)), e.message)
})

test("subscribe(['link'], { netns }) sees a link added there with `ip -n NS link add`, and nothing from here", async (t) => {
  const ns = await netns(t, nsName())
  const sub = nl.subscribe(['link'], { netns: ns })
  t.teardown(() => sub.close())
  // A link made in this namespace must not show up there.
  const here = `${own.prefix}0`
  const [there0, there1, ifb0] = ['w0', 'w1', 'i0'].map((s) => `${own.prefix}-${s}`)
  ipDo(['link', 'add', 'name', here, 'type', 'veth', 'peer', 'name', `${own.prefix}1`])
  t.teardown(() => ipTry(['link', 'del', 'dev', here]))
  ipDo(['-n', ns, 'link', 'add', 'name', there0, 'type', 'veth', 'peer', 'name', there1])
  const seen = []
  for await (const ev of sub) {
    if (ev.type !== 'link') continue
    seen.push(ev.link.name)
    if (seen.includes(there0) && seen.includes(there1)) break
  }
  t.false(seen.includes(here), `events: ${seen}`)
  const w0 = ipnLink(ns, there0)
  t.truthy(w0)
  // The same through a connection's subscribe (its own namespace).
  const c = await nsConn(t, nsName())
  const sub2 = c.subscribe(['link'])
  t.teardown(() => sub2.close())
  await c.linkAdd({ kind: 'ifb', name: ifb0 })
  for await (const ev of sub2) {
    if (ev.type === 'link' && ev.link.name === ifb0 && ev.action === 'new') {
      t.is(ev.link.kind, 'ifb')
      break
    }
  }
})

/** Runs `node -e code` inside namespace `ns` (with `ip netns exec`). */
function nodeIn(ns, code, opts = {}) {
  return spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', code], { stdio: ['ignore', 'pipe', 'pipe'], ...opts })
}

test('a veth across two namespaces (peer.netns), configured through open({ netns }), carries a TCP exchange', async (t) => {
  const [eth0, eth1] = [`${own.prefix}-eth0`, `${own.prefix}-eth1`]
  const A = nsName()
  const B = nsName()
  const a = await nsConn(t, A)
  const b = await nsConn(t, B)
  await a.linkAdd({ kind: 'veth', name: eth0, peer: { name: eth1, netns: B } })
  t.truthy(ipnLink(A, eth0))
  t.truthy(ipnLink(B, eth1))
  for (const [c, dev, cidr] of [
    [a, eth0, '10.155.9.1/24'],
    [b, eth1, '10.155.9.2/24'],
  ]) {
    await c.linkSetUp('lo')
    await c.linkSetUp(dev)
    await c.addrAdd(dev, cidr)
  }
  await waitFor(() => ipnLink(A, eth0).operstate === 'UP' && ipnLink(B, eth1).operstate === 'UP', { what: 'both ends UP' })
  const r = await a.routeGet('10.155.9.2')
  t.is(r.dev, eth0)

  const server = nodeIn(
    B,
    `require('net').createServer(s => s.on('data', d => s.end('pong:' + d))).listen(7155, '10.155.9.2', () => console.log('ready'))`,
  )
  t.teardown(() => server.kill('SIGKILL'))
  const [first] = await once(server.stdout, 'data')
  t.is(String(first).trim(), 'ready')
  const client = nodeIn(
    A,
    `const c = require('net').connect(7155, '10.155.9.2', () => c.write('ping')); c.on('data', d => { process.stdout.write(String(d)); c.end() }); c.on('error', e => { console.error(e.message); process.exit(2) })`,
  )
  let out = ''
  client.stdout.on('data', (d) => (out += d))
  const [code] = await once(client, 'exit')
  t.is(code, 0)
  t.is(out, 'pong:ping')
  // The kernel counted the traffic on both ends.
  const s0 = (await a.linkGet(eth0)).stats
  t.true(s0.txPackets > 0 && s0.rxPackets > 0, `counters: ${JSON.stringify(s0)}`)
})

test('examples/two-hosts.mjs runs (exit 0) and reports a working TCP exchange', async (t) => {
  const { code, stdout, stderr } = await new Promise((resolve) => {
    execFile(process.execPath, ['examples/two-hosts.mjs'], { cwd: ROOT, timeout: 60000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (err.code ?? 1) : 0, stdout, stderr })
    })
  })
  t.is(code, 0, `stderr: ${stderr}`)
  t.true(stdout.includes('TCP between the two namespaces works'), stdout)
  t.true(stdout.includes('pong: ping'), stdout)
  t.false(ipNetnsList().includes('nlkit-host-a'), 'the example removed its namespaces')
})

// BUG (index.ts nameRelatives): 'M-DOWN' is added whenever the IFLA_LINK device is not found up
// in this namespace, even when IFLA_LINK_NETNSID says it lives in another namespace (a veth
// whose peer was moved or created elsewhere). ip (print_linkinfo) prints M-DOWN only for a
// link without a netnsid, so linkGet/linkList flags differ from `ip -j link` for every such
// veth. Suggested fix: `if (l.linkNetnsid === undefined && !p?.up) l.flags.push('M-DOWN')`.
test("flags of a veth whose peer is in another namespace equal ip's (no M-DOWN)", async (t) => {
  const [m0, m1] = [`${own.prefix}-m0`, `${own.prefix}-m1`]
  const A = nsName()
  const B = nsName()
  const a = await nsConn(t, A)
  await nsConn(t, B)
  await a.linkAdd({ kind: 'veth', name: m0, peer: { name: m1, netns: B } })
  const want = ipnLink(A, m0).flags
  t.false(want.includes('M-DOWN'), `ip: ${want}`)
  t.deepEqual((await a.linkGet(m0)).flags, want, 'linkGet')
  t.deepEqual((await a.linkList()).find((l) => l.name === m0).flags, want, 'linkList')
})
