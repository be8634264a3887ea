// W7: u32 filter adds on an htb qdisc (filter i matches IPv4 destination 10.16.0.0 + i, flowid
// 1:10, 1000 per prio): one awaited at a time (W7), and as fast as the tool allows (W7C: nlkit a
// window of 1024 promises, Go 2 goroutines with a Handle each). tc -batch sends one request and
// waits for its ACK before the next, so it runs the same way in both.
import { base, htbRoot, u32Filters } from './common.mjs'

function w7(id, concurrent) {
  return {
    id,
    title: concurrent ? 'u32 filter adds, as fast as possible' : 'u32 filter adds, one at a time, each awaited',
    unit: 'filters/s',
    params: (o) => ({ n: o.quick ? 2000 : 10000 }),
    label: (p) => `${p.n / 1000}k u32 filter adds, ${concurrent ? 'concurrent' : 'sequential'}`,
    timeoutMs: (p) => 60000 + p.n * 10,
    setup: (dir) => [base(dir), htbRoot(dir)],
    lib: (p, tool) => ['W7', `n=${p.n}`].concat(concurrent ? [tool === 'go' ? 'g=2' : 'window=1024'] : []),
    ip: (dir, p) => ({ cmd: ['tc', '-batch', u32Filters(dir, p.n)], time: 'wall' }),
    na: {
      'netlink-npm': 'npm netlink has no traffic control',
      c: 'no C floor for tc',
      ...(concurrent ? { pyroute2: "pyroute2's AsyncIPRoute has no tc()" } : {}),
    },
  }
}

export const w7c = w7('W7C', true)
export default w7('W7', false)
