// EPERM as an unprivileged user: a child process (same network namespace) without
// CAP_NET_ADMIN. What it owns in the shared namespace is its entry in support/registry.mjs.

import test from 'ava'
import { execFile } from 'node:child_process'
import { accessSync, constants, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { dirname } from 'node:path'
import { ipLink, ipAddrs } from './support/oracle.mjs'
import { namer } from './support/names.mjs'
import { veth } from './support/veth.mjs'
import { owned } from './support/registry.mjs'

const own = owned('errors-unprivileged')
const name = namer(own.prefix)
const INDEX_JS = fileURLToPath(new URL('../index.js', import.meta.url))

/** Runs `node -e SCRIPT` as nobody with no capabilities; resolves with parsed JSON lines. */
function asNobody(script, setprivArgs) {
  return new Promise((resolve) => {
    execFile(
      'setpriv',
      [...setprivArgs, process.execPath, '--input-type=module', '-e', script],
      { timeout: 20000, killSignal: 'SIGKILL', cwd: '/' },
      (err, stdout, stderr) => resolve({ err, stdout, stderr }),
    )
  })
}

const SETPRIV_VARIANTS = [
  ['--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all'],
  ['--reuid=65534', '--regid=65534', '--clear-groups', '--bounding-set=-all', '--inh-caps=-all'],
]

test('the library files are readable by an unprivileged user', (t) => {
  for (const f of [INDEX_JS, `${dirname(INDEX_JS)}/native.cjs`]) {
    const mode = statSync(f).mode
    t.truthy(mode & 0o004, `${f} is world-readable`)
  }
  // Every directory on the way is world-searchable.
  for (let d = dirname(INDEX_JS); d !== '/'; d = dirname(d)) t.truthy(statSync(d).mode & 0o001, `${d} is world-searchable`)
  accessSync(INDEX_JS, constants.R_OK)
})

test('linkSetUp without CAP_NET_ADMIN rejects with EPERM and a message naming CAP_NET_ADMIN', async (t) => {
  const { a } = await veth(t, name(), name(), { noLinkLocal: true })
  const script = `
    import { readFileSync } from 'node:fs'
    const capEff = /CapEff:\\s*([0-9a-f]+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]
    console.log(JSON.stringify({ uid: process.getuid(), capEff }))
    const m = await import(${JSON.stringify(INDEX_JS)})
    // Reading is allowed without privileges.
    const l = await m.linkGet(${JSON.stringify(a)})
    console.log(JSON.stringify({ read: l.name, up: l.up }))
    const calls = [
      () => m.linkSetUp(${JSON.stringify(a)}),
      () => m.addrAdd(${JSON.stringify(a)}, '10.90.0.1/24'),
      () => m.netnsCreate(${JSON.stringify(`${own.netns[0]}x`)}),
      async () => m.open({ netns: '/proc/1/ns/net' }),
    ]
    for (const call of calls) {
      try {
        await call()
        console.log(JSON.stringify({ ok: true }))
      } catch (e) {
        console.log(JSON.stringify({ name: e.name, code: e.code, errno: e.errno, op: e.op, message: e.message }))
      }
    }
  `
  let out
  for (const variant of SETPRIV_VARIANTS) {
    const r = await asNobody(script, variant)
    t.log(`setpriv ${variant.join(' ')}: ${r.err ? r.stderr : 'ok'}`)
    if (r.err) continue
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    if (lines[0].capEff.replace(/0/g, '') === '') {
      out = lines
      break
    }
  }
  t.truthy(out, 'a child without capabilities ran')
  const [who, read, setUp, addr, nsCreate, nsEnter] = out
  t.is(who.uid, 65534)
  t.is(BigInt(`0x${who.capEff}`), 0n, 'no effective capabilities')
  t.deepEqual(read, { read: a, up: false })

  t.is(setUp.name, 'NetlinkError')
  t.is(setUp.code, 'EPERM')
  t.is(setUp.errno, 1)
  t.is(setUp.op, 'linkSetUp')
  t.true(setUp.message.startsWith(`linkSetUp ${a}: Operation not permitted (EPERM)`), setUp.message)
  t.regex(setUp.message, /CAP_NET_ADMIN/)
  t.is(addr.code, 'EPERM')
  t.is(addr.op, 'addrAdd')
  t.regex(addr.message, /CAP_NET_ADMIN/)
  // Other refusals name what they lack instead.
  t.true(['EPERM', 'EACCES'].includes(nsCreate.code), nsCreate.message)
  t.is(nsCreate.op, 'netnsCreate')
  t.regex(nsCreate.message, /CAP_SYS_ADMIN/)
  t.notRegex(nsCreate.message, /CAP_NET_ADMIN/)
  t.true(['EPERM', 'EACCES'].includes(nsEnter.code), nsEnter.message)
  t.regex(nsEnter.message, /ptrace access/)
  t.notRegex(nsEnter.message, /CAP_NET_ADMIN/)

  // Nothing changed.
  t.false(ipLink(a).flags.includes('UP'))
  t.deepEqual(ipAddrs(a), [])
})
