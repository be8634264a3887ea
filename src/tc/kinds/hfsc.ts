/**
 * hfsc, the hierarchical fair service curve scheduler (`tc qdisc add ... hfsc`, `tc class add
 * ... hfsc`).
 *
 * @module
 */

import type { Rate, Size, Time } from '../types.js'

/**
 * The hfsc qdisc (`tc qdisc add dev eth0 root handle 1: hfsc default 10`). Lists return
 * `default` as tc prints it (`'0x10'`) when set.
 *
 * @category Traffic control
 */
export interface HfscOptions {
  /** The class minor unclassified packets go to: hex as tc reads it (`'10'`, `'0x10'`), or a number. */
  default?: string | number
}

/**
 * A service curve as tc takes it: `{ m1, d, m2 }` (two slopes and where they meet), or
 * `{ umax, dmax, rate }` (at most `umax` bytes delayed at most `dmax`, then `rate`), which is
 * converted to the first form exactly as tc converts it. Lists return `{ m1, d, m2 }` (bits per
 * second and µs).
 *
 * @category Traffic control
 */
export type HfscCurve = HfscSlopes | HfscDelayRate

/**
 * A service curve by its two slopes (tc's `m1 ... d ... m2 ...`); what lists return.
 *
 * @category Traffic control
 */
export interface HfscSlopes {
  /** The first segment's slope (default 0). */
  m1?: Rate
  /** Where the segments meet, µs or `'10ms'` (default 0). */
  d?: Time
  /** The second segment's slope (required). */
  m2: Rate
}

/**
 * A service curve by its delay bound (tc's `umax ... dmax ... rate ...`).
 *
 * @category Traffic control
 */
export interface HfscDelayRate {
  /** The largest unit of work, bytes (needs `dmax`). */
  umax?: Size
  /** The longest `umax` may be delayed, µs or `'5ms'`. */
  dmax?: Time
  /** The long-term rate (required). */
  rate: Rate
}

/**
 * An hfsc class (`tc class add dev eth0 parent 1: classid 1:10 hfsc sc rate 10mbit ul rate
 * 20mbit`): at least one of `sc`, `rt` or `ls`; `ul` needs `ls` or `sc`. Lists return `sc` when
 * the real-time and link-share curves are the same (as tc prints them), else `rt` and `ls`.
 * A class's `xstats` are {@link HfscClassXstats}.
 *
 * @category Traffic control
 */
export interface HfscClassOptions {
  /** Both the real-time and the link-share curve (instead of `rt` and `ls`). */
  sc?: HfscCurve
  /** The real-time curve. */
  rt?: HfscCurve
  /** The link-share curve. */
  ls?: HfscCurve
  /** The upper-limit curve. */
  ul?: HfscCurve
}

/**
 * An hfsc class's extended statistics (tc -s's names).
 *
 * @category Traffic control
 */
export interface HfscClassXstats {
  /** The current period. */
  period: number
  /** Bytes of work done. */
  work: number
  /** Bytes of work done by the real-time criterion. */
  rtwork: number
  /** The class's level in the hierarchy. */
  level: number
}
