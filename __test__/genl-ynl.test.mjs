// The spec-driven generic path: YNL specs this file writes itself (subsets of netdev and
// mptcp_pm, in the kernel's spec format), loaded from text, from an object and from a file, and
// their operations run against the kernel in namespaces of this file's own. What they decode
// must equal what the typed modules decode from the same kernel state (netdevDevList,
// netdevQueueList, netdevNapiList, mptcpEndpointList, mptcpLimitsGet), what they encode must
// make what `ip -j mptcp endpoint show` sees, and notifications decode by the spec too.

import test from 'ava'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as nl from '../index.js'
import { rejectsCode } from './support/assert.mjs'
import { namer, nsNamer } from './support/names.mjs'
import { nsConn } from './support/netns.mjs'
import { owned } from './support/registry.mjs'

const own = owned('genl-ynl')
const ns = nsNamer(own.netns[0])
const name = namer(own.prefix)
const run = (NS, ...args) => execFileSync('ip', ['netns', 'exec', NS, ...args], { encoding: 'utf8' })

const NETDEV = `
name: netdev
protocol: genetlink
definitions:
  - type: flags
    name: xdp-act
    entries: [basic, redirect, ndo-xmit, xsk-zerocopy, hw-offload, rx-sg, ndo-xmit-sg]
  - type: flags
    name: xdp-rx-metadata
    entries: [timestamp, hash, vlan-tag]
  - type: flags
    name: xsk-flags
    entries: [tx-timestamp, tx-checksum, tx-launch-time-fifo]
  - type: enum
    name: queue-type
    entries: [rx, tx]
  - type: enum
    name: napi-threaded
    entries: [disabled, enabled, busy-poll]
attribute-sets:
  - name: dev
    attributes:
      - { name: ifindex, type: u32 }
      - { name: pad, type: pad }
      - { name: xdp-features, type: u64, enum: xdp-act }
      - { name: xdp-zc-max-segs, type: u32 }
      - { name: xdp-rx-metadata-features, type: u64, enum: xdp-rx-metadata }
      - { name: xsk-features, type: u64, enum: xsk-flags }
  - name: queue
    attributes:
      - { name: id, type: u32 }
      - { name: ifindex, type: u32 }
      - { name: type, type: u32, enum: queue-type }
      - { name: napi-id, type: u32 }
  - name: napi
    attributes:
      - { name: ifindex, type: u32 }
      - { name: id, type: u32 }
      - { name: irq, type: u32 }
      - { name: pid, type: u32 }
      - { name: defer-hard-irqs, type: u32 }
      - { name: gro-flush-timeout, type: uint }
      - { name: irq-suspend-timeout, type: uint }
      - { name: threaded, type: u32, enum: napi-threaded }
operations:
  list:
    - name: dev-get
      attribute-set: dev
      do:
        request: { attributes: [ifindex] }
        reply: &dev-all { attributes: [ifindex, xdp-features, xdp-zc-max-segs, xdp-rx-metadata-features, xsk-features] }
      dump: { reply: *dev-all }
    - name: dev-add-ntf
      notify: dev-get
      mcgrp: mgmt
    - name: dev-del-ntf
      notify: dev-get
      mcgrp: mgmt
    - name: queue-get
      value: 10
      attribute-set: queue
      dump: { request: { attributes: [ifindex] }, reply: { attributes: [id, type, napi-id, ifindex] } }
    - name: napi-get
      attribute-set: napi
      dump: { request: { attributes: [ifindex] }, reply: { attributes: [id, ifindex, irq, pid] } }
mcast-groups:
  list:
    - name: mgmt
`

const MPTCP = {
  name: 'mptcp_pm',
  protocol: 'genetlink-legacy',
  definitions: [{ type: 'flags', name: 'address-flags', entries: ['signal', 'subflow', 'backup', 'fullmesh', 'implicit', 'laminar'] }],
  'attribute-sets': [
    {
      name: 'address',
      attributes: [
        { name: 'family', type: 'u16' },
        { name: 'id', type: 'u8' },
        { name: 'addr4', type: 'binary', 'display-hint': 'ipv4' },
        { name: 'addr6', type: 'binary', 'display-hint': 'ipv6' },
        { name: 'port', type: 'u16' },
        { name: 'flags', type: 'u32', enum: 'address-flags' },
        { name: 'if-idx', type: 's32' },
      ],
    },
    {
      name: 'attr',
      attributes: [
        { name: 'addr', type: 'nest', 'nested-attributes': 'address' },
        { name: 'rcv-add-addrs', type: 'u32' },
        { name: 'subflows', type: 'u32' },
      ],
    },
  ],
  operations: {
    list: [
      { name: 'add-addr', 'attribute-set': 'attr', do: { request: { attributes: ['addr'] } } },
      { name: 'del-addr', 'attribute-set': 'attr', do: { request: { attributes: ['addr'] } } },
      {
        name: 'get-addr',
        'attribute-set': 'attr',
        do: { request: { attributes: ['addr'] }, reply: { attributes: ['addr'] } },
        dump: { reply: { attributes: ['addr'] } },
      },
      { name: 'flush-addrs', 'attribute-set': 'attr', do: {} },
      { name: 'set-limits', 'attribute-set': 'attr', do: { request: { attributes: ['rcv-add-addrs', 'subflows'] } } },
      { name: 'get-limits', 'attribute-set': 'attr', do: { reply: { attributes: ['rcv-add-addrs', 'subflows'] } } },
    ],
  },
}

/** A veth pair with 3 receive and 2 transmit queues, GRO on (so it has NAPI instances). */
function veth(NS) {
  const [A, B] = [name(), name()]
  run(NS, 'ip', 'link', 'add', A, 'numtxqueues', '2', 'numrxqueues', '3', 'type', 'veth', 'peer', B, 'numtxqueues', '2', 'numrxqueues', '3')
  for (const d of [A, B]) {
    run(NS, 'ip', 'link', 'set', d, 'up')
    run(NS, 'ethtool', '-K', d, 'gro', 'on')
  }
  return A
}

test('a netdev spec written here decodes dev-get, queue-get and napi-get as the typed netdev module does; a file loads the same', async (t) => {
  const NS = ns()
  const c = await nsConn(t, NS)
  const A = veth(NS)
  const index = (await c.linkGet(A)).index
  const nd = await c.genlSpec(NETDEV)
  t.is(nd.name, 'netdev')
  t.deepEqual(nd.mcastGroups, ['mgmt'])
  t.true(nd.operations.includes('queue-get'))
  t.deepEqual(await nd.dump('dev-get'), await c.netdevDevList())
  t.deepEqual(await nd.do('dev-get', { ifindex: index }), await c.netdevDevGet(A))
  const queues = await nd.dump('queue-get', { ifindex: index })
  t.is(queues.length, 5)
  t.deepEqual(queues, await c.netdevQueueList({ dev: A }))
  const napis = await nd.dump('napiGet', { ifindex: index })
  t.is(napis.length, 3)
  t.deepEqual(napis, await c.netdevNapiList({ dev: A }))

  const dir = mkdtempSync(join(tmpdir(), 'nlkit-ynl-'))
  writeFileSync(join(dir, 'netdev.yaml'), NETDEV)
  const fromFile = await c.genlSpecFile(join(dir, 'netdev.yaml'))
  t.deepEqual(await fromFile.dump('queue-get', { ifindex: index }), queues)
})

test('an mptcp_pm spec object encodes endpoints ip -j mptcp endpoint shows, and decodes what the typed module decodes', async (t) => {
  const NS = ns()
  const c = await nsConn(t, NS)
  const pm = await c.genlSpec(MPTCP)
  await pm.do('add-addr', { addr: { family: 2, id: 11, addr4: '10.184.0.1', flags: ['signal', 'backup'], port: 2000 } })
  await pm.do('add-addr', { addr: { family: 10, id: 12, addr6: '2001:db8:184::1', flags: ['subflow'] } })
  const shown = JSON.parse(run(NS, 'ip', '-j', 'mptcp', 'endpoint', 'show'))
  t.deepEqual(shown, [
    { address: '10.184.0.1', port: 2000, id: 11, signal: true, backup: true },
    { address: '2001:db8:184::1', id: 12, subflow: true },
  ])
  const typed = await c.mptcpEndpointList()
  const viaSpec = await pm.dump('get-addr')
  t.is(viaSpec.length, 2)
  for (const [i, { addr }] of viaSpec.entries()) {
    const e = typed[i]
    t.is(addr.addr4 ?? addr.addr6, e.address)
    t.is(addr.id, e.id)
    t.deepEqual(addr.flags, e.flags)
    t.is(addr.port || undefined, e.port)
  }
  t.deepEqual((await pm.do('get-addr', { addr: { id: 12 } })).addr.addr6, '2001:db8:184::1')
  await pm.do('set-limits', { 'rcv-add-addrs': 3, subflows: 5 })
  const limits = await pm.do('get-limits')
  t.deepEqual(limits, { rcvAddAddrs: 3, subflows: 5 })
  t.deepEqual(await c.mptcpLimitsGet(), { addAddrAccepted: 3, subflows: 5 })
  await pm.do('flush-addrs')
  t.deepEqual(JSON.parse(run(NS, 'ip', '-j', 'mptcp', 'endpoint', 'show')), [])
})

test('spec notifications decode by the spec: netdev dev-add-ntf when a link appears', async (t) => {
  const NS = ns()
  const c = await nsConn(t, NS)
  const nd = await c.genlSpec(NETDEV)
  const sub = await nd.subscribe(['mgmt'])
  t.teardown(() => sub.close())
  const A = name()
  run(NS, 'ip', 'link', 'add', A, 'type', 'veth', 'peer', name())
  const index = (await c.linkGet(A)).index
  for await (const ev of sub) {
    if (ev.type === 'notification' && ev.op === 'dev-add-ntf' && ev.attrs.ifindex === index) {
      t.true(Array.isArray(ev.attrs.xdpFeatures))
      break
    }
  }
})

test('bad spec calls reject before anything is sent; bad specs are RangeErrors naming the place', async (t) => {
  const NS = ns()
  const c = await nsConn(t, NS)
  const pm = await c.genlSpec(MPTCP)
  const bad = [
    [() => pm.do('no-such-op'), RangeError, /no-such-op/],
    [() => pm.dump('add-addr'), RangeError, /no dump/],
    [() => pm.do('add-addr', { adr: {} }), RangeError, /adr/],
    [() => pm.do('add-addr', { addr: { family: 2, flags: ['sideways'] } }), RangeError, /sideways/],
    [() => pm.do('add-addr', { addr: { id: 300 } }), RangeError, /attrs\.addr\.id/],
    [() => pm.do('add-addr', { addr: { addr4: 'nope' } }), TypeError, /addr4/],
    [() => pm.do('add-addr', { addr: 5 }), TypeError, /attrs\.addr/],
    [() => pm.subscribe(['nope']), RangeError, /nope/],
  ]
  for (const [f, type, message] of bad) await t.throwsAsync(f(), { instanceOf: type, message })
  t.deepEqual(JSON.parse(run(NS, 'ip', '-j', 'mptcp', 'endpoint', 'show')), [])
  await t.throwsAsync(c.genlSpec('name: x\nprotocol: netlink-raw\n'), { instanceOf: RangeError, message: /protocol/ })
  await t.throwsAsync(c.genlSpec({ name: 'x', 'attribute-sets': [{ name: 's', attributes: [{ type: 'u8' }] }] }), {
    instanceOf: RangeError,
    message: /attribute-sets\[0\]\.attributes\[0\]\.name/,
  })
  await t.throwsAsync(c.genlSpec(42), { instanceOf: TypeError })
  await t.throwsAsync(nl.genlSpec(null), { instanceOf: TypeError, message: /spec/ })
  await t.throwsAsync(nl.genlSpecFile(7), { instanceOf: TypeError, message: /path/ })
  // A family this kernel does not have: ENOENT naming it, from the first call.
  const wg = await c.genlSpec({
    name: 'wireguard',
    'attribute-sets': [{ name: 'd', attributes: [] }],
    operations: { list: [{ name: 'get-device', 'attribute-set': 'd', dump: {} }] },
  })
  await rejectsCode(t, wg.dump('get-device'), 'ENOENT')
})
