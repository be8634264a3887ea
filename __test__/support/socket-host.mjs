// Run inside a test's namespace (`ip netns exec NS node socket-host.mjs ...`) by sockets.mjs: owns
// the sockets the sock_diag tests list and destroy, so they live in that namespace only.
//   argv: ADDRESS (TCP/UDP, IPv4 or IPv6) COUNT (TCP clients) UNIXPATH
// Prints one JSON line per event: {event:'ready', pid, port, clients:[local ports], udpPort}, then
// {event:'error', sport, code} when a client socket fails (a destroy).

import dgram from 'node:dgram'
import net from 'node:net'

const [addr, countText, unixPath] = process.argv.slice(2)
const count = Number(countText)
const out = (o) => process.stdout.write(`${JSON.stringify(o)}\n`)
const accepted = []
const server = net.createServer((s) => {
  s.on('error', () => {})
  accepted.push(s)
})
server.listen({ port: 0, host: addr, backlog: 2048 }, async () => {
  const port = server.address().port
  const clients = []
  // In batches: a listener's backlog overflowing would make connects retry for seconds.
  for (let i = 0; i < count; i += 100) {
    const batch = []
    for (let j = i; j < Math.min(count, i + 100); j++) {
      const c = net.connect(port, addr)
      c.on('error', (e) => out({ event: 'error', sport: c.localPort ?? c._sport, code: e.code }))
      batch.push(
        new Promise((resolve) =>
          c.once('connect', () => {
            c._sport = c.localPort
            resolve(c)
          }),
        ),
      )
    }
    clients.push(...(await Promise.all(batch)))
  }
  // Accepted too, so every socket has its inode (one still in the accept queue has none).
  while (accepted.length < count) await new Promise((r) => setTimeout(r, 5))
  const udp = dgram.createSocket(addr.includes(':') ? 'udp6' : 'udp4')
  udp.bind(0, addr, () => {
    const unix = net
      .createServer(() => {})
      .listen(unixPath, () => {
        out({ event: 'ready', pid: process.pid, port, clients: clients.map((c) => c.localPort), udpPort: udp.address().port })
      })
    process.stdin.on('end', () => {
      unix.close()
      process.exit(0)
    })
    process.stdin.resume()
  })
})
