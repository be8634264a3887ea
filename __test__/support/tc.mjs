// The second opinion on traffic control: iproute2's `tc -j -s`, and tc commands that make state
// nlkit must then see. Nothing here uses nlkit.

import { execFileSync } from 'node:child_process'

const split = (args) => (typeof args === 'string' ? args.trim().split(/\s+/) : args.map(String))

/** `tc -s -j ARGS...`, parsed (`[]` for empty output). */
export function tc(args) {
  const out = execFileSync('tc', ['-s', '-j', ...split(args)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  return out.trim() === '' ? [] : JSON.parse(out)
}

/** `tc ARGS...` (a change); throws with tc's stderr in the message. */
export function tcDo(args) {
  try {
    return execFileSync('tc', split(args), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  } catch (e) {
    throw new Error(`tc ${split(args).join(' ')}: ${e.stderr || e.message}`)
  }
}

/** The counters `tc -s -j` prints flat on a qdisc or class, in nlkit's `stats` shape (rate in bits/s). */
export function tcStats(o) {
  const r = o.rate_est ?? {}
  return {
    bytes: o.bytes,
    packets: o.packets,
    drops: o.drops,
    overlimits: o.overlimits,
    requeues: o.requeues,
    backlog: o.backlog,
    qlen: o.qlen,
    rate: (r.bps ?? 0) * 8,
    pps: r.pps ?? 0,
  }
}

/** A u32 filter handle as tc prints it (`800::800`, `800:`) as its number. */
export function u32Handle(fh) {
  const [ht, hash = '0', node = '0'] = fh.split(':')
  return ((Number.parseInt(ht, 16) << 20) | (Number.parseInt(hash || '0', 16) << 12) | Number.parseInt(node || '0', 16)) >>> 0
}

/**
 * `tc -s class show dev DEV`, read from tc's text: tc 6.1 prints classes as text even with -j.
 * Each class: its kind, handle, parent (`root` for a class at the qdisc) and the counters of its
 * `Sent` and `backlog` lines.
 */
export function tcClasses(dev) {
  const text = execFileSync('tc', ['-s', 'class', 'show', 'dev', dev], { encoding: 'utf8' })
  const out = []
  for (const line of text.split('\n')) {
    const head = line.match(/^class (\S+) (\S+) (?:root|parent (\S+))/)
    if (head) {
      out.push({ kind: head[1], handle: head[2], parent: head[3] ?? 'root', stats: {} })
      continue
    }
    const c = out.at(-1)
    const sent = line.match(/^ Sent (\d+) bytes (\d+) pkt \(dropped (\d+), overlimits (\d+) requeues (\d+)\)/)
    if (c && sent) Object.assign(c.stats, { bytes: +sent[1], packets: +sent[2], drops: +sent[3], overlimits: +sent[4], requeues: +sent[5] })
    const backlog = line.match(/^ backlog (\d+)b (\d+)p/)
    if (c && backlog) Object.assign(c.stats, { backlog: +backlog[1], qlen: +backlog[2] })
  }
  return out
}
