// W8: dump N u32 filters (made with tc -batch, untimed) into objects. A u32 classifier lists its
// head, its hash table and each rule, so N rules in N/1000 prios are N + 2·N/1000 objects.
// tc: `tc -j filter show dev veth0 parent 1: > /dev/null` (formats JSON, builds no objects).
import { base, htbRoot, u32Filters } from './common.mjs'

export default {
  id: 'W8',
  title: 'dump u32 filters into objects',
  unit: 'filters/s',
  params: (o) => ({ n: o.quick ? 2000 : 10000 }),
  label: (p) => `dump ${p.n / 1000}k u32 filters`,
  timeoutMs: (p) => 60000 + p.n * 5,
  setup: (dir, p) => [base(dir), htbRoot(dir), { tc: u32Filters(dir, p.n) }],
  lib: () => ['W8'],
  ip: () => ({ cmd: ['tc', '-j', 'filter', 'show', 'dev', 'veth0', 'parent', '1:'], time: 'wall', stdoutNull: true }),
  expect: (p) => p.n,
  na: { 'netlink-npm': 'npm netlink has no traffic control', c: 'no C floor for tc' },
}
