// Name generators. Each test file owns an interface-name prefix and namespace-name prefixes
// (registry.mjs); these turn a prefix into a sequence of names.

/** Interface names for one test file: `namer('ad')()` -> 'ad0', 'ad1', ... (at most 15 bytes). */
export function namer(prefix) {
  let n = 0
  return () => {
    const name = `${prefix}${n++}`
    if (Buffer.byteLength(name) > 15) throw new Error(`interface name ${name} too long`)
    return name
  }
}

/** Namespace names for one test file: `nsNamer('nlk-sb-')()` -> 'nlk-sb-0', 'nlk-sb-1', ... */
export function nsNamer(prefix) {
  let n = 0
  return () => `${prefix}${n++}`
}
