/**
 * The settings of the other device kinds in {@link linkAdd} (macsec, netkit, hsr, ipoib),
 * split from link-kinds.ts to keep each file short. Names are `ip -d -j link show`'s in camelCase.
 *
 * @module
 */

import type { VethPeer } from './link-kinds.js'
import type { LinkRef } from './types.js'

/**
 * The macsec settings of {@link linkAdd} (flat or in `linkinfo`; the parent is the top-level `link`), as crates/nlkit/src/rtnl/link/kinds/macsec.rs accepts
 * them. Refused as by ip and the kernel: `incSci` with `es` or `scb`, `es` with `scb`, `replayProtect: true` without `window`, `sci` with `port`.
 *
 * @category Links
 */
export interface MacsecSettings {
  /** The secure channel identifier, up to 16 hex digits as ip prints it (`'0102030405060001'`; IFLA_MACSEC_SCI). */
  sci?: string
  /** The port of the SCI made from the link's address, instead of `sci`: [1..65535] (IFLA_MACSEC_PORT; not reported back). */
  port?: number
  /** The cipher suite (IFLA_MACSEC_CIPHER_SUITE); `'default'` is the IEEE default id ip sends for `cipher default`, the lowercase names are ip's spellings of the same ids. */
  cipherSuite?:
    | 'GCM-AES-128'
    | 'GCM-AES-256'
    | 'GCM-AES-XPN-128'
    | 'GCM-AES-XPN-256'
    | 'default'
    | 'gcm-aes-128'
    | 'gcm-aes-256'
    | 'gcm-aes-xpn-128'
    | 'gcm-aes-xpn-256'
  /** ICV length in bytes, [8..16] (IFLA_MACSEC_ICV_LEN). */
  icvLen?: number
  /** The transmitting association, [0..3] (IFLA_MACSEC_ENCODING_SA). */
  encodingSa?: number
  /** Frame validation (IFLA_MACSEC_VALIDATION). */
  validation?: 'disabled' | 'check' | 'strict'
  /** Hardware offload (IFLA_MACSEC_OFFLOAD). */
  offload?: 'off' | 'phy' | 'mac'
  /** Encrypt (IFLA_MACSEC_ENCRYPT). */
  encrypt?: boolean
  /** Include the SCI in frames, ip's `send_sci` (IFLA_MACSEC_INC_SCI). */
  incSci?: boolean
  /** End station, ip's `end_station` (IFLA_MACSEC_ES). */
  es?: boolean
  /** Single copy broadcast (IFLA_MACSEC_SCB). */
  scb?: boolean
  /** Protect frames (IFLA_MACSEC_PROTECT). */
  protect?: boolean
  /** Replay protection, ip's `replay` (IFLA_MACSEC_REPLAY_PROTECT); `true` needs `window`. */
  replayProtect?: boolean
  /** The replay window, a 32-bit integer (IFLA_MACSEC_WINDOW). */
  window?: number
}

/**
 * The netkit settings of {@link linkAdd} (flat or in `linkinfo`), as crates/nlkit/src/rtnl/link/kinds/netkit.rs accepts them. As for veth, the peer
 * shows as the link's parent, and linkGet reports it as `peer: { name }` when it is in the same namespace.
 *
 * @category Links
 */
export interface NetkitSettings {
  /** Layer 2 (with MAC addresses) or layer 3 (IFLA_NETKIT_MODE). */
  mode?: 'l2' | 'l3'
  /** What the primary does without a program: pass (`forward`) or drop (`blackhole`) (IFLA_NETKIT_POLICY). */
  policy?: 'forward' | 'blackhole'
  /** The same for the peer (IFLA_NETKIT_PEER_POLICY). */
  peerPolicy?: 'forward' | 'blackhole'
  /** Whether the primary clears skb mark and priority (`default`) or leaves that to programs (`none`) (IFLA_NETKIT_SCRUB). */
  scrub?: 'none' | 'default'
  /** The same for the peer (IFLA_NETKIT_PEER_SCRUB). */
  peerScrub?: 'none' | 'default'
  /** Extra headroom of both ends in bytes, [0..65535] (IFLA_NETKIT_HEADROOM). */
  headroom?: number
  /** Extra tailroom of both ends in bytes, [0..65535] (IFLA_NETKIT_TAILROOM). */
  tailroom?: number
  /** The other end (IFLA_NETKIT_PEER_INFO). */
  peer?: VethPeer
}

/**
 * The hsr settings of {@link linkAdd} (flat or in `linkinfo`), as crates/nlkit/src/rtnl/link/kinds/hsr.rs accepts them; links by name or index
 * (linkGet names them).
 *
 * @category Links
 */
export interface HsrSettings {
  /** The first slave link (IFLA_HSR_SLAVE1). */
  slave1?: LinkRef
  /** The second slave link, not the first (IFLA_HSR_SLAVE2). */
  slave2?: LinkRef
  /** The interlink to the SAN devices (IFLA_HSR_INTERLINK). */
  interlink?: LinkRef
  /** The last byte of the supervision address 01:15:4e:00:01:XX, [0..255] (IFLA_HSR_MULTICAST_SPEC; read back from IFLA_HSR_SUPERVISION_ADDR). */
  supervision?: number
  /** The HSR version, 0 or 1 (IFLA_HSR_VERSION; reported for HSR, not PRP). */
  version?: number
  /** 0 = HSR, 1 = PRP, as ip prints it (IFLA_HSR_PROTOCOL). */
  proto?: number
}

/**
 * The ipoib settings of {@link linkAdd} (flat or in `linkinfo`; the InfiniBand parent is the top-level `link`), as
 * crates/nlkit/src/rtnl/link/kinds/ipoib.rs accepts them.
 *
 * @category Links
 */
export interface IpoibSettings {
  /** The partition key, [1..0xffff] but 0x8000 (IFLA_IPOIB_PKEY; ip's argument, printed by `ip -j` as `key`); read back with the membership bit 0x8000 set. */
  pkey?: number
  /** Unreliable datagram or connected queue pairs (IFLA_IPOIB_MODE). */
  mode?: 'datagram' | 'connected'
  /** Allow user multicast (IFLA_IPOIB_UMCAST). */
  umcast?: boolean
}
