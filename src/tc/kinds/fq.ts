/**
 * fq, the fair queue packet scheduler with per-flow pacing (`tc qdisc add ... fq`).
 *
 * @module
 */

import type { Rate, Size, Time } from '../types.js'

/**
 * The fq qdisc (`tc qdisc add dev eth0 root fq maxrate 100mbit flow_limit 50`). Only the options
 * given are sent; without any the kernel's defaults apply. Lists return what the kernel reports
 * (rates in bits per second, times in µs; no `maxrate` when unlimited, no `ceThreshold` when
 * off). A qdisc's `xstats` are {@link FqXstats}.
 *
 * @category Traffic control
 */
export interface FqOptions {
  /** Packets the qdisc holds (default 10000). */
  limit?: number
  /** Packets one flow may queue (default 100). */
  flowLimit?: number
  /** Bytes a flow may dequeue per round (default 2 MTUs). */
  quantum?: Size
  /** Bytes a new flow may dequeue in its first round (default 10 MTUs). */
  initialQuantum?: Size
  /** The most a flow is paced at (at most 2^32 - 1 bytes per second, as tc sends it). */
  maxrate?: Rate
  /** Hash buckets: rounded up to a power of two, as tc does (default 1024). */
  buckets?: number
  /** The mask applied to the hash of packets without a socket (default 1023). */
  orphanMask?: number
  /** Pace flows at their socket's rate (tc's `pacing`/`nopacing`; default true). */
  pacing?: boolean
  /** The delay before a throttled flow's credit is refilled, µs or `'40ms'`. */
  refillDelay?: Time
  /** Below this rate a flow is paced per packet (default 550kbit). */
  lowRateThreshold?: Rate
  /** Mark packets queued longer than this CE, µs or `'1ms'`. */
  ceThreshold?: Time
  /** The timer slack, µs (fractions allowed) or `'10us'`; tc -j prints it in ns. */
  timerSlack?: Time
  /** Packets timestamped further in the future are dropped or capped, µs or `'10s'`. */
  horizon?: Time
  /** Beyond the horizon: drop (true, tc's `horizon_drop`) or cap the time (false, `horizon_cap`). */
  horizonDrop?: boolean
}

/**
 * An fq qdisc's extended statistics (`tc -s`'s names in camelCase; tc -j names both the
 * throttled flows and the throttle events `throttled`).
 *
 * @category Traffic control
 */
export interface FqXstats {
  /** Flows. */
  flows: number
  /** Inactive flows. */
  inactive: number
  /** Flows currently throttled. */
  throttledFlows: number
  /** ns until the next throttled flow may send (0: none). */
  nextPacketDelay: number
  /** Flows garbage-collected. */
  gc: number
  /** Packets sent in the high-priority band. */
  highprio: number
  /** TCP retransmissions seen. */
  retrans: number
  /** Times a flow was throttled. */
  throttled: number
  /** The unthrottle latency, ns. */
  latency: number
  /** Packets CE-marked above `ceThreshold`. */
  ceMark: number
  /** Drops at a flow's limit. */
  flowsPlimit: number
  /** Packets too long for the quantum. */
  pktsTooLong: number
  /** Flow allocation failures. */
  allocErrors: number
  /** Packets dropped beyond the horizon. */
  horizonDrops: number
  /** Packets whose time was capped at the horizon. */
  horizonCaps: number
}
