/**
 * What the ethtool family's typed gets resolve: link info, link modes, link state, features,
 * channels, rings, coalesce and timestamping info, and the kernel's string set ids.
 *
 * @module
 */

/**
 * The kernel's string sets by name (`ETH_SS_*` in linux/ethtool.h), for {@link ethtoolStrings}.
 * @category Ethtool
 */
export const ETHTOOL_STRING_SETS = {
  /** Self-test result names (per device). */
  test: 0,
  /** Statistic names (per device). */
  stats: 1,
  /** Driver private flag names (per device). */
  'priv-flags': 2,
  /** ntuple filter names (unused). */
  'ntuple-filters': 3,
  /** Device feature names (`rx-gro`, ...). */
  features: 4,
  /** RSS hash function names. */
  'rss-hash-funcs': 5,
  /** Tunable names. */
  tunables: 6,
  /** PHY statistic names (per device). */
  'phy-stats': 7,
  /** PHY tunable names. */
  'phy-tunables': 8,
  /** Link mode names (`10000baseT/Full`, ...). */
  'link-modes': 9,
  /** Debug message class names. */
  'msg-classes': 10,
  /** Wake-on-LAN mode names. */
  'wol-modes': 11,
  /** SOF_TIMESTAMPING_* flag names. */
  'sof-timestamping': 12,
  /** Hardware timestamping TX type names. */
  'ts-tx-types': 13,
  /** Hardware timestamping RX filter names. */
  'ts-rx-filters': 14,
  /** UDP tunnel type names. */
  'udp-tunnel-types': 15,
  /** Standard statistic group names. */
  'stats-std': 16,
  /** IEEE 802.3 PHY statistic names. */
  'stats-eth-phy': 17,
  /** IEEE 802.3 MAC statistic names. */
  'stats-eth-mac': 18,
  /** IEEE 802.3 MAC Control statistic names. */
  'stats-eth-ctrl': 19,
  /** RMON statistic names. */
  'stats-rmon': 20,
} as const

/**
 * A string set: one of {@link ETHTOOL_STRING_SETS}'s names, or its number.
 * @category Ethtool
 */
export type EthtoolStringSet = keyof typeof ETHTOOL_STRING_SETS | number

/**
 * The device an ethtool reply is about (every reply has these).
 * @category Ethtool
 */
export interface EthtoolDevice {
  /** The device's index. */
  ifindex: number
  /** The device's name. */
  ifname: string
}

/**
 * Link info (`ethtool DEV`: Port, PHYAD, MDI-X, Transceiver).
 * @category Ethtool
 */
export interface EthtoolLinkInfo extends EthtoolDevice {
  /** `'tp'`, `'aui'`, `'bnc'`, `'mii'`, `'fibre'`, `'da'`, `'none'`, `'other'`, or the PORT_* number. */
  port?: string | number
  /** The PHY address. */
  phyaddr?: number
  /** MDI-X status (ETH_TP_MDI_*: 0 unknown, 1 MDI, 2 MDI-X). */
  tpMdix?: number
  /** MDI-X control (ETH_TP_MDI_*; 3 auto). */
  tpMdixCtrl?: number
  /** `'internal'`, `'external'`, or the XCVR_* number. */
  transceiver?: string | number
}

/**
 * Link modes (`ethtool DEV`: Speed, Duplex, Auto-negotiation, link modes by the kernel's names).
 * @category Ethtool
 */
export interface EthtoolLinkModes extends EthtoolDevice {
  /** Auto-negotiation on. */
  autoneg?: boolean
  /** Mb/s, or `'unknown'`. */
  speed?: number | 'unknown'
  /** `'half'`, `'full'` or `'unknown'`. */
  duplex?: 'half' | 'full' | 'unknown'
  /** The link modes the device supports (`'10000baseT/Full'`, ...). */
  supported?: string[]
  /** The link modes it advertises. */
  advertised?: string[]
  /** The link modes the link partner advertises. */
  peerAdvertised?: string[]
  /** Lanes in use. */
  lanes?: number
  /** Master/slave configuration (MASTER_SLAVE_CFG_*). */
  masterSlaveCfg?: number
  /** Master/slave state (MASTER_SLAVE_STATE_*). */
  masterSlaveState?: number
}

/**
 * Link state (`ethtool DEV`: Link detected; SQI and the extended state where the driver has them).
 * @category Ethtool
 */
export interface EthtoolLinkState extends EthtoolDevice {
  /** Link detected. */
  link?: boolean
  /** Signal quality index. */
  sqi?: number
  /** The highest SQI. */
  sqiMax?: number
  /** ETHTOOL_LINK_EXT_STATE_*. */
  extState?: number
  /** The extended substate. */
  extSubstate?: number
  /** Link down events. */
  extDownCount?: number
}

/**
 * One feature's state, as `ethtool --json -k` prints it.
 * @category Ethtool
 */
export interface EthtoolFeature {
  /** On now. */
  active: boolean
  /** Asked for (it may be off while a dependency is). */
  requested: boolean
  /** Cannot be changed. */
  fixed: boolean
}

/**
 * Features by the kernel's names (`ethtool -k`; `rx-gro` is ethtool's generic-receive-offload).
 * @category Ethtool
 */
export interface EthtoolFeatures extends EthtoolDevice {
  /** Every feature the kernel names, in its order. */
  features: Record<string, EthtoolFeature>
}

/**
 * Channels (`ethtool -l`): the maximums and current counts the device reports (others absent).
 * @category Ethtool
 */
export interface EthtoolChannels extends EthtoolDevice {
  /** RX-only channels, at most. */
  rxMax?: number
  /** TX-only channels, at most. */
  txMax?: number
  /** Other channels, at most. */
  otherMax?: number
  /** Combined channels, at most. */
  combinedMax?: number
  /** RX-only channels. */
  rxCount?: number
  /** TX-only channels. */
  txCount?: number
  /** Other channels. */
  otherCount?: number
  /** Combined channels. */
  combinedCount?: number
}

/**
 * Ring sizes (`ethtool -g`): what the device reports, by camelCase attribute name (`rxMax`,
 * `rx`, `txMax`, `tx`, `rxBufLen`, `cqeSize`, `txPush`, ...).
 * @category Ethtool
 */
export interface EthtoolRings extends EthtoolDevice {
  /** The values the device reports. */
  [key: string]: number | boolean | string
}

/**
 * Interrupt coalescing (`ethtool -c`): what the device reports, by camelCase attribute name
 * (`rxUsecs`, `rxMaxFrames`, `txUsecs`, `useAdaptiveRx`, ...).
 * @category Ethtool
 */
export interface EthtoolCoalesce extends EthtoolDevice {
  /** The values the device reports. */
  [key: string]: number | boolean | string
}

/**
 * Timestamping capabilities (`ethtool -T`).
 * @category Ethtool
 */
export interface EthtoolTsInfo extends EthtoolDevice {
  /** SOF_TIMESTAMPING_* capabilities by name (`'software-transmit'`, ...). */
  timestamping: string[]
  /** Hardware TX timestamp modes by name. */
  txTypes: string[]
  /** Hardware RX filter modes by name. */
  rxFilters: string[]
  /** The PTP hardware clock's index; absent: none. */
  phcIndex?: number
}

/**
 * Pause frame settings (`ethtool -a`), with counters when asked (`ethtool -I -a`).
 * @category Ethtool
 */
export interface EthtoolPause extends EthtoolDevice {
  /** Pause autonegotiation. */
  autoneg?: boolean
  /** Receive pause frames. */
  rx?: boolean
  /** Transmit pause frames. */
  tx?: boolean
  /** Pause frames sent and received (with `{ stats: true }`, where the driver counts them). */
  stats?: {
    /** Pause frames sent. */
    txFrames?: number
    /** Pause frames received. */
    rxFrames?: number
  }
}

/**
 * Energy-Efficient Ethernet (`ethtool --show-eee`).
 * @category Ethtool
 */
export interface EthtoolEee extends EthtoolDevice {
  /** EEE link modes the device supports, by the kernel's link mode names. */
  supported?: string[]
  /** Those it advertises. */
  advertised?: string[]
  /** Those the link partner advertises. */
  peerAdvertised?: string[]
  /** EEE negotiated and active. */
  active?: boolean
  /** EEE enabled. */
  enabled?: boolean
  /** Transmit low-power idle enabled. */
  txLpiEnabled?: boolean
  /** Transmit LPI timer, µs. */
  txLpiTimer?: number
}

/**
 * Standard statistics (`ethtool -S DEV --all-groups`): each group the driver reports, its
 * counters by the kernel's names (`FramesTransmittedOK`, ...); RMON's size histograms as
 * buckets.
 * @category Ethtool
 */
export interface EthtoolStats extends EthtoolDevice {
  /** Counters by group (`eth-phy`, `eth-mac`, `eth-ctrl`, `rmon`), then by name. */
  groups: Record<string, Record<string, number>>
  /** RMON's receive and transmit frame-size histograms, where the driver has them. */
  rmonHistograms?: {
    /** Received frames by size. */
    rx: EthtoolHistogramBucket[]
    /** Sent frames by size. */
    tx: EthtoolHistogramBucket[]
  }
}

/**
 * One bucket of an RMON frame-size histogram.
 * @category Ethtool
 */
export interface EthtoolHistogramBucket {
  /** Smallest frame size, bytes. */
  low: number
  /** Largest frame size, bytes (0: no limit). */
  high: number
  /** Frames. */
  value: number
}

/**
 * A link modes change (`ethtool -s`).
 * @category Ethtool
 */
export interface EthtoolLinkModesSpec {
  /** Speed, Mb/s (with autoneg off). */
  speed?: number
  /** Duplex (with autoneg off). */
  duplex?: 'half' | 'full'
  /** Autonegotiation. */
  autoneg?: boolean
  /** Lanes. */
  lanes?: number
  /** Exactly these link modes advertised, by the kernel's names (`1000baseT/Full`). */
  advertised?: string[]
}
