// More helpers for the surface-*.test.mjs files (helpers.mjs stays as it is). `ip` (and `bridge`)
// are the oracle; these turn their JSON into nlkit's shapes, and manage private namespaces.

import { execFileSync, spawn } from 'node:child_process'
import { statSync, existsSync } from 'node:fs'
import * as nl from '../index.js'
import { ip, ipDo, ipTry, waitFor } from './helpers.mjs'

const BIG = 64 * 1024 * 1024

/** `ip -n NS -j ARGS...` parsed (`[]` for empty output). */
export function ipn(ns, args) {
  const a = typeof args === 'string' ? args.trim().split(/\s+/) : args
  return ip(['-n', ns, ...a])
}

/** `ip -j -d link show dev NAME` inside namespace NS (undefined when absent). */
export function ipnLink(ns, name) {
  try {
    return ipn(ns, ['-d', 'link', 'show', 'dev', name])[0]
  } catch {
    return undefined
  }
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

/** `bridge -j ARGS...` parsed. */
export function bridgeJ(args) {
  const a = typeof args === 'string' ? args.trim().split(/\s+/) : args
  const out = execFileSync('bridge', ['-j', ...a], { encoding: 'utf8', maxBuffer: BIG, stdio: ['ignore', 'pipe', 'pipe'] })
  return out.trim() === '' ? [] : JSON.parse(out)
}

/** `ip netns list` as a sorted list of names (without the "(id: N)" suffix). */
export function ipNetnsList() {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0])
    .filter(Boolean)
    .sort()
}

/** A named namespace created with nlkit's netnsCreate, deleted in teardown (with `ip` as a fallback). */
export async function netns(t, name) {
  await nl.netnsCreate(name)
  t.teardown(async () => {
    try {
      await nl.netnsDelete(name)
    } catch {
      ipTry(['netns', 'del', name])
    }
  })
  return name
}

/** A named namespace and an nlkit connection inside it (closed in teardown, before the namespace goes). */
export async function nsConn(t, name) {
  await netns(t, name)
  const c = nl.open({ netns: name })
  t.teardown(() => c.close())
  return c
}

/** The nsfs inode of a namespace file (`/run/netns/X`, `/proc/PID/ns/net`). */
export function nsIno(path) {
  return statSync(path).ino
}

/**
 * A process (`sleep`) living inside namespace NS, started with `ip netns exec`; resolves once it
 * really is in there. Killed in teardown.
 */
export async function processIn(t, ns) {
  const child = spawn('ip', ['netns', 'exec', ns, 'sleep', '60'], { stdio: 'ignore' })
  t.teardown(() => {
    child.kill('SIGKILL')
  })
  const want = nsIno(`/run/netns/${ns}`)
  await waitFor(() => {
    try {
      return existsSync(`/proc/${child.pid}`) && nsIno(`/proc/${child.pid}/ns/net`) === want
    } catch {
      return false
    }
  }, { what: `process in ${ns}` })
  return child
}

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
    }[kind] ?? ['name', 'probe', 'type', kind]
    return ipTry(['-n', probeNs, 'link', 'add', ...args])
  } finally {
    ipTry(['netns', 'del', probeNs])
  }
}

/** iproute2's JSON name of an nlkit linkinfo key (camelCase -> snake_case, with the few renames). */
export function ipInfoKey(kind, key) {
  const renames = {
    bridge: { stp: 'stp_state' },
    vxlan: { dev: 'link', srcPortRange: 'port_range' },
    tun: { mode: 'type' },
    vlan: { id: 'id' },
  }
  return renames[kind]?.[key] ?? key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
}

/** Normalizes one of ip's info_data values for comparison with nlkit's `v`. */
function ipValue(v, ipv) {
  if (typeof v === 'boolean' && typeof ipv === 'number') return ipv !== 0
  if (typeof v === 'number' && typeof ipv === 'string' && /^(0x[0-9a-f]+|\d+)$/i.test(ipv)) return Number(ipv)
  return ipv
}

/**
 * Compares nlkit's linkinfo with ip's info_data: every key both have must agree (ip leaves some
 * defaults out); every key of `required` must be present in both.
 */
export function assertInfoMatches(t, kind, linkinfo, infoData, required = []) {
  const info = linkinfo ?? {}
  const data = infoData ?? {}
  const compared = []
  for (const [k, v] of Object.entries(info)) {
    const ik = ipInfoKey(kind, k)
    if (!(ik in data)) continue
    compared.push(k)
    t.deepEqual(v, ipValue(v, data[ik]), `${kind} ${k} (ip ${ik})`)
  }
  for (const k of required) {
    t.true(k in info, `nlkit linkinfo has ${k}`)
    t.true(ipInfoKey(kind, k) in data, `ip info_data has ${ipInfoKey(kind, k)}`)
  }
  return compared
}

/** The fields of a link that a linkGet -> linkDel -> linkAdd round trip must keep. */
export function linkShape(l) {
  return { kind: l.kind, linkinfo: l.linkinfo, mtu: l.mtu, address: l.address, link: l.link, master: l.master }
}

/** ip's info_data without the read-only / changing fields (timers, ids, counters). */
export function stableInfoData(d) {
  if (!d) return d
  const drop = new Set([
    'bridge_id', 'root_id', 'root_port', 'root_path_cost', 'topology_change', 'topology_change_detected',
    'hello_timer', 'tcn_timer', 'topology_change_timer', 'gc_timer', 'usedbcqueuelen', 'numqueues', 'numdisabled',
  ])
  return Object.fromEntries(Object.entries(d).filter(([k]) => !drop.has(k)))
}

// ---- rules ------------------------------------------------------------------------------------

const RULE_TABLES = { main: 254, local: 255, default: 253 }

/** An `ip -j rule show` entry in nlkit's Rule shape. */
export function ipRuleToNl(r, family) {
  const prefix = (a, len) => (a === undefined || a === 'all' ? undefined : `${a}/${len ?? (family === 6 ? 128 : 32)}`)
  let action = 'to_tbl'
  if (r.action) action = r.action
  else if ('nop' in r) action = 'nop'
  else if (r.goto !== undefined) action = 'goto'
  const out = {
    family,
    priority: r.priority,
    table: r.table === undefined ? 0 : RULE_TABLES[r.table] ?? Number(r.table),
    action,
    from: prefix(r.src, r.srclen),
    to: prefix(r.dst, r.dstlen),
    iif: r.iif,
    oif: r.oif,
    fwmark: r.fwmark === undefined ? undefined : Number(r.fwmark),
    fwmask: r.fwmark === undefined ? undefined : r.fwmask === undefined ? 0xffffffff : Number(r.fwmask),
    goto: r.goto,
    tos: r.tos === undefined ? undefined : Number(r.tos),
    suppressPrefixLength: r.suppress_prefixlen,
    uidRange: r.uid_start === undefined ? undefined : { start: r.uid_start, end: r.uid_end },
    protocol: r.protocol ?? 'unspec',
  }
  return strip(out)
}

/** ip's rules (both families, or one) in nlkit's shape, only those whose priority `keep` accepts. */
export function ipRules(keep, families = [4, 6]) {
  return families.flatMap((f) => ip(['-d', `-${f}`, 'rule', 'show']).filter((r) => keep(r.priority)).map((r) => ipRuleToNl(r, f)))
}

// ---- neighbours -------------------------------------------------------------------------------

const NEIGH_FLAG_KEYS = ['router', 'proxy', 'extern_learn', 'offload', 'sticky']

/** An `ip -j neigh` entry in nlkit's Neighbour shape (comparable fields). */
export function ipNeighToNl(n, family, dev) {
  return strip({
    family,
    dev: n.dev ?? dev,
    dst: n.dst,
    lladdr: n.lladdr,
    state: [...(n.state ?? [])].sort(),
    flags: NEIGH_FLAG_KEYS.filter((k) => k in n).sort(),
  })
}

/** The same fields of an nlkit Neighbour. */
export function nlNeighKey(n) {
  return strip({ family: n.family, dev: n.dev, dst: n.dst, lladdr: n.lladdr, state: [...n.state].sort(), flags: [...n.flags].sort() })
}

/** A `bridge -j fdb show` entry in nlkit's shape. */
export function fdbToNl(e, dev) {
  const state = { permanent: ['PERMANENT'], static: ['NOARP'], '': ['REACHABLE'], stale: ['STALE'] }[e.state ?? ''] ?? [String(e.state).toUpperCase()]
  return strip({
    family: 'bridge',
    dev: e.ifname ?? dev,
    lladdr: e.mac,
    state,
    flags: [...(e.flags ?? [])].filter((f) => f !== 'master').sort(),
    master: e.master,
    vlan: e.vlan,
  })
}

export function nlFdbKey(n) {
  return strip({ family: n.family, dev: n.dev, lladdr: n.lladdr, state: [...n.state].sort(), flags: [...n.flags].filter((f) => f !== 'master').sort(), master: n.master, vlan: n.vlan })
}

// ---- routes -----------------------------------------------------------------------------------

/** The comparable fields of an `ip -j -d route` entry (with nexthops, metrics and table). */
export function ipRouteFull(r) {
  return strip({
    dst: r.dst,
    type: r.type ?? 'unicast',
    gateway: r.gateway,
    dev: r.dev,
    prefsrc: r.prefsrc,
    metric: r.metric,
    protocol: r.protocol,
    scope: r.scope,
    flags: [...(r.flags ?? [])].sort(),
    pref: r.pref,
    nexthops: r.nexthops?.map((n) => strip({ gateway: n.gateway, dev: n.dev, weight: n.weight, flags: [...(n.flags ?? [])].sort() })),
    // ip prints metrics as a one-element array of an object.
    metrics: Array.isArray(r.metrics) ? Object.assign({}, ...r.metrics) : r.metrics,
  })
}

/** The same fields of an nlkit Route. */
export function nlRouteFull(r) {
  return strip({
    dst: r.dst,
    type: r.type,
    gateway: r.gateway,
    dev: r.dev,
    prefsrc: r.prefsrc,
    metric: r.metric,
    protocol: r.protocol,
    scope: r.scope,
    flags: [...r.flags].sort(),
    pref: r.pref,
    nexthops: r.nexthops?.map((n) => strip({ gateway: n.gateway, dev: n.dev, weight: n.weight, flags: [...n.flags].sort() })),
    metrics: r.metrics,
  })
}

const byJson = (a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0)

/** Sorted for multiset comparison. */
export function sorted(list) {
  return [...list].sort(byJson)
}

export function strip(o) {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))
}

/**
 * Runs `nlCall` between two `ipCall` snapshots until both snapshots agree (state that changes
 * on its own, like neighbour states, or other files' churn); returns { ip, mine }.
 */
export async function consistent(ipCall, nlCall, tries = 100) {
  let last
  for (let i = 0; i < tries; i++) {
    const before = JSON.stringify(sorted(ipCall()))
    const mine = await nlCall()
    const after = ipCall()
    last = { ip: after, mine }
    if (JSON.stringify(sorted(after)) === before) return last
  }
  return last
}

/**
 * Expects `fn()` to throw (or reject with) `cls` synchronously-or-async, without anything being
 * sent: the caller compares ip snapshots around it.
 */
export async function rejectsWith(t, fn, cls, msg) {
  let p
  try {
    p = fn()
  } catch (e) {
    t.true(e instanceof cls, `${msg}: ${e?.constructor?.name}: ${e?.message}`)
    return e
  }
  const e = await p.then(
    () => undefined,
    (err) => err,
  )
  t.true(e instanceof cls, `${msg}: expected ${cls.name}, got ${e === undefined ? 'success' : `${e?.constructor?.name}: ${e?.message}`}`)
  return e
}
