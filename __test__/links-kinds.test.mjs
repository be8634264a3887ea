// linkAdd for the kinds this kernel has (veth, bridge, macvlan, macvtap, vxlan, ifb, tun, tap),
// each compared with `ip -j -d link show`, linkAddVeth / linkDel, and the kind errors the kernel
// or the kind registry report. The kinds this kernel may lack, and the linkGet -> linkDel ->
// linkAdd round trip of every kind, are in links-roundtrip.test.mjs.
//
// What it owns in the shared namespace is its entry in support/registry.mjs
// (10.150.0.0/16 and 2001:db8:150::/48 for vxlan settings, namespaces, VXLAN ids).
// Links whose peer lives in another namespace are made inside private namespaces only (in the
// shared one they would change what other files compare namespace-wide).

import test from 'ava'
import * as nl from '../index.js'
import { ip, ipDo, ipTry, ipLink, ipnLink } from './support/oracle.mjs'
import { assertInfoMatches } from './support/shapes.mjs'
import { namer, nsNamer } from './support/names.mjs'
import { veth } from './support/veth.mjs'
import { nsConn, processIn } from './support/netns.mjs'
import { delLinkAfter } from './support/cleanup.mjs'
import { owned } from './support/registry.mjs'

const { linkAdd, linkAddVeth, linkGet, linkList, linkDel, NetlinkError } = nl
const own = owned('links-kinds')
const name = namer(own.prefix)
const nsName = nsNamer(own.netns[0])

/** A veth pair used as a parent (macvlan, vxlan underlay), both ends down. */
const parent = async (t) => (await veth(t, name(), name(), { noLinkLocal: true })).a

// ---- veth -------------------------------------------------------------------------------------

test('veth: peer name, peer mtu and address; both ends as ip sees them', async (t) => {
  const a = delLinkAfter(t, name())
  const b = name()
  await linkAdd({
    kind: 'veth',
    name: a,
    mtu: 1400,
    address: '02:50:00:00:00:01',
    peer: { name: b, mtu: 1300, address: '02:50:00:00:00:02' },
  })
  const la = ipLink(a)
  const lb = ipLink(b)
  t.is(la.linkinfo.info_kind, 'veth')
  t.is(lb.linkinfo.info_kind, 'veth')
  t.is(la.link, b)
  t.is(lb.link, a)
  t.is(la.mtu, 1400)
  t.is(lb.mtu, 1300)
  t.is(la.address, '02:50:00:00:00:01')
  t.is(lb.address, '02:50:00:00:00:02')
  const ga = await linkGet(a)
  t.is(ga.kind, 'veth')
  t.is(ga.link, b)
  t.is(ga.mtu, 1400)
  t.is(ga.address, '02:50:00:00:00:01')
  t.deepEqual(ga.linkinfo, { peer: { name: b } }, 'a veth reports its peer as its kind setting')
  t.is((await linkGet(b)).link, a)
})

test('veth: peer created in another namespace (peer.netns by name, path and pid), from a connection in a private namespace', async (t) => {
  const [e0, e1, f0, f1, g0, g1] = ['e0', 'e1', 'f0', 'f1', 'g0', 'g1'].map((s) => `${own.prefix}-${s}`)
  const A = nsName()
  const B = nsName()
  const ca = await nsConn(t, A)
  const cb = await nsConn(t, B)
  // By name.
  await ca.linkAdd({ kind: 'veth', name: e0, peer: { name: e1, netns: B } })
  // By path.
  await ca.linkAdd({ kind: 'veth', name: f0, peer: { name: f1, netns: `/run/netns/${B}` } })
  const la = ipnLink(A, e0)
  const lb = ipnLink(B, e1)
  t.is(la?.linkinfo?.info_kind, 'veth', `ip -n A: ${e0} is a veth`)
  t.is(lb?.linkinfo?.info_kind, 'veth', 'ip -n B: the peer is in B')
  t.is(ipnLink(A, e1), undefined, 'the peer is not in A')
  t.is(typeof la.link_netnsid, 'number', 'ip shows the peer in another namespace')
  t.is(la.link_index, lb.ifindex)
  t.truthy(ipnLink(B, f1), 'peer by path')
  // By pid (a process living in B).
  const proc = await processIn(t, B)
  await ca.linkAdd({ kind: 'veth', name: g0, peer: { name: g1, netns: proc.pid } })
  t.truthy(ipnLink(B, g1), 'peer by pid')
  t.is(ipnLink(A, g1), undefined)
  const ga = await ca.linkGet(e0)
  t.is(ga.linkIndex, lb.ifindex)
  t.is(ga.linkNetnsid, la.link_netnsid)
  t.is(ga.link, undefined, 'no name for a peer in another namespace')
  const gb = await cb.linkGet(e1)
  t.is(gb.kind, 'veth')
  t.is(gb.linkIndex, la.ifindex)
})

test('linkAddVeth creates the pair ip sees; linkDel by name and by index removes it', async (t) => {
  const a = name()
  const b = name()
  t.teardown(() => ipTry(['link', 'del', 'dev', a]))
  await linkAddVeth(a, b)
  const la = ipLink(a)
  const lb = ipLink(b)
  t.truthy(la)
  t.truthy(lb)
  t.is(la.linkinfo.info_kind, 'veth')
  t.is(lb.linkinfo.info_kind, 'veth')
  t.is(la.link, b)
  t.is(lb.link, a)
  t.false(la.flags.includes('UP'))
  const names = (await linkList()).map((l) => l.name)
  t.true(names.includes(a) && names.includes(b))

  await linkDel(a)
  t.is(ipLink(a), undefined, 'ip: a gone')
  t.is(ipLink(b), undefined, 'ip: peer gone with it')
  t.false((await linkList()).some((l) => l.name === a || l.name === b))

  await linkAddVeth(a, b)
  const idx = ipLink(b).ifindex
  await linkDel(idx)
  t.is(ipLink(a), undefined)
  t.is(ipLink(b), undefined)
  const e = await t.throwsAsync(linkGet(a), { instanceOf: NetlinkError })
  t.is(e.code, 'ENODEV')
})

// ---- bridge -------------------------------------------------------------------------------------

test('bridge: stp, forwardDelay, helloTime, maxAge, priority, ageingTime, mcastSnooping as ip -d shows them', async (t) => {
  const br = delLinkAfter(t, name())
  await linkAdd({
    kind: 'bridge',
    name: br,
    stp: true,
    forwardDelay: 800,
    helloTime: 300,
    maxAge: 2500,
    priority: 4096,
    ageingTime: 20000,
    mcastSnooping: false,
    address: '02:50:00:00:01:01',
  })
  const l = ipLink(br)
  const d = l.linkinfo.info_data
  t.is(l.linkinfo.info_kind, 'bridge')
  t.is(d.stp_state, 1)
  t.is(d.forward_delay, 800)
  t.is(d.hello_time, 300)
  t.is(d.max_age, 2500)
  t.is(d.priority, 4096)
  t.is(d.ageing_time, 20000)
  t.is(d.mcast_snooping, 0)
  t.is(l.address, '02:50:00:00:01:01')
  const g = await linkGet(br)
  t.is(g.kind, 'bridge')
  t.like(g.linkinfo, {
    stp: true,
    forwardDelay: 800,
    helloTime: 300,
    maxAge: 2500,
    priority: 4096,
    ageingTime: 20000,
    mcastSnooping: false,
  })
  const compared = assertInfoMatches(t, 'bridge', g.linkinfo, d, [
    'stp',
    'forwardDelay',
    'helloTime',
    'maxAge',
    'priority',
    'ageingTime',
    'mcastSnooping',
  ])
  t.true(compared.length >= 20, `compared ${compared.length} bridge settings with ip`)
})

test('bridge: stp off is reported as off', async (t) => {
  const br = delLinkAfter(t, name())
  await linkAdd({ kind: 'bridge', name: br, stp: false })
  t.is(ipLink(br).linkinfo.info_data.stp_state, 0)
  t.is((await linkGet(br)).linkinfo.stp, false)
})

test('bridge: vlanFiltering (when the kernel has bridge VLAN filtering)', async (t) => {
  const probe = delLinkAfter(t, name())
  const kernelHas = ipTry(['link', 'add', 'name', probe, 'type', 'bridge', 'vlan_filtering', '1'])
  const br = delLinkAfter(t, name())
  const r = await linkAdd({ kind: 'bridge', name: br, vlanFiltering: true }).then(
    () => null,
    (e) => e,
  )
  if (!kernelHas) {
    t.true(r instanceof NetlinkError, 'nlkit is refused as ip is')
    t.is(r?.code, 'EOPNOTSUPP')
    t.is(ipLink(br), undefined)
    t.log('skip: bridge vlan_filtering not available on this kernel (CONFIG_BRIDGE_VLAN_FILTERING)')
    return
  }
  t.is(r, null, `linkAdd: ${r?.message}`)
  t.is(ipLink(br).linkinfo.info_data.vlan_filtering, 1)
  t.is((await linkGet(br)).linkinfo.vlanFiltering, true)
})

// ---- macvlan / macvtap ----------------------------------------------------------------------------

for (const kind of ['macvlan', 'macvtap']) {
  for (const mode of ['bridge', 'vepa', 'private', 'passthru']) {
    test(`${kind} mode ${mode} on a parent link, as ip -d shows it`, async (t) => {
      const p = await parent(t)
      const n = delLinkAfter(t, name())
      await linkAdd({ kind, name: n, link: p, mode })
      const l = ipLink(n)
      t.is(l.linkinfo.info_kind, kind)
      t.is(l.linkinfo.info_data.mode, mode)
      t.is(l.link, p, 'ip: parent')
      const g = await linkGet(n)
      t.is(g.kind, kind)
      t.is(g.link, p)
      t.is(g.linkIndex, ipLink(p).ifindex)
      t.is(g.linkinfo.mode, mode)
      assertInfoMatches(t, kind, g.linkinfo, l.linkinfo.info_data, ['mode'])
    })
  }
}

// ---- vxlan ---------------------------------------------------------------------------------------

test('vxlan: id, port, dev, local, learning:false, ttl and a multicast group (in linkinfo)', async (t) => {
  const id = own.vni(0)
  const p = await parent(t)
  const n = delLinkAfter(t, name())
  await linkAdd({
    kind: 'vxlan',
    name: n,
    id,
    port: 4789,
    dev: p,
    local: '10.150.3.1',
    learning: false,
    ttl: 16,
    linkinfo: { group: '239.150.0.1' },
  })
  const l = ipLink(n)
  const d = l.linkinfo.info_data
  t.is(l.linkinfo.info_kind, 'vxlan')
  t.is(d.id, id)
  t.is(d.port, 4789)
  t.is(d.link, p)
  t.is(d.local, '10.150.3.1')
  t.is(d.learning, false)
  t.is(d.ttl, 16)
  t.is(d.group, '239.150.0.1')
  const g = await linkGet(n)
  t.like(g.linkinfo, { id, port: 4789, dev: p, local: '10.150.3.1', learning: false, ttl: 16, group: '239.150.0.1' })
  t.is(g.linkinfo.remote, undefined)
  assertInfoMatches(t, 'vxlan', g.linkinfo, d, ['id', 'port', 'dev', 'local', 'learning', 'group'])
})

test('vxlan: unicast remote, source port range, ageing (flat settings)', async (t) => {
  const id = own.vni(0, 1)
  const n = delLinkAfter(t, name())
  await linkAdd({ kind: 'vxlan', name: n, id, remote: '10.150.3.9', port: 4790, srcPortRange: { low: 1000, high: 2000 }, ageing: 120 })
  const d = ipLink(n).linkinfo.info_data
  t.is(d.id, id)
  t.is(d.remote, '10.150.3.9')
  t.is(d.port, 4790)
  t.deepEqual(d.port_range, { low: 1000, high: 2000 })
  t.is(d.ageing, 120)
  t.is(d.learning, true)
  const g = await linkGet(n)
  t.like(g.linkinfo, { id, remote: '10.150.3.9', port: 4790, srcPortRange: { low: 1000, high: 2000 }, ageing: 120, learning: true })
  t.is(g.linkinfo.group, undefined)
  assertInfoMatches(t, 'vxlan', g.linkinfo, d, ['id', 'remote', 'port', 'srcPortRange', 'ageing'])
})

test('vxlan: IPv6 remote and local', async (t) => {
  const id = own.vni(1, 1)
  const n = delLinkAfter(t, name())
  await linkAdd({ kind: 'vxlan', name: n, id, remote: '2001:db8:150:3::9', local: '2001:db8:150:3::1', port: 4791 })
  const d = ipLink(n).linkinfo.info_data
  // ip names the IPv6 ones remote6 / local6.
  t.is(d.remote6, '2001:db8:150:3::9')
  t.is(d.local6, '2001:db8:150:3::1')
  t.is(d.id, id)
  const g = await linkGet(n)
  t.like(g.linkinfo, { id, remote: '2001:db8:150:3::9', local: '2001:db8:150:3::1', port: 4791 })
})

// BUG (index.ts, linkAdd / LINK_TOP_KEYS): `group` is a top-level key (the link group, an
// integer), so vxlan's own `group` (the multicast group, iproute2's name) cannot be given flat
// as README documents kind settings: linkAdd throws "TypeError: group must be an integer".
// It works only inside `linkinfo`. Suggested fix: in linkAdd, treat a string `group` as a kind
// setting (info.group) and only a number as the link group.
test('vxlan: a multicast group given flat (group: "239.x.y.z"), as for every other kind setting', async (t) => {
  const id = own.vni(1)
  const n = delLinkAfter(t, name())
  await linkAdd({ kind: 'vxlan', name: n, id, port: 4789, group: '239.150.0.2', dev: await parent(t) })
  t.is(ipLink(n)?.linkinfo?.info_data?.group, '239.150.0.2')
})

// BUG (crates/nlkit/src/rtnl/link/kinds/vxlan.rs, FIELDS: Field::flag("ttlInherit", ...)):
// the kernel dumps IFLA_VXLAN_TTL_INHERIT as a u8 that is always present (0 or 1,
// vxlan_fill_info), but nlkit decodes it as an NLA_FLAG ("true when present"), so every vxlan
// reads back with ttlInherit: true. A linkGet -> linkAdd round trip then sends the flag and the
// new link inherits its TTL: ip shows `ttl 10` before and no ttl (inherit) after. Suggested fix:
// decode the attribute as a u8 boolean (non-zero = true) and keep encoding `true` as the flag.
test("vxlan: ttlInherit reads false for a fixed ttl, and a round trip keeps ip's ttl", async (t) => {
  const id = own.vni(2)
  const n = delLinkAfter(t, name())
  await linkAdd({ kind: 'vxlan', name: n, id, remote: '10.150.3.10', port: 4789, ttl: 10 })
  t.is(ipLink(n).linkinfo.info_data.ttl, 10, 'ip: ttl 10')
  const g = await linkGet(n)
  t.not(g.linkinfo.ttlInherit, true, 'ttlInherit is not on')
  await linkDel(n)
  await linkAdd(g)
  t.is(ipLink(n).linkinfo.info_data.ttl, 10, 'ip after the round trip: still ttl 10 (not inherit)')
})

// ---- ifb, tun, tap ---------------------------------------------------------------------------------

test('ifb with mtu and address', async (t) => {
  const n = delLinkAfter(t, name())
  await linkAdd({ kind: 'ifb', name: n, mtu: 1400, address: '02:50:00:00:02:01' })
  const l = ipLink(n)
  t.is(l.linkinfo.info_kind, 'ifb')
  t.is(l.mtu, 1400)
  t.is(l.address, '02:50:00:00:02:01')
  const g = await linkGet(n)
  t.is(g.kind, 'ifb')
  t.is(g.mtu, 1400)
  t.is(g.address, '02:50:00:00:02:01')
})

for (const [kind, extra, type] of [
  ['tap', {}, 'tap'],
  ['tun', {}, 'tun'],
  ['tun', { mode: 'tap' }, 'tap'],
  ['tun', { linkinfo: { multiQueue: true } }, 'tun'],
]) {
  test(`linkAdd kind '${kind}' ${JSON.stringify(extra)}: a persistent ${type} device (ip: info_kind tun, type ${type})`, async (t) => {
    const n = delLinkAfter(t, name())
    await linkAdd({ kind, name: n, mtu: 1420, ...extra })
    const l = ipLink(n)
    t.is(l.linkinfo.info_kind, 'tun')
    t.is(l.linkinfo.info_data.type, type)
    t.is(l.linkinfo.info_data.persist, true)
    t.is(l.mtu, 1420)
    t.is(l.link_type, type === 'tap' ? 'ether' : 'none')
    const g = await linkGet(n)
    t.is(g.kind, 'tun')
    t.is(g.linkinfo.mode, type)
    t.is(g.linkinfo.persist, true)
    t.is(g.linkinfo.multiQueue, extra.linkinfo?.multiQueue === true)
    t.is(g.mtu, 1420)
    assertInfoMatches(t, 'tun', g.linkinfo, l.linkinfo.info_data, ['mode', 'persist', 'multiQueue', 'pi', 'vnetHdr'])
  })
}

test('tap with an explicit address and up', async (t) => {
  const n = delLinkAfter(t, name())
  await linkAdd({ kind: 'tap', name: n, address: '02:50:00:00:03:01', up: true })
  const l = ipLink(n)
  t.is(l.address, '02:50:00:00:03:01')
  t.true(l.flags.includes('UP'))
  t.is((await linkGet(n)).up, true)
})

// ---- kind errors the kernel or the kind registry report ---------------------------------------

test('a kind setting out of range or unknown is refused and nothing is created', async (t) => {
  const p = await parent(t)
  const cases = [
    { kind: 'macvlan', link: p, mode: 'sideways' },
    { kind: 'bridge', forwardDelayy: 3 },
    { kind: 'vxlan', id: 1 << 24 },
    { kind: 'ifb', mode: 'x' },
    { kind: 'tun', pi: true },
  ]
  for (const c of cases) {
    const n = delLinkAfter(t, name())
    const e = await t.throwsAsync(linkAdd({ ...c, name: n }), undefined, JSON.stringify(c))
    t.true(e instanceof NetlinkError || e instanceof TypeError || e instanceof RangeError, `${JSON.stringify(c)}: ${e?.message}`)
    t.is(ipLink(n), undefined, `${JSON.stringify(c)}: nothing created`)
  }
  // A link that exists: EEXIST, and the existing one is untouched.
  const n = delLinkAfter(t, name())
  await linkAdd({ kind: 'ifb', name: n, mtu: 1400 })
  const e = await t.throwsAsync(linkAdd({ kind: 'ifb', name: n, mtu: 1300 }), { instanceOf: NetlinkError })
  t.is(e.code, 'EEXIST')
  t.is(ipLink(n).mtu, 1400)
  t.is(ip(['link', 'show', 'dev', n]).length, 1)
  ipDo(['link', 'del', 'dev', n])
})
