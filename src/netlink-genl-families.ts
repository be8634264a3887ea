/**
 * {@link Netlink}'s methods for the typed generic families beside ethtool: TCP metrics, the
 * MPTCP path manager, netdev, taskstats and WireGuard. Declared by declaration merging, installed on the
 * prototype; they run on the connection's generic socket, and device names resolve on its
 * rtnetlink socket (both in the connection's namespace).
 *
 * @module
 */

import type { GenlConn } from './genl/conn.js'
import * as mptcp from './genl/mptcp.js'
import type { MptcpEndpoint, MptcpEndpointFlag, MptcpEndpointSpec, MptcpLimits } from './genl/mptcp.js'
import * as netdev from './genl/netdev.js'
import type { NetdevDevice, NetdevListOptions, NetdevNapi, NetdevQueue } from './genl/netdev.js'
import * as taskstats from './genl/taskstats.js'
import type { TaskRef, Taskstats } from './genl/taskstats.js'
import * as tcpMetrics from './genl/tcp-metrics.js'
import type { TcpMetricsEntry, TcpMetricsKeyOptions } from './genl/tcp-metrics.js'
import * as wireguard from './genl/wireguard.js'
import type { WgDevice, WgDeviceSpec } from './genl/wireguard.js'
import type { Netlink } from './netlink.js'
import type { CallOptions, LinkRef } from './types.js'

declare module './netlink.js' {
  interface Netlink {
    /** Every entry of the TCP metrics cache (`ip tcp_metrics show`). */
    tcpMetricsList(o?: CallOptions): Promise<TcpMetricsEntry[]>

    /** The TCP metrics of one destination (`ip tcp_metrics show ADDRESS`); `ENOENT` if none. */
    tcpMetricsGet(dst: string, o?: TcpMetricsKeyOptions): Promise<TcpMetricsEntry>

    /** Deletes the TCP metrics of one destination (`ip tcp_metrics delete ADDRESS`). */
    tcpMetricsDel(dst: string, o?: TcpMetricsKeyOptions): Promise<void>

    /** Deletes every TCP metrics entry, or those of `family` (`ip [-4|-6] tcp_metrics flush`). */
    tcpMetricsFlush(o?: CallOptions & { family?: 4 | 6 }): Promise<void>

    /** The MPTCP path manager's endpoints (`ip mptcp endpoint show`). */
    mptcpEndpointList(o?: CallOptions): Promise<MptcpEndpoint[]>

    /** One MPTCP endpoint by id (`ip mptcp endpoint show id N`). */
    mptcpEndpointGet(id: number, o?: CallOptions): Promise<MptcpEndpoint>

    /** Adds an MPTCP endpoint (`ip mptcp endpoint add ADDRESS [port P] [id N] FLAGS [dev D]`). */
    mptcpEndpointAdd(spec: MptcpEndpointSpec, o?: CallOptions): Promise<void>

    /** Deletes an MPTCP endpoint (`ip mptcp endpoint del id N [ADDRESS]`). */
    mptcpEndpointDel(id: number, o?: CallOptions & { address?: string }): Promise<void>

    /** Sets an MPTCP endpoint's `backup` / `fullmesh` flags (`ip mptcp endpoint change id N ...`). */
    mptcpEndpointChange(id: number, flags: MptcpEndpointFlag[], o?: CallOptions): Promise<void>

    /** Deletes every MPTCP endpoint (`ip mptcp endpoint flush`). */
    mptcpEndpointFlush(o?: CallOptions): Promise<void>

    /** The MPTCP path manager's limits (`ip mptcp limits show`). */
    mptcpLimitsGet(o?: CallOptions): Promise<MptcpLimits>

    /** Sets the MPTCP path manager's limits (`ip mptcp limits set ...`). */
    mptcpLimitsSet(limits: Partial<MptcpLimits>, o?: CallOptions): Promise<void>

    /** A device's XDP and AF_XDP capabilities (netdev `dev-get`). */
    netdevDevGet(dev: LinkRef, o?: CallOptions): Promise<NetdevDevice>

    /** Every device's XDP and AF_XDP capabilities (netdev `dev-get` dump). */
    netdevDevList(o?: CallOptions): Promise<NetdevDevice[]>

    /** The queues of every device, or of `dev` (netdev `queue-get`). */
    netdevQueueList(o?: NetdevListOptions): Promise<NetdevQueue[]>

    /** The NAPI instances of every device, or of `dev` (netdev `napi-get`). */
    netdevNapiList(o?: NetdevListOptions): Promise<NetdevNapi[]>

    /** A thread's (`{ pid }`) or a process's (`{ tgid }`) accounting: delays, CPU times, I/O (`TASKSTATS`). */
    taskstatsGet(task: TaskRef, o?: CallOptions): Promise<Taskstats>

    /** A WireGuard device: keys, port, mark and every peer with its allowed IPs (`wg show DEV`). */
    wgDeviceGet(dev: LinkRef, o?: CallOptions): Promise<WgDevice>

    /** Changes a WireGuard device and its peers (`wg set` / `wg setconf`), in as many messages as it takes. */
    wgDeviceSet(dev: LinkRef, spec: WgDeviceSpec, o?: CallOptions): Promise<void>
  }
}

/** Installs the methods above on Netlink's prototype; `genlOf` opens (once) a connection's generic socket. */
export function installGenlFamilies(proto: Netlink, genlOf: (n: Netlink) => GenlConn): void {
  const linkIndexOf = (n: Netlink) => async (ref: LinkRef) => (typeof ref === 'number' ? ref : (await n.linkGet(ref)).index)
  Object.assign(proto, {
    tcpMetricsList(this: Netlink, o?: CallOptions) {
      return tcpMetrics.tcpMetricsList(genlOf(this), o)
    },
    tcpMetricsGet(this: Netlink, dst: string, o?: TcpMetricsKeyOptions) {
      return tcpMetrics.tcpMetricsGet(genlOf(this), dst, o)
    },
    tcpMetricsDel(this: Netlink, dst: string, o?: TcpMetricsKeyOptions) {
      return tcpMetrics.tcpMetricsDel(genlOf(this), dst, o)
    },
    tcpMetricsFlush(this: Netlink, o?: CallOptions & { family?: 4 | 6 }) {
      return tcpMetrics.tcpMetricsFlush(genlOf(this), o)
    },
    mptcpEndpointList(this: Netlink, o?: CallOptions) {
      return mptcp.mptcpEndpointList(genlOf(this), o)
    },
    mptcpEndpointGet(this: Netlink, id: number, o?: CallOptions) {
      return mptcp.mptcpEndpointGet(genlOf(this), id, o)
    },
    mptcpEndpointAdd(this: Netlink, spec: MptcpEndpointSpec, o?: CallOptions) {
      return mptcp.mptcpEndpointAdd(genlOf(this), linkIndexOf(this), spec, o)
    },
    mptcpEndpointDel(this: Netlink, id: number, o?: CallOptions & { address?: string }) {
      return mptcp.mptcpEndpointDel(genlOf(this), id, o)
    },
    mptcpEndpointChange(this: Netlink, id: number, flags: MptcpEndpointFlag[], o?: CallOptions) {
      return mptcp.mptcpEndpointChange(genlOf(this), id, flags, o)
    },
    mptcpEndpointFlush(this: Netlink, o?: CallOptions) {
      return mptcp.mptcpEndpointFlush(genlOf(this), o)
    },
    mptcpLimitsGet(this: Netlink, o?: CallOptions) {
      return mptcp.mptcpLimitsGet(genlOf(this), o)
    },
    mptcpLimitsSet(this: Netlink, limits: Partial<MptcpLimits>, o?: CallOptions) {
      return mptcp.mptcpLimitsSet(genlOf(this), limits, o)
    },
    netdevDevGet(this: Netlink, dev: LinkRef, o?: CallOptions) {
      return netdev.netdevDevGet(genlOf(this), linkIndexOf(this), dev, o)
    },
    netdevDevList(this: Netlink, o?: CallOptions) {
      return netdev.netdevDevList(genlOf(this), o)
    },
    netdevQueueList(this: Netlink, o?: NetdevListOptions) {
      return netdev.netdevQueueList(genlOf(this), linkIndexOf(this), o)
    },
    netdevNapiList(this: Netlink, o?: NetdevListOptions) {
      return netdev.netdevNapiList(genlOf(this), linkIndexOf(this), o)
    },
    taskstatsGet(this: Netlink, task: TaskRef, o?: CallOptions) {
      return taskstats.taskstatsGet(genlOf(this), task, o)
    },
    wgDeviceGet(this: Netlink, dev: LinkRef, o?: CallOptions) {
      return wireguard.wgDeviceGet(genlOf(this), dev, o)
    },
    wgDeviceSet(this: Netlink, dev: LinkRef, spec: WgDeviceSpec, o?: CallOptions) {
      return wireguard.wgDeviceSet(genlOf(this), dev, spec, o)
    },
  })
}
