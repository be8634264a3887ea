// What a command sends on its netlink sockets, as bytes (the second opinion for requests whose
// bytes depend on the namespace, e.g. a device name resolved to its index there): the command
// runs under strace in a namespace, each thread's sendto/sendmsg data dumped in hex to a file
// of its own; the messages kept are those of the sockets strace decodes as one protocol (its
// message names, e.g. `XFRM_MSG_`), each with its sequence number and port id zeroed.

import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** The hex dump strace prints under a syscall (`-e write=all`; sendmsg's in one part per buffer): its bytes. */
function dumpBytes(lines) {
  const hex = []
  for (const l of lines) {
    if (/^ \* \d+ bytes in buffer \d+/.test(l)) continue
    const m = l.match(/^ \| [0-9a-f]{5} {2}/)
    if (!m) break
    hex.push(...l.slice(m[0].length, m[0].length + 48).match(/[0-9a-f]{2}/g))
  }
  return Buffer.from(hex.join(''), 'hex')
}

/** The netlink messages of one datagram, seq/pid zeroed. */
function split(buf) {
  const out = []
  for (let off = 0; off + 16 <= buf.length; ) {
    const len = buf.readUInt32LE(off)
    if (len < 16 || off + len > buf.length) break
    const m = Buffer.from(buf.subarray(off, off + len))
    m.fill(0, 8, 16)
    out.push(m)
    off += (len + 3) & ~3
  }
  return out
}

/**
 * Runs `argv` in namespace `ns` under strace; the netlink messages it sent on sockets whose
 * messages strace names with `marker` (default xfrm's), in order.
 */
export function netlinkSent(ns, argv, { marker = 'XFRM_MSG_', env } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'nlkit-strace-'))
  try {
    const args = ['netns', 'exec', ns, 'strace', '-ff', '-qq', '-e', 'trace=sendto,sendmsg', '-e', 'write=all', '-s', '65536']
    try {
      execFileSync('ip', [...args, '-o', join(dir, 't'), ...argv], { stdio: 'pipe', env: env ?? process.env, timeout: 60_000 })
    } catch {
      // The command may fail (a request the kernel refuses): what it sent is still there.
    }
    const out = []
    for (const f of readdirSync(dir).sort()) {
      const lines = readFileSync(join(dir, f), 'utf8').split('\n')
      lines.forEach((l, i) => {
        if (/^send(to|msg)\(/.test(l) && l.includes(marker)) out.push(...split(dumpBytes(lines.slice(i + 1))))
      })
    }
    return out
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
