/**
 * The command line's words: global options, a cursor over an object's arguments, and parsers
 * that turn words into validated values before anything is sent.
 *
 * @module
 * @internal
 */

import type { RouteTable } from '../names.js'

/** Bad usage: printed with the usage text, exit status 2, nothing sent. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The object whose usage to print (`'link'`, ...), or undefined for the overview. */
    readonly object?: string,
  ) {
    super(message)
    this.name = 'UsageError'
  }
}

/** Options before the object: `-4`, `-6`, `-j`, `-p`, `-n NS`. */
export interface Globals {
  family?: 4 | 6
  json: boolean
  pretty: boolean
  netns?: string
  help: boolean
}

/** Splits the global options off the front of argv (iproute2 accepts them only there). */
export function parseGlobals(argv: string[]): { globals: Globals; rest: string[] } {
  const g: Globals = { json: false, pretty: false, help: false }
  let i = 0
  for (; i < argv.length && argv[i].startsWith('-') && argv[i] !== '-'; i++) {
    const a = argv[i]
    if (a === '-4') g.family = 4
    else if (a === '-6') g.family = 6
    else if (a === '-j' || a === '-json' || a === '--json') g.json = true
    else if (a === '-p' || a === '-pretty' || a === '--pretty') g.pretty = true
    else if (a === '-h' || a === '-help' || a === '--help') g.help = true
    else if (a === '-n' || a === '-netns' || a === '--netns') {
      const ns = argv[++i]
      if (ns === undefined || ns === '') throw new UsageError(`${a} needs a namespace name`)
      g.netns = ns
    } else if (/^-[46jp]{2,}$/.test(a)) {
      // Bundled short flags: -4j, -jp.
      for (const c of a.slice(1)) {
        if (c === '4') g.family = 4
        else if (c === '6') g.family = 6
        else if (c === 'j') g.json = true
        else g.pretty = true
      }
    } else throw new UsageError(`unknown option "${a}"`)
  }
  return { globals: g, rest: argv.slice(i) }
}

/**
 * The first of `candidates` that `word` names: exactly, or as an abbreviation of at least
 * `min` characters (`ad` for `add`); candidates are listed in the order iproute2 prefers.
 */
export function pick(word: string | undefined, candidates: readonly string[], min = 1): string | undefined {
  if (word === undefined) return undefined
  if (candidates.includes(word)) return word
  if (word.length < min) return undefined
  return candidates.find((c) => c.startsWith(word))
}

/** A cursor over one object's arguments, failing with its usage when they run out or are wrong. */
export class Words {
  #words: string[]
  #i = 0

  constructor(
    words: string[],
    readonly object: string,
  ) {
    this.#words = words
  }

  get done(): boolean {
    return this.#i >= this.#words.length
  }

  peek(): string | undefined {
    return this.#words[this.#i]
  }

  /** Consumes the next word if it is `word` (an optional keyword). */
  take(word: string): boolean {
    if (this.#words[this.#i] !== word) return false
    this.#i++
    return true
  }

  /** The next word; `what` names the value a missing word should have been. */
  next(what: string): string {
    const w = this.#words[this.#i++]
    if (w === undefined) throw this.error(`${what} expected`)
    return w
  }

  /** The value after keyword `key` (`dev eth0`). */
  value(key: string): string {
    return this.next(`a value after "${key}"`)
  }

  error(message: string): UsageError {
    return new UsageError(message, this.object)
  }

  unknown(word: string): UsageError {
    return this.error(`unknown argument "${word}"`)
  }
}

/** An integer word in [min, max] (decimal or 0x hex). */
export function int(word: string, what: string, object: string, min = 0, max = 0xffffffff): number {
  const n = /^0x[0-9a-f]+$/i.test(word) ? Number.parseInt(word, 16) : /^\d+$/.test(word) ? Number(word) : Number.NaN
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new UsageError(`${what} must be an integer from ${min} to ${max}, not "${word}"`, object)
  return n
}

/** A table: a number, or one of iproute2's reserved names. */
export function table(word: string, object: string): number | RouteTable {
  if (word === 'main' || word === 'local' || word === 'default') return word
  return int(word, 'table', object, 0, 0xffffffff)
}

/** A table word of a listing: also `all`. */
export function tableOrAll(word: string, object: string): number | RouteTable | 'all' {
  return word === 'all' ? word : table(word, object)
}

/** A link word: an interface name (the API checks its length and characters). */
export function linkName(word: string, object: string): string {
  if (word === '' || word.startsWith('-')) throw new UsageError(`"${word}" is not an interface name`, object)
  return word
}

/** `-4`/`-6` as a filter value, when given. */
export function familyOf(g: Globals): { family?: 4 | 6 } {
  return g.family === undefined ? {} : { family: g.family }
}
