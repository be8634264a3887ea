/**
 * The module-level TCP metrics, MPTCP, netdev, taskstats and WireGuard functions: each is the
 * {@link Netlink} method of the same name, on the default connection (its generic socket
 * opened on the first call).
 *
 * @module
 */

import { conn } from './default.js'
import type { MptcpEndpoint, MptcpEndpointFlag, MptcpEndpointSpec, MptcpLimits } from './genl/mptcp.js'
import type { NetdevDevice, NetdevListOptions, NetdevNapi, NetdevQueue } from './genl/netdev.js'
import type { TaskRef, Taskstats } from './genl/taskstats.js'
import type { TcpMetricsEntry, TcpMetricsKeyOptions } from './genl/tcp-metrics.js'
import type { WgDevice, WgDeviceSpec } from './genl/wireguard.js'
import type { CallOptions, LinkRef } from './types.js'

/**
 * Every entry of the TCP metrics cache (`ip tcp_metrics show`).
 *
 * @category TCP metrics
 */
export function tcpMetricsList(o?: CallOptions): Promise<TcpMetricsEntry[]> {
  return conn().tcpMetricsList(o)
}

/**
 * The TCP metrics of one destination (`ip tcp_metrics show ADDRESS`); `ENOENT` if none.
 *
 * @category TCP metrics
 */
export function tcpMetricsGet(dst: string, o?: TcpMetricsKeyOptions): Promise<TcpMetricsEntry> {
  return conn().tcpMetricsGet(dst, o)
}

/**
 * Deletes the TCP metrics of one destination (`ip tcp_metrics delete ADDRESS`).
 *
 * @category TCP metrics
 */
export function tcpMetricsDel(dst: string, o?: TcpMetricsKeyOptions): Promise<void> {
  return conn().tcpMetricsDel(dst, o)
}

/**
 * Deletes every TCP metrics entry, or those of `family` (`ip [-4|-6] tcp_metrics flush`).
 *
 * @category TCP metrics
 */
export function tcpMetricsFlush(o?: CallOptions & { family?: 4 | 6 }): Promise<void> {
  return conn().tcpMetricsFlush(o)
}

/**
 * The MPTCP path manager's endpoints (`ip mptcp endpoint show`).
 *
 * @category MPTCP
 */
export function mptcpEndpointList(o?: CallOptions): Promise<MptcpEndpoint[]> {
  return conn().mptcpEndpointList(o)
}

/**
 * One MPTCP endpoint by id (`ip mptcp endpoint show id N`).
 *
 * @category MPTCP
 */
export function mptcpEndpointGet(id: number, o?: CallOptions): Promise<MptcpEndpoint> {
  return conn().mptcpEndpointGet(id, o)
}

/**
 * Adds an MPTCP endpoint (`ip mptcp endpoint add ADDRESS [port P] [id N] FLAGS [dev D]`).
 *
 * @category MPTCP
 */
export function mptcpEndpointAdd(spec: MptcpEndpointSpec, o?: CallOptions): Promise<void> {
  return conn().mptcpEndpointAdd(spec, o)
}

/**
 * Deletes an MPTCP endpoint (`ip mptcp endpoint del id N [ADDRESS]`).
 *
 * @category MPTCP
 */
export function mptcpEndpointDel(id: number, o?: CallOptions & { address?: string }): Promise<void> {
  return conn().mptcpEndpointDel(id, o)
}

/**
 * Sets an MPTCP endpoint's `backup` / `fullmesh` flags (`ip mptcp endpoint change id N ...`).
 *
 * @category MPTCP
 */
export function mptcpEndpointChange(id: number, flags: MptcpEndpointFlag[], o?: CallOptions): Promise<void> {
  return conn().mptcpEndpointChange(id, flags, o)
}

/**
 * Deletes every MPTCP endpoint (`ip mptcp endpoint flush`).
 *
 * @category MPTCP
 */
export function mptcpEndpointFlush(o?: CallOptions): Promise<void> {
  return conn().mptcpEndpointFlush(o)
}

/**
 * The MPTCP path manager's limits (`ip mptcp limits show`).
 *
 * @category MPTCP
 */
export function mptcpLimitsGet(o?: CallOptions): Promise<MptcpLimits> {
  return conn().mptcpLimitsGet(o)
}

/**
 * Sets the MPTCP path manager's limits (`ip mptcp limits set ...`).
 *
 * @category MPTCP
 */
export function mptcpLimitsSet(limits: Partial<MptcpLimits>, o?: CallOptions): Promise<void> {
  return conn().mptcpLimitsSet(limits, o)
}

/**
 * A device's XDP and AF_XDP capabilities (netdev `dev-get`).
 *
 * @category netdev
 */
export function netdevDevGet(dev: LinkRef, o?: CallOptions): Promise<NetdevDevice> {
  return conn().netdevDevGet(dev, o)
}

/**
 * Every device's XDP and AF_XDP capabilities (netdev `dev-get` dump).
 *
 * @category netdev
 */
export function netdevDevList(o?: CallOptions): Promise<NetdevDevice[]> {
  return conn().netdevDevList(o)
}

/**
 * The queues of every device, or of `dev` (netdev `queue-get`).
 *
 * @category netdev
 */
export function netdevQueueList(o?: NetdevListOptions): Promise<NetdevQueue[]> {
  return conn().netdevQueueList(o)
}

/**
 * The NAPI instances of every device, or of `dev` (netdev `napi-get`).
 *
 * @category netdev
 */
export function netdevNapiList(o?: NetdevListOptions): Promise<NetdevNapi[]> {
  return conn().netdevNapiList(o)
}

/**
 * A thread's (`{ pid }`) or a process's (`{ tgid }`) accounting: delays, CPU times, I/O (`TASKSTATS`).
 *
 * @example
 * ```ts
 * const me = await taskstatsGet({ tgid: process.pid })
 * console.log(me.cpuDelayTotal, me.blkioDelayTotal) // ns spent waiting for a CPU / for block I/O
 * ```
 *
 * @category Taskstats
 */
export function taskstatsGet(task: TaskRef, o?: CallOptions): Promise<Taskstats> {
  return conn().taskstatsGet(task, o)
}

/**
 * A WireGuard device: keys, port, mark and every peer with its allowed IPs (`wg show DEV`).
 *
 * @category WireGuard
 */
export function wgDeviceGet(dev: LinkRef, o?: CallOptions): Promise<WgDevice> {
  return conn().wgDeviceGet(dev, o)
}

/**
 * Changes a WireGuard device and its peers (`wg set` / `wg setconf`), in as many messages as it takes.
 *
 * @example
 * ```ts
 * const privateKey = wgGenerateKey()
 * await wgDeviceSet('wg0', {
 *   privateKey,
 *   listenPort: 51820,
 *   peers: [{ publicKey: peerKey, endpoint: '192.0.2.1:51820', allowedIps: ['10.8.0.2/32'] }],
 * })
 * ```
 *
 * @category WireGuard
 */
export function wgDeviceSet(dev: LinkRef, spec: WgDeviceSpec, o?: CallOptions): Promise<void> {
  return conn().wgDeviceSet(dev, spec, o)
}
