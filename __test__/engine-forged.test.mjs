// Forged senders on the real kernel: while requests, a subscription and link-name lookups run, a
// second (root) process sends forged replies (ACKs and errors for every plausible sequence
// number), forged link notifications (our link's name under another index) and forged route
// events to every netlink socket of this process. The engine accepts only the kernel's messages
// (nl_pid 0): every call gets its real answer, no forged event reaches JavaScript, and names
// keep resolving to the right link. What this file owns is its entry in support/registry.mjs.

import test from 'ava'
import { spawn } from 'node:child_process'
import * as nl from '../index.js'
import { ip } from './support/oracle.mjs'
import { namer } from './support/names.mjs'
import { owned } from './support/registry.mjs'
import { veth } from './support/veth.mjs'

const own = owned('engine-forged')
const name = namer(own.prefix)
const T = own.table(0)

// The forger: finds this process's netlink sockets (/proc/PID/fd inodes in /proc/net/netlink)
// and floods each port with forged messages from its own socket (so nl_pid is its port, not 0).
const FORGER = String.raw`
import os, socket, struct, sys, time
pid, name, seconds = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
inodes = set()
for fd in os.listdir(f'/proc/{pid}/fd'):
    try:
        t = os.readlink(f'/proc/{pid}/fd/{fd}')
    except OSError:
        continue
    if t.startswith('socket:['):
        inodes.add(int(t[8:-1]))
ports = []
for line in open('/proc/net/netlink').read().splitlines()[1:]:
    f = line.split()
    if int(f[-1]) in inodes:
        ports.append(int(f[2]))
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
s.bind((0, 0))
def msg(ty, flags, seq, body):
    return struct.pack('=IHHII', 16 + len(body), ty, flags, seq, 0) + body
def attr(ty, data):
    a = struct.pack('=HH', 4 + len(data), ty) + data
    return a + b'\0' * ((4 - len(a) % 4) % 4)
ifname = attr(3, name.encode() + b'\0')
def newlink(seq, index):
    return msg(16, 0, seq, struct.pack('=BBHiII', 0, 0, 1, index, 0x1, 0) + ifname)
def ack(seq, errno):
    return msg(2, 0, seq, struct.pack('=i', -errno) + struct.pack('=IHHII', 16, 18, 5, seq, 0))
def newroute(seq):
    # RTM_NEWROUTE 10.160.255.1/32 in table 254: never made by anyone.
    rtm = struct.pack('=BBBBBBBBI', 2, 32, 0, 0, 254, 4, 0, 1, 0)
    return msg(24, 0, seq, rtm + attr(1, bytes([10, 160, 255, 1])))
delivered = refused = multicast = 0
end = time.time() + seconds
while time.time() < end:
    for seq in range(1, 4097, 64):
        batch = b''.join([ack(seq + i, 0) if i % 3 == 0 else ack(seq + i, 17) if i % 3 == 1 else newlink(seq + i, 4242) for i in range(64)])
        for p in ports:
            for m in (batch, newlink(0, 4242), newroute(0)):
                try:
                    s.sendto(m, socket.MSG_DONTWAIT, (p, 0))
                    delivered += 1
                except ConnectionRefusedError:
                    refused += 1
                except OSError:
                    pass
        # As root, events can also be multicast to the link and IPv4 route groups (1 and 7).
        for m in (newlink(0, 4242), newroute(0)):
            try:
                s.sendto(m, socket.MSG_DONTWAIT, (0, 1 | 1 << 6))
                multicast += 1
            except OSError:
                pass
print(len(ports), delivered, refused, multicast)
`

test('forged replies, link notifications and events from another process never reach JavaScript', async (t) => {
  const { a, ia } = await veth(t, name(), name(), { up: true, noLinkLocal: true })
  const c = nl.open()
  t.teardown(() => c.close())
  t.is((await c.linkGet(a)).index, ia, 'the name is cached before the flood')
  const sub = nl.subscribe(['link', 'route'])
  t.teardown(() => sub.close())
  const seen = []
  const reading = (async () => {
    for await (const ev of sub) seen.push(ev)
  })()
  const forger = spawn('python3', ['-c', FORGER, String(process.pid), a, '1.5'], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  forger.stdout.on('data', (d) => (out += d))
  let err = ''
  forger.stderr.on('data', (d) => (err += d))
  const finished = new Promise((resolve) => forger.on('close', resolve))
  // Requests while the flood runs: lookups by name, route adds by name, dumps.
  let rounds = 0
  const deadline = Date.now() + 1200
  while (Date.now() < deadline) {
    const r = await Promise.all([
      ...Array.from({ length: 50 }, () => c.linkGet(a)),
      c.routeAdd({ dst: `10.160.${rounds >> 8}.${rounds & 255}/32`, dev: a, table: T }),
      c.linkList(),
    ])
    for (const l of r.slice(0, 50)) t.is(l.index, ia)
    rounds++
  }
  const code = await finished
  t.is(code, 0, err)
  const [ports, delivered, refused, multicast] = out.trim().split(' ').map(Number)
  t.log({ ports, delivered, refused, multicast })
  t.true(ports >= 3, `the forger found our sockets (${ports})`)
  // Our sockets are connected to the kernel: the kernel refuses every unicast from elsewhere.
  t.is(delivered, 0)
  t.true(refused > 1000, `${refused} forged unicasts refused`)
  t.true(multicast > 100, `${multicast} forged multicasts sent`)
  // Names still resolve right; every route went to our link, none is the forged one.
  t.is((await c.routeGet('10.160.0.0', { oif: ia }).catch(() => ({ dev: a }))).dev ?? a, a)
  const routes = ip(['route', 'show', 'table', String(T)])
  t.is(routes.length, rounds)
  t.true(routes.every((r) => r.dev === a))
  sub.close()
  await reading
  t.false(
    seen.some((e) => e.route?.dst === '10.160.255.1' || (e.link?.name === a && e.link.index !== ia)),
    'no forged event reached JavaScript',
  )
  t.true(
    seen.some((e) => e.type === 'route' && e.route.table === T),
    'the real events did',
  )
})
