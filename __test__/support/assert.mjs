// Assertions about how calls fail: a NetlinkError with its code, or a TypeError / RangeError
// thrown before anything is sent.

import * as nl from '../../index.js'

/** Expects `p` to reject with a NetlinkError of `code`; returns the error. */
export async function rejectsCode(t, p, code, op) {
  const e = await t.throwsAsync(p, { instanceOf: nl.NetlinkError })
  t.is(e?.code, code, `expected ${code}, got ${e?.code}: ${e?.message}`)
  if (op !== undefined) t.is(e?.op, op)
  return e
}

/**
 * Expects `fn()` to throw (or reject with) `cls` synchronously-or-async, without anything being
 * sent: the caller compares ip snapshots around it.
 */
export async function rejectsWith(t, fn, cls, msg) {
  let p
  try {
    p = fn()
  } catch (e) {
    t.true(e instanceof cls, `${msg}: ${e?.constructor?.name}: ${e?.message}`)
    return e
  }
  const e = await p.then(
    () => undefined,
    (err) => err,
  )
  t.true(e instanceof cls, `${msg}: expected ${cls.name}, got ${e === undefined ? 'success' : `${e?.constructor?.name}: ${e?.message}`}`)
  return e
}
