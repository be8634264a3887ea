/**
 * Usage texts: the overview and one per object.
 *
 * @module
 * @internal
 */

const OVERVIEW = `Usage: nlkit [OPTIONS] OBJECT [COMMAND [ARGUMENTS]]
OBJECT := link | addr | route | neigh | rule | netns | monitor | nexthop | tc | help
OPTIONS := -4 | -6 | -j (JSON) | -p (pretty JSON) | -n NETNS (run in a named namespace) | -h
Run "nlkit OBJECT help" for an object's commands. Exit status: 0 done, 2 on an error or bad usage.`

const OBJECTS: Record<string, string> = {
  link: `Usage: nlkit link [show] [[dev] NAME] [up] [type KIND]
       nlkit link add [link DEV] [name] NAME type KIND [SETTINGS] [up] [mtu N] [address MAC]
                      [txqlen N] [alias TEXT] [master DEV] [netns NS]
            veth: peer [name] NAME [address MAC] [mtu N] [netns NS]
            vlan, vxlan: id N; vxlan: remote|local|group ADDR, dstport N, ttl N, dev DEV
            macvlan, ipvlan, bond: mode MODE
       nlkit link set [dev] NAME [up|down] [mtu N] [name NEWNAME] [address MAC] [broadcast MAC]
                      [master DEV | nomaster] [txqlen N] [alias TEXT] [group N] [netns NS]
       nlkit link del [dev] NAME`,
  addr: `Usage: nlkit addr [show] [[dev] NAME]
       nlkit addr {add|replace} ADDRESS/PREFIX dev NAME [peer ADDRESS] [broadcast ADDRESS]
                      [label LABEL] [scope global|site|link|host|N] [valid_lft N|forever]
                      [preferred_lft N|forever] [noprefixroute] [nodad]
       nlkit addr del ADDRESS/PREFIX dev NAME [peer ADDRESS]`,
  route: `Usage: nlkit route [show] [table ID|main|local|all] [dev NAME]
       nlkit route get ADDRESS [from ADDRESS] [iif NAME] [oif NAME] [mark N]
       nlkit route {add|replace|append|del} [TYPE] PREFIX|default [via ADDRESS] [dev NAME]
                      [table ID] [metric N] [src ADDRESS] [scope SCOPE] [proto PROTO] [onlink]
                      [pref low|medium|high] [mtu N] [advmss N] [initcwnd N] [...metrics]
                      [nexthop via ADDRESS dev NAME weight N]...
       TYPE := unicast | local | broadcast | multicast | blackhole | unreachable | prohibit | throw`,
  neigh: `Usage: nlkit neigh [show] [dev NAME]
       nlkit neigh {add|replace|del} ADDRESS [lladdr MAC] dev NAME [nud STATE] [vlan N]
                      [router] [proxy] [extern_learn]
       STATE := permanent | noarp | reachable | stale | none | incomplete | delay | probe | failed`,
  rule: `Usage: nlkit rule [show]
       nlkit rule {add|del} [from PREFIX] [to PREFIX] [priority N] [table ID] [fwmark N[/MASK]]
                      [iif NAME] [oif NAME] [tos N] [suppress_prefixlength N] [uidrange A-B]
                      [protocol PROTO] [goto N | blackhole | unreachable | prohibit | nop]`,
  netns: `Usage: nlkit netns [list]
       nlkit netns add NAME
       nlkit netns del NAME`,
  monitor: `Usage: nlkit monitor [link | addr | route | neigh | rule | nexthop | tc | all]...
       Prints each event as one line (-j: one JSON object) until SIGINT or SIGTERM.`,
}

/** The usage of one object, or the overview. */
export function usage(object?: string): string {
  return (object !== undefined && OBJECTS[object]) || OVERVIEW
}
