/**
 * Multicast groups (`ip maddr`): the IP groups by RTM_GETMULTICAST, and the link-layer groups,
 * which netlink does not carry: the binding reads /proc/net/dev_mcast and joins or leaves them
 * by ioctl, in the connection's namespace, off Node's thread.
 *
 * @module
 */

import type { Engine } from './engine.js'
import { abortError, nativeValue } from './errors.js'
import { linkIndex, linkNames } from './links.js'
import { checkFamily } from './misc-tables.js'
import { linkMaddrChange, linkMaddrList } from './native.js'
import { netnsSpec } from './netns.js'
import type { CallOptions, LinkRef } from './types.js'
import { checkCallOptions, checkKeys, checkLinkRef, checkMac, describe } from './validate.js'

/**
 * A multicast group a link has joined: one line of `ip maddr show`.
 *
 * @category Addresses
 */
export interface MulticastAddress {
  /** Interface index. */
  index: number
  /** Interface name. */
  dev?: string
  /** 4 or 6 for an IP group, `'link'` for a link-layer one. */
  family: 4 | 6 | 'link'
  /** The group: an IP address, or a link-layer address (`'33:33:00:00:00:01'`). */
  address: string
  /** Link-layer groups: how many hold the group (sockets, protocols, {@link maddrAdd}). */
  users?: number
  /** Link-layer groups: joined with {@link maddrAdd} / `ip maddr add` (`ip` shows `static`). */
  static?: boolean
}

/**
 * Which groups {@link maddrList} lists.
 *
 * @category Addresses
 */
export interface MaddrFilter {
  /** One link's. */
  dev?: LinkRef
  /** One family's: 4, 6 or `'link'` (default: all three, as `ip maddr show`). */
  family?: 4 | 6 | 'link'
}

const spec = (e: Engine) => (e.netns === undefined ? undefined : netnsSpec(e.netns))

function linkGroups(e: Engine, o?: CallOptions): Promise<MulticastAddress[]> {
  if (o?.signal?.aborted) return Promise.reject(abortError(o.signal))
  return linkMaddrList(spec(e)).then((r) => nativeValue<MulticastAddress[]>('maddrList', '', r))
}

export async function maddrList(e: Engine, filter: MaddrFilter = {}, o?: CallOptions): Promise<MulticastAddress[]> {
  if (typeof filter !== 'object' || filter === null) throw new TypeError('filter must be an object')
  checkKeys(filter, new Set(['dev', 'family']), 'filter')
  const link = filter.family === 'link'
  const family = link ? 0 : checkFamily(filter.family, 'filter.family')
  if (filter.dev !== undefined) checkLinkRef(filter.dev, 'filter.dev')
  checkCallOptions(o)
  const index = filter.dev === undefined ? undefined : await linkIndex(e, filter.dev, o, 'maddrList', String(filter.dev))
  const families = link ? [] : family === 0 ? [4, 6] : [family]
  const [names, layer, ...lists] = await Promise.all([
    linkNames(e, 'maddrList', '', o),
    link || family === 0 ? linkGroups(e, o) : Promise.resolve([]),
    ...families.map((f) => e.call<MulticastAddress>('maddrList', '', { op: 'maddrList', family: f, index }, o)),
  ])
  const ip = lists.flat()
  for (const m of ip) m.dev = names.get(m.index)
  return layer.filter((m) => index === undefined || m.index === index).concat(ip)
}

/** Joins or leaves a link-layer group (`ip maddr add|del LLADDR dev DEV`). */
export async function maddrChange(e: Engine, add: boolean, dev: LinkRef, address: string, o?: CallOptions): Promise<void> {
  const op = add ? 'maddrAdd' : 'maddrDel'
  checkLinkRef(dev, 'dev')
  const mac = checkMac(address, 'address')
  const bytes = mac.split(':').map((h) => Number.parseInt(h, 16))
  // The kernel takes the device's address length of sockaddr's 14 bytes of data.
  if (bytes.length > 14) throw new RangeError(`address is longer than 14 bytes, got ${describe(address)}`)
  checkCallOptions(o)
  if (o?.signal?.aborted) throw abortError(o.signal)
  const [name, index] = typeof dev === 'string' ? [dev, 0] : [undefined, dev]
  nativeValue<string>(op, `${mac} dev ${dev}`, await linkMaddrChange(spec(e), name, index, bytes, add))
}
