// The name lists src/names.ts declares (`Record<Union, true>`) (the source of the API's string-literal unions:
// RouteType, Scope, ...) are exactly the names of the core's tables, in the core's order: a name
// added to crates/nlkit/src/rtnl/names.rs without the list (or the other way round) fails here.
// No kernel needed.

import test from 'ava'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const names = require('../src/names.js')
const { nameTables } = require('../native.cjs')
const core = JSON.parse(nameTables())

/** The core's names of table `name`, as names.ts keys them. */
function coreNames(name, f = (n) => n) {
  return [...new Set(core[name].map(([, n]) => f(n)))]
}

const CASES = [
  ['scopes', 'SCOPE_NAMES_LIST', 'SCOPES', (l) => [...l, 'universe']],
  ['tables', 'TABLE_NAMES_LIST', 'TABLES'],
  ['protocols', 'PROTOCOL_NAMES_LIST', 'PROTOCOLS'],
  ['routeTypes', 'ROUTE_TYPE_NAMES_LIST', 'ROUTE_TYPES'],
  ['prefs', 'PREF_NAMES_LIST', 'PREFS'],
  ['nudStates', 'NUD_NAMES_LIST', 'NUD', (l) => [...l.map((n) => n.toLowerCase()), 'none']],
  ['ntfFlags', 'NTF_NAMES_LIST', 'NTF'],
  ['ruleActions', 'RULE_ACTION_NAMES_LIST', 'RULE_ACTIONS', (l) => l.filter((n) => n !== 'unspec')],
  ['ipProtos', 'IP_PROTO_NAMES_LIST', 'IP_PROTOS'],
]

for (const [table, list, runtime, f = (l) => l] of CASES) {
  test(`${list} lists the core's ${table} names, and ${runtime} is keyed by exactly them`, (t) => {
    const expected = [...new Set(f(coreNames(table)))]
    t.true(expected.length > 1, `the core has a ${table} table`)
    t.deepEqual(Object.keys(names[list]).sort(), [...expected].sort())
    t.deepEqual(Object.keys(names[runtime]).sort(), Object.keys(names[list]).sort())
  })
}
