/**
 * htb, the hierarchical token bucket: the qdisc's options and its classes' (`tc qdisc add ...
 * htb`, `tc class add ... htb`).
 *
 * @module
 */

import type { Rate, Size } from '../types.js'

/**
 * The htb qdisc (`tc qdisc add dev eth0 root handle 1: htb default 10`). `tc -j` also prints
 * `direct_packets_stat` (a counter, not an option: not listed here).
 *
 * @category Traffic control
 */
export interface HtbOptions {
  /**
   * The class minor unclassified packets go to: a string read as hex like tc (`'10'` and
   * `'0x10'` are class `1:10`) or a number (its value, `0x10`). Lists return tc's `'0x10'`.
   * Default 0: unclassified packets go straight out (the direct queue).
   */
  default?: string | number
  /** The divisor of a class's rate in bytes/s that gives its quantum when none is set (default 10). */
  r2q?: number
  /** The direct queue's limit in packets (tc's `direct_qlen`; default the device's txqueuelen). */
  directQlen?: number
  /** Offload to hardware (refused by devices that cannot: veth). */
  offload?: boolean
}

/**
 * An htb class (`tc class add dev eth0 parent 1: classid 1:10 htb rate 8mbit ceil 10mbit`).
 * Lists return rate, ceil, burst, cburst, prio and quantum (and mpu, overhead, linklayer when
 * set); a class's `xstats` are tc -s's `lended`, `borrowed`, `giants`, `tokens` and `ctokens`.
 *
 * @category Traffic control
 */
export interface HtbClassOptions {
  /** The guaranteed rate (required): bits per second, or a string with tc's units (`'8mbit'`). */
  rate: Rate
  /** The most it may borrow up to (default: `rate`). */
  ceil?: Rate
  /**
   * Bytes that may be sent at full speed at once (default: `rate` / HZ + `mtu`, as tc computes
   * it); tc's `burst/cell` form (`'2k/8'`) sets the rate table's cell size. Lists return bytes,
   * recomputed from the kernel's ticks as tc prints them.
   */
  burst?: Size
  /** `burst` for `ceil`. */
  cburst?: Size
  /** Priority: lower is served first (0 to 7; the kernel caps larger values at 7). */
  prio?: number
  /** Bytes served per round (default: rate in bytes/s / `r2q`). */
  quantum?: number
  /** The largest packet the rate tables cover, bytes (default 1600; not listed back). */
  mtu?: Size
  /** The smallest size a packet is counted as, bytes. */
  mpu?: Size
  /** Bytes added to each packet's size. */
  overhead?: Size
  /** `'ethernet'` (default), or `'atm'`/`'adsl'` (sizes rounded up to 53-byte cells). */
  linklayer?: 'ethernet' | 'atm' | 'adsl'
}
