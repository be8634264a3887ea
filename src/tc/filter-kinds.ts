/**
 * The options of each classifier kind nlkit encodes, by kind (`filterAdd`'s fields next to
 * `dev`, `parent`, `pref`, `protocol`, `handle`, `chain` and `kind`), and the actions a filter
 * runs.
 *
 * @module
 */

/**
 * One action of a filter (or a standalone one): its kind and the kind's options.
 *
 * @category Traffic control
 */
export type ActionSpec = {
  [K in keyof ActionKindOptions]: {
    /** The action's kind. */
    kind: K
  } & ActionKindOptions[K]
}[keyof ActionKindOptions]

/**
 * Each action kind's options, by kind.
 *
 * @category Traffic control
 */
export type ActionKindOptions = {}

/**
 * Each classifier kind's options, by kind.
 *
 * @category Traffic control
 */
export type FilterKindOptions = {}
