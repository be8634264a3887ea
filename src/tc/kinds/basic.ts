/**
 * basic, the classifier on extended matches (`tc filter ... basic classid 1:1`); without a
 * match it takes every packet. Extended matches (ematch) are not supported yet.
 *
 * @module
 */

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
  /** Listed: the filter has extended matches (made by tc); an add refuses it, as nlkit does not encode them. */
  match?: boolean
}
