/**
 * WireGuard (`wireguard` family; `wg`): a device's keys, port, mark and peers, read and
 * changed on a connection's generic socket, and the key helpers (`wg genkey`, `wg pubkey`,
 * `wg genpsk`) on node:crypto's X25519. Keys are base64, as `wg` shows them.
 *
 * @module
 */

import { createPrivateKey, createPublicKey, randomBytes } from 'node:crypto'
import { wireguardSetBodies } from '../native.js'
import type { CallOptions, LinkRef } from '../types.js'
import { checkBool, checkInt, checkIp, checkLinkRef, describe, parseCidr } from '../validate.js'
import { checkObject, familyCall } from './args.js'
import type { GenlConn } from './conn.js'

/**
 * One peer of a WireGuard device, as `wg show` shows it.
 * @category WireGuard
 */
export interface WgPeer {
  /** The peer's public key (base64). */
  publicKey: string
  /** The preshared key, when one is set. */
  presharedKey?: string
  /** Its endpoint, `1.2.3.4:51820` or `[2001:db8::1]:51820`. */
  endpoint?: string
  /** Persistent keepalive interval, s (0: off). */
  persistentKeepalive?: number
  /** The last handshake, ms since 1970 (0: never). */
  lastHandshake?: number
  /** Bytes received from it. */
  rxBytes?: number
  /** Bytes sent to it. */
  txBytes?: number
  /** Its allowed IPs, `10.0.0.0/24`. */
  allowedIps: string[]
  /** The WireGuard protocol version. */
  protocolVersion?: number
}

/**
 * A WireGuard device (`wg show DEV`).
 * @category WireGuard
 */
export interface WgDevice {
  /** The device's index. */
  ifindex: number
  /** Its name. */
  ifname: string
  /** Its private key (base64), when set. */
  privateKey?: string
  /** Its public key (base64), when a private key is set. */
  publicKey?: string
  /** UDP port it listens on. */
  listenPort?: number
  /** Firewall mark of its packets (0: none). */
  fwmark?: number
  /** Its peers. */
  peers: WgPeer[]
}

/**
 * A peer's change (`wg set DEV peer KEY ...`).
 * @category WireGuard
 */
export interface WgPeerSpec {
  /** The peer's public key (base64), which names it. */
  publicKey: string
  /** A preshared key (base64); `null` removes it. */
  presharedKey?: string | null
  /** `ADDRESS:PORT` or `[ADDRESS]:PORT`. */
  endpoint?: string
  /** Persistent keepalive interval, s (0: off). */
  persistentKeepalive?: number
  /** Allowed IPs to add (`10.0.0.0/24`). */
  allowedIps?: string[]
  /** Replace the peer's allowed IPs with `allowedIps` rather than adding them. */
  replaceAllowedIps?: boolean
  /** Remove the peer. */
  remove?: boolean
  /** Change the peer only if it exists (never create it). */
  updateOnly?: boolean
}

/**
 * A device change (`wg set` / `wg setconf`).
 * @category WireGuard
 */
export interface WgDeviceSpec {
  /** The private key (base64). */
  privateKey?: string
  /** UDP listen port (0: pick one). */
  listenPort?: number
  /** Firewall mark (0: none). */
  fwmark?: number
  /** Remove every peer not in `peers` (`wg setconf`). */
  replacePeers?: boolean
  /** Peers to add, change or remove. */
  peers?: WgPeerSpec[]
}

const DEVICE_KEYS: ReadonlySet<string> = new Set(['privateKey', 'listenPort', 'fwmark', 'replacePeers', 'peers'])
const PEER_KEYS: ReadonlySet<string> = new Set([
  'publicKey',
  'presharedKey',
  'endpoint',
  'persistentKeepalive',
  'allowedIps',
  'replaceAllowedIps',
  'remove',
  'updateOnly',
])
const ZERO_KEY = Buffer.alloc(32).toString('base64')

/** A key: 32 bytes of base64 (44 characters), else a RangeError naming `name`. */
export function checkKey(v: unknown, name: string): string {
  if (typeof v !== 'string') throw new TypeError(`${name} must be a base64 key string, got ${describe(v)}`)
  if (!/^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/.test(v))
    throw new RangeError(`${name} must be 32 bytes of base64 (44 characters), got ${describe(v)}`)
  return v
}

function checkEndpoint(v: unknown, name: string): string {
  if (typeof v !== 'string') throw new TypeError(`${name} must be "ADDRESS:PORT", got ${describe(v)}`)
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(v)
  if (!m) throw new TypeError(`${name} must be "ADDRESS:PORT" or "[ADDRESS]:PORT", got ${describe(v)}`)
  checkIp(m[1] ?? m[2], name)
  checkInt(Number(m[3]), `${name} port`, 1, 65535)
  return v
}

function checkPeer(p: unknown, name: string): Record<string, unknown> {
  const s = checkObject(p as WgPeerSpec, PEER_KEYS, name)
  if (p === undefined) throw new TypeError(`${name} must be an object`)
  const out: Record<string, unknown> = { publicKey: checkKey(s.publicKey, `${name}.publicKey`) }
  if (s.presharedKey !== undefined) out.presharedKey = s.presharedKey === null ? ZERO_KEY : checkKey(s.presharedKey, `${name}.presharedKey`)
  if (s.endpoint !== undefined) out.endpoint = checkEndpoint(s.endpoint, `${name}.endpoint`)
  if (s.persistentKeepalive !== undefined)
    out.persistentKeepalive = checkInt(s.persistentKeepalive, `${name}.persistentKeepalive`, 0, 65535)
  if (s.allowedIps !== undefined) {
    if (!Array.isArray(s.allowedIps)) throw new TypeError(`${name}.allowedIps must be an array, got ${describe(s.allowedIps)}`)
    out.allowedIps = s.allowedIps.map((c, i) => {
      const p = parseCidr(c, `${name}.allowedIps[${i}]`)
      return `${p.address}/${p.prefixLen}`
    })
  }
  for (const k of ['replaceAllowedIps', 'remove', 'updateOnly'] as const) if (s[k] !== undefined) out[k] = checkBool(s[k], `${name}.${k}`)
  return out
}

function devArgs(dev: LinkRef) {
  const d = checkLinkRef(dev, 'dev')
  return typeof d === 'number' ? { ifindex: d } : { ifname: d }
}

/**
 * Joins the kernel's parts of one device: each message repeats the device, and a peer whose
 * allowed IPs did not fit continues at the start of the next (its key again, more IPs).
 */
export function joinParts(parts: WgDevice[]): WgDevice {
  const [first] = parts
  if (!first) throw new RangeError('the kernel sent no device')
  const peers: WgPeer[] = []
  for (const part of parts) {
    for (const p of part.peers) {
      const last = peers.at(-1)
      if (last && last.publicKey === p.publicKey) last.allowedIps.push(...p.allowedIps)
      else peers.push(p)
    }
  }
  return { ...first, peers }
}

export async function wgDeviceGet(g: GenlConn, dev: LinkRef, o?: CallOptions): Promise<WgDevice> {
  const args = devArgs(dev)
  return joinParts(await familyCall<WgDevice>(g, 'wireguard', 'get', 'wgDeviceGet', String(dev), args, o))
}

/**
 * Applies a change in as many messages as it needs (wg's page-sized ones, each acknowledged
 * before the next is sent): a failure stops there, with the messages before it applied.
 */
export async function wgDeviceSet(g: GenlConn, dev: LinkRef, spec: WgDeviceSpec, o?: CallOptions): Promise<void> {
  const s = checkObject(spec, DEVICE_KEYS, 'spec')
  if (spec === undefined) throw new TypeError('spec must be an object, got undefined')
  const args: Record<string, unknown> = devArgs(dev)
  if (s.privateKey !== undefined) args.privateKey = checkKey(s.privateKey, 'spec.privateKey')
  if (s.listenPort !== undefined) args.listenPort = checkInt(s.listenPort, 'spec.listenPort', 0, 65535)
  if (s.fwmark !== undefined) args.fwmark = checkInt(s.fwmark, 'spec.fwmark', 0, 0xffffffff)
  if (s.replacePeers !== undefined) args.replacePeers = checkBool(s.replacePeers, 'spec.replacePeers')
  if (s.peers !== undefined) {
    if (!Array.isArray(s.peers)) throw new TypeError(`spec.peers must be an array, got ${describe(s.peers)}`)
    args.peers = s.peers.map((p, i) => checkPeer(p, `spec.peers[${i}]`))
  }
  const bodies = wireguardSetBodies(JSON.stringify(args))
  for (const payload of bodies) {
    await g.call('wgDeviceSet', String(dev), { op: 'request', family: 'wireguard', cmd: 1, version: 1, payload }, o)
  }
}

/** PKCS#8 DER of an X25519 private key, before its 32 bytes. */
const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex')

/**
 * A new WireGuard private key (`wg genkey`): 32 random bytes, clamped for Curve25519, base64.
 * @category WireGuard
 */
export function wgGenerateKey(): string {
  const k = randomBytes(32)
  k[0] = (k[0] as number) & 248
  k[31] = ((k[31] as number) & 127) | 64
  return k.toString('base64')
}

/**
 * A new preshared key (`wg genpsk`): 32 random bytes, base64.
 * @category WireGuard
 */
export function wgGeneratePresharedKey(): string {
  return randomBytes(32).toString('base64')
}

/**
 * The public key of a private key (`wg pubkey`), both base64.
 * @category WireGuard
 */
export function wgPublicKey(privateKey: string): string {
  const k = Buffer.from(checkKey(privateKey, 'privateKey'), 'base64')
  const priv = createPrivateKey({ key: Buffer.concat([PKCS8_X25519, k]), format: 'der', type: 'pkcs8' })
  const jwk = createPublicKey(priv).export({ format: 'jwk' })
  return Buffer.from(jwk.x as string, 'base64url').toString('base64')
}
