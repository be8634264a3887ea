/**
 * A state's async-event values (XFRM_MSG_GETAE / NEWAE: its replay state, lifetime counters and
 * reporting thresholds) and policy migration (XFRM_MSG_MIGRATE), on an {@link XfrmConn}: the
 * shapes and the functions. iproute2 has no command for either; the layouts are the kernel's.
 *
 * @module
 */

import type { CallOptions } from '../types.js'
import { checkPlain, describe } from '../validate.js'
import type { XfrmConn } from './conn.js'
import type { XfrmCurrent, XfrmMark, XfrmMode, XfrmProto, XfrmSelector } from './types.js'

/**
 * A state for {@link xfrmStateAevents}: the kernel finds it by destination, SPI, protocol and
 * mark (`src` and `reqid` are carried in the request, not looked at).
 * @category IPsec
 */
export interface XfrmAeventsId {
  /** Destination. */
  dst: string
  /** Source. */
  src?: string
  /** Family (default: the addresses'). */
  family?: 'inet' | 'inet6'
  /** Protocol. */
  proto: XfrmProto
  /** SPI. */
  spi: number
  /** Request id. */
  reqid?: number
  /** Mark. */
  mark?: XfrmMark
}

/**
 * XFRM_AE_* flags: what a request asks for (`replayThresh`, `etimerThresh`: the thresholds are
 * included), what caused a notification (`replayUpdate`, `timerExpired`, `policyUpdated`: an
 * update by {@link xfrmStateAeventsSet}); unknown bits come as numbers.
 * @category IPsec
 */
export type XfrmAeventFlag =
  | 'replayThresh'
  | 'replayValue'
  | 'lifetimeValue'
  | 'etimerThresh'
  | 'replayUpdate'
  | 'timerExpired'
  | 'policyUpdated'

/**
 * The replay state of a state without ESN (struct xfrm_replay_state).
 * @category IPsec
 */
export interface XfrmReplay {
  /** Outbound sequence number. */
  oseq: number
  /** Highest inbound sequence number seen. */
  seq: number
  /** The window's bitmap. */
  bitmap: number
}

/**
 * The replay state of an ESN state (struct xfrm_replay_state_esn).
 * @category IPsec
 */
export interface XfrmReplayEsn {
  /** Outbound sequence number (low 32 bits). */
  oseq: number
  /** Inbound sequence number (low 32 bits). */
  seq: number
  /** Outbound sequence number (high 32 bits). */
  oseqHi: number
  /** Inbound sequence number (high 32 bits). */
  seqHi: number
  /** Replay window (packets). */
  replayWindow: number
  /** The window's bitmap, in 32-bit words (its length is the kernel's bmp_len). */
  bitmap: number[]
}

/**
 * A state's async-event values, as {@link xfrmStateAevents} resolves them and an `aevent`
 * notification carries them (a NEWAE: struct xfrm_aevent_id and its attributes).
 * @category IPsec
 */
export interface XfrmAevent {
  /** Source. */
  src: string
  /** Destination. */
  dst: string
  /** Family. */
  family: 'inet' | 'inet6'
  /** Protocol. */
  proto: XfrmProto | number
  /** SPI. */
  spi: number
  /** Request id. */
  reqid: number
  /** What was asked for, or what caused the notification. */
  flags: (XfrmAeventFlag | number)[]
  /** Replay state (XFRMA_REPLAY_VAL), for a state without ESN. */
  replay?: XfrmReplay
  /** Replay state (XFRMA_REPLAY_ESN_VAL), for an ESN state. */
  replayEsn?: XfrmReplayEsn
  /** Lifetime counters (XFRMA_LTIME_VAL). */
  current?: XfrmCurrent
  /** Replay threshold: a notification every this many packets (XFRMA_REPLAY_THRESH). */
  replayThresh?: number
  /** Timer threshold, tenths of a second (XFRMA_ETIMER_THRESH). */
  etimerThresh?: number
  /** Mark. */
  mark?: XfrmMark
  /** Interface id. */
  ifId?: number
}

/**
 * What {@link xfrmStateAeventsSet} sets on a state (XFRM_MSG_NEWAE, with the NLM_F_REPLACE the
 * kernel requires): at least one of `replay` / `replayEsn`, `current`, `replayThresh`,
 * `etimerThresh`. An {@link XfrmAevent} can be given back (its `ifId` is not sent: the kernel's
 * lookup does not read it).
 * @category IPsec
 */
export interface XfrmAeventsSpec extends XfrmAeventsId {
  /** Flags carried in the request (the kernel reports its own). */
  flags?: (XfrmAeventFlag | number)[]
  /** Replay state to set. */
  replay?: XfrmReplay
  /** ESN replay state to set (its bitmap as long as the state's). */
  replayEsn?: XfrmReplayEsn
  /** Lifetime counters to set (all four). */
  current?: XfrmCurrent
  /** Replay threshold (packets). */
  replayThresh?: number
  /**
   * Timer threshold (XFRMA_ETIMER_THRESH). The kernel stores what it is given as jiffies and
   * reports it in tenths of a second.
   */
  etimerThresh?: number
  /** Accepted (from a get), not sent. */
  ifId?: number
}

/**
 * One move of a migration (struct xfrm_user_migrate): the template (and states) with these old
 * addresses, protocol, mode and reqid get the new addresses.
 * @category IPsec
 */
export interface XfrmMove {
  /** Old source. */
  oldSrc: string
  /** Old destination. */
  oldDst: string
  /** New source. */
  newSrc: string
  /** New destination. */
  newDst: string
  /** Family of the old addresses (default: theirs). */
  oldFamily?: 'inet' | 'inet6'
  /** Family of the new addresses (default: theirs). */
  newFamily?: 'inet' | 'inet6'
  /** Protocol. */
  proto: XfrmProto
  /** Mode (default transport; a transport template matches by protocol and mode alone). */
  mode?: XfrmMode
  /** Request id (0: any). */
  reqid?: number
}

/**
 * A migration for {@link xfrmPolicyMigrate}.
 * @category IPsec
 */
export interface XfrmMigrateSpec {
  /** The policy's selector (as it was added: the kernel compares it whole). */
  selector?: XfrmSelector
  /** The policy's direction. */
  dir: 'in' | 'out' | 'fwd'
  /** The policy's type (default main). */
  type?: 'main' | 'sub'
  /** The moves, 1 to 6 (XFRMA_MIGRATE). */
  migrate: XfrmMove[]
  /** The addresses the key manager should now use (XFRMA_KMADDRESS). */
  kmaddress?: {
    /** Local address. */
    local: string
    /** Remote address. */
    remote: string
    /** Family (default: theirs). */
    family?: 'inet' | 'inet6'
  }
  /** New NAT-traversal encapsulation for the moved states (XFRMA_ENCAP). */
  encap?: {
    /** `'espinudp'`, `'espinudp-nonike'` or `'espintcp'`. */
    type: 'espinudp' | 'espinudp-nonike' | 'espintcp'
    /** Source port. */
    sport: number
    /** Destination port. */
    dport: number
    /** Original address. */
    oa?: string
  }
  /** Interface id of the policy and states (XFRMA_IF_ID). */
  ifId?: number
}

/** The spec as JSON after its shape check (the core checks each key). */
function text(v: unknown, name: string): string {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new TypeError(`${name} must be an object, got ${describe(v)}`)
  return JSON.stringify(checkPlain(v, name))
}

async function send<T>(c: XfrmConn, name: string, op: string, v: unknown, argName: string, subject: (v: never) => string, o?: CallOptions) {
  const spec = text(v, argName)
  return c.call<T>(name, subject(v as never), { op, spec }, o)
}

const saSubject = (s: { dst?: unknown; proto?: unknown; spi?: unknown }) => `${String(s.dst)} ${String(s.proto)} ${String(s.spi)}`
const polSubject = (p: { dir?: unknown; selector?: { src?: unknown; dst?: unknown } }) =>
  [p.selector?.src, p.selector?.dst, p.dir].filter((x) => typeof x === 'string').join(' ')

export async function xfrmStateAevents(c: XfrmConn, id: XfrmAeventsId, o?: CallOptions): Promise<XfrmAevent> {
  const [r] = await send<XfrmAevent>(c, 'xfrmStateAevents', 'stateAevents', id, 'id', saSubject, o)
  return r as XfrmAevent
}

export async function xfrmStateAeventsSet(c: XfrmConn, spec: XfrmAeventsSpec, o?: CallOptions): Promise<void> {
  await send(c, 'xfrmStateAeventsSet', 'stateAeventsSet', spec, 'spec', saSubject, o)
}

export async function xfrmPolicyMigrate(c: XfrmConn, spec: XfrmMigrateSpec, o?: CallOptions): Promise<void> {
  await send(c, 'xfrmPolicyMigrate', 'policyMigrate', spec, 'spec', polSubject, o)
}
