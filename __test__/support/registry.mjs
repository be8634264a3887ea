// What each test file owns in the shared network namespace.
//
// The whole ava run shares ONE network namespace (.ci/in-netns.sh) and ava runs the test files in
// parallel processes, so no two files may make, select or wait for the same things. Each file
// takes its entry here, `const own = owned('links-set')`, and makes its interface names, namespace
// names, route tables, rule priorities, marks and VXLAN ids from it; its address literals must lie
// in its ranges. registry.test.mjs (no kernel needed) checks that no two entries overlap, that
// every file that changes the kernel has an entry and takes it, and that the addresses written in
// each file are its own.
//
// An entry, keyed by the file's name without `.test.mjs` (every field optional):
//   prefix      interface names start with it (names.mjs: namer(own.prefix)); no prefix may be a
//               prefix of another one
//   netns       the named namespaces the file makes start with one of these
//   v4, v6      CIDRs: the addresses it assigns, routes, selects in rules, gives as tunnel ends
//   tables      route tables: numbers and [first, last] ranges; own.table(k, r) is the k-th of range r
//   priorities  rule priorities, the same way (own.priority(k, r))
//   fwmarks     firewall marks its rules select (own.fwmark(k, r))
//   vnis        VXLAN ids: the kernel refuses a second vxlan with the same id and port (own.vni(k, r))
//   claims      namespace-wide state only this file may change (no two entries claim the same)
//
// Subscriptions that must see no events of some kind (a pending next() that must end `done`) do
// not listen in the shared namespace: other files make those events at any moment. They listen in
// a namespace of their own (the `netns` of their entry), where nothing else happens.

/** Addresses no file assigns to a link or routes: any file may use them where an address must
 * lead nowhere (an unreachable or off-link gateway, a destination only a default route reaches). */
export const NOWHERE = { v4: ['192.0.2.0/24'], v6: ['2001:db8:ffff::/48'] }

const REGISTRY = {
  // ---- links, addresses, neighbours ---------------------------------------------------------------
  addresses: { prefix: 'ad', v4: ['10.20.0.0/14', '10.24.0.0/13'], v6: ['2001:db8:20::/44', '2001:db8:30::/47'] },
  'links-list': { prefix: 'lk' },
  'links-set': { prefix: 'sb', netns: ['nlk-sb-'] },
  'links-kinds': {
    prefix: 'sa',
    netns: ['nlk-sa-'],
    v4: ['10.150.0.0/16', '239.150.0.0/16'],
    v6: ['2001:db8:150::/48'],
    vnis: [
      [4242, 4244],
      [43, 44],
    ],
  },
  'links-roundtrip': {
    prefix: 'lr',
    netns: ['nlk-lr-'],
    v4: ['10.151.0.0/16', '239.151.0.0/16'],
    v6: ['2001:db8:151::/48'],
    tables: [5009],
    vnis: [4245],
  },
  'links-name-cache': { prefix: 'nc', netns: ['nlkit-nc-'], v4: ['10.211.0.0/16'] },
  'links-loopback': { v4: ['127.0.0.0/8'], claims: ['lo (brought up)'] },
  neighbours: { prefix: 'sd', v4: ['10.153.0.0/16'], v6: ['2001:db8:153::/48'] },

  // ---- routes and rules ---------------------------------------------------------------------------
  'tc-actions': { prefix: 'tav', netns: ['nlk-ta-'] },
  nexthops: { prefix: 'nh', netns: ['nlk-nh-'], v4: ['10.177.0.0/16'], v6: ['2001:db8:177::/48'] },
  routes: {
    prefix: 'rt',
    v4: ['10.40.0.0/13', '10.48.0.0/13', '10.56.0.0/14'],
    v6: ['2001:db8:40::/44', '2001:db8:50::/45', '2001:db8:58::/47'],
    tables: [[1000, 1099], 110, 70000, 4000000000],
    claims: ['default routes of the main table'],
  },
  'routes-spec': {
    prefix: 'sc',
    v4: ['10.152.0.0/16'],
    v6: ['2001:db8:152::/48'],
    tables: [[5020, 5039]],
    priorities: [20250],
    fwmarks: [[0x15200, 0x152ff]],
  },
  'routes-stream': { prefix: 'st', v4: ['10.210.0.0/16'], tables: [[6100, 6102]] },
  // Works in namespaces of its own (nlk-re-*); the addresses below never reach the shared one.
  'routes-encap': { prefix: 're', netns: ['nlk-re-'], v4: ['10.213.0.0/16'], v6: ['2001:db8:213::/48'] },
  // fwmarks: also 0x10/0xff and 0x20/0xf0, narrowed to this file's destinations / interfaces.
  rules: {
    prefix: 'se',
    v4: ['10.154.0.0/16'],
    v6: ['2001:db8:154::/48'],
    tables: [[5040, 5049]],
    priorities: [[20400, 20499]],
    fwmarks: [[0x15400, 0x154ff]],
  },

  // ---- namespaces (examples/two-hosts.mjs, run by netns.test.mjs, makes nlkit-host-a / -b) -------
  netns: { prefix: 'sf', netns: ['nlk-sf-', 'nlkit-host-'], v4: ['10.155.0.0/16', '10.77.0.0/16'] },

  // ---- the engine, connections, errors, the module ------------------------------------------------
  'engine-concurrency': { prefix: 'cc', v4: ['10.70.0.0/15'], tables: [[3000, 3002]] },
  'engine-dumps': { prefix: 'dm', v4: ['10.60.0.0/15', '10.62.0.0/16'], tables: [[2000, 2002]] },
  'connection-lifecycle': { prefix: 'lc' },
  // v6 2001:db8::/48: only in an argument refused before anything is sent.
  errors: { prefix: 'er', v4: ['10.80.0.0/16'], v6: ['2001:db8:80::/48', '2001:db8::/48'], tables: [[4000, 4003]] },
  'errors-unprivileged': { prefix: 'ep', netns: ['nlk-ep-'], v4: ['10.90.0.0/16'] },
  'args-validation': {
    prefix: 'sg',
    netns: ['nlk-sg-'],
    v4: ['10.156.0.0/16'],
    v6: ['2001:db8:156::/48'],
    tables: [5060],
    priorities: [[20600, 20699]],
  },
  module: { prefix: 'md' },

  // ---- hostile arguments and deadlines (hardening) ----------------------------------------------
  'args-isolation': {
    prefix: 'ai',
    v4: ['10.157.0.0/16'],
    v6: ['2001:db8:157::/48', 'fe80::/64'],
    tables: [5070],
    priorities: [20700],
    vnis: [4270],
  },
  'engine-deadlines': { prefix: 'dl', v4: ['10.158.0.0/16'] },
  'netns-paths': { prefix: 'np' },
  'connection-gc': {},
  platform: {},
  'api-fuzz': { prefix: 'fz', netns: ['nlk-fz-'], v4: ['10.0.0.1/32'] },
  'engine-forged': { prefix: 'fg', v4: ['10.160.0.0/16'], tables: [5080] },

  // ---- raw netlink: its links live in its own namespace; the SOCK_DIAG test listens on 0.0.0.0 --
  raw: { prefix: 'rw', netns: ['nlk-rw-'], v4: ['0.0.0.0/32'] },
  genl: { prefix: 'gn', netns: ['nlk-gn-'] },
  // ---- sock_diag: the sockets live in the files' own namespaces, on addresses put on their lo
  // (no interfaces made, so no name prefix: 'sd' is neighbours').
  sockets: { netns: ['nlk-sd-'], v4: ['10.181.0.0/17'], v6: ['2001:db8:181::/49'] },
  'sockets-scale': { netns: ['nlk-sdx-'], v4: ['10.181.128.0/17'], v6: ['2001:db8:181:8000::/49'] },
  // (netns 'nlk-cs-' is conntrack-stream's.)
  'sockets-stream': { netns: ['nlk-ss-'], v4: ['10.190.0.0/16'], v6: ['2001:db8:190::/48'] },
  'genl-ethtool': { prefix: 'et', netns: ['nlk-et-'] },
  'genl-wireguard': { prefix: 'wg', netns: ['nlk-wg-'], v4: ['10.185.0.0/16'], v6: ['2001:db8:185::/48'] },
  'genl-ynl': { prefix: 'gy', netns: ['nlk-gy-'], v4: ['10.184.0.0/16'], v6: ['2001:db8:184::/48'] },
  'genl-families': { prefix: 'gm', netns: ['nlk-gm-'], v4: ['10.183.0.0/16'], v6: ['2001:db8:183::/48'] },
  conntrack: { prefix: 'ct', netns: ['nlk-ct-'], v4: ['10.180.0.0/16'], v6: ['2001:db8:180::/48'] },
  'conntrack-nat': { prefix: 'cn', netns: ['nlk-cn-'], v4: ['10.189.0.0/16'], v6: ['2001:db8:189::/48'] },
  'conntrack-events': { netns: ['nlk-cv-'], v4: ['10.186.0.0/16'], v6: ['2001:db8:186::/48'] },
  'conntrack-stream': { netns: ['nlk-cs-'], v4: ['10.187.0.0/16'] },
  // 255.255.255.255: the expectation masks (no address of a link).
  'conntrack-expect': { netns: ['nlk-cx-'], v4: ['10.188.0.0/16', '255.255.255.255/32'], v6: ['2001:db8:188::/48'] },
  trace: { prefix: 'tr', v4: ['10.230.0.0/16'] },

  // ---- traffic control ------------------------------------------------------------------------------
  'tc-qdiscs': { prefix: 'tq' },
  xfrm: { prefix: 'xf', netns: ['nlk-xf-'], v4: ['10.182.0.0/16'], v6: ['2001:db8:182::/48'] },
  'xfrm-extras': { prefix: 'xg', netns: ['nlk-xg-'], v4: ['10.191.0.0/16'], v6: ['2001:db8:191::/48'] },
  'tc-htb': { prefix: 'th', netns: ['nlk-th-'], v4: ['10.170.0.0/16'], v6: ['2001:db8:170::/48'] },
  'tc-filters': { prefix: 'tf', netns: ['nlk-tf-'], v4: ['10.171.0.0/16'], v6: ['2001:db8:171::/48'] },
  'tc-kinds': { prefix: 'tk' },
  'tc-kinds-more': { prefix: 'tm' },
  'tc-cls': { prefix: 'tcl', netns: ['nlk-tcl-'], v4: ['10.178.0.0/16'] },
  'tc-cls-kinds': { prefix: 'tcm', netns: ['nlk-tcm-'], v4: ['10.179.0.0/16'] },

  // ---- the command line (nlkit's CLI run as a child process) -----------------------------------------
  cli: {
    prefix: 'cli',
    netns: ['nlk-cli-'],
    v4: ['10.212.0.0/16'],
    v6: ['2001:db8:212::/48'],
    tables: [[5090, 5099]],
    priorities: [[20900, 20999]],
  },

  // ---- events ---------------------------------------------------------------------------------------
  'events-kinds': { prefix: 'eva', v4: ['10.201.0.0/16'], v6: ['2001:db8:e01::/48'], tables: [[2110, 2119]], priorities: [[21100, 21199]] },
  'events-existing': {
    prefix: 'evb',
    v4: ['10.202.0.0/16'],
    v6: ['2001:db8:e02::/48'],
    tables: [[2120, 2129]],
    priorities: [[21200, 21299]],
  },
  // 100,000 /32s do not fit in one /16. Takes the events lock (events.mjs) exclusively.
  'events-burst': { prefix: 'evc', v4: ['10.203.0.0/16', '10.206.0.0/16'], tables: [[2130, 2139]] },
  'events-lifecycle': { prefix: 'evd', netns: ['nlk-evd-'], v4: ['10.204.0.0/16'] },
  'events-process': { prefix: 'eve', netns: ['nlk-eve-'] },
  'events-tc': { prefix: 'evt', netns: ['nlk-evt-'] },
  'neighbours-extras': { prefix: 'nbx', netns: ['nlk-nbx-'], v4: ['10.161.0.0/16'], v6: ['2001:db8:161::/48'], vnis: [158, 160] },
  'bridge-tables': {
    prefix: 'brt',
    netns: ['nlk-brt-'],
    v4: ['10.162.0.0/16', '239.1.62.0/24'],
    v6: ['2001:db8:162::/48', 'ff0e::1:62:0/112'],
  },
  'misc-tables': { prefix: 'mst', netns: ['nlk-mst-'], v4: ['10.163.0.0/16', '239.1.63.0/24'], v6: ['2001:db8:15a::/48'] },
  'links-extras': { prefix: 'lxe', netns: ['nlk-lxe-'], v4: ['10.159.0.0/16'] },
  'events-subscribe': {
    prefix: 'evf',
    v4: ['10.205.0.0/16'],
    v6: ['2001:db8:e05::/48'],
    tables: [[2150, 2159]],
    priorities: [[21500, 21599]],
  },
}

const NUMBERED = { tables: 'table', priorities: 'priority', fwmarks: 'fwmark', vnis: 'vni' }

function entry(key, spec) {
  const e = {
    key,
    file: `${key}.test.mjs`,
    prefix: spec.prefix,
    netns: spec.netns ?? [],
    v4: spec.v4 ?? [],
    v6: spec.v6 ?? [],
    claims: spec.claims ?? [],
  }
  for (const [field, one] of Object.entries(NUMBERED)) {
    const ranges = (spec[field] ?? []).map((x) => (Array.isArray(x) ? { first: x[0], last: x[1] } : { first: x, last: x }))
    e[field] = ranges
    /** The k-th number of range r (in the order the entry lists them); throws past its end. */
    e[one] = (k = 0, r = 0) => {
      const range = ranges[r]
      if (!range || !Number.isInteger(k) || k < 0 || range.first + k > range.last) {
        throw new RangeError(`${key}: the registry gives no ${one} #${k} in range ${r} (support/registry.mjs)`)
      }
      return range.first + k
    }
  }
  /** Whether number n is in this entry's `field` ('tables', 'priorities', ...). */
  e.has = (field, n) => e[field].some((r) => n >= r.first && n <= r.last)
  return Object.freeze(e)
}

/** Every entry, keyed by file name without `.test.mjs`. */
export const ENTRIES = Object.freeze(Object.fromEntries(Object.entries(REGISTRY).map(([k, v]) => [k, entry(k, v)])))

/** The entry of one test file: `owned('links-set')` for links-set.test.mjs. */
export function owned(key) {
  const e = ENTRIES[key]
  if (!e) throw new Error(`no entry '${key}' in support/registry.mjs: add one for ${key}.test.mjs`)
  return e
}
