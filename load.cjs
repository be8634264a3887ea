'use strict'
// nlkit's binary loader, in place of napi's generated native.cjs (whose failure message lists
// wasm targets nlkit does not build and does not name the package to install). It loads, in
// order: a binary built in this checkout (./nlkit.linux-*.node, `npm run build`), then the
// platform package npm installed as an optional dependency (nlkit-linux-<arch>-<libc>).

const { join } = require('node:path')
const { target } = require('./platform.cjs')

function load() {
  const t = target()
  const local = join(__dirname, t.file)
  if (require('node:fs').existsSync(local)) return require(local)
  try {
    return require(t.pkg)
  } catch (e) {
    if (e && e.code === 'MODULE_NOT_FOUND' && String(e.message).includes(t.pkg)) {
      throw new Error(
        `nlkit: the binary for this platform (${t.triple}) is not installed. Install the package ${t.pkg} ` +
          `(npm install ${t.pkg}); npm installs it with nlkit unless optional dependencies are turned off ` +
          '(--omit=optional, --no-optional) or the lock file was made on another platform.',
        { cause: e },
      )
    }
    throw e
  }
}

module.exports = load()
