// W5: dump every link (lo + veth0/veth1 + 500 pre-created veth pairs = 1,003) into objects, K times
// in one process; the time per dump is reported. ip: `ip -j -batch` with K `link show` lines.
import { base, vethPairs, linkShows } from './common.mjs'

export default {
  id: 'W5',
  title: 'dump 1,003 links into objects',
  unit: 'links/s',
  params: (o) => ({ pairs: 500, k: o.quick ? 5 : 10, n: 1003 }),
  label: (p) => `dump ${p.n} links (per dump, of ${p.k})`,
  timeoutMs: () => 120000,
  setup: (dir, p) => [base(dir), vethPairs(dir, p.pairs)],
  lib: (p) => ['W5', `k=${p.k}`],
  ip: (dir, p) => ({ cmd: ['ip', '-j', '-batch', linkShows(dir, p.k)], time: 'wall', divide: p.k, stdoutNull: true }),
  expect: (p) => p.n,
  na: {},
}
