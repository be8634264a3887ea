// bpf, the classifier other than u32 this kernel has, against tc: classic bytecode filters
// added by nlkit and by tc, compared field by field with `tc -s -j filter show`, given back and
// deleted; an eBPF program (loaded and pinned by support/bpf-prog.py in a bpf filesystem of the
// test's own) attached by its pinned path; refusals before anything is sent (tc unchanged); and
// the effect: a classic program matching UDP to one port with a mirred redirect into an ifb,
// counted on the filter and on the ifb. The other classifiers: tc-cls-kinds.test.mjs.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import test from 'ava'
import { namer, nsNamer } from './support/names.mjs'
import { nsConn } from './support/netns.mjs'
import { owned } from './support/registry.mjs'
import { tcFilters } from './support/tc.mjs'
import { clean, links, myActions, place as placeIn, rules, run, tcIn, theirActions } from './support/tc-cls.mjs'
import { waitFor } from './support/wait.mjs'

const own = owned('tc-cls')
const name = namer(own.prefix)
const nsName = nsNamer(`${own.netns[0]}${process.pid}-`)
const place = (t) => placeIn(t, nsName, name)

function theirs(f) {
  const o = f.options ?? {}
  const bc = o.bytecode
  return clean({
    pref: f.pref,
    protocol: f.protocol,
    handle: o.handle,
    flowid: o.flowid,
    bytecode: bc && [bc.length, ...bc.insns.map((i) => `${i.code} ${i.jt} ${i.jf} ${i.k}`)].join(','),
    name: o.bpf_name,
    directAction: o['direct-action'],
    skipHw: o.skip_hw,
    skipSw: o.skip_sw,
    notInHw: o.not_in_hw,
    id: o.prog?.id,
    tag: o.prog?.tag,
    actions: theirActions(o.actions),
  })
}

function mine(f, devOf) {
  const o = f.options
  return clean({
    pref: f.pref,
    protocol: f.protocol,
    handle: f.handle,
    flowid: o.flowid,
    bytecode: o.bytecode,
    name: o.name,
    directAction: o.directAction,
    skipHw: o.skipHw,
    skipSw: o.skipSw,
    notInHw: o.notInHw,
    id: o.id,
    tag: o.tag,
    actions: myActions(o.actions, devOf),
  })
}

async function same(t, p, what) {
  const devOf = (i) => Object.entries(p.index).find(([, v]) => v === i)?.[0]
  const ours = rules(await p.c.filterList({ dev: p.a, parent: 'ingress' }))
  const tcs = tcFilters(p.ns, p.a, 'ingress').filter((f) => f.options?.handle)
  t.deepEqual(
    ours.map((f) => mine(f, devOf)),
    tcs.map(theirs),
    what,
  )
  return ours
}

const UDP = (port) =>
  `11,40 0 0 12,21 0 8 2048,48 0 0 23,21 0 6 17,40 0 0 20,69 4 0 8191,177 0 0 14,72 0 0 16,21 0 1 ${port},6 0 0 4294967295,6 0 0 0`

test('bpf with classic bytecode: added by nlkit and by tc, the same in both listings, given back, deleted', async (t) => {
  const p = await place(t)
  const at = { dev: p.a, parent: 'ingress', kind: 'bpf' }
  await p.c.filterAdd({ ...at, protocol: 'ip', pref: 1, bytecode: UDP(53), classid: '1:1', skipHw: true })
  await p.c.filterAdd({
    ...at,
    protocol: 'all',
    pref: 2,
    handle: 5,
    bytecode: [
      [6, 0, 0, 0],
      [6, 0, 0, 1],
    ],
    directAction: true,
    actions: [{ kind: 'mirred', action: 'redirect', ifindex: p.index[p.ifb] }],
  })
  tcIn(p.ns, [
    'filter',
    'add',
    'dev',
    p.a,
    'ingress',
    'protocol',
    'ip',
    'pref',
    '3',
    'bpf',
    'bytecode',
    '1,6 0 0 65535',
    'flowid',
    '1:3',
    'skip_hw',
  ])
  const listed = await same(t, p, 'after the adds')
  t.is(listed.length, 3)
  t.like(listed[1], { handle: '0x5', options: { bytecode: '2,6 0 0 0,6 0 0 1', directAction: true } })
  t.like(listed[2].options, { flowid: '1:3', skipHw: true, notInHw: true })

  // Given back: each deleted and added again from its listing makes the same listing.
  const before = tcFilters(p.ns, p.a, 'ingress').map(theirs)
  for (const f of listed) {
    const where = { ...at, protocol: f.protocol, pref: f.pref, handle: f.handle }
    await p.c.filterDel(where)
    await p.c.filterAdd({ ...where, ...f.options })
  }
  t.deepEqual(tcFilters(p.ns, p.a, 'ingress').map(theirs), before, 'the same filters again')

  // Replaced: another program and class (the kernel keeps a filter's offload flags: skipHw again).
  await p.c.filterReplace({ ...at, protocol: 'ip', pref: 1, handle: listed[0].handle, bytecode: '1,6 0 0 0', classid: '1:9', skipHw: true })
  const after = await same(t, p, 'after a replace')
  t.like(after[0].options, { bytecode: '1,6 0 0 0', flowid: '1:9' })
  await p.c.filterDel({ dev: p.a, parent: 'ingress', protocol: 'ip', pref: 1 })
  await p.c.filterDel({ dev: p.a, parent: 'ingress', protocol: 'all', pref: 2, handle: '0x5', kind: 'bpf' })
  t.deepEqual(
    (await same(t, p, 'after the deletes')).map((f) => f.pref),
    [3],
  )
})

/** A bpf filesystem of the test's own with a pinned program returning `verdict`. */
function pinned(t, verdict) {
  const dir = mkdtempSync(join(tmpdir(), 'nlk-tcl-bpf-'))
  run('mount', ['-t', 'bpf', 'bpf', dir])
  t.teardown(() => {
    run('umount', [dir])
    rmSync(dir, { recursive: true })
  })
  const path = join(dir, 'verdict')
  run('python3', [new URL('./support/bpf-prog.py', import.meta.url).pathname, path, verdict])
  return path
}

test('bpf with an eBPF program by its pinned path (da): listed with its name, id and tag as tc lists them', async (t) => {
  const p = await place(t)
  const path = pinned(t, 0)
  await p.c.filterAdd({ dev: p.a, parent: 'ingress', kind: 'bpf', pref: 1, pinned: path, directAction: true })
  await p.c.filterAdd({ dev: p.a, parent: 'ingress', kind: 'bpf', pref: 2, pinned: path, name: 'mine', classid: '1:2' })
  const listed = await same(t, p, 'eBPF filters')
  t.like(listed[0].options, { name: 'verdict:[*fsobj]', directAction: true })
  t.is(listed[1].options.name, 'mine')
  t.true(listed[0].options.id > 0 && /^[0-9a-f]{16}$/.test(listed[0].options.tag), JSON.stringify(listed[0].options))
  const e = await t.throwsAsync(p.c.filterAdd({ dev: p.a, parent: 'ingress', kind: 'bpf', pref: 3, pinned: `${path}-nosuch` }))
  t.true(e instanceof RangeError || e instanceof TypeError, `${e.constructor.name}: ${e.message}`)
  t.regex(e.message, /pinned ".*-nosuch": .*No such file/)
})

test('bad bpf specs are refused before anything is sent; tc shows nothing changed', async (t) => {
  const p = await place(t)
  tcIn(p.ns, ['filter', 'add', 'dev', p.a, 'ingress', 'protocol', 'ip', 'pref', '1', 'bpf', 'bytecode', '1,6 0 0 0'])
  const before = tcFilters(p.ns, p.a, 'ingress').map(theirs)
  const at = { dev: p.a, parent: 'ingress', protocol: 'ip', pref: 2, kind: 'bpf' }
  const bad = [
    [{}, /a program is required/],
    [{ bytecode: '2,6 0 0 0' }, /bytecode: .*count says 2/],
    [{ bytecode: '1,6 0 0' }, /bytecode: instruction 0/],
    [{ bytecode: [[6, 0, 0]] }, /bytecode\[0\] must be/],
    [{ bytecode: [[6, 0, 300, 0]] }, /bytecode\[0\] must be/],
    [{ bytecode: 7 }, /bytecode must be/],
    [{ bytecode: '1,6 0 0 0', fd: 3 }, /give one/],
    [{ bytecode: '1,6 0 0 0', name: 'x' }, /name is for fd and pinned/],
    [{ fd: -1 }, /fd must be between/],
    [{ bytecode: '1,6 0 0 0', skipHw: true, skipSw: true }, /mutually exclusive/],
    [{ bytecode: '1,6 0 0 0', classid: 'x:y' }, /classid/],
    [{ bytecode: '1,6 0 0 0', directAction: 1 }, /directAction must be a boolean/],
    [{ bytecode: '1,6 0 0 0', nosuch: 1 }, /unknown setting "nosuch"/],
    [{ bytecode: '1,6 0 0 0', actions: [{ kind: 'mirred', action: 'redirect' }] }, /dev is required/],
  ]
  for (const [spec, why] of bad) {
    const e = await t.throwsAsync(p.c.filterAdd({ ...at, ...spec }), undefined, JSON.stringify(spec))
    t.true(e instanceof TypeError || e instanceof RangeError, `${e.constructor.name}: ${e.message}`)
    t.regex(e.message, why)
  }
  t.deepEqual(tcFilters(p.ns, p.a, 'ingress').map(theirs), before, 'tc unchanged after the refusals')
})

const SENDER = `
const dgram = require('node:dgram')
const [dst, port, count] = [process.argv[1], +process.argv[2], +process.argv[3]]
const s = dgram.createSocket('udp4')
let n = 0
const next = () => (n++ < count ? s.send(Buffer.alloc(64, 1), port, dst, (e) => (e ? process.exit(1) : next())) : s.close())
next()
`

test('effect: a classic bpf program matching UDP to one port redirects exactly those datagrams into an ifb', async (t) => {
  const [nsA, nsB] = [nsName(), nsName()]
  await nsConn(t, nsA)
  const c = await nsConn(t, nsB)
  const [s, r, ifb] = [name(), name(), name()]
  run('ip', ['-n', nsA, 'link', 'add', s, 'type', 'veth', 'peer', 'name', r, 'netns', nsB])
  run('ip', ['-n', nsB, 'link', 'add', ifb, 'type', 'ifb'])
  run('ip', ['-n', nsB, 'link', 'set', ifb, 'addrgenmode', 'none'])
  run('ip', ['-n', nsA, 'addr', 'add', '10.178.9.1/24', 'dev', s])
  run('ip', ['-n', nsB, 'addr', 'add', '10.178.9.2/24', 'dev', r])
  for (const [ns, dev] of [
    [nsA, s],
    [nsB, r],
    [nsB, ifb],
  ])
    run('ip', ['-n', ns, 'link', 'set', dev, 'up'])
  const ifbIndex = links(nsB).find((l) => l.ifname === ifb).ifindex
  await c.qdiscAdd({ dev: r, parent: 'clsact', kind: 'clsact' })
  await c.filterAdd({
    dev: r,
    parent: 'ingress',
    protocol: 'ip',
    pref: 1,
    kind: 'bpf',
    bytecode: UDP(7101),
    actions: [{ kind: 'mirred', action: 'redirect', ifindex: ifbIndex }],
  })
  const send = (port, count) => run('ip', ['netns', 'exec', nsA, process.execPath, '-e', SENDER, '10.178.9.2', port, count])
  const ifbCounts = () => {
    const l = links(nsB).find((x) => x.ifname === ifb)
    return { rx: l.stats64.rx.packets, tx: l.stats64.tx.packets }
  }
  const ruleCounts = async () => {
    const [f] = rules(await c.filterList({ dev: r, parent: 'ingress' }))
    const [theirsF] = tcFilters(nsB, r, 'ingress').filter((x) => x.options?.handle)
    return { nlkit: f.options.actions[0].stats.packets, tc: theirsF.options.actions[0].stats.packets }
  }
  const base = ifbCounts()
  const N = 40
  send(7101, N)
  await waitFor(async () => (await ruleCounts()).nlkit >= N, { what: 'the redirect to count the datagrams' })
  t.deepEqual(await ruleCounts(), { nlkit: N, tc: N }, 'the program matched every datagram to port 7101 (nlkit and tc -s)')
  await waitFor(() => ifbCounts().tx - base.tx >= N, { what: 'the ifb to pass the datagrams' })
  t.deepEqual(ifbCounts(), { rx: base.rx + N, tx: base.tx + N }, 'the ifb received and passed them')

  // 25 to another port pass the program by; one more to 7101 marks the end.
  const rxBefore = links(nsB).find((x) => x.ifname === r).stats64.rx.packets
  send(7102, 25)
  send(7101, 1)
  await waitFor(async () => (await ruleCounts()).nlkit >= N + 1, { what: 'the marker datagram' })
  t.deepEqual(await ruleCounts(), { nlkit: N + 1, tc: N + 1 }, 'none of the 25 to port 7102 matched')
  await waitFor(() => ifbCounts().tx - base.tx >= N + 1, { what: 'the ifb to pass the marker' })
  t.deepEqual(ifbCounts(), { rx: base.rx + N + 1, tx: base.tx + N + 1 }, 'the ifb saw none of them')
  t.true(links(nsB).find((x) => x.ifname === r).stats64.rx.packets - rxBefore >= 26, 'the datagrams to port 7102 did arrive')
})
