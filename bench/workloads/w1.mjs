// W1: route adds one at a time, each awaited: the latency of one request/ACK round trip through
// the library (argument handling, encoding, the socket, decoding the ACK, resuming the caller).
import { base, routes } from './common.mjs'

export default {
  id: 'W1',
  title: 'route adds, one at a time, each awaited',
  unit: 'routes/s',
  params: (o) => ({ n: o.quick ? 2000 : 10000 }),
  label: (p) => `${p.n / 1000}k route adds, sequential`,
  timeoutMs: (p) => 30000 + p.n * 5,
  setup: (dir) => [base(dir)],
  lib: (p) => ['W1', `n=${p.n}`],
  // ip -batch sends each line as one request and waits for its ACK before the next.
  ip: (dir, p) => ({ cmd: ['ip', '-batch', routes(dir, p.n)], time: 'wall' }),
  na: {},
}
