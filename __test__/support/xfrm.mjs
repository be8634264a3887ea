// `ip xfrm` as the second opinion of the xfrm tests: its text output (it has no JSON for xfrm)
// parsed into the fields compared.

import { execFileSync } from 'node:child_process'

/** `ip ARGS` in namespace `ns`, its output. */
export const ipx = (ns, args) => execFileSync('ip', ['netns', 'exec', ns, 'ip', ...args], { encoding: 'utf8' })

/** `ip xfrm state list ARGS` as `dst proto spi` lines, sorted (the fields compared). */
export function ipStates(ns, args = []) {
  const out = []
  let cur
  for (const line of ipx(ns, ['xfrm', 'state', 'list', ...args]).split('\n')) {
    const w = line.trim().split(/\s+/)
    if (line.startsWith('src ')) cur = { src: w[1], dst: w[3] }
    else if (cur && w[0] === 'proto') {
      out.push(`${cur.src} ${cur.dst} ${w[1]} ${Number.parseInt(w[3], 16)}`)
      cur = undefined
    }
  }
  return out.sort()
}
export const ours = (list) => list.map((s) => `${s.src} ${s.dst} ${s.proto} ${s.spi}`).sort()

/** `ip xfrm policy list ARGS`: each policy's first line and direction, sorted. */
export function ipPolicies(ns, args = []) {
  const out = []
  let head
  for (const line of ipx(ns, ['xfrm', 'policy', 'list', ...args]).split('\n')) {
    const w = line.trim().split(/\s+/)
    if (line.startsWith('src ')) head = `${w[1]} ${w[3]}`
    else if (head && w[0] === 'dir') {
      out.push(`${head} ${w[1]} ${w[w.indexOf('priority') + 1]}`)
      head = undefined
    }
  }
  return out.sort()
}
export const oursPol = (list) => list.map((p) => `${p.selector.src} ${p.selector.dst} ${p.dir} ${p.priority}`).sort()

/** The `security context` line `ip xfrm policy|state` shows, or null. */
export const ipCtx = (text) => text.match(/security context (\S+)/)?.[1] ?? null

/** `ip -s xfrm state`'s anti-replay context and current lifetime of its (only) state. */
export function ipReplay(ns) {
  const text = ipx(ns, ['-s', 'xfrm', 'state'])
  const r = text.match(/anti-replay context: seq 0x([0-9a-f]+), oseq 0x([0-9a-f]+), bitmap 0x([0-9a-f]+)/)
  const l = text.match(/lifetime current:\s+(\d+)\(bytes\), (\d+)\(packets\)\s+add (\S+ \S+)/)
  return {
    text,
    replay: { seq: Number.parseInt(r[1], 16), oseq: Number.parseInt(r[2], 16), bitmap: Number.parseInt(r[3], 16) },
    current: { bytes: Number(l[1]), packets: Number(l[2]), addTime: new Date(l[3].replace(' ', 'T')).getTime() / 1000 },
  }
}

/** `ip xfrm policy`'s templates, as `src dst proto reqid mode`. */
export const ipTmpls = (ns) =>
  [...ipx(ns, ['xfrm', 'policy']).matchAll(/tmpl src (\S+) dst (\S+)\s+proto (\S+) reqid (\d+) mode (\S+)/g)].map((m) =>
    m.slice(1).join(' '),
  )
