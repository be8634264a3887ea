#!/usr/bin/env node
// The `nlkit` command (package.json "bin"): the code is in src/cli/, compiled by tsc.
'use strict'

require('./src/cli/main.js')
  .main(process.argv.slice(2))
  .then((status) => {
    // exitCode, not exit(): what was written to a pipe is flushed first.
    process.exitCode = status
  })
