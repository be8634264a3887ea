/**
 * A generic family driven by its YNL spec: any operation by name with named attributes,
 * replies and notifications decoded by the spec. It runs on a connection's generic socket
 * (the family id resolved by name, as for every generic request).
 *
 * @module
 */

import { readFile } from 'node:fs/promises'
import type { RawEvents, RawEventsOptions } from '../../raw-events.js'
import type { CallOptions } from '../../types.js'
import { describe } from '../../validate.js'
import type { GenlConn } from '../conn.js'
import { type GenlMessage, genlRequest, genlSubscribe } from '../families.js'
import { decode, encode } from './codec.js'
import { readSpec, type Spec, type SpecOp } from './spec.js'

/**
 * One item of {@link GenlSpecFamily.subscribe}: a notification decoded by the spec (`op` is
 * the spec's operation whose command it carries), or the point where the kernel dropped some.
 * @category Generic netlink
 */
export type GenlSpecEvent =
  | {
      /** A notification. */
      type: 'notification'
      /** The spec's operation name (`dev-add-ntf`), or the command number if the spec has none. */
      op: string | number
      /** Its attributes, decoded by the operation's attribute set. */
      attrs: Record<string, unknown>
    }
  | {
      /** The kernel dropped notifications here. */
      type: 'overflow'
    }

/**
 * A subscription to a spec family's multicast groups: iterate with `for await`; `close()`
 * (or `break`) ends it.
 * @category Generic netlink
 */
export interface GenlSpecSubscription extends AsyncIterableIterator<GenlSpecEvent> {
  /** Ends the subscription. Idempotent. */
  close(): void
}

/**
 * A generic family described by a YNL spec (see {@link genlSpec}). Attribute names are the
 * spec's (`'ifindex'`, `'xdp-features'`) or their camelCase; results use camelCase. Enums go
 * by name, flag sets as lists of names, nests as objects, multi-attrs and indexed arrays as
 * lists, integers past 2^53 as bigints.
 * @category Generic netlink
 */
export interface GenlSpecFamily {
  /** The family's name, as the kernel knows it. */
  readonly name: string
  /** The spec's operation names. */
  readonly operations: string[]
  /** The spec's multicast group names. */
  readonly mcastGroups: string[]
  /**
   * Runs operation `op`'s `do` with `attrs`: resolves the reply's attributes, decoded, or
   * `undefined` for an operation acknowledged without a reply.
   */
  do(op: string, attrs?: Record<string, unknown>, o?: CallOptions): Promise<Record<string, unknown> | undefined>
  /** Runs operation `op`'s `dump` with `attrs` (a filter, where the family takes one): every reply, decoded. */
  dump(op: string, attrs?: Record<string, unknown>, o?: CallOptions): Promise<Record<string, unknown>[]>
  /** Joins the spec's multicast groups `groups` and yields their notifications, decoded. */
  subscribe(groups: string[], o?: RawEventsOptions): Promise<GenlSpecSubscription>
}

export class SpecFamily implements GenlSpecFamily {
  readonly #g: () => GenlConn
  readonly #spec: Spec

  constructor(spec: Spec, conn: () => GenlConn) {
    this.#spec = spec
    this.#g = conn
  }

  get name(): string {
    return this.#spec.name
  }

  get operations(): string[] {
    return [...new Set([...this.#spec.ops.values()].map((o) => o.name))]
  }

  get mcastGroups(): string[] {
    return [...this.#spec.mcastGroups]
  }

  async do(op: string, attrs?: Record<string, unknown>, o?: CallOptions): Promise<Record<string, unknown> | undefined> {
    const [r] = await this.#call(op, 'do', attrs, o)
    return r
  }

  dump(op: string, attrs?: Record<string, unknown>, o?: CallOptions): Promise<Record<string, unknown>[]> {
    return this.#call(op, 'dump', attrs, o)
  }

  async subscribe(groups: string[], o?: RawEventsOptions): Promise<GenlSpecSubscription> {
    if (!Array.isArray(groups)) throw new TypeError(`groups must be an array of group names, got ${describe(groups)}`)
    for (const g of groups) {
      if (!this.#spec.mcastGroups.includes(g))
        throw new RangeError(`groups: ${describe(g)} is not a multicast group of ${this.name} (${this.#spec.mcastGroups.join(', ')})`)
    }
    return events(this.#spec, await genlSubscribe(this.#g(), this.name, groups, o))
  }

  async #call(name: string, mode: 'do' | 'dump', attrs: Record<string, unknown> | undefined, o?: CallOptions) {
    const op = this.#spec.ops.get(name)
    if (typeof name !== 'string' || !op) throw new RangeError(`op: ${describe(name)} is not an operation of ${this.name}`)
    const msg = op[mode]
    if (!msg) throw new RangeError(`op ${name} has no ${mode} in the ${this.name} spec`)
    const payload = encode(this.#spec, op.set, attrs ?? {}, 'attrs')
    const req = { family: this.name, cmd: msg.request.cmd, version: this.#spec.version, attrs: payload, dump: mode === 'dump' }
    const replies = await genlRequest(this.#g(), req, o)
    return replies.map((m) => decodeMessage(this.#spec, m, op))
  }
}

function setOf(spec: Spec, op: SpecOp): string {
  return op.set || (op.notify ? (spec.ops.get(op.notify)?.set ?? '') : '')
}

function decodeMessage(spec: Spec, m: GenlMessage, op: SpecOp): Record<string, unknown> {
  return decode(spec, setOf(spec, spec.byReplyCmd.get(m.cmd) ?? op), m.attrs)
}

function events(spec: Spec, raw: RawEvents): GenlSpecSubscription {
  const it: GenlSpecSubscription = {
    async next(): Promise<IteratorResult<GenlSpecEvent>> {
      const r = await raw.next()
      if (r.done) return { value: undefined, done: true }
      if (r.value.type === 'overflow') return { value: { type: 'overflow' }, done: false }
      const p = r.value.message.payload
      const cmd = p[0] ?? 0
      const op = spec.byReplyCmd.get(cmd)
      const set = op ? setOf(spec, op) : ''
      const attrs = set ? decode(spec, set, p.subarray(4)) : {}
      return { value: { type: 'notification', op: op?.name ?? cmd, attrs }, done: false }
    },
    async return(): Promise<IteratorResult<GenlSpecEvent>> {
      raw.close()
      return { value: undefined, done: true }
    },
    [Symbol.asyncIterator]() {
      return it
    },
    close: () => raw.close(),
  }
  return it
}

/** Reads a spec: YAML text (parsed with the `yaml` package, loaded on first use) or the parsed document. */
export async function loadSpec(source: unknown): Promise<Spec> {
  if (typeof source === 'string') {
    const { parse } = await import('yaml')
    return readSpec(parse(source))
  }
  if (typeof source !== 'object' || source === null)
    throw new TypeError(`spec must be YAML text or a parsed spec object, got ${describe(source)}`)
  return readSpec(source)
}

/** Reads a spec file (`Documentation/netlink/specs/netdev.yaml` from a kernel tree, ...). */
export async function loadSpecFile(path: unknown): Promise<Spec> {
  if (typeof path !== 'string' && !(path instanceof URL)) throw new TypeError(`path must be a string or a URL, got ${describe(path)}`)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (e) {
    // A path that cannot be read is a bad argument like any other.
    throw new RangeError(`path ${describe(String(path))}: cannot read the spec (${(e as NodeJS.ErrnoException).code ?? e})`, { cause: e })
  }
  return loadSpec(text)
}
