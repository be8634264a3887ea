/**
 * Argument validation: every check throws a `TypeError` or `RangeError` naming the argument,
 * before anything is sent.
 *
 * @module
 */

import { isIPv6 } from 'node:net'
import { METRIC_NAMES } from './names.js'
import type { CallOptions, LinkRef } from './types.js'

export const MAX_U32 = 0xffffffff

/** A value as an error message shows it. */
export function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v)
  if (typeof v === 'object' && v !== null) {
    try {
      return JSON.stringify(v)
    } catch {
      return String(v)
    }
  }
  return String(v)
}

export function checkInt(v: unknown, name: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new TypeError(`${name} must be an integer, got ${describe(v)}`)
  }
  if (v < min || v > max) throw new RangeError(`${name} must be between ${min} and ${max}, got ${v}`)
  return v
}

export function checkBool(v: unknown, name: string): boolean {
  if (typeof v !== 'boolean') throw new TypeError(`${name} must be a boolean, got ${describe(v)}`)
  return v
}

/**
 * A string that goes to the kernel: the kernel reads a name up to its first NUL, so
 * `'eth0\0-tmp'` would mean `eth0`. Refused, whatever the field.
 */
export function checkText(v: string, name: string): string {
  if (v.includes('\0')) throw new RangeError(`${name} must not contain a NUL character (the kernel would read only up to it)`)
  return v
}

export function checkLinkName(v: unknown, name = 'link'): string {
  if (typeof v !== 'string') throw new TypeError(`${name} must be a string, got ${describe(v)}`)
  if (v.length === 0) throw new RangeError(`${name} must not be empty`)
  checkText(v, name)
  if (Buffer.byteLength(v) > 15) throw new RangeError(`${name} ${describe(v)} is longer than 15 bytes`)
  if (v === '.' || v === '..' || /[\s/:]/.test(v)) throw new RangeError(`${name} ${describe(v)} is not a valid interface name`)
  return v
}

export function checkLinkRef(v: unknown, name = 'link'): LinkRef {
  if (typeof v === 'number') return checkInt(v, `${name} index`, 1, 0x7fffffff)
  if (typeof v === 'string') return checkLinkName(v, name)
  throw new TypeError(`${name} must be a name or an index, got ${describe(v)}`)
}

export function checkMac(v: unknown, name: string): string {
  if (typeof v !== 'string' || !/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2})*$/.test(v))
    throw new TypeError(`${name} must be a MAC address like "02:00:00:00:00:01", got ${describe(v)}`)
  return v.toLowerCase()
}

export interface Prefix {
  family: 4 | 6
  address: string
  prefixLen: number
}

/**
 * 4 for a dotted-quad IPv4 address (node:net's isIPv4 rules: no leading zeros), 6 for IPv6, else
 * 0. The IPv4 test is a scan, not a regex: it runs on every address of every call.
 */
export function ipFamily(s: string): 0 | 4 | 6 {
  const n = s.length
  if (n >= 7 && n <= 15) {
    let parts = 0
    let val = 0
    let digits = 0
    let ok = true
    for (let i = 0; i <= n && ok; i++) {
      const c = i < n ? s.charCodeAt(i) : 46
      if (c === 46) {
        ok = digits > 0 && val <= 255 && ++parts <= 4
        val = 0
        digits = 0
      } else if (c >= 48 && c <= 57) {
        ok = !(digits > 0 && val === 0) && ++digits <= 3
        val = val * 10 + c - 48
      } else ok = false
    }
    if (ok && parts === 4) return 4
  }
  return s.includes(':') && isIPv6(s) ? 6 : 0
}

export function checkIp(v: unknown, name: string, family?: 4 | 6): { family: 4 | 6; address: string } {
  if (typeof v !== 'string') throw new TypeError(`${name} must be an IP address string, got ${describe(v)}`)
  const f = ipFamily(v)
  if (f === 6 && v.includes('%')) {
    throw new RangeError(`${name} ${describe(v)}: a zone index (%link) is not taken here; give the link as the call's dev or link`)
  }
  if (f === 0) throw new TypeError(`${name} ${describe(v)} is not an IP address`)
  if (family && f !== family) throw new TypeError(`${name} ${describe(v)} is not an IPv${family} address`)
  return { family: f, address: v }
}

/** Parses `addr/len` (or a bare address, meaning a host prefix). */
export function parseCidr(v: unknown, name: string): Prefix {
  if (typeof v !== 'string') throw new TypeError(`${name} must be a CIDR string like "10.0.0.1/24", got ${describe(v)}`)
  const slash = v.indexOf('/')
  const { family, address } = checkIp(slash < 0 ? v : v.slice(0, slash), name)
  const max = family === 4 ? 32 : 128
  if (slash < 0) return { family, address, prefixLen: max }
  // 1 to 3 decimal digits, nothing else.
  let prefixLen = 0
  const end = v.length
  if (end - slash - 1 < 1 || end - slash - 1 > 3) prefixLen = -1
  for (let i = slash + 1; i < end && prefixLen >= 0; i++) {
    const c = v.charCodeAt(i)
    prefixLen = c >= 48 && c <= 57 ? prefixLen * 10 + c - 48 : -1
  }
  if (prefixLen < 0) throw new TypeError(`${name} ${describe(v)} has a malformed prefix length`)
  if (prefixLen > max) throw new RangeError(`${name} ${describe(v)}: prefix length must be at most ${max}`)
  return { family, address, prefixLen }
}

/** A name from `table` (e.g. a table or scope name) or a number up to `max`. */
export function named(table: Record<string, number>, v: unknown, name: string, max: number): number {
  if (typeof v === 'string') {
    const n = table[v]
    if (n === undefined) throw new RangeError(`${name} ${describe(v)} is not one of ${Object.keys(table).join(', ')}`)
    return n
  }
  return checkInt(v, name, 0, max)
}

/** One name or a list of names from `table`, or-ed into a bit set. */
export function bits(table: Record<string, number>, v: unknown, name: string): number {
  const list = Array.isArray(v) ? v : [v]
  let out = 0
  for (const x of list) {
    if (typeof x !== 'string' || !(x in table))
      throw new RangeError(`${name} ${describe(x)} is not one of ${Object.keys(table).join(', ')}`)
    out |= table[x]
  }
  return out
}

/** A neighbour family: 4, 6, or 7 (AF_BRIDGE) for `'bridge'`. */
export function neighFamily(v: unknown, name: string): 4 | 6 | 7 {
  if (v === 4 || v === 6) return v
  if (v === 'bridge') return 7
  throw new RangeError(`${name} must be 4, 6 or 'bridge'`)
}

export function checkMetrics(m: unknown): Record<string, number> {
  if (typeof m !== 'object' || m === null) throw new TypeError('metrics must be an object')
  const out: Record<string, number> = {}
  for (const [k, v] of Object.entries(m)) {
    if (!METRIC_NAMES.includes(k)) throw new RangeError(`unknown metric ${describe(k)}; expected one of ${METRIC_NAMES.join(', ')}`)
    out[k] = checkInt(v, `metrics.${k}`, 0, MAX_U32)
  }
  return out
}

/** An address lifetime: seconds, or `'forever'`. */
export function lifetime(v: unknown, name: string): number | undefined {
  if (v === undefined) return undefined
  if (v === 'forever') return MAX_U32
  return checkInt(v, name, 0, MAX_U32)
}

/** An IPv4 address label: like an interface name, but `eth0:1` aliases have a colon. */
export function checkLabel(v: unknown): string {
  if (typeof v !== 'string') throw new TypeError(`label must be a string, got ${describe(v)}`)
  checkText(v, 'label')
  if (v.length === 0 || Buffer.byteLength(v) > 15 || /[\s/]/.test(v))
    throw new RangeError(`label ${describe(v)} must be 1 to 15 bytes without spaces or slashes`)
  return v
}

/** The fields of {@link CallOptions}. */
const CALL_OPTIONS: ReadonlySet<string> = new Set(['timeout', 'signal'])

/** A call's option fields: {@link CallOptions}' and the call's own `extra`. */
export function callOptions(...extra: string[]): ReadonlySet<string> {
  return new Set([...CALL_OPTIONS, ...extra])
}

/** Checks a call's options; a misspelt one (`{ timout: 100 }`) is refused, not ignored. */
export function checkCallOptions(o: CallOptions | undefined, allowed: ReadonlySet<string> = CALL_OPTIONS): void {
  if (o === undefined) return
  if (typeof o !== 'object' || o === null) throw new TypeError('options must be an object')
  checkKeys(o, allowed, 'options')
  if (o.timeout !== undefined) checkInt(o.timeout, 'timeout', 1, 0x7fffffff)
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) throw new TypeError('signal must be an AbortSignal')
}

/** A network namespace's name as `ip netns` stores it under /run/netns. */
export function checkNetnsName(v: unknown, name: string): string {
  if (typeof v !== 'string') throw new TypeError(`${name} must be a string, got ${describe(v)}`)
  if (v === '' || v === '.' || v === '..' || v.includes('/') || v.includes('\0') || Buffer.byteLength(v) > 255) {
    throw new RangeError(`${name} ${describe(v)} is not a valid namespace name`)
  }
  return v
}

/** Fields of one free-form settings object, items of one list: what the binding accepts. */
export const MAX_FIELDS = 256
/** Nesting of free-form settings (a veth peer's settings are two levels deep). */
const MAX_PLAIN_DEPTH = 8

/** How {@link checkPlain} takes a number or bigint: the value to send, or a throw naming the field. */
export type NumberRule = (v: number | bigint, name: string) => unknown

/** Safe integers only (the default: link settings are integers). */
function integerOnly(v: number | bigint, name: string): number {
  if (typeof v === 'bigint') throw new TypeError(`${name} must be a number, not a bigint (${v}n)`)
  if (!Number.isSafeInteger(v)) throw new TypeError(`${name} must be an integer, got ${v}`)
  return v
}

/**
 * A checked, JSON-safe deep copy of free-form settings (a link spec and its kind's settings):
 * strings without NUL, safe integers, booleans, arrays and plain objects, at most
 * {@link MAX_FIELDS} entries each and a few levels deep (so a cycle is refused too). Anything
 * else is a TypeError or RangeError naming the field. Getters are read once, here: one that
 * throws fails this call only, and the value sent is the value checked.
 */
export function checkPlain(v: unknown, name: string, depth = 0, numbers: NumberRule = integerOnly): unknown {
  switch (typeof v) {
    case 'string':
      return checkText(v, name)
    case 'boolean':
      return v
    case 'number':
    case 'bigint':
      return numbers(v, name)
    case 'object':
      break
    default:
      throw new TypeError(`${name} must be a string, a number, a boolean, an array or a plain object, got ${typeof v}`)
  }
  if (v === null) return null
  if (depth >= MAX_PLAIN_DEPTH) throw new RangeError(`${name} is nested too deeply (or contains itself)`)
  if (Array.isArray(v)) {
    if (v.length > MAX_FIELDS) throw new RangeError(`${name} has more than ${MAX_FIELDS} items`)
    return v.map((x, i) => checkPlain(x, `${name}[${i}]`, depth + 1, numbers))
  }
  const proto = Object.getPrototypeOf(v)
  if (proto !== Object.prototype && proto !== null) throw new TypeError(`${name} must be a plain object, got ${describe(v)}`)
  let entries: [string, unknown][]
  try {
    entries = Object.entries(v)
  } catch (e) {
    throw new TypeError(`${name} could not be read: ${(e as Error)?.message ?? String(e)}`)
  }
  if (entries.length > MAX_FIELDS) throw new RangeError(`${name} has more than ${MAX_FIELDS} fields`)
  const out: Record<string, unknown> = {}
  for (const [k, x] of entries) {
    if (x !== undefined) out[checkText(k, `a key of ${name}`)] = checkPlain(x, `${name}.${k}`, depth + 1, numbers)
  }
  return out
}

/**
 * Refuses a key `allowed` does not list: a misspelt field (`priorty`, `gatway`) must not be
 * silently ignored, which would make a different rule or route than the one meant.
 */
export function checkKeys(v: object, allowed: ReadonlySet<string>, name: string): void {
  for (const k in v) {
    if (!allowed.has(k) && (v as Record<string, unknown>)[k] !== undefined) {
      throw new RangeError(`${name}: unknown field ${describe(k)}; expected one of ${[...allowed].join(', ')}`)
    }
  }
}
