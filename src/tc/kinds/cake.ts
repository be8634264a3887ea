/**
 * cake, Common Applications Kept Enhanced (`tc qdisc add ... cake`).
 *
 * @module
 */

import type { Rate, Size, Time } from '../types.js'

/**
 * The cake qdisc (`tc qdisc add dev eth0 root cake bandwidth 100mbit diffserv4 nat`). Only the
 * options given are sent (a `bandwidth` also turns `autorate` off, as tc does); without any the
 * kernel's defaults apply. Keys and values follow tc -j's (`flowmode: 'triple-isolate'`,
 * `ackFilter: 'enabled'`); lists return the bandwidth in bits per second (or `'unlimited'`),
 * `rtt` in µs, and `mpu`/`memlimit` only when set. A qdisc's `xstats` are {@link CakeXstats};
 * a flow listed by `classList` has {@link CakeFlowXstats}.
 *
 * @category Traffic control
 */
export interface CakeOptions {
  /** The shaped rate, or `'unlimited'` (0 is unlimited too). */
  bandwidth?: Rate | 'unlimited'
  /** Estimate the bandwidth from the ingress rate (tc's `autorate-ingress`). */
  autorate?: boolean
  /** The round-trip time, µs, `'50ms'` or one of tc's presets; the target is a twentieth of it. */
  rtt?: Time | 'datacentre' | 'lan' | 'metro' | 'regional' | 'internet' | 'oceanic' | 'satellite' | 'interplanetary'
  /** The tins by DSCP (default `'diffserv3'`). */
  diffserv?: 'besteffort' | 'diffserv3' | 'diffserv4' | 'diffserv8' | 'precedence'
  /** What a flow is (default `'triple-isolate'`). */
  flowmode?: 'flowblind' | 'srchost' | 'dsthost' | 'hosts' | 'flows' | 'dual-srchost' | 'dual-dsthost' | 'triple-isolate'
  /** Look up addresses through conntrack's NAT. */
  nat?: boolean
  /** Clear the DSCP field after classifying. */
  wash?: boolean
  /** Drop redundant TCP ACKs: `'enabled'` (tc's `ack-filter`), `'aggressive'` or `'disabled'`. */
  ackFilter?: 'enabled' | 'aggressive' | 'disabled'
  /** Split GSO super-packets (default true). */
  splitGso?: boolean
  /** Link-layer cell framing: `'atm'`, `'ptm'` or `'noatm'`. */
  atm?: 'atm' | 'ptm' | 'noatm'
  /** Bytes added to each packet's size, -64 to 256. */
  overhead?: number
  /** Count no overhead (tc's `raw`: also ATM off and overhead 0 unless given). */
  raw?: boolean
  /** The smallest size a packet is counted as, 0 to 256 bytes. */
  mpu?: number
  /** Bytes of memory the queue may use (default from the bandwidth). */
  memlimit?: Size
  /** The mask of the firewall mark that selects a tin. */
  fwmark?: number
  /** Shape an ingress (ifb) device: count dropped packets as sent. */
  ingress?: boolean
}

/**
 * One tin's statistics in {@link CakeXstats} (tc -j's names in camelCase; rates in bits/s).
 *
 * @category Traffic control
 */
export interface CakeTinStats {
  /** The tin's threshold rate, bits per second. */
  thresholdRate?: number
  /** Bytes sent. */
  sentBytes?: number
  /** Bytes queued. */
  backlogBytes?: number
  /** CoDel's target, µs. */
  targetUs?: number
  /** CoDel's interval, µs. */
  intervalUs?: number
  /** The peak queueing delay, µs. */
  peakDelayUs?: number
  /** The average queueing delay, µs. */
  avgDelayUs?: number
  /** The base (sparse) delay, µs. */
  baseDelayUs?: number
  /** Packets sent. */
  sentPackets?: number
  /** Indirect hits of the set-associative hash. */
  wayIndirectHits?: number
  /** Misses of the hash. */
  wayMisses?: number
  /** Collisions of the hash. */
  wayCollisions?: number
  /** Packets dropped. */
  drops?: number
  /** Packets ECN-marked. */
  ecnMark?: number
  /** ACKs dropped by the ACK filter. */
  ackDrops?: number
  /** Sparse flows. */
  sparseFlows?: number
  /** Bulk flows. */
  bulkFlows?: number
  /** Unresponsive flows. */
  unresponsiveFlows?: number
  /** The longest packet, bytes. */
  maxPktLen?: number
  /** The flows' quantum, bytes. */
  flowQuantum?: number
}

/**
 * A cake qdisc's extended statistics (tc -j's names in camelCase; rates in bits/s).
 *
 * @category Traffic control
 */
export interface CakeXstats {
  /** The estimated capacity, bits per second. */
  capacityEstimate?: number
  /** The memory limit, bytes. */
  memoryLimit?: number
  /** Memory used, bytes. */
  memoryUsed?: number
  /** The average network header offset, bytes. */
  avgHdrOffset?: number
  /** The smallest network-layer size seen. */
  minNetworkSize?: number
  /** The largest network-layer size seen. */
  maxNetworkSize?: number
  /** The smallest overhead-adjusted size seen. */
  minAdjSize?: number
  /** The largest overhead-adjusted size seen. */
  maxAdjSize?: number
  /** Each tin's statistics, in tin order. */
  tins?: CakeTinStats[]
}

/**
 * The extended statistics of one cake flow, as `classList` returns them.
 *
 * @category Traffic control
 */
export interface CakeFlowXstats {
  /** The flow's deficit, bytes. */
  deficit?: number
  /** COBALT's drop count. */
  count?: number
  /** Whether COBALT is dropping. */
  dropping?: boolean
  /** When dropping: µs to the next drop. */
  dropNext?: number
  /** BLUE's drop probability. */
  blueProb?: number
  /** BLUE's timer, µs. */
  blueTimer?: number
}
