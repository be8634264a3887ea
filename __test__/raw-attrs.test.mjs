// The attribute codec on its own (no kernel): every type encodes as the kernel lays it out,
// decodes back, and malformed input or out-of-range values are refused, never misread.

import test from 'ava'
import { AttrsBuilder, decodeAttrs, encodeAttrs, NLA_F_NESTED, NLA_F_NET_BYTEORDER } from '../index.js'

test('integers, strings, flags and binary: the bytes the kernel expects, and back', (t) => {
  const b = encodeAttrs((a) =>
    a
      .u8(1, 0xab)
      .u16(2, 0x1234)
      .u32(3, 0xdeadbeef)
      .u64(4, 2n ** 63n + 5n)
      .string(5, 'eth0')
      .flag(6)
      .binary(7, Buffer.from([9, 8, 7])),
  )
  t.deepEqual([...b.subarray(0, 8)], [5, 0, 1, 0, 0xab, 0, 0, 0], 'u8: length 5, type 1, value, padded to 8')
  t.deepEqual([...b.subarray(8, 16)], [6, 0, 2, 0, 0x34, 0x12, 0, 0], 'u16 host order (little-endian)')
  const a = decodeAttrs(b)
  t.is(a.u8(1), 0xab)
  t.is(a.u16(2), 0x1234)
  t.is(a.u32(3), 0xdeadbeef)
  t.is(a.u64(4), 2n ** 63n + 5n)
  t.is(a.string(5), 'eth0')
  t.is(a.binary(5).length, 5, 'NUL-terminated')
  t.true(a.flag(6))
  t.false(a.flag(99))
  t.deepEqual([...a.binary(7)], [9, 8, 7])
  t.is(a.u32(99), undefined)
  t.is(b.length % 4, 0)
})

test('signed and big-endian values, with and without NLA_F_NET_BYTEORDER', (t) => {
  const b = new AttrsBuilder()
    .s8(1, -2)
    .s16(2, -300)
    .s32(3, -70000)
    .s64(4, -(2n ** 40n))
    .be16(5, 0x0102)
    .be32(6, 0x01020304, NLA_F_NET_BYTEORDER)
    .be64(7, 1n)
    .toBuffer()
  const a = decodeAttrs(b)
  t.deepEqual([a.s8(1), a.s16(2), a.s32(3), a.s64(4)], [-2, -300, -70000, -(2n ** 40n)])
  t.is(a.be16(5), 0x0102)
  t.false(a.get(5).netByteOrder)
  t.true(a.get(6).netByteOrder)
  t.is(a.u32(6), 0x01020304, 'u32 honours the byte-order flag')
  t.is(a.be32(6), 0x01020304)
  t.is(a.be64(7), 1n)
  t.deepEqual([...a.binary(5)], [1, 2])
})

test('nested attributes and arrays of nested ones', (t) => {
  const b = encodeAttrs((a) => a.nested(1, (n) => n.u32(1, 7).string(2, 'x')).nestedArray(2, [10, 20, 30], (n, v) => n.u16(1, v)))
  const a = decodeAttrs(b)
  t.true(a.get(1).nested)
  t.is(b.readUInt16LE(2), 1 | NLA_F_NESTED)
  t.is(a.nested(1).u32(1), 7)
  t.is(a.nested(1).string(2), 'x')
  t.deepEqual(
    a.nestedArray(2).map((x) => x.u16(1)),
    [10, 20, 30],
  )
  t.deepEqual(
    a.nested(2).list.map((x) => x.type),
    [1, 2, 3],
  )
  t.deepEqual(
    [...a].map((x) => x.type),
    [1, 2],
  )
})

test('out-of-range values and bad types are refused with the attribute named', (t) => {
  const e = (f, type, re) => t.throws(() => encodeAttrs(f), { instanceOf: type, message: re })
  e((a) => a.u8(1, 256), RangeError, /attribute 1/)
  e((a) => a.u16(1, -1), RangeError, /0\.\.65535/)
  e((a) => a.u32(1, 1.5), RangeError, /integer/)
  e((a) => a.s8(1, 128), RangeError, /-128\.\.127/)
  e((a) => a.u64(1, -1n), RangeError, /u64/)
  e((a) => a.u64(1, 2 ** 64), RangeError, /u64/)
  e((a) => a.u32(0x4000, 1), RangeError, /type/)
  e((a) => a.u32(-1, 1), RangeError, /type/)
  e((a) => a.string(1, 'a\0b'), RangeError, /NUL/)
  e((a) => a.string(1, 5), TypeError, /string/)
  e((a) => a.binary(1, 'abc'), TypeError, /Uint8Array/)
  e((a) => a.binary(1, Buffer.alloc(70000)), RangeError, /do not fit/)
  e((a) => a.binary(1, Buffer.alloc(1), 0x1), RangeError, /flags/)
})

test('malformed lists are a RangeError; a value too short for its type too', (t) => {
  t.throws(() => decodeAttrs(Buffer.from([3, 0, 1, 0])), { instanceOf: RangeError, message: /length 3/ })
  t.throws(() => decodeAttrs(Buffer.from([12, 0, 1, 0, 1, 2, 3, 4])), { instanceOf: RangeError, message: /length 12/ })
  t.throws(() => decodeAttrs(Buffer.from([8, 0, 1, 0, 1, 2, 3, 4, 9])), { instanceOf: RangeError, message: /trailing/ })
  t.throws(() => decodeAttrs('x'), { instanceOf: TypeError })
  const short = decodeAttrs(encodeAttrs((a) => a.u8(1, 1)))
  t.throws(() => short.u32(1), { instanceOf: RangeError, message: /too short/ })
  t.deepEqual(decodeAttrs(Buffer.alloc(0)).list, [])
  // A Uint8Array view into a larger buffer is read within its bounds only.
  const big = Buffer.concat([Buffer.alloc(8, 0xff), encodeAttrs((a) => a.u32(2, 5)), Buffer.alloc(8, 0xff)])
  t.is(decodeAttrs(new Uint8Array(big.buffer, big.byteOffset + 8, 8)).u32(2), 5)
})
