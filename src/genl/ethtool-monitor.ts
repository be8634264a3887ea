/**
 * ethtool's notifications (its "monitor" multicast group), decoded: each change a device's
 * link settings, features, channels, rings or coalescing undergo, in the shape of the get.
 *
 * @module
 */

import { rawOptions, type SourceFactory, sourceOver } from '../event-sources.js'
import { ethtoolNotification } from '../native.js'
import type { RawEvents, RawEventsOptions } from '../raw-events.js'
import type {
  EthtoolChannels,
  EthtoolCoalesce,
  EthtoolEee,
  EthtoolFeatures,
  EthtoolLinkInfo,
  EthtoolLinkModes,
  EthtoolPause,
  EthtoolRings,
} from './ethtool-types.js'
import { GenlConn } from './conn.js'
import { ethtoolStrings } from './ethtool.js'
import { genlSubscribe } from './families.js'

/**
 * One item of {@link ethtoolMonitor}: a change (`data` shaped like the get of its `kind`; a
 * features change lists the features that are changeable or on), a notification nlkit does not
 * decode yet (`kind: 'other'`, its ethtool command), or the point where the kernel dropped some.
 * @category Ethtool
 */
export type EthtoolEvent =
  | {
      /** A notification. */
      type: 'notification'
      /** What changed. */
      kind: 'linkInfo'
      /** The new state. */
      data: EthtoolLinkInfo
    }
  | {
      /** A notification. */
      type: 'notification'
      /** What changed. */
      kind: 'linkModes'
      /** The new state. */
      data: EthtoolLinkModes
    }
  | {
      /** A notification. */
      type: 'notification'
      /** What changed. */
      kind: 'features'
      /** The new state. */
      data: EthtoolFeatures
    }
  | {
      /** A notification. */
      type: 'notification'
      /** What changed. */
      kind: 'rings'
      /** The new state. */
      data: EthtoolRings
    }
  | {
      /** A notification. */
      type: 'notification'
      /** What changed. */
      kind: 'channels'
      /** The new state. */
      data: EthtoolChannels
    }
  | {
      /** A notification. */
      type: 'notification'
      /** What changed. */
      kind: 'coalesce'
      /** The new state. */
      data: EthtoolCoalesce
    }
  | {
      /** A notification. */
      type: 'notification'
      /** What changed. */
      kind: 'pause'
      /** The new state. */
      data: EthtoolPause
    }
  | {
      /** A notification. */
      type: 'notification'
      /** What changed. */
      kind: 'eee'
      /** The new state. */
      data: EthtoolEee
    }
  | {
      /** A notification nlkit does not decode yet (debug, WoL, cable tests, ...). */
      type: 'notification'
      /** Not decoded. */
      kind: 'other'
      /** Its ETHTOOL_MSG_*_NTF command. */
      cmd: number
    }
  | {
      /** The kernel dropped notifications here (the consumer was too slow). */
      type: 'overflow'
    }

/**
 * A subscription to ethtool's notifications: iterate it with `for await`; `break`, `close()`
 * or an abort end it. While open it keeps the process alive.
 * @category Ethtool
 */
export interface EthtoolMonitor extends AsyncIterableIterator<EthtoolEvent> {
  /** Ends the subscription. Idempotent. */
  close(): void
}

/** The kernel's names for the bits compact bitsets carry by number (see {@link named}). */
interface Names {
  features: string[]
  linkModes: string[]
}

/**
 * The kernel sends notifications with compact bitsets, which carry bits by number: the core
 * names them by their index (`'23'`); here they get their string set's names back.
 */
function named(ev: { kind: string; data: Record<string, unknown> }, names: Names): void {
  const name = (list: string[], k: string) => (/^\d+$/.test(k) ? list[Number(k)] || undefined : k)
  if (ev.kind === 'features') {
    const f = ev.data.features as Record<string, unknown>
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(f)) {
      const n = name(names.features, k)
      if (n) out[n] = v
    }
    ev.data.features = out
  } else if (ev.kind === 'linkModes') {
    for (const key of ['supported', 'advertised', 'peerAdvertised']) {
      const l = ev.data[key] as string[] | undefined
      if (l) ev.data[key] = l.map((k) => name(names.linkModes, k)).filter(Boolean)
    }
  }
}

function decode(raw: RawEvents, names: Names): EthtoolMonitor {
  const m: EthtoolMonitor = {
    async next(): Promise<IteratorResult<EthtoolEvent>> {
      const r = await raw.next()
      if (r.done) return { value: undefined, done: true }
      if (r.value.type === 'overflow') return { value: { type: 'overflow' }, done: false }
      const p = r.value.message.payload
      const text = ethtoolNotification(p)
      if (text === null) return { value: { type: 'notification', kind: 'other', cmd: p[0] ?? 0 }, done: false }
      const ev = JSON.parse(text)
      named(ev, names)
      return { value: { type: 'notification', ...ev } as EthtoolEvent, done: false }
    },
    async return(): Promise<IteratorResult<EthtoolEvent>> {
      raw.close()
      return { value: undefined, done: true }
    },
    [Symbol.asyncIterator]() {
      return m
    },
    close: () => raw.close(),
  }
  return m
}

export async function ethtoolMonitor(g: GenlConn, o?: RawEventsOptions): Promise<EthtoolMonitor> {
  // The names first: a subscription must not start before the call can still fail.
  const [features, linkModes] = await Promise.all([ethtoolStrings(g, null, 'features'), ethtoolStrings(g, null, 'link-modes')])
  return decode(await genlSubscribe(g, 'ethtool', ['monitor'], o), { features, linkModes })
}

/**
 * The `'ethtool'` group of {@link subscribe}: this monitor on a generic socket of the
 * subscription's own, its notifications as `{ type: 'ethtool', kind, data }`.
 */
export const ethtoolSource: SourceFactory = sourceOver(
  'ethtool',
  (o) => new GenlConn({ netns: o.netns, trace: o.trace }),
  (g, o) => ethtoolMonitor(g, rawOptions(o)),
  ({ type: _, ...rest }) => ({ type: 'ethtool', ...rest }),
)
