// The second opinion on kernel state: iproute2 (`ip -j`, `ip -n NS -j`, `ip -batch`), `bridge -j`
// and the shell. Tests check nlkit's view against what these print, and make changes with them
// that nlkit must then see. Nothing here uses nlkit.

import { execFile, execFileSync, execSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const BIG = 256 * 1024 * 1024

/** Arguments as strings: a string is split on whitespace, a list has its items stringified. */
function split(args) {
  return typeof args === 'string' ? args.trim().split(/\s+/) : args.map(String)
}

const parse = (out) => (out.trim() === '' ? [] : JSON.parse(out))

// ---- running the tools ------------------------------------------------------------------------

/** Runs `ip -j ARGS...` and returns the parsed JSON (`[]` for empty output); throws with `.stderr`. */
export function ip(args) {
  return parse(execFileSync('ip', ['-j', ...split(args)], { encoding: 'utf8', maxBuffer: BIG, stdio: ['ignore', 'pipe', 'pipe'] }))
}

/** Like ip, without blocking the event loop (subscriptions keep being consumed meanwhile). */
export function ipAsync(args) {
  return new Promise((resolve, reject) => {
    execFile('ip', ['-j', ...split(args)], { encoding: 'utf8', maxBuffer: BIG }, (err, out, stderr) => {
      if (err) reject(new Error(`ip -j ${split(args).join(' ')}: ${stderr || err.message}`))
      else resolve(parse(out))
    })
  })
}

/** Runs `ip ARGS...` (a change), returning its stdout; throws with ip's stderr in the message. */
export function ipDo(args) {
  const a = split(args)
  try {
    return execFileSync('ip', a, { encoding: 'utf8', maxBuffer: BIG, stdio: ['ignore', 'pipe', 'pipe'] })
  } catch (e) {
    throw Object.assign(new Error(`ip ${a.join(' ')}: ${e.stderr || e.message}`), { stderr: e.stderr, status: e.status })
  }
}

/** Like ipDo but never throws; returns true on success. */
export function ipTry(args) {
  try {
    execFileSync('ip', split(args), { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/**
 * Runs `ip -batch` on the given lines (written to a temporary file) without blocking the event
 * loop, so subscriptions keep being consumed meanwhile. Resolves when ip exits successfully.
 */
export function ipBatch(lines) {
  const dir = mkdtempSync(join(tmpdir(), 'nlkit-events-'))
  const file = join(dir, 'batch')
  writeFileSync(file, `${lines.join('\n')}\n`)
  return new Promise((resolve, reject) => {
    execFile('ip', ['-batch', file], { maxBuffer: BIG }, (err, _stdout, stderr) => {
      rmSync(dir, { recursive: true, force: true })
      if (err) reject(new Error(`ip -batch failed: ${stderr || err.message}`))
      else resolve()
    })
  })
}

/** `ip -n NS -j ARGS...` parsed (`[]` for empty output). */
export function ipn(ns, args) {
  return ip(['-n', ns, ...split(args)])
}

/** `bridge -j ARGS...` parsed. */
export function bridgeJ(args) {
  return parse(execFileSync('bridge', ['-j', ...split(args)], { encoding: 'utf8', maxBuffer: BIG, stdio: ['ignore', 'pipe', 'pipe'] }))
}

/** Runs a shell command and returns its stdout. */
export function sh(cmd) {
  return execSync(cmd, { encoding: 'utf8', maxBuffer: BIG, stdio: ['ignore', 'pipe', 'pipe'] })
}

/** Whether a command is installed. */
export function hasCommand(cmd) {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

// ---- views of one kind of object ----------------------------------------------------------------

/** `ip -j -d link show dev NAME` (one object), or undefined if there is no such link. */
export function ipLink(name) {
  try {
    return ip(['-d', 'link', 'show', 'dev', name])[0]
  } catch {
    return undefined
  }
}

/** `ip -j -d link show dev NAME` inside namespace NS (undefined when absent). */
export function ipnLink(ns, name) {
  try {
    return ipn(ns, ['-d', 'link', 'show', 'dev', name])[0]
  } catch {
    return undefined
  }
}

/** The `addr_info` of `ip -j addr show dev NAME`. */
export function ipAddrs(name, family) {
  const fam = family === 4 ? ['-4'] : family === 6 ? ['-6'] : []
  const [l] = ip([...fam, 'addr', 'show', 'dev', name])
  return l ? l.addr_info : []
}

/** `ip -j -d [-4|-6] route show table TABLE [extra...]` (details: protocol, scope, type always printed). */
export function ipRoutes(table, family = 4, extra = []) {
  let routes
  try {
    routes = ip(['-d', family === 6 ? '-6' : '-4', 'route', 'show', 'table', String(table), ...extra])
  } catch (e) {
    // A table that never had a route does not exist: ip fails ("FIB table does not exist").
    if (/FIB table does not exist/.test(String(e.stderr))) return []
    throw e
  }
  // With a `dev X` selector ip leaves dev out of its output.
  const i = extra.indexOf('dev')
  if (i >= 0) for (const r of routes) r.dev ??= extra[i + 1]
  return routes
}

/** `ip netns list` as a sorted list of names (without the "(id: N)" suffix). */
export function ipNetnsList() {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0])
    .filter(Boolean)
    .sort()
}

// ---- what the kernel can do ----------------------------------------------------------------------

/**
 * Whether the kernel can create links of `kind`, asked with `ip link add name probe type KIND`
 * inside a throwaway namespace `probeNs` (with a veth `p0` as the parent for kinds that need one).
 */
export function kernelHasKind(kind, probeNs) {
  ipDo(['netns', 'add', probeNs])
  try {
    ipDo(['-n', probeNs, 'link', 'add', 'name', 'p0', 'type', 'veth', 'peer', 'name', 'p1'])
    const args = {
      vlan: ['link', 'p0', 'name', 'probe', 'type', 'vlan', 'id', '5'],
      ipvlan: ['link', 'p0', 'name', 'probe', 'type', 'ipvlan'],
      ipvtap: ['link', 'p0', 'name', 'probe', 'type', 'ipvtap'],
      vrf: ['name', 'probe', 'type', 'vrf', 'table', '10'],
      macsec: ['link', 'p0', 'name', 'probe', 'type', 'macsec'],
      hsr: ['name', 'probe', 'type', 'hsr', 'slave1', 'p0', 'slave2', 'p1'],
    }[kind] ?? ['name', 'probe', 'type', kind]
    return ipTry(['-n', probeNs, 'link', 'add', ...args])
  } finally {
    ipTry(['netns', 'del', probeNs])
  }
}
