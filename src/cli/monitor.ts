/**
 * `nlkit monitor [link|addr|route|neigh|rule|nexthop|tc|all]...` (`ip monitor`): one line per event as it
 * happens (`-j`: one JSON object per line), until SIGINT or SIGTERM.
 *
 * @module
 * @internal
 */

import { type EventGroup, type NetlinkEvent, subscribe } from '../events.js'
import { ADDR_COLUMNS } from './addr.js'
import { type Globals, pick, type Words } from './args.js'
import type { Command } from './command.js'
import { LINK_COLUMNS } from './link.js'
import { NEIGH_COLUMNS } from './neigh.js'
import { ROUTE_COLUMNS } from './route.js'
import { RULE_COLUMNS } from './rule.js'
import { formatLine } from './table.js'

const OBJECTS = ['link', 'address', 'addr', 'route', 'neigh', 'rule', 'nexthop', 'tc', 'netconf', 'nsid', 'mdb', 'all'] as const

/** The groups of one object word, narrowed by -4/-6 where the object has families. */
function groupsOf(object: string, g: Globals): EventGroup[] {
  const fam = (base: 'addr' | 'route' | 'rule' | 'netconf'): EventGroup[] => (g.family === undefined ? [base] : [`ipv${g.family}-${base}`])
  if (object === 'link' || object === 'neigh' || object === 'nexthop' || object === 'tc' || object === 'nsid' || object === 'mdb')
    return [object]
  if (object === 'netconf') return fam('netconf')
  if (object === 'addr' || object === 'address') return fam('addr')
  if (object === 'route' || object === 'rule') return fam(object)
  return ['link', 'neigh', ...fam('addr'), ...fam('route'), ...fam('rule'), 'nexthop', 'tc']
}

/** An event as one human line: its object, `new`/`del`, and the object's columns. */
export function eventLine(ev: NetlinkEvent): string {
  switch (ev.type) {
    case 'link':
      return `link ${ev.action} ${formatLine(ev.link, LINK_COLUMNS)}`
    case 'addr':
      return `addr ${ev.action} ${formatLine(ev.address, ADDR_COLUMNS)}`
    case 'route':
      return `route ${ev.action} ${formatLine(ev.route, ROUTE_COLUMNS)}`
    case 'neigh':
      return `neigh ${ev.action} ${formatLine(ev.neigh, NEIGH_COLUMNS)}`
    case 'rule':
      return `rule ${ev.action} ${formatLine(ev.rule, RULE_COLUMNS)}`
    case 'nexthop': {
      const n = ev.nexthop
      const what = [
        n.group && `group ${n.group.map((m) => (m.weight === 1 ? m.id : `${m.id},${m.weight}`)).join('/')}`,
        n.gateway && `via ${n.gateway}`,
        n.dev && `dev ${n.dev}`,
        n.blackhole && 'blackhole',
      ]
      return `nexthop ${ev.action} id ${n.id}${what.map((w) => (w ? ` ${w}` : '')).join('')}`
    }
    case 'qdisc':
    case 'class':
    case 'filter':
    case 'chain': {
      const o: { dev?: string; ifindex: number; kind?: string; handle?: string; parent: string; chain?: number } =
        ev.type === 'qdisc' ? ev.qdisc : ev.type === 'class' ? ev.class : ev.type === 'filter' ? ev.filter : ev.chain
      const what = [`dev ${o.dev ?? o.ifindex}`, o.kind, o.handle && `handle ${o.handle}`, `parent ${o.parent}`]
      if (ev.type === 'chain') what.push(`chain ${o.chain}`)
      return `${ev.type} ${ev.action} ${what.filter(Boolean).join(' ')}`
    }
    case 'action':
      return `action ${ev.action} ${ev.actions.map((a) => `${a.kind} index ${a.index}`).join(', ')}`
    case 'netconf': {
      const n = ev.netconf
      const what = Object.entries(n).filter(([k]) => k !== 'index' && k !== 'dev' && k !== 'family')
      return `netconf ${ev.action} ipv${n.family} dev ${n.dev ?? n.index} ${what.map(([k, v]) => `${k} ${v}`).join(' ')}`.trimEnd()
    }
    case 'nsid':
      return `nsid ${ev.action} ${ev.nsid.nsid}`
    case 'mdb':
      return ev.mdb.entries
        .map((m) => `mdb ${ev.action} dev ${ev.mdb.dev ?? ev.mdb.index} port ${m.port ?? m.portIndex} grp ${m.grp} ${m.state}`)
        .join('\n')
    case 'ethtool': {
      const d = ev.data as { ifname?: string } | undefined
      return `ethtool ${ev.kind}${d?.ifname ? ` dev ${d.ifname}` : ''}${ev.cmd === undefined ? '' : ` cmd ${ev.cmd}`}`
    }
    case 'conntrack': {
      const o = ev.entry.orig as { src?: string; dst?: string; sport?: number; dport?: number }
      return `conntrack ${ev.action} ${ev.entry.protocol} src ${o.src} dst ${o.dst}${o.sport === undefined ? '' : ` sport ${o.sport} dport ${o.dport}`}`
    }
    case 'xfrm':
      return `xfrm ${ev.event.type}`
    case 'overflow':
      return `overflow${ev.group ? ` (${ev.group})` : ''}: the kernel dropped events (too slow a reader)`
  }
}

export function parseMonitor(first: string | undefined, words: Words, g: Globals): Command {
  const given = first === undefined ? [] : [first]
  while (!words.done) given.push(words.next('object'))
  const groups = new Set<EventGroup>()
  for (const w of given.length === 0 ? ['all'] : given) {
    const object = pick(w, OBJECTS)
    if (object === undefined) throw words.error(`unknown object to monitor "${w}"`)
    for (const x of groupsOf(object, g)) groups.add(x)
  }
  return async (ctx) => {
    const sub = subscribe([...groups], g.netns === undefined ? {} : { netns: g.netns })
    // A signal ends the subscription; the loop then finishes and the process exits 0.
    const stop = (): void => sub.close()
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
    try {
      for await (const ev of sub) ctx.print(g.json ? JSON.stringify(ev) : eventLine(ev))
    } finally {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      sub.close()
    }
    return undefined
  }
}
