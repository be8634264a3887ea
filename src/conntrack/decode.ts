/**
 * Entries as the core decodes them (the kernel's numbers) to {@link ConntrackEntry} (names).
 *
 * @module
 */

import { FAMILY_NAMES, PROTOCOL_NAMES, STATES, statusNames } from './names.js'
import type { ConntrackCounters, ConntrackEntry, ConntrackFamily, ConntrackProtocol, ConntrackStatus, ConntrackTuple } from './types.js'

/** The tree entry.rs `to_settings` builds. */
export interface WireEntry {
  family: number
  protonum?: number
  orig: ConntrackTuple
  reply: ConntrackTuple
  master?: ConntrackTuple
  status?: number
  timeout?: number
  mark?: number
  zone?: number
  use?: number
  id?: number
  state?: number
  countersOrig?: ConntrackCounters
  countersReply?: ConntrackCounters
  start?: string
  stop?: string
  labels?: number[]
  helper?: string
  secctx?: string
}

const IPS_SRC_NAT = 1 << 4
const IPS_DST_NAT = 1 << 5

export function entryFromWire(w: WireEntry): ConntrackEntry {
  const protonum = w.protonum ?? 0
  const status = w.status ?? 0
  const e: ConntrackEntry = {
    family: (FAMILY_NAMES.get(w.family) ?? w.family) as ConntrackFamily,
    protocol: (PROTOCOL_NAMES.get(protonum) ?? protonum) as ConntrackProtocol,
    protonum,
    orig: w.orig,
    reply: w.reply,
    status: statusNames(status) as ConntrackStatus[],
  }
  if (w.timeout !== undefined) e.timeout = w.timeout
  if (w.state !== undefined) e.state = STATES[protonum]?.[w.state] ?? String(w.state)
  if (w.mark !== undefined) e.mark = w.mark
  if (w.zone !== undefined) e.zone = w.zone
  if (w.use !== undefined) e.use = w.use
  if (w.id !== undefined) e.id = w.id
  if (w.countersOrig || w.countersReply) {
    e.counters = {}
    if (w.countersOrig) e.counters.orig = w.countersOrig
    if (w.countersReply) e.counters.reply = w.countersReply
  }
  if (w.start !== undefined) e.timestamp = { start: BigInt(w.start), ...(w.stop === undefined ? {} : { stop: BigInt(w.stop) }) }
  if (w.labels && w.labels.length > 0) e.labels = w.labels
  if (w.helper !== undefined) e.helper = w.helper
  if (w.secctx !== undefined) e.secctx = w.secctx
  if (w.master) e.master = w.master
  const nat: NonNullable<ConntrackEntry['nat']> = {}
  // After source NAT the peer answers the translated source; after destination NAT the
  // answer comes from the translated destination.
  if (status & IPS_SRC_NAT) nat.src = target(w.reply.dst, w.reply.dport)
  if (status & IPS_DST_NAT) nat.dst = target(w.reply.src, w.reply.sport)
  if (nat.src || nat.dst) e.nat = nat
  return e
}

function target(address: string, port: number | undefined) {
  return port === undefined ? { address } : { address, port }
}
