'use strict'
// Which nlkit binary this process needs: pure functions of the platform, the CPU and the C
// library, kept apart from load.cjs so that they can be checked without loading anything.

const { readdirSync } = require('node:fs')

/** The CPUs nlkit ships binaries for, by Node's `process.arch`. */
const ARCHES = { x64: 'x64', arm64: 'arm64' }

/**
 * 'gnu' or 'musl'. A glibc-linked Node names its glibc in the report header
 * (glibcVersionRuntime); a musl one does not. Without a report, musl's dynamic loader
 * (/lib/ld-musl-<arch>.so.1) is the sign.
 */
function libcOf(header, libDir = '/lib') {
  if (header && typeof header.glibcVersionRuntime === 'string') return 'gnu'
  let musl = false
  try {
    musl = readdirSync(libDir).some((f) => f.startsWith('ld-musl-'))
  } catch {}
  if (musl) return 'musl'
  // A report without glibc and no musl loader in /lib: trust the report (musl, e.g. a
  // static Node); no report at all: glibc, by far the common case.
  return header ? 'musl' : 'gnu'
}

/** The running Node's report header, or null (process.report is missing in some embedders). */
function reportHeader() {
  try {
    if (!process.report || typeof process.report.getReport !== 'function') return null
    // The network part of a report can block on DNS; the header is all that is needed. The
    // setting is the application's: it is put back as it was.
    const excluded = process.report.excludeNetwork
    process.report.excludeNetwork = true
    try {
      return process.report.getReport().header
    } finally {
      process.report.excludeNetwork = excluded
    }
  } catch {
    return null
  }
}

/** The suffix of the platform package and of the .node file: linux-x64-gnu and the like. */
function triple(arch, libc) {
  return `linux-${arch}-${libc}`
}

/** The npm package that holds the binary for this CPU and C library. */
function packageName(arch, libc) {
  return `nlkit-${triple(arch, libc)}`
}

/**
 * What the running process needs: { triple, pkg, file } or throws an Error saying why nlkit
 * cannot run here (not Linux, or a CPU nlkit has no binary for).
 */
function target(platform = process.platform, arch = process.arch, header) {
  if (platform !== 'linux') {
    throw new Error(
      `nlkit needs Linux: it speaks netlink, a Linux kernel interface, and this is ${platform} (${arch}). ` +
        'It installs on other platforms so that a project can depend on it, but it only runs on Linux (x64 or arm64, glibc or musl).',
    )
  }
  const cpu = ARCHES[arch]
  if (!cpu) throw new Error(`nlkit has no binary for Linux on ${arch}: it is built for x64 and arm64 only.`)
  const libc = libcOf(header === undefined ? reportHeader() : header)
  const t = triple(cpu, libc)
  return { triple: t, pkg: packageName(cpu, libc), file: `nlkit.${t}.node` }
}

module.exports = { libcOf, target, packageName }
