/**
 * Standalone actions (`tc actions add|replace|get|del|ls|flush`): actions that live in the
 * namespace by kind and index, which filters can bind by index. Arguments are checked here and
 * by the core's action modules before anything is sent.
 *
 * @module
 */

import type { Engine } from '../engine.js'
import type { ActionListFields, ActionRefFields } from '../native.js'
import type { CallOptions } from '../types.js'
import { checkCallOptions, checkInt, checkKeys, describe, MAX_U32 } from '../validate.js'
import type { Action, ActionKindOptions } from './action-kinds.js'
import { kindOptions } from './options.js'

/**
 * An action's counters (`tc -s`'s "Action statistics").
 *
 * @category Traffic control
 */
export interface ActionStats {
  /** Bytes it saw. */
  bytes: number
  /** Packets it saw. */
  packets: number
  /** Packets it dropped. */
  drops: number
  /** Packets over a limit (police). */
  overlimits: number
}

/**
 * What the kernel reports of an action besides its options (`tc -s -j actions ls`).
 *
 * @category Traffic control
 */
export interface ActionState {
  /** The action's index within its kind. */
  index: number
  /** References (filters and the standalone table). */
  ref: number
  /** Filters bound to it. */
  bind: number
  /** Seconds since it was installed. */
  installed: number
  /** Seconds since it last ran (`tc -j`: `last_used`). */
  lastUsed: number
  /** Seconds since it first ran, once it has (`first_used`). */
  firstUsed?: number
  /** Seconds until it expires, where it does. */
  expires?: number
  /** Its counters. */
  stats?: ActionStats
  /** The cookie it was given. */
  cookie?: string
}

/**
 * A listed action: its kind and options (which can be given back to `actionAdd` or
 * `actionReplace`: the state is left out) and its state.
 *
 * @category Traffic control
 */
export type ListedAction = Action & ActionState

/**
 * One standalone action: its kind and index.
 *
 * @category Traffic control
 */
export interface ActionRef {
  /** The action's kind. */
  kind: keyof ActionKindOptions
  /** Its index. */
  index: number
}

/**
 * Which standalone actions: those of one kind.
 *
 * @category Traffic control
 */
export interface ActionFilter {
  /** The kind. */
  kind: keyof ActionKindOptions
}

/** A reply message: some of the kind's actions. */
interface ActionMessage {
  type: 'action'
  count?: number
  actions: ListedAction[]
}

function checkKind(v: unknown, name: string): string {
  if (typeof v !== 'string') throw new TypeError(`${name} must be an action kind, got ${describe(v)}`)
  return v
}

function refFields(op: ActionRefFields['op'], v: unknown, withIndex: boolean): ActionRefFields {
  if (typeof v !== 'object' || v === null) throw new TypeError(withIndex ? 'ref must be an object' : 'filter must be an object')
  const name = withIndex ? 'ref' : 'filter'
  const r = v as Record<string, unknown>
  checkKeys(r, new Set(withIndex ? ['kind', 'index'] : ['kind']), name)
  const f: ActionRefFields = { op, kind: checkKind(r.kind, `${name}.kind`) }
  if (withIndex) f.index = checkInt(r.index, `${name}.index`, 1, MAX_U32)
  return f
}

/** The actions of an add or replace, checked for the binding (the core checks each kind's options). */
function listFields(op: ActionListFields['op'], actions: unknown): ActionListFields {
  if (!Array.isArray(actions)) throw new TypeError(`actions must be an array, got ${describe(actions)}`)
  if (actions.length === 0 || actions.length > 32) throw new RangeError(`actions must hold 1 to 32 actions, got ${actions.length}`)
  const list = actions.map((a: unknown, i) => {
    const name = `actions[${i}]`
    if (typeof a !== 'object' || a === null) throw new TypeError(`${name} must be an object`)
    const r = a as Record<string, unknown>
    const out: Record<string, unknown> = { kind: checkKind(r.kind, `${name}.kind`) }
    if (r.cookie !== undefined) {
      if (typeof r.cookie !== 'string') throw new TypeError(`${name}.cookie must be a hex string, got ${describe(r.cookie)}`)
      out.cookie = r.cookie
    }
    return { ...out, ...kindOptions(r, new Set(['kind', 'cookie']), name) }
  })
  return { op, actions: list }
}

function subject(f: ActionRefFields | ActionListFields): string {
  return 'actions' in f ? f.actions.map((a) => a.kind).join(' ') : [f.kind, f.index].filter((x) => x !== undefined).join(' ')
}

/** `actionAdd` / `actionReplace`. */
export async function actionModify(e: Engine, verb: 'Add' | 'Replace', actions: unknown, o?: CallOptions): Promise<void> {
  const f = listFields(`action${verb}`, actions)
  checkCallOptions(o)
  await e.call(f.op, subject(f), f, o)
}

/** `actionDel` / `actionFlush`. */
export async function actionRemove(e: Engine, ref: unknown, o?: CallOptions, flush = false): Promise<void> {
  const f = refFields(flush ? 'actionFlush' : 'actionDel', ref, !flush)
  checkCallOptions(o)
  await e.call(f.op, subject(f), f, o)
}

/** `actionList` and `actionGet`: the reply messages' actions, in order. */
export async function actionRead(e: Engine, q: unknown, get: boolean, o?: CallOptions): Promise<ListedAction[]> {
  const f = refFields(get ? 'actionGet' : 'actionList', q, get)
  checkCallOptions(o)
  const msgs = await e.call<ActionMessage>(f.op, subject(f), f, o)
  return msgs.flatMap((m) => m.actions)
}
