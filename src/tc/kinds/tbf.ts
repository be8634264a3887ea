/**
 * tbf, the token bucket filter (`tc qdisc add ... tbf`).
 *
 * @module
 */

import type { Rate, Size, Time } from '../types.js'

/**
 * The tbf qdisc (`tc qdisc add dev eth0 root tbf rate 8mbit burst 10kb latency 50ms`): `rate`,
 * `burst` and one of `limit` or `latency` are required. Lists return `limit` (tc -j prints the
 * latency it implies as `lat`, and `limit` only with `-r`), `burst` and `mtu` in bytes.
 *
 * @category Traffic control
 */
export interface TbfOptions {
  /** The rate: bits per second, or a string with tc's units (`'8mbit'`). */
  rate: Rate
  /** The bucket in bytes (tc's `burst`, `buffer` or `maxburst`); `'10kb/8'` also sets the cell size. */
  burst: Size
  /** Bytes that may queue (one of `limit` or `latency`). */
  limit?: Size
  /** The longest a packet may wait, µs or `'50ms'` (one of `limit` or `latency`; tc derives the limit). */
  latency?: Time
  /** The peak rate (needs `mtu`). */
  peakrate?: Rate
  /** The peak bucket in bytes (tc's `mtu` or `minburst`; tc -j prints `minburst`). */
  mtu?: Size
  /** The smallest size a packet is counted as, bytes. */
  mpu?: Size
  /** Bytes added to each packet's size. */
  overhead?: Size
  /** `'ethernet'` (default), or `'atm'`/`'adsl'`. */
  linklayer?: 'ethernet' | 'atm' | 'adsl'
}
