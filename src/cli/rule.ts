/**
 * `nlkit rule`: show, add, del (`ip rule`).
 *
 * @module
 * @internal
 */

import type { RouteProtocol } from '../names.js'
import type { Rule, RuleSpec } from '../rules.js'
import { familyOf, type Globals, int, linkName, pick, table, type Words } from './args.js'
import { type Command, type Listing, verbOf } from './command.js'
import { type Column, field } from './table.js'

export const RULE_COLUMNS: Column<Rule>[] = [
  field('priority', 'priority'),
  { title: 'family', cell: (r) => (r.family === 4 ? 'inet' : 'inet6') },
  { title: 'from', cell: (r) => r.from ?? 'all' },
  field('to', 'to'),
  { title: 'select', cell: (r) => selectors(r) },
  { title: 'action', cell: (r) => (r.action === 'to_tbl' ? `lookup ${r.table}` : r.action === 'goto' ? `goto ${r.goto}` : r.action) },
]

function selectors(r: Rule): string {
  const s: string[] = []
  if (r.iif !== undefined) s.push(`iif ${r.iif}`)
  if (r.oif !== undefined) s.push(`oif ${r.oif}`)
  if (r.fwmark !== undefined) s.push(`fwmark 0x${r.fwmark.toString(16)}${r.fwmask !== undefined ? `/0x${r.fwmask.toString(16)}` : ''}`)
  if (r.tos) s.push(`tos ${r.tos}`)
  if (r.uidRange) s.push(`uidrange ${r.uidRange.start}-${r.uidRange.end}`)
  return s.join(' ')
}

/** Actions given as a bare word (`ip rule add ... blackhole`). */
const ACTIONS = ['blackhole', 'unreachable', 'prohibit', 'nop'] as const

function spec(words: Words, g: Globals): RuleSpec {
  const r: RuleSpec = { ...familyOf(g) }
  while (!words.done) {
    const w = words.next('argument')
    const key = pick(w, [
      'from',
      'to',
      'table',
      'lookup',
      'priority',
      'preference',
      'order',
      'fwmark',
      'iif',
      'oif',
      'tos',
      'dsfield',
      'suppress_prefixlength',
      'uidrange',
      'goto',
      'protocol',
    ])
    const action = ACTIONS.find((a) => a === w)
    if (key === 'from' || key === 'to') {
      const v = words.value(w)
      if (v !== 'all') r[key] = v
    } else if (key === 'table' || key === 'lookup') r.table = table(words.value(w), 'rule')
    else if (key === 'priority' || key === 'preference' || key === 'order') r.priority = int(words.value(w), 'priority', 'rule')
    else if (key === 'fwmark') {
      const [mark, mask] = words.value(w).split('/')
      r.fwmark = int(mark, 'fwmark', 'rule')
      if (mask !== undefined) r.fwmask = int(mask, 'fwmask', 'rule')
    } else if (key === 'iif' || key === 'oif') r[key] = linkName(words.value(w), 'rule')
    else if (key === 'tos' || key === 'dsfield') r.tos = int(words.value(w), 'tos', 'rule', 0, 255)
    else if (key === 'suppress_prefixlength') r.suppressPrefixLength = int(words.value(w), w, 'rule', 0, 128)
    else if (key === 'uidrange') {
      const m = /^(\d+)-(\d+)$/.exec(words.value(w))
      if (!m) throw words.error('uidrange must be START-END')
      r.uidRange = { start: int(m[1], 'uidrange', 'rule'), end: int(m[2], 'uidrange', 'rule') }
    } else if (key === 'goto') {
      r.action = 'goto'
      r.goto = int(words.value(w), 'goto', 'rule')
    } else if (key === 'protocol') {
      const p = words.value(w)
      // A name the API checks against its table (a RangeError names the field).
      r.protocol = /^\d+$/.test(p) ? int(p, 'protocol', 'rule', 0, 255) : (p as RouteProtocol)
    } else if (action !== undefined) r.action = action
    else throw words.unknown(w)
  }
  return r
}

export function parseRule(verb: string | undefined, words: Words, g: Globals): Command {
  const v = verbOf(verb, ['show', 'add', 'del'], words)
  if (v === 'show') {
    if (!words.done) throw words.unknown(words.next(''))
    return async (ctx): Promise<Listing> => ({ items: await ctx.conn().ruleList(familyOf(g)), columns: RULE_COLUMNS as Column<unknown>[] })
  }
  const r = spec(words, g)
  return async (ctx) => {
    if (v === 'add') await ctx.conn().ruleAdd(r)
    else await ctx.conn().ruleDel(r)
    return undefined
  }
}
