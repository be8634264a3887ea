/**
 * The options of each class kind nlkit encodes, by the kind of the class's qdisc: what
 * `classAdd` takes next to `dev`, `parent`, `handle` and `kind`, and what `classList` returns in
 * `options`.
 *
 * @module
 */

import type { HfscClassOptions } from './kinds/hfsc.js'
import type { HtbClassOptions } from './kinds/htb.js'

/**
 * Each class kind's options, by kind.
 *
 * @category Traffic control
 */
export interface ClassKindOptions {
  /** An htb class's options. */
  htb: HtbClassOptions
  /** An hfsc class's options. */
  hfsc: HfscClassOptions
}
