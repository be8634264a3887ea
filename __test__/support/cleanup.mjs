// Removing what a test made, in its teardown (also when an assertion failed), so that the
// shared namespace holds only what running tests own.

import { ipTry } from './oracle.mjs'

/** Deletes link `name` in teardown (if it still exists); returns the name. */
export function delLinkAfter(t, name) {
  t.teardown(() => {
    ipTry(['link', 'del', 'dev', name])
  })
  return name
}

/** Flushes route table `table` (IPv4 and IPv6) in teardown; returns the table. */
export function flushTableAfter(t, table) {
  t.teardown(() => {
    ipTry(['-4', 'route', 'flush', 'table', table])
    ipTry(['-6', 'route', 'flush', 'table', table])
  })
  return table
}
