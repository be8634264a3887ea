// lo in the fresh namespace: linkSetUp('lo') makes 127.0.0.1 reachable. The ONLY file that
// changes lo (other files only read it): its entry in support/registry.mjs claims it.

import test from 'ava'
import net from 'node:net'
import { once } from 'node:events'
import { linkSetUp, linkGet } from '../index.js'
import { ip } from './support/oracle.mjs'
import { waitFor } from './support/wait.mjs'
import { owned } from './support/registry.mjs'

owned('links-loopback') // lo and 127.0.0.0/8

test('linkSetUp("lo") brings loopback up and 127.0.0.1 carries a TCP exchange', async (t) => {
  await linkSetUp('lo')

  const [lo] = ip('link show dev lo')
  t.true(lo.flags.includes('UP'), `ip shows lo UP: ${lo.flags}`)
  t.true(lo.flags.includes('LOOPBACK'))
  // The kernel adds 127.0.0.1/8 to lo as it comes up.
  const addrs = await waitFor(
    () => {
      const [a] = ip('-4 addr show dev lo')
      return a.addr_info.some((x) => x.local === '127.0.0.1') && a.addr_info
    },
    { what: '127.0.0.1 on lo' },
  )
  t.truthy(addrs.find((x) => x.local === '127.0.0.1' && x.prefixlen === 8 && x.scope === 'host'))

  const mine = await linkGet('lo')
  t.is(mine.index, lo.ifindex)
  t.true(mine.up)
  t.deepEqual(mine.flags, lo.flags)

  // A real TCP server on 127.0.0.1, port chosen by the kernel.
  const server = net.createServer((sock) => {
    sock.on('data', (d) => sock.end(Buffer.concat([Buffer.from('echo:'), d])))
  })
  t.teardown(() => server.close())
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address()

  const client = net.connect({ host: '127.0.0.1', port })
  await once(client, 'connect')
  t.is(client.remoteAddress, '127.0.0.1')
  client.end('hello over lo')
  const chunks = []
  for await (const c of client) chunks.push(c)
  t.is(Buffer.concat(chunks).toString(), 'echo:hello over lo')

  // Setting an already-up link up again is fine.
  await linkSetUp(1)
  t.true(ip('link show dev lo')[0].flags.includes('UP'))
})
