/**
 * The native boundary: the only module that loads the binding (through `load.cjs`, which finds
 * this platform's binary or names the package to install; types from napi's `native.d.cts`),
 * and the one declaration of every shape that crosses it: the operation records
 * `NativeConn.submit` reads (crates/nlkit-node/src/ops.rs), the completion batches it and the
 * I/O thread hand back (json.rs `batch`), and the positional layout of a route (json.rs `route`).
 *
 * @module
 */

import type { NativeError } from './errors.js'

export {
  NativeConn,
  NativeConntrackConn,
  NativeGenlConn,
  NativeXfrmConn,
  conntrackEvent,
  conntrackListPayload,
  conntrackListed,
  NativeSockDiagConn,
  sockDiagListed,
  sockDiagListPayload,
  sockDiagNames,
  ethtoolNotification,
  wireguardSetBodies,
  xfrmCheck,
  xfrmNotification,
  NativeMonitor,
  NativeRawConn,
  NativeRawMonitor,
  netnsCall,
  linkMaddrList,
  linkMaddrChange,
  layouts,
  nameTables,
  opFields,
  rawLayoutSample,
  type ConntrackNatOp,
  type ConntrackOp,
  type ConntrackTupleOp,
  type GenlOp,
  type NetnsSpec,
  type RawOp,
  type XfrmOp,
  type SockDiagOp,
} from '../load.cjs'
import type { NetnsSpec } from '../load.cjs'

// ---------------------------------------------------------------------------------------------
// Operations: JSON objects, one per request, keyed exactly as ops.rs reads them. `null` and
// `undefined` members are left out (JSON.stringify drops undefined, the parser skips null).

/** The link an operation is about: by index, or by name (the engine resolves it on the same socket). */
export type LinkSel = { index: number } | { name: string }
/** An optional link (a route's `dev`, a list filter). */
export interface OptLinkSel {
  index?: number
  name?: string
}

/** ops.rs `link_spec`: the settings of linkAdd and linkSet. */
export interface LinkSpecFields {
  /** linkSet: the new name. */
  newName?: string
  /** linkAdd: the name. */
  ifname?: string
  kind?: string
  /** The kind's settings (IFLA_INFO_DATA), decoded by the kinds registry. */
  info?: Record<string, unknown>
  mtu?: number
  address?: string
  broadcast?: string
  txqlen?: number
  /** Master index; 0 releases. */
  master?: number
  /** Parent link index (IFLA_LINK). */
  parent?: number
  alias?: string
  group?: number
  up?: boolean
  netns?: NetnsSpec
  /** IFF_* bits to set, among those in `flagsMask` (promisc, allmulti, noarp, multicast). */
  flagsSet?: number
  flagsMask?: number
  carrier?: boolean
  gsoMaxSize?: number
  gsoMaxSegs?: number
  groMaxSize?: number
  gsoIpv4MaxSize?: number
  groIpv4MaxSize?: number
  protodown?: boolean
  /** IFLA_PROTO_DOWN_REASON: the bits in the mask take the value's (mask 0: the whole value). */
  protodownReasonMask?: number
  protodownReasonValue?: number
  /** The master's kind for `port` (`'bridge'`, `'bond'`). */
  portKind?: string
  /** Port settings (IFLA_INFO_SLAVE_DATA), checked by the core's port registry. */
  port?: Record<string, unknown>
  /** IFLA_XDP: a program fd (-1 detaches) or a pinned path, and XDP_FLAGS_*. */
  xdpFd?: number
  xdpPinned?: string
  xdpFlags?: number
}

/** ops.rs `addr_spec`. */
export interface AddrFields {
  op: 'addrAdd' | 'addrReplace' | 'addrDel'
  address: string
  prefixLen: number
  scope?: number
  label?: string
  broadcast?: string
  peer?: string
  validLft?: number
  preferredLft?: number
  flags?: number
}

/** ops.rs `nexthops`: one path of a multipath route. */
export interface NexthopFields {
  gateway?: string
  /** A gateway of the other family (RTA_VIA). */
  via?: string
  oif?: number
  weight?: number
  onlink?: boolean
  encap?: Record<string, unknown>
}

/** ops.rs `route_spec`, plus the optional link (`dev`). */
export interface RouteFields extends OptLinkSel {
  op: 'routeAdd' | 'routeReplace' | 'routeAppend' | 'routeDel'
  family?: 4 | 6
  dst?: string
  dstLen?: number
  gateway?: string
  prefsrc?: string
  table?: number
  metric?: number
  scope?: number
  protocol?: number
  routeType?: number
  nexthops?: NexthopFields[]
  metrics?: Record<string, number>
  onlink?: boolean
  pref?: number
  nhid?: number
  encap?: Record<string, unknown>
  via?: string
  expires?: number
  ttlPropagate?: boolean
}

/** ops.rs `neigh_spec` (family 7 is AF_BRIDGE: an FDB entry). */
export interface NeighFields {
  op: 'neighAdd' | 'neighReplace' | 'neighAppend' | 'neighDel'
  family?: 4 | 6 | 7
  dst?: string
  lladdr?: string
  state?: number
  flags?: number
  vlan?: number
  port?: number
  vni?: number
  srcVni?: number
  /** The `via` device's index (NDA_IFINDEX). */
  via?: number
  nhid?: number
}

/** ops.rs `rule_spec`. */
export interface RuleFields {
  op: 'ruleAdd' | 'ruleDel'
  family?: 4 | 6
  priority?: number
  table?: number
  from?: string
  fromLen?: number
  to?: string
  toLen?: number
  iif?: string
  oif?: string
  fwmark?: number
  fwmask?: number
  tos?: number
  suppressPrefixLength?: number
  uidRange?: { start: number; end: number }
  action?: number
  goto?: number
  protocol?: number
  invert?: boolean
  ipproto?: number
  sport?: { start: number; end: number }
  dport?: { start: number; end: number }
  /** A u64 in decimal. */
  tunId?: string
  suppressIfgroup?: number
  realms?: number
  l3mdev?: boolean
  dscp?: number
}

/** ops_in/tc.rs: a qdisc, class, filter or chain request (handles as tc writes them). */
export interface TcFields {
  op: `${'qdisc' | 'class'}${'Add' | 'Replace' | 'Change' | 'Del'}` | `chain${'Add' | 'Del'}`
  index?: number
  name?: string
  kind?: string
  parent?: string
  handle?: string
  chain?: number
  /** The kind's options, checked and encoded by the core's kind registry. */
  options?: Record<string, unknown>
}

/** ops_in/tc.rs: a filter request: a tc request with its preference and ethernet protocol (host order). */
export interface TcFilterFields extends Omit<TcFields, 'op'> {
  op: `filter${'Add' | 'Replace' | 'Change' | 'Del' | 'Get'}`
  pref?: number
  protocol?: number
}

/** ops_in/tc.rs: a dump of qdiscs (every link without one), classes, filters or chains. */
export interface TcListFields {
  op: 'classList' | 'filterList' | 'chainList'
  index?: number
  name?: string
  parent?: string
  chain?: number
}

/** ops_in/nexthop.rs `spec`: a nexthop object, its device by index or name. */
export interface NexthopSpecFields extends OptLinkSel {
  op: 'nexthopAdd' | 'nexthopReplace'
  id?: number
  family?: 4 | 6
  gateway?: string
  blackhole?: boolean
  onlink?: boolean
  fdb?: boolean
  protocol?: number
  group?: { id: number; weight?: number }[]
  type?: 'mpath' | 'resilient'
  buckets?: number
  idleTimer?: number
  unbalancedTimer?: number
  encap?: Record<string, unknown>
}

/** ops_in/nexthop.rs: a dump of nexthop objects, filtered by the kernel. */
export interface NexthopListFields extends OptLinkSel {
  op: 'nexthopList'
  groups?: boolean
  fdb?: boolean
  master?: number
}

/** ops_in/tc.rs: standalone actions by kind (and index). */
export interface ActionRefFields {
  op: 'actionList' | 'actionGet' | 'actionDel' | 'actionFlush'
  kind: string
  index?: number
}

/** ops_in/tc.rs: standalone actions to add or replace. */
export interface ActionListFields {
  op: 'actionAdd' | 'actionReplace'
  /** Each `{ kind, cookie?, ...options }`, checked and encoded by the core's action registry. */
  actions: Record<string, unknown>[]
}

/** A dump of the routes of one table (all without `table`), of one family and link when given. */
export interface RouteListOp extends OptLinkSel {
  op: 'routeList'
  family?: 4 | 6
  table?: number
}

/** One operation for `NativeConn.submit`, by its `op` (ops.rs `request`). */
export type Op =
  | { op: 'linkList' }
  | ({ op: 'linkGet' } & LinkSel)
  | ({ op: 'linkSetUp'; up: boolean } & LinkSel)
  | ({ op: 'linkDel' } & LinkSel)
  | ({ op: 'linkAdd'; ifname: string; kind: string } & LinkSpecFields)
  | ({ op: 'linkSet' } & LinkSpecFields & LinkSel)
  | ({ op: 'linkAltnameAdd' | 'linkAltnameDel'; altnames: string[] } & LinkSel)
  | ({ op: 'linkStats'; groups: number } & OptLinkSel)
  | { op: 'netconfList' | 'maddrList'; family: number; index?: number }
  | { op: 'nsidList' | 'addrlabelList' }
  | { op: 'nsidGet'; netns: NetnsSpec }
  | { op: 'nsidSet'; netns: NetnsSpec; nsid: number }
  | { op: 'addrlabelAdd' | 'addrlabelDel'; prefix: string; prefixLen: number; label: number; index?: number }
  | { op: 'ntableList'; family: number; index?: number }
  | { op: 'mdbList'; index?: number }
  | {
      op: 'mdbAdd' | 'mdbReplace' | 'mdbDel'
      index: number
      port: number
      grp: string
      src?: string
      vid?: number
      permanent: boolean
      include?: boolean
      protocol?: number
    }
  | { op: 'vlanList' }
  | {
      op: 'vlanAdd' | 'vlanDel'
      index: number
      vid: number
      vidEnd?: number
      pvid?: boolean
      untagged?: boolean
      self?: boolean
      master?: boolean
    }
  | { op: 'ntableChange'; family: number; table: string; index?: number; settings: Record<string, number> }
  | (AddrFields & LinkSel)
  | ({ op: 'addrList'; family?: 4 | 6 } & OptLinkSel)
  | RouteFields
  | RouteListOp
  | { op: 'routeGet'; dst: string; src?: string; iif?: number; oif?: number; mark?: number }
  | (NeighFields & LinkSel)
  | ({ op: 'neighList'; family?: 4 | 6 | 7; proxy?: boolean } & OptLinkSel)
  | RuleFields
  | { op: 'ruleList'; family: 4 | 6 }
  | TcFields
  | TcFilterFields
  | TcListFields
  | ActionRefFields
  | ActionListFields
  | ({ op: 'qdiscList' } & OptLinkSel)
  | NexthopSpecFields
  | NexthopListFields
  | { op: 'nexthopGet' | 'nexthopDel'; id: number }
  | { op: 'nexthopBucketList'; id?: number; nhid?: number }

/** The names of the operations. */
export type OpName = Op['op']

/** The record of one operation (of those whose `op` is a single name). */
export type OpOf<K extends OpName> = Extract<Op, { op: K }>

/** An operation as submitted: the engine adds the call's token and, when given, its deadline (ms). */
export type Submitted = Op & { token: number; timeout?: number }

// The fields each operation may carry and their JSON types, as the binding declares them
// (crates/nlkit-node/src/ops_in/fields.rs, which refuses any other field). A contract test
// compares this table with the binding's `opFields()`; the check below makes every record of
// `Op` use only fields listed here, so the two sides cannot drift apart unnoticed.
type J = 'string' | 'number' | 'boolean' | 'object' | 'array'
const COMMON = { op: 'string', token: 'number', timeout: 'number' } as const
const LINK = { index: 'number', name: 'string' } as const
const FAMILY = { family: 'number' } as const
const LINK_SPEC = {
  netns: 'object',
  newName: 'string',
  ifname: 'string',
  kind: 'string',
  info: 'object',
  mtu: 'number',
  address: 'string',
  broadcast: 'string',
  txqlen: 'number',
  master: 'number',
  parent: 'number',
  alias: 'string',
  group: 'number',
  up: 'boolean',
  flagsSet: 'number',
  flagsMask: 'number',
  carrier: 'boolean',
  gsoMaxSize: 'number',
  gsoMaxSegs: 'number',
  groMaxSize: 'number',
  gsoIpv4MaxSize: 'number',
  groIpv4MaxSize: 'number',
  protodown: 'boolean',
  protodownReasonMask: 'number',
  protodownReasonValue: 'number',
  portKind: 'string',
  port: 'object',
  xdpFd: 'number',
  xdpPinned: 'string',
  xdpFlags: 'number',
} as const
const ADDR_SPEC = {
  address: 'string',
  prefixLen: 'number',
  scope: 'number',
  label: 'string',
  broadcast: 'string',
  peer: 'string',
  validLft: 'number',
  preferredLft: 'number',
  flags: 'number',
} as const
const ROUTE_SPEC = {
  dst: 'string',
  dstLen: 'number',
  gateway: 'string',
  nexthops: 'array',
  prefsrc: 'string',
  table: 'number',
  metric: 'number',
  scope: 'number',
  protocol: 'number',
  routeType: 'number',
  metrics: 'object',
  onlink: 'boolean',
  pref: 'number',
  nhid: 'number',
  encap: 'object',
  via: 'string',
  expires: 'number',
  ttlPropagate: 'boolean',
} as const
const ROUTE_QUERY = { dst: 'string', src: 'string', iif: 'number', oif: 'number', mark: 'number' } as const
const NEIGH_SPEC = {
  dst: 'string',
  lladdr: 'string',
  state: 'number',
  flags: 'number',
  vlan: 'number',
  port: 'number',
  vni: 'number',
  srcVni: 'number',
  via: 'number',
  nhid: 'number',
} as const
const RULE_SPEC = {
  priority: 'number',
  table: 'number',
  from: 'string',
  fromLen: 'number',
  to: 'string',
  toLen: 'number',
  iif: 'string',
  oif: 'string',
  fwmark: 'number',
  fwmask: 'number',
  tos: 'number',
  suppressPrefixLength: 'number',
  uidRange: 'object',
  action: 'number',
  goto: 'number',
  protocol: 'number',
  invert: 'boolean',
  ipproto: 'number',
  sport: 'object',
  dport: 'object',
  tunId: 'string',
  suppressIfgroup: 'number',
  realms: 'number',
  l3mdev: 'boolean',
  dscp: 'number',
} as const
const TC_SPEC = { kind: 'string', parent: 'string', handle: 'string', chain: 'number', options: 'object' } as const
const TC_FILTER = { pref: 'number', protocol: 'number' } as const
const TC_LIST = { parent: 'string', chain: 'number' } as const
const NH_SPEC = {
  id: 'number',
  family: 'number',
  gateway: 'string',
  blackhole: 'boolean',
  onlink: 'boolean',
  fdb: 'boolean',
  protocol: 'number',
  group: 'array',
  type: 'string',
  buckets: 'number',
  idleTimer: 'number',
  unbalancedTimer: 'number',
  encap: 'object',
} as const
const ACTION_REF = { kind: 'string', index: 'number' } as const
const ADDRLABEL = { prefix: 'string', prefixLen: 'number', label: 'number', index: 'number' } as const
const MDB = {
  index: 'number',
  port: 'number',
  grp: 'string',
  src: 'string',
  vid: 'number',
  permanent: 'boolean',
  protocol: 'number',
  include: 'boolean',
} as const
const VLAN = {
  index: 'number',
  vid: 'number',
  vidEnd: 'number',
  pvid: 'boolean',
  untagged: 'boolean',
  master: 'boolean',
  self: 'boolean',
} as const
const NTABLE = { family: 'number', index: 'number', table: 'string', settings: 'object' } as const

/** Each operation's fields and their JSON types (see above). */
export const OP_FIELDS = {
  linkGet: { ...COMMON, ...LINK },
  linkList: { ...COMMON },
  linkSetUp: { ...COMMON, ...LINK, up: 'boolean' },
  linkDel: { ...COMMON, ...LINK },
  linkAdd: { ...COMMON, ...LINK_SPEC },
  linkSet: { ...COMMON, ...LINK, ...LINK_SPEC },
  linkAltnameAdd: { ...COMMON, ...LINK, altnames: 'array' },
  linkAltnameDel: { ...COMMON, ...LINK, altnames: 'array' },
  linkStats: { ...COMMON, ...LINK, groups: 'number' },
  netconfList: { ...COMMON, ...FAMILY, index: 'number' },
  maddrList: { ...COMMON, ...FAMILY, index: 'number' },
  nsidList: { ...COMMON },
  nsidGet: { ...COMMON, netns: 'object' },
  nsidSet: { ...COMMON, netns: 'object', nsid: 'number' },
  addrlabelList: { ...COMMON },
  addrlabelAdd: { ...COMMON, ...ADDRLABEL },
  addrlabelDel: { ...COMMON, ...ADDRLABEL },
  ntableList: { ...COMMON, ...NTABLE },
  ntableChange: { ...COMMON, ...NTABLE },
  mdbList: { ...COMMON, index: 'number' },
  mdbAdd: { ...COMMON, ...MDB },
  mdbReplace: { ...COMMON, ...MDB },
  mdbDel: { ...COMMON, ...MDB },
  vlanList: { ...COMMON },
  vlanAdd: { ...COMMON, ...VLAN },
  vlanDel: { ...COMMON, ...VLAN },
  addrAdd: { ...COMMON, ...LINK, ...ADDR_SPEC },
  addrReplace: { ...COMMON, ...LINK, ...ADDR_SPEC },
  addrDel: { ...COMMON, ...LINK, ...ADDR_SPEC },
  addrList: { ...COMMON, ...LINK, ...FAMILY },
  routeAdd: { ...COMMON, ...LINK, ...FAMILY, ...ROUTE_SPEC },
  routeReplace: { ...COMMON, ...LINK, ...FAMILY, ...ROUTE_SPEC },
  routeAppend: { ...COMMON, ...LINK, ...FAMILY, ...ROUTE_SPEC },
  routeDel: { ...COMMON, ...LINK, ...FAMILY, ...ROUTE_SPEC },
  routeList: { ...COMMON, ...LINK, ...FAMILY, table: 'number' },
  routeGet: { ...COMMON, ...ROUTE_QUERY },
  neighAdd: { ...COMMON, ...LINK, ...FAMILY, ...NEIGH_SPEC },
  neighReplace: { ...COMMON, ...LINK, ...FAMILY, ...NEIGH_SPEC },
  neighAppend: { ...COMMON, ...LINK, ...FAMILY, ...NEIGH_SPEC },
  neighDel: { ...COMMON, ...LINK, ...FAMILY, ...NEIGH_SPEC },
  neighList: { ...COMMON, ...LINK, ...FAMILY, proxy: 'boolean' },
  ruleAdd: { ...COMMON, ...FAMILY, ...RULE_SPEC },
  ruleDel: { ...COMMON, ...FAMILY, ...RULE_SPEC },
  ruleList: { ...COMMON, ...FAMILY },
  qdiscList: { ...COMMON, ...LINK },
  qdiscAdd: { ...COMMON, ...LINK, ...TC_SPEC },
  qdiscReplace: { ...COMMON, ...LINK, ...TC_SPEC },
  qdiscChange: { ...COMMON, ...LINK, ...TC_SPEC },
  qdiscDel: { ...COMMON, ...LINK, ...TC_SPEC },
  classList: { ...COMMON, ...LINK, ...TC_LIST },
  classAdd: { ...COMMON, ...LINK, ...TC_SPEC },
  classReplace: { ...COMMON, ...LINK, ...TC_SPEC },
  classChange: { ...COMMON, ...LINK, ...TC_SPEC },
  classDel: { ...COMMON, ...LINK, ...TC_SPEC },
  filterList: { ...COMMON, ...LINK, ...TC_LIST },
  filterAdd: { ...COMMON, ...LINK, ...TC_SPEC, ...TC_FILTER },
  filterReplace: { ...COMMON, ...LINK, ...TC_SPEC, ...TC_FILTER },
  filterChange: { ...COMMON, ...LINK, ...TC_SPEC, ...TC_FILTER },
  filterDel: { ...COMMON, ...LINK, ...TC_SPEC, ...TC_FILTER },
  filterGet: { ...COMMON, ...LINK, ...TC_SPEC, ...TC_FILTER },
  chainList: { ...COMMON, ...LINK, ...TC_LIST },
  chainAdd: { ...COMMON, ...LINK, ...TC_SPEC },
  chainDel: { ...COMMON, ...LINK, ...TC_SPEC },
  nexthopAdd: { ...COMMON, ...LINK, ...NH_SPEC },
  nexthopReplace: { ...COMMON, ...LINK, ...NH_SPEC },
  nexthopDel: { ...COMMON, id: 'number' },
  nexthopGet: { ...COMMON, id: 'number' },
  nexthopList: { ...COMMON, ...LINK, groups: 'boolean', fdb: 'boolean', master: 'number' },
  nexthopBucketList: { ...COMMON, id: 'number', nhid: 'number' },
  actionList: { ...COMMON, ...ACTION_REF },
  actionGet: { ...COMMON, ...ACTION_REF },
  actionDel: { ...COMMON, ...ACTION_REF },
  actionFlush: { ...COMMON, ...ACTION_REF },
  actionAdd: { ...COMMON, actions: 'array' },
  actionReplace: { ...COMMON, actions: 'array' },
} as const satisfies Record<OpName, Record<string, J>>

/** Every field an `Op` record sets is in its operation's OP_FIELDS entry, or this does not compile. */
type OpCarrying<K extends OpName, X = Op> = X extends { op: infer O } ? (K extends O ? X : never) : never
type KeysOf<T> = T extends unknown ? keyof T : never
type FieldsListed = { [K in OpName]: Exclude<KeysOf<OpCarrying<K>>, keyof (typeof OP_FIELDS)[K]> }
export type OpFieldsAgree = Assert<FieldsListed[OpName] extends never ? true : false>

// ---------------------------------------------------------------------------------------------
// Completions

/** What the `part` of a completion says (json.rs `batch`). */
export const enum Part {
  /** The last (or only) objects of this request: it is complete. */
  Last = 0,
  /** More objects of this dump follow. */
  More = 1,
  /** Discard the parts so far: the dump restarts. */
  Restart = 2,
}

/**
 * One completion, `[token, error, objects, part]`; a batch (one JSON text) is an array of them.
 * `objects` is null when `error` is set.
 */
export type Completion = [token: number, error: NativeError | null, objects: unknown[] | null, part: Part]

// ---------------------------------------------------------------------------------------------
// Positional layouts

/**
 * A route as the binding sends it (json.rs `route`): flat, {@link ROUTE_LEN} values per route,
 * a dump's routes one after another in one array. protocol/scope/type and the flag bits are
 * numbers, oif is 0 and dev null when absent, extra is null or an object of the rarer fields.
 * A const enum: every use compiles to the bare index.
 */
export const enum ROUTE {
  family = 0,
  dst = 1,
  dstLen = 2,
  table = 3,
  protocol = 4,
  scope = 5,
  type = 6,
  flags = 7,
  oif = 8,
  dev = 9,
  extra = 10,
}

/** Values per route in the positional layout. */
export const ROUTE_LEN = 11

/** The positional route layout's field names in order (for the contract test against the binding). */
export const ROUTE_FIELDS = ['family', 'dst', 'dstLen', 'table', 'protocol', 'scope', 'type', 'flags', 'oif', 'dev', 'extra'] as const

// ROUTE, ROUTE_FIELDS and ROUTE_LEN agree, or this does not compile.
type Assert<T extends true> = T
type FieldAgrees = { [K in keyof typeof ROUTE]: (typeof ROUTE_FIELDS)[(typeof ROUTE)[K]] extends K ? true : false }
export type RouteLayoutAgrees = Assert<
  FieldAgrees[keyof typeof ROUTE] extends true ? ((typeof ROUTE_FIELDS)['length'] extends typeof ROUTE_LEN ? true : false) : false
>

/** Routes in the positional layout: {@link ROUTE_LEN} values each. */
export type WireRoutes = unknown[]
