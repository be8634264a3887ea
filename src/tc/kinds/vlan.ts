/**
 * vlan: pops, pushes or modifies a VLAN tag or an Ethernet header (`tc ... action vlan push id 10`).
 *
 * @module
 */

import type { ControlAction } from './gact.js'

/**
 * vlan's options.
 *
 * @category Traffic control
 */
export interface VlanOptions {
  /** What to do (tc's first word; `tc -j`: `vlan_action`). */
  vlanAction: 'pop' | 'push' | 'modify' | 'pop_eth' | 'push_eth'
  /** The VLAN id, 0 to 4095 (push and modify). */
  id?: number
  /** The tag's protocol: `'802.1q'` (default) or `'802.1ad'`, or a number. */
  protocol?: '802.1q' | '802.1Q' | '802.1ad' | number
  /** The tag's priority, 0 to 7. */
  priority?: number
  /** push_eth: the destination MAC (`dst_mac`). */
  dstMac?: string
  /** push_eth: the source MAC (`src_mac`). */
  srcMac?: string
  /** The verdict (default `'pipe'`). */
  controlAction?: ControlAction
  /** The action's index (standalone actions; default: the kernel picks one). */
  index?: number
}
