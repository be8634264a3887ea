/**
 * {@link Netlink}'s traffic-control methods (qdiscs, classes, filters, chains, standalone
 * actions): declared on the class by declaration merging and installed on its prototype.
 *
 * @module
 */

import type { Engine } from './engine.js'
import * as tc from './tc/objects.js'
import type { ChainFilter, ClassFilter, FilterFilter, QdiscFilter } from './tc/objects.js'
import type { ChainSpec, ClassDelSpec, ClassSpec, FilterDelSpec, FilterSpec, QdiscDelSpec, QdiscSpec } from './tc/specs.js'
import type { Chain, Filter, Qdisc, TcClass } from './tc/types.js'
import * as tcActions from './tc/standalone.js'
import type { Action } from './tc/action-kinds.js'
import type { ActionFilter, ActionRef, ListedAction } from './tc/standalone.js'
import type { Netlink } from './netlink.js'
import type { CallOptions } from './types.js'

declare module './netlink.js' {
  interface Netlink {
    /** Qdiscs with their statistics (`tc -s -j qdisc show [dev]`), of every link without `filter.dev`. */
    qdiscList(filter?: QdiscFilter, o?: CallOptions): Promise<Qdisc[]>

    /** Adds a qdisc (`tc qdisc add`); `EEXIST` if its place is taken. */
    qdiscAdd(spec: QdiscSpec, o?: CallOptions): Promise<void>

    /** Adds a qdisc or replaces the one in its place (`tc qdisc replace`). */
    qdiscReplace(spec: QdiscSpec, o?: CallOptions): Promise<void>

    /** Changes an existing qdisc's options (`tc qdisc change`). */
    qdiscChange(spec: QdiscSpec, o?: CallOptions): Promise<void>

    /** Deletes a qdisc (`tc qdisc del`), and its classes and filters with it. */
    qdiscDel(spec: QdiscDelSpec, o?: CallOptions): Promise<void>

    /** A link's classes with their statistics (`tc -s -j class show dev`), of one qdisc with `filter.parent`. */
    classList(filter: ClassFilter, o?: CallOptions): Promise<TcClass[]>

    /** Adds a class (`tc class add`); `EEXIST` if the class id is taken. */
    classAdd(spec: ClassSpec, o?: CallOptions): Promise<void>

    /** Adds a class or replaces the one with its id (`tc class replace`). */
    classReplace(spec: ClassSpec, o?: CallOptions): Promise<void>

    /** Changes an existing class's options (`tc class change`). */
    classChange(spec: ClassSpec, o?: CallOptions): Promise<void>

    /** Deletes a class (`tc class del`). */
    classDel(spec: ClassDelSpec, o?: CallOptions): Promise<void>

    /** The filters of a qdisc or class (`tc -s -j filter show dev .. parent ..`), of one chain with `filter.chain`. */
    filterList(filter: FilterFilter, o?: CallOptions): Promise<Filter[]>

    /** Adds a filter (`tc filter add`); `EEXIST` if its handle is taken. */
    filterAdd(spec: FilterSpec, o?: CallOptions): Promise<void>

    /** Adds a filter or changes the one with its handle (`tc filter replace`; a u32 rule keeps its matches). */
    filterReplace(spec: FilterSpec, o?: CallOptions): Promise<void>

    /** Changes an existing filter (`tc filter change`); `ENOENT` without one. */
    filterChange(spec: FilterSpec, o?: CallOptions): Promise<void>

    /** Deletes filters (`tc filter del`): all of the parent without `pref`, one classifier with `pref`, one rule with `handle`. */
    filterDel(spec: FilterDelSpec, o?: CallOptions): Promise<void>

    /** The filter chains of a qdisc (`tc -j chain show dev .. parent ..`). */
    chainList(filter: ChainFilter, o?: CallOptions): Promise<Chain[]>

    /** Adds an empty filter chain (`tc chain add`). */
    chainAdd(spec: ChainSpec, o?: CallOptions): Promise<void>

    /** Deletes a filter chain and its filters (`tc chain del`). */
    chainDel(spec: ChainSpec, o?: CallOptions): Promise<void>

    /** A kind's standalone actions with their statistics (`tc -s -j actions ls action <kind>`). */
    actionList(filter: ActionFilter, o?: CallOptions): Promise<ListedAction[]>

    /** One standalone action (`tc -s actions get action <kind> index N`); `ENOENT` if there is none. */
    actionGet(ref: ActionRef, o?: CallOptions): Promise<ListedAction>

    /** Adds standalone actions (`tc actions add action ... [action ...]`); `EEXIST` if an index is taken. */
    actionAdd(actions: Action[], o?: CallOptions): Promise<void>

    /** Adds standalone actions or replaces those of the same kind and index (`tc actions replace`). */
    actionReplace(actions: Action[], o?: CallOptions): Promise<void>

    /** Deletes a standalone action (`tc actions del action <kind> index N`). */
    actionDel(ref: ActionRef, o?: CallOptions): Promise<void>

    /** Deletes every standalone action of a kind not bound to a filter (`tc actions flush action <kind>`). */
    actionFlush(filter: ActionFilter, o?: CallOptions): Promise<void>
  }
}

/** Installs the methods above on Netlink's prototype; `engineOf` reads a connection's engine. */
export function installTc(proto: Netlink, engineOf: (n: Netlink) => Engine): void {
  Object.assign(proto, {
    qdiscList(this: Netlink, filter: QdiscFilter = {}, o?: CallOptions): Promise<Qdisc[]> {
      return tc.tcList<Qdisc>(engineOf(this), 'qdisc', filter, o)
    },
    qdiscAdd(this: Netlink, spec: QdiscSpec, o?: CallOptions): Promise<void> {
      return tc.tcModify(engineOf(this), 'qdisc', 'Add', spec, o)
    },
    qdiscReplace(this: Netlink, spec: QdiscSpec, o?: CallOptions): Promise<void> {
      return tc.tcModify(engineOf(this), 'qdisc', 'Replace', spec, o)
    },
    qdiscChange(this: Netlink, spec: QdiscSpec, o?: CallOptions): Promise<void> {
      return tc.tcModify(engineOf(this), 'qdisc', 'Change', spec, o)
    },
    qdiscDel(this: Netlink, spec: QdiscDelSpec, o?: CallOptions): Promise<void> {
      return tc.tcModify(engineOf(this), 'qdisc', 'Del', spec, o)
    },
    classList(this: Netlink, filter: ClassFilter, o?: CallOptions): Promise<TcClass[]> {
      return tc.tcList<TcClass>(engineOf(this), 'class', filter, o)
    },
    classAdd(this: Netlink, spec: ClassSpec, o?: CallOptions): Promise<void> {
      return tc.tcModify(engineOf(this), 'class', 'Add', spec, o)
    },
    classReplace(this: Netlink, spec: ClassSpec, o?: CallOptions): Promise<void> {
      return tc.tcModify(engineOf(this), 'class', 'Replace', spec, o)
    },
    classChange(this: Netlink, spec: ClassSpec, o?: CallOptions): Promise<void> {
      return tc.tcModify(engineOf(this), 'class', 'Change', spec, o)
    },
    classDel(this: Netlink, spec: ClassDelSpec, o?: CallOptions): Promise<void> {
      return tc.tcModify(engineOf(this), 'class', 'Del', spec, o)
    },
    filterList(this: Netlink, filter: FilterFilter, o?: CallOptions): Promise<Filter[]> {
      return tc.tcList<Filter>(engineOf(this), 'filter', filter, o)
    },
    filterAdd(this: Netlink, spec: FilterSpec, o?: CallOptions): Promise<void> {
      return tc.tcModify(engineOf(this), 'filter', 'Add', spec, o)
    },
    filterReplace(this: Netlink, spec: FilterSpec, o?: CallOptions): Promise<void> {
      return tc.tcModify(engineOf(this), 'filter', 'Replace', spec, o)
    },
    filterChange(this: Netlink, spec: FilterSpec, o?: CallOptions): Promise<void> {
      return tc.tcModify(engineOf(this), 'filter', 'Change', spec, o)
    },
    filterDel(this: Netlink, spec: FilterDelSpec, o?: CallOptions): Promise<void> {
      return tc.tcModify(engineOf(this), 'filter', 'Del', spec, o)
    },
    chainList(this: Netlink, filter: ChainFilter, o?: CallOptions): Promise<Chain[]> {
      return tc.tcList<Chain>(engineOf(this), 'chain', filter, o)
    },
    chainAdd(this: Netlink, spec: ChainSpec, o?: CallOptions): Promise<void> {
      return tc.tcModify(engineOf(this), 'chain', 'Add', spec, o)
    },
    chainDel(this: Netlink, spec: ChainSpec, o?: CallOptions): Promise<void> {
      return tc.tcModify(engineOf(this), 'chain', 'Del', spec, o)
    },
    async actionList(this: Netlink, filter: ActionFilter, o?: CallOptions): Promise<ListedAction[]> {
      return tcActions.actionRead(engineOf(this), filter, false, o)
    },
    async actionGet(this: Netlink, ref: ActionRef, o?: CallOptions): Promise<ListedAction> {
      const [a] = await tcActions.actionRead(engineOf(this), ref, true, o)
      if (a === undefined) throw new Error(`no ${ref.kind} action ${ref.index} in the reply`)
      return a
    },
    actionAdd(this: Netlink, actions: Action[], o?: CallOptions): Promise<void> {
      return tcActions.actionModify(engineOf(this), 'Add', actions, o)
    },
    actionReplace(this: Netlink, actions: Action[], o?: CallOptions): Promise<void> {
      return tcActions.actionModify(engineOf(this), 'Replace', actions, o)
    },
    actionDel(this: Netlink, ref: ActionRef, o?: CallOptions): Promise<void> {
      return tcActions.actionRemove(engineOf(this), ref, o)
    },
    actionFlush(this: Netlink, filter: ActionFilter, o?: CallOptions): Promise<void> {
      return tcActions.actionRemove(engineOf(this), filter, o, true)
    },
  })
}
