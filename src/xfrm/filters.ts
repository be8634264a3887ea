/**
 * The filters of {@link xfrmStateList} and {@link xfrmPolicyList}: what the kernel filters and
 * what is matched on each listed object.
 *
 * @module
 */

import type { XfrmMode, XfrmProto, XfrmSelector } from './types.js'

/**
 * Which states {@link xfrmStateList} lists. `src`, `dst` (prefixes: a state's address within
 * it; a bare address is a host prefix), `family` and `proto` filter in the kernel
 * (XFRMA_ADDRESS_FILTER and XFRMA_PROTO, as `ip xfrm state list` sends them); the kernel does not
 * filter by `spi`, `mode` or `reqid`: those are matched on each state it lists (as `ip` does).
 * @category IPsec
 */
export interface XfrmStateFilter {
  /** Source prefix (`'10.0.0.0/8'`, or an address). */
  src?: string
  /** Destination prefix. */
  dst?: string
  /** Address family (default: the prefixes'). */
  family?: 'inet' | 'inet6'
  /** Protocol (`'any'`: ESP, AH and IPComp). */
  proto?: XfrmProto
  /** SPI (matched on each listed state). */
  spi?: number
  /** Mode (matched on each listed state). */
  mode?: XfrmMode
  /** Request id (matched on each listed state). */
  reqid?: number
}

/**
 * Which policies {@link xfrmPolicyList} lists. The kernel's policy dump takes no filter at all
 * (it lists every policy of every type), so each key is matched on each policy it lists, as
 * `ip xfrm policy list ...` does: the selector's addresses lie within `selector.src` /
 * `selector.dst` (prefixes), the other keys are equal.
 * @category IPsec
 */
export interface XfrmPolicyFilter {
  /** The selector's family, addresses (prefixes they lie in), protocol and ports. */
  selector?: Pick<XfrmSelector, 'family' | 'src' | 'dst' | 'proto' | 'sport' | 'dport'>
  /** Direction. */
  dir?: 'in' | 'out' | 'fwd'
  /** Policy type. */
  type?: 'main' | 'sub'
  /** Index. */
  index?: number
  /** Priority. */
  priority?: number
  /** Action. */
  action?: 'allow' | 'block'
}
