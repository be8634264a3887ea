/**
 * `nlkit link`: show, add, set, del (`ip link`).
 *
 * @module
 * @internal
 */

import type { VethPeer } from '../link-kinds.js'
import type { DynamicLinkAddSpec } from '../link-spec.js'
import type { Link, LinkChanges } from '../links.js'
import { type Globals, int, linkName, pick, type Words } from './args.js'
import { type Command, type Listing, verbOf } from './command.js'
import { type Column, field } from './table.js'

export const LINK_COLUMNS: Column<Link>[] = [
  field('name', 'name'),
  { title: 'state', cell: (l) => l.operstate.toUpperCase() },
  field('mac', 'address'),
  field('mtu', 'mtu'),
  field('kind', 'kind'),
  field('master', 'master'),
]

/** Kind settings `link add ... type KIND` understands, by iproute2's word: the API's key and type. */
const KIND_SETTINGS: Record<string, { key: string; type: 'int' | 'word' }> = {
  id: { key: 'id', type: 'int' },
  mode: { key: 'mode', type: 'word' },
  remote: { key: 'remote', type: 'word' },
  local: { key: 'local', type: 'word' },
  group: { key: 'group', type: 'word' },
  dstport: { key: 'port', type: 'int' },
  ttl: { key: 'ttl', type: 'int' },
  dev: { key: 'dev', type: 'word' },
}

/** Settings both `link add` and `link set` take; false if `w` is none of them. */
function common(w: string, words: Words, c: LinkChanges): boolean {
  const key = pick(w, ['up', 'down', 'mtu', 'address', 'broadcast', 'txqueuelen', 'txqlen', 'alias', 'netns', 'master'])
  switch (key) {
    case 'up':
    case 'down':
      c.up = key === 'up'
      return true
    case 'mtu':
      c.mtu = int(words.value(w), 'mtu', 'link')
      return true
    case 'address':
    case 'broadcast':
      c[key] = words.value(w)
      return true
    case 'txqueuelen':
    case 'txqlen':
      c.txqlen = int(words.value(w), 'txqlen', 'link')
      return true
    case 'alias':
      c.alias = words.value(w)
      return true
    case 'netns': {
      const ns = words.value(w)
      c.netns = /^\d+$/.test(ns) ? Number(ns) : ns
      return true
    }
    case 'master':
      c.master = linkName(words.value(w), 'link')
      return true
  }
  return false
}

/** The link a show/set/del names: `dev NAME` or a bare `NAME`. */
function device(w: string, words: Words): string {
  return linkName(w === 'dev' ? words.value('dev') : w, 'link')
}

function show(words: Words): Command {
  let dev: string | undefined
  let up = false
  let type: string | undefined
  while (!words.done) {
    const w = words.next('argument')
    if (w === 'up') up = true
    else if (w === 'type') type = words.value('type')
    else if (dev === undefined) dev = device(w, words)
    else throw words.unknown(w)
  }
  return async (ctx): Promise<Listing> => {
    const nl = ctx.conn()
    let items = dev === undefined ? await nl.linkList() : [await nl.linkGet(dev)]
    if (up) items = items.filter((l) => l.up)
    if (type !== undefined) items = items.filter((l) => l.kind === type)
    return { items, columns: LINK_COLUMNS as Column<unknown>[] }
  }
}

function add(words: Words): Command {
  const changes: LinkChanges & { link?: string } = {}
  const settings: Record<string, unknown> = {}
  let name: string | undefined
  let kind: string | undefined
  let peer: VethPeer | undefined
  while (!words.done) {
    const w = words.next('argument')
    if (kind === undefined && common(w, words, changes)) continue
    if (w === 'link') changes.link = linkName(words.value(w), 'link')
    else if (w === 'name') name = linkName(words.value(w), 'link')
    else if (w === 'type') kind = words.value(w)
    else if (kind === 'veth' && w === 'peer') peer = vethPeer(words)
    else if (kind !== undefined && KIND_SETTINGS[w]) {
      const s = KIND_SETTINGS[w]
      const v = words.value(w)
      settings[s.key] = s.type === 'int' ? int(v, w, 'link') : v
    } else if (kind === undefined && name === undefined) name = linkName(w, 'link')
    else throw words.unknown(w)
  }
  if (name === undefined) throw words.error('link add: a name is needed')
  if (kind === undefined) throw words.error('link add: "type KIND" is needed')
  // The kind is a word of the command line: the core checks its settings (DynamicLinkAddSpec).
  const spec: DynamicLinkAddSpec = { ...changes, ...settings, kind, name }
  if (peer) spec.peer = peer
  return async (ctx) => {
    await ctx.conn().linkAdd(spec)
    return undefined
  }
}

/** `peer name NAME [address MAC] [mtu N] [netns NS]`, the other end of a veth. */
function vethPeer(words: Words): VethPeer {
  const p: Partial<VethPeer> = {}
  const first = words.next('peer name')
  p.name = linkName(first === 'name' ? words.value('name') : first, 'link')
  for (;;) {
    if (words.take('address')) p.address = words.value('address')
    else if (words.take('mtu')) p.mtu = int(words.value('mtu'), 'mtu', 'link')
    else if (words.take('netns')) p.netns = words.value('netns')
    else break
  }
  return p as VethPeer
}

function set(words: Words): Command {
  const changes: LinkChanges = {}
  let dev: string | undefined
  while (!words.done) {
    const w = words.next('argument')
    if (common(w, words, changes)) continue
    if (w === 'name') changes.name = linkName(words.value(w), 'link')
    else if (w === 'nomaster') changes.nomaster = true
    else if (w === 'group') changes.group = int(words.value(w), 'group', 'link')
    else if (dev === undefined) dev = device(w, words)
    else throw words.unknown(w)
  }
  if (dev === undefined) throw words.error('link set: which link? (dev NAME)')
  if (Object.keys(changes).length === 0) throw words.error('link set: nothing to change')
  const ref = dev
  return async (ctx) => {
    await ctx.conn().linkSet(ref, changes)
    return undefined
  }
}

function del(words: Words): Command {
  const first = words.next('a link (dev NAME)')
  const dev = device(first, words)
  if (!words.done) throw words.unknown(words.next(''))
  return async (ctx) => {
    await ctx.conn().linkDel(dev)
    return undefined
  }
}

export function parseLink(verb: string | undefined, words: Words, _g: Globals): Command {
  const v = verbOf(verb, ['show', 'add', 'set', 'del'], words)
  return v === 'add' ? add(words) : v === 'set' ? set(words) : v === 'del' ? del(words) : show(words)
}
