/**
 * Attributes in and out by a YNL spec's attribute sets: an object keyed by the spec's names
 * (or their camelCase) becomes attributes, and attributes become an object keyed in camelCase.
 * Integers by their type and byte order, enums by name, flag enums as lists of names, nests
 * and indexed arrays recursively, multi-attrs as lists, binary as bytes (or an address / MAC
 * by display hint, or a struct by its definition). Bad values are TypeErrors/RangeErrors that
 * name the attribute's path.
 *
 * @module
 */

import { isIPv4, isIPv6 } from 'node:net'
import { type Attrs, AttrsBuilder, decodeAttrs } from '../../attrs.js'
import { describe } from '../../validate.js'
import type { Spec, SpecAttr, SpecSet } from './spec.js'

const INT_BITS: Record<string, [number, boolean]> = {
  u8: [8, false],
  u16: [16, false],
  u32: [32, false],
  u64: [64, false],
  s8: [8, true],
  s16: [16, true],
  s32: [32, true],
  s64: [64, true],
  uint: [64, false],
  sint: [64, true],
}

function set(spec: Spec, name: string): SpecSet {
  const s = spec.sets.get(name)
  if (!s) throw new RangeError(`spec ${spec.name}: no attribute set ${describe(name)}`)
  return s
}

/** An integer attribute's value as a number (or a bigint past 2^53), from a name, names or a number. */
function intIn(spec: Spec, a: SpecAttr, v: unknown, path: string): bigint {
  const e = a.enumName ? spec.enums.get(a.enumName) : undefined
  if (e && typeof v === 'string') {
    const n = e.byName.get(v)
    if (n === undefined) throw new RangeError(`${path}: unknown ${e.name} value ${describe(v)}`)
    return BigInt(n)
  }
  if (e && Array.isArray(v)) {
    let bits = 0n
    for (const x of v) {
      const n = typeof x === 'string' ? e.byName.get(x) : undefined
      if (n === undefined) throw new RangeError(`${path}: unknown ${e.name} flag ${describe(x)}`)
      bits |= BigInt(n)
    }
    return bits
  }
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v)
  if (typeof v === 'bigint') return v
  throw new TypeError(`${path} must be an integer${e ? ` or ${e.name} name${e.flags || a.asFlags ? 's' : ''}` : ''}, got ${describe(v)}`)
}

function putInt(b: AttrsBuilder, a: SpecAttr, type: string, v: bigint, path: string): void {
  const [bits, signed] = INT_BITS[type] ?? [0, false]
  const min = signed ? -(1n << BigInt(bits - 1)) : 0n
  const max = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n
  if (v < min || v > max) throw new RangeError(`${path} must be a ${type} (${min}..${max}), got ${v}`)
  // uint / sint: 4 bytes when the value fits, as the kernel's nla_put_uint does.
  const width = type === 'uint' || type === 'sint' ? (v >= -(1n << 31n) && v < 1n << 32n ? 32 : 64) : bits
  const n = Number(v)
  if (a.bigEndian) {
    if (width === 16) b.be16(a.id, n)
    else if (width === 32) b.be32(a.id, n)
    else if (width === 64) b.be64(a.id, v)
    else b.u8(a.id, n)
    return
  }
  if (width === 8) signed ? b.s8(a.id, n) : b.u8(a.id, n)
  else if (width === 16) signed ? b.s16(a.id, n) : b.u16(a.id, n)
  else if (width === 32) signed ? b.s32(a.id, n) : b.u32(a.id, n >>> 0)
  else signed ? b.s64(a.id, v) : b.u64(a.id, v)
}

function binaryIn(a: SpecAttr, v: unknown, path: string): Buffer {
  if (v instanceof Uint8Array) return Buffer.from(v)
  if (typeof v === 'string') {
    if (a.hint === 'ipv4' && isIPv4(v)) return Buffer.from(v.split('.').map(Number))
    if (a.hint === 'ipv6' && isIPv6(v)) return ipv6Bytes(v)
    if (a.hint === 'mac' && /^[0-9a-f]{2}(:[0-9a-f]{2})*$/i.test(v)) return Buffer.from(v.replaceAll(':', ''), 'hex')
    if (/^([0-9a-f]{2})*$/i.test(v)) return Buffer.from(v, 'hex')
  }
  throw new TypeError(`${path} must be bytes${a.hint ? ` or an ${a.hint} string` : ' or a hex string'}, got ${describe(v)}`)
}

/** WHATWG URL parsing normalises an IPv6 address (embedded IPv4 included) to hex groups. */
const ipv6Normal = (v: string) => new URL(`http://[${v}]/`).hostname.slice(1, -1)

function ipv6Bytes(v: string): Buffer {
  const [head, tail] = ipv6Normal(v).split('::')
  const h = head ? head.split(':') : []
  const t = tail ? tail.split(':') : []
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t]
  return Buffer.from(groups.flatMap((g) => [Number.parseInt(g, 16) >> 8, Number.parseInt(g, 16) & 0xff]))
}

function putAttr(spec: Spec, b: AttrsBuilder, a: SpecAttr, v: unknown, path: string): void {
  if (a.multi && Array.isArray(v)) {
    for (const [i, x] of v.entries()) putOne(spec, b, a, x, `${path}[${i}]`)
    return
  }
  putOne(spec, b, a, v, path)
}

function putOne(spec: Spec, b: AttrsBuilder, a: SpecAttr, v: unknown, path: string): void {
  switch (a.type) {
    case 'flag':
      if (v !== true && v !== false) throw new TypeError(`${path} must be a boolean, got ${describe(v)}`)
      if (v) b.flag(a.id)
      return
    case 'string':
      if (typeof v !== 'string') throw new TypeError(`${path} must be a string, got ${describe(v)}`)
      if (v.includes('\0')) throw new RangeError(`${path} must not contain a NUL character`)
      b.string(a.id, v)
      return
    case 'binary':
      b.binary(a.id, binaryIn(a, v, path))
      return
    case 'nest':
      b.nested(a.id, (n) => encodeInto(spec, n, a.nested ?? '', v, path))
      return
    case 'indexed-array':
      if (!Array.isArray(v)) throw new TypeError(`${path} must be an array, got ${describe(v)}`)
      b.nested(a.id, (n) => {
        for (const [i, x] of v.entries()) {
          const item: SpecAttr = { ...a, id: i + 1, type: a.subType ?? 'nest', multi: false }
          putOne(spec, n, item, x, `${path}[${i}]`)
        }
      })
      return
    case 'pad':
      return
    default:
      if (!(a.type in INT_BITS)) throw new RangeError(`${path}: attribute type ${describe(a.type)} is not supported`)
      putInt(b, a, a.type, intIn(spec, a, v, path), path)
  }
}

function encodeInto(spec: Spec, b: AttrsBuilder, setName: string, values: unknown, path: string): void {
  if (typeof values !== 'object' || values === null || Array.isArray(values))
    throw new TypeError(`${path} must be an object, got ${describe(values)}`)
  const s = set(spec, setName)
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) continue
    const a = s.byName.get(k)
    if (!a)
      throw new RangeError(
        `${path}: ${describe(k)} is not an attribute of ${s.name} (${[...new Set([...s.byId.values()].map((x) => x.key))].join(', ')})`,
      )
    putAttr(spec, b, a, v, `${path}.${k}`)
  }
}

/** `values` as the attributes of set `setName`. */
export function encode(spec: Spec, setName: string, values: unknown, path = 'attrs'): Buffer {
  const b = new AttrsBuilder()
  encodeInto(spec, b, setName, values ?? {}, path)
  return b.toBuffer()
}

// ---- decoding ----------------------------------------------------------------------------------

const num = (v: bigint | number): number | bigint =>
  typeof v === 'bigint' && (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) ? v : Number(v)

function intOut(spec: Spec, a: SpecAttr, data: Buffer): unknown {
  const signed = a.type.startsWith('s')
  let v: bigint
  const n = data.length
  if (n >= 8) v = a.bigEndian ? data.readBigUInt64BE(0) : signed ? data.readBigInt64LE(0) : data.readBigUInt64LE(0)
  else if (n >= 4) v = BigInt(a.bigEndian ? data.readUInt32BE(0) : signed ? data.readInt32LE(0) : data.readUInt32LE(0))
  else if (n >= 2) v = BigInt(a.bigEndian ? data.readUInt16BE(0) : signed ? data.readInt16LE(0) : data.readUInt16LE(0))
  else if (n >= 1) v = BigInt(signed ? data.readInt8(0) : data.readUInt8(0))
  else return undefined
  const e = a.enumName ? spec.enums.get(a.enumName) : undefined
  if (!e) return num(v)
  if (e.flags || a.asFlags) {
    const names: (string | number)[] = []
    for (const [value, name] of e.byValue) if ((v & BigInt(value)) !== 0n) names.push(name)
    let rest = v
    for (const value of e.byValue.keys()) rest &= ~BigInt(value)
    for (let bit = 0n; rest !== 0n; bit++, rest >>= 1n) if (rest & 1n) names.push(2 ** Number(bit))
    return names
  }
  return e.byValue.get(Number(v)) ?? num(v)
}

function binaryOut(spec: Spec, a: SpecAttr, data: Buffer): unknown {
  if (a.hint === 'ipv4' && data.length === 4) return [...data].join('.')
  if (a.hint === 'ipv6' && data.length === 16) {
    return ipv6Normal(Array.from({ length: 8 }, (_, i) => data.readUInt16BE(i * 2).toString(16)).join(':'))
  }
  if (a.hint === 'mac') return [...data].map((x) => x.toString(16).padStart(2, '0')).join(':')
  if (a.struct && spec.structs.has(a.struct)) return structOut(spec, a.struct, data)
  return data
}

function structOut(spec: Spec, name: string, data: Buffer): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  let off = 0
  for (const m of spec.structs.get(name) ?? []) {
    const [bits] = INT_BITS[m.type] ?? [0]
    const size = bits ? bits / 8 : (m.len ?? 0)
    if (off + size > data.length) break
    const slice = data.subarray(off, off + size)
    if (m.type !== 'pad')
      out[m.key] = bits ? intOut(spec, { ...m, id: 0, asFlags: false, multi: false, enumName: undefined }, slice) : Buffer.from(slice)
    off += size
  }
  return out
}

function valueOut(spec: Spec, a: SpecAttr, data: Buffer, attrsOf: () => Attrs): unknown {
  switch (a.type) {
    case 'flag':
      return true
    case 'string': {
      const end = data.indexOf(0)
      return data.toString('utf8', 0, end < 0 ? data.length : end)
    }
    case 'binary':
      return binaryOut(spec, a, data)
    case 'nest':
      return a.nested ? decodeSet(spec, a.nested, attrsOf()) : data
    case 'indexed-array':
      return [...attrsOf()].map((item) =>
        valueOut(spec, { ...a, type: a.subType ?? 'nest', multi: false }, item.data, () => decodeAttrs(item.data)),
      )
    default:
      return a.type in INT_BITS ? intOut(spec, a, data) : data
  }
}

function decodeSet(spec: Spec, setName: string, attrs: Attrs): Record<string, unknown> {
  const s = set(spec, setName)
  const out: Record<string, unknown> = {}
  for (const x of attrs) {
    const a = s.byId.get(x.type)
    if (!a || a.type === 'pad') continue
    const v = valueOut(spec, a, x.data, () => decodeAttrs(x.data))
    if (v === undefined) continue
    if (a.multi) ((out[a.key] ??= []) as unknown[]).push(v)
    else out[a.key] = v
  }
  return out
}

/** Attributes of set `setName` as an object keyed in camelCase (unknown attributes skipped). */
export function decode(spec: Spec, setName: string, data: Uint8Array): Record<string, unknown> {
  return decodeSet(spec, setName, decodeAttrs(data))
}
