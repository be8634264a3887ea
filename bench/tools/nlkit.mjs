// The workloads on nlkit, through its public API only (the package's self-reference 'nlkit').
//
//   node nlkit.mjs W1 n=10000 dev=veth0 [ref=name|index]   N awaited routeAdd calls
//   node nlkit.mjs W2 n=100000 [mode=window|all] [window=1024]  N routeAdd calls, many in flight
//   node nlkit.mjs W3 [mode=list|stream]                     routeList({ family: 4 }) (main table), or
//                                                            routeListStream: batches, counted, let go
//   node nlkit.mjs W4 n=5000 [ref=name|index]                N awaited addrAdd calls
//   node nlkit.mjs W5 k=10                                   linkList(), k times
//   node nlkit.mjs W6 n=100000                               subscribe(['ipv4-route']), count events
//   node nlkit.mjs W7 n=10000 [window=1024]                  N u32 filterAdd calls, awaited one at a time
//                                                            (with window: that many in flight)
//   node nlkit.mjs W8                                        filterList({ dev, parent: '1:' })
//
// `ref=index` passes the link's index (looked up once, as the Go and Python peers do) instead of
// its name: the API accepts both. Prints one JSON line.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import * as nl from 'nlkit'
import { parseArgs, ip4, ROUTE_BASE, ADDR_BASE, result, fail, windowed, subscriberProtocol } from './common.mjs'
import { filterPrio } from '../workloads/common.mjs'

const a = parseArgs()
const n = Number(a.n ?? 10000)
const devName = a.dev ?? 'veth0'

async function devRef() {
  return a.ref === 'index' ? (await nl.linkGet(devName)).index : devName
}

async function main() {
  switch (a.w) {
    case 'W1': {
      const dev = await devRef()
      const t = performance.now()
      for (let i = 0; i < n; i++) await nl.routeAdd({ dst: `${ip4(ROUTE_BASE, i)}/32`, dev })
      return result({ ms: performance.now() - t, n })
    }
    case 'W2': {
      const dev = await devRef()
      const mode = a.mode ?? 'window'
      const window = Number(a.window ?? 1024)
      // Event-loop responsiveness during the run: the perf_hooks histogram, and our own 1 ms
      // interval's largest gap (which also sees a loop blocked for the whole run).
      const h = monitorEventLoopDelay({ resolution: 1 })
      h.enable()
      let last = performance.now()
      let maxGap = 0
      const probe = setInterval(() => {
        const now = performance.now()
        maxGap = Math.max(maxGap, now - last)
        last = now
      }, 1)
      const t = performance.now()
      if (mode === 'all') {
        await Promise.all(Array.from({ length: n }, (_, i) => nl.routeAdd({ dst: `${ip4(ROUTE_BASE, i)}/32`, dev })))
      } else {
        await windowed(n, window, (i) => nl.routeAdd({ dst: `${ip4(ROUTE_BASE, i)}/32`, dev }))
      }
      const ms = performance.now() - t
      maxGap = Math.max(maxGap, performance.now() - last)
      await new Promise((r) => setTimeout(r, 5)) // let the histogram record a delay that lasted until the end
      h.disable()
      clearInterval(probe)
      return result({
        ms,
        n,
        mode,
        window: mode === 'all' ? n : window,
        loopDelayMaxMs: Math.max(h.max / 1e6, maxGap - 1),
        loopDelayHistMaxMs: h.max / 1e6,
        loopDelayP99Ms: h.percentile(99) / 1e6,
      })
    }
    case 'W3': {
      if (a.mode === 'stream') {
        const t = performance.now()
        let count = 0
        for await (const batch of await nl.routeListStream({ family: 4 })) count += batch.length
        return result({ ms: performance.now() - t, n: count })
      }
      const t = performance.now()
      const routes = await nl.routeList({ family: 4 })
      return result({ ms: performance.now() - t, n: routes.length })
    }
    case 'W4': {
      const dev = await devRef()
      const t = performance.now()
      for (let i = 0; i < n; i++) await nl.addrAdd(dev, `${ip4(ADDR_BASE, i)}/32`)
      return result({ ms: performance.now() - t, n })
    }
    case 'W5': {
      const k = Number(a.k ?? 10)
      let links
      const t = performance.now()
      for (let j = 0; j < k; j++) links = await nl.linkList()
      return result({ ms: (performance.now() - t) / k, n: links.length, k })
    }
    case 'W6': {
      const sub = nl.subscribe(['ipv4-route'])
      let events = 0
      let overflows = 0
      subscriberProtocol({
        target: n,
        quietMs: Number(a.quiet ?? 1000),
        count: () => events,
        stop: () => sub.close(),
        extra: () => ({ overflows }),
      })
      for await (const ev of sub) {
        if (ev.type === 'route') {
          if (ev.action === 'new') events++
        } else if (ev.type === 'overflow') overflows++
      }
      return
    }
    case 'W7': {
      const dev = await devRef()
      const add = (i) =>
        nl.filterAdd({
          dev,
          parent: '1:',
          protocol: 'ip',
          pref: filterPrio(i),
          kind: 'u32',
          match: [{ ip: { dst: `${ip4(ROUTE_BASE, i)}/32` } }],
          flowid: '1:10',
        })
      const t = performance.now()
      if (a.window) await windowed(n, Number(a.window), add)
      else for (let i = 0; i < n; i++) await add(i)
      return result({ ms: performance.now() - t, n })
    }
    case 'W8': {
      const t = performance.now()
      const filters = await nl.filterList({ dev: devName, parent: '1:' })
      return result({ ms: performance.now() - t, n: filters.length })
    }
    default:
      throw new Error(`unknown workload ${a.w}`)
  }
}

main().catch(fail)
