// W4: /32 address adds on one link, one at a time, each awaited (the kernel's address path is
// slower than the route path, so this weighs the library's per-call cost less than W1 does).
import { base, addrs } from './common.mjs'

export default {
  id: 'W4',
  title: '/32 address adds, one at a time, each awaited',
  unit: 'addrs/s',
  params: (o) => ({ n: o.quick ? 1000 : 5000 }),
  label: (p) => `${p.n / 1000}k addr adds, sequential`,
  timeoutMs: (p) => 30000 + p.n * 20,
  setup: (dir) => [base(dir)],
  lib: (p) => ['W4', `n=${p.n}`],
  ip: (dir, p) => ({ cmd: ['ip', '-batch', addrs(dir, p.n)], time: 'wall' }),
  na: {},
}
