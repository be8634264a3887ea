/**
 * What the conntrack functions take and resolve. Field names follow `conntrack -L -o extended`
 * (and `-o xml`): a line such as
 *
 * ```
 * ipv4 2 tcp 6 99 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=1000 dport=80 packets=3 bytes=180
 *   src=10.0.0.2 dst=10.0.0.1 sport=80 dport=1000 packets=2 bytes=120 [ASSURED] mark=5 zone=3 use=1
 * ```
 *
 * reads `{ family: 'ipv4', protocol: 'tcp', protonum: 6, timeout: 99, state: 'ESTABLISHED',
 * orig: { src, dst, sport, dport }, reply: {...}, counters: { orig: { packets, bytes }, reply },
 * status: ['SEEN_REPLY', 'ASSURED', 'CONFIRMED'], mark: 5, zone: 3, use: 1, id }`. conntrack's
 * `[UNREPLIED]` is an entry whose status lacks `SEEN_REPLY`; `-o id` prints `id`, `-o
 * timestamp` the `timestamp`, `-o labels` the `labels` (here by bit number), `helper=` the helper.
 *
 * @module
 */

/**
 * A layer-3 family as conntrack prints it.
 * @category Conntrack
 */
export type ConntrackFamily = 'ipv4' | 'ipv6'

/**
 * A layer-4 protocol: a name conntrack prints (`tcp`, `udp`, `udplite`, `icmp`, `icmpv6`,
 * `sctp`, `dccp`, `gre`) or a protocol number.
 * @category Conntrack
 */
export type ConntrackProtocol = 'tcp' | 'udp' | 'udplite' | 'icmp' | 'icmpv6' | 'sctp' | 'dccp' | 'gre' | number

/**
 * A status bit by the kernel's name without `IPS_` (conntrack's `-u` takes the same names).
 * Unnamed bits of a listed entry read `BIT<n>`.
 * @category Conntrack
 */
export type ConntrackStatus =
  | 'EXPECTED'
  | 'SEEN_REPLY'
  | 'ASSURED'
  | 'CONFIRMED'
  | 'SRC_NAT'
  | 'DST_NAT'
  | 'SEQ_ADJUST'
  | 'SRC_NAT_DONE'
  | 'DST_NAT_DONE'
  | 'DYING'
  | 'FIXED_TIMEOUT'
  | 'TEMPLATE'
  | 'NAT_CLASH'
  | 'HELPER'
  | 'OFFLOAD'
  | 'HW_OFFLOAD'

/**
 * One direction of a connection (`src= dst= sport= dport=`, or for ICMP `type= code= id=`).
 * @category Conntrack
 */
export interface ConntrackTuple {
  /** Source address. */
  src: string
  /** Destination address. */
  dst: string
  /** Source port (TCP, UDP, UDP-Lite, SCTP, DCCP; GRE's key). */
  sport?: number
  /** Destination port. */
  dport?: number
  /** ICMP / ICMPv6 type. */
  type?: number
  /** ICMP / ICMPv6 code. */
  code?: number
  /** ICMP / ICMPv6 identifier. */
  id?: number
}

/**
 * Packet and byte counters of one direction (`packets= bytes=`, with
 * `net.netfilter.nf_conntrack_acct=1`); exact up to 2^53.
 * @category Conntrack
 */
export interface ConntrackCounters {
  /** Packets. */
  packets: number
  /** Bytes. */
  bytes: number
}

/**
 * The address (and port) a NAT rewrote a connection to, read off the reply tuple.
 * @category Conntrack
 */
export interface ConntrackNatTarget {
  /** The address after translation. */
  address: string
  /** The port after translation. */
  port?: number
}

/**
 * One direction's NAT of a new entry (`conntrack -I --src-nat / --dst-nat ADDR[:PORT]`): the
 * address (and port) to translate to, or a range the kernel picks one from. A listed entry's
 * {@link ConntrackEntry.nat} has this shape.
 * @category Conntrack
 */
export interface ConntrackNatSpec extends ConntrackNatTarget {
  /** The range's last address (of the entry's family; default: `address` alone). */
  addressMax?: string
  /** The range's last port (needs `port`; default: `port` alone). */
  portMax?: number
}

/**
 * A connection tracking entry.
 * @category Conntrack
 */
export interface ConntrackEntry {
  /** Layer-3 family. */
  family: ConntrackFamily
  /** Layer-4 protocol: its name, or the number of one without a name. */
  protocol: ConntrackProtocol
  /** The protocol number. */
  protonum: number
  /** The original direction. */
  orig: ConntrackTuple
  /** The reply direction. */
  reply: ConntrackTuple
  /** Status bits by name. */
  status: ConntrackStatus[]
  /** Seconds until the entry expires. */
  timeout?: number
  /** TCP, SCTP or DCCP state as conntrack prints it (`ESTABLISHED`, `TIME_WAIT`, ...). */
  state?: string
  /** The connection mark. */
  mark?: number
  /** The zone (`zone=`, absent for zone 0). */
  zone?: number
  /** References to the entry (`use=`). */
  use?: number
  /** The entry's id (`-o id`). */
  id?: number
  /** Counters per direction (with `net.netfilter.nf_conntrack_acct=1`). */
  counters?: {
    /** The original direction's. */
    orig?: ConntrackCounters
    /** The reply direction's. */
    reply?: ConntrackCounters
  }
  /** Start (and, once it ended, stop) in ns since the epoch (with `net.netfilter.nf_conntrack_timestamp=1`). */
  timestamp?: {
    /** When the entry was made. */
    start: bigint
    /** When it ended (a destroy event's). */
    stop?: bigint
  }
  /** The label bits set (`-o labels`, by number rather than connlabel.conf name). */
  labels?: number[]
  /** The helper attached (`helper=ftp`). */
  helper?: string
  /** The security context (`secctx=`). */
  secctx?: string
  /** The master connection's original tuple, of an expected connection. */
  master?: ConntrackTuple
  /**
   * Where NAT took the connection: `src` after source NAT (status `SRC_NAT`: the reply's
   * destination), `dst` after destination NAT (`DST_NAT`: the reply's source).
   */
  nat?: {
    /** The source after source NAT. */
    src?: ConntrackNatTarget
    /** The destination after destination NAT. */
    dst?: ConntrackNatTarget
  }
}

/**
 * The fields of a filter tuple: each given one must be equal.
 * @category Conntrack
 */
export type ConntrackTupleFilter = Partial<ConntrackTuple>

/**
 * What {@link conntrackList} (and a filtered delete or flush) selects; every field given must
 * match (`conntrack -L -f FAMILY -p PROTO -s/-d/-r/-q ADDR --sport/--dport ... -m MARK/MASK
 * -u STATUS --zone ZONE`). The kernel filters by family, mark, zone, status and the tuples'
 * fields itself; nlkit checks each entry again.
 * @category Conntrack
 */
export interface ConntrackFilter {
  /** Layer-3 family (implied by an address given). */
  family?: ConntrackFamily
  /** Layer-4 protocol (needed for ports and ICMP fields). */
  protocol?: ConntrackProtocol
  /** Fields of the original direction. */
  orig?: ConntrackTupleFilter
  /** Fields of the reply direction. */
  reply?: ConntrackTupleFilter
  /** Entries whose mark, masked with {@link markMask}, equals this. */
  mark?: number
  /** The mask for {@link mark} (all bits). */
  markMask?: number
  /** The zone (0: entries without one). */
  zone?: number
  /** Status bits that must all be set. */
  status?: ConntrackStatus[]
}

/**
 * Names one entry: its original tuple, in a zone.
 * @category Conntrack
 */
export interface ConntrackKey {
  /** Layer-3 family (implied by the addresses). */
  family?: ConntrackFamily
  /** Layer-4 protocol. */
  protocol: ConntrackProtocol
  /** The original direction: addresses, and ports or ICMP type/code/id as the protocol has them. */
  orig: ConntrackTuple
  /** The zone (0). */
  zone?: number
  /** Deletes only the entry with this id (a listed entry's), not one that replaced it. */
  id?: number
}

/**
 * A new entry (`conntrack -I`): its key, and what to set. A listed {@link ConntrackEntry} can
 * be given back, with its `timeout`.
 * @category Conntrack
 */
export interface ConntrackSpec extends ConntrackKey {
  /** The reply direction (default: the original one reversed; for an ICMP echo, its reply). */
  reply?: ConntrackTuple
  /** Seconds until it expires (required). */
  timeout: number
  /** Status bits to set (the kernel takes `SEEN_REPLY`, `ASSURED`, ... not NAT bits). */
  status?: ConntrackStatus[]
  /** TCP, SCTP or DCCP state (`ESTABLISHED`). */
  state?: string
  /** The connection mark. */
  mark?: number
  /** Label bits to set (0 to 127; the kernel refuses them without a connlabel extension). */
  labels?: number[]
  /** A helper by name (`ftp`; the kernel must have it). */
  helper?: string
  /** Fail with `EEXIST` when the entry exists (true, as `conntrack -I`); false updates it. */
  exclusive?: boolean
  /**
   * NAT (`--src-nat`, `--dst-nat`): `src` translates the source, `dst` the destination. The
   * kernel turns the reply into the translated one and sets the status bit `SRC_NAT` /
   * `DST_NAT`, as a listing then shows; a `reply` given too must be that translated reply (a
   * listed entry's). Ports only for protocols with ports. The kernel takes NAT only when it
   * makes an entry: `exclusive: false` on an existing one is `EOPNOTSUPP`. Packets of the
   * connection are translated only in a namespace with NAT hooks (a `nat` chain of the family)
   * where conntrack runs (a rule that uses it).
   */
  nat?: {
    /** Source NAT. */
    src?: ConntrackNatSpec
    /** Destination NAT. */
    dst?: ConntrackNatSpec
  }
}

/**
 * A change to an existing entry (`conntrack -U`): its key and what to change. A listed
 * {@link ConntrackEntry} can be given back (changed): its other fields are not sent.
 * @category Conntrack
 */
export interface ConntrackUpdate extends ConntrackKey {
  /** New seconds until it expires. */
  timeout?: number
  /** Status bits to set (the kernel never clears `SEEN_REPLY` or `ASSURED`). */
  status?: ConntrackStatus[]
  /** New TCP, SCTP or DCCP state. */
  state?: string
  /** The new mark (only the bits of {@link markMask} when given). */
  mark?: number
  /** Which bits of {@link mark} to set (all). */
  markMask?: number
  /** Label bits to set (replacing the entry's). */
  labels?: number[]
  /**
   * The entry's NAT, as listed: not sent (the kernel sets NAT only when it makes an entry); one
   * that differs from the entry's is a RangeError.
   */
  nat?: ConntrackEntry['nat']
}

/**
 * Per-CPU statistics (`conntrack -S`), keyed as it prints them in camelCase.
 * @category Conntrack
 */
export interface ConntrackCpuStats {
  /** The CPU. */
  cpu: number
  /** Lookups that found an entry. */
  found?: number
  /** Packets that could not be tracked. */
  invalid?: number
  /** Entries inserted. */
  insert?: number
  /** Inserts that failed (a clash). */
  insertFailed?: number
  /** Packets dropped for want of an entry. */
  drop?: number
  /** Entries dropped early to make room. */
  earlyDrop?: number
  /** ICMP errors whose inner packet matched no entry, and other errors. */
  error?: number
  /** Lookups restarted (the table changed meanwhile). */
  searchRestart?: number
  /** Clashes resolved. */
  clashResolve?: number
  /** Inserts refused because a hash chain was too long. */
  chaintoolong?: number
}
