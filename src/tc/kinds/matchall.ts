/**
 * matchall, the classifier matching every packet (`tc filter ... matchall action ...`).
 *
 * @module
 */

/**
 * matchall's options: where every packet goes and what runs on it (no options: a match of
 * everything that does nothing).
 *
 * @category Traffic control
 */
export interface MatchallOptions {
  /** The class every packet goes to (`'1:10'`). */
  classid?: string
  /** tc's other name for `classid` (and how filters are listed). */
  flowid?: string
  /** Not offloaded to hardware. */
  skipHw?: boolean
  /** Only in hardware. */
  skipSw?: boolean
  /** Listed: offloaded to hardware (ignored when given back). */
  inHw?: boolean
  /** Listed: not offloaded (ignored when given back). */
  notInHw?: boolean
}

/**
 * matchall's counter (listed in `xstats`), as `tc -s` prints it: `(rule hit N)`.
 *
 * @category Traffic control
 */
export interface MatchallStats {
  /** Packets the filter matched. */
  ruleHit: number
}
