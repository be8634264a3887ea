// The workloads on the npm package `netlink` (0.3.x, mildsunrise/node_netlink): its RtNetlinkSocket,
// link looked up once, raw rtmsg/ifaddrmsg fields and Buffer attributes, as its README shows.
//
//   node netlink-npm.mjs W1 n=10000 dev=veth0     N awaited newRoute calls
//   node netlink-npm.mjs W2 n=100000 window=128   N newRoute calls, `window` in flight
//   node netlink-npm.mjs W3                       getRoutes({ family: AF_INET }), main-table ones kept
//   node netlink-npm.mjs W4 n=5000                N awaited newAddress calls
//   node netlink-npm.mjs W5 k=10                  getLinks(), k times
//   node netlink-npm.mjs W6 n=100000              addMembership('IPV4_ROUTE'), count route messages
import { createRequire } from 'node:module'
import { performance } from 'node:perf_hooks'
import { parseArgs, ip4Bytes, ROUTE_BASE, ADDR_BASE, result, fail, windowed, subscriberProtocol } from './common.mjs'

// Installed by tools/peers.mjs into bench/.peers/npm (not a devDependency of nlkit).
const require = createRequire(new URL('../.peers/npm/package.json', import.meta.url))
const { createRtNetlink, FlagsNew } = require('netlink')

const a = parseArgs()
const n = Number(a.n ?? 10000)
const devName = a.dev ?? 'veth0'
const AF_INET = 2
const NEW = { flags: FlagsNew.CREATE | FlagsNew.EXCL }

async function main() {
  const s = createRtNetlink()
  const index = async () => {
    const links = await s.getLinks()
    const l = links.find((x) => x.attrs.ifname === devName)
    if (!l) throw new Error(`no link ${devName}`)
    return l.data.index
  }
  const route = (oif, i) =>
    s.newRoute(
      { family: AF_INET, dstLen: 32, table: 254, protocol: 'BOOT', scope: 'LINK', type: 'UNICAST' },
      { dst: ip4Bytes(ROUTE_BASE, i), oif },
      NEW,
    )
  switch (a.w) {
    case 'W1': {
      const oif = await index()
      const t = performance.now()
      for (let i = 0; i < n; i++) await route(oif, i)
      result({ ms: performance.now() - t, n })
      break
    }
    case 'W2': {
      const oif = await index()
      const window = Number(a.window ?? 128)
      const t = performance.now()
      await windowed(n, window, (i) => route(oif, i))
      result({ ms: performance.now() - t, n, window })
      break
    }
    case 'W3': {
      const t = performance.now()
      const all = await s.getRoutes({ family: AF_INET })
      const routes = all.filter((r) => (r.attrs.table ?? r.data.table) === 254)
      result({ ms: performance.now() - t, n: routes.length })
      break
    }
    case 'W4': {
      const idx = await index()
      const t = performance.now()
      for (let i = 0; i < n; i++) {
        const ip = ip4Bytes(ADDR_BASE, i)
        await s.newAddress({ family: AF_INET, prefixlen: 32, index: idx }, { local: ip, address: ip }, NEW)
      }
      result({ ms: performance.now() - t, n })
      break
    }
    case 'W5': {
      const k = Number(a.k ?? 10)
      let links
      const t = performance.now()
      for (let j = 0; j < k; j++) links = await s.getLinks()
      result({ ms: (performance.now() - t) / k, n: links.length, k })
      break
    }
    case 'W6': {
      let events = 0
      let errors = 0
      s.addMembership('IPV4_ROUTE')
      s.on('message', (msgs) => {
        for (const m of msgs) if (m.kind === 'route') events++
      })
      s.socket.on('error', () => errors++)
      subscriberProtocol({
        target: n,
        quietMs: Number(a.quiet ?? 1000),
        count: () => events,
        stop: () => s.socket.close(),
        extra: () => ({ overflows: errors }),
      })
      return // the subscriber protocol exits the process
    }
    default:
      throw new Error(`unknown workload ${a.w}`)
  }
  s.socket.close()
}

main().catch(fail)
