// Module shape: ESM named imports of the CommonJS build, require() through createRequire, and
// the package's own name ('nlkit', self-reference through package.json "exports").

import test from 'ava'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import * as esm from '../index.js'
import {
  linkList,
  linkGet,
  linkSetUp,
  linkSetDown,
  linkAddVeth,
  linkDel,
  addrAdd,
  addrReplace,
  addrDel,
  addrList,
  routeAdd,
  routeReplace,
  routeDel,
  routeList,
  routeGet,
  routeAddDefault,
  routeDelDefault,
  open,
  Netlink,
  NetlinkError,
} from '../index.js'
import { owned } from './support/registry.mjs'

const own = owned('module') // a name of its own that no link has
const require = createRequire(import.meta.url)
const cjs = require('../index.js')

const FUNCTIONS = {
  linkList,
  linkGet,
  linkSetUp,
  linkSetDown,
  linkAddVeth,
  linkDel,
  addrAdd,
  addrReplace,
  addrDel,
  addrList,
  routeAdd,
  routeReplace,
  routeDel,
  routeList,
  routeGet,
  routeAddDefault,
  routeDelDefault,
  open,
}

test('ESM named imports and createRequire(...)("../index.js") expose the same functions', (t) => {
  for (const [n, f] of Object.entries(FUNCTIONS)) {
    t.is(typeof f, 'function', `${n} is a function (ESM named import)`)
    t.is(cjs[n], f, `${n}: require() and import give the same function`)
    t.is(esm[n], f)
  }
  t.is(typeof Netlink, 'function')
  t.is(cjs.Netlink, Netlink)
  t.is(cjs.NetlinkError, NetlinkError)
  t.true(NetlinkError.prototype instanceof Error)
  // Every CommonJS export is importable by name, and nothing else is.
  const cjsNames = Object.keys(cjs)
    .filter((k) => k !== '__esModule')
    .sort()
  // Node 24+ adds a 'module.exports' key to the namespace of a CommonJS module.
  const esmNames = Object.keys(esm)
    .filter((k) => k !== 'default' && k !== '__esModule' && k !== 'module.exports')
    .sort()
  t.deepEqual(esmNames, cjsNames)
  t.is(esm.default, cjs, 'the default export is module.exports')
  t.is(require.resolve('../index.js'), fileURLToPath(new URL('../index.js', import.meta.url)))
})

test('the package name resolves to the same module from ESM and CommonJS', async (t) => {
  const byName = await import('nlkit')
  const byNameCjs = require('nlkit')
  t.is(byNameCjs, cjs, "require('nlkit') is ../index.js")
  for (const [n, f] of Object.entries(FUNCTIONS)) {
    t.is(byName[n], f, `import('nlkit').${n}`)
  }
  t.is(byName.NetlinkError, NetlinkError)
})

test('imported and required functions work against the kernel and agree', async (t) => {
  const [a, b] = await Promise.all([linkList(), cjs.linkList()])
  t.true(a.some((l) => l.name === 'lo'))
  t.deepEqual(a.map((l) => l.index).includes(1), b.map((l) => l.index).includes(1))
  const lo = await cjs.linkGet('lo')
  t.is(lo.index, 1)
  const e = await t.throwsAsync(linkGet(`${own.prefix}nosuch0`))
  t.true(e instanceof cjs.NetlinkError, "errors from one are instances of the other's class")
  t.is(e.code, 'ENODEV')
  const c = cjs.open()
  t.true(c instanceof Netlink)
  c.close()
})
