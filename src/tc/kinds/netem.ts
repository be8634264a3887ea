/**
 * netem, the network emulator (`tc qdisc add ... netem`).
 *
 * @module
 */

import type { Percent, Rate, Size, Time } from '../types.js'

/**
 * A delay table: `'uniform'` (the kernel's default: no table), one of the tables tc reads from
 * /usr/lib/tc (`'normal'`, `'pareto'`, `'paretonormal'`: nlkit computes them as iproute2's
 * generators do, no file needed), or the values of a custom table (-32768 to 32767, at most
 * 16384 of them; 8192 is one jitter). The kernel does not report it back: lists leave it out.
 *
 * @category Traffic control
 */
export type NetemDistribution = 'uniform' | 'normal' | 'pareto' | 'paretonormal' | readonly number[]

/**
 * The 4-state Markov loss model (`loss state P13 [P31 [P32 [P23 [P14]]]]`); tc's defaults: p31
 * 100 - p13, p32 0, p23 100, p14 0.
 *
 * @category Traffic control
 */
export interface NetemLossState {
  /** Good → burst-loss state. */
  p13: Percent
  /** Burst-loss → good. */
  p31?: Percent
  /** Burst-loss → good-within-burst. */
  p32?: Percent
  /** Good-within-burst → burst-loss. */
  p23?: Percent
  /** Good → isolated loss. */
  p14?: Percent
}

/**
 * The Gilbert-Elliot loss model (`loss gemodel P [R [1-H [1-K]]]`, tc -j's `p`, `r`, `1-h`,
 * `1-k`); tc's defaults: r 100 - p, 1-h 100, 1-k 0.
 *
 * @category Traffic control
 */
export interface NetemLossGemodel {
  /** Good → bad. */
  p: Percent
  /** Bad → good. */
  r?: Percent
  /** Loss probability in the bad state (tc's `1-h`). */
  oneMinusH?: Percent
  /** Loss probability in the good state (tc's `1-k`). */
  oneMinusK?: Percent
}

/**
 * Slotting (`slot MIN [MAX] [packets N] [bytes N]` or `slot distribution NAME DELAY JITTER
 * ...`): packets leave in bursts, one slot at a time.
 *
 * @category Traffic control
 */
export interface NetemSlot {
  /** The shortest slot (µs or `'1ms'`); with `maxDelay`, slots are uniform between them. */
  minDelay?: Time
  /** The longest slot (default `minDelay`). */
  maxDelay?: Time
  /** Slots drawn from a table (with `delay` and `jitter`, instead of min/max). */
  distribution?: NetemDistribution
  /** The mean slot, with `distribution`. */
  delay?: Time
  /** The slot's jitter, with `distribution` (not 0). */
  jitter?: Time
  /** At most this many packets per slot (default: no limit). */
  packets?: number
  /** At most this many bytes per slot (default: no limit). */
  bytes?: Size
}

/**
 * The netem qdisc (`tc qdisc add dev eth0 root netem delay 100ms 10ms 25% loss 1%`). Every
 * option is optional; percentages are 0 to 100 (`1` or `'1%'`), times µs or tc strings
 * (`'100ms'`). Lists return what is set (limit always; delays in µs, with fractions when the
 * kernel's nanoseconds are not whole µs) and, on kernels from 6.6, the `seed` the kernel drew.
 *
 * @category Traffic control
 */
export interface NetemOptions {
  /** Packets the queue holds (default 1000). */
  limit?: number
  /** The added delay. */
  delay?: Time
  /** Random variation of the delay (needs `delay`). */
  jitter?: Time
  /** How much each delay depends on the previous one. */
  delayCorrelation?: Percent
  /** How the jitter is distributed (needs `delay` and `jitter`). */
  distribution?: NetemDistribution
  /** Random loss (tc's `loss random`). */
  loss?: Percent
  /** Correlation of successive losses. */
  lossCorrelation?: Percent
  /** The 4-state loss model (instead of `loss`). */
  lossState?: NetemLossState
  /** The Gilbert-Elliot loss model (instead of `loss`). */
  lossGemodel?: NetemLossGemodel
  /** Mark ECN-capable packets instead of dropping them (needs a loss model). */
  ecn?: boolean
  /** Packets duplicated. */
  duplicate?: Percent
  /** Correlation of successive duplications. */
  duplicateCorrelation?: Percent
  /** Packets sent at once, ahead of the delayed ones (needs `delay`). */
  reorder?: Percent
  /** Correlation of successive reorderings. */
  reorderCorrelation?: Percent
  /** Reorder only every `gap`-th packet (default 1 with `reorder`). */
  gap?: number
  /** Packets with one bit flipped. */
  corrupt?: Percent
  /** Correlation of successive corruptions. */
  corruptCorrelation?: Percent
  /** The link's rate: bits per second or `'10mbit'`. */
  rate?: Rate
  /** Bytes added to (or, negative, taken from) each packet for the rate. */
  packetOverhead?: number
  /** The link-layer cell size packets are rounded up to, bytes. */
  cellSize?: number
  /** Bytes added to each cell. */
  cellOverhead?: number
  /** Slotting. */
  slot?: NetemSlot
  /**
   * The seed of netem's random numbers (kernels from 6.6; lists return the kernel's as its
   * decimal digits).
   */
  seed?: number | bigint | string
}
