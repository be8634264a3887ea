// The ethtool family against the `ethtool` command and /sys/class/net, on a veth pair inside this
// file's own namespace: link info, modes and state (`ethtool DEV`), features (`ethtool --json -k`,
// toggled and read back, and its notification through ethtoolMonitor), channels (`-l`), timestamping (`-T`), string sets (`-S`, the features
// set); rings and coalesce are EOPNOTSUPP on veth; bad arguments change nothing.

import test from 'ava'
import { execFileSync } from 'node:child_process'
import * as nl from '../index.js'
import { rejectsCode, rejectsWith } from './support/assert.mjs'
import { namer, nsNamer } from './support/names.mjs'
import { hasCommand } from './support/oracle.mjs'
import { owned } from './support/registry.mjs'

const own = owned('genl-ethtool')
const NS = nsNamer(own.netns[0])()
const name = namer(own.prefix)
const DEV = name()
const PEER = name()
const HAVE_ETHTOOL = hasCommand('ethtool')
let c

function ethtool(...args) {
  return execFileSync('ip', ['netns', 'exec', NS, 'ethtool', ...args], { encoding: 'utf8' })
}
const ethtoolJson = (...args) => JSON.parse(ethtool('--json', ...args))[0]
const sys = (dev, f) => execFileSync('ip', ['netns', 'exec', NS, 'cat', `/sys/class/net/${dev}/${f}`], { encoding: 'utf8' }).trim()

/** `ethtool DEV`'s "Key: value" lines. */
function settings(dev) {
  const out = {}
  for (const line of ethtool(dev).split('\n')) {
    const m = /^\s+([^:]+):\s*(.*?)\s*$/.exec(line)
    if (m) out[m[1]] = m[2]
  }
  return out
}

// ethtool -k prints some features by its own older names.
const LEGACY = {
  'rx-checksumming': 'rx-checksum',
  'generic-segmentation-offload': 'tx-generic-segmentation',
  'generic-receive-offload': 'rx-gro',
  'large-receive-offload': 'rx-lro',
  'rx-vlan-offload': 'rx-vlan-hw-parse',
  'tx-vlan-offload': 'tx-vlan-hw-insert',
  'ntuple-filters': 'rx-ntuple-filter',
  'receive-hashing': 'rx-hashing',
}
/** `ethtool --json -k` by kernel name, without ethtool's groups (tx-checksumming, ...: no state of their own). */
function ethtoolFeatures(dev) {
  const out = {}
  for (const [k, v] of Object.entries(ethtoolJson('-k', dev))) {
    if (k === 'ifname' || v.requested === null) continue
    out[LEGACY[k] ?? k] = v
  }
  return out
}

test.before(async () => {
  if (!HAVE_ETHTOOL) return
  await nl.netnsCreate(NS)
  c = nl.open({ netns: NS })
  await c.linkAddVeth(DEV, PEER)
  await c.linkSetUp(DEV)
  await c.linkSetUp(PEER)
})
test.after.always(async () => {
  c?.close()
  await nl.netnsDelete(NS).catch(() => {})
})

const t2 = HAVE_ETHTOOL ? test.serial : test.skip
if (!HAVE_ETHTOOL) test('ethtool tests need the ethtool command (Debian package ethtool)', (t) => t.pass())

t2('link info, link modes and link state equal ethtool DEV and /sys/class/net', async (t) => {
  const e = settings(DEV)
  const index = (await c.linkGet(DEV)).index
  const info = await c.ethtoolLinkInfo(DEV)
  t.like(info, { ifindex: index, ifname: DEV, port: 'tp', phyaddr: Number(e.PHYAD), transceiver: e.Transceiver })
  t.is(e.Port, 'Twisted Pair')
  t.is(e['MDI-X'], 'Unknown')
  t.is(info.tpMdix, 0) // ETH_TP_MDI_INVALID: "Unknown"
  const modes = await c.ethtoolLinkModes(index)
  t.is(modes.ifname, DEV)
  t.is(`${modes.speed}Mb/s`, e.Speed)
  t.is(String(modes.speed), sys(DEV, 'speed'))
  t.is(modes.duplex, e.Duplex.toLowerCase())
  t.is(modes.duplex, sys(DEV, 'duplex'))
  t.is(modes.autoneg ? 'on' : 'off', e['Auto-negotiation'])
  // veth reports no link modes ("Not reported").
  t.is(e['Supported link modes'], 'Not reported')
  t.deepEqual([modes.supported, modes.advertised], [[], []])
  t.is((await c.ethtoolLinkState(DEV)).link, e['Link detected'] === 'yes')
  t.true((await c.ethtoolLinkState(DEV)).link)
})

t2('features equal ethtool --json -k, by the kernel features string set', async (t) => {
  const want = ethtoolFeatures(DEV)
  const got = await c.ethtoolFeatures(DEV)
  t.is(got.ifname, DEV)
  const names = await c.ethtoolStrings(null, 'features')
  t.deepEqual(Object.keys(got.features), names.filter(Boolean))
  for (const [k, v] of Object.entries(want)) t.deepEqual(got.features[k], v, k)
  t.true(Object.keys(want).length > 40)
})

t2('ethtoolFeaturesSet toggles rx-gro and tx-checksum-ip-generic; ethtool -k reads them back', async (t) => {
  const before = ethtoolFeatures(DEV)
  const gro = before['rx-gro'].active
  const csum = before['tx-checksum-ip-generic'].active
  await c.ethtoolFeaturesSet(DEV, { 'rx-gro': !gro, 'tx-checksum-ip-generic': !csum })
  let now = ethtoolFeatures(DEV)
  t.is(now['rx-gro'].active, !gro)
  t.is(now['tx-checksum-ip-generic'].active, !csum)
  t.is((await c.ethtoolFeatures(DEV)).features['rx-gro'].active, !gro)
  await c.ethtoolFeaturesSet(DEV, { 'rx-gro': gro, 'tx-checksum-ip-generic': csum })
  now = ethtoolFeatures(DEV)
  t.deepEqual(now, before)
  // A fixed feature stays as it is (the kernel accepts the request, as with ethtool -K).
  t.true(before['tx-checksum-ipv4'].fixed)
  await c.ethtoolFeaturesSet(DEV, { 'tx-checksum-ipv4': true })
  t.deepEqual(ethtoolFeatures(DEV), before)
  // A name the kernel does not know: its EOPNOTSUPP "bit name not found", nothing changed.
  const e = await rejectsCode(t, c.ethtoolFeaturesSet(DEV, { 'rx-gro': !gro, 'nlkit-no-such': true }), 'EOPNOTSUPP', 'ethtoolFeaturesSet')
  t.regex(e.message, new RegExp(DEV))
  t.deepEqual(ethtoolFeatures(DEV), before)
})

t2('channels equal ethtool -l; timestamping equals ethtool -T', async (t) => {
  const out = ethtool('-l', DEV)
  const [max, cur] = out.split('Current hardware settings:')
  const num = (s, k) => {
    const v = new RegExp(`^${k}:\\s+(\\S+)`, 'm').exec(s)[1]
    return v === 'n/a' ? undefined : Number(v)
  }
  const ch = await c.ethtoolChannels(DEV)
  for (const [k, label] of [
    ['rx', 'RX'],
    ['tx', 'TX'],
    ['other', 'Other'],
    ['combined', 'Combined'],
  ]) {
    t.is(ch[`${k}Max`], num(max, label), `${k}Max`)
    t.is(ch[`${k}Count`], num(cur, label), `${k}Count`)
  }
  const ts = await c.ethtoolTsInfo(DEV)
  const T = ethtool('-T', DEV)
  const caps = T.split('Capabilities:')[1].split('PTP Hardware Clock')[0].trim().split(/\s+/)
  t.deepEqual(ts.timestamping, caps)
  t.regex(T, /PTP Hardware Clock: none/)
  t.is(ts.phcIndex, undefined)
  t.regex(T, /Hardware Transmit Timestamp Modes: none/)
  t.deepEqual([ts.txTypes, ts.rxFilters], [[], []])
})

t2('string sets: a device set equals ethtool -S names; global sets by name or number', async (t) => {
  const S = ethtool('-S', DEV)
    .split('\n')
    .slice(1)
    .map((l) => /^\s+([^:]+):/.exec(l)?.[1])
    .filter(Boolean)
  t.deepEqual(await c.ethtoolStrings(DEV, 'stats'), S)
  t.deepEqual(await c.ethtoolStrings(null, 'link-modes'), await c.ethtoolStrings(undefined, 9))
  t.true((await c.ethtoolStrings(null, 'link-modes')).includes('10000baseT/Full'))
  t.true((await c.ethtoolStrings(null, 'sof-timestamping')).includes('software-transmit'))
})

t2('rings and coalesce on veth are NetlinkError EOPNOTSUPP; a missing device ENODEV', async (t) => {
  t.throws(() => ethtool('-g', DEV))
  await rejectsCode(t, c.ethtoolRings(DEV), 'EOPNOTSUPP', 'ethtoolRings')
  await rejectsCode(t, c.ethtoolCoalesce(DEV), 'EOPNOTSUPP', 'ethtoolCoalesce')
  const e = await rejectsCode(t, c.ethtoolLinkInfo(name()), 'ENODEV', 'ethtoolLinkInfo')
  t.truthy(e.extack)
})

t2('ethtoolMonitor: a features change arrives decoded, as ethtool -k then shows it', async (t) => {
  const mon = await c.ethtoolMonitor()
  t.teardown(() => mon.close())
  const gro = ethtoolFeatures(DEV)['rx-gro'].active
  await c.ethtoolFeaturesSet(DEV, { 'rx-gro': !gro })
  t.teardown(() => c.ethtoolFeaturesSet(DEV, { 'rx-gro': gro }))
  const { value: ev } = await mon.next()
  t.like(ev, { type: 'notification', kind: 'features', data: { ifname: DEV } })
  t.deepEqual(ev.data.features['rx-gro'], ethtoolFeatures(DEV)['rx-gro'])
  t.is(ev.data.features['rx-gro'].active, !gro)
  mon.close()
  t.deepEqual(await mon.next(), { value: undefined, done: true })
})

t2("subscribe(['link', 'ethtool']): ethtool's notifications and link events in one stream", async (t) => {
  const sub = c.subscribe(['link', 'ethtool'])
  t.teardown(() => sub.close())
  await sub.ready()
  const gro = ethtoolFeatures(DEV)['rx-gro'].active
  await c.ethtoolFeaturesSet(DEV, { 'rx-gro': !gro })
  t.teardown(() => c.ethtoolFeaturesSet(DEV, { 'rx-gro': gro }))
  const mtu = (await c.linkGet(PEER)).mtu
  await c.linkSetMtu(PEER, mtu - 1)
  t.teardown(() => c.linkSetMtu(PEER, mtu))
  let features
  let link
  for await (const ev of sub) {
    if (ev.type === 'ethtool' && ev.kind === 'features' && ev.data.ifname === DEV) features = ev
    if (ev.type === 'link' && ev.link.name === PEER && ev.link.mtu === mtu - 1) link = ev
    if (features && link) break
  }
  t.is(features.data.features['rx-gro'].active, !gro)
  t.deepEqual(features.data.features['rx-gro'], ethtoolFeatures(DEV)['rx-gro'])
  t.is(link.action, 'new')
  t.deepEqual(await sub.next(), { value: undefined, done: true }, 'break ended both sockets')
  await t.throwsAsync(
    (async () => {
      const s = c.subscribe(['ethtool', 'bogus'])
      await s.ready()
    })(),
    { instanceOf: RangeError, message: /bogus/ },
  )
})

t2(
  'pause, EEE and link modes set on veth are EOPNOTSUPP as with ethtool; standard statistics equal ethtool --json -S --all-groups',
  async (t) => {
    t.throws(() => ethtool('-a', DEV))
    await rejectsCode(t, c.ethtoolPause(DEV), 'EOPNOTSUPP', 'ethtoolPause')
    await rejectsCode(t, c.ethtoolPause(DEV, { stats: true }), 'EOPNOTSUPP', 'ethtoolPause')
    await rejectsCode(t, c.ethtoolEee(DEV), 'EOPNOTSUPP', 'ethtoolEee')
    await rejectsCode(t, c.ethtoolPauseSet(DEV, { rx: true }), 'EOPNOTSUPP', 'ethtoolPauseSet')
    await rejectsCode(t, c.ethtoolEeeSet(DEV, { enabled: true, txLpiTimer: 100 }), 'EOPNOTSUPP', 'ethtoolEeeSet')
    const before = settings(DEV)
    await rejectsCode(t, c.ethtoolLinkModesSet(DEV, { speed: 1000, duplex: 'full', autoneg: false }), 'EOPNOTSUPP', 'ethtoolLinkModesSet')
    t.deepEqual(settings(DEV), before)
    const theirs = ethtoolJson('-S', DEV, '--all-groups')
    const ours = await c.ethtoolStats(DEV)
    t.is(ours.ifname, DEV)
    for (const g of ['eth-phy', 'eth-mac', 'eth-ctrl', 'rmon']) t.deepEqual(ours.groups[g] ?? {}, theirs[g], g)
    const mac = await c.ethtoolStats(DEV, { groups: ['eth-mac'] })
    t.deepEqual(mac.groups['eth-mac'] ?? {}, theirs['eth-mac'])
    const bad = [
      [() => c.ethtoolPauseSet(DEV, {}), TypeError],
      [() => c.ethtoolPauseSet(DEV, { rx: 1 }), TypeError],
      [() => c.ethtoolPauseSet(DEV, { rxx: true }), RangeError],
      [() => c.ethtoolEeeSet(DEV, { txLpiTimer: -1 }), RangeError],
      [() => c.ethtoolLinkModesSet(DEV, { duplex: 'double' }), RangeError],
      [() => c.ethtoolLinkModesSet(DEV, { speed: 0 }), RangeError],
      [() => c.ethtoolStats(DEV, { groups: ['eth-nope'] }), RangeError],
      [() => c.ethtoolPause(DEV, { stats: 'yes' }), TypeError],
    ]
    for (const [fn, cls] of bad) await rejectsWith(t, fn, cls, fn.toString())
    t.deepEqual(settings(DEV), before)
  },
)

t2('bad arguments are TypeError/RangeError before anything is sent; features unchanged', async (t) => {
  const before = ethtoolFeatures(DEV)
  const bad = [
    [() => c.ethtoolLinkInfo(0), RangeError],
    [() => c.ethtoolLinkInfo({}), TypeError],
    [() => c.ethtoolLinkModes('x'.repeat(16)), RangeError],
    [() => c.ethtoolFeatures(''), RangeError],
    [() => c.ethtoolFeaturesSet(DEV, { 'rx-gro': 1 }), TypeError],
    [() => c.ethtoolFeaturesSet(DEV, { 'rx-gro': true, 'bad name': true }), RangeError],
    [() => c.ethtoolFeaturesSet(DEV, {}), RangeError],
    [() => c.ethtoolFeaturesSet(DEV, null), TypeError],
    [() => c.ethtoolFeaturesSet(DEV, ['rx-gro']), TypeError],
    [() => c.ethtoolStrings(null, 'nosuch'), RangeError],
    [() => c.ethtoolStrings(null, 'toString'), RangeError],
    [() => c.ethtoolStrings(null, -1), RangeError],
    [() => c.ethtoolChannels(DEV, { bogus: 1 }), RangeError],
  ]
  for (const [fn, cls] of bad) await rejectsWith(t, fn, cls, fn.toString())
  t.deepEqual(ethtoolFeatures(DEV), before)
})
