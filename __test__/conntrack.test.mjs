// Connection tracking against the `conntrack` command, each test in a namespace of its own (the
// table is per namespace): entries made by nlkit, by `conntrack -I` and by real TCP/UDP flows
// on lo, compared field by field with `conntrack -L -o extended,id` and `conntrack -C`; the
// kernel filters and nlkit's own; update, delete, flush; per-CPU statistics; bad arguments.
//
// What this kernel (6.18) needs: a fresh namespace tracks nothing, not even with a plain nft
// rule: conntrack registers its hooks once a rule needs it (an nftables `ct state` rule here,
// see support/conntrack.mjs track()); entries made through ctnetlink (conntrack -I, nlkit) need
// nothing. Counters and timestamps need net.netfilter.nf_conntrack_acct / _timestamp = 1 in the
// namespace. Its CTA_FILTER compares IPv6 addresses inverted (`!ipv6_addr_cmp`: a filter for
// src ::1 returns the entry from ::3), so nlkit sends IPv6 address filters to no kernel and
// checks them itself (the IPv6 filter test below would fail otherwise).

import test from 'ava'
import * as nl from '../index.js'
import { rejectsCode, rejectsWith } from './support/assert.mjs'
import { asExtended, conntrack, ctCount, ctList, flow, labelRule, systemCommand, track } from './support/conntrack.mjs'
import { nsNamer } from './support/names.mjs'
import { nsConn } from './support/netns.mjs'
import { hasCommand } from './support/oracle.mjs'
import { owned } from './support/registry.mjs'

const own = owned('conntrack')
const nsName = nsNamer(own.netns[0])
const HAVE = hasCommand('conntrack')
const HAVE_FLOWS = HAVE && systemCommand('nft') !== null && systemCommand('python3') !== null
const t1 = HAVE ? test : test.skip
if (!HAVE) test('conntrack tests need the conntrack command (Debian package conntrack)', (t) => t.pass())

/** A connection in a namespace of its own. */
async function setup(t) {
  const ns = nsName()
  const c = await nsConn(t, ns)
  return { ns, c }
}

const TCP = { protocol: 'tcp', orig: { src: '10.180.0.1', dst: '10.180.0.2', sport: 1000, dport: 80 } }
const UDP6 = { protocol: 'udp', orig: { src: '2001:db8:180::1', dst: '2001:db8:180::2', sport: 5353, dport: 53 } }
const ICMP = { protocol: 'icmp', orig: { src: '10.180.0.1', dst: '10.180.0.3', type: 8, code: 0, id: 77 } }

/** nlkit's listing and conntrack's, field by field (timeouts within 2 s: read a moment apart). */
async function sameAsConntrack(t, ns, c, filter, ...args) {
  const want = ctList(ns, ...args)
  const got = (await c.conntrackList(filter)).map(asExtended).sort((a, b) => a.id - b.id)
  t.is(got.length, want.length, `${JSON.stringify(filter)}: ${got.length} entries, conntrack ${args.join(' ')} shows ${want.length}`)
  for (const [i, w] of want.entries()) {
    const g = got[i]
    t.true(Math.abs(g?.timeout - w.timeout) <= 2, `timeout ${g?.timeout} vs ${w.timeout}`)
    t.deepEqual({ ...g, timeout: 0 }, { ...w, timeout: 0 })
  }
  return got
}

t1('entries nlkit creates are the ones conntrack -L shows, and conntrack -C counts', async (t) => {
  const { ns, c } = await setup(t)
  t.is(await c.conntrackCount(), 0)
  await c.conntrackCreate({ ...TCP, timeout: 100, state: 'ESTABLISHED', status: ['ASSURED'], mark: 5, zone: 3 })
  await c.conntrackCreate({ ...UDP6, timeout: 50, mark: 0x10 })
  await c.conntrackCreate({ ...ICMP, timeout: 30 })
  const got = await sameAsConntrack(t, ns, c, undefined)
  t.is(got.length, 3)
  t.is(await c.conntrackCount(), ctCount(ns))
  t.is(ctCount(ns), 3)
  const tcp = (await c.conntrackList({ protocol: 'tcp' }))[0]
  t.like(tcp, { family: 'ipv4', protocol: 'tcp', protonum: 6, state: 'ESTABLISHED', mark: 5, zone: 3, use: 1 })
  t.deepEqual(tcp.reply, { src: '10.180.0.2', dst: '10.180.0.1', sport: 80, dport: 1000 })
  t.deepEqual(tcp.status.sort(), ['ASSURED', 'CONFIRMED'])
  const icmp = (await c.conntrackList({ protocol: 'icmp' }))[0]
  // The reply of an echo request is the echo reply.
  t.deepEqual(icmp.reply, { src: '10.180.0.3', dst: '10.180.0.1', type: 0, code: 0, id: 77 })
  // One by key, as listed; EEXIST for the same again; exclusive: false updates it.
  // (use: the get holds a reference of its own while the kernel answers.)
  const one = asExtended(await c.conntrackGet({ ...TCP, zone: 3 }))
  t.deepEqual({ ...one, use: 1 }, { ...asExtended(tcp), timeout: one.timeout })
  await rejectsCode(t, c.conntrackCreate({ ...TCP, zone: 3, timeout: 10 }), 'EEXIST', 'conntrackCreate')
  await c.conntrackCreate({ ...TCP, zone: 3, timeout: 10, mark: 6, exclusive: false })
  t.is(ctList(ns, '-p', 'tcp')[0].mark, 6)
  await rejectsCode(t, c.conntrackGet(TCP), 'ENOENT', 'conntrackGet') // zone 0 has none
  // A listed entry given back makes the same entry (here in another zone).
  await c.conntrackCreate({ ...tcp, zone: 9 })
  t.like(ctList(ns, '--zone', 9)[0], { state: 'ESTABLISHED', mark: 5, zone: 9, orig: tcp.orig, reply: tcp.reply })
})

t1('entries conntrack -I makes read the same through nlkit, ids included', async (t) => {
  const { ns, c } = await setup(t)
  conntrack(
    ns,
    '-I',
    '-p',
    'tcp',
    '-s',
    '10.180.1.1',
    '-d',
    '10.180.1.2',
    '--sport',
    40000,
    '--dport',
    443,
    '--state',
    'SYN_SENT',
    '-t',
    60,
    '-m',
    7,
  )
  conntrack(
    ns,
    '-I',
    '-p',
    'udp',
    '-s',
    '2001:db8:180::5',
    '-d',
    '2001:db8:180::6',
    '--sport',
    1,
    '--dport',
    2,
    '-t',
    60,
    '-u',
    'SEEN_REPLY,ASSURED',
  )
  conntrack(
    ns,
    '-I',
    '-p',
    'icmp',
    '-s',
    '10.180.1.1',
    '-d',
    '10.180.1.3',
    '--icmp-type',
    8,
    '--icmp-code',
    0,
    '--icmp-id',
    9,
    '-t',
    60,
    '--zone',
    2,
  )
  conntrack(
    ns,
    '-I',
    '-p',
    'tcp',
    '-s',
    '10.180.1.1',
    '-d',
    '10.180.1.2',
    '--sport',
    1,
    '--dport',
    2,
    '--state',
    'ESTABLISHED',
    '-t',
    60,
    '--dst-nat',
    '10.180.1.9:8080',
  )
  const got = await sameAsConntrack(t, ns, c, undefined)
  t.is(got.length, 4)
  const v6 = (await c.conntrackList({ family: 'ipv6' }))[0]
  t.true(v6.status.includes('SEEN_REPLY') && v6.status.includes('ASSURED'))
  // conntrack -I --dst-nat makes the reply come from the new destination: read as nat.dst.
  const nat = (await c.conntrackList({ orig: { dst: '10.180.1.2' }, protocol: 'tcp' })).find((e) => e.orig.sport === 1)
  t.deepEqual(nat.reply, { src: '10.180.1.9', dst: '10.180.1.1', sport: 8080, dport: 1 })
  t.true(nat.status.includes('DST_NAT'))
  t.deepEqual(nat.nat, { dst: { address: '10.180.1.9', port: 8080 } })
})

const tf = HAVE_FLOWS ? test : test.skip
if (!HAVE_FLOWS) test('the flow tests need nft and python3', (t) => t.pass())

tf('a real TCP and UDP flow: tuples, state, counters and timestamps as conntrack -L shows them', async (t) => {
  const { ns, c } = await setup(t)
  track(ns, ['10.180.2.1/32', '10.180.2.2/32'])
  flow(ns, { client: '10.180.2.2', server: '10.180.2.1', tcp: 7001, udp: 7002 })
  const got = await sameAsConntrack(t, ns, c, undefined)
  t.is(got.length, 2)
  const [tcp] = await c.conntrackList({ protocol: 'tcp', orig: { dport: 7001 } })
  t.like(tcp, { orig: { src: '10.180.2.2', dst: '10.180.2.1', dport: 7001 }, reply: { src: '10.180.2.1', sport: 7001 } })
  t.true(['TIME_WAIT', 'CLOSE', 'FIN_WAIT', 'LAST_ACK', 'CLOSE_WAIT'].includes(tcp.state), tcp.state)
  t.true(tcp.status.includes('ASSURED') && tcp.status.includes('SEEN_REPLY'))
  // 1000 payload bytes one way: the counters count them with their headers.
  t.true(tcp.counters.orig.bytes > 1000 && tcp.counters.reply.bytes > 300)
  const [udp] = await c.conntrackList({ protocol: 'udp' })
  // One datagram each way: 50 and 20 bytes of payload, 28 of IPv4 and UDP headers.
  t.deepEqual(udp.counters, { orig: { packets: 1, bytes: 78 }, reply: { packets: 1, bytes: 48 } })
  t.is(typeof tcp.timestamp.start, 'bigint')
  const now = BigInt(Date.now()) * 1000000n
  t.true(tcp.timestamp.start <= now && tcp.timestamp.start > now - 600n * 1000000000n)
  t.is(await c.conntrackCount(), 2)
  const stats = await c.conntrackStats()
  const cpus = conntrack(ns, '-S').trim().split('\n')
  t.is(stats.length, cpus.length)
  // `cpu=0 found=0 invalid=0 insert=0 insert_failed=0 ...`, keyed in camelCase.
  const camel = (k) => k.replace(/_(.)/g, (_, c) => c.toUpperCase())
  for (const [i, s] of stats.entries()) {
    const want = Object.fromEntries([...cpus[i].matchAll(/(\w+)=(\d+)/g)].map(([, k, v]) => [camel(k), Number(v)]))
    t.deepEqual(s, want)
  }
})

tf('labels: kept once a rule uses ct labels (the kernel drops them before), set and replaced', async (t) => {
  const { ns, c } = await setup(t)
  const k = { protocol: 'udp', orig: { src: '10.180.4.1', dst: '10.180.4.2', sport: 1, dport: 2 } }
  // No label extension without a rule that uses labels: the kernel ignores them at create.
  await c.conntrackCreate({ ...k, timeout: 60, labels: [3] })
  t.is((await c.conntrackGet(k)).labels, undefined)
  await c.conntrackDelete(k)
  labelRule(ns)
  await c.conntrackCreate({ ...k, timeout: 60, labels: [1, 70, 127] })
  t.deepEqual((await c.conntrackGet(k)).labels, [1, 70, 127])
  await c.conntrackUpdate({ ...k, labels: [2] })
  t.deepEqual((await c.conntrackGet(k)).labels, [2])
  // (conntrack -L prints labels only by connlabel.conf names: the entry is the same one.)
  t.is(ctList(ns)[0].id, (await c.conntrackGet(k)).id)
})

t1('filters select what conntrack -L selects with the same options', async (t) => {
  const { ns, c } = await setup(t)
  const mk = (p, s, d, sport, dport, extra = []) =>
    conntrack(
      ns,
      '-I',
      '-p',
      p,
      '-s',
      s,
      '-d',
      d,
      '--sport',
      sport,
      '--dport',
      dport,
      '-t',
      60,
      ...(p === 'tcp' ? ['--state', 'ESTABLISHED'] : []),
      ...extra,
    )
  mk('tcp', '10.180.3.1', '10.180.3.2', 1000, 80, ['-m', 0x11])
  // (conntrack 1.4.7's -I puts -u's bits in the mark when given both: one each.)
  mk('tcp', '10.180.3.1', '10.180.3.3', 1001, 443, ['-u', 'ASSURED'])
  mk('tcp', '10.180.3.5', '10.180.3.3', 1006, 443, ['-m', 0x21])
  mk('udp', '10.180.3.4', '10.180.3.2', 1002, 53, ['--zone', 5])
  mk('udp', '2001:db8:180::1', '2001:db8:180::2', 1003, 53)
  mk('udp', '2001:db8:180::3', '2001:db8:180::2', 1004, 53, ['-m', 1])
  mk('tcp', '2001:db8:180::3', '2001:db8:180::4', 1005, 80)
  const cases = [
    [{ family: 'ipv4' }, ['-f', 'ipv4']],
    [{ family: 'ipv6' }, ['-f', 'ipv6']],
    [{ protocol: 'udp' }, ['-p', 'udp']],
    [{ protocol: 'tcp', orig: { dport: 80 } }, ['-p', 'tcp', '--dport', 80]],
    [{ protocol: 'tcp', reply: { sport: 443 } }, ['-p', 'tcp', '--reply-port-src', 443]],
    [{ orig: { src: '10.180.3.1' } }, ['-s', '10.180.3.1']],
    [{ orig: { dst: '10.180.3.2' } }, ['-d', '10.180.3.2']],
    [{ reply: { src: '10.180.3.2' } }, ['-r', '10.180.3.2']],
    [{ orig: { src: '2001:db8:180::1' } }, ['-f', 'ipv6', '-s', '2001:db8:180::1']],
    [{ orig: { src: '2001:db8:180::3' }, protocol: 'udp' }, ['-f', 'ipv6', '-s', '2001:db8:180::3', '-p', 'udp']],
    [{ mark: 0x1, markMask: 0xf }, ['-m', '1/0xf']],
    [{ mark: 0x21 }, ['-m', 0x21]],
    [{ zone: 5 }, ['--zone', 5]],
    [{ status: ['ASSURED'] }, ['-u', 'ASSURED']],
  ]
  for (const [filter, args] of cases) {
    const got = await sameAsConntrack(t, ns, c, filter, ...args)
    t.true(got.length > 0, JSON.stringify(filter))
  }
  t.is((await c.conntrackList({ zone: 0 })).length, 6)
  t.is((await c.conntrackList({ family: 'ipv6', zone: 5 })).length, 0)
})

t1('update, delete by key and by filter, flush by mark and all, as conntrack sees them', async (t) => {
  const { ns, c } = await setup(t)
  await c.conntrackCreate({ ...TCP, timeout: 100, state: 'ESTABLISHED', mark: 0xf0 })
  await c.conntrackCreate({ ...UDP6, timeout: 100, mark: 0x1 })
  await c.conntrackCreate({ ...ICMP, timeout: 100, mark: 0x2 })
  await c.conntrackUpdate({ ...TCP, timeout: 500, mark: 0x0a, markMask: 0x0f, status: ['ASSURED'] })
  const [tcp] = ctList(ns, '-p', 'tcp')
  t.is(tcp.mark, 0xfa)
  t.true(tcp.timeout > 400)
  t.deepEqual(tcp.flags, ['ASSURED', 'UNREPLIED'])
  await c.conntrackUpdate({ ...TCP, state: 'TIME_WAIT' })
  t.is(ctList(ns, '-p', 'tcp')[0].state, 'TIME_WAIT')
  // A listed entry, changed and given back.
  const [listed] = await c.conntrackList({ protocol: 'tcp' })
  await c.conntrackUpdate({ ...listed, mark: 0x32 })
  t.like(ctList(ns, '-p', 'tcp')[0], { mark: 0x32, state: 'TIME_WAIT', flags: ['ASSURED', 'UNREPLIED'] })
  await rejectsCode(t, c.conntrackUpdate({ ...TCP, zone: 1, mark: 1 }), 'ENOENT', 'conntrackUpdate')
  t.is(await c.conntrackDelete({ ...ICMP }), 1)
  await rejectsCode(t, c.conntrackDelete(ICMP), 'ENOENT', 'conntrackDelete')
  t.is(ctCount(ns), 2)
  // With an id, a delete misses an entry of the same tuple but another id (one made again since:
  // ids hash the entry's address and tuples, so a new one in the same memory may read the same).
  const [udp] = await c.conntrackList({ family: 'ipv6' })
  await rejectsCode(t, c.conntrackDelete({ ...UDP6, id: (udp.id + 1) >>> 0 }), 'ENOENT')
  t.is(ctCount(ns), 2)
  t.is(await c.conntrackDelete({ filter: { family: 'ipv6', orig: { dport: 53 }, protocol: 'udp' } }), 1)
  t.is(ctCount(ns), 1)
  await c.conntrackCreate({ ...UDP6, timeout: 100, mark: 0x1 })
  await c.conntrackCreate({ ...ICMP, timeout: 100, mark: 0x3 })
  await c.conntrackFlush({ mark: 0x1, markMask: 0x1 })
  t.deepEqual(
    ctList(ns).map((e) => e.protocol),
    ['tcp'],
  )
  await c.conntrackCreate({ ...ICMP, timeout: 100 })
  await c.conntrackFlush({ family: 'ipv6' })
  t.is(ctCount(ns), 2)
  await c.conntrackFlush({ protocol: 'icmp' })
  t.deepEqual(
    ctList(ns).map((e) => e.protocol),
    ['tcp'],
  )
  await c.conntrackFlush()
  t.is(ctCount(ns), 0)
})

t1('bad arguments throw TypeError/RangeError naming them, and change nothing', async (t) => {
  const { ns, c } = await setup(t)
  await c.conntrackCreate({ ...TCP, timeout: 100, state: 'ESTABLISHED' })
  const before = ctList(ns)
  const bad = [
    [() => c.conntrackCreate({ ...TCP, orig: { ...TCP.orig, dport: 65536 }, timeout: 5 }), RangeError, 'dport'],
    [() => c.conntrackCreate({ ...TCP, protocol: 'tcpp', timeout: 5 }), RangeError, 'protocol'],
    [() => c.conntrackCreate({ ...TCP, orig: { ...TCP.orig, src: '10.180.0.300' }, timeout: 5 }), TypeError, 'orig.src'],
    [() => c.conntrackCreate({ ...TCP, orig: { ...TCP.orig, dst: '2001:db8:180::1' }, timeout: 5 }), TypeError, 'orig.dst'],
    [() => c.conntrackCreate({ ...TCP, family: 'ipv6', timeout: 5 }), TypeError, 'orig.src'],
    [() => c.conntrackCreate({ ...TCP }), TypeError, 'timeout'],
    [() => c.conntrackCreate({ ...TCP, timeout: -1 }), RangeError, 'timeout'],
    [() => c.conntrackCreate({ ...TCP, timeout: 5, state: 'OPEN' }), RangeError, 'state'],
    [() => c.conntrackCreate({ ...ICMP, timeout: 5, state: 'ESTABLISHED' }), RangeError, 'state'],
    [() => c.conntrackCreate({ ...TCP, timeout: 5, status: ['ASURED'] }), RangeError, 'status'],
    [() => c.conntrackCreate({ ...TCP, timeout: 5, labels: [128] }), RangeError, 'labels[0]'],
    [() => c.conntrackCreate({ ...TCP, timeout: 5, zone: 65536 }), RangeError, 'zone'],
    [() => c.conntrackCreate({ ...TCP, timeout: 5, colour: 1 }), RangeError, 'colour'],
    [() => c.conntrackCreate({ ...ICMP, orig: { ...ICMP.orig, sport: 1 }, timeout: 5 }), RangeError, 'sport'],
    [
      () => c.conntrackCreate({ protocol: 'udp', orig: { src: '10.180.0.1', dst: '10.180.0.2', sport: 1 }, timeout: 5 }),
      TypeError,
      'dport',
    ],
    [() => c.conntrackGet({ protocol: 'tcp' }), TypeError, 'orig'],
    [() => c.conntrackList({ orig: { dport: 80 } }), TypeError, 'protocol'],
    [() => c.conntrackList({ mark: 2 ** 32 }), RangeError, 'mark'],
    [() => c.conntrackList({ markMask: 1 }), TypeError, 'mark'],
    [() => c.conntrackList({ family: 'ipx' }), RangeError, 'family'],
    [() => c.conntrackList({ protocl: 'tcp' }), RangeError, 'protocl'],
    [() => c.conntrackList('tcp'), TypeError, 'filter'],
    [() => c.conntrackDelete({ filter: { zone: -1 } }), RangeError, 'zone'],
    [() => c.conntrackDelete({ ...TCP, filter: {} }), RangeError, 'filter'],
    [() => c.conntrackFlush({ orig: { src: 'nope' } }), TypeError, 'orig.src'],
    [() => c.conntrackUpdate({ ...TCP, mark: 1.5 }), TypeError, 'mark'],
    [() => c.conntrackEvents({ types: ['create'] }), RangeError, 'types'],
    [() => c.conntrackEvents({ listExisting: 1 }), TypeError, 'listExisting'],
  ]
  for (const [fn, cls, name] of bad) {
    const e = await rejectsWith(t, fn, cls, name)
    t.true(e?.message.includes(name), `${name}: ${e?.message}`)
  }
  t.deepEqual(
    ctList(ns).map((e) => ({ ...e, timeout: 0 })),
    before.map((e) => ({ ...e, timeout: 0 })),
  )
})

t1('the module-level functions work on the default connection (this namespace), by tuple', async (t) => {
  const k = { protocol: 'udp', orig: { src: '10.180.9.1', dst: '10.180.9.2', sport: 9, dport: 9 } }
  await nl.conntrackCreate({ ...k, timeout: 30, mark: 9 })
  t.teardown(() => nl.conntrackDelete(k).catch(() => {}))
  t.like(await nl.conntrackGet(k), { mark: 9, protocol: 'udp' })
  t.is((await nl.conntrackList({ protocol: 'udp', orig: { src: '10.180.9.1' } })).length, 1)
  await nl.conntrackUpdate({ ...k, mark: 10 })
  t.is((await nl.conntrackGet(k)).mark, 10)
  t.true((await nl.conntrackCount()) >= 1)
  t.true((await nl.conntrackStats()).length >= 1)
  t.is(await nl.conntrackDelete(k), 1)
  await nl.conntrackFlush({ mark: 10 }) // nothing left with it
  t.is((await nl.conntrackList({ orig: { src: '10.180.9.1' } })).length, 0)
})
