// Waiting without fixed sleeps: poll a condition until it holds, with a timeout that only stops
// a hang (no test measures time).

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/**
 * Polls `fn` until it returns a truthy value (and returns that value); throws after `timeout` ms.
 * `what` (a string, or a function giving one) describes the condition in the error.
 */
export async function waitFor(fn, { timeout = 20000, interval = 10, what = 'condition' } = {}) {
  const end = Date.now() + timeout
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > end) throw new Error(`gave up after ${timeout} ms waiting for ${typeof what === 'function' ? what() : what}`)
    await sleep(interval)
  }
}
