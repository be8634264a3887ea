/**
 * `nlkit netns`: list, add, del (`ip netns`): named namespaces in /run/netns.
 *
 * @module
 * @internal
 */

import { netnsCreate, netnsDelete, netnsList } from '../netns.js'
import type { Globals, Words } from './args.js'
import { type Command, type Listing, verbOf } from './command.js'
import type { Column } from './table.js'

const NETNS_COLUMNS: Column<string>[] = [{ title: 'name', cell: (n) => n }]

export function parseNetns(verb: string | undefined, words: Words, g: Globals): Command {
  const v = verbOf(verb, ['show', 'add', 'del'], words)
  // Named namespaces live in the mount namespace, not in a network namespace: -n means nothing here.
  if (g.netns !== undefined) throw words.error('-n does not apply to netns')
  if (v === 'show') {
    if (!words.done) throw words.unknown(words.next(''))
    return async (): Promise<Listing> => ({ items: await netnsList(), columns: NETNS_COLUMNS as Column<unknown>[] })
  }
  const name = words.next('a namespace name')
  if (!words.done) throw words.unknown(words.next(''))
  return async () => {
    if (v === 'add') await netnsCreate(name)
    else await netnsDelete(name)
    return undefined
  }
}
