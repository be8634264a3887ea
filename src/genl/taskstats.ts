/**
 * Per-task accounting (`TASKSTATS`): the scheduling, I/O and memory delays, CPU times and I/O
 * counters of a thread or a whole process, by pid; e.g. to watch a Node process's own delays.
 *
 * @module
 */

import type { CallOptions } from '../types.js'
import { checkInt, describe } from '../validate.js'
import { checkObject, familyCall, one } from './args.js'
import type { GenlConn } from './conn.js'

/**
 * A task's `struct taskstats`, fields named as in the struct in camelCase without `ac_`, in
 * the kernel's units: delays and `cpuRunRealTotal`/`cpuRunVirtualTotal` in ns, `utime`,
 * `stime` and `etime` in µs, `hiwaterRss`/`hiwaterVm` in KiB, `btime` in seconds since 1970.
 * The I/O counters (`readChar` ... `writeBytes`, `readSyscalls`, `writeSyscalls`) are rounded down
 * to a multiple of 1024 by the kernel. Fields the kernel's struct version lacks are left out.
 * @category Taskstats
 */
export interface Taskstats {
  /** The struct's version (16 on Linux 6.18). */
  version: number
  /** User CPU time, µs. */
  utime: number
  /** System CPU time, µs. */
  stime: number
  /** Elapsed time since start, µs (a process: summed over its threads). */
  etime: number
  /** Voluntary context switches. */
  nvcsw: number
  /** Involuntary context switches. */
  nivcsw: number
  /** Times the task waited for a CPU. */
  cpuCount: number
  /** Total time waited for a CPU, ns. */
  cpuDelayTotal: number
  /** Block I/O waits. */
  blkioCount: number
  /** Total block I/O wait, ns. */
  blkioDelayTotal: number
  /** The thread group id (a `{ tgid }` request's; a thread's own since version 12). */
  tgid?: number
  /** The command name (a thread's only, as are the fields below). */
  comm?: string
  /** The thread's pid. */
  pid?: number
  /** The parent's pid. */
  ppid?: number
  /** Real user id. */
  uid?: number
  /** Real group id. */
  gid?: number
  /** Nice value. */
  nice?: number
  /** Start time, s since 1970. */
  btime?: number
  /** Minor page faults. */
  minflt?: number
  /** Major page faults. */
  majflt?: number
  /** Bytes read (all reads, like /proc/PID/io rchar). */
  readChar?: number
  /** Bytes written (wchar). */
  writeChar?: number
  /** Read syscalls (syscr). */
  readSyscalls?: number
  /** Write syscalls (syscw). */
  writeSyscalls?: number
  /** Storage bytes read (read_bytes). */
  readBytes?: number
  /** Storage bytes written (write_bytes). */
  writeBytes?: number
  /** Every other field of the struct (swapin, freepages, thrashing, compact, wpcopy, irq delays, each delay's max and min since version 15: `cpuDelayMax`, ...). */
  [field: string]: number | string | undefined
}

/**
 * Whose statistics: one thread by `pid`, or a whole process by `tgid`, for which the kernel
 * sums only the delays, CPU times, elapsed time and context switches over its threads (the
 * other fields are a thread's only).
 * @category Taskstats
 */
export type TaskRef =
  | {
      /** A thread's id (a process's main thread has the process's pid). */
      pid: number
    }
  | {
      /** A process's id. */
      tgid: number
    }

export function taskstatsGet(g: GenlConn, task: TaskRef, o?: CallOptions): Promise<Taskstats> {
  try {
    const t = checkObject(task as { pid?: number; tgid?: number }, new Set(['pid', 'tgid']), 'task')
    if (task === undefined || (t.pid === undefined) === (t.tgid === undefined))
      throw new TypeError(`task must be { pid } or { tgid }, got ${describe(task)}`)
    const id = t.pid !== undefined ? checkInt(t.pid, 'task.pid', 1, 0x7fffffff) : checkInt(t.tgid, 'task.tgid', 1, 0x7fffffff)
    const subject = t.pid !== undefined ? `pid ${id}` : `tgid ${id}`
    return one(familyCall<Taskstats>(g, 'taskstats', 'get', 'taskstatsGet', subject, { ...t }, o), 'taskstatsGet', subject)
  } catch (e) {
    return Promise.reject(e)
  }
}
