/**
 * The options of each qdisc and class kind nlkit encodes, by kind: what `qdiscAdd` and
 * `classAdd` take next to `dev`, `parent`, `handle` and `kind`, and what `qdiscList` returns
 * in `options`. The core's kind modules (crates/nlkit/src/rtnl/tc/kinds/) check every value.
 *
 * @module
 */

import type { CakeOptions } from './kinds/cake.js'
import type { FqOptions } from './kinds/fq.js'
import type { FqCodelOptions } from './kinds/fq_codel.js'
import type { HfscOptions } from './kinds/hfsc.js'
import type { HtbOptions } from './kinds/htb.js'
import type { NetemOptions } from './kinds/netem.js'
import type { PfifoFastOptions, PrioOptions } from './kinds/prio.js'
import type { SfqOptions } from './kinds/sfq.js'
import type { TbfOptions } from './kinds/tbf.js'
import type { Size } from './types.js'

/**
 * pfifo: a FIFO of at most `limit` packets (default: the device's txqueuelen).
 *
 * @category Traffic control
 */
export interface PfifoOptions {
  /** Packets. */
  limit?: number
}

/**
 * bfifo: a FIFO of at most `limit` bytes.
 *
 * @category Traffic control
 */
export interface BfifoOptions {
  /** Bytes (`'64kb'`). */
  limit?: Size
}

/**
 * Options of a kind that takes none.
 *
 * @category Traffic control
 */
export type NoOptions = Record<never, never>

/**
 * Each qdisc kind's options, by kind.
 *
 * @category Traffic control
 */
export interface QdiscKindOptions {
  /** `pfifo`'s options. */
  pfifo: PfifoOptions
  /** `bfifo`'s options. */
  bfifo: BfifoOptions
  /** `ingress` takes none. */
  ingress: NoOptions
  /** `clsact` takes none. */
  clsact: NoOptions
  /** `htb`'s options. */
  htb: HtbOptions
  /** `tbf`'s options. */
  tbf: TbfOptions
  /** `netem`'s options. */
  netem: NetemOptions
  /** `pfifo_fast`'s (fixed) options. */
  pfifo_fast: PfifoFastOptions
  /** `prio`'s options. */
  prio: PrioOptions
  /** `sfq`'s options. */
  sfq: SfqOptions
  /** `fq_codel`'s options. */
  fq_codel: FqCodelOptions
  /** `fq`'s options. */
  fq: FqOptions
  /** `cake`'s options. */
  cake: CakeOptions
  /** `hfsc`'s options. */
  hfsc: HfscOptions
}
