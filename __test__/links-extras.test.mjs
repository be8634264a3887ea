// Links beyond the basics, each compared with `ip -j -d [-s] link show` / `ip -j stats show`:
// the flags promisc/allmulticast/arp/multicast, GSO/GRO limits, carrier (refused by veth, the
// kernel's EOPNOTSUPP coming through), protodown and its reasons (on vxlan, which supports it),
// bridge port settings written and read back (and the master's kind checked first: iproute2's
// `type bond_slave queue_id 1` on a bridge port sets the port's BPDU guard), alternative names,
// RTM_GETSTATS with every 64-bit counter after real traffic between two namespaces, XDP attach
// (a pinned program loaded by support/bpf-prog.py), replace with force, and detach.
//
// Everything happens in namespaces of this file's own (its entry in support/registry.mjs).

import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import test from 'ava'
import * as nl from '../index.js'
import { nsConn } from './support/netns.mjs'
import { ipDo, ipn, ipnLink } from './support/oracle.mjs'
import { owned } from './support/registry.mjs'

const { NetlinkError } = nl
const own = owned('links-extras')
let nsSeq = 0

/** A private namespace with a connection in it and a veth pair a <-> b (both down). */
async function setup(t) {
  const ns = `${own.netns[0]}${process.pid}-${nsSeq++}`
  const c = await nsConn(t, ns)
  const [a, b] = [`${own.prefix}0`, `${own.prefix}1`]
  ipDo(['-n', ns, 'link', 'add', a, 'type', 'veth', 'peer', 'name', b])
  return { ns, c, a, b }
}

const ipl = (ns, dev) => ipnLink(ns, dev)

test('flags promisc, allmulticast, arp and multicast set and cleared, as ip shows them', async (t) => {
  const { ns, c, a } = await setup(t)
  const before = ipl(ns, a)
  t.true(before.flags.includes('MULTICAST'))
  t.false(before.flags.includes('NOARP'))
  await c.linkSet(a, { promisc: true, allmulticast: true, arp: false, multicast: false })
  let l = ipl(ns, a)
  for (const f of ['PROMISC', 'ALLMULTI', 'NOARP']) t.true(l.flags.includes(f), f)
  t.false(l.flags.includes('MULTICAST'))
  t.is(l.promiscuity, 1)
  t.is(l.allmulti, 1)
  let g = await c.linkGet(a)
  t.deepEqual([...g.flags].sort(), [...l.flags].sort())
  t.is(g.promiscuity, 1)
  t.is(g.allmulti, 1)
  // Only the flags given change.
  await c.linkSet(a, { promisc: false })
  l = ipl(ns, a)
  t.false(l.flags.includes('PROMISC'))
  t.true(l.flags.includes('ALLMULTI') && l.flags.includes('NOARP'))
  await c.linkSet(a, { allmulticast: false, arp: true, multicast: true })
  l = ipl(ns, a)
  t.deepEqual([...l.flags].sort(), [...before.flags].sort())
  g = await c.linkGet(a)
  t.is(g.promiscuity, 0)
})

test('GSO/GRO limits set and read back; the read-only TSO limits and queue counts as ip shows them', async (t) => {
  const { ns, c, a } = await setup(t)
  await c.linkSet(a, { gsoMaxSize: 32000, gsoMaxSegs: 100, groMaxSize: 30000, gsoIpv4MaxSize: 31000, groIpv4MaxSize: 29000 })
  const l = ipl(ns, a)
  const g = await c.linkGet(a)
  t.is(l.gso_max_size, 32000)
  t.is(l.gso_max_segs, 100)
  t.is(l.gro_max_size, 30000)
  const want = {
    gsoMaxSize: 32000,
    gsoMaxSegs: 100,
    groMaxSize: 30000,
    gsoIpv4MaxSize: 31000,
    groIpv4MaxSize: 29000,
    tsoMaxSize: l.tso_max_size,
    tsoMaxSegs: l.tso_max_segs,
    numTxQueues: l.num_tx_queues,
    numRxQueues: l.num_rx_queues,
  }
  // iproute2 6.1 prints no IPv4 limits (nor does /sys): those two are the kernel's answer to
  // RTM_GETLINK only (they would read 65536 had they not been sent).
  for (const [k, v] of Object.entries(want)) t.is(g[k], v, k)
  // At creation too (the kernel applies them in rtnl_create_link).
  const v = `${own.prefix}c0`
  await c.linkAdd({ kind: 'veth', name: v, peer: { name: `${own.prefix}c1` }, gsoMaxSize: 20000, promisc: true })
  const lv = ipl(ns, v)
  t.is(lv.gso_max_size, 20000)
  t.true(lv.flags.includes('PROMISC'))
})

test('carrier: veth refuses it and the kernel error comes through; nothing changed', async (t) => {
  const { ns, c, a } = await setup(t)
  const before = ipl(ns, a)
  const e = await t.throwsAsync(c.linkSet(a, { carrier: false }), { instanceOf: NetlinkError })
  t.is(e.code, 'EOPNOTSUPP')
  t.deepEqual(ipl(ns, a), before)
})

test('protodown and protodown reasons on vxlan, both ways; veth refuses protodown', async (t) => {
  const { ns, c, a } = await setup(t)
  const vx = `${own.prefix}x`
  ipDo(['-n', ns, 'link', 'add', vx, 'type', 'vxlan', 'id', '42', 'dstport', '4789', 'local', '10.159.0.1'])
  await c.linkSet(vx, { protodown: true, protodownReason: [3, 5] })
  let l = ipl(ns, vx)
  t.true(l.proto_down)
  t.deepEqual(l.proto_down_reason, ['3', '5'])
  let g = await c.linkGet(vx)
  t.true(g.protodown)
  t.deepEqual(g.protodownReason, [3, 5])
  // The list is the exact set: 5 is cleared, 7 set.
  await c.linkSet(vx, { protodownReason: [7] })
  t.deepEqual(ipl(ns, vx).proto_down_reason, ['7'])
  // Protodown cannot be cleared while a reason is active: the kernel's extack text arrives.
  const busy = await t.throwsAsync(c.linkSet(vx, { protodown: false }), { instanceOf: NetlinkError })
  t.is(busy.code, 'EBUSY')
  t.regex(busy.message, /active reasons/i)
  await c.linkSet(vx, { protodownReason: [] })
  await c.linkSet(vx, { protodown: false })
  l = ipl(ns, vx)
  t.falsy(l.proto_down, 'ip prints proto_down only when on')
  g = await c.linkGet(vx)
  t.false(g.protodown)
  const e = await t.throwsAsync(c.linkSet(a, { protodown: true }), { instanceOf: NetlinkError })
  t.is(e.code, 'EOPNOTSUPP')
  t.regex(e.message, /protodown not supported/i)
})

test('bridge port settings written and read back, equal to ip -d -j; refused for a non-bridge master', async (t) => {
  const { ns, c, a, b } = await setup(t)
  const br = `${own.prefix}br`
  ipDo(['-n', ns, 'link', 'add', br, 'type', 'bridge'])
  ipDo(['-n', ns, 'link', 'set', a, 'master', br])
  // A port's STP state can only be set while it is up (ENETDOWN otherwise).
  for (const d of [br, a, b]) ipDo(['-n', ns, 'link', 'set', d, 'up'])
  const set = {
    priority: 9,
    cost: 7,
    hairpin: true,
    guard: true,
    rootBlock: true,
    fastleave: true,
    learning: false,
    flood: false,
    proxyArp: true,
    proxyArpWifi: true,
    multicastRouter: 2,
    mcastFlood: false,
    mcastToUnicast: true,
    vlanTunnel: true,
    bcastFlood: false,
    groupFwdMask: 8,
    neighSuppress: true,
    isolated: true,
    locked: true,
  }
  await c.linkSet(a, { bridgePort: set })
  const d = ipl(ns, a).linkinfo.info_slave_data
  const ipName = (k) => k.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`)
  for (const [k, v] of Object.entries(set)) {
    const got = k === 'groupFwdMask' ? Number(d.group_fwd_mask) : d[k === 'multicastRouter' ? 'multicast_router' : ipName(k)]
    t.is(got, v, k)
  }
  const g = await c.linkGet(a)
  t.is(g.slaveKind, 'bridge')
  for (const [k, v] of Object.entries(set)) t.is(g.bridgePort[k], v, k)
  // Every key ip shows a value for, nlkit shows the same.
  t.is(g.bridgePort.state, d.state)
  t.is(g.bridgePort.mab ?? false, d.mab ?? false)
  // Read back, given back: no change.
  await c.linkSet(a, { bridgePort: g.bridgePort })
  t.deepEqual((await c.linkGet(a)).bridgePort, g.bridgePort)
  // With STP off the bridge puts a port it sees blocked or disabled back to forwarding at once;
  // listening and learning stay.
  await c.linkSet(a, { bridgePort: { state: 'learning' } })
  t.is(ipl(ns, a).linkinfo.info_slave_data.state, 'learning')
  t.is((await c.linkGet(a)).bridgePort.state, 'learning')
  // Bond port settings on a bridge port, or bridge settings on a link without master: refused
  // before the kernel could read them with the wrong attribute table; nothing changed (the
  // port's timers and traffic counters move on their own).
  const settings = () => Object.fromEntries(Object.entries(ipl(ns, a).linkinfo.info_slave_data).filter(([k]) => !k.endsWith('_timer')))
  const before = settings()
  const e = await t.throwsAsync(c.linkSet(a, { bondPort: { queueId: 1 } }), { instanceOf: NetlinkError })
  t.is(e.code, 'EOPNOTSUPP')
  t.regex(e.message, /bond master; the link has a bridge master/)
  await t.throwsAsync(c.linkSet(b, { bridgePort: { cost: 3 } }), { instanceOf: NetlinkError, message: /the link has no master/ })
  t.deepEqual(settings(), before)
})

test('bad extra values are refused before anything is changed, naming the argument', async (t) => {
  const { ns, c, a } = await setup(t)
  // A bridge port, so port settings get past the master check (a read) to their own checks.
  const br = `${own.prefix}br`
  ipDo(['-n', ns, 'link', 'add', br, 'type', 'bridge'])
  ipDo(['-n', ns, 'link', 'set', a, 'master', br])
  const before = ipl(ns, a)
  const cases = [
    [{ promisc: 1 }, TypeError, /promisc must be a boolean/],
    [{ gsoMaxSegs: 0 }, RangeError, /gsoMaxSegs/],
    [{ gsoMaxSize: -1 }, RangeError, /gsoMaxSize/],
    [{ protodownReason: 3 }, TypeError, /protodownReason must be an array/],
    [{ protodownReason: [32] }, RangeError, /protodownReason\[0\]/],
    [{ bridgePort: { cost: 0 } }, RangeError, /cost/],
    [{ bridgePort: { state: 'up' } }, RangeError, /state/],
    [{ bridgePort: { portId: 1 } }, RangeError, /unknown setting "portId"/],
    [{ bridgePort: 'x' }, TypeError, /bridgePort must be an object/],
    [{ bridgePort: {}, bondPort: {} }, TypeError, /not both/],
    [{ promiscuous: true }, RangeError, /unknown link change "promiscuous"/],
  ]
  for (const [changes, type, message] of cases) {
    await t.throwsAsync(c.linkSet(a, changes), { instanceOf: type, message }, JSON.stringify(changes))
  }
  t.deepEqual(ipl(ns, a), before)
})

test('alternative names added, used as the link name, listed, removed; bad names refused', async (t) => {
  const { ns, c, a } = await setup(t)
  const long = 'nlk-an-an-alternative-name-longer-than-ifnamsiz'
  await c.linkAltnameAdd(a, ['nlkaltA', long])
  t.deepEqual(ipl(ns, a).altnames, ['nlkaltA', long])
  t.deepEqual((await c.linkGet(a)).altNames, ['nlkaltA', long])
  t.is((await c.linkGet('nlkaltA')).name, a, 'an altname names the link')
  const e = await t.throwsAsync(c.linkAltnameAdd(a, 'nlkaltA'), { instanceOf: NetlinkError })
  t.is(e.code, 'EEXIST')
  await c.linkAltnameDel(a, 'nlkaltA')
  t.deepEqual(ipl(ns, a).altnames, [long])
  await c.linkAltnameDel(a, [long])
  t.is(ipl(ns, a).altnames, undefined)
  for (const [names, type] of [
    [[], TypeError],
    ['', TypeError],
    ['a/b', RangeError],
    ['has space', RangeError],
    ['x'.repeat(128), RangeError],
    [[1], TypeError],
  ]) {
    await t.throwsAsync(c.linkAltnameAdd(a, names), { instanceOf: type }, JSON.stringify(names))
  }
  t.is(ipl(ns, a).altnames, undefined)
})

test('linkStats: every counter after real traffic, equal to ip -s and ip stats show; offload group; one link or all', async (t) => {
  const { ns, c, a, b } = await setup(t)
  // b goes into a second namespace so the pings cross the pair.
  const ns2 = `${ns}-p`
  await nsConn(t, ns2)
  ipDo(['-n', ns, 'link', 'set', b, 'netns', ns2])
  ipDo(['-n', ns, 'addr', 'add', '10.159.0.1/30', 'dev', a])
  ipDo(['-n', ns2, 'addr', 'add', '10.159.0.2/30', 'dev', b])
  ipDo(['-n', ns, 'link', 'set', a, 'up'])
  ipDo(['-n', ns2, 'link', 'set', b, 'up'])
  // Five UDP datagrams across (no ping on this machine); the peer answers ARP and port-unreachable.
  const send = `const s = require('dgram').createSocket('udp4'); let n = 0;
    const next = () => n++ < 5 ? s.send('nlkit', 9, '10.159.0.2', next) : setTimeout(() => s.close(), 300); next()`
  execFileSync('ip', ['netns', 'exec', ns, process.execPath, '-e', send], { stdio: 'ignore' })
  // Counters are still once the link is down (no more ARP or NDP).
  ipDo(['-n', ns, 'link', 'set', a, 'down'])
  const [s] = await c.linkStats({ dev: a })
  const st = ipn(ns, ['stats', 'show', 'dev', a, 'group', 'link'])[0].stats64
  t.is(s.name, a)
  t.is((await c.linkStats({ dev: s.index }))[0].name, a, 'named by index too')
  t.true(s.link.txPackets >= 5, `tx ${s.link.txPackets}`)
  const map = {
    rxBytes: st.rx.bytes,
    rxPackets: st.rx.packets,
    rxErrors: st.rx.errors,
    rxDropped: st.rx.dropped,
    rxOverErrors: st.rx.over_errors,
    multicast: st.rx.multicast,
    txBytes: st.tx.bytes,
    txPackets: st.tx.packets,
    txErrors: st.tx.errors,
    txDropped: st.tx.dropped,
    txCarrierErrors: st.tx.carrier_errors,
    collisions: st.tx.collisions,
  }
  for (const [k, v] of Object.entries(map)) t.is(s.link[k], v, k)
  t.is(Object.keys(s.link).length, 25, 'every counter of rtnl_link_stats64')
  // The same counters through RTM_GETLINK (linkGet's stats).
  t.deepEqual((await c.linkGet(a)).stats, s.link)
  // -s -s details agree too.
  const ipS = ipn(ns, ['-s', '-s', 'link', 'show', 'dev', a])[0].stats64
  t.is(s.link.rxLengthErrors, ipS.rx.length_errors)
  t.is(s.link.rxCrcErrors, ipS.rx.crc_errors)
  t.is(s.link.txAbortedErrors, ipS.tx.aborted_errors)
  // All links, by index with names; the offload group as ip stats shows it.
  const all = await c.linkStats({ groups: ['link', 'offload'] })
  t.deepEqual(
    all.map((x) => x.name).sort(),
    ipn(ns, ['link', 'show'])
      .map((l) => l.ifname)
      .sort(),
  )
  const mine = all.find((x) => x.name === a)
  t.deepEqual(mine.link, s.link)
  const hw = ipn(ns, ['stats', 'show', 'dev', a, 'group', 'offload', 'subgroup', 'hw_stats_info'])[0].info.l3_stats
  t.deepEqual(mine.offload.l3StatsInfo, { request: hw.request, used: hw.used })
  t.is(mine.offload.cpuHit, undefined, 'veth has no CPU-hit counters')
  // Bad input.
  await t.throwsAsync(c.linkStats({ groups: ['xstat'] }), { instanceOf: RangeError, message: /unknown statistics group "xstat"/ })
  await t.throwsAsync(c.linkStats({ groups: [] }), { instanceOf: TypeError })
  await t.throwsAsync(c.linkStats({ dev: 'nlk-none0' }), { instanceOf: NetlinkError, message: /ENODEV/ })
})

/** ip's multicast counters (`ip -j stats`'s snake_case) as nlkit names them. */
function ipMcast(m) {
  const cc = (k) => k.replace(/_(.)/g, (_, x) => x.toUpperCase())
  const out = {}
  for (const [k, v] of Object.entries(m))
    out[cc(k)] = typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([a, b]) => [cc(a), b])) : v
  return out
}

/** Every number of `b` is at least `a`'s and at most `c`'s (counters read before, by ip, after). */
function between(t, a, b, c, path = '') {
  for (const [k, v] of Object.entries(b)) {
    if (typeof v === 'object') between(t, a[k], v, c[k], `${path}${k}.`)
    else t.true(a[k] <= v && v <= c[k], `${path}${k}: ${a[k]} <= ${v} <= ${c[k]}`)
  }
}

test('linkStats xstats and xstats_slave: the multicast counters of a bridge and the STP counters of its port, against ip stats show', async (t) => {
  const { ns, c, a, b } = await setup(t)
  const br = `${own.prefix}br`
  // An IGMP querier sends queries, and STP sends BPDUs every hello (1 s) on a forwarding port.
  ipDo([
    '-n',
    ns,
    'link',
    'add',
    br,
    'type',
    'bridge',
    'mcast_stats_enabled',
    '1',
    'mcast_querier',
    '1',
    'stp_state',
    '1',
    'hello_time',
    '100',
  ])
  ipDo(['-n', ns, 'link', 'set', a, 'master', br])
  for (const d of [b, a, br]) ipDo(['-n', ns, 'link', 'set', d, 'up'])
  const stats = async (dev, group) => (await c.linkStats({ dev, groups: [group] }))[0]
  let port
  for (let i = 0; i < 100; i++) {
    port = await stats(a, 'xstats_slave')
    if (
      port.xstatsSlave?.bridge?.stp?.txBpdu > 0 &&
      port.xstatsSlave.bridge.multicast.igmpQueries.txV2 + port.xstatsSlave.bridge.multicast.igmpQueries.txV3 > 0
    )
      break
    await new Promise((r) => setTimeout(r, 100))
  }
  t.true(port.xstatsSlave.bridge.stp.txBpdu > 0, 'the port sent BPDUs')
  t.is(port.name, a)
  t.is(port.link, undefined, 'only the groups asked for')
  // Counters grow meanwhile: ip's reading lies between two of nlkit's.
  const ipGroup = (dev, group, suite) =>
    ipn(ns, ['stats', 'show', 'dev', dev, 'group', group, 'subgroup', 'bridge', 'suite', suite]).find((e) => e.suite === suite)
  const ipStp = ipGroup(a, 'xstats_slave', 'stp').stp
  const ipPortMc = ipGroup(a, 'xstats_slave', 'mcast').multicast
  const port2 = await stats(a, 'xstats_slave')
  const cc = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/_(.)/g, (_, x) => x.toUpperCase()), v]))
  between(t, port.xstatsSlave.bridge.stp, cc(ipStp), port2.xstatsSlave.bridge.stp, 'stp.')
  between(t, port.xstatsSlave.bridge.multicast, ipMcast(ipPortMc), port2.xstatsSlave.bridge.multicast, 'port mcast.')
  t.deepEqual(Object.keys(port2.xstatsSlave.bridge.stp).sort(), Object.keys(cc(ipStp)).sort())
  // The bridge's own multicast counters: its queries went out.
  const b1 = await stats(br, 'xstats')
  const ipBr = ipGroup(br, 'xstats', 'mcast').multicast
  const b2 = await stats(br, 'xstats')
  between(t, b1.xstats.bridge.multicast, ipMcast(ipBr), b2.xstats.bridge.multicast, 'bridge mcast.')
  // The querier's query leaves through the port (tx there) and is delivered to the bridge itself (rx).
  const q = (m, dir) => m.igmpQueries[`${dir}V2`] + m.igmpQueries[`${dir}V3`]
  t.true(q(port2.xstatsSlave.bridge.multicast, 'tx') > 0, 'the port counted the query it sent')
  t.true(q(b2.xstats.bridge.multicast, 'rx') > 0, 'the bridge counted the query it received')
  t.is(b2.xstats.bond, undefined, 'no bond here')
  // A link that is no bridge port has no port counters; afstats is empty without MPLS.
  const [plain] = await c.linkStats({ dev: b, groups: ['xstats_slave', 'afstats'] })
  t.is(plain.xstatsSlave?.bridge, undefined)
  t.is(plain.afstats?.mpls, undefined, 'no MPLS on this kernel')
  t.is(ipn(ns, ['stats', 'show', 'dev', b, 'group', 'afstats']).filter((e) => e.mpls).length, 0)
  // Every link at once, with several groups.
  const all = await c.linkStats({ groups: ['link', 'xstats', 'xstats_slave'] })
  t.true(all.find((x) => x.name === br).xstats.bridge.multicast !== undefined)
  t.true(all.find((x) => x.name === a).xstatsSlave.bridge.stp !== undefined)
})

/** An XDP program returning XDP_PASS, pinned in a bpf filesystem of the test's own. */
function xdpProgram(t) {
  const dir = mkdtempSync(join(tmpdir(), 'nlk-lxe-bpf-'))
  execFileSync('mount', ['-t', 'bpf', 'bpf', dir])
  t.teardown(() => {
    execFileSync('umount', [dir])
    rmSync(dir, { recursive: true })
  })
  const path = join(dir, 'pass')
  execFileSync('python3', [new URL('./support/bpf-prog.py', import.meta.url).pathname, path, '2', 'xdp'])
  return path
}

test('XDP: attach a pinned program in generic mode, read it back as ip shows it, refuse a second without force, detach', async (t) => {
  const { ns, c, a } = await setup(t)
  t.is((await c.linkGet(a)).xdp, undefined, 'nothing attached')
  const path = xdpProgram(t)
  await c.linkSet(a, { xdp: { pinned: path, mode: 'generic' } })
  const ipx = ipl(ns, a).xdp
  t.is(ipx.mode, 2, 'ip: XDP_ATTACHED_SKB')
  const g = await c.linkGet(a)
  t.deepEqual(g.xdp, { mode: 'generic', progId: ipx.prog.id, attached: [{ mode: 'generic', progId: ipx.prog.id }] })
  // Without force the kernel refuses to replace it (EBUSY), as ip without -force.
  const busy = await t.throwsAsync(c.linkSet(a, { xdp: { pinned: path, mode: 'generic' } }), { instanceOf: NetlinkError })
  t.is(busy.code, 'EBUSY')
  await c.linkSet(a, { xdp: { pinned: path, mode: 'generic', force: true } })
  t.is(ipl(ns, a).xdp.mode, 2)
  // Detaching another mode leaves it; detaching its own mode removes it.
  await c.linkSet(a, { xdp: { off: true, mode: 'generic' } })
  t.is(ipl(ns, a).xdp, undefined)
  t.is((await c.linkGet(a)).xdp, undefined)
  // A detach with nothing attached is fine (as `ip link set X xdp off`).
  await c.linkSet(a, { xdp: null })
})

test('XDP refusals: bad options before anything is sent; a missing pinned path names it', async (t) => {
  const { ns, c, a } = await setup(t)
  const before = ipl(ns, a)
  for (const [xdp, type, re] of [
    [{}, TypeError, /exactly one of/],
    [{ fd: 3, pinned: '/x' }, TypeError, /exactly one of/],
    [{ fd: -2 }, RangeError, /xdp.fd/],
    [{ off: false }, TypeError, /xdp.off/],
    [{ off: true, mode: 'skb' }, RangeError, /xdp.mode/],
    [{ off: true, replace: true }, RangeError, /unknown xdp option "replace"/],
    [{ pinned: '/nonexistent/nlk-prog' }, RangeError, /xdp.pinned/],
  ]) {
    await t.throwsAsync(c.linkSet(a, { xdp }), { instanceOf: type, message: re }, JSON.stringify(xdp))
  }
  t.deepEqual(ipl(ns, a), before)
})
