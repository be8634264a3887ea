/**
 * gact, the generic action: a verdict (`tc ... action gact drop`), optionally a random one.
 *
 * @module
 */

/**
 * What an action tells the classifier next, as `tc` writes it: `'pass'` (`'ok'`), `'drop'`
 * (`'shot'`), `'reclassify'`, `'continue'`, `'pipe'`, `'stolen'`, `'trap'`, `` `jump ${n}` ``
 * (skip n actions) or `` `goto chain ${n}` ``. Returned as tc prints it (`'pass'`, `'drop'`).
 *
 * @category Traffic control
 */
export type ControlAction =
  | 'pass'
  | 'ok'
  | 'drop'
  | 'shot'
  | 'reclassify'
  | 'continue'
  | 'pipe'
  | 'stolen'
  | 'trap'
  | `jump ${number}`
  | `goto chain ${number}`

/**
 * gact's random verdict (`random netrand drop 10`): `tc -j`'s `prob`.
 *
 * @category Traffic control
 */
export interface GactRandom {
  /** `'netrand'`: each packet with probability value/10000; `'determ'`: every value-th packet. */
  type: 'netrand' | 'determ'
  /** The verdict taken when the draw hits. */
  controlAction: ControlAction
  /** 0 to 10000 (`tc -j`: `val`). */
  value: number
}

/**
 * gact's options (`tc ... action gact <verdict> [random ...] [index N]`).
 *
 * @category Traffic control
 */
export interface GactOptions {
  /** The verdict (default `'pass'`); `tc -j`: `control_action`. */
  controlAction?: ControlAction
  /** A random verdict instead, part of the time. */
  random?: GactRandom
  /** The action's index (standalone actions; default: the kernel picks one). */
  index?: number
}
