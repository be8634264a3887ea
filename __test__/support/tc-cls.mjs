// What the tc-cls test files share: commands in a namespace, a namespace with a veth pair, an
// ifb and clsact, and tc's and nlkit's mirred actions in one shape.

import { execFileSync } from 'node:child_process'
import { nsConn } from './netns.mjs'

export const run = (cmd, args) => execFileSync(cmd, args.map(String), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
export const tcIn = (ns, args) => run('tc', ['-n', ns, ...args])
export const links = (ns) => JSON.parse(run('ip', ['-n', ns, '-j', '-s', 'link', 'show']))

/** A namespace (named by `nsName`, links by `name`) with a veth pair (`a`, `b`) and an ifb, all up, clsact on `a`, and nlkit in it. */
export async function place(t, nsName, name) {
  const ns = nsName()
  const c = await nsConn(t, ns)
  const [a, b, ifb] = [name(), name(), name()]
  run('ip', ['-n', ns, 'link', 'add', a, 'type', 'veth', 'peer', 'name', b])
  run('ip', ['-n', ns, 'link', 'add', ifb, 'type', 'ifb'])
  for (const d of [a, b, ifb]) run('ip', ['-n', ns, 'link', 'set', d, 'up'])
  tcIn(ns, ['qdisc', 'add', 'dev', a, 'clsact'])
  const index = Object.fromEntries(links(ns).map((l) => [l.ifname, l.ifindex]))
  return { ns, c, a, b, ifb, index }
}

export const clean = (o) => JSON.parse(JSON.stringify(o))
export const rules = (list) => list.filter((f) => f.handle)

export const theirActions = (acts) =>
  acts?.map((a) => ({
    kind: a.kind,
    action: a.mirred_action,
    direction: a.direction,
    dev: a.to_dev,
    controlAction: a.control_action?.type,
    packets: a.stats?.packets,
  }))
export const myActions = (acts, devOf) =>
  acts?.map((a) => ({
    kind: a.kind,
    action: a.action,
    direction: a.direction,
    dev: devOf(a.ifindex),
    controlAction: a.controlAction,
    packets: a.stats?.packets,
  }))

/** tc's bpf filter in nlkit's names. */
