/**
 * The options every subscription and dump stream takes (socket buffer, signal, namespace,
 * trace), checked the same way for rtnetlink and raw ones before any socket opens.
 *
 * @module
 */

import type { NetnsSpec } from './native.js'
import { netnsSpec } from './netns.js'
import { checkTrace, type TraceOption } from './trace.js'
import type { NetnsRef } from './types.js'
import { checkInt, checkKeys } from './validate.js'

/** The fields shared by subscription and stream options. */
export interface MonitorOptionFields {
  bufferSize?: number
  signal?: AbortSignal
  netns?: NetnsRef
  trace?: TraceOption
}

/** Checks `o` (a field `allowed` does not list is refused) and returns its namespace for the binding. */
export function checkMonitorOptions(o: MonitorOptionFields, allowed: ReadonlySet<string>): NetnsSpec | undefined {
  if (typeof o !== 'object' || o === null) throw new TypeError('options must be an object')
  checkKeys(o, allowed, 'options')
  if (o.bufferSize !== undefined) checkInt(o.bufferSize, 'bufferSize', 1, 0x7fffffff)
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) throw new TypeError('signal must be an AbortSignal')
  checkTrace(o.trace)
  return o.netns === undefined ? undefined : netnsSpec(o.netns)
}
