// Intended misuse: each line below `// @ts-expect-error` must fail to compile. If a misuse starts
// compiling (the types got looser), tsc reports the unused directive and `npm run test:types` fails.

import * as nl from 'nlkit'
import { NetlinkError } from 'nlkit'

export async function misuse(): Promise<void> {
  const ct = { protocol: 'tcp', orig: { src: 'a', dst: 'b', sport: 1, dport: 2 }, timeout: 1 } as const
  // @ts-expect-error: a NAT target's port is a number
  await nl.conntrackCreate({ ...ct, nat: { src: { address: 'c', port: '80' } } })
  // @ts-expect-error: a NAT without an address
  await nl.conntrackCreate({ ...ct, nat: { dst: { port: 80 } } })
  // @ts-expect-error: misspelt route type
  await nl.routeAdd({ dst: '10.0.0.0/8', type: 'blackhold' })
  // @ts-expect-error: misspelt route scope
  await nl.routeAdd({ dst: '10.0.0.0/8', scope: 'lnk' })
  // @ts-expect-error: misspelt route protocol
  await nl.routeAdd({ dst: '10.0.0.0/8', protocol: 'statik' })
  // @ts-expect-error: misspelt table name
  await nl.routeList({ table: 'mian' })
  // @ts-expect-error: misspelt address scope
  await nl.addrAdd('eth0', '10.0.0.1/24', { scope: 'globl' })
  // @ts-expect-error: misspelt neighbour state
  await nl.neighAdd({ dev: 'eth0', dst: '10.0.0.2', state: 'permanant' })
  // @ts-expect-error: misspelt neighbour flag
  await nl.neighAdd({ dev: 'eth0', dst: '10.0.0.2', flags: ['routr'] })
  // @ts-expect-error: misspelt rule action
  await nl.ruleAdd({ action: 'blackhol' })
  // @ts-expect-error: misspelt subscription group name
  nl.subscribe(['links'])
  // @ts-expect-error: a family that is not 4 or 6
  await nl.addrList({ family: 5 })
  // @ts-expect-error: NetlinkError is constructed only by nlkit
  new NetlinkError('linkAdd', 'x', { errno: 1, kind: 'kernel', text: 'x' })
  // @ts-expect-error: wrong value type of a top-level link setting
  await nl.linkAdd({ kind: 'dummy', name: 'd0', mtu: '1400' })
  // @ts-expect-error: an htb class needs a rate
  await nl.classAdd({ dev: 'eth0', parent: '1:', handle: '1:10', kind: 'htb', ceil: '8mbit' })
  // @ts-expect-error: misspelt linklayer
  await nl.classAdd({ dev: 'eth0', parent: '1:', handle: '1:10', kind: 'htb', rate: '8mbit', linklayer: 'atn' })
  // @ts-expect-error: a class needs its id
  await nl.classAdd({ dev: 'eth0', parent: '1:', kind: 'htb', rate: '8mbit' })
  // @ts-expect-error: tbf needs a burst
  await nl.qdiscAdd({ dev: 'eth0', parent: 'root', kind: 'tbf', rate: '8mbit', latency: '50ms' })
  // @ts-expect-error: cake's flow modes are tc's words
  await nl.qdiscAdd({ dev: 'eth0', parent: 'root', kind: 'cake', flowmode: 'triple' })
  // @ts-expect-error: an hfsc curve needs its second slope (or a rate)
  await nl.classAdd({ dev: 'eth0', parent: '1:', handle: '1:10', kind: 'hfsc', sc: { m1: '1mbit' } })
}
