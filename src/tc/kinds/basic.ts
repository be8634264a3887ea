/**
 * basic, the classifier on extended matches (`tc filter ... basic match '...' classid 1:1`);
 * without a match it takes every packet. The matches are a tree of objects (the core lays
 * them out as tc does: crates/nlkit/src/rtnl/tc/filters/ematch.rs).
 *
 * @module
 */

/**
 * An offset's base in an {@link Ematch}: the link-layer, network or transport header (or 0-2).
 *
 * @category Traffic control
 */
export type EmatchLayer = 'link' | 'network' | 'transport' | 0 | 1 | 2

/**
 * An extended match of {@link BasicOptions}: a leaf (`cmp`, `u32`, `nbyte`) or `and` / `or`
 * of matches, or `not` of one, as tc writes `match 'cmp(...) and not u32(...)'`.
 *
 * @category Traffic control
 */
export type Ematch =
  | {
      /** `cmp(u16 at 12 layer link mask 0xffff eq 0x0800 [trans])`: compare a u8/u16/u32 at an offset. */
      cmp: {
        /** The value's width. */
        size: 'u8' | 'u16' | 'u32'
        /** Offset from the layer's header. */
        at: number
        /** The header the offset counts from (default link). */
        layer?: EmatchLayer
        /** Bits compared (0 or absent: all). */
        mask?: number
        /** Equal to (one of eq, gt, lt). */
        eq?: number
        /** Greater than. */
        gt?: number
        /** Less than. */
        lt?: number
        /** Read the value in network byte order. */
        trans?: boolean
      }
    }
  | {
      /** `u32(u16 0x0050 0xffff at [nexthdr+]2)`; listed as the 32-bit word tc packs it into. */
      u32: {
        /** The value's width (default u32). */
        size?: 'u8' | 'u16' | 'u32'
        /** The value. */
        value: number
        /** Its mask (default all bits of the width). */
        mask?: number
        /** Offset from the network header, a multiple of the width. */
        at: number
        /** Count the offset from the transport header (`nexthdr+`). */
        nexthdr?: boolean
      }
    }
  | {
      /** `nbyte("abc" at 0 layer transport)`: these bytes at an offset. */
      nbyte: {
        /** The bytes. */
        needle: string
        /** Offset from the layer's header. */
        at?: number
        /** The header the offset counts from (default link). */
        layer?: EmatchLayer
      }
    }
  | {
      /** Every one of these. */
      and: Ematch[]
    }
  | {
      /** Any of these. */
      or: Ematch[]
    }
  | {
      /** Not this one. */
      not: Ematch
    }

/**
 * basic's options.
 *
 * @category Traffic control
 */
export interface BasicOptions {
  /** The class matching packets go to (`'1:10'`). */
  classid?: string
  /** tc's other name for `classid` (and how filters are listed). */
  flowid?: string
  /** The extended matches; listed `true` where tc made matches of a kind nlkit does not write (meta, text, ...), which an add refuses. */
  match?: Ematch | true
}
