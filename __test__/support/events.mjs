// Helpers of the event-subscription tests (__test__/events-*.test.mjs): a collector that keeps
// every event so a test can wait for a particular one, identities of objects in events and in
// ip's JSON, descriptor and thread counts, and the lock that keeps the 100,000-route bursts away
// from the other events files. `ip` (oracle.mjs) makes the changes and is the oracle.
//
// The whole ava run shares one private network namespace and test files run in parallel, so each
// events file filters what its subscriptions see down to its own objects (its names, addresses and
// tables: registry.mjs).

import { mkdirSync, readdirSync, readlinkSync, rmdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sleep, waitFor } from './wait.mjs'

/** Single events normally arrive within milliseconds; this only stops a hang. */
export const EVENT_GUARD = 15000

/** Polls `fn` until it returns a truthy value; throws after `timeout` ms (a hang guard only).
 * `what` (a string, or a function giving one) describes the condition in the error. */
export function poll(fn, { timeout = EVENT_GUARD, interval = 20, what = 'condition' } = {}) {
  return waitFor(fn, { timeout, interval, what })
}

/** A one-line description of an event, for failure messages. */
export function describeEvent(ev) {
  if (!ev) return String(ev)
  const ex = ev.existing ? ' existing' : ''
  switch (ev.type) {
    case 'link':
      return `link ${ev.action}${ex} ${ev.link.name}#${ev.link.index} up=${ev.link.up}`
    case 'addr':
      return `addr ${ev.action}${ex} ${ev.address.cidr} dev ${ev.address.link ?? ev.address.index}`
    case 'route': {
      const r = ev.route
      return `route ${ev.action}${ex} ${r.dst}${r.gateway ? ` via ${r.gateway}` : ''} dev ${r.dev ?? r.oif} table ${r.table} ${r.type}`
    }
    case 'neigh':
      return `neigh ${ev.action}${ex} ${ev.neigh.dst} dev ${ev.neigh.dev ?? ev.neigh.index} ${ev.neigh.state}`
    case 'rule':
      return `rule ${ev.action}${ex} from ${ev.rule.from ?? 'all'} table ${ev.rule.table} pref ${ev.rule.priority}`
    default:
      return ev.type
  }
}

/**
 * Consumes a subscription in the background, keeping every event, so tests can wait for a
 * particular one. `waitFor` looks at events already received (from index `from`) and then at
 * new ones.
 */
export class Collector {
  events = []
  done = false
  error = undefined
  #waiters = new Set()

  constructor(sub, { onEvent } = {}) {
    this.sub = sub
    this.finished = (async () => {
      try {
        for await (const ev of sub) {
          this.events.push(ev)
          onEvent?.(ev)
          this.#check()
        }
      } catch (e) {
        this.error = e
      } finally {
        this.done = true
        this.#check()
      }
    })()
  }

  #check() {
    for (const w of this.#waiters) w()
  }

  /** Resolves with the first event (at index >= from) matching pred; rejects after `timeout`. */
  waitFor(pred, { timeout = EVENT_GUARD, what = 'an event', from = 0 } = {}) {
    return new Promise((resolve, reject) => {
      let i = from
      const scan = () => {
        for (; i < this.events.length; i++) {
          if (pred(this.events[i])) {
            finish()
            resolve(this.events[i])
            return true
          }
        }
        if (this.done) {
          finish()
          reject(new Error(`subscription ended (${this.error ?? 'closed'}) before ${what}; ${this.summary()}`))
          return true
        }
        return false
      }
      const timer = setTimeout(() => {
        finish()
        reject(new Error(`no ${what} within ${timeout} ms; ${this.summary()}`))
      }, timeout)
      const finish = () => {
        clearTimeout(timer)
        this.#waiters.delete(scan)
      }
      if (!scan()) this.#waiters.add(scan)
    })
  }

  /** Events (from index `from`) matching pred. */
  filter(pred, from = 0) {
    return this.events.slice(from).filter(pred)
  }

  summary() {
    const byType = {}
    for (const e of this.events) byType[e.type] = (byType[e.type] ?? 0) + 1
    const last = this.events.slice(-8).map(describeEvent)
    return `received ${this.events.length} events ${JSON.stringify(byType)}; last: [${last.join('; ')}]`
  }

  close() {
    this.sub.close()
    return this.finished
  }
}

// ---- which event --------------------------------------------------------------------------------

/** Event predicates for Collector.waitFor / filter: an event of this kind, object and action. */
export const isLink =
  (name, action, pred = () => true) =>
  (e) =>
    e.type === 'link' && e.link.name === name && e.action === action && pred(e.link)
export const isAddr = (cidr, action, ifindex) => (e) =>
  e.type === 'addr' && e.address.cidr === cidr && e.action === action && e.address.index === ifindex
export const isRoute = (dst, table, action) => (e) =>
  e.type === 'route' && e.route.dst === dst && e.route.table === table && e.action === action
export const isNeigh = (dst, ifindex, action) => (e) =>
  e.type === 'neigh' && e.neigh.dst === dst && e.neigh.index === ifindex && e.action === action
export const isRule = (priority, action) => (e) => e.type === 'rule' && e.rule.priority === priority && e.action === action

/** Subscribes and collects; the subscription is closed in teardown. */
export function collect(t, nl, groups, opts) {
  const c = new Collector(nl.subscribe(groups, opts))
  t.teardown(() => c.close())
  return c
}

// ---- identities of objects (in events and in ip's JSON) --------------------------------------

const TABLE_NAMES = { default: 253, main: 254, local: 255 }

/** The table number of an `ip -j route` entry (ip omits "table" for main unless told otherwise). */
export function ipTable(r, fallback = 254) {
  if (r.table === undefined) return fallback
  return TABLE_NAMES[r.table] ?? Number(r.table)
}

/** Identity of a route (what distinguishes two routes in a listing). */
export function routeId({ family, table, type, dst, dev, metric, gateway, prefsrc }) {
  return [family, table, type, dst, dev ?? '-', metric ?? 0, gateway ?? '-', prefsrc ?? '-'].join('|')
}

/** The same identity from an `ip -j -d route show table all` entry. */
export function ipRouteId(r, family) {
  return routeId({
    family,
    table: ipTable(r),
    type: r.type ?? 'unicast',
    dst: r.dst,
    dev: r.dev,
    metric: r.metric,
    gateway: r.gateway,
    prefsrc: r.prefsrc,
  })
}

export const addrId = (index, address, prefixLen) => `${index}|${address}/${prefixLen}`
export const linkId = (index, name) => `${index}|${name}`

/** Open file descriptors of this process. */
export const fdCount = () => readdirSync('/proc/self/fd').length
/** Threads of this process. */
export const threadCount = () => readdirSync('/proc/self/task').length

// ---- keeping the 100,000-route bursts away from the other events files -------------------------
//
// A burst reaches every subscriber to route events in the namespace (about 70 MB of
// notifications, more than a default 32 MiB socket holds), so events-burst.test.mjs takes this
// lock exclusively and the other events files take it shared: ava runs files in parallel
// processes, and their subscriptions would otherwise overflow during a burst and miss the events
// they wait for. The lock lives in a directory named after this network namespace, so separate
// runs in separate namespaces do not wait for each other. Markers of dead processes are ignored.

const LOCK_DIR = join(tmpdir(), `nlkit-events-lock-${readlinkSync('/proc/self/ns/net').replace(/\D/g, '')}`)
const LOCK_GUARD = 10 * 60 * 1000

function alive(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return e.code === 'EPERM'
  }
}

function holders(kind) {
  let files = []
  try {
    files = readdirSync(LOCK_DIR)
  } catch {
    // no directory: nobody holds the lock
  }
  return files.map((f) => f.split('-')).filter(([k, pid]) => k === kind && Number(pid) !== process.pid && alive(Number(pid)))
}

/** Takes the events lock for this file: `exclusive` for the burst file, shared otherwise. */
export async function eventsLock({ exclusive = false } = {}) {
  const mine = join(LOCK_DIR, `${exclusive ? 'writer' : 'reader'}-${process.pid}`)
  const mark = () => {
    for (;;) {
      mkdirSync(LOCK_DIR, { recursive: true })
      try {
        writeFileSync(mine, '')
        return
      } catch (e) {
        if (e.code !== 'ENOENT') throw e // else the last one out just removed the directory
      }
    }
  }
  const end = Date.now() + LOCK_GUARD
  for (;;) {
    if (exclusive) {
      mark()
      if (holders('reader').length === 0 && holders('writer').length === 0) break
    } else {
      if (holders('writer').length === 0) {
        mark()
        if (holders('writer').length === 0) break
        rmSync(mine, { force: true }) // a writer came in meanwhile: let it go first
      }
    }
    if (Date.now() > end) break // never hang the run on the lock
    await sleep(100)
  }
  return () => {
    rmSync(mine, { force: true })
    try {
      rmdirSync(LOCK_DIR) // the last one out removes the directory
    } catch {
      // not empty, or already gone
    }
  }
}
