/**
 * u32, the classifier on 32-bit words of the packet (`tc filter ... u32 match ip dport 80 0xffff
 * classid 1:10`).
 *
 * @module
 */

/**
 * A field's value: a number (the whole field must equal it) or a value under a mask (tc's
 * `match ip tos 0x10 0xf0`).
 *
 * @category Traffic control
 */
export type U32Value = number | U32Masked

/**
 * A value under a mask.
 *
 * @category Traffic control
 */
export interface U32Masked {
  /** The value. */
  value: number
  /** The bits that count (default: the whole field). */
  mask?: number
}

/**
 * ICMP fields after the next header (tc's `match icmp type 8 0xff`).
 *
 * @category Traffic control
 */
export interface U32IcmpMatch {
  /** ICMP type. */
  type?: U32Value
  /** ICMP code. */
  code?: U32Value
}

/**
 * Ethernet addresses before the network header (tc's `match ether src ...`).
 *
 * @category Traffic control
 */
export interface U32EtherMatch {
  /** Source MAC (`'02:00:00:00:00:01'`). */
  src?: string
  /** Destination MAC. */
  dst?: string
}

/**
 * u32's `hashkey`: the word whose masked bits pick a bucket of the linked table.
 *
 * @category Traffic control
 */
export interface U32HashKey {
  /** The bits of the word that are hashed. */
  mask: number
  /** Byte offset of the word (a multiple of 4, default 0). */
  at?: number
}

/**
 * u32's `offset`: where the next header starts, for `nexthdr` matches and the linked table's.
 *
 * @category Traffic control
 */
export interface U32Offset {
  /** A constant offset (tc's `plus`). */
  plus?: number
  /** Byte offset of the 16-bit word the offset is read from (even). */
  at?: number
  /** That word's mask. */
  mask?: number
  /** That word's right shift. */
  shift?: number
  /** Matches of a linked table start after the offset. */
  eat?: boolean
}

/**
 * u32's `sample`: one match hashed into `divisor` buckets (default 256) to pick `ht`'s bucket.
 *
 * @category Traffic control
 */
export type U32Sample = U32Match & {
  /** Buckets of the table (a power of 2 up to 256). */
  divisor?: number
}

/**
 * IPv4 header fields (tc's `match ip ...`): `src`/`dst` as `'10.0.0.0/8'` (a bare address is
 * /32), 8-bit and 16-bit fields as numbers or value/mask, fragment tests as `true`. `sport`,
 * `dport`, `icmpType` and `icmpCode` assume a 20-byte header, as tc's do.
 *
 * @category Traffic control
 */
export interface U32IpMatch {
  /** Source prefix. */
  src?: string
  /** Destination prefix. */
  dst?: string
  /** The TOS / DS field byte. */
  tos?: U32Value
  /** Header length in words (mask `0x0f`). */
  ihl?: U32Value
  /** IP protocol number (6 TCP, 17 UDP). */
  protocol?: U32Value
  /** Not a fragment. */
  nofrag?: boolean
  /** The first fragment. */
  firstfrag?: boolean
  /** Don't-fragment set. */
  df?: boolean
  /** More-fragments set. */
  mf?: boolean
  /** Destination port. */
  dport?: U32Value
  /** Source port. */
  sport?: U32Value
  /** ICMP type. */
  icmpType?: U32Value
  /** ICMP code. */
  icmpCode?: U32Value
}

/**
 * IPv6 header fields (tc's `match ip6 ...`); ports and ICMP fields assume no extension header.
 *
 * @category Traffic control
 */
export interface U32Ip6Match {
  /** Source prefix (`'2001:db8::/64'`). */
  src?: string
  /** Destination prefix. */
  dst?: string
  /** Traffic class. */
  priority?: U32Value
  /** Next header (6 TCP, 17 UDP). */
  protocol?: U32Value
  /** Flow label (20 bits; the whole first word with its mask). */
  flowlabel?: U32Value
  /** Destination port. */
  dport?: U32Value
  /** Source port. */
  sport?: U32Value
  /** ICMPv6 type. */
  icmpType?: U32Value
  /** ICMPv6 code. */
  icmpCode?: U32Value
}

/**
 * TCP or UDP ports after the next header (tc's `match tcp dst 80 0xffff`; needs `offset`).
 *
 * @category Traffic control
 */
export interface U32PortMatch {
  /** Source port. */
  src?: U32Value
  /** Destination port. */
  dst?: U32Value
}

/**
 * A raw match: `value` under `mask` at byte offset `at` (tc's `match u32 V M at N`, which keeps
 * it). Listed filters give their keys back in this form (`u32`), as the kernel keeps them.
 *
 * @category Traffic control
 */
export interface U32RawMatch {
  /** The value. */
  value: number
  /** Its mask (default: every bit). */
  mask?: number
  /** Byte offset (default 0; a multiple of 4 for u32, even for u16; negative reaches the link header). */
  at?: number
  /** From the next header's start (tc's `at nexthdr+N`). */
  nexthdr?: boolean
  /** The key's raw offset mask (tc sets -1 for `nexthdr`, 1 for ip6 `icmp_code`). */
  offmask?: number
}

/**
 * One `match` of a u32 filter: an object naming one match type. Each field of it is one of tc's
 * `match` words, in order; keys on the same 32-bit word merge (`sport` and `dport` make one key).
 *
 * @category Traffic control
 */
export type U32Match =
  | {
      /** IPv4 header fields. */
      ip: U32IpMatch
    }
  | {
      /** IPv6 header fields. */
      ip6: U32Ip6Match
    }
  | {
      /** TCP ports (after the next header). */
      tcp: U32PortMatch
    }
  | {
      /** UDP ports (after the next header). */
      udp: U32PortMatch
    }
  | {
      /** ICMP fields (after the next header). */
      icmp: U32IcmpMatch
    }
  | {
      /** Ethernet addresses. */
      ether: U32EtherMatch
    }
  | {
      /** A raw 32-bit match. */
      u32: U32RawMatch
    }
  | {
      /** A raw 16-bit match. */
      u16: U32RawMatch
    }
  | {
      /** A raw 8-bit match. */
      u8: U32RawMatch
    }

/**
 * u32's options. A listed u32 filter carries them with its matches as raw `u32` keys, its hash
 * table in `ht` and its node in the handle, so it can be given back to `filterAdd`/`filterReplace`.
 *
 * @category Traffic control
 */
export interface U32Options {
  /** The matches, all of which must hold (tc's `match ...`); required for a rule. */
  match?: U32Match[]
  /** The class matching packets go to (`'1:10'`). */
  classid?: string
  /** tc's other name for `classid` (and how filters are listed). */
  flowid?: string
  /** Makes a hash table of this many buckets (1 to 256, a power of 2) instead of a rule. */
  divisor?: number
  /** Matching packets go on to this hash table (`'2:'`). */
  link?: string
  /** The hash table (and bucket, `'2:a'`) the rule goes into (default `'800:'`). */
  ht?: string
  /** Picks `ht`'s bucket by hashing one key as tc's `sample` does (`{ ip: { src: '10.0.0.1' }, divisor: 256 }`). */
  sample?: U32Sample
  /** With `link`: the word (`at`, a multiple of 4) whose `mask`ed bits pick the linked table's bucket. */
  hashkey?: U32HashKey
  /** Where the next header starts, for `nexthdr` matches and links (tc's `offset plus N at N mask M shift N eat`). */
  offset?: U32Offset
  /** The rule's node within its table (tc's `order`; the handle's last part). */
  order?: number
  /** Only packets that came in on this device. */
  indev?: string
  /** Not offloaded to hardware. */
  skipHw?: boolean
  /** Only in hardware. */
  skipSw?: boolean
  /** Listed: offloaded to hardware (ignored when given back). */
  inHw?: boolean
  /** Listed: not offloaded (ignored when given back). */
  notInHw?: boolean
}

/**
 * u32's per-key counters (listed in `xstats` on kernels built with CONFIG_CLS_U32_PERF), as
 * `tc -s` prints them: `(rule hit N success M)`.
 *
 * @category Traffic control
 */
export interface U32Stats {
  /** Packets the rule was tried on. */
  ruleHit: number
  /** Packets it matched. */
  success: number
  /** Packets each key matched, by key. */
  keyHits: number[]
}
