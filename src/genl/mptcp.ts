/**
 * The MPTCP in-kernel path manager (`mptcp_pm`; `ip mptcp`): the endpoints (local addresses
 * MPTCP announces or opens subflows from) and the per-connection limits.
 *
 * @module
 */

import type { CallOptions, LinkRef } from '../types.js'
import { checkInt, checkIp, checkLinkRef, describe } from '../validate.js'
import { checkObject, familyCall, type LinkIndexOf, one } from './args.js'
import type { GenlConn } from './conn.js'

/**
 * An endpoint's flags, by `ip mptcp`'s names.
 * @category MPTCP
 */
export type MptcpEndpointFlag = 'signal' | 'subflow' | 'backup' | 'fullmesh' | 'implicit' | 'laminar'

const FLAGS: ReadonlySet<string> = new Set(['signal', 'subflow', 'backup', 'fullmesh', 'implicit', 'laminar'])

/**
 * One endpoint, as `ip -j mptcp endpoint show` lists it.
 * @category MPTCP
 */
export interface MptcpEndpoint {
  /** Its id (1-255). */
  id: number
  /** The local address. */
  address: string
  /** The port announced with it (signal endpoints). */
  port?: number
  /** Its flags. */
  flags: MptcpEndpointFlag[]
  /** The device subflows from it are bound to, by index. */
  ifindex?: number
}

/**
 * An endpoint to add (`ip mptcp endpoint add ADDRESS [port P] [id N] FLAGS [dev D]`).
 * @category MPTCP
 */
export interface MptcpEndpointSpec {
  /** The local address. */
  address: string
  /** 1-255; the kernel picks one when left out. */
  id?: number
  /** A port to announce (needs the `signal` flag). */
  port?: number
  /** Flags (none: the kernel's default). */
  flags?: MptcpEndpointFlag[]
  /** Bind subflows to this device (name or index). */
  dev?: LinkRef
}

/**
 * The path manager's limits (`ip mptcp limits`).
 * @category MPTCP
 */
export interface MptcpLimits {
  /** ADD_ADDRs accepted per connection (`add_addr_accepted`). */
  addAddrAccepted: number
  /** Extra subflows per connection. */
  subflows: number
}

const SPEC_KEYS: ReadonlySet<string> = new Set(['address', 'id', 'port', 'flags', 'dev'])

function checkFlags(v: unknown, name: string): MptcpEndpointFlag[] {
  if (!Array.isArray(v)) throw new TypeError(`${name} must be an array of flag names, got ${describe(v)}`)
  for (const f of v) if (!FLAGS.has(f)) throw new RangeError(`${name}: unknown flag ${describe(f)}; expected ${[...FLAGS].join(', ')}`)
  return v
}

const checkId = (v: unknown, name = 'id') => checkInt(v, name, 1, 255)

export const mptcpEndpointList = (g: GenlConn, o?: CallOptions) =>
  familyCall<MptcpEndpoint>(g, 'mptcp', 'list', 'mptcpEndpointList', 'mptcp_pm', {}, o)

export function mptcpEndpointGet(g: GenlConn, id: number, o?: CallOptions): Promise<MptcpEndpoint> {
  try {
    checkId(id)
    return one(familyCall<MptcpEndpoint>(g, 'mptcp', 'get', 'mptcpEndpointGet', `id ${id}`, { id }, o), 'mptcpEndpointGet', `id ${id}`)
  } catch (e) {
    return Promise.reject(e)
  }
}

export async function mptcpEndpointAdd(g: GenlConn, linkIndex: LinkIndexOf, spec: MptcpEndpointSpec, o?: CallOptions): Promise<void> {
  const s = checkObject(spec, SPEC_KEYS, 'spec')
  if (spec === undefined) throw new TypeError('spec must be an object, got undefined')
  const address = checkIp(s.address, 'spec.address').address
  if (s.id !== undefined) checkId(s.id, 'spec.id')
  if (s.port !== undefined) checkInt(s.port, 'spec.port', 1, 65535)
  const flags = s.flags === undefined ? [] : checkFlags(s.flags, 'spec.flags')
  if (s.port !== undefined && !flags.includes('signal')) throw new RangeError('spec.port needs the signal flag')
  const dev = s.dev === undefined ? undefined : checkLinkRef(s.dev, 'spec.dev')
  const ifindex = dev === undefined ? undefined : await linkIndex(dev)
  await familyCall(g, 'mptcp', 'add', 'mptcpEndpointAdd', address, { address, id: s.id, port: s.port, flags, ifindex }, o)
}

/**
 * Deletes endpoint `id`. Id 0 with `address` is the kernel's special case: it withdraws that
 * address, used as the initial subflow's, from the connections using it (there is no endpoint 0).
 */
export async function mptcpEndpointDel(g: GenlConn, id: number, o?: CallOptions & { address?: string }): Promise<void> {
  checkInt(id, 'id', 0, 255)
  const { address } = checkObject(o, new Set(['address', 'timeout', 'signal']), 'options')
  if (address !== undefined) checkIp(address, 'options.address')
  if (id === 0 && address === undefined) throw new RangeError('id 0 needs options.address')
  await familyCall(g, 'mptcp', 'del', 'mptcpEndpointDel', `id ${id}`, { id, address }, o)
}

/**
 * Changes an endpoint's flags (`ip mptcp endpoint change id N backup|nobackup fullmesh|nofullmesh`):
 * the kernel changes `backup` and `fullmesh` to what `flags` says.
 */
export async function mptcpEndpointChange(g: GenlConn, id: number, flags: MptcpEndpointFlag[], o?: CallOptions): Promise<void> {
  checkId(id)
  checkFlags(flags, 'flags')
  await familyCall(g, 'mptcp', 'setFlags', 'mptcpEndpointChange', `id ${id}`, { id, flags }, o)
}

export async function mptcpEndpointFlush(g: GenlConn, o?: CallOptions): Promise<void> {
  await familyCall(g, 'mptcp', 'flush', 'mptcpEndpointFlush', 'mptcp_pm', {}, o)
}

export const mptcpLimitsGet = (g: GenlConn, o?: CallOptions) =>
  one(familyCall<MptcpLimits>(g, 'mptcp', 'limits', 'mptcpLimitsGet', 'mptcp_pm', {}, o), 'mptcpLimitsGet', 'mptcp_pm')

/** Sets the limits given (the kernel caps each at 8). */
export async function mptcpLimitsSet(g: GenlConn, limits: Partial<MptcpLimits>, o?: CallOptions): Promise<void> {
  const l = checkObject(limits, new Set(['addAddrAccepted', 'subflows']), 'limits')
  if (limits === undefined || (l.addAddrAccepted === undefined && l.subflows === undefined))
    throw new TypeError('limits must give addAddrAccepted or subflows')
  if (l.addAddrAccepted !== undefined) checkInt(l.addAddrAccepted, 'limits.addAddrAccepted', 0, 0xffffffff)
  if (l.subflows !== undefined) checkInt(l.subflows, 'limits.subflows', 0, 0xffffffff)
  await familyCall(g, 'mptcp', 'setLimits', 'mptcpLimitsSet', 'mptcp_pm', { ...l }, o)
}
