/**
 * police: a token-bucket rate limit on bytes or packets (`tc ... action police rate 1mbit burst 10k`).
 *
 * @module
 */

import type { Rate, Size } from '../types.js'

/**
 * police's options. Rates are bits per second (`'1mbit'`), sizes bytes (`'10k'`). Listed, the
 * burst comes back in bytes as tc computes it from the kernel's ticks, and `mtu` as the
 * kernel set it (255 cells of the rate table when none was given).
 *
 * @category Traffic control
 */
export interface PoliceOptions {
  /** The rate; needs `burst`. Not with `pktsRate`. */
  rate?: Rate
  /** The bucket's size in bytes (`burst`/`buffer`/`maxburst` in tc). */
  burst?: Size
  /** The largest packet policed at `peakrate`, bytes (`minburst` in tc). */
  mtu?: Size
  /** The smallest packet size accounted, bytes. */
  mpu?: Size
  /** A second bucket's rate (needs `rate` and `mtu`). */
  peakrate?: Rate
  /** Bytes added to each packet's size. */
  overhead?: number
  /** `'ethernet'` (default) or `'atm'` (`'adsl'`): how packet sizes are counted. */
  linklayer?: 'ethernet' | 'atm' | 'adsl'
  /** Police against the rate estimator's average instead. */
  avrate?: Rate
  /** Packets per second (`pkts_rate`); needs `pktsBurst`. */
  pktsRate?: number
  /** The packet bucket's size, packets (`pkts_burst`). */
  pktsBurst?: number
  /**
   * `conform-exceed`: the verdict when the rate is exceeded (default `'reclassify'`) and,
   * after a slash, when it conforms (default `'pass'`): `'drop/pipe'`. `tc -j` prints the
   * first as `control_action`.
   */
  conformExceed?: string
  /** The action's index (standalone actions; default: the kernel picks one). */
  index?: number
}
