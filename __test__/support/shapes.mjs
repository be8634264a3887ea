// ip's (and bridge's) JSON in nlkit's shapes, and the field-by-field comparisons built on them:
// addresses, routes, links and their kind data, rules, neighbours and FDB entries. The oracle
// (oracle.mjs) runs the tools; this module says how their output maps onto nlkit's objects.

import { ip } from './oracle.mjs'

const byJson = (a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0)

/** Sorted for multiset comparison. */
export function sorted(list) {
  return [...list].sort(byJson)
}

/** The object without its undefined fields. */
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

// ---- addresses --------------------------------------------------------------------------------

/** ip's addr_info flag keys (booleans) that correspond to nlkit's `flags` names. */
export const IP_ADDR_FLAGS = [
  'secondary',
  'temporary',
  'nodad',
  'optimistic',
  'dadfailed',
  'home',
  'deprecated',
  'tentative',
  'mngtmpaddr',
  'noprefixroute',
  'autojoin',
  'stable-privacy',
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

// ---- routes -----------------------------------------------------------------------------------

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

/** Asserts nlkit's routes equal ip's (as multisets of comparable fields). */
export function assertRoutesMatch(t, nlRoutes, ipRoutesList, msg = 'routes') {
  const a = nlRoutes.map(nlRouteKey).map(strip).sort(byJson)
  const b = ipRoutesList.map(ipRouteKey).map(strip).sort(byJson)
  t.deepEqual(a, b, msg)
}

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

// ---- links and their kind data ------------------------------------------------------------------

/** The fields both views of a link have, from an `ip -j -d link` entry. */
export function linkFromIp(l) {
  return strip({
    index: l.ifindex,
    name: l.ifname,
    kind: l.linkinfo?.info_kind,
    // Including ip's pseudo-flag 'M-DOWN' ("the IFLA_LINK device is down"), which nlkit reports too.
    flags: l.flags,
    up: l.flags.includes('UP'),
    operstate: l.operstate,
    mtu: l.mtu,
    minMtu: l.min_mtu,
    maxMtu: l.max_mtu,
    linkType: l.link_type,
    address: l.address,
    broadcast: l.broadcast,
    permAddress: l.permaddr,
    master: l.master,
    link: l.link ?? undefined,
    txqlen: l.txqlen,
    group: l.group === 'default' ? 0 : l.group,
    qdisc: l.qdisc,
    alias: l.ifalias,
    altNames: l.altnames,
  })
}

/** The same fields of an nlkit Link. */
export function linkFromNl(l) {
  return strip({
    index: l.index,
    name: l.name,
    kind: l.kind,
    flags: l.flags,
    up: l.up,
    operstate: l.operstate,
    mtu: l.mtu,
    minMtu: l.minMtu,
    maxMtu: l.maxMtu,
    linkType: l.linkType,
    address: l.address,
    broadcast: l.broadcast,
    permAddress: l.permAddress,
    master: l.master,
    link: l.link,
    txqlen: l.txqlen,
    group: l.group,
    qdisc: l.qdisc,
    alias: l.alias,
    altNames: l.altNames,
  })
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
    'bridge_id',
    'root_id',
    'root_port',
    'root_path_cost',
    'topology_change',
    'topology_change_detected',
    'hello_timer',
    'tcn_timer',
    'topology_change_timer',
    'gc_timer',
    'usedbcqueuelen',
    'numqueues',
    'numdisabled',
  ])
  return Object.fromEntries(Object.entries(d).filter(([k]) => !drop.has(k)))
}

// ---- rules ------------------------------------------------------------------------------------

const RULE_TABLES = { main: 254, local: 255, default: 253 }

/** An `ip -j rule show` entry in nlkit's Rule shape. */
/** ip -j's `dport: 80` or `dport_start`/`dport_end`, as nlkit's { start, end }. */
function portRange(r, k) {
  if (r[k] !== undefined) return { start: r[k], end: r[k] }
  return r[`${k}_start`] === undefined ? undefined : { start: r[`${k}_start`], end: r[`${k}_end`] }
}

export function ipRuleToNl(r, family) {
  const prefix = (a, len) => (a === undefined || a === 'all' ? undefined : `${a}/${len ?? (family === 6 ? 128 : 32)}`)
  let action = 'to_tbl'
  if (r.action) action = r.action
  else if ('nop' in r) action = 'nop'
  else if (r.goto !== undefined) action = 'goto'
  const out = {
    family,
    priority: r.priority,
    table: r.table === undefined ? 0 : (RULE_TABLES[r.table] ?? Number(r.table)),
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
    invert: 'not' in r ? true : undefined,
    ipproto: r.ipproto,
    sport: portRange(r, 'sport'),
    dport: portRange(r, 'dport'),
    tunId: r.tun_id === undefined ? undefined : String(r.tun_id),
    suppressIfgroup: r.suppress_ifgroup === undefined ? undefined : Number(r.suppress_ifgroup),
    realms: r.flow_to === undefined ? undefined : ((Number(r.flow_from ?? 0) << 16) | Number(r.flow_to)) >>> 0,
    l3mdev: 'l3mdev' in r ? true : undefined,
  }
  return strip(out)
}

/** ip's rules (both families, or one) in nlkit's shape, only those whose priority `keep` accepts. */
export function ipRules(keep, families = [4, 6]) {
  return families.flatMap((f) =>
    ip(['-d', `-${f}`, 'rule', 'show'])
      .filter((r) => keep(r.priority))
      .map((r) => ipRuleToNl(r, f)),
  )
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
  const state = { permanent: ['PERMANENT'], static: ['NOARP'], '': ['REACHABLE'], stale: ['STALE'] }[e.state ?? ''] ?? [
    String(e.state).toUpperCase(),
  ]
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

/** The same fields of an nlkit FDB entry (a Neighbour of family 'bridge'). */
export function nlFdbKey(n) {
  return strip({
    family: n.family,
    dev: n.dev,
    lladdr: n.lladdr,
    state: [...n.state].sort(),
    flags: [...n.flags].filter((f) => f !== 'master').sort(),
    master: n.master,
    vlan: n.vlan,
  })
}
