/**
 * Expectations (`conntrack -L expect`): the connections a helper (ftp, sip, tftp, ...) expects
 * a master connection to open. Listed, created, deleted by expected tuple, flushed (all, or one
 * helper's).
 *
 * @module
 */

import { checkInt, checkKeys, checkText, describe, MAX_U32 } from '../validate.js'
import type { CallOptions } from '../types.js'
import { Family, keyCall, object, protocol, tuple } from './args.js'
import type { ConntrackCall, ConntrackConn } from './conn.js'
import { FAMILY_NAMES, PROTOCOL_NAMES } from './names.js'
import type { ConntrackFamily, ConntrackKey, ConntrackProtocol, ConntrackTuple } from './types.js'

/**
 * An expectation flag (NF_CT_EXPECT_*).
 * @category Conntrack
 */
export type ConntrackExpectFlag = 'PERMANENT' | 'INACTIVE' | 'USERSPACE'
const FLAGS: readonly ConntrackExpectFlag[] = ['PERMANENT', 'INACTIVE', 'USERSPACE']

/**
 * An expectation, as `conntrack -L expect -o xml` shows it.
 * @category Conntrack
 */
export interface ConntrackExpect {
  /** Layer-3 family. */
  family: ConntrackFamily
  /** The expected connection's protocol. */
  protocol: ConntrackProtocol
  /** Its number. */
  protonum: number
  /** The expected connection's original tuple (fields the mask leaves out read 0). */
  tuple: ConntrackTuple
  /** Which bits of {@link tuple} must match (`mask-src=`, `mask-dst=`, ports). */
  mask: ConntrackTuple
  /** The master connection's original tuple (`master-src=`, ...). */
  master: ConntrackTuple
  /** The master connection's protocol. */
  masterProtocol: ConntrackProtocol
  /** Seconds until it expires. */
  timeout?: number
  /** Its id. */
  id?: number
  /** Flags by name. */
  flags: ConntrackExpectFlag[]
  /** The helper's expectation class (`class=`). */
  class?: number
  /** The master's helper (`helper=`). */
  helper?: string
  /** The helper function run when the expected connection comes. */
  fn?: string
  /** The zone. */
  zone?: number
}

/**
 * A new expectation (`conntrack -I expect`): the master connection (which must have a helper,
 * e.g. one created with `helper: 'ftp'`), the expected tuple and its mask.
 * @category Conntrack
 */
export interface ConntrackExpectSpec {
  /** The master connection by key (its protocol, original tuple, zone). */
  master: ConntrackKey
  /** The expected connection's protocol (the master's). */
  protocol?: ConntrackProtocol
  /** The expected connection's original tuple. */
  tuple: ConntrackTuple
  /**
   * Which bits must match: addresses as masks (`'255.255.255.255'`), ports as numbers (`0`:
   * any). Default: all of them; a field left out of the mask given matches anything.
   */
  mask?: Partial<ConntrackTuple>
  /** The helper (the master's). */
  helper?: string
  /** The helper's expectation class (0). */
  class?: number
  /** Flags. */
  flags?: ('PERMANENT' | 'INACTIVE')[]
}

/**
 * An expectation by its expected tuple.
 * @category Conntrack
 */
export interface ConntrackExpectKey {
  /** Layer-3 family (implied by the addresses). */
  family?: ConntrackFamily
  /** The expected connection's protocol. */
  protocol: ConntrackProtocol
  /** The expected tuple. */
  tuple: ConntrackTuple
  /** The zone (0). */
  zone?: number
}

interface WireTuple extends ConntrackTuple {
  protonum?: number
}
interface WireExpect {
  family: number
  tuple: WireTuple
  mask: WireTuple
  master: WireTuple
  timeout?: number
  id?: number
  flags?: number
  class?: number
  helper?: string
  fn?: string
  zone?: number
}

const proto = (n: number) => (PROTOCOL_NAMES.get(n) ?? n) as ConntrackProtocol
const bare = ({ protonum: _, ...t }: WireTuple): ConntrackTuple => t

function fromWire(w: WireExpect): ConntrackExpect {
  const protonum = w.tuple.protonum ?? 0
  const e: ConntrackExpect = {
    family: (FAMILY_NAMES.get(w.family) ?? w.family) as ConntrackFamily,
    protocol: proto(protonum),
    protonum,
    tuple: bare(w.tuple),
    mask: bare(w.mask),
    master: bare(w.master),
    masterProtocol: proto(w.master.protonum ?? 0),
    flags: FLAGS.filter((_, i) => ((w.flags ?? 0) >> i) & 1),
  }
  for (const k of ['timeout', 'id', 'class', 'helper', 'fn', 'zone'] as const) if (w[k] !== undefined) Object.assign(e, { [k]: w[k] })
  return e
}

const SPEC_KEYS: ReadonlySet<string> = new Set(['master', 'protocol', 'tuple', 'mask', 'helper', 'class', 'flags'])
const KEY_KEYS: ReadonlySet<string> = new Set(['family', 'protocol', 'tuple', 'zone'])

function helperName(v: unknown, name: string): string {
  if (typeof v !== 'string' || v === '' || v.length > 15)
    throw new TypeError(`${name} must be a helper name of 1 to 15 characters, got ${describe(v)}`)
  return checkText(v, name)
}

/** The mask: all ones for every field the tuple has, unless the mask given says otherwise. */
function maskOf(m: unknown, t: ConntrackTuple, family: 4 | 6, p: number): ConntrackCall['mask'] {
  const ones = family === 4 ? '255.255.255.255' : 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'
  const full: Record<string, unknown> = { src: ones, dst: ones, sport: 0xffff, dport: 0xffff, type: 0xff, code: 0xff, id: 0xffff }
  const given = m === undefined ? full : object(m, 'spec.mask')
  const pick = Object.fromEntries(Object.keys(t).map((k) => [k, given[k] ?? (m === undefined ? full[k] : 0)]))
  return tuple({ ...pick, dst: given.dst ?? ones }, 'spec.mask', p, new Family(family === 4 ? 'ipv4' : 'ipv6', 'spec.mask'), false)
}

export async function conntrackExpectList(
  c: ConntrackConn,
  filter: { family?: ConntrackFamily } = {},
  o?: CallOptions,
): Promise<ConntrackExpect[]> {
  const f = object(filter, 'filter')
  checkKeys(f, new Set(['family']), 'filter')
  const family = f.family === undefined ? undefined : new Family(f.family, 'filter.family').af
  return (await c.call<WireExpect>('conntrackExpectList', '', { op: 'expectList', family }, o)).map(fromWire)
}

export async function conntrackExpectCreate(c: ConntrackConn, spec: ConntrackExpectSpec, o?: CallOptions): Promise<void> {
  const s = object(spec, 'spec')
  checkKeys(s, SPEC_KEYS, 'spec')
  const m = keyCall(object(s.master, 'spec.master'), 'spec.master', 'expectCreate')
  const p = s.protocol === undefined ? m.protocol : protocol(s.protocol, 'spec.protocol')
  const fam = new Family(m.family === 2 ? 'ipv4' : 'ipv6', 'spec.tuple')
  if (s.tuple === undefined) throw new TypeError('spec.tuple is required')
  const t = tuple(s.tuple, 'spec.tuple', p, fam, true)
  const flags = s.flags === undefined ? undefined : (s.flags as unknown[])
  if (flags !== undefined && !Array.isArray(flags)) throw new TypeError('spec.flags must be an array of PERMANENT, INACTIVE')
  let bits = 0
  for (const [i, f] of (flags ?? []).entries()) {
    const n = ['PERMANENT', 'INACTIVE'].indexOf(f as string)
    if (n < 0) throw new RangeError(`spec.flags[${i}] ${describe(f)} is not one of PERMANENT, INACTIVE`)
    bits |= 1 << n
  }
  const call: ConntrackCall = {
    op: 'expectCreate',
    family: m.family,
    protocol: p,
    orig: t,
    mask: maskOf(s.mask, s.tuple as ConntrackTuple, fam.value as 4 | 6, p),
    master: m.orig,
    masterProtocol: m.protocol,
    zone: m.zone,
    helper: s.helper === undefined ? undefined : helperName(s.helper, 'spec.helper'),
    class: s.class === undefined ? undefined : checkInt(s.class, 'spec.class', 0, MAX_U32),
    expectFlags: flags === undefined ? undefined : bits,
  }
  await c.call('conntrackExpectCreate', `${t.src} -> ${t.dst}`, call, o)
}

export async function conntrackExpectDelete(c: ConntrackConn, key: ConntrackExpectKey, o?: CallOptions): Promise<void> {
  const k = object(key, 'key')
  checkKeys(k, KEY_KEYS, 'key')
  const call = keyCall({ family: k.family, protocol: k.protocol, orig: k.tuple, zone: k.zone }, 'key', 'expectDelete')
  await c.call('conntrackExpectDelete', `${call.orig?.src} -> ${call.orig?.dst}`, call, o)
}

export async function conntrackExpectFlush(c: ConntrackConn, filter: { helper?: string } = {}, o?: CallOptions): Promise<void> {
  const f = object(filter, 'filter')
  checkKeys(f, new Set(['helper']), 'filter')
  const helper = f.helper === undefined ? undefined : helperName(f.helper, 'filter.helper')
  await c.call('conntrackExpectFlush', helper ?? '', { op: 'expectFlush', helper }, o)
}
