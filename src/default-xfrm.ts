/**
 * The module-level IPsec functions: each is the {@link Netlink} method of the same name, on the
 * default connection (its xfrm socket opened on the first call).
 *
 * @module
 */

import { conn } from './default.js'
import type { CallOptions } from './types.js'
import type { XfrmAevent, XfrmAeventsId, XfrmAeventsSpec, XfrmMigrateSpec } from './xfrm/aevents.js'
import type { XfrmEvents, XfrmEventsOptions } from './xfrm/events.js'
import type * as f from './xfrm/filters.js'
import type * as t from './xfrm/types.js'

/**
 * The IPsec policies, like `ip xfrm policy list [filter]` (one dump; the kernel filters none of it: see {@link XfrmPolicyFilter}).
 *
 * @category IPsec
 */
export function xfrmPolicyList(filter?: f.XfrmPolicyFilter, o?: CallOptions): Promise<t.XfrmPolicy[]> {
  return conn().xfrmPolicyList(filter, o)
}

/**
 * One policy by selector and direction, or by index and direction (`ip xfrm policy get`); ENOENT if there is none.
 *
 * @category IPsec
 */
export function xfrmPolicyGet(id: t.XfrmPolicyId, o?: CallOptions): Promise<t.XfrmPolicy> {
  return conn().xfrmPolicyGet(id, o)
}

/**
 * Adds a policy (`ip xfrm policy add`); EEXIST if one with its selector and direction is there.
 *
 * @category IPsec
 */
export function xfrmPolicyAdd(policy: t.XfrmPolicySpec, o?: CallOptions): Promise<void> {
  return conn().xfrmPolicyAdd(policy, o)
}

/**
 * Adds or replaces a policy (`ip xfrm policy update`).
 *
 * @category IPsec
 */
export function xfrmPolicyUpdate(policy: t.XfrmPolicySpec, o?: CallOptions): Promise<void> {
  return conn().xfrmPolicyUpdate(policy, o)
}

/**
 * Deletes a policy (`ip xfrm policy delete`).
 *
 * @category IPsec
 */
export function xfrmPolicyDelete(id: t.XfrmPolicyId, o?: CallOptions): Promise<void> {
  return conn().xfrmPolicyDelete(id, o)
}

/**
 * Deletes every policy (of one policy type when given), like `ip xfrm policy flush`.
 *
 * @category IPsec
 */
export function xfrmPolicyFlush(opts?: { type?: 'main' | 'sub' }, o?: CallOptions): Promise<void> {
  return conn().xfrmPolicyFlush(opts, o)
}

/**
 * Policy counts, hash table size and thresholds (`ip -s xfrm policy count`).
 *
 * @category IPsec
 */
export function xfrmSpdInfo(o?: CallOptions): Promise<t.XfrmSpdInfo> {
  return conn().xfrmSpdInfo(o)
}

/**
 * Sets the SPD hash thresholds (`ip xfrm policy set hthresh4 L R hthresh6 L R`).
 *
 * @category IPsec
 */
export function xfrmSpdSet(thresh: { ipv4Thresh?: t.XfrmThresh; ipv6Thresh?: t.XfrmThresh }, o?: CallOptions): Promise<void> {
  return conn().xfrmSpdSet(thresh, o)
}

/**
 * The IPsec states, like `ip xfrm state list [filter]` (keys included, as root sees them; addresses and protocol filtered in the kernel, see {@link XfrmStateFilter}).
 *
 * @category IPsec
 */
export function xfrmStateList(filter?: f.XfrmStateFilter, o?: CallOptions): Promise<t.XfrmState[]> {
  return conn().xfrmStateList(filter, o)
}

/**
 * One state by destination, protocol and SPI (`ip xfrm state get`); ESRCH if there is none.
 *
 * @category IPsec
 */
export function xfrmStateGet(id: t.XfrmStateId, o?: CallOptions): Promise<t.XfrmState> {
  return conn().xfrmStateGet(id, o)
}

/**
 * Adds a state (`ip xfrm state add`). A key of the wrong length for a known algorithm is a RangeError before anything is sent; an offload device given by name is looked up in this connection's namespace first.
 *
 * @category IPsec
 */
export function xfrmStateAdd(state: t.XfrmStateSpec, o?: CallOptions): Promise<void> {
  return conn().xfrmStateAdd(state, o)
}

/**
 * Updates a state (`ip xfrm state update`), e.g. a larval one from {@link xfrmStateAllocSpi}.
 *
 * @category IPsec
 */
export function xfrmStateUpdate(state: t.XfrmStateSpec, o?: CallOptions): Promise<void> {
  return conn().xfrmStateUpdate(state, o)
}

/**
 * Deletes a state (`ip xfrm state delete`).
 *
 * @category IPsec
 */
export function xfrmStateDelete(id: t.XfrmStateId, o?: CallOptions): Promise<void> {
  return conn().xfrmStateDelete(id, o)
}

/**
 * Deletes every state (of one protocol when given), like `ip xfrm state flush`.
 *
 * @category IPsec
 */
export function xfrmStateFlush(opts?: { proto?: t.XfrmProto }, o?: CallOptions): Promise<void> {
  return conn().xfrmStateFlush(opts, o)
}

/**
 * Allocates an SPI (`ip xfrm state allocspi`): resolves the larval state made with it.
 *
 * @category IPsec
 */
export function xfrmStateAllocSpi(spec: t.XfrmAllocSpiSpec, o?: CallOptions): Promise<t.XfrmState> {
  return conn().xfrmStateAllocSpi(spec, o)
}

/**
 * State count and hash table size (`ip -s xfrm state count`).
 *
 * @category IPsec
 */
export function xfrmSadInfo(o?: CallOptions): Promise<t.XfrmSadInfo> {
  return conn().xfrmSadInfo(o)
}

/**
 * A state's replay state, lifetime counters and reporting thresholds (XFRM_MSG_GETAE; iproute2 has no command for it); ESRCH if there is no such state.
 *
 * @category IPsec
 */
export function xfrmStateAevents(id: XfrmAeventsId, o?: CallOptions): Promise<XfrmAevent> {
  return conn().xfrmStateAevents(id, o)
}

/**
 * Sets a state's replay state, counters or thresholds (XFRM_MSG_NEWAE); the state must be valid (a larval one is EINVAL).
 *
 * @category IPsec
 */
export function xfrmStateAeventsSet(spec: XfrmAeventsSpec, o?: CallOptions): Promise<void> {
  return conn().xfrmStateAeventsSet(spec, o)
}

/**
 * Moves a policy's templates, and the states they match, to new addresses (XFRM_MSG_MIGRATE, CONFIG_XFRM_MIGRATE; ENOPROTOOPT without it).
 *
 * @category IPsec
 */
export function xfrmPolicyMigrate(spec: XfrmMigrateSpec, o?: CallOptions): Promise<void> {
  return conn().xfrmPolicyMigrate(spec, o)
}

/**
 * xfrm notifications in this connection's namespace, decoded (groups acquire, expire, sa, policy by default); `listExisting` yields the policies and states there are first, then `{ type: 'sync' }`.
 *
 * @category IPsec
 */
export function xfrmEvents(opts?: XfrmEventsOptions): Promise<XfrmEvents> {
  return conn().xfrmEvents(opts)
}
