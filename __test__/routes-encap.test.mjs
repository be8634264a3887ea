// Route encapsulations (seg6, seg6local, ip, ip6 and bpf with pinned programs on this kernel; mpls, ioam6 tried and
// skipped when the kernel refuses them), `via` (RTA_VIA), `expires`, and encaps on nexthop
// objects, against `ip -j -d route|nexthop show` field by field, both ways (added by nlkit and
// read by ip, added by ip and read by nlkit); refusals before anything is sent leave ip's view
// unchanged. Each test works in a namespace of its own. The request bytes of every encap are
// checked against iproute2 6.1's in crates/nlkit/src/rtnl/route/encap/tests.rs.

import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import test from 'ava'
import { namer } from './support/names.mjs'
import { nsConn } from './support/netns.mjs'
import { ipDo } from './support/oracle.mjs'
import { owned } from './support/registry.mjs'

const own = owned('routes-encap')
const name = namer(own.prefix)
let nsSeq = 0

/** A namespace with an up veth pair (addresses 10.213.0.1/24, 2001:db8:213::1/64) and a connection. */
async function setup(t) {
  const ns = `${own.netns[0]}${process.pid}-${nsSeq++}`
  const c = await nsConn(t, ns)
  const [a, b] = [name(), name()]
  ipDo(['-n', ns, 'link', 'set', 'lo', 'up'])
  ipDo(['-n', ns, 'link', 'add', a, 'type', 'veth', 'peer', 'name', b])
  for (const d of [a, b]) ipDo(['-n', ns, 'link', 'set', d, 'up'])
  ipDo(['-n', ns, 'addr', 'add', '10.213.0.1/24', 'dev', a])
  ipDo(['-n', ns, 'addr', 'add', '2001:db8:213::1/64', 'dev', a, 'nodad'])
  return { ns, c, a, b }
}

/**
 * JSON with its keys kept in order and duplicates kept: `ip -j` prints an encap's fields flat
 * in the route, where an ip encap's `dst` follows the route's own. Objects become [key, value]
 * pair lists.
 */
function pairs(text) {
  let i = 0
  const ws = () => {
    while (/\s/.test(text[i])) i++
  }
  const value = () => {
    ws()
    if (text[i] === '{') {
      const out = []
      i++
      ws()
      if (text[i] === '}') {
        i++
        return out
      }
      for (;;) {
        const k = value()
        ws()
        i++ // ':'
        out.push([k, value()])
        ws()
        if (text[i++] === '}') return out
      }
    }
    if (text[i] === '[') {
      const out = []
      i++
      ws()
      if (text[i] === ']') {
        i++
        return out
      }
      for (;;) {
        out.push(value())
        ws()
        if (text[i++] === ']') return out
      }
    }
    const m = /^("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true|false|null)/.exec(text.slice(i))
    i += m[0].length
    return JSON.parse(m[0])
  }
  return value()
}

/** ip's routes (`ip -j -d [-6] route show table all`) as pair lists. */
function ipRoutes(ns, family) {
  const out = execFileSync('ip', ['-n', ns, '-j', '-d', `-${family}`, 'route', 'show', 'table', 'all'], { encoding: 'utf8' })
  return out.trim() === '' ? [] : pairs(out)
}

/** The route to `dst` in ip's view: its first `dst` and its encap's fields (between "encap" and the route's next hop or device). */
function ipRoute(ns, family, dst) {
  const r = ipRoutes(ns, family).find((p) => p.find(([k]) => k === 'dst')?.[1] === dst)
  if (!r) return undefined
  const at = r.findIndex(([k]) => k === 'encap')
  const end = r.findIndex(([k], j) => j > at && ['gateway', 'via', 'dev'].includes(k))
  const route = Object.fromEntries(r.filter((_, j) => at < 0 || j <= at || j >= end).reverse())
  route.dst = dst
  return { route, encap: at < 0 ? undefined : { type: r[at][1], ...Object.fromEntries(r.slice(at + 1, end)) } }
}

/** ip's encap fields in nlkit's shape: `segs` is `segments` (without the slot ip keeps for the packet's own destination), `hmac` a number. */
function fromIp(e, placeholder = false) {
  const out = { ...e }
  const srh = Array.isArray(e.srh) ? Object.fromEntries(e.srh) : e
  if (srh.segs !== undefined) {
    out.segments = placeholder && srh.segs.at(-1) === '::' ? srh.segs.slice(0, -1) : srh.segs
    if (srh.hmac !== undefined) out.hmac = Number.parseInt(srh.hmac, 16)
  }
  delete out.segs
  delete out.srh
  if (e.srh === undefined && e.hmac !== undefined) out.hmac = Number.parseInt(e.hmac, 16)
  for (const k of ['table', 'vrftable']) if (out[k] !== undefined) out[k] = Number(out[k])
  return out
}

async function listed(c, dst) {
  return (await c.routeList({ table: 'all' })).find((r) => r.dst === dst)
}

test('seg6 encaps (every mode, with hmac) added by nlkit equal ip -j -d, and read back the same', async (t) => {
  const { ns, c, a } = await setup(t)
  const segs = ['2001:db8:213:ff::1', '2001:db8:213:ff::2']
  const cases = [
    { dst: '10.213.1.0/24', family: 4, encap: { type: 'seg6', mode: 'encap', segments: segs } },
    { dst: '2001:db8:213:1::/64', family: 6, encap: { type: 'seg6', mode: 'inline', segments: segs.slice(0, 1), hmac: 7 } },
    { dst: '2001:db8:213:2::/64', family: 6, encap: { type: 'seg6', mode: 'l2encap', segments: segs } },
    { dst: '2001:db8:213:3::/64', family: 6, encap: { type: 'seg6', mode: 'encap.red', segments: segs, hmac: 9 } },
    { dst: '2001:db8:213:4::/64', family: 6, encap: { type: 'seg6', mode: 'l2encap.red', segments: segs.slice(1) } },
  ]
  for (const r of cases) {
    await c.routeAdd({ dst: r.dst, dev: a, encap: r.encap })
    const theirs = ipRoute(ns, r.family, r.dst)
    t.truthy(theirs, r.dst)
    t.deepEqual(fromIp(theirs.encap, r.encap.mode === 'inline'), r.encap, `ip's view of ${r.dst}`)
    t.is(theirs.route.dev, a)
    const mine = await listed(c, r.dst)
    t.deepEqual(mine.encap, r.encap, `nlkit's view of ${r.dst}`)
    // A listed route can be given back: replace with itself changes nothing.
    await c.routeReplace(mine)
    t.deepEqual(fromIp(ipRoute(ns, r.family, r.dst).encap, r.encap.mode === 'inline'), r.encap)
  }
})

test('ip and ip6 encaps, and seg6local actions, both ways', async (t) => {
  const { ns, c, a, b } = await setup(t)
  const ib = JSON.parse(execFileSync('ip', ['-n', ns, '-j', 'link', 'show', b], { encoding: 'utf8' }))[0].ifindex
  const cases = [
    {
      dst: '10.213.2.0/24',
      family: 4,
      encap: { type: 'ip', id: 42, dst: '10.213.0.9', src: '10.213.0.1', ttl: 5, tos: 16, key: true, csum: true },
    },
    {
      dst: '10.213.3.0/24',
      family: 4,
      encap: { type: 'ip6', id: 43, dst: '2001:db8:213::9', src: '2001:db8:213::1', hoplimit: 6, tc: 1, key: true },
    },
    { dst: '2001:db8:213:10::/64', family: 6, encap: { type: 'seg6local', action: 'End' } },
    { dst: '2001:db8:213:11::/64', family: 6, encap: { type: 'seg6local', action: 'End.X', nh6: '2001:db8:213::2' } },
    { dst: '2001:db8:213:12::/64', family: 6, encap: { type: 'seg6local', action: 'End.DT6', table: 254 } },
    { dst: '2001:db8:213:13::/64', family: 6, encap: { type: 'seg6local', action: 'End.DX4', nh4: '10.213.0.2' } },
    { dst: '2001:db8:213:14::/64', family: 6, encap: { type: 'seg6local', action: 'End.DX2', oif: ib } },
    {
      dst: '2001:db8:213:15::/64',
      family: 6,
      encap: { type: 'seg6local', action: 'End.B6', segments: ['2001:db8:213:ff::1', '2001:db8:213:ff::2'] },
    },
  ]
  for (const r of cases) {
    await c.routeAdd({ dst: r.dst, dev: a, encap: r.encap })
    const theirs = fromIp(ipRoute(ns, r.family, r.dst).encap, r.encap.action === 'End.B6')
    // ip prints a seg6local device by name, the main table as "main".
    if (theirs.oif !== undefined) theirs.oif = ib
    if (Number.isNaN(theirs.table)) theirs.table = 254
    t.deepEqual(theirs, r.encap, `ip's view of ${r.dst}`)
    t.deepEqual((await listed(c, r.dst)).encap, r.encap, `nlkit's view of ${r.dst}`)
  }
  // Added by ip, read by nlkit (the kernel reports an ip encap's unset fields as zeros).
  ipDo(['-n', ns, 'route', 'add', '10.213.4.0/24', 'encap', 'ip', 'dst', '10.213.0.8', 'key', 'dev', a])
  const e = (await listed(c, '10.213.4.0/24')).encap
  t.deepEqual(e, fromIp(ipRoute(ns, 4, '10.213.4.0/24').encap))
  t.is(e.dst, '10.213.0.8')
  ipDo(['-n', ns, '-6', 'route', 'add', '2001:db8:213:20::/64', 'encap', 'seg6', 'mode', 'encap', 'segs', '2001:db8:213:ff::7', 'dev', a])
  t.deepEqual((await listed(c, '2001:db8:213:20::/64')).encap, { type: 'seg6', mode: 'encap', segments: ['2001:db8:213:ff::7'] })
})

test('via (an IPv6 next hop for an IPv4 route, also per multipath path) and expires, both ways', async (t) => {
  const { ns, c, a } = await setup(t)
  await c.routeAdd({ dst: '10.213.5.0/24', dev: a, via: '2001:db8:213::2' })
  const theirs = ipRoute(ns, 4, '10.213.5.0/24').route
  t.deepEqual(Object.fromEntries(theirs.via), { family: 'inet6', host: '2001:db8:213::2' })
  const mine = await listed(c, '10.213.5.0/24')
  t.deepEqual(mine.via, { family: 'inet6', host: '2001:db8:213::2' })
  t.is(mine.gateway, undefined)
  t.is(mine.scope, theirs.scope)
  await c.routeDel(mine)
  t.is(ipRoute(ns, 4, '10.213.5.0/24'), undefined)
  ipDo(['-n', ns, 'route', 'add', '10.213.6.0/24', 'via', 'inet6', '2001:db8:213::3', 'dev', a])
  t.deepEqual((await listed(c, '10.213.6.0/24')).via, { family: 'inet6', host: '2001:db8:213::3' })
  // via inside multipath paths: as ip -j prints them, and a listed route given back.
  await c.routeAdd({
    dst: '10.213.16.0/24',
    nexthops: [
      { via: '2001:db8:213::2', dev: a },
      { via: { family: 'inet6', host: '2001:db8:213::3' }, dev: a },
    ],
  })
  const ipMp = JSON.parse(execFileSync('ip', ['-n', ns, '-j', 'route', 'show', '10.213.16.0/24'], { encoding: 'utf8' }))[0]
  const mp = await listed(c, '10.213.16.0/24')
  t.deepEqual(
    mp.nexthops.map((n) => n.via),
    ipMp.nexthops.map((n) => n.via),
  )
  t.deepEqual(
    ipMp.nexthops.map((n) => n.via.host),
    ['2001:db8:213::2', '2001:db8:213::3'],
  )
  await c.routeReplace({ ...mp, nexthops: mp.nexthops.map(({ via, dev, weight }) => ({ via, dev, weight })) })
  t.deepEqual((await listed(c, '10.213.16.0/24')).nexthops, mp.nexthops)
  await t.throwsAsync(c.routeAdd({ dst: '10.213.17.0/24', nexthops: [{ via: '2001:db8:213::2', gateway: '10.213.0.2', dev: a }] }), {
    instanceOf: TypeError,
    message: /nexthops\[0\]: give either gateway or via/,
  })

  await c.routeAdd({ dst: '2001:db8:213:30::/64', dev: a, expires: 300 })
  const ipExpires = ipRoute(ns, 6, '2001:db8:213:30::/64').route.expires
  const myExpires = (await listed(c, '2001:db8:213:30::/64')).expires
  // Both count down from 300: read a moment apart, they differ by a second at most.
  t.true(ipExpires > 290 && ipExpires <= 300, `ip: ${ipExpires}`)
  t.true(Math.abs(myExpires - ipExpires) <= 1, `nlkit ${myExpires}, ip ${ipExpires}`)
})

test('encaps on nexthop objects and multipath paths', async (t) => {
  const { ns, c, a } = await setup(t)
  const encap = { type: 'seg6', mode: 'encap', segments: ['2001:db8:213:ff::1'] }
  await c.nexthopAdd({ id: 21, dev: a, encap })
  const out = execFileSync('ip', ['-n', ns, '-j', '-d', 'nexthop', 'show', 'id', '21'], { encoding: 'utf8' })
  const p = pairs(out)[0]
  const at = p.findIndex(([k]) => k === 'encap')
  const end = p.findIndex(([k], j) => j > at && k === 'dev')
  t.deepEqual(fromIp({ type: p[at][1], ...Object.fromEntries(p.slice(at + 1, end)) }), encap)
  t.deepEqual((await c.nexthopGet(21)).encap, encap)
  ipDo(['-n', ns, 'nexthop', 'add', 'id', '22', 'encap', 'ip', 'dst', '10.213.0.7', 'dev', a])
  t.is((await c.nexthopGet(22)).encap.dst, '10.213.0.7')

  const ipEncap = { type: 'ip', dst: '10.213.0.6', ttl: 9 }
  await c.routeAdd({
    dst: '10.213.7.0/24',
    nexthops: [
      { gateway: '10.213.0.2', dev: a, encap: ipEncap },
      { gateway: '10.213.0.3', dev: a },
    ],
  })
  const [one, two] = (await listed(c, '10.213.7.0/24')).nexthops
  t.like(one.encap, ipEncap)
  t.is(two.encap, undefined)
  const ip = JSON.parse(execFileSync('ip', ['-n', ns, '-j', '-d', 'route', 'show', '10.213.7.0/24'], { encoding: 'utf8' }))[0]
  t.is(ip.nexthops[0].encap, 'ip')
  t.is(ip.nexthops[1].encap, undefined)
})

test('mpls and ioam6 encaps: added where the kernel has them, else skipped naming the encap', async (t) => {
  const { ns, c, a } = await setup(t)
  const cases = [
    ['mpls', { dst: '10.213.8.0/24', encap: { type: 'mpls', labels: [100, 200], ttl: 10 } }],
    ['ioam6', { dst: '2001:db8:213:40::/64', encap: { type: 'ioam6', traceType: 0x800000, ns: 1, size: 12 } }],
  ]
  for (const [kind, r] of cases) {
    try {
      await c.routeAdd({ ...r, dev: a })
    } catch (err) {
      if (['EOPNOTSUPP', 'EINVAL', 'EBADF'].includes(err.code)) {
        t.log(`skipped ${kind}: this kernel refuses the ${kind} encap (${err.code}: ${err.message})`)
        t.is(ipRoute(ns, r.dst.includes(':') ? 6 : 4, r.dst), undefined)
        continue
      }
      throw err
    }
    const mine = await listed(c, r.dst)
    t.is(mine.encap.type, kind)
    t.is(ipRoute(ns, r.dst.includes(':') ? 6 : 4, r.dst).encap.type, kind)
  }
  t.pass()
})

test('seg6local count and flavors (psp, next-csid with lblen/nflen): as ip -j -d and ip -s show them', async (t) => {
  const { ns, c, a } = await setup(t)
  await c.routeAdd({ dst: '2001:db8:213:20::/64', dev: a, encap: { type: 'seg6local', action: 'End', count: true } })
  await c.routeAdd({ dst: '2001:db8:213:21::/64', dev: a, encap: { type: 'seg6local', action: 'End', flavors: ['psp'] } })
  await c.routeAdd({
    dst: '2001:db8:213:22::/64',
    dev: a,
    encap: { type: 'seg6local', action: 'End', flavors: ['next-csid'], lblen: 32, nflen: 16 },
  })
  const raw = (dst, s = []) =>
    JSON.parse(execFileSync('ip', ['-n', ns, '-j', '-d', ...s, '-6', 'route', 'show', dst], { encoding: 'utf8' }))[0]
  const counted = await listed(c, '2001:db8:213:20::/64')
  t.like(counted.encap, { type: 'seg6local', action: 'End', count: true, counters: { packets: 0, bytes: 0, errors: 0 } })
  const ipc = raw('2001:db8:213:20::/64', ['-s'])
  if (ipc.packets !== undefined) t.is(counted.encap.counters.packets, ipc.packets)
  t.deepEqual(raw('2001:db8:213:21::/64').flavors, ['psp'])
  t.deepEqual((await listed(c, '2001:db8:213:21::/64')).encap.flavors, ['psp'])
  t.like(raw('2001:db8:213:22::/64'), { flavors: ['next-csid'], lblen: 32, nflen: 16 })
  t.like((await listed(c, '2001:db8:213:22::/64')).encap, { flavors: ['next-csid'], lblen: 32, nflen: 16 })
  // A listed route given back (counters included) replaces it unchanged.
  await c.routeReplace({ dst: '2001:db8:213:20::/64', dev: a, encap: counted.encap })
  t.true((await listed(c, '2001:db8:213:20::/64')).encap.count)
  await t.throwsAsync(c.routeAdd({ dst: '2001:db8:213:23::/64', dev: a, encap: { type: 'seg6local', action: 'End', flavors: ['fast'] } }), {
    instanceOf: RangeError,
    message: /encap.flavors\[0\]/,
  })
  await t.throwsAsync(c.routeAdd({ dst: '2001:db8:213:23::/64', dev: a, encap: { type: 'seg6local', action: 'End', lblen: 32 } }), {
    instanceOf: RangeError,
    message: /flavors/,
  })
  t.is(ipRoute(ns, 6, '2001:db8:213:23::/64'), undefined)
})

/** LWT programs (`r0 = BPF_OK; exit`) pinned in a bpf filesystem of the test's own. */
function lwtPrograms(t) {
  const dir = mkdtempSync(join(tmpdir(), 'nlk-rte-bpf-'))
  execFileSync('mount', ['-t', 'bpf', 'bpf', dir])
  t.teardown(() => {
    execFileSync('umount', [dir])
    rmSync(dir, { recursive: true })
  })
  const helper = new URL('./support/bpf-prog.py', import.meta.url).pathname
  const paths = {}
  for (const hook of ['in', 'out', 'xmit']) {
    paths[hook] = join(dir, hook)
    execFileSync('python3', [helper, paths[hook], '0', `lwt_${hook}`])
  }
  return paths
}

test('bpf encap with pinned programs on every hook: listed as ip -d route shows it; a descriptor that is no program refused', async (t) => {
  const { ns, c, a } = await setup(t)
  const p = lwtPrograms(t)
  const encap = {
    type: 'bpf',
    in: { pinned: p.in, name: 'hin' },
    out: { pinned: p.out, name: 'hout' },
    xmit: { pinned: p.xmit, name: 'hxmit' },
    headroom: 14,
  }
  await c.routeAdd({ dst: '10.213.9.0/24', dev: a, encap })
  const ip = ipRoute(ns, 4, '10.213.9.0/24')
  t.is(ip.encap.type, 'bpf')
  const mine = await listed(c, '10.213.9.0/24')
  t.deepEqual(mine.encap, { type: 'bpf', in: { name: 'hin' }, out: { name: 'hout' }, xmit: { name: 'hxmit' } })
  const raw = JSON.parse(execFileSync('ip', ['-n', ns, '-j', '-d', 'route', 'show', '10.213.9.0/24'], { encoding: 'utf8' }))[0]
  t.like(raw, { encap: 'bpf', in: 'hin', out: 'hout', xmit: 'hxmit' })
  // Given back (by name only, no program): refused before anything is sent.
  await t.throwsAsync(c.routeReplace({ dst: '10.213.9.0/24', dev: a, encap: mine.encap }), {
    instanceOf: TypeError,
    message: /encap.in takes either fd or pinned/,
  })
  // stdin (fd 0) is no BPF program: the kernel refuses it and nothing is added.
  const e = await t.throwsAsync(c.routeAdd({ dst: '10.213.10.0/24', dev: a, encap: { type: 'bpf', xmit: { fd: 0, name: 'x' } } }))
  t.true(['EBADF', 'EINVAL'].includes(e.code), e.message)
  t.is(ipRoute(ns, 4, '10.213.10.0/24'), undefined)
})

test('seg6local End.BPF with a pinned lwt_seg6local program: listed as ip -j -d shows it, made by ip and read back', async (t) => {
  const { ns, c, a } = await setup(t)
  const dir = mkdtempSync(join(tmpdir(), 'nlk-rte-bpf-'))
  execFileSync('mount', ['-t', 'bpf', 'bpf', dir])
  t.teardown(() => {
    execFileSync('umount', [dir])
    rmSync(dir, { recursive: true })
  })
  const path = join(dir, 'end')
  execFileSync('python3', [new URL('./support/bpf-prog.py', import.meta.url).pathname, path, '0', 'lwt_seg6local'])
  const show = (dst) => JSON.parse(execFileSync('ip', ['-n', ns, '-j', '-d', '-6', 'route', 'show', dst], { encoding: 'utf8' }))[0]
  await c.routeAdd({ dst: '2001:db8:213:30::/64', dev: a, encap: { type: 'seg6local', action: 'End.BPF', endpoint: { pinned: path } } })
  t.like(show('2001:db8:213:30::/64'), { encap: 'seg6local', action: 'End.BPF', endpoint: 'end:[*fsobj]' })
  t.deepEqual((await listed(c, '2001:db8:213:30::/64')).encap, { type: 'seg6local', action: 'End.BPF', endpoint: { name: 'end:[*fsobj]' } })
  // A name of one's own, and a route ip made, read back.
  await c.routeAdd({
    dst: '2001:db8:213:31::/64',
    dev: a,
    encap: { type: 'seg6local', action: 'End.BPF', endpoint: { pinned: path, name: 'mine' } },
  })
  t.is(show('2001:db8:213:31::/64').endpoint, 'mine')
  ipDo([
    '-n',
    ns,
    '-6',
    'route',
    'add',
    '2001:db8:213:32::/64',
    'encap',
    'seg6local',
    'action',
    'End.BPF',
    'endpoint',
    'pinned',
    path,
    'dev',
    a,
  ])
  t.deepEqual((await listed(c, '2001:db8:213:32::/64')).encap.endpoint, { name: 'end:[*fsobj]' })
  // Without its program, or a program on another action: refused before anything is sent.
  const before = ipRoutes(ns, 6)
  for (const encap of [
    { type: 'seg6local', action: 'End.BPF' },
    { type: 'seg6local', action: 'End', endpoint: { pinned: path } },
    { type: 'seg6local', action: 'End.BPF', endpoint: { name: 'x' } },
  ])
    await t.throwsAsync(c.routeAdd({ dst: '2001:db8:213:33::/64', dev: a, encap }), { instanceOf: TypeError, message: /encap\.endpoint/ })
  // stdin is no program: the kernel's refusal comes through, nothing added.
  const e = await t.throwsAsync(
    c.routeAdd({ dst: '2001:db8:213:33::/64', dev: a, encap: { type: 'seg6local', action: 'End.BPF', endpoint: { fd: 0 } } }),
  )
  t.true(['EBADF', 'EINVAL'].includes(e.code), e.message)
  t.deepEqual(ipRoutes(ns, 6), before)
})

test('refusals before anything is sent name the argument; ip -j route is unchanged', async (t) => {
  const { ns, c, a } = await setup(t)
  const before = [ipRoutes(ns, 4), ipRoutes(ns, 6)]
  const bad = [
    [{ type: 'gre', dst: '10.213.0.9' }, RangeError, /encap\.type/],
    [{ type: 'seg6', mode: 'encap', segments: ['10.213.0.9'] }, TypeError, /encap\.segments\[0\]/],
    [{ type: 'seg6', mode: 'encap', segments: [] }, TypeError, /encap\.segments/],
    [{ type: 'seg6', mode: 'tunnel', segments: ['2001:db8:213:ff::1'] }, RangeError, /encap\.mode/],
    [{ type: 'seg6', segments: ['2001:db8:213:ff::1'] }, TypeError, /encap\.mode/],
    [{ type: 'ip', id: 1 }, TypeError, /encap\.dst/],
    [{ type: 'ip', dst: '2001:db8:213::9' }, TypeError, /encap\.dst/],
    [{ type: 'ip', dst: '10.213.0.9', ttl: 256 }, RangeError, /encap\.ttl/],
    [{ type: 'ip', dst: '10.213.0.9', hoplimit: 5 }, RangeError, /hoplimit/],
    [{ type: 'mpls', labels: [1 << 20] }, RangeError, /encap\.labels\[0\]/],
    [{ type: 'seg6local', action: 'End.Z' }, RangeError, /encap\.action/],
    [{ type: 'ioam6', traceType: 1, ns: 1, size: 10 }, RangeError, /encap\.size/],
    [{ type: 'ioam6', mode: 'encap', traceType: 1, ns: 1, size: 12 }, TypeError, /encap\.tundst/],
    [{ type: 'bpf', headroom: 10 }, TypeError, /program/],
    ['seg6', TypeError, /encap must be an object/],
  ]
  for (const [encap, cls, msg] of bad) {
    const err = await t.throwsAsync(c.routeAdd({ dst: '10.213.10.0/24', dev: a, encap }), { instanceOf: cls }, JSON.stringify(encap))
    t.regex(err.message, msg)
  }
  await t.throwsAsync(c.routeAdd({ dst: '10.213.10.0/24', dev: a, via: 'nowhere' }), { instanceOf: TypeError, message: /via/ })
  await t.throwsAsync(c.routeAdd({ dst: '10.213.10.0/24', gateway: '10.213.0.2', via: '2001:db8:213::2' }), {
    instanceOf: TypeError,
    message: /via/,
  })
  await t.throwsAsync(c.routeAdd({ dst: '10.213.10.0/24', dev: a, expires: 60 }), { instanceOf: RangeError, message: /expires/ })
  await t.throwsAsync(c.routeAdd({ dst: '10.213.10.0/24', dev: a, expires: -1 }), { instanceOf: RangeError, message: /expires/ })
  await t.throwsAsync(c.nexthopAdd({ id: 5, group: [1], encap: { type: 'mpls', labels: [1] } }), {
    instanceOf: TypeError,
    message: /encap/,
  })
  t.deepEqual([ipRoutes(ns, 4), ipRoutes(ns, 6)], before)
})
