/**
 * The module-level functions for alternative names, link statistics and FDB appends: each is the
 * {@link Netlink} method of the same name, on the default connection.
 *
 * @module
 */

import { conn } from './default.js'
import type { LinkStatsEntry, LinkStatsOptions } from './link-extras.js'
import type { NeighSpec } from './neighbours.js'
import type { CallOptions, LinkRef } from './types.js'

/**
 * Adds one more FDB entry for the same MAC (`bridge fdb append`): a VXLAN device's flood list of remotes.
 *
 * @example
 * ```ts
 * for (const dst of ['10.0.0.2', '10.0.0.3'])
 *   await neighAppend({ dev: 'vxlan0', family: 'bridge', lladdr: '00:00:00:00:00:00', dst, flags: 'self' })
 * ```
 *
 * @category Neighbours
 */
export function neighAppend(spec: NeighSpec, o?: CallOptions): Promise<void> {
  return conn().neighAppend(spec, o)
}

/**
 * Adds alternative names to a link (`ip link property add dev X altname NAME...`); a link can
 * then be named by any of them. `EEXIST` if a name is taken.
 *
 * @category Links
 */
export function linkAltnameAdd(ref: LinkRef, names: string | string[], o?: CallOptions): Promise<void> {
  return conn().linkAltnameAdd(ref, names, o)
}

/**
 * Removes alternative names (`ip link property del dev X altname NAME...`).
 *
 * @category Links
 */
export function linkAltnameDel(ref: LinkRef, names: string | string[], o?: CallOptions): Promise<void> {
  return conn().linkAltnameDel(ref, names, o)
}

/**
 * Link statistics through RTM_GETSTATS (`ip -j stats show [dev X] group link|offload`): only
 * the groups asked for travel: a link's counters without the rest of its attributes.
 *
 * @example
 * ```ts
 * const [s] = await linkStats({ dev: 'eth0' })
 * console.log(s.link?.rxBytes, s.link?.rxMissedErrors)
 * ```
 *
 * @category Links
 */
export function linkStats(o?: LinkStatsOptions): Promise<LinkStatsEntry[]> {
  return conn().linkStats(o)
}
