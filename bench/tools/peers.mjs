// The tools compared, how each is installed or built (everything generated goes under
// bench/.peers/, which is gitignored) and the command that runs one workload on it.
//
// A tool that cannot be installed is reported as skipped with the reason, never replaced by
// something else.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, statSync, readdirSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
export const BENCH = resolve(here, '..')
export const ROOT = resolve(BENCH, '..')
export const PEERS = join(BENCH, '.peers')
const BIN = join(PEERS, 'bin')

/** Display order; `peer: false` tools are nlkit itself and the C floor (not counted as "best peer"). */
export const TOOLS = {
  nlkit: { label: 'nlkit', peer: false },
  'nlkit-idx': { label: 'nlkit (ifindex)', peer: false, variantOf: 'nlkit' },
  'nlkit-stream': { label: 'nlkit (stream)', peer: false, variantOf: 'nlkit' },
  'nlkit-base': { label: 'nlkit (baseline)', peer: false },
  ip: { label: 'ip (iproute2)', peer: true },
  go: { label: 'go vishvananda', peer: true },
  pyroute2: { label: 'pyroute2', peer: true },
  'netlink-npm': { label: 'netlink (npm)', peer: true },
  c: { label: 'C floor', peer: false, floor: true },
}

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: opts.timeout ?? 600000, ...opts })
  const text = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim()
  if (r.error) return { ok: false, text: String(r.error.message) }
  return { ok: r.status === 0, text }
}

function lastLines(text, n = 3) {
  return text.split('\n').filter(Boolean).slice(-n).join(' | ')
}

function newer(target, sources) {
  if (!existsSync(target)) return false
  const t = statSync(target).mtimeMs
  return sources.every((s) => statSync(s).mtimeMs <= t)
}

function which(name) {
  for (const d of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin', '/usr/local/go/bin'])) {
    if (d && existsSync(join(d, name))) return join(d, name)
  }
  return null
}

const log = (...a) => process.stderr.write(`[bench] ${a.join(' ')}\n`)

/** Installs / builds every selected tool; returns { tool: { ok, reason?, version?, run(args) } }. */
export function prepare(selected, { install = true, baseline = null } = {}) {
  mkdirSync(BIN, { recursive: true })
  const out = {}
  const want = (t) => selected.includes(t)

  // C helpers first: runstat gives every run its peak RSS and CPU time.
  let runstat = null
  const cc = which('cc') ?? which('gcc')
  if (cc) {
    const src = join(BENCH, 'tools/c/runstat.c')
    const exe = join(BIN, 'runstat')
    if (!newer(exe, [src])) sh(cc, ['-O2', '-o', exe, src])
    if (existsSync(exe)) runstat = exe
  }

  // ip: iproute2 is also what sets every namespace up, so it is required.
  let ip = which('ip')
  if (!ip && install && process.getuid?.() === 0) {
    log('installing iproute2 with apt-get')
    sh('apt-get', ['update', '-qq'])
    sh('apt-get', ['install', '-y', '-qq', 'iproute2'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
    ip = which('ip')
  }
  if (!ip) throw new Error('iproute2 (`ip`) is required: it sets up every namespace (apt-get install iproute2)')
  const ipVersion = sh(ip, ['-V']).text
  out.ip = { ok: true, version: ipVersion.replace(/^ip utility, /, '') }

  // nlkit and its variants: the same script, with these extra arguments.
  const nlkitArgs = { nlkit: [], 'nlkit-idx': ['ref=index'], 'nlkit-stream': ['mode=stream'] }
  if (Object.keys(nlkitArgs).some(want)) {
    const built = existsSync(join(ROOT, 'index.js')) && readdirSync(ROOT).some((f) => /^nlkit\..*\.node$/.test(f))
    let r = { ok: built }
    if (!built && install) {
      log('nlkit is not built: npm run build')
      r = sh('npm', ['run', 'build'], { cwd: ROOT, timeout: 1200000 })
    }
    const pkg = createRequire(join(ROOT, 'package.json'))('./package.json')
    const info = r.ok ? { ok: true, version: pkg.version } : { ok: false, reason: `npm run build failed: ${lastLines(r.text)}` }
    const script = join(BENCH, 'tools/nlkit.mjs')
    for (const [t, extra] of Object.entries(nlkitArgs)) {
      if (want(t)) out[t] = { ...info, run: (args) => [process.execPath, script, ...args, ...extra] }
    }
  }

  // Another checkout of nlkit (e.g. the commit before a change), built, measured by its own
  // bench script in the same interleaved run: before/after without the machine drifting.
  if (want('nlkit-base')) {
    const dir = baseline && resolve(baseline)
    const script = dir && join(dir, 'bench/tools/nlkit.mjs')
    const built = dir && existsSync(join(dir, 'index.js')) && readdirSync(dir).some((f) => /^nlkit\..*\.node$/.test(f))
    if (!dir) out['nlkit-base'] = { ok: false, reason: 'no --baseline DIR given' }
    else if (!built || !existsSync(script))
      out['nlkit-base'] = { ok: false, reason: `${dir} is not a built nlkit checkout (npm run build there)` }
    else {
      const git = sh('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'])
      out['nlkit-base'] = { ok: true, version: git.ok ? `commit ${git.text}` : dir, run: (args) => [process.execPath, script, ...args] }
    }
  }

  if (want('netlink-npm')) {
    // Not a devDependency: its install script (node-gyp) would run, and npm warn, on every
    // `npm install` of the project. It lives in bench/.peers/npm, installed here on demand.
    const dir = join(PEERS, 'npm')
    const req = createRequire(join(dir, 'package.json'))
    const find = () => {
      try {
        return req.resolve('netlink/package.json')
      } catch {
        return null
      }
    }
    let pj = find()
    let why = 'not installed (npm run bench installs it into bench/.peers/npm)'
    if (!pj && install) {
      log('installing npm netlink@0.3.0 into bench/.peers/npm')
      mkdirSync(dir, { recursive: true })
      const manifest = { private: true, dependencies: { netlink: '0.3.0' }, allowScripts: { netlink: true } }
      writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
      const r = sh('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir })
      if (!r.ok) why = `npm install netlink failed: ${lastLines(r.text)}`
      pj = find()
    }
    if (pj) {
      const version = req('netlink/package.json').version
      // Its native part must load (prebuilt for x64/arm64, else built by node-gyp at install).
      const probe = sh(process.execPath, ['-e', "require('netlink').createRtNetlink().socket.close()"], { cwd: dir })
      out['netlink-npm'] = probe.ok
        ? { ok: true, version, run: (args) => [process.execPath, join(BENCH, 'tools/netlink-npm.mjs'), ...args] }
        : { ok: false, reason: `netlink ${version} does not load: ${lastLines(probe.text, 2)}` }
    } else out['netlink-npm'] = { ok: false, reason: why }
  }

  if (want('go')) {
    const go = which('go')
    const dir = join(BENCH, 'tools/go')
    const exe = join(BIN, 'nlbench-go')
    const env = {
      ...process.env,
      GOPATH: join(PEERS, 'go/path'),
      GOMODCACHE: join(PEERS, 'go/mod'),
      GOCACHE: join(PEERS, 'go/cache'),
      GOFLAGS: '-modcacherw',
      GOTOOLCHAIN: 'local',
      CGO_ENABLED: '0',
    }
    if (!go) out.go = { ok: false, reason: 'no Go toolchain (go not on PATH nor in /usr/local/go/bin)' }
    else {
      let r = { ok: true, text: '' }
      if (
        !newer(
          exe,
          ['main.go', 'go.mod', 'go.sum'].map((f) => join(dir, f)),
        ) &&
        install
      ) {
        log('building the Go peer (go build; modules from the Go module proxy)')
        r = sh(go, ['build', '-o', exe, '.'], { cwd: dir, env })
      }
      if (r.ok && existsSync(exe)) {
        const v = sh(go, ['list', '-m', '-f', '{{.Version}}', 'github.com/vishvananda/netlink'], { cwd: dir, env })
        out.go = {
          ok: true,
          version: `vishvananda/netlink ${v.ok ? v.text : '?'}, ${sh(go, ['version']).text.replace(/^go version /, '')}`,
          run: (args) => [exe, ...args],
        }
      } else out.go = { ok: false, reason: install ? `go build failed: ${lastLines(r.text)}` : 'not built (--no-install)' }
    }
  }

  if (want('pyroute2')) {
    const venv = join(PEERS, 'venv')
    const py = join(venv, 'bin/python')
    const python = which('python3')
    const probe = () => sh(py, ['-c', 'import pyroute2; print(pyroute2.__version__)'])
    let p = existsSync(py) ? probe() : { ok: false, text: '' }
    if (!p.ok && install && python) {
      log('installing pyroute2 into bench/.peers/venv (pip)')
      let r = existsSync(py) ? { ok: true } : sh(python, ['-m', 'venv', venv])
      if (r.ok) r = sh(py, ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', 'pyroute2>=0.7,<1'])
      p = r.ok ? probe() : r
    }
    out.pyroute2 = p.ok
      ? { ok: true, version: p.text.trim(), run: (args) => [py, join(BENCH, 'tools/pyroute2_peer.py'), ...args] }
      : {
          ok: false,
          reason: !install
            ? 'not installed in bench/.peers/venv (--no-install)'
            : python
              ? `pip install pyroute2 failed: ${lastLines(p.text)}`
              : 'no python3',
        }
  }

  if (want('c')) {
    const src = join(BENCH, 'tools/c/floor.c')
    const exe = join(BIN, 'floor')
    if (!cc) out.c = { ok: false, reason: 'no C compiler (cc)' }
    else {
      const r = newer(exe, [src]) ? { ok: true } : sh(cc, ['-O2', '-Wall', '-o', exe, src])
      out.c = r.ok
        ? { ok: true, version: sh(cc, ['--version']).text.split('\n')[0], run: (args) => [exe, ...args] }
        : { ok: false, reason: `cc failed: ${lastLines(r.text)}` }
    }
  }

  for (const t of selected) if (!out[t]) out[t] = { ok: false, reason: 'unknown tool' }
  return { tools: out, runstat, ip }
}
