/**
 * skbedit: edits a packet's metadata (`tc ... action skbedit priority 1:10 mark 5`).
 *
 * @module
 */

import type { ControlAction } from './gact.js'

/**
 * skbedit's options.
 *
 * @category Traffic control
 */
export interface SkbeditOptions {
  /** The packet's priority, a class id (`'1:10'`; a bare string is hex like tc's: `'10'` is 0x10) or a number; listed as `'1:10'`. */
  priority?: string | number
  /** The transmit queue (`queue_mapping`). */
  queueMapping?: number
  /** The firewall mark to set (`mark M/MASK` in tc). */
  mark?: number
  /** Only these bits of the mark (needs `mark`). */
  mask?: number
  /** The packet type: `'host'`, `'otherhost'`, `'broadcast'` or `'multicast'`. */
  ptype?: 'host' | 'otherhost' | 'broadcast' | 'multicast'
  /** Take the priority from the DS field. */
  inheritdsfield?: boolean
  /** The verdict (default `'pipe'`). */
  controlAction?: ControlAction
  /** The action's index (standalone actions; default: the kernel picks one). */
  index?: number
}
