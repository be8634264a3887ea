// The raw layer against the real kernel: raw messages on NETLINK_ROUTE, NETLINK_GENERIC and
// NETLINK_SOCK_DIAG decode to what `ip -j`, `genl ctrl list` and `ss` show; kernel errors come
// back with their extended ACK; bad arguments fail before anything is sent; subscriptions by
// group number and dumps at the consumer's pace.

import test from 'ava'
import { execFileSync } from 'node:child_process'
import { createServer } from 'node:net'
import * as nl from '../index.js'
import { namer, nsNamer } from './support/names.mjs'
import { owned } from './support/registry.mjs'

const { open, decodeAttrs, encodeAttrs, NLM_F, NetlinkError } = nl

const RTM_NEWLINK = 16
const RTM_DELLINK = 17
const RTM_GETLINK = 18
const IFLA_IFNAME = 3
const IFLA_LINKINFO = 18
const IFLA_INFO_KIND = 1
const GENL_ID_CTRL = 0x10
const CTRL_CMD_GETFAMILY = 3
const CTRL_ATTR_FAMILY_ID = 1
const CTRL_ATTR_FAMILY_NAME = 2
const SOCK_DIAG_BY_FAMILY = 20
const AF_INET = 2
const IPPROTO_TCP = 6
const TCP_LISTEN = 10
const RTNLGRP_LINK = 1

// The rtnetlink tests work in a namespace of their own, serially, so a listing is compared with
// ip's while nothing else changes it.
const own = owned('raw')
const NS = nsNamer(own.netns[0])()
const name = namer(own.prefix)

function ip(args) {
  const out = execFileSync('ip', ['-n', NS, '-j', ...args], { encoding: 'utf8' })
  return out.trim() === '' ? [] : JSON.parse(out)
}

test.before(async () => {
  await nl.netnsCreate(NS)
})
test.after.always(async () => {
  await nl.netnsDelete(NS).catch(() => {})
})

/** struct ifinfomsg: family, pad, type, index, flags, change. */
function ifinfomsg({ index = 0, change = 0 } = {}) {
  const b = Buffer.alloc(16)
  b.writeInt32LE(index, 4)
  b.writeUInt32LE(change, 12)
  return b
}

/** A RTM_NEWLINK/DELLINK message's index and name. */
function linkOf(m) {
  return { index: m.payload.readInt32LE(4), name: decodeAttrs(m.payload.subarray(16)).string(IFLA_IFNAME) }
}

const byIndex = (a, b) => a.index - b.index

test.serial('a raw RTM_GETLINK dump decodes to the links linkList() and ip -j link show', async (t) => {
  const c = open({ protocol: 'route', netns: NS })
  t.teardown(() => c.close())
  const msgs = await c.request({ type: RTM_GETLINK, flags: NLM_F.DUMP, payload: ifinfomsg() })
  t.true(msgs.length > 0)
  t.true(msgs.every((m) => m.type === RTM_NEWLINK && (m.flags & NLM_F.MULTI) !== 0))
  const raw = msgs.map(linkOf).sort(byIndex)
  const api = (await nl.open({ netns: NS }).linkList()).map((l) => ({ index: l.index, name: l.name })).sort(byIndex)
  const oracle = ip(['link', 'show'])
    .map((l) => ({ index: l.ifindex, name: l.ifname }))
    .sort(byIndex)
  t.deepEqual(raw, api)
  t.deepEqual(raw, oracle)
  // dump() is the same request.
  t.deepEqual((await c.dump({ type: RTM_GETLINK, payload: ifinfomsg() })).map(linkOf).sort(byIndex), raw)
})

test.serial('a raw get is answered by one message, a raw change by an ACK: a bridge made and removed as ip sees it', async (t) => {
  const c = open({ protocol: 'route', netns: NS })
  t.teardown(() => c.close())
  const [lo] = await c.request({ type: RTM_GETLINK, payload: ifinfomsg({ index: 1 }) })
  t.deepEqual(linkOf(lo), { index: 1, name: 'lo' })

  const br = name()
  const attrs = encodeAttrs((b) => b.string(IFLA_IFNAME, br).nested(IFLA_LINKINFO, (li) => li.string(IFLA_INFO_KIND, 'bridge')))
  const create = { type: RTM_NEWLINK, flags: NLM_F.CREATE | NLM_F.EXCL, payload: Buffer.concat([ifinfomsg(), attrs]) }
  t.deepEqual(await c.request(create), [], 'an ACK resolves with no messages')
  const [shown] = ip(['-d', 'link', 'show', 'dev', br])
  t.is(shown.linkinfo.info_kind, 'bridge')
  // The same again: EEXIST, as a NetlinkError with the kernel's errno.
  const e = await t.throwsAsync(c.request(create), { instanceOf: NetlinkError })
  t.is(e.code, 'EEXIST')
  t.deepEqual(await c.request({ type: RTM_DELLINK, payload: ifinfomsg({ index: shown.ifindex }) }), [])
  t.deepEqual(
    ip(['link', 'show']).filter((l) => l.ifname === br),
    [],
  )
})

/** `genl ctrl list`: family name -> id. */
function genlFamilies() {
  const out = execFileSync('genl', ['ctrl', 'list'], { encoding: 'utf8' })
  const fams = new Map()
  for (const m of out.matchAll(/^Name: (\S+)\s*\n\s*ID: (0x[0-9a-f]+)/gm)) fams.set(m[1], Number(m[2]))
  return fams
}

test.serial('a raw generic-netlink CTRL_CMD_GETFAMILY dump returns the family ids genl ctrl list shows', async (t) => {
  const c = open({ protocol: 'generic' })
  t.teardown(() => c.close())
  // struct genlmsghdr: cmd, version, reserved.
  const msgs = await c.dump({ type: GENL_ID_CTRL, payload: Buffer.from([CTRL_CMD_GETFAMILY, 1, 0, 0]) })
  const ours = new Map(
    msgs.map((m) => {
      const a = decodeAttrs(m.payload.subarray(4))
      return [a.string(CTRL_ATTR_FAMILY_NAME), a.u16(CTRL_ATTR_FAMILY_ID)]
    }),
  )
  t.deepEqual(ours, genlFamilies())
  t.is(ours.get('nlctrl'), GENL_ID_CTRL)
  for (const f of ['ethtool', 'netdev']) t.true(ours.has(f), `${f} is listed`)

  // One family by name: a request (NLM_F_ACK), answered by one message before the ACK.
  const ask = encodeAttrs((b) => b.string(CTRL_ATTR_FAMILY_NAME, 'ethtool'))
  const [one] = await c.request({ type: GENL_ID_CTRL, payload: Buffer.concat([Buffer.from([CTRL_CMD_GETFAMILY, 1, 0, 0]), ask]) })
  t.is(decodeAttrs(one.payload.subarray(4)).u16(CTRL_ATTR_FAMILY_ID), ours.get('ethtool'))
})

/** struct inet_diag_req_v2 for every TCP socket of a family: 56 bytes. */
function inetDiagReq(family) {
  const b = Buffer.alloc(56)
  b.writeUInt8(family, 0)
  b.writeUInt8(IPPROTO_TCP, 1)
  b.writeUInt32LE(0xffffffff, 4) // every state
  return b
}

test.serial('a raw SOCK_DIAG dump of TCP sockets finds the listening socket this test opened, as ss does', async (t) => {
  const server = createServer()
  await new Promise((resolve) => server.listen(0, '0.0.0.0', resolve))
  t.teardown(() => server.close())
  const port = server.address().port
  const c = open({ protocol: 'sock_diag' })
  t.teardown(() => c.close())
  const msgs = await c.dump({ type: SOCK_DIAG_BY_FAMILY, payload: inetDiagReq(AF_INET) })
  // struct inet_diag_msg: family, state, timer, retrans, then id: sport (be16), dport (be16), ...
  const listening = msgs.map((m) => ({ state: m.payload[1], port: m.payload.readUInt16BE(4) })).filter((s) => s.state === TCP_LISTEN)
  t.true(
    listening.some((s) => s.port === port),
    `port ${port} is listed`,
  )
  // ss agrees that it listens (other test files open sockets in this namespace too, so the
  // listings are not compared whole).
  const ss = execFileSync('ss', ['-Hltn4', `sport = :${port}`], { encoding: 'utf8' })
  t.regex(ss, new RegExp(`LISTEN\\s.*0\\.0\\.0\\.0:${port}\\s`))
})

test.serial('a malformed payload gets the kernel extended-ACK error, and the connection carries on', async (t) => {
  const c = open({ protocol: 'route', netns: NS })
  t.teardown(() => c.close())
  // Strict checking refuses a link dump whose header has ifi_change set.
  const e = await t.throwsAsync(c.dump({ type: RTM_GETLINK, payload: ifinfomsg({ change: 1 }) }), { instanceOf: NetlinkError })
  t.is(e.code, 'EINVAL')
  t.is(e.extack, 'Invalid values in header for link dump request')
  t.regex(e.message, /Invalid values in header/)
  // A header too short for the family.
  const e2 = await t.throwsAsync(c.dump({ type: RTM_GETLINK, payload: Buffer.alloc(3) }), { instanceOf: NetlinkError })
  t.is(e2.code, 'EINVAL')
  t.true((await c.dump({ type: RTM_GETLINK, payload: ifinfomsg() })).length > 0)
})

test.serial('bad arguments reject with TypeError/RangeError before anything is sent, and fail no other call', async (t) => {
  const c = open({ protocol: 'route', netns: NS })
  t.teardown(() => c.close())
  const good = () => c.request({ type: RTM_GETLINK, payload: ifinfomsg({ index: 1 }) })
  const bad = [
    [{ type: -1 }, RangeError, /type/],
    [{ type: 2 }, RangeError, /type/], // NLMSG_ERROR: a control message, the engine's own
    [{ type: 65536 }, RangeError, /type/],
    [{ type: 1.5 }, TypeError, /type/],
    [{ type: RTM_GETLINK, payload: 'abc' }, TypeError, /payload/],
    [{ type: RTM_GETLINK, payload: [1, 2] }, TypeError, /payload/],
    [{ type: RTM_GETLINK, flags: 0x10000 }, RangeError, /flags/],
    [{ type: RTM_GETLINK, dump: 'yes' }, TypeError, /dump/],
    [null, TypeError, /request/],
  ]
  // Sent in the same tick as valid requests: those still succeed.
  const results = await Promise.allSettled([good(), ...bad.map(([r]) => c.request(r)), good()])
  t.is(results[0].status, 'fulfilled')
  t.is(results.at(-1).status, 'fulfilled')
  bad.forEach(([, type, re], i) => {
    const r = results[i + 1]
    t.is(r.status, 'rejected')
    t.true(r.reason instanceof type, `${i}: ${r.reason}`)
    t.regex(r.reason.message, re)
  })
  await t.throwsAsync(c.request({ type: RTM_GETLINK }, { timeout: -1 }), { instanceOf: RangeError })
  t.throws(() => open({ protocol: 'nope' }), { instanceOf: RangeError, message: /protocol/ })
  t.throws(() => open({ protocol: 99 }), { instanceOf: RangeError, message: /protocol/ })
  t.throws(() => c.subscribe([]), { instanceOf: TypeError, message: /groups/ })
  t.throws(() => c.subscribe([0]), { instanceOf: RangeError, message: /groups\[0\]/ })
})

test.serial('an abort rejects with AbortError; close rejects what is in flight and later calls', async (t) => {
  const c = open({ protocol: 'route', netns: NS })
  const ac = new AbortController()
  ac.abort()
  await t.throwsAsync(c.request({ type: RTM_GETLINK, payload: ifinfomsg({ index: 1 }) }, { signal: ac.signal }), {
    any: true,
    name: 'AbortError',
  })
  const inFlight = c.dump({ type: RTM_GETLINK, payload: ifinfomsg() })
  c.close()
  const e = await t.throwsAsync(inFlight, { instanceOf: NetlinkError })
  t.is(e.code, 'ECANCELED')
  await t.throwsAsync(c.request({ type: RTM_GETLINK }), { instanceOf: NetlinkError, message: /closed/ })
})

test.serial('subscribe(groups) by number delivers RTM_NEWLINK for a link ip adds', async (t) => {
  const c = open({ protocol: 'route', netns: NS })
  t.teardown(() => c.close())
  const sub = c.subscribe([RTNLGRP_LINK])
  const br = name()
  execFileSync('ip', ['-n', NS, 'link', 'add', br, 'type', 'bridge'])
  t.teardown(() => execFileSync('ip', ['-n', NS, 'link', 'del', br]))
  for await (const ev of sub) {
    if (ev.type !== 'message' || ev.message.type !== RTM_NEWLINK) continue
    if (linkOf(ev.message).name !== br) continue
    t.is(linkOf(ev.message).index, ip(['link', 'show', 'dev', br])[0].ifindex)
    t.is(ev.message.seq, 0, 'a notification, not a reply')
    break
  }
  t.pass()
})

test.serial('dumpStream reads a dump in batches at the consumer pace: the same links as the dump', async (t) => {
  const c = open({ protocol: 'route', netns: NS })
  t.teardown(() => c.close())
  const batches = []
  for await (const batch of c.dumpStream({ type: RTM_GETLINK, payload: ifinfomsg() })) batches.push(batch)
  t.true(batches.length >= 1)
  const streamed = batches.flat().map(linkOf).sort(byIndex)
  t.deepEqual(streamed, (await c.dump({ type: RTM_GETLINK, payload: ifinfomsg() })).map(linkOf).sort(byIndex))
  // An error ends the stream with a NetlinkError.
  const bad = c.dumpStream({ type: RTM_GETLINK, payload: ifinfomsg({ change: 1 }) })
  await t.throwsAsync(
    async () => {
      for await (const _ of bad) {
      }
    },
    { instanceOf: NetlinkError, message: /Invalid values/ },
  )
})
