/**
 * prio and pfifo_fast: priority bands chosen by the packet's priority (`tc qdisc add ... prio`).
 *
 * @module
 */

/**
 * The prio qdisc (`tc qdisc add dev eth0 root handle 1: prio bands 5 priomap 4 3 2 1 0`): a
 * class per band (`1:1` ... `1:N`), band 0 served first. Lists return all three keys.
 *
 * @category Traffic control
 */
export interface PrioOptions {
  /** Bands, 2 to 16 (default 3). */
  bands?: number
  /**
   * The band of each of the 16 priorities (TC_PRIO_*), each below `bands`; positions not given
   * keep the default `[1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1]`, as in tc.
   */
  priomap?: readonly number[]
  /** tc's `multiqueue` (sent as tc sends it; current kernels ignore it and list false). */
  multiqueue?: boolean
}

/**
 * pfifo_fast, the kernel's classic default: three bands and a priomap that cannot be changed.
 * It takes no options; lists return `bands`, `priomap` and `multiqueue` as `tc -j` does, and
 * those fixed values are accepted back (anything else is refused: use prio).
 *
 * @category Traffic control
 */
export type PfifoFastOptions = PrioOptions
