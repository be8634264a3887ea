// The loader (load.cjs, platform.cjs): on a platform other than Linux importing nlkit fails at
// once with an Error that says nlkit needs Linux and names the platform; on Linux without the
// binary it names the exact package to install; glibc and musl are told apart. No kernel needed:
// each case runs the loader in a child, with process.platform faked by a --require preload.
// What this file owns is its entry in support/registry.mjs (nothing in the kernel).

import test from 'ava'
import { execFile } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { owned } from './support/registry.mjs'

owned('platform')
const ROOT = fileURLToPath(new URL('..', import.meta.url))
const LOAD = join(ROOT, 'load.cjs')
const { libcOf, target, packageName } = createRequire(import.meta.url)('../platform.cjs')

const tmp = mkdtempSync(join(tmpdir(), 'nlkit-platform-'))
test.after.always(() => rmSync(tmp, { recursive: true, force: true }))

/** Runs `require(file)` in a child node (with `preload`s first); resolves { code, stdout, stderr }. */
function requireIn(file, preload = [], body = 'console.log(Object.keys(m).sort().join(","))') {
  const args = [...preload.flatMap((p) => ['--require', p]), '-e', `const m = require(${JSON.stringify(file)}); ${body}`]
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: tmp }, (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr }))
  })
}

/** A preload that makes process.platform say `platform`. */
function fakePlatform(platform) {
  const f = join(tmp, `as-${platform}.cjs`)
  writeFileSync(f, `Object.defineProperty(process, 'platform', { value: ${JSON.stringify(platform)} })\n`)
  return f
}

test('the loader loads the binary built in this checkout', async (t) => {
  const r = await requireIn(LOAD)
  t.is(r.code, 0, r.stderr)
  for (const name of ['NativeConn', 'NativeMonitor', 'NativeRawConn', 'netnsCall']) t.true(r.stdout.trim().split(',').includes(name), name)
})

for (const platform of ['darwin', 'win32']) {
  test(`importing on ${platform} throws at once: nlkit needs Linux, and the platform it saw`, async (t) => {
    const r = await requireIn(LOAD, [fakePlatform(platform)])
    t.not(r.code, 0)
    t.regex(r.stderr, /Error: nlkit needs Linux/)
    t.regex(r.stderr, new RegExp(`this is ${platform} \\(${process.arch}\\)`))
  })
}

test('on Linux without the binary the error names the package to install, not wasm targets', async (t) => {
  // A copy of the loader in a folder with no binary and no node_modules.
  const dir = join(tmp, 'empty')
  mkdirSync(dir, { recursive: true })
  for (const f of ['load.cjs', 'platform.cjs']) copyFileSync(join(ROOT, f), join(dir, f))
  const pkg = target().pkg
  const r = await requireIn(join(dir, 'load.cjs'))
  t.not(r.code, 0)
  t.true(r.stderr.includes(`Install the package ${pkg}`), r.stderr)
  t.true(r.stderr.includes(`npm install ${pkg}`))
  t.notRegex(r.stderr, /wasm|wasi/i)
})

test('the package names of the four targets', (t) => {
  t.is(packageName('x64', 'gnu'), 'nlkit-linux-x64-gnu')
  t.is(packageName('arm64', 'musl'), 'nlkit-linux-arm64-musl')
  t.is(target('linux', 'arm64', { glibcVersionRuntime: '2.36' }).pkg, 'nlkit-linux-arm64-gnu')
  t.is(target('linux', 'x64', { glibcVersionRuntime: '2.17' }).file, 'nlkit.linux-x64-gnu.node')
  t.throws(() => target('linux', 'ia32', {}), { message: /no binary for Linux on ia32/ })
  t.throws(() => target('freebsd', 'x64', {}), { message: /nlkit needs Linux.*this is freebsd \(x64\)/ })
})

test("glibc or musl: from the report header, else from musl's loader in /lib", (t) => {
  const none = join(tmp, 'lib-none')
  const musl = join(tmp, 'lib-musl')
  mkdirSync(none, { recursive: true })
  mkdirSync(musl, { recursive: true })
  writeFileSync(join(musl, 'ld-musl-x86_64.so.1'), '')
  t.is(libcOf({ glibcVersionRuntime: '2.41' }, musl), 'gnu', 'the report wins over /lib')
  t.is(libcOf({}, musl), 'musl')
  t.is(libcOf({}, none), 'musl', 'a report without glibc is a musl (or static) Node')
  t.is(libcOf(null, musl), 'musl')
  t.is(libcOf(null, none), 'gnu', 'no report and no musl loader: glibc')
  t.is(libcOf(null, join(tmp, 'missing')), 'gnu')
  // This process: the answer agrees with its own report.
  const glibc = typeof process.report.getReport().header.glibcVersionRuntime === 'string'
  t.is(target().triple.endsWith(glibc ? '-gnu' : '-musl'), true)
})
