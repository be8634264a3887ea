/**
 * The options of each action kind nlkit encodes, by kind, and an action (a discriminated union
 * on `kind`): what a filter's `actions` and `actionAdd` take. The core's action modules
 * (crates/nlkit/src/rtnl/tc/actions/) check every value.
 *
 * @module
 */

import type { GactOptions } from './kinds/gact.js'
import type { PoliceOptions } from './kinds/police.js'
import type { SkbeditOptions } from './kinds/skbedit.js'
import type { VlanOptions } from './kinds/vlan.js'
import type { CsumOptions } from './kinds/csum.js'
import type { MirredOptions } from './kinds/mirred.js'
import type { TunnelKeyOptions } from './kinds/tunnel_key.js'
import type { BpfActionOptions } from './kinds/bpf.js'

export type { ControlAction, GactOptions, GactRandom } from './kinds/gact.js'
export type { PoliceOptions } from './kinds/police.js'
export type { SkbeditOptions } from './kinds/skbedit.js'
export type { VlanOptions } from './kinds/vlan.js'
export type { CsumOptions, CsumTarget } from './kinds/csum.js'
export type { MirredOptions } from './kinds/mirred.js'
export type { TunnelKeyOptions } from './kinds/tunnel_key.js'
export type { BpfActionOptions } from './kinds/bpf.js'

/**
 * Each action kind's options, by kind.
 *
 * @category Traffic control
 */
export interface ActionKindOptions {
  /** `gact`'s options. */
  gact: GactOptions
  /** `police`'s options. */
  police: PoliceOptions
  /** `skbedit`'s options. */
  skbedit: SkbeditOptions
  /** `vlan`'s options. */
  vlan: VlanOptions
  /** `csum`'s options. */
  csum: CsumOptions
  /** `mirred`'s options. */
  mirred: MirredOptions
  /** `tunnel_key`'s options. */
  tunnel_key: TunnelKeyOptions
  /** `bpf`'s options. */
  bpf: BpfActionOptions
}

/**
 * One action: its kind, the kind's options and an optional cookie.
 *
 * @category Traffic control
 */
export type Action = {
  [K in keyof ActionKindOptions]: {
    /** The action's kind. */
    kind: K
    /** 1 to 16 bytes of the caller's, in hex, kept with the action. */
    cookie?: string
  } & ActionKindOptions[K]
}[keyof ActionKindOptions]
