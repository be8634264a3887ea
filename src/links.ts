/**
 * Links (`ip link`): listing, creating, changing and deleting interfaces, and the link lookups
 * the other areas need (a name to its index, indexes to names).
 *
 * @module
 */

import type { Engine } from './engine.js'
import { kernelError } from './errors.js'
import type { LinkSel, LinkSpecFields, OpOf } from './native.js'
import { netnsSpec } from './netns.js'
import type { CallOptions, LinkRef, NetnsRef } from './types.js'
export type { KnownLinkKind, LinkAddSpec, LinkKindSettings } from './link-spec.js'
import { checkBool, checkCallOptions, checkInt, checkLinkName, checkLinkRef, checkMac, checkPlain, describe, MAX_U32 } from './validate.js'
import { checkPortMaster, EXTRA_KEYS, extraFields, type LinkExtraChanges } from './link-extras.js'
import type { Link } from './link-types.js'
export type { Link, LinkStats } from './link-types.js'

/**
 * Options of {@link linkAddVeth}.
 *
 * @category Links
 */
export interface VethOptions extends CallOptions {}

/**
 * Changes {@link linkSet} can make (and top-level settings of {@link linkAdd}).
 *
 * @category Links
 */
export interface LinkChanges extends LinkExtraChanges {
  /** New name. */
  name?: string
  /** MTU in bytes (at least 68). */
  mtu?: number
  /** MAC address, `'aa:bb:cc:dd:ee:ff'`. */
  address?: string
  /** Link-layer broadcast address. */
  broadcast?: string
  /** `true` sets the link up, `false` down. */
  up?: boolean
  /** Enslave to this bridge/bond; `null` releases. */
  master?: LinkRef | null
  /** Release from the master (as `master: null`). */
  nomaster?: true
  /** Transmit queue length. */
  txqlen?: number
  /** Interface alias, at most 255 bytes. */
  alias?: string
  /** Link group. */
  group?: number
  /** Move into this network namespace. */
  netns?: NetnsRef
}

/** What linkAdd reads: a LinkAddSpec of any kind, before its settings are checked. */
interface LinkAddInput extends Omit<LinkChanges, 'name' | 'nomaster' | 'group'> {
  group?: number | string
  kind: string
  name: string
  link?: LinkRef
  linkinfo?: Record<string, unknown>
  [setting: string]: unknown
}

/** Keys of a LinkAddSpec that are not kind settings (including read-only fields of Link, so a
 * Link read back can be passed to linkAdd). */
const LINK_TOP_KEYS = new Set([
  'kind',
  'name',
  'link',
  'mtu',
  'address',
  'broadcast',
  'txqlen',
  'master',
  'alias',
  'group',
  'up',
  'netns',
  'linkinfo',
  'index',
  'flags',
  'operstate',
  'minMtu',
  'maxMtu',
  'linkType',
  'permAddress',
  'masterIndex',
  'linkIndex',
  'linkNetnsid',
  'qdisc',
  'carrier',
  'altNames',
  'stats',
  'slaveKind',
  'promiscuity',
  'allmulti',
  'numTxQueues',
  'numRxQueues',
  'tsoMaxSize',
  'tsoMaxSegs',
  'carrierChanges',
  'carrierUpCount',
  'carrierDownCount',
  ...EXTRA_KEYS,
])
const LINK_SET_KEYS = new Set([
  'name',
  'mtu',
  'address',
  'broadcast',
  'up',
  'master',
  'nomaster',
  'txqlen',
  'alias',
  'group',
  'netns',
  ...EXTRA_KEYS,
])
/** Kind settings that name a link (resolved to an index before sending, named when read). */
const LINK_REF_SETTINGS = ['dev']
/** Such settings of one kind only (elsewhere they are unknown keys the core refuses). */
const KIND_LINK_REFS: Record<string, string[]> = { hsr: ['slave1', 'slave2', 'interlink'] }

function linkRefSettings(kind: string | undefined): string[] {
  return [...LINK_REF_SETTINGS, ...(KIND_LINK_REFS[kind ?? ''] ?? [])]
}
/** Kinds made as a pair: the other end is the `peer` setting, shown as the link's parent. */
const PAIR_KINDS = new Set(['veth', 'netkit'])

/** How an operation names its link. */
export function refFields(ref: LinkRef): LinkSel {
  return typeof ref === 'number' ? { index: ref } : { name: ref }
}

/**
 * Resolves a link reference to its index, asking the kernel (on this connection's socket). A
 * failure is reported as the operation it was done for (`opName`).
 */
export async function linkIndex(e: Engine, ref: LinkRef, o?: CallOptions, opName = 'linkGet', subject = String(ref)): Promise<number> {
  if (typeof ref === 'number') return ref
  const [l] = await e.call<Link>(opName, subject, { op: 'linkGet', name: ref }, o)
  if (!l) throw kernelError(opName, subject, 'ENODEV', 'No such device')
  return l.index
}

/** Interface names by index, for labelling a list (failures reported as `opName`). */
export async function linkNames(e: Engine, opName: string, subject: string, o?: CallOptions): Promise<Map<number, string>> {
  const links = await e.call<Link>(opName, subject, { op: 'linkList' }, o)
  return new Map(links.map((l) => [l.index, l.name]))
}

const PEER_KEYS = ['name', 'netns', 'address', 'mtu']

/** A veth's or netkit's `peer`, checked (an unknown key is a RangeError, as the core's). */
function vethPeer(p: unknown): Record<string, unknown> {
  if (typeof p !== 'object' || p === null) throw new TypeError('peer must be an object like { name: "veth1" }')
  const q = p as Record<string, unknown>
  for (const k of Object.keys(q)) {
    if (!PEER_KEYS.includes(k)) throw new RangeError(`unknown peer setting ${describe(k)}; expected one of ${PEER_KEYS.join(', ')}`)
  }
  const out: Record<string, unknown> = { name: checkLinkName(q.name, 'peer.name') }
  if (q.netns !== undefined) {
    const ns = netnsSpec(q.netns as NetnsRef, 'peer.netns')
    out.netns = ns.name ?? ns.path ?? ns.pid
    if (ns.fd !== undefined) throw new TypeError('peer.netns must be a name, path or pid')
  }
  if (q.address !== undefined) out.address = checkMac(q.address, 'peer.address')
  if (q.mtu !== undefined) out.mtu = checkInt(q.mtu, 'peer.mtu', 68, MAX_U32)
  return out
}

/** Fills in the names of the links `l` refers to, and ip's M-DOWN flag. */
function nameRelatives(l: Link, byIndex: Map<number, Link>): void {
  const info = l.linkinfo
  for (const k of linkRefSettings(l.kind)) {
    if (info && typeof info[k] === 'number') {
      const n = byIndex.get(info[k] as number)
      if (n !== undefined) info[k] = n.name
    }
  }
  if (l.masterIndex !== undefined) {
    const m = byIndex.get(l.masterIndex)
    if (m !== undefined) l.master = m.name
  }
  if (l.linkIndex !== undefined && l.linkIndex !== 0) {
    const p = byIndex.get(l.linkIndex)
    if (p !== undefined && l.linkNetnsid === undefined) l.link = p.name
    // As ip: the parent/peer in this namespace is not up.
    if (l.linkNetnsid === undefined && !p?.up) l.flags.push('M-DOWN')
    // A veth's (netkit's) peer is its kind setting too, so linkGet output can be given back to linkAdd.
    if (PAIR_KINDS.has(l.kind ?? '') && p !== undefined && l.linkNetnsid === undefined)
      l.linkinfo = { ...l.linkinfo, peer: { name: p.name } }
  }
}

export async function linkList(e: Engine, o?: CallOptions): Promise<Link[]> {
  checkCallOptions(o)
  const links = await e.call<Link>('linkList', '', { op: 'linkList' }, o)
  const byIndex = new Map(links.map((l) => [l.index, l]))
  for (const l of links) nameRelatives(l, byIndex)
  return links
}

export async function linkGet(e: Engine, ref: LinkRef, o?: CallOptions): Promise<Link> {
  checkLinkRef(ref)
  checkCallOptions(o)
  const [l] = await e.call<Link>('linkGet', String(ref), { op: 'linkGet', ...refFields(ref) }, o)
  if (!l) throw kernelError('linkGet', String(ref), 'ENODEV', 'No such device')
  const refs = linkRefSettings(l.kind)
    .map((k) => l.linkinfo?.[k])
    .filter((v): v is number => typeof v === 'number')
  const others = [l.masterIndex, l.linkIndex, ...refs].filter((i): i is number => i !== undefined && i !== 0 && i !== l.index)
  const got = await Promise.all(
    others.map((i) => e.call<Link>('linkGet', String(i), { op: 'linkGet', index: i }, o).catch(() => [] as Link[])),
  )
  nameRelatives(l, new Map([l, ...got.flat()].map((x) => [x.index, x])))
  return l
}

/** linkSetUp and linkSetDown: both send a `linkSetUp`. */
export async function linkSetUp(e: Engine, opName: 'linkSetUp' | 'linkSetDown', ref: LinkRef, up: boolean, o?: CallOptions): Promise<void> {
  checkLinkRef(ref)
  checkCallOptions(o)
  await e.call(opName, String(ref), { op: 'linkSetUp', ...refFields(ref), up }, o)
}

export async function linkAdd(e: Engine, given: object, o?: CallOptions): Promise<void> {
  if (typeof given !== 'object' || given === null) throw new TypeError('spec must be an object')
  // Read once and checked whole (kind settings are free-form): what is sent is what was checked.
  const spec = checkPlain(given, 'spec') as LinkAddInput
  if (typeof spec.kind !== 'string' || spec.kind === '') throw new TypeError('spec.kind must be a link kind like "veth"')
  checkLinkName(spec.name, 'spec.name')
  checkCallOptions(o)
  // A string `group` is a kind setting (vxlan's multicast group), a number the link group; a
  // veth's (netkit's) `link` is its peer (given as `peer`), not a parent.
  const top: LinkAddInput = { ...spec }
  const info: Record<string, unknown> = { ...(spec.linkinfo ?? {}) }
  if (typeof spec.group === 'string') {
    info.group = spec.group
    delete top.group
  }
  if (PAIR_KINDS.has(spec.kind)) delete top.link
  const f: OpOf<'linkAdd'> = {
    op: 'linkAdd',
    ifname: spec.name,
    kind: spec.kind,
    ...(await linkFields(e, top as LinkChanges & { link?: LinkRef }, o, 'linkAdd', spec.name)),
  }
  for (const [k, v] of Object.entries(spec)) {
    if (!LINK_TOP_KEYS.has(k) && v !== undefined) info[k] = v
  }
  if (PAIR_KINDS.has(spec.kind) && info.peer !== undefined) info.peer = vethPeer(info.peer)
  for (const k of linkRefSettings(spec.kind)) {
    if (typeof info[k] === 'string') info[k] = await linkIndex(e, checkLinkName(info[k], `spec.${k}`), o, 'linkAdd', spec.name)
  }
  if (Object.keys(info).length > 0) f.info = info
  await e.call('linkAdd', spec.name, f, o)
}

export async function linkSet(e: Engine, ref: LinkRef, given: LinkChanges, o?: CallOptions): Promise<void> {
  checkLinkRef(ref)
  if (typeof given !== 'object' || given === null) throw new TypeError('changes must be an object')
  const changes = checkPlain(given, 'changes') as LinkChanges
  for (const k of Object.keys(changes)) {
    if (!LINK_SET_KEYS.has(k)) throw new RangeError(`unknown link change ${describe(k)}; expected one of ${[...LINK_SET_KEYS].join(', ')}`)
  }
  checkCallOptions(o)
  const f: OpOf<'linkSet'> = { op: 'linkSet', ...refFields(ref), ...(await linkFields(e, changes, o, 'linkSet', String(ref))) }
  if (changes.name !== undefined) f.newName = checkLinkName(changes.name, 'name')
  if (changes.nomaster) f.master = 0
  await checkPortMaster(e, ref, f, o)
  await e.call('linkSet', String(ref), f, o)
}

/** The top-level link attributes shared by linkAdd and linkSet, validated and resolved. */
async function linkFields(
  e: Engine,
  c: LinkChanges & { link?: LinkRef },
  o: CallOptions | undefined,
  opName: string,
  subject: string,
): Promise<LinkSpecFields> {
  const f: LinkSpecFields = extraFields(c, opName === 'linkAdd')
  if (c.mtu !== undefined) f.mtu = checkInt(c.mtu, 'mtu', 68, MAX_U32)
  if (c.address !== undefined) f.address = checkMac(c.address, 'address')
  if (c.broadcast !== undefined) f.broadcast = checkMac(c.broadcast, 'broadcast')
  if (c.txqlen !== undefined) f.txqlen = checkInt(c.txqlen, 'txqlen', 0, MAX_U32)
  if (c.alias !== undefined) {
    if (typeof c.alias !== 'string' || Buffer.byteLength(c.alias) > 255) throw new TypeError('alias must be a string of at most 255 bytes')
    f.alias = c.alias
  }
  if (c.group !== undefined) f.group = checkInt(c.group, 'group', 0, MAX_U32)
  if (c.up !== undefined) f.up = checkBool(c.up, 'up')
  if (c.netns !== undefined) f.netns = netnsSpec(c.netns)
  if (c.master !== undefined && c.master !== null) f.master = await linkIndex(e, checkLinkRef(c.master, 'master'), o, opName, subject)
  if (c.master === null) f.master = 0
  if (c.link !== undefined) f.parent = await linkIndex(e, checkLinkRef(c.link, 'link'), o, opName, subject)
  return f
}

export async function linkDel(e: Engine, ref: LinkRef, o?: CallOptions): Promise<void> {
  checkLinkRef(ref)
  checkCallOptions(o)
  await e.call('linkDel', String(ref), { op: 'linkDel', ...refFields(ref) }, o)
}
