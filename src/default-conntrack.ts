/**
 * The module-level connection tracking functions: each is the {@link Netlink} method of the
 * same name, on the default connection (its netfilter socket opened on the first call).
 *
 * @module
 */

import type { ConntrackEvents, ConntrackEventsOptions } from './conntrack/events.js'
import type * as ex from './conntrack/expect.js'
import type { ConntrackStream } from './conntrack/stream.js'
import type * as t from './conntrack/types.js'
import { conn } from './default.js'
import type { RawEventsOptions } from './raw-events.js'
import type { CallOptions } from './types.js'

/**
 * The connection tracking table (`conntrack -L -o extended`), or the entries a filter selects
 * (see {@link ConntrackFilter}: the kernel filters what it can, nlkit checks each entry again).
 * A fresh namespace tracks nothing until a rule needs conntrack (e.g. nftables `ct state`).
 *
 * @example
 * ```ts
 * const web = await conntrackList({ protocol: 'tcp', orig: { dport: 443 }, status: ['ASSURED'] })
 * ```
 *
 * @category Conntrack
 */
export function conntrackList(filter?: t.ConntrackFilter, o?: CallOptions): Promise<t.ConntrackEntry[]> {
  return conn().conntrackList(filter, o)
}

/**
 * The listing of {@link conntrackList} in batches read at the consumer's pace, on a socket of
 * its own: memory stays flat however large the table (options: `bufferSize`, `signal`, `netns`, `trace`).
 *
 * @example
 * ```ts
 * for await (const batch of await conntrackListStream({ protocol: 'udp' })) n += batch.length
 * ```
 *
 * @category Conntrack
 */
export function conntrackListStream(filter?: t.ConntrackFilter, o?: RawEventsOptions): Promise<ConntrackStream> {
  return conn().conntrackListStream(filter, o)
}

/**
 * One entry by its original tuple (`conntrack -G`); a {@link NetlinkError} `ENOENT` when there is none.
 *
 * @category Conntrack
 */
export function conntrackGet(key: t.ConntrackKey, o?: CallOptions): Promise<t.ConntrackEntry> {
  return conn().conntrackGet(key, o)
}

/**
 * Creates an entry (`conntrack -I`): both tuples (the reply defaults to the original reversed)
 * and a timeout; `EEXIST` when it exists, unless `exclusive: false` (then it is updated).
 * With `nat` (`--src-nat`/`--dst-nat`) the kernel translates the reply to the NAT's address and port.
 *
 * @example
 * ```ts
 * await conntrackCreate({ protocol: 'tcp', orig: { src: '10.0.0.1', dst: '10.0.0.2', sport: 1000, dport: 80 },
 *   timeout: 120, state: 'ESTABLISHED', status: ['ASSURED'], mark: 5 })
 * ```
 *
 * @category Conntrack
 */
export function conntrackCreate(spec: t.ConntrackSpec, o?: CallOptions): Promise<void> {
  return conn().conntrackCreate(spec, o)
}

/**
 * Changes an entry (`conntrack -U`): timeout, status bits, state, mark (under a mask), labels;
 * `ENOENT` when there is none. Its NAT stays as made (the kernel cannot change it).
 *
 * @category Conntrack
 */
export function conntrackUpdate(update: t.ConntrackUpdate, o?: CallOptions): Promise<void> {
  return conn().conntrackUpdate(update, o)
}

/**
 * Deletes one entry by key (`ENOENT` when there is none), or every entry `{ filter }` selects
 * (`conntrack -D` with a filter); resolves how many were deleted.
 *
 * @category Conntrack
 */
export function conntrackDelete(target: t.ConntrackKey | { filter: t.ConntrackFilter }, o?: CallOptions): Promise<number> {
  return conn().conntrackDelete(target, o)
}

/**
 * Deletes every entry (`conntrack -F`), or those a filter selects: the kernel flushes by
 * family, mark, zone and status itself; other fields list and delete.
 *
 * @category Conntrack
 */
export function conntrackFlush(filter?: t.ConntrackFilter, o?: CallOptions): Promise<void> {
  return conn().conntrackFlush(filter, o)
}

/**
 * The number of entries in the table (`conntrack -C`).
 *
 * @category Conntrack
 */
export function conntrackCount(o?: CallOptions): Promise<number> {
  return conn().conntrackCount(o)
}

/**
 * Per-CPU statistics (`conntrack -S`): found, invalid, insert, insertFailed, drop, earlyDrop,
 * error, searchRestart, clashResolve, chaintoolong.
 *
 * @category Conntrack
 */
export function conntrackStats(o?: CallOptions): Promise<t.ConntrackCpuStats[]> {
  return conn().conntrackStats(o)
}

/**
 * Conntrack events (`conntrack -E`): `{ type: 'new' | 'update' | 'destroy', entry }`, and
 * `{ type: 'overflow' }` where the kernel dropped some; `types` selects the groups,
 * `listExisting` lists the table first (then `{ type: 'sync' }`).
 *
 * @example
 * ```ts
 * for await (const ev of await conntrackEvents({ types: ['destroy'] })) console.log(ev)
 * ```
 *
 * @category Conntrack
 */
export function conntrackEvents(o?: ConntrackEventsOptions): Promise<ConntrackEvents> {
  return conn().conntrackEvents(o)
}

/**
 * Expectations (`conntrack -L expect`): the connections helpers expect masters to open, of one
 * family or all.
 *
 * @category Conntrack
 */
export function conntrackExpectList(filter?: { family?: t.ConntrackFamily }, o?: CallOptions): Promise<ex.ConntrackExpect[]> {
  return conn().conntrackExpectList(filter, o)
}

/**
 * Creates an expectation (`conntrack -I expect`) for a master connection that has a helper;
 * `EEXIST` when one has the tuple.
 *
 * @category Conntrack
 */
export function conntrackExpectCreate(spec: ex.ConntrackExpectSpec, o?: CallOptions): Promise<void> {
  return conn().conntrackExpectCreate(spec, o)
}

/**
 * Deletes an expectation by its expected tuple (`conntrack -D expect`); `ENOENT` when there is none.
 *
 * @category Conntrack
 */
export function conntrackExpectDelete(key: ex.ConntrackExpectKey, o?: CallOptions): Promise<void> {
  return conn().conntrackExpectDelete(key, o)
}

/**
 * Deletes every expectation (`conntrack -F expect`), or those of one helper.
 *
 * @category Conntrack
 */
export function conntrackExpectFlush(filter?: { helper?: string }, o?: CallOptions): Promise<void> {
  return conn().conntrackExpectFlush(filter, o)
}
