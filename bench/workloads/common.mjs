// Shared by the workload modules: the ip -batch files every namespace is set up with.
import { existsSync, mkdirSync, writeFileSync, renameSync } from 'node:fs'
import { join } from 'node:path'

/** Route i is 10.16.0.0 + i; address i is 10.128.0.0 + i (the same in every tool). */
export const ROUTE_BASE = 0x0a100000
export const ADDR_BASE = 0x0a800000
export const DEV = 'veth0'

export function ip4(base, i) {
  const v = base + i
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`
}

/** Writes (once) bench/.peers/batch/NAME.txt from a line generator and returns its path. */
export function batchFile(dir, name, lines) {
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `${name}.txt`)
  if (existsSync(file)) return file
  const chunks = []
  for (const l of lines()) chunks.push(l)
  writeFileSync(`${file}.tmp`, `${chunks.join('\n')}\n`)
  renameSync(`${file}.tmp`, file)
  return file
}

/** Every namespace: lo up, a veth pair up, 10.0.0.1/24 on veth0. Routes and addresses go on veth0. */
export function base(dir) {
  return batchFile(dir, 'base', function* () {
    yield 'link set lo up'
    yield `link add ${DEV} type veth peer name veth1`
    yield `link set ${DEV} up`
    yield 'link set veth1 up'
    yield `address add 10.0.0.1/24 dev ${DEV}`
  })
}

/** N host routes 10.16.0.0 + i via veth0, in the main table (what `ip route add X/32 dev veth0` makes). */
export function routes(dir, n) {
  return batchFile(dir, `routes-${n}`, function* () {
    for (let i = 0; i < n; i++) yield `route add ${ip4(ROUTE_BASE, i)}/32 dev ${DEV}`
  })
}

/** N /32 addresses 10.128.0.0 + i on veth0. */
export function addrs(dir, n) {
  return batchFile(dir, `addrs-${n}`, function* () {
    for (let i = 0; i < n; i++) yield `address add ${ip4(ADDR_BASE, i)}/32 dev ${DEV}`
  })
}

/** P veth pairs va<i>/vb<i> (2P extra links). */
export function vethPairs(dir, p) {
  return batchFile(dir, `veth-pairs-${p}`, function* () {
    for (let i = 0; i < p; i++) yield `link add va${i} type veth peer name vb${i}`
  })
}

/** K `link show` commands, for `ip -j -batch` (K dumps in one process). */
export function linkShows(dir, k) {
  return batchFile(dir, `link-show-${k}`, function* () {
    for (let i = 0; i < k; i++) yield 'link show'
  })
}

/** An htb qdisc 1: on veth0 with a class 1:10: where the u32 filters go (a `tc -batch` file). */
export function htbRoot(dir) {
  return {
    tc: batchFile(dir, 'tc-htb', function* () {
      yield `qdisc add dev ${DEV} root handle 1: htb default 10`
      yield `class add dev ${DEV} parent 1: classid 1:10 htb rate 1gbit`
    }),
  }
}

/** u32 holds at most 4095 rules per hash table: filter i goes to prio 1 + i / 1000 (its own table). */
export const filterPrio = (i) => 1 + Math.floor(i / 1000)

/** N u32 filters on 1:, filter i matching IPv4 destination 10.16.0.0 + i, flowid 1:10 (a `tc -batch` file). */
export function u32Filters(dir, n) {
  return batchFile(dir, `tc-u32-${n}`, function* () {
    for (let i = 0; i < n; i++)
      yield `filter add dev ${DEV} parent 1: protocol ip prio ${filterPrio(i)} u32 match ip dst ${ip4(ROUTE_BASE, i)}/32 flowid 1:10`
  })
}
