/**
 * IPsec policies and states on an {@link XfrmConn}: each function checks its argument's
 * shape (TypeError/RangeError naming it) and sends the spec as JSON; the core checks every key
 * and value (a RangeError naming it) before anything is sent.
 *
 * @module
 */

import { xfrmCheck } from '../native.js'
import type { CallOptions } from '../types.js'
import { checkLinkName, checkPlain, describe } from '../validate.js'
import type { XfrmConn } from './conn.js'
import type * as f from './filters.js'
import type * as t from './types.js'

const ALG_KEYS = ['auth', 'crypt', 'aead', 'comp'] as const

/** Key bytes as the hex text the core reads. */
function keysAsHex(spec: Record<string, unknown>, name: string): Record<string, unknown> {
  const out = { ...spec }
  for (const k of ALG_KEYS) {
    const a = out[k]
    if (a === undefined || a === null) continue
    if (typeof a !== 'object') throw new TypeError(`${name}.${k} must be an object, got ${describe(a)}`)
    const key = (a as { key?: unknown }).key
    if (key instanceof Uint8Array) out[k] = { ...a, key: `0x${Buffer.from(key).toString('hex')}` }
  }
  return out
}

/** The spec as the binding takes it (after its plain-data check). */
function specText(v: unknown, name: string): string {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new TypeError(`${name} must be an object, got ${describe(v)}`)
  return JSON.stringify(checkPlain(keysAsHex(v as Record<string, unknown>, name), name))
}

/** A dump with its filter (checked, then sent as JSON; the core checks each key). */
function list<T>(c: XfrmConn, name: string, op: string, filter: unknown, o?: CallOptions): Promise<T[]> {
  try {
    return c.call<T>(name, '', { op, spec: specText(filter, 'filter') }, o)
  } catch (e) {
    return Promise.reject(e)
  }
}

/** A getter: argument checked (before its subject is read), errors as rejections. */
function one<T, A = undefined>(
  c: XfrmConn,
  name: string,
  op: string,
  arg: A,
  argName: string,
  subject: (a: A) => string,
  o?: CallOptions,
): Promise<T> {
  try {
    const spec = arg === undefined ? undefined : specText(arg, argName)
    return c.call<T>(name, subject(arg), { op, spec }, o).then((r) => r[0] as T)
  } catch (e) {
    return Promise.reject(e)
  }
}

const polSubject = (p: { dir?: unknown; selector?: { src?: unknown; dst?: unknown } }) =>
  [p.selector?.src, p.selector?.dst, p.dir].filter((x) => typeof x === 'string').join(' ')
const saSubject = (s: { dst?: unknown; proto?: unknown; spi?: unknown }) => `${String(s.dst)} ${String(s.proto)} ${String(s.spi)}`

export function xfrmPolicyList(c: XfrmConn, filter: f.XfrmPolicyFilter = {}, o?: CallOptions): Promise<t.XfrmPolicy[]> {
  return list<t.XfrmPolicy>(c, 'xfrmPolicyList', 'policyList', filter, o)
}

export function xfrmPolicyGet(c: XfrmConn, id: t.XfrmPolicyId, o?: CallOptions): Promise<t.XfrmPolicy> {
  return one<t.XfrmPolicy, t.XfrmPolicyId>(c, 'xfrmPolicyGet', 'policyGet', id, 'id', polSubject, o)
}

export function xfrmPolicyAdd(c: XfrmConn, p: t.XfrmPolicySpec, o?: CallOptions): Promise<void> {
  return call(c, 'xfrmPolicyAdd', 'policyAdd', p, 'policy', polSubject, o)
}

export function xfrmPolicyUpdate(c: XfrmConn, p: t.XfrmPolicySpec, o?: CallOptions): Promise<void> {
  return call(c, 'xfrmPolicyUpdate', 'policyUpdate', p, 'policy', polSubject, o)
}

export function xfrmPolicyDelete(c: XfrmConn, id: t.XfrmPolicyId, o?: CallOptions): Promise<void> {
  return call(c, 'xfrmPolicyDelete', 'policyDelete', id, 'id', polSubject, o)
}

export function xfrmPolicyFlush(c: XfrmConn, opts: { type?: 'main' | 'sub' } = {}, o?: CallOptions): Promise<void> {
  return call(c, 'xfrmPolicyFlush', 'policyFlush', opts, 'opts', () => '', o)
}

export function xfrmSpdInfo(c: XfrmConn, o?: CallOptions): Promise<t.XfrmSpdInfo> {
  return one<t.XfrmSpdInfo>(c, 'xfrmSpdInfo', 'spdInfo', undefined, '', () => '', o)
}

export function xfrmSpdSet(c: XfrmConn, thresh: { ipv4Thresh?: t.XfrmThresh; ipv6Thresh?: t.XfrmThresh }, o?: CallOptions): Promise<void> {
  return call(c, 'xfrmSpdSet', 'spdSet', thresh, 'thresh', () => '', o)
}

export function xfrmStateList(c: XfrmConn, filter: f.XfrmStateFilter = {}, o?: CallOptions): Promise<t.XfrmState[]> {
  return list<t.XfrmState>(c, 'xfrmStateList', 'stateList', filter, o)
}

export function xfrmStateGet(c: XfrmConn, id: t.XfrmStateId, o?: CallOptions): Promise<t.XfrmState> {
  return one<t.XfrmState, t.XfrmStateId>(c, 'xfrmStateGet', 'stateGet', id, 'id', saSubject, o)
}

/**
 * Resolves a device name to its index in the connection's namespace (on its rtnetlink socket);
 * a failure is reported as operation `op` on `subject`.
 */
export type XfrmLinkIndex = (name: string, op: string, subject: string, o?: CallOptions) => Promise<number>

export function xfrmStateAdd(c: XfrmConn, linkIndex: XfrmLinkIndex, s: t.XfrmStateSpec, o?: CallOptions): Promise<void> {
  return stateChange(c, linkIndex, 'xfrmStateAdd', 'stateAdd', s, o)
}

export function xfrmStateUpdate(c: XfrmConn, linkIndex: XfrmLinkIndex, s: t.XfrmStateSpec, o?: CallOptions): Promise<void> {
  return stateChange(c, linkIndex, 'xfrmStateUpdate', 'stateUpdate', s, o)
}

/**
 * A state's add or update. An offload device given by name (`offload.dev`) is resolved first;
 * before that lookup the whole spec is checked by the core with a stand-in index, so bad input
 * fails before anything is sent.
 */
async function stateChange(
  c: XfrmConn,
  linkIndex: XfrmLinkIndex,
  name: string,
  op: string,
  s: t.XfrmStateSpec,
  o?: CallOptions,
): Promise<void> {
  const off = typeof s === 'object' && s !== null ? (s as { offload?: unknown }).offload : undefined
  const dev = typeof off === 'object' && off !== null ? (off as { dev?: unknown }).dev : undefined
  if (dev === undefined) return call(c, name, op, s, 'state', saSubject, o)
  const { dev: _, ...rest } = off as Record<string, unknown>
  checkLinkName(dev, 'state.offload.dev')
  if (rest.ifindex !== undefined) throw new RangeError(`${name}: state.offload: dev and ifindex both name the device: give one`)
  const subject = saSubject(s)
  const withIndex = (ifindex: number) => specText({ ...s, offload: { ...rest, ifindex } }, 'state')
  const refused = xfrmCheck(op, withIndex(1))
  if (refused !== null) throw new RangeError(`${name} ${subject}: ${refused}`)
  const ifindex = await linkIndex(dev as string, name, subject, o)
  await c.call(name, subject, { op, spec: withIndex(ifindex) }, o)
}

export function xfrmStateDelete(c: XfrmConn, id: t.XfrmStateId, o?: CallOptions): Promise<void> {
  return call(c, 'xfrmStateDelete', 'stateDelete', id, 'id', saSubject, o)
}

export function xfrmStateFlush(c: XfrmConn, opts: { proto?: t.XfrmProto } = {}, o?: CallOptions): Promise<void> {
  return call(c, 'xfrmStateFlush', 'stateFlush', opts, 'opts', () => '', o)
}

export function xfrmStateAllocSpi(c: XfrmConn, s: t.XfrmAllocSpiSpec, o?: CallOptions): Promise<t.XfrmState> {
  return one<t.XfrmState, t.XfrmAllocSpiSpec>(
    c,
    'xfrmStateAllocSpi',
    'stateAllocSpi',
    s,
    'spec',
    (a) => `${String(a.dst)} ${String(a.proto)}`,
    o,
  )
}

export function xfrmSadInfo(c: XfrmConn, o?: CallOptions): Promise<t.XfrmSadInfo> {
  return one<t.XfrmSadInfo>(c, 'xfrmSadInfo', 'sadInfo', undefined, '', () => '', o)
}

/** A change: argument checked, errors as rejections. */
function call<A>(
  c: XfrmConn,
  name: string,
  op: string,
  arg: A,
  argName: string,
  subject: (a: A) => string,
  o?: CallOptions,
): Promise<void> {
  try {
    const spec = specText(arg, argName)
    return c.call(name, subject(arg), { op, spec }, o).then(() => undefined)
  } catch (e) {
    return Promise.reject(e)
  }
}
