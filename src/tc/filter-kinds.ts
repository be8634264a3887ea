/**
 * The options of each classifier kind nlkit encodes, by kind: what `filterAdd` takes next to the
 * filter's place, and what `filterList` returns in `options`. The core's classifier modules
 * (crates/nlkit/src/rtnl/tc/filters/) check every value.
 *
 * @module
 */

import type { BasicOptions } from './kinds/basic.js'
import type { BpfOptions } from './kinds/bpf.js'
import type { FlowerOptions } from './kinds/flower.js'
import type { FwOptions } from './kinds/fw.js'
import type { MatchallOptions } from './kinds/matchall.js'
import type { U32Options } from './kinds/u32.js'

export type { BasicOptions, Ematch, EmatchLayer } from './kinds/basic.js'
export type { BpfInsn, BpfOptions } from './kinds/bpf.js'
export type { FlowerIpFlags, FlowerMasked, FlowerOptions, FlowerPortRange } from './kinds/flower.js'
export type { FwOptions } from './kinds/fw.js'
export type { MatchallOptions, MatchallStats } from './kinds/matchall.js'

export type {
  U32EtherMatch,
  U32HashKey,
  U32IcmpMatch,
  U32Ip6Match,
  U32IpMatch,
  U32Masked,
  U32Match,
  U32Offset,
  U32Options,
  U32PortMatch,
  U32RawMatch,
  U32Sample,
  U32Stats,
  U32Value,
} from './kinds/u32.js'

/**
 * Each classifier kind's options, by kind.
 *
 * @category Traffic control
 */
export interface FilterKindOptions {
  /** `u32`'s options. */
  u32: U32Options
  /** `bpf`'s options. */
  bpf: BpfOptions
  /** `matchall`'s options. */
  matchall: MatchallOptions
  /** `flower`'s options. */
  flower: FlowerOptions
  /** `fw`'s options. */
  fw: FwOptions
  /** `basic`'s options. */
  basic: BasicOptions
}
