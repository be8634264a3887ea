// The per-kind settings types (src/link-kinds.ts, src/link-tunnels.ts, src/link-devices.ts) name exactly the keys each
// core kind module accepts (its `keys()` in crates/nlkit/src/rtnl/link/kinds/*.rs): a setting
// added to the core without the type, or a typo in the type, fails here. Text only, no kernel.

import test from 'ava'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const KINDS = join(ROOT, 'crates', 'nlkit', 'src', 'rtnl', 'link', 'kinds')
const TS = ['link-kinds.ts', 'link-tunnels.ts', 'link-devices.ts'].map((f) => readFileSync(join(ROOT, 'src', f), 'utf8')).join('\n')

/** The members of `export interface NAME { ... }` (top level only). */
function tsKeys(name) {
  const body = TS.split(`export interface ${name} {\n`)[1]?.split('\n}\n')[0]
  if (body === undefined) return undefined
  return [...body.matchAll(/^ {2}(\w+)\?:/gm)].map((m) => m[1]).sort()
}

/** Every key a core module's keys() lists (its inline arrays and KEYS* constants). */
function rustKeys(file) {
  const src = readFileSync(join(KINDS, file), 'utf8').split('#[cfg(test)]')[0]
  const arrays = [...src.matchAll(/(?:fn keys\(&self\)[^{]*\{|const KEYS\w*: &\[&str\] = )([\s\S]*?\])/g)].map((m) => m[1])
  return [...new Set(arrays.flatMap((a) => [...a.matchAll(/"(\w+)"/g)].map((m) => m[1])))].sort()
}

const CASES = {
  BareudpSettings: 'bareudp.rs',
  BondSettings: 'bond.rs',
  BridgeSettings: 'bridge.rs',
  GeneveSettings: 'geneve.rs',
  GreSettings: 'gre.rs',
  HsrSettings: 'hsr.rs',
  Ip6tnlSettings: 'ip6tnl.rs',
  IpoibSettings: 'ipoib.rs',
  IptunSettings: 'ipip.rs',
  IpvlanSettings: 'ipvlan.rs',
  MacsecSettings: 'macsec.rs',
  MacvlanSettings: 'macvlan.rs',
  NetkitSettings: 'netkit.rs',
  TunSettings: 'tun.rs',
  VethSettings: 'veth.rs',
  VlanSettings: 'vlan.rs',
  VrfSettings: 'vrf.rs',
  VtiSettings: 'vti.rs',
  VxlanSettings: 'vxlan.rs',
  XfrmSettings: 'xfrm.rs',
}

for (const [name, file] of Object.entries(CASES)) {
  test(`${name} names exactly the keys ${file} accepts`, (t) => {
    const core = rustKeys(file)
    t.true(core.length > 0, `${file} lists its keys`)
    t.deepEqual(tsKeys(name), core)
  })
}
