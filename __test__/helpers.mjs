// Shared helpers of the nlkit test suite. `ip` (iproute2) is the oracle for kernel state.
//
// The whole ava run shares one private network namespace (.ci/in-netns.sh) and test files
// run in parallel, so every file uses its own interface-name prefix, address ranges and route
// tables, and removes what it creates.

import { execFileSync, execSync } from 'node:child_process'
import * as nl from '../index.js'

const BIG = 256 * 1024 * 1024

/** Runs `ip -j ARGS...` and returns the parsed JSON (`[]` for empty output). */
export function ip(args) {
  const a = typeof args === 'string' ? args.trim().split(/\s+/) : args
  const out = execFileSync('ip', ['-j', ...a], { encoding: 'utf8', maxBuffer: BIG, stdio: ['ignore', 'pipe', 'pipe'] })
  return out.trim() === '' ? [] : JSON.parse(out)
}

/** Runs `ip ARGS...` (a change), returning its stdout; throws on failure. */
export function ipDo(args) {
  const a = typeof args === 'string' ? args.trim().split(/\s+/) : args
  return execFileSync('ip', a, { encoding: 'utf8', maxBuffer: BIG, stdio: ['ignore', 'pipe', 'pipe'] })
}

/** Like ipDo but never throws; returns true on success. */
export function ipTry(args) {
  try {
    ipDo(args)
    return true
  } catch {
    return false
  }
}

/** Runs a shell command and returns its stdout. */
export function sh(cmd) {
  return execSync(cmd, { encoding: 'utf8', maxBuffer: BIG, stdio: ['ignore', 'pipe', 'pipe'] })
}

/** A name generator for one test file: `namer('ad')()` -> 'ad0', 'ad1', ... */
export function namer(prefix) {
  let n = 0
  return () => {
    const name = `${prefix}${n++}`
    if (Buffer.byteLength(name) > 15) throw new Error(`interface name ${name} too long`)
    return name
  }
}

/** `ip -j -d link show dev NAME` (one object), or undefined if there is no such link. */
export function ipLink(name) {
  try {
    return ip(['-d', 'link', 'show', 'dev', String(name)])[0]
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

/**
 * Creates a veth pair (with nlkit, or with `ip` when opts.via === 'ip'); deleted in teardown.
 * opts.noLinkLocal: no IPv6 link-local addresses; opts.up: both ends up.
 */
export async function veth(t, a, b, opts = {}) {
  if (opts.via === 'ip') ipDo(['link', 'add', 'name', a, 'type', 'veth', 'peer', 'name', b])
  else await nl.linkAddVeth(a, b)
  t.teardown(() => {
    ipTry(['link', 'del', 'dev', a])
  })
  if (opts.noLinkLocal) {
    // No IPv6 link-local address (it would change from tentative to permanent under our feet).
    ipDo(['link', 'set', 'dev', a, 'addrgenmode', 'none'])
    ipDo(['link', 'set', 'dev', b, 'addrgenmode', 'none'])
  }
  if (opts.up) {
    ipDo(['link', 'set', 'dev', a, 'up'])
    ipDo(['link', 'set', 'dev', b, 'up'])
  }
  return { a, b, ia: ipLink(a).ifindex, ib: ipLink(b).ifindex }
}

/** Polls `fn` until it returns a truthy value (no fixed sleeps); throws after `timeout` ms. */
export async function waitFor(fn, { timeout = 20000, interval = 10, what = 'condition' } = {}) {
  const end = Date.now() + timeout
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, interval))
  }
}

/** ip's addr_info flag keys (booleans) that correspond to nlkit's `flags` names. */
export const IP_ADDR_FLAGS = [
  'secondary', 'temporary', 'nodad', 'optimistic', 'dadfailed', 'home', 'deprecated', 'tentative',
  'mngtmpaddr', 'noprefixroute', 'autojoin', 'stable-privacy',
]

/** The flags of an ip addr_info entry as nlkit names them ('permanent' unless ip says dynamic). */
export function ipAddrFlags(ai) {
  const out = new Set(IP_ADDR_FLAGS.filter((f) => ai[f] === true).map((f) => (f === 'home' ? 'homeaddress' : f)))
  if (ai.dynamic !== true) out.add('permanent')
  return [...out].sort()
}

/** Compares one nlkit Address with one ip addr_info entry, field by field. */
export function assertAddrMatches(t, a, ai, { lifetimes = true } = {}) {
  t.is(a.family, ai.family === 'inet6' ? 6 : 4, `family of ${ai.local}`)
  t.is(a.address, ai.local, 'local')
  t.is(a.prefixLen, ai.prefixlen, `prefixlen of ${ai.local}`)
  t.is(a.cidr, `${ai.local}/${ai.prefixlen}`)
  t.is(a.scope, ai.scope, `scope of ${ai.local}`)
  t.is(a.label, ai.label, `label of ${ai.local}`)
  t.is(a.broadcast, ai.broadcast, `broadcast of ${ai.local}`)
  t.is(a.peer, ai.address, `peer of ${ai.local}`)
  t.deepEqual([...a.flags].sort(), ipAddrFlags(ai), `flags of ${ai.local}`)
  if (lifetimes) {
    t.is(a.validLifetime, ai.valid_life_time, `valid_life_time of ${ai.local}`)
    t.is(a.preferredLifetime, ai.preferred_life_time, `preferred_life_time of ${ai.local}`)
  }
}

/** The comparable fields of an `ip -j -d route` entry, in nlkit's names. */
export function ipRouteKey(r) {
  return {
    dst: r.dst,
    gateway: r.gateway,
    dev: r.dev,
    prefsrc: r.prefsrc,
    metric: r.metric,
    protocol: r.protocol,
    scope: r.scope,
    type: r.type,
    flags: [...(r.flags ?? [])].sort(),
    pref: r.pref,
  }
}

/** The same fields of an nlkit Route. */
export function nlRouteKey(r) {
  return {
    dst: r.dst,
    gateway: r.gateway,
    dev: r.dev,
    prefsrc: r.prefsrc,
    metric: r.metric,
    protocol: r.protocol,
    scope: r.scope,
    type: r.type,
    flags: [...r.flags].sort(),
    pref: r.pref,
  }
}

const byJson = (a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0)

/** Asserts nlkit's routes equal ip's (as multisets of comparable fields). */
export function assertRoutesMatch(t, nlRoutes, ipRoutesList, msg = 'routes') {
  const a = nlRoutes.map(nlRouteKey).map(strip).sort(byJson)
  const b = ipRoutesList.map(ipRouteKey).map(strip).sort(byJson)
  t.deepEqual(a, b, msg)
}

function strip(o) {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))
}

/** Expects `p` to reject with a NetlinkError of `code`; returns the error. */
export async function rejectsCode(t, p, code, op) {
  const e = await t.throwsAsync(p, { instanceOf: nl.NetlinkError })
  t.is(e?.code, code, `expected ${code}, got ${e?.code}: ${e?.message}`)
  if (op !== undefined) t.is(e?.op, op)
  return e
}
