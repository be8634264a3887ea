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
