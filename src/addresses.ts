/**
 * Interface addresses (`ip addr`).
 *
 * @module
 */

import type { Engine } from './engine.js'
import { linkNames, refFields } from './links.js'
import type { AddrFields } from './native.js'
import { IFA_F_NODAD, IFA_F_NOPREFIXROUTE, type Scope, SCOPES } from './names.js'
import type { CallOptions, LinkRef } from './types.js'
import {
  callOptions,
  checkCallOptions,
  checkIp,
  checkKeys,
  checkLabel,
  checkLinkRef,
  lifetime,
  named,
  parseCidr,
  type Prefix,
} from './validate.js'

/**
 * An interface address, with the names `ip -j addr` uses.
 *
 * @category Addresses
 */
export interface Address {
  /** Interface index. */
  index: number
  /** Interface name. */
  link?: string
  /** 4 or 6. */
  family: 4 | 6
  /** The address, without prefix length. */
  address: string
  /** Prefix length. */
  prefixLen: number
  /** `address/prefixLen` */
  cidr: string
  /** Scope as `ip` prints it (`'global'`, `'link'`, `'host'`, ...). */
  scope: string
  /** IPv4 label (`eth0:1`). */
  label?: string
  /** `'permanent'`, `'tentative'`, `'noprefixroute'`, ... */
  flags: string[]
  /** Peer address of a point-to-point link. */
  peer?: string
  /** IPv4 broadcast address. */
  broadcast?: string
  /** Seconds; 4294967295 is forever. */
  validLifetime?: number
  /** Preferred lifetime in seconds, or `'forever'`. */
  preferredLifetime?: number
}

/**
 * Options of {@link addrDel}: a point-to-point address is named with its peer.
 *
 * @category Addresses
 */
export interface AddrDelOptions extends CallOptions {
  /** Peer address the point-to-point address was added with. */
  peer?: string
}

/**
 * Options of {@link addrAdd} and {@link addrReplace}.
 *
 * @category Addresses
 */
export interface AddrOptions extends CallOptions {
  /** Address scope: a {@link Scope} name or a number (default: from the address, as `ip`). */
  scope?: Scope | number
  /** IPv4 label, e.g. `eth0:1` (at most 15 characters). */
  label?: string
  /** IPv4 broadcast address, or `'+'` to derive it from the prefix. */
  broadcast?: string
  /** Peer address of a point-to-point link. */
  peer?: string
  /** Seconds, or `'forever'`. */
  validLifetime?: number | 'forever'
  /** Seconds, or `'forever'` (default). */
  preferredLifetime?: number | 'forever'
  /** Do not create the prefix route for this address. */
  noPrefixRoute?: boolean
  /** IPv6: skip duplicate address detection. */
  nodad?: boolean
}

/**
 * Which addresses {@link addrList} returns: of one link, of one family.
 *
 * @category Addresses
 */
export interface AddrFilter {
  /** Only addresses of this link. */
  link?: LinkRef
  /** Only IPv4 (4) or IPv6 (6) addresses. */
  family?: 4 | 6
}

const ADDR_OPTIONS = callOptions('scope', 'label', 'broadcast', 'peer', 'validLifetime', 'preferredLifetime', 'noPrefixRoute', 'nodad')
const ADDR_DEL_OPTIONS = callOptions('peer')
const ADDR_FILTER: ReadonlySet<string> = new Set(['link', 'family'])

/** The IPv4 broadcast address of a prefix (`ip ... brd +`). */
function broadcastOf(p: Prefix): string {
  const n = p.address.split('.').reduce((a, x) => a * 256 + Number(x), 0)
  const host = p.prefixLen === 32 ? 0 : 2 ** (32 - p.prefixLen) - 1
  const b = n - (n % (host + 1)) + host
  return [24, 16, 8, 0].map((s) => Math.floor(b / 2 ** s) % 256).join('.')
}

/** addrAdd, addrReplace and addrDel. */
export async function addr(e: Engine, opName: AddrFields['op'], ref: LinkRef, cidr: string, o: AddrOptions = {}): Promise<void> {
  checkLinkRef(ref)
  const p = parseCidr(cidr, 'address')
  checkCallOptions(o, opName === 'addrDel' ? ADDR_DEL_OPTIONS : ADDR_OPTIONS)
  const f: AddrFields = { op: opName, address: p.address, prefixLen: p.prefixLen }
  if (o.scope !== undefined) f.scope = named(SCOPES, o.scope, 'scope', 255)
  if (o.label !== undefined) {
    if (p.family !== 4) throw new TypeError('label applies to IPv4 addresses only')
    f.label = checkLabel(o.label)
  }
  if (o.broadcast !== undefined) {
    if (p.family !== 4) throw new TypeError('broadcast applies to IPv4 addresses only')
    // Like `ip ... brd +`: /31 and /32 have no broadcast address.
    if (o.broadcast !== '+') f.broadcast = checkIp(o.broadcast, 'broadcast', 4).address
    else if (p.prefixLen <= 30) f.broadcast = broadcastOf(p)
  }
  if (o.peer !== undefined) f.peer = checkIp(o.peer, 'peer', p.family).address
  const valid = lifetime(o.validLifetime, 'validLifetime')
  const preferred = lifetime(o.preferredLifetime, 'preferredLifetime')
  if (valid !== undefined && preferred !== undefined && preferred > valid) {
    throw new RangeError('preferredLifetime must not exceed validLifetime')
  }
  f.validLft = valid
  f.preferredLft = preferred
  f.flags = (o.noPrefixRoute ? IFA_F_NOPREFIXROUTE : 0) | (o.nodad ? IFA_F_NODAD : 0)
  await e.call(opName, `${ref} ${cidr}`, { ...f, ...refFields(ref) }, o)
}

export async function addrList(e: Engine, filter: AddrFilter = {}, o?: CallOptions): Promise<Address[]> {
  if (typeof filter !== 'object' || filter === null) throw new TypeError('filter must be an object')
  checkKeys(filter, ADDR_FILTER, 'filter')
  if (filter.link !== undefined) checkLinkRef(filter.link, 'filter.link')
  if (filter.family !== undefined && filter.family !== 4 && filter.family !== 6) throw new RangeError('filter.family must be 4 or 6')
  checkCallOptions(o)
  const link = filter.link === undefined ? {} : refFields(filter.link)
  const [addrs, names] = await Promise.all([
    e.call<Address>(
      'addrList',
      filter.link === undefined ? '' : String(filter.link),
      { op: 'addrList', ...link, family: filter.family },
      o,
    ),
    linkNames(e, 'addrList', filter.link === undefined ? '' : String(filter.link), o),
  ])
  for (const a of addrs) {
    const n = names.get(a.index)
    if (n !== undefined) a.link = n
  }
  return addrs
}
