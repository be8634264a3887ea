// The registry of what each test file owns (support/registry.mjs), checked without a kernel: no two
// entries overlap (the files run in parallel in one network namespace), every test file that
// changes the kernel or listens to it has an entry and takes it, and the addresses written in a
// file lie in that file's own ranges.

import test from 'ava'
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { ENTRIES, NOWHERE } from './support/registry.mjs'

const DIR = fileURLToPath(new URL('.', import.meta.url))
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.test.mjs'))
  .sort()
const source = (f) => readFileSync(new URL(f, import.meta.url), 'utf8')
const entries = Object.values(ENTRIES)

// ---- addresses as integer ranges ------------------------------------------------------------------

function parseV4(s) {
  const p = s.split('.')
  if (p.length !== 4 || p.some((x) => !/^\d{1,3}$/.test(x) || Number(x) > 255)) return null
  return p.reduce((a, x) => (a << 8n) | BigInt(x), 0n)
}

function parseV6(s) {
  if (!/^[0-9a-f:]+$/i.test(s)) return null
  const halves = s.split('::')
  if (halves.length > 2) return null
  const head = halves[0] ? halves[0].split(':') : []
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : []
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0
  if (fill < (halves.length === 2 ? 1 : 0)) return null
  const groups = [...head, ...Array(fill).fill('0'), ...tail]
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return null
  return groups.reduce((a, g) => (a << 16n) | BigInt(parseInt(g, 16)), 0n)
}

/** An address or CIDR as { family, first, last } (null if it is not one); `len` defaults to a host. */
function block(text, len) {
  const family = text.includes(':') ? 6 : 4
  const bits = family === 6 ? 128 : 32
  const addr = family === 6 ? parseV6(text) : parseV4(text)
  if (addr === null) return null
  const n = len === undefined || len > bits ? bits : len
  const host = (1n << BigInt(bits - n)) - 1n
  return { family, first: addr & ~host, last: addr | host, canonical: (addr & host) === 0n, text: `${text}/${n}` }
}

/** A CIDR of the registry (must be canonical: no host bits set). */
function cidr(s) {
  const [a, l] = s.split('/')
  const b = l === undefined ? null : block(a, Number(l))
  if (!b?.canonical || !/^\d+$/.test(l)) throw new Error(`not a canonical CIDR: ${s}`)
  return b
}

const overlap = (a, b) => a.first <= b.last && b.first <= a.last
const inside = (a, b) => a.family === b.family && a.first >= b.first && a.last <= b.last

// ---- 1. no two entries overlap ----------------------------------------------------------------------

/** Every pair of (owner, item) from different entries. */
function* pairs(items) {
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) if (items[i].owner !== items[j].owner) yield [items[i], items[j]]
  }
}

test('no two entries overlap: name prefixes, address ranges, tables, priorities, marks, VXLAN ids, claims', (t) => {
  const problems = []

  // Interface-name and namespace-name prefixes: none may be a prefix of another file's.
  const prefixes = entries.filter((e) => e.prefix !== undefined).map((e) => ({ owner: e.key, v: e.prefix }))
  for (const p of prefixes) if (!/^[a-z][a-z0-9]*$/.test(p.v) || Buffer.byteLength(p.v) > 10) problems.push(`${p.owner}: prefix '${p.v}'`)
  const nsPrefixes = entries.flatMap((e) => e.netns.map((v) => ({ owner: e.key, v })))
  for (const list of [prefixes, nsPrefixes]) {
    for (const [a, b] of pairs(list)) {
      if (a.v.startsWith(b.v) || b.v.startsWith(a.v))
        problems.push(`${a.owner} '${a.v}' and ${b.owner} '${b.v}': one is a prefix of the other`)
    }
  }

  // Address ranges (also against NOWHERE, which nobody may own).
  const ranges = [
    ...entries.flatMap((e) => [...e.v4, ...e.v6].map((c) => ({ owner: e.key, c, b: cidr(c) }))),
    ...[...NOWHERE.v4, ...NOWHERE.v6].map((c) => ({ owner: 'NOWHERE', c, b: cidr(c) })),
  ]
  for (const e of entries) {
    for (const c of e.v4) if (cidr(c).family !== 4) problems.push(`${e.key}: ${c} in v4`)
    for (const c of e.v6) if (cidr(c).family !== 6) problems.push(`${e.key}: ${c} in v6`)
  }
  for (const [a, b] of pairs(ranges)) {
    if (a.b.family === b.b.family && overlap(a.b, b.b)) problems.push(`${a.owner} ${a.c} overlaps ${b.owner} ${b.c}`)
  }

  // Numbered resources: tables, priorities, marks, VXLAN ids.
  const reserved = { tables: [0, 253, 254, 255], priorities: [0, 32766, 32767], fwmarks: [0], vnis: [] }
  const max = { tables: 2 ** 32 - 1, priorities: 2 ** 32 - 1, fwmarks: 2 ** 32 - 1, vnis: 2 ** 24 - 1 }
  for (const field of ['tables', 'priorities', 'fwmarks', 'vnis']) {
    const list = entries.flatMap((e) => e[field].map((r) => ({ owner: e.key, r })))
    for (const { owner, r } of list) {
      if (!Number.isInteger(r.first) || !Number.isInteger(r.last) || r.first > r.last || r.first < 0 || r.last > max[field]) {
        problems.push(`${owner}: ${field} ${r.first}-${r.last} is not a range`)
      }
      for (const n of reserved[field])
        if (n >= r.first && n <= r.last) problems.push(`${owner}: ${field} ${r.first}-${r.last} includes the kernel's ${n}`)
    }
    for (const [a, b] of pairs(list)) {
      if (overlap(a.r, b.r)) problems.push(`${field}: ${a.owner} ${a.r.first}-${a.r.last} overlaps ${b.owner} ${b.r.first}-${b.r.last}`)
    }
  }

  // Claims: namespace-wide state that only one file may change.
  const claims = entries.flatMap((e) => e.claims.map((v) => ({ owner: e.key, v })))
  for (const [a, b] of pairs(claims)) if (a.v === b.v) problems.push(`${a.owner} and ${b.owner} both claim ${a.v}`)

  t.deepEqual(problems, [])
})

// ---- 2. every file that changes the kernel has an entry and takes it --------------------------------

/** Calls that change kernel state in the shared namespace, or listen to it. */
const TOUCHES = new RegExp(
  [
    String.raw`\b(?:veth|ipVeth|ipDo|ipBatch|netns|nsConn|processIn|kernelHasKind|subscribe)\s*\(`,
    String.raw`\b(?:link(?:Add\w*|Set\w*|Del)|addr(?:Add|Replace|Del)|route(?:Add\w*|Append|Replace|Del\w*)|rule(?:Add|Del)|neigh(?:Add|Replace|Del)|netns(?:Create|Delete))\s*\(`,
    String.raw`\b(?:execFileSync|execFile|spawn)\s*\(\s*'(?:ip|bridge)'`,
    '/proc/sys/net/',
  ].join('|'),
)

test('every test file that changes the kernel (or listens to it) has an entry, and takes its own', (t) => {
  const problems = []
  for (const f of FILES.filter((x) => x !== 'registry.test.mjs')) {
    const key = f.replace(/\.test\.mjs$/, '')
    const src = source(f)
    const taken = [...src.matchAll(/\bowned\(\s*'([^']*)'\s*\)/g)].map((m) => m[1])
    if (ENTRIES[key]) {
      if (!taken.includes(key)) problems.push(`${f} does not take its entry: owned('${key}')`)
    } else if (TOUCHES.test(src)) {
      problems.push(`${f} changes the kernel ("${src.match(TOUCHES)[0]}") but has no entry in support/registry.mjs`)
    }
    for (const k of taken) {
      if (!ENTRIES[k]) problems.push(`${f} takes an entry that does not exist: owned('${k}')`)
      else if (k !== key) problems.push(`${f} takes the entry of ${k}`)
    }
  }
  for (const e of entries) if (!FILES.includes(e.file)) problems.push(`entry '${e.key}' has no file ${e.file}`)
  t.deepEqual(problems, [])
})

// ---- 3. the addresses written in a file are its own -------------------------------------------------

/**
 * The addresses written in a source: whole IPv4 / 2001:db8:: addresses (with a prefix length when
 * given), and the fixed part of template addresses (`10.153.${n}.1` -> 10.153.0.0/16). Link-local
 * addresses (fe80::) belong to each link and are left out; so are invalid ones (bad arguments).
 */
function addressesIn(src) {
  const found = []
  const v4 = /(?<![\w.$])(\d{1,3}(?:\.\d{1,3}){3})(?:\/(\d{1,3}))?(?![\w.])/g
  for (const m of src.matchAll(v4)) {
    const b = block(m[1], m[2] === undefined ? undefined : Number(m[2]))
    if (b) found.push({ text: m[0], b })
  }
  const v4Template = /(?<![\w.$])(\d{1,3}(?:\.\d{1,3}){1,2})\.\$\{/g
  for (const m of src.matchAll(v4Template)) {
    const parts = m[1].split('.')
    const b = block([...parts, ...Array(4 - parts.length).fill('0')].join('.'), parts.length * 8)
    if (b) found.push({ text: `${m[0]}...}`, b })
  }
  const v6 = /(?<![\w:])(2001:db8:[0-9a-f:]*)(?:\/(\d{1,3}))?(\$\{)?/gi
  for (const m of src.matchAll(v6)) {
    let text = m[1]
    let len = m[2] === undefined ? undefined : Number(m[2])
    if (m[3] && !text.endsWith('::')) {
      // `2001:db8:153:${n}::1`: the groups before the template are fixed.
      const groups = text.replace(/:+$/, '').split(':')
      text = `${groups.join(':')}::`
      len = groups.length * 16
    }
    const b = block(text, len)
    if (b) found.push({ text: m[0], b })
  }
  return found
}

test('the addresses written in each test file lie in its own ranges (or in NOWHERE)', (t) => {
  const nowhere = [...NOWHERE.v4, ...NOWHERE.v6].map(cidr)
  const problems = []
  let checked = 0
  for (const e of entries) {
    if (!FILES.includes(e.file)) continue
    const own = [...e.v4, ...e.v6].map(cidr)
    for (const a of addressesIn(source(e.file))) {
      checked++
      if (!own.some((r) => inside(a.b, r)) && !nowhere.some((r) => inside(a.b, r))) {
        problems.push(`${e.file}: ${a.text} is outside ${[...e.v4, ...e.v6].join(', ') || 'its ranges (none)'}`)
      }
    }
  }
  t.deepEqual(problems, [])
  t.log(`${checked} addresses checked`)
  t.true(checked > 500, 'the scan finds the addresses')
})
