/**
 * The NAT of a new entry (`conntrack -I --src-nat / --dst-nat`), checked (TypeError/RangeError
 * naming the field, before anything is sent) into the records the binding reads; and the
 * comparisons that keep a listed entry's NAT usable where the kernel cannot take it again.
 *
 * @module
 */

import type { ConntrackNatOp, ConntrackTupleOp } from '../native.js'
import { checkInt, checkKeys, describe } from '../validate.js'
import type { Family } from './args.js'
import { PORTED } from './names.js'
import type { ConntrackEntry } from './types.js'

const NAT_KEYS: ReadonlySet<string> = new Set(['src', 'dst'])
const SIDE_KEYS: ReadonlySet<string> = new Set(['address', 'port', 'addressMax', 'portMax'])

/** Both directions' NAT as the binding reads them. */
export interface NatOps {
  natSrc?: ConntrackNatOp
  natDst?: ConntrackNatOp
}

function record(v: unknown, name: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new TypeError(`${name} must be an object, got ${describe(v)}`)
  return v as Record<string, unknown>
}

/** An address (checked already) as a number, to order a range's ends. */
function ipValue(a: string): bigint {
  if (!a.includes(':')) return a.split('.').reduce((n, p) => n * 256n + BigInt(p), 0n)
  const groups = (s: string | undefined) =>
    s === undefined || s === ''
      ? []
      : s.split(':').flatMap((g) => {
          if (!g.includes('.')) return [g]
          const v = Number(ipValue(g))
          return [(v >>> 16).toString(16), (v & 0xffff).toString(16)]
        })
  const [h, t] = a.split('::')
  const head = groups(h)
  const tail = groups(t)
  const all = t === undefined ? head : [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail]
  return all.reduce((n, g) => n * 65536n + BigInt(`0x${g}`), 0n)
}

function side(v: unknown, name: string, fam: Family, proto: number): ConntrackNatOp {
  const n = record(v, name)
  checkKeys(n, SIDE_KEYS, name)
  if (n.address === undefined) throw new TypeError(`${name}.address is required`)
  const out: ConntrackNatOp = { address: fam.address(n.address, `${name}.address`) }
  if (n.addressMax !== undefined) {
    out.addressMax = fam.address(n.addressMax, `${name}.addressMax`)
    if (ipValue(out.addressMax) < ipValue(out.address))
      throw new RangeError(`${name}.addressMax ${out.addressMax} is below ${name}.address ${out.address}`)
  }
  for (const k of ['port', 'portMax'] as const) {
    if (n[k] === undefined) continue
    if (!PORTED.has(proto)) throw new RangeError(`${name}.${k}: protocol ${proto} has no ports`)
    out[k] = checkInt(n[k], `${name}.${k}`, 0, 0xffff)
  }
  if (out.portMax !== undefined) {
    if (out.port === undefined) throw new TypeError(`${name}.portMax needs ${name}.port`)
    if (out.portMax < out.port) throw new RangeError(`${name}.portMax ${out.portMax} is below ${name}.port ${out.port}`)
  }
  return out
}

/** `nat: { src?, dst? }` of an entry of `fam` and protocol `proto`. */
export function natOps(v: unknown, name: string, fam: Family, proto: number): NatOps {
  const n = record(v, name)
  checkKeys(n, NAT_KEYS, name)
  const out: NatOps = {}
  if (n.src !== undefined) out.natSrc = side(n.src, `${name}.src`, fam, proto)
  if (n.dst !== undefined) out.natDst = side(n.dst, `${name}.dst`, fam, proto)
  return out
}

/**
 * With NAT the kernel translates the original reversed (what conntrack -I sends); a reply
 * given too must be that translation (a listed entry's reply), which a range leaves open.
 */
export function checkNatReply(reply: ConntrackTupleOp, orig: ConntrackTupleOp, nat: NatOps, name: string): void {
  const sides = [nat.natSrc, nat.natDst]
  if (sides.some((n) => n?.addressMax !== undefined || n?.portMax !== undefined))
    throw new RangeError(`${name}: give a reply or a NAT range, not both (the kernel picks the reply from the range)`)
  const want = {
    src: nat.natDst?.address ?? orig.dst,
    dst: nat.natSrc?.address ?? orig.src,
    sport: nat.natDst?.port ?? orig.dport,
    dport: nat.natSrc?.port ?? orig.sport,
  }
  for (const k of ['src', 'dst'] as const) {
    if (ipValue(reply[k] as string) !== ipValue(want[k] as string))
      throw new RangeError(`${name}.${k} ${reply[k]} is not the NAT's translated reply (${want[k]})`)
  }
  for (const k of ['sport', 'dport'] as const) {
    if (reply[k] !== want[k]) throw new RangeError(`${name}.${k} ${reply[k]} is not the NAT's translated reply (${want[k]})`)
  }
}

/**
 * Whether an update's `nat` (checked by {@link natOps}) is the entry's: each side given is
 * there, with the same address, and the same port when one is given.
 */
export function sameNat(given: NatOps, has: ConntrackEntry['nat']): boolean {
  const eq = (g: ConntrackNatOp | undefined, h: { address: string; port?: number } | undefined) =>
    g === undefined
      ? h === undefined
      : h !== undefined &&
        g.addressMax === undefined &&
        g.portMax === undefined &&
        ipValue(g.address) === ipValue(h.address) &&
        (g.port === undefined || g.port === h.port)
  return eq(given.natSrc, has?.src) && eq(given.natDst, has?.dst)
}
