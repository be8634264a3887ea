/**
 * fq_codel, fair queueing with CoDel on each flow (`tc qdisc add ... fq_codel`).
 *
 * @module
 */

import type { Size, Time } from '../types.js'

/**
 * The fq_codel qdisc (`tc qdisc add dev eth0 root fq_codel limit 1000 target 3ms ecn`). Without
 * options the kernel's defaults apply; a zero count or time is not sent (as tc does). Lists
 * return every option the kernel reports (times in µs, `ecn` true or false), in the keys given.
 * A qdisc's `xstats` are {@link FqCodelXstats}; a flow listed by `classList`
 * has {@link FqCodelFlowXstats}.
 *
 * @category Traffic control
 */
export interface FqCodelOptions {
  /** Packets the qdisc holds (default 10240). */
  limit?: number
  /** Flow buckets (default 1024; set at creation only). */
  flows?: number
  /** The acceptable queueing delay, µs or `'5ms'` (default 5ms). */
  target?: Time
  /** CoDel's interval, µs or `'100ms'` (default 100ms). */
  interval?: Time
  /** Bytes a flow may dequeue per round (default the device's MTU + 14). */
  quantum?: Size
  /** Mark ECN-capable packets instead of dropping them (the kernel's default: true). */
  ecn?: boolean
  /** Mark packets queued longer than this CE, µs or `'1ms'` (DCTCP-style). */
  ceThreshold?: Time
  /** With `ceThresholdMask`: only packets whose DS field & mask equals this get the CE threshold. */
  ceThresholdSelector?: number
  /** The DS field mask of `ceThresholdSelector`. */
  ceThresholdMask?: number
  /** Bytes of memory the queued packets may use (default 32 MiB). */
  memoryLimit?: Size
  /** Packets dropped at once when the limit is hit (default 64). */
  dropBatch?: number
}

/**
 * An fq_codel qdisc's extended statistics (`tc -s`'s names in camelCase).
 *
 * @category Traffic control
 */
export interface FqCodelXstats {
  /** The largest packet seen, bytes. */
  maxpacket: number
  /** Drops at the packet limit. */
  dropOverlimit: number
  /** Packets ECN-marked instead of dropped. */
  ecnMark: number
  /** Flows that became new. */
  newFlowCount: number
  /** Flows in the new list. */
  newFlowsLen: number
  /** Flows in the old list. */
  oldFlowsLen: number
  /** Packets CE-marked above `ceThreshold`. */
  ceMark: number
  /** Bytes the queued packets use. */
  memoryUsed: number
  /** Drops at the memory limit. */
  dropOvermemory: number
}

/**
 * The extended statistics of one fq_codel flow, as `classList` returns them.
 *
 * @category Traffic control
 */
export interface FqCodelFlowXstats {
  /** The flow's deficit, bytes. */
  deficit: number
  /** The queueing delay of the last dequeued packet, µs. */
  ldelay: number
  /** CoDel's drop count. */
  count: number
  /** CoDel's previous drop count. */
  lastcount: number
  /** Whether CoDel is in its dropping state. */
  dropping: boolean
  /** When dropping: µs to the next drop (negative: overdue). */
  dropNext?: number
}
