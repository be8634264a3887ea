// Two "hosts" (network namespaces) joined by a veth pair, configured entirely with nlkit, then a
// real TCP exchange between them: a server started inside the second namespace with
// `ip netns exec`, a client connecting from the first.
//
//   bash .ci/in-netns.sh node examples/two-hosts.mjs      (root; leaves nothing behind)
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { open, netnsCreate, netnsDelete } from 'nlkit'

const [A, B] = ['nlkit-host-a', 'nlkit-host-b']
await netnsCreate(A)
await netnsCreate(B)
const a = open({ netns: A })
const b = open({ netns: B })
let server
try {
  // One veth pair: eth0 stays in A, its peer is created directly inside B.
  await a.linkAdd({ kind: 'veth', name: 'eth0', peer: { name: 'eth0', netns: B } })
  for (const [host, addr, peerAddr] of [
    [a, '10.77.0.1/24', '10.77.1.2'],
    [b, '10.77.1.2/24', '10.77.0.1'],
  ]) {
    await host.linkSetUp('lo')
    await host.linkSetUp('eth0')
    await host.addrAdd('eth0', addr)
    // Each host reaches the other's subnet through eth0 (on-link: they share the wire).
    await host.routeAdd({ dst: `${peerAddr.split('.').slice(0, 3).join('.')}.0/24`, dev: 'eth0' })
  }
  for (const [name, host] of [
    [A, a],
    [B, b],
  ]) {
    const addrs = await host.addrList({ family: 4 })
    const routes = await host.routeList({ family: 4 })
    console.log(
      `${name}: ${addrs.map((x) => `${x.link} ${x.cidr}`).join(', ')} | routes: ${routes.map((r) => `${r.dst} dev ${r.dev}`).join(', ')}`,
    )
  }

  // A TCP server inside B, started the way an operator would: `ip netns exec`.
  const code = `require('net').createServer(s => s.on('data', d => s.end('pong: ' + d))).listen(7777, '10.77.1.2', () => console.log('ready'))`
  server = spawn('ip', ['netns', 'exec', B, process.execPath, '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] })
  await once(server.stdout, 'data')

  // The client runs inside A (this process stays where it is; so does every Node thread).
  const client = spawn(
    'ip',
    [
      'netns',
      'exec',
      A,
      process.execPath,
      '-e',
      `const c = require('net').connect(7777, '10.77.1.2', () => c.write('ping')); c.on('data', d => { console.log(String(d)); c.end() })`,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  )
  const [exit] = await once(client, 'exit')
  if (exit !== 0) throw new Error(`client exited with ${exit}`)
  console.log('TCP between the two namespaces works')
} finally {
  server?.kill()
  a.close()
  b.close()
  await netnsDelete(A)
  await netnsDelete(B)
}
