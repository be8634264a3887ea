/**
 * bpf, the classifier running a BPF program on each packet (`tc filter ... bpf bytecode
 * '1,6 0 0 65535'`, `tc filter ... bpf da pinned /sys/fs/bpf/prog`).
 *
 * @module
 */

import type { ControlAction } from './gact.js'

/**
 * One classic BPF instruction, `struct sock_filter`: `[code, jt, jf, k]`.
 *
 * @category Traffic control
 */
export type BpfInsn = [code: number, jt: number, jf: number, k: number]

/**
 * bpf's options: one program, as classic `bytecode` or an eBPF program by `fd` or `pinned`
 * path; and what a match does.
 *
 * @category Traffic control
 */
export interface BpfOptions {
  /** A classic program: tc's string (`'2,6 0 0 0,6 0 0 1'`, a count then `code jt jf k` each) or its instructions; listed as the string. */
  bytecode?: string | BpfInsn[]
  /** An eBPF program (type sched_cls) by an open descriptor of this process. */
  fd?: number
  /** An eBPF program pinned in a bpf filesystem (opened until the request is answered). */
  pinned?: string
  /** The eBPF program's name (default as tc names it: `'BASENAME:[*fsobj]'` for a pinned one, `'fd:[N]'`). */
  name?: string
  /** The program's return value is the verdict (tc's `da`), not a class. */
  directAction?: boolean
  /** The class matching packets go to (`'1:10'`; default: the program's return value). */
  classid?: string
  /** tc's other name for `classid` (and how filters are listed). */
  flowid?: string
  /** Not offloaded to hardware. */
  skipHw?: boolean
  /** Only in hardware. */
  skipSw?: boolean
  /** Listed: offloaded to hardware (ignored when given back). */
  inHw?: boolean
  /** Listed: not offloaded (ignored when given back). */
  notInHw?: boolean
  /** Listed: the eBPF program's tag, hex (ignored when given back). */
  tag?: string
  /** Listed: the eBPF program's id (ignored when given back). */
  id?: number
}

/**
 * The bpf action's options (`tc ... action bpf bytecode ...`): one program, whose verdict is
 * the action's.
 *
 * @category Traffic control
 */
export interface BpfActionOptions {
  /** A classic program: tc's string or its instructions (listed as the string). */
  bytecode?: string | BpfInsn[]
  /** An eBPF program (type sched_act) by an open descriptor of this process. */
  fd?: number
  /** An eBPF program pinned in a bpf filesystem. */
  pinned?: string
  /** The eBPF program's name (default as tc names it). */
  name?: string
  /** The verdict when the program returns TC_ACT_UNSPEC (default `'pipe'`). */
  controlAction?: ControlAction
  /** The action's index (standalone actions; default: the kernel picks one). */
  index?: number
  /** Listed: the eBPF program's tag, hex (ignored when given back). */
  tag?: string
  /** Listed: the eBPF program's id (ignored when given back). */
  id?: number
}
