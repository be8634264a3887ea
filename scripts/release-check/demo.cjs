// The demo call run from an installed nlkit, inside a private network namespace (unshare -n):
// bring lo up, give it an address, list links and addresses; prints one JSON line.
const nl = require('nlkit')
;(async () => {
  await nl.linkSetUp('lo')
  await nl.addrAdd('lo', '10.255.255.1/32')
  const links = await nl.linkList()
  const addrs = (await nl.addrList({ family: 4 })).map((a) => `${a.address}/${a.prefixLen}`)
  const lo = links.find((l) => l.name === 'lo')
  if (!lo || !addrs.includes('10.255.255.1/32')) throw new Error(`unexpected: ${JSON.stringify({ links, addrs })}`)
  console.log(JSON.stringify({ arch: process.arch, links: links.map((l) => l.name), addrs }))
})().catch((e) => {
  console.error(e)
  process.exit(1)
})
