/**
 * The ethtool family (`ethtool`): typed gets by device (name or index, resolved by the kernel
 * in the connection's namespace) and features set by the kernel's feature names.
 *
 * @module
 */

import type { CallOptions, LinkRef } from '../types.js'
import { checkBool, checkInt, checkLinkRef, describe } from '../validate.js'
import { checkObject } from './args.js'
import type { GenlConn } from './conn.js'
import {
  ETHTOOL_STRING_SETS,
  type EthtoolChannels,
  type EthtoolCoalesce,
  type EthtoolEee,
  type EthtoolLinkModesSpec,
  type EthtoolPause,
  type EthtoolStats,
  type EthtoolFeature,
  type EthtoolFeatures,
  type EthtoolLinkInfo,
  type EthtoolLinkModes,
  type EthtoolLinkState,
  type EthtoolRings,
  type EthtoolStringSet,
  type EthtoolTsInfo,
} from './ethtool-types.js'

/** ops_in/genl.rs `ethtool` kinds, by the public function that asks for them. */
type Kind = 'linkInfo' | 'linkModes' | 'linkState' | 'features' | 'channels' | 'rings' | 'coalesce' | 'tsInfo' | 'pause' | 'eee' | 'stats'

function devFields(dev: unknown): { devIndex: number } | { devName: string } {
  const ref = checkLinkRef(dev, 'dev')
  return typeof ref === 'number' ? { devIndex: ref } : { devName: ref }
}

async function get<T>(g: GenlConn, op: string, kind: Kind, dev: LinkRef, o?: CallOptions, args?: object): Promise<T> {
  const record = { op: 'ethtool', kind, ...devFields(dev), args: args && JSON.stringify(args) }
  const [r] = await g.call<T>(op, String(dev), record, o)
  if (r === undefined) throw new RangeError(`${op} ${dev}: the kernel sent no reply`)
  return r
}

export const ethtoolLinkInfo = (g: GenlConn, dev: LinkRef, o?: CallOptions) =>
  get<EthtoolLinkInfo>(g, 'ethtoolLinkInfo', 'linkInfo', dev, o)
export const ethtoolLinkModes = (g: GenlConn, dev: LinkRef, o?: CallOptions) =>
  get<EthtoolLinkModes>(g, 'ethtoolLinkModes', 'linkModes', dev, o)
export const ethtoolLinkState = (g: GenlConn, dev: LinkRef, o?: CallOptions) =>
  get<EthtoolLinkState>(g, 'ethtoolLinkState', 'linkState', dev, o)
/**
 * The kernel lists only the features on in at least one of its sets: the rest (off and fixed)
 * come from the "features" string set, whose order the result follows.
 */
export async function ethtoolFeatures(g: GenlConn, dev: LinkRef, o?: CallOptions): Promise<EthtoolFeatures> {
  const [r, names] = await Promise.all([
    get<EthtoolFeatures>(g, 'ethtoolFeatures', 'features', dev, o),
    ethtoolStrings(g, null, 'features', o),
  ])
  const features: Record<string, EthtoolFeature> = {}
  for (const n of names) if (n) features[n] = r.features[n] ?? { active: false, requested: false, fixed: true }
  for (const [n, f] of Object.entries(r.features)) features[n] ??= f
  return { ...r, features }
}
export const ethtoolChannels = (g: GenlConn, dev: LinkRef, o?: CallOptions) =>
  get<EthtoolChannels>(g, 'ethtoolChannels', 'channels', dev, o)
export const ethtoolRings = (g: GenlConn, dev: LinkRef, o?: CallOptions) => get<EthtoolRings>(g, 'ethtoolRings', 'rings', dev, o)
export const ethtoolCoalesce = (g: GenlConn, dev: LinkRef, o?: CallOptions) =>
  get<EthtoolCoalesce>(g, 'ethtoolCoalesce', 'coalesce', dev, o)
export const ethtoolTsInfo = (g: GenlConn, dev: LinkRef, o?: CallOptions) => get<EthtoolTsInfo>(g, 'ethtoolTsInfo', 'tsInfo', dev, o)

/** Feature names as the kernel takes them: printable, no spaces, at most ETH_GSTRING_LEN - 1. */
const FEATURE_NAME = /^[\x21-\x7e]{1,31}$/

export async function ethtoolFeaturesSet(g: GenlConn, dev: LinkRef, changes: Record<string, boolean>, o?: CallOptions): Promise<void> {
  const d = devFields(dev)
  if (typeof changes !== 'object' || changes === null || Array.isArray(changes))
    throw new TypeError(`features must be an object { name: boolean }, got ${describe(changes)}`)
  const on: string[] = []
  const off: string[] = []
  for (const [name, v] of Object.entries(changes)) {
    if (!FEATURE_NAME.test(name)) throw new RangeError(`feature name ${describe(name)} is not a kernel feature name`)
    ;(checkBool(v, `features[${JSON.stringify(name)}]`) ? on : off).push(name)
  }
  if (on.length + off.length === 0) throw new RangeError('features must name at least one feature')
  await g.call('ethtoolFeaturesSet', String(dev), { op: 'ethtoolFeaturesSet', ...d, featuresOn: on, featuresOff: off }, o)
}

export async function ethtoolStrings(
  g: GenlConn,
  dev: LinkRef | null | undefined,
  set: EthtoolStringSet,
  o?: CallOptions,
): Promise<string[]> {
  const d = dev === undefined || dev === null ? {} : devFields(dev)
  let id: number
  if (typeof set === 'string') {
    const n = (ETHTOOL_STRING_SETS as Record<string, number>)[set]
    if (n === undefined || !Object.hasOwn(ETHTOOL_STRING_SETS, set))
      throw new RangeError(
        `unknown string set ${describe(set)}; expected one of ${Object.keys(ETHTOOL_STRING_SETS).join(', ')} or a number`,
      )
    id = n
  } else id = checkInt(set, 'set', 0, 0xffffffff)
  const subject = `${dev ?? ''}${dev == null ? '' : ' '}set ${set}`
  const [r] = await g.call<{ strings: string[] }>('ethtoolStrings', subject, { op: 'ethtool', kind: 'strings', ...d, set: id }, o)
  return r?.strings ?? []
}

export function ethtoolPause(g: GenlConn, dev: LinkRef, o?: CallOptions & { stats?: boolean }): Promise<EthtoolPause> {
  try {
    const { stats } = checkObject(o, new Set(['stats', 'timeout', 'signal']), 'options')
    if (stats !== undefined) checkBool(stats, 'options.stats')
    return get<EthtoolPause>(g, 'ethtoolPause', 'pause', dev, o && { timeout: o.timeout, signal: o.signal }, { stats })
  } catch (e) {
    return Promise.reject(e)
  }
}

export const ethtoolEee = (g: GenlConn, dev: LinkRef, o?: CallOptions) => get<EthtoolEee>(g, 'ethtoolEee', 'eee', dev, o)

/** Sends an `ethtoolSet` of `kind` with `args` (checked by the caller). */
async function set(g: GenlConn, op: string, kind: string, dev: LinkRef, args: object, o?: CallOptions): Promise<void> {
  if (Object.values(args).every((v) => v === undefined)) throw new TypeError(`${op}: nothing to change`)
  await g.call(op, String(dev), { op: 'ethtoolSet', kind, ...devFields(dev), args: JSON.stringify(args) }, o)
}

const bools = (v: Record<string, unknown>, keys: string[], name: string) => {
  for (const k of keys) if (v[k] !== undefined) checkBool(v[k], `${name}.${k}`)
}

export async function ethtoolPauseSet(g: GenlConn, dev: LinkRef, p: Pick<EthtoolPause, 'autoneg' | 'rx' | 'tx'>, o?: CallOptions) {
  const v = checkObject(p, new Set(['autoneg', 'rx', 'tx']), 'pause')
  bools(v, ['autoneg', 'rx', 'tx'], 'pause')
  await set(g, 'ethtoolPauseSet', 'pause', dev, { autoneg: v.autoneg, rx: v.rx, tx: v.tx }, o)
}

export async function ethtoolEeeSet(
  g: GenlConn,
  dev: LinkRef,
  e: Pick<EthtoolEee, 'enabled' | 'txLpiEnabled' | 'txLpiTimer' | 'advertised'>,
  o?: CallOptions,
) {
  const v = checkObject(e, new Set(['enabled', 'txLpiEnabled', 'txLpiTimer', 'advertised']), 'eee')
  bools(v, ['enabled', 'txLpiEnabled'], 'eee')
  if (v.txLpiTimer !== undefined) checkInt(v.txLpiTimer, 'eee.txLpiTimer', 0, 0xffffffff)
  if (v.advertised !== undefined) checkNames(v.advertised, 'eee.advertised')
  await set(g, 'ethtoolEeeSet', 'eee', dev, { ...v }, o)
}

function checkNames(v: unknown, name: string): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || !FEATURE_NAME.test(x)))
    throw new TypeError(`${name} must be an array of the kernel's names, got ${describe(v)}`)
  return v
}

export async function ethtoolLinkModesSet(g: GenlConn, dev: LinkRef, m: EthtoolLinkModesSpec, o?: CallOptions): Promise<void> {
  const v = checkObject(m, new Set(['speed', 'duplex', 'autoneg', 'lanes', 'advertised']), 'modes')
  if (v.speed !== undefined) checkInt(v.speed, 'modes.speed', 1, 0xfffffffe)
  if (v.duplex !== undefined && v.duplex !== 'half' && v.duplex !== 'full')
    throw new RangeError(`modes.duplex must be 'half' or 'full', got ${describe(v.duplex)}`)
  bools(v, ['autoneg'], 'modes')
  if (v.lanes !== undefined) checkInt(v.lanes, 'modes.lanes', 1, 0xffffffff)
  if (v.advertised !== undefined) checkNames(v.advertised, 'modes.advertised')
  await set(g, 'ethtoolLinkModesSet', 'linkModes', dev, { ...v }, o)
}

/** The standard statistics groups, by their ETH_SS_STATS_STD names. */
const STATS_GROUPS: ReadonlySet<string> = new Set(['eth-phy', 'eth-mac', 'eth-ctrl', 'rmon'])

interface WireGroup {
  group: string | number
  ssId: number
  stats: Record<string, number>
  histRx?: { low: number; high: number; value: number }[]
  histTx?: { low: number; high: number; value: number }[]
}

export async function ethtoolStats(g: GenlConn, dev: LinkRef, o?: CallOptions & { groups?: string[] }): Promise<EthtoolStats> {
  const { groups } = checkObject(o, new Set(['groups', 'timeout', 'signal']), 'options')
  if (groups !== undefined) {
    checkNames(groups, 'options.groups')
    for (const x of groups)
      if (!STATS_GROUPS.has(x))
        throw new RangeError(`options.groups: unknown group ${describe(x)}; expected ${[...STATS_GROUPS].join(', ')}`)
  }
  const r = await get<EthtoolDeviceStats>(g, 'ethtoolStats', 'stats', dev, o && { timeout: o.timeout, signal: o.signal }, { groups })
  // Counters come by index into each group's string set: name them from it.
  const names = new Map<number, string[]>()
  await Promise.all([...new Set(r.groups.map((x) => x.ssId))].map(async (id) => names.set(id, await ethtoolStrings(g, null, id))))
  const out: EthtoolStats = { ifindex: r.ifindex, ifname: r.ifname, groups: {} }
  for (const grp of r.groups) {
    const n = names.get(grp.ssId) ?? []
    out.groups[String(grp.group)] = Object.fromEntries(Object.entries(grp.stats).map(([i, v]) => [n[Number(i)] || i, v]))
    if (grp.histRx || grp.histTx) out.rmonHistograms = { rx: grp.histRx ?? [], tx: grp.histTx ?? [] }
  }
  return out
}

type EthtoolDeviceStats = { ifindex: number; ifname: string; groups: WireGroup[] }
