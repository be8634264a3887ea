/**
 * The netdev family (`netdev`): a device's XDP and AF_XDP capabilities, its queues and its
 * NAPI instances, by the kernel spec's names.
 *
 * @module
 */

import type { CallOptions, LinkRef } from '../types.js'
import { checkLinkRef } from '../validate.js'
import { checkObject, familyCall, type LinkIndexOf, one } from './args.js'
import type { GenlConn } from './conn.js'

/**
 * A device's XDP capabilities (netdev `dev-get`).
 * @category netdev
 */
export interface NetdevDevice {
  /** The device. */
  ifindex: number
  /** XDP features (`basic`, `redirect`, `ndo-xmit`, `xsk-zerocopy`, `hw-offload`, `rx-sg`, `ndo-xmit-sg`). */
  xdpFeatures: string[]
  /** Fragments a zero-copy AF_XDP frame may have. */
  xdpZcMaxSegs?: number
  /** XDP receive metadata the driver exposes (`timestamp`, `hash`, `vlan-tag`). */
  xdpRxMetadataFeatures?: string[]
  /** AF_XDP features (`tx-timestamp`, `tx-checksum`, `tx-launch-time-fifo`). */
  xskFeatures?: string[]
}

/**
 * One queue of a device (netdev `queue-get`).
 * @category netdev
 */
export interface NetdevQueue {
  /** The queue's index among those of its type. */
  id: number
  /** The device. */
  ifindex: number
  /** Receive or transmit. */
  type: 'rx' | 'tx'
  /** The NAPI instance serving it, when the driver links them. */
  napiId?: number
  /** A bound dma-buf's id. */
  dmabuf?: number
}

/**
 * One NAPI instance (netdev `napi-get`).
 * @category netdev
 */
export interface NetdevNapi {
  /** Its id (what SO_INCOMING_NAPI_ID reports). */
  id: number
  /** The device. */
  ifindex: number
  /** Its IRQ, when it has one. */
  irq?: number
  /** The kernel thread polling it, when threaded. */
  pid?: number
  /** `napi_defer_hard_irqs`. */
  deferHardIrqs?: number
  /** `gro_flush_timeout`, ns. */
  groFlushTimeout?: number
  /** `irq_suspend_timeout`, ns. */
  irqSuspendTimeout?: number
  /** Threaded polling mode. */
  threaded?: 'disabled' | 'enabled' | 'busy-poll'
}

/**
 * Options selecting one device's entries.
 * @category netdev
 */
export interface NetdevListOptions extends CallOptions {
  /** Only this device's (name or index). */
  dev?: LinkRef
}

const LIST_OPTIONS: ReadonlySet<string> = new Set(['dev', 'timeout', 'signal'])

async function ifindexOf(linkIndex: LinkIndexOf, o: NetdevListOptions | undefined): Promise<number | undefined> {
  const { dev } = checkObject(o, LIST_OPTIONS, 'options')
  return dev === undefined ? undefined : linkIndex(checkLinkRef(dev, 'options.dev'))
}

export async function netdevDevGet(g: GenlConn, linkIndex: LinkIndexOf, dev: LinkRef, o?: CallOptions): Promise<NetdevDevice> {
  const ifindex = await linkIndex(checkLinkRef(dev, 'dev'))
  return one(familyCall<NetdevDevice>(g, 'netdev', 'dev', 'netdevDevGet', String(dev), { ifindex }, o), 'netdevDevGet', String(dev))
}

export const netdevDevList = (g: GenlConn, o?: CallOptions) =>
  familyCall<NetdevDevice>(g, 'netdev', 'dev', 'netdevDevList', 'netdev', {}, o)

export async function netdevQueueList(g: GenlConn, linkIndex: LinkIndexOf, o?: NetdevListOptions): Promise<NetdevQueue[]> {
  const ifindex = await ifindexOf(linkIndex, o)
  return familyCall<NetdevQueue>(g, 'netdev', 'queue', 'netdevQueueList', String(o?.dev ?? 'netdev'), { ifindex }, o)
}

export async function netdevNapiList(g: GenlConn, linkIndex: LinkIndexOf, o?: NetdevListOptions): Promise<NetdevNapi[]> {
  const ifindex = await ifindexOf(linkIndex, o)
  return familyCall<NetdevNapi>(g, 'netdev', 'napi', 'netdevNapiList', String(o?.dev ?? 'netdev'), { ifindex }, o)
}
