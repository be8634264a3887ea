/**
 * The shapes of IPsec policies, states and their counts, as given to add/update and as lists
 * return them (a listed object can be given back).
 *
 * @module
 */

/**
 * Which traffic a policy or state covers (struct xfrm_selector). Prefixes are `addr/len`.
 * @category IPsec
 */
export interface XfrmSelector {
  /** `'inet'` or `'inet6'` (default: the addresses', else inet). */
  family?: 'inet' | 'inet6'
  /** Source prefix (`10.0.0.0/24`). */
  src?: string
  /** Destination prefix. */
  dst?: string
  /** IP protocol: a number or `'tcp'`, `'udp'`, `'icmp'`, `'ipv6-icmp'`, `'sctp'`, `'gre'`, ... */
  proto?: string | number
  /** Source port. */
  sport?: number
  /** Source port mask (default 0xffff with a port). */
  sportMask?: number
  /** Destination port. */
  dport?: number
  /** Destination port mask (default 0xffff with a port). */
  dportMask?: number
  /** Only packets through this interface. */
  ifindex?: number
  /** Socket owner uid. */
  user?: number
}

/**
 * Lifetime limits (struct xfrm_lifetime_cfg): byte and packet limits absent are unlimited,
 * expiry times (seconds) absent are none.
 * @category IPsec
 */
export interface XfrmLifetime {
  /** Soft byte limit. */
  softByteLimit?: number
  /** Hard byte limit. */
  hardByteLimit?: number
  /** Soft packet limit. */
  softPacketLimit?: number
  /** Hard packet limit. */
  hardPacketLimit?: number
  /** Seconds after adding: soft expiry. */
  softAddExpires?: number
  /** Seconds after adding: hard expiry. */
  hardAddExpires?: number
  /** Seconds after first use: soft expiry. */
  softUseExpires?: number
  /** Seconds after first use: hard expiry. */
  hardUseExpires?: number
}

/**
 * What a policy or state has used (struct xfrm_lifetime_cur; times in seconds since the epoch).
 * @category IPsec
 */
export interface XfrmCurrent {
  /** Bytes. */
  bytes: number
  /** Packets. */
  packets: number
  /** When added. */
  addTime: number
  /** When first used (0: not yet). */
  useTime: number
}

/**
 * A mark and mask (XFRMA_MARK).
 * @category IPsec
 */
export interface XfrmMark {
  /** The mark. */
  value: number
  /** Its mask (default 0xffffffff). */
  mask?: number
}

/** IPsec protocols. @category IPsec */
export type XfrmProto = 'esp' | 'ah' | 'comp' | 'route2' | 'hao' | 'any'
/** Modes. @category IPsec */
export type XfrmMode = 'transport' | 'tunnel' | 'ro' | 'in_trigger' | 'beet'

/**
 * A policy's template (struct xfrm_user_tmpl): the state the traffic needs.
 * @category IPsec
 */
export interface XfrmTemplate {
  /** Family of src/dst (default: theirs, else the selector's). */
  family?: 'inet' | 'inet6'
  /** Tunnel source. */
  src?: string
  /** Tunnel destination (the state's). */
  dst?: string
  /** The state's SPI (0: any). */
  spi?: number
  /** The protocol. */
  proto: XfrmProto
  /** Request id matching the state's. */
  reqid?: number
  /** Mode (default transport). */
  mode?: XfrmMode
  /** Share (default any). */
  share?: 'any' | 'session' | 'user' | 'unique'
  /** `ip`'s `level use`: the state is optional. */
  optional?: boolean
  /** Authentication algorithm mask (default all). */
  aalgos?: number
  /** Encryption algorithm mask (default all). */
  ealgos?: number
  /** Compression algorithm mask (default all). */
  calgos?: number
}

/**
 * A policy as given to {@link xfrmPolicyAdd} (struct xfrm_userpolicy_info and attributes).
 * @category IPsec
 */
export interface XfrmPolicySpec {
  /** Which traffic. */
  selector?: XfrmSelector
  /** Direction. */
  dir: 'in' | 'out' | 'fwd'
  /** Priority (lower first). */
  priority?: number
  /** Index (0: the kernel picks one). */
  index?: number
  /** Action (default allow). */
  action?: 'allow' | 'block'
  /** Flags: `'localok'`, `'icmp'`. */
  flags?: ('localok' | 'icmp')[]
  /** Share. */
  share?: 'any' | 'session' | 'user' | 'unique'
  /** Lifetime limits. */
  lifetime?: XfrmLifetime
  /** The states the traffic needs, in order. */
  templates?: XfrmTemplate[]
  /** Mark (XFRMA_MARK). */
  mark?: XfrmMark
  /**
   * Security context (XFRMA_SEC_CTX, an SELinux context as `ip xfrm ... ctx CTX` sends it).
   * Without an LSM that labels IPsec the kernel accepts it and keeps nothing of it.
   */
  ctx?: string
  /** XFRM interface id (XFRMA_IF_ID). */
  ifId?: number
  /** Policy type (default main). */
  type?: 'main' | 'sub'
}

/**
 * A policy as listed (`ip xfrm policy`).
 * @category IPsec
 */
export interface XfrmPolicy extends XfrmPolicySpec {
  /** The selector. */
  selector: XfrmSelector
  /** Priority. */
  priority: number
  /** Index the kernel gave it. */
  index: number
  /** Action. */
  action: 'allow' | 'block'
  /** Flags. */
  flags: ('localok' | 'icmp')[]
  /** Lifetime limits set. */
  lifetime: XfrmLifetime
  /** Usage. */
  current: XfrmCurrent
  /** Policy type. */
  type: 'main' | 'sub'
}

/**
 * A policy by selector and direction, or by index and direction (get/delete).
 * @category IPsec
 */
export interface XfrmPolicyId {
  /** Selector. */
  selector?: XfrmSelector
  /** Direction. */
  dir: 'in' | 'out' | 'fwd'
  /** Index. */
  index?: number
  /** Mark. */
  mark?: XfrmMark
  /** Security context (as the policy was added with it). */
  ctx?: string
  /** Interface id. */
  ifId?: number
  /** Policy type. */
  type?: 'main' | 'sub'
}

/** Key bytes, or hex text (`'0x0123...'`). @category IPsec */
export type XfrmKey = string | Uint8Array

/**
 * An algorithm of a state. The key length must fit the algorithm: e.g. hmac(sha1) 160 bits,
 * hmac(sha256) 256, cbc(aes) 128/192/256, rfc4106(gcm(aes)) 160/224/288 (with a 32-bit salt).
 * @category IPsec
 */
export interface XfrmAlgorithm {
  /** Kernel crypto name (`'hmac(sha256)'`, `'cbc(aes)'`, `'rfc4106(gcm(aes))'`, `'deflate'`). */
  name: string
  /** The key (listed as hex text). */
  key?: XfrmKey
  /** auth: truncation bits (XFRMA_ALG_AUTH_TRUNC; without it XFRMA_ALG_AUTH). */
  truncLen?: number
  /** aead: ICV bits. */
  icvLen?: number
}

/**
 * A state (security association) as given to {@link xfrmStateAdd}.
 * @category IPsec
 */
export interface XfrmStateSpec {
  /** Source address. */
  src?: string
  /** Destination address. */
  dst: string
  /** Family (default: the addresses'). */
  family?: 'inet' | 'inet6'
  /** Protocol. */
  proto: XfrmProto
  /** SPI. */
  spi: number
  /** Request id. */
  reqid?: number
  /** Mode (default transport). */
  mode?: XfrmMode
  /** Replay window (over 32 or with the esn flag: XFRMA_REPLAY_ESN_VAL). */
  replayWindow?: number
  /** Flags: noecn, decap-dscp, nopmtudisc, wildrecv, icmp, af-unspec, align4, esn. */
  flags?: string[]
  /** Selector. */
  selector?: XfrmSelector
  /** Lifetime limits. */
  lifetime?: XfrmLifetime
  /** Sequence number (of an acquire). */
  seq?: number
  /** Authentication. */
  auth?: XfrmAlgorithm
  /** Encryption. */
  crypt?: XfrmAlgorithm
  /** AEAD. */
  aead?: XfrmAlgorithm
  /** Compression. */
  comp?: XfrmAlgorithm
  /** NAT traversal encapsulation. */
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
  /** Mark. */
  mark?: XfrmMark
  /**
   * Security context (XFRMA_SEC_CTX, an SELinux context as `ip xfrm ... ctx CTX` sends it).
   * Without an LSM that labels IPsec the kernel accepts it and keeps nothing of it.
   */
  ctx?: string
  /** Interface id. */
  ifId?: number
  /** Hardware offload (XFRMA_OFFLOAD_DEV), on a device given by index or by name. */
  offload?: {
    /** The device's index (listed states give it). */
    ifindex?: number
    /** The device's name instead, looked up in the connection's namespace before the request is sent. */
    dev?: string
    /** Direction. */
    dir?: 'in' | 'out'
    /** Packet offload. */
    packet?: boolean
  }
}

/**
 * A state as listed (`ip xfrm state`).
 * @category IPsec
 */
export interface XfrmState extends XfrmStateSpec {
  /** Source. */
  src: string
  /** Family. */
  family: 'inet' | 'inet6'
  /** Usage. */
  current: XfrmCurrent
  /** Counters. */
  stats: {
    /** Replay window. */
    replayWindow: number
    /** Replayed packets. */
    replay: number
    /** Integrity failures. */
    integrityFailed: number
  }
}

/**
 * A state by destination, protocol and SPI (get/delete).
 * @category IPsec
 */
export interface XfrmStateId {
  /** Destination. */
  dst: string
  /** Source. */
  src?: string
  /** Family. */
  family?: 'inet' | 'inet6'
  /** Protocol. */
  proto: XfrmProto
  /** SPI. */
  spi: number
  /** Mark. */
  mark?: XfrmMark
}

/**
 * An SPI to allocate (XFRM_MSG_ALLOCSPI): a larval state is made with it.
 * @category IPsec
 */
export interface XfrmAllocSpiSpec {
  /** Source. */
  src?: string
  /** Destination. */
  dst: string
  /** Family. */
  family?: 'inet' | 'inet6'
  /** Protocol. */
  proto: XfrmProto
  /** Mode. */
  mode?: XfrmMode
  /** Request id. */
  reqid?: number
  /** Sequence number (an acquire's). */
  seq?: number
  /** Lowest SPI (default 0x100). */
  min?: number
  /** Highest SPI (default 0x0fffffff). */
  max?: number
  /** Mark. */
  mark?: XfrmMark
  /** Interface id. */
  ifId?: number
}

/**
 * Hash thresholds: prefix lengths from which policies are hashed by address.
 * @category IPsec
 */
export interface XfrmThresh {
  /** Local prefix length. */
  local: number
  /** Remote prefix length. */
  remote: number
}

/**
 * SPD counts (`ip -s xfrm policy count`).
 * @category IPsec
 */
export interface XfrmSpdInfo {
  /** Inbound policies. */
  inCount: number
  /** Outbound policies. */
  outCount: number
  /** Forward policies. */
  fwdCount: number
  /** Inbound socket policies. */
  inSocketCount: number
  /** Outbound socket policies. */
  outSocketCount: number
  /** Forward socket policies. */
  fwdSocketCount: number
  /** Hash buckets. */
  hashCount: number
  /** Hash bucket maximum. */
  hashMax: number
  /** IPv4 thresholds. */
  ipv4Thresh?: XfrmThresh
  /** IPv6 thresholds. */
  ipv6Thresh?: XfrmThresh
}

/**
 * SAD counts (`ip -s xfrm state count`).
 * @category IPsec
 */
export interface XfrmSadInfo {
  /** States. */
  count: number
  /** Hash buckets. */
  hashCount: number
  /** Hash bucket maximum. */
  hashMax: number
}
