// Netlink attributes (TLV: u16 length, u16 type, value padded to 4): a builder and a reader,
// with every length and range checked. Usable on their own, for payloads of any protocol.

/**
 * Flag bit of an attribute's type: its value is a list of attributes.
 * @category Raw netlink
 */
export const NLA_F_NESTED = 0x8000
/**
 * Flag bit of an attribute's type: its integer value is in network byte order.
 * @category Raw netlink
 */
export const NLA_F_NET_BYTEORDER = 0x4000
const TYPE_MASK = 0x3fff
const HDRLEN = 4
const MAX_LEN = 0xffff

/**
 * One attribute as read: its type (without the flag bits), the flags, and its value.
 * @category Raw netlink
 */
export interface Attr {
  /** Attribute type, without the NESTED and NET_BYTEORDER flags. */
  type: number
  /** NLA_F_NESTED was set: the value is itself a list of attributes. */
  nested: boolean
  /** NLA_F_NET_BYTEORDER was set: integers in the value are big-endian. */
  netByteOrder: boolean
  /** The payload bytes. */
  data: Buffer
}

function checkType(type: unknown, what = 'type'): number {
  if (typeof type !== 'number' || !Number.isInteger(type) || type < 0 || type > TYPE_MASK) {
    throw new RangeError(`attribute ${what} must be an integer in 0..${TYPE_MASK}, got ${String(type)}`)
  }
  return type
}

function checkInt(v: unknown, type: number, bits: 8 | 16 | 32, signed: boolean): number {
  const min = signed ? -(2 ** (bits - 1)) : 0
  const max = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new RangeError(`attribute ${type}: value must be an integer in ${min}..${max}, got ${String(v)}`)
  }
  return v
}

function checkBig(v: unknown, type: number, signed: boolean): bigint {
  const b = typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : v
  const min = signed ? -(1n << 63n) : 0n
  const max = signed ? (1n << 63n) - 1n : (1n << 64n) - 1n
  if (typeof b !== 'bigint' || b < min || b > max) {
    throw new RangeError(`attribute ${type}: value must be a ${signed ? 's64' : 'u64'} (bigint or safe integer), got ${String(v)}`)
  }
  return b
}

/**
 * Builds a list of attributes: `new AttrsBuilder().u32(1, 5).string(2, 'eth0').toBuffer()`.
 * Every value is range-checked (a RangeError names the attribute); lengths over 65535 bytes
 * are refused rather than cut.
 * @category Raw netlink
 */
export class AttrsBuilder {
  #chunks: Buffer[] = []
  #len = 0

  /** An attribute with `data` as its value (padded to 4 bytes); `flags`: NLA_F_* bits. */
  binary(type: number, data: Uint8Array, flags = 0): this {
    checkType(type)
    if (flags !== 0 && flags !== NLA_F_NESTED && flags !== NLA_F_NET_BYTEORDER) {
      throw new RangeError(`attribute ${type}: flags must be 0, NLA_F_NESTED or NLA_F_NET_BYTEORDER`)
    }
    if (!(data instanceof Uint8Array)) throw new TypeError(`attribute ${type}: value must be a Uint8Array or Buffer`)
    const len = HDRLEN + data.length
    if (len > MAX_LEN) throw new RangeError(`attribute ${type}: ${data.length} bytes do not fit an attribute (at most ${MAX_LEN - HDRLEN})`)
    const padded = (len + 3) & ~3
    const b = Buffer.alloc(padded)
    b.writeUInt16LE(len, 0)
    b.writeUInt16LE(type | flags, 2)
    b.set(data, HDRLEN)
    this.#chunks.push(b)
    this.#len += padded
    return this
  }

  #int(type: number, size: number, write: (b: Buffer) => void, flags = 0): this {
    const b = Buffer.alloc(size)
    write(b)
    return this.binary(type, b, flags)
  }

  /** An unsigned 8-bit value. */
  u8(type: number, v: number): this {
    return this.#int(type, 1, (b) => b.writeUInt8(checkInt(v, type, 8, false)))
  }
  /** An unsigned 16-bit value (host order). */
  u16(type: number, v: number): this {
    return this.#int(type, 2, (b) => b.writeUInt16LE(checkInt(v, type, 16, false)))
  }
  /** An unsigned 32-bit value (host order). */
  u32(type: number, v: number): this {
    return this.#int(type, 4, (b) => b.writeUInt32LE(checkInt(v, type, 32, false)))
  }
  /** An unsigned 64-bit value (host order), as a bigint or a safe integer. */
  u64(type: number, v: bigint | number): this {
    return this.#int(type, 8, (b) => b.writeBigUInt64LE(checkBig(v, type, false)))
  }
  /** A signed 8-bit value. */
  s8(type: number, v: number): this {
    return this.#int(type, 1, (b) => b.writeInt8(checkInt(v, type, 8, true)))
  }
  /** A signed 16-bit value (host order). */
  s16(type: number, v: number): this {
    return this.#int(type, 2, (b) => b.writeInt16LE(checkInt(v, type, 16, true)))
  }
  /** A signed 32-bit value (host order). */
  s32(type: number, v: number): this {
    return this.#int(type, 4, (b) => b.writeInt32LE(checkInt(v, type, 32, true)))
  }
  /** A signed 64-bit value (host order), as a bigint or a safe integer. */
  s64(type: number, v: bigint | number): this {
    return this.#int(type, 8, (b) => b.writeBigInt64LE(checkBig(v, type, true)))
  }
  /**
   * Big-endian (network order) integers, as netfilter's attributes are. Most families take them
   * unflagged; pass `flags: NLA_F_NET_BYTEORDER` where one wants the flag.
   */
  be16(type: number, v: number, flags = 0): this {
    return this.#int(type, 2, (b) => b.writeUInt16BE(checkInt(v, type, 16, false)), flags)
  }
  /** A big-endian 32-bit value (see be16). */
  be32(type: number, v: number, flags = 0): this {
    return this.#int(type, 4, (b) => b.writeUInt32BE(checkInt(v, type, 32, false)), flags)
  }
  /** A big-endian 64-bit value (see be16). */
  be64(type: number, v: bigint | number, flags = 0): this {
    return this.#int(type, 8, (b) => b.writeBigUInt64BE(checkBig(v, type, false)), flags)
  }
  /** A NUL-terminated string (NLA_NUL_STRING / NLA_STRING as the kernel reads them). */
  string(type: number, s: string): this {
    if (typeof s !== 'string') throw new TypeError(`attribute ${type}: value must be a string`)
    if (s.includes('\0')) throw new RangeError(`attribute ${type}: a string must not contain NUL (the kernel would read up to it)`)
    return this.binary(type, Buffer.from(`${s}\0`, 'utf8'))
  }
  /** An attribute with no value (NLA_FLAG): present means true. */
  flag(type: number): this {
    return this.binary(type, Buffer.alloc(0))
  }
  /** A nested attribute (NLA_F_NESTED): `build` adds its children. */
  nested(type: number, build: (b: AttrsBuilder) => void): this {
    const inner = new AttrsBuilder()
    build(inner)
    return this.binary(type, inner.toBuffer(), NLA_F_NESTED)
  }
  /** An array of nested attributes: children typed 1, 2, 3, ... each built by `build(b, item)`. */
  nestedArray<T>(type: number, items: Iterable<T>, build: (b: AttrsBuilder, item: T) => void): this {
    return this.nested(type, (outer) => {
      let i = 1
      for (const item of items) outer.nested(i++, (b) => build(b, item))
    })
  }

  /** The encoded attributes, ready to append to a family header. */
  toBuffer(): Buffer {
    return Buffer.concat(this.#chunks, this.#len)
  }
}

/**
 * Encodes attributes with a builder: `encodeAttrs((b) => b.u32(1, 5).string(2, 'eth0'))`.
 * @example
 * ```ts
 * const payload = encodeAttrs((b) => b.u16(1, 0x10).string(2, 'nlctrl'))
 * ```
 *
 * @category Raw netlink
 */
export function encodeAttrs(build: (b: AttrsBuilder) => void): Buffer {
  const b = new AttrsBuilder()
  build(b)
  return b.toBuffer()
}

/**
 * Splits a buffer into attributes. A length below the header or beyond the buffer is a
 * RangeError (a malformed list is never read past its end); a value is a view, not a copy.
 * @category Raw netlink
 */
export function decodeAttrs(data: Uint8Array): Attrs {
  if (!(data instanceof Uint8Array)) throw new TypeError('data must be a Uint8Array or Buffer')
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  const out: Attr[] = []
  let off = 0
  while (off + HDRLEN <= buf.length) {
    const len = buf.readUInt16LE(off)
    const ty = buf.readUInt16LE(off + 2)
    if (len < HDRLEN || off + len > buf.length) {
      throw new RangeError(`malformed attribute at offset ${off}: length ${len} with ${buf.length - off} bytes left`)
    }
    out.push({
      type: ty & TYPE_MASK,
      nested: (ty & NLA_F_NESTED) !== 0,
      netByteOrder: (ty & NLA_F_NET_BYTEORDER) !== 0,
      data: buf.subarray(off + HDRLEN, off + len),
    })
    off += (len + 3) & ~3
  }
  if (off < buf.length && buf.length - off < HDRLEN && buf.subarray(off).some((x) => x !== 0)) {
    throw new RangeError(`malformed attribute list: ${buf.length - off} trailing bytes`)
  }
  return new Attrs(out)
}

function sized(a: Attr | undefined, n: number, what: string): Buffer | undefined {
  if (a === undefined) return undefined
  if (a.data.length < n) throw new RangeError(`attribute ${a.type}: ${a.data.length} bytes, too short for ${what}`)
  return a.data
}

/**
 * A decoded attribute list with typed getters by attribute type (the first of that type; absent
 * is `undefined`). A value shorter than its type is a RangeError, never a read past its end.
 * @category Raw netlink
 */
export class Attrs implements Iterable<Attr> {
  /** @internal */
  constructor(
    /** The attributes, in order. */
    readonly list: Attr[],
  ) {}

  /** The attributes in order. */
  [Symbol.iterator](): Iterator<Attr> {
    return this.list[Symbol.iterator]()
  }
  /** The first attribute of `type`. */
  get(type: number): Attr | undefined {
    return this.list.find((a) => a.type === type)
  }
  /** Every attribute of `type`, in order. */
  all(type: number): Attr[] {
    return this.list.filter((a) => a.type === type)
  }
  /** Whether an attribute of `type` is present. */
  has(type: number): boolean {
    return this.get(type) !== undefined
  }
  /** The unsigned 8-bit value of the first attribute of `type`. */
  u8(type: number): number | undefined {
    return sized(this.get(type), 1, 'u8')?.readUInt8(0)
  }
  /** An unsigned 16-bit value (big-endian when flagged NLA_F_NET_BYTEORDER). */
  u16(type: number): number | undefined {
    const a = this.get(type)
    const d = sized(a, 2, 'u16')
    return d && (a!.netByteOrder ? d.readUInt16BE(0) : d.readUInt16LE(0))
  }
  /** An unsigned 32-bit value (big-endian when flagged NLA_F_NET_BYTEORDER). */
  u32(type: number): number | undefined {
    const a = this.get(type)
    const d = sized(a, 4, 'u32')
    return d && (a!.netByteOrder ? d.readUInt32BE(0) : d.readUInt32LE(0))
  }
  /** An unsigned 64-bit value as a bigint (big-endian when flagged). */
  u64(type: number): bigint | undefined {
    const a = this.get(type)
    const d = sized(a, 8, 'u64')
    return d && (a!.netByteOrder ? d.readBigUInt64BE(0) : d.readBigUInt64LE(0))
  }
  /** A signed 8-bit value. */
  s8(type: number): number | undefined {
    return sized(this.get(type), 1, 's8')?.readInt8(0)
  }
  /** A signed 16-bit value. */
  s16(type: number): number | undefined {
    return sized(this.get(type), 2, 's16')?.readInt16LE(0)
  }
  /** A signed 32-bit value. */
  s32(type: number): number | undefined {
    return sized(this.get(type), 4, 's32')?.readInt32LE(0)
  }
  /** A signed 64-bit value as a bigint. */
  s64(type: number): bigint | undefined {
    return sized(this.get(type), 8, 's64')?.readBigInt64LE(0)
  }
  /** Big-endian integers, whether or not the sender flagged them NLA_F_NET_BYTEORDER. */
  be16(type: number): number | undefined {
    return sized(this.get(type), 2, 'be16')?.readUInt16BE(0)
  }
  /** A big-endian 32-bit value. */
  be32(type: number): number | undefined {
    return sized(this.get(type), 4, 'be32')?.readUInt32BE(0)
  }
  /** A big-endian 64-bit value as a bigint. */
  be64(type: number): bigint | undefined {
    return sized(this.get(type), 8, 'be64')?.readBigUInt64BE(0)
  }
  /** A string, up to its first NUL (or the whole value without one). */
  string(type: number): string | undefined {
    const d = this.get(type)?.data
    if (d === undefined) return undefined
    const nul = d.indexOf(0)
    return d.toString('utf8', 0, nul < 0 ? d.length : nul)
  }
  /** The value's bytes (a view into the decoded buffer). */
  binary(type: number): Buffer | undefined {
    return this.get(type)?.data
  }
  /** Whether an attribute of `type` is present (NLA_FLAG). */
  flag(type: number): boolean {
    return this.has(type)
  }
  /** The value decoded as a nested attribute list. */
  nested(type: number): Attrs | undefined {
    const d = this.get(type)?.data
    return d && decodeAttrs(d)
  }
  /** An array of nested attributes: each child of `type` decoded as a list, in order. */
  nestedArray(type: number): Attrs[] {
    const outer = this.nested(type)
    return outer ? outer.list.map((a) => decodeAttrs(a.data)) : []
  }
}
