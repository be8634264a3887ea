// Conntrack expectations in a namespace of their own, against `conntrack -L expect`: made by
// nlkit and by `conntrack -I expect` for an ftp master (the kernel has the ftp helper built in;
// a master gets it with `helper: 'ftp'`), deleted by tuple, flushed by helper; bad arguments.

import test from 'ava'
import { rejectsCode, rejectsWith } from './support/assert.mjs'
import { conntrack } from './support/conntrack.mjs'
import { nsNamer } from './support/names.mjs'
import { nsConn } from './support/netns.mjs'
import { hasCommand } from './support/oracle.mjs'
import { owned } from './support/registry.mjs'

const own = owned('conntrack-expect')
const nsName = nsNamer(own.netns[0])
const t1 = hasCommand('conntrack') ? test : test.skip
if (!hasCommand('conntrack')) test('conntrack expectation tests need the conntrack command (Debian package conntrack)', (t) => t.pass())

const MASTER = { protocol: 'tcp', orig: { src: '10.188.0.1', dst: '10.188.0.2', sport: 1000, dport: 21 } }
const TUPLE = { src: '10.188.0.2', dst: '10.188.0.1', sport: 0, dport: 30000 }

/**
 * `conntrack -L expect` lines: `300 proto=6 src= dst= sport= dport= mask-src= mask-dst= sport= dport=
 * master-src= master-dst= sport= dport= class=0 helper=ftp`.
 */
function expects(ns) {
  return conntrack(ns, '-L', 'expect')
    .split('\n')
    .filter((l) => /^\d+ proto=/.test(l))
    .map((l) => {
      const e = { tuple: {}, mask: {}, master: {} }
      let part = 'tuple'
      for (const [i, tok] of l.trim().split(/\s+/).entries()) {
        if (i === 0) {
          e.timeout = Number(tok)
          continue
        }
        let [k, v] = tok.split('=')
        if (k.startsWith('mask-')) [part, k] = ['mask', k.slice(5)]
        if (k.startsWith('master-')) [part, k] = ['master', k.slice(7)]
        const val = /^\d+$/.test(v) ? Number(v) : v
        if (['src', 'dst', 'sport', 'dport'].includes(k)) e[part][k] = val
        else e[k] = val
      }
      return e
    })
}

/** nlkit's expectation as those lines show it. */
const shown = (x) => ({
  timeout: x.timeout,
  proto: x.protonum,
  tuple: x.tuple,
  mask: x.mask,
  master: x.master,
  class: x.class,
  helper: x.helper,
})

async function setup(t) {
  const ns = nsName()
  const c = await nsConn(t, ns)
  await c.conntrackCreate({ ...MASTER, timeout: 300, state: 'ESTABLISHED', helper: 'ftp' })
  return { ns, c }
}

t1('expectations nlkit creates are the ones conntrack -L expect shows; delete by tuple', async (t) => {
  const { ns, c } = await setup(t)
  t.is((await c.conntrackGet(MASTER)).helper, 'ftp')
  await c.conntrackExpectCreate({ master: MASTER, tuple: TUPLE, mask: { src: '255.255.255.255', sport: 0, dport: 0xffff } })
  const [x] = await c.conntrackExpectList()
  t.like(x, { family: 'ipv4', protocol: 'tcp', masterProtocol: 'tcp', helper: 'ftp', flags: [], tuple: TUPLE, master: MASTER.orig })
  const [want] = expects(ns)
  t.true(Math.abs(want.timeout - x.timeout) <= 2)
  t.deepEqual({ ...shown(x), timeout: 0 }, { ...want, timeout: 0 })
  await rejectsCode(t, c.conntrackExpectCreate({ master: MASTER, tuple: TUPLE }), 'EEXIST', 'conntrackExpectCreate')
  t.deepEqual(await c.conntrackExpectList({ family: 'ipv6' }), [])
  await c.conntrackExpectDelete({ protocol: 'tcp', tuple: TUPLE })
  t.deepEqual(expects(ns), [])
  await rejectsCode(t, c.conntrackExpectDelete({ protocol: 'tcp', tuple: TUPLE }), 'ENOENT', 'conntrackExpectDelete')
})

t1('expectations conntrack -I expect makes read the same through nlkit; flush by helper', async (t) => {
  const { ns, c } = await setup(t)
  const o = MASTER.orig
  conntrack(
    ns,
    '-I',
    'expect',
    '-p',
    'tcp',
    '-s',
    o.src,
    '-d',
    o.dst,
    '--sport',
    o.sport,
    '--dport',
    o.dport,
    '--tuple-src',
    '10.188.0.2',
    '--tuple-dst',
    '10.188.0.1',
    '--tuple-port-src',
    0,
    '--tuple-port-dst',
    30001,
    '--mask-src',
    '255.255.255.255',
    '--mask-dst',
    '255.255.255.255',
    '--mask-port-src',
    0,
    '--mask-port-dst',
    65535,
    '-t',
    200,
  )
  // conntrack 1.4.7 sends the expected tuple with a protocol number of no meaning (and so
  // without ports): nlkit reads back whatever the kernel keeps, as conntrack -L expect does.
  const [x] = await c.conntrackExpectList()
  t.like(x, { helper: 'ftp', master: o, masterProtocol: 'tcp', tuple: { src: '10.188.0.2', dst: '10.188.0.1' } })
  const [want] = expects(ns)
  t.true(Math.abs(want.timeout - x.timeout) <= 2)
  t.deepEqual({ ...shown(x), timeout: 0 }, { ...want, timeout: 0 })
  await c.conntrackExpectFlush({ helper: 'sip' })
  t.is(expects(ns).length, 1)
  await c.conntrackExpectFlush({ helper: 'ftp' })
  t.deepEqual(expects(ns), [])
  await c.conntrackExpectCreate({ master: MASTER, tuple: TUPLE, flags: ['PERMANENT'] })
  t.deepEqual((await c.conntrackExpectList())[0].flags, ['PERMANENT'])
  await c.conntrackExpectFlush()
  t.deepEqual(await c.conntrackExpectList(), [])
})

t1('bad expectation arguments throw naming them, and create nothing', async (t) => {
  const { ns, c } = await setup(t)
  const bad = [
    [() => c.conntrackExpectCreate({ master: MASTER, tuple: { ...TUPLE, dport: 70000 } }), RangeError, 'spec.tuple.dport'],
    [() => c.conntrackExpectCreate({ tuple: TUPLE }), TypeError, 'spec.master'],
    [() => c.conntrackExpectCreate({ master: MASTER }), TypeError, 'spec.tuple'],
    [() => c.conntrackExpectCreate({ master: MASTER, tuple: { ...TUPLE, src: '2001:db8:188::1' } }), TypeError, 'spec.tuple.src'],
    [() => c.conntrackExpectCreate({ master: MASTER, tuple: TUPLE, flags: ['USERSPACE'] }), RangeError, 'spec.flags[0]'],
    [() => c.conntrackExpectCreate({ master: MASTER, tuple: TUPLE, helper: '' }), TypeError, 'spec.helper'],
    [() => c.conntrackExpectCreate({ master: MASTER, tuple: TUPLE, colour: 1 }), RangeError, 'colour'],
    [() => c.conntrackExpectDelete({ protocol: 'tcpx', tuple: TUPLE }), RangeError, 'key.protocol'],
    [() => c.conntrackExpectFlush({ helper: 7 }), TypeError, 'filter.helper'],
    [() => c.conntrackExpectList({ family: 'ipx' }), RangeError, 'filter.family'],
  ]
  for (const [fn, cls, name] of bad) {
    const e = await rejectsWith(t, fn, cls, name)
    t.true(e?.message.includes(name), `${name}: ${e?.message}`)
  }
  t.deepEqual(expects(ns), [])
})
