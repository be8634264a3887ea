// The classifiers other than u32 against tc. bpf (this kernel has it): classic bytecode filters
// added by nlkit and by tc, compared field by field with `tc -s -j filter show`, given back and
// deleted; an eBPF program (loaded and pinned by support/bpf-prog.py in a bpf filesystem of the
// test's own) attached by its pinned path; refusals before anything is sent (tc unchanged); and
// the effect: a classic program matching UDP to one port with a mirred redirect into an ifb,
// counted on the filter and on the ifb. matchall, flower, fw and basic are not in this kernel:
// their requests are checked against tc's bytes in the core's unit tests, and here each is
// tried once and skipped naming the kind when the kernel refuses it.

import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import test from 'ava'
import { namer, nsNamer } from './support/names.mjs'
import { nsConn } from './support/netns.mjs'
import { owned } from './support/registry.mjs'
import { tcFilters } from './support/tc.mjs'
import { waitFor } from './support/wait.mjs'

const own = owned('tc-cls')
const name = namer(own.prefix)
const nsName = nsNamer(`${own.netns[0]}${process.pid}-`)

const run = (cmd, args) => execFileSync(cmd, args.map(String), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
const tcIn = (ns, args) => run('tc', ['-n', ns, ...args])
const links = (ns) => JSON.parse(run('ip', ['-n', ns, '-j', '-s', 'link', 'show']))

/** A namespace with a veth pair (`a`, `b`) and an ifb, all up, clsact on `a`, and nlkit in it. */
async function place(t) {
  const ns = nsName()
  const c = await nsConn(t, ns)
  const [a, b, ifb] = [name(), name(), name()]
  run('ip', ['-n', ns, 'link', 'add', a, 'type', 'veth', 'peer', 'name', b])
  run('ip', ['-n', ns, 'link', 'add', ifb, 'type', 'ifb'])
  for (const d of [a, b, ifb]) run('ip', ['-n', ns, 'link', 'set', d, 'up'])
  tcIn(ns, ['qdisc', 'add', 'dev', a, 'clsact'])
  const index = Object.fromEntries(links(ns).map((l) => [l.ifname, l.ifindex]))
  return { ns, c, a, b, ifb, index }
}

const clean = (o) => JSON.parse(JSON.stringify(o))
const rules = (list) => list.filter((f) => f.handle)

const theirActions = (acts) =>
  acts?.map((a) => ({
    kind: a.kind,
    action: a.mirred_action,
    direction: a.direction,
    dev: a.to_dev,
    controlAction: a.control_action?.type,
    packets: a.stats?.packets,
  }))
const myActions = (acts, devOf) =>
  acts?.map((a) => ({
    kind: a.kind,
    action: a.action,
    direction: a.direction,
    dev: devOf(a.ifindex),
    controlAction: a.controlAction,
    packets: a.stats?.packets,
  }))

/** tc's bpf filter in nlkit's names. */
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

// ---- kinds this kernel may lack: tc's bytes are the core's unit tests; here the real test when
// the kernel has the kind, else the kernel's refusal (tc's view unchanged) and a skip naming it.

const UNKNOWN = /classifier not found|Unknown filter|No such file or directory|Invalid argument/

/** Whether the kernel takes a `kind` filter (tc's own request, in a scratch namespace). */
function probe(kind, args) {
  const ns = `${own.netns[0]}probe-${process.pid}-${kind}`
  run('ip', ['netns', 'add', ns])
  try {
    run('ip', ['-n', ns, 'link', 'add', 'p0', 'type', 'veth', 'peer', 'name', 'p1'])
    tcIn(ns, ['qdisc', 'add', 'dev', 'p0', 'clsact'])
    tcIn(ns, ['filter', 'add', 'dev', 'p0', 'ingress', 'pref', '1', kind, ...args])
    return true
  } catch (e) {
    if (/classifier not found/.test(String(e.stderr))) return false
    throw e
  } finally {
    run('ip', ['netns', 'del', ns])
  }
}

/**
 * `kind`: `spec` added by nlkit and listed the same by nlkit and tc (`check(t, ours, theirs)`)
 * when the kernel has it, else refused by the kernel with tc unchanged; `bad` refused before
 * anything is sent either way.
 */
function kindTests(kind, tcArgs, spec, check, bad) {
  const has = probe(kind, tcArgs)
  test(`${kind}: bad specs are refused before anything is sent; tc shows nothing changed`, async (t) => {
    const p = await place(t)
    const before = tcFilters(p.ns, p.a, 'ingress')
    for (const [s, why] of bad) {
      const e = await t.throwsAsync(p.c.filterAdd({ dev: p.a, parent: 'ingress', pref: 1, kind, ...s }), undefined, JSON.stringify(s))
      t.true(e instanceof TypeError || e instanceof RangeError, `${e.constructor.name}: ${e.message}`)
      t.regex(e.message, why)
    }
    t.deepEqual(tcFilters(p.ns, p.a, 'ingress'), before)
  })
  if (has) {
    test(`${kind}: added by nlkit, listed the same by tc -s -j, given back`, async (t) => {
      const p = await place(t)
      await p.c.filterAdd({ dev: p.a, parent: 'ingress', pref: 1, kind, ...spec(p) })
      const [ours] = rules(await p.c.filterList({ dev: p.a, parent: 'ingress' }))
      const [theirsF] = tcFilters(p.ns, p.a, 'ingress').filter((f) => f.options)
      check(t, ours, theirsF, p)
      const before = tcFilters(p.ns, p.a, 'ingress')
      await p.c.filterDel({ dev: p.a, parent: 'ingress', pref: 1 })
      await p.c.filterAdd({
        dev: p.a,
        parent: 'ingress',
        pref: ours.pref,
        protocol: ours.protocol,
        handle: ours.handle,
        kind,
        ...ours.options,
      })
      t.deepEqual(clean(tcFilters(p.ns, p.a, 'ingress')), clean(before), 'given back: the same filter')
    })
    return
  }
  test(`${kind}: this kernel lacks it: the kernel's refusal leaves tc's view unchanged`, async (t) => {
    const p = await place(t)
    const before = tcFilters(p.ns, p.a, 'ingress')
    const e = await t.throwsAsync(p.c.filterAdd({ dev: p.a, parent: 'ingress', pref: 1, kind, ...spec(p) }))
    t.truthy(e.code, e.message)
    t.regex(`${e.message} ${e.extack?.message ?? ''}`, UNKNOWN)
    t.deepEqual(tcFilters(p.ns, p.a, 'ingress'), before)
  })
  test.skip(`${kind}: against tc -s -j (skipped: this kernel lacks the ${kind} classifier)`, () => {})
}

const redirectTo = (p) => ({ kind: 'mirred', action: 'redirect', ifindex: p.index[p.ifb] })
const theirRedirect = (f) => theirActions(f.options.actions)?.map(({ packets, ...a }) => a)

kindTests(
  'matchall',
  ['action', 'mirred', 'egress', 'redirect', 'dev', 'p1'],
  (p) => ({ classid: '1:7', skipHw: true, actions: [redirectTo(p)] }),
  (t, ours, theirs, p) => {
    t.like(ours.options, { flowid: theirs.options.flowid, skipHw: theirs.options.skip_hw })
    t.is(ours.options.actions[0].ifindex, p.index[theirs.options.actions[0].to_dev])
    t.deepEqual(theirRedirect(theirs), [{ kind: 'mirred', action: 'redirect', direction: 'egress', dev: p.ifb, controlAction: 'stolen' }])
  },
  [
    [{ skipHw: true, skipSw: true }, /mutually exclusive/],
    [{ classid: '1:1', flowid: '1:2' }, /give one/],
    [{ classid: 7 }, /classid must be a class id/],
    [{ actions: [{ kind: 'mirred', action: 'redirect' }] }, /dev is required/],
    [{ match: [] }, /unknown setting "match"/],
  ],
)

kindTests(
  'flower',
  ['action', 'mirred', 'egress', 'redirect', 'dev', 'p1'],
  (p) => ({
    protocol: 'ip',
    ipProto: 'udp',
    dstIp: '10.178.1.0/24',
    dstPort: 53,
    srcMac: '02:00:00:00:00:00/24',
    actions: [redirectTo(p)],
  }),
  (t, ours, theirs, p) => {
    const k = theirs.options.keys
    t.like(ours.options, { ipProto: k.ip_proto, dstIp: k.dst_ip, dstPort: k.dst_port, srcMac: k.src_mac })
    t.is(ours.options.actions[0].ifindex, p.index[theirs.options.actions[0].to_dev])
  },
  [
    [{ protocol: 'all', dstIp: '10.178.0.1' }, /dstIp needs protocol ip or ipv6/],
    [{ protocol: 'ip', dstIp: '2001:db8:ffff::1' }, /dstIp: .* is not an IPv4/],
    [{ protocol: 'ip', dstPort: 80 }, /dstPort needs ipProto tcp, udp or sctp/],
    [{ protocol: 'ip', ipProto: 'tcp', dstPort: { start: 20, end: 10 } }, /end must be greater/],
    [{ protocol: 'ip', ipProto: 'tcpx' }, /ipProto: unknown protocol/],
    [{ protocol: 'ip', vlanId: 5 }, /vlanId needs protocol 802.1q/],
    [{ protocol: '802.1q', vlanId: 4096 }, /vlanId must be between 0 and 4095/],
    [{ srcMac: '02:00:00:00:00' }, /srcMac/],
    [{ protocol: 'ip', ipTos: 256 }, /ipTos must be 0 to 255/],
    [{ protocol: 'ip', ipFlags: 'frag/df' }, /ipFlags must be tc's form/],
    [{ skipHw: true, skipSw: true }, /mutually exclusive/],
    [{ ethType: 'ip' }, /unknown setting "ethType"/],
  ],
)

kindTests(
  'fw',
  ['classid', '1:1'],
  (p) => ({ handle: 5, mask: 0xff, classid: '1:5', indev: p.b, actions: [redirectTo(p)] }),
  (t, ours, theirs) => {
    t.like(ours.options, { classid: theirs.options.classid, mask: Number(theirs.options.fw.mask), indev: theirs.options.indev })
    t.is(ours.handle, theirs.options.fw.mark)
  },
  [
    [{ handle: 5, mask: -1 }, /mask must be between/],
    [{ handle: 5, indev: 'a-name-too-long-x' }, /indev must be a device name/],
    [{ handle: 5, classid: '1:1', flowid: '1:2' }, /give one/],
    [{ handle: 5, skipHw: true }, /unknown setting "skipHw"/],
  ],
)

kindTests(
  'basic',
  ['classid', '1:1'],
  (p) => ({ classid: '1:2', actions: [redirectTo(p)] }),
  (t, ours, theirs, p) => {
    t.is(ours.options.flowid, theirs.options.flowid)
    t.is(ours.options.actions[0].ifindex, p.index[theirs.options.actions[0].to_dev])
  },
  [
    [{ match: 'cmp(u8 at 0 layer 1 eq 1)' }, /match: basic's extended matches .* not supported/],
    [{ classid: 5 }, /classid must be a class id/],
    [{ actions: [{ kind: 'nosuch' }] }, /unknown kind/],
    [{ indev: 'x' }, /unknown setting "indev"/],
  ],
)

// ---- actions this kernel may lack (tunnel_key, bpf): tc's bytes are the core's unit tests.

function actionProbe(args) {
  const ns = `${own.netns[0]}probe-${process.pid}-act-${args[0]}`
  run('ip', ['netns', 'add', ns])
  try {
    tcIn(ns, ['actions', 'add', 'action', ...args])
    return true
  } catch (e) {
    if (/Failed to load TC action module|Unknown action/.test(String(e.stderr))) return false
    throw e
  } finally {
    run('ip', ['netns', 'del', ns])
  }
}

const actionsOf = (ns, kind) => {
  const out = tcIn(ns, ['-j', 'actions', 'ls', 'action', kind]).trim()
  return out ? JSON.parse(out) : []
}

function actionTests(kind, tcArgs, good, check, bad) {
  const has = actionProbe([kind, ...tcArgs])
  test(`action ${kind}: bad specs are refused before anything is sent`, async (t) => {
    const p = await place(t)
    for (const [a, why] of bad) {
      const e = await t.throwsAsync(p.c.actionAdd([{ kind, ...a }]), undefined, JSON.stringify(a))
      t.true(e instanceof TypeError || e instanceof RangeError, `${e.constructor.name}: ${e.message}`)
      t.regex(e.message, why)
    }
    if (has) t.deepEqual(actionsOf(p.ns, kind), [])
  })
  if (has) {
    test(`action ${kind}: added by nlkit, listed the same by tc -j`, async (t) => {
      const p = await place(t)
      await p.c.actionAdd([{ kind, index: 3, ...good }])
      const [ours] = await p.c.actionList({ kind })
      check(t, ours, actionsOf(p.ns, kind))
    })
    return
  }
  test(`action ${kind}: this kernel lacks it: the kernel refuses it`, async (t) => {
    const p = await place(t)
    const e = await t.throwsAsync(p.c.actionAdd([{ kind, ...good }]))
    t.truthy(e.code, e.message)
  })
  test.skip(`action ${kind}: against tc -j (skipped: this kernel lacks the ${kind} action)`, () => {})
}

actionTests(
  'tunnel_key',
  ['set', 'src_ip', '192.0.2.1', 'dst_ip', '192.0.2.2', 'id', '5'],
  { mode: 'set', srcIp: '10.178.2.1', dstIp: '10.178.2.2', keyId: 42, dstPort: 4789, ttl: 64 },
  (t, ours, theirs) => t.like(ours, { srcIp: theirs[0].actions[0].src_ip, keyId: theirs[0].actions[0].key_id }),
  [
    [{}, /mode is required/],
    [{ mode: 'push' }, /mode must be one of set, unset/],
    [{ mode: 'set', dstIp: '10.178.2.2' }, /srcIp is required/],
    [{ mode: 'set', srcIp: '10.178.2.1', dstIp: '2001:db8:ffff::2' }, /one family/],
    [{ mode: 'set', srcIp: '10.178.2.1', dstIp: '10.178.2.2', dstPort: 65536 }, /dstPort must be/],
    [{ mode: 'unset', ttl: 1 }, /ttl is for mode 'set'/],
    [{ mode: 'unset', geneveOpts: 'x' }, /unknown setting "geneveOpts"/],
  ],
)

actionTests(
  'bpf',
  ['bytecode', '1,6 0 0 4294967295'],
  { bytecode: '1,6 0 0 4294967295' },
  (t, ours, theirs) => {
    t.is(ours.bytecode, '1,6 0 0 4294967295')
    t.is(theirs[0].actions[0].kind, 'bpf')
  },
  [
    [{}, /a program is required/],
    [{ bytecode: '1,6 0 0' }, /bytecode: instruction 0/],
    [{ bytecode: '1,6 0 0 0', fd: 3 }, /give one/],
    [{ pinned: '/nonexistent/prog' }, /pinned "\/nonexistent\/prog"/],
    [{ bytecode: '1,6 0 0 0', da: true }, /unknown setting "da"/],
  ],
)

test("mirred's device by name: looked up in the connection's namespace, for a filter's actions and standalone actions", async (t) => {
  const p = await place(t)
  // Names only: the filter's link and both mirred targets (the ifb exists only in p.ns).
  await p.c.filterAdd({
    dev: p.a,
    parent: 'ingress',
    protocol: 'ip',
    pref: 1,
    kind: 'bpf',
    bytecode: '1,6 0 0 4294967295',
    actions: [
      { kind: 'mirred', action: 'mirror', dev: p.b },
      { kind: 'mirred', action: 'redirect', dev: p.ifb },
    ],
  })
  const [f] = tcFilters(p.ns, p.a, 'ingress').filter((x) => x.options?.handle)
  t.deepEqual(
    f.options.actions.map((a) => [a.mirred_action, a.to_dev]),
    [
      ['mirror', p.b],
      ['redirect', p.ifb],
    ],
  )
  const [ours] = rules(await p.c.filterList({ dev: p.a, parent: 'ingress' }))
  t.deepEqual(
    ours.options.actions.map((a) => a.ifindex),
    [p.index[p.b], p.index[p.ifb]],
  )

  await p.c.actionAdd([{ kind: 'mirred', action: 'redirect', dev: p.ifb, index: 40 }])
  // tc -j lists standalone actions as [{ total_acts }, { actions: [...] }].
  const [, body] = actionsOf(p.ns, 'mirred')
  const a40 = body?.actions?.find((a) => a.index === 40)
  t.is(a40?.to_dev, p.ifb, JSON.stringify(body))

  // A name that is not there: the lookup's ENODEV, nothing added; bad names refused before sending.
  const before = tcFilters(p.ns, p.a, 'ingress')
  const spec = { dev: p.a, parent: 'ingress', protocol: 'ip', pref: 2, kind: 'bpf', bytecode: '1,6 0 0 0' }
  const e = await t.throwsAsync(p.c.filterAdd({ ...spec, actions: [{ kind: 'mirred', action: 'redirect', dev: `${p.ifb}x` }] }))
  t.is(e.code, 'ENODEV', e.message)
  for (const [dev, why] of [
    ['', /actions\[0\]\.dev must be a device name/],
    ['a-name-too-long-x', /actions\[0\]\.dev must be a device name/],
    [7, /actions\[0\]\.dev must be a device name/],
  ]) {
    const r = await t.throwsAsync(p.c.filterAdd({ ...spec, actions: [{ kind: 'mirred', action: 'redirect', dev }] }))
    t.true(r instanceof TypeError || r instanceof RangeError, `${r.constructor.name}: ${r.message}`)
    t.regex(r.message, why)
  }
  const both = await t.throwsAsync(p.c.filterAdd({ ...spec, actions: [{ kind: 'mirred', action: 'redirect', dev: p.ifb, ifindex: 1 }] }))
  t.regex(both.message, /dev and ifindex both name the device/)
  const missing = await t.throwsAsync(p.c.actionAdd([{ kind: 'mirred', action: 'redirect', dev: 'nlk-nosuch' }]))
  t.is(missing.code, 'ENODEV', missing.message)
  t.deepEqual(tcFilters(p.ns, p.a, 'ingress'), before, 'tc unchanged')
})
