// IPsec (NETLINK_XFRM) against `ip xfrm` (iproute2 prints xfrm as text, even with -j: parsed
// here), each test in a namespace of its own (the SPD and SAD are per namespace). The kernel
// here accepts policies and SPI allocation but refuses ESP/AH/COMP states (EPROTONOSUPPORT,
// "Requested type not found"): those tests skip with that message; their encoders are checked
// byte for byte against `ip xfrm state add` in crates/nlkit/src/xfrm/tests.rs.

import { execFileSync } from 'node:child_process'
import test from 'ava'
import * as nl from '../index.js'
import { nsNamer } from './support/names.mjs'
import { nsConn } from './support/netns.mjs'
import { owned } from './support/registry.mjs'

const own = owned('xfrm')
const nsName = nsNamer(own.netns[0])

const ipx = (ns, args) => execFileSync('ip', ['netns', 'exec', ns, 'ip', ...args], { encoding: 'utf8' })

/** `ip xfrm policy` text: one object per policy (the fields compared here). */
function ipPolicies(ns) {
  const out = []
  let cur
  for (const line of ipx(ns, ['xfrm', 'policy']).split('\n')) {
    const w = line.trim().split(/\s+/)
    if (line.startsWith('src ')) {
      cur = { src: w[1], dst: w[3], tmpls: [] }
      for (let i = 4; i + 1 < w.length; i += 2) cur[w[i]] = w[i + 1]
      out.push(cur)
    } else if (cur && w[0] === 'dir') {
      for (let i = 0; i + 1 < w.length; i += 2) cur[w[i]] = w[i + 1]
    } else if (cur && w[0] === 'tmpl') cur.tmpls.push({ src: w[2], dst: w[4] })
    else if (cur && w[0] === 'proto' && cur.tmpls.length > 0) Object.assign(cur.tmpls.at(-1), { proto: w[1], reqid: w[3], mode: w[5] })
    else if (cur && w[0] === 'mark') cur.mark = w[1]
    else if (cur && w[0] === 'if_id') cur.if_id = w[1]
  }
  return out
}

async function ns(t) {
  const name = nsName()
  const c = await nsConn(t, name)
  return { name, c }
}

const P1 = {
  selector: { src: '10.182.1.0/24', dst: '10.182.2.0/24', proto: 'tcp', dport: 443 },
  dir: 'out',
  priority: 10,
  mark: { value: 0x10, mask: 0xff },
  ifId: 7,
  templates: [{ src: '10.182.0.1', dst: '10.182.0.2', proto: 'esp', reqid: 5, mode: 'tunnel' }],
}

test('policies: add, list, get, update, delete, flush against ip xfrm policy', async (t) => {
  const { name, c } = await ns(t)
  await c.xfrmPolicyAdd(P1)
  await c.xfrmPolicyAdd({
    selector: { src: '2001:db8:182::/64', dst: '2001:db8:182:1::/64' },
    dir: 'in',
    action: 'block',
    flags: ['localok'],
  })
  const ip = ipPolicies(name)
  t.is(ip.length, 2)
  const v4 = ip.find((p) => p.src === '10.182.1.0/24')
  t.like(v4, { dst: '10.182.2.0/24', dir: 'out', priority: '10', proto: 'tcp', dport: '443', mark: '0x10/0xff', if_id: '0x7' })
  t.deepEqual(v4.tmpls, [{ src: '10.182.0.1', dst: '10.182.0.2', proto: 'esp', reqid: '5', mode: 'tunnel' }])
  const v6 = ip.find((p) => p.src === '2001:db8:182::/64')
  t.like(v6, { dir: 'in', action: 'block', flag: 'localok' })

  const list = await c.xfrmPolicyList()
  t.is(list.length, 2)
  const mine = list.find((p) => p.dir === 'out')
  t.like(mine, { priority: 10, action: 'allow', type: 'main', ifId: 7, mark: { value: 0x10, mask: 0xff } })
  t.like(mine.selector, { family: 'inet', src: '10.182.1.0/24', dst: '10.182.2.0/24', proto: 'tcp', dport: 443, dportMask: 0xffff })
  t.like(mine.templates[0], { src: '10.182.0.1', dst: '10.182.0.2', proto: 'esp', reqid: 5, mode: 'tunnel', optional: false })
  t.true(mine.index > 0)

  const got = await c.xfrmPolicyGet({ selector: P1.selector, dir: 'out', mark: P1.mark, ifId: 7 })
  t.is(got.index, mine.index)
  const byIndex = await c.xfrmPolicyGet({ index: mine.index, dir: 'out', mark: P1.mark, ifId: 7 })
  t.deepEqual(byIndex.selector, mine.selector)

  // A listed policy given back (its index included) updates it.
  await c.xfrmPolicyUpdate({ ...mine, priority: 20 })
  t.is(ipPolicies(name).find((p) => p.src === '10.182.1.0/24').priority, '20')

  const e = await t.throwsAsync(c.xfrmPolicyAdd(P1))
  t.is(e.code, 'EEXIST')
  await c.xfrmPolicyDelete({ selector: P1.selector, dir: 'out', mark: P1.mark, ifId: 7 })
  t.is(ipPolicies(name).length, 1)
  const gone = await t.throwsAsync(c.xfrmPolicyGet({ selector: P1.selector, dir: 'out', mark: P1.mark, ifId: 7 }))
  t.is(gone.code, 'ENOENT')
  await c.xfrmPolicyFlush()
  t.is(ipPolicies(name).length, 0)
  t.deepEqual(await c.xfrmPolicyList(), [])
})

test('SPD info and hash thresholds against ip -s xfrm policy count', async (t) => {
  const { name, c } = await ns(t)
  await c.xfrmPolicyAdd(P1)
  await c.xfrmSpdSet({ ipv4Thresh: { local: 24, remote: 16 }, ipv6Thresh: { local: 64, remote: 48 } })
  const info = await c.xfrmSpdInfo()
  const text = ipx(name, ['-s', 'xfrm', 'policy', 'count'])
  const m = text.match(/SPD IN\s+(\d+) OUT (\d+) FWD (\d+) \(Sock: IN (\d+) OUT (\d+) FWD (\d+)\)/)
  t.deepEqual(
    [info.inCount, info.outCount, info.fwdCount, info.inSocketCount, info.outSocketCount, info.fwdSocketCount].map(String),
    m.slice(1),
  )
  t.is(info.outCount, 1)
  const detail = ipx(name, ['-s', '-s', 'xfrm', 'policy', 'count'])
  const h = detail.match(/SPD buckets: count (\d+) Max (\d+)/)
  t.deepEqual([String(info.hashCount), String(info.hashMax)], h.slice(1))
  t.regex(detail, /SPD IPv4 thresholds: local 24 remote 16/)
  t.regex(detail, /SPD IPv6 thresholds: local 64 remote 48/)
  t.deepEqual(info.ipv4Thresh, { local: 24, remote: 16 })
})

test('bad input is refused naming the argument, before anything is sent', async (t) => {
  const { name, c } = await ns(t)
  const r = async (p, re, type = RangeError) => {
    const e = await t.throwsAsync(p)
    t.true(e instanceof type, String(e))
    t.regex(e.message, re)
  }
  await r(c.xfrmPolicyAdd({ ...P1, dir: 'sideways' }), /dir must be one of in, out, fwd/)
  await r(c.xfrmPolicyAdd({ ...P1, prio: 1 }), /prio/)
  await r(c.xfrmPolicyAdd({ ...P1, selector: { src: '10.182.1.0/40' } }), /selector\.src/)
  await r(c.xfrmPolicyAdd({ ...P1, templates: [{ mode: 'tunnel' }] }), /templates\[0\]\.proto/)
  await r(c.xfrmPolicyAdd(null), /policy must be an object/, TypeError)
  await r(c.xfrmStateGet(null), /id must be an object/, TypeError)
  await r(c.xfrmPolicyGet(7), /id must be an object/, TypeError)
  await r(c.xfrmPolicyAdd({ ...P1, priority: () => 1 }), /policy\.priority/, TypeError)
  const sa = { src: '10.182.0.1', dst: '10.182.0.2', proto: 'esp', spi: 0x300 }
  await r(
    c.xfrmStateAdd({ ...sa, auth: { name: 'hmac(sha256)', key: Buffer.alloc(20) } }),
    /auth\.key: hmac\(sha256\) takes a key of 256 bits, got 160/,
  )
  await r(
    c.xfrmStateAdd({ ...sa, crypt: { name: 'cbc(aes)', key: Buffer.alloc(15) } }),
    /crypt\.key: cbc\(aes\) takes a key of 128 or 192 or 256 bits/,
  )
  await r(
    c.xfrmStateAdd({ ...sa, aead: { name: 'rfc4106(gcm(aes))', key: Buffer.alloc(16), icvLen: 128 } }),
    /aead\.key.*160 or 224 or 288/,
  )
  await r(c.xfrmStateAllocSpi({ dst: '10.182.0.2', proto: 'esp', min: 9, max: 1 }), /min/)
  await r(c.xfrmEvents({ groups: ['nope'] }), /opts\.groups\[0\]/)
  t.deepEqual(ipPolicies(name), [])
  t.is(ipx(name, ['xfrm', 'state']).trim(), '')
})

test('SPI allocation: the larval state appears in ip xfrm state; get, count, delete', async (t) => {
  const { name, c } = await ns(t)
  const s = await c.xfrmStateAllocSpi({
    src: '10.182.0.1',
    dst: '10.182.0.2',
    proto: 'esp',
    mode: 'tunnel',
    reqid: 3,
    min: 0x200,
    max: 0x300,
  })
  t.true(s.spi >= 0x200 && s.spi <= 0x300)
  t.like(s, { src: '10.182.0.1', dst: '10.182.0.2', proto: 'esp', family: 'inet' })
  const text = ipx(name, ['xfrm', 'state'])
  t.regex(text, new RegExp(`src 10\\.182\\.0\\.1 dst 10\\.182\\.0\\.2\\n\\s+proto esp spi 0x${s.spi.toString(16).padStart(8, '0')}`))
  const list = await c.xfrmStateList()
  t.is(list.length, 1)
  t.is(list[0].spi, s.spi)
  const got = await c.xfrmStateGet({ src: '10.182.0.1', dst: '10.182.0.2', proto: 'esp', spi: s.spi })
  t.is(got.spi, s.spi)
  const count = ipx(name, ['-s', 'xfrm', 'state', 'count'])
  const info = await c.xfrmSadInfo()
  t.is(info.count, 1)
  t.regex(count, /SAD count 1/)
  t.regex(count, new RegExp(`SAD count 1 \\(buckets count ${info.hashCount} Max ${info.hashMax}\\)`))
  await c.xfrmStateDelete({ src: '10.182.0.1', dst: '10.182.0.2', proto: 'esp', spi: s.spi })
  t.is(ipx(name, ['xfrm', 'state']).trim(), '')
  const gone = await t.throwsAsync(c.xfrmStateGet({ dst: '10.182.0.2', proto: 'esp', spi: s.spi }))
  t.is(gone.code, 'ESRCH')
  await c.xfrmStateAllocSpi({ dst: '10.182.0.3', proto: 'ah' })
  await c.xfrmStateFlush()
  t.deepEqual(await c.xfrmStateList(), [])
})

test('ESP/AH states against ip xfrm state (skips where the kernel refuses them)', async (t) => {
  const { name, c } = await ns(t)
  const sa = {
    src: '10.182.0.1',
    dst: '10.182.0.2',
    proto: 'esp',
    spi: 0x400,
    reqid: 4,
    mode: 'tunnel',
    auth: { name: 'hmac(sha256)', key: Buffer.alloc(32, 0xbb), truncLen: 128 },
    crypt: { name: 'cbc(aes)', key: Buffer.alloc(16, 0xcc) },
  }
  try {
    await c.xfrmStateAdd(sa)
  } catch (e) {
    if (e.code !== 'EPROTONOSUPPORT') throw e
    t.log(`skipped: this kernel refuses ESP states (${e.message})`)
    t.pass()
    return
  }
  const [s] = await c.xfrmStateList()
  t.like(s, { spi: 0x400, reqid: 4, mode: 'tunnel', auth: { name: 'hmac(sha256)', truncLen: 128 } })
  t.regex(ipx(name, ['xfrm', 'state']), /proto esp spi 0x00000400 reqid 4 mode tunnel/)
})

test('events: policies added and deleted by ip xfrm, an acquire, flushes', async (t) => {
  const { name, c } = await ns(t)
  const ev = await c.xfrmEvents({ groups: ['policy', 'acquire', 'sa'] })
  t.teardown(() => ev.close())
  ipx(name, ['xfrm', 'policy', 'add', 'src', '10.182.5.0/24', 'dst', '10.182.6.0/24', 'dir', 'in', 'priority', '3'])
  let e = (await ev.next()).value
  t.is(e.type, 'newPolicy')
  t.like(e.policy, { dir: 'in', priority: 3, selector: { src: '10.182.5.0/24', dst: '10.182.6.0/24' } })
  ipx(name, ['xfrm', 'policy', 'delete', 'src', '10.182.5.0/24', 'dst', '10.182.6.0/24', 'dir', 'in'])
  e = (await ev.next()).value
  t.is(e.type, 'delPolicy')
  t.like(e.policy, { dir: 'in', priority: 3, selector: { src: '10.182.5.0/24' } })

  // ACQUIRE: a policy with a template and no state, then one datagram it covers (out of a
  // veth: lo has disable_xfrm set).
  ipx(name, ['link', 'add', `${own.prefix}0`, 'type', 'veth', 'peer', 'name', `${own.prefix}1`])
  ipx(name, ['link', 'set', `${own.prefix}0`, 'up'])
  ipx(name, ['link', 'set', `${own.prefix}1`, 'up'])
  ipx(name, ['addr', 'add', '10.182.9.1/24', 'dev', `${own.prefix}0`])
  ipx(name, [
    'xfrm',
    'policy',
    'add',
    'dst',
    '10.182.9.2/32',
    'dir',
    'out',
    'tmpl',
    'dst',
    '10.182.9.2',
    'proto',
    'esp',
    'mode',
    'transport',
  ])
  t.is((await ev.next()).value.type, 'newPolicy')
  try {
    execFileSync('ip', ['netns', 'exec', name, 'bash', '-c', 'echo x > "/dev/udp/$0/9"', '10.182.9.2'], { stdio: 'ignore' })
  } catch {
    // EAGAIN: the packet waits for a state that never comes
  }
  for (;;) {
    e = (await ev.next()).value
    if (e.type === 'acquire') break
    t.true(['newState', 'overflow'].includes(e.type), e.type)
  }
  t.like(e, { dst: '10.182.9.2', proto: 'esp', selector: { dst: '10.182.9.2/32' } })
  t.is(e.policy.dir, 'out')
  t.true(e.seq > 0)
  await c.xfrmPolicyFlush()
  for (;;) {
    e = (await ev.next()).value
    if (e.type === 'flushPolicies') break
  }
  t.pass()
})

test('events: listExisting yields the policies there are, then sync', async (t) => {
  const { c } = await ns(t)
  await c.xfrmPolicyAdd(P1)
  const ev = await c.xfrmEvents({ listExisting: true })
  t.teardown(() => ev.close())
  const a = (await ev.next()).value
  t.is(a.type, 'newPolicy')
  t.is(a.policy.ifId, 7)
  t.is((await ev.next()).value.type, 'sync')
})

test("subscribe(['xfrm', 'link'], { listExisting }): existing policies, then ip xfrm's changes, in one stream", async (t) => {
  const { name, c } = await ns(t)
  await c.xfrmPolicyAdd(P1)
  const sub = c.subscribe(['xfrm', 'link'], { listExisting: true })
  t.teardown(() => sub.close())
  await sub.ready()
  ipx(name, ['xfrm', 'policy', 'add', 'src', '10.182.5.0/24', 'dst', '10.182.6.0/24', 'dir', 'in', 'priority', '3'])
  const seen = []
  for await (const ev of sub) {
    if (ev.type === 'xfrm') seen.push([ev.event.type, ev.event.policy?.priority, ev.event.existing ?? false])
    if (seen.length === 2) break
  }
  t.deepEqual(seen, [
    ['newPolicy', 10, true],
    ['newPolicy', 3, false],
  ])
})

test('module-level functions: read-only calls on the default connection, refusals before sending', async (t) => {
  // Only reads here: this namespace is shared with the other test files.
  const spd = await nl.xfrmSpdInfo()
  t.true(Number.isInteger(spd.outCount) && spd.hashMax > 0)
  const sad = await nl.xfrmSadInfo()
  t.true(Number.isInteger(sad.count))
  const e = await t.throwsAsync(nl.xfrmPolicyAdd({ dir: 'up' }))
  t.true(e instanceof RangeError)
  t.regex(e.message, /^xfrmPolicyAdd up: dir must be one of/)
})
