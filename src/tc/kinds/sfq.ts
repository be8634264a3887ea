/**
 * sfq, stochastic fairness queueing (`tc qdisc add ... sfq`).
 *
 * @module
 */

import type { Size } from '../types.js'

/**
 * The sfq qdisc (`tc qdisc add dev eth0 root sfq perturb 10 headdrop`), optionally with RED on
 * each flow (`redflowlimit`, `min`, `max`, ...). Without options the kernel's defaults apply.
 * Lists return limit, quantum, flows, divisor (and depth, headdrop, perturb when set; with RED:
 * `ewma`, min, max, probability, ecn, harddrop; the kernel does not keep `redflowlimit`). A
 * qdisc's `xstats` are tc -s's `allot`.
 *
 * @category Traffic control
 */
export interface SfqOptions {
  /** Packets the qdisc holds (at least 2). */
  limit?: number
  /** Bytes a flow may send per round (default: the device's MTU + 14). */
  quantum?: Size
  /** Seconds between hash perturbations (default 0: never). */
  perturb?: number
  /** Hash buckets (default 1024). */
  divisor?: number
  /** Flows (default 128). */
  flows?: number
  /** Packets per flow (default 127). */
  depth?: number
  /** Drop from the head of a full flow, not its tail. */
  headdrop?: boolean
  /** RED: the hard limit of a flow's queue, bytes (required for RED unless min and max are given). */
  redflowlimit?: Size
  /** RED: the average queue, bytes, where marking starts (default max / 3). */
  min?: number
  /** RED: where the probability reaches `probability` (default redflowlimit / 4). */
  max?: number
  /** RED: the average packet size, bytes (default 1000). */
  avpkt?: Size
  /** RED: packets a burst may be (default from min, max and avpkt, as tc computes it). */
  burst?: number
  /** RED: the EWMA's weight as log2 (what lists return; instead of `burst`). */
  ewma?: number
  /** RED: the marking probability at max, a fraction 0 to 1 (default 0.02). */
  probability?: number
  /** RED: mark ECN-capable packets instead of dropping them. */
  ecn?: boolean
  /** RED: drop above max even ECN-capable packets. */
  harddrop?: boolean
}
