// W6: events during a burst of N route adds by `ip -batch` (another process): the subscriber is
// started first with its library's default options; we count the route events it receives
// (% lost against N) and its CPU time from just before the burst to the end (/proc/<pid>/stat).
import { base, routes } from './common.mjs'

export default {
  id: 'W6',
  title: 'route events during a route-add burst',
  unit: null,
  params: (o) => ({ n: o.quick ? 100000 : 100000 }),
  label: (p) => `events of a ${p.n / 1000}k-route burst`,
  timeoutMs: (p) => 60000 + p.n * 2,
  setup: (dir) => [base(dir)],
  lib: (p) => ['W6', `n=${p.n}`],
  subscribe: (dir, p) => ({ burst: routes(dir, p.n), target: p.n, quietMs: 1000 }),
  ip: () => ({ cmd: ['ip', '-4', 'monitor', 'route'], lineCount: true }),
  na: {},
}
