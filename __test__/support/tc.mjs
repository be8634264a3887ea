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

/**
 * `tc -s -j [-n NS] filter show dev DEV parent PARENT`, with each u32 rule's keys read from tc's
 * text: tc 6.1's JSON repeats a "match" key per key, of which JSON.parse keeps the last. Each
 * filter as tc -j prints it, `options.match` the list of `{ value, mask, at, nexthdr }` (numbers).
 */
export function tcFilters(ns, dev, parent) {
  // tc takes clsact's hooks as bare words (`... dev X ingress`), not as parents.
  const where = ['filter', 'show', 'dev', dev, ...(parent === 'ingress' || parent === 'egress' ? [parent] : ['parent', parent])]
  const pre = ns ? ['-n', ns] : []
  const json = JSON.parse(execFileSync('tc', [...pre, '-s', '-j', ...where], { encoding: 'utf8' }) || '[]')
  const text = execFileSync('tc', [...pre, '-s', ...where], { encoding: 'utf8' })
  const keys = []
  for (const line of text.split('\n')) {
    if (line.startsWith('filter ')) keys.push([])
    const m = line.match(/^ {2}match ([0-9a-f]{8})\/([0-9a-f]{8}) at (nexthdr\+)?(-?\d+)/)
    if (m) keys.at(-1).push({ value: Number.parseInt(m[1], 16), mask: Number.parseInt(m[2], 16), at: +m[4], nexthdr: !!m[3] })
  }
  if (keys.length !== json.length) throw new Error(`tc printed ${keys.length} filters as text, ${json.length} as JSON`)
  return json.map((f, i) => (f.options && keys[i].length ? { ...f, options: { ...f.options, match: keys[i] } } : f))
}

/** What tc and nlkit report for a qdisc kind this kernel lacks. */
export const UNKNOWN_QDISC = /Specified qdisc kind is unknown/

/**
 * Which of `kinds` the kernel knows as qdiscs: each tried on a scratch veth pair named by
 * `name()` (the calling file's own names), deleted again.
 */
export function qdiscKinds(kinds, name) {
  const probe = (kind) => {
    const [a, b] = [name(), name()]
    execFileSync('ip', ['link', 'add', a, 'type', 'veth', 'peer', 'name', b])
    try {
      execFileSync('tc', ['qdisc', 'add', 'dev', a, 'root', kind], { stdio: ['ignore', 'pipe', 'pipe'] })
      return true
    } catch (e) {
      if (UNKNOWN_QDISC.test(String(e.stderr))) return false
      throw e
    } finally {
      execFileSync('ip', ['link', 'del', a])
    }
  }
  return Object.fromEntries(kinds.map((k) => [k, probe(k)]))
}
