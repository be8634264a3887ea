/**
 * The kernel's TCP metrics cache (`tcp_metrics`; `ip tcp_metrics`): what TCP remembers per
 * destination (RTT, cwnd, ssthresh, Fast Open data) between connections.
 *
 * @module
 */

import type { CallOptions } from '../types.js'
import { checkIp } from '../validate.js'
import { checkObject, familyCall, one } from './args.js'
import type { GenlConn } from './conn.js'

/**
 * One entry of the TCP metrics cache, with `ip -j tcp_metrics`'s names. Values the kernel has
 * not learnt for the destination are left out.
 * @category TCP metrics
 */
export interface TcpMetricsEntry {
  /** The destination address. */
  dst: string
  /** The source address, when the cache keys by it. */
  source?: string
  /** Since the entry was updated, ms (`ip` shows seconds). */
  age?: number
  /** Smoothed RTT, µs. */
  rtt?: number
  /** RTT variance, µs. */
  rttvar?: number
  /** Slow-start threshold, segments. */
  ssthresh?: number
  /** Congestion window, segments. */
  cwnd?: number
  /** Reordering metric. */
  reordering?: number
  /** Last TIME-WAIT timestamp value seen (TCP_METRICS_ATTR_TW_TSVAL). */
  twTsval?: number
  /** Age of that timestamp, s. */
  twTsStamp?: number
  /** TCP Fast Open: the MSS. */
  foMss?: number
  /** TCP Fast Open: SYNs dropped. */
  foSynDrops?: number
  /** TCP Fast Open: since the last dropped SYN, ms. */
  foSynDropTs?: number
  /** TCP Fast Open: the cookie, hex. */
  foCookie?: string
}

/**
 * Options naming an entry by its source too.
 * @category TCP metrics
 */
export interface TcpMetricsKeyOptions extends CallOptions {
  /** The source address (an entry of a cache that keys by source). */
  source?: string
}

const KEY_OPTIONS: ReadonlySet<string> = new Set(['source', 'timeout', 'signal'])

function key(dst: unknown, o: TcpMetricsKeyOptions | undefined) {
  const d = checkIp(dst, 'dst')
  const { source } = checkObject(o, KEY_OPTIONS, 'options')
  if (source !== undefined) checkIp(source, 'source', d.family)
  return { dst: d.address, source }
}

export const tcpMetricsList = (g: GenlConn, o?: CallOptions) =>
  familyCall<TcpMetricsEntry>(g, 'tcpMetrics', 'list', 'tcpMetricsList', 'tcp_metrics', {}, o)

export function tcpMetricsGet(g: GenlConn, dst: string, o?: TcpMetricsKeyOptions): Promise<TcpMetricsEntry> {
  try {
    const args = key(dst, o)
    return one(familyCall<TcpMetricsEntry>(g, 'tcpMetrics', 'get', 'tcpMetricsGet', dst, args, o), 'tcpMetricsGet', dst)
  } catch (e) {
    return Promise.reject(e)
  }
}

export async function tcpMetricsDel(g: GenlConn, dst: string, o?: TcpMetricsKeyOptions): Promise<void> {
  const args = key(dst, o)
  await familyCall(g, 'tcpMetrics', 'del', 'tcpMetricsDel', dst, args, o)
}

/**
 * Deletes every entry (`ip tcp_metrics flush`), or those of one address family: the kernel
 * flushes all at once, so for one family the entries are listed and deleted one by one, as
 * `ip -4 tcp_metrics flush` does.
 */
export async function tcpMetricsFlush(g: GenlConn, o?: CallOptions & { family?: 4 | 6 }): Promise<void> {
  const { family } = checkObject(o, new Set(['family', 'timeout', 'signal']), 'options')
  if (family !== undefined && family !== 4 && family !== 6) throw new RangeError(`options.family must be 4 or 6, got ${family}`)
  if (family === undefined) {
    await familyCall(g, 'tcpMetrics', 'del', 'tcpMetricsFlush', 'tcp_metrics', {}, o)
    return
  }
  const all = await familyCall<TcpMetricsEntry>(g, 'tcpMetrics', 'list', 'tcpMetricsFlush', 'tcp_metrics', {}, o)
  const mine = all.filter((e) => (e.dst.includes(':') ? 6 : 4) === family)
  await Promise.all(mine.map((e) => familyCall(g, 'tcpMetrics', 'del', 'tcpMetricsFlush', e.dst, { dst: e.dst, source: e.source }, o)))
}
