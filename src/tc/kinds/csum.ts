/**
 * csum: recomputes checksums (`tc ... action csum ip4h tcp udp`).
 *
 * @module
 */

import type { ControlAction } from './gact.js'

/**
 * A header whose checksum csum recomputes (tc's `iph` is `ip4h`).
 *
 * @category Traffic control
 */
export type CsumTarget = 'ip4h' | 'iph' | 'icmp' | 'igmp' | 'tcp' | 'udp' | 'udplite' | 'sctp'

/**
 * csum's options.
 *
 * @category Traffic control
 */
export interface CsumOptions {
  /** The headers to update (tc's words after `csum`); listed in tc's order, `iph` as `ip4h`. */
  update: CsumTarget[]
  /** The verdict (default `'pass'`). */
  controlAction?: ControlAction
  /** The action's index (standalone actions; default: the kernel picks one). */
  index?: number
}
