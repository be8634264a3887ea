// Summarises a V8 .cpuprofile (node --cpu-prof): the functions with the most self time.
//
//   node bench/lib/cpuprofile-top.mjs FILE.cpuprofile [N]
//
// To profile one nlkit workload in a fresh namespace, e.g. W1:
//   unshare -n sh -c 'ip -batch bench/.peers/batch/base.txt &&
//     node --cpu-prof --cpu-prof-dir=/tmp/prof bench/tools/nlkit.mjs W1 n=10000 ref=index'
import { readFileSync } from 'node:fs'

const [file, topArg] = process.argv.slice(2)
if (!file) {
  process.stderr.write('usage: node cpuprofile-top.mjs FILE.cpuprofile [N]\n')
  process.exit(2)
}
const prof = JSON.parse(readFileSync(file, 'utf8'))
const byId = new Map(prof.nodes.map((n) => [n.id, n]))
const self = new Map()
const dt = prof.timeDeltas
let total = 0
for (let i = 0; i < prof.samples.length; i++) {
  const n = byId.get(prof.samples[i])
  const d = (dt[i] ?? 0) / 1000
  total += d
  const cf = n.callFrame
  const url = cf.url ? cf.url.replace(/^file:\/\//, '').replace(/^.*\/(node_modules\/|work\/main\/)/, '') : ''
  const key = `${cf.functionName || '(anonymous)'} ${url ? `${url}:${cf.lineNumber + 1}` : ''}`.trim()
  self.set(key, (self.get(key) ?? 0) + d)
}
const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg ?? 15))
console.log(`total sampled ${total.toFixed(0)} ms`)
for (const [k, ms] of top) console.log(`${ms.toFixed(1).padStart(8)} ms ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${k}`)
