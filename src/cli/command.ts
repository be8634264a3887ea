/**
 * What every object's module gives the dispatcher: a parsed command that runs later, once the
 * whole line is known to be good, and the listing it may print.
 *
 * @module
 * @internal
 */

import type { Netlink } from '../netlink.js'
import { type Globals, pick, type Words } from './args.js'
import type { Column } from './table.js'

/** What a command runs with: the global options and a connection opened on first use. */
export interface Context {
  globals: Globals
  /** The connection (in `-n NS` when given), opened on first call and closed by the dispatcher. */
  conn(): Netlink
  /** Standard output, one line per call. */
  print(line: string): void
}

/** Objects to print: as a table by default, or `-j` as exactly these objects. */
export interface Listing<T = unknown> {
  items: T[]
  columns: Column<T>[]
}

/** A parsed command line, ready to run: its words have all been checked. */
export type Command = (ctx: Context) => Promise<Listing | undefined>

/** Parses the verb and arguments of one object. */
export type ObjectParser = (verb: string | undefined, words: Words, globals: Globals) => Command

/** Canonical verbs, in the order abbreviations resolve (iproute2's: `s` is set, `l` list). */
const VERBS: [string, string][] = [
  ['add', 'add'],
  ['append', 'append'],
  ['delete', 'del'],
  ['del', 'del'],
  ['set', 'set'],
  ['show', 'show'],
  ['list', 'show'],
  ['ls', 'show'],
  ['lst', 'show'],
  ['get', 'get'],
  ['replace', 'replace'],
]

/** The canonical verb a word names among an object's `allowed` ones (default `show`). */
export function verbOf(word: string | undefined, allowed: readonly string[], words: Words): string {
  if (word === undefined) return 'show'
  const names = VERBS.filter(([, v]) => allowed.includes(v)).map(([w]) => w)
  const w = pick(word, names)
  if (w === undefined) throw words.error(`unknown command "${word}"`)
  return VERBS.find(([n]) => n === w)![1]
}
