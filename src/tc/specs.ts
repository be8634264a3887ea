/**
 * What `qdiscAdd`, `classAdd`, `filterAdd`, `chainAdd` and their deletes take: where the object
 * goes, its kind, and the kind's options (a discriminated union on `kind`).
 *
 * @module
 */

import type { EthProtocol } from '../names.js'
import type { LinkRef } from '../types.js'
import type { Action } from './action-kinds.js'
import type { ClassKindOptions } from './class-kinds.js'
import type { FilterKindOptions } from './filter-kinds.js'
import type { QdiscKindOptions } from './qdisc-kinds.js'

/**
 * Where a qdisc or class goes.
 *
 * @category Traffic control
 */
export interface TcPlace {
  /** The link. */
  dev: LinkRef
  /** `'root'`, `'ingress'`, `'clsact'` or a class (`'1:10'`). */
  parent: string
  /** The qdisc's handle (`'1:'`) or the class id (`'1:10'`); the kernel picks one when left out. */
  handle?: string
}

/**
 * A qdisc to add, replace or change (`tc qdisc add dev eth0 root handle 1: htb default 10`).
 *
 * @category Traffic control
 */
export type QdiscSpec = {
  [K in keyof QdiscKindOptions]: TcPlace & {
    /** The qdisc's kind. */
    kind: K
  } & QdiscKindOptions[K]
}[keyof QdiscKindOptions]

/**
 * A class to add, replace or change (`tc class add dev eth0 parent 1: classid 1:10 htb rate
 * 8mbit`): `kind` is the kind of its qdisc, `handle` the class id.
 *
 * @category Traffic control
 */
export type ClassSpec = {
  [K in keyof ClassKindOptions]: {
    /** The link. */
    dev: LinkRef
    /** The qdisc (`'1:'`) or the parent class (`'1:1'`). */
    parent: string
    /** The class id (`'1:10'`). */
    handle: string
    /** The class's kind: its qdisc's. */
    kind: K
  } & ClassKindOptions[K]
}[keyof ClassKindOptions]

/**
 * A qdisc to delete: its place, and optionally its kind (the kernel checks it matches).
 *
 * @category Traffic control
 */
export interface QdiscDelSpec extends TcPlace {
  /** The qdisc's kind (checked by the kernel). */
  kind?: keyof QdiscKindOptions
}

/**
 * A class to delete.
 *
 * @category Traffic control
 */
export interface ClassDelSpec {
  /** The link. */
  dev: LinkRef
  /** The class id (`'1:10'`). */
  handle: string
  /** Its parent. */
  parent?: string
  /** Its qdisc's kind (checked by the kernel). */
  kind?: string
}

/**
 * Where a filter goes and what identifies it.
 *
 * @category Traffic control
 */
export interface FilterPlace {
  /** The link. */
  dev: LinkRef
  /** The qdisc or class (`'1:'`), or on clsact/ingress `'ingress'`/`'egress'`. */
  parent: string
  /** Preference: lower runs first; the kernel picks one when left out. `prio` is tc's other name. */
  pref?: number
  /** tc's other name for `pref`. */
  prio?: number
  /** Ethernet protocol (default `'all'`). */
  protocol?: EthProtocol | '802.1q' | number
  /** The rule's handle in the kind's notation (u32 `'800::800'`, others a number). */
  handle?: string | number
  /** The chain (default 0). */
  chain?: number
}

/**
 * A filter to add, replace or change (`tc filter add dev eth0 parent 1: protocol ip pref 1 u32
 * match ip dport 80 0xffff classid 1:10`): its place, its kind and the kind's options, and the
 * actions matching packets run.
 *
 * @category Traffic control
 */
export type FilterSpec = {
  [K in keyof FilterKindOptions]: FilterPlace & {
    /** The classifier's kind. */
    kind: K
    /** Actions run on matching packets, in order (tc's `action ...`). */
    actions?: Action[]
  } & FilterKindOptions[K]
}[keyof FilterKindOptions]

/**
 * Filters to delete: every filter of the parent (and chain) without `pref`; one classifier
 * instance with `pref` and `protocol`; one rule with `handle` and `kind` too.
 *
 * @category Traffic control
 */
export interface FilterDelSpec extends FilterPlace {
  /** The classifier's kind (needed with `handle`). */
  kind?: string
}

/**
 * A chain to add or delete (`tc chain add dev eth0 parent 1: chain 5`).
 *
 * @category Traffic control
 */
export interface ChainSpec {
  /** The link. */
  dev: LinkRef
  /** The qdisc (`'1:'`, `'ingress'`). */
  parent: string
  /** The chain's number. */
  chain: number
}
