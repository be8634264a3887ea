// Veth pairs, the links most tests work on; each is deleted in teardown (which also removes the
// peer and every route through them).

import * as nl from '../../index.js'
import { ipDo, ipLink, ipTry } from './oracle.mjs'

function configure(t, a, b, { noLinkLocal, up }) {
  t.teardown(() => {
    ipTry(['link', 'del', 'dev', a])
  })
  if (noLinkLocal) {
    // No IPv6 link-local address (it would change from tentative to permanent under our feet,
    // and produce address events of its own).
    ipDo(['link', 'set', 'dev', a, 'addrgenmode', 'none'])
    ipDo(['link', 'set', 'dev', b, 'addrgenmode', 'none'])
  }
  if (up) {
    ipDo(['link', 'set', 'dev', a, 'up'])
    ipDo(['link', 'set', 'dev', b, 'up'])
  }
  return { a, b, ia: ipLink(a).ifindex, ib: ipLink(b).ifindex }
}

/**
 * Creates a veth pair with nlkit (or with `ip` when opts.via === 'ip').
 * opts.noLinkLocal: no IPv6 link-local addresses; opts.up: both ends up.
 */
export async function veth(t, a, b, opts = {}) {
  if (opts.via === 'ip') ipDo(['link', 'add', 'name', a, 'type', 'veth', 'peer', 'name', b])
  else await nl.linkAddVeth(a, b)
  return configure(t, a, b, { noLinkLocal: opts.noLinkLocal, up: opts.up })
}

/**
 * Creates a veth pair with `ip`, synchronously (the event tests: nlkit is what is observed, not
 * what makes the change). opts.up: both ends up; opts.noLinkLocal (default true): no automatic
 * IPv6 link-local addresses (they would produce addr events of their own).
 */
export function ipVeth(t, a, b, { up = false, noLinkLocal = true } = {}) {
  ipDo(['link', 'add', 'name', a, 'type', 'veth', 'peer', 'name', b])
  return configure(t, a, b, { noLinkLocal, up })
}
