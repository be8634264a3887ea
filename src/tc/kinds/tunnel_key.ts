/**
 * tunnel_key, the metadata a tunnel device (vxlan, geneve, ... in external mode) encapsulates
 * with (`tc ... action tunnel_key set src_ip A dst_ip B id N dst_port P`), or its release.
 *
 * @module
 */

import type { ControlAction } from './gact.js'

/**
 * tunnel_key's options (geneve, vxlan and erspan options are not supported).
 *
 * @category Traffic control
 */
export interface TunnelKeyOptions {
  /** `'set'` the metadata, or `'unset'` (release) it. */
  mode: 'set' | 'unset'
  /** The outer source address (required to set; IPv4 or IPv6, the family of `dstIp`). */
  srcIp?: string
  /** The outer destination address (required to set). */
  dstIp?: string
  /** The tunnel key (VNI). */
  keyId?: number
  /** The outer UDP destination port. */
  dstPort?: number
  /** The outer TOS. */
  tos?: number
  /** The outer TTL. */
  ttl?: number
  /** UDP checksum on the outer header (default `true`; tc's `csum`/`nocsum`). */
  csum?: boolean
  /** Do not fragment the outer packet (tc's `nofrag`). */
  nofrag?: boolean
  /** The verdict (default `'pipe'`). */
  controlAction?: ControlAction
  /** The action's index (standalone actions; default: the kernel picks one). */
  index?: number
}
