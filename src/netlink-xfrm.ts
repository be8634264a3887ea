/**
 * {@link Netlink}'s IPsec methods (policies, states, their counts, notifications): declared on
 * the class by declaration merging and installed on its prototype. They run on the
 * connection's NETLINK_XFRM socket, opened in the same namespace on first use.
 *
 * @module
 */

import type { Engine } from './engine.js'
import { linkIndex } from './links.js'
import type { Netlink } from './netlink.js'
import type { CallOptions } from './types.js'
import * as ae from './xfrm/aevents.js'
import type { XfrmAevent, XfrmAeventsId, XfrmAeventsSpec, XfrmMigrateSpec } from './xfrm/aevents.js'
import type { XfrmConn } from './xfrm/conn.js'
import * as ev from './xfrm/events.js'
import type { XfrmEvents, XfrmEventsOptions } from './xfrm/events.js'
import type * as f from './xfrm/filters.js'
import type * as t from './xfrm/types.js'
import * as x from './xfrm/xfrm.js'

declare module './netlink.js' {
  interface Netlink {
    /** The IPsec policies, like `ip xfrm policy list [filter]` (one dump; the kernel filters none of it: see {@link XfrmPolicyFilter}). */
    xfrmPolicyList(filter?: f.XfrmPolicyFilter, o?: CallOptions): Promise<t.XfrmPolicy[]>

    /** One policy by selector and direction, or by index and direction (`ip xfrm policy get`); ENOENT if there is none. */
    xfrmPolicyGet(id: t.XfrmPolicyId, o?: CallOptions): Promise<t.XfrmPolicy>

    /** Adds a policy (`ip xfrm policy add`); EEXIST if one with its selector and direction is there. */
    xfrmPolicyAdd(policy: t.XfrmPolicySpec, o?: CallOptions): Promise<void>

    /** Adds or replaces a policy (`ip xfrm policy update`). */
    xfrmPolicyUpdate(policy: t.XfrmPolicySpec, o?: CallOptions): Promise<void>

    /** Deletes a policy (`ip xfrm policy delete`). */
    xfrmPolicyDelete(id: t.XfrmPolicyId, o?: CallOptions): Promise<void>

    /** Deletes every policy (of one policy type when given), like `ip xfrm policy flush`. */
    xfrmPolicyFlush(opts?: { type?: 'main' | 'sub' }, o?: CallOptions): Promise<void>

    /** Policy counts, hash table size and thresholds (`ip -s xfrm policy count`). */
    xfrmSpdInfo(o?: CallOptions): Promise<t.XfrmSpdInfo>

    /** Sets the SPD hash thresholds (`ip xfrm policy set hthresh4 L R hthresh6 L R`). */
    xfrmSpdSet(thresh: { ipv4Thresh?: t.XfrmThresh; ipv6Thresh?: t.XfrmThresh }, o?: CallOptions): Promise<void>

    /** The IPsec states, like `ip xfrm state list [filter]` (keys included, as root sees them; addresses and protocol filtered in the kernel, see {@link XfrmStateFilter}). */
    xfrmStateList(filter?: f.XfrmStateFilter, o?: CallOptions): Promise<t.XfrmState[]>

    /** One state by destination, protocol and SPI (`ip xfrm state get`); ESRCH if there is none. */
    xfrmStateGet(id: t.XfrmStateId, o?: CallOptions): Promise<t.XfrmState>

    /** Adds a state (`ip xfrm state add`). A key of the wrong length for a known algorithm is a RangeError before anything is sent; an offload device given by name is looked up in this connection's namespace first. */
    xfrmStateAdd(state: t.XfrmStateSpec, o?: CallOptions): Promise<void>

    /** Updates a state (`ip xfrm state update`), e.g. a larval one from {@link xfrmStateAllocSpi}. */
    xfrmStateUpdate(state: t.XfrmStateSpec, o?: CallOptions): Promise<void>

    /** Deletes a state (`ip xfrm state delete`). */
    xfrmStateDelete(id: t.XfrmStateId, o?: CallOptions): Promise<void>

    /** Deletes every state (of one protocol when given), like `ip xfrm state flush`. */
    xfrmStateFlush(opts?: { proto?: t.XfrmProto }, o?: CallOptions): Promise<void>

    /** Allocates an SPI (`ip xfrm state allocspi`): resolves the larval state made with it. */
    xfrmStateAllocSpi(spec: t.XfrmAllocSpiSpec, o?: CallOptions): Promise<t.XfrmState>

    /** State count and hash table size (`ip -s xfrm state count`). */
    xfrmSadInfo(o?: CallOptions): Promise<t.XfrmSadInfo>

    /** A state's replay state, lifetime counters and reporting thresholds (XFRM_MSG_GETAE; iproute2 has no command for it); ESRCH if there is no such state. */
    xfrmStateAevents(id: XfrmAeventsId, o?: CallOptions): Promise<XfrmAevent>

    /** Sets a state's replay state, counters or thresholds (XFRM_MSG_NEWAE); the state must be valid (a larval one is EINVAL). */
    xfrmStateAeventsSet(spec: XfrmAeventsSpec, o?: CallOptions): Promise<void>

    /** Moves a policy's templates, and the states they match, to new addresses (XFRM_MSG_MIGRATE, CONFIG_XFRM_MIGRATE; ENOPROTOOPT without it). */
    xfrmPolicyMigrate(spec: XfrmMigrateSpec, o?: CallOptions): Promise<void>

    /** xfrm notifications in this connection's namespace, decoded (groups acquire, expire, sa, policy by default); `listExisting` yields the policies and states there are first, then `{ type: 'sync' }`. */
    xfrmEvents(opts?: XfrmEventsOptions): Promise<XfrmEvents>
  }
}

/**
 * Installs the methods above on Netlink's prototype; `xfrmOf` opens (once) a connection's xfrm
 * socket, `engineOf` gives its rtnetlink engine (device names are looked up there).
 */
export function installXfrm(proto: Netlink, xfrmOf: (n: Netlink) => XfrmConn, engineOf: (n: Netlink) => Engine): void {
  const linkIndexOf =
    (n: Netlink): x.XfrmLinkIndex =>
    (name, op, subject, o) =>
      linkIndex(engineOf(n), name, o, op, subject)
  Object.assign(proto, {
    xfrmPolicyList(this: Netlink, filter?: f.XfrmPolicyFilter, o?: CallOptions): Promise<t.XfrmPolicy[]> {
      return x.xfrmPolicyList(xfrmOf(this), filter, o)
    },
    xfrmPolicyGet(this: Netlink, id: t.XfrmPolicyId, o?: CallOptions): Promise<t.XfrmPolicy> {
      return x.xfrmPolicyGet(xfrmOf(this), id, o)
    },
    xfrmPolicyAdd(this: Netlink, policy: t.XfrmPolicySpec, o?: CallOptions): Promise<void> {
      return x.xfrmPolicyAdd(xfrmOf(this), policy, o)
    },
    xfrmPolicyUpdate(this: Netlink, policy: t.XfrmPolicySpec, o?: CallOptions): Promise<void> {
      return x.xfrmPolicyUpdate(xfrmOf(this), policy, o)
    },
    xfrmPolicyDelete(this: Netlink, id: t.XfrmPolicyId, o?: CallOptions): Promise<void> {
      return x.xfrmPolicyDelete(xfrmOf(this), id, o)
    },
    xfrmPolicyFlush(this: Netlink, opts?: { type?: 'main' | 'sub' }, o?: CallOptions): Promise<void> {
      return x.xfrmPolicyFlush(xfrmOf(this), opts, o)
    },
    xfrmSpdInfo(this: Netlink, o?: CallOptions): Promise<t.XfrmSpdInfo> {
      return x.xfrmSpdInfo(xfrmOf(this), o)
    },
    xfrmSpdSet(this: Netlink, thresh: { ipv4Thresh?: t.XfrmThresh; ipv6Thresh?: t.XfrmThresh }, o?: CallOptions): Promise<void> {
      return x.xfrmSpdSet(xfrmOf(this), thresh, o)
    },
    xfrmStateList(this: Netlink, filter?: f.XfrmStateFilter, o?: CallOptions): Promise<t.XfrmState[]> {
      return x.xfrmStateList(xfrmOf(this), filter, o)
    },
    xfrmStateGet(this: Netlink, id: t.XfrmStateId, o?: CallOptions): Promise<t.XfrmState> {
      return x.xfrmStateGet(xfrmOf(this), id, o)
    },
    xfrmStateAdd(this: Netlink, state: t.XfrmStateSpec, o?: CallOptions): Promise<void> {
      return x.xfrmStateAdd(xfrmOf(this), linkIndexOf(this), state, o)
    },
    xfrmStateUpdate(this: Netlink, state: t.XfrmStateSpec, o?: CallOptions): Promise<void> {
      return x.xfrmStateUpdate(xfrmOf(this), linkIndexOf(this), state, o)
    },
    xfrmStateDelete(this: Netlink, id: t.XfrmStateId, o?: CallOptions): Promise<void> {
      return x.xfrmStateDelete(xfrmOf(this), id, o)
    },
    xfrmStateFlush(this: Netlink, opts?: { proto?: t.XfrmProto }, o?: CallOptions): Promise<void> {
      return x.xfrmStateFlush(xfrmOf(this), opts, o)
    },
    xfrmStateAllocSpi(this: Netlink, spec: t.XfrmAllocSpiSpec, o?: CallOptions): Promise<t.XfrmState> {
      return x.xfrmStateAllocSpi(xfrmOf(this), spec, o)
    },
    xfrmSadInfo(this: Netlink, o?: CallOptions): Promise<t.XfrmSadInfo> {
      return x.xfrmSadInfo(xfrmOf(this), o)
    },
    xfrmStateAevents(this: Netlink, id: XfrmAeventsId, o?: CallOptions): Promise<XfrmAevent> {
      return ae.xfrmStateAevents(xfrmOf(this), id, o)
    },
    xfrmStateAeventsSet(this: Netlink, spec: XfrmAeventsSpec, o?: CallOptions): Promise<void> {
      return ae.xfrmStateAeventsSet(xfrmOf(this), spec, o)
    },
    xfrmPolicyMigrate(this: Netlink, spec: XfrmMigrateSpec, o?: CallOptions): Promise<void> {
      return ae.xfrmPolicyMigrate(xfrmOf(this), spec, o)
    },
    xfrmEvents(this: Netlink, opts?: XfrmEventsOptions): Promise<XfrmEvents> {
      return ev.xfrmEvents(xfrmOf(this), opts)
    },
  })
}
