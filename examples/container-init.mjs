// What a container's init does to its network, with nlkit, in a throwaway network namespace:
// lo up, a veth pair, eth0 = 172.17.0.3/16, default route via 172.17.0.1; then it prints the
// result as tables and proves 127.0.0.1 works with a real TCP connection.
//
//   npm run demo          (builds, then runs this inside `unshare -n`)
import net from 'node:net'
import { once } from 'node:events'
import { linkList, linkSetUp, linkAddVeth, addrAdd, addrList, routeAddDefault, routeList } from 'nlkit'

const before = await linkList()
if (before.some((l) => l.name !== 'lo')) {
  console.error('This demo changes interfaces: run it in a fresh network namespace (npm run demo).')
  process.exit(1)
}

await linkSetUp('lo') // a fresh netns: lo already has 127.0.0.1/8, it only needs UP
await linkAddVeth('eth0', 'veth-host') // the host end would normally move to the host's namespace
await linkSetUp('veth-host')
await linkSetUp('eth0')
await addrAdd('eth0', '172.17.0.3/16')
await routeAddDefault('172.17.0.1', { dev: 'eth0' })

console.log('Links')
console.table(
  (await linkList()).map((l) => ({
    index: l.index,
    name: l.name,
    kind: l.kind ?? '',
    state: l.operstate,
    mtu: l.mtu,
    address: l.address,
    peer: l.link ?? '',
  })),
)
console.log('Addresses')
console.table((await addrList()).map((a) => ({ link: a.link, cidr: a.cidr, scope: a.scope, flags: a.flags.join(' ') })))
console.log('Routes (main table)')
console.table(
  (await routeList({ family: 4 })).map((r) => ({
    dst: r.dst,
    gateway: r.gateway ?? '',
    dev: r.dev,
    protocol: r.protocol,
    scope: r.scope,
    src: r.prefsrc ?? '',
  })),
)

// A real connection over loopback: a server on 127.0.0.1 and a client talking to it.
const server = net.createServer((s) => s.end('hello from 127.0.0.1\n'))
server.listen(0, '127.0.0.1')
await once(server, 'listening')
const client = net.connect(server.address().port, '127.0.0.1')
let reply = ''
client.on('data', (d) => (reply += d))
await once(client, 'end')
server.close()
console.log(`TCP over loopback: ${reply.trim()}`)
