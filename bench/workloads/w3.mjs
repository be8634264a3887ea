// W3: dump the IPv4 routes of the main table into objects (N routes pre-created with ip -batch,
// untimed): decoding throughput and the memory the result costs (peak RSS of the process).
// ip: `ip -j route show table main > /dev/null` (formats JSON, builds no objects).
import { base, routes } from './common.mjs'

export function w3(id, n) {
  return {
    id,
    title: 'dump routes into objects',
    unit: 'routes/s',
    params: () => ({ n }),
    label: (p) => `dump ${p.n >= 1e6 ? `${p.n / 1e6}M` : `${p.n / 1000}k`} routes`,
    timeoutMs: (p) => 60000 + p.n * 1,
    setup: (dir, p) => [base(dir), routes(dir, p.n)],
    lib: () => ['W3'],
    ip: () => ({ cmd: ['ip', '-j', 'route', 'show', 'table', 'main'], time: 'wall', stdoutNull: true }),
    expect: (p) => p.n, // each tool reports how many main-table IPv4 routes it got (N + the /24 prefix route)
    na: {},
  }
}

export default w3('W3', 100000)
