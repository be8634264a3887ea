/**
 * The module-level traffic-control functions: each is the {@link Netlink} method of the same
 * name, on the default connection.
 *
 * @module
 */

import { conn } from './default.js'
import type { ChainFilter, ClassFilter, FilterFilter, QdiscFilter } from './tc/objects.js'
import type { ChainSpec, ClassDelSpec, ClassSpec, FilterDelSpec, FilterSpec, QdiscDelSpec, QdiscSpec } from './tc/specs.js'
import type { Chain, Filter, Qdisc, TcClass } from './tc/types.js'
import type { CallOptions } from './types.js'
import type { Action } from './tc/action-kinds.js'
import type { ActionFilter, ActionRef, ListedAction } from './tc/standalone.js'

/**
 * Qdiscs with their statistics (`tc -s -j qdisc show [dev]`), of every link without `filter.dev`.
 *
 * @category Traffic control
 */
export function qdiscList(filter?: QdiscFilter, o?: CallOptions): Promise<Qdisc[]> {
  return conn().qdiscList(filter, o)
}

/**
 * Adds a qdisc (`tc qdisc add`); `EEXIST` if its place is taken.
 *
 * @category Traffic control
 */
export function qdiscAdd(spec: QdiscSpec, o?: CallOptions): Promise<void> {
  return conn().qdiscAdd(spec, o)
}

/**
 * Adds a qdisc or replaces the one in its place (`tc qdisc replace`).
 *
 * @category Traffic control
 */
export function qdiscReplace(spec: QdiscSpec, o?: CallOptions): Promise<void> {
  return conn().qdiscReplace(spec, o)
}

/**
 * Changes an existing qdisc's options (`tc qdisc change`).
 *
 * @category Traffic control
 */
export function qdiscChange(spec: QdiscSpec, o?: CallOptions): Promise<void> {
  return conn().qdiscChange(spec, o)
}

/**
 * Deletes a qdisc (`tc qdisc del`), and its classes and filters with it.
 *
 * @category Traffic control
 */
export function qdiscDel(spec: QdiscDelSpec, o?: CallOptions): Promise<void> {
  return conn().qdiscDel(spec, o)
}

/**
 * A link's classes with their statistics (`tc -s -j class show dev`), of one qdisc with `filter.parent`.
 *
 * @category Traffic control
 */
export function classList(filter: ClassFilter, o?: CallOptions): Promise<TcClass[]> {
  return conn().classList(filter, o)
}

/**
 * Adds a class (`tc class add`); `EEXIST` if the class id is taken.
 *
 * @category Traffic control
 */
export function classAdd(spec: ClassSpec, o?: CallOptions): Promise<void> {
  return conn().classAdd(spec, o)
}

/**
 * Adds a class or replaces the one with its id (`tc class replace`).
 *
 * @category Traffic control
 */
export function classReplace(spec: ClassSpec, o?: CallOptions): Promise<void> {
  return conn().classReplace(spec, o)
}

/**
 * Changes an existing class's options (`tc class change`).
 *
 * @category Traffic control
 */
export function classChange(spec: ClassSpec, o?: CallOptions): Promise<void> {
  return conn().classChange(spec, o)
}

/**
 * Deletes a class (`tc class del`).
 *
 * @category Traffic control
 */
export function classDel(spec: ClassDelSpec, o?: CallOptions): Promise<void> {
  return conn().classDel(spec, o)
}

/**
 * The filters of a qdisc or class (`tc -s -j filter show dev .. parent ..`), of one chain with `filter.chain`.
 *
 * @category Traffic control
 */
export function filterList(filter: FilterFilter, o?: CallOptions): Promise<Filter[]> {
  return conn().filterList(filter, o)
}

/**
 * Adds a filter (`tc filter add`); `EEXIST` if its handle is taken.
 *
 * @category Traffic control
 */
export function filterAdd(spec: FilterSpec, o?: CallOptions): Promise<void> {
  return conn().filterAdd(spec, o)
}

/**
 * Adds a filter or changes the one with its handle (`tc filter replace`; a u32 rule keeps its matches).
 *
 * @category Traffic control
 */
export function filterReplace(spec: FilterSpec, o?: CallOptions): Promise<void> {
  return conn().filterReplace(spec, o)
}

/**
 * Changes an existing filter (`tc filter change`); `ENOENT` without one.
 *
 * @category Traffic control
 */
export function filterChange(spec: FilterSpec, o?: CallOptions): Promise<void> {
  return conn().filterChange(spec, o)
}

/**
 * Deletes filters (`tc filter del`): all of the parent without `pref`, one classifier with `pref`, one rule with `handle`.
 *
 * @category Traffic control
 */
export function filterDel(spec: FilterDelSpec, o?: CallOptions): Promise<void> {
  return conn().filterDel(spec, o)
}

/**
 * The filter chains of a qdisc (`tc -j chain show dev .. parent ..`).
 *
 * @category Traffic control
 */
export function chainList(filter: ChainFilter, o?: CallOptions): Promise<Chain[]> {
  return conn().chainList(filter, o)
}

/**
 * Adds an empty filter chain (`tc chain add`).
 *
 * @category Traffic control
 */
export function chainAdd(spec: ChainSpec, o?: CallOptions): Promise<void> {
  return conn().chainAdd(spec, o)
}

/**
 * Deletes a filter chain and its filters (`tc chain del`).
 *
 * @category Traffic control
 */
export function chainDel(spec: ChainSpec, o?: CallOptions): Promise<void> {
  return conn().chainDel(spec, o)
}

/**
 * A kind's standalone actions with their statistics (`tc -s -j actions ls action <kind>`).
 *
 * @category Traffic control
 */
export function actionList(filter: ActionFilter, o?: CallOptions): Promise<ListedAction[]> {
  return conn().actionList(filter, o)
}

/**
 * One standalone action (`tc -s actions get action <kind> index N`); `ENOENT` if there is none.
 *
 * @category Traffic control
 */
export function actionGet(ref: ActionRef, o?: CallOptions): Promise<ListedAction> {
  return conn().actionGet(ref, o)
}

/**
 * Adds standalone actions (`tc actions add action ... [action ...]`); `EEXIST` if an index is taken.
 *
 * @category Traffic control
 */
export function actionAdd(actions: Action[], o?: CallOptions): Promise<void> {
  return conn().actionAdd(actions, o)
}

/**
 * Adds standalone actions or replaces those of the same kind and index (`tc actions replace`).
 *
 * @category Traffic control
 */
export function actionReplace(actions: Action[], o?: CallOptions): Promise<void> {
  return conn().actionReplace(actions, o)
}

/**
 * Deletes a standalone action (`tc actions del action <kind> index N`).
 *
 * @category Traffic control
 */
export function actionDel(ref: ActionRef, o?: CallOptions): Promise<void> {
  return conn().actionDel(ref, o)
}

/**
 * Deletes every standalone action of a kind not bound to a filter (`tc actions flush action <kind>`).
 *
 * @category Traffic control
 */
export function actionFlush(filter: ActionFilter, o?: CallOptions): Promise<void> {
  return conn().actionFlush(filter, o)
}
