// Standalone tc actions (`tc actions`) against `tc -s -j actions ls`: mirred actions made by
// nlkit and by tc, listed, fetched and deleted, field by field; refusals before anything is
// sent (tc unchanged). Actions live per namespace, so the test works in one of its own.

import { execFileSync } from 'node:child_process'
import test from 'ava'
import { nsConn } from './support/netns.mjs'
import { ipDo } from './support/oracle.mjs'
import { owned } from './support/registry.mjs'

const own = owned('tc-actions')

const tcIn = (ns, args) => {
  const out = execFileSync('ip', ['netns', 'exec', ns, 'tc', '-s', '-j', ...args], { encoding: 'utf8' })
  return out.trim() === '' ? [] : JSON.parse(out)
}
/** tc's mirred actions in nlkit's shape (tc -j's names mapped: mirred_action, to_dev, control_action). */
function theirs(ns, ifindexOf) {
  const [, body] = tcIn(ns, ['actions', 'ls', 'action', 'mirred'])
  return (body?.actions ?? []).map((a) => ({
    kind: a.kind,
    action: a.mirred_action,
    direction: a.direction,
    ifindex: ifindexOf(a.to_dev),
    controlAction: a.control_action.type,
    index: a.index,
    ref: a.ref,
    bind: a.bind,
    packets: a.stats.packets,
    bytes: a.stats.bytes,
  }))
}
const mine = (list) =>
  list.map((a) => ({
    kind: a.kind,
    action: a.action,
    direction: a.direction,
    ifindex: a.ifindex,
    controlAction: a.controlAction,
    index: a.index,
    ref: a.ref,
    bind: a.bind,
    packets: a.stats.packets,
    bytes: a.stats.bytes,
  }))

test('standalone mirred actions: add, list, get and delete, field by field with tc -s -j actions ls', async (t) => {
  const ns = `${own.netns[0]}${process.pid}`
  const c = await nsConn(t, ns)
  ipDo(['-n', ns, 'link', 'add', 'tav0', 'type', 'veth', 'peer', 'name', 'tav1'])
  const idx = Object.fromEntries((await c.linkList()).map((l) => [l.name, l.index]))
  const ifindexOf = (name) => idx[name]
  await c.actionAdd([{ kind: 'mirred', action: 'redirect', direction: 'egress', ifindex: idx.tav1, index: 7 }])
  await c.actionAdd([{ kind: 'mirred', action: 'mirror', direction: 'ingress', ifindex: idx.tav0, index: 8, controlAction: 'pass' }])
  execFileSync('ip', ['netns', 'exec', ns, 'tc', 'actions', 'add', 'action', 'mirred', 'egress', 'mirror', 'dev', 'tav0', 'index', '9'])
  const listed = await c.actionList({ kind: 'mirred' })
  t.deepEqual(mine(listed), theirs(ns, ifindexOf))
  t.is(listed.length, 3)
  t.like(await c.actionGet({ kind: 'mirred', index: 8 }), {
    action: 'mirror',
    direction: 'ingress',
    controlAction: 'pass',
    ifindex: idx.tav0,
  })

  // Refused before anything is sent: tc unchanged.
  const before = theirs(ns, ifindexOf)
  for (const bad of [
    [{ kind: 'mirred', action: 'redirect', direction: 'sideways', ifindex: idx.tav1 }],
    [{ kind: 'mirred', action: 'redirect' }],
    [{ kind: 'mirred', action: 'redirect', ifindex: idx.tav1, controlAction: 'explode' }],
    [{ kind: 'nosuch' }],
  ]) {
    const e = await t.throwsAsync(c.actionAdd(bad), undefined, JSON.stringify(bad))
    t.true(e instanceof TypeError || e instanceof RangeError, `${e.constructor.name}: ${e.message}`)
  }
  t.deepEqual(theirs(ns, ifindexOf), before, 'tc unchanged after the refusals')
  const dup = await t.throwsAsync(c.actionAdd([{ kind: 'mirred', action: 'redirect', ifindex: idx.tav1, index: 7 }]))
  t.is(dup.code, 'EEXIST')

  await c.actionDel({ kind: 'mirred', index: 7 })
  t.deepEqual(
    theirs(ns, ifindexOf).map((a) => a.index),
    [8, 9],
  )
  t.deepEqual(mine(await c.actionList({ kind: 'mirred' })), theirs(ns, ifindexOf))
})
