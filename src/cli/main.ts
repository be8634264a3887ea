/**
 * The `nlkit` command: parses the whole line (global options, object, verb, arguments) before
 * anything is sent, then runs it and prints a table or `-j` JSON.
 *
 * Exit status: 0 on success and for help; 2 for bad usage (with the usage text, nothing sent)
 * and for any error of the API (its message, prefixed `nlkit: `).
 *
 * @module
 * @internal
 */

import { open } from '../netlink.js'
import type { Netlink } from '../netlink.js'
import { parseAddr } from './addr.js'
import { parseGlobals, pick, UsageError, Words } from './args.js'
import type { Command, Context, ObjectParser } from './command.js'
import { parseLink } from './link.js'
import { parseMonitor } from './monitor.js'
import { parseNeigh } from './neigh.js'
import { parseNetns } from './netns.js'
import { parseRoute } from './route.js'
import { parseRule } from './rule.js'
import { formatTable } from './table.js'
import { usage } from './usage.js'

/** Where the command writes (the process's streams, or a test's). */
export interface Streams {
  out: (text: string) => void
  err: (text: string) => void
}

const PARSERS: Record<string, ObjectParser> = {
  link: parseLink,
  addr: parseAddr,
  route: parseRoute,
  neigh: parseNeigh,
  rule: parseRule,
  netns: parseNetns,
  monitor: parseMonitor,
}

/** Object words in the order abbreviations resolve, and the object each names. */
const OBJECT_WORDS: [string, string][] = [
  ['link', 'link'],
  ['address', 'addr'],
  ['addr', 'addr'],
  ['route', 'route'],
  ['rule', 'rule'],
  ['neighbour', 'neigh'],
  ['neighbor', 'neigh'],
  ['neigh', 'neigh'],
  ['netns', 'netns'],
  ['nexthop', 'nexthop'],
  ['monitor', 'monitor'],
  ['tc', 'tc'],
  ['help', 'help'],
]

/** Objects iproute2 has that the library has no API for yet. */
const MISSING = new Set(['nexthop', 'tc'])

/** Parses a command line; a UsageError or help text instead of a command when it is not one. */
function parse(argv: string[]): { command: Command; json: boolean; pretty: boolean; netns?: string } | { help: string } {
  const { globals, rest } = parseGlobals(argv)
  if (rest.length === 0) {
    if (globals.help) return { help: usage() }
    throw new UsageError('an object is needed')
  }
  const w = pick(
    rest[0],
    OBJECT_WORDS.map(([n]) => n),
  )
  const object = OBJECT_WORDS.find(([n]) => n === w)?.[1]
  if (object === undefined) throw new UsageError(`unknown object "${rest[0]}"`)
  if (object === 'help' || globals.help) return { help: usage(rest[1] ?? (object === 'help' ? undefined : object)) }
  if (rest[1] === 'help') return { help: usage(object) }
  if (MISSING.has(object))
    throw Object.assign(new Error(`nlkit ${object}: not available yet (needs nlkit's ${object} API)`), { plain: true })
  const command = PARSERS[object](rest[1], new Words(rest.slice(2), object), globals)
  return { command, json: globals.json || globals.pretty, pretty: globals.pretty, netns: globals.netns }
}

/** Runs `nlkit ARGV...`; resolves to the exit status. */
export async function main(argv: string[], io: Streams = processStreams()): Promise<number> {
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse(argv)
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`nlkit: ${e.message}\n${usage(e.object)}\n`)
      return 2
    }
    io.err(`${(e as { plain?: boolean }).plain ? '' : 'nlkit: '}${(e as Error).message}\n`)
    return 2
  }
  if ('help' in parsed) {
    io.out(`${parsed.help}\n`)
    return 0
  }
  let conn: Netlink | undefined
  const { json, pretty, netns } = parsed
  const ctx: Context = {
    globals: { json, pretty, netns, help: false },
    conn: () => {
      conn ??= open(netns === undefined ? {} : { netns })
      return conn
    },
    print: (line) => io.out(`${line}\n`),
  }
  try {
    const listing = await parsed.command(ctx)
    if (listing) {
      if (json) io.out(`${JSON.stringify(listing.items, null, pretty ? 2 : undefined)}\n`)
      else if (listing.items.length > 0) io.out(`${formatTable(listing.items, listing.columns).join('\n')}\n`)
    }
    return 0
  } catch (e) {
    io.err(`nlkit: ${e instanceof Error ? e.message : String(e)}\n`)
    return 2
  } finally {
    conn?.close()
  }
}

function processStreams(): Streams {
  return { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }
}
