/**
 * The module-level nexthop-object functions: each is the {@link Netlink} method of the same
 * name, on the default connection.
 *
 * @module
 */

import { conn } from './default.js'
import type { NexthopBucket, NexthopFilter, NexthopObject, NexthopObjectSpec } from './nexthops.js'
import type { CallOptions } from './types.js'

/**
 * Nexthop objects (`ip -j nexthop show [dev X] [groups] [fdb] [id N]`).
 *
 * @category Nexthops
 */
export function nexthopList(filter?: NexthopFilter, o?: CallOptions): Promise<NexthopObject[]> {
  return conn().nexthopList(filter, o)
}

/**
 * One nexthop object by id; rejects with `ENOENT` if there is none.
 *
 * @category Nexthops
 */
export function nexthopGet(id: number, o?: CallOptions): Promise<NexthopObject> {
  return conn().nexthopGet(id, o)
}

/**
 * Adds a nexthop object (`ip nexthop add`); `EEXIST` if its id is taken.
 *
 * @example
 * ```ts
 * await nexthopAdd({ id: 1, gateway: '10.0.0.1', dev: 'eth0' })
 * await nexthopAdd({ id: 2, gateway: '10.0.1.1', dev: 'eth1' })
 * await nexthopAdd({ id: 10, group: [1, { id: 2, weight: 3 }] })
 * await routeAdd({ dst: '192.0.2.0/24', nhid: 10 })
 * ```
 *
 * @category Nexthops
 */
export function nexthopAdd(spec: NexthopObjectSpec, o?: CallOptions): Promise<void> {
  return conn().nexthopAdd(spec, o)
}

/**
 * Adds a nexthop object or replaces the one with its id (`ip nexthop replace`).
 *
 * @category Nexthops
 */
export function nexthopReplace(spec: NexthopObjectSpec, o?: CallOptions): Promise<void> {
  return conn().nexthopReplace(spec, o)
}

/**
 * Deletes a nexthop object (`ip nexthop del id N`); routes using it go with it.
 *
 * @category Nexthops
 */
export function nexthopDel(id: number, o?: CallOptions): Promise<void> {
  return conn().nexthopDel(id, o)
}

/**
 * Deletes every nexthop object the filter lists (`ip nexthop flush`); resolves to how many.
 *
 * @category Nexthops
 */
export function nexthopFlush(filter?: NexthopFilter, o?: CallOptions): Promise<number> {
  return conn().nexthopFlush(filter, o)
}

/**
 * The buckets of resilient groups (`ip -j nexthop bucket show [id N] [nhid M]`).
 *
 * @category Nexthops
 */
export function nexthopBucketList(filter?: { id?: number; nhid?: number }, o?: CallOptions): Promise<NexthopBucket[]> {
  return conn().nexthopBucketList(filter, o)
}
