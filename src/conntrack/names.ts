/**
 * The kernel's conntrack numbers by name: one table each for the arguments checked and for
 * the entries decoded (the core hands the numbers over as they are).
 *
 * @module
 */

/** Layer-3 families by the names `conntrack -L -o extended` prints. */
export const FAMILIES: Record<string, number> = { ipv4: 2, ipv6: 10 }

/** Layer-4 protocols by the names conntrack prints (others are given and listed by number). */
export const PROTOCOLS: Record<string, number> = {
  icmp: 1,
  tcp: 6,
  udp: 17,
  dccp: 33,
  gre: 47,
  icmpv6: 58,
  sctp: 132,
  udplite: 136,
}

/** Protocols whose tuples have ports (GRE's keys travel in the port attributes too). */
export const PORTED = new Set([6, 17, 33, 47, 132, 136])
export const ICMP = new Set([1, 58])

/** IPS_* status bits (include/uapi/linux/netfilter/nf_conntrack_common.h), without `IPS_`. */
export const STATUS_BITS: readonly string[] = [
  'EXPECTED',
  'SEEN_REPLY',
  'ASSURED',
  'CONFIRMED',
  'SRC_NAT',
  'DST_NAT',
  'SEQ_ADJUST',
  'SRC_NAT_DONE',
  'DST_NAT_DONE',
  'DYING',
  'FIXED_TIMEOUT',
  'TEMPLATE',
  'NAT_CLASH',
  'HELPER',
  'OFFLOAD',
  'HW_OFFLOAD',
]
export const STATUS: Record<string, number> = Object.fromEntries(STATUS_BITS.map((n, i) => [n, 1 << i]))

/** Per-protocol states as conntrack prints them (enum tcp_conntrack, sctp_conntrack, ct_dccp_states). */
export const STATES: Record<number, readonly string[]> = {
  6: ['NONE', 'SYN_SENT', 'SYN_RECV', 'ESTABLISHED', 'FIN_WAIT', 'CLOSE_WAIT', 'LAST_ACK', 'TIME_WAIT', 'CLOSE', 'SYN_SENT2'],
  132: [
    'NONE',
    'CLOSED',
    'COOKIE_WAIT',
    'COOKIE_ECHOED',
    'ESTABLISHED',
    'SHUTDOWN_SENT',
    'SHUTDOWN_RECD',
    'SHUTDOWN_ACK_SENT',
    'HEARTBEAT_SENT',
  ],
  33: ['NONE', 'REQUEST', 'RESPOND', 'PARTOPEN', 'OPEN', 'CLOSEREQ', 'CLOSING', 'TIMEWAIT', 'IGNORE', 'INVALID'],
}

const byNumber = (t: Record<string, number>) => new Map(Object.entries(t).map(([k, v]) => [v, k]))
export const FAMILY_NAMES = byNumber(FAMILIES)
export const PROTOCOL_NAMES = byNumber(PROTOCOLS)

/** Status bits by name; a bit without a name as `BIT<n>`. */
export function statusNames(v: number): string[] {
  const out: string[] = []
  for (let i = 0; i < 32; i++) if (v & (2 ** i)) out.push(STATUS_BITS[i] ?? `BIT${i}`)
  return out
}
