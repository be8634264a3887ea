// Tracing: `open({ trace })` and NLKIT_TRACE print every message sent and received, decoded as
// strace decodes netlink. The second opinion is strace itself, run on a child process that
// makes the same calls with tracing on: each message nlkit says it sent or got acknowledged is
// the text strace shows for that syscall. Subscriptions and raw connections trace too; a bad
// option fails before anything is opened; tracing off prints nothing.

import test from 'ava'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as nl from '../index.js'
import { hasCommand, ipDo, ipLink, ipTry } from './support/oracle.mjs'
import { namer } from './support/names.mjs'
import { waitFor } from './support/wait.mjs'
import { owned } from './support/registry.mjs'

const own = owned('trace')
const name = namer(own.prefix)
const LIB = new URL('../index.js', import.meta.url).href

/** Runs `body` (an ES module's text importing nlkit as `nl`) in a child Node; its output. */
function child(t, body, { env = {}, strace = null } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'nlkit-trace-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'child.mjs')
  writeFileSync(file, `import * as nl from ${JSON.stringify(LIB)}\n${body}\n`)
  const cmd = strace ? 'strace' : process.execPath
  const args = strace
    ? ['-f', '-qq', '-e', 'trace=sendto,recvfrom', '-s', '65536', '-o', join(dir, 'strace.txt'), process.execPath, file]
    : [file]
  const childEnv = { ...process.env, ...env }
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete childEnv[k]
  return new Promise((resolve) => {
    execFile(cmd, args, { env: childEnv, timeout: 60_000 }, (err, stdout, stderr) => {
      const straced = strace ? readFileSync(join(dir, 'strace.txt'), 'utf8') : ''
      resolve({ code: err ? (err.code ?? 1) : 0, stdout, stderr, straced })
    })
  })
}

/** The netlink buffer of each sendto/recvfrom strace decoded, as text (the engine's syscalls). */
function straceMessages(text) {
  const out = []
  for (const line of text.split('\n')) {
    let m = line.match(/sendto\(\d+, (\[\{nlmsg_len=.*\]), \d+, 0, \{sa_family=AF_NETLINK/)
    if (m) out.push({ dir: 'sent', text: m[1] })
    m = line.match(/recvfrom\(\d+, (\[\{nlmsg_len=.*\]), \d+, [A-Z_|0]+, \{sa_family=AF_NETLINK/)
    if (m) out.push({ dir: 'received', text: m[1] })
  }
  return out
}

test('each message sent, and each ACK and error received, reads as strace reads the same syscall', async (t) => {
  t.timeout(90_000)
  if (!hasCommand('strace')) return t.fail('strace is needed (Debian package strace)')
  const [a, b] = [name(), name()]
  t.teardown(() => ipTry(['link', 'del', 'dev', a]))
  const { code, stderr, straced } = await child(
    t,
    `const c = nl.open({ trace: true })
     await c.linkAddVeth(${JSON.stringify(a)}, ${JSON.stringify(b)})
     await c.linkSet(${JSON.stringify(a)}, { mtu: 1400, up: true })
     await c.addrAdd(${JSON.stringify(a)}, '10.230.0.1/24')
     await c.addrAdd(${JSON.stringify(a)}, '10.230.0.1/24').catch(() => {})
     await c.routeAdd({ dst: '10.230.8.0/24', gateway: '10.230.0.254', metric: 7 })
     await c.routeDel({ dst: '10.230.8.0/24', gateway: '10.230.0.254', metric: 7 })
     c.close()`,
    { strace: true },
  )
  t.is(code, 0, stderr)
  const mine = stderr
    .split('\n')
    .filter((l) => l.startsWith('nlkit: NETLINK_ROUTE '))
    .map((l) => {
      const [, dir, text] = l.match(/^nlkit: NETLINK_ROUTE (sent|received) (.*)$/)
      return { dir, text }
    })
  const index = ipLink(a).ifindex
  const norm = (s) =>
    s
      .replaceAll(`if_nametoindex("${a}")`, String(index))
      .replace(/ \/\* [A-Z0-9_?]+ \*\//g, '')
      .replace(/nlmsg_pid=-?\d+/g, 'nlmsg_pid=P')
  const theirs = straceMessages(straced).map((m) => ({ ...m, text: norm(m.text) }))
  // What to compare: requests, and ACKs and errors (replies carrying links are decoded by
  // strace's own struct printers, rtnl_link_stats64 and the like, which nlkit shows as bytes).
  const comparable = (m) => m.dir === 'sent' || m.text.includes('nlmsg_type=NLMSG_ERROR')
  const want = theirs.filter(comparable).map((m) => `${m.dir} ${m.text}`)
  const got = mine.filter(comparable).map((m) => `${m.dir} ${norm(m.text)}`)
  t.true(got.length >= 12, `${got.length} messages traced`)
  t.deepEqual(got, want)
  for (const what of ['RTM_NEWLINK', 'RTM_NEWADDR', 'error=-EEXIST', 'RTM_NEWROUTE', 'RTM_DELROUTE', 'inet_addr("10.230.0.254")'])
    t.true(
      got.some((l) => l.includes(what)),
      what,
    )
})

test('NLKIT_TRACE=1 prints to stderr; unset, or trace: false, prints nothing', async (t) => {
  const body = `await nl.linkList(); const c = nl.open(process.env.OFF ? { trace: false } : {}); await c.linkGet('lo'); c.close()`
  const on = await child(t, body, { env: { NLKIT_TRACE: '1' } })
  t.is(on.code, 0, on.stderr)
  const lines = on.stderr.split('\n').filter((l) => l.startsWith('nlkit: '))
  t.true(
    lines.some((l) => l.startsWith('nlkit: NETLINK_ROUTE sent [{nlmsg_len=') && l.includes('RTM_GETLINK') && l.includes('NLM_F_DUMP')),
    'the default connection traces its dump',
  )
  t.true(
    lines.some((l) => l.includes('received') && l.includes('[{nla_len=7, nla_type=IFLA_IFNAME}, "lo"]')),
    'and the reply naming lo',
  )
  const unset = await child(t, body, { env: { NLKIT_TRACE: undefined } })
  t.is(unset.code, 0, unset.stderr)
  t.is(unset.stderr, '')
  const off = await child(t, `await nl.open({ trace: false }).linkGet('lo')`, { env: { NLKIT_TRACE: '1' } })
  t.is(off.code, 0, off.stderr)
  t.false(off.stderr.includes('nlkit: NETLINK_ROUTE'))
})

test('a trace function gets one line per message; subscriptions and raw connections trace too', async (t) => {
  const lines = []
  const trace = (l) => lines.push(l)
  const a = name()
  const sub = nl.subscribe(['link'], { trace })
  t.teardown(() => sub.close())
  ipDo(['link', 'add', 'name', a, 'type', 'veth', 'peer', 'name', name()])
  t.teardown(() => ipTry(['link', 'del', 'dev', a]))
  for await (const ev of sub) if (ev.type === 'link' && ev.link.name === a) break
  // Lines come through their own queue: maybe after the event they belong to.
  await waitFor(
    () =>
      lines.some((l) => l.startsWith('nlkit: NETLINK_ROUTE received [{nlmsg_len=') && l.includes('RTM_NEWLINK') && l.includes(`"${a}"`)),
    { what: 'the subscription traced the event' },
  )
  t.true(
    lines.every((l) => !l.includes('\n')),
    'one line each',
  )

  const raw = nl.open({ protocol: 'generic', trace })
  t.teardown(() => raw.close())
  lines.length = 0
  const payload = Buffer.concat([Buffer.from([3, 1, 0, 0]), nl.encodeAttrs((b) => b.string(2, 'nlctrl'))])
  await raw.request({ type: 0x10, payload })
  await waitFor(() => lines.some((l) => l.includes('NETLINK_GENERIC received')), { what: 'the reply traced' })
  t.true(
    lines.some(
      (l) =>
        l.startsWith('nlkit: NETLINK_GENERIC sent [{nlmsg_len=') &&
        l.includes('{cmd=CTRL_CMD_GETFAMILY, version=1}') &&
        l.includes('"nlctrl"'),
    ),
    lines.join('\n'),
  )
  t.true(
    lines.some(
      (l) =>
        l.includes('NETLINK_GENERIC received') &&
        l.includes('CTRL_CMD_NEWFAMILY') &&
        l.includes('[{nla_len=6, nla_type=CTRL_ATTR_FAMILY_ID}, 16]'),
    ),
    lines.join('\n'),
  )
})

test('a bad trace option is a TypeError before anything opens; a throwing function is a warning', async (t) => {
  for (const bad of [1, 'yes', {}, null])
    t.throws(() => nl.open({ trace: bad }), { instanceOf: TypeError, message: /trace must be a boolean or a function/ })
  t.throws(() => nl.subscribe(['link'], { trace: 'stderr' }), { instanceOf: TypeError, message: /trace/ })
  t.throws(() => nl.open({ protocol: 'generic', trace: 2 }), { instanceOf: TypeError, message: /trace/ })
  const r = await child(
    t,
    `let calls = 0
     // Trace lines reach a function through a queue that does not keep the process alive.
     const keep = setInterval(() => {}, 1000)
     const warned = new Promise((resolve) => process.on('warning', (w) => resolve(w)))
     const c = nl.open({ trace: () => { calls++; throw new Error('boom') } })
     console.log('lo', (await c.linkGet('lo')).index)
     const w = await warned // the lines arrive through a queue, maybe after the call settled
     console.log('warning', w.name, w.message, calls > 0)
     clearInterval(keep)
     c.close()`,
  )
  t.is(r.code, 0, r.stderr)
  t.true(r.stdout.includes('lo 1'), r.stdout)
  t.true(r.stdout.includes('warning NlkitTraceWarning the trace function threw: boom true'), r.stdout)
})
