/**
 * A YNL family spec (the YAML the kernel keeps in Documentation/netlink/specs/) read into
 * lookup tables: attribute sets with their numbers (explicit `value`s, else one after the
 * previous, from 1), operations with their command numbers (the unified and directional
 * models), enums and flags with their values, structs with their members. Only what
 * encoding, decoding and choosing a command need is kept; a spec this cannot read is a
 * RangeError naming the place.
 *
 * @module
 */

import { describe } from '../../validate.js'

/** One attribute of a set. */
export interface SpecAttr {
  name: string
  /** camelCase, as results name it. */
  key: string
  id: number
  type: string
  /** A nest's (or an indexed-array's) attribute set. */
  nested?: string
  /** The enum or flags definition an integer is read by. */
  enumName?: string
  /** The enum's values are bits to OR (`enum-as-flags`, or a `flags` definition). */
  asFlags: boolean
  multi: boolean
  bigEndian: boolean
  /** `display-hint` (ipv4, ipv6, mac, hex, ...) */
  hint?: string
  /** A struct definition a binary attribute holds. */
  struct?: string
  /** For indexed-array: the type of each item (`nest`, `u32`, ...). */
  subType?: string
}

export interface SpecSet {
  name: string
  byName: Map<string, SpecAttr>
  byId: Map<number, SpecAttr>
}

export interface SpecEnum {
  name: string
  flags: boolean
  byName: Map<string, number>
  byValue: Map<number, string>
}

export interface SpecStructMember {
  name: string
  key: string
  type: string
  len?: number
  bigEndian: boolean
  hint?: string
}

/** One direction of an operation: its command number and the attributes it carries. */
export interface SpecMsg {
  cmd: number
  attrs?: string[]
}

export interface SpecOp {
  name: string
  set: string
  do?: { request: SpecMsg; reply?: SpecMsg }
  dump?: { request: SpecMsg; reply?: SpecMsg }
  /** A notification's command number (`notify` / `event` operations). */
  event?: SpecMsg
  /** The operation whose reply a `notify` operation's messages look like. */
  notify?: string
}

export interface Spec {
  name: string
  protocol: string
  version: number
  sets: Map<string, SpecSet>
  enums: Map<string, SpecEnum>
  structs: Map<string, SpecStructMember[]>
  ops: Map<string, SpecOp>
  /** Operations by the command number of their replies and notifications. */
  byReplyCmd: Map<number, SpecOp>
  mcastGroups: string[]
}

export const camel = (s: string) => s.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase())

type Obj = Record<string, unknown>

function obj(v: unknown, where: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new RangeError(`spec ${where} must be a mapping, got ${describe(v)}`)
  return v as Obj
}
function list(v: unknown, where: string): unknown[] {
  if (v === undefined) return []
  if (!Array.isArray(v)) throw new RangeError(`spec ${where} must be a list, got ${describe(v)}`)
  return v
}
function str(v: unknown, where: string): string {
  if (typeof v !== 'string' || v === '') throw new RangeError(`spec ${where} must be a name, got ${describe(v)}`)
  return v
}
function num(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new RangeError(`spec ${where} must be a number, got ${describe(v)}`)
  return v
}

function readEnum(d: Obj, where: string): SpecEnum {
  const flags = d.type === 'flags'
  const e: SpecEnum = { name: str(d.name, `${where}.name`), flags, byName: new Map(), byValue: new Map() }
  let next = d['value-start'] === undefined ? 0 : num(d['value-start'], `${where}.value-start`)
  for (const [i, raw] of list(d.entries, `${where}.entries`).entries()) {
    const entry = typeof raw === 'string' ? { name: raw } : obj(raw, `${where}.entries[${i}]`)
    const name = str(entry.name, `${where}.entries[${i}].name`)
    const v = entry.value === undefined ? next : num(entry.value, `${where}.entries[${i}].value`)
    next = v + 1
    const value = flags ? 2 ** v : v
    e.byName.set(name, value)
    e.byValue.set(value, name)
  }
  return e
}

function readSet(s: Obj, where: string): SpecSet {
  const set: SpecSet = { name: str(s.name, `${where}.name`), byName: new Map(), byId: new Map() }
  let next = 1
  for (const [i, raw] of list(s.attributes, `${where}.attributes`).entries()) {
    const a = obj(raw, `${where}.attributes[${i}]`)
    const w = `${where}.attributes[${i}]`
    const id = a.value === undefined ? next : num(a.value, `${w}.value`)
    next = id + 1
    const name = str(a.name, `${w}.name`)
    const attr: SpecAttr = {
      name,
      key: camel(name),
      id,
      type: str(a.type, `${w}.type`),
      nested: a['nested-attributes'] === undefined ? undefined : str(a['nested-attributes'], `${w}.nested-attributes`),
      enumName: a.enum === undefined ? undefined : str(a.enum, `${w}.enum`),
      asFlags: a['enum-as-flags'] === true,
      multi: a['multi-attr'] === true,
      bigEndian: a['byte-order'] === 'big-endian',
      hint: typeof a['display-hint'] === 'string' ? a['display-hint'] : undefined,
      struct: typeof a.struct === 'string' ? a.struct : undefined,
      subType: typeof a['sub-type'] === 'string' ? a['sub-type'] : undefined,
    }
    set.byName.set(name, attr)
    set.byName.set(attr.key, attr)
    set.byId.set(id, attr)
  }
  return set
}

function readMsg(m: unknown, cmd: number, where: string): SpecMsg {
  const o = m === undefined ? {} : obj(m, where)
  const attrs =
    o.attributes === undefined ? undefined : list(o.attributes, `${where}.attributes`).map((x, i) => str(x, `${where}.attributes[${i}]`))
  return { cmd: o.value === undefined ? cmd : num(o.value, `${where}.value`), attrs }
}

/** Reads a parsed spec (the YAML's document as plain data). */
export function readSpec(raw: unknown): Spec {
  const s = obj(raw, '')
  const protocol = s.protocol === undefined ? 'genetlink' : str(s.protocol, 'protocol')
  if (!protocol.startsWith('genetlink'))
    throw new RangeError(
      `spec protocol ${describe(protocol)}: only generic netlink families (genetlink, genetlink-c, genetlink-legacy) are read`,
    )
  const spec: Spec = {
    name: str(s.name, 'name'),
    protocol,
    version: s.version === undefined ? 1 : num(s.version, 'version'),
    sets: new Map(),
    enums: new Map(),
    structs: new Map(),
    ops: new Map(),
    byReplyCmd: new Map(),
    mcastGroups: [],
  }
  for (const [i, raw] of list(s.definitions, 'definitions').entries()) {
    const d = obj(raw, `definitions[${i}]`)
    if (d.type === 'enum' || d.type === 'flags') {
      const e = readEnum(d, `definitions[${i}]`)
      spec.enums.set(e.name, e)
    } else if (d.type === 'struct') {
      const members = list(d.members, `definitions[${i}].members`).map((m, j) => {
        const o = obj(m, `definitions[${i}].members[${j}]`)
        const name = str(o.name, `definitions[${i}].members[${j}].name`)
        const len = o.len === undefined ? undefined : Number(o.len)
        return {
          name,
          key: camel(name),
          type: str(o.type, `definitions[${i}].members[${j}].type`),
          len,
          bigEndian: o['byte-order'] === 'big-endian',
          hint: typeof o['display-hint'] === 'string' ? o['display-hint'] : undefined,
        }
      })
      spec.structs.set(str(d.name, `definitions[${i}].name`), members)
    }
  }
  for (const [i, raw] of list(s['attribute-sets'], 'attribute-sets').entries()) {
    const set = readSet(obj(raw, `attribute-sets[${i}]`), `attribute-sets[${i}]`)
    spec.sets.set(set.name, set)
  }
  const ops = s.operations === undefined ? {} : obj(s.operations, 'operations')
  const directional = ops['enum-model'] === 'directional' || s['msg-id-model'] === 'directional'
  let next = 1
  for (const [i, raw] of list(ops.list, 'operations.list').entries()) {
    const o = obj(raw, `operations.list[${i}]`)
    const w = `operations.list[${i}]`
    const cmd = o.value === undefined ? next : num(o.value, `${w}.value`)
    next = cmd + 1
    const name = str(o.name, `${w}.name`)
    const op: SpecOp = { name, set: o['attribute-set'] === undefined ? '' : str(o['attribute-set'], `${w}.attribute-set`) }
    for (const mode of ['do', 'dump'] as const) {
      if (o[mode] === undefined) continue
      const m = obj(o[mode], `${w}.${mode}`)
      // Directional specs give each direction its own value; unified ones share the op's.
      const request = readMsg(m.request, cmd, `${w}.${mode}.request`)
      const reply = m.reply === undefined ? undefined : readMsg(m.reply, directional ? request.cmd : cmd, `${w}.${mode}.reply`)
      op[mode] = { request, reply }
      if (reply) spec.byReplyCmd.set(reply.cmd, op)
    }
    if (o.notify !== undefined || o.event !== undefined) {
      op.event = { cmd }
      if (typeof o.notify === 'string') op.notify = o.notify
      spec.byReplyCmd.set(cmd, op)
    }
    spec.ops.set(name, op)
    spec.ops.set(camel(name), op)
  }
  const groups = s['mcast-groups'] === undefined ? {} : obj(s['mcast-groups'], 'mcast-groups')
  spec.mcastGroups = list(groups.list, 'mcast-groups.list').map((g, i) =>
    str(obj(g, `mcast-groups.list[${i}]`).name, `mcast-groups.list[${i}].name`),
  )
  return spec
}
