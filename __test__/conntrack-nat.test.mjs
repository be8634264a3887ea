// Conntrack entries made with NAT (conntrackCreate's `nat`, as `conntrack -I --src-nat /
// --dst-nat`), each test in a namespace of its own: the reply tuple the kernel makes of the NAT,
// against `conntrack -L -o extended,id` and against the entry `conntrack -I` makes of the same
// command; a listed entry given back; NAT of an existing entry; packets translated; bad input.
// The request bytes are checked against conntrack's in the core (nfnl/conntrack/tests.rs).
//
// What this kernel (6.18, nf_nat built in) does: ctnetlink makes a NAT'd entry in any namespace,
// with no nat table and no rule (nf_nat_setup_info rewrites the reply tuple and sets SRC_NAT or
// DST_NAT, and the other direction's null binding: SRC_NAT_DONE and DST_NAT_DONE both). The
// kernel takes the given reply as the untranslated one: given the translated reply itself it
// would see nothing to translate and set no NAT bit, so nlkit sends the original reversed, as
// conntrack does. NAT of an existing entry is refused (EOPNOTSUPP, ctnetlink_change_conntrack).
// The connection's packets are translated only where the namespace has NAT hooks (a nat chain
// of the family) AND conntrack's hooks (registered once a rule uses conntrack: a nat chain alone
// tracks nothing here): the last flow test shows all three cases.

import test from 'ava'
import { rejectsCode, rejectsWith } from './support/assert.mjs'
import { asExtended, conntrack, ctList, nft, python, sysctl, systemCommand } from './support/conntrack.mjs'
import { nsNamer } from './support/names.mjs'
import { nsConn } from './support/netns.mjs'
import { hasCommand, ipn } from './support/oracle.mjs'
import { owned } from './support/registry.mjs'

const own = owned('conntrack-nat')
const nsName = nsNamer(own.netns[0])
const HAVE = hasCommand('conntrack')
const HAVE_FLOWS = HAVE && systemCommand('nft') !== null && systemCommand('python3') !== null
const t1 = HAVE ? test : test.skip
if (!HAVE) test('conntrack NAT tests need the conntrack command (Debian package conntrack)', (t) => t.pass())
const tf = HAVE_FLOWS ? test : test.skip
if (!HAVE_FLOWS) test('the NAT flow test needs nft and python3', (t) => t.pass())

async function setup(t) {
  const ns = nsName()
  return { ns, c: await nsConn(t, ns) }
}

const tcp = (sport) => ({ protocol: 'tcp', orig: { src: '10.189.0.1', dst: '10.189.0.2', sport, dport: 80 } })
const EST = { timeout: 100, state: 'ESTABLISHED' }
/** The conntrack -I arguments of the same entry. */
const ctArgs = (sport) => ['-p', 'tcp', '-s', '10.189.0.1', '-d', '10.189.0.2', '--sport', sport, '--dport', 80]

/** nlkit's listing and conntrack's, entry for entry (timeouts within 2 s). */
async function sameAsConntrack(t, ns, c, filter, ...args) {
  const want = ctList(ns, ...args)
  const got = (await c.conntrackList(filter)).map(asExtended).sort((a, b) => a.id - b.id)
  t.is(got.length, want.length)
  for (const [i, w] of want.entries()) {
    t.true(Math.abs(got[i]?.timeout - w.timeout) <= 2)
    t.deepEqual({ ...got[i], timeout: 0 }, { ...w, timeout: 0 })
  }
}

t1('the reply tuple is the translated one, as conntrack -L shows and as conntrack -I makes it', async (t) => {
  const { ns, c } = await setup(t)
  const cases = [
    [
      1001,
      { src: { address: '10.189.0.9' } },
      ['--src-nat', '10.189.0.9'],
      { src: '10.189.0.2', dst: '10.189.0.9', sport: 80, dport: 1001 },
    ],
    [1002, { src: { address: '10.189.0.9', port: 4000 } }, ['--src-nat', '10.189.0.9:4000'], { dst: '10.189.0.9', dport: 4000 }],
    [1003, { dst: { address: '10.189.0.8', port: 8080 } }, ['--dst-nat', '10.189.0.8:8080'], { src: '10.189.0.8', sport: 8080 }],
    [
      1004,
      { src: { address: '10.189.0.9', port: 4001 }, dst: { address: '10.189.0.8', port: 8080 } },
      ['--src-nat', '10.189.0.9:4001', '--dst-nat', '10.189.0.8:8080'],
      { src: '10.189.0.8', dst: '10.189.0.9', sport: 8080, dport: 4001 },
    ],
  ]
  for (const [sport, nat, args, reply] of cases) {
    await c.conntrackCreate({ ...tcp(sport), ...EST, nat })
    // The same entry by conntrack -I, in zone 1.
    conntrack(ns, '-I', ...ctArgs(sport), '--state', 'ESTABLISHED', '-t', 100, '--zone', 1, ...args)
    const [mine] = await c.conntrackList({ protocol: 'tcp', orig: { sport }, zone: 0 })
    const [theirs] = await c.conntrackList({ protocol: 'tcp', orig: { sport }, zone: 1 })
    t.like(mine.reply, reply, `${args.join(' ')}`)
    t.deepEqual(mine.reply, theirs.reply, `${args.join(' ')}`)
    t.deepEqual(mine.nat, theirs.nat)
    t.deepEqual(mine.status.sort(), theirs.status.sort())
    // The direction translated carries its status bit; the other gets the kernel's null binding.
    for (const [side, bit] of [
      ['src', 'SRC_NAT'],
      ['dst', 'DST_NAT'],
    ])
      t.is(mine.status.includes(bit), nat[side] !== undefined, bit)
    t.true(mine.status.includes('SRC_NAT_DONE') && mine.status.includes('DST_NAT_DONE'))
  }
  t.deepEqual((await c.conntrackList({ orig: { sport: 1004 }, protocol: 'tcp' }))[0].nat, {
    src: { address: '10.189.0.9', port: 4001 },
    dst: { address: '10.189.0.8', port: 8080 },
  })
  // IPv6, UDP with ranges (the kernel picks in them), ICMP by address only.
  await c.conntrackCreate({
    protocol: 'tcp',
    orig: { src: '2001:db8:189::1', dst: '2001:db8:189::2', sport: 1, dport: 2 },
    ...EST,
    nat: { dst: { address: '2001:db8:189::9', port: 22 } },
  })
  const range = { address: '10.189.1.1', addressMax: '10.189.1.3', port: 5353, portMax: 5360 }
  for (const dst of ['10.189.0.2', '10.189.0.4']) {
    await c.conntrackCreate({ protocol: 'udp', orig: { src: '10.189.0.1', dst, sport: 5, dport: 53 }, timeout: 60, nat: { dst: range } })
  }
  await c.conntrackCreate({
    protocol: 'icmp',
    orig: { src: '10.189.0.1', dst: '10.189.0.2', type: 8, code: 0, id: 7 },
    timeout: 60,
    nat: { src: { address: '10.189.0.7' } },
  })
  await sameAsConntrack(t, ns, c, undefined)
  const [v6] = await c.conntrackList({ family: 'ipv6' })
  t.deepEqual(v6.reply, { src: '2001:db8:189::9', dst: '2001:db8:189::1', sport: 22, dport: 1 })
  t.deepEqual(v6.nat, { dst: { address: '2001:db8:189::9', port: 22 } })
  const udp = await c.conntrackList({ protocol: 'udp' })
  t.is(udp.length, 2)
  for (const e of udp) {
    const last = Number(e.reply.src.split('.')[3])
    t.true(e.reply.src.startsWith('10.189.1.') && last >= 1 && last <= 3, e.reply.src)
    t.true(e.reply.sport >= 5353 && e.reply.sport <= 5360, `${e.reply.sport}`)
    t.deepEqual(e.nat, { dst: { address: e.reply.src, port: e.reply.sport } })
  }
  // Two replies from the same address and port to the same client cannot be told apart: the
  // kernel gave the second another one from the range.
  t.notDeepEqual(udp[0].reply, udp[1].reply)
  const [icmp] = await c.conntrackList({ protocol: 'icmp' })
  t.deepEqual(icmp.reply, { src: '10.189.0.2', dst: '10.189.0.7', type: 0, code: 0, id: 7 })
  t.deepEqual(icmp.nat, { src: { address: '10.189.0.7' } })
})

t1('a listed NAT entry given back makes the same entry; an existing entry keeps its NAT', async (t) => {
  const { ns, c } = await setup(t)
  await c.conntrackCreate({ ...tcp(2000), ...EST, mark: 4, nat: { src: { address: '10.189.0.9', port: 4000 } } })
  const [listed] = await c.conntrackList({ protocol: 'tcp' })
  // Its translated reply and its nat, in another zone: the kernel translates it again.
  await c.conntrackCreate({ ...listed, zone: 9 })
  const [{ zone, ...again }] = await c.conntrackList({ zone: 9 })
  t.is(zone, 9)
  t.deepEqual({ ...again, id: 0, timeout: 0 }, { ...listed, id: 0, timeout: 0 })
  t.like(ctList(ns, '--zone', 9)[0], { mark: 4, reply: listed.reply, state: 'ESTABLISHED' })
  // A reply that is not the translation is refused (the kernel would make another entry).
  const e = await rejectsWith(
    t,
    () => c.conntrackCreate({ ...listed, zone: 8, reply: { ...listed.reply, dport: 4001 } }),
    RangeError,
    'reply',
  )
  t.regex(e.message, /spec\.reply\.dport/)
  // The kernel sets NAT only when it makes an entry: not on one that exists.
  const before = ctList(ns)
  await rejectsCode(
    t,
    c.conntrackCreate({ ...tcp(2000), ...EST, exclusive: false, nat: { src: { address: '10.189.0.8' } } }),
    'EOPNOTSUPP',
    'conntrackCreate',
  )
  // Given back to conntrackUpdate, the listed NAT is not sent; another one is refused.
  await c.conntrackUpdate({ ...listed, mark: 5 })
  t.is(ctList(ns, '--zone', 0)[0].mark, 5)
  const u = await rejectsWith(t, () => c.conntrackUpdate({ ...listed, nat: { src: { address: '10.189.0.8' } } }), RangeError, 'nat')
  t.regex(u.message, /update\.nat/)
  t.deepEqual(
    ctList(ns).map((x) => ({ ...x, timeout: 0 })),
    before.map((x) => ({ ...x, timeout: 0, ...(x.zone === undefined ? { mark: 5 } : {}) })),
  )
})

/** A datagram from 10.189.0.1:5000 to 10.189.0.2:53, answered by whoever gets it on 10.189.0.3:5353. */
const PROBE = `
import socket
srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); srv.bind(("10.189.0.3", 5353)); srv.settimeout(WAIT)
c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); c.bind(("10.189.0.1", 5000)); c.settimeout(5)
c.sendto(b"q", ("10.189.0.2", 53))
try:
    d, peer = srv.recvfrom(100)
except socket.timeout:
    print("none"); raise SystemExit
srv.sendto(b"a", peer)
d, frm = c.recvfrom(100)
print("%s:%d %s:%d" % (peer + frm))
`

tf('the kernel translates the packets of a NAT entry where NAT hooks and conntrack run', async (t) => {
  const { ns, c } = await setup(t)
  sysctl(ns, 'net.netfilter.nf_conntrack_acct=1') // counters: whether conntrack saw a packet
  ipn(ns, ['link', 'set', 'lo', 'up'])
  for (const a of ['10.189.0.1', '10.189.0.2', '10.189.0.3']) ipn(ns, ['addr', 'add', `${a}/32`, 'dev', 'lo'])
  const k = { protocol: 'udp', orig: { src: '10.189.0.1', dst: '10.189.0.2', sport: 5000, dport: 53 } }
  await c.conntrackCreate({ ...k, timeout: 100, nat: { dst: { address: '10.189.0.3', port: 5353 } } })
  const seen = async () => (await c.conntrackGet(k)).counters.orig.packets
  // No NAT hooks, no conntrack hooks: the datagram goes to 10.189.0.2:53 as sent.
  t.is(python(ns, PROBE.replace('WAIT', '1')).trim(), 'none')
  // A nat chain alone registers NAT hooks, but conntrack does not see the packet.
  nft(ns, 'table ip nlkcn {\n chain out {\n  type nat hook output priority -100;\n }\n}\n')
  t.is(python(ns, PROBE.replace('WAIT', '1')).trim(), 'none')
  t.is(await seen(), 0)
  // With a rule using conntrack too: the server gets it from the client, whose answer comes
  // back from the address it wrote to.
  nft(ns, 'table inet nlkcnf {\n chain out {\n  type filter hook output priority 0;\n  ct state new accept\n }\n}\n')
  t.is(python(ns, PROBE.replace('WAIT', '5')).trim(), '10.189.0.1:5000 10.189.0.2:53')
  const e = await c.conntrackGet(k)
  t.is(e.counters.orig.packets, 1)
  t.is(e.counters.reply.packets, 1)
  t.true(e.status.includes('SEEN_REPLY') && e.status.includes('DST_NAT'))
  t.deepEqual(e.nat, { dst: { address: '10.189.0.3', port: 5353 } })
})

t1('bad NAT input throws TypeError/RangeError naming it, and changes nothing', async (t) => {
  const { ns, c } = await setup(t)
  await c.conntrackCreate({ ...tcp(3000), ...EST, nat: { dst: { address: '10.189.0.8', port: 8080 } } })
  const before = ctList(ns)
  const spec =
    (nat, extra = {}) =>
    () =>
      c.conntrackCreate({ ...tcp(3001), ...EST, nat, ...extra })
  const icmp = { protocol: 'icmp', orig: { src: '10.189.0.1', dst: '10.189.0.2', type: 8, code: 0, id: 1 }, timeout: 5 }
  const bad = [
    [spec({ src: { address: '10.189.0.300' } }), TypeError, 'spec.nat.src.address'],
    [spec({ src: { address: 'nope' } }), TypeError, 'spec.nat.src.address'],
    [spec({ src: { address: '2001:db8:189::9' } }), TypeError, 'spec.nat.src.address'],
    [spec({ dst: { address: '10.189.0.8', addressMax: '2001:db8:189::9' } }), TypeError, 'spec.nat.dst.addressMax'],
    [spec({ dst: { address: '10.189.0.8', addressMax: '10.189.0.7' } }), RangeError, 'spec.nat.dst.addressMax'],
    [spec({ src: { address: '10.189.0.9', port: 65536 } }), RangeError, 'spec.nat.src.port'],
    [spec({ src: { address: '10.189.0.9', port: -1 } }), RangeError, 'spec.nat.src.port'],
    [spec({ src: { address: '10.189.0.9', port: 1.5 } }), TypeError, 'spec.nat.src.port'],
    [spec({ src: { address: '10.189.0.9', port: 10, portMax: 9 } }), RangeError, 'spec.nat.src.portMax'],
    [spec({ src: { address: '10.189.0.9', portMax: 9 } }), TypeError, 'spec.nat.src.portMax'],
    [spec({ src: { port: 9 } }), TypeError, 'spec.nat.src.address'],
    [spec({ src: { address: '10.189.0.9', colour: 1 } }), RangeError, 'colour'],
    [spec({ source: { address: '10.189.0.9' } }), RangeError, 'source'],
    [spec({ src: '10.189.0.9' }), TypeError, 'spec.nat.src'],
    [spec('10.189.0.9'), TypeError, 'spec.nat'],
    [() => c.conntrackCreate({ ...icmp, nat: { src: { address: '10.189.0.9', port: 1 } } }), RangeError, 'spec.nat.src.port'],
    [
      () =>
        c.conntrackCreate({
          protocol: 'tcp',
          orig: { src: '2001:db8:189::1', dst: '2001:db8:189::2', sport: 1, dport: 2 },
          ...EST,
          nat: { dst: { address: '10.189.0.8' } },
        }),
      TypeError,
      'spec.nat.dst.address',
    ],
    [
      spec(
        { dst: { address: '10.189.0.8', addressMax: '10.189.0.9' } },
        { reply: { src: '10.189.0.8', dst: '10.189.0.1', sport: 80, dport: 3001 } },
      ),
      RangeError,
      'spec.reply',
    ],
    [
      spec({ dst: { address: '10.189.0.8' } }, { reply: { src: '10.189.0.2', dst: '10.189.0.1', sport: 80, dport: 3001 } }),
      RangeError,
      'spec.reply.src',
    ],
    [() => c.conntrackUpdate({ ...tcp(3000), nat: { dst: { address: '10.189.0.8', port: 70000 } } }), RangeError, 'update.nat.dst.port'],
    [() => c.conntrackUpdate({ ...tcp(3000), nat: { dst: { address: '10.189.0.7', port: 8080 } } }), RangeError, 'update.nat'],
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
