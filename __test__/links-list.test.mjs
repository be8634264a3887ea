// Links as listed: linkList / linkGet against `ip -j -d link show`, field by field (veth, bridge
// port, tun, altname, alias, flags including ip's M-DOWN). What it owns in the shared namespace
// is its entry in support/registry.mjs.

import test from 'ava'
import { linkList, linkGet } from '../index.js'
import { ip, ipDo, ipTry, ipLink } from './support/oracle.mjs'
import { linkFromIp, linkFromNl } from './support/shapes.mjs'
import { namer } from './support/names.mjs'
import { veth } from './support/veth.mjs'
import { waitFor } from './support/wait.mjs'
import { owned } from './support/registry.mjs'

const own = owned('links-list')
const name = namer(own.prefix)

const indexes = (list) => JSON.stringify(list.map((l) => l.index).sort((x, y) => x - y))
const key = (list) => JSON.stringify([...list].sort((a, b) => a.index - b.index))

/**
 * linkList() next to two `ip` snapshots. Other test files change links concurrently, so retry
 * until ip's view is the same before and after the nlkit call and nlkit lists the same links:
 * a link created and deleted between the two snapshots is seen by nlkit alone (CI saw that).
 * A persistent difference still fails: 200 tries without agreement is `stable: false`.
 */
async function consistentLinks(opts) {
  let last
  for (let i = 0; i < 200; i++) {
    const before = ip('-d link show').map((l) => linkFromIp(l, opts))
    const mine = await linkList()
    const after = ip('-d link show').map((l) => linkFromIp(l, opts))
    last = { before, after, mine }
    const same = indexes(mine) === indexes(after)
    if (key(before) === key(after) && same) return { ip: after, mine, stable: true }
  }
  return { ...last, stable: false }
}

test('linkList equals `ip -j -d link show` field by field (veth, bridge port, tun, altname, alias, flags)', async (t) => {
  const br = name()
  const { a, b } = await veth(t, name(), name())
  const { a: c, b: d } = await veth(t, name(), name(), { via: 'ip' })
  const tun = name()
  ipDo(['link', 'add', 'name', br, 'type', 'bridge'])
  t.teardown(() => ipTry(['link', 'del', 'dev', br]))
  ipDo(['tuntap', 'add', 'dev', tun, 'mode', 'tun'])
  t.teardown(() => ipTry(['link', 'del', 'dev', tun]))
  ipDo(['link', 'set', 'dev', a, 'master', br])
  ipDo(['link', 'set', 'dev', br, 'up'])
  ipDo(['link', 'set', 'dev', a, 'up'])
  ipDo(['link', 'set', 'dev', b, 'up'])
  ipDo(['link', 'set', 'dev', c, 'up', 'promisc', 'on', 'allmulticast', 'on', 'mtu', '1400'])
  ipDo(['link', 'set', 'dev', d, 'up'])
  ipDo(['link', 'set', 'dev', d, 'alias', 'lk test alias'])
  ipDo(['link', 'property', 'add', 'dev', d, 'altname', `${d}alt`])
  ipDo(['link', 'set', 'dev', tun, 'up'])
  // Let operstates settle (linkwatch runs asynchronously).
  await waitFor(() => [a, b, c, d].every((n) => ipLink(n).operstate === 'UP'), { what: 'veths UP' })

  const { ip: want, mine, stable } = await consistentLinks()
  t.true(stable, 'got a consistent ip snapshot')
  const byIndex = new Map(mine.map((l) => [l.index, l]))
  t.is(new Set(mine.map((l) => l.index)).size, mine.length, 'no duplicate indexes')
  t.deepEqual(
    mine.map((l) => l.index).sort((x, y) => x - y),
    want.map((l) => l.index).sort((x, y) => x - y),
    'same set of links',
  )
  for (const w of want) {
    const l = byIndex.get(w.index)
    t.truthy(l, `nlkit lists ${w.name}`)
    if (l) t.deepEqual(linkFromNl(l), w, `link ${w.name}`)
  }

  // The cases this test set up, spelled out.
  const get = (n) => mine.find((l) => l.name === n)
  t.is(get(a).master, br)
  t.is(get(a).masterIndex, get(br).index)
  t.is(get(a).link, b)
  t.is(get(b).link, a)
  t.is(get(b).linkIndex, get(a).index)
  t.is(get(br).kind, 'bridge')
  t.is(get(a).kind, 'veth')
  t.is(get(tun).kind, 'tun')
  t.is(get(tun).linkType, 'none')
  t.true(get(tun).flags.includes('POINTOPOINT'))
  t.true(get(tun).flags.includes('NOARP'))
  t.is(get(tun).address, undefined)
  t.deepEqual(get(c).flags, ipLink(c).flags)
  t.true(get(c).flags.includes('PROMISC'))
  t.true(get(c).flags.includes('ALLMULTI'))
  t.is(get(c).mtu, 1400)
  t.is(get(d).alias, 'lk test alias')
  t.deepEqual(get(d).altNames, [`${d}alt`])
  const lo = get('lo')
  t.is(lo.index, 1)
  t.is(lo.linkType, 'loopback')
  t.is(lo.kind, undefined)
  t.is(typeof lo.stats?.rxPackets, 'number')
})

test('linkGet by name and by index equals ip and linkList', async (t) => {
  const br = name()
  const { a, b, ia, ib } = await veth(t, name(), name())
  ipDo(['link', 'add', 'name', br, 'type', 'bridge'])
  t.teardown(() => ipTry(['link', 'del', 'dev', br]))
  ipDo(['link', 'set', 'dev', b, 'master', br])
  ipDo(['link', 'set', 'dev', a, 'up'])
  ipDo(['link', 'set', 'dev', b, 'up'])
  await waitFor(() => ipLink(a).operstate === 'UP' && ipLink(b).operstate === 'UP', { what: 'operstate UP' })

  for (const [n, idx] of [
    [a, ia],
    [b, ib],
  ]) {
    const byName = await linkGet(n)
    const byIdx = await linkGet(idx)
    const want = linkFromIp(ipLink(n))
    t.deepEqual(linkFromNl(byName), want, `linkGet('${n}')`)
    t.deepEqual(linkFromNl(byIdx), want, `linkGet(${idx})`)
    const listed = (await linkList()).find((l) => l.index === idx)
    t.deepEqual(linkFromNl(listed), linkFromNl(byName), 'same as the linkList entry')
  }
  const pb = await linkGet(b)
  t.is(pb.master, br)
  t.is(pb.link, a)
  t.is(pb.linkIndex, ia)
  t.is((await linkGet(a)).link, b)

  const lo = await linkGet('lo')
  t.is(lo.index, 1)
  t.is(lo.name, 'lo')
  t.is((await linkGet(1)).name, 'lo')
})

test("flags include ip's M-DOWN for a veth whose peer is down", async (t) => {
  const { a, b } = await veth(t, name(), name())
  ipDo(['link', 'set', 'dev', a, 'up'])
  const want = ipLink(a).flags
  t.true(want.includes('M-DOWN'), `ip prints M-DOWN: ${want}`)
  t.deepEqual((await linkGet(a)).flags, want, 'linkGet')
  t.deepEqual((await linkList()).find((l) => l.name === a).flags, want, 'linkList')
  t.deepEqual((await linkGet(b)).flags, ipLink(b).flags)
})
