/**
 * nlkit: Linux netlink for Node.js. Configure links, addresses and routes with `await`, or speak
 * any netlink protocol with raw messages, on a Rust core that talks to the kernel on its own I/O
 * thread.
 *
 * Every function exists at module level (on a lazily opened default connection in the current
 * network namespace) and as a method of {@link Netlink}, returned by {@link open}.
 *
 * This file is the package's public surface: it only re-exports. The code is in `src/`, one
 * module per area (links, addresses, routes, neighbours, rules, tc, generic netlink and ethtool
 * in `src/genl/`, connection tracking in `src/conntrack/`, sockets in `src/diag/`, IPsec in `src/xfrm/`, events, netns, raw), with the
 * connection's engine (`src/engine.ts`), errors, validation, kernel name tables and the native
 * boundary (`src/native.ts`, the one module that loads the binding) beside them.
 *
 * @packageDocumentation
 */

// Connections
export { Netlink, open } from './src/netlink.js'
export type { CallOptions, LinkRef, NetnsRef, OpenOptions } from './src/types.js'
export type { NeighFlag, NudState, RouteProtocol, RoutePref, RouteTable, RouteType, RuleAction, Scope, IpProto } from './src/names.js'
export type { TraceOption } from './src/trace.js'

// Connection tracking
export {
  conntrackList,
  conntrackListStream,
  conntrackGet,
  conntrackCreate,
  conntrackUpdate,
  conntrackDelete,
  conntrackFlush,
  conntrackCount,
  conntrackStats,
  conntrackEvents,
  conntrackExpectList,
  conntrackExpectCreate,
  conntrackExpectDelete,
  conntrackExpectFlush,
} from './src/default-conntrack.js'
export type { ConntrackExpect, ConntrackExpectFlag, ConntrackExpectKey, ConntrackExpectSpec } from './src/conntrack/expect.js'
export type { ConntrackEvent, ConntrackEvents, ConntrackEventsOptions } from './src/conntrack/events.js'
export type { ConntrackStream } from './src/conntrack/stream.js'
export type {
  ConntrackCounters,
  ConntrackCpuStats,
  ConntrackEntry,
  ConntrackFamily,
  ConntrackFilter,
  ConntrackKey,
  ConntrackNatSpec,
  ConntrackNatTarget,
  ConntrackProtocol,
  ConntrackSpec,
  ConntrackStatus,
  ConntrackTuple,
  ConntrackTupleFilter,
  ConntrackUpdate,
} from './src/conntrack/types.js'

// Generic netlink and ethtool
export {
  genlFamilies,
  genlFamily,
  genlRequest,
  genlSubscribe,
  ethtoolLinkInfo,
  ethtoolLinkModes,
  ethtoolLinkState,
  ethtoolFeatures,
  ethtoolFeaturesSet,
  ethtoolChannels,
  ethtoolRings,
  ethtoolCoalesce,
  ethtoolTsInfo,
  ethtoolStrings,
  ethtoolMonitor,
  ethtoolPause,
  ethtoolPauseSet,
  ethtoolEee,
  ethtoolEeeSet,
  ethtoolStats,
  ethtoolLinkModesSet,
  genlSpec,
  genlSpecFile,
} from './src/default-genl.js'
export type { GenlSpecEvent, GenlSpecFamily, GenlSpecSubscription } from './src/genl/ynl/family.js'
export type { EthtoolEvent, EthtoolMonitor } from './src/genl/ethtool-monitor.js'
export {
  xfrmPolicyList,
  xfrmPolicyGet,
  xfrmPolicyAdd,
  xfrmPolicyUpdate,
  xfrmPolicyDelete,
  xfrmPolicyFlush,
  xfrmSpdInfo,
  xfrmSpdSet,
  xfrmStateList,
  xfrmStateGet,
  xfrmStateAdd,
  xfrmStateUpdate,
  xfrmStateDelete,
  xfrmStateFlush,
  xfrmStateAllocSpi,
  xfrmSadInfo,
  xfrmStateAevents,
  xfrmStateAeventsSet,
  xfrmPolicyMigrate,
  xfrmEvents,
} from './src/default-xfrm.js'
export type { XfrmEvent, XfrmEvents, XfrmEventsOptions, XfrmGroup } from './src/xfrm/events.js'
export type * from './src/xfrm/types.js'
export type { XfrmPolicyFilter, XfrmStateFilter } from './src/xfrm/filters.js'
export type {
  XfrmAevent,
  XfrmAeventFlag,
  XfrmAeventsId,
  XfrmAeventsSpec,
  XfrmMigrateSpec,
  XfrmMove,
  XfrmReplay,
  XfrmReplayEsn,
} from './src/xfrm/aevents.js'
export { GENL_OP_FLAGS } from './src/genl/families.js'
export type { GenlFamily, GenlMcastGroup, GenlMessage, GenlOperation, GenlRequest } from './src/genl/families.js'
export { ETHTOOL_STRING_SETS } from './src/genl/ethtool-types.js'
export type {
  EthtoolChannels,
  EthtoolCoalesce,
  EthtoolDevice,
  EthtoolEee,
  EthtoolHistogramBucket,
  EthtoolLinkModesSpec,
  EthtoolPause,
  EthtoolStats,
  EthtoolFeature,
  EthtoolFeatures,
  EthtoolLinkInfo,
  EthtoolLinkModes,
  EthtoolLinkState,
  EthtoolRings,
  EthtoolStringSet,
  EthtoolTsInfo,
} from './src/genl/ethtool-types.js'

// TCP metrics, MPTCP, netdev, taskstats (generic families)
export {
  tcpMetricsList,
  tcpMetricsGet,
  tcpMetricsDel,
  tcpMetricsFlush,
  mptcpEndpointList,
  mptcpEndpointGet,
  mptcpEndpointAdd,
  mptcpEndpointDel,
  mptcpEndpointChange,
  mptcpEndpointFlush,
  mptcpLimitsGet,
  mptcpLimitsSet,
  netdevDevGet,
  netdevDevList,
  netdevQueueList,
  netdevNapiList,
  taskstatsGet,
  wgDeviceGet,
  wgDeviceSet,
} from './src/default-genl-families.js'
export { wgGenerateKey, wgGeneratePresharedKey, wgPublicKey } from './src/genl/wireguard.js'
export type { WgDevice, WgDeviceSpec, WgPeer, WgPeerSpec } from './src/genl/wireguard.js'
export type { TcpMetricsEntry, TcpMetricsKeyOptions } from './src/genl/tcp-metrics.js'
export type { MptcpEndpoint, MptcpEndpointFlag, MptcpEndpointSpec, MptcpLimits } from './src/genl/mptcp.js'
export type { NetdevDevice, NetdevListOptions, NetdevNapi, NetdevQueue } from './src/genl/netdev.js'
export type { TaskRef, Taskstats } from './src/genl/taskstats.js'

// Sockets (sock_diag)
export { socketList, socketListStream, socketDestroy } from './src/default-diag.js'
export type { SocketFilter } from './src/diag/sockets.js'
export type { SocketStream } from './src/diag/stream.js'
export type {
  InetSocket,
  InetSocketFilter,
  NetlinkSocket,
  OtherSocketFilter,
  PacketSocket,
  SocketExtension,
  SocketMemInfo,
  SocketPortRange,
  SocketProtocol,
  SocketState,
  TcpInfo,
  UnixSocket,
  UnixSocketFilter,
} from './src/diag/types.js'

// Errors
export { NetlinkError } from './src/errors.js'

// Module-level functions (on the default connection)
export {
  linkList,
  linkGet,
  linkSetUp,
  linkSetDown,
  linkAddVeth,
  linkAdd,
  linkSet,
  linkSetMaster,
  linkSetMtu,
  linkSetName,
  linkSetAddress,
  linkSetNetns,
  linkDel,
  addrAdd,
  addrReplace,
  addrDel,
  addrList,
  routeAdd,
  routeReplace,
  routeDel,
  routeAppend,
  routeList,
  routeListStream,
  routeGet,
  routeAddDefault,
  routeDelDefault,
  neighList,
  neighAdd,
  neighReplace,
  neighDel,
  ruleList,
  ruleAdd,
  ruleDel,
} from './src/default.js'
export {
  qdiscList,
  qdiscAdd,
  qdiscReplace,
  qdiscChange,
  qdiscDel,
  classList,
  classAdd,
  classReplace,
  classChange,
  classDel,
  filterList,
  filterAdd,
  filterReplace,
  filterChange,
  filterDel,
  chainList,
  chainAdd,
  chainDel,
  actionList,
  actionGet,
  actionAdd,
  actionReplace,
  actionDel,
  actionFlush,
} from './src/default-tc.js'
export {
  nexthopList,
  nexthopGet,
  nexthopAdd,
  nexthopReplace,
  nexthopDel,
  nexthopFlush,
  nexthopBucketList,
} from './src/default-nexthop.js'
export { linkAltnameAdd, linkAltnameDel, linkStats, neighAppend } from './src/default-link.js'
export {
  maddrList,
  maddrAdd,
  maddrDel,
  netconfList,
  nsidList,
  nsidGet,
  nsidSet,
  addrlabelList,
  addrlabelAdd,
  addrlabelDel,
  ntableList,
  ntableChange,
} from './src/default-misc.js'
export { mdbList, mdbAdd, mdbReplace, mdbDel, vlanList, vlanAdd, vlanDel } from './src/default-bridge.js'
export type { BridgeVlan, BridgeVlanEntry, MdbEntry, MdbMessage, MdbSpec, VlanSpec } from './src/bridge.js'
export type { MaddrFilter, MulticastAddress } from './src/maddr.js'

// Links
export type { Link, LinkAddSpec, LinkChanges, LinkStats, VethOptions } from './src/links.js'
export type {
  AddrLabel,
  AddrLabelSpec,
  NetconfEntry,
  NetconfFilter,
  NsidEntry,
  Ntable,
  NtableChange,
  NtableFilter,
  NtableSettings,
} from './src/misc-tables.js'
export type {
  BondPortSettings,
  BridgePortSettings,
  BridgeVlanXstats,
  LinkExtraChanges,
  LinkStatsEntry,
  LinkStatsOptions,
  LinkXstats,
  McastVersions,
  RxTx,
  XdpAttach,
  XdpAttached,
} from './src/link-extras.js'
export type { DynamicLinkAddSpec, KnownLinkKind, LinkAddBase, LinkKindSettings, LinkKindSpec, NoLinkSettings } from './src/link-spec.js'
export type * from './src/link-kinds.js'
export type * from './src/link-tunnels.js'
export type * from './src/link-devices.js'

// Addresses
export type { Address, AddrDelOptions, AddrFilter, AddrOptions } from './src/addresses.js'

// Routes
export { RouteStream } from './src/route-stream.js'
export type {
  DefaultRouteOptions,
  DelDefaultRouteOptions,
  NexthopSpec,
  Route,
  RouteFilter,
  RouteGetOptions,
  RouteMetrics,
  RouteNexthop,
  RouteSpec,
  RouteVia,
  RouteEncap,
  Seg6Encap,
  Seg6LocalEncap,
  IpEncap,
  Ip6Encap,
  MplsEncap,
  BpfEncap,
  BpfProgram,
  Ioam6Encap,
} from './src/routes.js'

// Nexthop objects
export type {
  NexthopBucket,
  NexthopFilter,
  NexthopGroupMember,
  NexthopObject,
  NexthopObjectSpec,
  NexthopResilient,
} from './src/nexthops.js'

// Neighbours
export type { NeighFilter, Neighbour, NeighSpec, NeighState } from './src/neighbours.js'

// Rules
export type { PortRange, Rule, RuleSpec, UidRange } from './src/rules.js'

// Traffic control
export type { Chain, Filter, Percent, Qdisc, Rate, Size, TcClass, TcObjectBase, TcStats, Time } from './src/tc/types.js'
export type { ChainFilter, ClassFilter, FilterFilter, QdiscFilter } from './src/tc/objects.js'
export type * from './src/tc/specs.js'
export type * from './src/tc/qdisc-kinds.js'
export type * from './src/tc/class-kinds.js'
export type * from './src/tc/filter-kinds.js'
export type * from './src/tc/kinds/htb.js'
export type * from './src/tc/kinds/tbf.js'
export type * from './src/tc/kinds/netem.js'
export type * from './src/tc/kinds/prio.js'
export type * from './src/tc/kinds/sfq.js'
export type * from './src/tc/kinds/fq_codel.js'
export type * from './src/tc/kinds/fq.js'
export type * from './src/tc/kinds/cake.js'
export type * from './src/tc/kinds/hfsc.js'
export type * from './src/tc/action-kinds.js'
export type { ActionFilter, ActionRef, ActionState, ActionStats, ListedAction } from './src/tc/standalone.js'
export type { EthProtocol } from './src/names.js'

// Events
export { Subscription, subscribe } from './src/events.js'
export type { EventBase, EventGroup, NetlinkEvent, SubscribeOptions } from './src/events.js'

// Namespaces
export { netnsCreate, netnsDelete, netnsList } from './src/netns.js'

// Raw netlink: any protocol, messages as bytes, and the attribute codec for their payloads
export { NETLINK, NLM_F, RawNetlink } from './src/raw.js'
export type { NetlinkProtocol, RawMessage, RawOpenOptions, RawRequest } from './src/raw.js'
export { RawEvents } from './src/raw-events.js'
export type { RawEvent, RawEventsOptions } from './src/raw-events.js'
export { Attrs, AttrsBuilder, decodeAttrs, encodeAttrs, NLA_F_NESTED, NLA_F_NET_BYTEORDER } from './src/attrs.js'
export type { Attr } from './src/attrs.js'
