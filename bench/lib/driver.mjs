// One measured run, inside a fresh network namespace (run.mjs starts it through `unshare -n`).
//
//   node driver.mjs SPEC.json
//
// SPEC: { setup: [batch files for `ip -batch`, or { tc: file } for `tc -batch`], cmd: [argv], time: 'self'|'wall', runstat: path|null,
//         divide?: k, stdoutNull?: bool, subscribe?: { burst: batch file, target: n, quietMs, lineCount? } }
//
// Setup (untimed) uses `ip -batch`. A plain run starts `cmd` (under runstat when available, for the
// peak RSS and CPU of exactly that process) and takes the tool's own JSON line (`time: 'self'`: the
// tool timed its operation, excluding its start-up) or the wall time of the whole process
// (`time: 'wall'`, for `ip`). A subscribe run starts the subscriber, waits for it to be ready, runs
// the burst, and reads the subscriber's CPU time from /proc/<pid>/stat before and after.
// Prints one JSON line: { ok: true, ms, n, rssKb, ... } or { ok: false, error }.
import { spawn, spawnSync } from 'node:child_process'
import { readFileSync, openSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const CLK_TCK = 100 // USER_HZ; Linux reports utime/stime in these units on every architecture

function done(obj) {
  process.stdout.write(`${JSON.stringify(obj)}\n`)
  process.exit(0)
}

const IP = spec.ip ?? 'ip'

/** A setup step: an `ip -batch` file, or `{ tc: file }` for `tc -batch` (traffic control). */
function ipBatch(step) {
  const [cmd, file] = typeof step === 'string' ? [IP, step] : ['tc', step.tc]
  const t = performance.now()
  const r = spawnSync(cmd, ['-batch', file], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`setup ${cmd} -batch ${file} failed: ${(r.stderr || '').trim().split('\n').slice(0, 3).join(' | ')}`)
  return performance.now() - t
}

function cpuMsOf(pid) {
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ') // fields from #3 (state) on
  return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK // utime (#14) + stime (#15)
}

function vmhwmOf(pid) {
  const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Number(m[1]) : null
}

function lastJson(text) {
  const lines = text
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
  if (lines.length === 0) return null
  return JSON.parse(lines[lines.length - 1])
}

async function plainRun() {
  const dir = mkdtempSync(join(tmpdir(), 'nlbench-'))
  const statFile = join(dir, 'stat.json')
  const cmd = spec.cmd[0] === 'ip' ? [IP, ...spec.cmd.slice(1)] : spec.cmd
  const argv = spec.runstat ? [spec.runstat, statFile, ...cmd] : cmd
  const stdout = spec.stdoutNull ? openSync('/dev/null', 'w') : 'pipe'
  const t = performance.now()
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', stdout, 'pipe'], env: { ...process.env, ...spec.env } })
  let out = ''
  let err = ''
  child.stdout?.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (err += d))
  const code = await new Promise((resolve) => child.on('close', (c, sig) => resolve(sig ? 128 : c)))
  const wall = performance.now() - t
  let stat = null
  try {
    stat = JSON.parse(readFileSync(statFile, 'utf8'))
  } catch {}
  rmSync(dir, { recursive: true, force: true })
  if (code !== 0) throw new Error(`${spec.cmd.join(' ')} exited ${code}: ${err.trim().split('\n').slice(-4).join(' | ')}`)
  const self = spec.time === 'self' ? lastJson(out) : {}
  if (!self) throw new Error(`no result line from ${spec.cmd.join(' ')}: ${out.slice(0, 200)} ${err.slice(0, 200)}`)
  const ms = spec.time === 'self' ? self.ms : (stat?.wallMs ?? wall) / (spec.divide ?? 1)
  return {
    ...self,
    ms,
    wallMs: stat?.wallMs ?? wall,
    rssKb: stat?.maxRssKb ?? self.rssKb ?? null,
    cpuMs: stat ? stat.userMs + stat.sysMs : null,
  }
}

/** `ip -batch FILE` without blocking this process (it may be reading a subscriber meanwhile). */
function ipBatchAsync(file) {
  return new Promise((resolve, reject) => {
    const t = performance.now()
    const c = spawn(IP, ['-batch', file], { stdio: ['ignore', 'ignore', 'pipe'] })
    let err = ''
    c.stderr.on('data', (d) => (err += d))
    c.on('close', (code) =>
      code === 0 ? resolve(performance.now() - t) : reject(new Error(`burst ip -batch failed: ${err.trim().split('\n')[0]}`)),
    )
  })
}

function countLines(file) {
  const b = readFileSync(file)
  let n = 0
  for (let i = 0; i < b.length; i++) if (b[i] === 10) n++
  return n
}

async function subscribeRun() {
  const s = spec.subscribe
  // `ip monitor` writes to a file (counted at the end), so nothing on our side can slow it down.
  const dir = mkdtempSync(join(tmpdir(), 'nlbench-'))
  const monFile = join(dir, 'monitor.txt')
  const stdout = s.lineCount ? openSync(monFile, 'w') : 'pipe'
  const cmd = spec.cmd[0] === 'ip' ? [IP, ...spec.cmd.slice(1)] : spec.cmd
  const child = spawn(cmd[0], cmd.slice(1), { stdio: ['pipe', stdout, 'pipe'], env: { ...process.env, ...spec.env } })
  let out = ''
  let err = ''
  let exited = null
  child.on('exit', (c, sig) => (exited = sig ?? c))
  child.stderr.on('data', (d) => (err += d))
  child.stdin.on('error', () => {}) // a subscriber that died is reported below, with its stderr
  const waitFor = (pred, ms, what) =>
    new Promise((resolve, reject) => {
      const t0 = Date.now()
      const iv = setInterval(() => {
        const v = pred()
        if (v) {
          clearInterval(iv)
          resolve(v)
        } else if (exited !== null) {
          clearInterval(iv)
          reject(new Error(`subscriber exited (${exited}) while waiting for ${what}: ${err.trim().split('\n').slice(-3).join(' | ')}`))
        } else if (Date.now() - t0 > ms) {
          clearInterval(iv)
          reject(new Error(`timed out waiting for ${what}`))
        }
      }, 10)
    })
  child.stdout?.on('data', (d) => (out += d))
  let pid
  if (s.lineCount) {
    // `ip monitor` prints nothing until an event: give it time to open and bind its socket.
    await new Promise((r) => setTimeout(r, 300))
    pid = child.pid
  } else {
    const m = await waitFor(() => /READY (\d+)/.exec(out), 30000, 'READY')
    pid = Number(m[1])
  }
  const cpu0 = cpuMsOf(pid)
  const burstMs = await ipBatchAsync(s.burst)
  const tDone = performance.now()
  await new Promise((r) => setTimeout(r, 20))
  if (exited !== null) throw new Error(`subscriber exited (${exited}) during the burst: ${err.trim().split('\n').slice(-3).join(' | ')}`)
  let res
  if (s.lineCount) {
    child.stdin.write('done\n')
    let last = -1
    let lastChange = Date.now()
    await waitFor(
      () => {
        const size = statSync(monFile).size
        if (size !== last) {
          last = size
          lastChange = Date.now()
        }
        return Date.now() - lastChange > (s.quietMs ?? 1000)
      },
      600000,
      'events',
    )
    res = { events: countLines(monFile) }
  } else {
    child.stdin.write('done\n')
    const line = await waitFor(() => out.split('\n').find((l) => l.startsWith('{')), 600000, 'result')
    res = JSON.parse(line)
  }
  const drainMs = performance.now() - tDone
  const cpu1 = cpuMsOf(pid)
  const rssKb = vmhwmOf(pid)
  child.stdin.end()
  setTimeout(() => child.kill('SIGKILL'), 2000).unref()
  if (s.lineCount) child.kill('SIGTERM')
  rmSync(dir, { recursive: true, force: true })
  const target = s.target
  return {
    ...res,
    rssKb,
    cpuMs: cpu1 - cpu0,
    burstMs,
    drainMs,
    target,
    lostPct: (100 * Math.max(0, target - res.events)) / target,
    ms: cpu1 - cpu0,
  }
}

async function main() {
  const setupMs = spec.setup.reduce((acc, f) => acc + ipBatch(f), 0)
  const r = spec.subscribe ? await subscribeRun() : await plainRun()
  done({ ok: true, setupMs, ...r })
}

main().catch((e) => done({ ok: false, error: String(e?.message ?? e) }))
