/**
 * {@link Netlink}'s connection tracking methods: declared on the class by declaration merging
 * and installed on its prototype. They run on a NETLINK_NETFILTER socket opened in the same
 * namespace on first use.
 *
 * @module
 */

import type { ConntrackConn } from './conntrack/conn.js'
import * as ct from './conntrack/entries.js'
import { type ConntrackEvents, type ConntrackEventsOptions, conntrackEvents } from './conntrack/events.js'
import * as ex from './conntrack/expect.js'
import { type ConntrackStream, conntrackListStream } from './conntrack/stream.js'
import type * as t from './conntrack/types.js'
import type { Netlink } from './netlink.js'
import type { RawEventsOptions } from './raw-events.js'
import type { CallOptions } from './types.js'

declare module './netlink.js' {
  interface Netlink {
    /**
     * The connection tracking table (`conntrack -L -o extended`), or the entries a filter selects
     * (see {@link ConntrackFilter}: the kernel filters what it can, nlkit checks each entry again).
     * A fresh namespace tracks nothing until a rule needs conntrack (e.g. nftables `ct state`).
     */
    conntrackList(filter?: t.ConntrackFilter, o?: CallOptions): Promise<t.ConntrackEntry[]>
    /**
     * The listing of {@link conntrackList} in batches read at the consumer's pace, on a socket of
     * its own: memory stays flat however large the table (options: `bufferSize`, `signal`, `netns`, `trace`).
     */
    conntrackListStream(filter?: t.ConntrackFilter, o?: RawEventsOptions): Promise<ConntrackStream>
    /**
     * One entry by its original tuple (`conntrack -G`); a {@link NetlinkError} `ENOENT` when there is none.
     */
    conntrackGet(key: t.ConntrackKey, o?: CallOptions): Promise<t.ConntrackEntry>
    /**
     * Creates an entry (`conntrack -I`): both tuples (the reply defaults to the original reversed)
     * and a timeout; `EEXIST` when it exists, unless `exclusive: false` (then it is updated).
     * With `nat` (`--src-nat`/`--dst-nat`) the kernel translates the reply to the NAT's address and port.
     */
    conntrackCreate(spec: t.ConntrackSpec, o?: CallOptions): Promise<void>
    /**
     * Changes an entry (`conntrack -U`): timeout, status bits, state, mark (under a mask), labels;
     * `ENOENT` when there is none. Its NAT stays as made (the kernel cannot change it).
     */
    conntrackUpdate(update: t.ConntrackUpdate, o?: CallOptions): Promise<void>
    /**
     * Deletes one entry by key (`ENOENT` when there is none), or every entry `{ filter }` selects
     * (`conntrack -D` with a filter); resolves how many were deleted.
     */
    conntrackDelete(target: t.ConntrackKey | { filter: t.ConntrackFilter }, o?: CallOptions): Promise<number>
    /**
     * Deletes every entry (`conntrack -F`), or those a filter selects: the kernel flushes by
     * family, mark, zone and status itself; other fields list and delete.
     */
    conntrackFlush(filter?: t.ConntrackFilter, o?: CallOptions): Promise<void>
    /**
     * The number of entries in the table (`conntrack -C`).
     */
    conntrackCount(o?: CallOptions): Promise<number>
    /**
     * Per-CPU statistics (`conntrack -S`): found, invalid, insert, insertFailed, drop, earlyDrop,
     * error, searchRestart, clashResolve, chaintoolong.
     */
    conntrackStats(o?: CallOptions): Promise<t.ConntrackCpuStats[]>
    /**
     * Conntrack events (`conntrack -E`): `{ type: 'new' | 'update' | 'destroy', entry }`, and
     * `{ type: 'overflow' }` where the kernel dropped some; `types` selects the groups,
     * `listExisting` lists the table first (then `{ type: 'sync' }`).
     */
    conntrackEvents(o?: ConntrackEventsOptions): Promise<ConntrackEvents>
    /**
     * Expectations (`conntrack -L expect`): the connections helpers expect masters to open, of one
     * family or all.
     */
    conntrackExpectList(filter?: { family?: t.ConntrackFamily }, o?: CallOptions): Promise<ex.ConntrackExpect[]>
    /**
     * Creates an expectation (`conntrack -I expect`) for a master connection that has a helper;
     * `EEXIST` when one has the tuple.
     */
    conntrackExpectCreate(spec: ex.ConntrackExpectSpec, o?: CallOptions): Promise<void>
    /**
     * Deletes an expectation by its expected tuple (`conntrack -D expect`); `ENOENT` when there is none.
     */
    conntrackExpectDelete(key: ex.ConntrackExpectKey, o?: CallOptions): Promise<void>
    /**
     * Deletes every expectation (`conntrack -F expect`), or those of one helper.
     */
    conntrackExpectFlush(filter?: { helper?: string }, o?: CallOptions): Promise<void>
  }
}

/** Installs the methods above on Netlink's prototype; `ctOf` opens (once) a connection's netfilter socket. */
export function installConntrack(proto: Netlink, ctOf: (n: Netlink) => ConntrackConn): void {
  Object.assign(proto, {
    conntrackList(this: Netlink, filter?: t.ConntrackFilter, o?: CallOptions) {
      return ct.conntrackList(ctOf(this), filter, o)
    },
    conntrackListStream(this: Netlink, filter?: t.ConntrackFilter, o?: RawEventsOptions) {
      return conntrackListStream(ctOf(this), filter, o)
    },
    conntrackGet(this: Netlink, key: t.ConntrackKey, o?: CallOptions) {
      return ct.conntrackGet(ctOf(this), key, o)
    },
    conntrackCreate(this: Netlink, spec: t.ConntrackSpec, o?: CallOptions) {
      return ct.conntrackCreate(ctOf(this), spec, o)
    },
    conntrackUpdate(this: Netlink, update: t.ConntrackUpdate, o?: CallOptions) {
      return ct.conntrackUpdate(ctOf(this), update, o)
    },
    conntrackDelete(this: Netlink, target: t.ConntrackKey | { filter: t.ConntrackFilter }, o?: CallOptions) {
      return ct.conntrackDelete(ctOf(this), target, o)
    },
    conntrackFlush(this: Netlink, filter?: t.ConntrackFilter, o?: CallOptions) {
      return ct.conntrackFlush(ctOf(this), filter, o)
    },
    conntrackCount(this: Netlink, o?: CallOptions) {
      return ct.conntrackCount(ctOf(this), o)
    },
    conntrackStats(this: Netlink, o?: CallOptions) {
      return ct.conntrackStats(ctOf(this), o)
    },
    conntrackEvents(this: Netlink, o?: ConntrackEventsOptions) {
      return conntrackEvents(ctOf(this), o)
    },
    conntrackExpectList(this: Netlink, filter?: { family?: t.ConntrackFamily }, o?: CallOptions) {
      return ex.conntrackExpectList(ctOf(this), filter, o)
    },
    conntrackExpectCreate(this: Netlink, spec: ex.ConntrackExpectSpec, o?: CallOptions) {
      return ex.conntrackExpectCreate(ctOf(this), spec, o)
    },
    conntrackExpectDelete(this: Netlink, key: ex.ConntrackExpectKey, o?: CallOptions) {
      return ex.conntrackExpectDelete(ctOf(this), key, o)
    },
    conntrackExpectFlush(this: Netlink, filter?: { helper?: string }, o?: CallOptions) {
      return ex.conntrackExpectFlush(ctOf(this), filter, o)
    },
  })
}
