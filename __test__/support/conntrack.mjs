// The conntrack tests' second opinion: the `conntrack` command (conntrack-tools) run inside a
// namespace, its `-L -o extended,id` lines parsed into nlkit's entry shape, and the tools that
// make a namespace track real traffic (nft, a python flow). Nothing here uses nlkit.

import { execFileSync } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { join } from 'node:path'

/**
 * A system command's path, or null: PATH without node_modules/.bin, where npx puts @vercel/nft's
 * `nft` (a file tracer) ahead of nftables' `nft`.
 */
export function systemCommand(name) {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (!dir || dir.includes('node_modules')) continue
    try {
      accessSync(join(dir, name), constants.X_OK)
      return join(dir, name)
    } catch {}
  }
  return null
}
const NFT = systemCommand('nft')

const run = (ns, cmd, args, input) =>
  execFileSync('ip', ['netns', 'exec', ns, cmd, ...args.map(String)], { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] })

/** An nftables ruleset (the text `nft -f -` reads) loaded in `ns`. */
export const nft = (ns, rules) => run(ns, NFT, ['-f', '-'], rules)

/** `sysctl -qw KEY=VALUE...` in `ns`. */
export const sysctl = (ns, ...settings) => run(ns, 'sysctl', ['-qw', ...settings])

/** `python3 -c CODE` in `ns`; its stdout. */
export const python = (ns, code) => run(ns, 'python3', ['-c', code])

/** `conntrack ARGS...` in `ns`; its stdout. */
export const conntrack = (ns, ...args) => run(ns, 'conntrack', args)

const TUPLE = new Set(['src', 'dst', 'sport', 'dport', 'type', 'code', 'id'])

/**
 * One `conntrack -L -o extended,id` line:
 * `ipv4 2 tcp 6 119 TIME_WAIT src= dst= sport= dport= packets= bytes= [UNREPLIED] src= ... [ASSURED] mark= zone= use= id=`.
 */
export function parseExtended(line) {
  const tok = line.trim().split(/\s+/)
  const e = { family: tok[0], protocol: tok[2], protonum: Number(tok[3]), timeout: Number(tok[4]), flags: [], orig: {}, reply: {} }
  let i = 5
  if (!tok[i].includes('=') && !tok[i].startsWith('[')) e.state = tok[i++]
  let dir
  for (; i < tok.length; i++) {
    const t = tok[i]
    if (t.startsWith('[')) {
      e.flags.push(t.slice(1, -1))
      continue
    }
    const [k, v] = t.split('=')
    if (k === 'src') dir = dir === undefined ? 'orig' : 'reply'
    if (k === 'mark') dir = null // what follows is the entry's (its id, not an ICMP id)
    const num = /^\d+$/.test(v) ? Number(v) : v
    if (dir && TUPLE.has(k)) e[dir][k] = num
    else if (dir && (k === 'packets' || k === 'bytes')) ((e.counters ??= {})[dir] ??= {})[k] = num
    else if (['mark', 'zone', 'use', 'id', 'helper', 'secctx'].includes(k)) e[k] = num
  }
  e.flags.sort()
  return e
}

/** `conntrack -L -o extended,id ARGS...` in `ns`, parsed, sorted by id. */
export function ctList(ns, ...args) {
  const out = conntrack(ns, '-L', '-o', 'extended,id', ...args)
  return out
    .split('\n')
    .filter((l) => /^ipv[46] /.test(l))
    .map(parseExtended)
    .sort((a, b) => a.id - b.id)
}

/** `conntrack -C` in `ns`. */
export const ctCount = (ns) => Number(conntrack(ns, '-C').trim())

/** An nlkit entry in the shape parseExtended gives (what `-o extended,id` shows of it). */
export function asExtended(e) {
  const flags = []
  if (!e.status.includes('SEEN_REPLY')) flags.push('UNREPLIED')
  if (e.status.includes('ASSURED')) flags.push('ASSURED')
  if (e.status.includes('OFFLOAD')) flags.push('OFFLOAD')
  const out = {
    family: e.family,
    protocol: e.protocol,
    protonum: e.protonum,
    timeout: e.timeout,
    flags: flags.sort(),
    orig: e.orig,
    reply: e.reply,
  }
  if (e.state !== undefined) out.state = e.state
  if (e.counters) out.counters = e.counters
  for (const k of ['mark', 'zone', 'use', 'id', 'helper', 'secctx']) if (e[k] !== undefined) out[k] = e[k]
  return out
}

/**
 * Makes `ns` track connections: this kernel registers conntrack's hooks in a namespace only
 * once a rule needs them, so an nftables rule matching `ct state` does it; with counters
 * (nf_conntrack_acct) and timestamps (nf_conntrack_timestamp), and addresses on lo.
 */
export function track(ns, addrs) {
  run(ns, 'sysctl', ['-qw', 'net.netfilter.nf_conntrack_acct=1', 'net.netfilter.nf_conntrack_timestamp=1'])
  run(ns, 'ip', ['link', 'set', 'lo', 'up'])
  for (const a of addrs) run(ns, 'ip', ['addr', 'add', a, 'dev', 'lo'])
  run(ns, NFT, ['-f', '-'], 'table inet nlk {\n chain out {\n  type filter hook output priority 0;\n  ct state new accept\n }\n}\n')
}

/**
 * A TCP connection (1000 bytes one way, 300 back, then closed) and a UDP exchange (50 bytes,
 * 20 back) from `client` to `server` (addresses on lo), to ports `tcp` and `udp`.
 */
export function flow(ns, { client, server, tcp, udp }) {
  const py = `
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("${server}", ${tcp})); s.listen()
c = socket.create_connection(("${server}", ${tcp}), source_address=("${client}", 0)); a, _ = s.accept()
c.sendall(b"x" * 1000); n = 0
while n < 1000: n += len(a.recv(2000))
a.sendall(b"y" * 300); n = 0
while n < 300: n += len(c.recv(1000))
c.close(); a.close(); s.close()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("${server}", ${udp}))
v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); v.bind(("${client}", 0)); v.sendto(b"q" * 50, ("${server}", ${udp}))
d, p = u.recvfrom(100); u.sendto(b"r" * 20, p); v.recv(100)
`
  run(ns, 'python3', ['-c', py])
}

/** An nftables rule matching a ct label: the kernel gives entries a label extension only then. */
export function labelRule(ns) {
  run(ns, NFT, ['-f', '-'], 'table inet nlklabel {\n chain out {\n  type filter hook output priority 0;\n  ct label 1 accept\n }\n}\n')
}
