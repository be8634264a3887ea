/**
 * Network namespaces: how a {@link NetnsRef} is given to the binding, and named namespaces
 * (interoperable with `ip netns`).
 *
 * @module
 */

import { nativeValue } from './errors.js'
import { netnsCall, type NetnsSpec } from './native.js'
import type { NetnsRef } from './types.js'
import { checkInt, checkNetnsName, checkText, describe } from './validate.js'

/** A NetnsRef as the binding takes it (exactly one of name, path, pid, fd), validated. */
export function netnsSpec(v: NetnsRef, name = 'netns'): NetnsSpec {
  if (typeof v === 'string') {
    if (v.length === 0) throw new RangeError(`${name} must not be empty`)
    return v.includes('/') ? { path: checkText(v, name) } : { name: checkNetnsName(v, name) }
  }
  if (typeof v === 'number') return { pid: checkInt(v, `${name} pid`, 1, 0x7fffffff) }
  if (typeof v === 'object' && v !== null) {
    if ('name' in v) return { name: checkNetnsName(v.name, name) }
    if ('path' in v && typeof v.path === 'string' && v.path.length > 0) return { path: checkText(v.path, `${name}.path`) }
    if ('pid' in v) return { pid: checkInt(v.pid, `${name}.pid`, 1, 0x7fffffff) }
    if ('fd' in v) return { fd: checkInt(v.fd, `${name}.fd`, 0, 0x7fffffff) }
  }
  throw new TypeError(`${name} must be a name, a path, a pid, { pid }, { fd } or { path }, got ${describe(v)}`)
}

function netnsOp(op: 'create' | 'delete' | 'list', fn: string, name?: string): unknown {
  return nativeValue(fn, name ?? '', netnsCall(op, name))
}

/**
 * Creates a named network namespace (`ip netns add NAME`); `EEXIST` if it exists.
 *
 * @category Namespaces
 */
export async function netnsCreate(name: string): Promise<void> {
  netnsOp('create', 'netnsCreate', checkNetnsName(name, 'name'))
}

/**
 * Deletes a named network namespace (`ip netns delete NAME`); `ENOENT` if there is none.
 *
 * @category Namespaces
 */
export async function netnsDelete(name: string): Promise<void> {
  netnsOp('delete', 'netnsDelete', checkNetnsName(name, 'name'))
}

/**
 * Named network namespaces (`ip netns list`), sorted.
 *
 * @category Namespaces
 */
export async function netnsList(): Promise<string[]> {
  return netnsOp('list', 'netnsList') as string[]
}
