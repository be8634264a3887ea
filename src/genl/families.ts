/**
 * Generic netlink's core: the families the kernel has (the controller, nlctrl), a raw request
 * to any family by name and command, and a family's multicast groups joined by name.
 *
 * @module
 */

import type { RawMessage } from '../raw.js'
import { RawEvents, type RawEventsOptions } from '../raw-events.js'
import type { CallOptions } from '../types.js'
import { checkInt, checkKeys, checkText, describe } from '../validate.js'
import type { GenlConn } from './conn.js'

/**
 * Bits of {@link GenlOperation.flags} (`GENL_*` in linux/genetlink.h), as `genl ctrl list`
 * prints them under "Capabilities".
 * @category Generic netlink
 */
export const GENL_OP_FLAGS = {
  /** Needs CAP_NET_ADMIN. */
  ADMIN_PERM: 0x01,
  /** Has a do handler ("can doit"). */
  CMD_CAP_DO: 0x02,
  /** Has a dump handler ("can dumpit"). */
  CMD_CAP_DUMP: 0x04,
  /** Has an attribute policy ("has policy"). */
  CMD_CAP_HASPOL: 0x08,
  /** Needs CAP_NET_ADMIN in the namespace's user namespace. */
  UNS_ADMIN_PERM: 0x10,
} as const

/**
 * One command a family supports.
 * @category Generic netlink
 */
export interface GenlOperation {
  /** The command number. */
  id: number
  /** {@link GENL_OP_FLAGS} bits. */
  flags: number
}

/**
 * One multicast group of a family.
 * @category Generic netlink
 */
export interface GenlMcastGroup {
  /** The group's name (`'monitor'`). */
  name: string
  /** Its number, to join on a NETLINK_GENERIC socket. */
  id: number
}

/**
 * A generic netlink family, as `genl ctrl list` shows it.
 * @category Generic netlink
 */
export interface GenlFamily {
  /** The family id (the nlmsg_type of its messages); dynamic except nlctrl's 0x10. */
  id: number
  /** The family's name (`'ethtool'`). */
  name: string
  /** The family's version. */
  version: number
  /** Bytes of the family's own header after genlmsghdr. */
  hdrsize: number
  /** The family's highest attribute number (0 when each command has its own policy). */
  maxattr: number
  /** The commands it supports. */
  ops: GenlOperation[]
  /** Its multicast groups. */
  mcastGroups: GenlMcastGroup[]
}

/**
 * A raw request to a generic family by name: the command, and the bytes after genlmsghdr
 * (the family's own header, if it has one, then attributes: build them with {@link AttrsBuilder}).
 * @category Generic netlink
 */
export interface GenlRequest {
  /** The family's name (resolved once per connection, kept right if it goes away and comes back). */
  family: string
  /** genlmsghdr.cmd (0..255). */
  cmd: number
  /** genlmsghdr.version (default 1). */
  version?: number
  /** nlmsg_flags besides REQUEST, ACK and DUMP (which nlkit sets). */
  flags?: number
  /** The bytes after genlmsghdr. */
  attrs?: Uint8Array
  /** A dump (NLM_F_DUMP): every message up to NLMSG_DONE. */
  dump?: boolean
}

/**
 * One message of a generic reply: the netlink header's fields, the genlmsghdr's, and the rest.
 * @category Generic netlink
 */
export interface GenlMessage {
  /** nlmsg_type: the family id. */
  type: number
  /** nlmsg_flags. */
  flags: number
  /** nlmsg_seq. */
  seq: number
  /** nlmsg_pid. */
  pid: number
  /** genlmsghdr.cmd. */
  cmd: number
  /** genlmsghdr.version. */
  version: number
  /** The bytes after genlmsghdr (read them with {@link decodeAttrs}). */
  attrs: Buffer
}

const REQUEST_KEYS: ReadonlySet<string> = new Set(['family', 'cmd', 'version', 'flags', 'attrs', 'dump'])

/** A family name as the kernel takes it (GENL_NAMSIZ 16, NUL included). */
export function checkFamilyName(v: unknown, name = 'family'): string {
  if (typeof v !== 'string') throw new TypeError(`${name} must be a string, got ${describe(v)}`)
  checkText(v, name)
  if (v.length === 0 || Buffer.byteLength(v) > 15) throw new RangeError(`${name} ${describe(v)} must be 1 to 15 bytes`)
  return v
}

export function genlFamilies(g: GenlConn, o?: CallOptions): Promise<GenlFamily[]> {
  return g.call<GenlFamily>('genlFamilies', '', { op: 'families' }, o)
}

export async function genlFamily(g: GenlConn, name: string, o?: CallOptions): Promise<GenlFamily> {
  checkFamilyName(name)
  const [f] = await g.call<GenlFamily>('genlFamily', `family ${name}`, { op: 'family', family: name }, o)
  if (!f) throw new RangeError(`genlFamily ${name}: the controller sent no family`)
  return f
}

export async function genlRequest(g: GenlConn, req: GenlRequest, o?: CallOptions): Promise<GenlMessage[]> {
  if (typeof req !== 'object' || req === null) throw new TypeError('request must be an object { family, cmd, attrs? }')
  checkKeys(req, REQUEST_KEYS, 'request')
  const family = checkFamilyName(req.family)
  const cmd = checkInt(req.cmd, 'cmd', 0, 255)
  const version = req.version === undefined ? 1 : checkInt(req.version, 'version', 0, 255)
  const flags = req.flags === undefined ? 0 : checkInt(req.flags, 'flags', 0, 0xffff)
  const attrs = req.attrs ?? Buffer.alloc(0)
  if (!(attrs instanceof Uint8Array)) throw new TypeError(`attrs must be a Buffer or Uint8Array, got ${describe(attrs)}`)
  if (req.dump !== undefined && typeof req.dump !== 'boolean') throw new TypeError('dump must be a boolean')
  const payload = Buffer.isBuffer(attrs) ? attrs : Buffer.from(attrs.buffer, attrs.byteOffset, attrs.byteLength)
  const subject = `family ${family} cmd ${cmd}`
  const msgs = await g.call<RawMessage>(
    'genlRequest',
    subject,
    { op: 'request', family, cmd, version, flags, payload, dump: req.dump === true },
    o,
  )
  return msgs.map((m) => ({
    type: m.type,
    flags: m.flags,
    seq: m.seq,
    pid: m.pid,
    cmd: m.payload[0] ?? 0,
    version: m.payload[1] ?? 0,
    attrs: m.payload.subarray(4),
  }))
}

/**
 * Joins a family's multicast groups by name (the family resolved on `g`, the subscription on a
 * socket of its own in the same namespace). An unknown group is a RangeError naming the groups
 * the family has.
 */
export async function genlSubscribe(g: GenlConn, family: string, groups: string[], o: RawEventsOptions = {}): Promise<RawEvents> {
  checkFamilyName(family)
  if (!Array.isArray(groups) || groups.length === 0) throw new TypeError('groups must be a non-empty array of group names')
  for (const [i, n] of groups.entries()) if (typeof n !== 'string') throw new TypeError(`groups[${i}] must be a string, got ${describe(n)}`)
  if (typeof o !== 'object' || o === null) throw new TypeError('options must be an object')
  const f = await genlFamily(g, family)
  const ids = groups.map((n) => {
    const m = f.mcastGroups.find((x) => x.name === n)
    if (!m) {
      const have = f.mcastGroups.map((x) => x.name).join(', ') || 'none'
      throw new RangeError(`family ${family} has no multicast group ${describe(n)} (it has: ${have})`)
    }
    return m.id
  })
  return RawEvents.subscribe(16, ids, { netns: g.netns, trace: g.trace, ...o })
}
