/**
 * The settings of the other device kinds in {@link linkAdd} (macsec, netkit, hsr, ipoib),
 * split from link-kinds.ts to keep each file short. Names are `ip -d -j link show`'s in camelCase.
 *
 * @module
 */

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
