// The classifiers and actions this kernel may lack (matchall, flower, fw, basic; actions
// tunnel_key, bpf): their requests are checked against tc's bytes in the core's unit tests; here
// each kind's bad specs are refused before anything is sent (tc unchanged), and the real test
// runs when the kernel has the kind, else the kernel's refusal is checked and a skip names it.
// And mirred's device given by name, resolved in the connection's namespace.

import test from 'ava'
import { namer, nsNamer } from './support/names.mjs'
import { owned } from './support/registry.mjs'
import { tcFilters } from './support/tc.mjs'
import { clean, place as placeIn, rules, run, tcIn, theirActions } from './support/tc-cls.mjs'

const own = owned('tc-cls-kinds')
const name = namer(own.prefix)
const nsName = nsNamer(`${own.netns[0]}${process.pid}-`)
const place = (t) => placeIn(t, nsName, name)

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
    dstIp: '10.179.1.0/24',
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
    [{ protocol: 'all', dstIp: '10.179.0.1' }, /dstIp needs protocol ip or ipv6/],
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
  (p) => ({
    classid: '1:2',
    match: {
      and: [{ cmp: { size: 'u8', at: 9, layer: 'network', eq: 17 } }, { not: { u32: { value: 53, mask: 0xffff, at: 0, nexthdr: true } } }],
    },
    actions: [redirectTo(p)],
  }),
  (t, ours, theirs, p) => {
    t.is(ours.options.flowid, theirs.options.flowid)
    t.is(ours.options.actions[0].ifindex, p.index[theirs.options.actions[0].to_dev])
    t.deepEqual(ours.options.match, {
      and: [{ cmp: { size: 'u8', at: 9, layer: 'network', eq: 17 } }, { not: { u32: { value: 53, mask: 0xffff, at: 0, nexthdr: true } } }],
    })
  },
  [
    [{ match: 'cmp(u8 at 0 layer 1 eq 1)' }, /match: a match is an object/],
    [{ match: { cmp: { size: 'u8', at: 0, eq: 1, lt: 2 } } }, /match.cmp: give exactly one of eq, gt, lt/],
    [{ match: { or: [{ nbyte: { needle: 'x', layer: 'ip' } }] } }, /match.or\[0\].nbyte: layer/],
    [{ match: { meta: {} } }, /unknown match "meta"/],
    [{ match: true }, /match: this filter's matches are of a kind/],
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
  { mode: 'set', srcIp: '10.179.2.1', dstIp: '10.179.2.2', keyId: 42, dstPort: 4789, ttl: 64 },
  (t, ours, theirs) => t.like(ours, { srcIp: theirs[0].actions[0].src_ip, keyId: theirs[0].actions[0].key_id }),
  [
    [{}, /mode is required/],
    [{ mode: 'push' }, /mode must be one of set, unset/],
    [{ mode: 'set', dstIp: '10.179.2.2' }, /srcIp is required/],
    [{ mode: 'set', srcIp: '10.179.2.1', dstIp: '2001:db8:ffff::2' }, /one family/],
    [{ mode: 'set', srcIp: '10.179.2.1', dstIp: '10.179.2.2', dstPort: 65536 }, /dstPort must be/],
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
