/**
 * Tracing: every netlink message a connection or subscription sends and receives, decoded the
 * way strace shows netlink. The core formats each datagram on its I/O thread; text arrives here
 * (one call per datagram, one line per message) and goes to stderr or to the caller's function.
 * Off by default, and then nothing is wrapped or formatted at all.
 */

/**
 * `true` prints to stderr; a function receives each line; `false` turns tracing off even when
 * `NLKIT_TRACE=1` is set. Unset: the environment decides (`NLKIT_TRACE=1` prints to stderr).
 *
 * A line: `nlkit: NETLINK_ROUTE sent [{nlmsg_len=40, nlmsg_type=RTM_NEWLINK,
 * nlmsg_flags=NLM_F_REQUEST|NLM_F_ACK, nlmsg_seq=5, nlmsg_pid=0}, {ifi_family=AF_UNSPEC, ...},
 * [{nla_len=8, nla_type=IFLA_MTU}, 1400]]`.
 *
 * @category Connections
 */
export type TraceOption = boolean | ((line: string) => void)

/** Values of NLKIT_TRACE that turn tracing on. */
const ON = new Set(['1', 'true', 'yes', 'on'])

/** Throws before anything is opened when `trace` is neither a boolean nor a function. */
export function checkTrace(trace: unknown): void {
  if (trace !== undefined && typeof trace !== 'boolean' && typeof trace !== 'function')
    throw new TypeError('trace must be a boolean or a function (line: string) => void')
}

/**
 * Turns tracing on for a native handle, before its `open()`: to stderr (written by the core's
 * threads in order, nothing lost at exit) or line by line to the caller's function (through a
 * bounded queue: lines may arrive after the call they belong to has settled, and those still
 * queued when the process exits are lost).
 */
export function applyTrace(native: { trace(f?: (text: string) => void): void }, trace: TraceOption | undefined): void {
  const on = trace ?? ON.has((process.env.NLKIT_TRACE ?? '').toLowerCase())
  if (on === false) return
  if (on === true) {
    native.trace()
    return
  }
  const fn = on
  native.trace((text) => {
    for (const line of text.split('\n')) {
      try {
        fn(line)
      } catch (e) {
        // A throwing trace function must not take the process down from a native callback.
        process.emitWarning(`the trace function threw: ${e instanceof Error ? e.message : String(e)}`, 'NlkitTraceWarning')
      }
    }
  })
}
