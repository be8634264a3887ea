/**
 * Qdiscs, classes, filters and chains: checking a call's arguments (before anything is sent)
 * and the lists, labelled with link names.
 *
 * @module
 */

import type { Engine } from '../engine.js'
import { linkNames, refFields } from '../links.js'
import type { TcFields, TcFilterFields, TcListFields } from '../native.js'
import { ETH_PROTOCOLS } from '../names.js'
import type { CallOptions, LinkRef } from '../types.js'
import { checkCallOptions, checkInt, checkKeys, checkLinkRef, describe, MAX_U32 } from '../validate.js'
import { checkHandle, kindOptions } from './options.js'

/**
 * Which qdiscs to list.
 *
 * @category Traffic control
 */
export interface QdiscFilter {
  /** One link's (default: every link's). */
  dev?: LinkRef
}

/**
 * Which classes to list.
 *
 * @category Traffic control
 */
export interface ClassFilter {
  /** The link. */
  dev: LinkRef
  /** One qdisc's (`'1:'`). */
  parent?: string
}

/**
 * Which filters to list.
 *
 * @category Traffic control
 */
export interface FilterFilter {
  /** The link. */
  dev: LinkRef
  /** The qdisc or class (`'1:'`, `'ingress'`, `'egress'`); default the root qdisc. */
  parent?: string
  /** One chain's (default: every chain's). */
  chain?: number
}

/**
 * Which chains to list.
 *
 * @category Traffic control
 */
export interface ChainFilter {
  /** The link. */
  dev: LinkRef
  /** The qdisc (`'1:'`, `'ingress'`). */
  parent: string
}

export type TcType = 'qdisc' | 'class' | 'filter' | 'chain'
type Verb = 'Add' | 'Replace' | 'Change' | 'Del' | 'Get'

/** Fields every spec may name (the rest are the kind's options). */
const PLACE = new Set(['dev', 'parent', 'handle', 'kind'])
const FILTER_PLACE = new Set([...PLACE, 'pref', 'prio', 'protocol', 'chain'])
const CHAIN = new Set(['dev', 'parent', 'chain'])

function protocolNumber(v: unknown, name: string): number {
  if (typeof v === 'number') return checkInt(v, name, 0, 0xffff)
  if (typeof v !== 'string') throw new TypeError(`${name} must be a protocol name or number, got ${describe(v)}`)
  const p = (ETH_PROTOCOLS as Record<string, number>)[v === '802.1q' ? '802.1Q' : v]
  if (p === undefined)
    throw new RangeError(`${name}: unknown protocol ${describe(v)}; expected one of ${Object.keys(ETH_PROTOCOLS).join(', ')} or a number`)
  return p
}

function subjectOf(s: Record<string, unknown>): string {
  return [s.dev, s.parent, s.handle ?? s.chain, s.kind].filter((x) => x !== undefined).join(' ')
}

/** Checks a spec and builds its record; `withOptions` false for deletes (a kind, no options). */
export function tcRecord(type: TcType, verb: Verb, spec: unknown, withOptions: boolean): { f: TcFields | TcFilterFields; subject: string } {
  if (typeof spec !== 'object' || spec === null) throw new TypeError('spec must be an object')
  const s = spec as Record<string, unknown>
  const taken = type === 'filter' ? FILTER_PLACE : type === 'chain' ? CHAIN : PLACE
  if (!withOptions || type === 'chain') checkKeys(s, taken, 'spec')
  const dev = checkLinkRef(s.dev, 'spec.dev')
  const f = { op: `${type}${verb}`, ...refFields(dev) } as TcFilterFields
  if (s.parent !== undefined) f.parent = checkHandle(s.parent, 'spec.parent')
  else if (type === 'qdisc' || type === 'chain' || (type === 'filter' && verb !== 'Get'))
    throw new TypeError('spec.parent is required (e.g. "root", "1:", "ingress")')
  if (s.handle !== undefined) {
    // A number travels in hex with 0x, which every classifier's handle syntax takes (u32's too).
    f.handle =
      type === 'filter' && typeof s.handle === 'number'
        ? `0x${checkInt(s.handle, 'spec.handle', 0, MAX_U32).toString(16)}`
        : checkHandle(s.handle, 'spec.handle')
  } else if (type === 'class' && verb !== 'Del') throw new TypeError('spec.handle (the class id, e.g. "1:10") is required')
  if (s.kind !== undefined) {
    if (typeof s.kind !== 'string') throw new TypeError(`spec.kind must be a string, got ${describe(s.kind)}`)
    f.kind = s.kind
  } else if (withOptions && type !== 'chain') throw new TypeError('spec.kind is required')
  if (type === 'filter' || type === 'chain') {
    if (s.chain !== undefined) f.chain = checkInt(s.chain, 'spec.chain', 0, MAX_U32)
    else if (type === 'chain') throw new TypeError('spec.chain is required')
  }
  if (type === 'filter') {
    if (s.pref !== undefined && s.prio !== undefined) throw new TypeError('spec.pref and spec.prio are the same: give one')
    const pref = s.pref ?? s.prio
    if (pref !== undefined) f.pref = checkInt(pref, s.pref !== undefined ? 'spec.pref' : 'spec.prio', 1, 0xffff)
    if (s.protocol !== undefined) f.protocol = protocolNumber(s.protocol, 'spec.protocol')
    else if (verb !== 'Del') f.protocol = ETH_PROTOCOLS.all
  }
  if (type === 'filter' && withOptions && s.actions !== undefined && !Array.isArray(s.actions))
    throw new TypeError(`spec.actions must be an array of actions, got ${describe(s.actions)}`)
  if (withOptions && type !== 'chain') {
    const options = kindOptions(s, taken, 'spec')
    if (options) f.options = options
  }
  return { f, subject: subjectOf(s) }
}

export async function tcModify(e: Engine, type: TcType, verb: Verb, spec: unknown, o?: CallOptions): Promise<void> {
  const { f, subject } = tcRecord(type, verb, spec, verb !== 'Del')
  checkCallOptions(o)
  await e.call(f.op, subject, f, o)
}

const LIST_FILTER: Record<TcType, ReadonlySet<string>> = {
  qdisc: new Set(['dev']),
  class: new Set(['dev', 'parent']),
  filter: new Set(['dev', 'parent', 'chain']),
  chain: new Set(['dev', 'parent']),
}

/** A list, labelled with link names. `dev` is required except for qdiscs. */
export async function tcList<T extends { ifindex: number; dev?: string }>(
  e: Engine,
  type: TcType,
  filter: unknown,
  o?: CallOptions,
): Promise<T[]> {
  if (filter === undefined && type === 'qdisc') filter = {}
  if (typeof filter !== 'object' || filter === null) throw new TypeError('filter must be an object')
  const q = filter as Record<string, unknown>
  checkKeys(q, LIST_FILTER[type], 'filter')
  const op = `${type}List` as TcListFields['op']
  const f: TcListFields = { op }
  let dev: LinkRef | undefined
  if (q.dev !== undefined) {
    dev = checkLinkRef(q.dev, 'filter.dev')
    Object.assign(f, refFields(dev))
  } else if (type !== 'qdisc') throw new TypeError('filter.dev is required')
  if (q.parent !== undefined) f.parent = checkHandle(q.parent, 'filter.parent')
  if (q.chain !== undefined) f.chain = checkInt(q.chain, 'filter.chain', 0, MAX_U32)
  checkCallOptions(o)
  const subject = dev === undefined ? '' : String(dev)
  const [list, names] = await Promise.all([e.call<T>(op, subject, f, o), linkNames(e, op, subject, o)])
  for (const t of list) {
    const n = names.get(t.ifindex)
    if (n !== undefined) t.dev = n
  }
  return list
}
