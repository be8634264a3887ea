// Intended misuse of linkAdd's per-kind settings: each must fail to compile.

import * as nl from 'nlkit'

export async function linkKindMisuse(): Promise<void> {
  // @ts-expect-error: vxlan has no setting `vni` (it is `id`)
  await nl.linkAdd({ kind: 'vxlan', name: 'vx0', vni: 42 })
  // @ts-expect-error: vxlan's id is a number
  await nl.linkAdd({ kind: 'vxlan', name: 'vx0', id: '42' })
  // @ts-expect-error: vlan has no setting `vid`, flat or in linkinfo
  await nl.linkAdd({ kind: 'vlan', name: 'v0', link: 'eth0', linkinfo: { vid: 5 } })
  // @ts-expect-error: a misspelt macvlan mode
  await nl.linkAdd({ kind: 'macvlan', name: 'm0', link: 'eth0', mode: 'bridged' })
  // @ts-expect-error: a bridge setting on a dummy
  await nl.linkAdd({ kind: 'dummy', name: 'd0', stpState: 1 })
  // @ts-expect-error: a kind nlkit does not know takes no kind settings (the core refuses them)
  await nl.linkAdd({ kind: 'batadv', name: 'b0', id: 5 })
  // @ts-expect-error: geneve's flow label is `label` (ip -j's name), not `flowlabel`
  await nl.linkAdd({ kind: 'geneve', name: 'g0', id: 5, flowlabel: 1 })
  // @ts-expect-error: geneve's df is one of unset/set/inherit
  await nl.linkAdd({ kind: 'geneve', name: 'g0', df: 1 })
  // @ts-expect-error: bond's mode is one of the kernel's names
  await nl.linkAdd({ kind: 'bond', name: 'b0', mode: 'lacp' })
  // @ts-expect-error: tos is an IPv4 GRE setting, not ip6gre's
  await nl.linkAdd({ kind: 'ip6gre', name: 'g6', tos: 1 })
  // @ts-expect-error: isatap is sit's, not ipip's
  await nl.linkAdd({ kind: 'ipip', name: 'i0', isatap: true })
  // @ts-expect-error: vti takes no ttl
  await nl.linkAdd({ kind: 'vti', name: 'vt0', ttl: 64 })
  // @ts-expect-error: xfrm's id is `ifId`, not `if_id`
  await nl.linkAdd({ kind: 'xfrm', name: 'xf0', if_id: 5 })
  // @ts-expect-error: ip6tnl's inner protocol is `mode` (as ipip's), not ip -j's `proto`
  await nl.linkAdd({ kind: 'ip6tnl', name: 't6', proto: 'any' })
  // @ts-expect-error: ip6tnl's encap type is fou, gue or none
  await nl.linkAdd({ kind: 'ip6tnl', name: 't6', encap: { type: 'vxlan' } })
  // @ts-expect-error: macsec's send_sci is `incSci` (ip -j's inc_sci)
  await nl.linkAdd({ kind: 'macsec', name: 'ms0', link: 'eth0', send_sci: true })
  // @ts-expect-error: macsec's sci is a hex string
  await nl.linkAdd({ kind: 'macsec', name: 'ms0', link: 'eth0', sci: 1 })
  // @ts-expect-error: netkit's policy is forward or blackhole
  await nl.linkAdd({ kind: 'netkit', name: 'nk0', policy: 'drop' })
  // @ts-expect-error: hsr's protocol is ip -j's number, not a name
  await nl.linkAdd({ kind: 'hsr', name: 'h0', slave1: 'eth0', slave2: 'eth1', proto: 'prp' })
  // @ts-expect-error: ipoib's mode is datagram or connected
  await nl.linkAdd({ kind: 'ipoib', name: 'ib0', link: 'ib', mode: 'reliable' })
  // @ts-expect-error: team takes no settings (teamd configures it)
  await nl.linkAdd({ kind: 'team', name: 't0', runner: 'lacp' })
  // @ts-expect-error: veth's peer needs a name
  await nl.linkAdd({ kind: 'veth', name: 'v0', peer: { mtu: 1400 } })
}
