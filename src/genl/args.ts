/**
 * What the typed generic families' functions share: checking an options object's keys and
 * sending a family operation whose fields cross as one JSON `args` object.
 *
 * @module
 */

import type { CallOptions, LinkRef } from '../types.js'
import { checkKeys, describe } from '../validate.js'
import type { GenlConn } from './conn.js'

/** Resolves a link name or index to its index in the connection's namespace. */
export type LinkIndexOf = (ref: LinkRef) => Promise<number>

/** `v` as an object of `allowed` keys (undefined: `{}`); a TypeError / RangeError names `name`. */
export function checkObject<T extends object>(v: T | undefined, allowed: ReadonlySet<string>, name: string): Partial<T> {
  if (v === undefined) return {}
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new TypeError(`${name} must be an object, got ${describe(v)}`)
  checkKeys(v, allowed, name)
  return v
}

/**
 * Sends `op`/`kind` with `args`; resolves the decoded replies. Of `o` only the call options
 * (timeout, signal) go on: the rest were the function's own options, checked by it.
 */
export function familyCall<T>(
  g: GenlConn,
  op: 'tcpMetrics' | 'mptcp' | 'netdev' | 'taskstats' | 'wireguard',
  kind: string,
  name: string,
  subject: string,
  args: Record<string, unknown>,
  o?: CallOptions,
): Promise<T[]> {
  const call = o && { timeout: o.timeout, signal: o.signal }
  return g.call<T>(name, subject, { op, kind, args: JSON.stringify(args) }, call)
}

/** The single reply of a get (a kernel that sent none is a protocol fault). */
export async function one<T>(p: Promise<T[]>, name: string, subject: string): Promise<T> {
  const [r] = await p
  if (r === undefined) throw new RangeError(`${name} ${subject}: the kernel sent no reply`)
  return r
}
