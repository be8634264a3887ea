/**
 * mirred: redirects or mirrors packets to a device (`tc ... action mirred egress redirect dev X`).
 *
 * @module
 */

import type { ControlAction } from './gact.js'

/**
 * mirred's options. The device is given by its name (`dev`, looked up in the connection's
 * namespace before the request is sent) or its index (`ifindex`, as actions are listed).
 *
 * @category Traffic control
 */
export interface MirredOptions {
  /** Redirect (the packet goes only there) or mirror (a copy goes there). */
  action: 'redirect' | 'mirror'
  /** Into the device's egress or its ingress (default `'egress'`). */
  direction?: 'egress' | 'ingress'
  /** The target device's name (or give `ifindex`). */
  dev?: string
  /** The target device's index (one of `dev` and `ifindex` is required unless `index` names an existing action). */
  ifindex?: number
  /** The verdict (tc's defaults: `'stolen'` for a redirect, `'pipe'` for a mirror). */
  controlAction?: ControlAction
  /** The action's index (standalone actions; default: the kernel picks one). */
  index?: number
}
