// `ip monitor`, in nlkit: prints link, address, route, neighbour and rule events as they happen.
//
//   node examples/monitor.mjs [--existing] [group ...]     (groups: link addr route neigh rule)
//
// Run it in one terminal and change something in another (as root: `ip link add name t0 type veth
// peer name t1`). Ctrl-C ends it.
import { subscribe } from 'nlkit'

const args = process.argv.slice(2)
const listExisting = args.includes('--existing')
const groups = args.filter((a) => !a.startsWith('--'))
const sub = subscribe(groups.length ? groups : ['link', 'addr', 'route', 'neigh', 'rule'], { listExisting })
process.on('SIGINT', () => sub.close())

const describe = {
  link: (l) => `${l.index}: ${l.name}${l.kind ? ` (${l.kind})` : ''} ${l.operstate} <${l.flags.join(',')}> mtu ${l.mtu}`,
  addr: (a) => `${a.cidr} dev ${a.link ?? a.index} scope ${a.scope}${a.flags.length ? ` ${a.flags.join(' ')}` : ''}`,
  route: (r) =>
    `${r.dst}${r.gateway ? ` via ${r.gateway}` : ''}${r.dev ? ` dev ${r.dev}` : ''} table ${r.table} proto ${r.protocol} scope ${r.scope} type ${r.type}`,
  neigh: (n) => `${n.dst ?? ''} dev ${n.dev ?? n.index}${n.lladdr ? ` lladdr ${n.lladdr}` : ''} ${n.state.join(',')}`,
  rule: (r) => `${r.priority ?? ''}: from ${r.from ?? 'all'}${r.to ? ` to ${r.to}` : ''} ${r.action} table ${r.table}`,
}

for await (const ev of sub) {
  if (ev.type === 'overflow') {
    console.log('!! overflow: the kernel dropped events (consumer too slow)')
    continue
  }
  const obj = ev.link ?? ev.address ?? ev.route ?? ev.neigh ?? ev.rule
  const tag = `${ev.existing ? '=' : ev.action === 'new' ? '+' : '-'}${ev.type}`
  console.log(`${tag.padEnd(7)} ${describe[ev.type](obj)}`)
}
