/**
 * Traffic control's shared shapes: the objects `qdiscList`, `classList`, `filterList` and
 * `chainList` return (with `tc -j`'s names), and the units options take.
 *
 * @module
 */

/**
 * A rate: a number of bits per second (a bigint above 2^53), or a string with `tc`'s units
 * (`'10mbit'`, `'1.5gbit'`, `'100kbps'`: `bps` is bytes per second, as in tc). Returned rates
 * are numbers of bits per second (`tc -j` prints bytes per second).
 *
 * @category Traffic control
 */
export type Rate = number | bigint | string

/**
 * A size: a number of bytes, or a string with `tc`'s units (`'64kb'`, `'1mb'`, `'1500'`).
 *
 * @category Traffic control
 */
export type Size = number | string

/**
 * A time: a number of microseconds, or a string with `tc`'s units (`'100ms'`, `'1s'`, `'250us'`).
 *
 * @category Traffic control
 */
export type Time = number | string

/**
 * A percentage from 0 to 100: a number (fractions allowed) or a string (`'0.5%'`).
 *
 * @category Traffic control
 */
export type Percent = number | string

/**
 * `tc -s`'s statistics: 64-bit byte and packet counters, queue counters, and the rate
 * estimator's rate (bits per second) and packets per second.
 *
 * @category Traffic control
 */
export interface TcStats {
  /** Bytes sent (or matched, for filters and actions). */
  bytes: number
  /** Packets sent (or matched). */
  packets: number
  /** Packets dropped. */
  drops: number
  /** Times the rate limit held packets back. */
  overlimits: number
  /** Packets handed back to the queue. */
  requeues: number
  /** Bytes queued now. */
  backlog: number
  /** Packets queued now. */
  qlen: number
  /** Bits per second (0 without an estimator). */
  rate: number
  /** Packets per second (0 without an estimator). */
  pps: number
}

/**
 * What qdiscs, classes and filters have in common.
 *
 * @category Traffic control
 */
export interface TcObjectBase {
  /** The link's index. */
  ifindex: number
  /** The link's name. */
  dev?: string
  /** The kind (`htb`, `u32`, ...). */
  kind: string
  /** Where it is attached: `root`, `ingress`, or a handle (`1:`, `1:10`); a filter on clsact: `ingress`/`egress`. */
  parent: string
  /** The kind's options, in the keys its spec takes (a listed object can be given back to add or change). */
  options: Record<string, unknown>
  /** With statistics (always sent by the kernel). */
  stats?: TcStats
  /** The kind's extended statistics, where `tc -s` shows them. */
  xstats?: Record<string, unknown>
  /** Offloaded to hardware. */
  inHw?: boolean
  /** The shared filter block of the ingress side. */
  ingressBlock?: number
  /** The shared filter block of the egress side. */
  egressBlock?: number
}

/**
 * A queueing discipline (`tc -j qdisc show`).
 *
 * @category Traffic control
 */
export interface Qdisc extends TcObjectBase {
  /** What it is. */
  type: 'qdisc'
  /** `1:`; `ingress` for ingress/clsact. */
  handle: string
  /** Attached at the root. */
  root?: true
}

/**
 * A class of a classful qdisc (`tc -j class show`).
 *
 * @category Traffic control
 */
export interface TcClass extends TcObjectBase {
  /** What it is. */
  type: 'class'
  /** The class id, `1:10`. */
  handle: string
}

/**
 * A filter (`tc -j filter show`). One classifier instance shows once without a handle (its
 * `pref`/`protocol` head) and once per rule with the rule's handle.
 *
 * @category Traffic control
 */
export interface Filter extends TcObjectBase {
  /** What it is. */
  type: 'filter'
  /** Preference (priority): lower runs first. */
  pref: number
  /** Ethernet protocol by tc's name (`ip`, `all`, ...) or its number. */
  protocol: string
  /** The rule's handle in the kind's notation (u32: `800::800`, others `0x1`). */
  handle?: string
  /** The chain it is in. */
  chain: number
}

/**
 * A filter chain (`tc -j chain show`), with its template when one was given.
 *
 * @category Traffic control
 */
export interface Chain {
  /** What it is. */
  type: 'chain'
  /** The link's index. */
  ifindex: number
  /** The link's name. */
  dev?: string
  /** The qdisc whose chain it is. */
  parent: string
  /** The chain's number. */
  chain: number
  /** The template's classifier kind. */
  kind?: string
  /** The template's options. */
  options: Record<string, unknown>
}
