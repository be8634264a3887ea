/**
 * A tc spec's kind options, copied and checked for the binding: numbers may be fractions
 * (`loss: 0.5`) and bigints (rates above 2^53); both travel as their decimal digits and `n`
 * (`'0.5n'`), which the core's unit parsers read as that number in the option's base unit (the
 * binding's JSON carries integers only; a bare decimal string would be tc's notation instead,
 * where a rate without a unit is refused).
 *
 * @module
 */

import { checkPlain } from '../validate.js'

function tcNumber(v: number | bigint, name: string): number | string {
  if (typeof v === 'bigint') {
    if (v < 0n) throw new RangeError(`${name} must not be negative, got ${v}n`)
    return `${v}n`
  }
  if (!Number.isFinite(v)) throw new TypeError(`${name} must be a finite number, got ${v}`)
  if (Number.isSafeInteger(v)) return v
  if (v < 0) throw new RangeError(`${name} must not be negative, got ${v}`)
  if (Number.isInteger(v)) throw new RangeError(`${name} is above 2^53: give it as a bigint`)
  // Fixed notation: String(1e-7) would be '1e-7', which the core does not read.
  return `${v.toFixed(12).replace(/\.?0+$/, '')}n`
}

/** The options of a spec (its fields other than `taken`), checked. */
export function kindOptions(spec: Record<string, unknown>, taken: ReadonlySet<string>, name: string): Record<string, unknown> | undefined {
  const rest: Record<string, unknown> = {}
  let any = false
  for (const [k, v] of Object.entries(spec)) {
    if (taken.has(k) || v === undefined) continue
    rest[k] = v
    any = true
  }
  return any ? (checkPlain(rest, name, 0, tcNumber) as Record<string, unknown>) : undefined
}

/** A handle or parent as tc writes it (`1:`, `1:10`, `root`); the core parses it. */
export function checkHandle(v: unknown, name: string): string {
  if (typeof v !== 'string') throw new TypeError(`${name} must be a string like '1:' or '1:10', got ${typeof v}`)
  if (v.length === 0 || v.length > 32 || v.includes('\0')) throw new RangeError(`${name}: malformed handle ${JSON.stringify(v)}`)
  return v
}
