/**
 * `nlkit addr`: show, add, replace, del (`ip addr`).
 *
 * @module
 * @internal
 */

import type { Address, AddrOptions } from '../addresses.js'
import { familyOf, type Globals, int, linkName, pick, type Words } from './args.js'
import { type Command, type Listing, verbOf } from './command.js'
import { type Column, field } from './table.js'

export const ADDR_COLUMNS: Column<Address>[] = [
  field('dev', 'link'),
  { title: 'family', cell: (a) => (a.family === 4 ? 'inet' : 'inet6') },
  field('address', 'cidr'),
  field('scope', 'scope'),
  field('flags', 'flags'),
]

const SCOPES = ['global', 'site', 'link', 'host'] as const

function scope(w: string, words: Words): NonNullable<AddrOptions['scope']> {
  if (/^\d+$/.test(w)) return int(w, 'scope', 'addr', 0, 255)
  const s = SCOPES.find((x) => x === w)
  if (s === undefined) throw words.error(`scope must be one of ${SCOPES.join(', ')} or a number, not "${w}"`)
  return s
}

function lifetime(w: string, what: string): number | 'forever' {
  return w === 'forever' ? 'forever' : int(w, what, 'addr')
}

function show(words: Words, g: Globals): Command {
  let dev: string | undefined
  while (!words.done) {
    const w = words.next('argument')
    if (dev === undefined) dev = linkName(w === 'dev' ? words.value(w) : w, 'addr')
    else throw words.unknown(w)
  }
  return async (ctx): Promise<Listing> => {
    const items = await ctx.conn().addrList({ ...familyOf(g), ...(dev === undefined ? {} : { link: dev }) })
    return { items, columns: ADDR_COLUMNS as Column<unknown>[] }
  }
}

function change(verb: 'add' | 'replace' | 'del', words: Words): Command {
  const o: AddrOptions = {}
  let cidr: string | undefined
  let dev: string | undefined
  while (!words.done) {
    const w = words.next('argument')
    const key = pick(w, ['dev', 'local', 'peer', 'broadcast', 'label', 'scope', 'valid_lft', 'preferred_lft', 'noprefixroute', 'nodad'])
    if (key === 'dev') dev = linkName(words.value(w), 'addr')
    else if (key === 'local') cidr = words.value(w)
    else if (key === 'peer' || key === 'broadcast' || key === 'label') o[key] = words.value(w)
    else if (key === 'scope' && verb !== 'del') o.scope = scope(words.value(w), words)
    else if (key === 'valid_lft' && verb !== 'del') o.validLifetime = lifetime(words.value(w), w)
    else if (key === 'preferred_lft' && verb !== 'del') o.preferredLifetime = lifetime(words.value(w), w)
    else if (key === 'noprefixroute' && verb !== 'del') o.noPrefixRoute = true
    else if (key === 'nodad' && verb !== 'del') o.nodad = true
    else if (cidr === undefined && /^[0-9a-f.:]+(\/\d+)?$/i.test(w)) cidr = w
    else throw words.unknown(w)
  }
  if (cidr === undefined) throw words.error(`addr ${verb}: an address (ADDRESS/PREFIX) is needed`)
  if (dev === undefined) throw words.error(`addr ${verb}: "dev NAME" is needed`)
  if (verb === 'del' && (o.label !== undefined || o.broadcast !== undefined))
    throw words.error('addr del: only "peer" narrows what to delete')
  const [ref, addr] = [dev, cidr]
  return async (ctx) => {
    const nl = ctx.conn()
    if (verb === 'add') await nl.addrAdd(ref, addr, o)
    else if (verb === 'replace') await nl.addrReplace(ref, addr, o)
    else await nl.addrDel(ref, addr, o.peer === undefined ? {} : { peer: o.peer })
    return undefined
  }
}

export function parseAddr(verb: string | undefined, words: Words, g: Globals): Command {
  const v = verbOf(verb, ['show', 'add', 'replace', 'del'], words)
  return v === 'show' ? show(words, g) : change(v as 'add' | 'replace' | 'del', words)
}
