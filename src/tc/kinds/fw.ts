/**
 * fw, the classifier on the packet's firewall mark (`tc filter ... handle 5 fw classid 1:5`):
 * the filter's `handle` is the mark.
 *
 * @module
 */

/**
 * fw's options.
 *
 * @category Traffic control
 */
export interface FwOptions {
  /** The bits of the mark compared with the handle (tc's `handle 0x10/0xff`; default all). */
  mask?: number
  /** The class matching packets go to (`'1:10'`; listed so, as tc -j names it). */
  classid?: string
  /** tc's other name for `classid`. */
  flowid?: string
  /** Only packets that came in on this device. */
  indev?: string
}
