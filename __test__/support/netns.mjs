// Named network namespaces for one test (created with nlkit's netnsCreate, deleted in teardown),
// connections inside them, and processes living in them.

import { spawn } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import * as nl from '../../index.js'
import { ipTry } from './oracle.mjs'
import { waitFor } from './wait.mjs'

/** A named namespace created with nlkit's netnsCreate, deleted in teardown (with `ip` as a fallback). */
export async function netns(t, name) {
  await nl.netnsCreate(name)
  t.teardown(async () => {
    try {
      await nl.netnsDelete(name)
    } catch {
      ipTry(['netns', 'del', name])
    }
  })
  return name
}

/** A named namespace and an nlkit connection inside it (closed in teardown, before the namespace goes). */
export async function nsConn(t, name) {
  await netns(t, name)
  const c = nl.open({ netns: name })
  t.teardown(() => c.close())
  return c
}

/** The nsfs inode of a namespace file (`/run/netns/X`, `/proc/PID/ns/net`). */
export function nsIno(path) {
  return statSync(path).ino
}

/**
 * A process (`sleep`) living inside namespace NS, started with `ip netns exec`; resolves once it
 * really is in there. Killed in teardown.
 */
export async function processIn(t, ns) {
  const child = spawn('ip', ['netns', 'exec', ns, 'sleep', '60'], { stdio: 'ignore' })
  t.teardown(() => {
    child.kill('SIGKILL')
  })
  const want = nsIno(`/run/netns/${ns}`)
  await waitFor(
    () => {
      try {
        return existsSync(`/proc/${child.pid}`) && nsIno(`/proc/${child.pid}/ns/net`) === want
      } catch {
        return false
      }
    },
    { what: `process in ${ns}` },
  )
  return child
}
