/**
 * flower, the classifier on parsed packet fields (`tc filter ... protocol ip flower ip_proto udp
 * dst_ip 10.0.0.0/8 dst_port 53 classid 1:1`). Which keys apply follows the filter's `protocol`
 * (and a VLAN's `vlanEthtype`): IP keys need `'ip'` or `'ipv6'`, ports an `ipProto` of tcp, udp
 * or sctp, VLAN keys `'802.1q'` or `'802.1ad'`.
 *
 * @module
 */

/**
 * A field under a mask (`{ value: 80, mask: 0xff00 }`): listed as the number alone when the
 * mask is all ones.
 *
 * @category Traffic control
 */
export interface FlowerMasked {
  /** The value. */
  value: number
  /** The bits that count (default: all). */
  mask?: number
}

/**
 * A port range, both ends included (tc's `dst_port 1000-2000`).
 *
 * @category Traffic control
 */
export interface FlowerPortRange {
  /** The first port. */
  start: number
  /** The last port (greater than `start`). */
  end: number
}

/**
 * The IP fragment flags to match (tc's `ip_flags frag/nofirstfrag`): `true` set, `false` clear.
 *
 * @category Traffic control
 */
export interface FlowerIpFlags {
  /** A fragment. */
  frag?: boolean
  /** The first fragment. */
  firstfrag?: boolean
}

/**
 * flower's options: the keys, all of which must match, and what a match does.
 *
 * @category Traffic control
 */
export interface FlowerOptions {
  /** Destination MAC, optionally with a prefix length or mask (`'02:00:00:00:00:00/24'`). */
  dstMac?: string
  /** Source MAC, as `dstMac`. */
  srcMac?: string
  /** The VLAN id, 0 to 4095 (protocol `'802.1q'`/`'802.1ad'`). */
  vlanId?: number
  /** The VLAN priority, 0 to 7. */
  vlanPrio?: number
  /** The protocol inside the VLAN tag (`'ip'`, `'ipv6'`, ... or a number): the IP keys then apply to it. */
  vlanEthtype?: string | number
  /** The IP protocol: `'tcp'`, `'udp'`, `'sctp'`, `'icmp'`, `'icmpv6'`, `'l2tp'`, `'esp'`, `'ah'` or a number. */
  ipProto?: string | number
  /** Source address or prefix of the filter's family (`'10.0.0.0/8'`, `'2001:db8::1'`, or `addr/mask`). */
  srcIp?: string
  /** Destination address or prefix, as `srcIp`. */
  dstIp?: string
  /** Source port: a number, a masked value or a range. */
  srcPort?: number | FlowerMasked | FlowerPortRange
  /** Destination port, as `srcPort`. */
  dstPort?: number | FlowerMasked | FlowerPortRange
  /** The IP TOS byte (a number or masked). */
  ipTos?: number | FlowerMasked
  /** The IP TTL / hop limit (a number or masked). */
  ipTtl?: number | FlowerMasked
  /** Fragment flags: tc's string (`'frag/nofirstfrag'`) or `{ frag, firstfrag }` (listed so). */
  ipFlags?: string | FlowerIpFlags
  /** Only packets that came in on this device. */
  indev?: string
  /** The class matching packets go to (`'1:10'`). */
  classid?: string
  /** tc's other name for `classid` (and how filters are listed). */
  flowid?: string
  /** Not offloaded to hardware. */
  skipHw?: boolean
  /** Only in hardware. */
  skipSw?: boolean
  /** Listed: offloaded to hardware (ignored when given back). */
  inHw?: boolean
  /** Listed: not offloaded (ignored when given back). */
  notInHw?: boolean
  /** Listed: how many devices offload it (ignored when given back). */
  inHwCount?: number
}
