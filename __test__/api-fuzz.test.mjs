// Random values of every type into every method of a connection (rtnetlink and raw), into the
// attribute codec and into the raw native.cjs exports, in a child process (a crash would show as
// its exit) against a namespace of its own: nothing crashes, every rejection is a TypeError,
// RangeError, AbortError or NetlinkError (or the very error a getter or proxy trap of the caller
// threw), and the namespace is left as it was. A fixed seed
// makes every run the same. What this file owns is its entry in support/registry.mjs.

import test from 'ava'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { nsNamer } from './support/names.mjs'
import { owned } from './support/registry.mjs'

const own = owned('api-fuzz')
const NS = nsNamer(own.netns[0])()
const INDEX = fileURLToPath(new URL('../index.js', import.meta.url))
const NATIVE = fileURLToPath(new URL('../native.cjs', import.meta.url))

const CHILD = `
  import { execFileSync } from 'node:child_process'
  import { createRequire } from 'node:module'
  const nl = await import(${JSON.stringify(INDEX)})
  const native = createRequire(import.meta.url)(${JSON.stringify(NATIVE)})
  const NS = ${JSON.stringify(NS)}
  let seed = 0x2545f491
  const rand = (n) => {
    seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5
    return (seed >>> 0) % n
  }
  const cyclic = {}; cyclic.self = cyclic
  const getter = Object.defineProperty({}, 'name', { enumerable: true, get() { throw new Error('getter') } })
  const proxy = new Proxy({}, { get() { throw new Error('proxy') }, ownKeys() { throw new Error('proxy keys') } })
  const POOL = [
    undefined, null, true, false, 0, -1, 7, 1.5, NaN, Infinity, -Infinity, 2 ** 53, 2 ** 32, 65536, 10n, -5n,
    '', 'x', 'a\\0b', 'eth0', 'nosuch0', '10.0.0.1', '10.0.0.1/33', '::1', 'fe80::1%lo', '1.2.3.4.5', 'default',
    'a'.repeat(70000), Symbol('s'), {}, [], [1, 2], [{}], { name: 'x' }, { fd: -1 }, { pid: 1e12 }, { path: '/nonexistent' },
    { kind: 'nosuchkind', name: 'fz0' }, { dst: 'x' }, { timeout: -1 }, { signal: 'x' }, { type: -1 }, { type: 16, payload: 'x' },
    () => {}, cyclic, getter, proxy, Buffer.alloc(3), new Uint8Array(1), new Date(), /re/, new Map(),
  ]
  const pick = () => POOL[rand(POOL.length)]
  const OK_ERRORS = ['TypeError', 'RangeError', 'AbortError', 'NetlinkError']
  const bad = []
  let calls = 0, rejected = 0, fulfilled = 0
  const done = new Set()
  async function attempt(label, f) {
    calls++
    try {
      const r = f()
      // A subscription a promise resolves to (genlSubscribe, ethtoolMonitor) is closed too.
      const v = r && typeof r.then === 'function' ? await r : r
      if (v && typeof v[Symbol.asyncIterator] === 'function') { v.return?.(); v.close?.() }
      fulfilled++
      done.add(label)
    } catch (e) {
      rejected++
      const n = e?.name
      // An error the caller's own getter or proxy trap threw comes back as it was thrown.
      const own = ['proxy', 'proxy keys', 'getter'].includes(e?.message)
      if (!OK_ERRORS.includes(n) && !own) bad.push(label + ': ' + (n ?? typeof e) + ': ' + String(e?.message ?? e).slice(0, 120))
    }
  }
  const snapshot = () => Object.fromEntries(['link', 'addr', 'route', 'rule', 'neigh'].map((w) => [w, execFileSync('ip', ['-j', w, 'show'], { encoding: 'utf8' })]))
  const before = snapshot()
  const c = nl.open({ netns: NS })
  const raw = nl.open({ protocol: 'route', netns: NS })
  const methods = Object.getOwnPropertyNames(Object.getPrototypeOf(c)).filter((m) => !['constructor', 'close'].includes(m))
  for (const m of methods) for (let i = 0; i < 60; i++) { const args = [pick(), pick(), pick()].slice(0, 1 + rand(3)); await attempt(m, () => c[m](...args)) }
  for (const m of ['request', 'dump', 'dumpStream', 'subscribe']) for (let i = 0; i < 60; i++) { const a = [pick(), pick()]; await attempt('raw.' + m, () => raw[m](...a)) }
  // Every module-level function too (the child runs inside NS: the default connection is there);
  // netnsCreate/netnsDelete are left out (a random valid name would make a namespace).
  const fns = Object.keys(nl).filter((k) => typeof nl[k] === 'function' && /^[a-z]/.test(k) && !/^netns(Create|Delete)$/.test(k))
  for (const f of fns) for (let i = 0; i < 30; i++) { const args = [pick(), pick(), pick()].slice(0, 1 + rand(3)); await attempt(f, () => nl[f](...args)) }
  for (let i = 0; i < 100; i++) await attempt('open', () => { const x = nl.open(pick()); x.close?.() })
  for (let i = 0; i < 100; i++) await attempt('subscribe', () => nl.subscribe(pick(), pick()).close())
  for (let i = 0; i < 100; i++) await attempt('decodeAttrs', () => nl.decodeAttrs(pick()))
  for (let i = 0; i < 100; i++) await attempt('encodeAttrs', () => nl.encodeAttrs((b) => b[['u8', 'u32', 'u64', 'string', 'binary', 'nested', 'flag', 'be16'][rand(8)]](pick(), pick())))
  // The binding itself, below the checks of src/: it may throw (a plain Error is fine here),
  // but must not crash, and must not act on what it cannot read.
  let nativeThrows = 0
  const nat = (f) => { try { f() } catch { nativeThrows++ } }
  const nc = new native.NativeConn(() => {})
  nat(() => nc.open({ netns: { name: NS } }))
  for (let i = 0; i < 200; i++) nat(() => nc.submit(String(pick())))
  for (let i = 0; i < 200; i++) nat(() => nc.submit(JSON.stringify([{ token: i + 1, op: ['linkDel', 'addrAdd', 'routeAdd', 'linkSet', 'nope'][rand(5)], name: 'x\\u0000y', index: pick() === 7 ? 7 : undefined }])))
  nc.close()
  const nr = new native.NativeRawConn(() => {})
  nat(() => nr.open(rand(40) - 5, {}))
  for (let i = 0; i < 200; i++) nat(() => nr.submit([{ token: i, msgType: pick(), flags: pick(), payload: pick(), dump: pick() }]))
  nr.close()
  const ng = new native.NativeGenlConn(() => {})
  nat(() => ng.open({ netns: { name: NS } }))
  const GENL_OPS = ['request', 'family', 'families', 'ethtool', 'ethtoolFeaturesSet', 'nope']
  for (let i = 0; i < 200; i++) nat(() => ng.submit([{ token: i, op: GENL_OPS[rand(6)], family: pick(), cmd: pick(), version: pick(), payload: pick(), dump: pick(), kind: pick(), devName: pick(), devIndex: pick(), set: pick(), featuresOn: pick(), featuresOff: pick() }]))
  ng.close()
  const nct = new native.NativeConntrackConn(() => {})
  nat(() => nct.open({ netns: { name: NS } }))
  const CT_OPS = ['list', 'get', 'create', 'update', 'delete', 'flush', 'count', 'stats', 'expectList', 'expectCreate', 'expectDelete', 'expectFlush', 'nope']
  const tup = () => (rand(3) ? { src: pick(), dst: pick(), sport: pick(), dport: pick(), icmpType: pick(), icmpCode: pick(), icmpId: pick() } : pick())
  for (let i = 0; i < 300; i++) nat(() => nct.submit([{ token: i, op: CT_OPS[rand(CT_OPS.length)], family: pick(), protocol: pick(), orig: tup(), reply: tup(), mask: tup(), master: tup(), ctTimeout: pick(), status: pick(), mark: pick(), zone: pick(), labels: pick(), state: pick(), helper: pick() }]))
  nct.close()
  for (let i = 0; i < 200; i++) nat(() => native.conntrackEvent(pick(), pick(), Buffer.from(Array.from({ length: rand(64) }, () => rand(256)))))
  for (let i = 0; i < 100; i++) nat(() => native.conntrackListed({ token: 0, op: 'list', protocol: pick() }, [Buffer.from(Array.from({ length: rand(80) }, () => rand(256)))]))
  for (let i = 0; i < 50; i++) nat(() => native.netnsCall(String(pick()), pick()))
  await new Promise((r) => setTimeout(r, 300))
  c.close()
  raw.close()
  const after = snapshot()
  console.log(JSON.stringify({ calls, rejected, fulfilled, bad: bad.slice(0, 20), badCount: bad.length, nativeThrows, changed: Object.keys(before).filter((k) => before[k] !== after[k]).map((k) => [k, before[k], after[k]]), done: [...done] }))
`

test.before(async () => {
  const nl = await import('../index.js')
  await nl.netnsCreate(NS)
})
test.after.always(async () => {
  const nl = await import('../index.js')
  await nl.netnsDelete(NS).catch(() => {})
})

test('random arguments into every export: no crash, only TypeError/RangeError/AbortError/NetlinkError, nothing changed', async (t) => {
  const out = await new Promise((resolve, reject) => {
    execFile(
      'ip',
      ['netns', 'exec', NS, process.execPath, '--input-type=module', '-e', CHILD],
      { timeout: 100_000, maxBuffer: 1 << 24 },
      (err, stdout, stderr) => (err ? reject(new Error(`the child died: ${err.message}\n${stderr.slice(-2000)}`)) : resolve(stdout)),
    )
  })
  const r = JSON.parse(out.trim().split('\n').at(-1))
  t.log(`${r.calls} calls: ${r.rejected} rejected, ${r.fulfilled} fulfilled; ${r.nativeThrows} native throws`)
  t.deepEqual(r.bad, [], `${r.badCount} rejections of another kind`)
  t.true(r.rejected > r.calls / 2)
  // What changed was changed by a call that succeeded (a random {} is a valid rule to add, say):
  // nothing changed behind a rejection.
  // (`ip addr` lists every link, so a link made by a call that succeeded changes it too.)
  const area = { link: /^link/, addr: /^(addr|link)/, route: /^route/, rule: /^rule/, neigh: /^neigh/ }
  for (const [section, was, now] of r.changed) {
    t.true(
      r.done.some((m) => area[section].test(m) && !/List|Get|Stream/.test(m)),
      `${section} changed though no ${section} call succeeded: ${was} -> ${now}`,
    )
  }
  t.log(`succeeded: ${r.done.join(', ')}`)
})
