/**
 * The ethtool family (`ethtool`): typed gets by device (name or index, resolved by the kernel
 * in the connection's namespace) and features set by the kernel's feature names.
 *
 * @module
 */

import type { CallOptions, LinkRef } from '../types.js'
import { checkBool, checkInt, checkLinkRef, describe } from '../validate.js'
import type { GenlConn } from './conn.js'
import {
  ETHTOOL_STRING_SETS,
  type EthtoolChannels,
  type EthtoolCoalesce,
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
type Kind = 'linkInfo' | 'linkModes' | 'linkState' | 'features' | 'channels' | 'rings' | 'coalesce' | 'tsInfo'

function devFields(dev: unknown): { devIndex: number } | { devName: string } {
  const ref = checkLinkRef(dev, 'dev')
  return typeof ref === 'number' ? { devIndex: ref } : { devName: ref }
}

async function get<T>(g: GenlConn, op: string, kind: Kind, dev: LinkRef, o?: CallOptions): Promise<T> {
  const [r] = await g.call<T>(op, String(dev), { op: 'ethtool', kind, ...devFields(dev) }, o)
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
