/**
 * `nlkit neigh`: show, add, replace, del (`ip neigh`).
 *
 * @module
 * @internal
 */

import type { NeighFlag } from '../names.js'
import type { Neighbour, NeighSpec, NeighState } from '../neighbours.js'
import { familyOf, type Globals, int, linkName, pick, type Words } from './args.js'
import { type Command, type Listing, verbOf } from './command.js'
import { type Column, field } from './table.js'

export const NEIGH_COLUMNS: Column<Neighbour>[] = [
  field('dst', 'dst'),
  field('dev', 'dev'),
  field('lladdr', 'lladdr'),
  field('state', 'state'),
  field('flags', 'flags'),
]

const STATES: readonly NeighState[] = ['permanent', 'noarp', 'reachable', 'stale', 'none', 'incomplete', 'delay', 'probe', 'failed']
/** Flags given as bare words (`ip neigh add ... router`). */
const FLAGS: readonly NeighFlag[] = ['router', 'proxy', 'extern_learn', 'use']

function show(words: Words, g: Globals): Command {
  let dev: string | undefined
  while (!words.done) {
    const w = words.next('argument')
    if (w === 'dev' && dev === undefined) dev = linkName(words.value(w), 'neigh')
    else throw words.unknown(w)
  }
  return async (ctx): Promise<Listing> => {
    const items = await ctx.conn().neighList({ ...familyOf(g), ...(dev === undefined ? {} : { dev }) })
    return { items, columns: NEIGH_COLUMNS as Column<unknown>[] }
  }
}

function spec(verb: string, words: Words, g: Globals): NeighSpec {
  let dev: string | undefined
  const n: Omit<NeighSpec, 'dev'> = { ...familyOf(g) }
  const flags: NeighFlag[] = []
  while (!words.done) {
    const w = words.next('argument')
    const key = pick(w, ['dev', 'lladdr', 'nud', 'vlan', 'to'])
    if (key === 'dev') dev = linkName(words.value(w), 'neigh')
    else if (key === 'lladdr') n.lladdr = words.value(w)
    else if (key === 'nud') {
      const s = words.value(w)
      const state = STATES.find((x) => x === s)
      if (state === undefined) throw words.error(`nud must be one of ${STATES.join(', ')}, not "${s}"`)
      n.state = state
    } else if (key === 'vlan') n.vlan = int(words.value(w), 'vlan', 'neigh', 0, 4095)
    else if (key === 'to') n.dst = words.value(w)
    else if ((FLAGS as readonly string[]).includes(w)) flags.push(w as NeighFlag)
    else if (n.dst === undefined && /^[0-9a-f.:]+$/i.test(w)) n.dst = w
    else throw words.unknown(w)
  }
  if (dev === undefined) throw words.error(`neigh ${verb}: "dev NAME" is needed`)
  if (flags.length > 0) n.flags = flags
  return { ...n, dev }
}

export function parseNeigh(verb: string | undefined, words: Words, g: Globals): Command {
  const v = verbOf(verb, ['show', 'add', 'replace', 'del'], words)
  if (v === 'show') return show(words, g)
  const s = spec(v, words, g)
  return async (ctx) => {
    const nl = ctx.conn()
    if (v === 'add') await nl.neighAdd(s)
    else if (v === 'replace') await nl.neighReplace(s)
    else await nl.neighDel(s)
    return undefined
  }
}
