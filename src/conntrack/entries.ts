/**
 * The conntrack table: list, get, create, update, delete, flush, count and per-CPU statistics,
 * each on a {@link ConntrackConn}.
 *
 * @module
 */

import { NetlinkError } from '../errors.js'
import type { CallOptions } from '../types.js'
import { describe } from '../validate.js'
import { filterCall, key, specCall, updateCall } from './args.js'
import type { ConntrackConn } from './conn.js'
import { entryFromWire, type WireEntry } from './decode.js'
import { sameNat } from './nat.js'
import type { ConntrackCpuStats, ConntrackEntry, ConntrackFilter, ConntrackKey, ConntrackSpec, ConntrackUpdate } from './types.js'

/** Turns a check's throw into a rejection (the functions return promises). */
function checked<T>(f: () => T): Promise<T> {
  try {
    return Promise.resolve(f())
  } catch (e) {
    return Promise.reject(e)
  }
}

function subject(c: { orig?: { src?: string; dst?: string } }): string {
  return c.orig?.src ? `${c.orig.src} -> ${c.orig.dst}` : ''
}

export async function conntrackList(c: ConntrackConn, filter?: ConntrackFilter, o?: CallOptions): Promise<ConntrackEntry[]> {
  const call = await checked(() => filterCall(filter))
  return (await c.call<WireEntry>('conntrackList', '', call, o)).map(entryFromWire)
}

export async function conntrackGet(c: ConntrackConn, k: ConntrackKey, o?: CallOptions): Promise<ConntrackEntry> {
  const call = await checked(() => key(k, 'get'))
  // The kernel answers one entry or ENOENT.
  const [w] = await c.call<WireEntry>('conntrackGet', subject(call), call, o)
  return entryFromWire(w as WireEntry)
}

export async function conntrackCreate(c: ConntrackConn, spec: ConntrackSpec, o?: CallOptions): Promise<void> {
  const call = await checked(() => specCall(spec))
  await c.call('conntrackCreate', subject(call), call, o)
}

export async function conntrackUpdate(c: ConntrackConn, u: ConntrackUpdate, o?: CallOptions): Promise<void> {
  const { nat, ...call } = await checked(() => updateCall(u))
  if (call.status !== undefined || nat !== undefined) {
    const [w] = await c.call<WireEntry>('conntrackUpdate', subject(call), { ...call, op: 'get' }, o)
    // The kernel refuses a status that clears bits it keeps (CONFIRMED, SEEN_REPLY, ...): the
    // bits given are added to the entry's.
    if (call.status !== undefined) call.status = (call.status | (w?.status ?? 0)) >>> 0
    // NAT is the kernel's to set when it makes an entry only (EOPNOTSUPP after): a listed
    // entry's is not sent, another one is refused.
    if (nat !== undefined && !sameNat(nat, w && entryFromWire(w).nat))
      throw new RangeError(`update.nat ${describe(u.nat)} is not the entry's NAT, and the kernel cannot change it`)
  }
  await c.call('conntrackUpdate', subject(call), call, o)
}

/**
 * One entry by key, or (`{ filter }`) every entry a filter selects: listed, then deleted one by
 * one by tuple and id (an entry gone meanwhile is not an error). Resolves how many went.
 */
export async function conntrackDelete(
  c: ConntrackConn,
  target: ConntrackKey | { filter: ConntrackFilter },
  o?: CallOptions,
): Promise<number> {
  if (typeof target === 'object' && target !== null && 'filter' in target) {
    const keys = Object.keys(target)
    if (keys.length !== 1) throw new RangeError(`conntrackDelete: give a key or { filter }, not both (got ${keys.join(', ')})`)
    const call = await checked(() => filterCall(target.filter, 'filter'))
    return deleteListed(c, await c.call<WireEntry>('conntrackDelete', '', call, o), o)
  }
  const call = await checked(() => key(target, 'delete'))
  await c.call('conntrackDelete', subject(call), call, o)
  return 1
}

async function deleteListed(c: ConntrackConn, list: WireEntry[], o?: CallOptions): Promise<number> {
  const gone = await Promise.all(
    list.map(async (w) => {
      const call = { op: 'delete', family: w.family, protocol: w.protonum ?? 0, orig: tupleOp(w.orig), zone: w.zone, id: w.id }
      try {
        await c.call('conntrackDelete', subject(w), call, o)
        return 1
      } catch (e) {
        if (e instanceof NetlinkError && e.code === 'ENOENT') return 0
        throw e
      }
    }),
  )
  return gone.reduce<number>((a, b) => a + b, 0)
}

function tupleOp(t: WireEntry['orig']) {
  return { src: t.src, dst: t.dst, sport: t.sport, dport: t.dport, icmpType: t.type, icmpCode: t.code, icmpId: t.id }
}

/**
 * Deletes every entry (`conntrack -F`), or those a filter selects: the kernel flushes by family,
 * mark, zone and status itself; a filter with protocol or tuple fields lists and deletes.
 */
export async function conntrackFlush(c: ConntrackConn, filter?: ConntrackFilter, o?: CallOptions): Promise<void> {
  const call = await checked(() => filterCall(filter))
  if (call.protocol !== undefined || call.orig !== undefined || call.reply !== undefined) {
    await deleteListed(c, await c.call<WireEntry>('conntrackFlush', '', call, o), o)
    return
  }
  await c.call('conntrackFlush', '', { ...call, op: 'flush' }, o)
}

/** The number of entries (`conntrack -C`). */
export async function conntrackCount(c: ConntrackConn, o?: CallOptions): Promise<number> {
  const [s] = await c.call<{ entries?: number }>('conntrackCount', '', { op: 'count' }, o)
  return s?.entries ?? 0
}

export function conntrackStats(c: ConntrackConn, o?: CallOptions): Promise<ConntrackCpuStats[]> {
  return c.call<ConntrackCpuStats>('conntrackStats', '', { op: 'stats' }, o)
}
