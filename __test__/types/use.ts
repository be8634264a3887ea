// Intended use: every line must compile, with the result types asserted exactly. Never run
// (tsc --noEmit only): it calls the API with typical arguments to check the declarations.

import * as nl from 'nlkit'
import {
  type Address,
  type Link,
  type NetlinkEvent,
  type Neighbour,
  type RawMessage,
  type Route,
  type Rule,
  type Attrs,
  decodeAttrs,
  encodeAttrs,
  NETLINK,
  NetlinkError,
  NLM_F,
  open,
  type RawNetlink,
  type RouteStream,
  type Subscription,
  subscribe,
} from 'nlkit'
import { expectType } from './helpers.js'

export async function moduleLevel(): Promise<void> {
  expectType<Link[]>()(await nl.linkList())
  expectType<Link>()(await nl.linkGet('eth0'))
  expectType<void>()(await nl.linkSetUp('eth0'))
  expectType<void>()(await nl.linkSetDown(2, { timeout: 1000 }))
  expectType<void>()(await nl.linkAddVeth('veth0', 'veth1'))
  expectType<void>()(await nl.linkAdd({ kind: 'veth', name: 'v0', peer: { name: 'v1' } }))
  expectType<void>()(await nl.linkAdd({ kind: 'bridge', name: 'br0', up: true, stp: true, vlanProtocol: '802.1ad' }))
  await nl.linkAdd({ kind: 'vxlan', name: 'vx0', id: 42, group: '239.1.1.1', dev: 'eth0', port: 4789, df: 'inherit' })
  await nl.linkAdd({ kind: 'vxlan', name: 'vx1', linkinfo: { id: 43, remote: '10.0.0.2', srcPortRange: { low: 1, high: 2 } }, group: 7 })
  await nl.linkAdd({ kind: 'vlan', name: 'v5', link: 'eth0', id: 5, egressQos: [{ from: 1, to: 2 }] })
  await nl.linkAdd({ kind: 'macvlan', name: 'mv0', link: 'eth0', mode: 'bridge' })
  await nl.linkAdd({ kind: 'bond', name: 'bond0', mode: '802.3ad', miimon: 100, arpIpTarget: ['10.0.0.1'] })
  await nl.linkAdd({ kind: 'vrf', name: 'vrf0', table: 10 })
  await nl.linkAdd({ kind: 'gre', name: 'gre0', local: '10.0.0.1', remote: '10.0.0.2', ikey: 1, iseq: true })
  await nl.linkAdd({ kind: 'ip6gre', name: 'g6', remote: '2001:db8::1', flowlabel: 5 })
  await nl.linkAdd({ kind: 'sit', name: 's0', mode: 'ip6ip', isatap: true })
  await nl.linkAdd({ kind: 'tap', name: 'tap0', multiQueue: true, mtu: 1400 })
  await nl.linkAdd({ kind: 'dummy', name: 'd0', mtu: 9000, group: 3 })
  // A kind nlkit has no settings for: top-level settings only, as the runtime accepts it.
  await nl.linkAdd({ kind: 'geneve', name: 'gnv0', mtu: 1400, up: true })
  // A kind known only at run time: any settings compile, the core checks them.
  const kind: string = process.argv[2] ?? 'dummy'
  await nl.linkAdd({ kind, name: 'x0', mode: 'bridge', linkinfo: { id: 1 } })
  const spec: nl.LinkAddSpec = { kind: 'ipvlan', name: 'ipv0', link: 'eth0', mode: 'l3s', flags: 'vepa' }
  await nl.linkAdd(spec)
  expectType<void>()(await nl.linkSet('eth0', { mtu: 1400, up: true, master: 'br0' }))
  expectType<void>()(await nl.linkSetMaster('eth0', null))
  expectType<void>()(await nl.linkSetMtu('eth0', 1400))
  expectType<void>()(await nl.linkSetName('eth0', 'wan'))
  expectType<void>()(await nl.linkSetAddress('eth0', '02:00:00:00:00:01'))
  expectType<void>()(await nl.linkSetNetns('eth0', { pid: 1 }))
  expectType<void>()(await nl.linkDel('eth0'))
  expectType<void>()(await nl.addrAdd('eth0', '10.0.0.1/24', { scope: 'link', nodad: true }))
  expectType<void>()(await nl.addrReplace('eth0', '10.0.0.1/24'))
  expectType<void>()(await nl.addrDel('eth0', '10.0.0.1/24'))
  expectType<Address[]>()(await nl.addrList({ link: 'eth0', family: 4 }))
  expectType<void>()(await nl.routeAdd({ dst: '10.1.0.0/16', gateway: '10.0.0.254', type: 'unicast', scope: 'global', protocol: 'static' }))
  expectType<void>()(await nl.routeAdd({ dst: '10.2.0.0/16', type: 'blackhole', table: 'main' }))
  expectType<void>()(await nl.routeAdd({ dst: '10.3.0.0/16', type: 7, scope: 0, protocol: 4, table: 100 }))
  expectType<void>()(await nl.routeReplace({ dst: 'default', dev: 'eth0', metrics: { mtu: 1400 } }))
  expectType<void>()(await nl.routeDel({ dst: '10.1.0.0/16' }))
  expectType<void>()(await nl.routeAppend({ dst: '10.4.0.0/16', nexthops: [{ gateway: '10.0.0.1', weight: 2 }] }))
  expectType<Route[]>()(await nl.routeList({ table: 'all', family: 6 }))
  expectType<RouteStream>()(await nl.routeListStream())
  expectType<nl.SocketStream<nl.InetSocket>>()(await nl.socketListStream({ states: 'established', dport: 443 }))
  expectType<nl.SocketStream<nl.UnixSocket>>()(await nl.socketListStream({ family: 'unix' }, { signal: AbortSignal.timeout(1000) }))
  const ct = { protocol: 'udp', orig: { src: '10.0.0.1', dst: '10.0.0.2', sport: 5000, dport: 53 }, timeout: 60 } as const
  expectType<void>()(await nl.conntrackCreate({ ...ct, nat: { dst: { address: '10.0.0.3', port: 5353, portMax: 5360 } } }))
  for (const e of await nl.conntrackList()) await nl.conntrackCreate({ ...e, timeout: 60 })
  expectType<Route>()(await nl.routeGet('1.1.1.1', { from: '10.0.0.1' }))
  expectType<void>()(await nl.routeAddDefault('10.0.0.254'))
  expectType<void>()(await nl.routeDelDefault({ family: 4 }))
  expectType<Neighbour[]>()(await nl.neighList({ family: 'bridge' }))
  expectType<void>()(await nl.neighAdd({ dev: 'eth0', dst: '10.0.0.2', lladdr: '02:00:00:00:00:02', state: 'permanent' }))
  expectType<void>()(await nl.neighReplace({ dev: 'eth0', dst: '10.0.0.2', state: ['reachable'], flags: ['router'] }))
  expectType<void>()(await nl.neighDel({ dev: 'eth0', dst: '10.0.0.2' }))
  expectType<Rule[]>()(await nl.ruleList({ family: 4 }))
  expectType<void>()(await nl.ruleAdd({ priority: 100, from: '10.0.0.0/8', table: 'main', action: 'to_tbl', protocol: 'static' }))
  expectType<void>()(await nl.ruleDel({ priority: 100 }))
  expectType<void>()(await nl.netnsCreate('blue'))
  expectType<void>()(await nl.netnsDelete('blue'))
  expectType<string[]>()(await nl.netnsList())
}

export async function connections(): Promise<void> {
  await using conn = open({ netns: 'blue', timeout: 2000 })
  expectType<nl.Netlink>()(conn)
  expectType<Link[]>()(await conn.linkList())
  conn.close()

  const raw = open({ protocol: 'generic' })
  expectType<RawNetlink>()(raw)
  const payload = encodeAttrs((b) =>
    b
      .u16(1, 0x10)
      .string(2, 'nlctrl')
      .nested(3, (n) => n.u32(1, 7)),
  )
  expectType<Buffer>()(payload)
  const replies = await raw.request({ type: 0x10, flags: NLM_F.DUMP, payload })
  expectType<RawMessage[]>()(replies)
  for (const m of replies) {
    const attrs = decodeAttrs(m.payload.subarray(4))
    expectType<Attrs>()(attrs)
    expectType<number | undefined>()(attrs.u16(1))
  }
  expectType<0>()(NETLINK.route)
  await raw[Symbol.asyncDispose]()
}

export async function shaping(): Promise<void> {
  await nl.qdiscAdd({ dev: 'eth0', parent: 'root', handle: '1:', kind: 'htb', default: '10', r2q: 5 })
  await nl.classAdd({ dev: 'eth0', parent: '1:', handle: '1:10', kind: 'htb', rate: '8mbit', ceil: '10mbit', burst: '15k', prio: 1 })
  await nl.classChange({ dev: 'eth0', parent: '1:', handle: '1:10', kind: 'htb', rate: 4_000_000, linklayer: 'atm' })
  expectType<void>()(await nl.classReplace({ dev: 'eth0', parent: '1:', handle: '1:10', kind: 'htb', rate: '1mbit' }))
  await nl.qdiscReplace({ dev: 'eth0', parent: 'root', kind: 'tbf', rate: '8mbit', burst: '10kb', latency: '50ms' })
  await nl.qdiscAdd({ dev: 'eth0', parent: 'root', kind: 'fq_codel', target: '5ms', interval: 100_000, ecn: true, memoryLimit: '32mb' })
  await nl.qdiscAdd({ dev: 'eth0', parent: 'root', kind: 'fq', maxrate: 10n ** 9n, pacing: false, timerSlack: 10.5, horizonDrop: true })
  await nl.qdiscAdd({
    dev: 'eth0',
    parent: 'root',
    kind: 'cake',
    bandwidth: 'unlimited',
    rtt: 'internet',
    flowmode: 'dual-srchost',
    ackFilter: 'aggressive',
  })
  await nl.qdiscAdd({ dev: 'eth0', parent: 'root', handle: '1:', kind: 'hfsc', default: 0x10 })
  await nl.classAdd({
    dev: 'eth0',
    parent: '1:',
    handle: '1:10',
    kind: 'hfsc',
    rt: { umax: 1500, dmax: '5ms', rate: '1mbit' },
    ls: { m2: '2mbit' },
  })
}

export async function events(): Promise<void> {
  const sub = subscribe(['link', 'ipv4-route'], { listExisting: true, signal: AbortSignal.timeout(1000) })
  expectType<Subscription>()(sub)
  for await (const ev of sub) {
    expectType<NetlinkEvent>()(ev)
    if (ev.type === 'link') expectType<Link>()(ev.link)
    if (ev.type === 'route') expectType<string>()(ev.route.dst)
  }
}

export function errors(e: unknown): string | undefined {
  if (e instanceof NetlinkError) {
    expectType<string>()(e.code)
    expectType<number>()(e.errno)
    expectType<string | undefined>()(e.extack)
    return e.op
  }
  return undefined
}
