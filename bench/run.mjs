#!/usr/bin/env node
// nlkit benchmark suite: nlkit against iproute2, Go vishvananda/netlink, pyroute2, npm `netlink`
// and a raw C program (the floor), each measured run in a fresh network namespace.
//
//   npm run bench                       full run: every workload, 5 repetitions, medians
//   npm run bench -- --quick            smaller N, 3 repetitions
//   npm run bench -- --only W2,W3       some workloads
//   npm run bench -- --tools nlkit,ip   some tools (nlkit, nlkit-idx, nlkit-stream, ip, go, pyroute2, netlink-npm, c)
//   npm run bench -- --big              also W3 with 1M routes
//   options: --reps N, --no-install, --timeout-scale X, --out FILE, --baseline DIR (another built
//            checkout of nlkit, measured as nlkit-base in the same run)
//
// Results are printed and written to bench/.peers/results.json; nothing is asserted.
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { prepare, TOOLS, BENCH, PEERS } from './tools/peers.mjs'
import w1 from './workloads/w1.mjs'
import w2 from './workloads/w2.mjs'
import w3 from './workloads/w3.mjs'
import w3big from './workloads/w3big.mjs'
import w4 from './workloads/w4.mjs'
import w5 from './workloads/w5.mjs'
import w6 from './workloads/w6.mjs'
import w7, { w7c } from './workloads/w7.mjs'
import w8 from './workloads/w8.mjs'

const ALL_WORKLOADS = [w1, w2, w3, w3big, w4, w5, w6, w7, w7c, w8]
/** The workloads of nlkit's variants: nlkit-idx differs only where a link is named, nlkit-stream only in dumps. */
const VARIANT_WORKLOADS = { 'nlkit-idx': new Set(['W1', 'W2', 'W4']), 'nlkit-stream': new Set(['W3', 'W3-1M']) }
const variantSkips = (t, id) => VARIANT_WORKLOADS[t] !== undefined && !VARIANT_WORKLOADS[t].has(id)

function usage(msg) {
  if (msg) process.stderr.write(`bench: ${msg}\n`)
  process.stderr.write(
    `${readFileSync(fileURLToPath(import.meta.url), 'utf8')
      .split('\n')
      .slice(1, 12)
      .map((l) => l.replace(/^\/\/ ?/, ''))
      .join('\n')}\n`,
  )
  process.exit(msg ? 2 : 0)
}

function parseOptions(argv) {
  const o = {
    quick: false,
    big: false,
    only: null,
    tools: null,
    reps: null,
    install: true,
    baseline: null,
    timeoutScale: 1,
    out: join(PEERS, 'results.json'),
  }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const val = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i]
      if (v === undefined) usage(`${a} needs a value`)
      return v
    }
    const name = a.split('=')[0]
    if (name === '--quick') o.quick = true
    else if (name === '--big') o.big = true
    else if (name === '--only')
      o.only = val()
        .split(',')
        .map((s) => s.trim().toUpperCase())
    else if (name === '--tools')
      o.tools = val()
        .split(',')
        .map((s) => s.trim())
    else if (name === '--reps') o.reps = Number(val())
    else if (name === '--no-install') o.install = false
    else if (name === '--timeout-scale') o.timeoutScale = Number(val())
    else if (name === '--out') o.out = val()
    else if (name === '--baseline') o.baseline = val()
    else if (name === '--help' || name === '-h') usage()
    else usage(`unknown option ${a}`)
  }
  o.reps ??= o.quick ? 3 : 5
  if (!(o.reps >= 1)) usage('--reps must be at least 1')
  for (const t of o.tools ?? []) if (!TOOLS[t]) usage(`unknown tool ${t} (one of ${Object.keys(TOOLS).join(', ')})`)
  const known = ALL_WORKLOADS.map((w) => w.id)
  for (const w of o.only ?? []) if (!known.includes(w)) usage(`unknown workload ${w} (one of ${known.join(', ')})`)
  return o
}

const log = (...a) => process.stderr.write(`[bench] ${a.join(' ')}\n`)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

function cpuTimes() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number)
  const idle = f[3] + (f[4] ?? 0)
  return { idle, total: f.reduce((a, b) => a + b, 0) }
}

/** Fraction of all cores busy over `ms`. */
async function busy(ms = 150) {
  const a = cpuTimes()
  await sleep(ms)
  const b = cpuTimes()
  const total = b.total - a.total
  return total > 0 ? 1 - (b.idle - a.idle) / total : 0
}

/** Waits (at most 2.5 s) until the machine is quiet: the last namespace's teardown happens in the kernel after its last process exits. */
async function quiesce() {
  let b = 1
  for (let t = 0; t < 2500; t += 150) {
    b = await busy(150)
    if (b < 0.08) break
  }
  return b
}

let runCounter = 0

/** One measured run: `unshare -n node driver.mjs SPEC` with a deadline; stragglers are killed by process group. */
async function runOnce(spec, timeoutMs) {
  const dir = join(PEERS, 'runs')
  mkdirSync(dir, { recursive: true })
  const specFile = join(dir, `spec-${process.pid}-${++runCounter}.json`)
  writeFileSync(specFile, JSON.stringify(spec))
  const unshare = process.getuid?.() === 0 ? ['--net'] : ['--map-root-user', '--net']
  const child = spawn('unshare', [...unshare, '--', process.execPath, join(BENCH, 'lib/driver.mjs'), specFile], {
    detached: true, // its own process group, so a timeout can end it and everything it started
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (err += d))
  let timedOut = false
  const killGroup = () => {
    try {
      process.kill(-child.pid, 'SIGKILL')
    } catch {}
  }
  const timer = setTimeout(() => {
    timedOut = true
    killGroup()
  }, timeoutMs)
  const code = await new Promise((r) => child.on('close', (c) => r(c)))
  clearTimeout(timer)
  killGroup() // anything left behind (a subscriber that did not exit)
  rmSync(specFile, { force: true })
  if (timedOut) return { ok: false, error: `timed out after ${Math.round(timeoutMs / 1000)} s` }
  const line = out
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .pop()
  if (!line) return { ok: false, error: `driver exited ${code} without a result: ${err.trim().split('\n').slice(-3).join(' | ')}` }
  return JSON.parse(line)
}

function median(xs) {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b)
  if (v.length === 0) return null
  const m = Math.floor(v.length / 2)
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2
}

function fmtMs(ms) {
  if (ms === null || ms === undefined) return '-'
  if (ms >= 10000) return `${(ms / 1000).toFixed(1)} s`
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`
  if (ms >= 100) return `${ms.toFixed(0)} ms`
  if (ms >= 10) return `${ms.toFixed(1)} ms`
  return `${ms.toFixed(2)} ms`
}

function fmtRate(r) {
  if (r === null || r === undefined || !Number.isFinite(r)) return '-'
  if (r >= 1e6) return `${(r / 1e6).toFixed(2)}M/s`
  if (r >= 1e4) return `${(r / 1e3).toFixed(0)}k/s`
  if (r >= 1e3) return `${(r / 1e3).toFixed(1)}k/s`
  return `${r.toFixed(0)}/s`
}

const fmtMb = (kb) => (kb === null || kb === undefined ? '-' : `${(kb / 1024).toFixed(0)} MB`)
const fmtX = (x) => (x === null || x === undefined || !Number.isFinite(x) ? '-' : `${x >= 10 ? x.toFixed(0) : x.toFixed(2)}x`)

function pad(s, n, right = false) {
  s = String(s)
  return right ? s.padStart(n) : s.padEnd(n)
}

/** Median of the primary metric: time (ms) for most workloads, subscriber CPU for W6. */
function summarise(w, runs) {
  const ok = runs.filter((r) => r.ok)
  if (ok.length === 0) return null
  const m = {
    ms: median(ok.map((r) => r.ms)),
    rssKb: median(ok.map((r) => r.rssKb)),
    n: median(ok.map((r) => r.n)),
  }
  if (w.subscribe) {
    m.events = median(ok.map((r) => r.events))
    m.lostPct = median(ok.map((r) => r.lostPct))
    m.cpuMs = median(ok.map((r) => r.cpuMs))
    m.burstMs = median(ok.map((r) => r.burstMs))
    m.overflows = median(ok.map((r) => r.overflows))
  }
  if (ok.some((r) => r.loopDelayMaxMs !== undefined)) {
    m.loopDelayMaxMs = median(ok.map((r) => r.loopDelayMaxMs))
    m.loopDelayMaxWorstMs = Math.max(...ok.map((r) => r.loopDelayMaxMs))
  }
  return m
}

/** Which nlkit was measured: the commit, and the engine/API files changed on top of it. */
function gitState() {
  const git = (...a) => spawnSync('git', a, { cwd: join(BENCH, '..'), encoding: 'utf8' })
  const head = git('rev-parse', '--short', 'HEAD')
  if (head.status !== 0) return null
  const dirty = git('status', '--porcelain', '--', 'index.ts', 'crates')
    .stdout.split('\n')
    .filter(Boolean)
    .map((l) => l.slice(3))
  return { commit: head.stdout.trim(), uncommitted: dirty }
}

function machine() {
  const cpus = os.cpus()
  return {
    cpu: `${cpus[0]?.model?.trim() ?? 'unknown CPU'}`,
    cores: cpus.length,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
    node: process.version,
  }
}

async function main() {
  const o = parseOptions(process.argv.slice(2))
  const workloads = ALL_WORKLOADS.filter((w) => (o.only ? o.only.includes(w.id) : w.id !== 'W3-1M' || o.big))
  const selected = o.tools ?? Object.keys(TOOLS).filter((t) => t !== 'nlkit-base' || o.baseline)
  log(`preparing tools: ${selected.join(', ')}`)
  const { tools, runstat, ip } = prepare(selected, { install: o.install, baseline: o.baseline })
  for (const t of selected) {
    const x = tools[t]
    log(`  ${pad(TOOLS[t].label, 16)} ${x.ok ? `ok   ${x.version ?? ''}` : `SKIPPED: ${x.reason}`}`)
  }
  if (!runstat) log('  (no C compiler: peak RSS and CPU of ip runs are not measured)')
  const batchDir = join(PEERS, 'batch')
  const ready = selected.filter((t) => tools[t].ok)

  const results = {
    date: new Date().toISOString(),
    machine: machine(),
    nlkit: gitState(),
    options: { quick: o.quick, big: o.big, reps: o.reps, only: o.only, tools: selected },
    tools: Object.fromEntries(
      selected.map((t) => [t, { label: TOOLS[t].label, ok: tools[t].ok, version: tools[t].version, reason: tools[t].reason }]),
    ),
    workloads: [],
  }
  const t0 = Date.now()

  for (const w of workloads) {
    const p = w.params(o)
    const setup = w.setup(batchDir, p)
    const toolsHere = ready.filter((t) => !variantSkips(t, w.id) && !w.na[t])
    const entry = { id: w.id, label: w.label(p), title: w.title, unit: w.unit, params: p, results: {} }
    for (const t of selected) {
      if (variantSkips(t, w.id)) continue
      if (w.na[t]) entry.results[t] = { status: 'n/a', reason: w.na[t] }
      else if (!tools[t].ok) entry.results[t] = { status: 'skipped', reason: tools[t].reason }
      else entry.results[t] = { status: 'ok', runs: [] }
    }
    log(`${w.id}: ${entry.label} — ${o.reps} reps × ${toolsHere.join(', ')}`)
    for (let rep = 0; rep < o.reps; rep++) {
      const order = toolsHere.slice(rep % toolsHere.length).concat(toolsHere.slice(0, rep % toolsHere.length))
      for (const t of order) {
        const spec = { setup, runstat, ip, env: {} }
        if (t === 'ip') Object.assign(spec, w.ip(batchDir, p))
        else {
          spec.cmd = tools[t].run(w.lib(p, t))
          spec.time = 'self'
        }
        if (w.subscribe) {
          spec.subscribe = { ...w.subscribe(batchDir, p), lineCount: t === 'ip' }
          delete spec.time
        }
        const bgBusy = await quiesce()
        const r = await runOnce(spec, w.timeoutMs(p) * o.timeoutScale)
        r.rep = rep
        r.bgBusy = Math.round(bgBusy * 100) / 100
        if (r.ok && w.expect && r.n !== undefined && r.n < w.expect(p)) r.warning = `got ${r.n} objects, expected at least ${w.expect(p)}`
        entry.results[t].runs.push(r)
        const brief = r.ok
          ? w.subscribe
            ? `${r.events} events (${r.lostPct.toFixed(1)}% lost), cpu ${fmtMs(r.cpuMs)}`
            : `${fmtMs(r.ms)}${r.rssKb ? `, ${fmtMb(r.rssKb)}` : ''}${r.loopDelayMaxMs !== undefined ? `, loop delay max ${fmtMs(r.loopDelayMaxMs)}` : ''}`
          : `FAILED: ${r.error}`
        log(`  ${w.id} rep ${rep + 1}/${o.reps} ${pad(TOOLS[t].label, 16)} ${brief}${r.warning ? ` (${r.warning})` : ''}`)
      }
    }
    for (const t of toolsHere) {
      const e = entry.results[t]
      e.median = summarise(w, e.runs)
      // A tool that failed in most repetitions is reported as failed (its few medians stay in the JSON).
      const okRuns = e.runs.filter((r) => r.ok).length
      if (okRuns * 2 <= e.runs.length && e.runs.length > 0) {
        e.status = 'failed'
        e.reason = `${okRuns} of ${e.runs.length} runs succeeded; ${e.runs.find((r) => !r.ok)?.error}`
        e.partialMedian = e.median
        e.median = null
      }
    }
    // Ratios of the primary metric (time; W6: subscriber CPU per event received) to the best peer, to ip, to the C floor.
    const metric = (t) => {
      const m = entry.results[t]?.median
      if (!m) return null
      return w.subscribe ? (m.events > 0 ? m.cpuMs / m.events : null) : m.ms
    }
    const peers = toolsHere.filter((t) => TOOLS[t].peer && metric(t) !== null)
    const best = peers.sort((a, b) => metric(a) - metric(b))[0]
    for (const t of toolsHere) {
      const e = entry.results[t]
      if (!e.median) continue
      const v = metric(t)
      if (w.subscribe) e.median.cpuUsPerEvent = v === null ? null : v * 1000
      e.bestPeer = best ?? null
      e.vsBestPeer = best ? v / metric(best) : null
      e.vsIp = metric('ip') ? v / metric('ip') : null
      e.vsFloor = metric('c') ? v / metric('c') : null
      if (!w.subscribe && e.median.ms) e.median.opsPerSec = ((e.median.n ?? p.n) / e.median.ms) * 1000
    }
    results.workloads.push(entry)
    mkdirSync(PEERS, { recursive: true })
    writeFileSync(o.out, JSON.stringify(results, null, 2))
  }
  results.totalSeconds = Math.round((Date.now() - t0) / 1000)
  writeFileSync(o.out, JSON.stringify(results, null, 2))
  process.stdout.write(`${table(results)}\n`)
  log(`results written to ${o.out} (${results.totalSeconds} s)`)
}

/** The results as a Markdown table (printed, and pasted into bench/README.md). */
export function table(results) {
  const m = results.machine
  const lines = []
  lines.push(`Machine: ${m.cpu}, ${m.cores} cores, ${m.memGiB} GiB, Linux ${m.kernel}, Node ${m.node}.`)
  lines.push(
    `Run: ${results.options.quick ? 'quick' : 'full'}, median of ${results.options.reps}, ${results.date.slice(0, 16).replace('T', ' ')} UTC.`,
  )
  if (results.nlkit) {
    const u = results.nlkit.uncommitted
    lines.push(`nlkit: commit ${results.nlkit.commit}${u.length ? ` plus uncommitted changes to ${u.join(', ')}` : ''}.`)
  }
  const bg = results.workloads
    .flatMap((w) => Object.values(w.results).flatMap((e) => (e.runs ?? []).map((r) => r.bgBusy)))
    .filter((x) => typeof x === 'number')
  if (bg.length) {
    const busyRuns = bg.filter((x) => x >= 0.08).length
    lines.push(
      `Background load: ${busyRuns} of ${bg.length} runs started while other processes kept the CPUs at least 8% busy (median ${Math.round(100 * median(bg))}%, max ${Math.round(100 * Math.max(...bg))}%).`,
    )
  }
  const versions = Object.entries(results.tools)
    .map(([_t, x]) => `${x.label}: ${x.ok ? (x.version ?? 'ok') : `skipped (${x.reason})`}`)
    .join('; ')
  lines.push(`Tools: ${versions}.`)
  lines.push('')
  lines.push(
    'Ratios are time / the reference time (W6: subscriber CPU per event received / the reference\'s): below 1x is faster, above 1x slower. "best peer" is the fastest of ip, Go, pyroute2 and npm netlink in this run; the C floor is a raw socket, no library. Peak RSS is the whole process\'s (ru_maxrss; W6: VmHWM of the subscriber).',
  )
  lines.push('')
  lines.push('| workload | tool | median | rate | peak RSS | vs best peer | vs ip | vs C floor | notes |')
  lines.push('|---|---|--:|--:|--:|--:|--:|--:|---|')
  for (const w of results.workloads) {
    let first = true
    for (const [t, e] of Object.entries(w.results)) {
      const label = results.tools[t]?.label ?? t
      const wl = first ? `${w.id} ${w.label}` : ''
      first = false
      if (e.status !== 'ok') {
        lines.push(
          `| ${wl} | ${label} | ${e.status} | | | | | | ${(e.reason ?? '').replace(/\|/g, '/').replace(/\s+/g, ' ').slice(0, 200)} |`,
        )
        continue
      }
      const md = e.median
      const notes = []
      let main
      let rate = '-'
      if (w.id === 'W6') {
        main = `${fmtMs(md.cpuMs)} CPU`
        rate = md.cpuUsPerEvent === null ? '-' : `${md.cpuUsPerEvent.toFixed(1)} µs/event`
        notes.push(
          `${Math.round(md.events).toLocaleString('en-US')} of ${w.params.n.toLocaleString('en-US')} events, ${md.lostPct.toFixed(1)}% lost`,
        )
        if (md.overflows) notes.push(`${md.overflows} overflow/error signals`)
        const ended = e.runs.filter((r) => r.ok && r.ended).length
        if (ended) notes.push(`the library ended the subscription on overflow in ${ended} of ${e.runs.length} runs`)
      } else {
        main = fmtMs(md.ms)
        rate = fmtRate(md.opsPerSec)
      }
      if (md.loopDelayMaxMs !== undefined)
        notes.push(`event-loop delay max ${fmtMs(md.loopDelayMaxMs)} (worst ${fmtMs(md.loopDelayMaxWorstMs)})`)
      const failed = e.runs.filter((r) => !r.ok).length
      if (failed) notes.push(`${failed} of ${e.runs.length} runs failed`)
      const warn = e.runs.find((r) => r.warning)?.warning
      if (warn) notes.push(warn)
      const best =
        e.bestPeer && e.bestPeer !== t ? ` (${results.tools[e.bestPeer]?.label ?? e.bestPeer})` : e.bestPeer === t ? ' (best)' : ''
      lines.push(
        `| ${wl} | ${label} | ${main} | ${rate} | ${fmtMb(md.rssKb)} | ${fmtX(e.vsBestPeer)}${best} | ${fmtX(e.vsIp)} | ${fmtX(e.vsFloor)} | ${notes.join('; ')} |`,
      )
    }
  }
  lines.push('')
  // One line per workload for nlkit, e.g. "nlkit W1 81k/s 1.12x ip".
  for (const w of results.workloads) {
    const e = w.results.nlkit
    if (e?.status !== 'ok') continue
    const what = w.id === 'W6' ? `${e.median.lostPct.toFixed(1)}% lost, ${fmtMs(e.median.cpuMs)} CPU` : `${fmtRate(e.median.opsPerSec)}`
    lines.push(
      `nlkit ${w.id} ${what} ${fmtX(e.vsIp)} ip, ${fmtX(e.vsBestPeer)} best peer${e.bestPeer ? ` (${results.tools[e.bestPeer]?.label})` : ''}`,
    )
  }
  return lines.join('\n')
}

main().catch((e) => {
  process.stderr.write(`bench: ${e?.stack ?? e}\n`)
  process.exit(1)
})
