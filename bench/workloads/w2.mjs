// W2: route adds as fast as the tool allows: throughput with many requests in flight (nlkit: a
// window of 1024 promises; npm netlink: 128 in flight; pyroute2: 128 on AsyncIPRoute; Go: 2
// goroutines with a Handle each; C: 64 messages per send(); ip -batch: one at a time, as it can only).
// For nlkit, the Node event loop's maximum delay during the run is recorded too.
import { base, routes } from './common.mjs'

export default {
  id: 'W2',
  title: 'route adds, as fast as possible',
  unit: 'routes/s',
  params: (o) => ({ n: o.quick ? 20000 : 100000 }),
  label: (p) => `${p.n / 1000}k route adds, concurrent`,
  timeoutMs: (p) => 60000 + p.n * 2,
  setup: (dir) => [base(dir)],
  lib: (p, tool) =>
    ['W2', `n=${p.n}`].concat(
      tool === 'go'
        ? ['g=2']
        : tool === 'c'
          ? ['batch=64']
          : tool === 'netlink-npm' || tool === 'pyroute2'
            ? ['window=128']
            : ['window=1024'],
    ),
  ip: (dir, p) => ({ cmd: ['ip', '-batch', routes(dir, p.n)], time: 'wall' }),
  na: {},
}
